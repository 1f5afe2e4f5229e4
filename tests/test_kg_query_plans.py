"""The graph queries a question runs start from an index, whatever the corpus size: FalkorDB's plan
for each (EXPLAIN, on a real server) begins with an index scan on the ids it is given, never with a
scan of every node of a label (which would make a question's cost grow with the corpus).

Checked through the falkordb client: over Bolt, FalkorDB runs an `EXPLAIN` query and the neo4j driver
gets rows, not a plan (tried; `ResultSummary.plan` is None). Both paths reach the same planner."""

from __future__ import annotations

import pytest

from kg.model import Support, Target
from kg.queries import QUERIES
from tests.support.graph import MeasureSpec, make_facts

# every named query a question runs (rag/graphsearch.py, rag/answer.py), with the ids it is given
PER_QUESTION = ("support_candidates_in", "target_candidates_in", "beneficiaries_of", "topics_of",
                "duties_in_measures", "duties_in_policies", "supports_by_ids", "targets_by_ids",
                "measures_by_ids", "measure_departments", "deadlines_of_policy", "policy_issuers")


@pytest.fixture
def store(graph_store):
    measures = [MeasureSpec(f"措施{i}", f"对企业给予最高{i + 1}%的补贴。", departments=["市科委"],
                            supports=[Support("补贴", f"最高{i + 1}%的补贴", beneficiaries=["企业"])],
                            topics=["智算"], deadline="2026-12-31")
                for i in range(4)]
    targets = [Target("到2027年培育10家企业", "企业数量", 10, "家", "超过", 2027)]
    graph_store.write_policies([make_facts("p1", "上海", measures, doc_no="测〔2024〕1号", targets=targets,
                                           issuers=["市科委"])])
    return graph_store


def _ids(store, label: str) -> list[str]:
    return [r["id"] for r in store.read_only(f"MATCH (x:{label}) RETURN x.id AS id")]


@pytest.mark.parametrize("name", PER_QUESTION)
def test_question_queries_start_from_an_index(store, name):
    measures, policies = _ids(store, "Measure"), _ids(store, "Policy")
    supports, targets = _ids(store, "Support"), _ids(store, "Target")
    assert measures and policies and supports and targets
    given = {"measure_ids": measures, "cities": ["上海"], "policy_ids": policies, "support_ids": supports,
             "ids": supports + measures, "target_ids": targets, "policy_id": policies[0]}
    query = QUERIES[name]
    params = query.bind({k: given[k] for k in query.required})
    plan = str(store.engine._graph.explain(query.cypher, params))
    assert "Index Scan" in plan, plan
    assert "Label Scan" not in plan and "All Node Scan" not in plan, plan
    assert store.run(name, **{k: given[k] for k in query.required})  # and it finds the facts it is given
