"""Department questions over the five seed policies in a real graph: the exact set, quoted."""

from __future__ import annotations

import pytest


def canonical(store, city: str, mentions: list[str]) -> set[str]:
    """Canonical names of the departments written as `mentions` in `city` (resolved by the graph)."""
    rows = [r for r in store.run("lexicon") if r["kind"] == "department" and r["city"] == city]
    out = set()
    for m in mentions:
        names = {r["name"] for r in rows if m == r["name"] or m in (r["aliases"] or [])}
        assert len(names) == 1, (m, names)
        out |= names
    return out


def assert_quotes_verbatim(answer, policy_text) -> None:
    for c in answer.citations:
        assert policy_text[c.policy_id][c.start : c.end] == c.quote, c


@pytest.mark.parametrize("question", [
    "“防范开源供应链风险”由哪些部门负责？",
    "开源供应链风险这块归谁管？",
    "防范開源供應鏈風險是哪個部門牽頭的",  # traditional characters
])
def test_supply_chain_measure_gives_exactly_two_departments(answerer, answer_store, policy_text, question):
    answer = answerer.ask(question)
    assert answer.intent == "departments"
    assert not answer.abstained
    assert set(answer.departments) == canonical(answer_store, "上海", ["市经济信息化委", "市委网信办"])
    assert len(answer.departments) == 2
    assert any("责任单位" in c.quote and "市委网信办" in c.quote for c in answer.citations)
    assert all(c.measure.endswith("防范开源供应链风险") for c in answer.citations)
    assert_quotes_verbatim(answer, policy_text)
    assert "[1]" in answer.answer


def test_compute_infrastructure_measure_gives_its_six_bodies(answerer, answer_store, policy_text):
    answer = answerer.ask("升级扩容智算基础设施这事儿都有哪些单位负责？")
    expected = canonical(answer_store, "上海", ["市经济信息化委", "金山区", "松江区", "浦东新区",
                                                "临港新片区管委会", "青浦区"])
    assert set(answer.departments) == expected and len(answer.departments) == 6
    assert answer.citations[0].doc_no == "沪经信软〔2025〕160号"
    assert_quotes_verbatim(answer, policy_text)


def test_document_without_responsibility_blocks_abstains_on_departments(answerer, policy_text):
    answer = answerer.ask("南京那个培育优质开源项目的事，是哪个部门牵头？")
    assert answer.intent == "departments"
    assert answer.abstained
    assert answer.departments == []
    assert "没有列明责任单位" in answer.answer
    assert answer.citations and all(c.city == "南京" for c in answer.citations)
    assert_quotes_verbatim(answer, policy_text)


def test_department_duties_list_measures_that_name_it(answerer, policy_text):
    answer = answerer.ask("市教委都管哪些事？")
    assert answer.intent == "duties"
    blocks = [c for c in answer.citations if "责任单位" in c.quote]
    assert len(blocks) >= 2
    assert all("市教委" in c.quote for c in blocks)
    assert len({c.measure_id for c in answer.citations}) == len(blocks)  # each task quoted from its own measure
    assert_quotes_verbatim(answer, policy_text)


def test_answer_carries_facts_subgraph_and_stage_timings(answerer):
    answer = answerer.ask("“防范开源供应链风险”由哪些部门负责？")
    assert {f["name"] for f in answer.facts if f["fact"] == "responsible"} == set(answer.departments)
    labels = {n["label"] for n in answer.subgraph["nodes"]}
    assert {"Policy", "Measure", "Department"} <= labels
    assert answer.subgraph["edges"]
    assert {"linking", "graph", "bm25", "dense", "fusion", "compose"} <= set(answer.timings_ms)
    assert answer.graph_available and not answer.warnings


def test_department_named_as_actor_in_a_closing_clause(answerer, answer_store, policy_text):
    answer = answerer.ask("上海开源方案总体上是哪个部门统筹推进？")
    assert answer.intent == "departments" and not answer.abstained
    assert set(answer.departments) == canonical(answer_store, "上海", ["市经济信息化委"])
    assert any("市经济信息化委会同" in c.quote for c in answer.citations)
    assert_quotes_verbatim(answer, policy_text)


def test_abbreviated_department_name_links_by_character_order(answerer, policy_text):
    answer = answerer.ask("市人社局在开源这块负责啥？")
    assert answer.intent == "duties" and not answer.abstained
    blocks = [c for c in answer.citations if "责任单位" in c.quote]
    assert blocks and all("市人力资源社会保障局" in c.quote for c in blocks)
    assert_quotes_verbatim(answer, policy_text)



def test_a_pair_asked_which_body_on_each_side_is_answered_per_side_whichever_way_routed(answerer, monkeypatch):
    """…分别是哪个部门 routed as a comparison (two places, a cue of comparing) still asks each side who is
    responsible: each side's own answer, not a table of targets or a refusal."""
    from rag.intents import Intent

    question = "重庆和南京的开源软件分别是哪个部门负责？"
    routed = answerer._route
    monkeypatch.setattr(answerer, "_route", lambda linked, prior: Intent("comparison") if "分别" in linked.text
                        else routed(linked, prior))
    answer = answerer.ask(question)
    assert answer.intent == "departments" and answer.answer.startswith("分别来看"), answer.answer
    assert "**重庆的开源软件是哪个部门负责" in answer.answer and "**南京的开源软件是哪个部门负责" in answer.answer
