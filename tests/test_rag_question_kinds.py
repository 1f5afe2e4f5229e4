"""Three question kinds in wordings their rules did not list one by one: which documents use a term,
enumerations asked by any counted word, and open comparisons of two places or two documents."""

import re

import pytest

from genre import packaged as packaged_genre
from rag.answer import compared_parts, own_clause
from rag.compose import announced_list, asked_head, counted_word, title_named, with_agent_nouns
from rag.mentions import coordinated, count_forms, expand_parts, find_mentions, head_split, mention_term


@pytest.mark.parametrize("question, term", [
    ("哪些文件提到了住房公积金？", "住房公积金"),
    ("提到“海外仓”的文件有哪些？", "海外仓"),
    ("哪些政策里有“一网通办”的说法？", "一网通办"),
    ("知识产权出现在哪些文件里？", "知识产权"),
    ("有没有文件讲到揭榜挂帅？", "揭榜挂帅"),
    ("跨境电商这个词，哪些文件里能找到？", "跨境电商"),
    ("我想找写了容缺办理的文件", "容缺办理"),
    ("老旧小区改造在哪些规划或措施里有涉及？", "老旧小区改造"),
    # invented wordings: the parts combine in ways no example shows
    ("“带押过户”出现在哪几份政策中？", "带押过户"),
    ("哪些文件中有关于首台套的规定？", "首台套"),
    ("说到养老服务的文件有几份？", "养老服务"),
    ("“算力券”被哪些文件提到？", "算力券"),
    ("涉及公积金的有哪些文件？", "公积金"),
    ("涉及数据安全方面的文件有哪些？", "数据安全"),
    ("哪些文件里能找到“首台套”？", "首台套"),
    # the documents named first, then which of them; 涉及到 as people say 涉及
    ("现有的这些政策里，哪些涉及到了区块链？", "区块链"),
    ("文件中哪几份提到了海绵城市？", "海绵城市"),
    ("哪些文件涉及到数据安全？", "数据安全"),
])
def test_mention_questions_in_many_wordings(question, term):
    assert mention_term(question, genre=packaged_genre()) == term


@pytest.mark.parametrize("question", [
    "上海对开源项目有什么补贴？",
    "哪些政策有购房补贴？",  # asks the offers, not a word
    "哪些措施涉及市教委？",  # the measures of a department
    "哪些文件规定了购房补贴？",
    "哪些政策支持人工智能？",
    "市教委在哪些措施里负责什么？",
])
def test_other_questions_are_not_mention_questions(question):
    assert mention_term(question, genre=packaged_genre()) is None


@pytest.mark.parametrize("question, term", [
    ("营商环境这个提法，都出现在哪些文件中？", "营商环境"),
    ("“数据跨境”这一表述，哪几份文件有提到？", "数据跨境"),
    ("个人信息在哪些政策里有规定？", "个人信息"),
    ("首台套，哪些文件里都有涉及？", "首台套"),
])
def test_adverbs_a_perfective_have_and_provisions_in_mention_wordings_of_which_documents_mention_a_term(question, term):
    assert mention_term(question, genre=packaged_genre()) == term


@pytest.mark.parametrize("question", ["广州在哪些方面有规定？", "公积金在哪些情况下能提取？", "合肥在哪些文件里有补贴？"])
def test_questions_about_content_stay_content_questions(question):
    assert mention_term(question, genre=packaged_genre()) is None


def test_parts_nest_and_unknown_names_stay():
    parts = {"DOC": "(?:文件|政策)", "DOCS": "<DOC>(?:或<DOC>)?"}
    assert expand_parts("<DOCS>里<X>", parts) == "(?:文件|政策)(?:或(?:文件|政策))?里<X>"


def test_a_coordinated_head_counts_as_a_mention():
    split = head_split("老旧小区改造", ["老旧", "小区", "改造"])
    assert split == ("老旧小区", "改造")
    loose = coordinated(*split)
    assert count_forms("加快城镇棚户区、老旧小区和危房改造。", ["老旧小区改造"], loose) == {"老旧小区和危房改造": 1}
    assert count_forms("支持老旧小区改造。", ["老旧小区改造"], loose) == {"老旧小区改造": 1}
    # a sentence break between them is no coordination
    assert count_forms("老旧小区和城中村。危房改造", ["老旧小区改造"], loose) == {}
    assert head_split("一网通办", ["网通", "一网通", "办"]) is None


def test_mentions_by_document_with_counts():
    class Chunk:
        def __init__(self, pid, text, start):
            self.policy_id, self.title, self.doc_no, self.text, self.start = pid, pid, None, text, start

    chunks = [Chunk("a", "老旧小区改造，老旧小区改造。", 5), Chunk("b", "棚户区、老旧小区和危房改造", 0), Chunk("c", "无关", 0)]
    docs = find_mentions("老旧小区改造", chunks, ["老旧小区改造"], coordinated("老旧小区", "改造"))
    assert [(d.policy_id, d.count) for d in docs] == [("a", 2), ("b", 1)]


def test_compared_sides_named_as_documents_take_their_genre_word():
    sides, rest = compared_parts("柳河县支持重点产业的实施意见和加快旅游业发展的若干意见，奖励方式各自怎么规定？")
    assert sides == ["柳河县支持重点产业的实施意见", "加快旅游业发展的若干意见"]
    assert rest.startswith("奖励方式")
    assert compared_parts("合肥和安康高新区的购房补贴有什么不同？") == (["合肥", "安康高新区"], "购房补贴有什么不同？")
    # a document side ends at its genre word: 里 / 中 after it open the rest
    assert compared_parts("柳河县的重点产业实施意见和旅游业若干意见里都提到了引导资金，规模有什么不一样？") == (
        ["柳河县的重点产业实施意见", "旅游业若干意见"], "都提到了引导资金，规模有什么不一样？")
    assert compared_parts("浙江的内涝规划和广西十三五纲要中对排水的要求有什么不同？")[0] == ["浙江的内涝规划", "广西十三五纲要"]
    # a second document named by a longer subject (人工智能终端产业 + 行动计划) is still one side, not its place
    assert compared_parts("宣传推广方面，科技部的国家人工智能创新试验区指引和深圳的人工智能终端产业行动计划，分别提了啥做法？") == (
        ["科技部的国家人工智能创新试验区指引", "深圳的人工智能终端产业行动计划"], "宣传推广方面，分别提了啥做法？")
    assert compared_parts("广州和深圳的人才住房政策有什么不同")[0] == ["广州", "深圳"]  # two places: the subject stays


def test_a_place_side_followed_by_what_is_asked_of_both_is_the_place():
    """阿坝州和包头推动政务数据开放，各自…: 推动… is asked of both places, not part of 包头's name; a place's
    region (南京都市圈) or a document (广州人才入户细则) is a side of its own."""
    sides, rest = compared_parts("阿坝州和包头推动政务数据向社会开放，各自把哪些数据放在优先的位置？")
    assert sides == ["阿坝州", "包头"] and rest.startswith("推动政务数据向社会开放")
    assert compared_parts("北京和上海市推进老旧厂房改造有什么不同")[0] == ["北京", "上海市"]
    assert compared_parts("上海和南京都市圈的规划有什么不同")[0] == ["上海", "南京都市圈"]
    assert compared_parts("成都和广州人才入户细则有什么不同")[0] == ["成都", "广州人才入户细则"]


def test_the_both_after_two_sides_opens_what_is_said_of_them():
    # 都 distributes what follows over the sides: 都要公示 is said of both, it names neither
    assert compared_parts("广州人才入户和申请公租房都要公示，两个公示期各是多长？") == (
        ["广州人才入户", "申请公租房"], "都要公示，两个公示期各是多长？")
    assert compared_parts("南京和成都都给人才发补贴吗")[0] == ["南京", "成都"]  # 成都's 都 is its name
    assert compared_parts("上海和南京都市圈的规划有什么不同")[0] == ["上海", "南京都市圈"]  # 都市 is a word


def test_sides_named_after_the_subject_said_first_are_compared_on_that_subject():
    assert compared_parts("政务数据要是有错，阿坝州和广东省各自让人怎么办？") == (
        ["阿坝州", "广东省"], "政务数据要是有错，各自让人怎么办？")
    sides, rest = compared_parts("做跨境电商的，国务院的电商意见和上海临港的办法分别给了啥支持")
    assert sides == ["国务院的电商意见", "上海临港的办法"] and rest.startswith("做跨境电商的，")
    # two things of the subject, neither a place nor a document, are no sides
    assert compared_parts("在合肥买房，首套和二套的首付比例有什么不同") is None


def test_sides_after_the_subject_may_name_a_document_by_its_place_and_stand_in_a_later_sentence():
    """A document named by its place and a short name (包头的数字政府考评) is a side as much as one ending
    in its genre word; the subject may end at a colon or a question of its own, the sides after it."""
    assert compared_parts("电子证照这块，包头的数字政府考评和广东公共数据办法分别提了什么要求？") == (
        ["包头的数字政府考评", "广东公共数据办法"], "电子证照这块，分别提了什么要求？")
    sides, rest = compared_parts("政务数据相关的信息化项目，能不能请外面的公司来做？阿坝州和广东的数据管理办法各是怎么规定的？")
    assert sides == ["阿坝州", "广东"] and rest.startswith("政务数据相关的信息化项目")
    sides, _ = compared_parts("我们是做工业机器人的，想比较一下：安徽的工业互联网行动计划和南宁的科技十三五规划，各提了什么？")
    assert sides == ["安徽的工业互联网行动计划", "南宁的科技十三五规划"]
    # neither side opens with a place or names a document: still no sides
    assert compared_parts("说到补贴，大学和科研院所拿到的分别有多少？") is None


def test_a_word_holding_a_comparing_character_is_not_two_sides():
    assert compared_parts("广州公租房的租赁合同里写明的解除情形分别是什么？") is None


@pytest.mark.parametrize("sentence, own", [
    ("第24条以上有关各项奖励政策如与国家相关政策规定相抵触，按国家和上级文件规定执行。", True),
    ("本意见涉及同一内容的奖励与其他政策文件规定不一致的，按“就高不重复”的原则执行。", True),
    ("本细则由市住房保障部门负责解释。", True),
    ("对新建高级雪道给予奖励。", False),
    ("各项政策措施要落实到位，与其他部门不一致的要协调。", False),
    # a document's purpose, scope and issuing notice say how it applies, not what it does
    ("第一条  为做好我市用人单位引进人才入户相关工作，根据《办法》，制定本细则。", True),
    ("第二条  本细则适用于符合《办法》的各类人才申报广州市引进人才入户。", True),
    ("现将《广州市引进人才入户管理办法实施细则》印发给你们，请认真组织实施。", True),
    ("引进在职人才入户申报原则上实行全流程网办。", False),
    ("符合条件的企业可适用简易注销程序。", False),
])
def test_provisions_about_the_document_itself_answer_no_side(sentence, own):
    assert own_clause(sentence, genre=packaged_genre()) is own


@pytest.mark.parametrize("question, word", [
    ("五大工程分别是什么？", "工程"),
    ("我们市想申报试验区，得够哪几条硬条件？", "条件"),  # the user's adjective qualifies the counted noun
    ("哪几类高层次人才可以买房？", "人才"),
    ("建一条高级的滑道能奖多少？", "滑道"),
    ("有哪几项任务？", "任务"),
])
def test_the_counted_word_is_the_noun_past_its_qualifiers(question, word):
    assert counted_word(question) == word


def test_a_noun_a_modal_and_a_verb_name_the_section_of_the_verb_and_the_noun():
    question = "智能机器人专项，都有哪几类单位能推荐？"
    assert not title_named(question, "二、组织申报的推荐单位")
    assert "推荐单位" in with_agent_nouns(question)
    assert title_named(with_agent_nouns(question), "二、组织申报的推荐单位")
    assert with_agent_nouns("都有哪几类？") == "都有哪几类？"


def test_an_enumeration_asks_for_any_counted_content_word():
    g = packaged_genre()
    assert asked_head("遵循哪些原则？", genre=g) == "原则"
    assert asked_head("哪几种行为要担法律责任？", ["行为", "法律责任"], genre=g) == "行为"
    assert asked_head("租赁合同里写明的解除情形分别是什么？", ["合同", "解除", "情形"], genre=g) == "情形"
    assert asked_head("哪几种业态要担法律责任？", genre=g) is None  # neither a genre head nor a word given
    assert asked_head("哪几种行为要担法律责任？", genre=g) == "行为"  # a head of the genre's lists (有下列行为之一的)


def test_a_list_announced_before_its_items_or_listed_before_its_head():
    g = packaged_genre()
    pattern = announced_list("哪几种行为要担法律责任？", ["行为"], genre=g)
    assert re.search(pattern, "公共数据开发利用主体在利用公共数据过程中有下列行为之一的，依法承担相应的法律责任：")
    assert not re.search(pattern, "对违法行为依法处理。")
    pattern = announced_list("查实有哪些情形会被处理？", ["查实", "情形", "处理"], genre=g)
    # the announcement naming the rules the cases are dealt with by, before its colon
    assert re.search(pattern, "经查实，申请家庭有下列情形之一的，按照《广东省城镇住房保障办法》第四十五条、第四十六条等规定处理：")
    pattern = announced_list("目录里要写明哪些内容？", ["内容"], genre=g)
    assert re.search(pattern, "目录应当包括数据形式、共享类型、开放属性、更新频率等内容")
    assert not re.search(pattern, "法律、法规等规定的其他内容")


@pytest.mark.parametrize("question, metric", [
    ("合肥和湖北在住房公积金上各自怎么规定的？", False),
    ("甲市和乙市对数据共享的要求，对比一下", False),
    ("南宁和浙江的规划分别把目标定在哪年？", True),
    ("安康高新区和合肥，哪个对买房的人补贴力度大？", True),
    ("上海、南京、重庆的开源社区数量目标分别是多少？", True),
])
def test_a_comparison_asks_a_shared_metric_only_when_it_asks_a_measurable_thing(question, metric):
    cue = packaged_genre().data("intents")["metric_comparison"]
    assert bool(re.search(cue, question)) is metric


def test_items_left_after_a_capped_list_are_counted():
    from rag.compose import View, items_after

    text = "有下列情形之一的：\n（一）甲；\n（二）乙；\n（三）丙。\n第二条 其他。"
    view = View("m", "p", text, 100)
    assert items_after(view, 100 + len("有下列情形之一的：\n（一）甲；")) == 2
    assert items_after(view, 100 + len(text)) == 0


def test_a_count_asked_is_no_class_to_list():
    assert asked_head("南京打算出几个开源标准？", ["南京", "开源", "标准"], genre=packaged_genre()) is None


def test_three_places_listed_are_three_sides():
    from rag.answer import responsibility_sides

    assert compared_parts("合肥、成都和安康高新区对买房的支持有什么不同？") == (["合肥", "成都", "安康高新区"], "买房的支持有什么不同？")
    assert compared_parts("包头、阿坝州和广东在政务数据管理上各自怎么规定？")[0] == ["包头", "阿坝州", "广东"]
    assert responsibility_sides("包头、阿坝州和南宁的数据归集分别归谁管？") == [
        "包头的数据归集归谁管？", "阿坝州的数据归集归谁管？", "南宁的数据归集归谁管？"]
    assert compared_parts("数据共享、开放和安全分别归谁管？") is None  # not places


def test_sides_end_at_a_comma_of_either_width_and_a_document_side_keeps_its_place():
    assert compared_parts("湖北和合肥,对生了二孩的家庭买房各有什么优惠？") == (["湖北", "合肥"], "生了二孩的家庭买房各有什么优惠？")
    assert compared_parts("湖北和合肥，对生了二孩的家庭买房各有什么优惠？")[0] == ["湖北", "合肥"]
    sides, rest = compared_parts("国家的新一代人工智能规划和深圳的人工智能终端行动计划，在人才方面各自怎么安排？")
    assert sides == ["国家的新一代人工智能规划", "深圳的人工智能终端行动计划"]
    assert rest.startswith("人才方面")


def test_a_side_quotes_the_sentences_that_say_what_is_compared():
    from rag.answer import side_sentences
    from rag.compose import View

    text = ("（四）降低群众生育成本。支持各地对按政策生育二孩、三孩家庭提供生育补助。提高住院分娩医疗待遇。"
            "对生育二孩、三孩的家庭在城镇购买新建商品住房的，支持各地落实购房激励政策。")
    view = View("m", "p", text, 0, title="降低群众生育成本", number="（四）")
    picked = side_sentences(view, ["二孩", "家庭", "购房"], "二孩家庭购房", None, genre=packaged_genre())
    assert [s[2] for s in picked] == ["对生育二孩、三孩的家庭在城镇购买新建商品住房的，支持各地落实购房激励政策。"]
    hukou = View("h", "p", "凡新购买新建商品住房的，给予总房价1%的购房补贴。取得房屋所有权的，可以申请办理户口迁移。", 0)
    picked = side_sentences(hukou, ["落户", "购房"], "买房落户", None, genre=packaged_genre())
    assert len(picked) == 2  # 落户 is said by the second sentence (户口), 购房 by the first
    assert all(hukou.text[a:b] == t for a, b, t in picked)


def test_a_side_asked_for_a_figure_quotes_the_sentence_stating_one():
    """"对技术交易定的目标分别是多少" asks each side a figure: when the sentence richest in the compared words
    (打造技术交易服务平台) states none, the clause's sentence that says a compared word and states one
    (技术合同成交额达8亿元以上) is quoted with it; asked no figure, the side quotes the first alone."""
    from rag.answer import side_sentences
    from rag.compose import View, kind_for_intent

    text = "打造技术交易服务平台，完善技术转移机制。到2020年，技术合同成交额达8亿元以上。"
    view = View("m", "p", text, 0, title="科技服务体系")
    kind = kind_for_intent("南宁和广西对技术交易定的目标分别是多少？", "comparison", genre=packaged_genre())
    assert kind is not None
    picked = side_sentences(view, ["技术", "交易"], "技术交易", None, genre=packaged_genre(), kind=kind)
    assert [s[2] for s in picked] == ["打造技术交易服务平台，完善技术转移机制。", "到2020年，技术合同成交额达8亿元以上。"]
    assert all(text[a:b] == t for a, b, t in picked)
    plain = side_sentences(view, ["技术", "交易"], "技术交易", None, genre=packaged_genre())
    assert [s[2] for s in plain] == ["打造技术交易服务平台，完善技术转移机制。"]


@pytest.mark.parametrize("question, sides, rest", [
    # A跟B比，X: the comparing verb after the sides
    ("浙江的内涝规划跟广西十三五纲要比，海绵城市各是怎么写的？", ["浙江的内涝规划", "广西十三五纲要"], "海绵城市各是怎么写的？"),
    ("阿坝州和广东比，部门申请有条件共享的数据，哪边答复得更快？", ["阿坝州", "广东"], "部门申请有条件共享的数据，哪边答复得更快？"),
    # 各 and a verb, which of them
    ("企业租算力训练大模型，北京和深圳各给啥补贴？", ["北京", "深圳"], "企业租算力训练大模型，各给啥补贴？"),
    ("同一项数据别让几个部门都去收，阿坝州和广东各是怎么规定的", ["阿坝州", "广东"], "同一项数据别让几个部门都去收，各是怎么规定的"),
    ("政务大厅一窗受理的比例，包头的考评办法和国务院放管服分工方案哪个要求更高？",
     ["包头的考评办法", "国务院放管服分工方案"], "政务大厅一窗受理的比例，哪个要求更高？"),
    # a central body or the national level names its document (包头 is compared with it)
    ("办不动产登记，包头和国家的放管服方案各自提了啥要求", ["包头", "国家的放管服方案"], "办不动产登记，各自提了啥要求"),
    # the second side ends at a comma
    ("柳河县重点产业那个意见和旅游业那个意见，同一个项目能不能重复拿奖励，各自怎么说的",
     ["柳河县重点产业那个意见", "旅游业那个意见"], "同一个项目能不能重复拿奖励，各自怎么说的"),
])
def test_sides_in_a_strangers_frames(question, sides, rest):
    assert compared_parts(question) == (sides, rest)


def test_routing_reads_the_question_without_the_compared_documents_names():
    from rag.answer import BLANK, without_document_sides
    from rag.intents import route
    from rag.linking import Linked

    question = "企业注销，包头的考评办法和国务院放管服分工方案各有啥要求？"
    blanked = without_document_sides(Linked(text=question, links=[]))
    assert "分工" not in blanked.text and len(blanked.text) == len(question)  # 分工 is the document's word
    assert BLANK * len("国务院放管服分工方案") in blanked.text
    assert route(blanked, genre=packaged_genre()).name == "comparison"
    places = Linked(text="合肥和安康高新区的购房补贴有什么不同？", links=[])
    assert without_document_sides(places).text == places.text  # places are no document names


@pytest.mark.parametrize("question", [
    "可穿戴设备，深圳的AI终端行动计划和国家的新一代AI规划各说了什么",
    "农村电商这块，国务院的电商意见和广西十三五纲要各怎么说？",
    "深圳的人工智能终端计划和科技部的人工智能试验区指引，在资源这块有啥不一样",
])
def test_each_side_asked_with_a_verb_or_how_they_differ_is_a_comparison(question):
    from rag.answer import without_document_sides
    from rag.intents import route
    from rag.linking import Linked

    assert route(without_document_sides(Linked(text=question, links=[])), genre=packaged_genre()).name == "comparison"


def test_a_side_quotes_a_run_in_title_with_its_sentence_and_more_of_a_clause_filed_under_the_subject():
    from rag.answer import side_sentences
    from rag.compose import View

    text = ("智能软硬件。开发面向人工智能的操作系统。智能机器人。攻克智能机器人核心零部件、专用传感器。"
            "研制智能工业机器人。")
    view = View("m", "p", text, 0, title="大力发展人工智能新兴产业", number="1.")
    picked = side_sentences(view, ["机器人"], "机器人", None, genre=packaged_genre())
    assert [s[2] for s in picked][:2] == ["智能机器人。", "攻克智能机器人核心零部件、专用传感器。"]
    rural = ("加强互联网与农业农村融合发展，研究制定促进农村电子商务发展的意见。加强鲜活农产品标准体系建设。"
             "开展电子商务进农村综合示范，推动信息进村入户。")
    filed = View("r", "p", rural, 0, title="积极发展农村电子商务", number="（十三）")
    one = side_sentences(filed, ["农村"], "农村电商", None, genre=packaged_genre())
    more = side_sentences(filed, ["农村"], "农村电商", None, genre=packaged_genre(), filed=True)
    assert len(one) == 1 and any("电子商务进农村综合示范" in s[2] for s in more)
    assert all(filed.text[a:b] == t for a, b, t in more)


def test_a_compared_word_few_clauses_of_a_document_write_singles_out_its_closing_provision(tmp_path):
    from types import SimpleNamespace

    from rag.answer import Answerer
    from rag.settings import Settings

    texts = [f"第{i}条对新建项目给予企业奖励。" for i in range(1, 20)]
    texts.append("第25条本政策涉及同一内容的奖励，如与其他政策文件规定不一致的，按就高不重复原则办理。")
    chunks = SimpleNamespace(chunks_of_policy=lambda pid: [SimpleNamespace(text=t) for t in texts])
    answerer = Answerer(None, chunks, Settings(data_dir=tmp_path), genre=packaged_genre())
    # 重复 is said by one clause of twenty, 奖励 by all, 项目 by the title
    assert answerer._rare_words(["项目", "重复", "奖励"], "p", "关于支持重点项目的实施意见") == ["重复"]
    assert own_clause(texts[-1], genre=packaged_genre())  # what the side then quotes first


def test_two_documents_of_one_place_are_set_side_by_side_not_in_a_table_by_city():
    from rag.compose import Composed, Context, compose_comparison
    from rag.intents import Intent
    from rag.linking import Link, Linked

    question = "柳河县重点产业那个意见和旅游业那个意见，奖励标准各是多少？"  # a metric asked, one place
    linked = Linked(text=question, links=[Link("city", "通化", "柳河县", 0, 3)])
    side_by_side = Composed(answer="分别来看：…")
    ctx = Context(question=question, linked=linked, intent=Intent("comparison"), focus=["奖励", "标准"],
                  views={}, fused=[], graph=None, policies=[], responsibility_labels=[], genre=packaged_genre())
    ctx.fallback = lambda: side_by_side
    assert compose_comparison(ctx, genre=packaged_genre()) is side_by_side


def test_a_side_written_with_more_than_its_place_speaks_through_that_places_documents(monkeypatch):
    """广西全区 and 广东省规定 are 广西 and 广东 to the gazetteer: their own documents are the province's,
    not a city's that the place's search also finds (南宁's plan, which names 广西)."""
    from types import SimpleNamespace

    from rag.answer import Answerer

    answerer = Answerer.__new__(Answerer)
    policies = [{"id": "gx", "city": "广西", "title": "广西“十三五”规划纲要"},
                {"id": "nn", "city": "南宁", "title": "南宁市科学技术发展“十三五”规划"},
                {"id": "gd", "city": "广东", "title": "广东省公共数据管理办法"}]
    linker = SimpleNamespace(lexicon=SimpleNamespace(policies=policies))
    monkeypatch.setattr(answerer, "_get_linker", lambda: linker, raising=False)
    assert answerer._own_policies("广西全区", {"gx", "nn"}) == {"gx"}
    assert answerer._own_policies("广东省规定", {"gd"}) == {"gd"}
    assert answerer._own_policies("南宁市", {"gx", "nn"}) == {"nn"}


def test_a_side_no_document_is_about_is_answered_by_the_clauses_naming_it(monkeypatch):
    """柳州 and 梧州 compared in Guangxi's plan: neither has a document of its own, and the plan's best
    clause for the subject (来宾市：…) speaks of neither. Each side is searched with its name and
    answered only by clauses naming it (柳州市：建设西江经济带龙头城市…)."""
    from types import SimpleNamespace

    from rag.answer import Answerer
    from rag.compose import View

    def view(mid: str, text: str) -> View:
        return View(measure_id=mid, policy_id="gx", text=text, start=0, title=text[:3], policy="广西规划纲要", city="广西")

    laibin = view("gx.m1", "来宾市：建设区域性新兴工业基地、双核驱动战略重要节点城市。")
    liuzhou = view("gx.m2", "柳州市：建设西江经济带龙头城市、区域性先进制造业基地。")
    searched: list[str] = []

    def best(query: str, ids: set[str], n: int) -> list[View]:
        searched.append(query)
        return [laibin, liuzhou]

    answerer = Answerer.__new__(Answerer)
    answerer.genre = packaged_genre()
    monkeypatch.setattr(answerer, "_best_views", best, raising=False)
    monkeypatch.setattr(answerer, "_rare_words", lambda words, pid, title: [], raising=False)
    ctx = SimpleNamespace(term_weight=None)
    views = answerer._side_views("战略定位", ["定位"], {"gx"}, ctx, within="柳州")
    assert [v.measure_id for v, _ in views] == ["gx.m2"] and searched[-1].startswith("柳州")
    assert len(answerer._side_views("战略定位", ["定位"], {"gx"}, ctx)) == 2  # a place's own documents: all


@pytest.mark.parametrize("question, term", [
    # whose documents (哪些地方的政策), a past 说过, and a clause after the term asking where it is used
    ("我想查查哪些地方的政策说过“城市更新”，都是在什么场合提到的？", "城市更新"),
    # examples of the term after it (比如…之类的)
    ("有没有政策提到量子技术，比如量子通信、量子计算之类的？", "量子技术"),
])
def test_a_mention_question_may_say_whose_documents_and_add_a_clause_of_examples(question, term):
    assert mention_term(question, genre=packaged_genre()) == term


def test_a_clause_asking_another_fact_after_the_term_is_no_mention_question():
    assert mention_term("哪些政策提到补贴，能给多少钱？", genre=packaged_genre()) is None


def test_the_examples_a_mention_question_gives_are_searched_as_its_forms():
    from rag.mentions import mention_examples

    genre = packaged_genre()
    assert mention_examples("有没有政策提到量子技术，比如量子通信、量子计算之类的？", genre=genre) == ["量子通信", "量子计算"]
    assert mention_examples("哪些文件提到了住房公积金？", genre=genre) == []


def test_two_places_with_what_is_asked_of_both_listing_its_parts_are_the_sides():
    """阿坝州和广东省管政务数据、公共数据的…: the 顿号 lists what is asked, not a third side; the second side is
    the place its words open with."""
    assert compared_parts("阿坝州和广东省管政务数据、公共数据的总管分别是哪个部门？", packaged_genre()) == (
        ["阿坝州", "广东省"], "管政务数据、公共数据的总管分别是哪个部门？")
    assert compared_parts("合肥和成都买房补贴、落户分别怎么规定？", packaged_genre()) == (["合肥", "成都"], "买房补贴、落户分别怎么规定？")
    assert compared_parts("首套和二套房贷、公积金分别怎么规定？", packaged_genre()) is None  # no places: no sides


def test_a_quoted_term_joining_its_parts_with_a_dunhao_is_no_pair_of_sides():
    """“双随机、一公开” is one term: the sides are the documents after the topic."""
    sides, rest = compared_parts("在“双随机、一公开”监管上，国务院的分工方案和包头的考评办法分别提了什么要求？", packaged_genre())
    assert sides == ["国务院的分工方案", "包头的考评办法"]
    assert "“双随机、一公开”" in rest


def test_a_place_without_documents_of_its_own_is_a_word_of_a_general_question(monkeypatch):
    """广西十三五规划给北海定的发展方向是啥: the corpus holds 广西's plan, no document of 北海; the clause
    answering is the one naming 北海 (北海市：建设…), so 北海 is a word of the question. A place with
    documents of its own stays a filter; a support question keeps every place a filter (北海买房有补贴吗
    is not answered by any clause that happens to name 北海)."""
    from types import SimpleNamespace

    from rag.answer import Answerer
    from rag.linking import Link, Linked

    answerer = Answerer.__new__(Answerer)
    answerer.genre = packaged_genre()
    linker = SimpleNamespace(lexicon=SimpleNamespace(corpus_cities={"广西", "南宁"}))
    monkeypatch.setattr(answerer, "_get_linker", lambda: linker, raising=False)
    monkeypatch.setattr(answerer, "_indexed_word", lambda word: False, raising=False)
    question = "广西十三五规划给北海定的发展方向是啥？"
    linked = Linked(question, [Link("city", "广西", "广西", 0, 2), Link("city", "北海", "北海", 8, 10)])
    focus, nouns = answerer._read_words(linked, "general")
    assert "北海" in focus and "北海" in nouns and "广西" not in focus
    assert "北海" not in answerer._read_words(linked, "support")[0]
    own = Linked("南宁的科技规划定的发展方向是啥？", [Link("city", "南宁", "南宁", 0, 2)])
    assert "南宁" not in answerer._read_words(own, "general")[0]
