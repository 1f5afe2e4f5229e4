"""Quantitative goals: the grammar on sentences written here, not on the seed texts."""

from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from kg.extract.targets import cn_number, extract_targets

PLAN = """示范市推进数字经济发展行动方案（2024-2026年）

一、主要目标

{goals}

二、重点任务

（一）加强算力供给。{measure}（责任单位：市经济信息化委）
"""


def targets(policy_from_text, goals: str = "推进发展。", measure: str = "推进工作。", **meta):
    return extract_targets(policy_from_text(PLAN.format(goals=goals, measure=measure), **meta), genre=packaged_genre())


def as_tuples(ts):
    return [(t.value, t.value_max, t.unit, t.comparator, t.year, t.metric) for t in ts]


def test_number_unit_noun_phrase_with_stated_year(policy_from_text):
    ts = targets(policy_from_text, "到2030年，培育 80 家具有全球竞争力的数据服务企业，建成 12 个行业大模型。")
    assert as_tuples(ts) == [(80.0, None, "家", "=", 2030, "数据服务企业"),
                             (12.0, None, "个", "=", 2030, "行业大模型")]


def test_metric_before_the_number_and_comparators(policy_from_text):
    ts = targets(policy_from_text, "到2028年，数字经济核心产业规模力争突破1500亿元，算力总规模超过50EFLOPS，"
                                   "集聚数字人才超 40 万人，新建数据中心不少于3个。")
    assert [(t.value, t.unit, t.comparator, t.metric) for t in ts] == [
        (1500.0, "亿元", "力争突破", "数字经济核心产业规模"), (50.0, "EFLOPS", "超过", "算力总规模"),
        (40.0, "万人", "超", "数字人才"), (3.0, "个", "不少于", "数据中心")]


def test_ranges_after_comparators_and_chinese_numerals(policy_from_text):
    ts = targets(policy_from_text, "到2027年，打造2—3个国家级创新平台，培育十五家独角兽企业，引进30名以上领军人才。")
    assert as_tuples(ts) == [(2.0, 3.0, "个", "=", 2027, "创新平台"),
                             (15.0, None, "家", "=", 2027, "独角兽企业"),
                             (30.0, None, "名", "以上", 2027, "领军人才")]


def test_year_carries_through_the_goals_section_then_falls_back_to_the_plan_period(policy_from_text):
    ts = targets(policy_from_text, "到2025年，初步形成产业体系。培育5家链主企业。", measure="落地超过20个应用场景。")
    assert [(t.value, t.year) for t in ts] == [(5.0, 2025), (20.0, 2026)]


def test_yearly_rate_has_no_target_year(policy_from_text):
    ts = targets(policy_from_text, measure="每年遴选不少于30个优秀案例。")
    assert [(t.value, t.per_year, t.year) for t in ts] == [(30.0, True, None)]


@pytest.mark.parametrize("measure", [
    "对租用算力的企业，经评估给予最高 10% 的租用补贴。",
    "对年度营业收入首次突破1亿元的企业，给予最高100万元奖励。",
    "建设一批万卡集群，形成一体化算力网络。",
    "按照“2+6+6”产业布局推进。",
])
def test_support_rates_conditions_and_words_are_not_goals(policy_from_text, measure):
    assert targets(policy_from_text, measure=measure) == []


def test_target_spans_quote_their_sentence(policy_from_text):
    policy = policy_from_text(PLAN.format(goals="到2026年，培育 8 家平台企业。", measure="推进工作。"))
    (t,) = extract_targets(policy, genre=packaged_genre())
    assert policy.text[t.span.start:t.span.end] == t.span.quote
    assert "培育 8 家平台企业" in t.span.quote
    assert t.span.measure_id is not None


@pytest.mark.parametrize("text, value", [("十", 10), ("十五", 15), ("二十", 20), ("三百", 300), ("两万", 20000),
                                         ("一千零五", 1005), ("12", 12)])
def test_chinese_numerals(text, value):
    assert cn_number(text) == value


def test_a_bare_ratio_before_its_number_and_comparators_of_less(policy_from_text):
    """数据中心PUE降至1.25以下: the ratio is the unit, written before the number; 低于 / 不高于 compare."""
    ts = targets(policy_from_text, "到2027年，新建数据中心PUE降至1.25以下，网络时延低于1ms，存储容量达到500TB。")
    assert as_tuples(ts) == [(1.25, None, "PUE", "以下", 2027, "数据中心PUE"), (1.0, None, "ms", "低于", 2027, "网络时延"),
                             (500.0, None, "TB", "达到", 2027, "存储容量")]


def test_a_ratio_that_conditions_an_offer_is_no_goal(policy_from_text):
    ts = targets(policy_from_text, measure="对PUE低于1.3的数据中心给予电价优惠。PUE不高于1.3的项目优先支持。")
    assert [t for t in ts if t.unit == "PUE"] == []
