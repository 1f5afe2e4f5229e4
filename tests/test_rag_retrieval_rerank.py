"""The fused top reranked by the kind of fact the question asks for (rag/rerank.py)."""

from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from rag.compose import asked_kind, states_kind
from rag.fusion import DEFAULT_K
from rag.model import Hit
from rag.rerank import RERANK_DEPTH, rerank_by_asked_kind, states_asked_kind

GENRE = packaged_genre()


def fused(*ids: str) -> list[Hit]:
    """Fused hits, best first, scored as if both text signals ranked them alike."""
    return [Hit(chunk_id=i, measure_id=i, score=2 / (DEFAULT_K + n + 1), signal="fused", rank=n + 1)
            for n, i in enumerate(ids)]


def states_for(question: str):
    kind = asked_kind(question, genre=GENRE)
    assert kind is not None
    return lambda sentence: states_kind(kind, sentence, genre=GENRE)


TEXTS = {
    "receive": "申请人在网上提交申请后，引进人才入户的受理时间按以下方法确定。",
    "review": "人力资源社会保障部门应当自受理之日起15个工作日内完成审核，有特殊情况的，可以延长10个工作日。",
    "ask": "政务部门应当按照共享目录向其他部门提供数据。",
    "refuse": "政务部门应当按照共享目录向其他部门提供数据。对属于共享范围的数据，不得拒绝。",
}


def close(*ids: str) -> list[Hit]:
    """Two text signals that disagree: each ranks one first and the other second."""
    score = 1 / (DEFAULT_K + 1) + 1 / (DEFAULT_K + 2)
    return [Hit(chunk_id=i, measure_id=i, score=score, signal="fused", rank=n + 1) for n, i in enumerate(ids)]


def test_the_clause_stating_the_asked_duration_passes_its_neighbour():
    states = states_for("人社部门受理申请后，最多多少个工作日要审完？")
    out = rerank_by_asked_kind(close("receive", "review"), TEXTS.get, states)
    assert [h.chunk_id for h in out] == ["review", "receive"]
    assert [h.rank for h in out] == [1, 2]
    assert "kind" in out[0].scores and "kind" not in out[1].scores


def test_a_whether_allowed_question_prefers_the_prohibition():
    states = states_for("别的部门找我们要数据，我们能随便回绝吗？")
    out = rerank_by_asked_kind(close("ask", "refuse"), TEXTS.get, states)
    assert out[0].chunk_id == "refuse"


def test_nothing_moves_when_no_candidate_states_the_kind_or_the_first_already_does():
    states = states_for("人社部门受理申请后，最多多少个工作日要审完？")
    assert [h.chunk_id for h in rerank_by_asked_kind(fused("receive", "ask"), TEXTS.get, states)] == ["receive", "ask"]
    assert [h.chunk_id for h in rerank_by_asked_kind(fused("review", "receive"), TEXTS.get, states)] == ["review", "receive"]


def test_the_bonus_is_a_share_of_the_first_score_and_stays_within_the_depth():
    """A clause far down the fusion is not pulled up by a number alone: the bonus is a fifth of the
    first hit's score, and only the first RERANK_DEPTH hits are looked at."""
    ids = [f"c{i}" for i in range(RERANK_DEPTH + 2)]
    texts = dict.fromkeys(ids, "没有数字的句子。") | {ids[-1]: "15个工作日内完成审核。", ids[4]: "15个工作日内完成审核。"}
    states = states_for("多少个工作日审完")
    out = rerank_by_asked_kind(fused(*ids), texts.get, states)
    assert out[-1].chunk_id == ids[-1]  # beyond the depth: untouched
    assert [h.chunk_id for h in out].index(ids[4]) < 4  # raised, not to the top
    assert out[0].chunk_id == ids[0]
    assert next(h for h in out if h.chunk_id == ids[4]).scores["kind"] == pytest.approx(0.2 * 2 / (DEFAULT_K + 1))


def test_a_clause_states_the_kind_in_any_of_its_sentences():
    states = states_for("多少个工作日审完")
    assert states_asked_kind(TEXTS["review"], states)
    assert not states_asked_kind(TEXTS["receive"], states)
    assert rerank_by_asked_kind([], TEXTS.get, states) == []


RULES = ("某市引进人才入户管理办法实施细则\n\n第一章　总则\n\n第一条　为规范引进人才入户工作，制定本细则。\n\n"
         "第二条　引进人才入户申请受理后，人力资源社会保障部门对入户申请进行审核，申请人可在申办系统查看入户申请审核进度。\n\n"
         "第三条　引进人才入户申请受理后，审核结果通过申办系统告知申请人。\n\n"
         "第四条　引进人才入户申请受理后，申请人对审核结果有异议的，可以申请复核。\n\n"
         "第五条　人力资源社会保障部门应当自受理之日起15日内完成审核。\n\n"
         "第六条　本细则自2030年1月1日起施行。\n")


@pytest.fixture(scope="module")
def rules_answerer(graph_server, tmp_path_factory):
    from corpus import parse_text
    from tests.support.answers import answerer_over

    with answerer_over([parse_text(RULES, name="rencai-ruhu.txt")], graph_server,
                       tmp_path_factory.mktemp("rerank"), "rerank") as answerer:
        yield answerer


def test_retrieval_raises_the_clause_stating_the_asked_fact(rules_answerer):
    """The clause saying how many days the review takes comes before a clause richer in the question's
    words that says no number (BM25 alone ranks it below), not necessarily first."""
    question = "引进人才入户申请受理后，最多多少天要审完？"
    rankings = rules_answerer.retrieve(question)
    number = "第五条"

    def position(hits):
        titles = [rules_answerer.indexes.chunk(h.chunk_id).measure for h in hits]
        return next(i for i, t in enumerate(titles) if t.startswith(number)), titles

    bm25, titles = position(rankings["bm25"])
    fused, fused_titles = position(rankings["fused"])
    assert fused < bm25, (titles, fused_titles)
    assert "kind" in rankings["fused"][fused].scores


@pytest.mark.parametrize("question", ["LNG的接收项目放在哪几个地方", "哪几家单位可以牵头申报", "规划说的是哪几年"])
def test_which_ones_asks_no_count_or_span(question):
    """"哪几个地方" asks which places, not how many: read as a count, the sentence naming "5 个县区"
    outranked the one naming 北海、防城港. "几个" and "几年" without 哪 still ask a number."""
    kind = asked_kind(question, genre=GENRE)
    assert kind is None or not states_kind(kind, "在5个县区推进项目建设，期限3年。", genre=GENRE)
    assert states_for("放在几个地方")("在5个县区推进项目建设。")
    assert states_for("规划管几年")("期限3年。")


@pytest.mark.parametrize("question", ["数据要是有错，两地各自让人怎么办？", "公司能怎么申请这笔奖励", "可以这么做吗"])
def test_how_is_no_whether(question):
    """The whether cue took the 么 of 怎么 for a question particle: "让人怎么办" asks what to do, and a
    comparison of it was put in a table of offers as if asking whether something is allowed. 吗, and
    么 after anything but 什, 怎, 这, 那, 多, still end a whether-question."""
    kind = asked_kind(question, genre=GENRE)
    whether = kind is not None and bool(kind.get("after_subject"))
    assert whether == question.endswith("吗")
    assert states_for("这样做让不让么")("不得拒绝其他部门提出的共享申请。")
