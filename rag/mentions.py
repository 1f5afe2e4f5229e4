"""Which documents mention X: every document and clause that uses a term, by document, with counts.

A question of this kind is recognised by the genre's cue patterns (genre/data/intents.yaml, section
`mention`), which also say where the term is. The answer scans the indexed clauses, not the ranked
retrieval (which keeps only the best few): every document that uses the term is counted, the first
documents are listed with their first clause quoted, and the rest is summed up ("另有 N 份文件").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
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
    count: int = 0  # occurrences of the term in the document's clauses (any of its written forms)
    chunks: list = field(default_factory=list)  # the clauses that use it, in text order
    forms: dict[str, int] = field(default_factory=dict)  # written form -> occurrences (公租房: 3)


def term_forms(term: str, policies: Iterable[dict]) -> list[str]:
    """The term and the other names the documents define for it (以下简称: 公共租赁住房 / 公租房), so
    a document that writes only the short form (or only the full name) is found too; longest first."""
    from rag.linking import term_pairs

    forms = [term, *(other for written, other in term_pairs(policies) if written == term)]
    return sorted(dict.fromkeys(forms), key=len, reverse=True)


def count_forms(text: str, forms: Sequence[str]) -> dict[str, int]:
    """Occurrences of each form in the text, a shorter form inside a longer one not counted again
    (公租房 inside 公租房租金 is one mention; 新片区 inside 临港新片区 counts for the full name)."""
    taken: list[tuple[int, int]] = []
    counts: dict[str, int] = {}
    for form in sorted(forms, key=len, reverse=True):
        for m in re.finditer(re.escape(form), text):
            if not any(a <= m.start() < b for a, b in taken):
                taken.append((m.start(), m.end()))
                counts[form] = counts.get(form, 0) + 1
    return counts


def find_mentions(term: str, chunks: Sequence, forms: Sequence[str] = ()) -> list[DocumentMentions]:
    """Documents whose clauses use the term (or another form of it: `forms`), most mentions first
    (then by title), each with how often it writes each form."""
    by_doc: dict[str, DocumentMentions] = {}
    forms = list(forms) or [term]
    for c in chunks:
        found = count_forms(c.text, forms)
        if not found:
            continue
        doc = by_doc.setdefault(c.policy_id, DocumentMentions(c.policy_id, c.title or c.policy_id, c.doc_no))
        doc.count += sum(found.values())
        for form, n in found.items():
            doc.forms[form] = doc.forms.get(form, 0) + n
        doc.chunks.append(c)
    for doc in by_doc.values():
        doc.chunks.sort(key=lambda c: c.start)
    return sorted(by_doc.values(), key=lambda d: (-d.count, d.title))


def written_as(term: str, forms: dict[str, int]) -> str:
    """How a document writes the term, when not (only) as asked: "写作“公租房”，" or "写作“公共租赁住房”2 处、
    “公租房”1 处，"; "" when it writes only the asked form."""
    if list(forms) == [term]:
        return ""
    if len(forms) == 1:
        return f"写作“{next(iter(forms))}”，"
    return "写作" + "、".join(f"“{f}” {n} 处" for f, n in forms.items()) + "，共 "
