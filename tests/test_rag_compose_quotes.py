"""What an answer quotes: whole sentences that carry the asked fact, one citation per clause, and
fields a person would write (no value stated twice, no date the quotes do not show)."""

from __future__ import annotations

from datetime import date

import pytest

from genre import packaged as packaged_genre
from rag.compose import (
    LONG_SENTENCE,
    Citer,
    View,
    close_picks,
    date_quoted,
    duty_quote,
    phrase_bonus,
    sentences,
    support_facts,
    validity_status,
    whole_sentences,
)

SUPPORT = "对首次认定的企业给予补贴；单个企业最高不超过500万元。其他事项另行规定。"


def view(text: str, start: int = 100, title: str = "") -> View:
    return View(measure_id="m1", policy_id="p1", text=text, start=start, title=title, policy="某办法")


def test_a_quote_is_the_whole_sentence_not_the_clause_before_the_amount():
    got = [s[2] for s in sentences(view(SUPPORT))]
    assert got == ["对首次认定的企业给予补贴；单个企业最高不超过500万元。", "其他事项另行规定。"]
    v = view(SUPPORT)
    a, b, quote = sentences(v)[0]
    assert v.text[a - v.start : b - v.start] == quote  # offsets are the policy's


def test_only_a_list_run_together_with_semicolons_is_cut_into_clauses():
    items = "；".join(f"第{i}项任务是推进某某重点工作并按期完成相应的建设内容" for i in range(12)) + "。"
    assert len(items) > LONG_SENTENCE
    pieces = sentences(view(items))
    assert len(pieces) == 12 and all(len(p[2]) < LONG_SENTENCE for p in pieces)
    v = view(items)
    assert all(v.text[a - v.start : b - v.start] == q for a, b, q in pieces)


def test_a_fact_read_from_a_clause_is_quoted_with_its_whole_sentence():
    v = view(SUPPORT)
    clause_start = v.start + SUPPORT.index("对首次")
    clause_end = v.start + SUPPORT.index("；")
    a, b, quote = whole_sentences(v, clause_start, clause_end)
    assert v.text[a - v.start : b - v.start] == quote
    assert quote == "对首次认定的企业给予补贴；单个企业最高不超过500万元。"
    assert whole_sentences(v, 0, 5) is None  # a span outside the view


def test_support_fields_state_each_value_once_and_never_a_generic_beneficiary():
    row = {"kind": "补贴", "amount": "30%、最高不超过 50 万元", "rate": "30%", "cap": "最高不超过 50 万元",
           "condition": "| 服务内容 | 首次入表", "beneficiaries": ["主体"]}
    quote = "予以 30%的补贴，同一企业最高不超过 50 万元。"
    facts = support_facts(row, quote)
    assert facts == ["类型：补贴", "比例：30%", "上限：最高不超过 50 万元", "条件：服务内容 首次入表"]
    assert not any("对象" in f for f in facts)
    assert support_facts({"amount": "100万元"}, quote) == []  # a number the quote does not write


def test_a_rate_is_stated_as_a_rate_with_its_cap_and_a_condition_without_its_grant_verb():
    row = {"kind": "补贴", "amount": "10%、最高500万元", "rate": "10%", "cap": "最高500万元",
           "condition": "按算力集群规模和成果水平；按算力集群规模和成果水平给予"}
    quote = "按算力集群规模和成果水平给予不超过10%的补贴，最高500万元。"
    assert support_facts(row, quote) == ["类型：补贴", "比例：10%", "上限：最高500万元", "条件：按算力集群规模和成果水平"]
    only_cap = {"kind": "奖励", "amount": "最高100万元", "cap": "最高100万元",
                "condition": "支持一批纳入资源池的企业；按照服务中小企业的数量和质量省级给予"}
    quote = "支持一批纳入资源池的企业，按照服务中小企业的数量和质量省级给予一次性奖补，最高100万元。"
    assert support_facts(only_cap, quote) == ["类型：奖励", "额度：最高100万元",
                                              "条件：支持一批纳入资源池的企业；按照服务中小企业的数量和质量"]


def test_tiered_amounts_are_stated_each_with_its_tier():
    row = {"kind": "奖励", "amount": "50万元、100万元、150万元", "condition": "评估等级在3A、4A、5A级",
           "tiers": ["3A级：50万元", "4A级：100万元", "5A级：150万元"]}
    quote = "对评估等级在3A、4A、5A级的企业，省级分别给予一次性奖补50万元、100万元、150万元。"
    assert support_facts(row, quote)[1] == "额度：3A级：50万元；4A级：100万元；5A级：150万元"


def test_a_duty_is_one_citation_from_the_task_through_its_responsibility_block():
    text = "（三）建设数据专区。推进公共数据开放。（责任单位：市经济信息化局、市财政局）"
    v = view(text, title="建设数据专区")
    a, b, quote = duty_quote(v, "公共数据开放", genre=packaged_genre())
    assert quote == "推进公共数据开放。（责任单位：市经济信息化局、市财政局）"
    citer = Citer()
    n = citer.cite(v, a, b, quote)
    block = text.index("（责任单位")
    assert citer.cite(v, v.start + block, b, text[block:]) == n  # the block inside it: the same citation
    assert len(citer.citations) == 1


def test_a_phrase_of_the_question_written_word_for_word_earns_a_bonus():
    q = "包头的数字政府考评，半年考评分值是怎么算的？"
    assert phrase_bonus(q, "半年考评分值=日常监测（60%）+实地调研（20%）") > phrase_bonus(q, "监测考评对象的落实情况。")
    assert phrase_bonus(q, "无关的句子") == 0.0


def test_clauses_far_behind_the_best_are_not_quoted():
    v = view(SUPPORT)
    picks = [(1.5, v, (0, 1, "a")), (1.3, v, (1, 2, "b")), (0.9, v, (2, 3, "c"))]
    assert [p[2][2] for p in close_picks(picks, genre=packaged_genre())] == ["a", "b"]
    assert close_picks([], genre=packaged_genre()) == []


def test_an_end_date_is_said_once_and_said_to_be_reckoned_only_when_it_was():
    policy = {"effective": "2021-10-11", "expiry": "2023-10-10"}
    today = date(2026, 1, 1)
    # written in the lines above: only judged, against today's date, which is said
    assert validity_status(policy, today, show_date=False) == "按今天（2026年1月1日）的日期已不在有效期内"
    # quoted by a clause (有效期至2023年10月10日): said as the clause says it, not as reckoned
    stated = validity_status(policy, today)
    assert "有效期至 2023年10月10日" in stated and "推算" not in stated
    # reckoned from a period (有效期2年): said to be, and from what
    reckoned = validity_status(policy, today, reckoned=True)
    assert "有效期至 2023年10月10日（自施行之日 2021年10月11日 起按所引期限推算）" in reckoned
    assert date_quoted("2023-10-10", "有效期至2023年10月10日") and not date_quoted("2023-10-10", "有效期2年")


def test_a_run_in_title_the_quote_begins_with_is_not_written_twice():
    from rag.compose import source_label

    v = View(measure_id="m1", policy_id="p1", text="", start=0, number="第二十四条", policy="某办法",
             title="政务数据共享分为无条件共享、有条件共享、不予共享等类型")
    quote = "第二十四条 　政务数据共享分为无条件共享、有条件共享、不予共享等类型，并在编制目录时确定。"
    assert source_label(v, quote) == "《某办法》"  # the quote writes number and title itself
    assert source_label(v, quote[6:]) == "《某办法》第二十四条"
    assert source_label(v, "政务部门应当共享数据。") == "《某办法》第二十四条政务数据共享分为无条件共享、有条件共享、不予共享等类型"


def test_can_i_still_apply_on_the_support_path_gets_the_window_and_whether_it_has_passed():
    from rag.compose import Composed, Context, with_window
    from rag.intents import Intent
    from rag.linking import Linked
    from rag.model import Hit

    text = "自本政策发布之日至2023年12月31日购买新建商品房的，给予契税补贴，单套补贴不超过5万元。"
    v = View(measure_id="m1", policy_id="p1", text=text, start=0, title="提供购房契税补贴", policy="某措施")
    ctx = Context(question="契税补贴现在还能申请吗？", linked=Linked("契税补贴现在还能申请吗？"),
                  intent=Intent("support"), focus=["契税", "补贴"], views={"m1": v},
                  fused=[Hit("c1", "m1", 1.0, "fused", 1)], graph=None, policies=[], responsibility_labels=[], genre=packaged_genre())
    first = Composed(answer="可以获得的支持：… [1]", citations=[])
    got = with_window(ctx, first, genre=packaged_genre())
    assert "2023年12月31日" in got.answer and "已经过去" in got.answer and len(got.citations) == 1
    ctx.linked = Linked("契税补贴有多少？")
    assert "期限" not in with_window(ctx, Composed(answer="…", citations=[]), genre=packaged_genre()).answer


_SCIENCE = ("市科技创新工作领导小组负责研究决定重大事项。市科学技术局负责创新平台的统筹协调和监督指导。",
            [{"name": "某市科技创新工作领导小组", "mention": "市科技创新工作领导小组"},
             {"name": "某市科学技术局", "mention": "市科学技术局"}])
_NETWORK = ("州数据资源主管部门负责全州电子政务外网的建设和运行管理。"
            "县（市）数据资源主管部门负责统筹本辖区电子政务外网的建设和运行管理。",
            [{"name": "某州数据资源主管部门", "mention": "州数据资源主管部门"},
             {"name": "县(市)数据资源主管部门", "mention": "县（市）数据资源主管部门"}])


@pytest.mark.parametrize("clause, focus, question, said, named", [
    (_SCIENCE, "统筹协调监督指导", "", "市科学技术局负责", ["市科学技术局"]),
    # 州… and 县（市）… both run the network: on the content words alone, the first
    (_NETWORK, "电子政务外网建设运行管理", "", "州数据资源主管部门", ["州数据资源主管部门"]),
    # asked of the counties and of who 统筹: the question's own wording tells them apart
    (_NETWORK, "电子政务外网建设运行管理", "各县的电子政务外网，建设和运行管理归谁统筹？", "县（市）", ["县（市）数据资源主管部门"]),
])
def test_without_a_block_the_departments_are_those_the_fitting_sentence_names(clause, focus, question, said, named):
    from rag.compose import naming_sentence

    text, rows = clause
    sentence, found = naming_sentence(view(text), rows, focus, question)
    assert sentence[2].startswith(said) and [r["mention"] for r in found] == named
    assert naming_sentence(view(text), [{"name": "某局", "mention": "某局"}], "统筹") is None


def test_a_sentence_stating_the_kind_of_fact_asked_for_is_preferred():
    from rag.compose import asked_fact_bonus

    q = "项目负责人每年至少要在项目上花多少时间？"
    assert asked_fact_bonus(q, "每年用于项目的工作时间不得少于6个月。", genre=packaged_genre()) > 0
    assert asked_fact_bonus(q, "在研项目负责人也不得参与申报项目。", genre=packaged_genre()) == 0
    assert asked_fact_bonus("新评上4A级景区奖励多少？", "一次性奖励50万元。", genre=packaged_genre()) > 0
    assert asked_fact_bonus("景区由谁管理？", "一次性奖励50万元。", genre=packaged_genre()) == 0


def test_a_target_is_stated_in_its_quoted_words_without_repeating_its_value():
    from rag.compose import Context, target_line
    from rag.intents import Intent
    from rag.linking import Linked

    text = "到2023年，布局建设20个左右试验区，创新一批政策工具。"
    v = view(text, start=0)
    ctx = Context(question="q", linked=Linked("q"), intent=Intent("targets"), focus=[], views={"m1": v},
                  fused=[], graph=None, policies=[], responsibility_labels=[], genre=packaged_genre())
    row = {"measure_id": "m1", "quote": "布局建设20个左右试验区", "start": 6, "end": 17, "text": "布局建设20个左右试验区",
           "metric": "试验区", "value": 20.0, "unit": "个", "year": 2023, "city": "全国"}
    citer = Citer()
    assert target_line(ctx, citer, row, genre=packaged_genre()) == "- 全国到 2023 年：布局建设20个左右试验区 [1]"
    assert citer.citations[0].quote.startswith("到2023年")  # the quote reaches back to its year
    assert target_line(ctx, Citer(), {**row, "text": "表" * 500}, genre=packaged_genre()) is None  # a table run together


def test_a_target_naming_a_part_is_shown_with_the_whole_its_sentence_states():
    """其中非水可再生能源装机500万千瓦 is read with 电源装机容量达到4700万千瓦 before it: "of which" alone
    names a part of nothing."""
    from rag.compose import Context, target_line
    from rag.intents import Intent
    from rag.linking import Linked

    text = "2020年电源装机容量达到4700万千瓦，其中非水可再生能源装机500万千瓦左右。"
    v = view(text, start=0)
    ctx = Context(question="q", linked=Linked("q"), intent=Intent("targets"), focus=[], views={"m1": v},
                  fused=[], graph=None, policies=[], responsibility_labels=[], genre=packaged_genre())
    part = text.index("其中")
    row = {"measure_id": "m1", "quote": text[part:-1], "start": part, "end": len(text) - 1,
           "text": "其中非水可再生能源装机500万千瓦左右", "metric": "非水可再生能源装机", "value": 500.0,
           "unit": "万千瓦", "year": 2020, "city": "广西"}
    line = target_line(ctx, Citer(), row, genre=packaged_genre())
    assert line is not None and "4700万千瓦" in line and "500万千瓦" in line


def test_the_documents_own_title_is_neither_a_quote_nor_a_phrase_match():
    from rag.compose import names_document

    v = View(measure_id="m1", policy_id="p1", text="", start=0, policy="新一代人工智能发展规划")
    assert names_document(v, "新一代人工智能发展规划") and names_document(v, "现将《新一代人工智能发展规划》印发给你们。")
    assert not names_document(v, "第三步，到2030年人工智能理论、技术与应用总体达到世界领先水平。")
    q = "人工智能发展规划的三步走第三步是什么时候？"
    assert phrase_bonus(q, "新一代人工智能发展规划是前瞻谋划。", v.policy) == 0.0


def test_a_when_question_about_what_the_text_says_is_answered_from_the_clause():
    from rag.compose import Context, compose_metadata
    from rag.intents import Intent
    from rag.linking import Linked
    from rag.model import Hit

    text = "申请人申请复核的，数据提供部门应当自收到复核申请之日起7个工作日内答复申请人。"
    v = View(measure_id="m1", policy_id="p1", text=text, start=0, title="复核", policy="某办法")
    q = "申请复核多久给答复？"
    ctx = Context(question=q, linked=Linked(q), intent=Intent("metadata"), focus=["申请", "复核", "答复"],
                  views={"m1": v}, fused=[Hit("c1", "m1", 1.0, "fused", 1)], graph=None,
                  policies=[{"id": "p1", "title": "某办法"}], responsibility_labels=[], genre=packaged_genre())
    got = compose_metadata(ctx, genre=packaged_genre())
    assert not got.abstained and "7个工作日" in got.answer and "文号" not in got.answer


def test_documents_of_several_levels_are_named_with_their_level():
    from rag.compose import Composed, with_levels
    from rag.model import Citation

    answer = ("文件中的相关规定：\n\n- 《新一代人工智能发展规划》（国发〔2017〕35号）（三）战略目标：到2030年… [1]\n"
              "- 《深圳市行动计划》：落实《新一代人工智能发展规划》的部署… [2]")
    cites = [Citation("国发〔2017〕35号", "新一代人工智能发展规划", "全国", "", "", "到2030年…", policy_id="n1"),
             Citation(None, "深圳市行动计划", "深圳", "", "", "落实…", policy_id="s1")]
    policies = [{"id": "n1", "level_word": "国家级"}, {"id": "s1", "level_word": "市级"}]
    got = with_levels(Composed(answer=answer, citations=cites), policies).answer
    assert "- 《新一代人工智能发展规划》（国发〔2017〕35号）（国家级）（三）" in got
    assert "- 《深圳市行动计划》（市级）：落实《新一代人工智能发展规划》的部署" in got  # not inside the sentence
    one_level = [{"id": "n1", "level_word": "市级"}, {"id": "s1", "level_word": "市级"}]
    assert with_levels(Composed(answer=answer, citations=cites), one_level).answer == answer


def test_a_window_written_once_for_the_measure_is_stated_with_its_own_citation():
    from rag.compose import window_fact

    text = "对首次认定的企业给予补贴，最高不超过50万元。申报时间：每年3月 左右集中受理。"
    v = view(text)
    citer = Citer()
    offer = text.index("。") + 1
    n = citer.cite(v, v.start, v.start + offer, text[:offer])
    got = window_fact(citer, v, "每年3月 左右集中受理", text[:offer])
    assert got == "申报时间：每年3月 左右集中受理 [2]" and n == 1
    assert citer.citations[1].quote == "申报时间：每年3月 左右集中受理。"
    # a window inside the quoted clause needs no second citation; one the view does not hold is not stated
    assert window_fact(citer, v, "每年3月", "每年3月申报，给予补贴") == "申报时间：每年3月"
    assert window_fact(citer, v, "每年9月", text[:offer]) is None and len(citer.citations) == 2


def test_a_condition_written_apart_from_the_offer_is_stated_with_its_own_citation():
    from types import SimpleNamespace

    from rag.compose import condition_citations

    offer = view("对企业技术改造项目给予设备投资额10%的补助。", start=100)
    conditions = view("申报条件。申报企业须在本省注册，且上年度营业收入不低于2000万元。", start=300)
    ctx = SimpleNamespace(locate=lambda pid, a, b: conditions if pid == "p1" and 300 <= a < b <= 340 else None)
    row = {"kind": "补贴", "amount": "10%", "condition": "申报企业须在本省注册，且上年度营业收入不低于2000万元",
           "policy_id": "p1", "condition_starts": [305], "condition_ends": [334]}
    citer = Citer()
    citer.cite(offer, 100, 100 + len(offer.text), offer.text)
    written, marks = condition_citations(ctx, citer, row)
    assert marks == [2] and "不低于2000万元" in citer.citations[1].quote
    assert "条件：申报企业须在本省注册，且上年度营业收入不低于2000万元" in support_facts(row, offer.text + written)
    assert not any(f.startswith("条件") for f in support_facts(row, offer.text))  # never a number uncited
    assert condition_citations(SimpleNamespace(locate=None), Citer(), row) == ("", [])
