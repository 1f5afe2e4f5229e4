"""Questions in everyday words: the clause the dense signal finds closest in meaning is quoted even when
it shares none of the question's words; a date or validity word that only sets the scene is not asked;
the standard abbreviations of housing kinds stay one word and mean the documents' full terms."""

from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from rag.compose import (
    Context,
    View,
    analyse_focus,
    asked_kind,
    closest_in_meaning,
    compose_best_clauses,
    coverage,
    ranked_sentences,
    settings_data,
)
from rag.intents import Intent, asked_words
from rag.linking import Linked
from rag.model import Hit


def _view(mid: str, title: str, text: str) -> View:
    return View(measure_id=mid, policy_id="p1", text=text, start=0, title=title, number="1.",
                policy="某区促进房地产市场发展若干措施", city="某市")


def _hit(mid: str, rank: int, **ranks: int) -> Hit:
    return Hit(chunk_id=mid, measure_id=mid, score=1.0 / rank, signal="fused", rank=rank, ranks=ranks)


def _context(question: str, views: list[View], fused: list[Hit], dense: dict[str, float]) -> Context:
    linked = Linked(text=question, links=[])
    focus, nouns = analyse_focus(linked, "general", genre=packaged_genre())
    return Context(question=question, linked=linked, intent=Intent("general"), focus=focus,
                   views={v.measure_id: v for v in views}, fused=fused, graph=None, policies=[],
                   responsibility_labels=["责任单位"], nouns=nouns, genre=packaged_genre(),
                   dense_score=lambda mid: dense.get(mid, 0.0))


QUESTION = "高新区的房企手头紧，税能不能晚点交，最多拖多久？"
NEIGHBOUR = _view("p1.m12", "鼓励企业团购安居", "注册地在高新区内的企业职工在高新区同一楼盘团购新建商品住宅达到5套及以上的，给予团购补贴。")
ANSWER = _view("p1.m9", "加大税收支持力度",
               "对房地产企业应缴纳的欠税及滞纳金，可以先行缴纳欠税，再依法缴纳滞纳金。"
               "对有特殊困难，当期不能按期缴纳税款的，由企业申请，依法办理延期缴纳税款，最长不超过3个月。")
FUSED = [_hit("p1.m12", 1, bm25=1, dense=8), _hit("p1.m9", 2, bm25=6, dense=1)]


def test_the_clause_closest_in_meaning_is_quoted_when_it_shares_no_word_of_the_question():
    close = settings_data(packaged_genre())["dense_close"]
    ctx = _context(QUESTION, [NEIGHBOUR, ANSWER], FUSED, {"p1.m12": close - 0.03, "p1.m9": close + 0.015})
    assert closest_in_meaning(ctx, [NEIGHBOUR, ANSWER], genre=packaged_genre()) == {"p1.m9"}
    picks = ranked_sentences(ctx, per_view=1, genre=packaged_genre())
    assert picks[0][1].measure_id == "p1.m9"
    assert "3个月" in picks[0][2][2]  # of its sentences, the one stating the duration asked (多久)
    answer = compose_best_clauses(ctx, genre=packaged_genre())  # the answer when no path's words cover it
    assert answer is not None and "最长不超过3个月" in answer.answer


def test_no_clause_is_preferred_when_none_is_close_in_meaning():
    close = settings_data(packaged_genre())["dense_close"]
    ctx = _context(QUESTION, [NEIGHBOUR, ANSWER], FUSED, {"p1.m12": close - 0.03, "p1.m9": close - 0.01})
    assert closest_in_meaning(ctx, [NEIGHBOUR, ANSWER], genre=packaged_genre()) == set()
    assert all(p[1].measure_id != "p1.m9" for p in ranked_sentences(ctx, per_view=1, genre=packaged_genre()))


@pytest.mark.parametrize("question, asked", [
    ("广州公租房快到期了还想接着住，得提前多久去申请？", "得提前多久去申请？"),
    ("这个办法什么时候到期？", "这个办法什么时候到期？"),
    ("柳河县的旅游奖励政策，还在有效期内吗？", "还在有效期内吗？"),
])
def test_the_asked_words_leave_out_the_scene(question, asked):
    assert asked_words(question, genre=packaged_genre()) == asked


def test_a_lease_ending_in_the_scene_asks_no_document_date():
    from rag.compose import compose_metadata

    question = "公共租赁住房快到期了还想接着住，得提前多久去申请？"
    renew = _view("p1.m35", "第三十五条", "保障对象需要继续申请公共租赁住房保障的，须在保障期限届满3个月前提交申请，进行资格期满审查。")
    ctx = _context(question, [renew], [_hit("p1.m35", 1, bm25=1, dense=1)], {"p1.m35": 0.95})
    ctx.intent = Intent("metadata")
    answer = compose_metadata(ctx, genre=packaged_genre())
    assert "3个月前" in answer.answer and "有效期" not in answer.answer


@pytest.mark.parametrize("question, word, full", [
    ("合肥的保障房是先卖期房吗？", "保障房", "保障性住房"),
    ("湖北县城的外地人能住保租房吗？", "保租房", "保障性租赁住房"),
])
def test_a_housing_abbreviation_stays_whole_and_means_the_full_term(question, word, full):
    focus, _ = analyse_focus(Linked(text=question, links=[]), "general", genre=packaged_genre())
    assert word in focus  # not 租房 or 保障 + 房
    assert coverage([word], f"申请{full}的家庭", genre=packaged_genre()) == 1.0


def test_the_standard_term_of_an_everyday_form_is_one_word_of_the_question():
    """二胎 and 两个孩子 are read as 二孩 (linking.yaml everyday_forms), which the tagger keeps whole: cut into
    二 / 孩 it left no content word, and 孩 joined the next character (孩买, a word no document uses, which
    refused "合肥生了二孩买新房能补多少"). 二孩 is said by the national policy's name too (全面两孩政策)."""
    focus, _ = analyse_focus(Linked(text="合肥生了二孩买新房能补多少", links=[]), "support", genre=packaged_genre())
    assert "二孩" in focus and "孩买" not in focus
    assert coverage(["二孩"], "落实全面两孩政策", genre=packaged_genre()) == 1.0


def test_only_a_word_that_would_shed_a_single_character_is_kept_whole():
    import jieba

    from rag.tokenize import sheds_a_character

    tk = jieba.Tokenizer()
    assert sheds_a_character(tk, "公租房")  # 公 / 租房
    assert sheds_a_character(tk, "保障房")  # 保障 / 房
    assert not sheds_a_character(tk, "预训练模型")  # 预 / 训练 / 模型: not one word and a character
    assert not sheds_a_character(tk, "住房")  # a word the dictionary knows


def test_a_clause_both_signals_rank_first_is_quoted_though_it_repeats_no_word_of_the_question():
    question = "我在合肥别的区已经有套房了，换个区再买还算首套吗"
    lead = _view("p1.m8", "优化个人住房贷款首套房认定标准",
                 "优化个人住房贷款首套房认定标准。在本市范围内新购买住房，只核查购房家庭所购房屋所在县(市)区、"
                 "开发区的住房情况，无住房的，办理个人住房贷款时可按首套住房认定。")
    other = _view("p1.m7", "动态调整新发放首套住房贷款利率",
                  "在新建商品住宅销售价格符合条件时，及时按程序取消首套住房商业性个人住房贷款利率下限。")
    fused = [_hit("p1.m8", 1, bm25=1, dense=1), _hit("p1.m7", 2, bm25=3, dense=3)]
    ctx = _context(question, [lead, other], fused, {"p1.m8": 0.89, "p1.m7": 0.88})  # neither close alone
    assert closest_in_meaning(ctx, [lead, other], genre=packaged_genre()) == {"p1.m8"}
    answer = compose_best_clauses(ctx, genre=packaged_genre())
    assert answer is not None and "只核查购房家庭所购房屋所在县(市)区" in answer.answer


LEASE = _view("p1.m31", "公共租赁住房租赁合同期限为5年",
              "第三十一条公共租赁住房租赁合同期限为5年。租赁期满符合条件的保障对象可以申请续租。")
CLOSING = _view("p1.m54", "本办法自印发之日起施行，有效期5年", "第五十四条本办法自印发之日起施行，有效期5年。")


def _span_context(question: str) -> Context:
    ctx = _context(question, [LEASE, CLOSING], [_hit("p1.m31", 1, bm25=1, dense=1), _hit("p1.m54", 2, bm25=2, dense=2)],
                   {"p1.m31": 0.9, "p1.m54": 0.85})
    ctx.intent = Intent("metadata")
    ctx.asked = asked_kind(question, genre=packaged_genre())
    ctx.policies = [{"id": "p1", "title": "某市公共租赁住房管理办法", "city": "某市"}]
    return ctx


def test_a_span_of_a_thing_a_clause_governs_is_the_clauses_not_the_documents_validity():
    from rag.compose import clause_span, compose_metadata

    ctx = _span_context("公共租赁住房住进去合同一签是几年？到期了还能接着住吗")
    assert clause_span(ctx, genre=packaged_genre())  # 合同…期限为5年: the span of the lease the question names
    answer = compose_metadata(ctx, genre=packaged_genre())
    assert not answer.abstained and answer.citations[0].measure_id == "p1.m31", answer.answer
    assert "有效期" not in answer.answer


def test_an_end_said_of_a_thing_a_clause_governs_is_the_clauses_not_the_documents_validity():
    from rag.compose import compose_metadata

    answer = compose_metadata(_span_context("公共租赁住房到期了还能接着住吗"), genre=packaged_genre())
    assert not answer.abstained and answer.citations[0].measure_id == "p1.m31", answer.answer
    assert "有效期" not in answer.answer


@pytest.mark.parametrize("question, of_a_thing", [
    ("公共租赁住房的租赁合同到期了还能续吗", True),
    ("公共租赁住房管理办法哪年到期", False),  # a word for a document: the document's own end
    ("这个办法什么时候到期？", False),
    ("公共租赁住房的有效期到哪年", False),  # 有效期 is said of a document
])
def test_an_end_is_a_things_only_when_the_question_names_no_document(question, of_a_thing):
    from rag.compose import ends_a_thing
    from rag.docfacts import asked_facts

    facts = asked_facts(asked_words(question, genre=packaged_genre()), genre=packaged_genre())
    assert ends_a_thing(_span_context(question), asked_words(question, genre=packaged_genre()), facts,
                        genre=packaged_genre()) is of_a_thing


@pytest.mark.parametrize("question", [
    "公共租赁住房管理办法的有效期是几年？",  # the asking clause asks the document's term
    "这个办法管几年？",  # the question points at the document
])
def test_a_span_asked_of_the_document_is_not_a_clauses(question):
    from rag.compose import clause_span

    assert not clause_span(_span_context(question), genre=packaged_genre())


def test_the_act_a_span_is_asked_of_is_a_content_word_even_when_a_filler_elsewhere():
    focus, _ = analyse_focus(Linked(text="公共租赁住房快到期了还想接着住，得提前多久去申请？", links=[]), "metadata",
                             genre=packaged_genre())
    assert "申请" in focus  # the step whose time limit is asked: 须在保障期限届满3个月前提交申请
    focus, _ = analyse_focus(Linked(text="公共租赁住房能申请什么补贴？", links=[]), "support", genre=packaged_genre())
    assert "申请" not in focus  # no span asked of it: a filler of any request
