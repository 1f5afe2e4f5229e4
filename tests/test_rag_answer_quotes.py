"""The quote carries the asked fact: an amount asked in everyday words (能扣多少, 能拿钱吗) is quoted
with the sentence that states it, a word glued from a verb and its object is said only when both
are, and a question asking for a list is recognised whatever intent it is routed to. Synthetic
clauses in the genre's wording."""

from __future__ import annotations

from types import SimpleNamespace

from genre import packaged as packaged_genre
from rag.answer import amount_stated_for
from rag.compose import (
    Context,
    View,
    analyse_focus,
    asked_kind,
    asks_list,
    compose_clause_items,
    compose_general,
    compose_kinds,
    compose_support,
    coverage,
    kind_bonus,
    states_kind,
)
from rag.intents import Intent
from rag.linking import Linked
from rag.model import Hit

GENRE = packaged_genre()


def _view(mid: str, title: str, text: str) -> View:
    return View(measure_id=mid, policy_id=mid.split(".")[0], text=text, start=0, title=title, number="1.",
                policy="某县促进文化旅游发展的若干措施", city="某县")


def _hit(mid: str, rank: int, **ranks: int) -> Hit:
    return Hit(chunk_id=mid, measure_id=mid, score=1.0 / rank, signal="fused", rank=rank, ranks=ranks)


def _context(question: str, intent: str, views: list[View], fused: list[Hit], graph=None) -> Context:
    linked = Linked(text=question, links=[])
    focus, nouns = analyse_focus(linked, intent, genre=GENRE)
    return Context(question=question, linked=linked, intent=Intent(intent), focus=focus,
                   views={v.measure_id: v for v in views}, fused=fused, graph=graph, policies=[],
                   responsibility_labels=["责任单位"], nouns=nouns, genre=GENRE)


def test_an_amount_asked_in_everyday_words_wants_a_sum_or_a_rate():
    def amount(question: str, sentence: str) -> bool:
        kind = asked_kind(question, genre=GENRE)
        return kind is not None and states_kind(kind, sentence, genre=GENRE)

    for question in ("职业培训每个月能补多少？", "租算力政府能补多少", "旅行社带团能拿钱吗", "见习补贴一个人给多少？",
                     "首套房公积金最多能贷多少", "政府怎么奖励投资？", "体检费最多报多少？"):
        assert amount(question, "按照每人每月600元的标准给予补助。"), question
        assert amount(question, "每满一万人奖励一万元。"), question  # written in numerals
        assert amount(question, "按投资额的5%给予奖励。"), question
        assert not amount(question, "申请人应当在30个工作日内提交材料。"), question
    # a count, a duration or an area asked with 多少 is not asked as an amount of money
    for question in ("社保要交多少年？", "人均住房面积多少平以下才行", "一个家庭能租几套？"):
        kind = asked_kind(question, genre=GENRE)
        assert kind is None or "万元" not in kind["fact"], question


def test_the_sentence_after_an_offer_that_states_its_amount_is_quoted_with_it():
    question = "带旅游团来本县，旅行社能拿钱吗"
    offer = _view("p1.m12", "鼓励组团", "对年组织游客来本县景区人数达到1万人次以上的旅行社进行奖励。每满一万人奖励一万元。"
                  "奖励资金由县文旅局负责兑现。")
    other = _view("p1.m13", "支持节庆宣传", "旅行社在节庆活动期间组团达1000人次以上的，给予表扬。")
    first = offer.text.index("。") + 1
    graph = SimpleNamespace(departments={}, supports=[
        {"measure_id": "p1.m12", "score": 2.0, "kind": "奖励", "quote": offer.text[:first], "start": 0, "end": first},
        {"measure_id": "p1.m13", "score": 2.0, "kind": "奖励", "quote": other.text, "start": 0, "end": len(other.text)}])
    ctx = _context(question, "support", [offer, other], [_hit("p1.m12", 1, bm25=1, graph=1),
                                                         _hit("p1.m13", 2, bm25=2, graph=2)], graph=graph)
    answer = compose_support(ctx, genre=GENRE)
    quote = answer.citations[0].quote
    assert "旅行社进行奖励" in quote and "每满一万人奖励一万元" in quote  # one citation: offer and amount
    assert sum(c.measure_id == "p1.m12" for c in answer.citations) == 1


def test_a_general_answer_quotes_the_offer_with_the_amount_written_next():
    question = "开民宿每户能拿多少补贴？"
    clause = _view("p1.m4", "民宿建设", "鼓励农户利用自有住房开办民宿，经评定达到标准的予以补贴。每户补贴2000元。")
    ctx = _context(question, "general", [clause], [_hit("p1.m4", 1, bm25=1, dense=1)])
    answer = compose_general(ctx, genre=GENRE)
    assert not answer.abstained
    assert "2000元" in answer.citations[0].quote and len(answer.citations) == 1


def test_a_word_glued_from_a_verb_and_its_object_is_said_only_with_the_object():
    # 租算力 (租 + 算力): 房租 says the verb's wording only; 租用…算力 says both
    assert coverage(["租算力"], "对项目设备购置、房租给予支持。", genre=GENRE) < 1.0
    assert coverage(["租算力"], "企业租用智能算力资源的，给予补贴。", genre=GENRE) == 1.0
    assert coverage(["租"], "租赁厂房的给予补贴。", genre=GENRE) == 1.0  # the word itself keeps its group


def test_a_question_asking_for_a_list_of_a_class_is_recognised():
    for question in ("买房支持的对象是哪些人？", "哪几类人才可以享受购房顺位支持？", "全省划成几大区域？",
                     "专项资金不能用于哪些支出？", "政务数据共享遵循哪些原则？", "失业保险待遇分成哪几种？",
                     "政务部门哪些做法会被责令限期整改？", "开发利用主体有哪些行为会被处罚？"):
        assert asks_list(question, genre=GENRE), question
    for question in ("在柳河开饭馆有奖励吗？", "买房能补多少？", "有哪些支持？"):
        assert not asks_list(question, genre=GENRE), question


def test_a_list_asked_by_its_head_noun_is_answered_by_the_sentence_that_enumerates_it():
    question = "公共数据管理遵循哪些原则？"
    rule = _view("p1.m4", "管理原则", "公共数据管理应当遵循统一标准、分类分级、共享开放、安全可控的原则。")
    mention = _view("p1.m9", "共享方式", "公共数据按照最小授权原则进行管理，确保按需共享。")
    ctx = _context(question, "general", [mention, rule], [_hit("p1.m9", 1, bm25=1, dense=2),
                                                         _hit("p1.m4", 2, bm25=2, dense=1)])
    answer = compose_kinds(ctx, genre=GENRE)
    assert answer is not None and "统一标准、分类分级" in answer.citations[0].quote


def test_a_negative_list_answers_what_money_may_not_be_spent_on():
    question = "专项资金不能用于哪些支出？"
    rule = _view("p1.m12", "资金使用", "专项资金专款专用。专项资金不得用于人员工资、办公用房建设、交通工具购置等支出。")
    ctx = _context(question, "general", [rule], [_hit("p1.m12", 1, bm25=1, dense=1)])
    answer = compose_kinds(ctx, genre=GENRE)
    assert answer is not None and "人员工资、办公用房建设" in answer.citations[0].quote


def test_a_sentence_announcing_its_items_is_quoted_with_them():
    question = "申报材料包括哪几类材料？"
    rule = _view("p1.m3", "申报材料", "申报材料包括以下几类材料：\n（一）项目申请表；\n（二）营业执照复印件。\n\n其他材料由受理部门确定。")
    ctx = _context(question, "general", [rule], [_hit("p1.m3", 1, bm25=1, dense=1)])
    answer = compose_kinds(ctx, genre=GENRE)
    assert answer is not None
    assert "项目申请表" in answer.citations[0].quote and "营业执照复印件" in answer.citations[0].quote
    assert "其他材料" not in answer.citations[0].quote  # the list ends at the paragraph break


def test_a_list_named_in_the_users_own_words_is_answered_rather_than_refused():
    question = "穷人救助分成哪几类？"  # the document says 困难群众, not 穷人
    rule = _view("p1.m2", "救助类别", "困难群众救助分为最低生活保障、特困人员供养、临时救助三类。")
    ctx = _context(question, "general", [rule], [_hit("p1.m2", 1, bm25=1, dense=1)])
    assert compose_kinds(ctx, genre=GENRE) is None  # not every word of the question is said
    answer = compose_kinds(ctx, relaxed=True, genre=GENRE)
    assert answer is not None and "最低生活保障、特困人员供养" in answer.citations[0].quote
    unrelated = _view("p1.m9", "档案管理", "救助档案分为纸质档案、电子档案两类。")
    ctx = _context("穷人住房分成哪几类？", "general", [unrelated], [_hit("p1.m9", 1, bm25=1, dense=1)])
    assert compose_kinds(ctx, relaxed=True, genre=GENRE) is None  # a list of something else


def test_tiers_the_question_does_not_tell_apart_are_quoted_together_and_a_named_tier_alone():
    clause = _view("p1.m6", "安家补贴", "对新引进的人才给予安家补贴。博士研究生每人补贴3万元。硕士研究生每人补贴2万元。"
                   "本科毕业生每人补贴1万元。补贴分两年发放。")
    fused = [_hit("p1.m6", 1, bm25=1, dense=2)]
    named = compose_general(_context("博士研究生来了安家补贴能拿多少？", "general", [clause], fused), genre=GENRE)
    assert "3万元" in named.citations[0].quote and "2万元" not in named.citations[0].quote
    # 读研的 names no tier in the document's words: every tier is shown with its own words
    everyday = compose_general(_context("读研的来了安家补贴能拿多少？", "general", [clause], fused), genre=GENRE)
    quote = everyday.citations[0].quote
    assert "3万元" in quote and "2万元" in quote and "1万元" in quote
    assert "分两年发放" not in quote


def test_a_clause_listing_the_asked_class_in_its_paragraphs_is_answered_item_by_item():
    principles = View(measure_id="p1.m2", policy_id="p1", start=0, number="（二）", title="基本原则",
                      policy="某市养老服务发展规划", city="某市", section="一、总体要求",
                      text="（二）基本原则。\n——坚持政府主导。强化政府保基本职责。\n——坚持社会参与。激发市场活力。\n"
                           "——坚持普惠共享。让老年人共享发展成果。")
    inline = View(measure_id="p2.m2", policy_id="p2", start=0, number="（二）", title="基本原则",
                  policy="某省促进家政服务发展的意见", city="某省", section="一、总体要求",
                  text="（二）基本原则。一是规范发展。健全标准体系。二是提质扩容。扩大服务供给。")
    ctx = _context("某市养老服务发展规划有哪些基本原则？", "general", [principles, inline],
                   [_hit("p2.m2", 1, bm25=1), _hit("p1.m2", 2, bm25=2)])
    answer = compose_clause_items(ctx, genre=GENRE)
    assert answer is not None
    assert [c.quote for c in answer.citations] == ["——坚持政府主导。", "——坚持社会参与。", "——坚持普惠共享。"]
    ctx = _context("某省促进家政服务发展的意见的基本原则是哪几条？", "general", [principles, inline],
                   [_hit("p1.m2", 1, bm25=1), _hit("p2.m2", 2, bm25=2)])
    answer = compose_clause_items(ctx, genre=GENRE)
    assert answer is not None and [c.quote for c in answer.citations] == ["一是规范发展。", "二是提质扩容。"]
    # a question naming no class by its head noun is not a list question
    assert compose_clause_items(_context("养老服务有什么支持？", "general", [principles], [_hit("p1.m2", 1)]),
                                genre=GENRE) is None


def test_a_share_asked_wants_a_percentage_and_the_lead_clause_states_it_first():
    kind = asked_kind("实地调研占多大权重？", genre=GENRE)
    assert kind is not None and states_kind(kind, "实地调研（20%）", genre=GENRE)
    assert not states_kind(kind, "每半年考评一次。", genre=GENRE)  # a count is no share
    clause = _view("p1.m3", "考评方式", "考评以日常检查、实地抽查等方式进行。每半年考评一次。\n日常检查：核对进展。\n"
                   "实地抽查：深入现场核实。\n社会评价：了解满意度。\n专家评议：委托专家评议。\n"
                   "考评分值=日常检查（60%）+实地抽查（40%）")
    ctx = _context("半年考评里实地抽查占多大权重？", "general", [clause], [_hit("p1.m3", 1, bm25=1, dense=1)])
    answer = compose_general(ctx, genre=GENRE)
    assert "实地抽查（40%）" in answer.citations[0].quote


def test_a_quoted_term_the_tagger_reads_as_numerals_is_what_the_list_question_asks_about():
    focus, _ = analyse_focus(Linked(text="说的“一场两馆”是哪几个场馆？", links=[]), "general", genre=GENRE)
    assert "一场两馆" in focus
    clause = _view("p1.m18", "增加公共体育设施", "加快“一场两馆”(体育场、体育馆、游泳馆)项目建设。")
    other = _view("p1.m19", "文化惠民", "新改建县级文化场馆20个。")
    ctx = _context("说的“一场两馆”是哪几个场馆？", "general", [other, clause],
                   [_hit("p1.m19", 1, bm25=2, dense=1), _hit("p1.m18", 2, bm25=1, dense=2)])
    answer = compose_kinds(ctx, genre=GENRE)
    assert answer is not None and "体育场、体育馆、游泳馆" in answer.citations[0].quote


def test_a_span_asked_in_its_unit_is_a_duration_not_a_count_of_the_counter():
    kind = asked_kind("受理申请后，最多多少个工作日要审完？", genre=GENRE)
    assert kind is not None and kind["unit"] is None  # 个 counts the span's unit, not things
    assert kind["subject"] is None  # 最多 is an adverb, not what the span is asked of
    assert not states_kind(kind, "每个分公司只能建立一个工作室。", genre=GENRE)
    assert states_kind(kind, "应当自受理之日起15个工作日内完成审核。", genre=GENRE)
    assert asked_kind("一个家庭能租几套？", genre=GENRE)["unit"] == "套"


def test_a_span_asked_of_the_act_after_it_is_quoted_from_the_sentence_stating_it_of_that_act():
    kind = asked_kind("受理申请后，最多多少个工作日要审完？", genre=GENRE)
    assert kind["act"] == "审完"
    of_it = "人力资源社会保障部门应当自受理之日起15个工作日内完成审核，有特殊情况的，可以延长10个工作日。"
    beside = "公示时间为5个工作日，公示期间受理异议投诉。"
    assert kind_bonus(kind, of_it, genre=GENRE) > kind_bonus(kind, beside, genre=GENRE) > 0
    before = asked_kind("公租房快到期了还想接着住，得提前多久去申请？", genre=GENRE)
    assert before["act"] == "申请"
    assert kind_bonus(before, "须在保障期限届满3个月前提交申请。", genre=GENRE) > kind_bonus(
        before, "未在1个月内退回原租住的直管房。", genre=GENRE) > 0
    assert asked_kind("要去报吗？多久之内？", genre=GENRE)["act"] is None  # nothing follows the span


def test_a_span_asked_of_a_word_is_quoted_from_the_sentence_stating_it_of_that_word():
    kind = asked_kind("审核通过以后网上要公示几天？", genre=GENRE)
    assert kind is not None and kind["subject"] == "公示"
    of_it = "公示时间为5个工作日，公示期间受理异议投诉。"
    beside = "有关部门应当自接到异议之日起20个工作日内完成调查核实。"
    assert kind_bonus(kind, of_it, genre=GENRE) > kind_bonus(kind, beside, genre=GENRE) > 0
    assert asked_kind("补贴标准最高多少？", genre=GENRE)["subject"] == "标准"
    assert asked_kind("几天？", genre=GENRE)["subject"] is None
    content = _view("p1.m10", "公示内容", "人才入户的公示内容包括姓名、单位等内容。"
                    "有关部门应当自接到异议之日起20个工作日内完成调查核实。")
    period = _view("p1.m9", "公示公布", "审核通过的人员情况在网上进行公示、公布。公示时间为5个工作日。")
    ctx = _context("人才入户审核通过以后要在网上公示几天？", "general", [content, period],
                   [_hit("p1.m10", 1, bm25=1), _hit("p1.m9", 2, bm25=2)])
    answer = compose_general(ctx, genre=GENRE)
    assert "公示时间为5个工作日" in answer.answer.split("20个工作日")[0], answer.answer


def test_a_clause_titled_with_the_asked_class_answers_what_it_includes_item_by_item():
    """包括哪几种 asks for the members: the verb is the question's, not a word the clause must write."""
    modes = View(measure_id="p1.m13", policy_id="p1", start=0, number="13.", title="开展新模式推广",
                 policy="某省工业互联网创新发展行动计划", city="某省", section="二、行动步骤",
                 text="13.开展新模式推广。\n\n智能化制造。鼓励企业提升研发设计智能化水平。\n\n"
                      "网络化协同。支持企业间共享设备和数据。\n\n个性化定制。推广需求驱动的柔性制造。")
    ctx = _context("某省工业互联网行动计划推广的新模式包括哪几种？", "general", [modes], [_hit("p1.m13", 1, bm25=1)])
    answer = compose_clause_items(ctx, genre=GENRE)
    assert answer is not None
    assert [c.quote for c in answer.citations] == ["智能化制造。", "网络化协同。", "个性化定制。"]


def test_a_round_sum_states_an_amount():
    """120多亿元, 10余万元: the standard way of writing a round figure is a sum stated."""
    kind = asked_kind("一年能给物流行业省多少钱？", genre=GENRE)
    assert kind is not None and kind.get("unstated") == "金额"
    assert states_kind(kind, "预计全年降低物流成本120多亿元。", genre=GENRE)
    assert states_kind(kind, "对获评的企业给予10余万元奖励。", genre=GENRE)
    assert not states_kind(kind, "预计全年降低物流成本。", genre=GENRE)
    stated = GENRE.data("intents")["amount_stated"]
    assert amount_stated_for(["简化手续。预计全年降低物流成本120多亿元。"], ["物流"], stated)
