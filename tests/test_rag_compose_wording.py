"""Wording a person would write, and document text shown inertly."""

from __future__ import annotations

import re
from datetime import date

from genre import packaged as packaged_genre
from rag.compose import Composed, _date_line, inert, inert_quotes, validity_status
from rag.model import Citation


def test_document_markdown_and_html_in_a_quote_are_not_clickable():
    quote = "详见[申报系统](http://example.cn/apply)或<a href='x'>此处</a>，*注意*"
    composed = Composed(answer=f"- 原文：{quote} [1]", citations=[Citation(None, "t", None, "", "", quote)])
    shown = inert_quotes(composed).answer
    assert not re.search(r"(?<!\\)\]\(", shown) and "<a " not in shown and "\\[申报系统\\]" in shown
    assert composed.citations[0].quote == quote  # the citation keeps the document's own text
    assert inert("最高 10% 的补贴") == "最高 10% 的补贴"


def test_a_quoted_table_row_reads_as_its_cells_say_it():
    """PDF and web tables are read as "| 服务内容 | 申请设立…批准。 |": a quote of them shows no pipes nor
    empty cells, a short label cell joined to its value, and the citation keeps the row verbatim."""
    assert inert("| 服务内容 | 申请设立典当行，应当经市金融监管局批准。 |") == "服务内容：申请设立典当行，应当经市金融监管局批准。"
    assert inert("|  |  | | 时间/频度 | 从2019年6月1日起至2025年12月31日。") == "时间/频度：从2019年6月1日起至2025年12月31日。"
    assert inert("| 2023年 | 2024年 | 2025年 |") == "2023年 2024年 2025年"  # a row of labels: side by side
    assert inert("| 项目 | 标准 |\n| --- | --- |\n| 补贴 | 每户5000元 |") == "项目：标准\n补贴：每户5000元"
    assert inert("不含表格的原文，照原样。") == "不含表格的原文，照原样。"
    row = "| 咨询电话 | 88012363 |"
    composed = Composed(answer=f"> {row} [1]", citations=[Citation(None, "t", None, "", "", row)])
    assert inert_quotes(composed).answer == "> 咨询电话：88012363 [1]" and composed.citations[0].quote == row


def test_a_field_is_never_named_twice():
    assert _date_line("有效期至", "有效期5年") == "有效期5年"
    assert _date_line("施行日期", "自印发之日起施行") == "自印发之日起施行"
    assert _date_line("有效期至", "2027年12月31日") == "有效期至：2027年12月31日"


def test_validity_is_judged_against_today_only_from_a_known_date():
    today = date(2026, 1, 1)
    assert "已不在有效期内" in validity_status({"expiry": "2025-12-31"}, today)
    assert "在有效期内" in validity_status({"expiry": "2027-12-31"}, today)
    assert validity_status({"expiry": None}, today) is None


def test_a_window_date_in_chinese_is_read_with_a_month_end_default():
    from rag.compose import _cn_date

    assert _cn_date("2023年12月31日") == date(2023, 12, 31)
    assert _cn_date("2024 年 2 月") == date(2024, 2, 29)
    assert _cn_date("2024年13月") is None


def test_a_company_profile_marks_each_condition_met_not_met_or_unknown():
    from rag.profile import conditions, read_profile

    profile = read_profile("我们是柳河县一家规上工业企业，去年产值增长了1500万元，还被认定为省级专精特新，能享受哪些支持？", genre=packaged_genre())
    assert profile.place == "柳河县" and profile.levels[0] == "柳河县" and len(profile.levels) == 3
    assert {"规上", "专精特新"} <= set(profile.traits) and profile.amounts == [1500.0]
    marks = dict(conditions("对规上工业企业年产值同比增长超过1000万元的，给予奖励，最高不超过20万元。", profile, genre=packaged_genre()))
    assert marks == {"规上": "已满足", "工业": "已满足",  # a cap (不超过) is no condition
                     "规上工业企业年产值同比增长超过1000万元": "已满足"}
    # a threshold that names no figure the profile states (what is 2000万元?) cannot be judged
    assert dict(conditions("2000万元以上的，给予高新技术企业奖励", profile, genre=packaged_genre())) == {"高新技术企业": "未知",
                                                                           "2000万元以上": "未知"}
    assert dict(conditions("年度纳税额超过1000万元的，给予奖励", profile, genre=packaged_genre())) == {"纳税额超过1000万元": "未知"}
    assert read_profile("上海对开源项目有什么补贴？", genre=packaged_genre()) is None


def test_a_department_with_many_measures_lists_the_first_and_counts_the_rest():
    from rag.compose import MAX_DUTY_ITEMS, Context, View, compose_duties
    from rag.graphsearch import GraphResult
    from rag.intents import Intent
    from rag.linking import Linked

    n = MAX_DUTY_ITEMS + 5
    views = {f"p.m{i}": View(measure_id=f"p.m{i}", policy_id="p", text=f"推进第{i}项工作。（责任单位：市数据局）",
                             start=100 * i, title=f"任务{i}", number=f"{i}.", policy="某市数字化方案", city="某市")
             for i in range(1, n + 1)}
    duties = [{"department": "某市数据局", "city": "某市", "measure_id": mid} for mid in views]
    ctx = Context(question="市数据局负责哪些事？", linked=Linked(text="市数据局负责哪些事？", links=[]),
                  intent=Intent("duties"), focus=[], views=views, fused=[], graph=GraphResult(duties=duties),
                  policies=[], responsibility_labels=["责任单位"], genre=packaged_genre())
    answer = compose_duties(ctx, genre=packaged_genre())
    assert len(answer.citations) == MAX_DUTY_ITEMS
    assert "另有 5 项措施未列出" in answer.answer and "按部门查询职责" in answer.answer
