"""The PolicyKG web app (Gradio): chat with evidence, support matcher, comparison, policy browser,
corpus management; every view is also an HTTP API endpoint with a stable name.

    policykg serve                      # http://127.0.0.1:7860
    build_app(AppService(PolicyKG()))   # the Blocks, for embedding or tests

One PolicyKG serves every session of the process. Nothing is fetched from the internet: fonts are the
theme's bundled ones or the system's, the evidence picture is an inline SVG, charts are images.
"""

import json
import logging
import os
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd
from starlette.middleware import Middleware

from rag.model import Answer
from rag.pipeline import PolicyKG
from ui import render
from ui.charts import targets_figure
from ui.graphsvg import LABEL_ZH, subgraph_svg
from ui.guard import FrontDoor, WriteGuard, WriteRefused, allowed_hosts, new_token, session_forgetter
from ui.service import AppService, close_quietly, report_dict

log = logging.getLogger(__name__)
STATIC = Path(__file__).with_name("static")
ALL = ""  # the value of every "全部" choice: no filter
STAGE_ZH = {"load": "读取文件", "read": "读取文件", "pdf": "读取 PDF 页面", "ocr": "OCR 识别扫描页",
            "graph": "写入知识图谱", "index": "建立检索索引"}
EMPTY_CORPUS = "还没有收录任何政策文件：请先在“文件管理”中上传，或运行 `policykg ingest`。"
HISTORY_LIMIT = 20  # chat messages kept per session
READ_CONCURRENCY = 4
CHAT_PLACEHOLDER = (
    "### 政策问答\n向我提问已收录的政策文件：支持政策、责任部门、发展目标、有效期……"
    "每个回答都附带可展开的原文条款。"
)


# -- small helpers ---------------------------------------------------------------------------------


def _choices(values: list[str], all_label: str = "全部") -> list[tuple[str, str]]:
    return [(all_label, ALL), *((v, v) for v in values)]


def _jsonable(obj: Any) -> Any:
    """Plain JSON types only (dates and other values as strings), for API responses.

    A "path" key becomes "file": Gradio clients take any object with a "path" for a file to download.
    """

    def rename(x: Any) -> Any:
        if isinstance(x, dict):
            return {("file" if k == "path" else k): rename(v) for k, v in x.items()}
        if isinstance(x, list):
            return [rename(v) for v in x]
        return x

    return rename(json.loads(json.dumps(obj, ensure_ascii=False, default=str)))


def _error_text(exc: Exception) -> str:
    return str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)


def _count_md(n: int, what: str) -> str:
    return f"共 **{n}** 条{what}。" if n else f"没有找到符合条件的{what}。"


# -- chat ---------------------------------------------------------------------------------------


def _evidence(answer: Answer | None) -> tuple[str, gr.Dataframe]:
    """The subgraph picture and the facts table; a drawing problem never costs the user the answer."""
    try:
        svg = subgraph_svg(answer.subgraph) if answer else ""
    except Exception:
        log.exception("subgraph drawing failed")
        svg = ""
    html = (
        f'<div class="pkg-svg-wrap">{svg}</div>'
        if svg
        else '<p class="pkg-muted">本回答没有使用图谱事实。</p>'
        if answer
        else ""
    )
    facts = render.facts_frame(answer)
    return html, gr.Dataframe(value=facts, visible=not facts.empty)


def make_chat(service: AppService):
    def chat(question: str, history: list[dict] | None):
        """Stream one answer: a status line at once, then the answer as it is written out, then sources."""
        history = list(history or [])[-HISTORY_LIMIT:]
        question = (question or "").strip()
        if not question:
            gr.Warning("请输入问题。")
            yield history, "", gr.skip(), gr.skip()
            return
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": "*正在检索政策条款……*"},
        ]
        yield history, "", gr.skip(), gr.skip()
        try:
            answer = service.ask(question)
        except Exception as exc:
            log.exception("ask failed")
            message = _error_text(exc) if service.policies() else EMPTY_CORPUS
            history[-1] = {"role": "assistant", "content": f"**出错了**：{message}"}
            yield history, "", *_evidence(None)
            return
        head = "\n\n".join(render.notices(answer))
        for piece in render.stream_pieces(answer.answer.strip()):
            history[-1] = {"role": "assistant", "content": "\n\n".join(x for x in (head, piece) if x)}
            yield history, "", gr.skip(), gr.skip()
        history[-1] = {"role": "assistant", "content": render.answer_markdown(answer)}
        yield history, "", *_evidence(answer)

    return chat


def chat_tab(service: AppService) -> None:
    examples = service.examples()
    with gr.Row(equal_height=False):
        with gr.Column(scale=7, min_width=420):
            chatbot = gr.Chatbot(
                label="对话",
                height=540,
                elem_id="pkg-chat",
                placeholder=CHAT_PLACEHOLDER,
                buttons=["copy", "copy_all"],
                feedback_options=None,
                layout="bubble",
            )
            with gr.Row():
                question = gr.Textbox(
                    placeholder="输入问题，按回车提问，例如：某项措施由哪些部门负责？",
                    show_label=False,
                    scale=6,
                    lines=1,
                    max_lines=4,
                    elem_id="pkg-question",
                    autofocus=True,
                )
                send = gr.Button("提问", variant="primary", scale=1, min_width=80, elem_id="pkg-send")
                clear = gr.Button("清空", scale=1, min_width=60)
        with gr.Column(scale=3, min_width=260, elem_classes="pkg-examples"):
            gr.Markdown("#### 常见问题")
            for label, qs in examples.items():
                gr.Examples(
                    examples=[[q] for q in qs], inputs=[question], label=f"{label}常问", examples_per_page=5
                )
    with gr.Accordion("证据：本回答使用的图谱子图与事实", open=True, elem_id="pkg-evidence-box"):
        graph = gr.HTML(
            '<p class="pkg-muted">提问后，这里显示回答所依据的政策 → 措施 → 部门 / 支持 / 目标。</p>',
            elem_id="pkg-evidence",
        )
        facts = gr.Dataframe(
            elem_id="pkg-facts",
            interactive=False,
            elem_classes="pkg-table",
            wrap=True,
            max_height=360,
            show_label=False,
            visible=False,
        )
    chat = make_chat(service)
    outputs = [chatbot, question, graph, facts]
    for trigger in (question.submit, send.click):
        trigger(
            chat,
            [question, chatbot],
            outputs,
            api_visibility="private",
            concurrency_limit=READ_CONCURRENCY,
            concurrency_id="ask",
        )
    clear.click(lambda: ([], "", "", gr.Dataframe(visible=False)), None, outputs, api_visibility="private")


# -- support matcher ----------------------------------------------------------------------------------


def support_tab(service: AppService, vocab: dict[str, list[str]]) -> list[gr.Dropdown]:
    gr.Markdown("按城市、申请主体、领域和支持方式查找政策中的每一项支持措施。")
    with gr.Row():
        city = gr.Dropdown(_choices(vocab["cities"]), value=ALL, label="城市", elem_id="pkg-sup-city")
        who = gr.Dropdown(
            _choices(vocab["beneficiaries"]), value=ALL, label="申请主体", elem_id="pkg-sup-who"
        )
        topic = gr.Dropdown(_choices(vocab["topics"]), value=ALL, label="领域", elem_id="pkg-sup-topic")
        kind = gr.Dropdown(_choices(vocab["kinds"]), value=ALL, label="支持方式", elem_id="pkg-sup-kind")
    with gr.Row():
        search = gr.Button("查找支持政策", variant="primary", elem_id="pkg-sup-run")
        export = gr.DownloadButton("导出 CSV", value=None, interactive=False, elem_id="pkg-sup-csv")
    summary = gr.Markdown(elem_id="pkg-sup-summary")
    table = gr.Dataframe(
        render.frame([], render.SUPPORT_COLUMNS),
        interactive=False,
        elem_classes="pkg-table",
        wrap=True,
        show_search="filter",
        max_height=620,
        elem_id="pkg-sup-table",
        show_label=False,
    )

    def run(c: str, b: str, t: str, k: str):
        try:
            rows = service.match_support(c, b, t, k)
        except Exception as exc:
            raise gr.Error(f"查询失败：{_error_text(exc)}") from exc
        path = render.write_csv(rows, render.SUPPORT_COLUMNS, "support")
        return (
            render.frame(rows, render.SUPPORT_COLUMNS),
            gr.DownloadButton(value=path, interactive=bool(path)),
            _count_md(len(rows), "支持措施"),
        )

    search.click(
        run,
        [city, who, topic, kind],
        [table, export, summary],
        api_visibility="private",
        concurrency_limit=READ_CONCURRENCY,
        concurrency_id="read",
    )
    return [city, who, topic, kind]


# -- comparison ---------------------------------------------------------------------------------------


def _support_pivot(rows: list[dict]) -> pd.DataFrame:
    counts = Counter((r.get("city") or "—", r.get("kind") or "—") for r in rows)
    if not counts:
        return pd.DataFrame()
    table = pd.Series(counts).unstack(fill_value=0)
    table.index.name = "城市"
    return table.reset_index()


def compare_tab(service: AppService, vocab: dict[str, list[str]]) -> list[gr.Dropdown]:
    gr.Markdown("各城市政策中的量化目标与支持措施并排比较。")
    with gr.Row():
        cities = gr.Dropdown(
            vocab["cities"], value=[], multiselect=True, label="城市（不选即全部）", elem_id="pkg-cmp-cities"
        )
        topic = gr.Dropdown(_choices(vocab["topics"]), value=ALL, label="领域", elem_id="pkg-cmp-topic")
    with gr.Row():
        run_btn = gr.Button("比较", variant="primary", elem_id="pkg-cmp-run")
        export = gr.DownloadButton("导出 CSV", value=None, interactive=False, elem_id="pkg-cmp-csv")
    summary = gr.Markdown(elem_id="pkg-cmp-summary")
    table = gr.Dataframe(
        render.frame([], render.TARGET_COLUMNS),
        interactive=False,
        elem_classes="pkg-table",
        wrap=True,
        show_search="filter",
        max_height=520,
        elem_id="pkg-cmp-table",
        show_label=False,
    )
    chart = gr.Plot(label="目标对比图", show_label=False, elem_id="pkg-cmp-chart")
    gr.Markdown("#### 支持措施数量（城市 × 支持方式）")
    pivot = gr.Dataframe(
        pd.DataFrame(columns=["城市"]),
        interactive=False,
        elem_classes="pkg-table",
        elem_id="pkg-cmp-pivot",
        show_label=False,
    )

    def run(cs: list[str], t: str):
        try:
            rows = service.compare_targets(cs, t)
            support = [r for r in service.match_support(topic=t) if not cs or r.get("city") in cs]
        except Exception as exc:
            raise gr.Error(f"查询失败：{_error_text(exc)}") from exc
        rows = sorted(
            rows, key=lambda r: (str(r.get("metric") or ""), str(r.get("city") or ""), r.get("year") or 0)
        )
        path = render.write_csv(rows, render.TARGET_COLUMNS, "targets")
        return (
            render.frame(rows, render.TARGET_COLUMNS),
            targets_figure(rows),
            gr.DownloadButton(value=path, interactive=bool(path)),
            _support_pivot(support),
            _count_md(len(rows), "量化目标"),
        )

    run_btn.click(
        run,
        [cities, topic],
        [table, chart, export, pivot, summary],
        api_visibility="private",
        concurrency_limit=READ_CONCURRENCY,
        concurrency_id="read",
    )
    return [cities, topic]


# -- policy browser -------------------------------------------------------------------------------------


def _policy_choices(policies: list[dict]) -> list[tuple[str, str]]:
    return [(f"{p.get('title') or p['id']}（{p.get('doc_no') or '无文号'}）", p["id"]) for p in policies]


def _outline_or_message(service: AppService, policy_id: str | None) -> str:
    if not policy_id:
        return ""
    try:
        return render.outline_html(service.outline(policy_id))
    except Exception as exc:
        return f'<p class="pkg-error">无法读取该政策：{escape(_error_text(exc))}</p>'


def browse_tab(service: AppService, vocab: dict[str, list[str]], policies: list[dict]):
    table = gr.Dataframe(
        render.frame(policies, render.POLICY_COLUMNS),
        interactive=False,
        elem_classes="pkg-table",
        wrap=True,
        label="已收录政策",
        elem_id="pkg-policies",
    )
    with gr.Row(equal_height=False):
        with gr.Column(scale=3):
            first = policies[0]["id"] if policies else None
            pick = gr.Dropdown(
                _policy_choices(policies), value=first, label="查看政策结构", elem_id="pkg-browse-pick"
            )
            outline = gr.HTML(_outline_or_message(service, first), elem_id="pkg-browse-outline")
        with gr.Column(scale=2):
            gr.Markdown("#### 按部门查询职责")
            dept = gr.Dropdown(
                vocab["departments"],
                value=None,
                allow_custom_value=True,
                filterable=True,
                label="部门（可输入简称，如 市教委）",
                elem_id="pkg-dept-name",
            )
            dept_city = gr.Dropdown(
                _choices(vocab["cities"]), value=ALL, label="城市", elem_id="pkg-dept-city"
            )
            dept_btn = gr.Button("查询职责", variant="primary", elem_id="pkg-dept-run")
            dept_summary = gr.Markdown()
            duties = gr.Dataframe(
                render.frame([], render.DUTY_COLUMNS),
                interactive=False,
                elem_classes="pkg-table",
                wrap=True,
                show_label=False,
                elem_id="pkg-dept-table",
                max_height=520,
            )

    def run_duties(name: str | None, city: str):
        if not (name or "").strip():
            raise gr.Error("请选择或输入部门名称。")
        rows = service.department_duties(name, city)
        return render.frame(rows, render.DUTY_COLUMNS), _count_md(len(rows), "职责条款")

    pick.change(lambda pid: _outline_or_message(service, pid), [pick], [outline], api_visibility="private")
    dept_btn.click(
        run_duties,
        [dept, dept_city],
        [duties, dept_summary],
        api_visibility="private",
        concurrency_limit=READ_CONCURRENCY,
        concurrency_id="read",
    )
    return table, pick, dept, dept_city


# -- corpus management ---------------------------------------------------------------------------------


def _stats_md(stats: dict[str, dict[str, int]]) -> str:
    nodes = "、".join(f"{LABEL_ZH.get(k, k)} {v}" for k, v in sorted(stats.get("nodes", {}).items())) or "空"
    rels = "、".join(f"{k} {v}" for k, v in sorted(stats.get("relationships", {}).items())) or "空"
    return f"**图谱节点**：{nodes}\n\n**关系**：{rels}"


def _report_md(report) -> str:
    lines = []
    for p in report.policies:
        status = "未变化" if p.get("status") == "unchanged" else "已入库"
        lines.append(
            f"- **{status}**：{p.get('title') or p.get('id')}（{p.get('doc_no') or '无文号'}），"
            f"{p.get('sections', 0)} 个章节、{p.get('measures', 0)} 条措施"
        )
        if p.get("flag"):  # it claims another document's 文号 or title: kept apart, not a replacement
            lines.append("  - ⚠ 与已收录文件的文号或标题相同，已单独收录并标记，未替换原文件。")
    lines += [f"- **未能读取** {Path(str(s.get('path'))).name}：{s.get('reason')}" for s in report.skipped]
    return "\n".join(lines) or "没有文件被处理。"


def _split_uploaded(files: list[str]) -> tuple[list[str], list[dict]]:
    """Keep files that arrived through Gradio's upload route; refuse paths naming other server files
    (an API client can send any path as a file reference)."""
    root = Path(gr.utils.get_upload_folder()).resolve()
    ok = [f for f in files if Path(f).resolve().is_relative_to(root)]
    refused = [
        {"path": Path(f).name, "reason": "文件不是通过上传得到的，已拒绝。"} for f in files if f not in ok
    ]
    return ok, refused


def _require_write(service: AppService, request: gr.Request | None) -> None:
    """Writes need a login or the write token (ui/guard.py); refused with the way to authenticate."""
    try:
        service.guard.check(request)
    except WriteRefused as exc:
        raise gr.Error(str(exc)) from exc


def make_upload(service: AppService):
    def upload_policy(
        files: list[str] | str | None,
        request: gr.Request,
        progress=gr.Progress(),  # noqa: B008
    ) -> tuple[str, str, dict]:
        """Store and ingest uploaded policy files (.txt .md .pdf .docx .html); report, outline and skipped files."""
        _require_write(service, request)
        files = [files] if isinstance(files, str) else list(files or [])
        if not files:
            raise gr.Error("请先选择要上传的政策文件（.txt / .md / .pdf / .docx / .html）。")

        def on_progress(stage: str, done: int, total: int) -> None:
            if total:
                progress((done, total), desc=STAGE_ZH.get(stage, stage), unit="项")

        progress(0, desc="校验文件")
        uploaded, foreign = _split_uploaded(files)
        try:
            report, outlines = service.upload(uploaded, on_progress, refused=foreign)
        except Exception as exc:
            log.exception("upload failed")
            raise gr.Error(f"入库失败：{_error_text(exc)}") from exc
        outline = "".join(render.outline_html(o) for o in outlines)
        return _report_md(report), outline, _jsonable(report_dict(report))

    return upload_policy


def corpus_tab(service: AppService, policies: list[dict]):
    mb = service.settings.max_upload_mb
    with gr.Row(equal_height=False):
        with gr.Column(scale=2):
            files = gr.File(
                label=f"上传政策文件（.txt / .md / .pdf / .docx / .html，扫描件自动识别，单个不超过 {mb} MB）",
                file_count="multiple",
                type="filepath",
                elem_id="pkg-upload",
            )
            upload_btn = gr.Button("上传并入库", variant="primary", elem_id="pkg-upload-run")
            status = gr.Markdown(elem_id="pkg-upload-status")
            report_json = gr.JSON(visible=False)
            gr.Markdown("#### 删除政策")
            with gr.Row():
                victim = gr.Dropdown(
                    _policy_choices(policies),
                    value=None,
                    label="选择政策",
                    scale=4,
                    elem_id="pkg-remove-pick",
                )
                remove_btn = gr.Button(
                    "删除", variant="stop", scale=1, min_width=70, elem_id="pkg-remove-run"
                )
            remove_status = gr.Markdown(elem_id="pkg-remove-status")
            stats = gr.Markdown(_stats_md(service.graph_stats()), elem_id="pkg-stats")
        with gr.Column(scale=3):
            gr.Markdown("#### 识别出的文件结构")
            outline = gr.HTML(elem_id="pkg-upload-outline")
    upload = upload_btn.click(
        make_upload(service),
        [files],
        [status, outline, report_json],
        api_name="upload_policy",
        concurrency_limit=1,
        concurrency_id="write",
    )

    def remove(pid: str | None, request: gr.Request) -> str:
        _require_write(service, request)
        if not pid:
            raise gr.Error("请选择要删除的政策。")
        try:
            service.remove(pid)
        except Exception as exc:
            raise gr.Error(f"删除失败：{_error_text(exc)}") from exc
        return f"已删除：{pid}"

    removal = remove_btn.click(
        remove,
        [victim],
        [remove_status],
        api_visibility="private",
        concurrency_limit=1,
        concurrency_id="write",
    )
    return upload, removal, victim, stats


# -- API-only endpoints ------------------------------------------------------------------------------


def register_api(service: AppService) -> None:
    """JSON endpoints with stable names, for programs (gradio_client or plain HTTP)."""

    def ask(question: str) -> dict:
        """Answer a question: markdown answer, departments, citations, graph facts, subgraph."""
        if not (question or "").strip():
            raise gr.Error("question is empty")
        return _jsonable(service.ask(question).to_json())

    def match_support(
        city: str | None = None,
        beneficiary: str | None = None,
        topic: str | None = None,
        kind: str | None = None,
    ) -> list[dict]:
        """Support items matching every given filter (city, beneficiary, topic, support kind)."""
        return _jsonable([render.normalise(r) for r in service.match_support(city, beneficiary, topic, kind)])

    def compare_targets(cities: list[str] | None = None, topic: str | None = None) -> list[dict]:
        """Quantified targets by city and year, optionally for some cities or one topic."""
        return _jsonable([render.normalise(r) for r in service.compare_targets(cities, topic)])

    def list_policies() -> list[dict]:
        """Every ingested policy with its metadata."""
        return _jsonable(service.policies())

    def policy_outline(policy_id: str) -> dict:
        """A policy's metadata and its measures in order, each with its departments."""
        try:
            return _jsonable(service.outline(policy_id))
        except KeyError as exc:
            raise gr.Error(_error_text(exc)) from exc

    def department_duties(name: str, city: str | None = None) -> list[dict]:
        """The measures a department is responsible for (aliases such as 市教委 are resolved)."""
        return _jsonable([render.normalise(r) for r in service.department_duties(name, city)])

    def vocabulary() -> dict:
        """Filter choices: cities, beneficiaries, topics, kinds, departments."""
        return service.vocabulary()

    def graph_stats() -> dict:
        """Node counts by label and relationship counts by type."""
        return _jsonable(service.graph_stats())

    def remove_policy(policy_id: str, request: gr.Request) -> dict:
        """Remove one policy (its subgraph, chunks and uploaded file)."""
        _require_write(service, request)
        try:
            return _jsonable(report_dict(service.remove(policy_id)))
        except (KeyError, PermissionError) as exc:
            raise gr.Error(_error_text(exc)) from exc

    reads = (
        ask,
        match_support,
        compare_targets,
        list_policies,
        policy_outline,
        department_duties,
        vocabulary,
        graph_stats,
    )
    for fn in reads:
        gr.api(fn, api_name=fn.__name__, concurrency_limit=READ_CONCURRENCY, concurrency_id="ask")
    gr.api(remove_policy, api_name="remove_policy", concurrency_limit=1, concurrency_id="write")


# -- the app ----------------------------------------------------------------------------------------


def build_app(service: AppService) -> gr.Blocks:
    """All tabs wired to one service; filter choices and lists refresh on page load and after writes."""
    vocab = service.vocabulary()
    policies = service.policies()
    with gr.Blocks(title="PolicyKG 政策问答", analytics_enabled=False) as demo:
        gr.HTML(
            '<div class="pkg-header"><span class="pkg-logo">PolicyKG</span>'
            '<span class="pkg-sub">政策知识图谱问答 · 条款级引用</span></div>'
        )
        with gr.Tabs():
            with gr.Tab("政策问答", id="chat"):
                chat_tab(service)
            with gr.Tab("支持政策匹配", id="support"):
                support_dd = support_tab(service, vocab)
            with gr.Tab("城市对比", id="compare"):
                compare_dd = compare_tab(service, vocab)
            with gr.Tab("政策浏览", id="browse"):
                policy_table, pick, dept, dept_city = browse_tab(service, vocab, policies)
            with gr.Tab("文件管理", id="corpus"):
                upload, removal, victim, stats = corpus_tab(service, policies)
        register_api(service)

        def refresh():
            v = service.vocabulary()
            ps = service.policies()
            pc = _policy_choices(ps)
            return (
                gr.Dropdown(choices=_choices(v["cities"])),
                gr.Dropdown(choices=_choices(v["beneficiaries"])),
                gr.Dropdown(choices=_choices(v["topics"])),
                gr.Dropdown(choices=_choices(v["kinds"])),
                gr.Dropdown(choices=v["cities"]),
                gr.Dropdown(choices=_choices(v["topics"])),
                render.frame(ps, render.POLICY_COLUMNS),
                gr.Dropdown(choices=pc),
                gr.Dropdown(choices=v["departments"]),
                gr.Dropdown(choices=_choices(v["cities"])),
                gr.Dropdown(choices=pc, value=None),
                _stats_md(service.graph_stats()),
            )

        targets = [*support_dd, *compare_dd, policy_table, pick, dept, dept_city, victim, stats]
        for event in (upload, removal):
            event.then(refresh, None, targets, api_visibility="private")
        demo.load(refresh, None, targets, api_visibility="private")
    return demo


def _auth(user: str | None, password: str | None) -> tuple[str, str] | None:
    """The login, from a user name and a password that came from the environment or a file."""
    if not user:
        return None
    if ":" in user:
        raise ValueError(
            "give only the user name to --auth; the password comes from POLICYKG_AUTH_PASSWORD or "
            "--password-file (a password on the command line is visible to every local user)"
        )
    if not password:
        raise ValueError(f"--auth {user}: set POLICYKG_AUTH_PASSWORD or give --password-file")
    return user, password


def _warm_up(service: AppService) -> None:
    """Load models and indexes before the app reports ready, so the first answer is as fast as the rest
    (everything that depends only on the corpus was built at ingest; this only loads it)."""
    try:
        service.ask("政策")
    except Exception as exc:  # nothing ingested yet, or the store is down: the app still serves
        log.info("warm-up skipped: %s", exc)


def launch(
    host: str | None = None,
    port: int | None = None,
    share: bool = False,
    auth_user: str | None = None,
    auth_password: str | None = None,
) -> None:
    """Serve the app (127.0.0.1:7860 unless told otherwise); blocks until interrupted.

    Writes need authentication: the login when `auth_user` is given, else the write token (set in
    POLICYKG_WRITE_TOKEN, or generated here and printed once)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    # Gradio keeps a record of the last N events (10,000 by default) and summarises them at every
    # event: ~1 KB and a pass over the records per request until N is reached. 1,000 bounds both.
    os.environ.setdefault("GRADIO_ANALYTICS_MAX_EVENTS", "1000")
    kg = PolicyKG()
    settings = kg.settings
    service = AppService(kg)
    try:
        credentials = _auth(auth_user, auth_password)
    except ValueError as exc:
        raise SystemExit(f"error: {exc}") from exc
    bind = host or settings.host
    port = port or settings.port
    token = None if credentials else (settings.write_token or new_token())
    service.guard = WriteGuard(token=token, login_required=bool(credentials))
    demo = build_app(service)
    if token:
        print(
            f"Uploads and removals need the write token. Open http://{_url_host(bind)}:{port}/?token={token}\n"
            f"in your browser, or send the header 'Authorization: Bearer {token}'.",
            flush=True,
        )
    front_door = Middleware(
        FrontDoor,
        hosts=allowed_hosts(bind, settings.allowed_hosts),
        token=token,
        forget_session=session_forgetter(demo),
    )
    _warm_up(service)  # indexes, linker and models load before the port opens: ready means ready
    demo.queue(default_concurrency_limit=READ_CONCURRENCY)
    try:
        demo.launch(
            server_name=bind,
            server_port=port,
            share=share,
            auth=credentials,
            auth_message="PolicyKG：请登录" if credentials else None,
            max_file_size=f"{settings.max_upload_mb}mb",
            theme=theme(),
            css_paths=[STATIC / "app.css"],
            footer_links=["api"],
            show_error=True,
            ssr_mode=False,
            mcp_server=False,
            app_kwargs={"middleware": [front_door]},
        )
    finally:
        close_quietly(kg)


def _url_host(bind: str) -> str:
    """The address to print in a link: loopback for an all-interfaces bind, brackets for IPv6."""
    if bind in ("0.0.0.0", "::", ""):
        return "127.0.0.1"
    return f"[{bind}]" if ":" in bind else bind


def theme() -> gr.themes.Base:
    """The bundled Soft theme with system CJK fonts first (nothing is downloaded)."""
    return gr.themes.Soft(
        primary_hue="blue",
        secondary_hue="slate",
        neutral_hue="slate",
        font=[
            "PingFang SC",
            "Microsoft YaHei",
            "Noto Sans CJK SC",
            "WenQuanYi Zen Hei",
            gr.themes.LocalFont("Montserrat"),
            "sans-serif",
        ],
    )
