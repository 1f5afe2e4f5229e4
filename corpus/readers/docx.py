"""Word .docx files through python-docx: paragraphs and tables in body order, Word's automatic
numbering written out, bold run-in headings marked as the grammar reads them (`**加强组织领导。**…`).

Word keeps a list's numbers out of the text: a paragraph says only "numbering 3, level 0" and
numbering.xml says level 0 of list 3 is `%1、` in chineseCounting. Without writing them out, a
document numbered by Word reaches the parser with no 一、/（一） at all.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from corpus.model import LoadError
from corpus.readers import Reading, table_lines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CHINESE_FORMATS = {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified",
                    "ideographTraditional", "taiwaneseCounting", "taiwaneseCountingThousand"}


def read_docx(data: bytes, path: str) -> Reading:
    """The document's text: one paragraph per line, tables as pipe rows, blank lines around tables."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise LoadError(f"{path}: not a readable Word .docx file ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # a damaged zip or XML raises zipfile/lxml errors
        raise LoadError(f"{path}: not a readable Word .docx file, corrupt ({type(exc).__name__}: {exc})") from exc
    numbering = Numbering.of(document)
    lines: list[str] = []
    for kind, item in _body_items(document):
        if kind == "p":
            text = paragraph_text(item, numbering)
            if text:
                lines.append(text)
        else:
            lines += ["", *table_lines(table_rows(item)), ""]
    text = "\n".join(lines).strip()
    if not text:
        raise LoadError(f"{path}: empty .docx file (no text in its paragraphs or tables)")
    return Reading(text=text, encoding="docx")


def _body_items(document):
    """Paragraphs and tables of the body in document order (python-docx lists them separately)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        if child.tag == f"{_W}p":
            yield "p", Paragraph(child, document)
        elif child.tag == f"{_W}tbl":
            yield "t", Table(child, document)


def table_rows(table) -> list[list[str]]:
    """Cell texts row by row; a merged cell is given once per row, not once per grid column it spans."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append("".join(p.text for p in cell.paragraphs).strip())
        rows.append(cells)
    return rows


def paragraph_text(paragraph, numbering: Numbering) -> str:
    """The paragraph's text with its automatic number in front and a bold run-in heading marked."""
    label = numbering.label(paragraph)
    runs = [(r.text, _is_bold(r, paragraph)) for r in paragraph.runs if r.text]
    text = "".join(t for t, _ in runs)
    if not text.strip():
        return ""
    lead = ""
    for t, bold in runs:
        if not bold:
            break
        lead += t
    rest = text[len(lead):]
    body = text.strip()
    if lead.strip() and rest.strip() and len(lead.strip()) >= 2:
        body = f"**{lead.strip()}**{rest.strip()}"
    return f"{label}{body}" if label and not body.startswith(label.strip()) else body


def _is_bold(run, paragraph) -> bool:
    """Bold set on the run, or inherited from its character or paragraph style."""
    if run.bold is not None:
        return bool(run.bold)
    for style in (run.style, paragraph.style):
        while style is not None:
            if style.font.bold is not None:
                return bool(style.font.bold)
            style = style.base_style
    return False


@dataclass
class Level:
    fmt: str  # decimal, chineseCounting, upperLetter, bullet ...
    text: str  # "%1、", "（%1）", "%1.%2"
    start: int = 1


@dataclass
class Numbering:
    """Word's numbering definitions and the running counters of each list while reading in order."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # numId -> ilvl -> Level
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document) -> Numbering:
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return cls()
        abstract: dict[str, dict[int, Level]] = {}
        for an in root.findall(f"{_W}abstractNum"):
            abstract[an.get(f"{_W}abstractNumId")] = {
                int(lvl.get(f"{_W}ilvl")): Level(fmt=_val(lvl, "numFmt") or "decimal", text=_val(lvl, "lvlText") or "",
                                                 start=int(_val(lvl, "start") or 1))
                for lvl in an.findall(f"{_W}lvl")}
        levels = {}
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                levels[num.get(f"{_W}numId")] = abstract.get(ref.get(f"{_W}val"), {})
        return cls(levels=levels)

    def label(self, paragraph) -> str:
        """The number Word would show in front of this paragraph ("" when it is not in a list)."""
        num_id, ilvl = _num_pr(paragraph)
        if num_id is None or num_id not in self.levels or num_id == "0":
            return ""
        levels = self.levels[num_id]
        counts = self.counters.setdefault(num_id, [lv.start - 1 for _, lv in sorted(levels.items())] or [0])
        while len(counts) <= ilvl:
            counts.append(0)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, len(counts)):  # a new item restarts the levels under it
            counts[deeper] = levels[deeper].start - 1 if deeper in levels else 0
        level = levels.get(ilvl)
        if level is None or level.fmt in ("bullet", "none"):
            return ""
        text = level.text
        for k in range(ilvl + 1):
            fmt = levels[k].fmt if k in levels else "decimal"
            text = text.replace(f"%{k + 1}", format_number(max(counts[k], 1), fmt))
        return text


def _val(el, tag: str) -> str | None:
    child = el.find(f"{_W}{tag}")
    return None if child is None else child.get(f"{_W}val")


def _num_pr(paragraph) -> tuple[str | None, int]:
    """numId and level of a paragraph, set on it or on its style."""
    for holder in (paragraph._p.pPr, _style_ppr(paragraph)):
        if holder is None:
            continue
        num_pr = holder.find(f"{_W}numPr")
        if num_pr is not None:
            num_id = _val(num_pr, "numId")
            ilvl = _val(num_pr, "ilvl")
            return num_id, int(ilvl or 0)
    return None, 0


def _style_ppr(paragraph):
    style = paragraph.style
    while style is not None:
        ppr = style.element.pPr
        if ppr is not None and ppr.find(f"{_W}numPr") is not None:
            return ppr
        style = style.base_style
    return None


def format_number(n: int, fmt: str) -> str:
    """A counter as Word writes it in the given numFmt."""
    if fmt in _CHINESE_FORMATS:
        import cn2an

        return cn2an.an2cn(n, "up" if fmt == "chineseLegalSimplified" else "low")
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if n <= len(_CIRCLED) else str(n)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(n)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out
