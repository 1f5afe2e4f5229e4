"""Goals whose year is not in their own sentence: the answer states the year and cites where the
document writes it (an earlier sentence of the clause, a goal paragraph of its section, the plan's
period); a year only reckoned, never written, is not stated."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.compose import (
    Citer,
    Context,
    GoalPick,
    View,
    goal_line,
    goal_year,
    readable_goal,
    year_source,
    year_written,
)
from rag.intents import Intent
from rag.linking import Linked


def _view(mid: str, text: str, start: int, section: str = "二、主要目标", kind: str = "measure") -> View:
    return View(measure_id=mid, policy_id="p1", text=text, start=start, policy="某省国民经济和社会发展第十三个五年规划纲要",
                city="某省", section=section, kind=kind)


PREAMBLE = _view("pre", "编制某省国民经济和社会发展第十三个五年（2016—2020年）规划纲要，阐明发展目标。", 0, "", "preamble")
GOALS = _view("m1", "到2025年，全省基本建成现代产业体系。", 100)
ITEM = _view("m2", "大力发展装备农业，主要农作物耕种收综合机械化水平达到65%以上。", 200, "二、主要目标 / （一）农业")
OTHER = _view("m3", "推进科技创新，科技进步贡献率达到60%。", 300, "三、重点任务")


def _ctx() -> Context:
    outline = {"p1": [GOALS, ITEM, OTHER]}
    return Context(question="q", linked=Linked("q"), intent=Intent("targets"), focus=[], views={}, fused=[],
                   graph=None, policies=[], responsibility_labels=[], outline=lambda pid: outline[pid],
                   preamble=lambda pid: PREAMBLE, genre=packaged_genre())


def test_a_goal_year_is_the_year_a_sentence_sets_not_a_base_year_or_a_date():
    assert goal_year("到2025年，全省基本建成现代产业体系。", genre=packaged_genre()) == 2025
    assert goal_year("2020年工业固体废弃物综合利用率达到80%以上。", genre=packaged_genre()) == 2020
    assert goal_year("万元产值用电量较2020年下降8%。", genre=packaged_genre()) is None
    assert goal_year("2017年7月8日", genre=packaged_genre()) is None
    assert year_written(2020, "“十三五”时期") and year_written(2020, "（2016—2020年）") and not year_written(2020, "到2025年")


def test_the_year_of_an_item_is_its_sections_goal_paragraph_and_is_cited_there():
    found = year_source(_ctx(), ITEM, ITEM.start, None, genre=packaged_genre())
    assert found is not None and found[0] == 2025 and found[2][2] == "到2025年，全省基本建成现代产业体系。"
    assert year_source(_ctx(), ITEM, ITEM.start, {2020}, genre=packaged_genre()) is None  # the nearest year governs: 2025, not the plan's end


def test_a_goal_outside_any_dated_paragraph_takes_the_plan_period_written_in_the_preamble():
    found = year_source(_ctx(), OTHER, OTHER.start, {2020}, genre=packaged_genre())
    assert found is not None and found[0] == 2020 and "（2016—2020年）" in found[2][2]
    citer = Citer()
    s = (OTHER.start, OTHER.start + len(OTHER.text), OTHER.text)
    line = goal_line(_ctx(), citer, GoalPick(1.0, OTHER, s, 2020, PREAMBLE, found[2]))
    assert line == f"- 某省到 2020 年（年份见 [2]）：{OTHER.text} [1]"
    assert "2020" in citer.citations[1].quote  # the number stated is in a quote shown


def test_a_year_the_sentence_writes_is_not_said_twice():
    s = (GOALS.start, GOALS.start + len(GOALS.text), GOALS.text)
    assert goal_line(_ctx(), Citer(), GoalPick(1.0, GOALS, s, 2025)) == f"- 某省：{GOALS.text} [1]"


def test_a_tables_note_or_cells_run_together_are_no_goal_to_state():
    assert not readable_goal("注：①内涝防治达标率（%）=（达到内涝防治标准的面积/建成区总面积）×100%")
    assert not readable_goal("定海区2020-2021 1500 1500 2 定海城区河道疏浚清淤工程 2020-2022 2000 2000 3 红卫水库 2020-2021 200 200 4")
    assert readable_goal("农作物秸秆综合利用率达到86%。")
