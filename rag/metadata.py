"""A document's metadata lines as its files write them (front matter, then a `.meta.yaml` sidecar).

Issuers and dates of a web page saved as text often live only in its front matter ("发布机构: …",
"生成日期: …") or in a sidecar file, not in the body. An answer that states them cites these lines
(section 文件信息) so the reader can check every date and issuer shown. Which key means which field
is decided by the corpus's own key table (corpus.meta.meta_from_mapping), never listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import yaml

from corpus.meta import SIDECAR_SUFFIX, meta_from_mapping
from corpus.model import DocumentMeta
from genre import Genre, frontmatter

SECTION = "文件信息"
_KEY_LINE = re.compile(r"^([^\s#:][^:#]*?)\s*:\s*(.*)$")
_ITEM_LINE = re.compile(r"^\s+-\s*(.+)$")
_FIELDS = [f.name for f in fields(DocumentMeta) if f.name != "extra"]


@dataclass
class MetaLine:
    """One metadata entry: the field it fills, its value, and the line as shown in the file."""

    field: str  # a DocumentMeta field: issuers, issued, published, effective, expiry, doc_no, ...
    value: str
    line: str  # "发布机构: 南京市工业和信息化局"


def metadata_lines(path: str | None, *, genre: Genre) -> dict[str, MetaLine]:
    """Field -> line, the sidecar overriding the front matter (as the loader merges them)."""
    if not path:
        return {}
    p = Path(path)
    try:
        stamp = p.stat().st_mtime_ns
    except OSError:
        return {}
    return dict(_cached_lines(str(p), stamp, genre=genre))


@lru_cache(maxsize=256)
def _cached_lines(path: str, stamp: int, *, genre: Genre) -> tuple[tuple[str, MetaLine], ...]:
    p = Path(path)
    out: dict[str, MetaLine] = {}
    if p.suffix.lower() in (".md", ".txt"):
        block, _ = frontmatter.split(_read(p)[:20000])
        if block:
            out.update(parse_lines(block, genre=genre))
    for sidecar in (p.with_name(p.stem + SIDECAR_SUFFIX), p.with_name(p.name + SIDECAR_SUFFIX)):
        if sidecar.is_file():
            for name, line in parse_lines(_read(sidecar), genre=genre).items():
                if name not in out or out[name].value != line.value:  # same value: show the document's line
                    out[name] = line
            break
    return tuple(out.items())


def _read(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def parse_lines(text: str, *, genre: Genre) -> dict[str, MetaLine]:
    """Top-level `key: value` lines of a YAML mapping (a list under a key joined with 、), comments cut."""
    out: dict[str, MetaLine] = {}
    entries: list[tuple[str, str, list[str]]] = []
    for raw in text.splitlines():
        line = _strip_comment(raw)
        if not line.strip():
            continue
        item = _ITEM_LINE.match(line)
        if item and entries:
            entries[-1][2].append(_unquote(item.group(1)))
            continue
        key = _KEY_LINE.match(line)
        if key and not raw[:1].isspace():
            entries.append((key.group(1).strip(), key.group(2).strip(), []))
    for key, value, items in entries:
        shown = "、".join(items) if items else _flow_list(value)
        field = _field_of(key, shown, genre=genre)
        if field and shown:
            out[field] = MetaLine(field=field, value=_value_of(field, key, shown, genre=genre), line=f"{key}: {shown}")
    return out


def _strip_comment(line: str) -> str:
    """A YAML comment starts at # after whitespace, outside quotes (URLs with # are rare in metadata)."""
    quote = ""
    for i, ch in enumerate(line):
        if ch in "\"'" and not quote:
            quote = ch
        elif ch == quote:
            quote = ""
        elif ch == "#" and not quote and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def _unquote(value: str) -> str:
    value = value.strip()
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


def _flow_list(value: str) -> str:
    """"[a, b]" -> "a、b"; any other value unquoted."""
    value = _unquote(value)
    if value.startswith("[") and value.endswith("]"):
        return "、".join(_unquote(v) for v in value[1:-1].split(",") if v.strip())
    return value


def _field_of(key: str, value: str, *, genre: Genre) -> str | None:
    try:
        meta = meta_from_mapping({key: value}, genre=genre)
    except (ValueError, TypeError, yaml.YAMLError):
        return None
    return next((f for f in _FIELDS if getattr(meta, f) not in (None, "", [])), None)


def _value_of(field: str, key: str, shown: str, *, genre: Genre) -> str:
    """The value as the loader reads it (dates normalised to ISO), for sorting and stating."""
    value = getattr(meta_from_mapping({key: shown}, genre=genre), field)
    return "、".join(value) if isinstance(value, list) else str(value)
