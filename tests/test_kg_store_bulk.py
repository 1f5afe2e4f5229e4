"""A thousand small synthetic policies through the batched writer; prints the time (no assertion on it)."""

from __future__ import annotations

import time

from genre import packaged as packaged_genre
from kg.model import Support, Target
from kg.writer import write_statements
from tests.support.graph import MeasureSpec, make_facts

CITIES = ["上海", "南京", "重庆", "杭州"]
DEPTS = ["经济和信息化委员会", "科学技术委员会", "发展和改革委员会", "财政局", "教育委员会", "商务委员会"]


def synthetic(i: int):
    city = CITIES[i % len(CITIES)]
    measures = [
        MeasureSpec(f"任务{i}-{j}", f"推进任务{i}-{j}。责任单位：若干部门",
                    [f"{city}市{DEPTS[(i + j + k) % len(DEPTS)]}" for k in range(2)], topics=["开源"],
                    supports=[Support("补贴", f"给予补贴{j}", rate="最高10%", beneficiaries=["企业"])] if j == 0 else [])
        for j in range(5)
    ]
    target = Target(f"培育{i}家企业", "企业数量", float(i), "家", "超过", 2027)
    return make_facts(f"syn{i}", city, measures, targets=[target], sha256=f"h{i}")


def test_thousand_policies_write_in_batches(graph_store, capsys):
    batch = [synthetic(i) for i in range(1000)]
    statements = write_statements(batch, genre=packaged_genre())
    assert len(statements) < 40  # one UNWIND statement per kind, not per policy
    t0 = time.perf_counter()
    graph_store.write_policies(batch)
    elapsed = time.perf_counter() - t0
    stats = graph_store.stats()
    assert stats["nodes"]["Policy"] == 1000 and stats["nodes"]["Measure"] == 5000
    assert stats["nodes"]["Department"] == len(CITIES) * len(DEPTS)
    assert stats["relationships"]["RESPONSIBLE"] == 10000
    t1 = time.perf_counter()
    graph_store.write_policies(batch[:100])  # re-ingest of changed files: replace their subgraphs
    again = time.perf_counter() - t1
    assert graph_store.stats() == stats
    with capsys.disabled():
        print(f"\n[graph write] 1000 policies / 5000 measures: {elapsed:.2f}s; rewrite of 100: {again:.2f}s")
