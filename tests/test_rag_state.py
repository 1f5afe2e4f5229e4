"""The commit point and the ingest lock: what keeps a data directory consistent."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from rag.state import IngestBusy, IngestLock, PolicyRecord, State, read_state, write_state


def test_empty_directory_reads_as_generation_zero(tmp_path):
    state = read_state(tmp_path)
    assert state.generation == 0 and state.graph is None and state.policies == {}


def test_state_round_trips_and_is_private(tmp_path):
    rec = PolicyRecord(id="p1", sha256="ab" * 32, path="/x.txt", title="标题", doc_no="沪府办〔2025〕33号")
    write_state(tmp_path, State(generation=3, graph="g3", index="index-g3", policies={"p1": rec}))
    again = read_state(tmp_path)
    assert again.generation == 3 and again.policies["p1"].doc_no == "沪府办〔2025〕33号"
    assert (tmp_path / "state.json").stat().st_mode & 0o077 == 0
    assert not list(tmp_path.glob(".state.json*.tmp"))


def test_corrupt_state_is_reported_with_the_remedy(tmp_path):
    (tmp_path / "state.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(RuntimeError, match="policykg ingest"):
        read_state(tmp_path)


def test_second_ingest_is_refused_with_a_clear_message(tmp_path):
    with IngestLock(tmp_path), pytest.raises(IngestBusy, match=f"pid {os.getpid()}"):
        IngestLock(tmp_path).__enter__()
    with IngestLock(tmp_path):  # released on exit
        pass


def test_lock_dies_with_its_process(tmp_path):
    code = (
        "import sys, time; from pathlib import Path; from rag.state import IngestLock\n"
        "l = IngestLock(Path(sys.argv[1])).__enter__(); print('locked', flush=True); time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(IngestBusy):
            IngestLock(tmp_path).__enter__()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    deadline = time.monotonic() + 5
    while True:  # the kernel releases the lock as the process is reaped
        try:
            with IngestLock(tmp_path):
                break
        except IngestBusy:
            assert time.monotonic() < deadline
            time.sleep(0.05)


def test_state_file_is_replaced_whole(tmp_path):
    for gen in range(1, 20):
        write_state(tmp_path, State(generation=gen, graph=f"g{gen}", index=f"index-g{gen}"))
        raw = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
        assert raw["generation"] == gen and raw["index"] == f"index-g{gen}"


def test_a_reader_parses_the_commit_point_again_only_when_it_was_replaced(tmp_path, monkeypatch):
    import rag.state as state_module
    from rag.state import Generation, State, current_generation, write_state

    assert current_generation(tmp_path) == Generation()  # nothing ingested yet
    parsed = []
    real = state_module.read_state
    monkeypatch.setattr(state_module, "read_state", lambda d: parsed.append(d) or real(d))
    write_state(tmp_path, State(generation=1, graph="g_g1", index="index-g1", genre="sig-a"))
    assert current_generation(tmp_path) == Generation(1, "g_g1", "index-g1", "sig-a")
    assert current_generation(tmp_path).index == "index-g1" and len(parsed) == 1
    write_state(tmp_path, State(generation=2, graph="g_g2", index="index-g2", genre="sig-a"))  # another commit
    assert current_generation(tmp_path) == Generation(2, "g_g2", "index-g2", "sig-a") and len(parsed) == 2
