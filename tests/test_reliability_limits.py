"""Bounded work on hostile input: front matter cannot expand, answers and documents have limits.

Each test feeds the input an attacker would send and checks the outcome is refused or capped with a
message, not computed at whatever cost the input asks for.
"""

from __future__ import annotations

import pytest

from corpus import parse_file
from corpus.model import LoadError

ALIAS_BOMB = (
    "---\n"
    "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "title: *g\n"
    "---\n"
    "一、总体要求\n（一）加强组织领导。\n"
)
BODY = "一、总体要求\n（一）加强组织领导。市经济信息化委负责。\n"


def test_front_matter_aliases_are_refused(tmp_path):
    doc = tmp_path / "bomb.md"
    doc.write_text(ALIAS_BOMB, encoding="utf-8")
    with pytest.raises(LoadError, match="alias"):
        parse_file(doc)


def test_a_plain_anchor_is_refused_too(tmp_path):
    doc = tmp_path / "anchor.md"
    doc.write_text("---\ntitle: &t 某某实施方案\n---\n" + BODY, encoding="utf-8")
    with pytest.raises(LoadError, match="alias"):
        parse_file(doc)


def test_an_oversized_front_matter_field_is_refused(tmp_path):
    doc = tmp_path / "long-title.md"
    doc.write_text("---\ntitle: " + "长" * 5000 + "\n---\n" + BODY, encoding="utf-8")
    with pytest.raises(LoadError, match="title"):
        parse_file(doc)


def test_an_oversized_front_matter_block_is_refused(tmp_path):
    doc = tmp_path / "big-block.md"
    keys = "".join(f"k{i}: {'值' * 100}\n" for i in range(400))
    doc.write_text("---\n" + keys + "---\n" + BODY, encoding="utf-8")
    with pytest.raises(LoadError, match="front matter"):
        parse_file(doc)


def test_a_sidecar_with_aliases_is_refused(tmp_path):
    doc = tmp_path / "plain.txt"
    doc.write_text(BODY, encoding="utf-8")
    (tmp_path / "plain.meta.yaml").write_text("x: &x 上海\ncity: *x\n", encoding="utf-8")
    with pytest.raises(LoadError, match="alias"):
        parse_file(doc)


def test_ordinary_front_matter_still_reads(tmp_path):
    doc = tmp_path / "ok.md"
    doc.write_text("---\ntitle: 上海市某某实施方案\ndoc_no: 沪府办〔2025〕1号\n---\n" + BODY, encoding="utf-8")
    policy = parse_file(doc)
    assert policy.meta.title == "上海市某某实施方案" and policy.meta.doc_no == "沪府办〔2025〕1号"


# -- bounded answers and documents ---------------------------------------------------------------

DEPARTMENT = "市经济信息化委"


def _many_measures(n: int) -> str:
    lines = ["上海市推进数字化转型的实施方案", "", "沪府办〔2025〕99号", "", "一、主要任务", ""]
    for i in range(1, n + 1):
        lines += [f"{i}.推进第{i}项数字化工作。加强数据共享和平台建设，支持企业开展数字化改造。"
                  f"（责任单位：{DEPARTMENT}、市发展改革委）", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def many_measures_kg(tmp_path_factory):
    """A façade over one document of 400 measures, with small answer caps (no dense model)."""
    from kg.embedded import stop_server
    from rag.pipeline import PolicyKG
    from rag.settings import Settings

    base = tmp_path_factory.mktemp("limits")
    (base / "docs").mkdir()
    (base / "docs" / "many.txt").write_text(_many_measures(400), encoding="utf-8")
    kg = PolicyKG(Settings(data_dir=base / "data", embedding_model="policykg-test-no-such-model",
                           embedding_fallback="", answer_max_items=30, answer_max_citations=10,
                           answer_max_chars=3000))
    try:
        kg.ingest([base / "docs"])
        yield kg
    finally:
        kg.close()
        stop_server(base / "data")


def test_a_duties_answer_is_capped_and_says_where_the_rest_is(many_measures_kg):
    answer = many_measures_kg.ask(f"{DEPARTMENT}负责哪些工作？")
    assert len(answer.citations) <= 10 and len(answer.facts) <= 30
    assert len(answer.answer) <= 3000 + 300  # the cap, plus the notice that says so
    notice = next(w for w in answer.warnings if "仅列出" in w)
    assert "400" in notice and "department_duties" in notice
    assert len(many_measures_kg.department_duties(DEPARTMENT)) == 400  # the rest, in full


def test_a_document_with_too_many_measures_is_refused(tmp_path):
    from kg.embedded import stop_server
    from rag.pipeline import PolicyKG
    from rag.settings import Settings

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "many.txt").write_text(_many_measures(120), encoding="utf-8")
    kg = PolicyKG(Settings(data_dir=tmp_path / "data", embedding_model="policykg-test-no-such-model",
                           embedding_fallback="", max_measures_per_document=100))
    try:
        report = kg.ingest([tmp_path / "docs"])
    finally:
        kg.close()
        stop_server(tmp_path / "data")
    assert report.documents == 0
    assert "120" in report.skipped[0]["reason"] and "100" in report.skipped[0]["reason"]


def test_a_question_over_its_time_budget_skips_what_is_optional(many_measures_kg, monkeypatch):
    settings = many_measures_kg.settings.model_copy(update={"question_time_budget": 0.0})
    monkeypatch.setattr(many_measures_kg, "settings", settings)
    monkeypatch.setattr(many_measures_kg._ready(), "settings", settings)
    answer = many_measures_kg.ask(f"{DEPARTMENT}负责哪些工作？")
    assert answer.answer and answer.citations
    assert any("时间" in w or "预算" in w for w in answer.warnings), answer.warnings


def test_a_clause_repeating_a_support_thousands_of_times_stays_bounded(tmp_path):
    """Work per question follows the caps, not the clause: a clause that offers 2,000 subsidies stores
    at most MAX_FACTS_PER_MEASURE of them, and the evidence picture reads a bounded neighbourhood."""
    from kg.embedded import stop_server
    from kg.extract import MAX_FACTS_PER_MEASURE
    from rag.answer import SUBGRAPH_MAX_EDGES
    from rag.pipeline import PolicyKG
    from rag.settings import Settings

    offers = "".join(f"对第{i}类企业给予最高{i}万元补贴。" for i in range(1, 2001))
    text = ("上海市支持企业发展的若干措施\n\n沪府办〔2025〕97号\n\n一、主要任务\n\n"
            f"1.支持企业发展。{offers}（责任单位：{DEPARTMENT}）\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "offers.txt").write_text(text, encoding="utf-8")
    kg = PolicyKG(Settings(data_dir=tmp_path / "data", embedding_model="policykg-test-no-such-model",
                           embedding_fallback=""))
    try:
        kg.ingest([tmp_path / "docs"])
        supports = kg.graph_stats()["nodes"].get("Support", 0)
        answer = kg.ask("上海对企业有什么补贴？")
    finally:
        kg.close()
        stop_server(tmp_path / "data")
    assert 100 <= supports <= MAX_FACTS_PER_MEASURE
    assert answer.citations and len(answer.subgraph.get("edges", [])) <= 3 * SUBGRAPH_MAX_EDGES

