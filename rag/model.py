"""Data that leaves the rag room: answers, citations, retrieval hits, ingest reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Citation:
    doc_no: str | None  # 文号, or None where the document has none
    title: str  # policy title
    city: str | None
    section: str  # enclosing section, "二、实施开源基础能力筑基工程"
    measure: str  # measure number and title, "（十二）防范开源供应链风险"
    quote: str  # the sentence(s) quoted from the cleaned text
    policy_id: str = ""
    measure_id: str = ""
    start: int = 0
    end: int = 0
    text_source: str | None = None  # "OCR识别": the quote was recognised from a scan and may contain errors


@dataclass
class Chunk:
    """A retrieval unit: one measure (or one piece of a long measure) with its context."""

    id: str
    policy_id: str
    measure_id: str
    text: str  # measure text as in the document
    context: str  # policy title + section title, prepended for embedding / BM25
    start: int
    end: int
    city: str | None = None
    title: str = ""  # policy title
    doc_no: str | None = None  # 文号
    section: str = ""  # section path, "二、重点任务 / （一）开源项目发展工程"
    measure: str = ""  # measure number and run-in title, "（十二）防范开源供应链风险"
    kind: str = "measure"  # the measure's kind: measure | goal | preamble | closing | paragraph
    part: int = 1  # 1-based piece number of a split measure
    parts: int = 1  # pieces the measure was split into
    block_start: int | None = None  # the measure's trailing 责任单位 block (appended to every piece)
    block_end: int | None = None


@dataclass
class Hit:
    chunk_id: str
    measure_id: str
    score: float
    signal: str  # bm25 | dense | graph | fused
    rank: int = 0
    scores: dict[str, float] = field(default_factory=dict)  # fused hits: raw score per signal
    ranks: dict[str, int] = field(default_factory=dict)  # fused hits: 1-based rank per signal


@dataclass
class Answer:
    question: str
    intent: str  # departments | duties | support | targets | comparison | metadata | general
    answer: str  # markdown
    departments: list[str] = field(default_factory=list)  # canonical names, when asked for a set
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)
    facts: list[dict] = field(default_factory=list)  # graph facts used (rows from named queries)
    subgraph: dict = field(default_factory=lambda: {"nodes": [], "edges": []})  # evidence picture
    hits: list[Hit] = field(default_factory=list)  # fused retrieval, best first
    table: list[dict] = field(default_factory=list)  # comparison rows, when the intent has one
    graph_available: bool = True  # False when answered without graph facts (store down)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        """The `policykg ask --json` object (DESIGN.md contract)."""
        return asdict(self)


@dataclass
class IngestReport:
    documents: int = 0
    sections: int = 0
    measures: int = 0
    skipped: list[dict] = field(default_factory=list)  # {"path", "reason"}
    warnings: list[dict] = field(default_factory=list)  # {"path", "warning"}: read, but with damage (bytes, OCR)
    unchanged: int = 0  # documents already ingested with the same content
    replaced: int = 0
    removed: int = 0
    nodes: dict[str, int] = field(default_factory=dict)  # by label, after ingest
    relationships: dict[str, int] = field(default_factory=dict)  # by type, after ingest
    timings_ms: dict[str, float] = field(default_factory=dict)  # by stage
    policies: list[dict] = field(default_factory=list)  # {"id", "title", "doc_no", "sections", "measures"}
    removed_paths: list[str] = field(default_factory=list)  # files gone from an ingested folder
    conflicts: list[dict] = field(default_factory=list)  # {"path", "id", "claims", "reason"}: kept apart
    embedding: dict = field(default_factory=dict)  # the vectors computed after the commit (rag/embedding.py)
