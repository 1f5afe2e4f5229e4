"""The benchmark harness: its statistics, and a quick end-to-end run on a tiny synthetic corpus.

The end-to-end run drives the real façade in subprocesses (real graph server, real indexes, the real
`policykg ask` command) and checks the report's structure and bookkeeping, never its timings.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from eval import bench, synth
from eval.run import GoldQuestion


def test_percentiles_use_nearest_rank():
    p = bench.percentiles([float(x) for x in range(1, 101)])
    assert (p["n"], p["p50"], p["p95"], p["p99"], p["max"]) == (100, 50.0, 95.0, 99.0, 100.0)
    assert bench.percentiles([]) == {"n": 0}


def test_growth_exponent_reads_linear_and_flat_growth():
    assert bench.growth_exponent([100, 1000, 10000], [2.0, 20.0, 200.0]) == pytest.approx(1.0)
    assert bench.growth_exponent([100, 1000], [5.0, 5.0]) == pytest.approx(0.0)
    assert bench.growth_exponent([100], [5.0]) is None


def test_baseline_scoring_needs_every_fact_and_a_source_sentence():
    q = GoldQuestion("q", "enterprise", "租算力有补贴吗？", "support", facts=["10%", ["租用补贴", "租赁补贴"]])
    assert bench.text_passes(q, "经评估给予最高 10% 的租用补贴。")
    assert not bench.text_passes(q, "经评估给予适当额度的部署奖励。")
    snippets = bench.source_snippets(["（三）实施大模型智能算力加速计划。打造市级智能算力统筹调度平台。"])
    assert bench.text_hit(snippets, ["……打造市级智能算力统筹\n调度平台，构建……"])
    assert not bench.text_hit(snippets, ["建设市域极速智能算力承载网。"])


def _gold(q: synth.SynthQuestion, i: int) -> GoldQuestion:
    """A synthetic question in the gold format, so the run scores it as `policykg eval` would."""
    if q.intent == "departments":
        return GoldQuestion(f"syn-{i}", "civil_servant", q.question, q.intent, sources=[q.source],
                            departments=q.expected, departments_as_written=q.as_written)
    return GoldQuestion(f"syn-{i}", "enterprise", q.question, q.intent, facts=q.expected)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """One quick bench over five synthetic documents and a handful of questions about them.

    PolicyKG runs without an embedding model here (a real configuration: none available offline), so
    the suite stays short; the FAISS baseline still embeds with the packaged model."""
    root = tmp_path_factory.mktemp("bench")
    docs = list(synth.documents(5, seed=9))
    synth.generate(5, root / "docs", seed=9)
    questions = [_gold(q, i) for i, q in enumerate(synth.questions(docs, 4, seed=9))]
    questions.append(GoldQuestion("syn-abs", "enterprise", "北京对开源项目有什么补贴？", "support", abstain=True))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("POLICYKG_EMBEDDING_MODEL", str(root / "no-model"))
        mp.setenv("POLICYKG_EMBEDDING_FALLBACK", "")
        code = bench.main(scales=[5], out=root / "results", quick=True, docs=root / "docs", questions=questions)
    (folder,) = (root / "results").iterdir()
    return code, folder, json.loads((folder / "results.json").read_text(encoding="utf-8")), questions


def test_quick_run_writes_every_section_and_chart(quick_run):
    code, folder, _, _ = quick_run
    assert code == 0
    report = (folder / "report.md").read_text(encoding="utf-8")
    for heading in ("## Targets", "## Ingest (reference documents)", "## Query latency", "## Scale",
                    "## Cold start", "## Baselines"):
        assert heading in report
    assert "not measured:" not in report  # no section failed
    for chart in ("ingest_stages.png", "query_stages.png", "scale.png", "baselines.png"):
        assert (folder / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_quick_run_measures_what_it_says(quick_run):
    _, _, results, questions = quick_run
    ingest = results["ingest"]
    assert ingest["cold"]["documents"] == ingest["warm"]["documents"] == 5
    assert ingest["cold"]["stages_ms"] and ingest["cold"]["peak_mib"]["total"] > 0
    assert ingest["cold"]["peak_mib"]["server"] > 0  # the graph server's memory is counted
    queries = results["queries"]
    assert queries["total"]["n"] == len(questions)
    assert queries["pass_rate"] is not None and queries["stages"]
    scale = results["scale"]["5"]
    assert scale["ingested"] == 5 and scale["nodes"] > 0 and scale["index_bytes"] > 0
    assert results["cold_start"]["cold_server"]["exit"] == 0
    baselines = results["baselines"]["baselines"]
    assert set(baselines) == {"langchain_faiss", "bm25_jieba"}
    assert all(b["chunks"] > 0 and b["p50_ms"] is not None for b in baselines.values())


def test_quick_run_leaves_no_graph_server_behind(quick_run):
    _, _, results, _ = quick_run
    assert bench.serving_pids([results["meta"]["workdir"]]) == []


def test_scale_cache_reuses_the_corpus_and_ingest_of_an_earlier_run(tmp_path, monkeypatch):
    """A second run with the same cache measures the questions again but neither regenerates nor
    ingests (the worker processes are replaced by a recorder here: this checks the bookkeeping)."""
    calls: list[str] = []
    ingest = {"wall_ms": 1000.0, "cpu_ms": 900.0, "stages_ms": {"load": 10.0}, "documents": 3, "measures": 9,
              "skipped": 0, "nodes": {"Policy": 3}, "relationships": {"CONTAINS": 9}, "index_bytes": 1,
              "data_bytes": 2, "peak_mib": {"python": 1.0, "server": 1.0, "total": 2.0}}

    def worker(name, payload, workdir, env=None, timeout=3600):
        calls.append(name)
        if name == "scale":
            (tmp_path / "cache" / "scale-3").mkdir(parents=True, exist_ok=True)
            return dict(ingest)
        if name == "scale_query":
            return {"answers": [{"wall_ms": 5.0, "cpu_ms": 4.0, "stages_ms": {"bm25": 1.0}, "departments": []}],
                    "first_ms": 900.0, "first_cpu_ms": 800.0}
        if name == "places":  # a cached directory ingested before the place index existed gets one
            return {"added": True, "cpu_ms": 1500.0}
        return {}

    monkeypatch.setattr(bench, "run_worker", worker)
    first = bench.bench_scale([3], tmp_path / "work1", quick=True, cache=tmp_path / "cache")
    again = bench.bench_scale([3], tmp_path / "work2", quick=True, cache=tmp_path / "cache")
    assert calls == ["scale", "scale_query", "places", "scale_query"]
    assert first["3"]["wall_ms"] == again["3"]["wall_ms"] == 1000.0 and again["3"]["first_ms"] == 900.0
    assert first["3"]["place_index_added_ms"] is None and again["3"]["place_index_added_ms"] == 1500.0
    assert "before the place index existed" in bench._section_scale(again)
    assert (tmp_path / "cache" / "synth-3").is_dir() and (tmp_path / "cache" / "scale-3.json").is_file()


def test_soak_slope_reads_flat_and_growing_memory():
    assert bench._slope_per_min([(0.0, 900.0), (60.0, 900.0), (120.0, 900.0)]) == pytest.approx(0.0)
    assert bench._slope_per_min([(0.0, 900.0), (60.0, 910.0), (120.0, 920.0)]) == pytest.approx(10.0)
    assert bench._slope_per_min([(5.0, 900.0)]) is None


def test_soak_section_runs_on_the_cached_scale_and_is_reported(tmp_path, monkeypatch):
    """`--only soak` uses the corpus and data directory a scale run kept in the cache (no ingest), and
    its figures reach the report and the targets (the worker is replaced by a recorder here)."""
    cache = tmp_path / "cache"
    (cache / "scale-3").mkdir(parents=True)
    (cache / "scale-3.json").write_text(json.dumps({"questions": ["问题一？", "问题二？"], "dense": False,
                                                    "ingest": {"documents": 3}}), encoding="utf-8")
    calls: list[tuple[str, dict]] = []
    soaked = {"seconds": 600.0, "questions": 4000, "rss_mib": [[0.0, 900.0], [600.0, 902.0]], "first_mib": 900.0,
              "last_mib": 902.0, "max_mib": 903.0, "growth_pct": 0.22, "slope_mib_per_min": 0.1,
              "python_mib": {"first": 700.0, "last": 701.0, "max": 702.0},
              "server_mib": {"first": 200.0, "last": 201.0, "max": 201.0}, "load_average": [1.0, 1.0, 1.0]}

    def worker(name, payload, workdir, env=None, timeout=3600):
        calls.append((name, payload))
        return dict(soaked)

    monkeypatch.setattr(bench, "run_worker", worker)
    results = {"soak": bench.bench_soak(3, tmp_path / "work", 600.0, quick=True, cache=cache)}
    assert [c[0] for c in calls] == ["places", "soak"] and calls[1][1]["questions"] == ["问题一？", "问题二？"]
    assert calls[1][1]["seconds"] == 600.0 and calls[1][1]["data_dir"] == str(cache / "scale-3")
    assert results["soak"]["documents"] == 3 and (cache / "scale-3").is_dir()
    row = next(r for r in bench.target_rows(results) if "soak" in r["target"] and "--only" in r["target"])
    assert row["status"] == "met"
    assert "## Soak" in bench._section_soak(results["soak"]) and "902.0" in bench._section_soak(results["soak"])


def test_the_modules_are_byte_compiled_before_anything_is_timed(tmp_path, monkeypatch):
    import importlib.util

    for pkg in bench.PACKAGES:
        (tmp_path / pkg).mkdir()
        (tmp_path / pkg / "__init__.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.setattr(bench, "REPO", tmp_path)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # as under PYTHONDONTWRITEBYTECODE
    assert bench.byte_compile() is True
    for pkg in bench.PACKAGES:
        assert Path(importlib.util.cache_from_source(str(tmp_path / pkg / "__init__.py"))).is_file()
    (tmp_path / "rag" / "broken.py").write_text("def (:\n", encoding="utf-8")
    assert bench.byte_compile() is False
    assert "could not be byte-compiled" in bench._compiled_note(False)
