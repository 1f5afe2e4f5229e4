"""The evidence subgraph as an inline SVG: a layered left-to-right drawing with no external resource.

Layers follow the graph model's reading order (policy → section → measure → departments, support,
targets → beneficiaries, topics); labels the model does not know are placed one layer after their
deepest parent. Within a layer, nodes are ordered by the mean position of their parents so that
edges cross less.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from html import escape

LABEL_LAYER: dict[str, int] = {
    "City": 0,
    "Policy": 1,
    "Section": 2,
    "Measure": 3,
    "Department": 4,
    "Support": 4,
    "Target": 4,
    "Deadline": 4,
    "Region": 4,
    "Organisation": 4,
    "Beneficiary": 5,
    "Topic": 5,
}
LABEL_COLOR: dict[str, str] = {
    "Policy": "#1f4e79",
    "Section": "#3b6ea5",
    "Measure": "#5b8fc9",
    "Department": "#b5562b",
    "Support": "#2e7d32",
    "Target": "#7b3fa0",
    "Deadline": "#8d6e00",
    "Region": "#00796b",
    "Beneficiary": "#558b2f",
    "Topic": "#616161",
    "City": "#37474f",
    "Organisation": "#6d4c41",
}
LABEL_ZH: dict[str, str] = {
    "Policy": "政策",
    "Section": "章节",
    "Measure": "措施",
    "Department": "部门",
    "Support": "支持",
    "Target": "目标",
    "Deadline": "期限",
    "Region": "区域",
    "Beneficiary": "对象",
    "Topic": "主题",
    "City": "城市",
    "Jurisdiction": "辖区",
    "Organisation": "机构",
}
REL_ZH: dict[str, str] = {
    "CONTAINS": "包含措施",
    "HAS_SECTION": "包含章节",
    "HAS_MEASURE": "章节含措施",
    "RESPONSIBLE": "负责",
    "OFFERS": "提供支持",
    "SETS": "设定目标",
    "FOR": "支持对象",
    "ABOUT": "涉及主题",
    "HAS_DEADLINE": "期限",
    "IN_REGION": "所在区域",
    "OF_CITY": "所属城市",
    "ISSUED_BY": "发文机关",
    "MENTIONS": "提及",
    "LEADS": "牵头",
    "COOPERATES": "配合",
}
PROP_ZH: dict[str, str] = {
    "name": "名称",
    "title": "标题",
    "kind": "类型",
    "what": "支持内容",
    "amount": "金额",
    "rate": "比例",
    "cap": "上限",
    "condition": "条件",
    "metric": "指标",
    "value": "数值",
    "unit": "单位",
    "comparator": "表述",
    "year": "年份",
    "doc_no": "文号",
    "city": "城市",
    "number": "编号",
    "issued": "发布日期",
    "effective": "施行日期",
    "expiry": "有效期至",
    "period": "规划期",
    "date": "日期",
    "aliases": "简称",
    "role": "角色",
    "text": "原文",
    "quote": "原文",
}
# Context nodes (topics, regions …) explain little of an answer; they are shown on request only.
SUPPORTING = frozenset({"Policy", "Measure", "Department", "Support", "Target", "Deadline", "Beneficiary"})
NODE_W, NODE_H, GAP_X, GAP_Y, PAD = 168, 34, 64, 12, 16
MAX_PER_LAYER = 24
MAX_CHARS = 11


def _num(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _name(node: dict) -> str:
    """The node's caption: support shows its kind and amount, a target its metric and value."""
    label = node.get("label")
    if label == "Support":
        money = node.get("amount") or node.get("cap") or node.get("rate")
        kind = node.get("kind") or node.get("name") or "支持"
        return f"{kind} {_num(money)}" if money else str(kind)
    if label == "Target" and node.get("value") is not None:
        metric = node.get("metric") or node.get("name") or ""
        return f"{metric} {_num(node['value'])}{node.get('unit') or ''}"
    if label == "Deadline" and (node.get("date") or node.get("text")):
        return str(node.get("date") or node.get("text"))
    if label == "Section" and (node.get("title") or node.get("number")):
        return " ".join(str(node[k]) for k in ("number", "title") if node.get(k))
    for key in ("name", "title", "text", "metric", "kind"):
        if node.get(key) and node.get(key) != "deadline":
            return str(node[key])
    return ""  # an internal id means nothing to a reader: the kind label alone


def _props(node: dict) -> dict[str, str]:
    """The node's properties worth reading, under Chinese names, internal ids left out."""
    out = {"类别": LABEL_ZH.get(str(node.get("label")), str(node.get("label") or ""))}
    for key, zh in PROP_ZH.items():
        value = node.get(key)
        if value in (None, "", [], "deadline"):
            continue
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        text = _num(value).replace("**", "")
        out[zh] = text if len(text) <= 400 else text[:399] + "…"
    return out


def supporting(subgraph: dict, measure_ids: Sequence[str]) -> dict:
    """Only the nodes that carry the answer: the cited measures, their policies and their departments,
    support, targets and deadlines (with the beneficiaries of that support). Without citations, the
    subgraph's supporting kinds."""
    nodes = {str(n["id"]): n for n in subgraph.get("nodes", []) if n.get("id") is not None}
    edges = [e for e in subgraph.get("edges", []) if str(e.get("source")) in nodes and str(e.get("target")) in nodes]
    cited = {m for m in measure_ids if m in nodes}
    if not cited:
        keep = {nid for nid, n in nodes.items() if n.get("label") in SUPPORTING}
    else:
        keep = set(cited)
        for e in edges:
            s, t = str(e["source"]), str(e["target"])
            if t in cited and nodes[s].get("label") in ("Policy", "Section"):
                keep.add(s)
            if s in cited and nodes[t].get("label") in SUPPORTING:
                keep.add(t)
        for e in edges:
            s, t = str(e["source"]), str(e["target"])
            if s in keep and nodes[s].get("label") == "Support" and nodes[t].get("label") == "Beneficiary":
                keep.add(t)
    return {
        "nodes": [n for nid, n in nodes.items() if nid in keep],
        "edges": [e for e in edges if str(e["source"]) in keep and str(e["target"]) in keep],
    }


def evidence_html(subgraph: dict | None, expandable: bool = True) -> str:
    """The interactive evidence picture: the SVG with a toolbar (zoom, reset, a filter per kind), a
    properties panel for the clicked node and an "expand neighbours" action (ui/static/app.js)."""
    svg = subgraph_svg(subgraph)
    if not svg:
        return ""
    kinds = sorted({str(n.get("label")) for n in (subgraph or {}).get("nodes", []) if n.get("label")},
                   key=lambda k: (LABEL_LAYER.get(k, 9), k))
    boxes = "".join(
        f'<label class="pkg-kind"><input type="checkbox" checked data-kind="{escape(k)}">'
        f'<span style="color:{LABEL_COLOR.get(k, "#455a64")}">{escape(LABEL_ZH.get(k, k))}</span></label>'
        for k in kinds
    )
    expand = '<button type="button" class="pkg-expand" disabled>展开相邻节点</button>' if expandable else ""
    return (
        '<div class="pkg-graph">'
        '<div class="pkg-graph-bar"><button type="button" data-zoom="1.25" title="放大">＋</button>'
        '<button type="button" data-zoom="0.8" title="缩小">－</button>'
        f'<button type="button" data-zoom="0" title="复位">复位</button><span class="pkg-kinds">{boxes}</span></div>'
        f'<div class="pkg-svg-wrap">{svg}</div>'
        '<div class="pkg-node-info"><span class="pkg-muted">拖动平移、滚轮或按钮缩放；点击节点查看属性。</span></div>'
        f"{expand}</div>"
    )


def _short(text: str, limit: int = MAX_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _layers(nodes: dict[str, dict], edges: list[dict]) -> dict[str, int]:
    """Layer per node: the label's layer when known, else one after the deepest parent."""
    parents: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        parents[e["target"]].append(e["source"])
    layer: dict[str, int] = {}

    def visit(nid: str, seen: frozenset[str]) -> int:
        if nid in layer:
            return layer[nid]
        label = nodes[nid].get("label")
        if label in LABEL_LAYER:
            value = LABEL_LAYER[label]
        else:
            ps = [p for p in parents.get(nid, []) if p in nodes and p not in seen]
            value = 1 + max((visit(p, seen | {nid}) for p in ps), default=-1)
        layer[nid] = value
        return value

    for nid in nodes:
        visit(nid, frozenset())
    used = sorted(set(layer.values()))
    compact = {v: i for i, v in enumerate(used)}
    return {nid: compact[v] for nid, v in layer.items()}


def _order(columns: dict[int, list[str]], edges: list[dict]) -> None:
    """Sort each column by the mean row of its parents (one barycentre sweep), in place."""
    parents: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        parents[e["target"]].append(e["source"])
    row: dict[str, int] = {}
    for col in sorted(columns):
        ids = columns[col]
        first = {nid: i for i, nid in enumerate(ids)}

        def key(nid: str, first: dict[str, int] = first) -> tuple[float, int]:
            ps = [row[p] for p in parents.get(nid, []) if p in row]
            return (sum(ps) / len(ps) if ps else float(first[nid]), first[nid])

        ids.sort(key=key)
        del ids[MAX_PER_LAYER:]
        row.update({nid: i for i, nid in enumerate(ids)})


def subgraph_svg(subgraph: dict | None) -> str:
    """Inline SVG for {nodes: [{id, label, name, ...}], edges: [{source, target, type}]}; '' if empty."""
    subgraph = subgraph or {}
    nodes = {str(n["id"]): n for n in subgraph.get("nodes", []) if n.get("id") is not None}
    edges = [
        {"source": str(e["source"]), "target": str(e["target"]), "type": e.get("type", "")}
        for e in subgraph.get("edges", [])
        if str(e.get("source")) in nodes and str(e.get("target")) in nodes
    ]
    if not nodes:
        return ""
    layer = _layers(nodes, edges)
    columns: dict[int, list[str]] = defaultdict(list)
    for nid in nodes:
        columns[layer[nid]].append(nid)
    _order(columns, edges)
    height_rows = max(len(ids) for ids in columns.values())
    width = PAD * 2 + len(columns) * NODE_W + (len(columns) - 1) * GAP_X
    height = PAD * 2 + height_rows * (NODE_H + GAP_Y) - GAP_Y
    pos: dict[str, tuple[float, float]] = {}
    for col, ids in columns.items():
        offset = (height - len(ids) * (NODE_H + GAP_Y) + GAP_Y) / 2
        for i, nid in enumerate(ids):
            pos[nid] = (PAD + col * (NODE_W + GAP_X), offset + i * (NODE_H + GAP_Y))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pkg-subgraph" role="img" '
        f'aria-label="证据子图" viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" '
        f'height="{height:.0f}" font-size="12" data-w="{width:.0f}" data-h="{height:.0f}" '
        f'style="--h: {max(height, 160):.0f}px">'
    ]
    parts += [_edge(e, pos) for e in edges if e["source"] in pos and e["target"] in pos]
    parts += [_node(nodes[nid], *pos[nid]) for nid in pos]
    parts.append("</svg>")
    return "".join(parts)


def _edge(e: dict, pos: dict[str, tuple[float, float]]) -> str:
    (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
    if x2 >= x1:
        x1 += NODE_W
    else:
        x2 += NODE_W
    y1 += NODE_H / 2
    y2 += NODE_H / 2
    mid = (x1 + x2) / 2
    rel = REL_ZH.get(e["type"], e["type"])
    return (
        f'<path class="pkg-edge" data-source="{escape(e["source"])}" data-target="{escape(e["target"])}" '
        f'd="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" '
        f'fill="none" stroke="#9aa5b1" stroke-width="1.2"><title>{escape(rel)}</title></path>'
    )


def _node(node: dict, x: float, y: float) -> str:
    label = str(node.get("label", ""))
    color = LABEL_COLOR.get(label, "#455a64")
    name = _name(node)
    tag = LABEL_ZH.get(label, label)
    return (
        f'<g class="pkg-node" data-label="{escape(label)}" data-id="{escape(str(node.get("id")))}" '
        f'data-props="{escape(json.dumps(_props(node), ensure_ascii=False))}">'
        f"<title>{escape(tag)}：{escape(name)}</title>"
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{NODE_W}" height="{NODE_H}" rx="7" fill="{color}" '
        f'fill-opacity="0.1" stroke="{color}"/>'
        f'<text x="{x + 8:.0f}" y="{y + NODE_H / 2 + 4:.0f}" fill="{color}">'
        f'<tspan font-weight="600">{escape(tag)}</tspan> {escape(_short(name))}</text></g>'
    )
