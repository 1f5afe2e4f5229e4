"""No process leaves an embedded graph server behind: the last process using a server stops it when it
exits (normally, or on SIGTERM through the command line), even while a background thread is opening
it; `policykg graph start` keeps one on purpose."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from kg.embedded import pid_path, server_pid, servers_under, socket_path, stop_server
from tests.support.reliability import cli_env

REPO = Path(__file__).resolve().parents[1]


def wait_gone(root: Path, timeout: float = 30.0) -> list[int]:
    """The servers still running under `root` once they stop (or the timeout passes)."""
    deadline = time.monotonic() + timeout
    while servers_under(root) and time.monotonic() < deadline:
        time.sleep(0.05)
    return servers_under(root)


def run_python(code: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], cwd=REPO, capture_output=True,
                          text=True, timeout=timeout)


def test_a_process_that_started_the_server_stops_it_when_it_exits(data_dir):
    done = run_python("""
        import sys
        from pathlib import Path
        from kg.embedded import ensure_server
        print(ensure_server(Path(sys.argv[1])).pid)
    """, str(data_dir))
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.strip())
    assert pid > 0
    assert wait_gone(data_dir) == []
    assert not socket_path(data_dir).exists() and not pid_path(data_dir).exists()


def test_a_background_open_in_flight_at_exit_leaves_no_server(data_dir):
    """A thread re-opening the server (a preload, a reconnect) while the process stops it and exits:
    whatever it started is stopped, and nothing is started once the process is exiting."""
    done = run_python("""
        import sys, threading, time
        from pathlib import Path
        from kg.embedded import ensure_server, stop_server
        d = Path(sys.argv[1])
        ensure_server(d)
        def reopen():
            while True:
                try:
                    ensure_server(d)
                except Exception:
                    pass
                time.sleep(0.01)
        threading.Thread(target=reopen, daemon=True).start()
        stop_server(d)          # as a fixture's teardown does
        time.sleep(0.5)         # the thread starts it again
        assert ensure_server(d).pid
        print("exiting")
    """, str(data_dir))
    assert done.returncode == 0, done.stderr
    assert wait_gone(data_dir) == []


def test_a_server_kept_by_graph_start_outlives_its_users_until_graph_stop(data_dir):
    env = cli_env(data_dir)
    started = subprocess.run([sys.executable, "-m", "ui.cli", "graph", "start"], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=120)
    assert started.returncode == 0, started.stderr
    pid = server_pid(data_dir)
    assert pid and str(pid) in started.stdout
    used = run_python("""
        import sys
        from pathlib import Path
        from kg.store import open_store
        with open_store("embedded", Path(sys.argv[1])) as store:
            assert store.ping()
    """, str(data_dir))
    assert used.returncode == 0, used.stderr
    assert server_pid(data_dir) == pid  # neither its starter nor a later user stopped it
    stopped = subprocess.run([sys.executable, "-m", "ui.cli", "graph", "stop"], cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=120)
    assert "stopped" in stopped.stdout
    assert wait_gone(data_dir) == []


def test_stop_finds_the_server_whose_pid_file_was_lost(data_dir):
    done = run_python("""
        import os, sys
        from pathlib import Path
        from kg.embedded import ensure_server, pid_path
        info = ensure_server(Path(sys.argv[1]))
        pid_path(Path(sys.argv[1])).unlink()
        print(info.pid, flush=True)
        os._exit(0)   # no exit handlers: the server stays, without its pid file
    """, str(data_dir))
    pid = int(done.stdout.strip())
    assert servers_under(data_dir) == [pid] and not pid_path(data_dir).exists()
    assert stop_server(data_dir) is True
    assert wait_gone(data_dir) == []


POLICY = """测试市促进示范产业发展的若干措施

一、支持示范项目建设。对新认定的示范项目给予一次性奖励50万元。（责任单位：市示范产业局）

二、本措施自印发之日起施行。
"""


def test_sigterm_ends_a_command_and_stops_the_server_it_started(tmp_path, data_dir):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policy.txt").write_text(POLICY, encoding="utf-8")
    env = cli_env(data_dir)
    ingest = subprocess.run([sys.executable, "-m", "ui.cli", "ingest", str(docs)], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=600)
    assert ingest.returncode == 0, ingest.stderr[-2000:]
    assert wait_gone(data_dir) == []  # the ingest stopped the server it started when it ended
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "ask", "--json"], cwd=REPO, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        proc.stdin.write("示范项目有什么奖励？\n")
        proc.stdin.flush()
        assert '"question"' in proc.stdout.readline()  # answered: its graph server is running
        assert servers_under(data_dir)
        proc.send_signal(signal.SIGTERM)  # while it waits for the next question
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 128 + signal.SIGTERM
    assert wait_gone(data_dir) == []
