"""The load generator (eval/load.py) against the real served app over HTTP on 127.0.0.1, in a short form.

RELIABILITY_LOAD_CLIENTS / RELIABILITY_LOAD_SECONDS give the long form (20 clients x 60 s)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from eval.load import load_questions, percentile, run_load
from tests.support.reliability import REPO

CLIENTS = int(os.environ.get("RELIABILITY_LOAD_CLIENTS", "6"))
SECONDS = float(os.environ.get("RELIABILITY_LOAD_SECONDS", "12"))


def test_percentiles_are_nearest_rank():
    assert percentile([], 50) == 0.0
    assert percentile([5.0], 95) == 5.0
    values = list(range(1, 101))
    assert percentile(values, 50) == 50 and percentile(values, 95) == 95 and percentile(values, 100) == 100


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_concurrent_clients_get_answers_without_errors(ui_app):
    report = run_load(ui_app.url, clients=CLIENTS, seconds=SECONDS, questions=load_questions(), max_requests=5000)
    assert report.errors == 0, report.error_messages
    assert report.requests >= CLIENTS  # every client got at least one answer through
    assert 0 < report.p50_ms <= report.p95_ms <= report.max_ms
    assert report.throughput_rps > 0


@pytest.mark.timeout(300)
def test_cli_reports_json_and_bounds_the_request_count(ui_app):
    done = subprocess.run([sys.executable, "-m", "eval.load", "--url", ui_app.url, "--clients", "2", "--seconds",
                           "30", "--max-requests", "4", "--json"], cwd=REPO, capture_output=True, text=True,
                          timeout=280)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["requests"] == 4 and report["errors"] == 0


@pytest.mark.timeout(120)
def test_errors_are_counted_not_raised(tmp_path):
    """Nobody listens on this port: every request is an error, the run still ends and reports them."""
    from tests.support.app import free_port

    # The run ends by count (6 refused requests take milliseconds); the long window only keeps a busy
    # machine from ending it before any client has started.
    report = run_load(f"http://127.0.0.1:{free_port()}/", clients=2, seconds=60, questions=["问题"], max_requests=6)
    assert report.requests > 0 and report.errors == report.requests
    assert report.error_messages and report.p50_ms == 0.0


def test_soak_option_samples_the_server_memory(ui_app):
    """--rss-pid: the report carries the server's memory over the run and its trend."""
    report = run_load(ui_app.url, clients=2, seconds=4, questions=load_questions(), max_requests=40,
                      rss_pid=ui_app.pid, rss_every=0.5)
    assert report.rss is not None and len(report.rss.samples) >= 2
    assert report.rss.start_mb > 10 and report.rss.peak_mb >= report.rss.end_mb > 10
    assert "server RSS" in report.to_text()


def test_slope_is_least_squares():
    from eval.load import slope

    assert slope([(0, 1.0), (1, 3.0), (2, 5.0)]) == pytest.approx(2.0)
    assert slope([(0, 7.0)]) == 0.0


def test_load_credentials_come_from_the_environment():
    from eval.load import credentials

    assert credentials("clerk", {"POLICYKG_AUTH_PASSWORD": "s3cret"}) == ("clerk", "s3cret")
    assert credentials(None, {}) is None
