"""GraphStore on both code paths (falkordb client, neo4j driver over Bolt): writes, queries, deletes."""

from __future__ import annotations

import time

import pytest

from kg.model import Span, Support, Target
from kg.queries import QUERIES
from tests.support.graph import MeasureSpec, make_facts

SH_ECON = "上海市经济和信息化委员会"
SH_CAC = "中共上海市委网络安全和信息化委员会办公室"
SH_SCI = "上海市科学技术委员会"
CQ_SCI = "重庆市科学技术局"


def shanghai(sha: str = "a", extra_measure: bool = False):
    measures = [
        MeasureSpec("防范开源供应链风险", "防范开源供应链风险。责任单位：市经济信息化委、市委网信办",
                    [f"{SH_ECON}=市经济信息化委", f"{SH_CAC}=市委网信办"], topics=["开源"],
                    regions=["浦东新区"], organisations=["开放原子开源基金会"], deadline="2025-12-31"),
        MeasureSpec("支持算力租用", "对租用算力给予最高10%补贴。责任单位：市科委", [f"{SH_SCI}=市科委"],
                    supports=[Support("补贴", "给予最高10%的租用补贴", rate="最高10%", condition="经评估",
                                      beneficiaries=["企业"], topics=["智算"], window="每年3月申报",
                                      tiers=["一档：5%", "二档：10%"],
                                      condition_spans=[Span("sh1/m1", 3, 9, "纳入统筹调度")])]),
    ]
    if extra_measure:
        measures.append(MeasureSpec("建设开源社区", "建设开源社区。", [SH_ECON]))
    target = Target("培育100家开源商业化企业", "开源商业化企业数量", 100, "家", "超过", 2027, topics=["开源"])
    return make_facts("sh1", "上海", measures, doc_no="沪经信〔2023〕1号", issuers=[SH_ECON],
                      targets=[target], sha256=sha)


def chongqing():
    return make_facts("cq1", "重庆", [MeasureSpec("培育开源项目", "培育开源项目。责任单位：市科技局",
                                                  [f"{CQ_SCI}=市科技局"], topics=["开源"])],
                      doc_no="渝科发〔2024〕2号", issuers=[CQ_SCI])


def shared_department_policy():
    """Another Shanghai policy that also names 市经济信息化委 (a shared Department node)."""
    return make_facts("sh2", "上海", [MeasureSpec("推广开源应用", "推广开源应用。", [SH_ECON])])


def test_measure_departments_are_exact(any_store):
    any_store.write_policy(shanghai())
    rows = any_store.run("measure_departments", measure_ids=["sh1/m1"])
    assert {r["department"] for r in rows} == {SH_ECON, SH_CAC}
    assert {r["mention"] for r in rows} == {"市经济信息化委", "市委网信办"}
    row = rows[0]
    assert (row["doc_no"], row["city"], row["measure_title"], row["section"]) == (
        "沪经信〔2023〕1号", "上海", "防范开源供应链风险", "主要任务")
    assert row["text"][row["start"] - row["start"]:].startswith("防范开源供应链风险")


def test_department_found_by_alias_and_city(any_store):
    any_store.write_policies([shanghai(), chongqing()])
    by_alias = any_store.run("department_measures", names=["市科委"])
    assert {(r["department"], r["measure_id"]) for r in by_alias} == {(SH_SCI, "sh1/m2")}
    assert any_store.run("department_measures", names=[SH_SCI], city="重庆") == []
    cq = any_store.run("department_measures", names=["市科技局"], city="重庆")
    assert [r["measure_id"] for r in cq] == ["cq1/m1"]


def test_same_name_in_two_cities_are_two_nodes(any_store):
    any_store.write_policies([shanghai(), chongqing()])
    depts = any_store.run("departments_all")
    assert {(d["name"], d["city"]) for d in depts} >= {(SH_SCI, "上海"), (CQ_SCI, "重庆")}
    assert len({d["id"] for d in depts}) == len(depts)


def test_title_search_support_targets_deadlines(any_store):
    any_store.write_policies([shanghai(), chongqing()])
    found = any_store.run("measures_by_title", text="供应链")
    assert [r["measure_id"] for r in found] == ["sh1/m1"]
    assert set(found[0]["departments"]) == {SH_ECON, SH_CAC}
    assert [r["city"] for r in any_store.run("measures_by_title", text="开源", city="重庆")] == ["重庆"]

    support = any_store.run("support_search", beneficiary="企业")
    assert [(s["measure_id"], s["rate"], s["condition"]) for s in support] == [("sh1/m2", "最高10%", "经评估")]
    assert support[0]["departments"] == [SH_SCI]
    assert support[0]["window"] == "每年3月申报"  # when one applies travels with the item
    assert support[0]["tiers"] == ["一档：5%", "二档：10%"]  # and each tier with its amount
    assert (support[0]["condition_starts"], support[0]["condition_ends"]) == ([3], [9])  # a condition written apart
    assert any_store.run("support_search", city="重庆") == []
    assert any_store.run("support_search", topic="智算")[0]["support_id"] == support[0]["support_id"]

    targets = any_store.run("targets_search", city="上海", year=2027)
    assert [(t["value"], t["unit"], t["comparator"]) for t in targets] == [(100, "家", "超过")]
    assert any_store.run("targets_search", year=2030) == []

    deadlines = any_store.run("deadlines_search", city="上海")
    assert [(d["date"], d["measure_id"]) for d in deadlines] == [("2025-12-31", "sh1/m1")]


def test_policy_queries(any_store):
    any_store.write_policies([shanghai(), chongqing()])
    assert [p["id"] for p in any_store.run("policies_all")] == ["cq1", "sh1"] or \
        {p["id"] for p in any_store.run("policies_all")} == {"cq1", "sh1"}
    policy = any_store.run("policy_by_doc_no", doc_no="沪经信〔2023〕1号")
    assert [(p["id"], p["measures"], p["issuers"]) for p in policy] == [("sh1", 2, [SH_ECON])]
    assert any_store.run("policy_by_id", policy_id="nope") == []
    outline = any_store.run("policy_outline", policy_id="sh1")
    assert [r["measure_id"] for r in outline] == ["sh1/m1", "sh1/m2"]
    assert [r["start"] for r in outline] == sorted(r["start"] for r in outline)
    assert [r["department"] for r in any_store.run("policy_issuers", policy_id="cq1")] == [CQ_SCI]
    assert [s["id"] for s in any_store.run("policy_sections", policy_id="sh1")] == ["sh1/s1"]


def test_vocabulary_lexicon_neighbourhood(any_store):
    any_store.write_policies([shanghai(), chongqing()])
    vocab = {(r["kind"], r["name"]) for r in any_store.run("vocabulary")}
    assert {("city", "上海"), ("city", "重庆"), ("beneficiary", "企业"), ("topic", "开源"),
            ("support_kind", "补贴"), ("region", "浦东新区"), ("organisation", "开放原子开源基金会")} <= vocab
    lexicon = any_store.run("lexicon")
    dept = next(r for r in lexicon if r["kind"] == "department" and r["name"] == SH_ECON)
    assert "市经济信息化委" in dept["aliases"] and dept["city"] == "上海"
    assert any(r["kind"] == "policy" and "沪经信〔2023〕1号" in r["aliases"] for r in lexicon)
    edges = {(r["source_label"], r["rel"], r["target_label"])
             for r in any_store.run("measure_neighbourhood", measure_ids=["sh1/m1", "sh1/m2"], limit=50)}
    assert {("Policy", "CONTAINS", "Measure"), ("Measure", "RESPONSIBLE", "Department"),
            ("Measure", "OFFERS", "Support"), ("Support", "FOR", "Beneficiary"),
            ("Measure", "IN_REGION", "Region")} <= edges


def test_write_is_idempotent(any_store):
    any_store.write_policies([shanghai(), chongqing()])
    before = any_store.stats()
    any_store.write_policy(shanghai())
    any_store.write_policies([shanghai(), chongqing()])
    assert any_store.stats() == before
    assert before["nodes"]["Department"] == 4 and before["relationships"]["RESPONSIBLE"] == 4
    assert any_store.policy_hashes() == {"sh1": "a", "cq1": "sha-1"}


def test_changed_policy_replaces_only_its_subgraph(any_store):
    any_store.write_policies([shanghai(), chongqing()])
    cq_before = any_store.run("policy_outline", policy_id="cq1")
    any_store.write_policy(shanghai(sha="b", extra_measure=True))
    assert [r["measure_id"] for r in any_store.run("policy_outline", policy_id="sh1")] == [
        "sh1/m1", "sh1/m2", "sh1/m3"]
    assert any_store.run("policy_outline", policy_id="cq1") == cq_before
    assert any_store.policy_hashes()["sh1"] == "b"
    # a department dropped from the new version disappears when nobody else references it
    slim = make_facts("sh1", "上海", [MeasureSpec("防范开源供应链风险", departments=[SH_ECON])], sha256="c")
    any_store.write_policy(slim)
    names = {d["name"] for d in any_store.run("departments_all")}
    assert SH_SCI not in names and SH_CAC not in names and {SH_ECON, CQ_SCI} <= names
    assert any_store.run("support_search") == [] and any_store.run("targets_search", city="上海") == []


def test_delete_keeps_shared_departments(any_store):
    any_store.write_policies([shanghai(), shared_department_policy(), chongqing()])
    any_store.delete_policy("sh1")
    names = {d["name"] for d in any_store.run("departments_all")}
    assert SH_ECON in names  # still referenced by sh2
    assert SH_CAC not in names and SH_SCI not in names
    assert "sh1" not in any_store.policy_hashes()
    nodes = any_store.stats()["nodes"]
    assert "Support" not in nodes and "Target" not in nodes and "Region" not in nodes
    any_store.delete_policy("sh2")
    any_store.delete_policy("cq1")
    assert any_store.stats() == {"nodes": {}, "relationships": {}}


INJECTIONS = ["'}) DETACH DELETE n //", "\"}) DETACH DELETE n //", "x\\' MATCH (n) DETACH DELETE n //",
              "\\\"}) MATCH (n) DETACH DELETE n RETURN 1 //"]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_injection_as_parameter_changes_nothing(any_store, payload):
    any_store.write_policy(shanghai())
    before = any_store.stats()
    assert any_store.run("measures_by_title", text=payload) == []
    assert any_store.run("department_measures", names=[payload], city=payload) == []
    rows = any_store.read_only("WITH $t AS echo OPTIONAL MATCH (m:Measure) WHERE m.title = echo "
                               "RETURN echo, count(m) AS n", {"t": payload})
    assert rows == [{"echo": payload, "n": 0}]
    assert any_store.stats() == before


@pytest.mark.parametrize("cypher", [
    "MATCH (n) DETACH DELETE n", "MATCH (n:Policy) SET n.title = 'x'", "CREATE (:Policy {id: 'evil'})",
    "MERGE (n:Policy {id: 'evil'})", "MATCH (n) REMOVE n.title RETURN n",
    "CALL db.idx.fulltext.createNodeIndex('Policy', 'title')", "RETURN 1; MATCH (n) DELETE n",
    "MATCH (n) CALL { WITH n DETACH DELETE n } RETURN 1", "LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r",
])
def test_read_only_refuses_writes(any_store, cypher):
    any_store.write_policy(shanghai())
    before = any_store.stats()
    with pytest.raises(ValueError):
        any_store.read_only(cypher)
    assert any_store.stats() == before


def test_read_only_allows_reads(any_store):
    any_store.write_policy(shanghai())
    rows = any_store.read_only("MATCH (p:Policy) WHERE p.title <> 'DELETE' RETURN p.id AS id // SET")
    assert rows == [{"id": "sh1"}]
    labels = {r["label"] for r in any_store.read_only("CALL db.labels() YIELD label RETURN label")}
    assert {"Policy", "Measure", "Department"} <= labels


def built_by_an_earlier_version(store, attempts: int = 200) -> None:
    """Wait until FalkorDB has built the index just created, as a graph an earlier version wrote has
    it: FalkorDB builds an index in the background and refuses to drop one under construction."""
    if store.engine.dialect.index_status is None:
        return
    assert store.indexes_built(attempts), "FalkorDB did not finish building its indexes"


def indexes_once_settled(store, absent: tuple[str, str], attempts: int = 100) -> set[tuple[str, str]]:
    """The (label, property) pairs indexed, read until `absent` is gone from them (or `attempts`
    reads): FalkorDB may list a dropped index for a moment after the drop returned."""
    listing = store.engine.dialect.list_indexes
    for _ in range(attempts):
        present = {(r["label"], p) for r in store.read_only(listing) for p in r["properties"]}
        if absent not in present:
            break
        time.sleep(0.05)
    return present


def test_ensure_schema_drops_an_index_the_schema_no_longer_declares(any_store):
    """A graph written by an earlier version keeps no index the schema dropped (FalkorDB rebuilds
    every index each time its server loads); the declared ones stay."""
    indexes = any_store.engine.dialect.list_indexes
    if indexes is None:
        pytest.skip("this engine cannot list its indexes")
    any_store.ensure_schema()
    any_store._execute("CREATE INDEX FOR (n:Measure) ON (n.title)")
    built_by_an_earlier_version(any_store)

    def present() -> set[tuple[str, str]]:
        return {(r["label"], p) for r in any_store.read_only(indexes) for p in r["properties"]}

    assert ("Measure", "title") in present()
    any_store.ensure_schema()
    after = indexes_once_settled(any_store, ("Measure", "title"))
    assert ("Measure", "title") not in after
    assert {("Measure", "id"), ("Measure", "policy_id")} <= after


def test_ensure_schema_drops_a_stale_index_still_being_built(any_store):
    """Right after a FalkorDB server loads a graph it rebuilds every index and refuses to drop one
    under construction: ensure_schema waits for the build and drops the stale index all the same."""
    indexes = any_store.engine.dialect.list_indexes
    if indexes is None:
        pytest.skip("this engine cannot list its indexes")
    any_store.ensure_schema()
    # enough nodes that building an index on them takes a moment
    any_store._execute("UNWIND range(1, 20000) AS i CREATE (:Measure {id: 'bulk' + toString(i), title: 'm' + toString(i)})")
    any_store._execute("CREATE INDEX FOR (n:Measure) ON (n.title)")
    any_store.ensure_schema()  # at once: the new index may still be under construction
    after = indexes_once_settled(any_store, ("Measure", "title"))
    assert ("Measure", "title") not in after
    assert {("Measure", "id"), ("Measure", "policy_id")} <= after


def test_unknown_query_and_bad_parameters(any_store):
    with pytest.raises(KeyError):
        any_store.run("no_such_query")
    with pytest.raises(TypeError):
        any_store.run("measure_departments")
    with pytest.raises(TypeError):
        any_store.run("vocabulary", city="上海")


def test_ensure_schema_is_idempotent_and_ping(any_store):
    any_store.ensure_schema()
    any_store.ensure_schema()
    assert any_store.ping()
    assert any_store.stats() == {"nodes": {}, "relationships": {}}


def test_every_named_query_runs(any_store):
    """Each registered query runs on this engine with its required parameters."""
    any_store.write_policies([shanghai(), chongqing()])
    values = {"measure_ids": ["sh1/m1"], "text": "开源", "names": [SH_ECON], "policy_id": "sh1",
              "doc_no": "沪经信〔2023〕1号", "cities": ["上海"], "policy_ids": ["sh1"], "node_id": "sh1/m1",
              "limit": 24}
    supports = any_store.run("support_candidates")
    values["support_ids"] = values["ids"] = [r["support_id"] for r in supports]
    values["measure_ids"] += [r["measure_id"] for r in supports]
    values["target_ids"] = [r["target_id"] for r in any_store.run("target_candidates")]
    for name, query in QUERIES.items():
        rows = any_store.run(name, **{p: values[p] for p in query.required})
        assert rows, name


def test_dropping_an_index_already_gone_is_no_error(any_store):
    """FalkorDB lists a dropped index for a moment after the drop returned, so ensure_schema may drop
    it twice; over Bolt the second refusal ("no such index") arrives as an unknown error. An index no
    longer listed was dropped: no error, on either engine."""
    any_store.ensure_schema()
    listing = any_store.engine.dialect.list_indexes
    if listing is None:
        pytest.skip("this engine cannot list its indexes")
    assert ("Measure", "title") not in {(r["label"], p) for r in any_store.read_only(listing) for p in r["properties"]}
    any_store._drop_index(("Measure", "title"))
