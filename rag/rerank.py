"""A light rerank of the fused top: a clause that states the kind of fact the question asks for.

Word overlap and meaning rank clauses by what they are about; a question also says what kind of fact
it wants (多久 a duration, 多少钱 an amount, 几套 a count in 套, 能不能 a prohibition or permission:
genre/data/answer.yaml `asked_facts`). Among the fused top, the clause about the subject that states
that kind of fact answers; its neighbour about the same subject that states none does not
("最多多少个工作日要审完": the clause "应当自受理之日起15个工作日内完成审核", not the one describing how
the application is received; "能随便回绝吗": the clause with "不得拒绝"). The rerank only reorders the
first RERANK_DEPTH (five) fused hits, by a bonus that is a share of the first hit's score, so a clause far
down the ranking is never pulled up by a number alone.

Composition already prefers, among the retrieved clauses, a sentence stating the asked kind
(rag/compose.py typed_first); the rerank puts the clause where the ranking itself is read: the
evidence an answer lists (Answer.hits), what an LLM writer is given first, and the retrieval figures
the evaluation reports. Reads each candidate's text once (RERANK_DEPTH chunks): no model, no
embedding, no index search.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rag.model import Hit

# Calibrated on the dev part of the development questions (650 with a known clause, half of them
# asking a kind of fact), fused hit@1 / hit@5 / MRR with the fusion defaults (rag/fusion.py): no
# rerank 0.737 / 0.926 / 0.818; share 0.1: 0.749 / 0.926 / 0.826; 0.2: 0.757 / 0.926 / 0.832; 0.3:
# 0.755 / 0.926 / 0.831; 0.5: 0.758 / 0.926 / 0.833 (within a question of 0.2, and a larger share lets
# a number outrank the subject more often). Depth 10 adds hit@5 (0.937) but reaches clauses
# composition otherwise leaves aside: a question no document answers (包头…优秀的单位发多少奖金) was then
# answered from a scoring clause's percentages raised from eighth place; depth 5 reorders only the top.
RERANK_SHARE = 0.2
RERANK_DEPTH = 5

_SENTENCE_END = re.compile(r"(?<=[。；;！？!?])")


def states_asked_kind(text: str, states: Callable[[str], bool]) -> bool:
    """Some sentence of the clause states the asked kind of fact (`states` judges one sentence)."""
    return any(states(s) for s in _SENTENCE_END.split(text) if s.strip())


def rerank_by_asked_kind(hits: Sequence[Hit], text_of: Callable[[str], str], states: Callable[[str], bool],
                         share: float = RERANK_SHARE, depth: int = RERANK_DEPTH) -> list[Hit]:
    """The fused hits with those of the first `depth` whose clause states the asked kind of fact
    raised by `share` of the first hit's score, re-sorted (stable otherwise) and renumbered.

    `text_of(chunk_id)` is a chunk's text; `states(sentence)` whether a sentence states the asked
    kind. The bonus is recorded in each raised hit's `scores["kind"]`."""
    out = list(hits)
    if not out or share <= 0:
        return out
    bonus = share * out[0].score
    order = {h.chunk_id: i for i, h in enumerate(out)}
    raised = False
    for h in out[:depth]:
        if states_asked_kind(text_of(h.chunk_id), states):
            h.score += bonus
            h.scores["kind"] = bonus
            raised = True
    if not raised:
        return out
    out.sort(key=lambda h: (-h.score, order[h.chunk_id]))
    for rank, h in enumerate(out, 1):
        h.rank = rank
    return out
