"""The evaluation's metric functions on small hand-built inputs."""

from __future__ import annotations

import datetime as dt

import pytest

from eval.metrics import (
    SetScore,
    abstention_outcome,
    abstention_summary,
    f1,
    first_relevant_rank,
    has_fact,
    hit_at_k,
    invented_departments,
    invented_numbers,
    micro_macro_f1,
    missing_facts,
    normalize,
    numbers_in,
    ranking_summary,
    reciprocal_rank,
    score_departments,
)

SUPPLY_CHAIN = [["上海市经济和信息化委员会", "市经济信息化委"], ["中共上海市委网络安全和信息化委员会办公室", "市委网信办"]]


def test_normalize_folds_width_space_and_dashes():
    assert normalize("到 2027 年，打造 1—2 个") == "到2027年,打造1-2个"
    assert normalize("（十二）") == normalize("(十二)")
    assert normalize(None) == ""


def test_facts_match_across_spacing_and_alternative_spellings():
    answer = "有效期至 2028 年 12 月 14 日，最高10%的租用补贴。"
    assert has_fact(answer, "2028年12月14日")
    assert has_fact(answer, ["2028-12-14", "2028年12月14日"])
    assert has_fact(answer, "10%")
    assert not has_fact(answer, "20%")
    assert missing_facts(answer, ["10%", "租用补贴", "部署奖励", 2028]) == ["部署奖励"]


def test_a_date_matches_in_either_written_form():
    assert has_fact("发布日期：2023-09-18", "2023年9月18日")
    assert has_fact("自 2025 年 12 月 15 日起施行", "2025-12-15")
    assert not has_fact("2023-09-19", "2023年9月18日")
    assert normalize("2023—2025年") == "2023-2025年"


def test_exact_department_set_scores_perfect():
    score = score_departments(["上海市经济和信息化委员会", "中共上海市委网络安全和信息化委员会办公室"], SUPPLY_CHAIN)
    assert (score.tp, score.fp, score.fn) == (2, 0, 0)
    assert score.exact and score.f1 == 1.0


def test_department_written_form_counts_as_the_same_body():
    score = score_departments(["市委网信办", "上海市经济和信息化委员会"], SUPPLY_CHAIN)
    assert score.exact


def test_district_government_and_district_are_one_body():
    score = score_departments(["浦东新区"], [["上海市浦东新区人民政府", "浦东新区政府"]])
    assert score.exact


def test_extra_and_missing_departments_break_exact_match():
    extra = score_departments(["上海市经济和信息化委员会", "市委网信办", "上海市科学技术委员会"], SUPPLY_CHAIN)
    assert (extra.tp, extra.fp, extra.fn) == (2, 1, 0)
    assert not extra.exact
    assert extra.f1 == pytest.approx(0.8)
    missing = score_departments(["市经济信息化委"], SUPPLY_CHAIN)
    assert (missing.tp, missing.fp, missing.fn) == (1, 0, 1)
    assert missing.precision == 1.0 and missing.recall == 0.5


def test_duplicate_predictions_do_not_count_twice():
    score = score_departments(["市经济信息化委", "市经济信息化委"], SUPPLY_CHAIN[:1])
    assert score.exact


def test_micro_and_macro_f1_differ_when_sets_differ_in_size():
    small_miss = SetScore(tp=0, fp=0, fn=1)  # F1 0
    big_hit = SetScore(tp=8, fp=0, fn=0)  # F1 1
    micro, macro = micro_macro_f1([small_miss, big_hit])
    assert micro == pytest.approx(f1(8, 0, 1))
    assert macro == pytest.approx(0.5)
    assert micro_macro_f1([]) == (0.0, 0.0)


def test_hit_at_k_and_mrr():
    ranked = ["m3", "m7", "m1", "m9", "m2", "m5"]
    assert first_relevant_rank(ranked, {"m1", "m5"}) == 3
    assert first_relevant_rank(ranked, {"m4"}) is None
    assert hit_at_k(3, 5) and not hit_at_k(3, 1) and not hit_at_k(None, 5)
    assert reciprocal_rank(4) == 0.25 and reciprocal_rank(None) == 0.0
    summary = ranking_summary([1, 3, None, 6])
    assert summary["hit@1"] == 0.25
    assert summary["hit@5"] == 0.5
    assert summary["mrr"] == pytest.approx((1 + 1 / 3 + 1 / 6) / 4)


def test_numbers_are_read_in_comparable_form():
    assert numbers_in("力争突破2,000亿元，占比超７０%，2.50倍，09月") == ["2000", "70", "2.5", "9"]
    assert numbers_in("1. 第一条\n2. 第二条 补贴 3 万元") == ["3"]


def test_invented_number_is_one_no_evidence_contains():
    quotes = ["经评估按算力集群规模和成果水平给予最高 10% 的租用补贴。"]
    assert invented_numbers("最高补贴 10%。", quotes) == []
    assert invented_numbers("最高补贴 10%，单个企业不超过 500 万元。", quotes) == ["500"]
    assert invented_numbers("2024年底前部署的可获奖励", ["在2024年底前完成部署"]) == []
    # 100 is not 10: numbers are compared whole, not as substrings
    assert invented_numbers("补贴 10%", ["落地超 100 个行业案例"]) == ["10"]


def test_todays_date_stated_as_such_is_no_invented_number_but_any_other_date_is():
    quote = ["本办法自2023年4月1日起施行，有效期至2027年3月31日。"]
    today = dt.date(2026, 1, 1)
    answer = "- 有效期：有效期至2027年3月31日 [1]\n- 现行状态：按今天（2026年1月1日）的日期仍在有效期内"
    assert invented_numbers(answer, quote, today=today) == []
    # the same words with a date that is not today: invented
    assert invented_numbers(answer, quote, today=dt.date(2025, 6, 1)) == ["2026"]
    # today's date written as a bare date, not stated as today's: invented
    assert invented_numbers("截至2026年1月1日仍在有效期内", quote, today=today) == ["2026"]


def test_an_end_date_reckoned_from_a_quoted_period_is_derived_an_unfounded_one_is_not():
    quote = ["试点期自2023年4月1日开始，为期3年。"]
    today = dt.date(2024, 1, 1)
    answer = ("- 试点期：为期3年 [1]，即至 2026年3月31日（自 2023年4月1日 起按所引期限推算）\n"
              "- 现行状态：按今天（2024年1月1日）的日期仍在有效期内")
    assert invented_numbers(answer, quote, today=today) == []
    # a period written in Chinese numerals (暂定三年), counted from the date the clause names
    assert invented_numbers("即至 2021年12月31日（按所引期限推算）",
                            ["本意见自2019年1月1日起执行，暂定三年。"], today=today) == []
    # the start date quoted as a portal writes it (2024-07-26)
    assert invented_numbers("即至 2029年7月25日（自 2024年7月26日 起按所引期限推算）",
                            ["2024-07-26", "本办法自印发之日起施行，有效期5年。"], today=today) == []
    # said to be reckoned, but no quoted start and period give it: still invented
    assert invented_numbers("即至 2027年6月30日（按所引期限推算）", quote, today=today) == ["2027", "6", "30"]
    # a number neither quoted nor derived beside a derived date still counts
    assert invented_numbers(answer + "，补贴最高 200 万元", quote, today=today) == ["200"]


def test_the_answers_own_tallies_of_departments_and_measures_are_no_claims():
    answer = ("《若干措施》各项措施的责任单位（共 24 个部门，牵头多的在前）：\n"
              "- **省民政厅**（7 项措施，其中牵头 3 项）：完善居家养老配套设施 等 [1]\n"
              "- 另有 12 个部门（单位）负责其他措施，未列出。")
    assert invented_numbers(answer, ["（责任单位：省民政厅、省卫健委）"]) == []
    assert invented_numbers("符合 5 项条件的给予 30 万元", ["给予奖励"]) == ["5", "30"]


def test_invented_department_is_one_absent_from_quotes_under_every_spelling():
    quotes = ["……推进软件物料清单国家标准贯标。（责任单位：市经济信息化委、市委网信办）"]
    aliases = {normalize("上海市经济和信息化委员会"): {"市经济信息化委"}}
    named = ["上海市经济和信息化委员会", "市委网信办", "上海市科学技术委员会"]
    assert invented_departments(named, quotes, aliases) == ["上海市科学技术委员会"]
    assert invented_departments(["上海市经济和信息化委员会"], quotes) == ["上海市经济和信息化委员会"]


def test_abstention_outcomes_and_summary():
    assert abstention_outcome(expected=True, abstained=True) == "correct"
    assert abstention_outcome(expected=False, abstained=True) == "false_abstention"
    assert abstention_outcome(expected=True, abstained=False) == "false_answer"
    pairs = [(False, False), (False, True), (False, False), (True, True), (True, False)]
    s = abstention_summary(pairs)
    assert s["false_abstentions"] == 1 and s["false_answers"] == 1
    assert s["answerable_accuracy"] == pytest.approx(2 / 3)
    assert s["unanswerable_accuracy"] == pytest.approx(0.5)
    assert s["accuracy"] == pytest.approx(3 / 5)


def test_source_names_and_citation_markers_are_not_claims():
    answer = "《若干措施（2023-2025年）》（沪经信智〔2023〕608号）3.实施计划：最高10% [1]，另补 500 万元 [2]"
    refs = ["若干措施（2023-2025年）", "沪经信智〔2023〕608号", "3.实施计划"]
    assert invented_numbers(answer, ["最高 10% 的租用补贴"], refs) == ["500"]
    assert {"2023", "608", "500"} <= set(invented_numbers(answer, ["最高 10% 的租用补贴"]))


def test_a_quoted_clause_keeps_its_leading_number_as_evidence():
    quote = "15. 加强协同组织，将智算云产业发展纳入市区重点特色产业协同联动机制。"
    assert invented_numbers("见原文：15. 加强协同组织", [quote]) == []


def test_tallies_of_a_mention_answer_are_counts_not_claims():
    answer = "共有 3 份文件提到“数据专区”，合计 12 处：\n\n- 《甲》：7 处，见于 2 个条款 [1]\n- 另有 1 份文件提到（共 2 处）。"
    assert invented_numbers(answer, ["建设数据专区。"]) == []
    assert invented_numbers("单个专区补贴 500 万元", ["建设数据专区。"]) == ["500"]


def test_counts_a_long_answer_writes_of_its_own_items_are_not_claims():
    quotes = ["对规上工业企业给予企业超出额0.5%的奖励，奖励最高不超过20万元。"]
    for answer in ("- 另有 59 项支持未列出（条件未知或不满足的排在后面）。", "以下列出前 6 项，共 12 项。",
                   "（另有59项未列出）", "还有 4 条条款提到。"):
        assert invented_numbers(answer, quotes) == [], answer
    # an amount, a count of a document's things, a rate next to a count are still claims
    assert invented_numbers("另有 59 万元奖励。", quotes) == ["59"]
    assert invented_numbers("奖励最高不超过 20 万元，另设 3 个月申报期。", quotes) == ["3"]
    assert invented_numbers("另有 59 项支持，每项补贴 30%。", quotes) == ["30"]
    assert invented_numbers("符合 5 项条件的企业", quotes) == ["5"]  # the document's conditions: a claim


def test_figures_the_question_gives_are_not_invented():
    question = "我们是柳河县的一家医药企业，2023年销售额6000万元，有什么奖励？"
    answer = "按您描述的情况（柳河县；医药；营业收入6000万元；2023年）：年销售额在5000万元及以上 [1]"
    assert invented_numbers(answer, [question, "年销售额在 5000万元及以上的，单品种奖励企业100万元"]) == []
    assert invented_numbers(answer + "，奖励 150 万元", [question]) == ["5000", "150"]


def test_a_department_is_grounded_by_the_form_its_fact_says_the_document_writes():
    from eval.run import written_forms
    from rag.model import Answer

    answer = Answer(question="q", intent="departments", answer="…", departments=["湖北省卫生健康委员会"],
                    facts=[{"fact": "responsible", "name": "湖北省卫生健康委员会", "mention": "省卫健委"}])
    quotes = ["（责任单位：省卫健委、省教育厅）"]
    assert invented_departments(answer.departments, quotes, written_forms(answer, {})) == []
    assert invented_departments(["湖北省财政厅"], quotes, written_forms(answer, {})) == ["湖北省财政厅"]
