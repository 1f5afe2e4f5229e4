"""Vectors after the commit: the dense signal never holds an ingest hostage.

An ingest commits the graph and BM25 first (questions are answered at once from them); the chunk
vectors are computed afterwards by `embed_generation` — after the commit in `policykg ingest`, by
`policykg embed`, or in a background thread in the app (`BackgroundEmbedder`, with progress and ETA).

Vectors are saved in batches to a cache under `<data_dir>/vectors/<model>/`, keyed by the sha256 of
the model name and the exact text embedded. So a killed run resumes where it stopped, an unchanged
chunk is never embedded twice (a re-ingest, a changed neighbour document, a new generation), and a
model change starts a cache of its own. When every chunk of the current generation has a vector,
the FAISS index is written into that generation's index folder and its manifest records the model;
the next question (in this or another process) fuses the dense signal.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from rag.chunks import chunk_document
from rag.model import Chunk
from rag.settings import Settings
from rag.state import (
    IngestBusy,
    IngestLock,
    current_generation,
    ensure_private_dir,
    fsync_dir,
    read_state,
    write_state,
)

log = logging.getLogger(__name__)
ProgressFn = Callable[[str, int, int], None]
VECTORS_DIR = "vectors"


def text_key(model: str, text: str) -> str:
    """Cache key of one embedded text: its content and the model, nothing about where it sits."""
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest()[:32]


class VectorCache:
    """Vectors of one model on disk, as append-only batch files (`batch-*.npz`: keys + vectors).

    Each batch is written to a temporary file, fsynced and renamed, so a kill loses at most the
    batch being computed and never leaves a half-written file that would be read."""

    def __init__(self, data_dir: Path, model: str) -> None:
        slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("_") or "model"
        self.folder = Path(data_dir) / VECTORS_DIR / slug
        self.model = model
        self._rows: dict[str, np.ndarray] | None = None

    def load(self) -> dict[str, np.ndarray]:
        """Every cached vector by key (read once per cache object)."""
        if self._rows is None:
            self._rows = {}
            for path in sorted(self.folder.glob("batch-*.npz")):
                try:
                    with np.load(path) as data:
                        for key, vec in zip(data["keys"].tolist(), data["vectors"], strict=True):
                            self._rows[str(key)] = vec
                except (OSError, ValueError, KeyError) as exc:  # a damaged batch is recomputed
                    log.warning("ignoring unreadable vector batch %s: %s", path.name, exc)
        return self._rows

    def add(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Save one batch durably, then remember it."""
        ensure_private_dir(self.folder.parent)  # vectors/ too: mkdir(parents=True) gives parents the umask
        ensure_private_dir(self.folder)
        fd, tmp = tempfile.mkstemp(prefix=".batch-", suffix=".npz", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, keys=np.array(list(keys)), vectors=np.asarray(vectors, dtype=np.float32))
                fh.flush()
                os.fsync(fh.fileno())
            name = f"batch-{time.time_ns()}-{len(keys)}.npz"
            os.replace(tmp, self.folder / name)
            fsync_dir(self.folder)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        rows = self.load()
        for key, vec in zip(keys, vectors, strict=True):
            rows[key] = np.asarray(vec, dtype=np.float32)


@dataclass
class EmbedReport:
    """What one embedding run did; `state` is done | off | no-model | vetoed | stopped | nothing."""

    state: str = "done"
    model: str | None = None
    chunks: int = 0
    cached: int = 0  # vectors found in the cache
    computed: int = 0  # vectors computed by this run
    seconds: float = 0.0
    generation: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def per_1000_chunks_s(self) -> float | None:
        """Seconds per 1,000 computed chunks (the cost the README reports)."""
        return round(self.seconds * 1000 / self.computed, 1) if self.computed else None


def chunk_texts(chunks: Sequence[Chunk]) -> list[str]:
    return [chunk_document(c) for c in chunks]


def missing_vectors(chunks: Sequence[Chunk], model: str, data_dir: Path) -> int:
    """How many chunks have no cached vector for `model` yet."""
    rows = VectorCache(data_dir, model).load()
    return sum(1 for t in chunk_texts(chunks) if text_key(model, t) not in rows)


def vectors_from_cache(chunks: Sequence[Chunk], model: str, data_dir: Path) -> np.ndarray | None:
    """The chunks' vectors in chunk order when the cache holds all of them; else None."""
    rows = VectorCache(data_dir, model).load()
    if not rows:  # nothing computed yet: no chunk's text needs reading
        return None
    keys = [text_key(model, t) for t in chunk_texts(chunks)]
    if not keys or any(k not in rows for k in keys):
        return None
    return np.ascontiguousarray(np.vstack([rows[k] for k in keys]), dtype=np.float32)


def embed_generation(settings: Settings, progress: ProgressFn | None = None,
                     stop: threading.Event | None = None) -> EmbedReport:
    """Compute the missing vectors of the current generation and publish its dense index.

    Safe to run while questions are answered and to kill at any point; a new ingest committed
    meanwhile is followed (its chunks are embedded next, reusing every vector already cached)."""
    from rag.dense import plan_embedder
    from rag.indexes import FAISS_FILE, dense_plan, read_index_core

    progress = progress or (lambda *_: None)
    t0 = time.perf_counter()
    report = EmbedReport()
    for _ in range(5):  # a generation committed while embedding: go on with the new one
        state = read_state(settings.data_dir)
        if not state.index:
            report.state = "nothing"
            return report
        directory = settings.data_dir / state.index
        manifest, chunks = read_index_core(directory)
        report.generation, report.chunks = state.generation, len(chunks)
        if not settings.dense:
            report.state = "off"
            return report
        planned, _ = plan_embedder(settings.embedding_model, settings.embedding_fallback)
        if (planned and manifest.model == planned and manifest.dense_status == "complete"
                and (directory / FAISS_FILE).is_file()):
            report.state, report.model = "done", planned
            return report
        plan = dense_plan(chunks, settings)
        report.warnings = plan.warnings
        report.model = plan.model
        if plan.model is None or plan.embedder is None:
            report.state = "vetoed" if plan.model else "no-model"
            _publish(settings, state.generation, directory, None, plan)
            return report
        vectors = _compute(chunks, plan.embedder, settings, report, progress, stop)
        if vectors is None:
            report.state = "stopped"
            report.seconds = round(time.perf_counter() - t0, 2)
            return report
        if _publish(settings, state.generation, directory, vectors, plan):
            report.state = "done"
            report.seconds = round(time.perf_counter() - t0, 2)
            return report
    report.state = "stopped"
    return report


def vectors_missing(settings: Settings) -> bool:
    """The current generation has no finished dense part for the configured model, and one could be
    computed: what a starting app checks (from the manifest and the model files alone) to start the
    background embedder. A model whose vectors were vetoed for this corpus is not tried again."""
    from rag.dense import plan_embedder
    from rag.indexes import FAISS_FILE, IndexUnavailable, read_index_core

    state = current_generation(settings.data_dir)
    if not state.index or not settings.dense:
        return False
    directory = settings.data_dir / state.index
    try:
        manifest, _ = read_index_core(directory, lazy=True)
    except IndexUnavailable:
        return False
    planned, _ = plan_embedder(settings.embedding_model, settings.embedding_fallback)
    if planned is None:
        return False
    if manifest.model == planned and manifest.dense_status == "vetoed":
        return False
    return not (manifest.model == planned and manifest.dense_status == "complete"
                and (directory / FAISS_FILE).is_file())


def _compute(chunks: Sequence[Chunk], embedder, settings: Settings, report: EmbedReport,
             progress: ProgressFn, stop: threading.Event | None) -> np.ndarray | None:
    cache = VectorCache(settings.data_dir, embedder.name)
    rows = cache.load()
    texts = chunk_texts(chunks)
    keys = [text_key(embedder.name, t) for t in texts]
    todo = [i for i, k in enumerate(keys) if k not in rows]
    todo = list(dict.fromkeys(todo))
    report.cached = len(keys) - len(todo)
    batch = max(1, int(settings.embedding_batch))
    done = report.cached
    progress("embed", done, len(keys))
    seen: set[str] = set()
    for start in range(0, len(todo), batch):
        if stop is not None and stop.is_set():
            return None
        idx = [i for i in todo[start:start + batch] if keys[i] not in seen]
        seen.update(keys[i] for i in idx)
        if idx:
            vecs = embedder.encode_documents([texts[i] for i in idx], batch_size=batch)
            cache.add([keys[i] for i in idx], vecs)
            report.computed += len(idx)
        done += len(todo[start:start + batch])
        progress("embed", done, len(keys))
    return np.ascontiguousarray(np.vstack([rows[k] for k in keys]), dtype=np.float32) if keys else None


def _publish(settings: Settings, generation: int, directory: Path, vectors: np.ndarray | None, plan) -> bool:
    """Write the FAISS file and the manifest into the generation's folder, if it is still current.

    Under the ingest lock (short: two renames), so an ingest never sees a half-published folder;
    rewriting state.json tells every running app to reload before its next question."""
    try:
        with IngestLock(settings.data_dir, wait_seconds=60.0):
            return _publish_locked(settings, generation, directory, vectors, plan)
    except IngestBusy:  # a long ingest is writing: its new generation is embedded next (cached vectors)
        return False


def _publish_locked(settings: Settings, generation: int, directory: Path, vectors: np.ndarray | None,
                    plan) -> bool:
    import faiss

    from rag.dense import build_faiss, choose_index_type
    from rag.indexes import FAISS_FILE, MANIFEST, exact_max, read_index_core

    state = read_state(settings.data_dir)
    if state.generation != generation or not state.index or settings.data_dir / state.index != directory:
        return False
    manifest, _ = read_index_core(directory, lazy=True)
    if vectors is not None:
        kind = choose_index_type(len(vectors), exact_max(settings))
        tmp = directory / f".{FAISS_FILE}.tmp"
        faiss.write_index(build_faiss(vectors, kind), str(tmp))
        os.chmod(tmp, 0o600)  # FAISS writes with the umask; the index holds every document's vectors
        fsync_dir(tmp)
        os.replace(tmp, directory / FAISS_FILE)
        manifest.dimension, manifest.index_type = int(vectors.shape[1]), kind
        manifest.dense_status = "complete"
    else:
        manifest.dimension, manifest.index_type = 0, None
        manifest.dense_status = "vetoed" if plan.model else "no-model"
    manifest.model, manifest.dense_encoded = plan.model, vectors is not None
    manifest.dense_unknown_rate = round(plan.unknown_rate, 4)
    manifest.model_requested = settings.embedding_model
    tmp = directory / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(tmp, 0o600)
    fsync_dir(tmp)
    os.replace(tmp, directory / MANIFEST)
    fsync_dir(directory)
    write_state(settings.data_dir, state)  # a new mtime: running apps reload the generation
    return True


@dataclass
class EmbedStatus:
    """What the app shows while vectors are computed."""

    running: bool = False
    done: int = 0
    total: int = 0
    started: float = 0.0
    state: str = "idle"
    error: str | None = None

    @property
    def eta_s(self) -> float | None:
        """Seconds left at the rate measured so far in this run."""
        if not self.running or not self.total or self.done <= self._first or not self.started:
            return None
        rate = (self.done - self._first) / max(time.monotonic() - self.started, 1e-6)
        return round((self.total - self.done) / rate, 1) if rate > 0 else None

    _first: int = 0  # vectors already cached when the run started (they do not measure the rate)

    def to_json(self) -> dict:
        return {"running": self.running, "done": self.done, "total": self.total, "state": self.state,
                "eta_s": self.eta_s, "error": self.error}


class BackgroundEmbedder:
    """One embedding thread per façade: started after each ingest, stoppable, with progress."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.status = EmbedStatus()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._again = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Embed the current generation in the background (again, if a run is already going)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again.set()
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="policykg-embed", daemon=True)
            self.status = EmbedStatus(running=True, started=time.monotonic(), state="running")
            self._thread.start()

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wait(self, timeout: float | None = None) -> EmbedStatus:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.status

    def _progress(self, stage: str, done: int, total: int) -> None:
        if self.status.total != total or not self.status.done:
            self.status._first = done
            self.status.started = time.monotonic()
        self.status.done, self.status.total = done, total

    def _run(self) -> None:
        try:
            while True:
                self._again.clear()
                report = embed_generation(self.settings, self._progress, self._stop)
                self.status.state = report.state
                if not self._again.is_set() or self._stop.is_set():
                    break
        except Exception as exc:  # reported in the status; the answers go on without the dense signal
            log.warning("background embedding failed: %s", exc)
            self.status.state, self.status.error = "failed", str(exc)
        finally:
            self.status.running = False
