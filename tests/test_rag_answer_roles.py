"""Who leads and who is involved: the department answer follows the roles on RESPONSIBLE."""

from __future__ import annotations

from rag.compose import _asked_roles, _department_phrase

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


def test_co_leads_answer_who_leads_and_are_labelled():
    rows = [{"name": "上海市发展和改革委员会", "role": "co-lead"}, {"name": "上海市财政局", "role": "co-lead"},
            {"name": "各区人民政府", "role": "participant"}]
    assert [r["name"] for r in _asked_roles("谁牵头推进开源应用？", rows)] == ["上海市发展和改革委员会", "上海市财政局"]
    assert _department_phrase(rows) == "共同牵头：上海市发展和改革委员会、上海市财政局；配合：各区人民政府"
