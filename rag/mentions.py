"""Which documents mention X: every document and clause that uses a term, by document, with counts.

A question of this kind is recognised by the genre's cue patterns (genre/data/intents.yaml, section
`mention`), which also say where the term is. The answer scans the indexed clauses, not the ranked
retrieval (which keeps only the best few): every document that uses the term is counted, the first
documents are listed with their first clauses quoted, the next ones named with their counts, and the
rest is summed up ("另有 N 份文件").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from genre import Genre, derived

MAX_DOCUMENTS = 8  # documents listed with a quote
MAX_CLAUSES = 3  # of a listed document, the first clauses quoted (each cited; the count says how many more)
MAX_NAMED = 40  # documents named with their counts (the question asks which); the rest are counted


@derived
def _patterns(genre: Genre) -> list[re.Pattern]:
    data = genre.data("intents")
    parts = data.get("mention_parts") or {}
    return [re.compile(expand_parts(p, parts)) for p in data.get("mention") or []]


@derived
def _examples(genre: Genre) -> re.Pattern:
    data = genre.data("intents")
    return re.compile(expand_parts(data.get("mention_examples") or "$^", data.get("mention_parts") or {}))


_PART = re.compile(r"<([A-Z]+)>")


def expand_parts(pattern: str, parts: dict[str, str]) -> str:
    """A pattern with its <NAME> parts written out (a part may itself use other parts): the mention
    patterns combine the genre's words for documents, for asking which, and for using a word."""
    for _ in range(5):  # parts nest a few levels at most
        expanded = _PART.sub(lambda m: parts.get(m.group(1), m.group(0)), pattern)
        if expanded == pattern:
            break
        pattern = expanded
    return pattern


def mention_term(question: str, *, genre: Genre) -> str | None:
    """The term a "which documents mention X" question asks about, or None for other questions."""
    q = question.strip()
    for pattern in _patterns(genre):
        m = pattern.search(q)
        if m and (term := clean_term(m.group("term"))):
            return term
    return None


def mention_examples(question: str, *, genre: Genre) -> list[str]:
    """The examples a mention question gives of its term (，比如量子通信、量子计算之类的 -> 量子通信, 量子计算):
    the user means any of them, so each is searched too."""
    m = _examples(genre).search(question.strip())
    if m is None:
        return []
    items = (clean_term(x) for x in re.split(r"[、和及与或/]", m.group("items")))
    return [x for x in dict.fromkeys(items) if len(x) >= 2]


def attributive_head(term: str) -> str | None:
    """The head of a term written as an attributive phrase (改革的容错纠错 -> 容错纠错, 企业的研发投入 ->
    研发投入): what a document names when no document writes the phrase whole. None without 的 or
    with a head shorter than two characters."""
    head = term.rsplit("的", 1)[-1] if "的" in term else ""
    return head if len(head) >= 2 else None


_FRAME = re.compile(r"^(?:关于|有关|涉及|了|过|到)+|(?:方面|相关|有关|问题)+$")


def clean_term(term: str) -> str:
    """The term as the documents would write it: without quotes and the words that frame it
    (关于X, X方面, X相关)."""
    term = term.strip(" “”\"'「」『』‘’")
    return _FRAME.sub("", term).strip(" “”\"'「」『』‘’")


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


def count_forms(text: str, forms: Sequence[str], loose: re.Pattern | None = None) -> dict[str, int]:
    """Occurrences of each form in the text, a shorter form inside a longer one not counted again
    (公租房 inside 公租房租金 is one mention; 新片区 inside 临港新片区 counts for the full name).
    `loose`: the term written with its head shared by a coordination (see `coordinated`), counted
    where no form is."""
    taken: list[tuple[int, int]] = []
    counts: dict[str, int] = {}
    for form in sorted(forms, key=len, reverse=True):
        for m in re.finditer(re.escape(form), text):
            if not any(a <= m.start() < b for a, b in taken):
                taken.append((m.start(), m.end()))
                counts[form] = counts.get(form, 0) + 1
    if loose is not None:
        for m in loose.finditer(text):
            if not any(a <= m.start() < b or m.start() <= a < m.end() for a, b in taken):
                counts[m.group(0)] = counts.get(m.group(0), 0) + 1
    return counts


COORDINATED_GAP = 10  # characters between a modifier and the head it shares with other modifiers


def head_split(term: str, words: Sequence[str]) -> tuple[str, str] | None:
    """(modifier, head) of a term from its words: the longest word of two characters or more that
    ends it, leaving a modifier of two or more (老旧小区改造 -> 老旧小区, 改造); None otherwise."""
    head = max((w for w in words if len(w) >= 2 and term.endswith(w) and len(term) - len(w) >= 2),
               key=len, default=None)
    return (term[: -len(head)], head) if head else None


def coordinated(modifier: str, head: str) -> re.Pattern:
    """The term written the way the genre coordinates modifiers of one head (老旧小区改造 as
    "棚户区、老旧小区和危房改造"): its modifier, a coordinating word (、和及与或) and a few characters
    without a sentence break, then its head."""
    return re.compile(rf"{re.escape(modifier)}[、和及与或][^，,。；;：:！!？?\s]{{0,{COORDINATED_GAP}}}?{re.escape(head)}")


def find_mentions(term: str, chunks: Sequence, forms: Sequence[str] = (),
                  loose: re.Pattern | None = None) -> list[DocumentMentions]:
    """Documents whose clauses use the term (or another form of it: `forms`; or its coordinated
    writing: `loose`), most mentions first (then by title), each with how often it writes each form."""
    by_doc: dict[str, DocumentMentions] = {}
    forms = list(forms) or [term]
    for c in chunks:
        found = count_forms(c.text, forms, loose)
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
