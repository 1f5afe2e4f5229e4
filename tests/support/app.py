"""The real app, served by `policykg serve` in a subprocess over a freshly ingested data directory.

One server per test session (`ui_app`); `start_app` starts more (e.g. with --auth) on the same data.
Every process started here is stopped here, by pid, and the data directory's embedded graph server is
stopped with `policykg graph stop`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.embedded import stop_servers_under

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus" / "docs"
UPLOAD_LIMIT_MB = 1  # small, so the oversized-upload test needs only a small file
WRITE_TOKEN = secrets.token_urlsafe(24)  # the served apps' write token (POLICYKG_WRITE_TOKEN)
STARTUP_LIMIT_S = 240  # generous upper bound on a cold start (models load); not a measurement


@dataclass
class RunningApp:
    url: str
    port: int
    pid: int
    data_dir: Path
    env: dict[str, str]
    log: Path
    token: str = WRITE_TOKEN

    @property
    def write_headers(self) -> dict[str, str]:
        """What a program sends to upload or remove (writes need the token)."""
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def token_url(self) -> str:
        """The link printed at start: opening it lets this browser upload and remove."""
        return f"{self.url}?token={self.token}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "ui.cli", *args]


def app_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYKG_", "GRADIO_"))}
    env.update(
        POLICYKG_DATA_DIR=str(data_dir),
        POLICYKG_MAX_UPLOAD_MB=str(UPLOAD_LIMIT_MB),
        POLICYKG_WRITE_TOKEN=WRITE_TOKEN,
        GRADIO_ANALYTICS_ENABLED="False",
        PYTHONUNBUFFERED="1",
    )
    return env


def ingest_corpus(data_dir: Path) -> None:
    done = subprocess.run(
        cli("ingest", str(CORPUS)),
        env=app_env(data_dir),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"policykg ingest failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"


def _log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-4000:] if log.exists() else ""


def _wait_until_serving(url: str, proc: subprocess.Popen, log: Path) -> None:
    """Ready when the server answers HTTP at all (a login-protected one answers 401)."""
    deadline = time.monotonic() + STARTUP_LIMIT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"policykg serve exited with {proc.returncode}:\n{_log_tail(log)}")
        try:
            with urllib.request.urlopen(url + "gradio_api/info", timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"policykg serve did not answer within {STARTUP_LIMIT_S} s:\n{_log_tail(log)}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


@contextlib.contextmanager
def start_app(data_dir: Path, *serve_args: str, env_extra: dict[str, str] | None = None) -> Iterator[RunningApp]:
    """Run `policykg serve --port <free> [serve_args]` on data_dir until the block ends."""
    port = free_port()
    env = {**app_env(data_dir), **(env_extra or {})}
    log = data_dir / f"serve-{port}.log"
    url = f"http://127.0.0.1:{port}/"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cli("serve", "--port", str(port), *serve_args),
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(url, proc, log)
        yield RunningApp(url=url, port=port, pid=proc.pid, data_dir=data_dir, env=env, log=log)
    finally:
        _stop(proc)


def stop_graph_server(data_dir: Path) -> None:
    subprocess.run(cli("graph", "stop"), env=app_env(data_dir), cwd=REPO, capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def ui_data_dir(tmp_path_factory) -> Iterator[Path]:
    """A data directory with corpus/docs ingested; its embedded graph server is stopped at the end."""
    data_dir = tmp_path_factory.mktemp("ui-data")
    try:
        ingest_corpus(data_dir)
        yield data_dir
    finally:
        stop_graph_server(data_dir)
        stop_servers_under(data_dir)


@pytest.fixture(scope="session")
def ui_app(ui_data_dir: Path) -> Iterator[RunningApp]:
    """The app served on 127.0.0.1:<free port> over the ingested corpus."""
    with start_app(ui_data_dir) as running:
        yield running


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a TCP socket listening on port (from /proc/net/tcp and tcp6)."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as fh:
            for line in fh.readlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                addr, hex_port = local.rsplit(":", 1)
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(_decode_address(addr))
    return found


def _decode_address(hex_addr: str) -> str:
    raw = bytes.fromhex(hex_addr)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    return socket.inet_ntop(socket.AF_INET6, words)


def http_get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
