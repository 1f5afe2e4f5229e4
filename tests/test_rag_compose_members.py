"""A question asking for the members of a class in its own noun (什么样的单位, 哪几方面的条件) is answered
first by the sentence listing them around that noun, though the list shares few of the question's words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from genre import packaged as packaged_genre
from rag.compose import (
    Citer,
    Composed,
    Context,
    View,
    asks_means_or_sectors,
    compose_member_list,
    lists_members_of,
    member_head,
    member_kin,
    member_list,
    whole_listed,
    with_member_list,
)
from tests.support.compose import compose_context


def _view(mid: str, text: str, start: int = 0, *, policy: str = "某市人才引进落户实施细则",
          section: str = "第二章 应届毕业生落户") -> View:
    return View(measure_id=mid, policy_id=mid.split(".")[0], text=text, start=start, title="", number="",
                policy=policy, city="某市", section=section, kind="measure")


@pytest.mark.parametrize(("question", "head"), [
    ("什么样的单位能牵头申报项目？", "单位"),
    ("应届毕业生想落户，要看哪几方面的条件？", "条件"),
    ("老百姓给窗口服务打分，都有啥途径？", "途径"),
    ("治内涝要上马的重点工程分哪几类？", "工程"),
    ("想给窗口服务打个分，现在都有啥途径？", "途径"),  # the noun after the asking word, not 现在 before 都有
    ("小公司贷不到款，规划里有哪些融资路子？", "路子"),  # the class noun closing the asked phrase
    ("现在还能申请吗？", None),
    ("这项补贴什么时候到期？", None),
])
def test_the_class_a_question_asks_the_members_of(question, head):
    assert member_head(question, genre=packaged_genre()) == head


@pytest.mark.parametrize(("sentence", "head", "sure"), [
    ("申报入户须符合所要求的学历、学位、年龄等条件。", "条件", 1),  # the list closes on the noun
    ("牵头申报单位应为境内注册的科研院所、高等学校和企业等。", "单位", 1),  # ... or opens after it
    ("加快实施“易涝整治工程、河道治理工程、泵站提升工程”等三方面重点工程。", "工程", 2),  # its items are named by it
    ("按规定条件取得学历、学位证书、就业协议书后申报。", "条件", 0),  # a list elsewhere in the sentence
    ("申报单位应当提交申请表。", "单位", 0),  # no list at all
])
def test_how_surely_a_sentence_lists_the_members(sentence, head, sure):
    assert lists_members_of(sentence, head) == sure


@pytest.mark.parametrize(("sentence", "head", "sure"), [
    ("在电信、保险、证券、教育等重点领域加大对外开放力度。", "行业", 1),  # the user's 行业, the document's 领域
    ("通过新建、改建、购买、接受捐赠等方式筹集。", "路子", 1),  # the user's 路子, the document's 方式
    ("在窗口评价器、手机APP、网站、短信等评价渠道的基础上拓展。", "途径", 1),
    ("在电信、保险、证券、教育等重点领域加大对外开放力度。", "条件", 0),  # a class of another kind
])
def test_a_list_closing_on_a_noun_of_the_asked_kind_lists_its_members(sentence, head, sure):
    genre = packaged_genre()
    assert lists_members_of(sentence, head, member_kin(head, genre=genre)) == sure
    assert lists_members_of(sentence, head) == 0  # the user's own noun alone is not written


def test_a_list_of_the_asked_kind_in_the_clause_nearest_in_meaning_is_quoted_first():
    """The user's words (外资, 放开) are not the clause's (对外开放): the clause the dense signal finds
    nearest in meaning lists the members of the asked kind, and its listing sentence answers; without
    that signal the words alone do not carry it."""
    near = _view("z.m11", "第十一条 新片区在电信、保险、证券、教育、卫生等重点领域加大对外开放力度。",
                 policy="某新片区管理办法", section="第三章 投资经营便利")
    other = _view("z.m18", "第十八条 落实放宽金融机构外资持股比例等措施。", 100,
                  policy="某新片区管理办法", section="第五章 金融开放")
    ctx = compose_context("新片区对外资放开得比较多的是哪些行业？", "general", [other, near])
    assert member_list(ctx, genre=packaged_genre()) is None
    ctx = replace(ctx, dense_score=lambda m: {"z.m11": 0.95, "z.m18": 0.90}.get(m, 0.0))
    found = member_list(ctx, genre=packaged_genre())
    assert found is not None and found[0].measure_id == "z.m11" and "电信、保险" in found[1][2]


@pytest.mark.parametrize(("question", "asks"), [
    ("小公司贷不到款，科技规划里给了些什么融资路子？", True),  # the ways of financing
    ("新片区对外资放开的是哪些行业？", True),
    ("小公司贷款有哪些补贴？", False),  # the offers themselves: the support answer as it is
    ("什么样的单位能申报？", False),
])
def test_a_support_question_asking_the_ways_or_sectors_wants_the_listing_sentence(question, asks):
    ctx = compose_context(question, "support", [])
    assert asks_means_or_sectors(ctx, genre=packaged_genre()) is asks


def _general_answer(ctx: Context, v: View, quote: str) -> Composed:
    citer = Citer()
    at = v.text.index(quote)
    n = citer.cite(v, v.start + at, v.start + at + len(quote), quote)
    return Composed(answer=f"文件中的相关规定：\n\n- 某条：{quote} [{n}]", citations=citer.citations,
                    evidence=[v.measure_id])


def test_the_listing_sentence_is_quoted_first():
    other = _view("p.m18", "第十八条 应届毕业生取得学历、学位证书后，可向公安机关申报办理落户手续。")
    listing = _view("p.m17", "第十七条 应届毕业生申报落户须符合所要求的学历、学位、年龄等条件。", 200)
    ctx = compose_context("应届毕业生想落户，要看哪几方面的条件？", "general", [other, listing])
    found = member_list(ctx, genre=packaged_genre())
    assert found is not None and found[0].measure_id == "p.m17"
    general = _general_answer(ctx, other, other.text)
    answered = with_member_list(ctx, general, genre=packaged_genre())
    lines = answered.answer.split("\n")
    assert "学历、学位、年龄等条件" in lines[2] and lines[2].endswith("[2]")  # first, cited after the others
    assert "第十八条" in lines[3]  # the general answer's quotes stay
    assert [c.measure_id for c in answered.citations] == ["p.m18", "p.m17"]


def test_no_listing_sentence_for_another_subject_or_a_refusal():
    listing = _view("q.m17", "第十七条 申报职称须符合所要求的学历、资历、业绩等条件。", 200,
                    policy="某市职称评审管理办法", section="第三章 申报")  # conditions of something else
    other = _view("p.m18", "第十八条 应届毕业生可向公安机关申报办理落户手续。")
    ctx = compose_context("应届毕业生想落户，要看哪几方面的条件？", "general", [other, listing])
    assert member_list(ctx, genre=packaged_genre()) is None
    general = _general_answer(ctx, other, other.text)
    assert with_member_list(ctx, general, genre=packaged_genre()).answer == general.answer
    refused = Composed(answer="未能在语料中找到依据。", abstained=True)
    assert with_member_list(ctx, refused, genre=packaged_genre()) is refused


def test_a_listing_sentence_already_quoted_is_not_quoted_twice():
    listing = _view("p.m17", "第十七条 应届毕业生申报落户须符合所要求的学历、学位、年龄等条件。")
    ctx = compose_context("应届毕业生想落户，要看哪几方面的条件？", "general", [listing])
    general = _general_answer(ctx, listing, listing.text)
    assert with_member_list(ctx, general, genre=packaged_genre()).answer == general.answer


@pytest.mark.parametrize(("sentence", "whole"), [
    ("建设方案应包括基础条件、建设思路、建设目标以及保障措施等。", "建设方案"),
    ("符合条件的地方撰写建设方案，建设方案应包括基础条件、建设思路、建设目标等。", "建设方案"),
    ("建设方案应当报送科技部。", None),  # says no parts
    ("数据目录应包括数据形式、共享类型、更新频率等内容。", None),  # a whole the question does not write
])
def test_the_whole_whose_parts_a_sentence_lists(sentence, whole):
    assert whole_listed(sentence, "要交的建设方案，里面得写哪几块？") == whole


def test_the_parts_of_the_whole_the_question_names_answer_it():
    announcing = _view("s.m1", "拟申请建设试验区的城市应具备以下条件。", policy="某市人工智能试验区建设工作指引",
                       section="二、申请条件")
    parts = _view("s.m2", "（一）推荐申请。地方撰写试验区建设方案。建设方案应包括基础条件、建设思路、建设目标、保障措施等。",
                  100, policy="某市人工智能试验区建设工作指引", section="三、建设程序")
    ctx = compose_context("申请人工智能试验区要交的建设方案，里面得写哪几块？", "general", [announcing, parts])
    answered = compose_member_list(ctx, whole_only=True, genre=packaged_genre())
    assert answered is not None and "基础条件、建设思路" in answered.answer
    assert [c.measure_id for c in answered.citations] == ["s.m2"]
    ctx = compose_context("申请人工智能试验区的城市要具备哪几个条件？", "general", [announcing, parts])
    assert compose_member_list(ctx, whole_only=True, genre=packaged_genre()) is None  # no whole of the question is listed
