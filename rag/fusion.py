"""Weighted reciprocal rank fusion: one ranking from the BM25, dense and graph signals.

RRF uses ranks, not scores, so signals on incomparable scales (BM25 sums, cosines, graph matches)
combine without calibration: score(d) = sum over signals s of weight_s / (k + rank_s(d)).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rag.model import Hit


def rrf(rankings: Mapping[str, Sequence[Hit]], weights: Mapping[str, float] | None = None,
        k: int = 60) -> list[Hit]:
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
