"""Hybrid retrieval: BM25 + dense + (optional) graph, fused by RRF; also a LangChain retriever.

The graph signal belongs to the answering side (entity linking and named graph queries); it is
passed in as a callable `graph_hits(question) -> list[Hit]`. Graph hits may name a measure rather
than a chunk (`chunk_id` unknown to the index): they then stand for every piece of that measure,
at the measure's rank. A failing graph signal is reported in `warnings` and left out, so retrieval
still answers from the text indexes.

`HybridRetriever` does the work and imports nothing of LangChain; `PolicyRetriever` is the same
retriever as a LangChain `BaseRetriever`, defined on first use: importing langchain_core.retrievers
takes seconds, which a command-line question should not pay when nothing uses LangChain.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from rag.fusion import DEFAULT_K, DEFAULT_WEIGHTS, rrf
from rag.indexes import IndexSet
from rag.model import Hit
from rag.settings import Settings

log = logging.getLogger(__name__)

GraphSignal = Callable[[str], Sequence[Hit]]
DEFAULT_FETCH_K = 50


def default_weights() -> dict[str, float]:
    return dict(DEFAULT_WEIGHTS)


def settings_weights(index: IndexSet, settings: Settings) -> dict[str, float]:
    """Fusion weights from the settings; the dense weight is 0 when the index judged its model
    unable to read the corpus (IndexSet.dense_ok)."""
    weights = dict(settings.fusion_weights)
    if not index.dense_ok:
        weights["dense"] = 0.0
    return weights


@dataclass
class Retrieval:
    """Everything one retrieval produced: fused hits, each signal's own ranking, stage timings."""

    question: str
    hits: list[Hit]  # fused, best first, at most k
    rankings: dict[str, list[Hit]] = field(default_factory=dict)  # per signal, best first
    timings_ms: dict[str, float] = field(default_factory=dict)  # bm25, dense, graph, fusion
    warnings: list[str] = field(default_factory=list)


@dataclass
class HybridRetriever:
    """Fused retrieval over an IndexSet."""

    index: IndexSet
    graph_hits: GraphSignal | None = None
    weights: dict[str, float] = field(default_factory=default_weights)
    rrf_k: int = DEFAULT_K
    k: int = 8
    fetch_k: int = DEFAULT_FETCH_K  # candidates taken from each signal before fusion
    cities: list[str] | None = None  # restrict to these cities (None = all)
    policy_ids: list[str] | None = None  # restrict to these policies (None = all)

    @classmethod
    def from_settings(cls, index: IndexSet, settings: Settings, graph_hits: GraphSignal | None = None,
                      **kwargs) -> HybridRetriever:
        """Weights, k and RRF constant from the settings (see `settings_weights`)."""
        return cls(index=index, graph_hits=graph_hits, weights=settings_weights(index, settings),
                   rrf_k=settings.rrf_k, k=settings.top_k, **kwargs)

    def retrieve(self, question: str, k: int | None = None, cities: Sequence[str] | None = None,
                 policy_ids: Sequence[str] | None = None, all_signals: bool = False,
                 filtered: Sequence[str] = ()) -> Retrieval:
        """Run the signals, fuse, and keep the k best chunks.

        Signals with weight 0 are skipped (they could not change the fusion) unless `all_signals`,
        which evaluation uses to report every signal's own ranking. `filtered`: phrases of the
        question that `cities` already applies (its places), which BM25 counts less."""
        k = k or self.k
        cities = cities if cities is not None else self.cities
        policy_ids = policy_ids if policy_ids is not None else self.policy_ids
        mask = self.index.mask(cities, policy_ids)
        out = Retrieval(question=question, hits=[], warnings=list(self.index.warnings))
        signals: dict[str, Callable[[], list[Hit]]] = {
            "bm25": lambda: self._bm25(question, mask, filtered),
            "dense": lambda: self.index.search_dense(question, self.fetch_k, mask),
        }
        if self.graph_hits is not None:
            signals["graph"] = lambda: self._graph(question, mask, out.warnings)
        for name, run in signals.items():
            if not all_signals and not self.weights.get(name, 1.0):
                continue
            t0 = time.perf_counter()
            out.rankings[name] = run()
            out.timings_ms[name] = (time.perf_counter() - t0) * 1000
        t0 = time.perf_counter()
        out.hits = rrf(out.rankings, self.weights, self.rrf_k)[:k]
        out.timings_ms["fusion"] = (time.perf_counter() - t0) * 1000
        return out

    def _bm25(self, question: str, mask: np.ndarray | None, filtered: Sequence[str]) -> list[Hit]:
        if filtered and mask is not None:
            return self.index.search_bm25(question, self.fetch_k, mask, filtered=filtered)
        return self.index.search_bm25(question, self.fetch_k, mask)

    def _graph(self, question: str, mask: np.ndarray | None, warnings: list[str]) -> list[Hit]:
        """The graph signal's hits mapped onto chunks; [] (with a warning) if it fails."""
        try:
            raw = list(self.graph_hits(question)) if self.graph_hits else []
        except Exception as exc:  # the graph is optional evidence: never fail retrieval on it
            msg = f"graph signal unavailable: {exc}"
            log.warning(msg)
            warnings.append(msg)
            return []
        hits = graph_to_chunks(self.index, raw)
        if mask is None:
            return hits
        # look the few graph hits up in the mask instead of listing every allowed chunk id
        return [h for h in hits if self.index.has_chunk(h.chunk_id) and mask[self.index.row(h.chunk_id)]]


def chunk_metadata(index: IndexSet, hit: Hit) -> dict:
    """Where a hit's chunk comes from, with its scores: the metadata of its LangChain Document."""
    c = index.chunk(hit.chunk_id)
    return {
        "chunk_id": c.id, "policy_id": c.policy_id, "measure_id": c.measure_id, "doc_no": c.doc_no,
        "title": c.title, "city": c.city, "section": c.section, "measure": c.measure, "kind": c.kind,
        "start": c.start, "end": c.end, "part": c.part, "parts": c.parts,
        "score": hit.score, "rank": hit.rank, "scores": dict(hit.scores), "ranks": dict(hit.ranks),
    }


@functools.cache
def _langchain_retriever() -> type:
    """PolicyRetriever: HybridRetriever as a LangChain BaseRetriever (imports LangChain on first use)."""
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document
    from langchain_core.retrievers import BaseRetriever
    from pydantic import ConfigDict, Field, SkipValidation

    class PolicyRetriever(BaseRetriever):
        """Fused retrieval over an IndexSet; returns Documents whose metadata cite the clause."""

        model_config = ConfigDict(arbitrary_types_allowed=True)

        index: SkipValidation[IndexSet]  # taken as is: a large object, not data to validate
        graph_hits: GraphSignal | None = None
        weights: dict[str, float] = Field(default_factory=default_weights)
        rrf_k: int = DEFAULT_K
        k: int = 8
        fetch_k: int = DEFAULT_FETCH_K
        cities: list[str] | None = None
        policy_ids: list[str] | None = None

        @classmethod
        def from_settings(cls, index: IndexSet, settings: Settings, graph_hits: GraphSignal | None = None,
                          **kwargs) -> PolicyRetriever:
            return cls(index=index, graph_hits=graph_hits, weights=settings_weights(index, settings),
                       rrf_k=settings.rrf_k, k=settings.top_k, **kwargs)

        def hybrid(self) -> HybridRetriever:
            return HybridRetriever(index=self.index, graph_hits=self.graph_hits, weights=self.weights,
                                   rrf_k=self.rrf_k, k=self.k, fetch_k=self.fetch_k, cities=self.cities,
                                   policy_ids=self.policy_ids)

        def retrieve(self, question: str, k: int | None = None, cities: Sequence[str] | None = None,
                     policy_ids: Sequence[str] | None = None, all_signals: bool = False,
                     filtered: Sequence[str] = ()) -> Retrieval:
            """See HybridRetriever.retrieve."""
            return self.hybrid().retrieve(question, k, cities, policy_ids, all_signals, filtered)

        def to_document(self, hit: Hit) -> Document:
            """A LangChain Document for a hit: the chunk text, and where it comes from as metadata."""
            return Document(id=hit.chunk_id, page_content=self.index.chunk(hit.chunk_id).text,
                            metadata=chunk_metadata(self.index, hit))

        def _get_relevant_documents(self, query: str, *,
                                    run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
            return [self.to_document(h) for h in self.retrieve(query).hits]

    PolicyRetriever.__module__ = __name__
    return PolicyRetriever


def __getattr__(name: str):
    if name == "PolicyRetriever":
        return _langchain_retriever()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def graph_to_chunks(index: IndexSet, hits: Sequence[Hit]) -> list[Hit]:
    """Graph hits on chunks: known chunk ids pass; measure-level hits expand to the measure's pieces."""
    out: list[Hit] = []
    seen: set[str] = set()
    for position, h in enumerate(hits, 1):
        rank = h.rank if h.rank > 0 else position
        if index.has_chunk(h.chunk_id):
            targets = [index.chunk(h.chunk_id)]
        else:
            targets = index.chunks_of_measure(h.measure_id)
        for c in targets:
            if c.id not in seen:
                seen.add(c.id)
                out.append(Hit(chunk_id=c.id, measure_id=c.measure_id, score=h.score, signal="graph", rank=rank))
    return out
