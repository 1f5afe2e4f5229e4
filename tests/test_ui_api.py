"""Every API endpoint of the served app, called with gradio_client (and plain HTTP) as a program would."""

from __future__ import annotations

import json
import stat
import urllib.error
import urllib.request
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

from tests.support.app import CORPUS, UPLOAD_LIMIT_MB, listening_addresses, start_app

ENDPOINTS = (
    "/ask",
    "/match_support",
    "/compare_targets",
    "/list_policies",
    "/policy_outline",
    "/department_duties",
    "/vocabulary",
    "/graph_stats",
    "/upload_policy",
    "/remove_policy",
    "/replace_policy",
)
DEPARTMENT_QUESTION = "“防范开源供应链风险”由哪些部门负责？"
POLICY_TEXT = """{title}

一、总体要求

到2027年，培育数据服务企业50家，建成数据交易平台2个。

二、主要措施

（一）建设数据交易平台。支持企业建设数据交易平台，对符合条件的项目给予最高200万元补贴。（责任单位：市发展改革委、市经济信息化委）

（二）培育数据人才。对引进的数据领域高层次人才给予奖励。（责任单位：市人力资源社会保障局）
"""


@pytest.fixture(scope="module")
def client(ui_app) -> Client:
    return Client(ui_app.url, verbose=False, headers=ui_app.write_headers)


def write_policy(folder: Path, name: str, title: str) -> Path:
    path = folder / name
    path.write_text(POLICY_TEXT.format(title=title), encoding="utf-8")
    return path


def corpus_policy_count() -> int:
    return sum(1 for p in CORPUS.iterdir() if p.suffix in (".txt", ".md", ".pdf"))


def test_every_endpoint_has_its_stable_name(client):
    named = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    assert set(ENDPOINTS) <= set(named)


def test_server_listens_on_loopback_only(ui_app):
    addresses = listening_addresses(ui_app.port)
    assert addresses and addresses <= {"127.0.0.1", "::1", "::ffff:127.0.0.1"}


def test_ask_names_the_responsible_departments_with_quoted_clauses(client):
    answer = client.predict(DEPARTMENT_QUESTION, api_name="/ask")
    assert answer["question"] == DEPARTMENT_QUESTION and not answer["abstained"]
    joined = " ".join(answer["departments"]) + answer["answer"]
    assert "经济" in joined and "信息化" in joined
    assert "网信" in joined or "网络安全和信息化" in joined
    assert answer["citations"] and all(c["quote"] for c in answer["citations"])
    assert any("供应链" in c["quote"] or "供应链" in c["measure"] for c in answer["citations"])


def test_ask_follows_up_on_history_and_keeps_to_a_scope(client):
    first = client.predict(DEPARTMENT_QUESTION, api_name="/ask")
    follow = client.predict("这份文件的有效期到什么时候？", [first], None, api_name="/ask_in_context")
    assert follow["citations"] and all(c["doc_no"] == "沪府办〔2025〕33号" for c in follow["citations"])
    scoped = client.predict(
        "有哪些支持企业的政策？", None, {"document": "沪经信软〔2025〕160号"}, api_name="/ask_in_context"
    )
    assert scoped["citations"] and all(c["doc_no"] == "沪经信软〔2025〕160号" for c in scoped["citations"])


def test_ask_rejects_an_empty_question(client):
    with pytest.raises(Exception, match="empty"):
        client.predict("   ", api_name="/ask")


def test_list_policies_and_outline(client):
    policies = client.predict(api_name="/list_policies")
    assert len(policies) >= corpus_policy_count()
    assert all(p["id"] and p["title"] for p in policies)
    outline = client.predict(policies[0]["id"], api_name="/policy_outline")
    assert outline["title"] == policies[0]["title"] and outline["measures"]
    assert any(
        m.get("departments")
        for p in policies[:3]
        for m in client.predict(p["id"], api_name="/policy_outline")["measures"]
    )
    with pytest.raises(Exception, match="no-such-policy"):
        client.predict("no-such-policy", api_name="/policy_outline")


def test_vocabulary_and_stats_describe_the_ingested_corpus(client):
    vocab = client.predict(api_name="/vocabulary")
    assert set(vocab) == {"cities", "beneficiaries", "topics", "kinds", "departments"}
    policies = client.predict(api_name="/list_policies")
    assert {p["city"] for p in policies if p.get("city")} <= set(vocab["cities"])
    assert vocab["departments"] and vocab["kinds"]
    stats = client.predict(api_name="/graph_stats")
    assert stats["nodes"].get("Policy") == len(policies)


def test_match_support_filters_by_city(client):
    everything = client.predict(api_name="/match_support")
    assert everything and all(r["quote"] for r in everything)
    city = everything[0]["city"]
    in_city = client.predict(city=city, api_name="/match_support")
    assert in_city and all(r["city"] == city for r in in_city)
    assert len(in_city) <= len(everything)
    kind = everything[0]["kind"]
    of_kind = client.predict(kind=kind, api_name="/match_support")
    assert of_kind and all(r["kind"] == kind for r in of_kind)


def test_compare_targets_side_by_side(client):
    rows = client.predict(api_name="/compare_targets")
    cities = sorted({r["city"] for r in rows if r.get("city")})
    assert len(cities) >= 2 and all(isinstance(r["value"], int | float) for r in rows)
    some = client.predict(cities=cities[:2], api_name="/compare_targets")
    assert some and {r["city"] for r in some} <= set(cities[:2])


def test_department_duties_resolve_a_short_name(client):
    rows = client.predict("市教委", api_name="/department_duties")
    assert rows and all(r["quote"] for r in rows)
    assert all("教育" in r["department"] or "教委" in r["department"] for r in rows)


def test_upload_outline_and_remove_round_trip(client, ui_app, tmp_path):
    src = write_policy(tmp_path, "数据要素措施.txt", "测试市促进数据要素发展若干措施")
    status, outline_html, report = client.predict([handle_file(str(src))], api_name="/upload_policy")
    assert report["documents"] == 1 and not report["skipped"], status
    policy = report["policies"][0]
    assert policy["measures"] >= 2 and "已入库" in status
    assert "建设数据交易平台" in outline_html
    (stored,) = (ui_app.data_dir / "uploads").rglob(src.name)  # uploads/<content hash>/<name>
    assert stored.read_text(encoding="utf-8") == src.read_text(encoding="utf-8")
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert policy["id"] in {p["id"] for p in client.predict(api_name="/list_policies")}

    removed = client.predict(policy["id"], api_name="/remove_policy")
    assert removed["removed"] == 1
    assert policy["id"] not in {p["id"] for p in client.predict(api_name="/list_policies")}
    assert not stored.exists()
    with pytest.raises(Exception, match=policy["id"]):
        client.predict(policy["id"], api_name="/remove_policy")


def test_replacing_a_policy_is_explicit_confirmed_and_needs_the_token(client, ui_app, tmp_path):
    """An upload claiming another policy's title is kept apart; replacing is a separate, confirmed call."""
    title = "测试市数据要素替换测试若干措施"
    _, _, first = client.predict([handle_file(str(write_policy(tmp_path, "original.txt", title)))],
                                 api_name="/upload_policy")
    original = first["policies"][0]["id"]
    claim = tmp_path / "claim.txt"
    claim.write_text(POLICY_TEXT.format(title=title).replace("200万元", "300万元"), encoding="utf-8")
    _, _, second = client.predict([handle_file(str(claim))], api_name="/upload_policy")
    (conflict,) = second["conflicts"]
    assert conflict["claims"] == original and conflict["id"] != original
    both = {p["id"] for p in client.predict(api_name="/list_policies")}
    assert {original, conflict["id"]} <= both

    with pytest.raises(Exception, match="令牌"):
        Client(ui_app.url, verbose=False).predict(conflict["id"], original, True, api_name="/replace_policy")
    with pytest.raises(Exception, match="confirm"):
        client.predict(conflict["id"], original, False, api_name="/replace_policy")
    assert {p["id"] for p in client.predict(api_name="/list_policies")} == both

    report = client.predict(conflict["id"], original, True, api_name="/replace_policy")
    assert report["replaced"] == 1
    after = {p["id"] for p in client.predict(api_name="/list_policies")}
    assert original in after and conflict["id"] not in after and len(after) == len(both) - 1
    outline = client.predict(original, api_name="/policy_outline")
    assert "300万元" in json.dumps(outline, ensure_ascii=False)
    assert not list((ui_app.data_dir / "uploads").rglob("original.txt"))  # the replaced upload is gone

    shipped = next(p for p in client.predict(api_name="/list_policies") if p.get("doc_no"))
    impostor = tmp_path / "impostor.md"
    impostor.write_text(f"---\ndoc_no: {shipped['doc_no']}\ntitle: {shipped['title']}\n---\n"
                        "一、主要任务\n（一）取消全部支持。（责任单位：市财政局）\n", encoding="utf-8")
    _, _, third = client.predict([handle_file(str(impostor))], api_name="/upload_policy")
    (claimed,) = third["conflicts"]
    with pytest.raises(Exception, match="shipped corpus"):
        client.predict(claimed["id"], claimed["claims"], True, api_name="/replace_policy")
    assert shipped["id"] in {p["id"] for p in client.predict(api_name="/list_policies")}
    for pid in (original, claimed["id"]):
        client.predict(pid, api_name="/remove_policy")


def test_an_upload_claiming_several_policies_lists_them_all_and_replaces_only_the_chosen(client, tmp_path):
    """文号 of one policy, title of another: both are offered; the caller picks which to replace."""
    doc_no, numbered, titled = "测政〔2026〕7号", "测试市数据要素冲突测试方案", "测试市数据要素冲突测试若干意见"
    a, b, c = tmp_path / "a.md", tmp_path / "b.txt", tmp_path / "c.md"
    a.write_text(f"---\ndoc_no: {doc_no}\n---\n" + POLICY_TEXT.format(title=numbered), encoding="utf-8")
    b.write_text(POLICY_TEXT.format(title=titled), encoding="utf-8")
    c.write_text(f"---\ndoc_no: {doc_no}\n---\n" + POLICY_TEXT.format(title=titled).replace("200万元", "400万元"),
                 encoding="utf-8")
    ids = []
    for path in (a, b):
        ids.append(client.predict([handle_file(str(path))], api_name="/upload_policy")[2]["policies"][0]["id"])
    _, _, report = client.predict([handle_file(str(c))], api_name="/upload_policy")
    (conflict,) = report["conflicts"]
    assert [(x["id"], x["match"]) for x in conflict["candidates"]] == [(ids[0], "文号"), (ids[1], "title")]
    listed = {p["id"] for p in client.predict(api_name="/list_policies")}
    assert {*ids, conflict["id"]} <= listed  # all three kept until the caller chooses

    with pytest.raises(Exception, match="confirm"):
        client.predict(conflict["id"], [ids[1]], False, api_name="/replace_policy")
    replaced = client.predict(conflict["id"], [ids[1]], True, api_name="/replace_policy")
    assert replaced["replaced"] == 1
    after = {p["id"] for p in client.predict(api_name="/list_policies")}
    assert ids[0] in after and ids[1] in after and conflict["id"] not in after  # it took the chosen one's id
    assert "400万元" in json.dumps(client.predict(ids[1], api_name="/policy_outline"), ensure_ascii=False)
    assert "200万元" in json.dumps(client.predict(ids[0], api_name="/policy_outline"), ensure_ascii=False)
    for pid in ids:
        client.predict(pid, api_name="/remove_policy")


def test_upload_of_a_word_document_is_ingested(client, tmp_path):
    import docx

    d = docx.Document()
    for para in POLICY_TEXT.format(title="测试市促进数据要素发展若干措施（Word）").splitlines():
        if para.strip():
            d.add_paragraph(para)
    src = tmp_path / "数据要素措施.docx"
    d.save(src)
    status, outline_html, report = client.predict([handle_file(str(src))], api_name="/upload_policy")
    assert report["documents"] == 1 and not report["skipped"], status
    assert report["policies"][0]["format"] == "docx" and "建设数据交易平台" in outline_html
    client.predict(report["policies"][0]["id"], api_name="/remove_policy")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00\x03", "不支持的文件类型"),
        ("空文件.txt", b"", "文件为空"),
    ],
)
def test_upload_refuses_unsupported_and_empty_files(client, ui_app, tmp_path, name, content, message):
    src = tmp_path / name
    src.write_bytes(content)
    status, _, report = client.predict([handle_file(str(src))], api_name="/upload_policy")
    assert report["documents"] == 0 and message in report["skipped"][0]["reason"] and message in status
    assert not list((ui_app.data_dir / "uploads").rglob(name))


def test_upload_reports_an_unreadable_file(client, ui_app, tmp_path):
    src = tmp_path / "broken.pdf"
    src.write_bytes(b"%PDF-1.7\n1 0 obj<<>>\n")  # truncated: no pages, no text
    status, _, report = client.predict([handle_file(str(src))], api_name="/upload_policy")
    assert report["documents"] == 0 and report["skipped"] and "broken.pdf" in status
    assert not list((ui_app.data_dir / "uploads").rglob("broken.pdf"))


def test_oversized_upload_is_refused(ui_app, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes("政策".encode() * (UPLOAD_LIMIT_MB * 1024 * 1024 // 6 + 10))
    with open(big, "rb") as fh:
        response = httpx.post(ui_app.url + "gradio_api/upload", files={"files": ("big.txt", fh)}, timeout=60)
    assert response.status_code == 413 and "size" in response.text
    assert not list((ui_app.data_dir / "uploads").rglob("big.txt"))


def test_traversal_names_and_foreign_paths_never_leave_the_uploads_folder(client, ui_app, tmp_path):
    src = write_policy(tmp_path, "p.txt", "测试市路径安全测试实施意见")
    with open(src, "rb") as fh:
        response = httpx.post(
            ui_app.url + "gradio_api/upload",
            timeout=60,
            files={"files": ("../../../../policykg-escape.txt", fh)},
        )
    server_path = response.json()[0]
    _, _, report = client.predict(
        [
            {
                "path": server_path,
                "meta": {"_type": "gradio.FileData"},
                "orig_name": "../../policykg-escape.txt",
            }
        ],
        api_name="/upload_policy",
    )
    stored = list((ui_app.data_dir / "uploads").rglob("*escape*"))
    assert [p.name for p in stored] == ["policykg-escape.txt"]
    assert not (ui_app.data_dir.parent / "policykg-escape.txt").exists()
    for p in report["policies"]:
        client.predict(p["id"], api_name="/remove_policy")

    # A raw HTTP call can name any server file as its input (gradio_client would upload it instead):
    # it is refused, and nothing is stored or ingested.
    outside = write_policy(tmp_path, "secret.txt", "测试市不应入库的文件")
    kind, payload = call_over_http(
        ui_app.url,
        "upload_policy",
        [[{"path": str(outside), "meta": {"_type": "gradio.FileData"}}]],
        headers=ui_app.write_headers,
    )
    if kind == "complete":
        assert payload[2]["documents"] == 0 and "拒绝" in payload[2]["skipped"][0]["reason"]
    else:
        assert kind == "error" and "not uploaded" in payload["error"]
    assert not list((ui_app.data_dir / "uploads").rglob("secret.txt"))
    assert "测试市不应入库的文件" not in {p["title"] for p in client.predict(api_name="/list_policies")}


def call_over_http(base: str, api_name: str, data: list, headers: dict | None = None) -> tuple[str, object]:
    """Gradio's plain REST protocol: POST the inputs, then read the last event (kind, data) of the stream."""
    event = httpx.post(
        f"{base}gradio_api/call/{api_name}", json={"data": data}, timeout=60, headers=headers
    ).json()["event_id"]
    with httpx.stream("GET", f"{base}gradio_api/call/{api_name}/{event}", timeout=300, headers=headers) as stream:
        lines = list(stream.iter_lines())
    kinds = [ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("event:")]
    payloads = [ln.split(":", 1)[1] for ln in lines if ln.startswith("data:")]
    return kinds[-1], json.loads(payloads[-1])


def test_auth_option_requires_a_login(ui_data_dir):
    with start_app(ui_data_dir, "--auth", "clerk", env_extra={"POLICYKG_AUTH_PASSWORD": "s3cret-pass"}) as app:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(app.url + "gradio_api/info", timeout=30)
        assert refused.value.code == 401
        authed = Client(app.url, auth=("clerk", "s3cret-pass"), verbose=False)
        assert json.dumps(authed.predict(api_name="/vocabulary"), ensure_ascii=False).count("cities") == 1
