"""Turning façade results into what the app shows: chat markdown, tables, outlines, CSV files.

Pure functions of their inputs, so each view can be checked without a browser.
"""

from __future__ import annotations

import csv
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from html import escape
from pathlib import Path

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
}
SUPPORT_COLUMNS = (
    "city",
    "kind",
    "what",
    "amount",
    "rate",
    "condition",
    "beneficiaries",
    "deadline",
    "departments",
    "measure",
    "policy",
    "doc_no",
    "quote",
)
TARGET_COLUMNS = ("city", "policy", "doc_no", "metric", "value", "unit", "comparator", "year", "quote")
DUTY_COLUMNS = ("department", "city", "policy", "doc_no", "measure", "role", "quote")
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
ROLE_ZH = {
    "responsible": "责任单位",
    "lead": "牵头",
    "co": "配合",
    "issuer": "发文",
    "support": "支持措施",
    "target": "目标",
    "deadline": "期限",
}

NOTICE_ABSTAINED = (
    "**提示：语料中没有找到可以回答这个问题的条款。**以下是已收录政策覆盖的内容，"
    "可换个问法，或在“政策浏览”中查看。"
)
NOTICE_NO_GRAPH = "**注意：**知识图谱暂时不可用，本回答仅基于文本检索，未使用图谱事实。"


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
    for key in ("quote", "what", "text"):
        if isinstance(out.get(key), str):
            out[key] = out[key].replace("**", "")
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


def citation_html(i: int, c: Citation) -> str:
    """One numbered citation, collapsed to its source, expanding to the quoted clause."""
    meta = "".join(
        f"<div><b>{k}</b>：{escape(v)}</div>"
        for k, v in (("政策", c.title), ("文号", c.doc_no or ""), ("章节", c.section), ("措施", c.measure))
        if v
    )
    return (
        f'<details class="pkg-cite"><summary>[{i}] {escape(_where(c))}</summary>'
        f"<blockquote>{escape(c.quote)}</blockquote>{meta}</details>"
    )


def notices(answer: Answer) -> list[str]:
    out = []
    if answer.abstained:
        out.append(NOTICE_ABSTAINED)
    if not answer.graph_available:
        out.append(NOTICE_NO_GRAPH)
    out += [f"**注意：**{w}" for w in answer.warnings]
    return out


def answer_markdown(answer: Answer) -> str:
    """The full assistant message: notices, the answer, then the numbered citations."""
    parts = [*notices(answer), answer.answer.strip()]
    if answer.citations:
        cites = "\n".join(citation_html(i, c) for i, c in enumerate(answer.citations, 1))
        parts.append(f"**来源**\n\n{cites}")
    return "\n\n".join(p for p in parts if p)


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
    lines = [
        f'<div class="pkg-outline"><h3>{escape(str(title))}</h3><p class="pkg-muted">{escape(facts)}</p>'
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
        lines.append(f'<div class="pkg-measure"><span>{escape(name)}</span>{tag}</div>')
    lines.append("</div>")
    return "".join(lines)
