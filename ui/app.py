"""The PolicyKG web app (Gradio): chat with evidence, support matcher, comparison, policy browser,
corpus management; every view is also an HTTP API endpoint with a stable name.

    policykg serve                      # http://127.0.0.1:7860
    build_app(AppService(PolicyKG()))   # the Blocks, for embedding or tests

One PolicyKG serves every session of the process. Nothing is fetched from the internet: fonts are the
theme's bundled ones or the system's, the evidence picture is an inline SVG driven by the app's own
script (ui/static/app.js), charts are HTML bars.
"""

import json
import logging
import os
import re
from collections import Counter
from dataclasses import asdict
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd
from starlette.middleware import Middleware

from rag.model import Answer
from rag.pipeline import PolicyKG
from ui import render
from ui.charts import targets_chart_html
from ui.graphsvg import LABEL_ZH, REL_ZH, evidence_html, supporting
from ui.guard import FrontDoor, WriteGuard, WriteRefused, allowed_hosts, new_token, session_forgetter
from ui.memory import bound_gradio_event_record, limit_malloc_arenas
from ui.service import AppService, Scope, Turn, close_quietly, jurisdiction, report_dict, validity

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

NEW_CHAT = {"messages": [], "turns": []}
GRAPH_HINT = '<p class="pkg-muted">提问后，这里显示支撑回答的政策 → 措施 → 部门 / 支持 / 目标。</p>'


def _warn(message: str) -> None:
    gr.Warning(message, title="提示")


def _fail(message: str) -> gr.Error:
    return gr.Error(message, title="出错了")


def _evidence(service: AppService, answer: Answer | None) -> tuple[str, str, dict | None]:
    """The evidence picture (only the nodes that carry the answer, with their stored properties) and
    the facts table; a drawing problem never costs the user the answer."""
    if answer is None:
        return "", "", None
    sub = supporting(answer.subgraph or {}, [c.measure_id for c in answer.citations])
    try:
        props = service.node_properties([n["id"] for n in sub["nodes"]])
        sub = {**sub, "nodes": [{**props.get(str(n["id"]), {}), **n} for n in sub["nodes"]]}
        html = evidence_html(sub, expandable=answer.graph_available)
    except Exception:
        log.exception("subgraph drawing failed")
        html = ""
    html = html or '<p class="pkg-muted">本回答没有使用图谱事实。</p>'
    facts = render.table_html(answer.facts, render.FACT_COLUMNS, "pkg-facts")
    return html, facts, sub


def _scope(jurisdictions: list[str] | None, policy_ids: list[str] | None, in_force: bool) -> Scope:
    return Scope(list(jurisdictions or []), list(policy_ids or []), bool(in_force))


def _scope_note(scope: Scope, titles: dict[str, str]) -> str:
    parts = []
    if scope.jurisdictions:
        parts.append("地区：" + "、".join(scope.jurisdictions))
    if scope.policy_ids:
        parts.append("文件：" + "、".join(f"《{titles.get(p, p)}》" for p in scope.policy_ids))
    if scope.in_force_only:
        parts.append("仅现行有效")
    return "；".join(parts)


def _turns(convo: dict | None) -> list[Turn]:
    return [Turn(**t) for t in (convo or {}).get("turns", [])][-HISTORY_LIMIT:]


def make_chat(service: AppService):
    def chat(question: str, history: list[dict] | None, convo: dict | None, jur, docs, in_force):
        """Stream one answer: a status line at once, then the answer as it is written out, then sources,
        evidence and the export files; the conversation is kept in the browser."""
        history = list(history or [])[-HISTORY_LIMIT:]
        convo = dict(convo or NEW_CHAT)
        question = (question or "").strip()
        skip = (gr.skip(),) * 7
        if not question:
            _warn("请输入问题。")
            yield history, "", *skip
            return
        scope = _scope(jur, docs, in_force)
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": "*正在检索政策条款……*"},
        ]
        yield history, "", *skip
        try:
            answer = service.ask(question, _turns(convo), scope)
        except Exception as exc:
            log.exception("ask failed")
            message = _error_text(exc) if service.policies() else EMPTY_CORPUS
            history[-1] = {"role": "assistant", "content": f"<strong>出错了</strong>：{escape(message)}"}
            yield history, "", "", "", gr.skip(), gr.skip(), None, gr.skip(), gr.skip()
            return
        head = "\n\n".join(render.notices(answer))
        body, _ = render.answer_body(answer)
        for piece in render.stream_pieces(body):
            history[-1] = {"role": "assistant", "content": "\n\n".join(x for x in (head, piece) if x)}
            yield history, "", *skip
        history[-1] = {"role": "assistant", "content": render.answer_markdown(answer)}
        graph, facts, sub = _evidence(service, answer)
        titles = {p["id"]: p.get("title") or p["id"] for p in service.policies()}
        note = _scope_note(scope, titles)
        turn = Turn(
            question=question,
            answer=render.plain_answer(answer.answer)[:2000],
            citations=[
                {k: getattr(c, k) for k in ("policy_id", "measure_id", "title", "doc_no", "measure")}
                for c in answer.citations[:12]
            ],
        )
        convo = {"messages": history, "turns": [*convo.get("turns", []), asdict(turn)][-HISTORY_LIMIT:]}
        saved = _jsonable({**answer.to_json(), "hits": [], "scope": note})
        yield (
            history,
            "",
            graph,
            facts,
            convo,
            saved,
            sub,
            gr.DownloadButton(value=render.export_file(answer, ".md", note), interactive=True),
            gr.DownloadButton(value=render.export_file(answer, ".docx", note), interactive=True),
        )

    return chat


def chat_tab(service: AppService, vocab: dict[str, list[str]], policies: list[dict]):
    examples = service.examples()
    convo = gr.BrowserState(NEW_CHAT, storage_key="policykg-conversation")
    last = gr.State(None)
    graph_state = gr.State(None)
    with gr.Row(equal_height=False):
        with gr.Column(scale=7, min_width=320):
            with gr.Accordion("提问范围：全部文件", open=False, elem_id="pkg-scope") as scope_box:
                with gr.Row():
                    jur = gr.Dropdown(
                        _jurisdictions(policies), value=[], multiselect=True, label="地区", elem_id="pkg-scope-jur"
                    )
                    docs = gr.Dropdown(
                        _policy_choices(policies),
                        value=[],
                        multiselect=True,
                        label="文件",
                        elem_id="pkg-scope-docs",
                    )
                with gr.Row():
                    in_force = gr.Checkbox(False, label="仅现行有效", elem_id="pkg-scope-inforce")
                    clear_scope = gr.Button("清除范围", size="sm", elem_id="pkg-scope-clear", min_width=80)
            chatbot = gr.Chatbot(
                label="对话",
                height=520,
                elem_id="pkg-chat",
                placeholder=CHAT_PLACEHOLDER,
                buttons=["copy", "copy_all"],
                feedback_options=None,
                layout="bubble",
            )
            with gr.Row(elem_id="pkg-ask-row"):
                question = gr.Textbox(
                    placeholder="输入问题，回车提问；可接着追问",
                    show_label=False,
                    scale=6,
                    lines=1,
                    max_lines=4,
                    elem_id="pkg-question",
                    autofocus=True,
                )
                send = gr.Button("提问", variant="primary", scale=1, min_width=64, elem_id="pkg-send")
                new = gr.Button("新对话", scale=1, min_width=64, elem_id="pkg-new")
            with gr.Row(elem_id="pkg-answer-tools", equal_height=True):
                export_md = gr.DownloadButton(
                    "导出 Markdown", value=None, interactive=False, size="sm", elem_id="pkg-export-md", min_width=100
                )
                export_docx = gr.DownloadButton(
                    "导出 Word", value=None, interactive=False, size="sm", elem_id="pkg-export-docx", min_width=100
                )
            with gr.Row(elem_id="pkg-feedback-row", equal_height=True):
                comment = gr.Textbox(
                    placeholder="对本回答的意见（可选），再点“有帮助”或“没帮助”",
                    show_label=False,
                    scale=4,
                    lines=1,
                    max_lines=3,
                    elem_id="pkg-fb-comment",
                )
                up = gr.Button("有帮助", size="sm", min_width=72, scale=1, elem_id="pkg-fb-up")
                down = gr.Button("没帮助", size="sm", min_width=72, scale=1, elem_id="pkg-fb-down")
        with gr.Column(scale=3, min_width=260, elem_classes="pkg-examples", elem_id="pkg-examples"):
            gr.Markdown("#### 常见问题（点击即问）")
            example_buttons = []
            for label, qs in examples.items():
                gr.Markdown(f"**{label}常问**", elem_classes="pkg-h")
                for q in qs:
                    example_buttons.append((gr.Button(q, size="sm", elem_classes="pkg-example"), q))
    with gr.Accordion("证据：支撑本回答的图谱子图与事实", open=True, elem_id="pkg-evidence-box"):
        graph = gr.HTML(GRAPH_HINT, elem_id="pkg-evidence")
        facts = gr.HTML("", elem_id="pkg-facts")
    expand_req = gr.Textbox(elem_id="pkg-expand-req", elem_classes="pkg-hidden", show_label=False)
    expand_go = gr.Button("expand", elem_id="pkg-expand-go", elem_classes="pkg-hidden")

    chat = make_chat(service)
    inputs = [question, chatbot, convo, jur, docs, in_force]
    outputs = [chatbot, question, graph, facts, convo, last, graph_state, export_md, export_docx]
    ask_options = dict(
        api_visibility="private",
        concurrency_limit=READ_CONCURRENCY,
        concurrency_id="ask",
        show_progress="hidden",
    )
    for trigger in (question.submit, send.click):
        trigger(chat, inputs, outputs, **ask_options)
    for button, q in example_buttons:
        button.click(lambda q=q: q, None, [question], api_visibility="private", queue=False).then(
            chat, inputs, outputs, **ask_options
        )

    def new_conversation():
        """Empty the conversation (what is being typed in the question box stays)."""
        return (
            [],
            gr.skip(),
            GRAPH_HINT,
            "",
            NEW_CHAT,
            None,
            None,
            gr.DownloadButton(value=None, interactive=False),
            gr.DownloadButton(value=None, interactive=False),
        )

    new.click(new_conversation, None, outputs, api_visibility="private", queue=False)

    def scope_label(j, d, f):
        titles = {p["id"]: p.get("title") or p["id"] for p in service.policies()}
        note = _scope_note(_scope(j, d, f), titles)
        return gr.Accordion(label=f"提问范围：{note or '全部文件'}")

    clear_scope.click(lambda: ([], [], False), None, [jur, docs, in_force], api_visibility="private", queue=False)
    for control in (jur, docs, in_force):
        control.change(scope_label, [jur, docs, in_force], [scope_box], api_visibility="private", queue=False)

    def feedback(rating: str, saved: dict | None, text: str):
        if not saved:
            _warn("请先提问，再对回答评价。")
            return gr.skip()
        service.save_feedback(
            {
                "rating": rating,
                "comment": (text or "").strip(),
                "question": saved.get("question"),
                "intent": saved.get("intent"),
                "abstained": saved.get("abstained"),
                "answer": saved.get("answer"),
                "scope": saved.get("scope"),
                "citations": [
                    {k: c.get(k) for k in ("policy_id", "measure_id", "title", "doc_no", "measure")}
                    for c in saved.get("citations") or []
                ],
            }
        )
        gr.Info("已记录您的反馈，谢谢！", title="提示")
        return ""

    up.click(lambda s, t: feedback("up", s, t), [last, comment], [comment], api_visibility="private")
    down.click(lambda s, t: feedback("down", s, t), [last, comment], [comment], api_visibility="private")

    def expand(node_id: str, sub: dict | None):
        node_id = (node_id or "").split("|")[0]
        if not sub or not node_id:
            return gr.skip(), gr.skip()
        try:
            more = service.neighbours(node_id)
        except Exception as exc:
            raise _fail(f"无法展开该节点：{_error_text(exc)}") from exc
        known = {str(n["id"]) for n in sub["nodes"]}
        edges = {(e["source"], e["target"], e.get("type")) for e in sub["edges"]}
        nodes = sub["nodes"] + [n for n in more["nodes"] if str(n["id"]) not in known]
        extra = [e for e in more["edges"] if (e["source"], e["target"], e.get("type")) not in edges]
        merged = {"nodes": nodes, "edges": sub["edges"] + extra}
        return evidence_html(merged), merged

    expand_go.click(expand, [expand_req, graph_state], [graph, graph_state], api_visibility="private")

    def restore(saved: dict | None):
        return (saved or NEW_CHAT).get("messages", [])

    return convo, restore, chatbot, jur, docs


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
    table = gr.HTML("", elem_id="pkg-sup-table")

    def run(c: str, b: str, t: str, k: str):
        try:
            rows = service.match_support(c, b, t, k)
        except Exception as exc:
            raise _fail(f"查询失败：{_error_text(exc)}") from exc
        path = render.write_csv(rows, render.SUPPORT_COLUMNS, "support")
        return (
            render.table_html(rows, render.SUPPORT_COLUMNS, "pkg-sup"),
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
        show_progress="minimal",
    )
    return [city, who, topic, kind]


# -- comparison ---------------------------------------------------------------------------------------


def _support_pivot(rows: list[dict]) -> str:
    """Support measures counted by city and support kind, as a small HTML table."""
    counts = Counter((r.get("city") or "—", r.get("kind") or "—") for r in rows)
    if not counts:
        return ""
    table = pd.Series(counts).unstack(fill_value=0)
    out = [{"city": city, **{k: int(v) for k, v in row.items()}} for city, row in table.iterrows()]
    return render.table_html(out, ["city", *table.columns], "pkg-pivot")


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
    chart = gr.HTML("", elem_id="pkg-cmp-chart")
    table = gr.HTML("", elem_id="pkg-cmp-table")
    gr.Markdown("#### 支持措施数量（城市 × 支持方式）")
    pivot = gr.HTML("", elem_id="pkg-cmp-pivot")

    def run(cs: list[str], t: str):
        try:
            rows = service.compare_targets(cs, t)
            support = [r for r in service.match_support(topic=t) if not cs or r.get("city") in cs]
        except Exception as exc:
            raise _fail(f"查询失败：{_error_text(exc)}") from exc
        rows = sorted(
            rows, key=lambda r: (str(r.get("metric") or ""), str(r.get("city") or ""), r.get("year") or 0)
        )
        rows = render.target_rows(rows)
        path = render.write_csv(rows, render.TARGET_SHOWN, "targets")
        return (
            render.table_html(rows, render.TARGET_SHOWN, "pkg-cmp"),
            targets_chart_html(rows),
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
        show_progress="minimal",
    )
    return [cities, topic]


# -- policy browser -------------------------------------------------------------------------------------


def _policy_choices(policies: list[dict]) -> list[tuple[str, str]]:
    return [
        (f"{p.get('title') or '（无标题）'}（{p.get('doc_no') or '无文号'}）· {validity(p)}", p["id"])
        for p in policies
    ]


def _jurisdictions(policies: list[dict]) -> list[str]:
    """The jurisdictions the ingested policies belong to (what a question can be scoped to)."""
    return sorted({j for j in (jurisdiction(p) for p in policies) if j})


def _policy_rows(policies: list[dict]) -> list[dict]:
    return [{**p, "validity_html": render.validity_badge(validity(p))} for p in policies]


def _outline_or_message(service: AppService, policy_id: str | None) -> str:
    if not policy_id:
        return ""
    try:
        outline = service.outline(policy_id)
        return render.outline_html({**outline, "validity": validity(outline)})
    except KeyError:
        return '<p class="pkg-error">没有找到这份政策文件，它可能已被删除。</p>'
    except Exception as exc:
        log.warning("outline of %s failed: %s", policy_id, exc)
        return '<p class="pkg-error">暂时无法读取这份政策文件，请稍后再试。</p>'


def browse_tab(service: AppService, vocab: dict[str, list[str]], policies: list[dict]):
    table = gr.HTML(
        render.table_html(_policy_rows(policies), render.POLICY_SHOWN, "pkg-pol"), elem_id="pkg-policies"
    )
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=300):
            first = policies[0]["id"] if policies else None
            pick = gr.Dropdown(
                _policy_choices(policies), value=first, label="查看政策结构（点击措施查看原文）",
                elem_id="pkg-browse-pick",
            )
            outline = gr.HTML(_outline_or_message(service, first), elem_id="pkg-browse-outline")
        with gr.Column(scale=2, min_width=300):
            gr.Markdown("#### 按部门查询职责")
            with gr.Row():
                dept = gr.Dropdown(
                    vocab["departments"],
                    value=None,
                    allow_custom_value=True,
                    filterable=True,
                    label="部门（可输入简称，如 市教委）",
                    elem_id="pkg-dept-name",
                    scale=3,
                )
                dept_city = gr.Dropdown(
                    _choices(vocab["cities"]), value=ALL, label="城市", elem_id="pkg-dept-city", scale=1
                )
            dept_btn = gr.Button("查询职责", variant="primary", elem_id="pkg-dept-run")
            dept_summary = gr.Markdown(elem_id="pkg-dept-summary")
    duties = gr.HTML("", elem_id="pkg-dept-table")

    def run_duties(name: str | None, city: str):
        if not (name or "").strip():
            raise _fail("请选择或输入部门名称。")
        rows = service.department_duties(name, city)
        return render.table_html(rows, render.DUTY_COLUMNS, "pkg-duty"), _count_md(len(rows), "职责条款")

    pick.change(lambda pid: _outline_or_message(service, pid), [pick], [outline], api_visibility="private")
    dept_btn.click(
        run_duties,
        [dept, dept_city],
        [duties, dept_summary],
        api_visibility="private",
        concurrency_limit=READ_CONCURRENCY,
        concurrency_id="read",
        show_progress="minimal",
    )
    return table, pick, dept, dept_city


# -- source viewer ------------------------------------------------------------------------------------


def make_open_source(service: AppService):
    def open_source(request: str):
        """Show a document at one clause: `request` is JSON {policy, measure, spans: "s-e,s-e"}."""
        try:
            req = json.loads(request or "{}")
            meta = service.policy_meta(str(req.get("policy") or ""))
            measures = service.outline(meta["id"]).get("measures", [])
        except Exception as exc:
            return f'<p class="pkg-error">无法打开原文：{escape(_error_text(exc))}</p>', gr.Sidebar(open=True)
        spans = []
        for part in str(req.get("spans") or "").split(","):
            a, _, b = part.partition("-")
            if a.isdigit() and b.isdigit():
                spans.append((int(a), int(b)))
        html = render.source_html(meta, measures, str(req.get("measure") or ""), spans)
        return html, gr.Sidebar(open=True)

    return open_source


# -- corpus management ---------------------------------------------------------------------------------


def _stats_md(stats: dict[str, dict[str, int]]) -> str:
    nodes = "、".join(f"{LABEL_ZH.get(k, k)} {v}" for k, v in sorted(stats.get("nodes", {}).items())) or "空"
    rels = "、".join(f"{REL_ZH.get(k, k)} {v}" for k, v in sorted(stats.get("relationships", {}).items())) or "空"
    return f"**图谱节点**：{nodes}\n\n**关系**：{rels}"


def _report_md(report) -> str:
    lines = []
    for p in report.policies:
        status = "未变化" if p.get("status") == "unchanged" else "已入库"
        lines.append(
            f"- **{status}**：{p.get('title') or '（无标题）'}（{p.get('doc_no') or '无文号'}），"
            f"{p.get('sections', 0)} 个章节、{p.get('measures', 0)} 条措施"
        )
        if p.get("flag"):  # it claims another document's 文号 or title: kept apart, not a replacement
            lines.append("  - ⚠ 与已收录文件的文号或标题相同，已单独收录并标记，未替换原文件。")
    lines += [
        f"- **未能读取** {Path(str(s.get('path'))).name}：{_no_paths(str(s.get('reason')))}" for s in report.skipped
    ]
    return "\n".join(lines) or "没有文件被处理。"


def replace_choices(service: AppService, conflicts: list[dict]) -> tuple[list[tuple[str, str]], list[str]]:
    """The replacements an upload report offers: (label, "new>old") for every policy an uploaded
    document claims to be, and the titles of those the app may not replace (the shipped corpus)."""
    meta = {p["id"]: p for p in service.policies()}
    docs = {d["id"]: d for d in service.documents()}
    choices, shipped = [], []
    for c in conflicts:
        new = meta.get(c.get("id")) or {}
        for row in c.get("candidates") or [{"id": c.get("claims"), "match": "id"}]:
            old = meta.get(row.get("id"))
            if old is None:
                continue
            if "只读" in str(docs.get(old["id"], {}).get("status") or ""):
                shipped.append(old.get("title") or old["id"])
                continue
            why = {"文号": "文号相同", "title": "标题相同"}.get(str(row.get("match")), "文号或标题相同")
            file = docs.get(old["id"], {}).get("file") or ""
            label = (f"用《{new.get('title') or c.get('id')}》替换《{old.get('title') or old['id']}》"
                     f"（{old.get('doc_no') or '无文号'}，{file}，{why}）")
            choices.append((label, f"{c['id']}>{old['id']}"))
    return choices, list(dict.fromkeys(shipped))


def _grouped(pairs: list[list[str]]) -> dict[str, list[str]]:
    """Chosen (new, old) pairs by the uploaded policy that replaces them, in the order chosen."""
    out: dict[str, list[str]] = {}
    for new_id, old_id in pairs:
        out.setdefault(new_id, []).append(old_id)
    return out


def _no_paths(text: str) -> str:
    """A loader's message without the server's folders (a user needs the file name, not where it lives)."""
    return re.sub(r"(?:[A-Za-z]:)?(?:/[^/\s：:，,。）)]+)+/([^/\s：:，,。）)]+)", r"\1", text)


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
        raise _fail(str(exc)) from exc


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
            raise _fail("请先选择要上传的政策文件（.txt / .md / .pdf / .docx / .html）。")

        def on_progress(stage: str, done: int, total: int) -> None:
            if total:
                progress((done, total), desc=STAGE_ZH.get(stage, stage), unit="项")

        progress(0, desc="校验文件")
        uploaded, foreign = _split_uploaded(files)
        try:
            report, outlines = service.upload(uploaded, on_progress, refused=foreign)
        except Exception as exc:
            log.exception("upload failed")
            raise _fail(f"入库失败：{_no_paths(_error_text(exc))}") from exc
        outline = "".join(render.outline_html({**o, "validity": validity(o)}) for o in outlines)
        return _report_md(report), outline, _jsonable(report_dict(report))

    return upload_policy


def _docs_html(service: AppService) -> str:
    rows = [{**d, "validity_html": render.validity_badge(d["validity"])} for d in service.documents()]
    return render.table_html(rows, render.DOCUMENT_COLUMNS, "pkg-docs", empty="还没有收录任何政策文件。")


def corpus_tab(service: AppService, policies: list[dict]):
    mb = service.settings.max_upload_mb
    docs = gr.HTML(_docs_html(service), elem_id="pkg-docs")
    with gr.Row(equal_height=False):
        with gr.Column(scale=2, min_width=300):
            files = gr.File(
                label=f"上传政策文件（.txt / .md / .pdf / .docx / .html，扫描件自动识别，单个不超过 {mb} MB）",
                file_count="multiple",
                type="filepath",
                elem_id="pkg-upload",
            )
            upload_btn = gr.Button("上传并入库", variant="primary", elem_id="pkg-upload-run")
            status = gr.Markdown(elem_id="pkg-upload-status")
            report_json = gr.JSON(visible=False)
            gr.Markdown("#### 管理已收录文件")
            victim = gr.Dropdown(
                _policy_choices(policies), value=None, label="选择文件", elem_id="pkg-remove-pick"
            )
            with gr.Row():
                reparse_btn = gr.Button("重新解析", elem_id="pkg-reparse-run", min_width=80)
                remove_btn = gr.Button("删除", variant="stop", elem_id="pkg-remove-run", min_width=80)
            with gr.Row(visible=False, elem_id="pkg-remove-confirm") as confirm_row:
                confirm_text = gr.Markdown(elem_id="pkg-remove-question")
                confirm_btn = gr.Button("确认删除", variant="stop", elem_id="pkg-remove-yes", min_width=80)
                cancel_btn = gr.Button("取消", elem_id="pkg-remove-no", min_width=60)
            remove_status = gr.Markdown(elem_id="pkg-remove-status")
            with gr.Column(visible=False, elem_id="pkg-replace-confirm") as replace_row:
                replace_text = gr.Markdown(elem_id="pkg-replace-question")
                # every policy the upload claims to be: the user ticks the ones it replaces
                replace_pick = gr.CheckboxGroup([], label="选择要被替换的文件（可多选）", elem_id="pkg-replace-pick")
                with gr.Row():
                    replace_btn = gr.Button("确认替换", variant="stop", elem_id="pkg-replace-yes", min_width=80)
                    keep_btn = gr.Button("保留两份", elem_id="pkg-replace-no", min_width=80)
            stats = gr.Markdown(_stats_md(service.graph_stats()), elem_id="pkg-stats")
        with gr.Column(scale=3, min_width=300):
            gr.Markdown("#### 解析出的文件结构")
            outline = gr.HTML(elem_id="pkg-upload-outline")
    upload = upload_btn.click(
        make_upload(service),
        [files],
        [status, outline, report_json],
        api_name="upload_policy",
        concurrency_limit=1,
        concurrency_id="write",
    )
    victim.change(
        lambda pid: _outline_or_message(service, pid), [victim], [outline], api_visibility="private"
    )

    def offer_replace(report: dict | None):
        """After an upload that claims other policies' 文号 or title: list every one of them (a 文号 held
        by several, a title and a 文号 naming different policies) for the user to choose which to replace."""
        choices, shipped = replace_choices(service, (report or {}).get("conflicts") or [])
        if not choices and not shipped:
            return gr.Column(visible=False), "", gr.CheckboxGroup(choices=[], value=[])
        question = ("新上传的文件与已收录文件的文号或标题相同，已单独收录，没有替换任何文件。"
                    + ("要替换哪一份（可多选）？被替换文件的图谱、索引和上传文件都会删除，无法撤销。" if choices else ""))
        if shipped:
            question += f"（随应用提供的《{'》《'.join(shipped)}》在应用内不能替换。）"
        single = [choices[0][1]] if len(choices) == 1 else []  # one candidate: ticked; several: the user chooses
        return (gr.Column(visible=True), question,
                gr.CheckboxGroup(choices=choices, value=single, visible=bool(choices)))

    upload.then(offer_replace, [report_json], [replace_row, replace_text, replace_pick], api_visibility="private")
    # an ingested upload leaves the file box empty, so that the next click cannot send it again with the
    # next file; after a failure the files stay for another try
    upload.success(lambda: None, None, [files], api_visibility="private", queue=False)
    keep_btn.click(lambda: (gr.Column(visible=False), gr.CheckboxGroup(choices=[], value=[])), None,
                   [replace_row, replace_pick], api_visibility="private", queue=False)

    def replace(chosen: list[str] | None, request: gr.Request):
        _require_write(service, request)
        pairs = [c.split(">", 1) for c in chosen or [] if ">" in c]
        if not pairs:  # a notice, not an error: the choice stays on screen to be made
            gr.Warning("请先勾选要被替换的文件。")
            return gr.update(), gr.update(), gr.update(), gr.update()
        reports = []
        for new_id, olds in _grouped(pairs).items():
            try:
                reports.append(service.replace(new_id, olds))
            except PermissionError as exc:
                raise _fail("这是随应用提供的语料文件，应用内不能替换；可用命令 `policykg ingest 文件 --replace 编号` 替换。") from exc
            except Exception as exc:
                raise _fail(f"替换失败：{_no_paths(_error_text(exc))}") from exc
        last = reports[-1]
        new_id = next((p.get("id") for p in last.policies if p.get("id")), pairs[-1][1])
        return ("已替换：" + "\n".join(_report_md(r) for r in reports), gr.Column(visible=False),
                gr.CheckboxGroup(choices=[], value=[]), _outline_or_message(service, new_id))

    replacement = replace_btn.click(
        replace,
        [replace_pick],
        [status, replace_row, replace_pick, outline],
        api_visibility="private",
        concurrency_limit=1,
        concurrency_id="write",
    )

    def ask_confirm(pid: str | None):
        if not pid:
            raise _fail("请先选择要删除的文件。")
        title = next((p.get("title") for p in service.policies() if p["id"] == pid), None) or "这份文件"
        return gr.Row(visible=True), f"确定删除《{title}》？其图谱、检索索引和上传的文件都会删除，无法撤销。"

    remove_btn.click(ask_confirm, [victim], [confirm_row, confirm_text], api_visibility="private")
    cancel_btn.click(lambda: gr.Row(visible=False), None, [confirm_row], api_visibility="private", queue=False)

    def remove(pid: str | None, request: gr.Request):
        _require_write(service, request)
        if not pid:
            raise _fail("请先选择要删除的文件。")
        title = next((p.get("title") for p in service.policies() if p["id"] == pid), None) or "该文件"
        try:
            service.remove(pid)
        except PermissionError as exc:
            raise _fail("这是随应用提供的语料文件，应用内不能删除；可用命令 `policykg remove` 删除。") from exc
        except Exception as exc:
            raise _fail(f"删除失败：{_no_paths(_error_text(exc))}") from exc
        return f"已删除：《{title}》", gr.Row(visible=False), "", gr.Dropdown(value=None)

    removal = confirm_btn.click(
        remove,
        [victim],
        [remove_status, confirm_row, outline, victim],
        api_visibility="private",
        concurrency_limit=1,
        concurrency_id="write",
    )

    def reparse(pid: str | None, request: gr.Request):
        _require_write(service, request)
        if not pid:
            raise _fail("请先选择要重新解析的文件。")
        try:
            report = service.reparse(pid)
        except Exception as exc:
            raise _fail(f"重新解析失败：{_no_paths(_error_text(exc))}") from exc
        new_id = next((p.get("id") for p in report.policies if p.get("id")), pid)
        status = _report_md(report).replace("已入库", "已重新解析")
        return status, _outline_or_message(service, new_id), gr.Dropdown(value=new_id)

    reparsing = reparse_btn.click(
        reparse,
        [victim],
        [remove_status, outline, victim],
        api_visibility="private",
        concurrency_limit=1,
        concurrency_id="write",
    )
    return (upload, removal, reparsing, replacement), victim, stats, docs


# -- API-only endpoints ------------------------------------------------------------------------------


def _turn(item: object) -> dict:
    """One history item of the API (a question, or an earlier answer's JSON) as a Turn's fields."""
    if isinstance(item, str):
        return {"question": item}
    return {"question": str(item["question"]), "citations": list(item.get("citations") or [])}


def register_api(service: AppService) -> None:
    """JSON endpoints with stable names, for programs (gradio_client or plain HTTP)."""

    def ask(question: str) -> dict:
        """Answer a question: markdown answer, departments, citations, graph facts, subgraph."""
        if not (question or "").strip():
            raise gr.Error("question is empty")
        return _jsonable(service.ask(question).to_json())

    def ask_in_context(question: str, history: list | None = None, scope: dict | None = None) -> dict:
        """Answer a follow-up or a scoped question (the /ask answer, in a conversation or a scope).

        history: earlier turns, each a question or {"question", "citations"} (as /ask returns them);
        scope: {"document": id, 文号 or title, "jurisdiction": place, "in_force": bool}."""
        if not (question or "").strip():
            raise gr.Error("question is empty")
        try:
            turns = [Turn(**_turn(h)) for h in history or []]
            limits = Scope(
                jurisdictions=[str(scope["jurisdiction"])] if (scope or {}).get("jurisdiction") else [],
                policy_ids=[str(scope["document"])] if (scope or {}).get("document") else [],
                in_force_only=bool((scope or {}).get("in_force")),
            )
        except (TypeError, AttributeError) as exc:
            raise gr.Error("history is a list of questions or {question, citations}; scope an object") from exc
        return _jsonable(service.ask(question, turns, limits).to_json())

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

    def replace_policy(policy_id: str, replaces: str | list[str], confirm: bool, request: gr.Request) -> dict:
        """Put an uploaded policy in the place of policies whose 文号 or title it claims (the upload
        report's `conflicts`: `id`, and `candidates` to choose from): one id, a list of ids, or ids
        separated by commas (the first lends it its id). Nothing changes unless confirm is true."""
        _require_write(service, request)
        targets = [t.strip() for t in (replaces.split(",") if isinstance(replaces, str) else replaces or [])
                   if str(t).strip()]
        if not targets:
            raise gr.Error("name the policy (or policies) to replace")
        if not confirm:
            raise gr.Error(f"replacing {', '.join(targets)} with {policy_id} removes "
                           f"{'them' if len(targets) > 1 else 'it'}: call again with confirm=true to do it")
        try:
            return _jsonable(report_dict(service.replace(policy_id, targets)))
        except (KeyError, PermissionError, ValueError) as exc:
            raise gr.Error(_error_text(exc)) from exc

    reads = (
        ask,
        ask_in_context,
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
    gr.api(replace_policy, api_name="replace_policy", concurrency_limit=1, concurrency_id="write")


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
        with gr.Sidebar(label="原文", open=False, position="right", width="44%", elem_id="pkg-source-bar") as bar:
            source = gr.HTML('<p class="pkg-muted">点击回答中的“查看原文”或政策结构中的措施。</p>', elem_id="pkg-source")
        src_req = gr.Textbox(elem_id="pkg-src-req", elem_classes="pkg-hidden", show_label=False)
        src_go = gr.Button("open", elem_id="pkg-src-go", elem_classes="pkg-hidden")
        with gr.Tabs(elem_id="pkg-tabs"):
            with gr.Tab("政策问答", id="chat"):
                convo, restore, chatbot, scope_jur, scope_docs = chat_tab(service, vocab, policies)
            with gr.Tab("支持政策匹配", id="support"):
                support_dd = support_tab(service, vocab)
            with gr.Tab("城市对比", id="compare"):
                compare_dd = compare_tab(service, vocab)
            with gr.Tab("政策浏览", id="browse"):
                policy_table, pick, dept, dept_city = browse_tab(service, vocab, policies)
            with gr.Tab("文件管理", id="corpus"):
                writes, victim, stats, docs = corpus_tab(service, policies)
        register_api(service)
        src_go.click(make_open_source(service), [src_req], [source, bar], api_visibility="private").then(
            None, None, None, js="() => window.pkgFocusSource && window.pkgFocusSource()"
        )

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
                render.table_html(_policy_rows(ps), render.POLICY_SHOWN, "pkg-pol"),
                gr.Dropdown(choices=pc),
                gr.Dropdown(choices=v["departments"]),
                gr.Dropdown(choices=_choices(v["cities"])),
                gr.Dropdown(choices=pc),
                _stats_md(service.graph_stats()),
                _docs_html(service),
                gr.Dropdown(choices=_jurisdictions(ps)),
                gr.Dropdown(choices=pc),
            )

        targets = [
            *support_dd, *compare_dd, policy_table, pick, dept, dept_city, victim, stats, docs, scope_jur, scope_docs
        ]
        for event in writes:
            event.then(refresh, None, targets, api_visibility="private")
        demo.load(refresh, None, targets, api_visibility="private")
        demo.load(restore, [convo], [chatbot], api_visibility="private")
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
    """Load models, indexes and statistics before the app reports ready, so the first answer is as fast
    as the rest (everything that depends only on the corpus was built at ingest; this only loads it).
    The first example question of each group is asked too: those are the likeliest first questions,
    and they reach the graph queries of their kinds."""
    try:
        examples = [qs[0] for qs in service.examples().values() if qs]
    except Exception as exc:  # nothing ingested yet, or the store is down: the app still serves
        log.info("no example questions to warm up with: %s", exc)
        examples = []
    service.kg.warm_up(examples)


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
    limit_malloc_arenas()  # before any serving thread allocates: see ui/memory.py
    bound_gradio_event_record()
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
    if token and not settings.write_token:  # a generated token is shown once; a configured one never
        print(
            f"Uploads and removals need the write token. Open http://{_url_host(bind)}:{port}/?token={token}\n"
            f"in your browser, or send the header 'Authorization: Bearer {token}'.",
            flush=True,
        )
    elif token:
        print("Uploads and removals need the write token set in POLICYKG_WRITE_TOKEN "
              f"(open http://{_url_host(bind)}:{port}/?token=<token>).", flush=True)
    front_door = Middleware(
        FrontDoor,
        hosts=allowed_hosts(bind, settings.allowed_hosts),
        token=token,
        forget_session=session_forgetter(demo),
    )
    _warm_up(service)  # indexes, linker and models load before the port opens: ready means ready
    if kg.embed_if_missing():  # vectors of the current generation computed while it serves (resumable)
        print("Computing the dense vectors in the background; answers use full-text search and the graph "
              "until they are ready.", flush=True)
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
            head=head(),
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


def head() -> str:
    """The app's own script, inline in the page head (nothing is loaded from elsewhere)."""
    return f"<script>{(STATIC / 'app.js').read_text(encoding='utf-8')}</script>"


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
