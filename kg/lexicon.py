"""The genre's vocabulary, loaded from the YAML files in genre/data/.

Departments resolve per city (市科委 is a different body in Shanghai and Chongqing); regions,
organisations and topics form gazetteers; every surface form also feeds a jieba user dictionary so
that tokenisation keeps names such as 临港新片区 or 市经济信息化委 whole, for extraction here and for
lexical retrieval elsewhere.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from corpus.jurisdiction import Jurisdiction, gazetteer_lookup, is_organ, qualify_relative
from genre import DATA_DIR, Genre, derived, read_data
from genre.text import key

LEXICON_DIR = DATA_DIR
PLAIN_WORD = re.compile(r"[0-9A-Za-z\u4e00-\u9fff（）()\-—]+")  # a dictionary word, not a regex or phrase


def load(name: str, genre: Genre | None = None) -> dict:
    """One data file (without .yaml) of `genre` as a dict (read and validated once, at genre.load)."""
    return read_data(name, genre)


def norm(text: str) -> str:
    """Lookup key: NFKC (full-width to half-width), no whitespace. Used on both sides of a lookup."""
    return key(text)


# -- cities ------------------------------------------------------------------------------------


def cities(genre: Genre | None = None) -> dict[str, dict]:
    return load("departments", genre)["cities"]


def normalize_city(city: str | None, *, genre: Genre) -> str | None:
    """'上海市' / '上海' / 'shanghai' -> '上海'; unknown cities keep their name without 市."""
    if not city:
        return None
    c = norm(city).removesuffix("市")
    for name, info in cities(genre=genre).items():
        if c in (name, info.get("slug")):
            return name
    return c or None


def city_slug(city: str | None, *, genre: Genre) -> str:
    """ASCII key for a city: the lexicon's slug, else a short hash; 'cn' for national bodies."""
    if not city:
        return "cn"
    info = cities(genre=genre).get(city)
    if info and info.get("slug"):
        return str(info["slug"])
    return "c" + hashlib.sha1(city.encode("utf-8")).hexdigest()[:8]


def guess_city(*texts: str | None, genre: Genre) -> str | None:
    """The city a document belongs to when its metadata says nothing: first city named in the texts."""
    for text in texts:
        if not text:
            continue
        for name in cities(genre=genre):
            if name in text:
                return name
    return None


def city_of_doc_no(doc_no: str | None, *, genre: Genre) -> str | None:
    """沪府办〔2025〕33号 -> 上海: the 文号's first character is the city's one-letter marker."""
    if not doc_no:
        return None
    head = norm(doc_no)[:1]
    return next((name for name, info in cities(genre=genre).items() if head in (info.get("markers") or [])), None)


# -- departments -------------------------------------------------------------------------------


def department_id(city: str | None, canonical: str, *, genre: Genre) -> str:
    """Stable, ASCII-safe key of a department: city slug + hash of the canonical name."""
    digest = hashlib.sha1(norm(canonical).encode("utf-8")).hexdigest()[:12]
    return f"dept-{city_slug(city, genre=genre)}-{digest}"


@dataclass(frozen=True)
class DepartmentEntry:
    canonical: str
    city: str | None  # None for national bodies
    kind: str
    aliases: tuple[str, ...] = ()

    def ident(self, genre: Genre) -> str:
        """The graph id of this body (its city's slug comes from the genre's city table)."""
        return department_id(self.city, self.canonical, genre=genre)


@dataclass
class DepartmentLexicon:
    """Alias tables: one per city, one national; resolution tries the city first. `genre` is the genre
    the tables were built from (the department grammar reads its jurisdiction rules)."""

    genre: Genre = field(repr=False, compare=False)
    by_city: dict[str, dict[str, DepartmentEntry]] = field(default_factory=dict)
    national: dict[str, DepartmentEntry] = field(default_factory=dict)
    collectives: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    suffixes: tuple[str, ...] = ()
    _places: dict[str, Jurisdiction | None] = field(default_factory=dict, repr=False)
    _named: dict[tuple[str, str], DepartmentEntry | None] = field(default_factory=dict, repr=False)

    def resolve(self, name: str, city: str | None) -> DepartmentEntry | None:
        """The canonical body a written name refers to in `city`, or None when unknown: the listed
        exceptions first, then national bodies and collectives, then the department grammar."""
        key = norm(name)
        table = self.by_city.get(city or "", {})
        if key in table:
            return table[key]
        if key in self.national:
            return self.national[key]
        if key in self.collectives:
            canonical, aliases = self.collectives[key]
            return DepartmentEntry(canonical, city, "集体", aliases)
        return self._by_grammar(key, name, city) if city else None

    def _by_grammar(self, key: str, name: str, city: str) -> DepartmentEntry | None:
        """A body of `city` named by the department grammar (市发展改革委, 上海市发展和改革委员会, 中共
        上海市委宣传部 -> the city's standard body), so that a lookup needs no per-city list and no
        document: only the city. A run of several bodies (a masthead line) is not one body."""
        memo = (key, city)
        if memo in self._named:
            return self._named[memo]
        if city not in self._places:
            self._places[city] = city_place(city, genre=self.genre)
        place = self._places[city]
        relative = _as_relative(key, place)
        found = qualify_relative(relative, place, genre=self.genre) if relative else None
        entry = None
        if found and is_organ(found[0], genre=self.genre) and not _several_bodies(relative, place):
            full, level = found
            kind = GOVERNMENT_KINDS.get(level) if relative in ("市政府", "市人民政府") else None
            entry = self.by_city.get(city, {}).get(norm(full)) or DepartmentEntry(
                full, city, kind or LEVEL_KINDS.get(level, "其他"), tuple(dict.fromkeys((full, name))))
        self._named[memo] = entry
        return entry

    def looks_like_body(self, name: str) -> bool:
        """True for names ending like a government body (委/办/局/区 ...): kept even when unknown."""
        key = norm(name)
        return len(key) >= 2 and key.endswith(self.suffixes)

    def entries(self, city: str | None = None) -> list[DepartmentEntry]:
        """Distinct entries of one city (or national ones for None)."""
        table = self.by_city.get(city, {}) if city else self.national
        return list(dict.fromkeys(table.values()))

    def aliases(self, canonical: str, city: str | None) -> list[str]:
        entry = self.resolve(canonical, city)
        return list(entry.aliases) if entry else []

    def surface_forms(self) -> set[str]:
        """Every name and alias of every city (for the jieba dictionary)."""
        forms: set[str] = set()
        for table in [*self.by_city.values(), self.national]:
            for entry in table.values():
                forms.add(entry.canonical)
                forms.update(entry.aliases)
        for canonical, aliases in self.collectives.values():
            forms.add(canonical)
            forms.update(aliases)
        return forms


LEVEL_KINDS = {"city": "市级部门", "province": "省级部门", "county": "区县部门"}
GOVERNMENT_KINDS = {"city": "市政府"}  # the city's own government, not one of its departments
# a body's end followed by another relative prefix: two names run together (市科委市发展改革委)
_NEXT_BODY = re.compile(r"[委局办厅会部署室心][和与及、,，]?(?:中共|[市区县省]委|[市区县省](?![场级直区县市]))")


def city_place(city: str, *, genre: Genre) -> Jurisdiction | None:
    """The city (or province) a short city name stands for: 通化 is 通化市, not its 通化县, so the
    name is looked up with 市 first; a county is never what a bare city name means."""
    for name in (city if city.endswith(("市", "省")) else f"{city}市", city):
        place = gazetteer_lookup(name, genre=genre)
        if place is not None and place.level in ("city", "provincial") and not place.county:
            return place
    return None


def _as_relative(key: str, place: Jurisdiction | None) -> str | None:
    """The name with its own jurisdiction written as the relative prefix (上海市科学技术委员会 ->
    市科学技术委员会, 中共上海市委宣传部 -> 市委宣传部); a relative name as it is; None otherwise."""
    if place is None:
        return None
    for full, short in ((place.city, "市"), (place.province, "省")):
        if full and key.startswith(f"中共{full}委"):
            return short + "委" + key[len(full) + 3:]
        if full and key.startswith(full):
            return short + key[len(full):]
    return key if key[:1] in "市区县省州盟旗自" or key.startswith("中共") else None


def _several_bodies(relative: str, place: Jurisdiction) -> bool:
    body = relative[1:]
    return bool(_NEXT_BODY.search(body)) or any(n and n in body for n in (place.city, place.province))


def _derived_aliases(name: str, city: str, aliases: list[str]) -> list[str]:
    """Aliases every document uses without a lexicon listing them (see departments.yaml header)."""
    out = [name, *aliases]
    for prefix, short in ((f"{city}市", "市"), (f"中共{city}市委", "市委")):
        if name.startswith(prefix):
            out.append(short + name[len(prefix):])
    for a in list(out):
        if a.startswith("市委"):
            out += [f"{city}{a}", f"中共{city}{a}"]
        elif a.startswith("市"):
            out += [f"{city}{a}", f"{city}{a[1:]}"]
    return list(dict.fromkeys(out))


def _district_entry(district: str, city: str) -> DepartmentEntry:
    canonical = f"{city}市{district}人民政府"
    aliases = [district, f"{district}政府", f"{district}人民政府", f"{city}{district}", f"{city}市{district}",
               f"{city}市{district}政府", canonical]
    return DepartmentEntry(canonical, city, "区", tuple(dict.fromkeys(aliases)))


def _register(table: dict[str, DepartmentEntry], entry: DepartmentEntry) -> None:
    for alias in entry.aliases:
        table.setdefault(norm(alias), entry)


@derived
def departments(genre: Genre) -> DepartmentLexicon:
    data = genre.data("departments")
    lex = DepartmentLexicon(genre=genre, suffixes=tuple(data.get("body_suffixes", [])))
    for city, info in data["cities"].items():
        table: dict[str, DepartmentEntry] = {}
        for item in info.get("departments", []):
            aliases = _derived_aliases(item["name"], city, list(item.get("aliases") or []))
            _register(table, DepartmentEntry(item["name"], city, item.get("kind", "市级部门"), tuple(aliases)))
        for district in info.get("districts", []):
            _register(table, _district_entry(district, city))
        lex.by_city[city] = table
    for item in data.get("national", []):
        aliases = tuple(dict.fromkeys([item["name"], *(item.get("aliases") or [])]))
        _register(lex.national, DepartmentEntry(item["name"], None, item.get("kind", "中央部门"), aliases))
    for item in data.get("collectives", []):
        aliases = tuple(dict.fromkeys([item["name"], *(item.get("aliases") or [])]))
        for alias in aliases:
            lex.collectives.setdefault(norm(alias), (item["name"], aliases))
    return lex


@derived
def trailing_phrases(genre: Genre) -> tuple[re.Pattern[str], ...]:
    """Phrases after a list of bodies that name no body (按部门职责分头推进 ...)."""
    return tuple(re.compile(p) for p in genre.data("departments").get("trailing_phrases", []))


@derived
def responsibility_labels(genre: Genre) -> dict[str, str]:
    """责任单位 -> responsible, 牵头单位 -> lead, 配合单位 -> co ... (the one table: genre/blocks.py)"""
    return dict(genre.blocks.labels)


# -- gazetteers: regions, organisations, topics ------------------------------------------------


@dataclass(frozen=True)
class GazetteerEntry:
    kind: str  # region | organisation | topic
    name: str  # canonical
    city: str | None = None
    type: str | None = None  # organisation type, region level ...


@derived
def gazetteer(genre: Genre) -> dict[str, list[tuple[GazetteerEntry, tuple[str, ...]]]]:
    """kind -> [(entry, surface forms)] for regions (per city and shared), organisations, topics."""
    out: dict[str, list[tuple[GazetteerEntry, tuple[str, ...]]]] = {"region": [], "organisation": [], "topic": []}
    regions = genre.data("regions")
    for city, items in (regions.get("cities") or {}).items():
        for item in items:
            out["region"].append((GazetteerEntry("region", item["name"], city, item.get("type")),
                                  _forms(item)))
    for item in regions.get("shared") or []:
        out["region"].append((GazetteerEntry("region", item["name"], None, item.get("type")), _forms(item)))
    for item in genre.data("organisations").get("organisations") or []:
        out["organisation"].append((GazetteerEntry("organisation", item["name"], item.get("city"),
                                                   item.get("type")), _forms(item)))
    for item in genre.data("topics").get("topics") or []:
        out["topic"].append((GazetteerEntry("topic", item["name"]), _forms(item, "synonyms")))
    return out


def _forms(item: dict, key: str = "aliases") -> tuple[str, ...]:
    return tuple(dict.fromkeys([item["name"], *(item.get(key) or [])]))


def topic_names(genre: Genre | None = None) -> list[str]:
    return [e.name for e, _ in gazetteer(genre)["topic"]]


@derived
def _topic_keys(genre: Genre) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(canonical topic, normalised name and synonyms): normalised once, not on every find_topics call."""
    return tuple((e.name, tuple(norm(f) for f in forms)) for e, forms in gazetteer(genre)["topic"])


def find_topics(text: str, genre: Genre | None = None) -> list[str]:
    """Canonical topics whose name or a synonym occurs in the text (case-sensitive: AI is not ai)."""
    key = norm(text)
    return [name for name, forms in _topic_keys(genre) if any(f in key for f in forms)]


# -- jieba ---------------------------------------------------------------------------------------


def jieba_userdict_words(genre: Genre | None = None) -> list[str]:
    """Every department, region, organisation, topic and support term: one jieba dictionary word each."""
    words: set[str] = set(departments(genre).surface_forms())
    for entries in gazetteer(genre).values():
        for _, forms in entries:
            words.update(forms)
    # bodies named by the department grammar (市发展改革委, 区科技局 …) rather than listed per city
    grammar = load("department_grammar", genre)
    for prefix in ("市", "区", "县", "省"):
        for short, full in (grammar.get("abbreviations") or {}).items():
            words.update((prefix + short, prefix + full))
    support = load("support", genre)
    for kind in support.get("kinds") or []:
        words.update(kind.get("triggers") or [])
    for item in support.get("beneficiaries") or []:
        words.update(_forms(item))
    return sorted(w for w in words if w and PLAIN_WORD.fullmatch(w))


@derived
def tokenizer(genre: Genre):
    """A private jieba Tokenizer with the lexicon words added. It copies the global tokenizer's
    dictionary (loaded once per process, shared with other users of jieba) and leaves it untouched."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = dict(jieba.dt.FREQ), jieba.dt.total, True
    for word in jieba_userdict_words(genre):
        tok.add_word(word, freq=max(1000, 200 * len(word)))
    return tok
