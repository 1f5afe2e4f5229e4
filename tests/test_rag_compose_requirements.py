"""A question asking what is required (得满足哪几项条件, 有啥硬性要求) is answered by the sentences setting the
requirements, all of them: not by the headings of a section that merely name a measure, and not by the
first item of a list written on one line (a table's cell, a PDF's joined lines)."""

from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from rag.compose import Context, Part, View, lists_requirements_asked, sentences, with_items
from rag.intents import Intent
from rag.linking import Linked

CELL = ("| 条件要求 | 申请单位应符合以下条件： 1．在本市行政区域内注册的法人企业。 2．具有大专以上学历的员工占企业"
        "职工总数的 50%以上。 3．从事离岸服务外包业务取得的收入不低于企业当年总收入的 35%。 |  |  | | 服务流程 | 提交资料。")


def _view(text: str) -> View:
    return View(measure_id="p1.m3", policy_id="p1", text=text, start=0, title="技术先进型服务企业认定",
                number="3.", policy="某市产业政策导引", city="某市")


def test_a_list_written_on_one_line_is_quoted_with_all_its_items():
    view = _view(CELL)
    first = next(s for s in sentences(view) if "以下条件" in s[2])
    assert "35%" not in first[2]  # the sentence the splitter gives ends after the first item
    quoted = with_items(view, first)[2]
    assert "大专以上学历" in quoted and quoted.endswith("35%。")
    assert "服务流程" not in quoted  # the cell ends the list


def test_a_sentence_without_a_list_is_quoted_as_it_is():
    view = _view("对符合条件的企业给予奖励：按投资额的10%给予支持。其他事项另行规定。")
    first = sentences(view)[0]
    assert with_items(view, first) == first


def _context(question: str) -> Context:
    return Context(question=question, linked=Linked(text=question, links=[]), intent=Intent("general"), focus=[],
                   views={}, fused=[], graph=None, policies=[], responsibility_labels=["责任单位"], nouns=set(),
                   genre=packaged_genre())


MEASURES = Part(policy_id="p1", path=("四、现代服务业篇", "（一）金融服务业"),
                children=[("1.", _view("允许符合条件融资租赁公司在京设立")), ("2.", _view("允许典当行设立公司"))])
REQUIREMENTS = Part(policy_id="p1", path=("三、申报条件",),
                    children=[("（一）", _view("注册满一年")), ("（二）", _view("无失信记录"))])


@pytest.mark.parametrize("question, part, listed", [
    ("我们是一家融资租赁公司，想在北京开分公司，得满足哪几项条件？", MEASURES, False),
    ("场地和老师都有啥硬性要求？", MEASURES, False),
    ("申报要满足哪些条件？", REQUIREMENTS, True),  # the section titled by the requirements lists them
    ("金融服务业有哪几项措施？", MEASURES, True),  # no requirement asked
])
def test_requirements_are_listed_only_from_a_section_titled_by_them(question, part, listed):
    assert lists_requirements_asked(_context(question), "某市产业政策导引", part, genre=packaged_genre()) is listed
