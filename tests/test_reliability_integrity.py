"""Nothing replaced, nothing lost: the commit point, folder mirroring, policy identity and uploads.

Faults are simulated where the operating system would produce them (a short write, a full disk, a
read-only directory); every test checks what is left on disk afterwards, not only what was raised.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from rag import state as state_mod
from rag.state import PolicyRecord, State, read_state, write_state


def _state(n: int) -> State:
    recs = {f"p{i}": PolicyRecord(id=f"p{i}", sha256=f"{i:064x}", path=f"/docs/{i}.txt", title="标题" * 50)
            for i in range(n)}
    return State(generation=n, graph=f"g{n}", index=f"index-g{n}", policies=recs)


def test_short_writes_still_commit_the_whole_state(tmp_path, monkeypatch):
    """The kernel may write fewer bytes than asked (signals, quotas); the rest must follow."""
    real_write = os.write

    def short_write(fd, data):
        return real_write(fd, bytes(data[:4096]))

    monkeypatch.setattr(state_mod.os, "write", short_write)
    write_state(tmp_path, _state(200))
    assert len(read_state(tmp_path).policies) == 200


def test_full_disk_keeps_the_previous_state_readable(tmp_path, monkeypatch):
    write_state(tmp_path, _state(3))
    before = (tmp_path / "state.json").read_bytes()
    real_write = os.write
    written = {"n": 0}

    def filling_disk(fd, data):
        if written["n"] >= 4096:
            raise OSError(errno.ENOSPC, "No space left on device")
        n = real_write(fd, bytes(data[: 4096 - written["n"]]))
        written["n"] += n
        return n

    monkeypatch.setattr(state_mod.os, "write", filling_disk)
    with pytest.raises(OSError, match="No space left"):
        write_state(tmp_path, _state(200))
    assert (tmp_path / "state.json").read_bytes() == before
    assert len(read_state(tmp_path).policies) == 3
    assert not [p for p in tmp_path.iterdir() if p.name != "state.json"], "a partial temp file was left"


def test_a_state_that_does_not_read_back_is_never_committed(tmp_path, monkeypatch):
    """Verify after fsync: bytes that do not parse back to the same state never replace the old one."""
    write_state(tmp_path, _state(2))
    real_write = os.write
    monkeypatch.setattr(state_mod.os, "write", lambda fd, data: real_write(fd, bytes(data).replace(b"g5", b"g6")))
    with pytest.raises(OSError, match="read back"):
        write_state(tmp_path, _state(5))
    assert json.loads((tmp_path / "state.json").read_text())["generation"] == 2


# -- identity, mirroring and removal through the façade -------------------------------------------

OFFICIAL = """上海市加强开源体系建设实施方案
沪府办〔2025〕33号

一、主要任务
（一）建设开源社区。支持建设开源社区，给予最高500万元支持。（责任单位：市经济信息化委）
（二）培育开源项目。对优秀开源项目给予奖励。（责任单位：市科委）
（三）防范开源供应链风险。建立开源软件安全评估机制。（责任单位：市委网信办）
"""
IMPOSTOR = """---
doc_no: 沪府办〔2025〕33号
title: 上海市加强开源体系建设实施方案
---
一、主要任务
（一）取消全部支持。原有支持措施一律停止执行。（责任单位：市财政局）
"""
NO_DOC_NO = """杭州市促进数据标注产业发展的若干意见

一、支持措施
（一）支持建设数据标注基地。对新认定的基地，给予一次性奖励，补贴比例为30%。（责任单位：市数据资源局）
"""


@pytest.fixture
def fresh_kg(tmp_path):
    """A façade over an empty data directory (no dense model: these tests are about bookkeeping)."""
    from kg.embedded import stop_server
    from rag.pipeline import PolicyKG
    from rag.settings import Settings

    data_dir = tmp_path / "data"
    kg = PolicyKG(Settings(data_dir=data_dir, corpus_dir=tmp_path / "shipped",
                           embedding_model="policykg-test-no-such-model", embedding_fallback=""))
    try:
        yield kg
    finally:
        kg.close()
        stop_server(data_dir)


def _official_and_elsewhere(tmp_path):
    """A corpus folder holding the official plan, and an empty folder for the documents that claim it."""
    docs, other = tmp_path / "docs", tmp_path / "elsewhere"
    docs.mkdir(), other.mkdir()
    (docs / "official.txt").write_text(OFFICIAL, encoding="utf-8")
    return docs, other


def _measure_titles(kg) -> set[str]:
    return {m.get("measure_title") or m.get("title") or "" for p in kg.policies()
            for m in kg.outline(p["id"])["measures"]}


def test_a_document_claiming_another_doc_no_is_kept_apart_and_flagged(fresh_kg, tmp_path):
    docs, other = _official_and_elsewhere(tmp_path)
    (other / "notice.md").write_text(IMPOSTOR, encoding="utf-8")
    fresh_kg.ingest([docs])
    report = fresh_kg.ingest([other])
    assert report.replaced == 0
    assert report.conflicts and "沪府办〔2025〕33号" in report.conflicts[0]["reason"]
    state = read_state(fresh_kg.settings.data_dir)
    assert len(state.policies) == 2
    assert any(r.flag for r in state.policies.values())
    titles = _measure_titles(fresh_kg)
    assert "建设开源社区" in "".join(titles) and "取消全部支持" in "".join(titles)


def test_two_documents_with_the_same_title_in_one_folder_are_both_kept(fresh_kg, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(NO_DOC_NO, encoding="utf-8")
    (docs / "b.txt").write_text(NO_DOC_NO.replace("30%", "50%").replace("数据资源局", "经信局"), encoding="utf-8")
    report = fresh_kg.ingest([docs])
    assert len(read_state(fresh_kg.settings.data_dir).policies) == 2
    assert len(report.conflicts) == 1


def test_replacing_a_policy_is_an_explicit_action(fresh_kg, tmp_path):
    docs, other = _official_and_elsewhere(tmp_path)
    (other / "notice.md").write_text(IMPOSTOR, encoding="utf-8")
    fresh_kg.ingest([docs])
    official = next(iter(read_state(fresh_kg.settings.data_dir).policies))
    report = fresh_kg.ingest([other / "notice.md"], replace=official)
    assert report.replaced == 1
    state = read_state(fresh_kg.settings.data_dir)
    assert len(state.policies) == 1 and not any(r.flag for r in state.policies.values())


def test_a_kept_apart_document_can_then_replace_the_policy_it_claims(fresh_kg, tmp_path):
    """The app's path: the upload is ingested first (kept apart, flagged), the replacement confirmed after."""
    docs, other = _official_and_elsewhere(tmp_path)
    (other / "notice.md").write_text(IMPOSTOR, encoding="utf-8")
    fresh_kg.ingest([docs])
    official = next(iter(read_state(fresh_kg.settings.data_dir).policies))
    assert fresh_kg.ingest([other / "notice.md"]).conflicts
    fresh_kg.ingest([other / "notice.md"], replace=official)
    state = read_state(fresh_kg.settings.data_dir)
    assert list(state.policies) == [official]  # not the official one plus the kept-apart copy
    assert state.policies[official].path.endswith("notice.md") and not state.policies[official].flag


SH_NO_DOC_NO = """上海市开源社区运营支持若干意见

一、支持措施
（一）支持开源社区运营。给予最高200万元补贴。（责任单位：市经济信息化委）
"""


def _claim(path: Path, title: str, duty: str) -> Path:
    path.write_text(f"---\ndoc_no: 沪府办〔2025〕33号\ntitle: {title}\n---\n一、主要任务\n"
                    f"（一）{duty}。（责任单位：市财政局）\n", encoding="utf-8")
    return path


def _ids_by_title(kg) -> dict[str, str]:
    return {r.title: r.id for r in read_state(kg.settings.data_dir).policies.values()}


def test_an_upload_claiming_the_doc_no_of_one_policy_and_the_title_of_another_lists_both(fresh_kg, tmp_path):
    docs, other = _official_and_elsewhere(tmp_path)
    (docs / "opinions.txt").write_text(SH_NO_DOC_NO, encoding="utf-8")
    fresh_kg.ingest([docs])
    ids = _ids_by_title(fresh_kg)
    official, opinions = ids["上海市加强开源体系建设实施方案"], ids["上海市开源社区运营支持若干意见"]
    claim = _claim(other / "claim.md", "上海市开源社区运营支持若干意见", "取消社区运营补贴")
    (conflict,) = fresh_kg.ingest([claim]).conflicts
    assert [(c["id"], c["match"]) for c in conflict["candidates"]] == [(official, "文号"), (opinions, "title")]
    assert opinions in conflict["reason"] and len(read_state(fresh_kg.settings.data_dir).policies) == 3
    assert fresh_kg.ingest([claim]).replaced == 0  # ingesting it again changes nothing

    fresh_kg.ingest([claim], replace=[opinions])  # the user chose the one it replaces: the opinions
    state = read_state(fresh_kg.settings.data_dir)
    assert set(state.policies) == {official, opinions}
    assert state.policies[opinions].path.endswith("claim.md")  # it took the replaced policy's id
    assert official in (state.policies[opinions].flag or "")  # and still claims the official 文号
    assert state.policies[official].path.endswith("official.txt") and not state.policies[official].flag


def test_a_doc_no_held_by_several_policies_lists_every_one_and_several_can_be_replaced(fresh_kg, tmp_path):
    docs, other = _official_and_elsewhere(tmp_path)
    fresh_kg.ingest([docs])
    (official,) = read_state(fresh_kg.settings.data_dir).policies
    title = "上海市加强开源体系建设实施方案"
    (first,) = fresh_kg.ingest([_claim(other / "copy1.md", title, "取消全部支持")]).conflicts
    second = fresh_kg.ingest([_claim(other / "copy2.md", title, "暂停开源项目奖励")]).conflicts[0]
    assert [c["id"] for c in second["candidates"]] == [official, first["id"]]
    assert {c["match"] for c in second["candidates"]} == {"文号"}

    report = fresh_kg.ingest([other / "copy2.md"], replace=[official, first["id"]])
    state = read_state(fresh_kg.settings.data_dir)
    assert set(state.policies) == {official} and report.removed >= 1
    assert state.policies[official].path.endswith("copy2.md") and not state.policies[official].flag
    assert "暂停开源项目奖励" in "".join(_measure_titles(fresh_kg))
    with pytest.raises(KeyError, match="no-such-policy"):
        fresh_kg.ingest([other / "copy1.md"], replace=["no-such-policy"])


def test_the_command_line_lists_every_claimed_policy_and_replaces_the_chosen_ones(fresh_kg, tmp_path):
    from typer.testing import CliRunner

    from ui.cli import app

    docs, other = _official_and_elsewhere(tmp_path)
    (docs / "opinions.txt").write_text(SH_NO_DOC_NO, encoding="utf-8")
    fresh_kg.ingest([docs])
    ids = _ids_by_title(fresh_kg)
    official, opinions = ids["上海市加强开源体系建设实施方案"], ids["上海市开源社区运营支持若干意见"]
    claim = _claim(other / "claim.md", "上海市开源社区运营支持若干意见", "取消社区运营补贴")
    env = {"POLICYKG_DATA_DIR": str(fresh_kg.settings.data_dir),
           "POLICYKG_EMBEDDING_MODEL": "policykg-test-no-such-model", "POLICYKG_EMBEDDING_FALLBACK": ""}
    fresh_kg.close()
    runner = CliRunner()
    out = runner.invoke(app, ["ingest", str(claim)], env=env)
    assert f"claims {official} (same 文号)" in out.output and f"claims {opinions} (same title)" in out.output
    assert f"--replace {official} --replace {opinions}" in out.output
    declined = runner.invoke(app, ["ingest", str(claim), "--replace", official, "--replace", opinions], env=env,
                             input="n\n")
    assert declined.exit_code == 1 and official in declined.output and opinions in declined.output
    assert len(read_state(fresh_kg.settings.data_dir).policies) == 3  # nothing replaced without a yes
    done = runner.invoke(app, ["ingest", str(claim), "--replace", official, "--replace", opinions], env=env,
                         input="y\n")
    assert done.exit_code == 0, done.output
    state = read_state(fresh_kg.settings.data_dir)
    assert set(state.policies) == {official} and state.policies[official].path.endswith("claim.md")


def test_an_edited_file_without_doc_no_replaces_its_old_version(fresh_kg, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    doc = docs / "labels.txt"
    doc.write_text(NO_DOC_NO, encoding="utf-8")
    fresh_kg.ingest([docs])
    doc.write_text(NO_DOC_NO.replace("若干意见", "若干措施").replace("30%", "40%"), encoding="utf-8")
    report = fresh_kg.ingest([docs])
    state = read_state(fresh_kg.settings.data_dir)
    assert len(state.policies) == 1 and report.replaced == 1
    quotes = " ".join(c.text for c in fresh_kg._ready().indexes.chunks)
    assert "40%" in quotes and "30%" not in quotes


def test_a_deleted_file_is_removed_when_its_folder_is_ingested_again(fresh_kg, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "official.txt").write_text(OFFICIAL, encoding="utf-8")
    (docs / "labels.txt").write_text(NO_DOC_NO, encoding="utf-8")
    fresh_kg.ingest([docs])
    (docs / "labels.txt").unlink()
    report = fresh_kg.ingest([docs])
    assert report.removed == 1 and report.removed_paths == [str((docs / "labels.txt").resolve())]
    assert [r.doc_no for r in read_state(fresh_kg.settings.data_dir).policies.values()] == ["沪府办〔2025〕33号"]


def test_a_damaged_index_is_rebuilt(fresh_kg, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "official.txt").write_text(OFFICIAL, encoding="utf-8")
    fresh_kg.ingest([docs])
    data_dir = fresh_kg.settings.data_dir
    index_dir = data_dir / read_state(data_dir).index
    for f in index_dir.iterdir():
        if f.is_file() and f.name != "manifest.json":
            f.write_bytes(b"\0garbage")
    fresh_kg.close()
    fresh_kg.ingest([docs], rebuild=True)
    fresh_kg.close()
    assert "开源" in fresh_kg.ask("防范开源供应链风险由哪个部门负责？").answer


def test_the_advice_to_run_ingest_repairs_a_damaged_index(fresh_kg, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "official.txt").write_text(OFFICIAL, encoding="utf-8")
    fresh_kg.ingest([docs])
    data_dir = fresh_kg.settings.data_dir
    index_dir = data_dir / read_state(data_dir).index
    (index_dir / "manifest.json").write_text("{", encoding="utf-8")
    fresh_kg.close()
    fresh_kg.ingest([docs])
    fresh_kg.close()
    assert fresh_kg.ask("防范开源供应链风险由哪个部门负责？").citations


def test_policykg_remove_removes_one_policy(fresh_kg, tmp_path):
    from tests.support.reliability import cli_env, run_cli

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "official.txt").write_text(OFFICIAL, encoding="utf-8")
    (docs / "labels.txt").write_text(NO_DOC_NO, encoding="utf-8")
    fresh_kg.ingest([docs])
    data_dir = fresh_kg.settings.data_dir
    victim = next(r.id for r in read_state(data_dir).policies.values() if r.doc_no is None)
    env = cli_env(data_dir, POLICYKG_CORPUS_DIR=str(tmp_path / "shipped"))
    done = run_cli(data_dir, "remove", victim, env=env)
    assert done.returncode == 0, done.stderr
    assert victim not in read_state(data_dir).policies and len(read_state(data_dir).policies) == 1
    again = run_cli(data_dir, "remove", victim, env=env)
    assert again.returncode == 1 and "no ingested policy" in again.stderr and "Traceback" not in again.stderr


# -- uploads -----------------------------------------------------------------------------------


def _upload_file(tmp_path, folder: str, text: str | bytes, name: str = "notice.txt"):
    d = tmp_path / folder
    d.mkdir(parents=True, exist_ok=True)
    f = d / name
    (f.write_bytes if isinstance(text, bytes) else lambda t: f.write_text(t, encoding="utf-8"))(text)
    return f


def test_two_uploads_with_the_same_name_are_both_kept(fresh_kg, tmp_path):
    from ui.service import AppService

    service = AppService(fresh_kg)
    first = _upload_file(tmp_path, "u1", OFFICIAL)
    second = _upload_file(tmp_path, "u2", NO_DOC_NO)
    service.upload([first])
    service.upload([second])
    stored = sorted((fresh_kg.settings.data_dir / "uploads").rglob("notice.txt"))
    assert len(stored) == 2 and {p.read_text(encoding="utf-8") for p in stored} == {OFFICIAL, NO_DOC_NO}
    assert len(read_state(fresh_kg.settings.data_dir).policies) == 2
    refused = _upload_file(tmp_path, "u3", b"\x00\x01\x02binary" * 50)
    report, _ = service.upload([refused])
    assert report.skipped
    assert sorted((fresh_kg.settings.data_dir / "uploads").rglob("notice.txt")) == stored
    assert all(p.exists() for p in stored)


def test_an_upload_that_fails_to_ingest_leaves_nothing_behind(fresh_kg, tmp_path):
    from rag.state import IngestLock
    from ui.service import AppService

    service = AppService(fresh_kg)
    doc = _upload_file(tmp_path, "u1", OFFICIAL)
    fresh_kg.settings.data_dir.mkdir(parents=True, exist_ok=True)
    with IngestLock(fresh_kg.settings.data_dir), pytest.raises(RuntimeError, match="another ingest"):
        service.upload([doc])
    uploads = fresh_kg.settings.data_dir / "uploads"
    assert not uploads.exists() or not [p for p in uploads.rglob("*") if p.is_file()]


# -- faults of the machine: read-only and full disks, bad Cypher ------------------------------------

QUESTION = "防范开源供应链风险由哪个部门负责？"


def _ingested(fresh_kg, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "official.txt").write_text(OFFICIAL, encoding="utf-8")
    fresh_kg.ingest([docs])
    fresh_kg.close()
    return fresh_kg.settings.data_dir


def _run_read_only(data_dir, *args: str):
    """`policykg ARGS` with the data directory really read-only: a read-only bind mount in a private
    mount namespace when running as root (root ignores permission bits), else permission bits."""
    import shutil
    import subprocess
    import sys

    from tests.support.reliability import REPO, cli_env

    env = cli_env(data_dir)
    cli = [sys.executable, "-m", "ui.cli", *args]
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in [data_dir, *data_dir.rglob("*")] if not p.is_symlink()}
        for p in modes:
            p.chmod(modes[p] & ~0o222)
        try:
            return subprocess.run(cli, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
    if not shutil.which("unshare"):
        pytest.skip("no way to make a read-only directory here (root without unshare)")
    d = str(data_dir)
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    done = subprocess.run(["unshare", "-m", "sh", "-c", script, d, *cli], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    if "mount:" in done.stderr or "unshare:" in done.stderr:
        pytest.skip(f"cannot mount read-only here: {done.stderr.strip()[:200]}")
    return done


def test_ask_works_on_a_read_only_data_directory(fresh_kg, tmp_path):
    from kg.embedded import stop_server

    data_dir = _ingested(fresh_kg, tmp_path)
    stop_server(data_dir)  # nothing running that could do the writing for it
    done = _run_read_only(data_dir, "ask", "--json", QUESTION)
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout)
    assert answer["citations"] and "Traceback" not in done.stderr


def test_ingest_on_a_read_only_data_directory_says_so_in_one_line(fresh_kg, tmp_path):
    data_dir = _ingested(fresh_kg, tmp_path)
    done = _run_read_only(data_dir, "ingest", str(tmp_path / "docs"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().startswith("error:") and "read-only" in done.stderr.lower()


def test_a_full_disk_during_ingest_is_one_line_and_loses_nothing(fresh_kg, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ui.cli import app

    data_dir = _ingested(fresh_kg, tmp_path)
    before = (data_dir / "state.json").read_bytes()
    (tmp_path / "docs" / "more.txt").write_text(NO_DOC_NO, encoding="utf-8")

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(state_mod.os, "write", full)
    monkeypatch.setenv("POLICYKG_DATA_DIR", str(data_dir))
    monkeypatch.setenv("POLICYKG_EMBEDDING_MODEL", "policykg-test-no-such-model")
    monkeypatch.setenv("POLICYKG_EMBEDDING_FALLBACK", "")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "docs")])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(result.exception, SystemExit)
    assert "No space left on device" in result.output and "Traceback" not in result.output
    assert (data_dir / "state.json").read_bytes() == before


def test_a_cypher_syntax_error_is_one_line(fresh_kg, tmp_path):
    from tests.support.reliability import run_cli

    data_dir = _ingested(fresh_kg, tmp_path)
    done = run_cli(data_dir, "graph", "query", "MATCH (n RETURN n")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Cypher" in done.stderr


def _ingest_children() -> list[int]:
    """Pids of `policykg ingest` processes started by this process."""
    me = str(os.getpid())
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = stat.read_text().rsplit(")", 1)[1].split()[1]
            cmdline = (stat.parent / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if ppid == me and b"ui.cli\0ingest" in cmdline:
            found.append(int(stat.parent.name))
    return found


def test_questions_are_answered_while_an_upload_is_ingested(fresh_kg, tmp_path):
    """The app ingests uploads in a child process: frozen mid-ingest, it holds up no question."""
    import signal
    import threading

    from ui.service import AppService

    _ingested(fresh_kg, tmp_path)
    service = AppService(fresh_kg)
    doc = _upload_file(tmp_path, "u1", NO_DOC_NO)
    started = threading.Event()
    stages: list[str] = []

    def progress(stage: str, done: int, total: int) -> None:
        stages.append(stage)
        started.set()

    result: dict = {}
    uploader = threading.Thread(target=lambda: result.update(out=service.upload([doc], progress)), daemon=True)
    uploader.start()
    assert started.wait(120), "no progress came back from the ingest"
    children = _ingest_children()
    assert children, "the upload was not ingested in a child process"
    for pid in children:
        os.kill(pid, signal.SIGSTOP)
    try:
        answered: dict = {}
        asker = threading.Thread(target=lambda: answered.update(a=fresh_kg.ask(QUESTION)), daemon=True)
        asker.start()
        asker.join(timeout=120)  # a hang guard: the frozen ingest must not hold the question
        assert not asker.is_alive() and answered["a"].citations
    finally:
        for pid in children:
            os.kill(pid, signal.SIGCONT)
    uploader.join(timeout=300)
    report, _ = result["out"]
    assert report.documents == 1 and stages
    assert len(read_state(fresh_kg.settings.data_dir).policies) == 2


def test_the_shipped_corpus_is_read_only_from_the_app(fresh_kg, tmp_path):
    from ui.service import AppService

    shipped = fresh_kg.settings.corpus_dir
    shipped.mkdir(parents=True)
    (shipped / "official.txt").write_text(OFFICIAL, encoding="utf-8")
    fresh_kg.ingest([shipped])
    (pid,) = read_state(fresh_kg.settings.data_dir).policies
    with pytest.raises(PermissionError, match="POLICYKG_APP_CORPUS_WRITABLE"):
        AppService(fresh_kg).remove(pid)
    assert pid in read_state(fresh_kg.settings.data_dir).policies
    fresh_kg.settings = fresh_kg.settings.model_copy(update={"app_corpus_writable": True})
    AppService(fresh_kg).remove(pid)
    assert pid not in read_state(fresh_kg.settings.data_dir).policies


def test_the_upload_report_says_a_document_was_kept_apart():
    from rag.model import IngestReport
    from ui.app import _report_md

    flagged = {"id": "sh-2025-33-abc-123456", "title": "上海市加强开源体系建设实施方案", "doc_no": "沪府办〔2025〕33号",
               "sections": 1, "measures": 1, "status": "ingested", "flag": "claims the 文号 of sh-2025-33-abc"}
    assert "未替换原文件" in _report_md(IngestReport(policies=[flagged]))
    assert "未替换原文件" not in _report_md(IngestReport(policies=[{**flagged, "flag": None}]))


def test_the_ingest_report_lists_removed_files_and_documents_kept_apart(capsys):
    from rag.model import IngestReport
    from ui.report import print_ingest_report

    print_ingest_report(IngestReport(removed=1, removed_paths=["/docs/gone.txt"], conflicts=[
        {"path": "/x/notice.md", "id": "sh-1-abc-123456", "claims": "sh-1-abc", "reason": "claims the 文号 …"}]))
    out = capsys.readouterr()
    assert "removed: /docs/gone.txt" in out.out and "kept apart: claims the 文号" in out.err


def test_an_unreachable_graph_server_is_one_line_in_graph_commands(fresh_kg, tmp_path):
    from tests.support.app import free_port
    from tests.support.reliability import cli_env, run_cli

    data_dir = _ingested(fresh_kg, tmp_path)
    env = cli_env(data_dir, POLICYKG_GRAPH_URL=f"bolt://127.0.0.1:{free_port()}")
    for args in (("graph", "stats"), ("graph", "query", "MATCH (n) RETURN count(n) AS n")):
        done = run_cli(data_dir, *args, env=env)
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-1500:]
        assert done.stderr.strip().startswith("error:") and len(done.stderr.strip().splitlines()) == 1


def test_a_rebuild_with_a_copy_from_another_folder_keeps_one_policy(fresh_kg, tmp_path):
    """A rebuild reads every policy again from its own source: the same file in another folder is
    still the same document, not a second one kept apart under a new id."""
    docs, other = _official_and_elsewhere(tmp_path)
    (other / "official.txt").write_text(OFFICIAL, encoding="utf-8")
    fresh_kg.ingest([docs])
    report = fresh_kg.ingest([other], rebuild=True)
    state = read_state(fresh_kg.settings.data_dir)
    assert len(state.policies) == 1 and not report.conflicts
    assert any("same content" in s["reason"] for s in report.skipped)


def test_a_rebuild_lets_a_copy_take_the_place_of_a_source_that_is_gone(fresh_kg, tmp_path):
    docs, other = _official_and_elsewhere(tmp_path)
    (other / "official.txt").write_text(OFFICIAL, encoding="utf-8")
    fresh_kg.ingest([docs])
    (docs / "official.txt").unlink()
    fresh_kg.ingest([other], rebuild=True)
    records = list(read_state(fresh_kg.settings.data_dir).policies.values())
    assert [Path(r.path).parent.name for r in records] == ["elsewhere"]


def test_ingest_reports_each_stage_in_order_graph_writes_included(fresh_kg, tmp_path):
    """The app's upload progress names the stage: reading, writing the graph, building the index."""
    docs, _ = _official_and_elsewhere(tmp_path)
    seen: list[tuple[str, int, int]] = []
    fresh_kg.ingest([docs], progress=lambda stage, done, total: seen.append((stage, done, total)))
    stages = list(dict.fromkeys(s for s, _, _ in seen))
    assert stages.index("graph") < stages.index("index")
    assert ("graph", 1, 1) in seen
