"""The jurisdiction a policy belongs to, anywhere in China: national, province, city, county, zone.

Real documents name their place in several ways, in order of strength:
1. the issuing body: 武汉市发展和改革委员会, 中共柳河县委, 国务院办公厅 (national bodies carry no place);
2. the title: 安徽省关于…, 成都市高层次人才…;
3. the 文号 prefix: 皖政办秘〔2021〕82号 -> 安徽, 穗府办规 -> 广州, 国发 -> national (a standard table);
4. the body: the places it names most, with its level cue (本市/我县/全省).
Places are resolved through jionlp's gazetteer of China's administrative divisions (parse_location and
its location table), not through hand lists of cities. jionlp prints a banner when imported, so it is
imported lazily with stdout redirected (`policykg ask --json` must stay pure JSON).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from corpus.quiet import jionlp as quiet_jionlp
from corpus.quiet import quiet
from genre import Genre, derived

if TYPE_CHECKING:
    import ahocorasick

LEVELS = ("national", "provincial", "city", "district", "zone")
MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_ZONE = re.compile(r"^(.{0,8}?(?:高新技术产业开发区|经济技术开发区|高新区|经开区|开发区|新区|自贸区|保税区|综合保税区))")
_COUNTY_SUFFIX = ("区", "县", "旗", "市")


@dataclass(frozen=True)
class Jurisdiction:
    """Where a policy applies: its level and the names of its place and parents (full forms)."""

    level: str  # national | provincial | city | district | zone
    province: str | None = None  # 广东省, 广西壮族自治区, 北京市
    city: str | None = None  # prefecture-level city: 广州市 (the municipality itself for 北京/上海/…)
    county: str | None = None  # district / county / county-level city: 天河区, 柳河县
    zone: str | None = None  # development zone: 安康高新区

    @property
    def name(self) -> str:
        """The place itself: the deepest name (全国 for national)."""
        if self.level == "national":
            return "全国"
        return self.zone or self.county or self.city or self.province or ""

    @property
    def path(self) -> list[str]:
        """Names from the province down, without repeats (北京市/北京市 -> 北京市)."""
        out: list[str] = []
        for n in (self.province, self.city, self.county, self.zone):
            if n and n not in out:
                out.append(n)
        return out

    @property
    def short_city(self) -> str | None:
        """The short name kept on Policy.city (广州, 安徽): the city, else the province."""
        name = self.city or self.province
        return short_name(name) if name else None

    def to_dict(self) -> dict:
        return asdict(self)

    @staticmethod
    def from_dict(data: dict | None) -> Jurisdiction | None:
        if not data or not data.get("level"):
            return None
        return Jurisdiction(**{k: data.get(k) for k in ("level", "province", "city", "county", "zone")})


def short_name(name: str) -> str:
    """广州市 -> 广州, 广西壮族自治区 -> 广西, 阿坝藏族羌族自治州 -> 阿坝 (the gazetteer's alias when it has one)."""
    alias = _aliases().get(name)
    if alias:
        return alias
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


@cache
def _jio():
    return quiet_jionlp()


@cache
def _table() -> dict:
    """jionlp's table of divisions: province -> city -> county, each with _full_name and _alias
    (`china_location_loader()`, read from a JSON copy of its result where one was kept: see
    `_kept_table`). Shared: read, never changed."""
    with quiet():
        jio = _jio()
        source = Path(jio.__file__).parent / "dictionary" / "china_location.txt"
        return _kept_table(source, jio.__version__, jio.china_location_loader)


GAZETTEER_CACHE_FORMAT = 1


def _kept_table(source: Path, version: str, build) -> dict:
    """`build()` — jionlp parsing its 3,500-line division file into nested dicts, about 0.2 s of CPU
    in every process that reads a place — or the same dicts from a JSON file written by an earlier
    process, keyed by the format, jionlp's version and the file's size and time (jieba keeps its
    dictionary cache in the same folder). Plain data, no pickle; a copy another user could have
    written is not read; an unreadable or unwritable cache only means building it."""
    try:
        st = source.stat()
    except OSError:
        return build()
    stamp = f"{GAZETTEER_CACHE_FORMAT}:{version}:{source}:{st.st_size}:{st.st_mtime_ns}"
    kept = Path(tempfile.gettempdir()) / f"policykg-gazetteer-{hashlib.sha1(stamp.encode()).hexdigest()[:12]}.json"
    with contextlib.suppress(OSError, ValueError):
        if kept.stat().st_uid == os.getuid():
            data = json.loads(kept.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("stamp") == stamp and isinstance(data.get("table"), dict):
                return data["table"]
    table = build()
    tmp = kept.with_name(f"{kept.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"stamp": stamp, "table": table}, fh, ensure_ascii=False)
        os.replace(tmp, kept)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return table


_ADOPTED_ALIASES: list[dict[str, str]] = []  # the table a saved linker brought along (rag/linking.py)


def adopt_aliases(table: dict[str, str]) -> None:
    """Use a short-name table built earlier from the same gazetteer (jionlp's tables take seconds to load)."""
    if not _ADOPTED_ALIASES:
        _ADOPTED_ALIASES.append(table)


def place_aliases() -> dict[str, str]:
    """Province and city full name -> its usual short name (广东省 -> 广东), from the gazetteer."""
    return _aliases()


@cache
def _aliases() -> dict[str, str]:
    if _ADOPTED_ALIASES:
        return _ADOPTED_ALIASES[0]
    out: dict[str, str] = {}
    for prov, pd in _table().items():
        out[prov] = _first_alias(pd, prov)
        for city, cd in pd.items():
            if city.startswith("_"):
                continue
            out.setdefault(city, _first_alias(cd, city))
    return out


def _first_alias(d: dict, name: str) -> str:
    alias = d.get("_alias")
    if isinstance(alias, list):
        alias = alias[0] if alias else None
    return alias or name


@derived
def _rules(genre: Genre) -> dict:
    return genre.data("jurisdictions")


def level_word(level: str | None, *, genre: Genre) -> str:
    """The genre's word for a level of government (national -> 国家级), '' for an unknown level."""
    return (_rules(genre).get("level_words") or {}).get(level or "", "")


def _parser_table() -> list:
    """The rows jionlp's parser matches against (loaded on its first use). The parser prepares them
    with its own code from the division table; the table it reads is `_table()`'s (the same dicts
    jionlp's loader returns, kept between processes) rather than a second parse of the file."""
    parser = _jio().parse_location
    with quiet():  # checked under the lock: two threads must not prepare it at once
        if parser.administrative_map_list is None:
            from jionlp.gadget import location_parser

            table, loader = _table(), location_parser.china_location_loader
            location_parser.china_location_loader = lambda detail=False: loader(detail) if detail else table
            try:
                parser._prepare()
            finally:
                location_parser.china_location_loader = loader
    return parser.administrative_map_list


@cache
def _gazetteer_automaton() -> ahocorasick.Automaton:
    """Every name and alias jionlp's parser matches (old names included), built from the parser's own
    table: a text holding none of them has no candidate, so the check below is exact."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for item in _parser_table():
        for level in item[1:4]:
            for n in level:
                if n:
                    automaton.add_word(n, n)
    automaton.make_automaton()
    return automaton


def gazetteer_names() -> list[str]:
    """Every name and alias the place parser matches (its own table, old names included)."""
    return sorted({n for item in _parser_table() for level in item[1:4] for n in level if n})


def prepare_gazetteer() -> None:
    """Load jionlp's place table and the automaton over its names now (about half a second): a
    server warming up calls this, so that its first question naming a place does not."""
    _gazetteer_automaton()


@cache
def _start_forms() -> tuple[frozenset[str], int]:
    """Every form a parsed place can be written at the start with (full, short, 阿坝州): what
    `written_at_start` accepts, for any place the parser can return."""
    starts: set[str] = set()
    for item in _parser_table():
        for full in (level[0] for level in item[1:4] if level[0]):
            starts.update(f for f in (full, short_name(full), *_alias_forms(full)) if len(f) >= 2)
    return frozenset(starts), max(map(len, starts))


def _names_no_place(text: str) -> bool:
    """No name or alias of the gazetteer occurs in the text: jionlp would find no candidate."""
    return next(_gazetteer_automaton().iter(text), None) is None


def _starts_with_no_place(head: str) -> bool:
    """The text starts with no form of any place: `written_at_start` could not hold."""
    starts, longest = _start_forms()
    return not any(head[:k] in starts for k in range(2, min(longest, len(head)) + 1))


@lru_cache(maxsize=50_000)
def _parse_location(text: str) -> MappingProxyType:
    with quiet():
        return MappingProxyType(_jio().parse_location(text))


def parse_location(text: str) -> Mapping[str, str | None]:
    """jionlp's parse_location (province, city, county, detail), answered at once when the text holds
    no name of the gazetteer and remembered per text: jionlp scans its whole table (~20 ms) for every
    call, and extraction asks about the same department names thousands of times. Read-only."""
    if not text or _names_no_place(text):
        return MappingProxyType({"province": None, "city": None, "county": None, "detail": text,
                                 "full_location": text, "orig_location": text})
    return _parse_location(text)


def gazetteer_lookup(text: str | None, *, genre: Genre) -> Jurisdiction | None:
    """The place a name starts with (杭州市西湖区…, 中共柳河县委…, 安康高新区…), or None.

    Only a place written at the start counts, so that 关于…广州… in the middle of a title does not
    make it a Guangzhou document.
    """
    if not text:
        return None
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"^(?:中共|中国共产党)", "", text)
    head = text[:24]
    if _starts_with_no_place(head):
        return None
    r = parse_location(head)
    province, city, county = r.get("province"), r.get("city"), r.get("county")
    if not province or not written_at_start(head, province, city, county):
        return None
    detail = (r.get("detail") or "").lstrip("（(")
    if city and not county and (m := _ZONE.match(detail)) and not detail.startswith(("新区人民", "新区委")):
        zone = _zone_name(city, m.group(1), genre=genre)
        if zone:
            return Jurisdiction("zone", province, city, None, zone)
    if county:
        return Jurisdiction("district", province, city, county)
    if city:
        return Jurisdiction("city", province, city)
    return Jurisdiction("provincial", province)


def from_file_name(name: str | None, *, genre: Genre) -> Jurisdiction | None:
    """The place a file's own name gives, for a document whose text names none (no issuer, title, 文号
    or place in its body): a name written in Chinese is read as a title is (合肥市房地产新政.txt); a
    name in pinyin (044_hefei_fangdichan_tongzhi.txt) by its words, each matched to the pinyin of the
    provinces, cities (short or full name) and counties (full name), when the words name one place."""
    if not name:
        return None
    if (j := gazetteer_lookup(re.sub(r"^[\W\d_]+", "", name), genre=genre)) is not None:
        return j
    index = _pinyin_index()
    found = {index[w] for w in re.split(r"[^a-z]+", name.lower()) if len(w) >= 4 and index.get(w)}
    if len(found) != 1:
        return None
    province, city, county = found.pop()
    if county:
        return Jurisdiction("district", province, city, county)
    return Jurisdiction("city", province, city) if city else Jurisdiction("provincial", province)


@cache
def _pinyin_index() -> dict[str, tuple[str, str | None, str | None] | None]:
    """Toneless pinyin of every province and city (full and short name) and county (full name) -> the
    place; None for a spelling several places share (it names none of them)."""
    def spell(name: str) -> str:
        with quiet():
            return "".join(_jio().pinyin(name, formater="simple")).rstrip("012345").lower()

    out: dict[str, tuple[str, str | None, str | None] | None] = {}

    def add(names: list[str], place: tuple[str, str | None, str | None]) -> None:
        for key in {re.sub(r"[0-9]", "", spell(n)) for n in names if n}:
            out[key] = place if out.get(key, place) == place else None

    for prov, pd in _table().items():
        add([prov, short_name(prov)], (prov, prov if prov in MUNICIPALITIES else None, None))
        for city, cd in pd.items():
            if city.startswith("_"):
                continue
            add([city, short_name(city)], (prov, city, None))
            for county in cd:
                if not county.startswith("_") and len(county) >= 3:
                    add([county], (prov, city, county))
    return out


def _zone_name(city: str, detail: str, *, genre: Genre) -> str | None:
    """安康 + 高新区 -> 安康高新区; a zone needs a zone word of the genre, not any 区."""
    if not any(w in detail for w in _rules(genre)["zone_words"]):
        return None
    return short_name(city) + detail


def written_at_start(head: str, province: str, city: str | None, county: str | None) -> bool:
    """The parsed place (full or short form) is what the text starts with, not an inference."""
    names = []
    for n in (province, city, county):
        if n:
            names += [n, short_name(n)]
            names += _alias_forms(n)
    return any(head.startswith(n) for n in names if len(n) >= 2)


def _alias_forms(name: str) -> list[str]:
    """阿坝藏族羌族自治州 is written 阿坝州; 凉山彝族自治州 -> 凉山州."""
    m = re.match(r"^(.{2,3}?)(?:[\u4e00-\u9fff]{1,6}族)+自治州$", name)
    return [m.group(1) + "州"] if m else []


def is_national_body(name: str, *, genre: Genre) -> bool:
    """国务院, 国务院办公厅, 科技部, 国家发展改革委办公厅, 税务总局, 中共中央…: no place, a central body."""
    name = re.sub(r"\s+", "", name)
    rules = _rules(genre)["national"]
    if any(name.startswith(p) for p in rules["prefixes"]):
        return True
    if gazetteer_lookup(name, genre=genre) is not None or name.startswith(("省", "市", "区", "县", "州", "自治区")):
        return False
    core = re.sub(r"(?:办公厅|办公室)$", "", name)
    return core.endswith(tuple(rules["suffixes"]))


def from_issuers(issuers: list[str], *, genre: Genre) -> Jurisdiction | None:
    """The jurisdiction of the issuing bodies: the first with a place, else national if all are central."""
    found = [j for j in (gazetteer_lookup(i, genre=genre) for i in issuers) if j]
    if found:
        return _deepest(found)
    if issuers and all(is_national_body(i, genre=genre) for i in issuers):
        return Jurisdiction("national")
    return None


def _deepest(found: list[Jurisdiction]) -> Jurisdiction:
    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    return max(found, key=lambda j: order[j.level])


def from_doc_no(doc_no: str | None, *, genre: Genre) -> Jurisdiction | None:
    """The place named by a 文号's abbreviation: 国发 -> national, 皖 -> 安徽省, 穗 -> 广州市."""
    if not doc_no:
        return None
    doc_no = re.sub(r"\s+", "", doc_no)
    if (j := gazetteer_lookup(doc_no, genre=genre)) is not None:  # 上海市人民政府令第19号
        return j
    rules = _rules(genre)
    if doc_no.startswith(tuple(rules["national"]["doc_no_prefixes"])):
        return Jurisdiction("national")
    hits = [(len(k), v) for k, v in rules["doc_no_abbreviations"].items() if doc_no.startswith(k)]
    if not hits:
        return None
    return gazetteer_lookup(max(hits)[1], genre=genre)


_LEVEL_CUES = {
    "provincial": re.compile(r"[本我全]省|全区各族|[本我]区(?=[^县])|自治区"),
    "city": re.compile(r"[本我全]市"),
    "district": re.compile(r"[本我全]县|[本我]区"),
}


def from_body(text: str, *, genre: Genre) -> Jurisdiction | None:
    """The place a document without header names most, at the level its own cue words imply."""
    if not text:
        return None
    if re.search(_rules(genre)["national"]["addressees"], text[:1500]):
        return Jurisdiction("national")  # 各省、自治区、直辖市人民政府: only a central body writes to them all
    counts: Counter[tuple[str, str | None, str | None]] = Counter()
    for m in _place_pattern().finditer(text):
        counts[_place_index()[m.group(0)]] += 1
    if not counts:
        return None
    cue = {lvl: len(p.findall(text)) for lvl, p in _LEVEL_CUES.items()}
    level = max(cue, key=lambda k: cue[k]) if any(cue.values()) else None
    if (zone := _own_zone(text, counts, genre=genre)) is not None:
        return zone
    provinces: Counter[str] = Counter()
    for (prov, _city, _county), n in counts.items():
        provinces[prov] += n
    province = provinces.most_common(1)[0][0]
    if level == "provincial" or level is None:
        return Jurisdiction("provincial", province) if level else None
    cities: Counter[str] = Counter()
    for (prov, city, _county), n in counts.items():
        if prov == province and city:
            cities[city] += n
    if not cities:
        return None
    city = cities.most_common(1)[0][0]
    if province in MUNICIPALITIES:
        city = province
    if level == "district":
        counties = Counter({c: n for (p, ci, c), n in counts.items() if p == province and ci == city and c})
        if counties:
            county = counties.most_common(1)[0][0]
            return Jurisdiction("district", province, city, county)
        zone = _zone_in(text, city, genre=genre)
        if zone:
            return Jurisdiction("zone", province, city, None, zone)
        return None
    return Jurisdiction("city", province, city)


def _own_zone(text: str, counts: Counter, *, genre: Genre) -> Jurisdiction | None:
    """A zone's own document: it names itself in full once (安康高新区) and by its zone word often (高新区)."""
    for (prov, city, _county), _n in counts.most_common():
        if not city:
            continue
        zone = _zone_in(text, city, genre=genre)
        if zone:
            word = zone[len(short_name(city)) :]
            provincial = len(re.findall(r"全省|自治区", text))
            if text.count(word) >= 3 and text.count(word) > provincial:
                return Jurisdiction("zone", prov, city, None, zone)
    return None


def _zone_in(text: str, city: str, *, genre: Genre) -> str | None:
    short = short_name(city)
    m = re.search(re.escape(short) + r"(" + "|".join(map(re.escape, _rules(genre)["zone_words"])) + ")", text)
    return short + m.group(1) if m else None


@cache
def _place_index() -> dict[str, tuple[str, str | None, str | None]]:
    """Every full name (and 2+ character alias of provinces and cities) -> (province, city, county)."""
    idx: dict[str, tuple[str, str | None, str | None]] = {}
    for prov, pd in _table().items():
        _index_name(idx, prov, pd, (prov, prov if prov in MUNICIPALITIES else None, None))
        for city, cd in pd.items():
            if city.startswith("_"):
                continue
            _index_name(idx, city, cd, (prov, city, None))
            for county, kd in cd.items():
                if county.startswith("_") or len(county) < 3:
                    continue
                idx.setdefault(county, (prov, city, county))
                if county.endswith("县") and isinstance(kd, dict):
                    idx.setdefault(county[:-1] + "县", (prov, city, county))
    return idx


def _index_name(idx: dict, name: str, d: dict, value: tuple) -> None:
    idx.setdefault(name, value)
    aliases = d.get("_alias") or []
    for a in [aliases] if isinstance(aliases, str) else aliases:
        if a and len(a) >= 2:
            idx.setdefault(a, value)
    for a in _alias_forms(name):
        idx.setdefault(a, value)


def place_index() -> dict[str, tuple[str, str | None, str | None]]:
    """Place name -> (province, city, county) for every division of China (full names, 2+ character
    short names of provinces and cities)."""
    return _place_index()


@cache
def _place_pattern() -> re.Pattern:
    names = sorted(_place_index(), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def resolve(issuers: list[str], title: str | None, doc_no: str | None, body: str = "",
            city_hint: str | None = None, *, genre: Genre) -> Jurisdiction | None:
    """The jurisdiction from the strongest clue: issuers, title, 文号, a given city, then the body."""
    if (j := from_issuers(issuers, genre=genre)) is not None:
        return j
    if (j := gazetteer_lookup(title, genre=genre)) is not None:
        return j
    if (j := from_doc_no(doc_no, genre=genre)) is not None:
        return j
    if title and title.startswith(tuple(_rules(genre)["national"]["title_prefixes"])):
        return Jurisdiction("national")
    if city_hint and (j := gazetteer_lookup(city_hint if len(city_hint) > 1 else "", genre=genre)) is not None:
        return j
    return from_body(body, genre=genre)


# -- departments named relative to the issuing jurisdiction ---------------------------------------

@derived
def _grammar(genre: Genre) -> dict:
    data = genre.data("department_grammar")
    abbreviations = sorted(data["abbreviations"].items(), key=lambda kv: len(kv[0]), reverse=True)
    return {"prefixes": data["relative_prefixes"], "not": tuple(data["not_prefixes"]), "abbr": abbreviations,
            "organs": tuple(data.get("organ_suffixes") or ())}


def _not_relative(key: str, *, genre: Genre) -> bool:
    """The name starts with a word that is no relative prefix (市场监管局, 省市联动 …); but 省市场监管局
    is 省 + 市场监管局: a not-prefix whose second character begins another not-prefix word (市场) leaves
    the first character as the prefix."""
    nots = _grammar(genre)["not"]
    return key.startswith(nots) and not (len(key) > 3 and key[1:].startswith(nots) and key[2:3] not in "县区级")


def expand_body(body: str, *, genre: Genre) -> str:
    """A body name with its standard abbreviation written out: 发展改革委 -> 发展和改革委员会."""
    for short, full in _grammar(genre)["abbr"]:
        if body.endswith(full):
            return body
        if body.endswith(short):
            return body[: -len(short)] + full
    return body


def qualify_body(name: str, place: Jurisdiction | None, *, genre: Genre) -> str | None:
    """The full name of a body written relative to the document's jurisdiction, or None.

    市发展改革委 in a Wuhan document -> 武汉市发展和改革委员会; 区科技局 in a Xihu district document ->
    西湖区科学技术局; 省经济和信息化厅 in an Anhui document -> 安徽省经济和信息化厅; 市委网信办 ->
    中共武汉市委网信办. A name that already starts with a place is only expanded (武汉市发改委 ->
    武汉市发展和改革委员会); national bodies and names with no relative prefix give None.
    """
    key = re.sub(r"\s+", "", name or "")
    if len(key) < 3 or is_national_body(key, genre=genre):
        return None
    party = key.startswith("中共")
    bare = key.removeprefix("中共")
    own = gazetteer_lookup(bare, genre=genre)
    if own is not None:
        detail = parse_location(bare[:24]).get("detail") or ""
        rest = bare[24:] if len(bare) > 24 else ""
        body = (detail + rest) if detail and bare.endswith(detail + rest) else ""
        if not body or len(body) >= len(bare):
            return None
        full = ("中共" if party else "") + bare[: len(bare) - len(body)] + expand_body(body, genre=genre)
        return full if full != key else None
    found = qualify_relative(key, place, genre=genre)
    return found[0] if found else None


def is_organ(name: str, *, genre: Genre) -> bool:
    """The name ends like a government organ (局, 委员会, 办公室, 人民政府 …: department_grammar.yaml)."""
    return name.endswith(_grammar(genre)["organs"])


def qualify_relative(key: str, place: Jurisdiction | None, *, genre: Genre) -> tuple[str, str] | None:
    """(full name, level) of a name written with a relative prefix (市发展改革委, 区委组织部), by the
    prefix rules alone — no gazetteer look-up, so it is cheap enough for every candidate of a line."""
    if place is None or _not_relative(key, genre=genre):
        return None
    for rule in _grammar(genre)["prefixes"]:
        prefix = rule["prefix"]
        if not key.startswith(prefix):
            continue
        where = _place_for(place, rule["level"])
        body = key[len(prefix) :]
        if where is None or not body:
            return None
        full = f"中共{where}委{expand_body(body, genre=genre)}" if rule.get("party") else where + expand_body(body, genre=genre)
        return full, rule["level"]
    return None


def _place_for(place: Jurisdiction, level: str) -> str | None:
    """The name the relative prefix 省/市/区 points to from the document's own jurisdiction."""
    if level == "province":
        return place.province
    if level == "city":
        return place.city
    if place.level == "zone":
        return place.zone
    if place.county and place.county.endswith("区") and place.city and place.city != place.province:
        return place.city + place.county  # 杭州市西湖区: district names repeat across China (鼓楼区, 朝阳区)
    return place.county


@derived
def _functional(genre: Genre) -> re.Pattern | None:
    data = genre.data("department_grammar").get("functional")
    if not data:
        return None
    alt = lambda words: "|".join(map(re.escape, sorted(words, key=len, reverse=True)))  # noqa: E731
    return re.compile(rf"^(?P<every>各级|各)?(?P<field>{alt(data['fields'])})(?P<end>{alt(data['suffixes'])})$")


def functional_body(name: str, *, genre: Genre) -> re.Match | None:
    """A body named by its field of government alone (民政部门, 税务机关, 各级财政部门), or None."""
    pattern = _functional(genre)
    return pattern.match(re.sub(r"\s+", "", name or "")) if pattern else None


_OWN_LEVEL = {"provincial": "province", "city": "city", "district": "county", "zone": "county"}


def qualify_functional(name: str, place: Jurisdiction | None, *, genre: Genre) -> str | None:
    """The issuing jurisdiction's body a bare functional name stands for: 民政部门 in a Guangzhou regulation
    -> 广州市民政部门, as 市民政部门 would be (department_grammar.yaml `functional`). A name for every level
    (各级财政部门) and a national document's name (no place of its own) give None."""
    m = functional_body(name, genre=genre)
    if m is None or m.group("every") or place is None or place.level not in _OWN_LEVEL:
        return None
    where = _place_for(place, _OWN_LEVEL[place.level])
    return where + m.group(0) if where else None
