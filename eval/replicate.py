"""A library of N real-looking documents for scale benchmarks: the development corpus replicated with
other jurisdictions and dates.

Synthetic documents (eval/synth.py) share one small vocabulary; a real library does not. Here each copy
is a real development document (eval/devcorpus/docs, plain text only) moved to another city or province
of China (from jionlp's gazetteer): its place names, 文号 and years change, the rest of its wording stays
as written. So department names collide across cities (every city has a 市发展改革委), titles repeat
with another place in front, and the vocabulary is that of real policy writing. National documents
are kept once (a real library has one copy of a State Council notice, not hundreds).

Copy i depends only on (seed, i): a library of 1,000 is the first 1,000 copies of one of 10,000.

    paths = replicate(1000, Path("/tmp/library"), seed=0)
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from corpus.quiet import jionlp, quiet

DEVCORPUS = Path(__file__).with_name("devcorpus")
MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_YEAR = re.compile(r"(?<!\d)(20[0-3]\d)(?!\d)")
_DOC_NO = re.compile(r"([\u4e00-\u9fa5]{1,10})\s*([〔\[［(（【])\s*(20\d{2})\s*([〕\]］)）】])\s*(\d{1,4})\s*号")


@dataclass(frozen=True)
class Source:
    """One development document and the place it is about, as its manifest gives them."""

    path: Path
    level: str  # city | provincial | district | national
    province: str | None  # full name, e.g. 安徽省
    city: str | None  # full name, e.g. 合肥市


@dataclass(frozen=True)
class Place:
    province: str  # 江苏省
    province_short: str  # 江苏
    city: str  # 苏州市
    city_short: str  # 苏州


@dataclass
class Copy:
    index: int
    filename: str
    text: str
    source: str
    place: Place


@cache
def sources() -> tuple[Source, ...]:
    """Plain-text development documents with their place (other formats need converters and OCR)."""
    out = []
    with open(DEVCORPUS / "MANIFEST.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            path = DEVCORPUS / "docs" / row["file"]
            if path.suffix not in (".txt", ".md") or not path.is_file():
                continue
            province, city = _place_of(row["city/province"], row["level"])
            out.append(Source(path, row["level"], province, city))
    return tuple(out)


def _place_of(where: str, level: str) -> tuple[str | None, str | None]:
    """(province, city) full names from the manifest's 'province·city' column."""
    if level == "national":
        return None, None
    parts = [p.strip() for p in re.split(r"[·\s(（]", where) if p.strip()]
    provinces = {p["province"]: p for p in _gazetteer_provinces()}
    short = {p["short"]: p["province"] for p in _gazetteer_provinces()}
    province = next((provinces[p]["province"] for p in parts if p in provinces), None)
    province = province or next((short[p] for p in parts if p in short), None)
    city = next((p for p in parts if p.endswith(("市", "州", "盟")) and p not in provinces), None)
    if province is None and city in provinces:  # 北京市, 上海市: municipality
        province = city
    if city is None and province in MUNICIPALITIES:
        city = province
    return province, city


@cache
def _gazetteer() -> dict:
    """jionlp's administrative divisions of China (its import prints a banner: kept off stdout)."""
    with quiet():
        return jionlp().china_location_loader()


@cache
def _gazetteer_provinces() -> tuple[dict, ...]:
    out = []
    for name, body in _gazetteer().items():
        out.append({"province": name, "short": _alias(body, name)})
    return tuple(out)


@cache
def places() -> tuple[Place, ...]:
    """Every prefecture-level city with its province (municipalities as their own province)."""
    out = []
    for province, body in _gazetteer().items():
        p_short = _alias(body, province)
        for city, cbody in body.items():
            if city.startswith("_") or not isinstance(cbody, dict) or not city.endswith(("市", "州", "盟", "地区")):
                continue  # grouping rows of the gazetteer (省直辖行政区划, 市辖区) are not places
            c_short = _alias(cbody, city)
            out.append(Place(province, p_short, city, c_short))
    return tuple(out)


def _alias(body: dict, full: str) -> str:
    """The gazetteer's short name of a place (a string or a list of them), else the name less its suffix."""
    alias = body.get("_alias")
    if isinstance(alias, list):
        alias = alias[0] if alias else None
    return alias or _shorts(full)[-1]


def _shorts(full: str) -> list[str]:
    """A place's written forms, longest first (合肥市, 合肥)."""
    short = re.sub(r"(市|省|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$", "", full)
    return sorted({full, short} - {""}, key=len, reverse=True)


def relocate(text: str, src: Source, dst: Place, year_shift: int, number: int) -> str:
    """The text moved to another place and time: place names, 文号 and years replaced."""
    if src.city:  # a municipality (北京市) is its own city and province: it becomes the new city
        for old, new in zip(_shorts(src.city), (dst.city, dst.city_short), strict=False):
            text = text.replace(old, new)
    if src.province and src.province != src.city:
        for old, new in zip(_shorts(src.province), (dst.province, dst.province_short), strict=False):
            text = text.replace(old, new)

    def doc_no(m: re.Match) -> str:
        year = int(m.group(3)) + year_shift
        return f"{dst.city_short[:2]}{m.group(1)[-2:]}{m.group(2)}{year}{m.group(4)}{number}号"

    text = _DOC_NO.sub(doc_no, text)
    return _YEAR.sub(lambda m: str(int(m.group(1)) + year_shift), text)


def copy(index: int, seed: int = 0) -> Copy | None:
    """Copy `index` of the library for `seed` (None for a national document past its first copy)."""
    srcs = sources()
    src = srcs[index % len(srcs)]
    if src.level == "national" and index >= len(srcs):
        return None
    rng = random.Random(f"policykg-replicate:{seed}:{index}")
    # each source visits every place once before any place twice (step coprime with the count)
    round_, offset = divmod(index, len(srcs))
    all_places = places()
    step = next(k for k in (7, 11, 13, 17, 19) if len(all_places) % k)
    place = all_places[(round_ * step + offset * 31 + seed) % len(all_places)]
    year_shift = rng.randint(-3, 2) if index >= len(srcs) else 0
    text = src.path.read_text(encoding="utf-8", errors="replace")
    if index >= len(srcs):
        text = relocate(text, src, place, year_shift, number=1 + index // len(srcs))
    return Copy(index, f"r{index:05d}_{src.path.stem}.txt", text, src.path.name, place)


def copies(n: int, seed: int = 0) -> Iterator[Copy]:
    """n documents: copies 0, 1, 2, ... skipping repeated national documents."""
    i = made = 0
    while made < n:
        c = copy(i, seed)
        i += 1
        if c is not None:
            made += 1
            yield c


def replicate(n: int, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write n documents into out_dir (created if needed); return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for c in copies(n, seed):
        path = out_dir / c.filename
        path.write_text(c.text, encoding="utf-8")
        paths.append(path)
    return paths


def questions(docs: list[Copy], k: int, seed: int = 0) -> list[str]:
    """k questions a user of such a library asks: about a document's duties, support and targets, in the
    place the copy was moved to (deterministic)."""
    rng = random.Random(f"policykg-replicate-questions:{seed}")
    shapes = ("{city}的{topic}政策由哪些部门负责？", "{city}对企业{topic}有什么支持？",
              "{city}{topic}的目标是多少？", "{city}{topic}方面有哪些补贴？", "{city}关于{topic}的文件什么时候施行？")
    topics = ("数据", "人才", "住房", "开源", "工业互联网", "人工智能", "税收", "创新", "政务", "产业")
    out = []
    for _ in range(k):
        c = rng.choice(docs)
        out.append(rng.choice(shapes).format(city=c.place.city_short, topic=rng.choice(topics)))
    return out
