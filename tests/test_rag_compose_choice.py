"""Which clause an answer is built from: the subject a cue names, every word said, two signals agreeing."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.compose import Context, View, analyse_focus, compose_general, target_measures
from rag.graphsearch import asks_about_support
from rag.intents import Intent
from rag.linking import Link, Linked
from rag.model import Hit


def _linked(text: str, *links: Link) -> Linked:
    return Linked(text=text, links=list(links))


def _view(mid: str, title: str, text: str) -> View:
    return View(measure_id=mid, policy_id=mid.split(".")[0], text=text, start=0, title=title, number="1.",
                policy="某市促进产业发展若干措施", city="某市")


def _hit(mid: str, rank: int, **ranks: int) -> Hit:
    return Hit(chunk_id=mid, measure_id=mid, score=1.0 / rank, signal="fused", rank=rank, ranks=ranks)


def _context(question: str, linked: Linked, intent: str, views: list[View], fused: list[Hit]) -> Context:
    focus, nouns = analyse_focus(linked, intent, genre=packaged_genre())
    return Context(question=question, linked=linked, intent=Intent(intent), focus=focus,
                   views={v.measure_id: v for v in views}, fused=fused, graph=None, policies=[],
                   responsibility_labels=["责任单位"], nouns=nouns, genre=packaged_genre())


def test_a_support_word_is_the_subject_of_a_departments_question():
    text = "住房补贴归哪个部门管？"
    linked = _linked(text, Link("support_kind", "补贴", "住房补贴", 0, 4))
    focus, _ = analyse_focus(linked, "departments", genre=packaged_genre())
    assert "住房补贴" in focus  # 补贴 is a support cue, but part of what this question is about
    assert "住房补贴" not in analyse_focus(linked, "support", genre=packaged_genre())[0]  # a filter of a support question


def test_a_question_of_who_handles_an_offer_searches_the_offers():
    offer = _linked("住房补贴归哪个部门管？", Link("support_kind", "补贴", "住房补贴", 0, 4))
    plain = _linked("高校课程建设归哪些部门管？", Link("beneficiary", "高校", "高校", 0, 2))
    departments = Intent("departments", scores={"departments": 3.0, "support": 0.5})
    assert asks_about_support(departments, offer)
    assert not asks_about_support(departments, plain)  # who benefits is no offer
    assert asks_about_support(Intent("comparison", subject="support"), plain)
    assert not asks_about_support(Intent("targets", scores={"support": 1.0}), offer)


def test_the_clause_saying_every_word_of_the_question_outranks_a_higher_ranked_related_one():
    text = "人才公寓归哪个部门管？"
    linked = _linked(text)
    related = _view("p1.m1", "加强人才引进", "加强高层次人才引进，完善人才评价体系。（责任单位：市人才办）")
    naming = _view("p2.m4", "优化人才服务", "筹集建设人才公寓，保障人才住房需求。（责任单位：市住房城乡建设局）")
    ctx = _context(text, linked, "departments", [related, naming],
                   [_hit("p1.m1", 1, bm25=2, dense=1), _hit("p2.m4", 2, bm25=1)])
    assert [v.measure_id for v in target_measures(ctx, genre=packaged_genre())] == ["p2.m4"]


def test_a_clause_both_signals_rank_first_is_quoted_with_all_its_actions():
    text = "企业用工成本太高，有啥办法？"
    linked = _linked(text)
    lead = _view("p1.m3", "降低企业用工成本",
                 "降低企业用工成本。落实社会保险费减免政策，降低企业用工成本。开展职业技能培训，"
                 "对企业组织的培训给予补贴。推动人力资源服务机构为企业提供招聘对接。（责任单位：市人力资源社会保障局）")
    other = _view("p1.m5", "优化营商环境", "持续优化营商环境，降低制度性交易成本。")
    ctx = _context(text, linked, "general", [lead, other],
                   [_hit("p1.m3", 1, bm25=1, dense=1), _hit("p1.m5", 2, bm25=2, dense=2)])
    answer = compose_general(ctx, genre=packaged_genre()).answer
    assert "社会保险费减免" in answer and "职业技能培训" in answer  # the whole clause, not one sentence
    assert "责任单位" not in answer.split("\n")[2]  # its 责任单位 block is no action


def test_a_sentence_capping_the_offers_before_it_answers_a_question_of_the_most_one_gets():
    from rag.compose import compose_support

    text = ("对新认定的孵化器给予10%的运营补贴；对新认定的加速器给予15%的运营补贴。"
            "以上补贴标准，单个载体补贴金额最高不超过50万元。")
    view = _view("p1.m1", "支持孵化载体", text)
    most = _context("孵化器的补贴最多能拿多少？", _linked("孵化器的补贴最多能拿多少？"), "support", [view],
                    [_hit("p1.m1", 1, bm25=1)])
    answer = compose_support(most, genre=packaged_genre())
    assert not answer.abstained and "50万元" in answer.citations[0].quote, answer.answer
    # a question that asks no amount is answered by the offers themselves, not by their cap (the
    # clause is short: quoted whole, from its offers)
    who = _context("孵化器有什么补贴条件？", _linked("孵化器有什么补贴条件？"), "support", [view],
                   [_hit("p1.m1", 1, bm25=1)])
    answer = compose_support(who, genre=packaged_genre())
    assert answer.citations and answer.citations[0].quote.startswith("对新认定的孵化器"), answer.answer


def test_an_answer_quotes_the_clause_that_states_the_asked_fact_not_its_neighbours():
    question = "项目负责人每年在项目上的工作时间不得少于多久？"
    rule = _view("p1.m2", "项目负责人条件", "项目负责人每年用于项目的工作时间不得少于6个月。")
    near = _view("p1.m3", "项目负责人限项", "项目负责人限申报1个项目，在研项目负责人不得牵头申报。")
    other = _view("p1.m4", "申报单位要求", "项目申报单位和项目负责人须签署诚信承诺书，落实工作要求。")
    ctx = _context(question, _linked(question), "general", [rule, near, other],
                   [_hit("p1.m3", 1, bm25=1), _hit("p1.m2", 2, bm25=2), _hit("p1.m4", 3, bm25=3)])
    answer = compose_general(ctx, genre=packaged_genre())
    assert not answer.abstained, answer.answer
    assert [c.measure_id for c in answer.citations] == ["p1.m2"], answer.answer


def test_narrowing_keeps_every_candidate_when_none_says_the_whole_question():
    from rag.compose import narrowed

    question = "人才公寓怎么申请？"
    ctx = _context(question, _linked(question), "general", [], [])
    texts = ["筹集建设人才公寓。", "完善人才服务体系。"]
    ctx.focus = ["人才", "公寓", "申请"]
    assert narrowed(ctx, texts, lambda t: t, genre=packaged_genre()) == texts
    ctx.focus = ["人才", "公寓"]
    assert narrowed(ctx, texts, lambda t: t, genre=packaged_genre()) == ["筹集建设人才公寓。"]
    # a word written with a character more (固体废物 / 固体废弃物) is the same word
    ctx.focus = ["固体废物", "处置率"]
    both = ["一般工业固体废物安全处置率达到95%。", "2020年工业固体废弃物安全处置率达到98%以上。", "用水量下降23%。"]
    assert narrowed(ctx, both, lambda t: t, genre=packaged_genre()) == both[:2]


def test_a_question_of_kinds_is_answered_by_the_sentence_that_divides_the_thing():
    from rag.compose import compose_kinds

    question = "政务数据开放分成哪几类？"
    divides = _view("p1.m2", "开放类型", "政务数据开放分为无条件开放、有条件开放、不予开放三类。开放类型在目录中标明。")
    near = _view("p1.m3", "开放平台", "政务数据开放通过统一平台进行，分为申请、审核两个环节。")
    ctx = _context(question, _linked(question), "general", [divides, near],
                   [_hit("p1.m3", 1, bm25=1), _hit("p1.m2", 2, bm25=2)])
    answer = compose_kinds(ctx, genre=packaged_genre())
    assert answer is not None and [c.measure_id for c in answer.citations] == ["p1.m2"], answer
    assert "无条件开放、有条件开放、不予开放" in answer.citations[0].quote
    other = "政务数据开放由哪个部门负责？"
    assert compose_kinds(_context(other, _linked(other), "general", [divides], [_hit("p1.m2", 1)]),
                         genre=packaged_genre()) is None


def test_an_offer_is_quoted_with_the_sentence_that_caps_it():
    from rag.compose import whole_sentences, with_cap

    text = ("对新认定的孵化器给予10%的运营补贴；对新认定的加速器给予15%的运营补贴。以上补贴标准，单个载体补贴金额最高不超过50万元。"
            "其他事项另行规定。")
    v = _view("p1.m1", "支持孵化载体", text)
    i = text.index("对新认定的加速器")
    span = with_cap(v, whole_sentences(v, i, i + 8), genre=packaged_genre())
    assert span[2] == text[: text.index("其他")] and "50万元" in span[2]
    plain = _view("p1.m2", "支持孵化载体", "对新认定的孵化器给予10%的运营补贴。其他事项另行规定。")
    only = whole_sentences(plain, 0, 5)
    assert with_cap(plain, only, genre=packaged_genre()) == only


def test_of_one_clause_the_sentence_stating_the_asked_count_is_quoted():
    question = "公租房一个家庭能租几套？"
    clause = _view("p1.m9", "第二十九条公共租赁住房实行集中分配",
                   "配租房型应与申请家庭保障人数相对应。申请家庭只限申请承租1套公共租赁住房。")
    other = _view("p1.m5", "第二十一条以家庭为单位申请",
                  "第二十一条申请家庭应当推举1名家庭成员作为申请人。")
    ctx = _context(question, _linked(question), "general", [clause, other],
                   [_hit("p1.m9", 1, bm25=1), _hit("p1.m5", 2, bm25=2)])
    answer = compose_general(ctx, genre=packaged_genre())
    quotes = [c.quote for c in answer.citations]  # the short clause whole: its one count sentence with it
    assert len(quotes) == 1 and "申请家庭只限申请承租1套公共租赁住房。" in quotes[0], answer.answer


def test_an_article_number_or_another_unit_is_no_asked_count():
    from rag.compose import asked_fact_bonus

    g = packaged_genre()
    assert asked_fact_bonus("一个家庭能租几套？", "申请家庭只限申请承租1套公共租赁住房。", genre=g) > 0
    assert asked_fact_bonus("一个家庭能租几套？", "申请家庭应当推举1名家庭成员作为申请人。", genre=g) == 0
    assert asked_fact_bonus("有多少项任务？", "第二十一条 以家庭为单位申请。", genre=g) == 0


def test_a_candidate_sharing_only_a_common_word_with_the_question_is_left_out():
    from rag.compose import narrowed_goals

    question = "进出口监管的随机布控比例要求是多少？"
    ctx = _context(question, _linked(question), "targets", [], [])
    ctx.focus = ["进出口", "监管", "布控", "比例"]
    rows = [{"text": "推动进出口货物监管，2018年底前实现100%随机选择布控"}, {"text": "按照不超过项目总投资额50%的比例"}]
    assert narrowed_goals(ctx, rows, [], genre=packaged_genre()) == (rows[:1], [])
    near = [rows[0], {"text": "进出口监管的随机布控比例不低于80%"}]
    assert narrowed_goals(ctx, near, [], genre=packaged_genre()) == (near[1:], [])  # says every word


def test_a_clause_both_signals_rank_first_is_quoted_though_a_neighbour_repeats_more_words():
    text = "在职公务员能当科研项目负责人去申报吗？"
    linked = _linked(text)
    lead = _view("p1.m3", "申报资格", "中央和地方各级政府的公务人员不得申报项目。")
    neighbour = _view("p1.m4", "负责人限项",
                      "科研项目负责人和项目骨干退出研发团队后，原则上不得牵头申报新的科研项目负责人岗位。")
    ctx = _context(text, linked, "general", [lead, neighbour],
                   [_hit("p1.m3", 1, bm25=1, dense=1), _hit("p1.m4", 2, bm25=2, dense=3)])
    answer = compose_general(ctx, genre=packaged_genre())
    assert "公务人员不得申报项目" in answer.answer  # the clause two signals agree on, not only the neighbour
    assert "p1.m3" in [c.measure_id for c in answer.citations]


def test_a_specialised_answer_saying_nothing_of_the_question_gives_way_to_the_lead_clause():
    from rag.compose import Citer, Composed, with_lead_clause

    text = "对外五大通道分别是哪几条？"
    linked = _linked(text)
    lead = _view("p1.m3", "构建对外五大通道", "构建海上通道、陆路通道、西南通道、中南通道、湾区通道“五大通道”。")
    other = _view("p2.m7", "港口", "（一）港口")
    ctx = _context(text, linked, "comparison", [lead, other],
                   [_hit("p1.m3", 1, bm25=1, dense=1), _hit("p2.m7", 2, bm25=2)])
    citer = Citer()
    citer.cite(other, 0, len(other.text), other.text)
    parts = Composed(answer="列出的各项：\n\n- （一）港口 [1]", citations=citer.citations)
    answer = with_lead_clause(ctx, parts, genre=packaged_genre())
    assert "海上通道" in answer.answer and [c.measure_id for c in answer.citations] == ["p1.m3"]
    listed = _view("p2.m6", "对外通道", "对外五大通道：港口、铁路、民航、公路、管道。")
    own = Citer()
    own.cite(listed, 0, len(listed.text), listed.text)
    saying = Composed(answer="- 对外五大通道：港口、铁路、民航、公路、管道。 [1]", citations=own.citations)
    assert with_lead_clause(ctx, saying, genre=packaged_genre()) is saying  # its quotes say the question


# a general question asking for a list, and the clause BM25 and the dense signal both rank first, which
# lists the channels (the parts of 三、考评方式 share a word with the question but list something else)
CHANNELS_QUESTION = "想给政务服务打个差评，现在都有哪些评价渠道可以用？"


def _channels_clause() -> View:
    return _view("p1.m16", "拓展评价渠道", "在现有窗口评价器、手机APP、网站、叫号机、自助机、短信等评价渠道的基础上，继续拓展政务服务评价渠道。")


def _method_clause() -> View:
    return _view("p1.m3", "考评方式", "（一）考评以日常监测、实地调研、民意调查、第三方评估等方式进行")


def test_a_section_listed_for_a_general_question_gives_way_to_the_lead_clause():
    """A general question asking for a list ("都有哪些评价渠道") may be answered with the parts of a section
    whose title shares a word with it (三、考评方式); when the clause the lexical and the dense signal both
    rank first lists what is asked and the parts say little of it, the clause answers. Before, only the
    specialised intents' answers gave way: a general question kept the section's parts."""
    from rag.compose import Citer, Composed, with_lead_clause

    text, lead = CHANNELS_QUESTION, _channels_clause()
    part = _method_clause()
    ctx = _context(text, _linked(text), "general", [lead, part],
                   [_hit("p1.m16", 1, bm25=1, dense=1), _hit("p1.m3", 2, bm25=3)])
    citer = Citer()
    citer.cite(part, 0, len(part.text), part.text)
    said = "三、考评方式列出的各项：\n\n- （一）考评以日常监测 [1]"
    general = Composed(answer=said, citations=citer.citations)
    assert with_lead_clause(ctx, general, genre=packaged_genre()) is general  # a general answer, as before
    parts = Composed(answer=said, citations=citer.citations, section_parts=True)
    answer = with_lead_clause(ctx, parts, genre=packaged_genre())
    assert "叫号机" in answer.answer and [c.measure_id for c in answer.citations] == ["p1.m16"], answer.answer


def test_a_structure_answer_says_it_lists_a_section_and_so_gives_way_to_the_lead_clause():
    """structure_answer marks its answer as a section's parts (Composed.section_parts), which is what
    with_lead_clause judges in compose: the two meet only through that mark, so a structure answer that
    lost it would keep the section's parts for a general question again."""
    from rag.compose import Part, structure_answer, with_lead_clause

    text, lead = CHANNELS_QUESTION, _channels_clause()
    first = _method_clause()
    second = _view("p1.m4", "考评程序", "（二）考评按照自评、复核、审定的程序进行")
    ctx = _context(text, _linked(text), "general", [lead, first, second],
                   [_hit("p1.m16", 1, bm25=1, dense=1), _hit("p1.m3", 2, bm25=3), _hit("p1.m4", 3, bm25=4)])
    part = Part(policy_id="p1", path=("三、考评方式",), children=[("（一）考评方式", first), ("（二）考评程序", second)])
    listed = structure_answer(ctx, part)
    assert listed.section_parts and "（一）考评方式" in listed.answer
    answer = with_lead_clause(ctx, listed, genre=packaged_genre())
    assert "叫号机" in answer.answer and [c.measure_id for c in answer.citations] == ["p1.m16"], answer.answer


def test_a_cap_sentence_does_not_outrank_the_offer_a_question_of_one_category_asks():
    """"家里养了二孩…贴多少" asks the rate of the offer that names 二孩, which the cap sentence after the
    offers ("以上补贴标准，单套补贴金额最高不超过10万元") does not state: the cap ranks with its offers only
    for a question asking the most one gets (answer.yaml `maximum_ask`; that case is the test above)."""
    text = ("凡在我市新购买新建商品住房的购房人，给予总房价1%的购房补贴；二孩及以上的本市户籍家庭新购买新建商品住房的，"
            "给予总房价1.5%的购房补贴；新市民、进城农民、城市公共服务人员新购买新建商品住房的，给予总房价2%的购房补贴；"
            "新购买新建车位的购置人，给予车位总价款3%的购置补贴；对售出自有住房并在1年内购买新建商品住房的购房人，"
            "或购买新建商品住房后1年内售出原自有住房的购房人，给予新建商品住房总房价2%的购房补贴。"
            "以上补贴标准，单套补贴金额最高不超过10万元。")  # a list run together with ； (over 200 characters)
    view = _view("p1.m1", "实施购房补贴", text)
    question = "本地户口、家里养了二孩，现在买新房政府贴多少？"
    ctx = _context(question, _linked(question), "general", [view], [_hit("p1.m1", 1, bm25=1)])
    answer = compose_general(ctx, genre=packaged_genre())
    assert not answer.abstained and "1.5%" in answer.answer, answer.answer


def test_the_clause_saying_nearly_every_word_outranks_one_saying_clearly_fewer():
    """No clause says every word (建立健全…失信行为联合惩戒机制 is no 失信联合惩戒机制); the one that says
    nearly all of them is the task asked about, not the first retrieved clause about the same field."""
    text = "电子商务领域失信联合惩戒机制由哪些部门负责建立？"
    near = _view("p1.m2", "预防和打击电子商务领域违法犯罪",
                 "加强电子商务企业与相关管理部门的协作配合，建立跨机构合作机制。（公安部、商务部）")
    naming = _view("p1.m7", "加强信用体系建设",
                   "推动电子商务信用评价，建立健全电子商务失信行为联合惩戒机制。（发展改革委、人民银行）")
    ctx = _context(text, _linked(text), "departments", [near, naming], [_hit("p1.m2", 1), _hit("p1.m7", 2)])
    assert [v.measure_id for v in target_measures(ctx, genre=packaged_genre())] == ["p1.m7"]
    # when the first says nearly as many words, the order of retrieval stands
    close = _view("p1.m3", "完善电子商务信用机制", "建立电子商务领域失信联合机制。（商务部）")
    ctx = _context(text, _linked(text), "departments", [close, naming], [_hit("p1.m3", 1), _hit("p1.m7", 2)])
    assert [v.measure_id for v in target_measures(ctx, genre=packaged_genre())] == ["p1.m3"]


def test_a_measure_title_inside_the_question_yields_to_a_clause_saying_its_words():
    """电子商务 is the title of another document's section: named in the question, it is one of its words,
    not its subject, when its clause says few of the others and a retrieved clause says nearly all."""
    text = "电子商务领域失信联合惩戒机制由哪些部门负责建立？"
    titled = _view("p9.m1", "电子商务", "电子商务：实施电商东盟工程，培育一批大宗商品电子商务交易平台。")
    naming = _view("p1.m7", "加强信用体系建设",
                   "推动电子商务信用评价，建立健全电子商务领域失信行为联合惩戒机制。（发展改革委、人民银行）")
    link = Link("measure", "p9.m1", "电子商务", 0, 4, score=0.9)
    ctx = _context(text, _linked(text, link), "departments", [titled, naming], [_hit("p1.m7", 1), _hit("p9.m1", 2)])
    assert [v.measure_id for v in target_measures(ctx, genre=packaged_genre())] == ["p1.m7"]
    asked = "电子商务由哪些部门负责？"  # the title is the subject: its clause stands
    ctx = _context(asked, _linked(asked, link), "departments", [titled, naming], [_hit("p1.m7", 1), _hit("p9.m1", 2)])
    assert [v.measure_id for v in target_measures(ctx, genre=packaged_genre())] == ["p9.m1"]


def test_the_words_of_a_named_document_do_not_choose_among_its_clauses():
    """公共数据管理办法里，教育数据由哪些部门负责: every clause of the named document says 公共数据 and 管理;
    the clause that says 教育 is the one asked about, though the signals rank a general one first."""
    text = "某省公共数据管理办法里，教育数据由哪些部门负责？"
    general = _view("p1.m48", "第四十八条",
                    "县级以上公共数据主管部门应当会同有关部门建立公共数据管理工作的评估机制。")
    listing = _view("p1.m18", "第十八条",
                    "公共管理和服务机构提供下列基础数据：（五）卫生健康数据，由卫生健康主管部门负责；"
                    "（七）教育数据，由教育主管部门、高等学校负责。")
    link = Link("policy", "p1", "某省公共数据管理办法", 0, 10)
    ctx = _context(text, _linked(text, link), "departments", [general, listing], [_hit("p1.m48", 1), _hit("p1.m18", 2)])
    assert [v.measure_id for v in target_measures(ctx, genre=packaged_genre())] == ["p1.m18"]


def test_what_a_named_thing_is_is_answered_by_the_sentence_defining_it():
    """试验区说白了是干啥的: the document's own definition (X（以下简称Y）是…), found in the first clauses of
    the best document though the question's words retrieve others; a definition of another term, or a
    question asking no meaning, is left to the general answer."""
    from rag.compose import compose_definition
    from tests.support.compose import compose_context

    defining = _view("p1.m1", "建设思路", "国家新一代人工智能创新发展试验区（以下简称试验区）是依托地方开展"
                                      "人工智能技术示范、政策试验和社会实验的区域。")
    other = _view("p1.m9", "推荐申请", "有意愿建设试验区的地方撰写试验区建设方案，由省级科技行政主管部门推荐。")
    question = "科技部说的那个人工智能创新发展试验区，说白了到底是干啥的地方？"
    ctx = compose_context(question, "general", [other])  # only the other clause is retrieved
    ctx.views[defining.measure_id] = defining
    ctx.outline = lambda pid: [defining, other] if pid == "p1" else []
    composed = compose_definition(ctx, genre=packaged_genre())
    assert composed is not None and "技术示范" in composed.citations[0].quote, composed
    assert composed.answer.startswith("文件对“国家新一代人工智能创新发展试验区”的界定")
    asked_else = compose_context("人工智能创新发展试验区怎么申请？", "general", [other])
    asked_else.outline = ctx.outline
    assert compose_definition(asked_else, genre=packaged_genre()) is None
    unrelated = compose_context("公共数据是什么意思？", "general", [other])
    unrelated.outline = ctx.outline
    assert compose_definition(unrelated, genre=packaged_genre()) is None


def test_a_list_whose_titles_never_say_the_kind_counted_is_not_the_list_asked():
    """依托哪几个园区 counts 园区: a chapter whose parts are its tasks (推动…集聚发展, 加强专利信息服务) lists
    something else. A kind the question counts in a word of no content (方面) asks nothing of the titles,
    nor does a term it quotes (为实现“两个建成”要坚持的原则有哪几条: the principles are the list)."""
    from rag.compose import says_kind_asked
    from tests.support.compose import compose_context

    tasks = "加快知识产权服务体系建设推动知识产权服务业集聚发展加强专利信息服务提升服务机构能力"
    parks = compose_context("南宁的知识产权服务业集聚区主要依托哪几个园区来建？", "general", [])
    assert not says_kind_asked(parks, tasks, genre=packaged_genre())
    assert says_kind_asked(parks, tasks + "支持高新区等园区建设集聚区", genre=packaged_genre())
    principles = compose_context("广西十三五规划纲要里，为实现“两个建成”要坚持的原则有哪几条？", "general", [])
    principles.linked.quoted = ["两个建成"]
    assert says_kind_asked(principles, "第三章基本原则坚持创新驱动坚持开放带动", genre=packaged_genre())
    aspects = compose_context("知识产权服务体系建设从哪几个方面推进？", "general", [])
    assert says_kind_asked(aspects, tasks, genre=packaged_genre())


def test_the_term_a_question_quotes_is_the_one_defined():
    """广东公共数据办法里的“数据主体”指的是啥: the document's name writes 公共数据 as fully as the quoted
    term, and a list of definitions defines both; the quoted one is asked."""
    from rag.compose import compose_definition
    from tests.support.compose import compose_context

    terms = _view("p1.m3", "用语含义", "本办法下列用语的含义：\n（一）公共数据，是指公共管理和服务机构制作或者获取的信息记录；\n"
                                    "（二）数据主体，是指相关数据所指向的自然人、法人和非法人组织；")
    ctx = compose_context("广东公共数据办法里的“数据主体”指的是啥？", "general", [terms])
    ctx.linked.quoted = ["数据主体"]
    composed = compose_definition(ctx, genre=packaged_genre())
    assert composed is not None and composed.answer.startswith("文件对“数据主体”的界定"), composed
    assert "自然人" in composed.citations[0].quote


def test_a_verb_beginning_with_the_defining_character_defines_nothing():
    """支持指导…: 指 alone (and 是 alone) defines a term only after 所称 or a short name in brackets."""
    import re

    from rag.compose import settings_data

    shape = re.compile(settings_data(packaged_genre())["definition_sentence"])
    assert shape.match("支持指导13个试点县创新用地管理机制。") is None
    assert shape.match("市住房城乡建设局是全市住房保障行政主管部门。") is None
    for sentence, term in (("本办法所称公共租赁住房保障，是指通过发放租赁补贴保障住房的制度。", "公共租赁住房保障"),
                           ("公共数据，是指公共管理和服务机构制作或者获取的信息记录。", "公共数据"),
                           ("试验区建设工作（以下简称试验区）是依托地方开展的实验。", "试验区建设工作")):
        m = shape.match(sentence)
        assert m and next(t for k, t in m.groupdict().items() if k.startswith("term") and t) == term, sentence


def test_a_specialised_answer_saying_less_than_the_lead_clause_gives_way_to_it():
    """A question in the asker's own words (办厂的老板…政治荣誉…有没有啥照顾) shares few words with any
    clause: the support answer quoting an award for honours of tourism villages (荣誉 alone) and the clause
    both signals rank first (政治荣誉: 推荐为人大代表) both say less than a specialised answer must. The
    lead clause, saying clearly more of the question, answers; one saying no more than the quotes does not."""
    from rag.compose import Citer, Composed, with_lead_clause

    text = "在某县办厂的老板，除了给钱奖励，政府在政治荣誉这块有没有啥照顾？"
    lead = _view("p1.m18", "提升企业家素质和政治荣誉",
                 "对规上企业主要负责人，优先组织外出培训；符合条件的优先推荐为人大代表、政协委员。")
    award = _view("p2.m11", "各类荣誉评定", "凡被评为农家乐特色村等有关旅游的市级荣誉的，给予一次性配套奖励2万元。")
    ctx = _context(text, _linked(text), "support", [lead, award],
                   [_hit("p1.m18", 1, bm25=1, dense=1), _hit("p2.m11", 2, bm25=2, dense=2)])
    citer = Citer()
    citer.cite(award, 0, len(award.text), award.text)
    offers = Composed(answer="可以获得的支持：\n\n- **各类荣誉评定** [1]", citations=citer.citations)
    answer = with_lead_clause(ctx, offers, genre=packaged_genre())
    assert "人大代表" in answer.answer and answer.citations[0].measure_id == "p1.m18", answer.answer
    same = _view("p1.m18", "企业家培训", "对规上企业主要负责人，优先组织外出培训；授予荣誉称号。")
    ctx = _context(text, _linked(text), "support", [same, award],
                   [_hit("p1.m18", 1, bm25=1, dense=1), _hit("p2.m11", 2, bm25=2, dense=2)])
    assert with_lead_clause(ctx, offers, genre=packaged_genre()) is offers  # says no more than the quotes


def test_a_section_listed_for_a_compound_it_counts_keeps_every_part_the_head_names():
    """哪几类科技服务 counts 服务, the compound's head: every part of 第八章 is a kind of 服务 (研究开发服务,
    技术转移服务 …) and all are listed — not only the two whose titles happen to write 科技."""
    from rag.compose import Part, structure_answer

    text = "某市科技规划在提升科技服务业发展水平方面，重点发展哪几类科技服务？"
    titles = ["研究开发服务", "技术转移服务", "检验检测认证服务", "科技咨询和科普服务", "打造市场化程度更高的科技服务体系"]
    views = [_view(f"p1.m{i}", t, f"（{n}）{t}\n构建平台，提供服务。") for i, (n, t) in enumerate(zip("一二三四五", titles, strict=True), 1)]
    ctx = _context(text, _linked(text), "general", views, [_hit(v.measure_id, i, bm25=i) for i, v in enumerate(views, 1)])
    part = Part(policy_id="p1", path=("第八章提升科技服务业发展水平",),
                children=[(f"（{n}）{t}", v) for n, t, v in zip("一二三四五", titles, views, strict=True)])
    listed = structure_answer(ctx, part)
    assert all(t in listed.answer for t in titles), listed.answer


def test_a_clause_s_other_offer_that_answers_better_than_every_fact_leads_the_support_answer():
    """The graph may hold one support fact of a clause that writes several offers (雪道 awards, and
    在河流浇灌标准化冰场每块奖励1万元 after them): a question about the other offer is answered by that
    sentence first, although a fact comes from the same clause. A sentence the facts quote leads nothing."""
    from rag.compose import lead_clause

    text = "在河流浇灌一块标准化冰场能奖多少钱？"
    clause = _view("p1.m6", "冰雪项目建设", "对新建高级雪道、中级雪道、初级雪道分别奖励100万元、50万元、5万元。"
                                         "在河流、湖泊浇灌标准化冰场每块奖励1万元。")
    ctx = _context(text, _linked(text), "support", [clause], [_hit("p1.m6", 1, bm25=1)])
    row = {"measure_id": "p1.m6", "quote": "对新建高级雪道、中级雪道、初级雪道分别奖励100万元、50万元、5万元。"}
    found = lead_clause(ctx, [row], genre=packaged_genre())
    assert found is not None and "冰场每块奖励1万元" in found[1][2]
    asked = "新建一条高级雪道能奖多少钱？"
    ctx = _context(asked, _linked(asked), "support", [clause], [_hit("p1.m6", 1, bm25=1)])
    assert lead_clause(ctx, [row], genre=packaged_genre()) is None  # the fact's own sentence answers
