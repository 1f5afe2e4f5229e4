"""Support offered to enterprises, universities, developers and talent: one item per offering clause.

The vocabulary (kinds and their trigger words, beneficiaries, conditions, amounts and rates) and the
grouping rule live in genre/data/support.yaml; this module reads clauses and applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.model import Policy
from genre import genre_cached
from kg.extract.dates import DEADLINE, resolve_deadline
from kg.extract.text import CLAUSE_END, Piece, pieces
from kg.lexicon import find_topics, load
from kg.model import Span, Support

PART_SEP = re.compile(r"[，,]")


@dataclass
class Vocabulary:
    kinds: list[tuple[str, re.Pattern[str]]]
    needs_offer_word: frozenset[str]
    offer_words: re.Pattern[str]
    beneficiaries: list[tuple[str, tuple[str, ...]]]
    beneficiary_ignore: re.Pattern[str]
    conditions: list[re.Pattern[str]]
    rates: list[re.Pattern[str]]
    amounts: list[re.Pattern[str]]
    caps: list[re.Pattern[str]]


@genre_cached
def vocabulary() -> Vocabulary:
    data = load("support")
    kinds = [(k["kind"], re.compile("|".join(f"(?:{t})" for t in k["triggers"]))) for k in data["kinds"]]
    return Vocabulary(
        kinds=kinds,
        needs_offer_word=frozenset(data.get("needs_offer_word") or []),
        offer_words=re.compile("|".join(map(re.escape, data.get("offer_words") or ["给予"]))),
        beneficiaries=[(b["name"], tuple(b.get("aliases") or [b["name"]])) for b in data["beneficiaries"]],
        beneficiary_ignore=re.compile("|".join(map(re.escape, data.get("beneficiary_ignore") or ["\x00"]))),
        conditions=[re.compile(p) for p in data.get("conditions") or []],
        rates=[re.compile(p) for p in data.get("rates") or []],
        amounts=[re.compile(p) for p in data.get("amounts") or []],
        caps=[re.compile(p) for p in data.get("caps") or []])


def kind_of(text: str) -> str | None:
    """The first kind (in lexicon priority) whose trigger occurs in the text."""
    vocab = vocabulary()
    for kind, pattern in vocab.kinds:
        if pattern.search(text) and (kind not in vocab.needs_offer_word or vocab.offer_words.search(text)):
            return kind
    return None


@dataclass
class Group:
    """Consecutive parts of a clause that make one offer."""

    start: int  # offsets into Policy.text
    end: int
    kind: str | None = None
    parts: list[tuple[int, int]] = field(default_factory=list)


def offer_groups(text: str, base: int) -> list[Group]:
    """Cut a clause at commas and group the parts into offers (see support.yaml for the rule)."""
    groups: list[Group] = []
    pending: list[tuple[int, int]] = []
    pos = 0
    for m in [*PART_SEP.finditer(text), None]:
        end = m.start() if m else len(text)
        part = (base + pos, base + end)
        kind = kind_of(text[pos:end])
        if kind is None:
            pending.append(part)
        elif groups and groups[-1].kind == kind and not pending:
            groups[-1].parts.append(part)
            groups[-1].end = part[1]
        else:
            parts = [*pending, part]
            groups.append(Group(parts[0][0], part[1], kind, parts))
            pending = []
        pos = m.end() if m else len(text)
    if pending and groups:
        groups[-1].end = pending[-1][1]
    return groups


def _first(patterns: list[re.Pattern[str]], text: str) -> str | None:
    for p in patterns:
        m = p.search(text)
        if m:
            return m.group(0).strip()
    return None


def beneficiaries_of(text: str) -> list[str]:
    """Normalised beneficiaries named in an offer (a more specific one hides its general form)."""
    found: list[str] = []
    covered: list[tuple[int, int]] = []
    text = vocabulary().beneficiary_ignore.sub(lambda m: "\x00" * len(m.group(0)), text)
    for name, aliases in vocabulary().beneficiaries:
        for alias in sorted(aliases, key=len, reverse=True):
            if alias not in text:  # most aliases are absent: skip building a pattern for them
                continue
            for m in re.finditer(re.escape(alias), text):
                if any(a <= m.start() and m.end() <= b for a, b in covered):
                    continue
                covered.append((m.start(), m.end()))
                if name not in found:
                    found.append(name)
    return found


def conditions_of(text: str) -> str | None:
    seen: list[str] = []
    for p in vocabulary().conditions:
        for m in p.finditer(text):
            c = m.group(0).strip("，。；, ")
            if c and not any(c in s for s in seen):
                seen = [s for s in seen if s not in c] + [c]
    return "；".join(seen) or None


def support_item(policy: Policy, piece: Piece, group: Group) -> Support:
    text = policy.text[group.start:group.end]
    vocab = vocabulary()
    deadline = DEADLINE.search(text)
    return Support(
        kind=group.kind or "政策支持", text=text, amount=_first(vocab.amounts, text),
        rate=_first(vocab.rates, text), cap=_first(vocab.caps, text), condition=conditions_of(text),
        beneficiaries=beneficiaries_of(text), topics=find_topics(text),
        deadline=resolve_deadline(deadline) if deadline else None,
        span=Span(piece.measure.id if piece.measure else None, group.start, group.end, piece.text))


def is_heading(piece: Piece) -> bool:
    """The measure's own number and title (（二）加大政策支持。) name a topic, not an offer."""
    m = piece.measure
    if m is None or piece.start > m.start + len(m.number) + 2:
        return False
    head = re.sub(r"[\s*。.]", "", piece.text)
    return head in (re.sub(r"[\s*。.]", "", m.number + m.title), re.sub(r"[\s*。.]", "", m.title))


def extract_support(policy: Policy) -> dict[str, list[Support]]:
    """measure id -> support items offered there."""
    out: dict[str, list[Support]] = {}
    for piece in pieces(policy, CLAUSE_END):
        if piece.measure is None or is_heading(piece):
            continue  # the graph hangs support on measures; the parser puts all body text in one
        for group in offer_groups(piece.text, piece.start):
            out.setdefault(piece.measure.id, []).append(support_item(policy, piece, group))
    return out
