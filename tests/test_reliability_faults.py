"""Faults: the graph store dies or is unreachable mid-session, ingest is killed at random points, two
ingests race on one data directory. Real processes, real FalkorDB, real signals."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.reliability import (
    NO_DENSE,
    REPO,
    SEEDS,
    cli_env,
    consistent_state,
    ingested_facade,
    run_cli,
)

QUESTION = "“防范开源供应链风险”由哪些部门负责？"
KILL_DOCS = ["shanghai-2025-33-open-source.txt", "chongqing-2023-20-software-open-source.md"]
KILLS = int(os.environ.get("RELIABILITY_KILLS", "6"))


def copy_docs(folder: Path, names=KILL_DOCS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy2(SEEDS / name, folder / name)
        sidecar = SEEDS / (Path(name).stem + ".meta.yaml")
        if sidecar.exists():
            shutil.copy2(sidecar, folder / sidecar.name)
    return folder


def quick_settings(data_dir: Path, **overrides):
    """In-process settings matching the subprocesses' (no dense model)."""
    from rag.settings import Settings

    return Settings(data_dir=data_dir, embedding_model=NO_DENSE["POLICYKG_EMBEDDING_MODEL"],
                    embedding_fallback="", **overrides)


def server_pid(data_dir: Path) -> int | None:
    from kg.embedded import server_pid as pid_of

    return pid_of(data_dir)


def wait_gone(pid: int, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] if Path(
            f"/proc/{pid}/stat").exists() else "X"
        if state in ("Z", "X"):
            return
        time.sleep(0.05)


def listening(port: int) -> bool:
    """Something accepts TCP connections on 127.0.0.1:port now."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def wait_listening(port: int, limit: float = 60.0) -> None:
    """Until something accepts TCP connections on 127.0.0.1:port (Bolt opens after the server answers)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if listening(port):
            return
        time.sleep(0.1)
    pytest.fail(f"nothing listens on port {port}")


@pytest.fixture(scope="module")
def fault_kg(tmp_path_factory):
    """A façade over two seed policies (packaged embedding model), its own embedded graph server."""
    base = tmp_path_factory.mktemp("faults")
    with ingested_facade(base / "data", copy_docs(base / "docs")) as (kg, _):
        yield kg


# -- graph store faults --------------------------------------------------------------------------


def test_killed_graph_server_mid_session_answers_and_comes_back(fault_kg):
    from rag.answer import NO_GRAPH_WARNING

    data_dir = fault_kg.settings.data_dir
    first = fault_kg.ask(QUESTION)
    stats = fault_kg.graph_stats()
    assert first.graph_available and len(first.departments) == 2
    pid = server_pid(data_dir)
    assert pid, "no embedded graph server is running"
    os.kill(pid, signal.SIGKILL)
    wait_gone(pid)

    after = fault_kg.ask(QUESTION)  # same façade, no restart
    assert not after.abstained and after.citations
    if not after.graph_available:
        assert NO_GRAPH_WARNING in after.warnings
    else:
        assert after.departments == first.departments
    again = fault_kg.ask(QUESTION)
    assert again.graph_available and again.departments == first.departments
    new_pid = server_pid(data_dir)
    assert new_pid and new_pid != pid
    assert fault_kg.graph_stats() == stats  # nothing acknowledged was lost


@pytest.mark.timeout(120)
@pytest.mark.parametrize("url", ["bolt://127.0.0.1:{closed}", "neo4j://127.0.0.1:{closed}"])
def test_unreachable_neo4j_answers_without_graph_facts(fault_kg, url):
    """A graph URL nobody listens on: answers from BM25 (and dense) retrieval, clearly marked."""
    from rag.answer import NO_GRAPH_WARNING
    from rag.pipeline import PolicyKG
    from tests.support.app import free_port

    settings = fault_kg.settings.model_copy(update={"graph_url": url.format(closed=free_port())})
    kg = PolicyKG(settings)
    try:
        answer = kg.ask(QUESTION)
        second = kg.ask("在上海租用算力有什么补贴？")
    finally:
        kg.close()
    assert not answer.graph_available and NO_GRAPH_WARNING in answer.warnings
    assert not answer.abstained and answer.citations
    assert any("市委网信办" in c.quote for c in answer.citations)
    assert not second.graph_available and isinstance(second.answer, str)


@pytest.mark.timeout(300)
def test_graph_store_that_comes_back_is_used_without_a_restart(fault_kg, monkeypatch, tmp_path):
    """Neo4j's driver path: nothing listens at first; then a graph server (FalkorDB over Bolt) starts there."""
    import secrets

    from corpus import load_corpus
    from kg.embedded import ensure_server, stop_server
    from kg.store import open_store
    from rag import pipeline
    from tests.support.answers import write_corpus_graph
    from tests.support.graph import free_port  # below 32768: FalkorDB ignores a larger BOLT_PORT

    monkeypatch.setattr(pipeline, "GRAPH_RETRY_SECONDS", 0.0)  # retry at the next question
    port, password = free_port(), secrets.token_hex(16)
    url = f"bolt://127.0.0.1:{port}"
    settings = fault_kg.settings.model_copy(update={"graph_url": url, "graph_user": "falkordb",
                                                    "graph_password": password})
    kg = pipeline.PolicyKG(settings)
    server_dir = tmp_path / "bolt"
    try:
        down = kg.ask(QUESTION)
        assert not down.graph_available and down.citations
        ensure_server(server_dir, bolt_port=port, password=password)
        wait_listening(port)
        policies, _ = load_corpus([SEEDS / name for name in KILL_DOCS])
        with open_store(url, server_dir, user="falkordb", password=password) as store:
            write_corpus_graph(store, policies)
        back = ask_until_graph(kg)  # the same façade: it reconnects in the background
        assert back.graph_available and len(back.departments) == 2, back.warnings
    finally:
        kg.close()
        stop_server(server_dir)


def ask_until_graph(kg, limit: float = 120.0):
    """Ask until an answer uses the graph again (the façade brings a store back in the background)."""
    deadline = time.monotonic() + limit
    answer = kg.ask(QUESTION)
    while not answer.graph_available and time.monotonic() < deadline:
        time.sleep(0.5)
        answer = kg.ask(QUESTION)
    return answer


def ask_with_hang_guard(kg, limit: float = 120.0):
    """One question in a thread; None if it did not return within `limit` (a hang guard, not a measurement)."""
    import threading

    result: dict = {}
    asker = threading.Thread(target=lambda: result.update(answer=kg.ask(QUESTION)), daemon=True)
    asker.start()
    asker.join(timeout=limit)
    return None if asker.is_alive() else result["answer"]


@pytest.mark.timeout(300)
def test_a_frozen_bolt_server_does_not_hang_questions(fault_kg, monkeypatch, tmp_path):
    """The neo4j driver's path: a Bolt server stopped by SIGSTOP accepts connections and never answers.
    The driver bounds only connecting, so without a query timeout the question waits forever. With
    it, the question is answered from the indexes (marked), and once the server runs again the same
    façade reconnects and uses it."""
    import secrets

    from corpus import load_corpus
    from kg.embedded import ensure_server, stop_server
    from kg.store import open_store
    from rag import pipeline
    from rag.answer import NO_GRAPH_WARNING
    from tests.support.answers import write_corpus_graph
    from tests.support.graph import free_port

    monkeypatch.setattr(pipeline, "GRAPH_RETRY_SECONDS", 0.0)
    port, password = free_port(), secrets.token_hex(16)
    url = f"bolt://127.0.0.1:{port}"
    server_dir = tmp_path / "bolt"
    info = ensure_server(server_dir, bolt_port=port, password=password)
    kg = None
    try:
        wait_listening(port)
        policies, _ = load_corpus([SEEDS / name for name in KILL_DOCS])
        with open_store(url, server_dir, user="falkordb", password=password) as store:
            write_corpus_graph(store, policies)
        settings = fault_kg.settings.model_copy(update={
            "graph_url": url, "graph_user": "falkordb", "graph_password": password, "graph_timeout": 2.0})
        kg = pipeline.PolicyKG(settings)
        first = kg.ask(QUESTION)
        assert first.graph_available and len(first.departments) == 2
        os.kill(info.pid, signal.SIGSTOP)
        degraded = ask_with_hang_guard(kg)
        assert degraded is not None, "a question hung on the frozen Bolt server"
        assert not degraded.graph_available and NO_GRAPH_WARNING in degraded.warnings and degraded.citations
        os.kill(info.pid, signal.SIGCONT)
        back = ask_until_graph(kg, limit=60.0)
        if not back.graph_available and not listening(port):
            # FalkorDB's Bolt endpoint (4.x) has been seen to close, once in a full run on a busy
            # machine, while it handled the connections queued during the freeze (the façade only
            # connects to it). The façade's part is to reconnect once a server answers there again.
            # A server with Bolt persists by RDB snapshot (kg.embedded), so the graph is written anew.
            stop_server(server_dir)
            info = ensure_server(server_dir, bolt_port=port, password=password)
            wait_listening(port)
            with open_store(url, server_dir, user="falkordb", password=password) as store:
                write_corpus_graph(store, policies)
            back = ask_until_graph(kg)
        assert back.graph_available and back.departments == first.departments
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(info.pid, signal.SIGCONT)
        if kg is not None:
            kg.close()
        stop_server(server_dir)


# -- ingest killed at random points --------------------------------------------------------------


def _touch_document(folder: Path, i: int) -> None:
    """A real edit, so that every ingest has a generation to build: a closing line that changes."""
    path = folder / KILL_DOCS[i % len(KILL_DOCS)]
    text = path.read_text(encoding="utf-8").rstrip("\n").rsplit("\n本文件第", 1)[0]
    path.write_text(f"{text}\n本文件第{i}次修订。\n", encoding="utf-8")


def _start_ingest(data_dir: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ui.cli", "ingest", "--json", str(folder)], cwd=REPO,
                            env=cli_env(data_dir), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _check_after(data_dir: Path, settings) -> str:
    from rag.pipeline import PolicyKG

    described = consistent_state(data_dir, settings)
    if described != "empty":
        kg = PolicyKG(settings)
        try:
            answer = kg.ask(QUESTION)
        finally:
            kg.close()
        assert isinstance(answer.answer, str) and answer.answer
        assert answer.abstained or answer.citations
    return described


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_ingest_killed_at_random_points_leaves_a_consistent_directory(tmp_path):
    from kg.embedded import stop_server

    seed = int(os.environ.get("RELIABILITY_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    data_dir, folder = tmp_path / "data", copy_docs(tmp_path / "docs")
    settings = quick_settings(data_dir)
    try:
        t0 = time.monotonic()
        proc = _start_ingest(data_dir, folder)
        assert proc.wait(timeout=600) == 0, proc.stderr.read().decode(errors="replace")[-3000:]
        duration = time.monotonic() - t0  # only to spread the kills over an ingest's life
        seen = []
        for i in range(1, KILLS + 1):
            _touch_document(folder, i)
            proc = _start_ingest(data_dir, folder)
            delay = rng.uniform(0.2, duration)
            try:
                proc.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=60)
            proc.stderr.close()
            seen.append((round(delay, 1), proc.returncode, _check_after(data_dir, settings)))
        _touch_document(folder, KILLS + 1)
        final = run_cli(data_dir, "ingest", str(folder), timeout=600)
        assert final.returncode == 0, final.stderr[-3000:]
        assert _check_after(data_dir, settings).endswith(f"{len(KILL_DOCS)} policies")
        from rag.state import read_state

        state = read_state(data_dir)
        files = {Path(r.path).name: r.sha256 for r in state.policies.values()}
        import hashlib

        assert files == {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in KILL_DOCS}
        assert any(rc == -signal.SIGKILL for _, rc, _ in seen) or KILLS == 0, (seed, seen)
    finally:
        stop_server(data_dir)


# -- two ingests at once -------------------------------------------------------------------------


def test_second_ingest_is_refused_with_a_clear_message(tmp_path):
    from rag.state import IngestLock, read_state

    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o700)
    folder = copy_docs(tmp_path / "docs", KILL_DOCS[:1])
    with IngestLock(data_dir):  # an ingest in progress, as far as the data directory can tell
        run = run_cli(data_dir, "ingest", str(folder), timeout=300)
    assert run.returncode != 0
    assert f"another ingest (pid {os.getpid()}) is writing" in run.stderr
    assert "Traceback" not in run.stderr
    assert read_state(data_dir).generation == 0


@pytest.mark.timeout(900)
def test_two_racing_ingests_leave_one_consistent_generation(tmp_path):
    from kg.embedded import stop_server

    data_dir = tmp_path / "data"
    a, b = copy_docs(tmp_path / "a", KILL_DOCS[:1]), copy_docs(tmp_path / "b", KILL_DOCS[1:])
    try:
        procs = [_start_ingest(data_dir, a), _start_ingest(data_dir, b)]
        results = []
        for p in procs:
            rc = p.wait(timeout=600)
            results.append((rc, p.stderr.read().decode(errors="replace")))
            p.stderr.close()
        assert any(rc == 0 for rc, _ in results), results
        for rc, err in results:
            assert rc == 0 or "another ingest" in err, err[-2000:]
        described = consistent_state(data_dir, quick_settings(data_dir))
        ok = sum(rc == 0 for rc, _ in results)
        assert described.endswith(f"{ok} policies"), (described, results)
    finally:
        stop_server(data_dir)


@pytest.mark.timeout(600)
def test_a_frozen_graph_server_does_not_hang_questions(tmp_path, monkeypatch):
    """SIGSTOP: the server accepts connections but never answers. Questions are answered from the
    indexes (marked), and the façade restarts the store in the background and uses it again."""

    from kg.embedded import stop_server
    from rag import pipeline
    from rag.answer import NO_GRAPH_WARNING

    monkeypatch.setattr(pipeline, "GRAPH_RETRY_SECONDS", 0.0)
    data_dir = tmp_path / "data"
    kg = pipeline.PolicyKG(quick_settings(data_dir, graph_timeout=2.0))
    pid = None
    try:
        kg.ingest([copy_docs(tmp_path / "docs")])
        assert kg.ask(QUESTION).graph_available
        pid = server_pid(data_dir)
        os.kill(pid, signal.SIGSTOP)
        degraded = ask_with_hang_guard(kg)  # without timeouts it never returns
        assert degraded is not None, "a question hung on the frozen graph server"
        assert not degraded.graph_available and NO_GRAPH_WARNING in degraded.warnings and degraded.citations
        back = ask_until_graph(kg, limit=180)
        assert back.graph_available and len(back.departments) == 2
        assert server_pid(data_dir) not in (None, pid)
    finally:
        if pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        kg.close()
        stop_server(data_dir)
