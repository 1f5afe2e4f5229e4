"""The numbering grammar and punctuation rules of the genre, compiled from genre/data/grammar.yaml.

Every rule about what a marker, a heading, a page number or a closing provision looks like lives in the
YAML file; this module only compiles it and offers small matching helpers.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from genre import DATA_DIR, read_data
from genre.blocks import BlockTable
from genre.blocks import default as default_blocks

LEXICONS = DATA_DIR  # kept for callers that read genre files by path; prefer genre.read_data

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# A date in Arabic or Chinese numerals, spaces allowed between parts: 2025 年 12 月 15 日, 二〇二三年十月二十日.
DATE = r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
_DATE_PARTS = re.compile(
    r"(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)


@dataclass(frozen=True)
class Style:
    """One numbering style: 一、 / （一） / 1. / 第X条 / **bold** ..."""

    name: str
    code: str  # one ASCII letter, used in stable ids
    regex: re.Pattern


@dataclass(frozen=True)
class Marker:
    """A numbering marker found at the start of a paragraph."""

    style: Style
    number: str  # as written (after half/full-width unification)
    value: int | None  # numeric value; None for bold run-in headings
    end: int  # offset just after the marker inside the paragraph


@dataclass(frozen=True)
class SectionKind:
    kind: str
    measure_kind: str
    titles: tuple[str, ...]


@dataclass(frozen=True)
class Grammar:
    styles: tuple[Style, ...]
    subitem_styles: frozenset[str]
    leaf_styles: frozenset[str]
    fullwidth: dict[str, str]
    terminators: str
    prose_marks: str
    open_brackets: str
    close_brackets: str
    page_furniture: tuple[re.Pattern, ...]
    blocks: BlockTable  # the one table of responsibility labels and roles (genre/blocks.py)
    responsibility_labels: tuple[str, ...]
    responsibility: re.Pattern  # （责任单位：…） anywhere
    responsibility_line: re.Pattern  # 责任单位：… as a whole paragraph
    effective: tuple[re.Pattern, ...]
    effective_on_issue: tuple[re.Pattern, ...]
    expiry: tuple[re.Pattern, ...]
    validity_years: tuple[re.Pattern, ...]
    closing_paragraph: tuple[re.Pattern, ...]
    footer: tuple[re.Pattern, ...]
    section_kinds: tuple[SectionKind, ...]
    title_suffixes: tuple[str, ...]
    wrapper_title: re.Pattern
    period_line: re.Pattern
    period_in_title: re.Pattern
    doc_no: re.Pattern
    issuer_line_suffix: re.Pattern
    publicity_note: re.Pattern
    date_line: re.Pattern
    appendix: re.Pattern

    def match_marker(self, line: str) -> Marker | None:
        """The numbering marker at the start of `line`, if any (first style in grammar order wins)."""
        for style in self.styles:
            m = style.regex.match(line)
            if m:
                raw = m.group(1)
                value = None if style.name == "bold" else numeral_value(raw)
                if style.name != "bold" and value is None:
                    continue
                number = m.group(0) if style.name != "bold" else ""
                return Marker(style=style, number=self.unify(number), value=value, end=m.end())
        return None

    def unify(self, marker: str) -> str:
        """Half-width variants of a marker written full width (same length): (一) -> （一）, 1． -> 1."""
        out = marker.translate(_FULLWIDTH_DIGITS)
        return "".join(self.fullwidth.get(ch, ch) for ch in out)

    def is_page_furniture(self, line: str) -> bool:
        return any(p.fullmatch(line) for p in self.page_furniture)

    def is_closing_paragraph(self, text: str) -> bool:
        return any(p.search(text.strip()) for p in self.closing_paragraph)

    def is_footer(self, text: str) -> bool:
        return any(p.search(text.strip()) for p in self.footer)

    def section_kind(self, title: str) -> SectionKind | None:
        """The kind of a section (goals, safeguards, closing ...) named by its title, if any."""
        for sk in self.section_kinds:
            if any(t in title for t in sk.titles):
                return sk
        return None


def numeral_value(s: str) -> int | None:
    """The value of an Arabic or Chinese numeral (一 .. 九百九十九); None if it is not one."""
    s = s.translate(_FULLWIDTH_DIGITS)
    if s.isdecimal():
        return int(s)
    if len(s) == 1 and s not in _CN_DIGITS and s not in _CN_UNITS and unicodedata.numeric(s, 0) >= 1:
        return int(unicodedata.numeric(s))  # circled numbers: ① is 1, ⑳ is 20 (int() refuses them)
    if not s or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in s):
        return None
    if all(ch in _CN_DIGITS for ch in s):  # digit by digit: 二〇二三
        return int("".join(str(_CN_DIGITS[ch]) for ch in s))
    total, current = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        else:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
    return total + current


def parse_date(s: str) -> str | None:
    """ISO date of the first date written in `s` (Arabic or Chinese numerals), or None."""
    m = _DATE_PARTS.search(s)
    if not m:
        return None
    y, mo, d = (numeral_value(g) for g in m.groups())
    try:
        return date(y, mo, d).isoformat() if None not in (y, mo, d) else None
    except ValueError:
        return None


def all_dates(s: str) -> list[str]:
    """ISO dates of every date written in `s`, in order."""
    return [d for d in (parse_date(m.group(0)) for m in _DATE_PARTS.finditer(s)) if d]


def add_years(iso: str, years: int) -> str:
    """The last day of a validity of `years` years starting on `iso`."""
    d = date.fromisoformat(iso)
    try:
        end = d.replace(year=d.year + years)
    except ValueError:  # 29 February
        end = d.replace(year=d.year + years, day=28)
    return (end - timedelta(days=1)).isoformat()


def _compile_all(patterns: list[str], subst: dict[str, str]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(_fill(p, subst)) for p in patterns)


def _fill(pattern: str, subst: dict[str, str]) -> str:
    for key, value in subst.items():
        pattern = pattern.replace("{" + key + "}", value)
    return pattern


@cache
def grammar() -> Grammar:
    """The grammar, loaded once from genre/data/grammar.yaml."""
    data = read_data("grammar")
    blocks = default_blocks()
    subst = {"cn": data["numerals"], "date": DATE, "date2": DATE}
    styles = tuple(
        Style(name=s["name"], code=s["code"], regex=re.compile(_fill(s["pattern"], subst)))
        for s in data["styles"]
    )
    labels = tuple(sorted(blocks.labels, key=len, reverse=True))
    closing = data["closing"]
    return Grammar(
        styles=styles,
        subitem_styles=frozenset(data["subitem_styles"]),
        leaf_styles=frozenset(data["leaf_styles"]),
        fullwidth=dict(data["fullwidth"]),
        terminators=data["terminators"],
        prose_marks=data["prose_marks"],
        open_brackets=data["open_brackets"],
        close_brackets=data["close_brackets"],
        page_furniture=_compile_all(data["page_furniture"], subst),
        blocks=blocks,
        responsibility_labels=labels,
        responsibility=blocks.pattern,
        responsibility_line=re.compile(blocks.line_pattern.pattern),  # one paragraph: no MULTILINE
        effective=_compile_all(closing["effective"], subst),
        effective_on_issue=_compile_all(closing["effective_on_issue"], subst),
        expiry=_compile_all(closing["expiry"], subst),
        validity_years=_compile_all(closing["validity_years"], subst),
        closing_paragraph=_compile_all(closing["paragraph"], subst),
        footer=_compile_all(data["footer"], subst),
        section_kinds=tuple(
            SectionKind(kind=k["kind"], measure_kind=k["measure_kind"], titles=tuple(k["titles"]))
            for k in data["section_kinds"]
        ),
        title_suffixes=tuple(sorted(data["title_suffixes"], key=len, reverse=True)),
        wrapper_title=re.compile(data["wrapper_title"]),
        period_line=re.compile(data["period_line"]),
        period_in_title=re.compile(data["period_in_title"]),
        doc_no=re.compile(data["doc_no"]),
        issuer_line_suffix=re.compile(data["issuer_line_suffix"]),
        publicity_note=re.compile(data["publicity_note"]),
        date_line=re.compile(DATE),
        appendix=re.compile(_fill(data["appendix"], subst)),
    )
