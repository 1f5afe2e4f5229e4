"""Ingest streams: documents are parsed, written and chunked to disk a batch at a time, and the index
is built from the chunks on disk. The batch size changes nothing that is written, and an ingest that
fails half-way leaves the previous generation current and no files of its own behind."""

from __future__ import annotations

import json

import pytest

from rag import ingest
from rag.state import read_state

CITIES = [("上海", "沪府办", "市经济信息化委"), ("杭州", "杭政办", "市数据资源局"), ("南京", "宁政发", "市科技局"),
          ("成都", "成办发", "市经信局"), ("重庆", "渝府办", "市大数据发展局")]


def _write_docs(folder, n: int = 5):
    folder.mkdir(parents=True, exist_ok=True)
    for i, (city, office, dept) in enumerate(CITIES[:n], 1):
        (folder / f"doc{i}.txt").write_text(
            f"{city}市促进数据要素发展若干措施\n{office}〔2024〕{i}号\n\n一、支持措施\n"
            f"（一）建设数据基地。对新认定的基地给予最高{i * 100}万元奖励。（责任单位：{dept}）\n"
            f"（二）培育数据企业。对首次入选的企业给予一次性奖励。（责任单位：{dept}、市财政局）\n"
            f"二、保障措施\n（三）加强组织领导。建立工作推进机制。（责任单位：{dept}）\n",
            encoding="utf-8")
    return folder


def _kg(data_dir):
    from rag.pipeline import PolicyKG
    from rag.settings import Settings

    return PolicyKG(Settings(data_dir=data_dir, corpus_dir=data_dir / "shipped",
                             embedding_model="policykg-test-no-such-model", embedding_fallback=""))


def _written(kg) -> tuple[list, list, list]:
    """What an ingest leaves: the chunk rows, the graph's nodes and its relationships."""
    state = read_state(kg.settings.data_dir)
    rows = json.loads((kg.settings.data_dir / state.index / "chunks.json").read_text(encoding="utf-8"))
    nodes = kg.graph_query("MATCH (n) RETURN labels(n)[0] AS label, coalesce(n.id, n.name, n.key) AS key")
    rels = kg.graph_query("MATCH (a)-[r]->(b) RETURN type(r) AS t, coalesce(a.id, a.name, a.key) AS a, "
                          "coalesce(b.id, b.name, b.key) AS b")
    ordered = lambda rows: sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)  # noqa: E731
    return rows, ordered(nodes), ordered(rels)


@pytest.fixture
def two_dirs(tmp_path):
    from kg.embedded import stop_server

    dirs = [tmp_path / "a", tmp_path / "b"]
    yield dirs
    for d in dirs:
        stop_server(d)


def test_batches_of_two_write_the_same_graph_and_chunks_as_one_batch(tmp_path, two_dirs, monkeypatch):
    docs = _write_docs(tmp_path / "docs")
    results = []
    for batch, data_dir in zip((2, 100), two_dirs, strict=True):
        monkeypatch.setattr(ingest, "WRITE_BATCH", batch)
        kg = _kg(data_dir)
        try:
            report = kg.ingest([docs], embed="none")
            assert report.documents == 5 and report.measures == 15
            results.append(_written(kg))
        finally:
            kg.close()
    (rows_a, nodes_a, rels_a), (rows_b, nodes_b, rels_b) = results
    assert len(rows_a) == 15 and {r["policy_id"] for r in rows_a} and rows_a == rows_b
    assert nodes_a == nodes_b and rels_a == rels_b and len(nodes_a) > 15


def test_an_ingest_that_fails_half_way_leaves_the_previous_generation_and_no_files(tmp_path, two_dirs, monkeypatch):
    data_dir = two_dirs[0]
    docs = _write_docs(tmp_path / "docs", 2)
    kg = _kg(data_dir)
    try:
        assert kg.warm_up(["上海对数据基地有什么奖励？"]) == 0  # nothing ingested: nothing to load, no error
        kg.ingest([docs], embed="none")
        assert kg.warm_up(["上海对数据基地有什么奖励？"]) == 1
        before = read_state(data_dir)
        _write_docs(tmp_path / "docs", 5)  # three more documents
        monkeypatch.setattr(ingest, "WRITE_BATCH", 1)
        real_extract, calls = ingest.extract, []

        def failing_extract(policy, genre):
            calls.append(policy.id)
            if len(calls) == 2:  # the first new document is written, the second fails
                raise RuntimeError("disk on fire")
            return real_extract(policy, genre)

        monkeypatch.setattr(ingest, "extract", failing_extract)
        with pytest.raises(RuntimeError, match="disk on fire"):
            kg.ingest([docs], embed="none")
        after = read_state(data_dir)
        assert after == before and len(after.policies) == 2
        assert not list(data_dir.glob(f"{ingest.STAGING_PREFIX}*")), "chunk files of the failed ingest were left"
        assert sorted(p.name for p in data_dir.glob("index-g*")) == [before.index]
        assert len(kg.policies()) == 2 and kg.ask("上海对数据基地有什么奖励？").citations
        monkeypatch.setattr(ingest, "extract", real_extract)
        report = kg.ingest([docs], embed="none")
        assert report.documents == 3 and report.unchanged == 2
        rows, _, _ = _written(kg)
        assert len(rows) == 15 and len(kg.policies()) == 5
    finally:
        kg.close()
