"""The embedded FalkorDB server as a process: private socket, no TCP, sharing, crash recovery."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.embedded import ensure_server, pid_path, server_pid, socket_path, stop_server
from kg.store import open_store
from tests.support.graph import MeasureSpec, make_facts
from tests.support.procnet import listening_inodes, socket_inodes

REPO = Path(__file__).resolve().parents[1]


def wait_dead(pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.02)
    raise AssertionError(f"process {pid} did not die")


def facts():
    return make_facts("p1", "上海", [MeasureSpec("防范开源供应链风险", departments=["上海市经济和信息化委员会"])])


def test_socket_is_private_and_no_tcp_port(data_dir, bolt_server):
    info = ensure_server(data_dir)
    assert stat.S_ISSOCK(os.stat(info.socket_path).st_mode)
    assert stat.S_IMODE(os.stat(info.socket_path).st_mode) & 0o077 == 0
    assert stat.S_IMODE(os.stat(data_dir / "graph").st_mode) == 0o700
    for f in (data_dir / "graph").rglob("*"):
        assert stat.S_IMODE(f.lstat().st_mode) & 0o077 == 0, f
    assert not socket_inodes(info.pid) & set(listening_inodes())
    # the check can fail: the Bolt test server does listen on TCP
    assert socket_inodes(bolt_server.pid) & set(listening_inodes())


def test_second_store_reuses_running_server(data_dir):
    first = ensure_server(data_dir)
    with open_store("embedded", data_dir) as store:
        assert store.ping()
        assert server_pid(data_dir) == first.pid
    assert ensure_server(data_dir).pid == first.pid


def test_killed_server_is_restarted_and_keeps_data(data_dir):
    store = open_store("embedded", data_dir)
    store.ensure_schema()
    store.write_policy(facts())
    before = store.stats()
    old = server_pid(data_dir)
    os.kill(old, signal.SIGKILL)
    wait_dead(old)
    assert store.run("policy_by_id", policy_id="p1")[0]["id"] == "p1"  # transparently restarted
    new = server_pid(data_dir)
    assert new and new != old
    assert store.stats() == before
    store.close()


def test_stale_pid_and_socket_are_recovered(data_dir):
    info = ensure_server(data_dir)
    with open_store("embedded", data_dir) as store:
        store.write_policy(facts())
    os.kill(info.pid, signal.SIGKILL)
    wait_dead(info.pid)
    assert pid_path(data_dir).exists() and socket_path(data_dir).exists()  # left behind by the crash
    assert server_pid(data_dir) is None
    again = ensure_server(data_dir)
    assert again.pid != info.pid
    with open_store("embedded", data_dir) as store:
        assert store.policy_hashes() == {"p1": "sha-1"}


def test_pid_file_naming_another_process_is_not_trusted(data_dir):
    (data_dir / "graph").mkdir(parents=True)
    pid_path(data_dir).write_text(str(os.getpid()))  # alive, but not our server
    info = ensure_server(data_dir)
    assert info.pid != os.getpid()
    assert server_pid(data_dir) == info.pid


SHARE = """
import sys
from pathlib import Path
from kg.store import open_store
from kg.embedded import server_pid
store = open_store("embedded", Path(sys.argv[1]))
assert store.ping()
print(server_pid(Path(sys.argv[1])), flush=True)
sys.stdin.read()  # hold the server until told to finish
store.close()
"""


def test_two_processes_share_one_server_and_the_last_one_out_stops_it(data_dir):
    procs = [subprocess.Popen([sys.executable, "-c", SHARE, str(data_dir)], cwd=REPO, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for _ in range(2)]
    pids = [int(p.stdout.readline().strip()) for p in procs]
    assert pids[0] == pids[1] == server_pid(data_dir)
    procs[0].communicate("", timeout=120)
    assert server_pid(data_dir) == pids[0]  # the other process still uses it
    procs[1].communicate("", timeout=120)
    assert all(p.returncode == 0 for p in procs)
    wait_dead(pids[0])
    assert server_pid(data_dir) is None


def test_stop_server(data_dir):
    info = ensure_server(data_dir)
    with open_store("embedded", data_dir) as store:
        store.write_policy(facts())
    assert stop_server(data_dir) is True
    wait_dead(info.pid)
    assert not socket_path(data_dir).exists() and not pid_path(data_dir).exists()
    assert stop_server(data_dir) is False
    with open_store("embedded", data_dir) as store:  # persisted across a clean restart
        assert store.policy_hashes() == {"p1": "sha-1"}


def test_server_side_read_only_refuses_writes(graph_store):
    """Even past the guard, GRAPH.RO_QUERY makes the embedded server itself refuse a write."""
    with pytest.raises(Exception, match=r"(?i)read.only|not allowed"):
        graph_store.engine.execute("CREATE (:Policy {id: 'x'})", read_only=True)
    assert graph_store.stats()["nodes"] == {}


def test_lost_pid_file_adopts_the_running_server(data_dir):
    info = ensure_server(data_dir)
    pid_path(data_dir).unlink()
    again = ensure_server(data_dir)
    assert again.pid == info.pid  # no second server on the same socket
    assert pid_path(data_dir).read_text().strip() == str(info.pid)


WRITE = """
import sys
from pathlib import Path
from kg.store import open_store
from tests.test_kg_store_server import facts

with open_store("embedded", Path(sys.argv[1])) as store:
    store.write_policy(facts())
"""

EARLY = """
import sys
from pathlib import Path
from rag.settings import Settings
from rag.state import start_graph_early
from kg.embedded import server_pid
from kg.store import open_store

data_dir = Path(sys.argv[1])
start_graph_early(Settings(data_dir=data_dir)).join(60)
print(server_pid(data_dir), flush=True)  # up before anything opened a store
with open_store("embedded", data_dir) as store:
    print(server_pid(data_dir), len(store.policy_hashes()), flush=True)
"""


def test_a_committed_data_directory_starts_its_server_early_and_the_store_then_uses_it(data_dir):
    """`policykg serve` and `ask` start the server first thing (its snapshot loads during their
    imports); the store opened afterwards finds that server, and the process stops it on exit."""
    subprocess.run([sys.executable, "-c", WRITE, str(data_dir)], cwd=REPO, timeout=120, check=True)
    assert server_pid(data_dir) is None  # the writer was its last user
    (data_dir / "state.json").write_text("{}", encoding="utf-8")  # a committed generation
    out = subprocess.run([sys.executable, "-c", EARLY, str(data_dir)], cwd=REPO, capture_output=True,
                         text=True, timeout=120, check=True).stdout.split("\n")
    early = int(out[0])
    assert out[1].split() == [str(early), "1"]
    wait_dead(early)  # the last user out stops it
    assert server_pid(data_dir) is None


def test_nothing_is_started_early_without_a_committed_generation_or_for_another_graph_url(data_dir, tmp_path):
    from rag.settings import Settings
    from rag.state import start_graph_early

    assert start_graph_early(Settings(data_dir=data_dir)) is None
    (data_dir).mkdir(parents=True, exist_ok=True)
    (data_dir / "state.json").write_text("{}", encoding="utf-8")
    assert start_graph_early(Settings(data_dir=data_dir, graph_url="bolt://127.0.0.1:1")) is None
    assert server_pid(data_dir) is None
