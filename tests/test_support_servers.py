"""The test suite's own check: a test run that leaves a graph server behind fails (tests/support/servers.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from kg.embedded import servers_under, stop_servers_under

REPO = Path(__file__).resolve().parents[1]


LEAKY_TEST = """
import os, subprocess, sys
from pathlib import Path

def test_starts_a_server_in_a_subprocess_that_never_stops_it(tmp_path):
    code = ("import os, sys; from pathlib import Path; from kg.embedded import ensure_server; "
            "ensure_server(Path(sys.argv[1])); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "data")], check=True)

def test_starts_a_server_in_process_and_leaves_it_to_the_session(tmp_path):
    from kg.embedded import ensure_server
    ensure_server(tmp_path / "own")
"""


@pytest.mark.parametrize("leaky", [True, False])
def test_a_test_run_that_leaves_a_server_behind_fails(tmp_path, leaky):
    """The session check: a server a subprocess left under the run's temporary folder fails the run
    (and is stopped); one the test process itself started is stopped at the end of the session."""
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "conftest.py").write_text('pytest_plugins = ["tests.support.servers"]\n', encoding="utf-8")
    name = "test_leaky.py"
    tests = LEAKY_TEST if leaky else LEAKY_TEST.replace("def test_starts_a_server_in_a_subprocess", "def _no")
    (inner / name).write_text(tests, encoding="utf-8")
    basetemp = Path(tempfile.mkdtemp(prefix="pk-"))  # short: a Unix socket path has at most 108 bytes
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    try:
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir",
                               str(inner), "--basetemp", str(basetemp), str(inner / name)], cwd=inner, env=env,
                              capture_output=True, text=True, timeout=300)
        if leaky:
            assert done.returncode == 1, done.stdout[-2000:]
            assert "graph servers left running by the test run" in done.stdout
            assert "2 passed" in done.stdout  # the tests themselves passed: the session check failed the run
        else:
            assert done.returncode == 0, done.stdout[-2000:]
        assert servers_under(basetemp) == []
    finally:
        stop_servers_under(basetemp)
        shutil.rmtree(basetemp, ignore_errors=True)
