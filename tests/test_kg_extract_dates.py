"""Dated provisions resolved to ISO dates, on sentences written here."""

from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from kg.extract.dates import DEADLINE, extract_dates, resolve_deadline


@pytest.mark.parametrize("text, iso", [
    ("2024年底前", "2024-12-31"), ("2025 年底前", "2025-12-31"), ("2026年末前", "2026-12-31"),
    ("2025年6月底前", "2025-06-30"), ("2025年6月前", "2025-05-31"), ("2025年1月前", "2024-12-31"),
    ("2024年2月底前", "2024-02-29"), ("2025年9月30日前", "2025-09-30"), ("2026年上半年前", "2026-06-30"),
    ("2027年前", "2027-12-31"),
])
def test_deadlines_resolve_to_iso(text, iso):
    m = DEADLINE.search(f"力争{text}完成部署。")
    assert m is not None
    assert resolve_deadline(m) == iso


DOC = """示范市关于促进数据要素发展的若干措施（2025-2027年）

一、主要任务

（一）建设数据平台。2025年底前建成市级数据交易平台。2026年3月底前出台配套细则。

本措施自2025年5月1日起施行，有效期至2027年12月31日。
"""


def by_kind(facts):
    return [(d.kind, d.date, d.date_end) for d in facts]


def test_deadlines_validity_and_plan_period(policy_from_text):
    policy = policy_from_text(DOC, issued="2025-04-20")
    dates = extract_dates(policy, genre=packaged_genre())
    assert by_kind(dates) == [
        ("issued", "2025-04-20", None), ("period", "2025-01-01", "2027-12-31"),
        ("effective", "2025-05-01", None), ("expiry", "2027-12-31", None),
        ("deadline", "2025-12-31", None), ("deadline", "2026-03-31", None)]
    deadline = next(d for d in dates if d.kind == "deadline")
    assert deadline.span.measure_id is not None
    assert policy.text[deadline.span.start:deadline.span.end] == deadline.span.quote
    assert "数据交易平台" in deadline.span.quote


def test_effective_on_publication_and_validity_in_years(policy_from_text):
    text = DOC.replace("本措施自2025年5月1日起施行，有效期至2027年12月31日。", "本措施自发布之日起施行，有效期3年。")
    dates = extract_dates(policy_from_text(text, issued="2025-04-20"), genre=packaged_genre())
    assert ("effective", "2025-04-20", None) in by_kind(dates)
    assert ("expiry", "2028-04-19", None) in by_kind(dates)


def test_issue_date_line_of_the_header_and_cited_plans_are_not_the_period(policy_from_text):
    text = ("示范市经济和信息化委员会文件\n\n示经信〔2024〕7号\n\n关于印发《示范市软件产业实施方案》的通知\n\n"
            "各区人民政府：\n\n现印发给你们，请认真按照执行。\n\n示范市经济和信息化委员会\n\n2024年3月8日\n\n"
            "示范市软件产业实施方案\n\n为贯彻落实《示范市数字经济规划（2021—2025年）》，制定本方案。\n\n"
            "一、主要任务\n\n（一）培育企业。推进工作。\n")
    dates = extract_dates(policy_from_text(text, city=None), genre=packaged_genre())
    assert ("issued", "2024-03-08", None) in by_kind(dates)
    assert not any(d.kind == "period" for d in dates)


CONDITION_DATES = """示范市产业政策导引

一、支持政策

（一）养老机构运营补贴。2019年底前成立的养老机构，2019年没有基本失信信息记录的，自2020年起可享受每床每月150元的运营补贴。

（二）文化产业资金。条件要求：1．2020年1月1日前在本市登记、注册,具有独立承担民事行为能力的文化单位均可申报。2．项目为2020年1月后启动建设，并于2023年5月前建设完成并投入实际运行。

（三）老旧小区改造。完成2000年底前建成的约4000万平方米老旧小区改造任务，2025年底前建成市级数据交易平台。

（四）申报资格要求。申报单位应为境内注册的企业，注册时间为2017年6月30日前。请各申报单位于2026年9月28日前报送申报书。
"""


def test_a_date_that_dates_who_qualifies_is_a_condition_not_a_deadline(policy_from_text):
    """Sentences of the development corpus's guide to industrial policy: the date a claimant must have
    been founded, registered or built by is part of the condition; a task's own date stays a deadline."""
    policy = policy_from_text(CONDITION_DATES, issued="2024-03-01")
    deadlines = [d for d in extract_dates(policy, genre=packaged_genre()) if d.kind == "deadline"]
    assert [d.date for d in deadlines] == ["2025-12-31", "2026-09-28"]
