"""Questions scoped through the jurisdiction hierarchy, over a small corpus of four levels (real FalkorDB)."""

from __future__ import annotations

import pytest

CITY = """广州市人民政府办公厅关于印发广州市数据要素市场发展若干措施的通知
穗府办〔2024〕9号
各区人民政府：
现将《广州市数据要素市场发展若干措施》印发给你们，请认真贯彻执行。
广州市人民政府办公厅
2024年3月1日
广州市数据要素市场发展若干措施
一、培育数据商
（一）支持数据商发展。对新引进的数据商给予最高500万元奖励。（责任单位：市政务服务数据管理局、市财政局）
"""
PROVINCE = """广东省人民政府办公厅关于印发广东省数据要素市场化配置改革行动方案的通知
粤府办〔2023〕5号
各地级以上市人民政府：
现将《广东省数据要素市场化配置改革行动方案》印发给你们，请认真贯彻执行。
广东省人民政府办公厅
2023年6月2日
广东省数据要素市场化配置改革行动方案
一、主要任务
（一）建设数据交易所。推动数据交易所建设，对数据交易给予补贴。（责任单位：省发展改革委、省政务服务数据管理局）
"""
NATIONAL = """国务院关于构建数据基础制度更好发挥数据要素作用的意见
国发〔2022〕32号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
一、建立数据产权制度
（一）探索数据产权结构性分置制度。建立公共数据、企业数据、个人数据的分类分级确权授权制度。（发展改革委、工业和信息化部按职责分工负责）
国务院
2022年12月2日
"""


@pytest.fixture(scope="module")
def scoped_kg(tmp_path_factory):
    from kg.embedded import stop_server
    from rag.pipeline import PolicyKG
    from rag.settings import Settings

    folder = tmp_path_factory.mktemp("scope-docs")
    for name, text in (("city.txt", CITY), ("province.txt", PROVINCE), ("national.txt", NATIONAL)):
        (folder / name).write_text(text, encoding="utf-8")
    data_dir = tmp_path_factory.mktemp("scope-data")
    kg = PolicyKG(Settings(data_dir=data_dir, embedding_model="policykg-test-no-such-model", embedding_fallback=""))
    try:
        kg.ingest([folder])
        yield kg
    finally:
        kg.close()
        stop_server(data_dir)


def test_jurisdictions_in_the_graph(scoped_kg):
    rows = scoped_kg.graph_query(
        "MATCH (p:Policy)-[:IN_JURISDICTION]->(j:Jurisdiction) RETURN p.level AS level, p.city AS city, j.name AS place"
    )
    chain = scoped_kg.graph_query(
        "MATCH (:Jurisdiction {name: '广州市'})-[:PART_OF]->(a:Jurisdiction)-[:PART_OF]->(b:Jurisdiction) "
        "RETURN a.name AS a, b.name AS b"
    )
    assert [(r["a"], r["b"]) for r in chain] == [("广东省", "全国")]
    assert {(r["level"], r["city"], r["place"]) for r in rows} == {
        ("national", "全国", "全国"), ("provincial", "广东", "广东省"), ("city", "广州", "广州市")}
    depts = scoped_kg.graph_query("MATCH (d:Department) RETURN d.name AS name")
    names = {r["name"] for r in depts}
    assert {"广州市财政局", "广东省发展和改革委员会"} <= names


def test_a_city_question_covers_provincial_and_national_documents(scoped_kg):
    answer = scoped_kg.ask("广州对数据交易有什么补贴？")
    assert not answer.abstained
    cited = {c.city for c in answer.citations}
    assert cited & {"广东", "全国", "广州"}
    assert all(c.title for c in answer.citations)


def test_a_district_stands_for_its_city(scoped_kg):
    answer = scoped_kg.ask("天河区对数据交易有什么补贴？")
    assert not answer.abstained
    assert {c.city for c in answer.citations} & {"广州", "广东"}


def test_a_place_not_covered_is_reported_with_what_is_covered(scoped_kg):
    answer = scoped_kg.ask("拉萨市对数据商有什么奖励？")
    assert answer.abstained
    assert "拉萨" in answer.answer and "广州" in answer.answer and "国家级" in answer.answer


def test_national_documents_are_labelled_national(scoped_kg):
    answer = scoped_kg.ask("数据产权结构性分置制度由哪些部门负责？")
    national = [c for c in answer.citations if "数据基础制度" in (c.title or "")]
    assert national and all(c.city == "全国" for c in national)
