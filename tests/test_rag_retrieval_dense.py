"""Dense retrieval with the packaged MiniLM model (real weights, offline) and FAISS index choice."""

from __future__ import annotations

import logging

import faiss
import numpy as np
import pytest

from rag.dense import (
    PACKAGED_MODEL,
    DenseIndex,
    build_faiss,
    choose_index_type,
    load_embedder,
    measure_index_costs,
    search_faiss,
)


@pytest.fixture(scope="module")
def embedder():
    loaded = load_embedder(PACKAGED_MODEL)
    assert loaded.embedder is not None, loaded.warnings
    assert loaded.warnings == []
    return loaded.embedder


def test_packaged_model_embeds_normalised_vectors(embedder):
    vecs = embedder.encode_documents(["open source policy", "subsidy for computing power", "开源"])
    assert vecs.shape == (3, embedder.dim) and embedder.dim == 384
    assert vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    query = embedder.encode_query("subsidies for renting compute")
    assert query.shape == (1, 384)
    sims = vecs @ query[0]
    assert int(np.argmax(sims)) == 1  # the model carries English meaning


def test_model_is_loaded_once_per_process(embedder):
    assert load_embedder(PACKAGED_MODEL).embedder.model is embedder.model


def test_fallback_warns_and_still_embeds(caplog):
    with caplog.at_level(logging.WARNING, logger="rag.dense"):
        loaded = load_embedder("policykg-test/no-such-model", fallback=PACKAGED_MODEL)
    assert loaded.embedder is not None and loaded.embedder.name == PACKAGED_MODEL
    assert loaded.embedder.fallback
    assert loaded.warnings and "policykg-test/no-such-model" in loaded.warnings[0]
    assert any("no-such-model" in r.getMessage() for r in caplog.records)
    assert loaded.embedder.encode_query("x").shape == (1, 384)


def test_no_model_at_all_means_no_dense_signal():
    loaded = load_embedder("policykg-test/missing-a", fallback="policykg-test/missing-b")
    assert loaded.embedder is None
    assert loaded.warnings and "without the dense signal" in loaded.warnings[0]


def test_unknown_rate_tells_whether_the_model_reads_the_language(embedder):
    assert embedder.unknown_rate(["在上海租用算力做大模型研发能拿到什么补贴"]) > 0.5
    assert embedder.unknown_rate(["subsidies for renting computing power"]) < 0.05


def test_index_type_follows_size():
    assert choose_index_type(10, exact_max=100) == "flat"
    assert choose_index_type(100, exact_max=100) == "flat"
    assert choose_index_type(101, exact_max=100) == "hnsw"


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_both_index_types_find_stored_vectors(kind):
    rng = np.random.default_rng(1)
    vecs = rng.standard_normal((300, 32)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    index = build_faiss(vecs, kind)
    assert index.metric_type == faiss.METRIC_INNER_PRODUCT
    assert isinstance(index, faiss.IndexHNSWFlat if kind == "hnsw" else faiss.IndexFlatIP)
    scores, ids = search_faiss(index, vecs[7:8], 5)
    assert ids[0] == 7 and scores[0] == pytest.approx(1.0, abs=1e-4)
    allowed = np.arange(100, 200)
    _, ids = search_faiss(index, vecs[7:8], 5, allowed=allowed)
    assert len(ids) and all(100 <= i < 200 for i in ids)


def test_dense_index_over_chunks(embedder, retrieval_chunks, tmp_path):
    flat = DenseIndex.build(retrieval_chunks, embedder, exact_max=len(retrieval_chunks))
    assert flat.kind == "flat"
    vectors = flat.index.reconstruct_n(0, flat.index.ntotal)
    hnsw = DenseIndex(build_faiss(vectors, "hnsw"), flat.chunk_ids, flat.measure_ids, flat.model, "hnsw")
    assert flat.dim == 384 and flat.model == PACKAGED_MODEL
    hits = flat.search(embedder, "open source supply chain risk", 3)
    assert len(hits) == 3 and all(h.signal == "dense" for h in hits)
    assert [h.chunk_id for h in hits] == [h.chunk_id for h in hnsw.search(embedder, "open source supply chain risk", 3)]
    flat.save(tmp_path / "d.faiss")
    again = DenseIndex.load(tmp_path / "d.faiss", flat.chunk_ids, flat.measure_ids, flat.model, flat.kind)
    assert [h.chunk_id for h in again.search(embedder, "risk", 3)] == [h.chunk_id for h in flat.search(embedder, "risk", 3)]
    with pytest.raises(ValueError):
        DenseIndex.load(tmp_path / "d.faiss", flat.chunk_ids[:-1], flat.measure_ids[:-1], flat.model, "flat")


def test_build_chooses_hnsw_above_the_threshold(embedder, retrieval_chunks):
    small = retrieval_chunks[:2]
    assert DenseIndex.build(small, embedder, exact_max=2).kind == "flat"
    built = DenseIndex.build(small, embedder, exact_max=1)
    assert built.kind == "hnsw" and isinstance(built.index, faiss.IndexHNSWFlat)


def test_index_cost_measurement_reports_both_types():
    rows = measure_index_costs(sizes=(200,), dim=16, queries=5, k=5)
    assert {r["index"] for r in rows} == {"flat", "hnsw"}
    flat = next(r for r in rows if r["index"] == "flat")
    assert flat["recall@5"] == 1.0 and flat["n"] == 200
