"""PolicyRetriever: a LangChain retriever fusing BM25, dense and an optional graph signal."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableLambda

from rag.model import Hit
from rag.retriever import PolicyRetriever, graph_to_chunks

QUESTION = "谁负责防范开源供应链风险"


@pytest.fixture
def retriever(retrieval_index):
    return PolicyRetriever(index=retrieval_index, weights={"bm25": 1.0, "dense": 0.5, "graph": 1.5}, k=4)


def test_is_a_langchain_retriever_returning_documents(retriever):
    assert isinstance(retriever, BaseRetriever)
    docs = retriever.invoke(QUESTION)
    assert 0 < len(docs) <= 4 and all(isinstance(d, Document) for d in docs)
    top = docs[0]
    chunk = retriever.index.chunk(top.metadata["chunk_id"])
    assert top.page_content == chunk.text
    assert top.metadata["measure"] == "（二）防范开源供应链风险"
    for key, value in {"policy_id": "sh-open", "doc_no": "沪府办〔2025〕33号", "city": "上海",
                       "title": "上海市加强开源体系建设实施方案", "section": "二、实施开源基础能力筑基工程",
                       "start": chunk.start, "end": chunk.end}.items():
        assert top.metadata[key] == value
    assert set(top.metadata["scores"]) <= {"bm25", "dense"} and "bm25" in top.metadata["scores"]


def test_plugs_into_a_chain(retriever):
    chain = retriever | RunnableLambda(lambda docs: [d.metadata["measure_id"] for d in docs])
    assert chain.invoke(QUESTION)[0] == "sh-open/s2/m2"


def test_retrieve_reports_each_signal_and_timings(retriever):
    out = retriever.retrieve(QUESTION)
    assert set(out.rankings) == {"bm25", "dense"}
    assert {"bm25", "dense", "fusion"} <= set(out.timings_ms)
    assert all(h.signal == "fused" for h in out.hits)
    assert out.hits[0].ranks["bm25"] == 1


def test_from_settings_mutes_a_model_that_cannot_read_the_corpus(retrieval_index, retrieval_settings):
    assert not retrieval_index.dense_ok
    r = PolicyRetriever.from_settings(retrieval_index, retrieval_settings)
    assert r.weights["dense"] == 0.0 and r.weights["bm25"] == retrieval_settings.fusion_weights["bm25"]
    assert r.k == retrieval_settings.top_k and r.rrf_k == retrieval_settings.rrf_k
    out = r.retrieve(QUESTION)
    assert "dense" not in out.rankings  # weight 0: not computed
    assert set(r.retrieve(QUESTION, all_signals=True).rankings) == {"bm25", "dense"}
    assert out.warnings  # the index's warnings travel with every retrieval


def test_graph_signal_is_fused(retrieval_index):
    target = "nj-open/s1/m1"  # a measure BM25 would not rank first for this question

    def graph(question):
        return [Hit(chunk_id="", measure_id=target, score=1.0, signal="graph")]

    plain = PolicyRetriever(index=retrieval_index, k=3).retrieve("开源人才")
    with_graph = PolicyRetriever(index=retrieval_index, graph_hits=graph, k=3,
                                 weights={"bm25": 1.0, "dense": 0.0, "graph": 3.0}).retrieve("开源人才")
    assert plain.hits[0].measure_id != target
    assert with_graph.hits[0].measure_id == target
    assert with_graph.hits[0].ranks["graph"] == 1


def test_measure_level_graph_hits_cover_every_piece(retrieval_index):
    split = next(c for c in retrieval_index.chunks if c.parts > 1)
    hits = graph_to_chunks(retrieval_index, [Hit("", split.measure_id, 1.0, "graph"),
                                          Hit("nj-open/s1/m2", "nj-open/s1/m2", 0.5, "graph"),
                                          Hit("", "no-such-measure", 0.1, "graph")])
    pieces = [h for h in hits if h.measure_id == split.measure_id]
    assert len(pieces) == split.parts and all(h.rank == 1 for h in pieces)
    assert [h.chunk_id for h in hits if h.rank == 2] == ["nj-open/s1/m2"]
    assert not any(h.measure_id == "no-such-measure" for h in hits)


def test_failing_graph_signal_is_reported_not_raised(retrieval_index):
    def broken(question):
        raise ConnectionError("graph store down")

    out = PolicyRetriever(index=retrieval_index, graph_hits=broken).retrieve(QUESTION)
    assert out.hits and out.rankings["graph"] == []
    assert any("graph store down" in w for w in out.warnings)


def test_city_filter(retrieval_index):
    r = PolicyRetriever(index=retrieval_index, cities=["南京"])
    docs = r.invoke("开源")
    assert docs and {d.metadata["city"] for d in docs} == {"南京"}
    out = PolicyRetriever(index=retrieval_index).retrieve("开源", cities=["上海"])
    assert {retrieval_index.chunk(h.chunk_id).city for h in out.hits} == {"上海"}


def test_default_fusion_keeps_the_strong_bm25_hit_against_many_graph_facts(retrieval_index):
    """The graph signal ranks ten measures the question does not ask about: the clause BM25 ranks
    first is still the first fused hit (the former weights let the graph's facts push it out)."""
    plain = PolicyRetriever(index=retrieval_index, k=5).retrieve(QUESTION)
    top = plain.hits[0].measure_id
    others = [c.measure_id for c in retrieval_index.chunks if c.measure_id != top]
    noise = list(dict.fromkeys(others))[:10]

    def graph(question):
        return [Hit(chunk_id="", measure_id=m, score=1.0, signal="graph") for m in noise]

    fused = PolicyRetriever(index=retrieval_index, graph_hits=graph, k=5).retrieve(QUESTION)
    assert fused.hits[0].measure_id == top
