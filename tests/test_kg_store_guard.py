"""The read-only guard and the writer's row shapes: pure functions, no server."""

from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from kg.cypher_guard import check_read_only, is_read_only
from kg.engines import falkor_params_header
from kg.model import Support
from kg.writer import write_statements
from tests.support.graph import MeasureSpec, make_facts

READS = [
    "MATCH (n:Policy) RETURN n.title AS title",
    "MATCH (n) WHERE n.title CONTAINS 'DELETE' OR n.text = \"SET x\" RETURN n",
    "MATCH (n) // CREATE (m)\nRETURN n",
    "MATCH (n) /* DETACH DELETE n */ RETURN count(n)",
    "MATCH (n) RETURN n.set AS start, n.create AS created, {merge: 1, delete: 2} AS m",
    "MATCH (n:Set) RETURN n",
    "CALL db.labels() YIELD label RETURN label",
    "MATCH (n) WHERE n.a = 'it\\'s; DELETE n' RETURN n;",
    "UNWIND $ids AS id MATCH (m:Measure {id: id}) RETURN m",
]
WRITES = [
    "CREATE (n)", "match (n) set n.x = 1", "MATCH (n) DETACH DELETE n", "MATCH (n) DELETE n",
    "MERGE (n:Policy {id: 1})", "MATCH (n) REMOVE n:Policy", "DROP INDEX ON :Policy(id)",
    "LOAD CSV FROM 'x' AS r RETURN r", "MATCH (n) FOREACH (x IN [1] | SET n.y = x)",
    "CALL db.idx.fulltext.createNodeIndex('Policy', 'title')", "CALL dbms.security.createUser('a', 'b')",
    "RETURN 1; MATCH (n) DETACH DELETE n", "MATCH (n) CALL { WITH n DELETE n } RETURN 1",
    "MATCH (n) WHERE n.a = 'x' DELETE n", "MATCH (n) WHERE n.a = \"x\\\"\" SET n.b = 1",
    "WITH 1 AS x /* comment */ CREATE (:A)",
]


@pytest.mark.parametrize("cypher", READS)
def test_reads_pass(cypher):
    check_read_only(cypher)


@pytest.mark.parametrize("cypher", WRITES)
def test_writes_refused(cypher):
    assert not is_read_only(cypher)
    with pytest.raises(ValueError):
        check_read_only(cypher)


def test_params_header_escapes_quotes_and_rejects_bad_names():
    header = falkor_params_header({"t": "a\"}) DETACH DELETE n //\\", "n": 3, "l": ["x", None]})
    assert header.startswith("CYPHER ") and header.endswith(" ")
    assert '\\"}) DETACH' in header  # the quote stays inside the string literal
    with pytest.raises(ValueError):
        falkor_params_header({"a b": 1})


def test_writer_rows_hold_only_primitive_property_values():
    facts = make_facts("p", "上海", [
        MeasureSpec("算力补贴", "给予补贴", ["上海市经济和信息化委员会=市经信委", "上海市经济和信息化委员会"],
                    supports=[Support("补贴", "补贴", rate="最高10%", beneficiaries=["企业", "企业"])],
                    topics=["智算"], regions=["浦东新区"]),
    ], issuers=["上海市经济和信息化委员会"])
    statements = write_statements([facts], genre=packaged_genre())
    for st in statements:
        for row in st.rows:
            for value in row.get("props", {}).values():
                items = value if isinstance(value, list) else [value]
                assert all(isinstance(v, str | int | float | bool) for v in items), (st.name, value)
    by_name = {st.name: st.rows for st in statements}
    assert len(by_name["department"]) == 1 and by_name["department"][0]["aliases"] == ["市经信委"]
    assert len(by_name["responsible"]) == 1  # one edge per (measure, department, role)
    assert len(by_name["support_beneficiary"]) == 1
    assert [r["key"] for r in by_name["region"]] == ["上海:浦东新区"]


def test_dialect_ddl():
    from kg.engines import FALKORDB, NEO4J
    from kg.schema import INDEXED, NODE_KEYS

    neo = NEO4J.index_statements(NODE_KEYS, INDEXED)
    assert all("IF NOT EXISTS" in s for s in neo)
    assert sum("REQUIRE n.id IS UNIQUE" in s for s in neo) == sum(k == "id" for k in NODE_KEYS.values())
    falkor = FALKORDB.index_statements(NODE_KEYS, INDEXED)
    assert "CREATE INDEX FOR (n:Policy) ON (n.id)" in falkor
    assert FALKORDB.index_statements(NODE_KEYS, INDEXED, {("Policy", "id")}) == [
        s for s in falkor if s != "CREATE INDEX FOR (n:Policy) ON (n.id)"]
