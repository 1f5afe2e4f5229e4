"""One reader per file format, each turning a file's bytes into plain text the grammar can parse.

Every reader returns a Reading: the text (one paragraph or table row per line, blank lines between
blocks), a label for the encoding or extractor, warnings a user should see (replaced bytes, pages
recognised by OCR), and where the text came from (`text_source`, set to 「OCR识别」 when any page was
recognised from an image). Readers raise LoadError naming the file and the cause; none of them writes
files outside the process's temporary area.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

ProgressFn = Callable[[str, int, int], None]  # (stage, done, total), the ingest progress signature
OCR_LABEL = "OCR识别"


@dataclass
class Reading:
    """A file's text as one reader extracted it."""

    text: str
    encoding: str  # charset for text formats; the extractor for the others ("docx", "pdf", "pdf+ocr" ...)
    warnings: list[str] = field(default_factory=list)
    text_source: str | None = None  # OCR_LABEL when the text (or part of it) was recognised from images


_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")


def flatten_cell(text: str) -> str:
    """A cell's lines as one: wrapped Chinese joined without a space, other words with one; no pipes."""
    return " ".join(_CJK_GAP.sub("", text.strip()).split()).replace("|", "｜")


def table_lines(rows: list[list[str]]) -> list[str]:
    """A table as pipe rows with a separator under the header row, so the rows stay one block.

    Cells are flattened to one line each: a table row is a unit of meaning, and a newline inside a cell
    would let the paragraph joiner glue half a row to the next paragraph.
    """
    rows = [[flatten_cell(c) for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    out = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
    out += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return out
