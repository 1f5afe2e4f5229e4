"""Questions the corpus does not answer, answered anyway from clauses that only look related: another
year's edition of the document asked about, a word of the question said only inside a zone's name, a
subject the place's own clauses do not treat, and offers asked for a subject of their own."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.answer import dropped_subject
from rag.compose import (
    Composed,
    Context,
    View,
    analyse_focus,
    check_requirements,
    later_period,
    other_edition,
)
from rag.intents import Intent
from rag.linking import Link, Linked
from rag.model import Citation, Hit
from rag.profile import company_words, intended_clauses, offers_clauses

G = packaged_genre()
GUIDE = "科技部关于发布国家重点研发计划“智能机器人”等重点专项2018年度项目申报指南的通知"


def _cite(quote: str, title: str = "某市政策") -> Citation:
    return Citation(doc_no=None, title=title, city="某市", section="", measure="", quote=quote,
                    policy_id="p", measure_id="p.m1")


def _context(question: str, text: str, intent: str, focus: list[str]) -> Context:
    view = View(measure_id="p.m1", policy_id="p", text=text, start=0, title="考评对象", number="一、",
                policy="某市数字政府建设考评办法", city="某市")
    hit = Hit(chunk_id="p.m1", measure_id="p.m1", score=1.0, signal="fused", rank=1, ranks={"bm25": 1})
    return Context(question=question, linked=Linked(question), intent=Intent(intent), focus=focus,
                   views={"p.m1": view}, fused=[hit], graph=None, policies=[], responsibility_labels=["责任单位"],
                   term_weight=lambda _t: 1.0, absent=lambda _t: False, nouns=set(focus), genre=G)


def test_another_years_edition_of_the_document_asked_about_does_not_answer():
    assert other_edition("智能机器人重点专项2019年度的项目申报指南，什么时候截止？", [GUIDE]) == "2019年"
    assert other_edition("包头市2023年数字政府建设考评办法的考评结果怎么用", ["包头市2022年数字政府建设考评办法"]) == "2023年"
    assert other_edition("重点专项2018年度项目，推荐函什么时候寄出？", [GUIDE]) is None  # the edition asked
    # 年度 marks an annual edition wherever the title writes it
    assert other_edition("科技部2019年度“智能机器人”重点专项的预申报书哪天截止？", [GUIDE]) == "2019年"
    assert other_edition("科技部2018年度“智能机器人”重点专项的预申报书哪天截止？", [GUIDE]) is None
    assert other_edition("团购新房的补贴，2024年还能申请吗？", ["某高新区促进房地产市场发展的17条措施"]) is None
    # a target year names no edition, and one year of the question naming the cited edition is enough
    assert other_edition("到2025年数字经济占比多少", ["某省2023年数字经济工作要点"]) is None
    assert other_edition("2023年数字经济工作要点里2025年数字经济占比多少", ["某省2023年数字经济工作要点"]) is None



def test_a_plan_of_an_earlier_period_does_not_answer_for_a_later_one():
    """“十四五”规划纲要的目标 is not answered by the 第十三个五年规划纲要 (a title writes its period so): an
    earlier plan cannot state a later period's goals; a later plan reviews the earlier period, so a
    question naming 十三五 is answered by a 十四五 plan. A 第十五条 is no period."""
    plan13 = "某自治区国民经济和社会发展第十三个五年规划纲要"
    assert later_period("某自治区“十四五”规划纲要提出的增长目标是多少？", [plan13]) == "十四五"
    assert later_period("十四五期间要建多少公里高速？", [plan13]) == "十四五"
    assert later_period("“十三五”期间改造了多少处易涝区域？", ["某省城市内涝治理“十四五”规划"]) is None
    assert later_period("“十四五”期间要改造多少处？", ["某省城市内涝治理“十四五”规划"]) is None
    assert later_period("第十五条怎么规定的？", [plan13]) is None
    assert later_period("“十四五”期间的目标？", [plan13, "某市数字经济发展若干措施"]) is None  # a title naming no period
    ctx = _context("某自治区“十四五”规划纲要提出的增长目标是多少？", "", "targets", ["增长", "目标"])
    quoted = Composed(answer="文件中的目标：…", citations=[_cite("地区生产总值年均增长7.5%以上", plan13)])
    assert check_requirements(ctx, quoted, genre=G).abstained

def test_a_metadata_answer_from_another_years_edition_is_refused():
    ctx = _context("智能机器人重点专项2019年度的项目申报指南，什么时候截止？", "", "metadata", ["截止"])
    quoted = Composed(answer="文件中与问题最相关的条款：…", citations=[_cite("网上填报截止时间为…", GUIDE)])
    assert check_requirements(ctx, quoted, genre=G).abstained
    ctx = _context("智能机器人重点专项2018年度的项目申报指南，什么时候截止？", "", "metadata", ["截止"])
    assert not check_requirements(ctx, quoted, genre=G).abstained
    # an answer about the document the question's title words link, quoting nothing, is refused too
    question = "智能机器人重点专项2019年度的项目申报指南，什么时候截止？"
    ctx = _context(question, "", "metadata", ["截止"])
    ctx.linked = Linked(question, links=[Link(kind="policy", value="g", mention=GUIDE)])
    ctx.policies = [{"id": "g", "title": GUIDE}]
    assert check_requirements(ctx, Composed(answer="**《…》**\n- 有效期：…"), genre=G).abstained


def test_a_word_said_only_inside_a_zones_name_is_not_said():
    listing = "各旗县区人民政府、稀土高新区管委会，参与数字政府建设工作的各部门、单位。"
    assert not _context("包头对稀土企业有什么奖励补贴", listing, "support", ["稀土"]).covers(listing)
    # the question naming the zone asks about it
    assert _context("稀土高新区也在考评对象里吗", listing, "general", ["稀土"]).covers(listing)
    assert _context("包头对稀土企业有什么奖励", "对稀土企业给予奖励。", "support", ["稀土"]).covers("对稀土企业给予奖励。")


def test_own_clauses_that_drop_the_subject_other_documents_say_do_not_answer():
    other = Composed(answer="", citations=[_cite("对招用退役军人的企业给予补贴。")])
    tourism = Composed(answer="", citations=[_cite("新建民宿的，每间奖励2000元。")])
    hiring = Composed(answer="", citations=[_cite("企业招用退役军人的，按人数给予奖励。")])
    assert dropped_subject(other, tourism, {"退役军人"}, genre=G) == ["退役军人"]
    assert dropped_subject(other, hiring, {"退役军人"}, genre=G) == []
    assert dropped_subject(hiring, tourism, {"民宿"}, genre=G) == []  # other documents never said it


def test_a_profile_asking_offers_for_a_subject_of_its_own_names_it():
    def subject(question: str) -> set[str]:
        nouns: set[str] = set()
        for clause in offers_clauses(question, genre=G):
            nouns |= analyse_focus(Linked(clause), "support", genre=G)[1]
        return nouns - company_words(genre=G)

    assert "退役军人" in subject("我们在柳河县办厂，招退役军人能拿什么补贴")
    assert subject("我们是柳河县一家规上工业企业，去年产值增长了1500万元，能享受哪些支持？") == set()
    assert subject("我们公司注册在安康高新区，十来个同事商量着一起在同一个楼盘团购，有没有啥补贴") == set()


def test_a_profile_saying_what_the_company_means_to_do_asks_the_offers_for_it(answerer):
    """要是把业务迁回柳河结算 says what the offers asked for are for, as 招退役军人 does: the question is
    answered as a specific one, not by every offer at the company's levels. What the company is or has
    done (去年产值增长了1500万元) is its profile."""
    question = "我们是柳河本地企业，以前外地子公司的业务都在外面结算，要是把业务迁回柳河结算，县里给什么奖励？"
    assert intended_clauses(question, genre=G) == ["要是把业务迁回柳河结算"]
    assert "业务" in answerer._offers_subject(question)
    listing = "我们是柳河县一家规上工业企业，去年产值增长了1500万元，能享受哪些支持？"
    assert intended_clauses(listing, genre=G) == [] and not answerer._offers_subject(listing)


def test_an_existence_question_needs_the_words_it_asks_about_in_the_quotes():
    from rag.answer import unsaid_existence

    rare = {"降低": 3.9, "限购": 5.7, "放宽": 5.1, "政府": 2.2, "赔偿": 6.0, "暴雨": 6.1, "首付": 6.5, "比例": 3.4, "契税": 6.7, "优惠": 4.2}
    weight = lambda t: rare.get(t, 5.0)  # noqa: E731
    corpus = lambda t: False  # noqa: E731  (every word is some document's)
    finance = "落实放宽金融机构外资持股比例等措施。"
    assert unsaid_existence("临港新片区买房，限购有没有放宽", ["买房", "限购", "放宽"], finance, corpus, weight, genre=G) == ["限购"]
    assert unsaid_existence("临港外资金融机构持股比例有没有放宽", ["外资", "持股", "比例", "放宽"], finance, corpus, weight, genre=G) == []
    flood = "杭州、宁波市中心城区要有效应对不低于50年一遇的暴雨。"
    assert unsaid_existence("暴雨把车淹了，政府有没有赔偿", ["暴雨", "政府", "赔偿"], flood, corpus, weight, genre=G) == ["赔偿"]
    subsidy = "给予总房价1%的购房补贴。"
    assert unsaid_existence("在合肥买房，首付比例有没有降低？", ["买房", "首付", "比例", "降低"], subsidy, corpus, weight, genre=G) == ["首付"]  # 降低 is a common word
    swap = "落实互换住房契税优惠政策。"
    assert unsaid_existence("两套房互换，契税有没有优惠？", ["互换", "契税", "优惠"], swap, corpus, weight, genre=G) == []
    # a word no document uses is the absent-word check's, not this one's
    assert unsaid_existence("限购有没有放宽", ["限购", "放宽"], finance, lambda t: t == "限购", weight, genre=G) == []
    # a thing described by a clause of its own words ending in 的: its first word says how it is meant
    meals = "实施一批老年助餐的“幸福食堂”。"
    assert unsaid_existence("社区里有没有专门给老人吃饭的地方？", ["社区", "专门", "老人", "吃饭", "地方"], meals, corpus, weight,
                            genre=G) == []
    assert "学区" in unsaid_existence("孩子上学有没有学区上的照顾？", ["孩子", "上学", "学区", "照顾"], meals, corpus,
                                    weight, genre=G)  # the clause before 的 is its one word: what is asked
    # a word alone before 的 says what kind of thing is asked (专门的系统): the thing after it is asked
    tickets = "开发房票系统，规范房票核发、使用、兑付。"
    assert unsaid_existence("房票怎么兑现，有没有专门的系统管？", ["房票", "兑现", "专门", "系统"], tickets, corpus, weight,
                            genre=G) == []
    assert unsaid_existence("有没有专门的窗口？", ["专门", "窗口"], tickets, corpus, weight, genre=G) == ["窗口"]
    # a saying verb after the cue: the phrase before it is the document that would say it
    testing = "鼓励建设人工智能终端评测平台，提供端侧人工智能模型评测。"
    assert unsaid_existence("市里的AI终端行动计划有没有提到这类平台？", ["终端", "行动计划", "平台"], testing, corpus,
                            weight, genre=G) == []
    assert unsaid_existence("行动计划有没有提到补贴？", ["行动计划", "补贴"], testing, corpus, weight, genre=G) == ["补贴"]
    # a modifier opening what is asked (额外, a distinguishing word) is not what is asked
    flowers = "对新发展500亩以上的观赏花卉基地，连续种植3年以上的，一次性奖励200元/亩。"
    rare["条件"] = 3.0
    assert unsaid_existence("花卉基地有没有额外条件？", ["花卉", "基地", "额外", "条件"], flowers, corpus, weight, genre=G) == []
    # nor is a time word before the cue (事后, when the support comes): what exists is asked after it
    later = "推进科研项目经费后补助工作，企业先行投入自主开展科研。"
    assert unsaid_existence("先自己掏钱搞研发，政府事后有没有补助？", ["掏钱", "研发", "政府", "事后", "补助"], later, corpus,
                            weight, genre=G) == []
    assert unsaid_existence("政府事后有没有贴息？", ["政府", "事后", "贴息"], later, corpus, weight, genre=G) == ["贴息"]
    # a standing before a verb (有没有权利拿去用) asks whether one may act: 享有…使用权 answers it
    use = "数据主体享有与其相关的数据或者相应证照的使用权。"
    assert unsaid_existence("这些数据我自己有没有权利拿去用？", ["数据", "自己", "权利"], use, corpus, weight, genre=G) == []
    assert unsaid_existence("数据主体有没有赔偿？", ["数据", "主体", "赔偿"], use, corpus, weight, genre=G) == ["赔偿"]


def test_an_existence_question_asking_for_any_kind_needs_only_what_precedes_the_cue():
    """有没有啥表示 / 有没有什么红线 / 有没有啥兜底办法: "any X" names a kind in the asker's own word (表示 for a
    reward, 红线 for what is forbidden), which the rest of the question says; a clause rewarding guides
    answers it. The phrase before the cue is still asked (孩子上学有没有什么照顾: 上学)."""
    from rag.answer import unsaid_existence

    weight = lambda t: 6.0  # noqa: E731
    corpus = lambda t: False  # noqa: E731
    guides = "对取得中级、高级导游证人员，在县内从事导游工作且每年规范带团批次累计在30批次以上的，给予3000元/年奖励。"
    assert unsaid_existence("县里对我们这种带团的有没有啥表示？一年给多少？", ["带团", "表示"], guides, corpus, weight,
                            genre=G) == []
    assert unsaid_existence("县里对带团的有没有表示？", ["带团", "表示"], guides, corpus, weight, genre=G) == ["表示"]
    meals = "实施一批老年助餐的“幸福食堂”。"
    assert "上学" in unsaid_existence("孩子上学有没有什么照顾？", ["孩子", "上学", "照顾"], meals, corpus, weight, genre=G)


def test_an_existence_question_about_a_restriction_is_answered_by_a_sentence_setting_one():
    from rag.answer import sets_restriction, unsaid_existence

    weight = lambda t: 5.0  # noqa: E731
    corpus = lambda t: t == "年纪"  # noqa: E731  (the documents write 年龄; the absent-word check's)
    question = "报国家智能机器人重点专项，牵头人年纪有没有限制？"
    focus = ["国家", "智能", "机器人", "重点", "专项", "年纪", "限制"]
    born = "项目（课题）负责人须具有高级职称或博士学位，1958年1月1日以后出生。"
    assert sets_restriction("限制", born, genre=G)
    assert unsaid_existence(question, focus, born, corpus, weight, genre=G) == []
    # a sentence setting nothing does not say it, and a word naming no restriction is still asked
    praise = "项目负责人在机器人领域成绩突出。"
    assert unsaid_existence(question, focus, praise, corpus, weight, genre=G) == ["限制"]
    assert not sets_restriction("赔偿", born, genre=G)


def test_a_classifier_doubled_after_yi_is_no_content_word():
    focus, _ = analyse_focus(Linked("在上海临港开公司，交上去的材料会一项项细查吗"), "general", genre=G)
    assert "一项项" not in focus and "材料" in focus


def test_a_year_is_required_of_the_question_of_the_message_that_names_it():
    """"…对市县级2019年底提的要求是多少？包头2022年的考评又是怎么要求的？": 2022 is the second question's,
    stated (or not) by its own answer below; the first question's answer needs only its own 2019."""
    question = "国务院分工方案对市县级2019年底网上可办率的要求是多少？包头2022年的考评又是怎么要求的？"
    ctx = _context(question, "", "targets", ["网上可办率"])
    years = [Link("year", y, f"{y}年", question.index(y), question.index(y) + 5) for y in ("2019", "2022")]
    ctx.linked = Linked(question, links=years)
    stated = Composed(answer="…", citations=[_cite("2019年底前实现市县级政务服务事项网上可办率不低于70%。")])
    assert not check_requirements(ctx, stated, genre=G).abstained
    one = question.replace("？包头", "，包头")  # one question naming both years: both are its own
    ctx.linked = Linked(one, links=[Link("year", y, f"{y}年", one.index(y), one.index(y) + 5) for y in ("2019", "2022")])
    assert check_requirements(ctx, stated, genre=G).abstained


def test_a_year_the_cited_documents_number_carries_names_that_document():
    """国务院2015年的电商意见 names the document by its year (国发〔2015〕24号): the quotes need not write
    2015; a year the cited document's 文号 does not carry still must be written."""
    question = "农村电商这块，国务院2015年的电商意见是怎么部署的？"
    ctx = _context(question, "", "general", ["农村", "电商"])
    at = question.index("2015")
    ctx.linked = Linked(question, links=[Link("year", "2015", "2015年", at, at + 5)])
    cited = Citation(doc_no="国发〔2015〕24号", title="国务院关于大力发展电子商务加快培育经济新动力的意见", city="全国",
                     section="", measure="", quote="积极发展农村电子商务。", policy_id="p", measure_id="p.m1")
    assert not check_requirements(ctx, Composed(answer="…", citations=[cited]), genre=G).abstained
    other = Citation(**{**cited.__dict__, "doc_no": "国发〔2016〕9号"})
    assert check_requirements(ctx, Composed(answer="…", citations=[other]), genre=G).abstained


def test_an_age_asked_is_answered_only_by_a_clause_stating_an_age():
    question = "想按学历办人才入户，年龄最多不能超过多少岁？"
    ctx = _context(question, "", "general", ["学历", "入户", "年龄"])
    degree = Composed(answer="…", citations=[_cite("应届毕业生申报入户须符合学历、学位、年龄等条件。")])
    assert check_requirements(ctx, degree, genre=G).abstained
    aged = Composed(answer="…", citations=[_cite("具有全日制本科学历，年龄在40周岁以下。")])
    assert not check_requirements(ctx, aged, genre=G).abstained


def test_a_sum_of_support_asked_is_stated_only_by_a_sentence_offering_it(monkeypatch):
    """市里一次性奖励多少钱 is not answered by a sentence about the subject that states another figure
    (全市高新技术企业总产值突破340亿元); 租金多少钱, a sum of no support, may be stated by a sentence saying a
    word of the question."""
    from types import SimpleNamespace

    from rag.answer import Answerer
    from rag.compose import Composed
    from rag.intents import Intent
    from rag.model import Citation

    answerer = Answerer.__new__(Answerer)
    answerer.genre = G
    linker = SimpleNamespace(lexicon=SimpleNamespace(policies=[]))
    monkeypatch.setattr(answerer, "_get_linker", lambda: linker, raising=False)

    def composed(quote: str) -> Composed:
        cite = Citation(doc_no=None, title="某规划", city=None, section="", measure="", quote=quote)
        return Composed(answer=quote, citations=[cite])

    report = composed("2015年，全市高新技术企业达234家，全市高新技术企业总产值突破340亿元。")
    asked = "我们公司刚被认定为国家高新技术企业，市里一次性奖励多少钱？"
    assert answerer._stated_amount(report, asked, Intent("support"), ["高新技术企业", "奖励"]).abstained
    offer = composed("对首次认定的国家高新技术企业，给予一次性奖励20万元。")
    assert not answerer._stated_amount(offer, asked, Intent("support"), ["高新技术企业", "奖励"]).abstained
    rent = composed("公共租赁住房租金按每月每平方米15元执行。")
    assert not answerer._stated_amount(rent, "公租房租金每月多少钱？", Intent("general"), ["公租房", "租金"]).abstained


def test_a_county_document_is_not_among_the_documents_enclosing_another_county():
    """梅河口市 lies in 通化市: the city's own documents apply there, a 柳河县 document (区县级, filed under
    通化) does not — it is about 柳河县. The province's documents of any level still enclose it."""
    from types import SimpleNamespace

    from rag.answer import Answerer

    policies = [{"id": "county", "city": "通化", "level_word": "区县级"},
                {"id": "city", "city": "通化", "level_word": "市级"},
                {"id": "province", "city": "吉林", "level_word": "省级"}]
    about = {"通化市": {"county", "city"}, "吉林省": {"province"}}
    lexicon = SimpleNamespace(policies=policies)
    fake = SimpleNamespace(genre=G, _get_linker=lambda: SimpleNamespace(lexicon=lexicon), _local=None,
                           _place_policies=lambda name: set(about.get(name, ())))
    fake._local_ids = lambda: Answerer._local_ids(fake)
    assert Answerer._enclosing_policies(fake, ["梅河口市"]) == {"city", "province"}
    assert Answerer._enclosing_policies(fake, ["梅河口市"], levels=("city",)) == {"city"}


def test_a_district_named_with_its_city_is_asked_about_the_district():
    """安康市汉滨区: the district is where the asker is; a document of another part of the city (安康高新区,
    园区级) answers for it no more than a document of another county does. The city named alone is
    answered by it."""
    from types import SimpleNamespace

    from rag.answer import Answerer, innermost
    from rag.compose import Composed

    assert innermost(["安康市", "汉滨区"]) == ["汉滨区"]
    assert innermost(["合肥", "安康"]) == ["合肥", "安康"]
    policies = [{"id": "zone", "city": "安康", "level_word": "园区级", "title": "安康高新区房地产措施"}]
    about = {"安康市": {"zone"}}
    lexicon = SimpleNamespace(policies=policies)
    fake = SimpleNamespace(genre=G, _get_linker=lambda: SimpleNamespace(lexicon=lexicon), _local=None,
                           _place_policies=lambda name: set(about.get(name, ())))
    fake._local_ids = lambda: Answerer._local_ids(fake)
    fake._enclosing_policies = lambda places, levels=("city", "province"): Answerer._enclosing_policies(
        fake, places, levels)
    fake._of_place_without_documents = lambda *args: Answerer._of_place_without_documents(fake, *args)
    fake._refused = lambda reason: Answerer._refused(fake, reason)
    quote = "在高新区购买新建商品房的，可申请缴纳契税金额50%的补贴。"
    answered = Composed(answer=f"- {quote} [1]", citations=[Citation(
        doc_no=None, title="安康高新区房地产措施", city="安康", section="", measure="十一", quote=quote,
        policy_id="zone", measure_id="zone.m11")])
    text = "在安康市汉滨区买新房，契税补贴能补多少？"
    district = Linked(text=text, links=[Link("city", "安康", "安康市", 1, 4), Link("city", "安康", "汉滨区", 4, 7)])
    assert Answerer._within_place(fake, answered, district, Intent("support"), {}).abstained
    city = Linked(text="在安康市买新房，契税补贴能补多少？", links=[Link("city", "安康", "安康市", 1, 4)])
    assert not Answerer._within_place(fake, answered, city, Intent("support"), {}).abstained
