"""No test run leaves a graph server behind.

Every embedded FalkorDB server a test starts has its socket under the run's temporary folder. At the
end of the session, after the fixtures' own teardown:
  1. this process's servers are released (kg.embedded.release_servers): stopped, and none started any
     more — a store still reconnecting in a background thread cannot start one after its fixture
     stopped it;
  2. any server still running under the temporary folder (one a subprocess left) is stopped by its
     pid, and the run FAILS, naming them.
A SIGTERM to the test run (a time limit, a harness stopping it) interrupts it as Ctrl-C does, so the
session fixtures' teardown still runs.

Helper:
    stop_everything_in(data_dir)   stop_server, then every server left under data_dir, by pid
Fixture:
    data_dir                       a data directory of its own; whatever server a test leaves there is stopped
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from kg.embedded import release_servers, stop_server, stop_servers_under


def stop_everything_in(data_dir: Path) -> None:
    """The data directory's server, and any other started there (after the first was stopped)."""
    stop_server(data_dir)
    stop_servers_under(data_dir)


@pytest.fixture
def data_dir(tmp_path):
    """A data directory of its own; whatever server a test leaves there is stopped."""
    d = tmp_path / "data"
    yield d
    stop_server(d)


def _interrupt(signum: int, _frame) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config: pytest.Config) -> None:
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)


@pytest.hookimpl(trylast=True)  # after the runner's own sessionfinish, which tears the fixtures down
def pytest_sessionfinish(session: pytest.Session) -> None:
    release_servers()
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    left = stop_servers_under(factory.getbasetemp())
    if left:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = (f"graph servers left running by the test run (now stopped): pids {', '.join(map(str, left))}"
                   " — a test started a server it did not stop")
        if reporter is not None:
            reporter.write_line(message, red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
