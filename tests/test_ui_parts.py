"""The app's building blocks on their own: upload safety, the evidence SVG, chat rendering, charts, CSV."""

from __future__ import annotations

import csv
import itertools
import re
import stat
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.model import Answer, Citation
from ui import render
from ui.charts import cjk_font, targets_figure
from ui.graphsvg import subgraph_svg
from ui.uploads import UploadError, sanitize_filename, store_upload

TRAVERSAL_NAMES = [
    "../../etc/passwd.txt",
    "..\\..\\windows\\system.ini.txt",
    "/etc/cron.d/evil.md",
    "....//x.txt",
    "a/../../b.pdf",
    "\x00evil.txt",
    "ev\nil\r.txt",
    "..",
    ".",
    "",
    "  ..  ",
    "C:\\temp\\x.txt",
]


@pytest.mark.parametrize("name", TRAVERSAL_NAMES)
def test_sanitized_names_stay_in_their_folder(name, tmp_path):
    clean = sanitize_filename(name)
    assert clean and "/" not in clean and "\\" not in clean and ".." not in clean
    assert not any(ord(ch) < 32 for ch in clean)
    assert (tmp_path / clean).resolve().parent == tmp_path.resolve()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_name_sanitizes_to_a_plain_basename(name):
    clean = sanitize_filename(name)
    assert clean and clean not in (".", "..")
    assert not re.search(r"[\\/\x00-\x1f]|\.\.", clean)
    assert len(clean) <= 120


def test_sanitizing_keeps_chinese_titles_and_the_suffix():
    assert sanitize_filename("../上海市加强开源体系建设实施方案.txt") == "上海市加强开源体系建设实施方案.txt"


def test_store_upload_writes_a_private_copy(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("一、总则\n（一）内容。\n", encoding="utf-8")
    uploads = tmp_path / "data" / "uploads"
    stored = store_upload(src, "../../escape.txt", uploads, max_mb=1)
    assert stored.name == "escape.txt" and stored.parent.parent == uploads  # uploads/<content hash>/name
    assert stored.read_text(encoding="utf-8") == src.read_text(encoding="utf-8")
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(uploads.stat().st_mode) == 0o700
    assert not (tmp_path / "escape.txt").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("noext", b"text", "不支持的文件类型"),
        ("empty.txt", b"", "文件为空"),
        ("big.txt", b"a" * (1024 * 1024 + 1), "文件过大"),
    ],
)
def test_store_upload_refuses_with_a_message(tmp_path, name, content, message):
    src = tmp_path / "src"
    src.write_bytes(content)
    with pytest.raises(UploadError, match=message):
        store_upload(src, name, tmp_path / "uploads", max_mb=1)
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())


SUBGRAPH = {
    "nodes": [
        {"id": "p1", "label": "Policy", "name": "上海市加强开源体系建设实施方案"},
        {"id": "m1", "label": "Measure", "title": "防范开源供应链风险"},
        {"id": "d1", "label": "Department", "name": "上海市经济和信息化委员会"},
        {"id": "d2", "label": "Department", "name": "<script>alert(1)</script>"},
        {"id": "s1", "label": "Support", "kind": "补贴"},
        {"id": "b1", "label": "Beneficiary", "name": "企业"},
        {"id": "x1", "label": "Unknown", "name": "其他"},
    ],
    "edges": [
        {"source": "p1", "target": "m1", "type": "CONTAINS"},
        {"source": "m1", "target": "d1", "type": "RESPONSIBLE"},
        {"source": "m1", "target": "d2", "type": "RESPONSIBLE"},
        {"source": "m1", "target": "s1", "type": "OFFERS"},
        {"source": "s1", "target": "b1", "type": "FOR"},
        {"source": "b1", "target": "x1", "type": "RELATED"},
        {"source": "m1", "target": "missing", "type": "DANGLING"},
    ],
}


def _rects(svg: str) -> dict[str, tuple[float, float]]:
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    out = {}
    for g in root.findall("s:g", ns):
        title = g.find("s:title", ns).text
        rect = g.find("s:rect", ns)
        out[title] = (float(rect.get("x")), float(rect.get("y")))
    return out


def test_subgraph_svg_is_wellformed_layered_and_escaped():
    svg = subgraph_svg(SUBGRAPH)
    rects = _rects(svg)  # parses: well-formed XML, so user text cannot break out
    assert len(rects) == 7
    assert "<script>" not in svg
    x = {t.split("：", 1)[1]: pos[0] for t, pos in rects.items()}
    assert x["上海市加强开源体系建设实施方案"] < x["防范开源供应链风险"] < x["上海市经济和信息化委员会"]
    assert x["上海市经济和信息化委员会"] == x["补贴"] < x["企业"] < x["其他"]
    assert svg.count("<path") == 6  # the dangling edge is dropped
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # no external resource


def test_empty_subgraph_draws_nothing():
    assert subgraph_svg({"nodes": [], "edges": []}) == ""
    assert subgraph_svg(None) == ""


def _answer(**kw) -> Answer:
    base = dict(question="q", intent="departments", answer="由**市经济信息化委**负责。\n\n第二段，说明。")
    base.update(kw)
    return Answer(**base)


def test_answer_markdown_numbers_citations_and_escapes_quotes():
    cites = [
        Citation(
            doc_no="沪府办〔2025〕33号",
            title="方案",
            city="上海",
            section="二、工程",
            measure="（十二）防范开源供应链风险",
            quote="建立<b>监测</b>机制。",
        ),
        Citation(doc_no=None, title="另一方案", city="南京", section="三、", measure="1.", quote="引用二"),
    ]
    md = render.answer_markdown(_answer(citations=cites))
    assert md.index("由<strong>市经济信息化委</strong>负责") < md.index("[1]") < md.index("[2]")
    assert md.count("<details") == 2 and "建立&lt;b&gt;监测&lt;/b&gt;机制。" in md
    assert "另一方案" in md  # a citation without 文号 is named by its title


def test_notices_for_abstention_and_missing_graph():
    md = render.answer_markdown(_answer(abstained=True, graph_available=False, warnings=["LLM 不可用"]))
    assert render.NOTICE_ABSTAINED in md and render.NOTICE_NO_GRAPH in md and "LLM 不可用" in md
    assert render.NOTICE_NO_GRAPH not in render.answer_markdown(_answer())


@given(st.text(max_size=400))
def test_stream_pieces_grow_to_the_whole_text(text):
    pieces = list(render.stream_pieces(text))
    assert all(a == b[: len(a)] and len(a) < len(b) for a, b in itertools.pairwise(pieces))
    assert (pieces[-1] if pieces else "") == text


def test_csv_export_has_chinese_headers_and_joined_lists(tmp_path):
    rows = [
        {"city": "上海", "policy": "方案", "departments": ["市经济信息化委", "市委网信办"], "quote": "原文"}
    ]
    path = render.write_csv(rows, render.SUPPORT_COLUMNS, "support")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    assert table[0] == ["城市", "责任部门", "政策", "原文"]
    assert table[1] == ["上海", "市经济信息化委、市委网信办", "方案", "原文"]
    assert render.write_csv([], render.SUPPORT_COLUMNS, "support") is None


def test_outline_html_lists_measures_with_departments():
    outline = {
        "id": "p",
        "title": "方案<x>",
        "city": "上海",
        "doc_no": "沪府办〔2025〕33号",
        "measures": [
            {"number": "（一）", "title": "打造社区", "section": "二、工程", "departments": ["市科委"]},
            {"number": "（二）", "title": "培育企业", "section": "二、工程", "departments": []},
        ],
    }
    html = render.outline_html(outline)
    assert "方案&lt;x&gt;" in html and html.count("pkg-measure") == 2 and html.count("<h4>") == 1
    assert "市科委" in html


def test_targets_chart_groups_metrics_and_uses_a_cjk_font_when_installed():
    rows = [
        {"city": c, "metric": m, "value": v, "unit": "个", "year": 2027}
        for c, m, v in [
            ("上海", "开源社区数量", 2),
            ("南京", "开源社区数量", 5),
            ("重庆", "开源项目数量", 200),
        ]
    ]
    fig = targets_figure(rows)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0].startswith("开源社区数量") and len(titles) == 2  # shared metric first
    font = cjk_font()
    if font:
        assert font in fig.axes[0].title.get_fontfamily()
    assert targets_figure([{"city": "上海", "metric": "", "value": None}]) is None


def test_the_app_caps_malloc_arenas_unless_the_operator_chose(monkeypatch):
    import platform

    from ui.memory import limit_malloc_arenas

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("mallopt arenas are glibc's")
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert limit_malloc_arenas() is True
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False


def test_gradio_keeps_a_small_event_record_summarised_rarely(monkeypatch):
    """Gradio reads these when its queue is made: a record of 200 events, summarised every 100."""
    import gradio as gr

    from ui.memory import bound_gradio_event_record

    monkeypatch.delenv("GRADIO_ANALYTICS_MAX_EVENTS", raising=False)
    monkeypatch.delenv("GRADIO_ANALYTICS_CACHE_FREQUENCY", raising=False)
    bound_gradio_event_record()
    with gr.Blocks() as demo:
        gr.Markdown("x")
    demo.queue()
    assert demo._queue.ANALYTICS_MAX_EVENTS == 200 and demo._queue.ANAYLTICS_CACHE_FREQUENCY == 100
