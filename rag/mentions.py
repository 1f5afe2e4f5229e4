"""Which documents mention X: every document and clause that uses a term, by document, with counts.

A question of this kind is recognised by the genre's cue patterns (genre/data/intents.yaml, section
`mention`), which also say where the term is. The answer scans the indexed clauses, not the ranked
retrieval (which keeps only the best few): every document that uses the term is counted, the first
documents are listed with their first clause quoted, and the rest is summed up ("另有 N 份文件").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from genre import Genre, derived

MAX_DOCUMENTS = 8  # documents listed with a quote; the rest are counted


@derived
def _patterns(genre: Genre) -> list[re.Pattern]:
    return [re.compile(p) for p in genre.data("intents").get("mention") or []]


def mention_term(question: str, *, genre: Genre) -> str | None:
    """The term a "which documents mention X" question asks about, or None for other questions."""
    q = question.strip()
    for pattern in _patterns(genre):
        m = pattern.search(q)
        if m and m.group("term").strip():
            return m.group("term").strip(" “”\"'「」『』")
    return None


@dataclass
class DocumentMentions:
    policy_id: str
    title: str
    doc_no: str | None
    count: int = 0  # occurrences of the term in the document's clauses
    chunks: list = field(default_factory=list)  # the clauses that use it, in text order


def find_mentions(term: str, chunks: Sequence) -> list[DocumentMentions]:
    """Documents whose clauses use the term, most mentions first (then by title)."""
    by_doc: dict[str, DocumentMentions] = {}
    for c in chunks:
        n = c.text.count(term)
        if not n:
            continue
        doc = by_doc.setdefault(c.policy_id, DocumentMentions(c.policy_id, c.title or c.policy_id, c.doc_no))
        doc.count += n
        doc.chunks.append(c)
    for doc in by_doc.values():
        doc.chunks.sort(key=lambda c: c.start)
    return sorted(by_doc.values(), key=lambda d: (-d.count, d.title))
