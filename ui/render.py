"""Turning façade results into what the app shows: chat markdown, tables, outlines, CSV files.

Pure functions of their inputs, so each view can be checked without a browser.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from html import escape
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from rag.model import Answer, Citation

COLUMN_ZH: dict[str, str] = {
    "city": "城市",
    "policy": "政策",
    "title": "标题",
    "doc_no": "文号",
    "measure": "措施",
    "kind": "类型",
    "what": "支持内容",
    "amount": "金额",
    "rate": "比例",
    "cap": "上限",
    "condition": "条件",
    "beneficiaries": "支持对象",
    "deadline": "期限",
    "window": "申报时间",
    "departments": "责任部门",
    "quote": "原文",
    "metric": "指标",
    "value": "数值",
    "unit": "单位",
    "comparator": "表述",
    "year": "年份",
    "department": "部门",
    "role": "角色",
    "issuers": "发文机关",
    "issued": "发布日期",
    "effective": "施行日期",
    "expiry": "有效期至",
    "period": "规划期",
    "measures": "措施数",
    "id": "编号",
    "section": "章节",
    "text": "内容",
    "name": "名称",
    "label": "类别",
    "source": "来源",
    "fact": "事实",
    "file": "源文件",
    "added": "上传时间",
    "status": "状态",
    "sections": "章节数",
    "validity": "效力",
    "jurisdiction": "地区",
    "target": "目标值",
    "validity_html": "效力",
}
SUPPORT_COLUMNS = (
    "city",
    "kind",
    "what",
    "amount",
    "rate",
    "condition",
    "beneficiaries",
    "window",
    "deadline",
    "departments",
    "measure",
    "policy",
    "doc_no",
    "quote",
)
TARGET_SHOWN = ("city", "policy", "doc_no", "metric", "target", "comparator", "year", "quote")
POLICY_SHOWN = ("city", "title", "doc_no", "validity_html", "issuers", "issued", "effective", "expiry", "period", "measures")
DOCUMENT_COLUMNS = ("title", "doc_no", "city", "validity_html", "file", "added", "status", "sections", "measures")
TARGET_COLUMNS = ("city", "policy", "doc_no", "metric", "value", "unit", "comparator", "year", "quote")
DUTY_COLUMNS = ("department", "role", "measure", "quote", "policy", "doc_no", "city")
FACT_COLUMNS = (
    "fact",
    "name",
    "department",
    "role",
    "kind",
    "what",
    "amount",
    "rate",
    "condition",
    "metric",
    "value",
    "unit",
    "year",
    "measure",
    "policy",
    "quote",
)
POLICY_COLUMNS = (
    "city",
    "title",
    "doc_no",
    "issuers",
    "issued",
    "effective",
    "expiry",
    "period",
    "measures",
    "id",
)
VALIDITY_CLASS = {"现行有效": "ok", "已失效": "expired", "尚未施行": "future"}
ROLE_ZH = {
    "responsible": "责任单位",
    "lead": "牵头",
    "co-lead": "共同牵头",
    "participant": "配合",
    "issuer": "发文",
    "support": "支持措施",
    "target": "目标",
    "deadline": "期限",
}

NOTICE_ABSTAINED = (
    "<strong>提示：语料中没有找到可以回答这个问题的条款。</strong>以下是已收录政策覆盖的内容，"
    "可换个问法，或在“政策浏览”中查看。"
)
NOTICE_NO_GRAPH = "<strong>注意：</strong>知识图谱暂时不可用，本回答仅基于文本检索，未使用图谱事实。"
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S)
_REF = re.compile(r"\[(\d+)\]")


def strong(text: str) -> str:
    """Markdown bold as <strong>: CommonMark leaves `**…。**后` literal (a closing ** after punctuation
    must be followed by a space or punctuation), which Chinese text almost never is."""
    return _BOLD.sub(r"<strong>\1</strong>", text)


def plain(text: str) -> str:
    """Text without markdown emphasis marks (quotes from documents written in markdown)."""
    return (text or "").replace("**", "").replace("__", "")


def validity_badge(status: str) -> str:
    cls = VALIDITY_CLASS.get(status, "ok")
    return f'<span class="pkg-badge pkg-badge-{cls}">{escape(status)}</span>' if status else ""


def cell(value: object) -> str:
    """One table cell as text: lists joined with 、, None as empty."""
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return "、".join(cell(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return ROLE_ZH.get(value, str(value)) if isinstance(value, str) else str(value)


def _measure_name(row: dict) -> str:
    return " ".join(str(x) for x in (row.get("number"), row.get("measure_title") or row.get("title")) if x)


# Documented row keys, and where rows that name them differently carry the same thing.
ALIASES: dict[str, tuple[str, ...]] = {
    "policy": ("policy_title", "title"),
    "quote": ("text",),
    "section": ("section_title",),
}


def normalise(row: dict) -> dict:
    """The documented keys (policy, measure, quote ...) filled from the names a row may use instead."""
    out = dict(row)
    for key, alternatives in ALIASES.items():
        if not out.get(key):
            value = next((row[a] for a in alternatives if row.get(a)), None)
            if value is not None:
                out[key] = value
    if not out.get("measure") and _measure_name(row):
        out["measure"] = _measure_name(row)
    for key in ("quote", "what", "text", "condition"):
        if isinstance(out.get(key), str):
            out[key] = plain(out[key])
    return out


def frame(rows: Sequence[dict], columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A DataFrame with Chinese headers: the given columns that any row has (all of them when there are
    no rows), or every plain key when no columns are given."""
    rows = [normalise(r) for r in rows]
    if columns:
        keys = [c for c in columns if any(r.get(c) not in (None, "", []) for r in rows)] or list(columns)
    else:
        keys = []
        for r in rows:
            keys += [k for k in r if k not in keys and not isinstance(r[k], dict)]
    data = [[cell(r.get(k)) for k in keys] for r in rows]
    return pd.DataFrame(data, columns=[COLUMN_ZH.get(k, k) for k in keys])


def write_csv(rows: Sequence[dict], columns: Sequence[str], stem: str) -> str | None:
    """Write rows to a UTF-8 (with BOM, for spreadsheet programs) CSV file; its path, or None if no rows."""
    if not rows:
        return None
    df = frame(rows, columns)
    folder = Path(tempfile.gettempdir()) / "policykg-exports"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{id(rows) % 10000}.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(df.columns)
        writer.writerows(df.itertuples(index=False, name=None))
    return str(path)


# -- chat ----------------------------------------------------------------------------------------


def _where(c: Citation) -> str:
    return " · ".join(x for x in (c.city, c.doc_no or c.title, c.measure) if x)


def citation_html(i: int, c: Citation, extra: Sequence[Citation] = ()) -> str:
    """One numbered citation, collapsed to its source, expanding to the quoted clause(s) and a link that
    opens the document at the clause in the source viewer."""
    meta = "".join(
        f"<div><b>{k}</b>：{escape(v)}</div>"
        for k, v in (("政策", c.title), ("文号", c.doc_no or ""), ("章节", c.section), ("措施", c.measure))
        if v
    )
    quotes = "".join(f"<blockquote>{escape(plain(q.quote))}</blockquote>" for q in (c, *extra) if q.quote)
    link = ""
    if c.policy_id:
        spans = ",".join(f"{q.start}-{q.end}" for q in (c, *extra) if q.end > q.start)
        link = f'<div><a class="pkg-open-src" href="{source_href(c.policy_id, c.measure_id, spans)}">查看原文 ›</a></div>'
    return (
        f'<details class="pkg-cite"><summary>[{i}] {escape(_where(c))}</summary>'
        f"{quotes}{meta}{link}</details>"
    )


def source_href(policy_id: str, measure_id: str, spans: str = "") -> str:
    """The link that opens the source viewer (read by ui/static/app.js; chat messages are sanitised, so
    the target travels in the href rather than in data attributes)."""
    query = urlencode({"p": policy_id, "m": measure_id, "s": spans})
    return escape(f"#pkg-src?{query}")


def merge_citations(text: str, citations: Sequence[Citation]) -> tuple[str, list[list[Citation]]]:
    """One citation per measure: citations of the same measure (its text and its 责任单位 line) become
    one numbered source, and the answer's [n] marks are renumbered to match, a mark repeated right
    after itself (`[2]（责任单位原文 [2]）`) said once."""
    groups: list[list[Citation]] = []
    number: dict[int, int] = {}
    where: dict[tuple, int] = {}
    for i, c in enumerate(citations, 1):
        key = (c.policy_id, c.measure_id) if c.measure_id else ("#", i)
        if key not in where:
            where[key] = len(groups) + 1
            groups.append([])
        groups[where[key] - 1].append(c)
        number[i] = where[key]
    text = _REF.sub(lambda m: f"[{number.get(int(m.group(1)), m.group(1))}]", text)
    text = re.sub(r"\s*[（(][^（）()\[\]\n]{0,12}\[(\d+)\][）)]", lambda m: _same_ref(m, text), text)
    text = re.sub(r"(\[\d+\])(?:\s*\1)+", r"\1", text)
    return text, groups


def _same_ref(m: re.Match, text: str) -> str:
    """Drop a parenthesised reference that repeats the mark just before it."""
    before = re.findall(r"\[(\d+)\]", text[max(0, m.start() - 12) : m.start()])
    return "" if before and before[-1] == m.group(1) else m.group(0)


def notices(answer: Answer) -> list[str]:
    out = []
    if answer.abstained:
        out.append(NOTICE_ABSTAINED)
    if not answer.graph_available:
        out.append(NOTICE_NO_GRAPH)
    out += [f"<strong>注意：</strong>{escape(w)}" for w in answer.warnings]
    return out


def answer_body(answer: Answer) -> tuple[str, list[list[Citation]]]:
    """The answer text as shown (bold fixed, one number per cited measure) and its citation groups."""
    text, groups = merge_citations(answer.answer.strip(), answer.citations)
    return strong(text), groups


def answer_markdown(answer: Answer) -> str:
    """The full assistant message: notices, the answer, then the numbered citations."""
    body, groups = answer_body(answer)
    parts = [*notices(answer), body]
    if groups:
        cites = "\n".join(citation_html(i, g[0], g[1:]) for i, g in enumerate(groups, 1))
        parts.append(f"<strong>来源</strong>\n\n{cites}")
    return "\n\n".join(p for p in parts if p)


def export_markdown(answer: Answer, scope_note: str = "") -> str:
    """The answer with its numbered sources, as Markdown for a memo."""
    body, groups = merge_citations(plain_answer(answer.answer), answer.citations)
    lines = [f"# {answer.question}", ""]
    if scope_note:
        lines += [f"> 范围：{scope_note}", ""]
    lines += [body.strip(), ""]
    if groups:
        lines += ["## 来源", ""]
        for i, g in enumerate(groups, 1):
            c = g[0]
            doc = f"《{c.title}》" + (f"（{c.doc_no}）" if c.doc_no else "")
            place = " ".join(x for x in (c.section, c.measure) if x)
            lines.append(f"{i}. {doc} {place}".rstrip())
            lines += [f"   > {plain(q.quote)}" for q in g if q.quote]
    lines += ["", f"*导出自 PolicyKG，{time.strftime('%Y-%m-%d %H:%M')}*"]
    return "\n".join(lines) + "\n"


def plain_answer(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text or "").strip()


def export_docx(answer: Answer, path: Path, scope_note: str = "") -> Path:
    """The answer and its sources as a Word document (python-docx)."""
    from docx import Document
    from docx.shared import Pt

    body, groups = merge_citations(plain_answer(answer.answer), answer.citations)
    doc = Document()
    doc.add_heading(answer.question, level=1)
    if scope_note:
        doc.add_paragraph(f"范围：{scope_note}")
    for block in body.split("\n"):
        line = block.strip()
        if not line:
            continue
        style = "List Bullet" if line.startswith(("- ", "* ")) else None
        line = line[2:] if style else line.lstrip("> ")
        para = doc.add_paragraph(style=style)
        for k, piece in enumerate(re.split(r"\*\*", line)):
            if piece:
                para.add_run(piece).bold = k % 2 == 1
    if groups:
        doc.add_heading("来源", level=2)
        for i, g in enumerate(groups, 1):
            c = g[0]
            doc.add_paragraph(
                f"[{i}] 《{c.title}》" + (f"（{c.doc_no}）" if c.doc_no else "") + f" {c.section} {c.measure}".rstrip()
            )
            for q in g:
                if q.quote:
                    run = doc.add_paragraph(style="Quote").add_run(plain(q.quote))
                    run.font.size = Pt(10)
    doc.add_paragraph(f"导出自 PolicyKG，{time.strftime('%Y-%m-%d %H:%M')}")
    doc.save(str(path))
    return path


def export_file(answer: Answer, suffix: str, scope_note: str = "") -> str:
    """Write the export to a private temporary folder; its path (the download's file name is the
    question's first characters)."""
    folder = Path(tempfile.gettempdir()) / "policykg-exports"
    folder.mkdir(mode=0o700, exist_ok=True)
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "", answer.question)[:24] or "answer"
    path = folder / f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}{suffix}"
    if suffix == ".docx":
        export_docx(answer, path, scope_note)
    else:
        path.write_text(export_markdown(answer, scope_note), encoding="utf-8")
    return str(path)


def citation_from(d: dict) -> Citation:
    fields = Citation.__dataclass_fields__
    return Citation(**{k: v for k, v in d.items() if k in fields})


def answer_from(d: dict) -> Answer:
    """An Answer back from its JSON form (kept per session for export, feedback and the graph)."""
    fields = Answer.__dataclass_fields__
    a = Answer(**{k: v for k, v in d.items() if k in fields and k not in ("citations", "hits")})
    return replace(a, citations=[citation_from(c) for c in d.get("citations") or []])


def stream_pieces(text: str, step: int = 24) -> Iterator[str]:
    """Growing prefixes of the answer body, cut at line or sentence ends where possible."""
    cut = 0
    while cut < len(text):
        nxt = min(len(text), cut + step)
        for mark in ("\n", "。", "；", "，"):
            k = text.find(mark, cut + 1, nxt + step)
            if k != -1:
                nxt = k + 1
                break
        cut = nxt
        yield text[:cut]


# -- evidence and browsing -------------------------------------------------------------------------


def facts_frame(answer: Answer | None) -> pd.DataFrame:
    return frame(answer.facts if answer else [], FACT_COLUMNS)


def outline_html(outline: dict) -> str:
    """A policy's header and its measures in order, each with its responsible departments."""
    if not outline:
        return ""
    meta = (
        outline.get("policy")
        or outline.get("meta")
        or {k: v for k, v in outline.items() if not isinstance(v, list | dict)}
    )
    title = meta.get("title") or outline.get("title") or ""
    facts = " · ".join(cell(meta.get(k)) for k in ("city", "doc_no", "issued", "period") if meta.get(k))
    badge = validity_badge(str(meta.get("validity") or ""))
    lines = [
        f'<div class="pkg-outline"><h3>{escape(str(title))} {badge}</h3><p class="pkg-muted">{escape(facts)}</p>'
    ]
    section = None
    for m in outline.get("measures", []):
        sec = " ".join(
            str(x) for x in (m.get("section_number"), m.get("section") or m.get("section_title")) if x
        )
        if sec and sec != section:
            lines.append(f"<h4>{escape(sec)}</h4>")
            section = sec
        name = _measure_name(m) or str(m.get("measure") or m.get("id") or "")
        if name == sec and m.get("text"):  # a section's own text: show how it begins, not its heading again
            text = " ".join(str(m["text"]).split())
            heading = sec.replace(" ", "")
            text = text[len(heading) :].strip() if text.startswith(heading) else text
            name = text if len(text) <= 40 else text[:39] + "…"
        depts = cell(m.get("departments"))
        tag = f'<span class="pkg-depts">{escape(depts)}</span>' if depts else ""
        pid, mid = str(meta.get("id") or ""), str(m.get("measure_id") or "")
        label = (
            f'<a class="pkg-open-src" href="{source_href(pid, mid)}">{escape(name)}</a>'
            if pid and mid
            else f"<span>{escape(name)}</span>"
        )
        lines.append(f'<div class="pkg-measure">{label}{tag}</div>')
    lines.append("</div>")
    return "".join(lines)


# -- tables as HTML: columns on a desk, cards on a phone ---------------------------------------------

WIDE_COLUMNS = frozenset({"quote", "what", "text", "condition"})


def table_html(rows: Sequence[dict], columns: Sequence[str], elem: str, empty: str = "") -> str:
    """A table whose long columns (原文, 支持内容 …) keep a readable width; each cell carries its column
    name so that narrow screens show every row as a card. A filter box narrows the rows as one types."""
    rows = [normalise(r) for r in rows]
    if not rows:
        return f'<p class="pkg-muted">{escape(empty)}</p>' if empty else ""
    keys = [c for c in columns if any(r.get(c) not in (None, "", []) for r in rows)]
    head = "".join(f'<th class="pkg-col-{k}">{escape(COLUMN_ZH.get(k, k))}</th>' for k in keys)
    body = []
    for r in rows:
        cells = []
        for k in keys:
            value = r.get(k)
            html = value if k.endswith("_html") else escape(cell(value))
            cls = f"pkg-col-{k}" + (" pkg-wide" if k in WIDE_COLUMNS else "")
            cells.append(f'<td class="{cls}" data-label="{escape(COLUMN_ZH.get(k, k))}">{html}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="pkg-tablebox" id="{escape(elem)}-box">'
        f'<input class="pkg-filter" type="search" placeholder="在结果中筛选…" aria-label="在结果中筛选">'
        f'<div class="pkg-tablewrap"><table class="pkg-cards" id="{escape(elem)}-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div></div>"
    )


def number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


_RANGE_SEP = r"\s*[—–\-~～至到]\s*"


def target_rows(rows: Sequence[dict]) -> list[dict]:
    """Target rows as a person reads them: a range written in the clause ("1—2个") shown as the range,
    no bare "=" as the comparator, and a goal restated in several clauses of one policy listed once."""
    out: list[dict] = []
    seen: set[tuple] = set()
    for r in rows:
        r = dict(r)
        value = number(r.get("value"))
        unit = str(r.get("unit") or "")
        if value:
            m = re.search(rf"(?<![\d.]){re.escape(value)}{_RANGE_SEP}(\d+(?:\.\d+)?)\s*{re.escape(unit)}", plain(r.get("quote") or ""))
            if m and float(m.group(1)) > float(value):
                r["value_high"] = float(m.group(1))
                value = f"{value}—{m.group(1)}"
        r["target"] = f"{value}{unit}" if value else ""
        if str(r.get("comparator") or "").strip() in ("=", "==", "＝"):
            r["comparator"] = ""
        key = (r.get("city"), r.get("policy_id") or r.get("policy"), r.get("metric"), r["target"], r.get("year"))
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


# -- the source viewer ------------------------------------------------------------------------------


def _marked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text escaped, with the given [start, end) spans inside <mark>."""
    spans = sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s and s < len(text))
    out, at = [], 0
    for s, e in spans:
        if s < at:
            s = at
        if e <= s:
            continue
        out += [escape(text[at:s]), f"<mark>{escape(text[s:e])}</mark>"]
        at = e
    out.append(escape(text[at:]))
    return "".join(out)


def meta_html(meta: dict) -> str:
    """A document's title, validity badge and metadata lines."""
    rows = [
        ("文号", meta.get("doc_no")),
        ("地区", meta.get("jurisdiction") or meta.get("city")),
        ("发文机关", cell(meta.get("issuers"))),
        ("发布日期", meta.get("issued")),
        ("施行日期", meta.get("effective")),
        ("有效期至", meta.get("expiry")),
        ("规划期", meta.get("period")),
    ]
    lines = "".join(f"<div><b>{k}</b>：{escape(str(v))}</div>" for k, v in rows if v)
    return (
        f'<div class="pkg-docmeta"><h3>{escape(str(meta.get("title") or ""))} '
        f"{validity_badge(str(meta.get('validity') or ''))}</h3>{lines}</div>"
    )


def source_html(
    meta: dict, measures: Sequence[dict], focus: str = "", spans: Sequence[tuple[int, int]] = ()
) -> str:
    """The document as ingested, section by section, with the focused measure highlighted (the cited
    sentences marked) and its section path shown above the text."""
    parts = [f'<div class="pkg-source">{meta_html(meta)}']
    focused = next((m for m in measures if m.get("measure_id") == focus), None)
    if focused is not None:
        section, name = str(focused.get("section") or ""), _measure_name(focused)
        repeated = section.replace(" ", "").endswith(name.replace(" ", ""))  # a section's own text
        where = " › ".join(x for x in (section, "" if repeated else name) if x)
        parts.append(f'<p class="pkg-context">所在位置：{escape(where)}</p>')
    section = None
    for m in measures:
        sec = str(m.get("section") or "")
        if sec and sec != section:
            parts.append(f"<h4>{escape(sec)}</h4>")
            section = sec
        text = str(m.get("text") or "")
        start = int(m.get("start") or 0)
        is_focus = m.get("measure_id") == focus
        local = [(s - start, e - start) for s, e in spans] if is_focus else []
        body = _marked(text, local) if local else escape(text)
        body = re.sub(r"\*\*", "", body)
        cls = "pkg-clause pkg-focus" if is_focus else "pkg-clause"
        parts.append(f'<div class="{cls}" data-measure="{escape(str(m.get("measure_id") or ""))}">{body}</div>')
    parts.append("</div>")
    return "".join(parts)
