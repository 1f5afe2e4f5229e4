"""Wording a person would write, and document text shown inertly."""

from __future__ import annotations

import re
from datetime import date

from rag.compose import Composed, _date_line, inert, inert_quotes, validity_status
from rag.model import Citation


def test_document_markdown_and_html_in_a_quote_are_not_clickable():
    quote = "详见[申报系统](http://example.cn/apply)或<a href='x'>此处</a>，*注意*"
    composed = Composed(answer=f"- 原文：{quote} [1]", citations=[Citation(None, "t", None, "", "", quote)])
    shown = inert_quotes(composed).answer
    assert not re.search(r"(?<!\\)\]\(", shown) and "<a " not in shown and "\\[申报系统\\]" in shown
    assert composed.citations[0].quote == quote  # the citation keeps the document's own text
    assert inert("最高 10% 的补贴") == "最高 10% 的补贴"


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
