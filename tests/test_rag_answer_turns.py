"""Questions over several turns and about time: a follow-up that names nothing of its own, a chain of
follow-ups, a follow-up naming another document; from when and until when a clause applies (its own
time statement, else its document's closing provisions, else the condition its preamble sets). Texts
are invented or taken from the development part of the corpus."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from genre import packaged as packaged_genre
from rag.answer import swapped
from rag.compose import View, _judged_end, clause_time
from rag.docfacts import document_fact_lines, stated_facts
from rag.followup import Turn, kept_context, resolve
from rag.linking import Link, Linked
from tests.support.compose import compose_context

G = packaged_genre()


# -- follow-ups ---------------------------------------------------------------------------------

def test_a_question_naming_nothing_of_its_own_asks_about_the_previous_turn():
    prev = [Turn("合肥新市民买新房能补总房价的百分之几？")]
    follow = resolve("截止到哪天？", prev, genre=G, bare=True)
    assert follow.kind == "repeat" and follow.within_previous and prev[0].question in follow.question
    assert resolve("去哪个部门申领？", prev, genre=G, bare=True).kind == "departments"
    # a longer one that names nothing of its own too (到期了还想接着住，得提前多久去办？)
    follow = resolve("到期了还想接着住，得提前多久去办？", prev, genre=G, bare=True)
    assert follow.kind == "repeat" and follow.within_previous
    # a question that names its own subject stands alone, however short
    assert resolve("截止到哪天？", prev, genre=G, bare=False).kind == ""
    assert resolve("南京公租房怎么申请？", prev, genre=G, bare=False).kind == ""
    # "那X呢" asking another fact of the same thing, not a sibling item
    for q in ("那有效期呢？", "那它的截止日期呢？", "那文号呢？"):
        follow = resolve(q, prev, genre=G)
        assert follow.within_previous and follow.question == f"{q}（合肥新市民买新房）" and not follow.topic, q
    assert resolve("那二孩家庭呢？", prev, genre=G).topic == "二孩家庭"


def test_a_continuation_pointing_back_asks_its_new_thing_of_the_previous_subject():
    prev = [Turn("某市的实体书店扶持资金，一家书店最多能拿多少？")]
    follow = resolve("那这个钱是怎么给的，直接发现金吗", prev, genre=G)
    assert follow.kind == "repeat" and follow.within_previous
    assert follow.question.startswith("这个钱是怎么给的") and "实体书店扶持资金" in follow.question
    assert "最多能拿多少" not in follow.question  # what the previous question asked is not asked again
    # a continuation naming its own subject is asked as it stands
    assert resolve("另外公租房怎么申请", prev, genre=G).question == "公租房怎么申请"


def test_a_continuation_naming_a_place_of_its_own_is_not_kept_to_the_previous_documents():
    prev = [Turn("合肥新买新房的购房补贴是总房价的百分之几？")]
    follow = resolve("那安康高新区买新房能补多少", prev, ["安康"], [(0, 2)], genre=G)
    assert follow.kind == "repeat" and follow.question == "安康高新区买新房能补多少"
    assert not follow.within_previous  # asked in the documents of 安康, not in 合肥's
    # a continuation naming the previous place stays within what was cited
    assert resolve("那合肥买二手房能补多少", prev, ["合肥"], [(0, 2)], genre=G).within_previous
    assert resolve("那一个家庭能买几套", prev, genre=G).within_previous


def test_a_sibling_item_keeps_the_context_words_of_the_previous_question_not_its_item():
    # 公积金 is what both items are about; 夫妻俩 named the previous item
    assert kept_context("只有一个人交", ["夫妻俩", "公积金"], "缴存住房公积金的家庭…") == ["公积金"]
    # words saying more than the new item are the previous item's name
    previous_item = ["易涝", "区域", "数字化", "管控", "覆盖率"]
    quote = "全省易涝区域实现数字化管控覆盖率达98%以上"
    assert kept_context("新增的应急抽排能力", previous_item, quote) == []
    # a modifier keeps them (the one it replaces is dropped when the question is built)
    assert kept_context("良好的", ["绩效考核", "优秀"], "绩效考核结果为优秀的") == ["绩效考核", "优秀"]


def test_another_item_asked_with_an_asking_of_its_own_is_not_the_previous_clauses_department():
    """"那复审呢，谁负责？" after a question on the 初审: 复审 is another step, asked who does it — not who is
    responsible for the clause just cited. The previous question's place stays, its item and asking go."""
    prev = [Turn("在广州申请公租房，第一步的初审是谁来做？")]
    follow = resolve("那复审呢，谁负责？", prev, [], [(1, 3)], genre=G, bare=True)
    assert follow.kind == "repeat" and follow.within_previous and follow.asking == "谁负责？"
    assert follow.question == "广州复审，谁负责？"
    # the previous asking is replaced where the previous question has one
    prev = [Turn("成都的A、B类高层次人才买商品房有什么支持？")]
    follow = resolve("那C类人才呢，能买几套？", prev, [], [(0, 2)], genre=G)
    assert follow.question == "成都的C类高层次人才买商品房，能买几套？"
    # a pronoun is still the clause just cited
    assert resolve("那这个呢，谁负责？", prev, genre=G, bare=True).kind == "departments"
    # the item's sibling (the same head) is the word replaced, not context kept
    assert kept_context("复审", ["广州", "初审", "公租房"], "经初审通过的，街道办事处将审核意见提交区住房保障部门") == []


def test_a_follow_up_naming_another_document_swaps_the_whole_title():
    from rag.followup import cues_of

    kind = cues_of(G)["document_word"]
    previous = "广东省公共数据管理办法是哪天开始施行的？"
    prev_linked = Linked(previous, [Link("city", "广东", "广东", 0, 2), Link("policy", "p8", "广东省公共数据管理办法")])
    question = "那阿坝州的暂行办法呢？"
    linked = Linked(question, [Link("city", "阿坝", "阿坝", 1, 3)])
    places, spans = swapped(linked, prev_linked, kind)
    assert places == ["阿坝"] and spans == [(0, 11)]
    follow = resolve(question, [Turn(previous)], places, spans, genre=G)
    assert follow.question == "阿坝州的暂行办法是哪天开始施行的？"
    # a follow-up naming only a place swaps only the place
    places, spans = swapped(Linked("那南京呢？", [Link("city", "南京", "南京", 1, 3)]),
                            Linked("上海对开源项目有什么补贴？", [Link("city", "上海", "上海", 0, 2)]), kind)
    assert places == ["南京"] and spans == [(0, 2)]


def test_a_follow_up_place_replaces_the_place_of_its_level_not_the_province_holding_it():
    """那北海呢 after a question on 桂林 in 广西's plan: 桂林 is swapped for 北海, 广西 (which holds 北海)
    stays; without the genre's gazetteer the first place is swapped, as before."""
    previous = "广西十三五规划给桂林定的发展方向是啥？"
    prev_linked = Linked(previous, [Link("city", "广西", "广西", 0, 2), Link("city", "桂林", "桂林", 8, 10)])
    linked = Linked("那北海呢？", [Link("city", "北海", "北海", 1, 3)])
    places, spans = swapped(linked, prev_linked, None, G)
    assert spans[0] == (8, 10)
    follow = resolve("那北海呢？", [Turn(previous)], places, spans, genre=G)
    assert follow.question == "广西十三五规划给北海定的发展方向是啥？"
    assert swapped(linked, prev_linked)[1][0] == (0, 2)
    # two places of one level: the first is swapped
    pair = Linked("上海和南京的开源社区目标是多少？", [Link("city", "上海", "上海", 0, 2), Link("city", "南京", "南京", 3, 5)])
    assert swapped(Linked("那重庆呢？", [Link("city", "重庆", "重庆", 1, 3)]), pair, None, G)[1][0] == (0, 2)


# -- from when, until when --------------------------------------------------------------------------

def test_an_end_is_judged_against_today_whether_written_reckoned_or_a_year():
    today = dt.date(2026, 12, 2)
    reckoned = _judged_end("| 时间/频度 | 2022年8月 11日起，有效期3年 |", today)
    assert reckoned and "2025年8月10日" in reckoned[0] and "已经过去" in reckoned[0] and "2026年12月2日" in reckoned[0]
    assert "尚未届满" in _judged_end("自本政策发布之日至2027年12月31日在本区购买新建商品房的", today)[0]
    assert "已经失效" in _judged_end("2022年8月 26日起，2025年失效。", today)[0]
    assert _judged_end("从2023年9 月起", today) == []  # a start alone says nothing of an end


ENTRY = ("9.北京市支持氢能技术装备产业化\n| 依据文件 | 《北京市关于支持氢能产业发展的若干政策措施》 |\n"
         "| 服务内容 | 对于指导目录中的氢能领域新产品首批次应用，按单个产品不超过500万元给予分档奖励。 |\n"
         "| 时间/频度 | 2022年8月 11日起，有效期3年 |\n")


def test_a_clause_stating_its_own_time_answers_from_when_and_until_when():
    v = View(measure_id="m9", policy_id="p19", text=ENTRY, start=0, number="9.", title="北京市支持氢能技术装备产业化",
             policy="北京市产业政策导引")
    ctx = compose_context("北京支持氢能技术装备产业化的政策过期了没有？", "metadata", [v])
    got = clause_time(ctx, dt.date(2026, 12, 2), genre=G)
    assert got is not None and "有效期3年" in got.answer and "已经过去" in got.answer
    assert all("| 北京市支持氢能" not in c.quote for c in got.citations)  # not the table's title row
    ctx = compose_context("氢能技术装备产业化的政策从什么时候开始执行？", "metadata", [v])
    assert "2022年8月 11日起" in clause_time(ctx, genre=G).answer
    # a question naming its document is answered with the document's own dates elsewhere
    ctx = compose_context("这个办法什么时候开始执行？", "metadata", [v])
    assert clause_time(ctx, genre=G) is None


def test_an_application_window_under_its_heading_answers_from_when():
    """受理时间为：2018年8月20日8：00至9月25日17：00 — the standard heading of a window starts it."""
    text = ("1.网上填报。请各申报单位按要求通过国家科技管理信息系统公共服务平台进行网上填报。\n"
            "项目申报单位网上填报预申报书的受理时间为：2018年8月20日8：00至9月25日17：00。")
    v = View(measure_id="m1", policy_id="p13", text=text, start=0, number="1.", title="网上填报",
             policy="某专项2018年度项目申报指南")
    ctx = compose_context("预申报书网上从哪天开始能填？", "metadata", [v])
    got = clause_time(ctx, dt.date(2026, 12, 2), genre=G)
    assert got is not None and "2018年8月20日" in got.answer, got and got.answer


def test_a_clause_stating_no_time_falls_under_its_documents_closing_provisions():
    text = ("6.提高住房公积金贷款额度。夫妻双方正常缴存的，住房公积金最高可贷额度调整为100万元。\n"
            "上述政策可直接实施的，自公布之日起施行。")
    measure = View(measure_id="m6", policy_id="p44", text=text[:44], start=0, number="6.", title="提高住房公积金贷款额度",
                   policy="某市房地产政策措施的通知")
    whole = View(measure_id="", policy_id="p44", text=text, start=0, policy="某市房地产政策措施的通知")
    ctx = compose_context("提高公积金贷款额度的政策什么时候开始实施？", "metadata", [measure])
    ctx.policies = [{"id": "p44", "title": "某市房地产政策措施的通知"}]
    ctx.locate = lambda pid, a, b: whole
    got = clause_time(ctx, genre=G)
    assert got is not None and "自公布之日起施行" in got.answer and "所在文件" in got.answer


def test_a_time_set_by_each_call_is_not_answered_by_the_documents_own_dates():
    """每年几月份开始申报, 哪天开始报名, 申报截止日期: a time recurring each year, or when an applicant's act
    starts or closes, is set by each year's call; a clause stating none is a refusal quoting it, not the
    document's 施行 date or its 有效期."""
    text = ("6.对新认定的省级工业互联网平台，给予一次性奖补50万元。\n本政策自公布之日起施行。")
    measure = View(measure_id="m6", policy_id="p3", text=text[:28], start=0, number="6.", title="培育工业互联网平台",
                   policy="某省支持工业互联网发展若干政策")
    whole = View(measure_id="", policy_id="p3", text=text, start=0, policy="某省支持工业互联网发展若干政策")
    for question in ("工业互联网平台的奖补每年几月份开始申报？", "工业互联网平台的奖补哪天开始受理？",
                     "工业互联网平台奖补今年的申报截止日期是几月几号？", "工业互联网平台的奖补什么时候截止申报？"):
        ctx = compose_context(question, "metadata", [measure])
        ctx.policies = [{"id": "p3", "title": "某省支持工业互联网发展若干政策"}]
        ctx.locate = lambda pid, a, b: whole
        got = clause_time(ctx, genre=G)
        assert got is not None and got.abstained and "自公布之日起施行" not in got.answer, question
        assert got.citations and "50万元" in got.citations[0].quote  # the clause read is shown
    # the policy's own start is the document's to give
    ctx = compose_context("工业互联网平台奖补的政策什么时候开始实施？", "metadata", [measure])
    ctx.policies = [{"id": "p3", "title": "某省支持工业互联网发展若干政策"}]
    ctx.locate = lambda pid, a, b: whole
    got = clause_time(ctx, genre=G)
    assert got is not None and not got.abstained and "自公布之日起施行" in got.answer
    # and so is its own end (还有效吗, 什么时候到期): 文件 dates answer, even with 申报 named
    ctx = compose_context("工业互联网平台奖补的申报政策什么时候到期？", "metadata", [measure])
    ctx.policies = [{"id": "p3", "title": "某省支持工业互联网发展若干政策"}]
    ctx.locate = lambda pid, a, b: whole
    got = clause_time(ctx, genre=G)
    assert got is not None and not got.abstained


def test_a_clause_naming_the_asked_time_defines_it_without_a_date():
    """受理时间从哪天算: the sentence writing 受理时间 says how it is fixed (现场审查通过时间确定为受理时间)."""
    text = ("第六条 引进人才入户的受理时间按以下方法确定：申请人进行现场审查的，现场审查通过时间确定为受理时间。")
    v = View(measure_id="m6", policy_id="p15", text=text, start=0, number="第六条", title="受理时间",
             policy="某市引进人才入户管理办法实施细则")
    ctx = compose_context("要现场审查的话，受理时间从哪天算？", "metadata", [v])
    ctx.policies = [{"id": "p15", "title": "某市引进人才入户管理办法实施细则"}]
    got = clause_time(ctx, genre=G)
    assert got is not None and not got.abstained and "现场审查通过时间确定为受理时间" in got.answer


def test_a_document_without_dates_applies_during_the_period_its_preamble_names():
    text = ("根据有关规定，在本市住房限购期间，为更好地服务城市发展战略，特制定本细则。\n一、支持对象\n"
            "旅行社在旅游节庆活动期间组团的，给予奖励。")
    facts = stated_facts(text, {"title": "某市人才购房细则"}, genre=G)
    assert facts["applies"].value == "在本市住房限购期间"
    view = View(measure_id="", policy_id="p", text=text, start=0, policy="某市人才购房细则")
    lines = document_fact_lines(view, {"title": "某市人才购房细则"}, ["validity"], lambda span: 1,
                                today=dt.date(2026, 1, 1), genre=G)
    assert any(line.startswith("- 适用期间：在本市住房限购期间") for line in lines)
    # a 期间 of a measure, not of the document, is no such condition
    assert "applies" not in stated_facts(text.split("\n", 1)[1], {"title": "某县意见"}, genre=G)


def test_a_question_asking_both_the_start_and_the_term_gets_both_from_the_named_documents_closing_clause():
    """"…旅游业发展的那些奖励是从哪年开始的，管几年": of the place's documents the one whose title writes
    the question's most specific word, and both its 执行 date and its term, not only the start."""
    tourism = "某县关于推动旅游业转型升级、跨越发展的意见\n1.对新评为4A级景区的，奖励50万元。\n本意见自2019年1月1日起执行，暂定三年。"
    industry = "某县关于支持重点产业加快发展的实施意见\n第1条 设立旅游产业发展引导资金。\n第2条 本政策自发布之日起施行，暂定三年有效期。"
    clause = View(measure_id="a1", policy_id="a", text=industry.split("\n")[1], start=industry.index("第1条"),
                  number="第1条", policy="某县关于支持重点产业加快发展的实施意见", city="某县")
    other = View(measure_id="b1", policy_id="b", text=tourism.split("\n")[1], start=tourism.index("1."),
                 number="1.", policy="某县关于推动旅游业转型升级、跨越发展的意见", city="某县")
    whole = {"a": View(measure_id="", policy_id="a", text=industry, start=0, policy=clause.policy, city="某县"),
             "b": View(measure_id="", policy_id="b", text=tourism, start=0, policy=other.policy, city="某县")}
    question = "某县加快旅游业发展的那些奖励是从哪年开始的，管几年"
    ctx = compose_context(question, "metadata", [clause, other], links=[Link("city", "某县", "某县", 0, 2)])
    ctx.policies = [{"id": "a", "title": clause.policy, "city": "某县", "issued": "2023-02-08"},
                    {"id": "b", "title": other.policy, "city": "某县", "effective": "2019-01-01"}]
    ctx.locate = lambda pid, a, b: whole.get(pid)
    got = clause_time(ctx, dt.date(2026, 12, 2), genre=G)
    assert got is not None and "2019年1月1日" in got.answer and "暂定三年" in got.answer, got and got.answer
    assert "重点产业" not in got.answer


def test_a_lower_clauses_date_about_something_else_does_not_answer_until_when():
    """"贷款年限最长能算到什么时候": the best clause states the limit without a date (延长至法定退休年龄后10年);
    the next clause's date (2025年以前) is about rental housing, a subject the question does not name —
    it answers nothing, so the best clause is quoted under its document's provisions instead."""
    loans = ("（十三）推动进城人员融入城市。推动适当延长贷款年限，首套住房借款人年龄与贷款期限之和可延长至法定退休年龄后10年。")
    rental = "（十二）加强住房保障。筹集保障性租赁住房，力争2025年以前全省每年新增5万套以上。"
    text = loans + "\n" + rental + "\n本措施自印发之日起施行。"
    first = View(measure_id="m13", policy_id="p39", text=loans, start=0, number="（十三）", title="推动进城人员融入城市",
                 policy="某省保障和改善民生的若干措施")
    second = View(measure_id="m12", policy_id="p39", text=rental, start=len(loans) + 1, number="（十二）",
                  title="加强住房保障", policy="某省保障和改善民生的若干措施")
    whole = View(measure_id="", policy_id="p39", text=text, start=0, policy="某省保障和改善民生的若干措施")
    ctx = compose_context("贷款买首套房，借款人年龄加上贷款年限最长能算到什么时候？", "metadata", [first, second])
    ctx.policies = [{"id": "p39", "title": "某省保障和改善民生的若干措施"}]
    ctx.locate = lambda pid, a, b: whole
    got = clause_time(ctx, genre=G)
    assert got is not None and "法定退休年龄后10年" in got.answer, got and got.answer
    assert "2025年以前" not in got.answer


# -- several questions in one message -------------------------------------------------------------

def _answer_of(quotes: list[str], question: str = "", abstained: bool = False, clauses: list[str] | None = None):
    from rag.model import Answer, Citation

    ids = clauses or [f"p.m{i}" for i in range(len(quotes))]
    cites = [Citation(doc_no=None, title="某办法", city=None, section="", measure="", quote=q, measure_id=m)
             for q, m in zip(quotes, ids, strict=True)]
    text = "\n".join(f"- {q} [{i}]" for i, q in enumerate(quotes, 1))
    return Answer(question=question, intent="general", answer=text, citations=cites, abstained=abstained,
                  timings_ms={"total": 1.0})


def test_a_message_answered_by_its_second_question_is_answered_by_its_first_alone(answer_indexes, answer_settings,
                                                                                 monkeypatch):
    """The longer second question of "流量资费要降多少？另外供电企业办用电业务要压到多少个工作日以内？"
    outweighs the first in retrieval: the message's answer quotes only the clause the second question
    alone quotes first. The first question is then answered alone, and the second below it; when the
    message's answer leads with a clause of its own, it stands."""
    from rag.answer import Answerer

    message = "放管服分工方案里，流量资费要降多少？另外供电企业办用电业务要压到多少个工作日以内？"
    power = _answer_of(["供电企业办理用电业务平均时间压减到50个工作日以内。"], clauses=["p.power"])
    replies = {message: power, "放管服分工方案里，另外供电企业办用电业务要压到多少个工作日以内？": power,
               "放管服分工方案里，流量资费要降多少？": _answer_of(["2018年流量资费实现下降30%以上。"], clauses=["p.fee"])}
    answerer = Answerer(None, answer_indexes, answer_settings)
    monkeypatch.setattr(answerer, "_ask", lambda q, history, scope, signals: replace(replies[q], question=q))
    answer = answerer.ask(message)
    assert [c.measure_id for c in answer.citations] == ["p.fee", "p.power"] and answer.question == message
    assert answer.answer.index("30%以上") < answer.answer.index("另问：另外供电企业") < answer.answer.index("50个工作日")
    replies[message] = _answer_of(["2018年流量资费实现下降30%以上。"], clauses=["p.both"])  # a clause of its own
    assert [c.measure_id for c in answerer.ask(message).citations] == ["p.both", "p.power"]
    # led by the second's clause, with a clause of its own after it: answered by the first alone too
    replies[message] = _answer_of(["供电…50个工作日以内。", "其他。"], clauses=["p.power", "p.other"])
    assert [c.measure_id for c in answerer.ask(message).citations] == ["p.fee", "p.power"]
    # asked alone, the first leads with the clause the message's answer quotes (a document's own dates): it stands
    replies[message] = power
    replies["放管服分工方案里，流量资费要降多少？"] = _answer_of(["供电。", "流量资费。"], clauses=["p.power", "p.fee"])
    assert [c.measure_id for c in answerer.ask(message).citations] == ["p.power"]
    # asked alone, it leads with a clause of its own and quotes the second's after it: the words of the second
    # question had pushed its own clause out of the message's answer (按啥比例给 drew clauses stating a 比例),
    # so the first alone answers, the second below
    replies["放管服分工方案里，流量资费要降多少？"] = _answer_of(["流量资费。", "供电。"], clauses=["p.fee", "p.power"])
    assert answerer.ask(message).citations[0].measure_id == "p.fee"


def test_each_question_of_a_follow_up_message_is_read_against_the_conversation(answer_indexes, answer_settings,
                                                                              monkeypatch):
    """"这个办法是哪天印发的？文号是多少？" after a question about 阿坝's 办法: the second question, asked
    alone, is a follow-up too — without the conversation "文号是多少" found another document's 文号."""
    from rag.answer import Answerer

    history = ["阿坝州政务数据资源管理暂行办法的有效期是多久？"]
    seen: list[tuple[str, object]] = []

    def ask_one(question, given, scope, signals):
        seen.append((question, given))
        return _answer_of([f"{question}的回答。"], clauses=[f"p.{len(seen)}"], question=question)

    answerer = Answerer(None, answer_indexes, answer_settings)
    monkeypatch.setattr(answerer, "_ask", ask_one)
    answerer.ask("这个办法是哪天印发的？文号是多少？", history=history)
    assert len(seen) == 2 and all(given == history for _, given in seen)


def test_a_later_question_opening_a_subject_of_its_own_keeps_only_the_places_of_the_scene(answer_indexes,
                                                                                           answer_settings,
                                                                                           monkeypatch):
    """"成都给高层次人才预留的房源，还要摇号吗？另外各区给的购房补贴，钱是谁出？": the second question opens
    its own subject (另外); led by the whole scene, the first question's 预留的房源 found the first
    question's clause again. It keeps the scene's place only; a later question without 另外 keeps it all,
    and so does one whose scene names nothing the linker knows (the earlier test's 放管服分工方案)."""
    from rag.answer import Answerer

    asked: list[str] = []

    def ask_one(question, history, scope, signals):
        asked.append(question)
        return _answer_of([f"{question}。"], clauses=[f"p.{len(asked)}"], question=question)

    answerer = Answerer(None, answer_indexes, answer_settings)
    monkeypatch.setattr(answerer, "_ask", ask_one)
    answerer.ask("成都给高层次人才预留的房源，还要跟别人一起摇号吗？另外各区给的购房补贴，钱是谁出？")
    assert asked[1] == "成都，另外各区给的购房补贴，钱是谁出？"
    asked.clear()
    answerer.ask("成都给高层次人才预留的房源，还要跟别人一起摇号吗？各区给的购房补贴，钱是谁出？")
    assert asked[1].startswith("成都给高层次人才预留的房源，") and asked[1].endswith("，各区给的购房补贴，钱是谁出？")


def test_a_later_question_answered_from_the_same_clause_adds_the_lines_it_states_anew(answer_indexes,
                                                                                       answer_settings, monkeypatch):
    """"那爆款产品要推出多少款？典型应用场景又要打造多少个？": both targets are rows of one clause, so the
    second answer quotes nothing new, yet states the row the first does not (60个以上). It is added,
    its lines already shown left out, cited by the number the clause has; one that says nothing new
    is not."""
    from rag.answer import Answerer
    from rag.model import Answer, Citation

    cite = Citation(doc_no=None, title="某行动计划", city=None, section="", measure="", quote="到2026年…", measure_id="p.t")

    def targets(*rows: str) -> Answer:
        return Answer(question="", intent="targets", answer="文件中的目标：\n\n" + "\n".join(f"- {r} [1]" for r in rows),
                      citations=[cite], timings_ms={"total": 1.0})

    message = "爆款产品要推出多少款？典型应用场景又要打造多少个？"
    replies = {message: targets("推出50款以上爆款产品"), "爆款产品要推出多少款？": targets("推出50款以上爆款产品"),
               "爆款产品要推出，典型应用场景又要打造多少个？": targets("打造60个以上典型应用场景", "推出50款以上爆款产品")}
    answerer = Answerer(None, answer_indexes, answer_settings)
    monkeypatch.setattr(answerer, "_ask", lambda q, history, scope, signals: replace(replies[q], question=q))
    answer = answerer.ask(message)
    assert len(answer.citations) == 1 and answer.answer.count("推出50款以上爆款产品") == 1
    assert answer.answer.index("另问") < answer.answer.index("- 打造60个以上典型应用场景 [1]")
    replies["爆款产品要推出，典型应用场景又要打造多少个？"] = targets("推出50款以上爆款产品")
    assert "另问" not in answerer.ask(message).answer


def test_each_later_question_of_a_message_is_answered_below_the_first(answer_indexes, answer_settings, monkeypatch):
    """合同一签是几年？到期了还能接着住吗: the lease's term answers the first question, the renewal clause the
    second; its citations are numbered on. A later answer quoting only what is quoted adds nothing,
    and a message whose first question is refused stays refused."""
    from rag.answer import Answerer

    answerer = Answerer(None, answer_indexes, answer_settings)
    asked: list[str] = []
    replies = {"公租房合同一签是几年？到期了还能接着住吗": _answer_of(["租赁合同期限为5年。"]),
               "公租房合同一签，到期了还能接着住吗": _answer_of(["期满后可以申请续租。"], clauses=["p.renew"])}

    def ask_one(question, history, scope, signals):
        asked.append(question)
        return replace(replies[question], question=question)

    monkeypatch.setattr(answerer, "_ask", ask_one)
    answer = answerer.ask("公租房合同一签是几年？到期了还能接着住吗")
    assert asked == ["公租房合同一签是几年？到期了还能接着住吗", "公租房合同一签，到期了还能接着住吗"]
    assert "5年。 [1]" in answer.answer and "期满后可以申请续租。 [2]" in answer.answer
    assert [c.quote for c in answer.citations] == ["租赁合同期限为5年。", "期满后可以申请续租。"]
    assert "另问：到期了还能接着住吗" in answer.answer and not answer.abstained

    replies["公租房合同一签，到期了还能接着住吗"] = _answer_of(["租赁合同期限为5年。"])
    replies["公租房合同一签是几年？"] = _answer_of(["租赁合同期限为5年。"])  # asked alone: the same clause
    assert len(answerer.ask("公租房合同一签是几年？到期了还能接着住吗").citations) == 1
    replies["公租房合同一签是几年？到期了还能接着住吗"] = _answer_of([], abstained=True)
    replies["公租房合同一签，到期了还能接着住吗"] = _answer_of(["期满后可以申请续租。"])
    asked.clear()
    refused = answerer.ask("公租房合同一签是几年？到期了还能接着住吗")
    assert refused.abstained and not refused.citations and len(asked) == 1


def test_the_basis_of_the_document_just_cited_is_asked_of_its_subject_alone():
    """这个计划是按照哪些上级文件来定的: what the previous question asked (规模要做到多少, a target) is no part
    of the follow-up; its subject says which document, and the follow-up asks a fact of the document."""
    from rag.followup import asks_field
    from rag.intents import route

    prev = [Turn("某市人工智能终端产业行动计划提出到2026年产业规模要做到多少？")]
    follow = resolve("这个计划是按照哪些上级文件来定的？", prev, genre=G)
    assert follow.kind == "repeat" and follow.within_previous
    assert "某市人工智能终端产业行动计划" in follow.question and "要做到多少" not in follow.question
    assert asks_field("这个计划是按照哪些上级文件来定的？", genre=G)
    assert route(Linked(text=follow.question), genre=G).name != "targets"


def test_a_comparison_whose_sides_stand_in_a_later_sentence_answers_that_sentence(answer_indexes, answer_settings,
                                                                                  monkeypatch):
    """"信息化项目能不能请外面的公司来做？阿坝州和广东的办法各是怎么规定的？": the comparison, side by side,
    answers the sentence naming the sides; it is not asked again below as another question. A later
    question naming neither side still is."""
    from rag.answer import Answerer

    asked: list[str] = []

    def ask_one(question, history, scope, signals):
        asked.append(question)
        return replace(_answer_of([f"{question}。"], clauses=[f"p.{len(asked)}"], question=question),
                       intent="comparison")

    answerer = Answerer(None, answer_indexes, answer_settings)
    monkeypatch.setattr(answerer, "_ask", ask_one)
    answer = answerer.ask("信息化项目能不能请外面的公司来做？阿坝州和广东的办法各是怎么规定的？")
    assert len(asked) == 1 and "另问" not in answer.answer
    asked.clear()
    answer = answerer.ask("阿坝州和广东的办法对信息化项目各是怎么规定的？由哪个部门审批？")
    assert len(asked) == 2 and "另问：由哪个部门审批？" in answer.answer
