"""A whether-question (能不能, 可以…吗, 算不算, 归…管吗) is answered by the sentence that rules on the act it
asks about — a word of prohibition, permission or consequence followed in its clause by a word of that
act — over a sentence that repeats the question's nouns and rules on something else; a question word
inside a yes/no question means "some" and asks no count; the rule on the act is evidence enough for a
question whose other words it does not repeat."""

from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from rag.compose import Context, View, analyse_focus, asked_kind, compose, rules_on_act, settings_data
from rag.intents import Intent, route
from rag.linking import Linked
from rag.model import Hit

GENRE = packaged_genre()


def _view(mid: str, title: str, text: str) -> View:
    return View(measure_id=mid, policy_id=mid.split(".")[0], text=text, start=0, title=title, number="第九条",
                policy="某市公共数据管理办法", city="某市")


def _context(question: str, views: list[View], ranks: list[dict[str, int]] | None = None) -> Context:
    linked = Linked(text=question, links=[])
    focus, nouns = analyse_focus(linked, "general", genre=GENRE)
    ranks = ranks or [{"bm25": i, "dense": i} for i in range(1, len(views) + 1)]
    fused = [Hit(chunk_id=v.measure_id, measure_id=v.measure_id, score=1.0 / i, signal="fused", rank=i, ranks=r)
             for i, (v, r) in enumerate(zip(views, ranks, strict=True), 1)]
    return Context(question=question, linked=linked, intent=Intent("general"), focus=focus,
                   views={v.measure_id: v for v in views}, fused=fused, graph=None, policies=[],
                   responsibility_labels=["责任单位"], nouns=nouns, genre=GENRE)


def _whether() -> dict:
    return next(k for k in settings_data(GENRE)["asked_facts"] if k.get("after_subject"))


@pytest.mark.parametrize("question, act", [
    ("一个项目能不能同时找几家推荐单位一起报？", "能不能同时找几家推荐单位一起报"),  # 几家: several, no count asked
    ("我的社保有几个月是后来补交的，办落户算不算连着交？", "算不算连着交"),  # some months, in the clause before
    ("自来水公司的数据归这个办法管吗", "归这个办法管吗"),
    ("部门通过共享拿到的数据，能不能拿去做政府信息公开？", "能不能拿去做政府信息公开"),
])
def test_a_question_word_inside_a_yes_no_question_asks_no_count(question, act):
    kind = asked_kind(question, genre=GENRE)
    assert kind is not None and kind.get("after_subject")
    assert kind["whether"].rstrip("？?") == act


@pytest.mark.parametrize("question", [
    "还能申请吗？最多能拿多少钱",  # the amount asked after the whether
    "能拿到多少补贴",  # no whether asked
    "要几个工作日，能不能加急",  # the span asked in its own clause before the whether
])
def test_a_kind_asked_besides_the_whether_keeps_its_kind(question):
    kind = asked_kind(question, genre=GENRE)
    assert kind is not None and not kind.get("after_subject")


def test_a_rule_rules_on_the_act_its_clause_governs():
    refuse = {**_whether(), "act_words": ["回绝"]}
    assert rules_on_act(refuse, "没有法律依据，不得拒绝其他部门提出的共享申请。", genre=GENRE)  # 回绝 by 拒绝
    publish = {**_whether(), "act_words": ["政府信息公开"]}
    assert rules_on_act(publish, "不得将通过共享获得的公共数据用于政府信息公开。", genre=GENRE)
    assert not rules_on_act(publish, "对于不予共享的公共数据，可以提出核实需求，用于政府信息公开的除外。",
                            genre=GENRE)  # the act said after the clause the prohibition governs
    assert not rules_on_act(publish, "公共数据按照共享类型分为无条件共享、有条件共享、不予共享三种类型。", genre=GENRE)


def test_the_sentence_ruling_on_the_act_is_quoted_over_one_repeating_the_nouns():
    nouns = _view("p1.m23", "第二十三条", "有条件共享的公共数据，由机构通过平台向数源部门提出共享请求。"
                  "对于不予共享的公共数据，机构可以向数源部门提出核实、比对需求。")
    rule = _view("p1.m46", "第四十六条", "机构应当加强公共数据安全管理，制定安全管理制度，定期开展安全检查。"
                 "机构及其工作人员不得将通过共享获得的公共数据用于政府信息公开或者提供给其他单位和个人使用。")
    others = [_view(f"p1.m{i}", f"第{i}条", f"机构应当按照公共数据资源目录，将第{i}类公共数据向平台汇聚共享。")
              for i in range(30, 38)]  # the retrieval ranks the rule below clauses naming the nouns
    views = [nouns, *others, rule]
    ranks = [{"bm25": i, "dense": i + 1} for i in range(1, len(views) + 1)]
    answer = compose(_context("部门通过共享拿到的公共数据，能不能拿去做政府信息公开？", views, ranks), genre=GENRE)
    assert not answer.abstained
    assert answer.citations[0].measure_id == "p1.m46"
    assert "用于政府信息公开" in answer.citations[0].quote


def test_evidence_ruling_on_the_act_needs_less_coverage():
    rule = _view("p1.m10", "第十条", "除国家另有规定外，各级政务部门不得新建政务云和数据中心。")
    question = "各个局还能自己买服务器建机房吗？"
    ctx = _context(question, [rule], ranks=[{"bm25": 5, "dense": 5}])
    assert ctx.rules_on_asked_act(rule.text)  # 机房 by 数据中心, governed by 不得新建
    assert not ctx.rules_on_asked_act("各级政务部门应当依托统一的政务云平台部署信息系统。")
    relief = settings_data(GENRE)["rule_relief"]
    assert relief > 0


@pytest.mark.parametrize("question, intent", [
    ("一个智能机器人项目能不能同时找几家推荐单位一起报？", "general"),  # 几家 inside the whether: several
    ("这个项目由哪几家单位负责？", "departments"),  # 几家 asked: unchanged
    ("到2025年要培育多少家专精特新企业？", "targets"),
])
def test_a_count_word_inside_a_yes_no_question_routes_no_count(question, intent):
    assert route(Linked(text=question), genre=GENRE).name == intent
