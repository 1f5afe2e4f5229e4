"""Weighted reciprocal rank fusion: one ranking from the BM25, dense and graph signals.

RRF uses ranks, not scores, so signals on incomparable scales (BM25 sums, cosines, graph matches)
combine without calibration: score(d) = sum over signals s of weight_s / (k + rank_s(d)).

The default weights and constant are calibrated on the dev part of the development questions
(eval/gold/devcorpus_questions.yaml; see the README's evaluation section): a small constant makes
each signal's first hits count most, so fusion interleaves the signals' best hits instead of
promoting what several signals rank mediocrely, and the graph counts less than the text signals
because its facts (every support item of a city, every duty of a department) rank many measures
that do not answer the question. With these values a graph fact alone never pushes out the first
hits of the text signals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rag.model import Hit

# Calibrated on the dev part of the development questions (eval/gold/devcorpus_questions.yaml): 670
# answerable questions with a known clause, each signal's ranking fused again offline with each
# setting (hit@1 / hit@5 / MRR before the rerank by the asked kind of fact):
#   {bm25 1, dense 0.6, graph 0.5}, k 2 (the setting calibrated on the first 99): 0.728 / 0.922 / 0.812;
#   dense 0.8: 0.745 / 0.936 / 0.825; dense 1.0: 0.757 / 0.936 / 0.834; dense 1.05-1.2: 0.761-0.763 /
#   0.936-0.937 / 0.835-0.837; dense 1.5: 0.757 / 0.933 / 0.834; k 1-5 and graph 0.25-0.75 around
#   these all within 0.005 of MRR. On the 246 questions with words no document writes, BM25 alone
#   reaches hit@1 0.593, dense alone 0.667: the dense signal is the better judge of a question in the
#   user's own words, and a little more weight than BM25 lets its first clause win when the two
#   disagree, unless the dense signal also ranks BM25's first near its top (or BM25 ranks neither
#   high). The graph still counts least: its facts rank every support item of a city or every duty
#   of a department.
DEFAULT_WEIGHTS = {"bm25": 1.0, "dense": 1.1, "graph": 0.5}
DEFAULT_K = 2


def rrf(rankings: Mapping[str, Sequence[Hit]], weights: Mapping[str, float] | None = None,
        k: int = DEFAULT_K) -> list[Hit]:
    """Fused hits (signal="fused"), best first, each with its per-signal scores and ranks.

    A signal missing from `weights` counts with weight 1; weight 0 ignores it. A hit's rank is its
    `rank` when set (> 0: several pieces of one measure may share the measure's rank), else its
    1-based position in the list; a chunk listed twice by one signal counts once, at its first place.
    Ties are broken by the best single-signal rank, then by chunk id, so the order is stable."""
    weights = weights or {}
    fused: dict[str, Hit] = {}
    for signal, hits in rankings.items():
        w = float(weights.get(signal, 1.0))
        if w == 0:
            continue
        for position, hit in enumerate(hits, 1):
            rank = hit.rank if hit.rank > 0 else position
            out = fused.setdefault(hit.chunk_id, Hit(chunk_id=hit.chunk_id, measure_id=hit.measure_id,
                                                     score=0.0, signal="fused"))
            if signal in out.ranks:
                continue
            out.score += w / (k + rank)
            out.ranks[signal] = rank
            out.scores[signal] = hit.score
    order = sorted(fused.values(), key=lambda h: (-h.score, min(h.ranks.values()), h.chunk_id))
    for rank, hit in enumerate(order, 1):
        hit.rank = rank
    return order
