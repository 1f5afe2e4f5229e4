"""The app's daily-use parts without a browser: citations one per measure, targets as written, cards,
the source viewer's marks, exports, validity, the support matcher's applicants, the ask adapter."""

from __future__ import annotations

import datetime as dt
import json
import re
from types import SimpleNamespace

from docx import Document

from rag.model import Answer, Citation
from ui import render
from ui.charts import targets_chart_html
from ui.graphsvg import evidence_html, supporting
from ui.service import AppService, Scope, Turn, validity


def _cite(mid: str, quote: str, start: int = 0, end: int = 0) -> Citation:
    return Citation(
        doc_no="沪府办〔2025〕33号",
        title="方案",
        city="上海",
        section="二、工程",
        measure=f"措施{mid}",
        quote=quote,
        policy_id="p1",
        measure_id=mid,
        start=start,
        end=end,
    )


def test_a_measure_cited_twice_is_one_source_and_its_marks_are_renumbered():
    text = "- 措施甲 [2]（责任单位原文 [1]）\n- 措施乙 [4]（责任单位原文 [3]）"
    cites = [_cite("m1", "（责任单位：市科委）"), _cite("m1", "甲"), _cite("m2", "（责任单位：市教委）"), _cite("m2", "乙")]
    shown, groups = render.merge_citations(text, cites)
    assert shown == "- 措施甲 [1]\n- 措施乙 [2]"
    assert [len(g) for g in groups] == [2, 2]
    md = render.answer_markdown(Answer(question="q", intent="duties", answer=text, citations=cites))
    assert md.count("<details") == 2 and "[3]" not in md


def test_bold_after_chinese_punctuation_is_rendered_not_left_as_stars():
    assert render.strong("**提示：没有找到。**以下是") == "<strong>提示：没有找到。</strong>以下是"
    assert "**" not in render.NOTICE_ABSTAINED
    assert render.normalise({"quote": "**支持**企业"})["quote"] == "支持企业"


def test_targets_show_ranges_without_bare_equals_and_restatements_once():
    rows = [
        {"city": "重庆", "policy": "方案", "metric": "开源社区", "value": 1.0, "unit": "个", "comparator": "=",
         "year": 2025, "quote": "建成1—2个具有全国影响力的开源社区"},
        {"city": "重庆", "policy": "方案", "metric": "开源社区", "value": 1.0, "unit": "个", "comparator": "=",
         "year": 2025, "quote": "建成1—2个具有全国影响力的开源社区"},
        {"city": "上海", "policy": "计划", "metric": "开源社区", "value": 3.0, "unit": "个", "comparator": "以上",
         "year": 2027, "quote": "建设 3 个以上开源社区"},
    ]
    shown = render.target_rows(rows)
    assert [r["target"] for r in shown] == ["1—2个", "3个"]
    assert shown[0]["comparator"] == "" and shown[1]["comparator"] == "以上"
    chart = targets_chart_html(shown)
    values = re.findall(r'pkg-bar-val">([^<]*)<', chart)
    assert sorted(values) == ["1—2个", "3个"]  # integers as written, no fractional reading


def test_every_metric_is_charted():
    rows = [{"city": "上海", "metric": f"指标{i}", "value": float(i + 1), "unit": "个", "target": f"{i + 1}个"}
            for i in range(14)]
    assert targets_chart_html(rows).count('class="pkg-panel"') == 14


def test_tables_carry_column_names_for_phone_cards_and_keep_quotes_wide():
    html = render.table_html([{"department": "市科委", "quote": "原文很长<b>"}], render.DUTY_COLUMNS, "t")
    assert 'data-label="原文"' in html and "pkg-col-quote" in html and "原文很长&lt;b&gt;" in html
    assert 'placeholder="在结果中筛选…"' in html
    assert render.table_html([], render.DUTY_COLUMNS, "t", empty="无") == '<p class="pkg-muted">无</p>'


def test_source_viewer_marks_the_cited_span_in_the_focused_clause():
    measures = [
        {"measure_id": "m1", "section": "一、目标", "text": "总体目标。", "start": 0, "end": 5},
        {"measure_id": "m2", "section": "二、任务", "number": "（一）", "measure_title": "开放数据",
         "text": "（一）开放数据。给予补贴。", "start": 5, "end": 18},
    ]
    meta = {"id": "p1", "title": "方案", "doc_no": "沪府办〔2025〕33号", "validity": "现行有效"}
    html = render.source_html(meta, measures, "m2", [(13, 17)])
    assert "<mark>给予补贴</mark>" in html and html.count("pkg-focus") == 1
    assert "现行有效" in html and "所在位置：二、任务 › （一） 开放数据" in html


def test_validity_from_status_or_dates():
    today = dt.date(2026, 6, 1)
    assert validity({"validity": "已失效"}, today) == "已失效"
    assert validity({"effective": "2027-01-01"}, today) == "尚未施行"
    assert validity({"effective": "2024-01-01", "expiry": "2025-12-31"}, today) == "已失效"
    assert validity({"effective": "2024-01-01", "expiry": "2028-12-31"}, today) == "现行有效"
    assert render.validity_badge("已失效").count("pkg-badge-expired") == 1


class FakeKG:
    """The façade's surface the service uses; `ask` records what it was given."""

    def __init__(self) -> None:
        self.settings = SimpleNamespace(data_dir=None, max_upload_mb=1)
        self.asked: list[tuple] = []
        self.answer: Answer | None = None

    def ask(self, question: str, history=None, scope=None) -> Answer:
        self.asked.append((question, history, scope))
        return self.answer or Answer(question=question, intent="general", answer="a")

    def policies(self) -> list[dict]:
        return [
            {"id": "p1", "title": "甲方案", "city": "上海"},
            {"id": "p2", "title": "乙计划", "city": "南京"},
            {"id": "p3", "title": "丙办法", "city": "重庆", "expiry": "2020-12-31"},
        ]

    def match_support(self, city=None, beneficiary=None, topic=None, kind=None) -> list[dict]:
        rows = [
            {"support_id": "s1", "kind": "补贴", "beneficiaries": ["主体"], "what": "算力补贴"},
            {"support_id": "s2", "kind": "补贴", "beneficiaries": ["企业"], "what": "研发补贴"},
            {"support_id": "s3", "kind": "补贴", "beneficiaries": ["高校"], "what": "课程"},
            {"support_id": "s2", "kind": "补贴", "beneficiaries": ["企业"], "what": "研发补贴"},
        ]
        return [r for r in rows if not kind or r["kind"] == kind]


def test_applicant_filter_keeps_support_offered_to_any_applicant():
    service = AppService(FakeKG())  # type: ignore[arg-type]
    assert [r["support_id"] for r in service.match_support(beneficiary="企业", kind="补贴")] == ["s1", "s2"]


def test_history_and_a_single_scope_go_to_the_facade_in_its_form():
    kg = FakeKG()
    service = AppService(kg)  # type: ignore[arg-type]
    cites = [{"policy_id": "p1", "measure_id": "m1", "title": "甲方案", "doc_no": None, "measure": "（一）"}]
    turn = Turn(question="“开放数据”由谁负责？", answer="市科委", citations=cites)
    service.ask("它的期限呢？", [turn], Scope(["上海"], ["p1"], True))
    question, history, scope = kg.asked[-1]
    assert question == "它的期限呢？" and history == [{"question": turn.question, "citations": cites}]
    assert scope == {"in_force": True, "document": "p1", "jurisdiction": "上海"}
    service.ask("有哪些补贴？")
    assert kg.asked[-1][1:] == (None, None)


def test_a_scope_of_several_documents_or_places_cuts_the_answer_to_them():
    kg = FakeKG()
    cites = [
        _cite("m1", "甲"),
        Citation(doc_no=None, title="乙计划", city="南京", section="", measure="1.", quote="乙",
                 policy_id="p2", measure_id="m2"),
    ]
    kg.answer = Answer(question="q", intent="support", answer="- 甲 [1]\n- 乙 [2]\n- 都 [1][2]", citations=cites)
    service = AppService(kg)  # type: ignore[arg-type]
    answer = service.ask("有哪些补贴？", [], Scope(jurisdictions=["南京", "重庆"]))
    assert kg.asked[-1][2] == {"in_force": False}
    assert answer.answer == "- 乙 [1]\n- 都 [1]" and [c.policy_id for c in answer.citations] == ["p2"]
    nothing = service.ask("有哪些补贴？", [], Scope(policy_ids=["p1", "p3"], in_force_only=True))
    assert [c.policy_id for c in nothing.citations] == ["p1"]
    assert not service.ask("有哪些补贴？", [], Scope(policy_ids=["p3", "p4"])).citations


def test_exports_carry_the_answer_and_numbered_sources(tmp_path):
    cites = [_cite("m1", "**给予**补贴"), _cite("m1", "（责任单位：市科委）")]
    answer = Answer(question="有哪些补贴？", intent="support", answer="给予**补贴** [1][2]", citations=cites)
    md = render.export_markdown(answer, "地区：上海")
    assert "# 有哪些补贴？" in md and "范围：地区：上海" in md and "1. 《方案》（沪府办〔2025〕33号）" in md
    assert "> 给予补贴" in md and "[2]" not in md
    doc = Document(render.export_docx(answer, tmp_path / "a.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "有哪些补贴？" in text and "[1] 《方案》" in text and "（责任单位：市科委）" in text


def test_evidence_keeps_only_nodes_that_support_the_answer_and_shows_amounts():
    sub = {
        "nodes": [
            {"id": "p1", "label": "Policy", "name": "方案"},
            {"id": "m1", "label": "Measure", "name": "算力补贴"},
            {"id": "m9", "label": "Measure", "name": "无关"},
            {"id": "s1", "label": "Support", "name": "补贴", "kind": "补贴", "amount": "最高100万元"},
            {"id": "t1", "label": "Topic", "name": "算力"},
        ],
        "edges": [
            {"source": "p1", "target": "m1", "type": "CONTAINS"},
            {"source": "p1", "target": "m9", "type": "CONTAINS"},
            {"source": "m1", "target": "s1", "type": "OFFERS"},
            {"source": "m1", "target": "t1", "type": "ABOUT"},
        ],
    }
    kept = supporting(sub, ["m1"])
    assert {n["id"] for n in kept["nodes"]} == {"p1", "m1", "s1"}
    html = evidence_html(kept)
    assert "补贴 最高100万元" in html and "提供支持" in html and "展开相邻节点" in html
    props = json.loads(html.split('data-id="s1" data-props="')[1].split('"')[0].replace("&quot;", '"'))
    assert props["金额"] == "最高100万元" and props["类别"] == "支持"
