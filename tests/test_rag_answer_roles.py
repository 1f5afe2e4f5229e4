"""Who leads and who is involved: the department answer follows the roles on RESPONSIBLE."""

from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from rag.compose import (
    View,
    _asked_roles,
    _department_phrase,
    _evidence_inside,
    bracket_after,
    responsibility_quote,
)
from rag.intents import route
from rag.linking import Linked

ROWS = [{"name": "安徽省经济和信息化厅", "role": "lead"}, {"name": "安徽省通信管理局", "role": "responsible"},
        {"name": "安徽省科学技术厅", "role": "participant"}]


def test_who_leads_answers_the_lead_only():
    assert [r["name"] for r in _asked_roles("工业互联网标识解析体系建设由哪个部门牵头？", ROWS)] == ["安徽省经济和信息化厅"]


def test_who_is_involved_answers_every_role_labelled():
    assert _asked_roles("工业互联网标识解析体系建设涉及哪些部门？", ROWS) == ROWS
    assert _department_phrase(ROWS) == "牵头：安徽省经济和信息化厅；配合：安徽省科学技术厅；负责：安徽省通信管理局"


def test_without_a_lead_the_lead_question_answers_everyone():
    rows = [{"name": "市经济信息化委", "role": "responsible"}]
    assert _asked_roles("谁牵头？", rows) == rows
    assert _department_phrase(rows) == "市经济信息化委"


def test_a_name_written_with_brackets_of_another_width_is_said_once():
    rows = [{"name": "县(市)数据资源主管部门", "mention": "县（市）数据资源主管部门"},
            {"name": "某州数据资源主管部门", "mention": "州数据资源主管部门"}]
    assert _department_phrase(rows) == "县(市)数据资源主管部门、某州数据资源主管部门（州数据资源主管部门）"


def test_co_leads_answer_who_leads_and_are_labelled():
    rows = [{"name": "上海市发展和改革委员会", "role": "co-lead"}, {"name": "上海市财政局", "role": "co-lead"},
            {"name": "各区人民政府", "role": "participant"}]
    assert [r["name"] for r in _asked_roles("谁牵头推进开源应用？", rows)] == ["上海市发展和改革委员会", "上海市财政局"]
    assert _department_phrase(rows) == "共同牵头：上海市发展和改革委员会、上海市财政局；配合：各区人民政府"


def test_other_words_for_the_lead_ask_for_the_lead_and_taking_part_asks_for_everyone():
    """主责部门 / 谁挑头 ask for the lead (the answer data's lead_cue); 谁配合 / 哪些部门一起参与 for everyone."""
    assert [r["name"] for r in _asked_roles("数据开放这项工作的主责部门是哪个？", ROWS)] == ["安徽省经济和信息化厅"]
    assert [r["name"] for r in _asked_roles("数据开放这件事是哪个部门挑头的？", ROWS)] == ["安徽省经济和信息化厅"]
    assert _asked_roles("数据开放这项工作谁配合？", ROWS) == ROWS
    assert _asked_roles("数据开放需要哪些部门一起参与？", ROWS) == ROWS
    assert [r["name"] for r in _asked_roles("数据开放除了牵头单位还有谁参与？", ROWS)] == ["安徽省通信管理局", "安徽省科学技术厅"]
    # who leads and who takes part, asked together: everyone, each role labelled
    assert _asked_roles("数据开放的实施细则由哪个部门牵头制定，谁配合？", ROWS) == ROWS


@pytest.mark.parametrize("question", [
    "数据开放平台建设是谁在牵头？",
    "数据开放平台建设除了牵头单位还有谁要参与？",
    "数据开放平台建设谁配合？",
    "数据开放平台建设的主责部门是哪个？",
])
def test_questions_about_taking_part_or_the_lead_route_to_departments(question):
    assert route(Linked(text=question), genre=packaged_genre()).name == "departments"


def test_a_bracket_closed_by_a_role_verb_is_the_clause_block_quoted():
    """（A、B牵头，C、D负责）: the genre's unlabelled block is the clause's block, quoted whole."""
    text = "打造一体化数据平台，推进数据共享。（市政府办公厅、市发展改革委牵头，各区、各部门负责）"
    v = View(measure_id="p.m1", policy_id="p", text=text, start=10, title="打造一体化数据平台", policy="某市数据方案")
    rows = [{"name": "某市人民政府办公厅", "mention": "市政府办公厅"}, {"name": "各区", "mention": "各区"}]
    start, end, quote = responsibility_quote(v, rows=rows, genre=packaged_genre())
    assert quote == "（市政府办公厅、市发展改革委牵头，各区、各部门负责）" and text[start - 10:end - 10] == quote
    # a clause closing each task with its own bracket: the last one names only some of its bodies
    tasks = View(measure_id="p.m2", policy_id="p", start=0, title="创新服务", policy="某市数据方案",
                 text="规范网络预订市场。（市旅游局、市市场监管局）研究制定实施细则。（有关部门按职责分工分别负责）")
    rows = [{"name": "某市旅游局", "mention": "市旅游局"}, {"name": "各有关部门", "mention": "有关部门"}]
    assert responsibility_quote(tasks, rows=rows, genre=packaged_genre()) is None


def test_bodies_a_sub_item_takes_from_its_task_are_not_evidenced_by_a_sentence_of_the_sub_item():
    v = View(measure_id="p.m2", policy_id="p", text="（1）组织各区完成自查。", start=100, title="组织各区完成自查")
    assert not _evidence_inside(v, {"name": "各区", "evidence_start": 40})
    assert _evidence_inside(v, {"name": "各区", "evidence_start": 104})
    assert _evidence_inside(v, {"name": "各区"})


def test_the_bodies_of_a_task_are_the_bracket_after_its_sentence():
    """A State Council opinion closes each task with its own bracket: asked who handles the task a quote
    of the whole clause was about (快递进校园), the bodies are the bracket after that task's sentence — not
    the bracket closing the task before it, nor every body of the clause."""
    text = ("（十七）支持物流配送终端建设。推进电子商务与物流快递协同发展。（财政部、商务部、邮政局）鼓励学校、快递企业加强合作，"
            "促进快递进校园。（地方各级人民政府，邮政局、商务部、教育部）")
    view = View(measure_id="p.m17", policy_id="p", text=text, start=100, title="（十七）支持物流配送终端建设",
                number="（十七）", policy="国务院关于大力发展电子商务加快培育经济新动力的意见")
    rows = [{"name": n, "mention": n} for n in ("财政部", "商务部", "邮政局", "教育部", "地方各级人民政府")]
    end = 100 + text.index("（地方各级")
    span, own = bracket_after(view, 100, end, rows, ["电子商务", "快递", "进校园"])
    assert span[2] == "鼓励学校、快递企业加强合作，促进快递进校园。（地方各级人民政府，邮政局、商务部、教育部）"
    assert span[0] == 100 + text.index("鼓励学校") and span[1] == 100 + len(text)
    assert [r["name"] for r in own] == ["地方各级人民政府", "邮政局", "商务部", "教育部"]
    task = bracket_after(view, 100, end, rows, ["协同发展"])[1]  # the other task: its own bracket
    assert [r["name"] for r in task] == ["财政部", "商务部", "邮政局"]
    assert bracket_after(view, 100, 100 + text.index("（财政部"), rows[:0]) is None  # no body of the clause


def test_a_bracket_of_bodies_after_a_sentence_closes_that_sentence():
    """In a State Council opinion each task's bodies follow it in brackets, and the next task goes on
    on the same line: the bracket is the end of its task's sentence, not the start of the next; a list
    marker （一） opens the next sentence, and a line's closing block stays a piece of its own."""
    from rag.compose import sentences

    text = "推进电子商务与物流快递协同发展。（财政部、商务部、邮政局）鼓励学校加强合作，促进快递进校园。（教育部、邮政局）"
    view = View(measure_id="m", policy_id="p", text=text, start=0, title="", policy="某某意见")
    assert [s[2] for s in sentences(view)] == ["推进电子商务与物流快递协同发展。（财政部、商务部、邮政局）",
                                               "鼓励学校加强合作，促进快递进校园。", "（教育部、邮政局）"]
    listed = View(measure_id="m", policy_id="p", text="明确总体要求。（一）加强组织领导。（二）强化资金保障。", start=0,
                  title="", policy="某某意见")
    assert [s[2] for s in sentences(listed)] == ["明确总体要求。", "（一）加强组织领导。", "（二）强化资金保障。"]
