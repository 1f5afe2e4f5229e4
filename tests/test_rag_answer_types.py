"""The answer quotes the sentence that carries what the question asks for: the kind of value (a
duration, a count, an age limit, the remedy for missing papers), the clause retrieval ranks first
even when a specialised path has facts of its own, and a user's synonym of the documents' word."""

from __future__ import annotations

from types import SimpleNamespace

from genre import packaged as packaged_genre
from rag.compose import (
    Context,
    View,
    analyse_focus,
    asked_kind,
    compose_general,
    compose_support,
    corpus_words,
    kind_bonus,
    states_kind,
)
from rag.intents import Intent, route
from rag.linking import Link, Linked
from rag.model import Hit

GENRE = packaged_genre()


def _view(mid: str, title: str, text: str) -> View:
    return View(measure_id=mid, policy_id=mid.split(".")[0], text=text, start=0, title=title, number="1.",
                policy="某市住房保障管理办法", city="某市")


def _hit(mid: str, rank: int, **ranks: int) -> Hit:
    return Hit(chunk_id=mid, measure_id=mid, score=1.0 / rank, signal="fused", rank=rank, ranks=ranks)


def _graph(supports: list[dict]) -> SimpleNamespace:
    """The support facts a graph search found (the fields compose_support reads)."""
    return SimpleNamespace(supports=supports, departments={})


def _context(question: str, intent: str, views: list[View], fused: list[Hit], *links: Link, graph=None,
             absent=None) -> Context:
    linked = Linked(text=question, links=list(links))
    focus, nouns = analyse_focus(linked, intent, genre=GENRE)
    return Context(question=question, linked=linked, intent=Intent(intent), focus=focus,
                   views={v.measure_id: v for v in views}, fused=fused, graph=graph, policies=[],
                   responsibility_labels=["责任单位"], nouns=nouns, genre=GENRE, absent=absent)


def test_each_kind_of_asked_value_is_recognised_in_a_sentence():
    def states(question: str, sentence: str) -> bool:
        kind = asked_kind(question, genre=GENRE)
        return kind is not None and states_kind(kind, sentence, genre=GENRE)

    assert states("一个家庭能租几套？", "申请家庭只限申请承租1套住房。")
    assert not states("一个家庭能租几套？", "第二十一条 配租房型应与家庭人数相对应。")  # a clause number counts nothing
    assert not states("一个家庭能租几套？", "申请家庭应当推举1名家庭成员作为申请人。")  # counted in another counter
    assert states("培育多少家企业？", "培育100家以上企业。")
    assert states("缓缴能缓多久？", "最长不超过3个月。")
    assert not states("缓缴能缓多久？", "自本办法发布之日至2023年12月31日执行。")  # a date is no duration
    assert not states("要几个工作日能办下来？", "第一年支持金额不超过1000万元。")  # an ordinal is no span
    assert states("要几个工作日能办下来？", "企业开办时间压缩到5个工作日以内。")
    for asked in ("答复期限各是多少？", "办理期限是多长？", "审核期限有几天？"):  # a 期限 asked for is a span
        assert asked_kind(asked, genre=GENRE).get("span"), asked
        assert states(asked, "应当自收到申请之日起7个工作日内答复。"), asked
    assert states("负责人年龄有什么要求？", "负责人须1960年1月1日以后出生。")
    assert states("负责人年龄有什么要求？", "申请人不超过45周岁。")
    assert not states("负责人年龄有什么要求？", "负责人须具有高级职称。")
    assert states("提交的材料不全怎么办？", "材料不齐全的，一次性告知补正。")
    assert not states("提交的材料不全怎么办？", "申请人通过系统提交申请。")
    assert asked_kind("住房保障由哪个部门负责？", genre=GENRE) is None


def test_the_sentence_stating_the_asked_count_is_quoted_first():
    question = "公租房一个家庭能租几套？"
    clause = _view("p1.m29", "配租管理", "公共租赁住房实行轮候配租。申请家庭只限申请承租1套公共租赁住房。"
                   "配租房型应与申请家庭保障人数及租房需求相对应。")
    other = _view("p1.m21", "申请条件", "申请家庭应当以家庭为单位提出租房申请。")
    ctx = _context(question, "general", [clause, other], [_hit("p1.m29", 1, bm25=1, dense=2),
                                                          _hit("p1.m21", 2, bm25=2, dense=1)])
    answer = compose_general(ctx, genre=GENRE)
    assert not answer.abstained
    first = answer.answer.split("\n")[2]
    assert "1套" in first and "1套" in answer.citations[0].quote


def test_without_an_asked_kind_the_best_matching_sentence_still_leads():
    question = "公租房配租房型怎么定？"
    clause = _view("p1.m29", "配租管理", "申请家庭只限申请承租1套公共租赁住房。配租房型应与申请家庭保障人数相对应。")
    ctx = _context(question, "general", [clause], [_hit("p1.m29", 1, bm25=1, dense=1)])
    assert "配租房型" in compose_general(ctx, genre=GENRE).citations[0].quote


def test_a_support_answer_quotes_first_the_top_clause_that_states_the_asked_amount():
    question = "事前补助每家每年最多给多少？"
    ranked_first = _view("p1.m24", "支持科技服务机构", "采取事前补助方式给予支持，每家每年支持金额不超过300万元。")
    graph_fact = _view("p1.m18", "支持产业空间", "采取事前补助方式给予支持，给予最高不超过5000万元的资金支持。")

    graph = _graph([{"measure_id": "p1.m18", "score": 3.0, "kind": "补贴", "amount": "5000万元", "quote": graph_fact.text, "start": 0, "end": len(graph_fact.text)}])

    ctx = _context(question, "support", [ranked_first, graph_fact],
                   [_hit("p1.m24", 1, bm25=1, dense=9), _hit("p1.m18", 2, bm25=9, graph=1)],
                   Link("support_kind", "补贴", "补助", 2, 4), graph=graph)
    answer = compose_support(ctx, genre=GENRE)
    assert "300万元" in answer.citations[0].quote  # the clause retrieval ranks first, cited first
    assert any("5000万元" in c.quote for c in answer.citations)  # the graph's facts still listed


def test_a_support_answer_without_an_asked_kind_lists_the_facts_alone():
    question = "事前补助有什么支持？"
    other = _view("p1.m24", "支持科技服务机构", "采取事前补助方式给予支持，每家每年支持金额不超过300万元。")
    fact = _view("p1.m18", "支持产业空间", "采取事前补助方式给予支持，给予最高不超过5000万元的资金支持。")

    graph = _graph([{"measure_id": "p1.m18", "score": 3.0, "kind": "补贴", "amount": "5000万元", "quote": fact.text, "start": 0, "end": len(fact.text)}])

    ctx = _context(question, "support", [other, fact], [_hit("p1.m18", 1, bm25=1, graph=1),
                                                       _hit("p1.m24", 2, bm25=2)],
                   Link("support_kind", "补贴", "补助", 2, 4), graph=graph)
    assert [c.measure_id for c in compose_support(ctx, genre=GENRE).citations] == ["p1.m18"]


def test_a_question_naming_the_kind_of_support_prefers_the_clause_that_names_it():
    question = "在某港登记的国产船能享受出口退税吗？"
    clause = _view("p1.m24", "国际船舶登记", "对境内制造船舶在某港登记从事国际运输的，视同出口，按照国家规定给予出口退税。")
    unrelated = _view("p2.m3", "优化企业服务", "在商事登记等方面给予更多便利，积极落实有关税收优惠政策。")

    graph = _graph([{"measure_id": "p2.m3", "score": 1.0, "kind": "税收优惠", "quote": unrelated.text, "start": 0, "end": len(unrelated.text)}])

    ctx = _context(question, "support", [clause, unrelated],
                   [_hit("p1.m24", 1, bm25=1, dense=2), _hit("p2.m3", 2, bm25=2, graph=1)],
                   Link("support_kind", "税收优惠", "退税", 15, 17), graph=graph)
    answer = compose_support(ctx, genre=GENRE)
    assert "视同出口" in answer.citations[0].quote


def test_a_users_synonym_of_a_word_the_documents_use_does_not_refuse():
    question = "政府部门还能随便让老百姓开证明吗？"
    clause = _view("p1.m24", "减证便民", "清单之外，政府部门、公用事业单位和服务机构不得索要证明。")
    corpus = clause.text + "服务群众"

    def absent(term: str) -> bool:
        return term not in corpus

    ctx = _context(question, "general", [clause], [_hit("p1.m24", 1, bm25=1, dense=1)], absent=absent)
    assert ctx.worded_otherwise("老百姓")  # 群众 is the documents' word
    assert not ctx.worded_otherwise("临床试验")
    assert not compose_general(ctx, genre=GENRE).abstained

    def nowhere(term: str) -> bool:  # no document speaks of the people in any wording
        return term not in clause.text

    ctx = _context(question, "general", [clause], [_hit("p1.m24", 1, bm25=1, dense=1)], absent=nowhere)
    assert not ctx.worded_otherwise("老百姓")


def test_the_remedy_next_to_the_subject_sentence_answers_what_to_do_about_missing_papers():
    question = "人才入户提交的材料不全怎么办？"
    review = _view("p1.m7", "受理和审核", "人力资源社会保障部门对人才入户申报进行受理和审核。"
                   "申请人填报的信息不齐全的，一次性告知补正，补正后符合规定的，予以受理。")
    timing = _view("p1.m6", "受理时间", "申请人提交人才入户申请材料后，受理时间按提交之日确定。")
    ctx = _context(question, "general", [timing, review], [_hit("p1.m6", 1, bm25=1, dense=2),
                                                          _hit("p1.m7", 2, bm25=2, dense=1)])
    answer = compose_general(ctx, genre=GENRE)
    assert "一次性告知补正" in answer.citations[0].quote


def test_a_question_whether_something_is_allowed_asks_for_the_prohibition_or_permission():
    def states(question: str, sentence: str) -> bool:
        kind = asked_kind(question, genre=GENRE)
        return kind is not None and states_kind(kind, sentence, genre=GENRE)

    assert states("公租房能不能转租给亲戚？", "承租人不得将公共租赁住房转租、出借。")
    assert states("单位能随便回绝别人要数据吗？", "没有法律依据，不得拒绝其他部门提出的共享申请。")
    assert states("给公司起名有啥不能用的？", "企业名称不得违背公序良俗。")
    assert states("外地人能住保租房吗？", "允许符合条件的稳定就业人员申请入住。")
    assert not states("公租房能不能转租给亲戚？", "承租人应当按月缴纳租金。")
    assert asked_kind("最多能贷多少？", genre=GENRE)["fact"] != asked_kind("能贷款吗？", genre=GENRE)["fact"]
    # 好几 says "several": a question whether one may ask several times asks no count
    assert states("部门能不能找群众要好几次同一份材料？", "可以通过共享方式获得的，不得重复采集。")
    assert route(Linked(text="部门能不能找群众要好几次同一份材料？", links=[]), genre=GENRE).name != "targets"
    assert route(Linked(text="要建几个中心？", links=[]), genre=GENRE).name == "targets"


def test_a_whether_allowed_question_quotes_the_clause_sentence_that_forbids_it():
    question = "公租房租户能随便把承租的住房借给亲戚吗？"
    clause = _view("p1.m40", "使用管理", "公租房租户应当按照合同约定的用途使用承租的住房，爱护住房及其附属设施。"
                   "租户不得将住房转借、转租或者擅自调换。")
    # the sentence richest in the question's words says nothing of whether it is allowed; the one that
    # does names only 住房: its clause's text before it says the rest of the question
    ctx = _context(question, "general", [clause], [_hit("p1.m40", 1, bm25=1, dense=3)])
    answer = compose_general(ctx, genre=GENRE)
    assert not answer.abstained
    assert "租户不得将住房转借" in answer.citations[0].quote  # the short clause is quoted whole



def test_a_support_question_asking_whether_one_can_get_it_asks_for_the_offer():
    clause = _view("p1.m5", "购房补贴", "对购买新建商品住房的，给予1%的购房补贴。")
    support = _context("在合肥买新房能拿到补贴吗？", "support", [clause], [_hit("p1.m5", 1, bm25=1)])
    assert support.asked is None
    general = _context("在合肥买新房能拿到补贴吗？", "general", [clause], [_hit("p1.m5", 1, bm25=1)])
    assert general.asked is not None and general.asked.get("after_subject")


def test_a_support_question_asking_whether_it_is_still_accepted_asks_the_whether():
    """申请还会受理吗 asks whether the application counts, not for an offer: the clause's consequence
    (不予受理) answers it, so the whether-kind stays asked when the question is routed to support."""
    clause = _view("p1.m5", "现场审查", "未按规定进行现场审查的，不予受理。")
    question = "通知我去现场审查但我没去，申请还会受理吗？"
    support = _context(question, "support", [clause], [_hit("p1.m5", 1, bm25=1)])
    assert support.asked is not None and support.asked.get("after_subject")
    assert kind_bonus(support.asked, "未按规定进行现场审查的，不予受理。", genre=GENRE) > 0



def test_a_sentence_stating_the_asked_span_of_another_subject_is_not_quoted_first(monkeypatch):
    """养老保险转移接续几个工作日办完: the best pick (转移接续网上办理) states no span; a sentence of another
    subject's clause (数据复核…7个工作日内) states one and scores enough to be put first, but its clause
    does not carry the question: it is not the answer. A clause that does carry it is."""
    import rag.compose as compose

    question = "养老保险关系转移接续手续几个工作日内办完？"
    subject = _view("p1.m1", "社保服务", "实现养老保险关系转移接续业务网上办理和顺畅衔接。")
    other = _view("p2.m28", "数据复核", "申请人申请复核的，数据提供部门应当自收到复核申请之日起7个工作日内进行校核。")
    said = _view("p3.m5", "办理时限", "养老保险关系转移接续手续应当自受理之日起7个工作日内办结。")
    ctx = _context(question, "general", [subject, other, said], [_hit("p1.m1", 1, bm25=1)])
    pick = (0.7, subject, (0, len(subject.text), subject.text))

    def first_of(typed: View):
        monkeypatch.setattr(compose, "typed_sentences", lambda *_a, **_k: [(0.5, typed, (0, len(typed.text), typed.text))])
        return compose.typed_first(ctx, [pick], genre=GENRE)[0][1].measure_id

    assert first_of(other) == "p1.m1"
    assert first_of(said) == "p3.m5"


def test_two_characters_the_tagger_split_are_the_documents_word_when_the_index_holds_it():
    """还要跟别人一起摇号吗: the tagger reads 摇 / 号, two characters too short to count, and the asked
    word drops out of the question's content words. When the documents' own segmentation holds 摇号
    it is one word of the question; a pair the index does not hold, or one with a particle, is not."""
    question = "开盘的时候这套房还要跟别人一起摇号吗？"
    assert "摇号" not in analyse_focus(Linked(question), "general", genre=GENRE)[0]
    assert "摇号" in analyse_focus(Linked(question), "general", genre=GENRE, known={"摇号"}.__contains__)[0]
    assert corpus_words([("摇", "v"), ("号", "q")], {"摇号"}.__contains__) == [("摇号", "v")]
    assert corpus_words([("摇", "v"), ("号", "q")], set().__contains__) == [("摇", "v"), ("号", "q")]
    assert corpus_words([("能", "v"), ("吗", "y")], {"能吗"}.__contains__) == [("能", "v"), ("吗", "y")]


def test_a_support_answer_lists_every_offer_of_each_clause_it_keeps():
    """A clause offering two things (a 奖补 on equipment bought, a 贴息 on loans) answers a question about
    it with both, even when the kind the question names scores one of them far above the other."""
    question = "企业把设备做数字化、联网改造，省里补贴多少？"
    text = ("鼓励企业实施设备数字化、网络化、智能化技术改造，省级按照项目设备购置额的10%给予奖补，最高500万元。"
            "对企业实施数字化、网络化、智能化技改项目3年期以上贷款，省级按照同期银行基准利率40%给予贴息，最高500万元。")
    clause = _view("p1.m7", "加快工业设备网络化技术改造", text)
    loan = text.index("对企业")
    graph = _graph([
        {"measure_id": "p1.m7", "score": 2.2, "kind": "补贴", "rate": "40%", "quote": text[loan:], "start": loan,
         "end": len(text)},
        {"measure_id": "p1.m7", "score": 1.2, "kind": "奖励", "rate": "10%", "quote": text[:loan], "start": 0,
         "end": loan},
    ])
    ctx = _context(question, "support", [clause], [_hit("p1.m7", 1, bm25=1, graph=1)],
                   Link("support_kind", "补贴", "补贴", 14, 16), graph=graph)
    answer = compose_support(ctx, genre=GENRE)
    assert "10%" in answer.answer and "40%" in answer.answer, answer.answer
    # so it does when another clause's offer scores best: every clause kept brings all its offers
    other = "支持以政府购买服务的方式为企业提供服务。"
    service = _view("p1.m9", "强化服务支撑", other)
    graph.supports.insert(0, {"measure_id": "p1.m9", "score": 3.0, "kind": "服务", "quote": other, "start": 0,
                              "end": len(other)})
    ctx = _context(question, "support", [clause, service], [_hit("p1.m7", 1, bm25=1, graph=1), _hit("p1.m9", 2, graph=2)],
                   Link("support_kind", "补贴", "补贴", 14, 16), graph=graph)
    answer = compose_support(ctx, genre=GENRE)
    assert "10%" in answer.answer and "40%" in answer.answer, answer.answer


def test_a_question_also_asking_who_is_responsible_gets_the_cited_clauses_block():
    """这事是哪个部门在推？今年打算弄多少家？ is routed by its count (targets); the answer quoting the
    target's sentence also quotes the clause's 牵头考核单位 block, which answers the other half."""
    from dataclasses import replace

    from rag.compose import Citer, Composed, with_responsibility

    text = "47．全市新增2400户大中型餐饮单位纳入“明厨亮灶”智慧监管平台，并强化日常监管。（1分）（8月底完成，牵头考核单位：市市场监管局）"
    clause = _view("p1.m47", "", text)
    ctx = _context("后厨装摄像头这事是哪个部门在推？今年全市打算弄多少家？", "targets", [clause], [_hit("p1.m47", 1, bm25=1)])
    end = text.index("（1分）")
    citer = Citer()
    citer.cite(clause, 0, end, text[:end])
    answer = Composed(answer="文件中的目标：\n\n- 包头：" + text[:end] + " [1]", citations=citer.citations)
    assert with_responsibility(ctx, answer, genre=GENRE) is answer  # nobody asked who
    ctx.intent = replace(ctx.intent, scores={"targets": 2.5, "departments": 3.0})
    got = with_responsibility(ctx, answer, genre=GENRE)
    assert "牵头考核单位：市市场监管局" in got.answer and len(got.citations) == 2
