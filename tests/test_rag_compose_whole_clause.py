"""A short clause is quoted whole: the asked fact (the voucher's name, the exception, the amount) is as
often in the sentence beside the best-matching one as in it. A long clause is still quoted by its
sentences, and a clause is quoted and cited once."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.compose import (
    View,
    compose_general,
    settings_data,
    whole_clause,
    whole_clause_of,
    whole_clauses,
)
from tests.support.compose import compose_context

GENRE = packaged_genre()
SHORT = ("用足用好大规模设备更新政策，协同支持人工智能终端企业做大做强。用好先进制造园区，为企业提供优质优价空间。"
         "发放“训力券”“语料券”“模型券”，降低企业成本。")


def _view(text: str, mid: str = "p1.m2", title: str = "强化要素保障", start: int = 500) -> View:
    return View(measure_id=mid, policy_id="p1", text=text, start=start, title=title, number="（二）",
                policy="某市推动智能终端产业发展行动计划", city="某市")


def _first_sentence(v: View) -> tuple[int, int, str]:
    end = v.text.index("。") + 1
    return v.start, v.start + end, v.text[:end]


def test_a_sentence_of_a_short_clause_is_quoted_as_the_whole_clause():
    v = _view(SHORT)
    a, b, quote = whole_clause(v, _first_sentence(v), genre=GENRE)
    assert quote == SHORT and (a, b) == (v.start, v.start + len(SHORT))


def test_a_long_clause_keeps_its_sentence():
    limit = settings_data(GENRE)["whole_clause_chars"]
    long_text = SHORT * (limit // len(SHORT) + 1)
    v = _view(long_text)
    span = _first_sentence(v)
    assert whole_clause(v, span, genre=GENRE) == span


def test_the_run_in_heading_is_left_to_the_label():
    text = "强化要素保障。\n" + SHORT
    v = _view(text)
    quote = whole_clause(v, (v.start + 8, v.start + 20, text[8:20]), genre=GENRE)[2]
    assert quote == SHORT


def test_a_clause_is_quoted_once_however_many_of_its_sentences_were_picked():
    v, other = _view(SHORT), _view("对新引进的企业给予一次性奖励50万元。", mid="p1.m3", title="招引企业", start=2000)
    second = SHORT.index("用好")
    picks = [(1.0, v, _first_sentence(v)), (0.9, other, _first_sentence(other)),
             (0.8, v, (v.start + second, v.start + SHORT.index("。", second) + 1, ""))]
    got = whole_clauses(compose_context("有哪些支持？", "general", [v, other]), picks)
    assert [p[1].measure_id for p in got] == ["p1.m2", "p1.m3"]
    assert whole_clause_of(compose_context("有哪些支持？", "general", [v]), v, [picks[0][2], picks[2][2]]) == [(v.start, v.start + len(SHORT), SHORT)]


def test_a_general_answer_shows_the_sentence_beside_the_best_one():
    v = _view(SHORT)
    composed = compose_general(compose_context("深圳给人工智能终端企业哪些支持？", "general", [v]), genre=GENRE)
    assert not composed.abstained
    assert "训力券" in composed.answer and composed.answer.count("[1]") == 1
    assert len(composed.citations) == 1 and composed.citations[0].quote == SHORT


def test_a_clause_allowing_one_thing_and_forbidding_another_is_quoted_whole_not_as_tiers():
    text = ("公共租赁住房项目的住宅部分应按幢整体确权，不得分割登记和分割抵押登记。"
            "属于企业所有的公共租赁住房可以依法整体抵押、整体转让，但不得改变其公共租赁住房性质。")
    v = _view(text, title="公共租赁住房的确权")
    ctx = compose_context("企业的公租房能不能分开一套套抵押？", "general", [v])
    assert ctx.asked is not None  # a whether-allowed question
    composed = compose_general(ctx, genre=GENRE)
    assert len(composed.citations) == 1 and composed.citations[0].quote == text


def test_one_of_several_amounts_stays_the_tier_asked():
    text = "对新引进的人才给予安家补贴。博士研究生每人补贴3万元。硕士研究生每人补贴2万元。补贴分两年发放。"
    v = _view(text, title="安家补贴")
    composed = compose_general(compose_context("博士研究生安家补贴能拿多少？", "general", [v]), genre=GENRE)
    quote = composed.citations[0].quote
    assert "3万元" in quote and "2万元" not in quote
