"""Document metadata: front matter and sidecar files mapped onto DocumentMeta, merging, and the city lexicon.

Precedence, lowest first: what the parser reads from the text, then YAML front matter, then the sidecar
`<name>.meta.yaml` next to the file. A later source overrides only the fields it actually sets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from pathlib import Path
from urllib.parse import urlparse

from corpus.grammar import parse_date
from corpus.model import DocumentMeta, LoadError
from genre import Genre, derived, frontmatter

SIDECAR_SUFFIX = ".meta.yaml"
MAX_META_BLOCK_CHARS = frontmatter.MAX_BLOCK_CHARS
MAX_META_FIELD_CHARS = frontmatter.MAX_FIELD_CHARS
_LIST_FIELDS = {"issuers"}
_DATE_FIELDS = {"issued", "published", "effective", "expiry"}


def load_metadata_yaml(text: str, source: str) -> dict:
    """A front matter or sidecar block as a mapping, by the one safe reader (genre/frontmatter.py:
    no anchors or aliases, bounded size); LoadError naming `source` when it cannot be used."""
    try:
        return frontmatter.load_block(text, source)
    except frontmatter.FrontMatterError as exc:
        raise LoadError(str(exc)) from exc


@dataclass(frozen=True)
class City:
    name: str  # short form: 上海
    code: str  # ASCII: sh
    names: tuple[str, ...]
    doc_no_prefixes: tuple[str, ...]
    domains: tuple[str, ...]


@derived
def cities(genre: Genre) -> tuple[City, ...]:
    data = genre.data("cities")
    return tuple(
        City(
            name=name,
            code=v["code"],
            names=tuple(v.get("names", [name])),
            doc_no_prefixes=tuple(v.get("doc_no_prefixes", [])),
            domains=tuple(v.get("domains", [])),
        )
        for name, v in data["cities"].items()
    )


def city_code(name: str | None, *, genre: Genre) -> str | None:
    """ASCII code of a city (sh for 上海), or None when the lexicon does not know it."""
    return next((c.code for c in cities(genre) if c.name == name), None)


def city_from_doc_no(doc_no: str | None, *, genre: Genre) -> str | None:
    """City named by the abbreviation a 文号 starts with (沪 -> 上海); the longest prefix wins."""
    if not doc_no:
        return None
    hits = [(len(p), c.name) for c in cities(genre) for p in c.doc_no_prefixes if doc_no.startswith(p)]
    return max(hits)[1] if hits else None


def city_from_names(*texts: str | None, genre: Genre) -> str | None:
    """City whose full name (上海市, 南京市 ...) or short name starts one of `texts` (titles, issuers)."""
    for text in texts:
        if not text:
            continue
        text = text.removeprefix("中共")
        hits = [(len(n), c.name) for c in cities(genre) for n in c.names if len(n) > 1 and text.startswith(n)]
        if hits:
            return max(hits)[1]
    return None


def city_from_url(url: str | None, *, genre: Genre) -> str | None:
    """City of a government web domain (jjxxw.cq.gov.cn -> 重庆)."""
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower()
    for c in cities(genre):
        if any(host == d or host.endswith("." + d) for d in c.domains):
            return c.name
    return None


def resolve_city(meta: DocumentMeta, *, genre: Genre) -> str | None:
    """The city from the strongest clue available: issuers, 文号 prefix, title, source URL."""
    return (
        meta.city
        or city_from_names(*meta.issuers, genre=genre)
        or city_from_doc_no(meta.doc_no, genre=genre)
        or city_from_names(meta.title, genre=genre)
        or city_from_url(meta.source_url, genre=genre)
    )


def meta_from_mapping(data: dict, *, genre: Genre) -> DocumentMeta:
    """DocumentMeta from a front-matter or sidecar mapping; keys per genre/data/front_matter.yaml."""
    keys = _front_matter_keys(genre)
    meta = DocumentMeta()
    for key, value in (data or {}).items():
        field = keys.get(str(key).strip())
        if value is None or value == "" or value == []:
            continue
        if field is None:
            meta.extra[str(key)] = _as_text(value)
        elif field in _LIST_FIELDS:
            items = value if isinstance(value, list) else str(value).replace("、", "，").split("，")
            meta.issuers = [_as_text(v).strip() for v in items if _as_text(v).strip()]
        elif field in _DATE_FIELDS:
            setattr(meta, field, _as_date(value))
        elif field == "city":
            meta.city = _as_text(value).strip().removesuffix("市")
        else:
            setattr(meta, field, _as_text(value).strip())
    return meta


def read_sidecar(path: Path, *, genre: Genre) -> DocumentMeta | None:
    """Metadata from `<stem>.meta.yaml` (or `<name>.meta.yaml`) beside the file, if there is one."""
    for candidate in (path.with_name(path.stem + SIDECAR_SUFFIX), path.with_name(path.name + SIDECAR_SUFFIX)):
        if candidate.is_file():
            try:
                text = candidate.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                raise LoadError(f"{candidate}: malformed metadata sidecar (not UTF-8)") from exc
            data = load_metadata_yaml(text, str(candidate))
            return meta_from_mapping(data, genre=genre)
    return None


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX)


def merge_meta(base: DocumentMeta, override: DocumentMeta) -> DocumentMeta:
    """`base` with every field `override` sets replaced (extra keys merged)."""
    merged = DocumentMeta(**{f.name: getattr(base, f.name) for f in fields(DocumentMeta)})
    merged.issuers = list(base.issuers)
    merged.extra = {**base.extra, **override.extra}
    for f in fields(DocumentMeta):
        if f.name == "extra":
            continue
        value = getattr(override, f.name)
        if value not in (None, "", []):
            setattr(merged, f.name, list(value) if isinstance(value, list) else value)
    return merged


_as_text = frontmatter.as_text


def _as_date(value) -> str | None:
    """ISO date from a YAML date, an ISO string, or a Chinese date (2023年10月20日)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return parse_date(text) or text


@derived
def _front_matter_keys(genre: Genre) -> dict[str, str]:
    data = genre.data("front_matter")
    return {str(k): v for k, v in data["keys"].items()}
