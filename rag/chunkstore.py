"""The chunks of a saved index, read on demand.

At 10,000 documents an index holds about 150,000 chunks (150 MB of JSON): parsing them all made up
a third of the time from start to the first answer, and kept every clause's text in memory although
a question reads a few dozen. What start-up needs is four columns — id, measure, policy and city of
each row — for the lookups and filters; a chunk's text is read when it is first used.

Beside chunks.json (unchanged: row i is BM25 document i and FAISS vector i) an index folder holds

    chunk_keys.json     the four columns, as lists in row order
    chunk_offsets.npy   the byte span of each row of chunks.json

and `ChunkTable` serves the rows from chunks.json memory-mapped, parsing each once. Iterating the
table (a question that reads every clause, an ingest that rebuilds) parses all rows and keeps them.
An index written before these files existed is read whole, as before, and the files are added.
"""

from __future__ import annotations

import bisect
import json
import logging
import mmap
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, fields
from pathlib import Path
from typing import overload

import numpy as np

from rag.model import Chunk

log = logging.getLogger(__name__)

CHUNKS = "chunks.json"
KEYS_FILE = "chunk_keys.json"
OFFSETS_FILE = "chunk_offsets.npy"
KEY_COLUMNS = ("id", "measure_id", "policy_id", "city")
STREAM_BLOCK = 2000  # rows parsed at once when a table is read in one pass
_CHUNK_FIELDS = frozenset(f.name for f in fields(Chunk))


def chunk_from_row(row: dict) -> Chunk:
    """A saved chunk; a row written by a version with other fields keeps the fields this one knows.
    (Rows are checked with one set comparison, not filtered key by key: 150,000 rows at start.)"""
    if row.keys() <= _CHUNK_FIELDS:
        return Chunk(**row)
    return Chunk(**{k: v for k, v in row.items() if k in _CHUNK_FIELDS})


def _row_bytes(chunk: Chunk) -> bytes:
    return json.dumps(asdict(chunk), ensure_ascii=False).encode("utf-8")


def write_chunks(folder: Path, chunks: Iterable[Chunk]) -> None:
    """chunks.json one row at a time (the JSON array, never the whole document as one string in
    memory), with the key columns and each row's byte span beside it."""
    with ChunkWriter(folder) as writer:
        writer.add(chunks)


class ChunkWriter:
    """chunks.json written as rows come (an ingest appends each batch's chunks and lets them go),
    its key columns and row spans written beside it on `close`. Rows can also be copied as they are,
    bytes and keys, from another table (`add_rows`): an index assembled from a previous one parses
    none of the rows it keeps."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._fh = open(self.folder / CHUNKS, "wb")  # noqa: SIM115  (closed by close())
        self._fh.write(b"[")
        self._pos = 1
        self._spans: list[tuple[int, int]] = []
        self.keys: dict[str, list] = {k: [] for k in KEY_COLUMNS}

    def __len__(self) -> int:
        return len(self._spans)

    def _write(self, row: bytes, keys: Sequence) -> None:
        if self._spans:
            self._fh.write(b", ")
            self._pos += 2
        self._fh.write(row)
        self._spans.append((self._pos, self._pos + len(row)))
        self._pos += len(row)
        for k, v in zip(KEY_COLUMNS, keys, strict=True):
            self.keys[k].append(v)

    def add(self, chunks: Iterable[Chunk]) -> None:
        for c in chunks:
            self._write(_row_bytes(c), [getattr(c, k) for k in KEY_COLUMNS])

    def add_rows(self, table: ChunkTable, indices: Iterable[int]) -> None:
        """Rows of a saved table, copied byte for byte (never parsed)."""
        for i in indices:
            self._write(table.raw(i), [table.ids[i], table.measure_ids[i], table.policy_ids[i], table.cities[i]])

    def close(self) -> None:
        if self._fh.closed:
            return
        self._fh.write(b"]")
        self._fh.close()
        spans = np.array(self._spans, dtype=np.int64).reshape(len(self._spans), 2)
        _write_side_files(self.folder, self.keys, spans)

    def __enter__(self) -> ChunkWriter:
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if kind is None:
            self.close()
        else:
            self._fh.close()


def _write_side_files(folder: Path, keys: dict[str, list], spans: np.ndarray) -> None:
    """The key columns and row spans, each written to a private temporary file and renamed into place
    (the spans last: a reader checks them against chunks.json)."""
    for name, write in ((KEYS_FILE, lambda fh: fh.write(json.dumps(keys, ensure_ascii=False).encode("utf-8"))),
                        (OFFSETS_FILE, lambda fh: np.save(fh, spans, allow_pickle=False))):
        tmp = folder / f".{name}.tmp"
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.rename(tmp, folder / name)  # replaces atomically (POSIX), as the index folder's own swap does


def add_side_files(folder: Path, chunks: Sequence[Chunk]) -> bool:
    """Key columns and row spans for a chunks.json written before they existed, when re-serialising
    the rows gives the file's exact bytes (else nothing is written and the index is read whole)."""
    path = Path(folder) / CHUNKS
    spans = np.zeros((len(chunks), 2), dtype=np.int64)
    pos = 1
    for i, c in enumerate(chunks):
        n = len(_row_bytes(c))
        spans[i] = (pos, pos + n)
        pos += n + 2
    size = path.stat().st_size
    if chunks and size != int(spans[-1, 1]) + 1:
        return False
    table = ChunkTable(path, {k: [getattr(c, k) for c in chunks] for k in KEY_COLUMNS}, spans)
    try:
        if chunks and (table[0] != chunks[0] or table[len(chunks) - 1] != chunks[-1]):
            return False
    finally:
        table.close()
    _write_side_files(Path(folder), {k: [getattr(c, k) for c in chunks] for k in KEY_COLUMNS}, spans)
    return True


def open_table(folder: Path, count: int) -> ChunkTable | None:
    """The folder's chunks as a table read on demand, or None when its side files are missing or do
    not fit chunks.json (then the caller reads chunks.json whole)."""
    folder = Path(folder)
    try:
        spans = np.load(folder / OFFSETS_FILE, allow_pickle=False)
        keys = json.loads((folder / KEYS_FILE).read_text(encoding="utf-8"))
        size = (folder / CHUNKS).stat().st_size
    except (OSError, ValueError) as exc:
        log.debug("no chunk table in %s: %s", folder, exc)
        return None
    if (spans.shape != (count, 2) or any(len(keys.get(k) or ()) != count for k in KEY_COLUMNS)
            or (count and int(spans[-1, 1]) + 1 != size)):
        log.warning("chunk table of %s does not fit its chunks.json; reading it whole", folder)
        return None
    return ChunkTable(folder / CHUNKS, keys, spans)


class ChunkTable(Sequence[Chunk]):
    """Rows of chunks.json parsed when first used (see the module docstring); safe to share between
    threads (a row parsed twice at once is the same chunk either way)."""

    def __init__(self, path: Path, keys: dict[str, list], spans: np.ndarray) -> None:
        self.path = Path(path)
        self.ids: list[str] = keys["id"]
        self.measure_ids: list[str] = keys["measure_id"]
        self.policy_ids: list[str] = keys["policy_id"]
        self.cities: list[str | None] = keys["city"]
        self._spans = spans
        self._parsed: dict[int, Chunk] = {}
        self._all: list[Chunk] | None = None
        self._ends: list[int] | None = None
        self._last: list[int] | None = None
        self._lock = threading.Lock()
        with open(self.path, "rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if self._spans.size else None

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, i: int) -> Chunk: ...
    @overload
    def __getitem__(self, i: slice) -> list[Chunk]: ...

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self.rows(range(*i.indices(len(self))))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._row(i)

    def _row(self, i: int) -> Chunk:
        if self._all is not None:
            return self._all[i]
        found = self._parsed.get(i)
        if found is None:
            start, end = self._spans[i]
            found = self._parsed[i] = chunk_from_row(json.loads(self._map[int(start):int(end)]))
        return found

    def rows(self, indices: Sequence[int]) -> list[Chunk]:
        """Many rows at once: those not parsed yet go through one JSON parse (a sample of 20,000
        rows parses in a fraction of the time one parse per row takes)."""
        if self._all is not None:
            return [self._all[i] for i in indices]
        parsed = self._parsed  # this call's dict, even if a thread reading every row replaces it meanwhile
        todo = [i for i in indices if i not in parsed]
        if todo:
            blob = b"[" + b",".join(self._map[int(self._spans[i, 0]):int(self._spans[i, 1])] for i in todo) + b"]"
            from rag.artefacts import no_gc

            with no_gc():
                for i, row in zip(todo, json.loads(blob), strict=True):
                    parsed.setdefault(i, chunk_from_row(row))
        return [parsed[i] for i in indices]

    def __iter__(self) -> Iterator[Chunk]:
        """Every chunk, parsed once and kept: whoever reads them all will likely do so again."""
        if self._all is None:
            with self._lock:
                if self._all is None:
                    self._all = self.rows(range(len(self)))
                    self._parsed = {}
        return iter(self._all)

    def raw(self, i: int) -> bytes:
        """Row i as written in chunks.json (its JSON object, unparsed)."""
        start, end = self._spans[i]
        return self._map[int(start):int(end)] if self._map is not None else b""

    def stream(self, indices: Iterable[int] | None = None, block: int = STREAM_BLOCK) -> Iterator[Chunk]:
        """Rows in order (all, or `indices`), parsed a block at a time and not kept: one pass over a
        whole table (an ingest building BM25 or the linker) holds a block, not the corpus."""
        if self._all is not None:
            yield from (self._all[i] for i in (range(len(self)) if indices is None else indices))
            return
        todo = iter(range(len(self)) if indices is None else indices)
        from rag.artefacts import no_gc

        while True:
            rows = [i for _, i in zip(range(block), todo, strict=False)]
            if not rows:
                return
            with no_gc():
                parsed = json.loads(b"[" + b",".join(self.raw(i) for i in rows) + b"]")
            yield from (chunk_from_row(r) for r in parsed)

    def rows_containing(self, terms: Iterable[str]) -> list[int]:
        """Rows whose saved JSON holds one of the terms anywhere (text, context, title, city, ...): a
        search of the mapped file in C, one step per matching row; nothing parsed."""
        if self._map is None:
            return []
        ends = self._row_ends()
        found: set[int] = set()
        for term in terms:
            if not term:
                continue
            needle = _needle(term)
            i = self._next_hit(needle, 0)
            while i is not None:
                found.add(i)
                i = self._next_hit(needle, ends[i])
        return sorted(found)

    def policies_about(self, terms: Iterable[str], min_clauses: int) -> set[str]:
        """`policies_about` on the mapped file: each hit's row is judged once, a policy once found is
        skipped to the end of its run of rows (its other hits are not read), and a row whose city
        column names a term settles its policy without being parsed. The work grows with the
        policies that name the terms, not with the rows that do (a city named in every clause of its
        thousand documents)."""
        terms = [t for t in dict.fromkeys(terms) if t]
        if self._map is None or not terms:
            return set()
        ends, last = self._row_ends(), self._run_last()
        out: set[str] = set()
        counts: dict[str, int] = {}
        judged: set[int] = set()
        for term in terms:
            needle = _needle(term)
            i = self._next_hit(needle, 0)
            while i is not None:
                pid, nxt = self.policy_ids[i], i
                if pid not in out and i not in judged:
                    judged.add(i)
                    if any(t in (self.cities[i] or "") for t in terms):
                        out.add(pid)
                    else:
                        _judge(chunk_from_row(json.loads(self.raw(i))), terms, out, counts)
                if pid in out:
                    nxt = last[i]
                i = self._next_hit(needle, ends[nxt])
        return out | {pid for pid, k in counts.items() if k >= min_clauses}

    def _next_hit(self, needle: bytes, start: int) -> int | None:
        """The row holding the next occurrence of `needle` at or after byte `start`, or None."""
        at = self._map.find(needle, start)
        if at < 0:
            return None
        i = bisect.bisect_right(self._row_ends(), at)
        return i if i < len(self) else None

    def _row_ends(self) -> list[int]:
        """The end offset of each row (a plain list: bisect per hit is ten times a numpy call's speed)."""
        if self._ends is None:
            self._ends = self._spans[:, 1].tolist()
        return self._ends

    def _run_last(self) -> list[int]:
        """For each row, the last row of the run of consecutive rows of its policy (computed once)."""
        if self._last is None:
            n = len(self)
            pids = np.empty(n, dtype=object)
            pids[:] = self.policy_ids
            starts = np.flatnonzero(np.concatenate(([True], pids[1:] != pids[:-1]))) if n else []
            self._last = np.repeat(np.append(starts[1:], n) - 1, np.diff(np.append(starts, n))).tolist() if n else []
        return self._last

    def copy_to(self, folder: Path) -> None:
        """chunks.json and its side files into another folder, as they are (an index saved from a
        table writes no row again)."""
        import shutil

        src = self.path.parent
        for name in (CHUNKS, KEYS_FILE, OFFSETS_FILE):
            shutil.copyfile(src / name, Path(folder) / name)

    def contains_text(self, term: str) -> bool:
        """Some chunk's text or context contains `term`: a search of the mapped file (in C, nothing
        parsed or kept), each hit checked against the row it falls in."""
        if self._all is not None or self._map is None:
            return any(term in c.text or term in (c.context or "") for c in self)
        needle = _needle(term)
        ends = self._spans[:, 1]
        at = self._map.find(needle)
        while at >= 0:
            i = int(np.searchsorted(ends, at, side="right"))
            if i >= len(self):
                return False
            c = self._row(i)
            if term in c.text or term in (c.context or ""):
                return True
            at = self._map.find(needle, int(ends[i]))
        return False

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
            self._map = None


def _needle(term: str) -> bytes:
    """The term as chunks.json writes it inside a string (escaped as json.dumps escapes it)."""
    return json.dumps(term, ensure_ascii=False)[1:-1].encode("utf-8")


def column(chunks: Sequence[Chunk], name: str) -> list:
    """One key column of the chunks (from a table's columns, without parsing its rows)."""
    if isinstance(chunks, ChunkTable) and name in KEY_COLUMNS:
        return {"id": chunks.ids, "measure_id": chunks.measure_ids, "policy_id": chunks.policy_ids,
                "city": chunks.cities}[name]
    return [getattr(c, name) for c in chunks]


def iter_chunks(chunks: Iterable[Chunk]) -> Iterator[Chunk]:
    """Every chunk once, in order; a table's rows are streamed (parsed a block at a time, not kept)."""
    return chunks.stream() if isinstance(chunks, ChunkTable) else iter(chunks)


def containing(chunks: Sequence[Chunk], terms: Iterable[str]) -> Iterable[Chunk]:
    """The chunks that may hold one of the terms in any field — for a scan that checks each chunk's
    fields for them. A table gives only the rows whose saved text holds a term, parsed a block at a
    time and not kept (a scan of every row parsed 150,000 chunks and kept them all in memory); a list
    is given whole."""
    if isinstance(chunks, ChunkTable) and chunks._all is None:
        return chunks.stream(chunks.rows_containing(list(terms)))
    return chunks


def policies_about(chunks: Sequence[Chunk], terms: Iterable[str], min_clauses: int) -> set[str]:
    """Policies that name one of the terms in a chunk's city, title or context (what a document is
    about), or in the texts of at least `min_clauses` of its chunks (a clause naming it in passing
    is not enough). A table searches its mapped file (`ChunkTable.policies_about`); a list is
    scanned."""
    if isinstance(chunks, ChunkTable) and chunks._all is None:
        return chunks.policies_about(terms, min_clauses)
    terms = [t for t in dict.fromkeys(terms) if t]
    out: set[str] = set()
    counts: dict[str, int] = {}
    for c in chunks:
        _judge(c, terms, out, counts)
    return out | {pid for pid, k in counts.items() if k >= min_clauses}


def _judge(c: Chunk, terms: Sequence[str], out: set[str], counts: dict[str, int]) -> None:
    """One chunk's part in `policies_about`: its policy is about a term its city, title or context
    names; a term only in its text counts one clause."""
    for term in terms:
        if term in (c.city or "") or term in (c.title or "") or term in (c.context or ""):
            out.add(c.policy_id)
        elif term in c.text:
            counts[c.policy_id] = counts.get(c.policy_id, 0) + 1
