"""Which documents are about a place, looked up instead of searched, built at ingest.

A question naming a place is answered from the documents about it: those whose city, title or
headings (a chunk's city, title or context) name it, or that name it in the texts of several clauses
(rag.chunkstore.policies_about). Found by searching the chunks, that is one pass over the whole
corpus text per new place — 0.07 s at 10,000 documents, the largest part of the slowest answers.
Here the same facts are gathered once, at ingest, for every place name of the gazetteer (jionlp's
table: each province, city and county, its short forms and aliases, and each name without its
level word), in one Aho-Corasick pass over the chunks the linker is built from:

    places.json   {"format", "rows", "first", "last", "terms", "about": {term: [policy ids]},
                   "clauses": {term: {policy id: clauses naming it only in their text}}}

A term the file does not list (a place the gazetteer lacks, a development zone) is searched as
before; a file that does not match its index's rows (count, first and last chunk id) is ignored.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rag.model import Chunk

log = logging.getLogger(__name__)

PLACES_FILE = "places.json"
PLACES_FORMAT = 1


def gazetteer_terms() -> list[str]:
    """Every name the place parser knows (full, short, aliases, old names) and each without its level
    word, as a question's place is looked up (see rag.answer._stem)."""
    from corpus.jurisdiction import gazetteer_names
    from rag.answer import _stem

    names = set(gazetteer_names())
    return sorted(n for n in names | {_stem(n) for n in names} if len(n) >= 2)


@dataclass
class PlaceIndex:
    """Per term: the policies a chunk's city, title or context names it in, and per policy the
    clauses naming it only in their text. `terms`: every term looked for (found or not)."""

    terms: frozenset[str]
    about: dict[str, list[str]] = field(default_factory=dict)
    clauses: dict[str, dict[str, int]] = field(default_factory=dict)
    rows: int = 0
    first: str = ""
    last: str = ""

    def covers(self, terms: Iterable[str]) -> bool:
        return all(t in self.terms for t in terms)

    def policies_about(self, terms: Iterable[str], min_clauses: int) -> set[str]:
        """What rag.chunkstore.policies_about gives for these terms (each must be covered)."""
        out: set[str] = set()
        counts: dict[str, int] = {}
        for t in dict.fromkeys(t for t in terms if t):
            out.update(self.about.get(t, ()))
            for pid, n in self.clauses.get(t, {}).items():
                counts[pid] = counts.get(pid, 0) + n
        return out | {pid for pid, n in counts.items() if n >= min_clauses}

    def fits(self, ids: Sequence[str]) -> bool:
        """Built from these rows (the index's chunk ids, in order)?"""
        return self.rows == len(ids) and (not ids or (self.first == ids[0] and self.last == ids[-1]))


class PlaceIndexBuilder:
    """Fed every chunk of a generation once (`add`), in row order; `result` gives the index."""

    def __init__(self, terms: Iterable[str] | None = None) -> None:
        import ahocorasick

        self.terms = frozenset(gazetteer_terms() if terms is None else terms)
        self._automaton = ahocorasick.Automaton()
        for t in self.terms:
            self._automaton.add_word(t, t)
        if self.terms:
            self._automaton.make_automaton()
        self._about: dict[str, set[str]] = {}
        self._clauses: dict[str, dict[str, int]] = {}
        self._rows, self._first, self._last = 0, "", ""

    def _found(self, text: str) -> set[str]:
        return {t for _, t in self._automaton.iter(text)} if text and self.terms else set()

    def add(self, c: Chunk) -> Chunk:
        """Record one chunk (returned, so that a pass over the chunks can feed this on its way)."""
        self._first = self._first if self._rows else c.id
        self._rows, self._last = self._rows + 1, c.id
        head = self._found(f"{c.city or ''}\x00{c.title or ''}\x00{c.context or ''}")
        for t in head:
            self._about.setdefault(t, set()).add(c.policy_id)
        for t in self._found(c.text) - head:
            per = self._clauses.setdefault(t, {})
            per[c.policy_id] = per.get(c.policy_id, 0) + 1
        return c

    def result(self) -> PlaceIndex:
        return PlaceIndex(terms=self.terms, about={t: sorted(p) for t, p in self._about.items()},
                          clauses=self._clauses, rows=self._rows, first=self._first, last=self._last)


def build(chunks: Iterable[Chunk], terms: Iterable[str] | None = None) -> PlaceIndex:
    builder = PlaceIndexBuilder(terms)
    for c in chunks:
        builder.add(c)
    return builder.result()


def save(index: PlaceIndex, folder: Path) -> None:
    payload = {"format": PLACES_FORMAT, "rows": index.rows, "first": index.first, "last": index.last,
               "terms": sorted(index.terms), "about": index.about, "clauses": index.clauses}
    (Path(folder) / PLACES_FILE).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


def load(folder: Path | None, ids: Sequence[str]) -> PlaceIndex | None:
    """The folder's place index when it was built from these rows, else None (then places are searched)."""
    path = Path(folder) / PLACES_FILE if folder is not None else None
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != PLACES_FORMAT:
            return None
        index = PlaceIndex(terms=frozenset(data["terms"]), about=data["about"], clauses=data["clauses"],
                           rows=int(data["rows"]), first=data["first"], last=data["last"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("place index unreadable (%s); places are searched instead", exc)
        return None
    if not index.fits(ids):
        log.warning("place index of %s does not fit its chunks; places are searched instead", folder)
        return None
    return index


def add_to(folder: Path, count: int) -> bool:
    """Build the place index of an index folder written before it existed (one pass over its
    `count` chunks, about 10 s of CPU at 10,000 documents: an upgrade step, never run at start).
    False when the folder has one that fits already, or no chunk table to read."""
    from rag.chunkstore import open_table

    table = open_table(folder, count)
    if table is None or load(folder, table.ids) is not None:
        return False
    try:
        save(build(table.stream()), folder)
    finally:
        table.close()
    return True
