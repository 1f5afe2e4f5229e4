"""Support offered, one item per offering clause, on sentences written here."""

from __future__ import annotations

import pytest

from kg.extract.support import beneficiaries_of, extract_support, kind_of, offer_groups

DOC = """示范市促进人工智能产业发展若干措施

一、主要任务

（一）{title}。{body}（责任单位：市经济信息化委）
"""


def supports(policy_from_text, body: str, title: str = "加大支持力度"):
    policy = policy_from_text(DOC.format(title=title, body=body))
    items = [s for v in extract_support(policy).values() for s in v]
    return policy, items


def test_two_offers_in_one_sentence_with_amount_rate_condition_and_beneficiary(policy_from_text):
    policy, items = supports(policy_from_text, "对符合条件的初创企业，经评估按投入的30%给予补贴，单个项目最高不超过200万元；"
                                               "对认定的新型研发机构给予一次性奖励。")
    assert [s.kind for s in items] == ["补贴", "奖励"]
    subsidy, award = items
    assert subsidy.rate == "30%"
    assert subsidy.cap == "最高不超过200万元"
    assert "经评估" in subsidy.condition and "符合条件的初创企业" in subsidy.condition
    assert subsidy.beneficiaries == ["中小企业"]
    assert award.beneficiaries == ["科研机构"]
    for s in items:
        assert policy.text[s.span.start:s.span.end] == s.text


@pytest.mark.parametrize("sentence, kind", [
    ("落实软件企业所得税减免、增值税即征即退等税收优惠。", "税收优惠"),
    ("对采用首版次软件的用户单位给予补助。", "补贴"),
    ("发放算力券支持中小企业使用智能算力。", "券"),
    ("设立总规模100亿元的人工智能产业基金。", "基金"),
    ("为重点项目开辟审批绿色通道。", "绿色通道"),
    ("对入驻园区的团队给予3年免租的办公用房。", "场地"),
    ("为企业提供免费的上市辅导。", "服务"),
    ("支持创新产品优先纳入政府采购目录。", "优先支持"),
    ("将顶尖人才纳入市高层次人才计划，给予落户支持。", "人才政策"),
    ("对首次轻微违法行为依法不予处罚。", "包容审慎监管"),
    ("保障重点智算中心的能耗指标。", "要素保障"),
])
def test_each_kind_is_recognised(policy_from_text, sentence, kind):
    _, items = supports(policy_from_text, sentence)
    assert [s.kind for s in items] == [kind]


@pytest.mark.parametrize("sentence", [
    "吸引开放原子开源基金会设立分支机构。",  # a foundation, not a fund
    "重点投向早期项目和高层次人才。",  # talent as an investment target, nothing offered to talent
    "加强统筹协调，推动产业集聚发展。",
])
def test_sentences_that_offer_nothing(policy_from_text, sentence):
    assert supports(policy_from_text, sentence)[1] == []


def test_the_measure_title_is_not_an_offer(policy_from_text):
    _, items = supports(policy_from_text, "推动产业集聚发展。", title="加大政策支持")
    assert items == []


def test_deadline_inside_the_condition(policy_from_text):
    _, items = supports(policy_from_text, "对2025年底前完成部署的算力建设主体，经评估给予适当额度的部署奖励。")
    (award,) = items
    assert (award.kind, award.deadline, award.amount, award.beneficiaries) == ("奖励", "2025-12-31", "适当额度", ["主体"])


def test_grouping_keeps_leading_conditions_with_their_offer():
    text = "对符合条件的企业，经评估，给予一次性奖励，鼓励加大投入"
    groups = offer_groups(text, 0)
    assert [(g.kind, text[g.start:g.end]) for g in groups] == [("奖励", text)]


def test_kind_priority_and_beneficiary_specificity():
    assert kind_of("在个税减免、住房补贴等方面给予支持") == "税收优惠"
    assert beneficiaries_of("支持国有企业和高校") == ["国有企业", "高校"]
