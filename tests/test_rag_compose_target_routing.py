"""A count asked of a rule (几家推荐单位, 第几层) is routed to targets by its count word; the targets
extracted from other clauses then answer only when no retrieved clause answers better."""

from __future__ import annotations

from types import SimpleNamespace

from genre import packaged as packaged_genre
from rag.compose import View, compose_targets
from tests.support.compose import compose_context

GENRE = packaged_genre()
RULE = View(measure_id="p1.m4", policy_id="p1", start=1000, title="申报单位要求", number="1.",
            text="申报单位同一个项目只能通过单个推荐单位申报，不得多头申报和重复申报。",
            policy="某重点专项项目申报指南", city="全国")
GOAL = View(measure_id="p2.m7", policy_id="p2", start=500, title="项目储备", number="（三）",
            text="到2025年，全省推荐项目100个以上。", policy="某省科技创新发展规划", city="某省")


def _target(view: View) -> dict:
    quote = view.text
    return {"measure_id": view.measure_id, "policy_id": view.policy_id, "city": view.city, "score": 1.0,
            "text": quote, "quote": quote, "metric": "推荐项目", "value": 100, "unit": "个",
            "year": 2025, "start": view.start, "end": view.start + len(quote)}


def _graph(*views: View) -> SimpleNamespace:
    return SimpleNamespace(targets=[_target(v) for v in views], departments={}, supports=[])


def test_a_rule_clause_answers_a_count_asked_of_it_over_another_documents_target():
    ctx = compose_context("一个项目能不能同时找几家推荐单位申报？", "targets", [RULE, GOAL], graph=_graph(GOAL))
    answer = compose_targets(ctx, genre=GENRE)
    assert not answer.abstained and [c.measure_id for c in answer.citations][:1] == ["p1.m4"], answer.answer
    assert "100个" not in answer.answer


def test_a_target_asked_is_still_answered_by_the_target():
    ctx = compose_context("到2025年全省要推荐多少个项目？", "targets", [GOAL, RULE], graph=_graph(GOAL))
    answer = compose_targets(ctx, genre=GENRE)
    assert "100个" in answer.answer and answer.citations[0].measure_id == "p2.m7", answer.answer
