"""A question comparing two parts of what one clause sets (省级和市县级各自不低于多少), naming no place and
asking none across places, is answered from the clause that sets both — not by a table of every place
of the corpus with one row filled and the rest counted as places whose documents do not state it."""

from __future__ import annotations

import pytest

from tests.support.reliability import ingested_facade

PLAN = ("全国深化“放管服”改革转变政府职能重点任务分工方案\n\n国务院办公厅\n\n"
        "一、任务分工\n\n"
        "1.大力发展“互联网+政务服务”。2018年底前实现省级政务服务事项网上可办率不低于80%，"
        "市县级政务服务事项网上可办率不低于50%；五年内政务服务事项基本上网办理。（国务院办公厅牵头）\n\n"
        "2.推进证照分离改革。2018年底前在全国推开“证照分离”改革。（市场监管总局牵头）\n")
CITY = ("合肥市数字政府建设行动方案\n\n合肥市人民政府\n\n"
        "一、主要目标\n\n到2025年，全市政务服务事项网上可办率达到95%。\n\n"
        "二、重点任务\n\n（一）建设政务云平台。支持各区建设政务云。（责任单位：市数据资源局）\n")


@pytest.fixture(scope="module")
def facade(tmp_path_factory):
    root = tmp_path_factory.mktemp("within")
    docs = root / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(PLAN, encoding="utf-8")
    (docs / "hefei.txt").write_text(CITY, encoding="utf-8")
    with ingested_facade(root / "data", docs, dense=False) as (kg, _):
        yield kg


def test_two_parts_of_one_clause_compared_are_answered_from_the_clause(facade):
    answer = facade.ask("放管服分工方案对2018年底的政务服务网上可办率有什么要求？省级和市县级各自不低于多少？")
    assert not answer.abstained
    assert "各城市对比" not in answer.answer and "个地方的文件未载明" not in answer.answer, answer.answer
    assert "不低于80%" in answer.answer and "不低于50%" in answer.answer, answer.answer
    assert answer.citations


def test_a_comparison_asked_across_places_keeps_its_table(facade):
    answer = facade.ask("哪个城市的政务服务事项网上可办率目标更高？")
    assert "各城市对比" in answer.answer, answer.answer


def test_across_places_is_told_from_the_wording(facade):
    import re

    import genre

    cue = genre.packaged().data("intents")["across_places"]
    assert re.search(cue, "哪个城市的补贴最高")
    assert re.search(cue, "各地的人才政策有什么不同")
    assert re.search(cue, "三个城市开源社区数量目标各是多少")
    assert not re.search(cue, "省级和市县级各自不低于多少")
    assert not re.search(cue, "这两类人员分别能领多少")
