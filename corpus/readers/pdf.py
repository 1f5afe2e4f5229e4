"""PDF text layers read from character positions (pdfplumber), with the page furniture taken off.

pypdf returns a content stream's drawing order, which for many government PDFs is not the reading order
and keeps characters drawn twice (fake bold: `国国务务院院`). Here each page is read from the positions of
its characters:
- characters drawn twice at the same place are kept once (`dedupe_chars`);
- two-column pages are read column by column, with full-width lines (titles) between the bands;
- ruled tables become pipe rows, and their cells are taken out of the running text; a table cut by a
  page break is made one again (`continue_tables`): a page opening with a table as wide on the page as
  the one that closed the page before continues it, also when its grid has another number of columns
  (merged cells) or is a single row (a long cell filling the whole page);
- a line that runs to the right edge of its column and is followed by a line starting at the left edge
  (no paragraph indent, no numbering marker) is joined to it: the geometry says the paragraph goes on;
- lines repeated at the top or bottom of most pages (running heads, footers, page numbers, a scanner
  app's watermark) are dropped.
Pages that keep almost no text after that are images: they go to OCR (corpus.readers.ocr).
"""

from __future__ import annotations

import io
import itertools
import logging
import re
from collections import Counter
from dataclasses import dataclass

from corpus.model import LoadError
from corpus.readers import OCR_LABEL, ProgressFn, Reading, table_lines
from genre import Genre

MIN_PAGE_CHARS = 12  # fewer CJK/alphanumeric characters than this on a page: an image page (scan)
_WORDY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_DIGITS = re.compile(r"\d+")
_ROMAN = re.compile(r"[IVXLCivxlc]{1,6}")
_PAGE_NO = re.compile(r"[-—–－·•\s]*(第\s*)?\d{1,4}(\s*页)?([\s/／]*(共\s*)?\d{1,4}\s*页?)?[-—–－·•\s]*")
_TERMINATORS = "。！？；：!?;:"
_JOINABLE_END = re.compile(r"[\u4e00-\u9fff\w，、,（(“\"《]$")


@dataclass
class Line:
    """One visual line: its text and position on the page (PDF points, top-down)."""

    text: str
    x0: float
    x1: float
    top: float
    size: float  # character height, the unit of indents and margins
    rows: list[list[str]] | None = None  # a table: its rows (the text is then rendered from them)
    block: int = 0  # lines of one column band share a block; only they can be joined
    # a ruled fragment too small to be a table on its own (one row: the rest of a cell cut by a page
    # break): its lines as running text, used when it continues no table of the page before
    fallback: list[Line] | None = None


def read_pdf(data: bytes, path: str, progress: ProgressFn | None = None, *, genre: Genre) -> Reading:
    """Text of a PDF, OCR for pages without a text layer; LoadError for damaged or encrypted files."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    if b"%PDF-" not in data[:1024]:  # the header may follow a little junk
        raise LoadError(f"{path}: not a PDF (no %PDF- header)")
    for name in ("pdfminer", "pdfplumber", "pypdfium2"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            total = len(pdf.pages)
            pages = []
            for i, page in enumerate(pdf.pages):
                pages.append(page_lines(page))
                page.close()  # pdfplumber caches every page's objects otherwise: 300-page files grow large
                if progress and (i % 10 == 9 or i == total - 1):
                    progress("pdf", i + 1, total)
    except LoadError:
        raise
    except PDFPasswordIncorrect as exc:
        raise LoadError(f"{path}: encrypted PDF (password required)") from exc
    except Exception as exc:  # pdfminer raises many types for damaged files; all mean the same to a user
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise LoadError(f"{path}: encrypted PDF (password required)") from exc
        raise LoadError(f"{path}: corrupt or truncated PDF ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise LoadError(f"{path}: corrupt or truncated PDF (no pages)")
    raw_pages = pages
    pages = drop_furniture(pages)
    # image pages are told before tables are continued: a page whose table went on from the page
    # before is left without lines of its own, and it is no scan
    empty = [i for i, lines in enumerate(pages) if _wordy(lines) < MIN_PAGE_CHARS]
    pages = [join_wrapped(lines, genre=genre) for lines in continue_tables(pages)]
    reading = Reading(text="", encoding="pdf")
    if empty:
        from corpus.readers.ocr import ocr_pages

        overlay = {_key(x.text) for i in empty for x in raw_pages[i]}  # a watermark is drawn on the image too
        recognised = ocr_pages(data, path, empty, total, progress, genre=genre, drop=lambda t: _key(t) in overlay)
        for i, text in recognised.items():
            pages[i] = [Line(t, 0, 0, 0, 0) for t in text.split("\n") if not t.strip() or _key(t) not in overlay]
        reading.encoding = "pdf+ocr" if len(empty) < total else "ocr"
        reading.text_source = OCR_LABEL
        reading.warnings.append(f"{path}: {len(empty)} of {total} page(s) have no text layer; "
                                f"their text was recognised by OCR (Tesseract chi_sim) and may contain errors")
    reading.text = "\n\n".join(_render(lines) for lines in pages).strip()
    if not _WORDY.search(reading.text):
        raise LoadError(f"{path}: PDF has no text layer and OCR recognised no text ({total} page(s))")
    return reading


def _render(lines: list[Line]) -> str:
    out: list[str] = []
    for x in lines:
        out += ["", *table_lines(x.rows), ""] if x.rows is not None else [x.text]
    return "\n".join(out).strip()


def continue_tables(pages: list[list[Line]]) -> list[list[Line]]:
    """A table cut by a page break made whole again.

    A page that opens with a table continues the table that closed the pages before it when both span
    the same width of the page (or have as many columns): policy cards and indicator tables are drawn
    with the same frame on every page, while the grid found on each page may differ (a header row with
    merged cells has fewer columns, a page holding only the rest of one long cell is a single row). A
    first row whose first cell is empty is the rest of the row the break cut, its cells joined to that
    row's. A fragment (too few filled rows to be a table alone) that continues nothing is read as the
    running text it holds, unless a table of its page (or the one it runs on from) already holds that
    text: a policy card drawing boxes around the numbered points of a cell (服务流程: 1．形式审查…) has
    them found again as fragments inside its frame, which would repeat each point after the card.
    """
    last: Line | None = None  # the table that closed the pages so far
    for page in pages:
        held = _bigrams(" ".join(c for x in [*page, *([last] if last else [])] if x.rows and x.fallback is None
                                 for r in x.rows for c in r))
        if last is not None and page and page[0].rows and _continues(last, page[0]):
            head, tail = last.rows or [], page.pop(0).rows or []
            if head and tail and not tail[0][0].strip():
                cut = tail.pop(0)
                head[-1] = [_join_cell(a, b) for a, b in itertools.zip_longest(head[-1], cut, fillvalue="")]
            head.extend(tail)
        for k in range(len(page) - 1, -1, -1):  # fragments that continue nothing are running text
            if page[k].fallback is not None:
                page[k:k + 1] = [] if _repeats(page[k].rows or [], held) else page[k].fallback
        if page:
            last = page[-1] if page[-1].rows else None
    return pages


_NOT_WORD = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]+")


def _bigrams(text: str) -> set[str]:
    key = _NOT_WORD.sub("", text)
    return {key[i:i + 2] for i in range(len(key) - 1)}


def _repeats(rows: list[list[str]], held: set[str]) -> bool:
    """A fragment whose text a table already holds: nine in ten of its character pairs are in the table
    (extraction drops a character here and there, so the match is not exact)."""
    own = _bigrams(" ".join(c for r in rows for c in r))
    return len(own) >= 8 and len(own & held) >= 0.9 * len(own)


def _continues(last: Line, first: Line) -> bool:
    """The table opening a page is the one that closed the page before: the same frame on the page (left
    and right edges within a character or two) or the same number of columns."""
    tolerance = 6.0  # points: about half a character of body text
    same_frame = abs(last.x0 - first.x0) <= tolerance and abs(last.x1 - first.x1) <= tolerance
    return same_frame or _width(first.rows or []) == _width(last.rows or [])


def _join_cell(a: str | None, b: str | None) -> str:
    """The two halves of a cell cut by a page break: Chinese text runs on without a space."""
    a, b = a or "", b or ""
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b


def _width(rows: list[list[str]]) -> int:
    return max(map(len, rows), default=0)


def _wordy(lines: list[Line]) -> int:
    return sum(len(_WORDY.findall(x.text if x.rows is None else str(x.rows))) for x in lines)


def page_lines(page) -> list[Line]:
    """The page's lines in reading order: tables as pipe rows, columns one after the other."""
    page = page.dedupe_chars(tolerance=1)
    if not page.chars:
        return []
    tables, fragments = _tables(page)
    boxes = [t.bbox for t, _ in tables + fragments]
    whole = page
    if boxes:
        page = page.filter(lambda obj: not _inside(obj, boxes))
    lines = _text_lines(page)
    if tables or fragments:
        for t, rows in tables:
            lines.append(Line("", t.bbox[0], t.bbox[2], t.bbox[1], 0, rows=rows))
        for t, rows in fragments:
            inner = _lines(whole.within_bbox(t.bbox, strict=False), -1)
            lines.append(Line("", t.bbox[0], t.bbox[2], t.bbox[1], 0, rows=rows, fallback=inner))
        lines.sort(key=lambda x: x.top)
        for k, line in enumerate(lines):
            line.block = k  # text around tables is not joined across them
            for x in line.fallback or []:
                x.block = k
    return lines


def _tables(page) -> tuple[list, list]:
    """Ruled tables with at least two rows and two columns (a box around a paragraph is not a table),
    and fragments: ruled cells in two or more columns too few to be a table on their own, which may be
    the rest of a table the page before began (each with its rows, cells as strings)."""
    if len(page.lines) + len(page.rects) < 4:  # no ruling: no table to find, and finding costs time
        return [], []
    tables, fragments = [], []
    for t in page.find_tables():
        rows = [[c or "" for c in r] for r in t.extract()]
        if _is_grid(rows):
            tables.append((t, rows))
        elif max(map(len, rows), default=0) >= 2 and any(c.strip() for r in rows for c in r):
            fragments.append((t, rows))
    return tables, fragments


def _is_grid(rows: list[list[str | None]]) -> bool:
    """At least two rows with two filled cells: a frame drawn around the page or a paragraph is no table."""
    return sum(1 for r in rows if sum(1 for c in r if c and c.strip()) >= 2) >= 2


def _inside(obj, boxes) -> bool:
    if obj.get("object_type") != "char":
        return True
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _text_lines(page) -> list[Line]:
    """Lines of running text; a two-column page is read left column, then right, band by band."""
    if not _blank_strip(page.chars, float(page.width)):
        return _lines(page)  # text crosses every x of the middle: one column (most pages; skips a pass)
    words = page.extract_words(keep_blank_chars=True, x_tolerance=3)
    gutter = find_gutter(words, float(page.width))
    if gutter is None:
        return _lines(page)
    out: list[Line] = []
    spans = sorted(w for w in words if w["x0"] < gutter < w["x1"])
    top = float(page.bbox[1])
    bands = [(float(w["top"]), float(w["bottom"])) for w in sorted(spans, key=lambda w: w["top"])]
    block = 0
    for b_top, b_bottom in [*bands, (float(page.bbox[3]), float(page.bbox[3]))]:
        if b_top > top + 1:
            for x0, x1 in ((page.bbox[0], gutter), (gutter, page.bbox[2])):
                block += 1
                out += _lines(page.within_bbox((x0, top, x1, b_top), strict=False), block)
        if b_bottom > b_top:
            block += 1
            out += _lines(page.within_bbox((page.bbox[0], b_top - 0.5, page.bbox[2], b_bottom + 0.5), strict=False),
                          block)
        top = max(top, b_bottom + 0.5)
    return out


def _lines(page, block: int = 0) -> list[Line]:
    out = []
    for d in page.extract_text_lines(strip=True, return_chars=True, x_tolerance=3, y_tolerance=3):
        text = close_spacing(d["text"].strip())
        if text:
            sizes = sorted(c["size"] for c in d["chars"])
            out.append(Line(text, float(d["x0"]), float(d["x1"]), float(d["top"]), float(sizes[len(sizes) // 2]),
                            block=block))
    return out


_HAN = re.compile(r"[\u4e00-\u9fff]")


def _same_class(a: str, b: str) -> bool:
    """Both Chinese characters or both digits (`2025 年` is a number and a word, not a spaced run)."""
    return bool(_HAN.match(a) and _HAN.match(b)) or (a.isdigit() and b.isdigit())



def close_spacing(text: str) -> str:
    """Letter-spaced runs closed up (`国 务 院`, `5 0 0` from wide character spacing); the spaces a text
    has around numbers (`2025 年`) are its own and stay.

    A space goes when it stands between two Chinese characters or digits and one of them is a token
    of its own (a single spaced character); spaces between words of several characters stay."""
    out = []
    n = len(text)
    for i, ch in enumerate(text):
        if (ch == " " and 0 < i < n - 1 and _same_class(text[i - 1], text[i + 1])
                and (i < 2 or text[i - 2] == " " or i + 2 >= n or text[i + 2] == " ")):
            continue
        out.append(ch)
    return "".join(out)


def _blank_strip(chars: list[dict], width: float) -> bool:
    """Whether some x in the middle of the page is crossed by almost no character (a column gap)."""
    import numpy as np

    if len(chars) < 40:
        return False
    x0 = np.fromiter((c["x0"] for c in chars), float, len(chars)) - 1  # widened: the boundary between two
    x1 = np.fromiter((c["x1"] for c in chars), float, len(chars)) + 1  # touching characters is no gap
    xs = np.arange(width * 0.3, width * 0.7, 2.0)
    crossing = ((x0[None, :] < xs[:, None]) & (x1[None, :] > xs[:, None])).sum(axis=1)
    return bool(crossing.min() <= 0.01 * len(chars))


def find_gutter(words: list[dict], width: float) -> float | None:
    """The x of a blank vertical strip in the middle of the page with text on both sides, or None.

    Both columns must hold several lines of their own, and only a few (full-width titles) may cross.
    """
    words = [w for w in words if w["text"].strip()]
    if len(words) < 12:
        return None
    best: tuple[int, float] | None = None
    x = width * 0.3
    while x <= width * 0.7:
        crossing = sum(1 for w in words if w["x0"] < x < w["x1"])
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += 2
    assert best is not None
    crossing, gx = best
    left = {round(w["top"]) for w in words if w["x1"] <= gx}
    right = {round(w["top"]) for w in words if w["x0"] >= gx}
    if crossing > 0.15 * len(words) or len(left) < 6 or len(right) < 6:
        return None
    both = len(left & right) + len({t for t in left if any(abs(t - r) <= 3 for r in right)})
    return gx if both >= 0.5 * min(len(left), len(right)) else None  # side by side, not a label column


def join_wrapped(lines: list[Line], *, genre: Genre) -> list[Line]:
    """Join a line to the next when it runs to the right margin and the next starts at the left margin.

    Chinese paragraphs open with an indent and headings carry a marker, so a full line followed by a
    flush-left line that is neither is the same paragraph, wrapped. Sentence ends stay for the repair
    step. Margins are those of each block (a column band); tables and OCR lines are left alone.
    """
    from corpus.grammar import grammar

    g = grammar(genre)
    blocks: dict[int, list[Line]] = {}
    for x in lines:
        if x.rows is None and x.size:
            blocks.setdefault(x.block, []).append(x)
    margins = {b: (min(x.x0 for x in xs), max(x.x1 for x in xs)) for b, xs in blocks.items() if len(xs) >= 3}
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and prev.rows is None and line.rows is None and prev.block == line.block \
                and line.block in margins and prev.size:
            left, right = margins[line.block]
            size = prev.size
            full = prev.x1 >= right - 1.5 * size
            flush = line.x0 <= left + 0.5 * size
            close = 0 <= line.top - prev.top <= 2.2 * size
            if full and flush and close and _JOINABLE_END.search(prev.text) and not g.match_marker(line.text):
                out[-1] = Line(prev.text + line.text, prev.x0, line.x1, line.top, prev.size, block=prev.block)
                continue
        out.append(line)
    return out


def _key(text: str) -> str:
    """A line with its digits masked: 'page 3 of 35' and 'page 4 of 35' are the same running footer."""
    return _DIGITS.sub("#", re.sub(r"\s+", "", text))


def drop_furniture(pages: list[list[Line]]) -> list[list[Line]]:
    """Running heads and footers, page numbers and repeated watermark lines removed from every page.

    A line is furniture when it is among the first or last two lines of its page and the same line
    (digits masked) is there on at least 40% of the pages (and three of them); page-number shapes
    (`- 3 -`, `第 3 页`, `3 / 35`, roman `IV`) at a page edge go whatever their count.
    """
    edge = Counter()
    for lines in pages:
        edge.update({_key(x.text) for x in lines[:2] + lines[-2:] if x.rows is None})
    repeated = {k for k, n in edge.items() if n >= max(3, 0.4 * len(pages))} if len(pages) >= 3 else set()
    out = []
    for lines in pages:
        n = len(lines)
        kept = []
        for i, x in enumerate(lines):
            at_edge = i < 2 or i >= n - 2
            if at_edge and x.rows is None and (_key(x.text) in repeated or _PAGE_NO.fullmatch(x.text) or
                            (i >= n - 1 and _ROMAN.fullmatch(x.text.strip()))):
                continue
            kept.append(x)
        out.append(kept)
    return out
