"""What a question asks is said in its asking part: a kind of support or a document word that only names
the topic ("购房补贴政策出台后，…还要做什么") does not decide the intent; a count of working days or of
characters is no plan target; "by when" asks an action's time limit, not the document's dates; an
everyday word for money is a kind of support only where the question asks to receive it."""
from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from rag.docfacts import asked_facts, asks_deadline
from rag.intents import asking_part, question_parts, route
from rag.linking import Linked, Linker, build_lexicon


def _route(question: str) -> str:
    return route(Linked(text=question), genre=packaged_genre()).name


@pytest.mark.parametrize("question, intent", [
    # the support word names the topic; the asking part asks something else
    ("合肥的购房补贴政策出台后，各县(市)区还要做什么？", "duties"),
    ("北京老旧厂房改造的资金支持政策从什么时候开始实施？", "metadata"),
    ("这项补贴的主管单位是哪个？", "departments"),
    # the asking clause has no cue of its own: the clause before it only sets the scene
    ("在柳河申请旅游奖励，书面申报材料交给谁？", "general"),
    # the support word is what is asked: unchanged
    ("在上海租用算力做大模型研发能拿到什么补贴？", "support"),
    ("企业能拿多少？", "support"),
    ("哪些单位可以申请购房补贴？", "support"),
    ("补贴政策有哪些？", "support"),
    ("开源商业化公司落户南京，按什么标准给政策？", "support"),  # granted, asked with the verb of granting
    ("上海、南京、重庆的开源社区数量目标分别是多少？", "comparison"),
    # a question inside the subject: the clause asks from its predicate's question word
    ("申请公租房，我家挣多少钱、有多少存款是哪个部门去查的？", "departments"),
    ("企业一年能拿多少钱是由谁定的？", "departments"),
    ("补贴标准是多少？", "support"),  # one question word, after 是: unchanged
    # who checks or verifies (谁来查, 谁来核): a doer asked, like 谁来审
    ("在广州申请公租房，家里的收入和存款是谁来查的？", "departments"),
    ("住房困难这块又是谁来核？", "departments"),
    # a choice between two bodies asks which one handles it
    ("和广州一家公司签了三方，落户手续是跑人社局还是派出所那边？", "departments"),
])
def test_a_cue_of_the_topic_does_not_decide_what_is_asked(question, intent):
    assert _route(question) == intent


@pytest.mark.parametrize("question, intent", [
    # whether a document still governs, or how long, asked in everyday words: its validity
    ("广州引进人才入户的实施细则是2022年出的，到现在还能按它办吗", "metadata"),
    ("那个暂行办法能管多长时间", "metadata"),
    ("这个办法管到哪年", "metadata"),
    # still in time: the offer only named in the scene, the asking clause asks whether it still applies
    ("那套奖励，我们明年新上项目还赶得上吗", "metadata"),
    # …but an offer named in the asking clause itself is what is asked (with its window, elsewhere)
    ("契税那个补贴我现在去申请还来得及吗", "support"),
])
def test_whether_a_document_still_governs_is_asked_in_the_verbs_of_following_it(question, intent):
    assert _route(question) == intent


@pytest.mark.parametrize("question", [
    "受理入户申请后，最多多少个工作日要审完？",
    "项目预申报书大概要写多少字？",
    "公示期要几个月？",
    "主管部门多少个工作日内要审定？",
])
def test_a_time_limit_or_a_length_asked_is_no_plan_target(question):
    assert _route(question) not in ("targets", "departments")


@pytest.mark.parametrize("question", ["到2025年计划培育多少家企业？", "要建成几个平台？", "要引进多少人？"])
def test_counts_of_what_a_plan_builds_stay_targets(question):
    assert _route(question) == "targets"


def test_the_asking_part_begins_at_the_question_word_of_the_first_asking_clause():
    spec = packaged_genre().data("intents")["asking"]
    text = "在柳河申请旅游奖励，书面申报材料交给谁？"
    part = asking_part(text, spec)
    assert text[part.clause:] == "书面申报材料交给谁？" and text[part.start:] == "谁？"
    text = "已经享受了一事一议优惠，还能再申请旅游奖励吗？"  # a yes/no clause asks from its start
    part = asking_part(text, spec)
    assert text[part.start:] == "还能再申请旅游奖励吗？"
    assert asking_part("柳河县旅游奖励政策。", spec) is None
    text = "开个公司要几个工作日能办下来，国家有啥要求？"  # two clauses ask: from the first
    assert text[asking_part(text, spec).start:].startswith("几个工作日")


def test_each_later_question_of_a_message_is_read_with_the_scene_the_first_sets():
    genre = packaged_genre()
    assert question_parts("公司准备在高新区拿块地，能不能分几次交？头一笔得交多少，尾款呢？", genre=genre) == [
        ("头一笔得交多少，尾款呢？", "公司准备在高新区拿块地，头一笔得交多少，尾款呢？")]
    assert [p.question for p in question_parts("公租房合同一签是几年？到期了还能接着住吗", genre=genre)] == [
        "公租房合同一签，到期了还能接着住吗"]  # the copula of 是几年 is left off
    # a yes/no question says what it asks of after its question word: that is the scene too
    assert [p.question for p in question_parts("我们是开发商，能不能用保函替换监管资金？最多能换多少？", genre=genre)] == [
        "我们是开发商，用保函替换监管资金，最多能换多少？"]
    assert [p.question for p in question_parts("地价款能不能分几次交？头一笔交多少？", genre=genre)] == [
        "地价款，头一笔交多少？"]  # 分几次交 would ask again
    # the clauses before the asking one set the scene; the first question's own subject is not the later one's
    assert [p.question for p in question_parts("在广州申请公租房，家里的收入是谁来查的？住房困难又是谁来核？",
                                                genre=genre)] == ["在广州申请公租房，住房困难又是谁来核？"]
    assert question_parts("租用算力有什么补贴？谢谢！", genre=genre) == []  # a closing word asks nothing
    # nor does a request to list some of what was asked (列几条, 举几个例子): how the answer is wanted
    for request in ("列几条", "举几个例子吧", "说几个？"):
        assert question_parts(f"政务部门哪些做法会被责令整改？{request}", genre=genre) == [], request
    assert question_parts("政务部门哪些做法会被责令整改？几天内要整改完？", genre=genre)  # a question still is one
    # nor does a sentence asking only which of the compared is more (哪个高, 谁更多一些): the first
    # question's answer shows both sides
    for verdict in ("哪个高？", "哪个更优惠？", "那到底谁更多一些？"):
        assert question_parts(f"两个项目的补贴比例分别是多少？{verdict}", genre=genre) == [], verdict
    assert question_parts("两个项目的补贴比例分别是多少？哪个部门审核？", genre=genre)  # a question of its own
    assert question_parts("租用算力有什么补贴？", genre=genre) == []
    assert len(question_parts("有什么补贴？" + "多少钱？" * 9, genre=genre)) == 3  # bounded


@pytest.mark.parametrize("question", [
    "国务院电子商务意见要求各地区各部门什么时候之前出台具体政策？",
    "公租房保障快到期了想续，最晚什么时候交申请？",
    "合同解除后，承租人多久之内要把费用结清？",
])
def test_by_when_asks_the_time_limit_of_an_action_not_the_documents_dates(question):
    genre = packaged_genre()
    assert asks_deadline(question, genre=genre)
    assert not {"issued", "published", "effective"} & set(asked_facts(question, genre=genre))


@pytest.mark.parametrize("question, fact", [
    ("这个意见是什么时候出台的？", "issued"),
    ("这个办法从哪天开始施行？", "effective"),
])
def test_the_documents_own_dates_are_still_asked_as_such(question, fact):
    genre = packaged_genre()
    assert not asks_deadline(question, genre=genre)
    assert fact in asked_facts(question, genre=genre)


@pytest.mark.parametrize("question, kinds", [
    ("数字政府建设要花的钱归哪些部门管？", []),
    ("财政资金由谁保障？", []),
    ("企业能拿到钱吗？", ["补贴"]),
    ("有什么资金支持？", ["补贴"]),
    ("最多给多少钱？", ["补贴"]),
    ("研发补贴怎么申请？", ["补贴"]),
])
def test_money_is_a_kind_of_support_only_where_the_question_asks_to_receive_it(question, kinds):
    genre = packaged_genre()
    linker = Linker(build_lexicon(departments=[], measures=[], policies=[], genre=genre), genre=genre)
    assert linker.link(question).values("support_kind") == kinds


def test_a_by_when_question_is_answered_by_the_sentence_stating_the_time_limit():
    from rag.compose import asked_kind, states_kind

    genre = packaged_genre()
    kind = asked_kind("公租房保障快到期了想续，最晚什么时候交申请？", genre=genre)
    assert states_kind(kind, "保障对象需要继续申请的，须在保障期限届满3个月前提交申请。", genre=genre)
    assert states_kind(kind, "各地区要于2015年底前研究出台具体政策。", genre=genre)
    assert not states_kind(kind, "经期满审查仍符合条件的，自期限届满次月起续签租赁合同。", genre=genre)


def test_a_date_asked_of_a_clause_is_not_asked_of_a_document_whose_title_says_none_of_its_words():
    from rag.docfacts import touches_title

    genre = packaged_genre()
    assert not touches_title(["老旧厂房", "改造", "资金"], "北京市产业政策导引（市级版）", genre=genre)
    assert touches_title(["旅游", "奖励"], "柳河县关于推动旅游业转型升级、跨越发展的意见", genre=genre)
    assert touches_title(["政策"], "北京市产业政策导引（市级版）", genre=genre)  # nothing but generic words


def test_a_word_no_document_uses_is_said_only_whole_or_by_its_head():
    from rag.compose import head_said

    genre = packaged_genre()
    # 自行 of 自行协商 and 车 of 车辆 say nothing of 自行车: a question on e-bike subsidies is not answered by them
    assert not head_said("自行车", "同级机构发生争议的，应当自行协商解决；推动城市配送车辆标准化。", genre=genre)
    assert head_said("公租房", "符合条件的家庭可以申请租房补贴。", genre=genre)
    assert head_said("自行车", "鼓励市民骑自行车出行。", genre=genre)


def test_the_examples_votes_for_the_topic_count_as_little_as_its_cues():
    """Neighbours of "…购房补贴政策出台后，各县区还要做什么" are support questions (they share 补贴): their
    votes for the topic do not outweigh the duty the asking part asks for."""
    genre = packaged_genre()
    question = "合肥的购房补贴政策出台后，各县(市)区还要做什么？"
    assert route(Linked(text=question), {"support": 1.5}, genre=genre).name == "duties"
    assert route(Linked(text="有什么补贴？"), {"support": 1.5}, genre=genre).name == "support"


def test_an_open_comparison_searches_each_side_for_its_subject_not_for_how_they_differ():
    from rag.answer import adds_to_side, compared_subject

    cue = packaged_genre().data("intents")["open_comparison"]
    subject, asking = compared_subject("支持芯片、人工智能企业的做法有什么不同？", cue)
    assert subject == "支持芯片、人工智能企业" and asking == ["做法有什么不同"]
    subject, _ = compared_subject("在买房落户或者购房资格上有什么不一样？", cue)
    assert subject == "在买房落户或者购房资格"
    # a second clause of one side only when it says a compared word the first does not
    assert adds_to_side(["落户", "购房资格"], ["具备相应住房限购区域购房资格"], "可以申请办理落户")
    assert not adds_to_side(["落户", "购房资格"], ["具备购房资格"], "即可取得购房资格")


def test_a_city_named_with_its_province_is_one_place_not_two_sides():
    from rag.intents import compared_places

    genre = packaged_genre()
    policies = [{"id": "a", "city": "浙江", "title": "浙江省城市内涝治理规划"}, {"id": "b", "city": "杭州", "title": "杭州市排水条例"}]
    linker = Linker(build_lexicon(departments=[], measures=[], policies=policies, genre=genre), genre=genre)
    within = linker.link("杭州下暴雨把我家地下车库淹了，按浙江的内涝规划政府能给多少补偿？")
    assert compared_places(within) == ["杭州"]
    assert route(within, genre=genre).name != "comparison"
    # two cities, or a city and its province written as sides, are compared
    assert route(linker.link("杭州和宁波的内涝治理目标分别是多少？"), genre=genre).name == "comparison"
    assert len(compared_places(linker.link("杭州和浙江的内涝治理规划一样吗？"))) == 2


def test_a_province_read_as_its_cities_or_the_country_named_with_a_place_is_no_second_side():
    """四川省, which has no document of its own, is read as the corpus places within it (成都, 阿坝): named
    with 阿坝 it is where 阿坝 lies. 全国 qualifying a place's plan (全国有分量的平台) is no side either;
    written as sides (成都和四川省, 安徽和全国) both are compared."""
    from rag.intents import compared_places

    genre = packaged_genre()
    policies = [{"id": "a", "city": "阿坝", "title": "阿坝州政务数据资源管理暂行办法"},
                {"id": "c", "city": "成都", "title": "成都市高层次人才购买商品住房实施细则"},
                {"id": "h", "city": "安徽", "title": "安徽省工业互联网创新发展行动计划"},
                {"id": "n", "city": "全国", "title": "国务院关于大力发展电子商务的意见"}]
    linker = Linker(build_lexicon(departments=[], measures=[], policies=policies, genre=genre), genre=genre)
    basis = linker.link("阿坝的政务数据管理办法，是照着四川省哪份文件定的？")
    assert compared_places(basis) == ["阿坝"] and route(basis, genre=genre).name != "comparison"
    national = linker.link("安徽那个工业互联网行动计划，打算扶起来几家全国有分量的跨行业跨领域大平台？")
    assert compared_places(national) == ["安徽"] and route(national, genre=genre).name != "comparison"
    assert len(compared_places(linker.link("阿坝和四川省的政务数据规定有啥不同？"))) >= 2
    assert len(compared_places(linker.link("安徽和全国的电商政策有啥不同？"))) == 2


@pytest.mark.parametrize("question, intent", [
    # a document named and 哪家单位 asked of a doer (由哪家单位来考): who does it, not who issued the document
    ("包头数字政府建设考评里，热线升级的年度考评是由哪家单位来考的？", "departments"),
    # the body one goes to (找哪个部门) handles the matter; no one goes to a document's issuer for it
    ("安徽工业互联网行动计划要共建科教产融合示范园区，这事找哪个部门？", "departments"),
    # asked by a verb of issuing: the document's issuer, also as 由哪个部门来印发
    ("包头数字政府建设考评办法是哪个部门发的？", "metadata"),
    ("包头数字政府建设考评办法是由哪个部门来印发的？", "metadata"),
])
def test_a_doer_asked_of_a_named_document_is_no_question_of_its_issuer(question, intent):
    named = next(w for w in ("考评", "行动计划") if w in question)
    assert _route_naming(question, named) == intent


def test_the_body_to_report_a_document_s_problems_to_is_not_asked_as_a_doer():
    """执行中碰到问题找哪家反映: the body the document's closing provisions name, not a responsible unit."""
    assert _route_naming("我们单位按广州引进人才入户实施细则办事，过程中碰到问题该找哪家反映？", "实施细则") != "departments"


def _route_naming(question: str, document_word: str) -> str:
    """The intent of a question whose `document_word` links a policy (the question names a document)."""
    from rag.linking import Link

    at = question.index(document_word)
    linked = Linked(text=question, links=[Link("policy", "p1", document_word, at, at + len(document_word))])
    return route(linked, genre=packaged_genre()).name


def test_a_comparison_of_two_named_documents_is_no_duties_question_for_naming_a_body():
    """各是什么 of two documents, one a 分工方案 a body issued (国务院…分工方案): the body and 分工 make as
    strong a duties case as 各是 makes a comparison; the comparison is what is asked, unless each side's
    duties are (分别负责什么)."""
    from rag.linking import Link

    genre = packaged_genre()
    text = "双随机抽查的覆盖面，国务院放管服分工方案定的目标和某市考评的要求各是什么？"
    linked = Linked(text=text, links=[Link("department", "国务院", "国务院", 10, 13)])
    assert route(linked, genre=genre).name == "comparison"
    text = "国务院和某市发改委分别负责什么？"
    linked = Linked(text=text, links=[Link("department", "国务院", "国务院", 0, 3)])
    assert route(linked, genre=genre).name == "duties"


@pytest.mark.parametrize("question, intent", [
    # a body named by the head of its name (厅, 局, 委, 办): which bodies are asked, as with 哪个部门
    ("湖北评等级旅游民宿这块，省里是哪几个厅负责？", "departments"),
    ("新建工业项目应该找哪个局？", "departments"),
    ("这件事归哪个委管？", "departments"),
    # …not a word made with those characters (办法)
    ("有哪个办法能快点办下来？", "general"),
])
def test_a_body_asked_by_the_head_of_its_name_asks_who_is_responsible(question, intent):
    assert _route(question) == intent


@pytest.mark.parametrize("question, intent", [
    # 抓 is how people say a body is in charge (这块是哪些部门在抓): who is responsible, not who issued it
    ("某省工业互联网行动计划里，高校开相关专业这块是哪些部门在抓？", "departments"),
    ("某省工业互联网行动计划是哪个部门发布的？", "metadata"),
])
def test_a_body_in_charge_asked_in_everyday_verbs_is_no_question_of_the_issuer(question, intent):
    assert _route_naming(question, "行动计划") == intent


def test_a_body_fixing_what_is_published_is_asked_as_a_doer():
    """由哪个部门确定，怎么发布: who fixes the standard, though 发布 is a verb of issuing documents."""
    assert _route("公共租赁住房申请的家庭收入标准由哪个部门确定，怎么发布？") == "departments"
    assert _route("公共租赁住房管理办法是哪个部门发布的？") == "metadata"


@pytest.mark.parametrize("question, at", [
    ("某省十三五那几年，居民收入当时计划每年涨多少？", "几年"),  # those years
    ("某州要是哪个部门的政务数据被泄露了，第一时间该干啥？", "哪个部门"),  # any body, in a condition
    ("我的社保中间断过，后来补缴了几个月，申请入户会不会因为这个被卡？", "几个月"),  # some months the asker paid
    ("之前社保断过几个月后来补上了，这样还算连着交的吗？", "几个月"),  # 过: the months it was broken off
])
def test_a_question_word_meaning_some_asks_nothing(question, at):
    from rag.compose import asked_kind
    from rag.intents import some_word

    spec = packaged_genre().data("intents")["asking"]
    assert some_word(question, question.index(at), spec)
    assert _route(question) not in ("metadata", "departments")
    kind = asked_kind(question, genre=packaged_genre())
    assert kind is None or kind.get("unstated") != "期限或时长"


@pytest.mark.parametrize("question, at, intent", [
    ("这个办法管几年？", "几", "metadata"),
    ("要是材料不全，该找哪个部门？", "哪", "departments"),  # the condition asks nothing; the last clause asks
    ("公示要几天，哪个部门负责？", "几", None),  # two clauses asking: the first asks its span
    ("投资超过多少，能拿奖励吗？", "多少", None),  # 超过 is no experiential 过: a threshold asked
    ("要经过几个环节，多长时间能办完？", "几", None),
])
def test_question_words_that_ask_still_decide_the_intent(question, at, intent):
    from rag.intents import some_word

    spec = packaged_genre().data("intents")["asking"]
    assert not some_word(question, question.index(at), spec)
    assert intent is None or _route(question) == intent


def test_the_previous_question_a_follow_up_is_resolved_with_names_its_topic():
    """A follow-up asking something of its own (这个计划是按照哪些文件制定的？) is resolved with the previous
    question in brackets: that question's cues (到2026年, 多少) name what is asked about, not what is asked.
    A follow-up asking nothing of its own is read with them."""
    from rag.intents import appended_context

    spec = packaged_genre().data("intents")["asking"]
    text = "这个计划是按照哪些文件制定的？（某市行动计划到2026年产业规模要做到多少？）"
    assert appended_context(text, spec) == text.index("（")
    assert _route(text) != "targets"
    bare = "那这个呢（某市行动计划到2026年产业规模要做到多少？）"
    assert appended_context(bare, spec) == len(bare)
    assert appended_context("某市行动计划到2026年产业规模要做到多少？", spec) == len("某市行动计划到2026年产业规模要做到多少？")



def test_how_many_people_a_plan_gives_something_to_is_a_count_not_money():
    """给多少 asks an amount when nothing follows it or money does (能给多少, 给多少补贴); before people
    or units (给多少技术人员做培训, 给多少家企业授牌) it counts them, a plan's target: no support cue fires,
    so that the nearest example questions (which ask money with 给多少) cannot tip it to support."""
    def scores(question: str) -> dict[str, float]:
        return route(Linked(text=question), genre=packaged_genre()).scores

    assert "support" not in scores("某省搞工业互联网，省里每年打算给多少技术人员和企业老总做培训？")
    assert "support" not in scores("某市每年打算给多少家企业授牌？")
    assert scores("某市开书店，一家最多能给多少？").get("support", 0) > 0



def test_until_when_an_offer_is_enjoyed_asks_its_period():
    """这个优惠能享受到啥时候 asks until when (the offer's period), though 优惠 and 能享受 name the offer;
    享受到啥 asks what is enjoyed only when 啥 is no 啥时候."""
    assert _route("在某市做社区家政和托育，收入能免增值税，这个优惠能享受到啥时候？") == "metadata"
    assert _route("在某市做社区家政和托育，能享受到啥优惠？") == "support"


@pytest.mark.parametrize("question", [
    "《临港新片区管理办法》提出要形成的综合监管体系由哪几部分构成？",
    "全州的大数据中心平台由哪几个子平台组成？",
])
def test_what_a_thing_is_made_of_asks_no_body(question):
    """由哪几部分构成 asks the parts of a thing: 由哪 is no question of who does it."""
    assert route(Linked(text=question), genre=packaged_genre()).name != "departments"


def test_the_bodies_a_group_is_made_of_are_still_bodies():
    assert route(Linked(text="数据工作领导小组由哪些部门组成？"), genre=packaged_genre()).name == "departments"
    assert route(Linked(text="这项工作由哪个部门负责？"), genre=packaged_genre()).name == "departments"


@pytest.mark.parametrize("question, intent", [
    # only what is required is asked, of something that is no benefit: the clause setting the requirements
    ("想在北京认定技术先进型服务企业，得满足哪几条条件？", "general"),
    ("我们是一家融资租赁公司，想在北京开分公司，得满足哪几项条件？", "general"),
    ("想挂个“大数据教学实践基地”的牌子，场地和老师都有啥硬性要求？", "general"),  # 场地: the subject, no offer
    # the requirements of a benefit the question names: the support facts' conditions
    ("申请购房补贴需要什么条件？", "support"),
    ("企业申请研发奖励有什么门槛？", "support"),
])
def test_a_question_asking_only_what_is_required_is_no_support_question(question, intent):
    """The support cues and entities its subject fires (条件, 场地, 企业: a beneficiary) and the nearest
    example questions' votes made the first three support questions, answered with unrelated offers."""
    genre = packaged_genre()
    linker = Linker(build_lexicon(departments=[], measures=[], policies=[], genre=genre), genre=genre)
    prior = {"support": 0.6, "general": 0.6}  # the nearest examples vote both ways
    assert route(linker.link(question), prior, genre=genre).name == intent


def test_a_sentence_asking_in_two_clauses_is_two_questions():
    """"去哪儿交材料，几天能办完？" asks a place and a span in one sentence: the second clause, which has a
    question word of its own, is answered as a later question with the scene, as a second sentence would
    be. A clause asking only with a particle ("尾款呢？") asks the same as the clause before it, and a
    clause that asks nothing (the scene) is no question."""
    genre = packaged_genre()
    parts = question_parts("外企想在北京认定地区总部，去哪儿交材料，几天能办完？", genre=genre)
    assert [p.sentence for p in parts] == ["几天能办完？"]
    assert parts[0].question.startswith("外企想在北京认定地区总部") and parts[0].question.endswith("几天能办完？")
    assert [p.sentence for p in question_parts("这项考核归哪个单位牵头，占几分？", genre=genre)] == ["占几分？"]
    assert question_parts("头一笔得交多少，尾款呢？", genre=genre) == []
    assert question_parts("我们是外企，想在北京认定地区总部，去哪儿交材料？", genre=genre) == []
