"""Scoring of whole answers against gold entries, on a hand-built document and hand-built answers."""

from __future__ import annotations

import pytest

from eval.report import format_markdown, format_table
from eval.run import (
    Clause,
    Doc,
    GoldError,
    GoldQuestion,
    QuestionResult,
    SectionSpan,
    department_aliases,
    resolve_source,
    score_answer,
    signal_ranks,
    summarize,
)
from rag.model import Answer, Citation, Hit

TEXT = (
    "一、主要目标\n到 2027 年，培育 100 家开源商业化企业。\n"
    "二、重点任务\n（一）防范开源供应链风险。做好安全防护。（责任单位：市经济信息化委、市委网信办）\n"
    "（二）加强开源文化宣传。举办开发者大会。（责任单位：市科委）\n"
    "本方案自 2025 年 12 月 15 日起施行。\n"
)


def _span(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


def _doc() -> Doc:
    goal, m1, m2 = "到 2027 年，培育 100 家开源商业化企业。", "（一）防范开源供应链风险", "（二）加强开源文化宣传"
    m1_text = TEXT[TEXT.index(m1) : TEXT.index("（二）")].strip()
    m2_text = TEXT[TEXT.index(m2) : TEXT.index("本方案")].strip()
    clauses = [
        Clause("p:goal", "", "", goal, *_span(goal), sections=[("一、", "主要目标")]),
        Clause("p:m1", "（一）", "防范开源供应链风险", m1_text, *_span(m1_text), sections=[("二、", "重点任务")]),
        Clause("p:m2", "（二）", "加强开源文化宣传", m2_text, *_span(m2_text), sections=[("二、", "重点任务")]),
    ]
    sections = [SectionSpan("一、", "主要目标", 0, TEXT.index("二、")),
                SectionSpan("二、", "重点任务", TEXT.index("二、"), len(TEXT))]
    return Doc("p", "示例开源方案", "沪示〔2025〕1号", TEXT, "示例开源方案\n沪示〔2025〕1号\n2025-12-05", clauses, sections)


def _cite(clause: Clause, quote: str | None = None) -> Citation:
    return Citation(doc_no="沪示〔2025〕1号", title="示例开源方案", city="上海", section="二、重点任务",
                    measure=f"{clause.number}{clause.title}", quote=quote or clause.text, policy_id="p",
                    measure_id=clause.measure_id, start=clause.start, end=clause.end)


DEPT_Q = GoldQuestion(
    id="q1", persona="civil_servant", question="开源供应链安全谁牵头？", intent="departments",
    sources=[{"doc_no": "沪示〔2025〕1号", "measure": "(一)"}],
    departments=["上海市经济和信息化委员会", "中共上海市委网络安全和信息化委员会办公室"],
    departments_as_written=["市经济信息化委", "市委网信办"],
)
TARGET_Q = GoldQuestion(
    id="q2", persona="researcher", question="开源商业化企业目标多少？", intent="targets",
    facts=["100", "2027"], sources=[{"doc_no": "沪示〔2025〕1号", "section": "一、"}],
)
ABSTAIN_Q = GoldQuestion(id="q3", persona="enterprise", question="北京有补贴吗？", intent="support", abstain=True)


def test_sources_resolve_by_number_section_anchor_and_document():
    doc = _doc()
    assert resolve_source({"doc_no": "沪示〔2025〕1号", "measure": "（一）"}, [doc]).measure_ids == {"p:m1"}
    goal = resolve_source({"title": "开源方案", "section": "一、"}, [doc])
    assert goal.measure_ids == {"p:goal"} and "主要目标" in goal.text
    closing = resolve_source({"doc_no": "沪示〔2025〕1号", "anchor": "起施行"}, [doc])
    assert not closing.measure_ids and closing.spans and "2025 年 12 月 15 日" in closing.text
    header = resolve_source({"doc_no": "沪示〔2025〕1号"}, [doc])
    assert header.whole_document and "2025-12-05" in header.text
    with pytest.raises(GoldError):
        resolve_source({"doc_no": "沪示〔2025〕1号", "measure": "（九）"}, [doc])
    with pytest.raises(GoldError):
        resolve_source({"doc_no": "京示〔2025〕1号", "measure": "（一）"}, [doc])


def _score(q: GoldQuestion, answer: Answer):
    doc = _doc()
    sources = [resolve_source(s, [doc]) for s in q.sources]
    return score_answer(q, answer, sources, {"p": doc}, department_aliases([DEPT_Q]))


def test_a_correct_department_answer_passes():
    m1 = _doc().clauses[1]
    answer = Answer(question=DEPT_Q.question, intent="departments", answer="由市经济信息化委、市委网信办负责。",
                    departments=["上海市经济和信息化委员会", "中共上海市委网络安全和信息化委员会办公室"],
                    citations=[_cite(m1)])
    r = _score(DEPT_Q, answer)
    assert r.passed, r.reasons
    assert r.department_score.exact and r.precise_citations == 1 and r.sources_cited == 1
    assert r.invented_departments == [] and r.invented_numbers == []


def test_an_extra_department_fails_and_counts_as_invented():
    m1 = _doc().clauses[1]
    answer = Answer(question=DEPT_Q.question, intent="departments", answer="……",
                    departments=["上海市经济和信息化委员会", "中共上海市委网络安全和信息化委员会办公室", "上海市科学技术委员会"],
                    citations=[_cite(m1)])
    r = _score(DEPT_Q, answer)
    assert not r.passed and r.department_score.fp == 1
    assert r.invented_departments == ["上海市科学技术委员会"]


def test_citing_the_wrong_clause_fails_and_lowers_precision():
    m2 = _doc().clauses[2]
    answer = Answer(question=DEPT_Q.question, intent="departments", answer="……",
                    departments=["上海市经济和信息化委员会", "中共上海市委网络安全和信息化委员会办公室"],
                    citations=[_cite(m2)])
    r = _score(DEPT_Q, answer)
    assert not r.passed and "no citation among the expected sources" in r.reasons
    assert r.precise_citations == 0


def test_a_target_answer_needs_its_facts_and_may_not_invent_numbers():
    goal = _doc().clauses[0]
    good = Answer(question=TARGET_Q.question, intent="targets", answer="到2027年培育100家。",
                  citations=[_cite(goal)])
    assert _score(TARGET_Q, good).passed
    padded = Answer(question=TARGET_Q.question, intent="targets", answer="到2027年培育100家，每家奖励 50 万元。",
                    citations=[_cite(goal)])
    r = _score(TARGET_Q, padded)
    assert r.passed and r.invented_numbers == ["50"]
    short = Answer(question=TARGET_Q.question, intent="targets", answer="培育100家。", citations=[_cite(goal)])
    r = _score(TARGET_Q, short)
    assert not r.passed and r.missing_facts == ["2027"]


def test_a_citation_quoting_an_expected_fact_is_precise_even_from_another_clause():
    goal, m2 = _doc().clauses[0], _doc().clauses[2]
    answer = Answer(question=TARGET_Q.question, intent="targets", answer="到2027年培育100家。",
                    citations=[_cite(goal), _cite(m2, quote="到2027年，培育100家"), _cite(m2)])
    r = _score(TARGET_Q, answer)
    assert (r.citations, r.precise_citations, r.sources_cited) == (3, 2, 1)


def test_abstention_is_judged_both_ways():
    assert _score(ABSTAIN_Q, Answer(question="北京有补贴吗？", intent="support", answer="语料未涉及北京。",
                                    abstained=True)).passed
    assert not _score(ABSTAIN_Q, Answer(question="北京有补贴吗？", intent="support", answer="有。")).passed
    goal = _doc().clauses[0]
    r = _score(TARGET_Q, Answer(question="?", intent="targets", answer="到2027年培育100家。", abstained=True,
                                citations=[_cite(goal)]))
    assert not r.passed and "abstained, should answer" in r.reasons


def test_signal_ranks_find_the_first_hit_from_an_expected_clause():
    hits = {
        "bm25": [Hit("c1", "p:m2", 3.0, "bm25"), Hit("c2", "p:m1", 2.0, "bm25")],
        "dense": [Hit("c3", "p:goal", 0.9, "dense")],
        "fused": [Hit("c2", "p:m1", 0.1, "fused")],
    }
    assert signal_ranks(hits, {"p:m1"}) == {"bm25": 2, "dense": None, "fused": 1}


def test_summary_and_reports_carry_the_figures():
    m1, goal = _doc().clauses[1], _doc().clauses[0]
    good = _score(DEPT_Q, Answer(question="", intent="departments", answer="市经济信息化委、市委网信办",
                                 departments=["市经济信息化委", "市委网信办"], citations=[_cite(m1)]))
    good.ranks = {"bm25": 2, "fused": 1}
    bad = _score(TARGET_Q, Answer(question="", intent="targets", answer="培育100家，奖励 50 万元",
                                  citations=[_cite(goal)]))
    bad.ranks = {"bm25": None, "fused": 3}
    abstained = _score(ABSTAIN_Q, Answer(question="", intent="support", answer="未涉及", abstained=True))
    errored = QuestionResult("q4", "researcher", "targets", "?", False, error="RuntimeError: boom", reasons=["error"])
    s = summarize([good, bad, abstained, errored])
    assert s["pass"]["overall"] == pytest.approx(2 / 4)
    assert s["pass"]["civil_servant"] == 1.0 and s["pass"]["researcher"] == 0.0
    assert s["departments"]["exact_match"] == 1.0
    assert s["invented"]["numbers"] == 1 and s["invented"]["cases"][0]["id"] == "q2"
    assert s["retrieval"]["fused"]["hit@1"] == 0.5 and s["retrieval"]["fused"]["hit@5"] == 1.0
    assert s["retrieval"]["bm25"]["mrr"] == pytest.approx(0.25)
    assert s["abstention"]["false_abstentions"] == 0 and s["abstention"]["unanswerable"] == 1
    assert [e["id"] for e in s["errors"]] == ["q4"]
    table, md = format_table(s), format_markdown(s)
    assert "50.0%" in table and "q2" in table and "fused" in table
    assert "| fused | 2 | 0.500 | 1.000 |" in md and "## Failed questions" in md


def test_citation_precision_is_reported_per_part():
    m1, m2 = _doc().clauses[1], _doc().clauses[2]
    right = _score(DEPT_Q, Answer(question="", intent="departments", answer="市经济信息化委、市委网信办",
                                  departments=["市经济信息化委", "市委网信办"], citations=[_cite(m1)]))
    wrong = _score(DEPT_Q, Answer(question="", intent="departments", answer="市科委",
                                  departments=["市科委"], citations=[_cite(m1), _cite(m2)]))
    right.part, wrong.part = "dev", "eval"
    parts = summarize([right, wrong])["parts"]
    assert (parts["dev"]["citations"]["precise"], parts["dev"]["citations"]["cited"]) == (1, 1)
    assert (parts["eval"]["citations"]["precise"], parts["eval"]["citations"]["cited"]) == (1, 2)
    report = format_markdown(summarize([right, wrong]))
    assert "| part eval: citation precision | 50.0%  (1/2 citations) |" in report
    assert "| citation precision | 66.7%  (2/3 citations) |" in report  # all parts together


def test_the_held_out_part_is_also_reported_without_its_exposed_questions():
    m1 = _doc().clauses[1]
    right = _score(DEPT_Q, Answer(question="", intent="departments", answer="市经济信息化委、市委网信办",
                                  departments=["市经济信息化委", "市委网信办"], citations=[_cite(m1)]))
    wrong = _score(DEPT_Q, Answer(question="", intent="departments", answer="市科委", departments=["市科委"],
                                  citations=[_cite(m1)]))
    exposed = _score(DEPT_Q, Answer(question="", intent="departments", answer="市经济信息化委、市委网信办",
                                    departments=["市经济信息化委", "市委网信办"], citations=[_cite(m1)]))
    dev = _score(DEPT_Q, Answer(question="", intent="departments", answer="市科委", departments=["市科委"]))
    right.part = wrong.part = exposed.part = "eval"
    exposed.exposed, dev.part = True, "dev"
    parts = summarize([right, wrong, exposed, dev])["parts"]
    assert parts["eval"]["pass"] == pytest.approx(2 / 3)  # every held-out question
    assert parts["eval"]["never_exposed"] == {"n": 2, "pass": 0.5, "exposed": 1}
    assert "never_exposed" not in parts["dev"]  # nothing of the tuned-on part is held out
    report, table = format_markdown(summarize([right, wrong, exposed, dev])), format_table(summarize([right, wrong, exposed]))
    assert "| held-out, never exposed | 50.0% of 2  (1 exposed left out) |" in report
    assert "held-out, never exposed" in table and "50.0% of 2" in table


def test_only_a_held_out_question_can_be_marked_exposed():
    from eval.run import DEVCORPUS_GOLD, _gold_question, load_gold

    entry = {"id": "x1", "persona": "anyone", "question": "北京对开源项目有什么补贴？", "part": "eval",
             "exposed": True, "expected": {"abstain": True}}
    assert _gold_question(entry).exposed
    with pytest.raises(GoldError):
        _gold_question({**entry, "part": "dev"})
    with pytest.raises(GoldError):
        _gold_question({**entry, "exposed": "yes"})
    questions = load_gold(DEVCORPUS_GOLD)  # the development questions' marks are valid
    assert all(q.part == "eval" for q in questions if q.exposed)
    assert any(q.exposed for q in questions) and any(q.part == "eval" and not q.exposed for q in questions)
