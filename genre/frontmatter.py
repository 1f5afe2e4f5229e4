"""One front-matter reader: the YAML block at the top of a document, read safely.

A policy saved from a portal often carries its metadata as YAML front matter (`---` lines around
`标题: …`, `文号: …`), and a `<name>.meta.yaml` sidecar may add more. Both are user input that lands
in the graph and the state file, so the reader refuses anchors and aliases (nested aliases expand a few
hundred bytes into gigabytes, the "billion laughs"), blocks larger than MAX_BLOCK_CHARS and values
longer than MAX_FIELD_CHARS. The loader (corpus) and the answer's metadata lines (rag) both use it.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

MAX_BLOCK_CHARS = 16_000  # a front matter or sidecar larger than this is not metadata
MAX_FIELD_CHARS = 1_000  # longest value of one field (titles run to ~100 characters)
#: the block: a `---` line, YAML (possibly empty), a `---` line; a BOM before it is allowed
BLOCK = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?\r?\n)?---[ \t]*(?:\r?\n|\Z)", re.S)


class FrontMatterError(ValueError):
    """The metadata block cannot be used; the message names the source and the reason."""


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases: metadata never needs them."""

    def compose_node(self, parent, index):  # type: ignore[override]
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.constructor.ConstructorError(
                None, None, "anchors and aliases are not allowed in metadata", event.start_mark
            )
        return super().compose_node(parent, index)


def split(text: str) -> tuple[str | None, str]:
    """(the YAML text of the front matter, or None when there is none; the body after it)."""
    m = BLOCK.match(text)
    if not m:
        return None, text
    return m.group(1) or "", text[m.end():]


def load_block(text: str, source: str) -> dict:
    """A front matter or sidecar block as a mapping; FrontMatterError (naming `source`) when it uses
    anchors or aliases, is larger than MAX_BLOCK_CHARS, is not a mapping, or has a value longer than
    MAX_FIELD_CHARS."""
    if len(text) > MAX_BLOCK_CHARS:
        raise FrontMatterError(f"{source}: front matter too large ({len(text)} characters, limit {MAX_BLOCK_CHARS})")
    try:
        data = yaml.load(text, Loader=_NoAliasLoader) or {}
    except yaml.YAMLError as exc:
        reason = "anchors and aliases are not allowed" if "alias" in str(exc) else exc.__class__.__name__
        raise FrontMatterError(f"{source}: malformed YAML front matter ({reason})") from exc
    if not isinstance(data, dict):
        raise FrontMatterError(f"{source}: malformed YAML front matter (not a mapping)")
    for key, value in data.items():
        size = len(str(key)) + len(as_text(value))
        if size > MAX_FIELD_CHARS:
            raise FrontMatterError(
                f"{source}: front matter field {str(key)[:40]!r} too long ({size} characters, "
                f"limit {MAX_FIELD_CHARS})"
            )
    return data


def as_text(value) -> str:
    """A metadata value as text (YAML dates as ISO)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
