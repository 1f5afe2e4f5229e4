"""The queries a question runs start from an index seek, never from a scan of a whole label: their cost
follows the question's candidates, not the size of the corpus. Checked on FalkorDB's own plans
(GRAPH.EXPLAIN) for the seed graph, and each query still returns the rows it is meant to."""

from __future__ import annotations

import pytest

from kg.queries import QUERIES

# query -> parameters to plan it with (the values need not exist: a plan depends on the shape only)
QUESTION_PATH = {
    "support_candidates_in": {"measure_ids": ["m"], "cities": ["上海"]},
    "target_candidates_in": {"policy_ids": ["p"], "cities": []},
    "beneficiaries_of": {"support_ids": ["s"]},
    "topics_of": {"ids": ["s"]},
    "duties_in_measures": {"measure_ids": ["m"]},
    "duties_in_policies": {"policy_ids": ["p"]},
    "supports_by_ids": {"support_ids": ["s"]},
    "targets_by_ids": {"target_ids": ["t"]},
    "measures_by_ids": {"measure_ids": ["m"]},
    "measure_departments": {"measure_ids": ["m"]},
    "measure_briefs": {"measure_ids": ["m"]},
    "deadlines_of_policy": {"policy_id": "p"},
    "policy_issuers": {"policy_id": "p"},
}


def _plan(store, name: str, params: dict) -> str:
    query = QUERIES[name]
    return str(store.engine._graph.explain(query.cypher, query.bind(params)))


@pytest.mark.parametrize("name", sorted(QUESTION_PATH))
def test_question_path_queries_seek_an_index(answer_store, name):
    plan = _plan(answer_store, name, QUESTION_PATH[name])
    scans = [line.strip() for line in plan.splitlines() if "Scan" in line]
    assert scans and all("Index Scan" in s for s in scans), plan


def test_an_unbounded_support_query_is_what_the_label_scan_looks_like(answer_store):
    """The check above can fail: the city-wide candidate query scans a label (small corpora only)."""
    plan = _plan(answer_store, "support_candidates", {"cities": ["上海"]})
    assert "Label Scan" in plan


def test_bounded_queries_return_the_rows_of_the_unbounded_ones(answer_store):
    wide = answer_store.run("support_candidates", cities=["上海"])
    measures = sorted({r["measure_id"] for r in wide})
    narrow = answer_store.run("support_candidates_in", measure_ids=measures, cities=["上海"])
    assert sorted(r["support_id"] for r in narrow) == sorted(r["support_id"] for r in wide)
    ids = [r["support_id"] for r in wide][:5]
    by_ids = answer_store.run("supports_by_ids", support_ids=ids)
    assert by_ids == answer_store.run("support_search", support_ids=ids)
    targets = answer_store.run("target_candidates", cities=None)
    policies = sorted({t["city"] for t in targets})
    assert policies
    pids = sorted({p["id"] for p in answer_store.run("policies_all")})
    assert (sorted(r["target_id"] for r in answer_store.run("target_candidates_in", policy_ids=pids, cities=[]))
            == sorted(r["target_id"] for r in targets))
    tids = [t["target_id"] for t in targets][:5]
    assert answer_store.run("targets_by_ids", target_ids=tids) == answer_store.run("targets_search", target_ids=tids)
    for pid in pids:
        assert (answer_store.run("deadlines_of_policy", policy_id=pid)
                == answer_store.run("deadlines_search", policy_id=pid))
