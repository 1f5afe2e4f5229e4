"""The quote carries the part of the evidence the question asks about: the row or tier of the grade it
names, the sentence that enumerates what it asks to list, the duties of the entity it names."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.compose import (
    Context,
    View,
    analyse_focus,
    asked_grades,
    compose_general,
    names_grade,
    support_facts,
)
from rag.intents import Intent
from rag.linking import Linked
from tests.support.compose import compose_context

GENRE = packaged_genre()


def _view(mid: str, title: str, text: str, start: int = 0) -> View:
    return View(measure_id=mid, policy_id=mid.split(".")[0], text=text, start=start, title=title, number="1.",
                policy="某县促进旅游业发展若干意见", city="某县")


def test_a_grade_the_question_names_is_found_as_written_in_a_list_or_in_a_range():
    three, c, four_a, star = (asked_grades(q, genre=GENRE)[0] for q in ("3级技能补贴", "C类人才", "4A级企业", "四星级酒店"))
    assert names_grade(three, "三级") and names_grade(three, "| 3 级 | 90% |") and names_grade(three, "2—5级")
    assert not names_grade(three, "一级、二级")
    assert names_grade(c, "符合条件的A、B、C类人才") and not names_grade(c, "符合条件的A、B类人才")
    assert names_grade(four_a, "评估等级在3A、4A、5A级的企业") and not names_grade(four_a, "评估等级在3A级")
    assert names_grade(star, "新评定为国家2—5星级的单位")
    size = asked_grades("厂房面积达到2万平方米以上的奖励多少", genre=GENRE)[0]
    assert names_grade(size, "新建厂房2万平方米以上的，奖励60万元") and not names_grade(size, "新建厂房1万平方米以上的")
    assert asked_grades("高等学校如何申报？", genre=GENRE) == []  # 高等 names no grade


def test_a_tiered_offer_states_the_tier_of_the_grade_asked():
    row = {"kind": "奖励", "amount": "20万元、50万元、100万元", "tiers": ["三星级：20万元", "四星级：50万元", "五星级：100万元"]}
    quote = "对新评定为三星级、四星级、五星级的酒店，一次性分别给予20万元、50万元、100万元奖励。"
    grades = asked_grades("新评上四星级的酒店奖励多少？", genre=GENRE)
    assert support_facts(row, quote, grades)[1] == "额度：四星级：50万元"
    assert support_facts(row, quote)[1] == "额度：三星级：20万元；四星级：50万元；五星级：100万元"
    rates = {"kind": "奖励", "tiers": ["三星级：60%", "四星级：80%"]}
    assert support_facts(rates, "三星级按60%奖励返还，四星级按80%奖励返还。", grades)[1] == "比例：四星级：80%"


def test_the_row_of_the_grade_asked_is_quoted_not_the_first_row():
    table = ("护理服务项目及支付标准\n等级\n支付比例\n限额\n一级\n70%\n每月500元\n二级\n80%\n每月800元\n"
             "三级\n90%\n每月1200元\n设备使用费按护理等级确定的支付比例支付。")
    ctx = compose_context("三级护理设备使用费支付比例是多少？", "general", [_view("p.m1", "护理服务项目及支付标准", table)])
    answer = compose_general(ctx, genre=GENRE)
    assert "三级 90% 每月1200元" in answer.answer
    assert answer.citations[0].quote == "三级\n90%\n每月1200元"
    tiers = "；".join(f"对本年度在县工业园区内新建标准厂房并投入生产且建筑面积{n}万平方米以上的工业企业，"
                     f"经县工业和信息化局会同县财政局核实后由县财政一次性奖励{m}万元" for n, m in ((1, 30), (2, 60), (4, 100))) + "。"
    assert len(tiers) > 200  # a list of tiers run together: each ；-clause is a quote of its own
    ctx = compose_context("厂房建筑面积2万平方米以上的企业奖励多少？", "general", [_view("p.m2", "支持工业企业", tiers)])
    quote = compose_general(ctx, genre=GENRE).citations[0].quote
    assert "2万平方米以上" in quote and "奖励60万元" in quote and "1万平方米" not in quote


def test_a_question_asking_what_a_thing_includes_quotes_the_sentence_that_lists_it():
    mention = _view("p.m1", "数据复核", "申请人向大数据中心平台申请复核的，平台管理机构应当组织数据提供部门进行校核。")
    listing = _view("p.m2", "平台建设", "建设全州统一的大数据中心平台。大数据中心平台包括：共享交换平台、数据开放平台、"
                                    "政务数据资源池三大子平台。")
    from rag.compose import compose_kinds

    ctx = compose_context("大数据中心平台包括哪几个子平台？", "general", [mention, listing])
    answer = compose_kinds(ctx, genre=GENRE)
    assert answer is not None and answer.citations[0].quote.startswith("大数据中心平台包括：共享交换平台")
    assert compose_kinds(compose_context("大数据中心平台由谁建设？", "general", [mention, listing]), genre=GENRE) is None


def test_the_duties_of_a_named_party_are_the_sentences_it_is_the_subject_of():
    from rag.compose import compose_entity_duties, duty_question, entity_tails

    assert duty_question("南京孵化器运营服务机构要负责哪些事？", genre=GENRE) == "南京孵化器运营服务机构"
    assert duty_question("我们想开一个数据交易平台，开办者要承担哪些责任？", genre=GENRE) == "开办者"
    assert duty_question("公租房归哪个部门管？", genre=GENRE) is None
    assert "运营服务机构" in entity_tails("孵化器运营服务机构")
    government = _view("p.m1", "部门职责", "市科技局负责科技企业孵化器的监督管理。区人民政府负责辖区场地筹集。", 0)
    duties = _view("p.m2", "运营管理", "运营服务机构应当建立入驻企业台账，定期开展场地核查。"
                                   "运营服务机构不得向入驻企业收取协议以外的费用。场地使用费由市场决定。", 100)
    listed = _view("p.m3", "运营职责", "运营服务机构履行以下职责：\n（一）场地核查；\n（二）入驻协议备案。", 200)
    ctx = compose_context("孵化器运营服务机构要负责哪些事？", "duties", [government, duties, listed])
    answer = compose_entity_duties(ctx, genre=GENRE)
    quotes = [c.quote for c in answer.citations]
    assert quotes == ["运营服务机构应当建立入驻企业台账，定期开展场地核查。", "运营服务机构不得向入驻企业收取协议以外的费用。",
                      "运营服务机构履行以下职责：\n（一）场地核查；\n（二）入驻协议备案。"]
    assert "市科技局" not in answer.answer


def test_which_documents_mention_a_term_counts_each_way_a_document_writes_it():
    from types import SimpleNamespace

    from rag.mentions import find_mentions, term_forms, written_as

    policies = [{"id": "a", "terms": ["公租房＝公共租赁住房"]}]
    forms = term_forms("公共租赁住房", policies)
    assert forms == ["公共租赁住房", "公租房"]
    chunks = [SimpleNamespace(policy_id="a", title="公共租赁住房管理办法", doc_no=None, start=0,
                              text="承租公共租赁住房（以下简称公租房）的家庭，公租房租金按月缴纳。"),
              SimpleNamespace(policy_id="b", title="民生措施", doc_no=None, start=0, text="推进公租房货币化保障。")]
    docs = {d.policy_id: d for d in find_mentions("公共租赁住房", chunks, forms)}
    assert docs["a"].forms == {"公共租赁住房": 1, "公租房": 2} and docs["a"].count == 3
    assert docs["b"].forms == {"公租房": 1}  # a document that writes only the short form is found
    assert written_as("公共租赁住房", docs["b"].forms) == "写作“公租房”，"
    assert written_as("公共租赁住房", {"公共租赁住房": 4}) == ""


def test_a_comparison_asking_an_amount_answers_each_side_with_one_or_says_it_has_none():
    from rag.compose import compose_comparison
    from rag.graphsearch import GraphResult
    from rag.linking import Link

    a_plain = View("a.m1", "a", "鼓励开发商自主销售商品房。", 0, title="支持销售", number="1.", policy="甲市措施", city="甲市")
    a_amount = View("a.m2", "a", "购买新建商品住房的，给予总房价1%的购房补贴，最高5万元。", 100, title="购房补贴",
                    number="2.", policy="甲市措施", city="甲市")
    b_plain = View("b.m1", "b", "对购房人给予支持，具体办法另行制定。", 0, title="购房支持", number="1.",
                   policy="乙市措施", city="乙市")
    rows = [{"city": "甲市", "measure_id": "a.m1", "kind": "政策支持", "score": 2.0, "start": 0, "end": 13},
            {"city": "甲市", "measure_id": "a.m2", "kind": "补贴", "rate": "1%", "amount": "1%、最高5万元",
             "cap": "最高5万元", "score": 1.0, "start": 100, "end": 128},
            {"city": "乙市", "measure_id": "b.m1", "kind": "政策支持", "score": 1.5, "start": 0, "end": 18}]
    question = "甲市和乙市的购房补贴最多能补多少？"
    linked = Linked(text=question, links=[Link("city", "甲市", "甲市", 0, 2), Link("city", "乙市", "乙市", 3, 5)])
    focus, nouns = analyse_focus(linked, "comparison", genre=GENRE)
    ctx = Context(question=question, linked=linked, intent=Intent("comparison", subject="support"), focus=focus,
                  views={v.measure_id: v for v in (a_plain, a_amount, b_plain)}, fused=[], policies=[],
                  graph=GraphResult(supports=rows), responsibility_labels=["责任单位"], nouns=nouns, genre=GENRE)
    table = {row["city"]: row for row in compose_comparison(ctx, genre=GENRE).table}
    assert table["甲市"]["text"].startswith("购买新建商品住房的") and table["甲市"]["value"] == "1%"
    assert table["乙市"]["citation"] is None and table["乙市"]["source"] == "该地文件未写明相应数额"


def test_a_comparison_asking_a_time_limit_sets_each_sides_clauses_side_by_side():
    """几天内答复 asked of two places is no support figure: a side whose support facts state no span is not
    "未写明相应数额" in a table — each side's own clauses answer (the fallback), where the other side's
    time limit (7个工作日内答复) is found."""
    from rag.compose import Composed, compose_comparison
    from rag.graphsearch import GraphResult
    from rag.linking import Link

    a = View("a.m1", "a", "有条件共享的数据，数源部门应当在5个工作日内予以答复。", 0, title="共享请求", number="第二十三条",
             policy="甲省公共数据管理办法", city="甲省")
    rows = [{"city": "甲省", "measure_id": "a.m1", "kind": "服务", "score": 2.0, "start": 0, "end": 27}]
    question = "申请有条件共享的数据，甲省和乙州分别要求在几天内答复？"
    linked = Linked(text=question, links=[Link("city", "甲省", "甲省", 11, 13), Link("city", "乙州", "乙州", 14, 16)])
    focus, nouns = analyse_focus(linked, "comparison", genre=GENRE)
    ctx = Context(question=question, linked=linked, intent=Intent("comparison", subject="support"), focus=focus,
                  views={a.measure_id: a}, fused=[], policies=[], graph=GraphResult(supports=rows),
                  responsibility_labels=["责任单位"], nouns=nouns, genre=GENRE)
    side_by_side = Composed(answer="分别来看：…")
    ctx.fallback = lambda: side_by_side
    assert ctx.asked is not None and ctx.asked.get("span")
    assert compose_comparison(ctx, genre=GENRE) is side_by_side
