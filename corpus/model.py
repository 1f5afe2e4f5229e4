"""Data that leaves the corpus room: a loaded document and its parsed tree.

Offsets (`start`, `end`) always index the *cleaned* text (`Policy.text`); `LoadedText.offset_map`
maps them back to the decoded original when a caller needs the published form.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from corpus.aliases import Alias
from corpus.jurisdiction import Jurisdiction


@dataclass
class DocumentMeta:
    """What is known about a document beyond its body: from front matter, a sidecar, or the header."""

    title: str = ""
    doc_no: str | None = None  # 文号, e.g. 沪府办〔2025〕33号
    issuers: list[str] = field(default_factory=list)  # issuing bodies as written
    city: str | None = None  # 上海 / 南京 / 重庆 ... (short form, no 市)
    issued: str | None = None  # ISO date the document was signed/issued
    published: str | None = None  # ISO date it was published, where different
    effective: str | None = None  # ISO date it takes effect (施行)
    expiry: str | None = None  # ISO date its validity ends (有效期至)
    period: str | None = None  # plan period, e.g. "2023-2025"
    source_url: str | None = None
    index_no: str | None = None  # 索引号
    text_source: str | None = None  # how the text was obtained when not from a text layer: "OCR识别"
    status: str | None = None  # 现行有效 / 已失效 / 尚未施行, against the day it was parsed (see corpus.docmeta)
    jurisdiction: Jurisdiction | None = None  # national / province / city / district / zone, with parents
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def display_title(self) -> str:
        """The title to show: never empty (the parser derives one when the text prints none)."""
        return self.title or self.extra.get("file_title") or "未命名文件"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class LoadedText:
    """A file decoded and repaired, before structure is parsed."""

    path: str
    raw: str  # decoded text as published (front matter removed)
    text: str  # cleaned text: the coordinate system of every offset downstream
    offset_map: list[int]  # offset_map[i] = index in `raw` of cleaned character i
    encoding: str
    sha256: str  # of the file's bytes: identity for idempotent ingest
    meta: DocumentMeta
    warnings: list[str] = field(default_factory=list)  # read, but with damage a user should know of


@dataclass
class Measure:
    """One numbered (or run-in titled) provision: the unit of citation and of retrieval."""

    id: str  # stable: same input, same id
    number: str  # as written: "（十二）", "15.", "第三条"; "" for an unnumbered paragraph
    title: str  # short run-in title: 防范开源供应链风险
    text: str  # full text, including any trailing 责任单位 block
    start: int
    end: int
    section_id: str
    level: int = 2
    kind: str = "measure"  # measure | goal | safeguard | intro | preamble | closing | paragraph
    responsibility: str | None = None  # the 责任单位 block's content, repaired, without the label
    responsibility_label: str | None = None  # 责任单位 / 牵头单位 / 责任部门 ...
    responsibility_span: tuple[int, int] | None = None  # offsets of the block content


@dataclass
class Section:
    id: str
    number: str  # "一、", "（一）", "第一章" ...
    title: str
    start: int
    end: int
    level: int = 1
    kind: str = "section"  # section | goals | safeguards | general | preamble | closing | appendix
    parent_id: str | None = None
    sections: list[Section] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)


@dataclass
class Policy:
    id: str  # stable, derived from 文号 or title
    meta: DocumentMeta
    text: str  # cleaned text
    sections: list[Section]
    path: str = ""
    sha256: str = ""
    preamble: str = ""  # text before the first numbered section (after the header)
    warnings: list[str] = field(default_factory=list)  # from reading the file: replaced bytes, OCR pages
    aliases: list[Alias] = field(default_factory=list)  # short names it defines: （以下简称管委会）
    read_ms: float = 0.0  # time to read and parse the file (OCR and 300-page PDFs take seconds to minutes)

    def all_sections(self) -> list[Section]:
        """Every section, depth first, in document order."""
        out: list[Section] = []
        stack = list(reversed(self.sections))
        while stack:
            s = stack.pop()
            out.append(s)
            stack.extend(reversed(s.sections))
        return out

    def measures(self) -> list[Measure]:
        """Every measure in document order."""
        ms = [m for s in self.all_sections() for m in s.measures]
        return sorted(ms, key=lambda m: m.start)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.all_sections() if s.id == section_id), None)


@dataclass
class Skipped:
    """A file that could not be read, and why (the message a user sees)."""

    path: str
    reason: str


class LoadError(Exception):
    """A file cannot be turned into text; the message names the file and the cause."""
