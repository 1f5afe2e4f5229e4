"""The numbering grammar and punctuation rules of the genre, compiled from genre/data/grammar.yaml.

Every rule about what a marker, a heading, a page number or a closing provision looks like lives in the
YAML file; this module only compiles it and offers small matching helpers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from genre import DATA_DIR, Genre, derived
from genre.blocks import BlockTable
from genre.dates import DATE_PATTERN, add_years, all_dates, parse_date  # noqa: F401  (re-exported)
from genre.numerals import numeral_value

LEXICONS = DATA_DIR  # kept for callers that read genre files by path; prefer Genre.data

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# A date in Arabic or Chinese numerals, spaces allowed between parts (genre/dates.py parses them).
DATE = DATE_PATTERN


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
    hierarchy: tuple[tuple[str, ...], ...]  # chains of styles, highest first: 一、 > （一） > 1. > （1）
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
    role_block: re.Pattern  # （A牵头，B配合） / （A、B按职责分工负责）: a bracket closed by a role verb
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
    box: re.Pattern
    subdocument_period: re.Pattern

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

    def above(self, higher: str, lower: str) -> bool:
        """Whether style `higher` stands above style `lower` in one chain of the genre's hierarchy (一、 above
        （一）, 第X章 above 第X条); styles of different chains (一、 and 第1条) are not ordered."""
        for chain in self.hierarchy:
            if higher in chain and lower in chain:
                return chain.index(higher) < chain.index(lower)
        return False

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


def _compile_all(patterns: list[str], subst: dict[str, str]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(_fill(p, subst)) for p in patterns)


def _fill(pattern: str, subst: dict[str, str]) -> str:
    for key, value in subst.items():
        pattern = pattern.replace("{" + key + "}", value)
    return pattern


@derived
def grammar(genre: Genre) -> Grammar:
    """The grammar of `genre` (compiled once per genre from its grammar.yaml)."""
    data = genre.data("grammar")
    blocks = genre.blocks
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
        hierarchy=tuple(tuple(chain) for chain in data.get("hierarchy", ())),
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
        role_block=blocks.role_pattern,
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
        box=re.compile(_fill(data["box"], subst)),
        subdocument_period=re.compile(data["subdocument_period"]),
    )
