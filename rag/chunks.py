"""Retrieval units that follow the document's structure: one chunk per measure.

Every measure becomes a chunk — numbered measures, goals, closing provisions and plain paragraphs
alike — carrying the policy title, 文号, city, section path and measure heading as `context`, so a
piece read alone still says where it comes from; a clause that uses a term by the short name the document
defined for it (以下简称…), or its definition, carries both names there. A measure longer than `max_chars` is split on
Chinese sentence boundaries by LangChain's RecursiveCharacterTextSplitter.

The 责任单位 block that closes a measure is what department questions hinge on, so it never gets
separated from the measure: the block is split off first, the body is split, the last piece keeps
the block in place and every earlier piece gets a copy appended after a newline. A piece's
`start`/`end` cover exactly its own text in the document, so quotes taken by offset stay faithful;
`block_start`/`block_end` locate the block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpus.model import Measure, Policy, Section
from genre import Genre, resolve
from rag.model import Chunk

if TYPE_CHECKING:  # imported where used: only ingest splits text, and the import is slow
    from langchain_text_splitters import RecursiveCharacterTextSplitter

DEFAULT_MAX_CHARS = 400
# Paragraph breaks first, then sentence ends, then clause breaks; "" is the last resort for a
# single sentence longer than the limit.
SENTENCE_SEPARATORS = ["\n\n", "\n", "。", "！", "？", "；", "!", "?", ";", "，", ",", "、", ""]


@dataclass
class Block:
    """The trailing responsibility block of a measure, in Policy.text coordinates."""

    start: int
    end: int
    text: str


def make_chunks(policy: Policy, max_chars: int = DEFAULT_MAX_CHARS, genre: Genre | None = None) -> list[Chunk]:
    """Chunks for every measure of the policy, in document order (`genre`: whose block table finds
    the responsibility block each piece keeps)."""
    genre = resolve(genre)
    splitter = sentence_splitter(max_chars)
    paths = section_paths(policy)
    head = policy_heading(policy)
    pairs = policy_terms(policy, genre=genre)
    out: list[Chunk] = []
    for m in policy.measures():
        if not policy.text[m.start : m.end].strip():
            continue
        section = paths.get(m.section_id, "")
        label = measure_label(m)
        if section.rsplit(" / ", 1)[-1] == label:  # a section's own body paragraph
            label = ""
        context = "\n".join(p for p in (head, section, label, named_terms(m.text, pairs)) if p)
        out.extend(measure_chunks(policy, m, context, section, splitter, max_chars, genre))
    return out


def policy_terms(policy: Policy, *, genre: Genre) -> list[tuple[str, str]]:
    """The short names the document defines for terms, programmes and bodies, with their full names."""
    from corpus.aliases import defined_terms

    return defined_terms(policy.aliases, genre=genre)


def named_terms(text: str, pairs: list[tuple[str, str]]) -> str:
    """A context line naming each defined term the text uses, by both names (简称：新片区＝中国（上海）
    自由贸易试验区临港新片区), so that a question written with either name finds the clause; "" when it
    uses none. The clause that defines a term carries the line too: it is the one that says what the
    term is, and must not fall behind the clauses that only use it."""
    used = [f"{short}＝{full}" for short, full in pairs if short in text or full in text]
    return "简称：" + "；".join(used[:4]) if used else ""


def sentence_splitter(max_chars: int) -> RecursiveCharacterTextSplitter:
    """A splitter that cuts after 。！？； (the separator stays with the sentence it ends)."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(
        separators=SENTENCE_SEPARATORS,
        chunk_size=max_chars,
        chunk_overlap=0,
        keep_separator="end",
        strip_whitespace=True,
    )


def measure_chunks(policy: Policy, m: Measure, context: str, section: str,
                   splitter: RecursiveCharacterTextSplitter, max_chars: int,
                   genre: Genre) -> list[Chunk]:
    """One chunk, or several pieces each followed by the measure's responsibility block."""
    block = responsibility_block(policy, m, genre)
    body_end = block.start if block else m.end
    if m.end - m.start <= max_chars or body_end <= m.start:
        spans = [(m.start, m.end)]
    else:
        spans = piece_spans(policy.text, m.start, body_end, splitter)
        if block:
            spans[-1] = (spans[-1][0], m.end)  # the last piece keeps the block in place
    base = {
        "policy_id": policy.id, "measure_id": m.id, "context": context, "city": policy.meta.city,
        "title": policy.meta.title, "doc_no": policy.meta.doc_no, "section": section,
        "measure": measure_label(m), "kind": m.kind, "parts": len(spans),
        "block_start": block.start if block else None, "block_end": block.end if block else None,
    }
    chunks = []
    for i, (s, e) in enumerate(spans):
        text = policy.text[s:e].strip()
        if block and e < block.end:
            text = f"{text}\n{block.text}"
        cid = m.id if len(spans) == 1 else f"{m.id}#{i + 1}"
        header = table_context(policy.text, m.start, s) if i else ""
        own = {**base, "context": f"{context}\n{header}"} if header else base
        chunks.append(Chunk(id=cid, text=text, start=s, end=e, part=i + 1, **own))
    return chunks


def table_context(text: str, start: int, at: int) -> str:
    """For a piece of a long measure that begins inside a table (pipe rows): the table's header row (its
    caption or year columns) and, when the piece begins inside a row, that row's first cell, so that the
    piece's figures are searched with the names of their columns and row; "" elsewhere."""
    line_start = text.rfind("\n", start, at) + 1 if at > start else start
    if not text.startswith("|", max(line_start, start)):
        return ""
    before = text[start:line_start]
    sep = before.rfind("\n|---")
    if sep < 0:
        return ""
    head_start = before.rfind("\n", 0, sep) + 1
    header = before[head_start:sep].strip()
    if not header.startswith("|"):
        return ""
    out = [header]
    if at > line_start:  # inside a row: its label cell
        nl = text.find("\n", line_start)
        row = text[line_start:nl if nl >= 0 else len(text)]
        label = row.strip("| ").split(" | ", 1)[0].strip()
        if label and len(label) <= 20:
            out.append(label)
    return "\n".join(out)


def piece_spans(text: str, start: int, end: int, splitter: RecursiveCharacterTextSplitter) -> list[tuple[int, int]]:
    """Offsets of the splitter's pieces of text[start:end] (pieces are verbatim substrings)."""
    body = text[start:end]
    spans, cursor = [], 0
    for piece in splitter.split_text(body):
        pos = body.find(piece, cursor)
        if pos < 0:  # cannot happen with verbatim pieces; keep the measure whole rather than guess
            return [(start, end)]
        spans.append((start + pos, start + pos + len(piece)))
        cursor = pos + len(piece)
    return spans or [(start, end)]


def responsibility_block(policy: Policy, m: Measure, genre: Genre | None = None) -> Block | None:
    """The block naming the bodies in charge, when it closes the measure (else None).

    Found with the genre's one block table (genre/blocks.py), so the chunker sees exactly the blocks the
    segmenter and the extractor see; the block runs from its opening bracket (or label) to the measure's end.
    """
    found = resolve(genre).blocks.closing_block(policy.text, m.start, m.end)
    if found is None:
        return None
    block_text = policy.text[found.start : m.end].strip()
    return Block(start=found.start, end=m.end, text=block_text) if block_text else None


def policy_heading(policy: Policy) -> str:
    """Title（文号，city）: the line that says which document a chunk belongs to."""
    meta = policy.meta
    extra = "，".join(x for x in (meta.doc_no, meta.city) if x)
    return f"{meta.title}（{extra}）" if extra else meta.title


def section_paths(policy: Policy) -> dict[str, str]:
    """Section id -> "二、重点任务 / （一）开源项目发展工程" (ancestors first)."""
    by_id: dict[str, Section] = {s.id: s for s in policy.all_sections()}

    def path(s: Section) -> str:
        own = f"{s.number}{s.title}".strip()
        parent = by_id.get(s.parent_id) if s.parent_id else None
        if parent is None:
            return own
        above = path(parent)
        # a heading repeated one level down (an attachment holding its own part) is named once
        return above if not own or above.rsplit(" / ", 1)[-1] == own else f"{above} / {own}"

    return {sid: path(s) for sid, s in by_id.items()}


def measure_label(m: Measure) -> str:
    """"（十二）防范开源供应链风险" — number and run-in title as written."""
    return f"{m.number}{m.title}".strip()


def chunk_document(chunk: Chunk) -> str:
    """What BM25 and the embedder see: context first, then the text."""
    return f"{chunk.context}\n{chunk.text}" if chunk.context else chunk.text
