"""The retrieval indexes on disk: chunks, BM25 and FAISS under <data_dir>/index/, with a manifest.

Layout of the index folder:

    manifest.json   format version, corpus hash, model, dimension, index type, chunk count, ...
    chunks.json     the chunks, row i = BM25 document i = FAISS vector i
    chunk_keys.json, chunk_offsets.npy   their key columns and row spans (rag/chunkstore.py)
    bm25/           the bm25s index
    dense.faiss     the FAISS index (absent when no embedding model could be loaded)

Saving is atomic at the folder level: everything is written and fsynced into a fresh temporary
folder beside the index, then the folders are swapped by rename, keeping the previous index as
`index.old` until the new one is in place. A crash leaves either the old or the new index, never
a mix; `load` finishes an interrupted swap. Loading checks the manifest: a different embedding
model (or tokenizer dictionary) rebuilds that part from the stored chunks instead of failing; a
missing or damaged index raises `IndexUnavailable`, which tells the user to run `policykg ingest`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from corpus.model import Policy
from genre import Genre, resolve
from rag.artefacts import no_gc
from rag.chunks import DEFAULT_MAX_CHARS, chunk_document, make_chunks
from rag.chunkstore import (
    CHUNKS,
    ChunkTable,
    add_side_files,
    chunk_from_row,
    column,
    iter_chunks,
    open_table,
    policies_about,
    write_chunks,
)
from rag.dense import (
    DEFAULT_EXACT_MAX,
    MAX_UNKNOWN_RATE,
    DenseIndex,
    Embedder,
    load_embedder,
    plan_embedder,
    set_embedding_threads,
    token_unknown_rate,
)
from rag.lexical import BM25Index
from rag.model import Chunk, Hit
from rag.settings import Settings
from rag.state import fsync_dir
from rag.tokenize import PolicyTokenizer, default_tokenizer

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BM25_DIR = "bm25"
FAISS_FILE = "dense.faiss"
STALE_TMP_SECONDS = 3600
UNKNOWN_PLACES = (None, "")  # a chunk's city when its document names no place


class IndexUnavailable(RuntimeError):
    """No usable index on disk; the message says what is wrong and to run `policykg ingest`."""


@dataclass
class Manifest:
    format_version: int = FORMAT_VERSION
    corpus_hash: str = ""  # sha256 of the sorted policy sha256s
    policies: int = 0
    chunk_count: int = 0
    model: str | None = None  # embedding model of the dense part; None = no dense part
    model_requested: str = ""  # the configured model (differs from `model` after a fallback)
    dimension: int = 0
    index_type: str | None = None  # flat | hnsw
    dense_unknown_rate: float = 0.0  # share of [UNK] model tokens over the chunks (see dense.py)
    dense_encoded: bool = True  # False: `model` could not read the chunks, so they were not encoded
    tokenizer: str = ""  # tokenizer signature the BM25 part was built with
    genre: str = ""  # signature of the genre data the chunks were parsed and extracted with
    # pending: vectors are computed after the commit (rag/embedding.py); complete: dense.faiss holds them;
    # off: the dense signal is switched off; vetoed / no-model: no usable model
    dense_status: str = "complete"
    created: str = ""  # ISO time, UTC

    @classmethod
    def from_dict(cls, data: dict) -> Manifest:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})


def corpus_hash(sha256s: Iterable[str]) -> str:
    """Identity of a corpus: independent of file order and paths."""
    return hashlib.sha256("\n".join(sorted(sha256s)).encode()).hexdigest()


def max_unknown_rate(settings: Settings) -> float:
    return float(getattr(settings, "dense_max_unknown_rate", MAX_UNKNOWN_RATE))


def dense_verdict(manifest: Manifest, settings: Settings) -> tuple[bool, list[str]]:
    """Whether the dense signal should be fused, and why not (a model that cannot read the text)."""
    if manifest.model is None:
        return False, []
    rate = manifest.dense_unknown_rate
    if rate <= max_unknown_rate(settings):
        return True, []
    msg = (f"embedding model {manifest.model!r} does not know {rate:.0%} of the corpus's tokens; "
           "its similarities are not fused into the ranking (BM25 and graph only)"
           + ("; the chunks were not encoded" if not manifest.dense_encoded else ""))
    log.warning(msg)
    return False, [msg]


def vetoed_before_encoding(manifest: Manifest, settings: Settings) -> bool:
    """The manifest's model was judged unable to read the corpus, and still is: no vectors to build."""
    return (manifest.model is not None and not manifest.dense_encoded
            and manifest.dense_unknown_rate > max_unknown_rate(settings))


@dataclass
class DensePart:
    """What `build_dense` produced: vectors and their model, or the model that was not worth encoding."""

    embedder: Embedder | None = None
    index: DenseIndex | None = None
    model: str | None = None
    unknown_rate: float = 0.0
    encoded: bool = True
    warnings: list[str] = field(default_factory=list)


def dense_plan(chunks: Sequence[Chunk], settings: Settings) -> DensePart:
    """The model that will embed the chunks, loaded, without encoding anything yet; a model whose
    tokenizer alone shows it cannot read them is not loaded (`model` set, `embedder` None).

    Such a model's vectors would not be fused (see `dense_verdict`) and encoding is most of an
    ingest's time, so the check (tokenizer only, no torch) comes first."""
    set_embedding_threads(getattr(settings, "embedding_threads", 1))
    docs = [chunk_document(c) for c in chunks]
    planned, warnings = plan_embedder(settings.embedding_model, settings.embedding_fallback)
    rate = token_unknown_rate(planned, docs) if planned else None
    if planned and rate is not None and rate > max_unknown_rate(settings):
        return DensePart(model=planned, unknown_rate=rate, encoded=False, warnings=warnings)
    loaded = load_embedder(settings.embedding_model, settings.embedding_fallback)
    emb = loaded.embedder
    if emb is None:
        return DensePart(warnings=loaded.warnings)
    rate = emb.unknown_rate(docs)
    if rate > max_unknown_rate(settings):
        return DensePart(model=emb.name, unknown_rate=rate, encoded=False, warnings=loaded.warnings)
    return DensePart(emb, None, emb.name, rate, warnings=loaded.warnings)


def build_dense(chunks: Sequence[Chunk], settings: Settings) -> DensePart:
    """Embed the chunks now (vectors already in the data directory's cache are reused)."""
    part = dense_plan(chunks, settings)
    if part.embedder is None:
        return part
    from rag.embedding import VectorCache, chunk_texts, text_key

    emb = part.embedder
    cache = VectorCache(settings.data_dir, emb.name)
    rows = cache.load()
    texts = chunk_texts(chunks)
    keys = [text_key(emb.name, t) for t in texts]
    todo = list(dict.fromkeys(k for k in keys if k not in rows))
    if todo:
        where = {k: i for i, k in enumerate(keys)}
        cache.add(todo, emb.encode_documents([texts[where[k]] for k in todo]))
    vectors = (np.vstack([rows[k] for k in keys]).astype(np.float32) if keys
               else np.zeros((0, emb.dim), dtype=np.float32))
    part.index = DenseIndex.from_vectors(chunks, vectors, emb.name, exact_max(settings))
    return part


def _status(part: DensePart, built: bool, wanted: bool) -> str:
    if not wanted:
        return "off"
    if not built:
        return "pending"
    if part.index is not None:
        return "complete"
    return "vetoed" if part.model else "no-model"


def exact_max(settings: Settings) -> int:
    """Largest corpus (in vectors) searched exactly; a setting when the deployment defines one."""
    return int(getattr(settings, "dense_exact_max", DEFAULT_EXACT_MAX))


@dataclass
class IndexSet:
    """Chunks with their BM25 and dense indexes, as one unit that is built, saved and loaded."""

    chunks: list[Chunk]
    bm25: BM25Index
    dense: DenseIndex | None
    embedder: Embedder | None
    manifest: Manifest
    warnings: list[str] = field(default_factory=list)
    dense_ok: bool = True  # the dense signal is worth fusing (a model that reads the corpus)
    lazy_model: tuple[str, str | None] | None = None  # (model, fallback) to load at the first dense search
    _model_lock: Any = field(default_factory=threading.Lock, repr=False, compare=False)
    artefacts: Any = None  # rag.artefacts.Artefacts built at ingest (linker, catalog), saved with the index
    directory: Path | None = None  # where it was loaded from (saved artefacts are read from there on demand)
    genre: Genre | None = field(default=None, repr=False, compare=False)  # built / loaded with (None: packaged)
    _catalog_read: bool = field(default=False, repr=False, compare=False)
    _places_read: bool = field(default=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # from the key columns only: a table read on demand parses no row here
        ids = column(self.chunks, "id")
        self._by_id = dict(zip(ids, range(len(ids)), strict=True))
        self._by_measure = _rows_by_value(column(self.chunks, "measure_id"))
        # row numbers by city and by policy: a filter mask is built from these, not by a loop over chunks
        self._rows = {"city": _rows_by_value(column(self.chunks, "city")),
                      "policy": _rows_by_value(column(self.chunks, "policy_id"))}
        self._masks: dict[tuple, np.ndarray] = {}
        self._joined: str | None = None

    # -- building --------------------------------------------------------------------------
    @classmethod
    def build(cls, chunks: Sequence[Chunk], settings: Settings, sources: Iterable[str] = (),
              dense: bool = True, genre: Genre | None = None) -> IndexSet:
        """Index the chunks; `sources` are the policies' sha256s (for the corpus hash); `genre` tokenises
        them and its signature is recorded in the manifest."""
        genre = resolve(genre)
        if not isinstance(chunks, ChunkTable):  # a table (an ingest's, on disk) is read in one pass, not held
            chunks = list(chunks)
        dupes = [cid for cid, n in Counter(column(chunks, "id")).items() if n > 1]
        if dupes:
            raise ValueError(f"duplicate chunk ids: {dupes[:5]}")
        sources = list(sources)
        bm25 = BM25Index.build(iter_chunks(chunks), default_tokenizer(genre))
        wanted = bool(getattr(settings, "dense", True))
        part = build_dense(chunks, settings) if dense and wanted else DensePart()
        dense_index = part.index
        manifest = Manifest(
            corpus_hash=corpus_hash(sources), policies=len(set(column(chunks, "policy_id"))),
            chunk_count=len(chunks), model=part.model,
            model_requested=settings.embedding_model, dimension=dense_index.dim if dense_index else 0,
            index_type=dense_index.kind if dense_index else None, dense_unknown_rate=round(part.unknown_rate, 4),
            dense_encoded=part.encoded, tokenizer=bm25.signature, genre=genre.signature,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            dense_status=_status(part, dense, wanted),
        )
        ok, why = dense_verdict(manifest, settings)
        return cls(chunks, bm25, dense_index, part.embedder, manifest, part.warnings + why, dense_ok=ok, genre=genre)

    @classmethod
    def from_policies(cls, policies: Sequence[Policy], settings: Settings, dense: bool = True,
                      genre: Genre | None = None) -> IndexSet:
        """Chunk every policy and index the chunks (what ingest does after parsing; `genre` None: the
        packaged one)."""
        genre = resolve(genre)
        max_chars = int(getattr(settings, "chunk_max_chars", DEFAULT_MAX_CHARS))
        chunks = [c for p in policies for c in make_chunks(p, max_chars=max_chars, genre=genre)]
        return cls.build(chunks, settings, [p.sha256 for p in policies], dense=dense, genre=genre)

    def is_current(self, sha256s: Iterable[str]) -> bool:
        """True when the index was built from exactly these documents."""
        return self.manifest.corpus_hash == corpus_hash(sha256s)

    # -- lookup and search -------------------------------------------------------------------
    def chunk(self, chunk_id: str) -> Chunk:
        return self.chunks[self._by_id[chunk_id]]

    def has_chunk(self, chunk_id: str) -> bool:
        return chunk_id in self._by_id

    def chunks_of_measure(self, measure_id: str) -> list[Chunk]:
        return [self.chunks[int(i)] for i in self._by_measure.get(measure_id, ())]

    def mask(self, cities: Iterable[str] | None = None, policy_ids: Iterable[str] | None = None) -> np.ndarray | None:
        """Boolean row filter for the searches; None when there is nothing to filter on.

        A chunk of a document whose place is unknown (no city could be read from it) passes every
        place filter: nothing says it is about another place, and leaving it out would make a
        question about its own place unanswerable."""
        if cities is None and policy_ids is None:
            return None
        key = (frozenset(cities) if cities is not None else None, frozenset(policy_ids) if policy_ids is not None else None)
        cached = self._masks.get(key)
        if cached is not None:
            return cached
        mask = np.ones(len(self.chunks), dtype=bool)
        for kind, values in (("city", key[0]), ("policy", key[1])):
            if values is not None:
                keep = np.zeros(len(self.chunks), dtype=bool)
                for v in (*values, *UNKNOWN_PLACES) if kind == "city" else values:
                    keep[self._rows[kind].get(v, np.zeros(0, dtype=np.int64))] = True
                mask &= keep
        mask.setflags(write=False)
        if len(self._masks) >= 256:  # questions name few distinct city sets; keep memory bounded anyway
            self._masks.clear()
        self._masks[key] = mask
        return mask

    def chunks_of_policy(self, policy_id: str) -> list[Chunk]:
        """The policy's chunks in index order."""
        return [self.chunks[int(i)] for i in self._rows["policy"].get(policy_id, ())]

    def text_contains(self, term: str) -> bool:
        """Some chunk's text or context contains `term` (substring, as a reader would find it)."""
        if isinstance(self.chunks, ChunkTable):
            return self.chunks.contains_text(term)
        if self._joined is None:  # one string, built once: a substring search then runs in C
            self._joined = "\x00".join(f"{c.text}\x00{c.context or ''}" for c in self.chunks)
        return term in self._joined

    def row(self, chunk_id: str) -> int:
        """The chunk's row in the BM25 and dense indexes."""
        return self._by_id[chunk_id]

    def search_bm25(self, question: str, k: int = 10, mask: np.ndarray | None = None,
                    filtered: Sequence[str] = ()) -> list[Hit]:
        """BM25 hits; `filtered`: phrases of the question the mask already applies (see BM25Index.scores)."""
        return self.bm25.search(question, k, mask, filtered=filtered)

    def search_dense(self, question: str, k: int = 10, mask: np.ndarray | None = None) -> list[Hit]:
        """Nearest chunks by embedding; [] when there is no dense signal."""
        embedder = self.ensure_embedder()
        if self.dense is None or embedder is None:
            return []
        return self.dense.search(embedder, question, k, mask)

    def saved_linker(self) -> Any:
        """The question linker built at ingest for this generation, or None (then built from the graph)."""
        return self._artefacts().linker

    def saved_catalog(self) -> dict | None:
        """The browsing lists built at ingest (policies, filter choices), or None (read when first
        asked for: answering a question does not need them)."""
        from rag import artefacts

        found = self._artefacts()
        with self._model_lock:
            if found.catalog is None and not self._catalog_read and self.directory is not None:
                found.catalog = artefacts.load_catalog(self.directory)
            self._catalog_read = True
        return found.catalog

    def keep_linker(self, linker: Any) -> None:
        """Save a linker rebuilt from the graph (the genre vocabulary changed since ingest) with this
        generation, so that the next process loads it instead of rebuilding it (seconds at ten
        thousand documents), as a repaired BM25 index is saved."""
        from rag import artefacts

        if self.directory is None or not self.directory.is_dir():
            return
        with _locked(self.directory.parent):
            artefacts.save_linker(linker, self.directory, genre=resolve(self.genre))

    def place_index(self) -> Any:
        """The documents about each place, gathered at ingest (rag.placeindex), or None; read once."""
        from rag import placeindex

        found = self._artefacts()
        with self._model_lock:
            if found.places is None and not self._places_read and self.directory is not None:
                found.places = placeindex.load(self.directory, column(self.chunks, "id"))
            self._places_read = True
        return found.places

    def policies_about(self, terms: Iterable[str], min_clauses: int) -> set[str]:
        """Policies about a place (see rag.chunkstore.policies_about): looked up in the place index
        when it lists every term, else searched in the chunks."""
        terms = [t for t in dict.fromkeys(terms) if t]
        places = self.place_index()
        if places is not None and places.covers(terms):
            return places.policies_about(terms, min_clauses)
        return policies_about(self.chunks, terms, min_clauses)

    def _artefacts(self) -> Any:
        from rag import artefacts

        with self._model_lock:
            if self.artefacts is None:
                folder = self.directory
                self.artefacts = artefacts.Artefacts(
                    linker=artefacts.load_linker(folder, genre=resolve(self.genre)) if folder else None,
                    catalog=None)  # read by saved_catalog when asked for
            return self.artefacts

    def ensure_embedder(self) -> Embedder | None:
        """The query embedder, loading the model on first use after `load` (torch is slow to import)."""
        with self._model_lock:
            if self.embedder is None and self.lazy_model is not None:
                loaded = load_embedder(*self.lazy_model)
                self.lazy_model = None
                self.warnings.extend(w for w in loaded.warnings if w not in self.warnings)
                emb = loaded.embedder
                if emb is not None and self.dense is not None and (emb.name, emb.dim) != (self.dense.model, self.dense.dim):
                    msg = (f"embedding model {emb.name!r} does not match the index ({self.dense.model!r}); "
                           "run `policykg ingest` to rebuild it")
                    log.warning(msg)
                    self.warnings.append(msg)
                    emb = None
                self.embedder = emb
            return self.embedder

    # -- persistence -------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        """Write the whole index set atomically to `directory` (see module docstring)."""
        directory = Path(directory)
        parent = directory.parent
        parent.mkdir(parents=True, exist_ok=True)
        with _locked(parent):
            _finish_interrupted_swap(directory)
            _remove_stale_tmp(directory)
            tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.tmp-", dir=parent))
            try:
                self._write_files(tmp)
                _private_tree(tmp)
                _fsync_tree(tmp)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
            _swap(tmp, directory)

    def _write_files(self, folder: Path) -> None:
        if isinstance(self.chunks, ChunkTable):  # its files as they are: no row parsed or written again
            self.chunks.copy_to(folder)
        else:
            write_chunks(folder, self.chunks)
        self.bm25.save(folder / BM25_DIR)
        if self.dense is not None:
            self.dense.save(folder / FAISS_FILE)
        self._write_artefacts(folder)
        # the manifest goes last: a folder with a manifest is a complete folder
        (folder / MANIFEST).write_text(json.dumps(asdict(self.manifest), ensure_ascii=False, indent=2),
                                       encoding="utf-8")

    def _write_artefacts(self, folder: Path) -> None:
        """The ingest-built linker and catalog; a re-save after a repair keeps the files it found."""
        from rag import artefacts
        from rag.placeindex import PLACES_FILE

        if self.artefacts is not None:
            self.saved_catalog()  # read from the folder it was loaded from, if not yet: it is saved too
            self.place_index()
            artefacts.save(self.artefacts, folder, genre=resolve(self.genre))
        elif self.directory is not None:
            for name in (artefacts.LINKER_FILE, artefacts.CATALOG_FILE, PLACES_FILE):
                if (self.directory / name).is_file():
                    shutil.copyfile(self.directory / name, folder / name)

    @classmethod
    def load(cls, directory: Path, settings: Settings, persist_repairs: bool = True,
             genre: Genre | None = None) -> IndexSet:
        """Open a saved index set, rebuilding the parts that no longer match the settings; `genre`
        tokenises the questions (and the chunks, when its dictionary differs from the saved one)."""
        directory = Path(directory)
        genre = resolve(genre)
        tokenizer = default_tokenizer(genre)
        if not directory.exists() and _old(directory).exists():  # only then is there a swap to finish
            with _locked(directory.parent):
                _finish_interrupted_swap(directory)
        manifest, chunks = _read_core(directory, lazy=True)
        warnings: list[str] = []
        changed = False
        if persist_repairs and not isinstance(chunks, ChunkTable):
            _add_chunk_table(directory, chunks)
        bm25 = _load_bm25(directory, manifest, tokenizer)
        if bm25 is None:
            bm25 = BM25Index.build(chunks, tokenizer)
            manifest.tokenizer = bm25.signature
            changed = True
        models = (settings.embedding_model, settings.embedding_fallback)
        set_embedding_threads(getattr(settings, "embedding_threads", 1))
        planned, plan_warnings = plan_embedder(*models)
        same_model = planned is not None and planned == manifest.model
        skipped = same_model and vetoed_before_encoding(manifest, settings)
        dense = _load_dense(directory, manifest, chunks) if same_model and not skipped else None
        if not getattr(settings, "dense", True):
            dense = None
        embedder: Embedder | None = None
        deferred = manifest.dense_status in ("pending", "off") or not getattr(settings, "dense", True)
        if deferred and dense is None:
            # vectors come after the commit (rag/embedding.py); never encode while opening an index
            dense = _dense_from_cache(chunks, planned, settings) if getattr(settings, "dense", True) else None
            if dense is None and getattr(settings, "dense", True) and planned:
                warnings.append("向量检索尚未就绪（向量正在计算或未计算：运行 `policykg embed`）；本回答依据全文检索与图谱。")
            if dense is not None:
                manifest.model, manifest.dimension, manifest.index_type = planned, dense.dim, dense.kind
        elif dense is not None or skipped:  # the saved part fits: load the model only when a dense search runs
            warnings.extend(plan_warnings)
        else:
            # the saved vectors do not fit (another model, a lost dense.faiss, a veto lifted): rebuilt
            # from the vector cache when it holds every chunk, else left to `policykg embed` or the
            # app's background embedder. Opening an index never encodes the corpus (hours at scale).
            dense, why_not = _dense_for_load(chunks, manifest, planned, settings)
            warnings.extend(plan_warnings)
            if dense is not None:
                if manifest.model and manifest.model != planned:
                    msg = f"embedding model changed ({manifest.model} -> {planned}); dense index rebuilt from cached vectors"
                    log.warning(msg)
                    warnings.append(msg)
                manifest.model, manifest.dense_encoded, manifest.dense_status = planned, True, "complete"
                manifest.dimension, manifest.index_type = dense.dim, dense.kind
                changed = True
            elif why_not:
                warnings.append(why_not)
            elif planned is None:
                manifest.model = manifest.index_type = None
        manifest.model_requested = settings.embedding_model
        ok, why = dense_verdict(manifest, settings)
        ok = ok and dense is not None and bool(getattr(settings, "dense", True))
        index_set = cls(chunks, bm25, dense, embedder, manifest, warnings + why, dense_ok=ok, directory=directory,
                        genre=genre)
        if embedder is None and dense is not None:
            index_set.lazy_model = models
        if changed and persist_repairs:
            try:
                index_set.save(directory)
            except OSError as exc:
                log.warning("could not save the rebuilt index (%s); using it in memory", exc)
        return index_set


class RowIndex:
    """value -> the rows holding it, in row order, as slices of one sorted array (built at every start
    for 150,000 chunks: one dictionary entry per distinct value, no array object per value until asked)."""

    def __init__(self, values: Sequence[Any]) -> None:
        n = len(values)
        self._codes: dict[Any, int] = {}
        if not n:
            self._order = self._bounds = np.zeros(0, dtype=np.int64)
            return
        column = np.empty(n, dtype=object)
        column[:] = list(values)
        # chunks come in runs (a policy's chunks, a measure's pieces are contiguous): code each run once
        starts = np.flatnonzero(np.concatenate(([True], column[1:] != column[:-1])))
        codes = self._codes
        run_codes = np.fromiter((codes.setdefault(v, len(codes)) for v in column[starts]), dtype=np.int64,
                                count=len(starts))
        code = np.repeat(run_codes, np.diff(np.append(starts, n)))
        self._order = np.argsort(code, kind="stable")
        self._bounds = np.searchsorted(code[self._order], np.arange(len(codes) + 1))

    def get(self, value: Any, default: Any = None) -> Any:
        k = self._codes.get(value)
        return default if k is None else self._order[self._bounds[k]:self._bounds[k + 1]]

    def __len__(self) -> int:
        return len(self._codes)


def _rows_by_value(values: Sequence[Any]) -> RowIndex:
    return RowIndex(values)


# -- reading helpers -------------------------------------------------------------------------
def _unavailable(directory: Path, why: str) -> IndexUnavailable:
    return IndexUnavailable(f"the retrieval index in {directory} {why}; run `policykg ingest` to build it")


def _dense_for_load(chunks: list[Chunk], manifest: Manifest, planned: str | None,
                    settings: Settings) -> tuple[DenseIndex | None, str | None]:
    """The dense part an index opens with when its saved one does not fit: (index from cached
    vectors, None), or (None, why the dense signal waits), or (None, None) with no model at all."""
    if not planned:
        return None, None
    dense = _dense_from_cache(chunks, planned, settings)
    if dense is not None:
        return dense, None
    log.info("dense vectors for %s not computed yet; answering from BM25 and the graph until `policykg embed`",
             planned)
    return None, ("向量检索尚未就绪（当前嵌入模型的向量尚未计算：运行 `policykg embed`）；"
                  "本回答依据全文检索与图谱。")


def _dense_from_cache(chunks: list[Chunk], model: str | None, settings: Settings) -> DenseIndex | None:
    """A dense index from cached vectors when every chunk has one (a run finished for these chunks)."""
    if not model:
        return None
    from rag.embedding import vectors_from_cache

    vectors = vectors_from_cache(chunks, model, settings.data_dir)
    return None if vectors is None else DenseIndex.from_vectors(chunks, vectors, model, exact_max(settings))


def read_index_core(directory: Path, lazy: bool = False) -> tuple[Manifest, Sequence[Chunk]]:
    """Manifest and chunks of a saved index folder (IndexUnavailable when missing or damaged;
    `lazy`: rows parsed when used, where the folder has a chunk table)."""
    return _read_core(Path(directory), lazy=lazy)


def _read_core(directory: Path, lazy: bool = False) -> tuple[Manifest, Sequence[Chunk]]:
    """Manifest and chunks, validated against each other (`lazy`: a ChunkTable that parses rows when
    used, where the folder has one)."""
    if not (directory / MANIFEST).is_file():
        raise _unavailable(directory, "is missing")
    try:
        manifest = Manifest.from_dict(json.loads((directory / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise _unavailable(directory, f"is damaged ({exc})") from exc
    if manifest.format_version != FORMAT_VERSION:
        raise _unavailable(directory, f"has format {manifest.format_version}, this version reads {FORMAT_VERSION}")
    table = open_table(directory, manifest.chunk_count) if lazy else None
    if table is not None:
        return manifest, table
    try:
        with no_gc():  # a hundred thousand small objects: the cyclic collector would walk them repeatedly
            rows = json.loads((directory / CHUNKS).read_text(encoding="utf-8"))
            chunks = [chunk_from_row(r) for r in rows]
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise _unavailable(directory, f"is damaged ({exc})") from exc
    if manifest.chunk_count != len(chunks):
        raise _unavailable(directory, f"is damaged ({len(chunks)} chunks, manifest says {manifest.chunk_count})")
    return manifest, chunks


def _add_chunk_table(directory: Path, chunks: Sequence[Chunk]) -> None:
    """Give an index written before chunk tables existed its side files (the next start reads it on
    demand); a read-only folder just stays as it is."""
    try:
        with _locked(directory.parent):
            if add_side_files(directory, chunks):
                log.info("chunk table added to %s", directory)
    except OSError as exc:
        log.debug("chunk table not added to %s: %s", directory, exc)


def _load_bm25(directory: Path, manifest: Manifest, tokenizer: PolicyTokenizer) -> BM25Index | None:
    """The saved BM25 part, or None when it must be rebuilt (other tokenizer, damaged files)."""
    if manifest.tokenizer != tokenizer.signature:
        log.info("tokenizer dictionary changed; rebuilding the BM25 index")
        return None
    try:
        bm25 = BM25Index.load(directory / BM25_DIR, tokenizer)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("BM25 index unreadable (%s); rebuilding it", exc)
        return None
    return bm25 if len(bm25) == manifest.chunk_count else None


def _load_dense(directory: Path, manifest: Manifest, chunks: list[Chunk]) -> DenseIndex | None:
    """The saved FAISS part, when present, readable and consistent with the manifest; else None."""
    path = directory / FAISS_FILE
    if not manifest.model or not path.is_file():
        return None
    try:
        dense = DenseIndex.load(path, list(column(chunks, "id")), list(column(chunks, "measure_id")),
                                manifest.model, manifest.index_type or "flat")
    except (RuntimeError, ValueError, OSError) as exc:
        log.warning("FAISS index unreadable (%s); rebuilding it", exc)
        return None
    return dense if dense.dim == manifest.dimension else None


# -- atomic folder swap ----------------------------------------------------------------------
def _old(directory: Path) -> Path:
    return directory.with_name(directory.name + ".old")


@contextlib.contextmanager
def _locked(parent: Path) -> Iterator[None]:
    """One writer at a time per data folder (advisory lock, released if the process dies)."""
    with os.fdopen(os.open(parent / ".index.lock", os.O_RDWR | os.O_CREAT, 0o600), "r+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _swap(new: Path, directory: Path) -> None:
    """Put `new` at `directory`, keeping the current one as .old until the rename succeeded."""
    old = _old(directory)
    if old.exists():
        shutil.rmtree(old)
    if directory.exists():
        os.replace(directory, old)
    os.replace(new, directory)
    fsync_dir(directory.parent)
    shutil.rmtree(old, ignore_errors=True)


def _finish_interrupted_swap(directory: Path) -> None:
    """A crash between the two renames leaves only .old: put it back."""
    old = _old(directory)
    if not directory.exists() and (old / MANIFEST).is_file():
        log.warning("restoring the previous index from %s after an interrupted save", old)
        os.replace(old, directory)
        fsync_dir(directory.parent)


def _remove_stale_tmp(directory: Path) -> None:
    """Temporary folders left by crashed saves (old enough not to belong to a live writer)."""
    cutoff = time.time() - STALE_TMP_SECONDS
    for p in directory.parent.glob(f".{directory.name}.tmp-*"):
        with contextlib.suppress(OSError):
            if p.stat().st_mtime < cutoff:
                shutil.rmtree(p, ignore_errors=True)


def _private_tree(folder: Path) -> None:
    """Owner-only permissions: the chunks quote every ingested document (libraries write with the umask)."""
    for root, dirs, files in os.walk(folder):
        os.chmod(root, 0o700)
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o700)
        for name in files:
            os.chmod(os.path.join(root, name), 0o600)


def _fsync_tree(folder: Path) -> None:
    for root, _dirs, files in os.walk(folder):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(root))


