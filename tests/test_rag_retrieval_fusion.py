"""Weighted reciprocal rank fusion: the arithmetic, weights, duplicates and tie-breaking."""

from __future__ import annotations

import pytest

from rag.fusion import DEFAULT_WEIGHTS, rrf
from rag.model import Hit


def ranking(signal: str, *ids: str) -> list[Hit]:
    return [Hit(chunk_id=i, measure_id=i.split("#")[0], score=10.0 - n, signal=signal) for n, i in enumerate(ids)]


def test_scores_follow_the_formula():
    fused = rrf({"bm25": ranking("bm25", "a", "b", "c"), "dense": ranking("dense", "c", "a")},
                {"bm25": 1.0, "dense": 0.5}, k=60)
    scores = {h.chunk_id: h.score for h in fused}
    assert scores["a"] == pytest.approx(1 / 61 + 0.5 / 62)
    assert scores["b"] == pytest.approx(1 / 62)
    assert scores["c"] == pytest.approx(1 / 63 + 0.5 / 61)
    assert [h.chunk_id for h in fused] == ["a", "c", "b"]
    assert [h.rank for h in fused] == [1, 2, 3]
    assert all(h.signal == "fused" for h in fused)


def test_per_signal_ranks_and_scores_are_kept():
    fused = rrf({"bm25": ranking("bm25", "a", "b"), "dense": ranking("dense", "b")}, {}, k=60)
    b = next(h for h in fused if h.chunk_id == "b")
    assert b.ranks == {"bm25": 2, "dense": 1}
    assert b.scores == {"bm25": 9.0, "dense": 10.0}


def test_weights_change_the_winner():
    rankings = {"bm25": ranking("bm25", "a", "b"), "graph": ranking("graph", "b", "a")}
    assert rrf(rankings, {"bm25": 1.0, "graph": 0.5})[0].chunk_id == "a"
    assert rrf(rankings, {"bm25": 1.0, "graph": 1.5})[0].chunk_id == "b"


def test_zero_weight_ignores_a_signal_and_missing_weight_counts_one():
    fused = rrf({"bm25": ranking("bm25", "a"), "dense": ranking("dense", "z")}, {"dense": 0.0}, k=10)
    assert [h.chunk_id for h in fused] == ["a"]
    assert fused[0].score == pytest.approx(1 / 11)


def test_constant_k_flattens_rank_differences():
    rankings = {"bm25": ranking("bm25", "a", "b")}
    sharp = rrf(rankings, k=1)
    flat = rrf(rankings, k=1000)
    assert sharp[0].score / sharp[1].score > flat[0].score / flat[1].score


def test_duplicate_within_a_signal_counts_once():
    fused = rrf({"bm25": ranking("bm25", "a", "a", "b")}, k=60)
    assert next(h for h in fused if h.chunk_id == "a").score == pytest.approx(1 / 61)


def test_explicit_rank_is_used_for_shared_positions():
    graph = [Hit("m#1", "m", 1.0, "graph", rank=1), Hit("m#2", "m", 1.0, "graph", rank=1),
             Hit("x", "x", 0.5, "graph", rank=2)]
    fused = {h.chunk_id: h.score for h in rrf({"graph": graph}, k=60)}
    assert fused["m#1"] == fused["m#2"] == pytest.approx(1 / 61)
    assert fused["x"] == pytest.approx(1 / 62)


def test_ties_break_deterministically():
    one = rrf({"bm25": ranking("bm25", "b"), "dense": ranking("dense", "a")}, k=60)
    two = rrf({"dense": ranking("dense", "a"), "bm25": ranking("bm25", "b")}, k=60)
    assert [h.chunk_id for h in one] == [h.chunk_id for h in two] == ["a", "b"]


def test_empty_input():
    assert rrf({}, {}) == []
    assert rrf({"bm25": []}) == []


def test_graph_facts_alone_never_push_out_the_first_bm25_hits():
    """A graph fact no text signal ranks (every support item of a city, say) stays behind the first
    BM25 hits with the default weights and constant; the graph still breaks ties between them."""
    bm25 = ranking("bm25", "a", "b", "c")
    graph = ranking("graph", *(f"g{i}" for i in range(20)))
    fused = [h.chunk_id for h in rrf({"bm25": bm25, "graph": graph}, DEFAULT_WEIGHTS)]
    assert fused[:3] == ["a", "b", "c"]
    agreed = [h.chunk_id for h in rrf({"bm25": bm25, "graph": ranking("graph", "c")}, DEFAULT_WEIGHTS)]
    assert agreed.index("c") < agreed.index("b")


def test_the_text_signals_first_hits_lead_and_dense_wins_their_disagreement():
    """BM25's and the dense signal's first clauses lead; when they disagree the dense signal's wins (the
    better judge of a question in the user's own words), unless it also ranks BM25's first near its
    top. A graph fact alone passes neither."""
    bm25 = ranking("bm25", "a", "b")
    dense = ranking("dense", *(f"d{i}" for i in range(20)))
    graph = ranking("graph", *(f"g{i}" for i in range(20)))
    alone = rrf({"bm25": bm25, "dense": dense, "graph": graph}, DEFAULT_WEIGHTS)
    assert [h.chunk_id for h in alone[:2]] == ["d0", "a"]  # the graph's g0 is behind both
    seconded = rrf({"bm25": bm25, "dense": ranking("dense", "d0", "a"), "graph": graph}, DEFAULT_WEIGHTS)
    assert seconded[0].chunk_id == "a"  # BM25's first, second to the dense signal, beats its first
    both = rrf({"bm25": bm25, "dense": dense, "graph": ranking("graph", "d0")}, DEFAULT_WEIGHTS)
    assert [h.chunk_id for h in both[:2]] == ["d0", "a"]
