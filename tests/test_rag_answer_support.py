"""Support, target and comparison questions, and honest abstention, over the seed policies."""

from __future__ import annotations

import re

import pytest


def assert_quotes_verbatim(answer, policy_text) -> None:
    for c in answer.citations:
        if c.section != "文件信息":  # metadata lines are quoted from front matter or sidecar, not the body
            assert policy_text[c.policy_id][c.start : c.end] == c.quote, c


def test_renting_compute_in_shanghai_cites_the_rental_subsidy_with_conditions(answerer, policy_text):
    answer = answerer.ask("在上海租用算力搞大模型研发，能拿到啥补贴？")
    assert answer.intent == "support" and not answer.abstained
    cited = [c for c in answer.citations if "租用补贴" in c.quote]
    assert cited, answer.answer
    assert "10%" in cited[0].quote.replace(" ", "")
    assert cited[0].city == "上海"
    # the conditions stated in the clause reach the answer
    assert "经评估" in answer.answer and "统筹调度" in answer.answer
    assert all(c.city == "上海" for c in answer.citations)
    assert_quotes_verbatim(answer, policy_text)


def test_support_answer_names_responsible_departments_when_the_clause_has_them(answerer, policy_text):
    answer = answerer.ask("调用智算云服务的创新主体有没有算力补贴？")
    assert not answer.abstained
    row = next(line for line in answer.answer.splitlines() if "一定比例" in line)
    assert "责任单位：" in row and "经济和信息化委员会" in row
    assert_quotes_verbatim(answer, policy_text)


@pytest.mark.parametrize("question", [
    "北京对开源项目有什么补贴？",
    "杭州的算力券怎么申请？",
])
def test_city_outside_the_corpus_abstains_and_says_what_is_covered(answerer, question):
    answer = answerer.ask(question)
    assert answer.abstained
    assert answer.citations == [] and answer.departments == []
    for city in ("上海", "南京", "重庆"):
        assert city in answer.answer
    assert not re.search(r"\d+\s*%", answer.answer)


def test_topic_outside_the_corpus_abstains(answerer):
    answer = answerer.ask("上海对新能源汽车企业有啥补贴？")
    assert answer.abstained and answer.citations == []


def test_city_comparison_gives_one_row_per_city_with_sources(answerer, policy_text):
    answer = answerer.ask("上海、南京、重庆的开源社区数量目标分别是多少？")
    assert answer.intent == "comparison" and not answer.abstained
    assert [r["city"] for r in answer.table] == ["上海", "南京", "重庆"]
    for row in answer.table:
        citation = answer.citations[row["citation"] - 1]
        assert citation.city == row["city"]
        assert "开源社区" in citation.quote
        assert str(row["value"]).split("—")[0].split("（")[0] in citation.quote
    assert answer.answer.count("\n|") >= 4  # header, rule, three cities
    assert_quotes_verbatim(answer, policy_text)


def test_comparison_by_city_abbreviations(answerer):
    answer = answerer.ask("沪宁渝三地培育开源企业的目标比一比")
    assert {r["city"] for r in answer.table} == {"上海", "南京", "重庆"}
    assert all(r["citation"] for r in answer.table)


def test_comparison_with_a_city_outside_the_corpus_marks_it(answerer):
    answer = answerer.ask("北京和上海的开源开发者目标对比")
    rows = {r["city"]: r for r in answer.table}
    assert rows["北京"]["citation"] is None and rows["北京"]["value"] is None
    assert rows["上海"]["citation"]



def test_a_comparison_naming_no_place_lists_only_the_places_that_state_the_target(answerer):
    """各地的智能算力规模目标: every place was searched; those whose documents state no such target are
    counted under the table, not listed as rows of dashes."""
    answer = answerer.ask("各地的智能算力规模目标分别是多少？")
    assert answer.intent == "comparison" and not answer.abstained, answer.answer
    assert answer.table and all(row["citation"] for row in answer.table), answer.answer
    assert "语料未载明" not in answer.answer
    assert f"其余 {3 - len(answer.table)} 个地方的文件未载明这一目标" in answer.answer, answer.answer

def test_target_question_quotes_the_number_and_year(answerer, policy_text):
    answer = answerer.ask("到2027年上海智算规模要搞到多少？")
    assert answer.intent == "targets" and not answer.abstained
    assert any("200EFLOPS" in c.quote.replace(" ", "") for c in answer.citations)
    assert_quotes_verbatim(answer, policy_text)


def test_validity_question_in_traditional_chinese(answerer, policy_text):
    answer = answerer.ask("開源體系建設方案啥時候到期？")
    assert answer.intent == "metadata"
    assert "2028" in answer.answer
    assert any("有效期至" in c.quote for c in answer.citations)
    assert_quotes_verbatim(answer, policy_text)


def test_issuer_question_by_document_number(answerer, answer_store):
    answer = answerer.ask("沪经信智[2023]608号是哪几个部门联合发的？")
    assert answer.intent == "metadata"
    policy = next(p for p in answer_store.run("policies_all") if p["doc_no"] == "沪经信智〔2023〕608号")
    issuers = {r["department"] for r in answer_store.run("policy_issuers", policy_id=policy["id"])}
    assert len(issuers) == 5
    assert all(name in answer.answer for name in issuers)



def test_a_comparison_table_whose_rows_say_nothing_of_what_is_compared_gives_way_to_each_sides_clauses(answerer):
    """分别鼓励企业参与哪些标准的制定: each side's best support fact (a 奖励 of one, a 政策支持 of the other)
    says nothing of standards; each side's own clauses on the subject answer."""
    answer = answerer.ask("重庆和南京分别鼓励企业参与哪些标准的制定？")
    assert not answer.abstained and not answer.table, answer.answer
    assert any("标准化活动" in c.quote for c in answer.citations), answer.answer
    # a comparison naming its metric (补贴, 最多多少) keeps its table
    assert answerer.ask("上海和南京对开源项目的奖励最多分别是多少？").table
