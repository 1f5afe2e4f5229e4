"""The evidence subgraph as an inline SVG: a layered left-to-right drawing with no external resource.

Layers follow the graph model's reading order (policy → section → measure → departments, support,
targets → beneficiaries, topics); labels the model does not know are placed one layer after their
deepest parent. Within a layer, nodes are ordered by the mean position of their parents so that
edges cross less.
"""

from __future__ import annotations

from collections import defaultdict
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
    "Organisation": "机构",
}
NODE_W, NODE_H, GAP_X, GAP_Y, PAD = 168, 34, 64, 12, 16
MAX_PER_LAYER = 24
MAX_CHARS = 11


def _name(node: dict) -> str:
    for key in ("name", "title", "text", "metric", "kind", "id"):
        if node.get(key):
            return str(node[key])
    return "?"


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
        f'height="{height:.0f}" font-size="12">'
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
    return (
        f'<path d="M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" '
        f'fill="none" stroke="#9aa5b1" stroke-width="1.2"><title>{escape(e["type"])}</title></path>'
    )


def _node(node: dict, x: float, y: float) -> str:
    label = str(node.get("label", ""))
    color = LABEL_COLOR.get(label, "#455a64")
    name = _name(node)
    tag = LABEL_ZH.get(label, label)
    return (
        f'<g class="pkg-node" data-label="{escape(label)}"><title>{escape(tag)}：{escape(name)}</title>'
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{NODE_W}" height="{NODE_H}" rx="7" fill="{color}" '
        f'fill-opacity="0.1" stroke="{color}"/>'
        f'<text x="{x + 8:.0f}" y="{y + NODE_H / 2 + 4:.0f}" fill="{color}">'
        f'<tspan font-weight="600">{escape(tag)}</tspan> {escape(_short(name))}</text></g>'
    )
