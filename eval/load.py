"""Load test: N concurrent clients ask gold questions of a served app over its HTTP API for T seconds.

    python -m eval.load --url http://127.0.0.1:7860 --clients 20 --seconds 60 [--auth USER] [--json]
    python -m eval.load --clients 20 --seconds 600 --rss-pid <server pid>      # soak: memory over time

Each client is a thread with its own HTTP session that loops: pick the next gold question, call the
app's `ask` endpoint through Gradio's plain HTTP API (POST /gradio_api/call/ask, then read the event
stream for the result), record latency and outcome. The run is bounded twice: by time (no new request
after `seconds`) and by count (`max_requests` in all); every request has its own timeout. The report
gives requests, errors (with the first messages), p50/p95/max latency and throughput.

Plain HTTP rather than gradio_client: one small dependency (httpx, which Gradio already ships) and
the exact bytes a program calling the app would send.

Soak: with --rss-pid the server's resident memory (/proc/<pid>/status VmRSS) is sampled every
--rss-every seconds during the run; the report adds RSS at start, end and peak, and the slope of a
least-squares line through the samples of the second half of the run (after warm-up: caches and
models loaded), in MB per minute and KB per request. Flat memory is a slope near zero.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import yaml

GOLD = Path(__file__).with_name("gold") / "questions.yaml"
API_NAME = "ask"  # the app's endpoint (ui/app.py register_api)
REQUEST_TIMEOUT = 120.0  # seconds for one question, queueing included


@dataclass
class Sample:
    """One request: when it ended (seconds since start), how long it took, and what went wrong if anything."""

    ended: float
    latency: float
    error: str | None = None


@dataclass
class LoadReport:
    url: str
    clients: int
    seconds: float  # requested duration
    elapsed: float  # wall time until the last request ended
    requests: int
    errors: int
    error_messages: list[str] = field(default_factory=list)  # the first few, for diagnosis
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    max_ms: float = 0.0
    throughput_rps: float = 0.0
    rss: RssReport | None = None

    def to_text(self) -> str:
        lines = [
            f"load test: {self.url}  clients={self.clients}  duration={self.seconds:g}s (elapsed {self.elapsed:.1f}s)",
            f"requests={self.requests}  errors={self.errors}  throughput={self.throughput_rps:.2f} req/s",
            f"latency p50={self.p50_ms:.0f} ms  p95={self.p95_ms:.0f} ms  max={self.max_ms:.0f} ms",
        ]
        lines += [f"  error: {m}" for m in self.error_messages]
        if self.rss:
            r = self.rss
            lines.append(f"server RSS (pid {r.pid}): start {r.start_mb:.0f} MB  end {r.end_mb:.0f} MB  "
                         f"peak {r.peak_mb:.0f} MB  slope (second half) {r.slope_mb_per_min:+.2f} MB/min = "
                         f"{r.slope_kb_per_request:+.1f} KB/request  ({len(r.samples)} samples)")
        return "\n".join(lines)


@dataclass
class RssReport:
    """The server's resident memory over the run: (seconds since start, MB) samples and their trend."""

    pid: int
    samples: list[tuple[float, float]] = field(default_factory=list)
    start_mb: float = 0.0
    end_mb: float = 0.0
    peak_mb: float = 0.0
    slope_mb_per_min: float = 0.0
    slope_kb_per_request: float = 0.0


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (VmRSS), or None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of y over x (0.0 for fewer than two distinct x)."""
    n = len(points)
    if n < 2:
        return 0.0
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0


class RssSampler(threading.Thread):
    """Samples a process's RSS every `every` seconds until stopped."""

    def __init__(self, pid: int, every: float, start: float) -> None:
        super().__init__(name="rss-sampler", daemon=True)
        self.pid, self.every, self.start_time = pid, every, start
        self.samples: list[tuple[float, float]] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        while True:
            mb = rss_mb(self.pid)
            if mb is not None:
                self.samples.append((time.monotonic() - self.start_time, mb))
            if self._stop_event.wait(self.every):
                return

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=self.every + 5)

    def report(self, requests_per_second: float) -> RssReport:
        s = self.samples
        if not s:
            return RssReport(self.pid)
        second_half = [p for p in s if p[0] >= s[-1][0] / 2]
        per_second = slope(second_half)
        return RssReport(self.pid, s, start_mb=round(s[0][1], 1), end_mb=round(s[-1][1], 1),
                         peak_mb=round(max(mb for _, mb in s), 1), slope_mb_per_min=round(per_second * 60, 3),
                         slope_kb_per_request=round(per_second * 1024 / requests_per_second, 2)
                         if requests_per_second else 0.0)


def load_questions(path: Path = GOLD) -> list[str]:
    """The gold questions' texts (eval/gold/questions.yaml)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    questions = [q["question"] for q in data.get("questions", []) if q.get("question")]
    if not questions:
        raise ValueError(f"{path}: no questions")
    return questions


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def _events(lines: Iterator[str]) -> Iterator[tuple[str, str]]:
    """(event, data) pairs of a server-sent event stream."""
    event, data = "", []
    for line in lines:
        if not line:
            if event or data:
                yield event, "\n".join(data)
            event, data = "", []
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
    if event or data:
        yield event, "\n".join(data)


def call_api(http: httpx.Client, base: str, question: str, api_name: str = API_NAME) -> dict:
    """Ask one question through Gradio's HTTP API; the endpoint's JSON result, or RuntimeError."""
    r = http.post(f"{base}/gradio_api/call/{api_name}", json={"data": [question]})
    r.raise_for_status()
    event_id = r.json()["event_id"]
    with http.stream("GET", f"{base}/gradio_api/call/{api_name}/{event_id}") as stream:
        stream.raise_for_status()
        for event, data in _events(stream.iter_lines()):
            if event == "complete":
                result = json.loads(data)
                return result[0] if isinstance(result, list) and result else result
            if event == "error":
                raise RuntimeError(f"app error: {data[:200]}")
    raise RuntimeError("event stream ended without a result")


def _check(result: object) -> None:
    """An answer the app could have given: a dict with the contract's fields."""
    if not isinstance(result, dict) or not isinstance(result.get("answer"), str):
        raise RuntimeError(f"malformed answer: {str(result)[:200]}")
    if not isinstance(result.get("citations"), list) or not isinstance(result.get("abstained"), bool):
        raise RuntimeError("answer lacks citations/abstained")


def _session(base: str, auth: tuple[str, str] | None, timeout: float) -> httpx.Client:
    http = httpx.Client(timeout=timeout, follow_redirects=True)
    if auth:
        r = http.post(f"{base}/login", data={"username": auth[0], "password": auth[1]})
        if r.status_code >= 400:
            http.close()
            raise RuntimeError(f"login refused ({r.status_code})")
    return http


class _Shared:
    """What the client threads share: the question cycle, the request budget and the samples."""

    def __init__(self, questions: Sequence[str], max_requests: int) -> None:
        self._lock = threading.Lock()
        self._questions = itertools.cycle(questions)
        self._budget = max_requests
        self.samples: list[Sample] = []

    def next_question(self) -> str | None:
        with self._lock:
            if self._budget <= 0:
                return None
            self._budget -= 1
            return next(self._questions)

    def record(self, sample: Sample) -> None:
        with self._lock:
            self.samples.append(sample)


def _client(base: str, shared: _Shared, start: float, deadline: float, auth: tuple[str, str] | None,
            timeout: float) -> None:
    try:
        http = _session(base, auth, timeout)
    except Exception as exc:
        shared.record(Sample(time.monotonic() - start, 0.0, f"{type(exc).__name__}: {exc}"))
        return
    with http:
        while time.monotonic() < deadline:
            question = shared.next_question()
            if question is None:
                return
            t0 = time.monotonic()
            error = None
            try:
                _check(call_api(http, base, question))
            except Exception as exc:  # every failure is a data point, never a crash of the run
                error = f"{type(exc).__name__}: {exc}"[:300]
            t1 = time.monotonic()
            shared.record(Sample(t1 - start, t1 - t0, error))


def run_load(url: str, clients: int = 20, seconds: float = 60.0, questions: Sequence[str] | None = None,
             max_requests: int = 100_000, auth: tuple[str, str] | None = None,
             timeout: float = REQUEST_TIMEOUT, rss_pid: int | None = None, rss_every: float = 5.0) -> LoadReport:
    """Run the load test and summarise it; blocks for about `seconds` (+ the slowest request in flight).
    With `rss_pid`, the server's memory is sampled throughout (a soak measurement)."""
    base = url.rstrip("/")
    shared = _Shared(list(questions or load_questions()), max_requests)
    start = time.monotonic()
    sampler = RssSampler(rss_pid, rss_every, start) if rss_pid else None
    if sampler:
        sampler.start()
    deadline = start + seconds
    threads = [threading.Thread(target=_client, args=(base, shared, start, deadline, auth, timeout),
                                name=f"load-client-{i}", daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + timeout + 30)
    report = summarise(url, clients, seconds, shared.samples)
    if sampler:
        sampler.stop()
        report.rss = sampler.report(report.throughput_rps)
    return report


def summarise(url: str, clients: int, seconds: float, samples: Sequence[Sample]) -> LoadReport:
    ok = [s.latency * 1000 for s in samples if s.error is None]
    errors = [s for s in samples if s.error is not None]
    elapsed = max((s.ended for s in samples), default=0.0)
    return LoadReport(
        url=url, clients=clients, seconds=seconds, elapsed=round(elapsed, 2), requests=len(samples),
        errors=len(errors), error_messages=list(dict.fromkeys(s.error for s in errors))[:5],
        p50_ms=round(percentile(ok, 50), 1), p95_ms=round(percentile(ok, 95), 1),
        max_ms=round(max(ok, default=0.0), 1),
        throughput_rps=round(len(ok) / elapsed, 3) if elapsed else 0.0,
    )


def credentials(auth: str | None, env: Mapping[str, str]) -> tuple[str, str] | None:
    """(user, password) for --auth USER, the password from POLICYKG_AUTH_PASSWORD (a password in the
    arguments is visible to every local user; `user:password` is still read, for old scripts)."""
    if not auth:
        return None
    user, sep, password = auth.partition(":")
    return (user, password) if sep else (user, env.get("POLICYKG_AUTH_PASSWORD", ""))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.load", description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:7860", help="the served app")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=60.0, help="duration of the run")
    parser.add_argument("--max-requests", type=int, default=100_000, help="cap on requests in all")
    parser.add_argument("--timeout", type=float, default=REQUEST_TIMEOUT, help="seconds per request")
    parser.add_argument("--questions", type=Path, default=GOLD, help="gold questions YAML")
    parser.add_argument("--auth", default=None, metavar="USER",
                        help="log in as USER (password from POLICYKG_AUTH_PASSWORD) when the app requires it")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--rss-pid", type=int, default=None, help="server pid whose memory to sample (soak)")
    parser.add_argument("--rss-every", type=float, default=5.0, help="seconds between memory samples")
    args = parser.parse_args(argv)
    auth = credentials(args.auth, os.environ)
    report = run_load(args.url, args.clients, args.seconds, load_questions(args.questions), args.max_requests,
                      auth, args.timeout, rss_pid=args.rss_pid, rss_every=args.rss_every)  # type: ignore[arg-type]
    print(json.dumps(asdict(report), ensure_ascii=False) if args.json else report.to_text())
    return 1 if report.errors or not report.requests else 0


if __name__ == "__main__":
    sys.exit(main())
