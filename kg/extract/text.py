"""Sentences and clauses with offsets into Policy.text, each assigned to the measure that holds it."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from corpus.model import Measure, Policy, Section

SENTENCE_END = re.compile(r"[。！？!?\n]+")
CLAUSE_END = re.compile(r"[。！？!?\n；;]+")


@dataclass
class Piece:
    """A sentence or clause: its text, offsets into Policy.text and owning measure (None outside one)."""

    text: str
    start: int
    end: int
    measure: Measure | None
    section: Section | None = None


class Locator:
    """Finds the measure and section that contain an offset (both sorted by start)."""

    def __init__(self, policy: Policy) -> None:
        self.measures = policy.measures()
        self._starts = [m.start for m in self.measures]
        self.sections = sorted(policy.all_sections(), key=lambda s: (s.start, -s.end))

    def measure_at(self, offset: int) -> Measure | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self.measures[i].start <= offset < self.measures[i].end:
            return self.measures[i]
        return None

    def section_at(self, offset: int) -> Section | None:
        """The innermost section containing the offset."""
        best = None
        for s in self.sections:
            if s.start <= offset < s.end and (best is None or s.end - s.start <= best.end - best.start):
                best = s
        return best


def split(text: str, start: int, end: int, pattern: re.Pattern[str] = SENTENCE_END) -> list[tuple[int, int]]:
    """Offsets of the non-blank pieces of text[start:end] between separators (separator kept)."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in pattern.finditer(text, start, end):
        _append(text, pos, m.end(), out)
        pos = m.end()
    _append(text, pos, end, out)
    return out


def _append(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))


def body_start(policy: Policy) -> int:
    """Where the numbered body begins: the first section (the header and notice come before)."""
    starts = [s.start for s in policy.sections]
    return min(starts) if starts else 0


def pieces(policy: Policy, pattern: re.Pattern[str] = SENTENCE_END, start: int | None = None) -> list[Piece]:
    """Every sentence (or clause) of the policy from `start` (default: the body), located."""
    loc = Locator(policy)
    begin = body_start(policy) if start is None else start
    bounds = sorted({m.start for m in loc.measures} | {m.end for m in loc.measures})
    out = []
    for a, b in split(policy.text, begin, len(policy.text), pattern):
        # a sentence that runs over a measure boundary (（财政部）（六）加大金融服务支持。) is cut there
        cuts = [x for x in bounds[bisect.bisect_right(bounds, a):bisect.bisect_left(bounds, b)]]
        for x, y in zip([a, *cuts], [*cuts, b], strict=True):
            for c, d in split(policy.text, x, y, pattern):
                out.append(Piece(policy.text[c:d], c, d, loc.measure_at(c), loc.section_at(c)))
    return out


def strip_spaces(text: str) -> str:
    """Remove whitespace that PDF/HTML extraction leaves inside Chinese words (市 财 政 局)."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text)
