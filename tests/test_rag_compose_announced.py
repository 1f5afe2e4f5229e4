"""Lists a clause announces (以下四方面：, 程序如下：, 有下列情形之一的) answer enumeration questions with their
items, whatever the question calls them."""

from __future__ import annotations

import re

import pytest

from genre import packaged as packaged_genre
from rag.compose import (
    Context,
    View,
    analyse_focus,
    announced_items,
    compose_announced,
    counted_items,
    following_clauses,
)
from rag.intents import Intent
from rag.linking import Linked
from rag.model import Hit


def _view(mid: str, text: str, start: int = 0, *, title: str = "", number: str = "", section: str = "一、总则",
          kind: str = "measure") -> View:
    return View(measure_id=mid, policy_id="p", text=text, start=start, title=title, number=number,
                policy="某市住房保障办法", city="某市", section=section, kind=kind)


def _context(question: str, views: list[View], outline: list[View] | None = None) -> Context:
    linked = Linked(text=question, links=[])
    focus, nouns = analyse_focus(linked, "general", genre=packaged_genre())
    fused = [Hit(chunk_id=v.measure_id, measure_id=v.measure_id, score=1.0 / i, signal="fused", rank=i)
             for i, v in enumerate(views, 1)]
    return Context(question=question, linked=linked, intent=Intent("general"), focus=focus,
                   views={v.measure_id: v for v in views}, fused=fused, graph=None, policies=[],
                   responsibility_labels=["责任单位"], nouns=nouns, genre=packaged_genre(),
                   outline=(lambda pid: outline or views))


def _sentence(view: View, text: str) -> tuple[int, int, str]:
    at = view.text.index(text)
    return view.start + at, view.start + at + len(text), text


@pytest.mark.parametrize("sentence", [
    "经调研分析，城市内涝短板主要表现在以下四方面：",
    "第二十五条公共租赁住房保障的申请、审核程序如下：",
    "有下列情形之一的申请人，还应进行现场审查。",
    "1.优先发展以下旅游项目。",
    "下列停止发放住房租赁补贴情形应当在通知书中列明：",
])
def test_sentences_announcing_a_list_whatever_they_call_it(sentence):
    assert re.search(packaged_genre().data("answer")["announcement"], sentence)


@pytest.mark.parametrize("sentence", [
    "以下简称新片区。",
    "对符合条件的企业给予奖励，具体办法如下文所述的标准执行，不另行规定。",
    "按照下列标准给予补贴，最高不超过10万元，并按年度拨付到位。",
])
def test_sentences_that_announce_no_list(sentence):
    assert not re.search(packaged_genre().data("answer")["announcement"], sentence)


def test_items_after_a_condition_skip_the_rest_of_its_paragraph():
    text = ("第五条 有下列情形之一的申请人，还应进行现场审查。未按规定进行现场审查的，不予受理。\n"
            "（一）无法通过电子证照等方式审查的人员；\n（二）依法依规需要现场审查的其他人员。")
    v = _view("p.a5", text, 100)
    items = announced_items(v, _sentence(v, "有下列情形之一的申请人，还应进行现场审查。"), [])
    assert [t for _, (_, _, t) in items] == ["（一）无法通过电子证照等方式审查的人员；", "（二）依法依规需要现场审查的其他人员。"]
    assert all(v.text[a - v.start:b - v.start] == t for _, (a, b, t) in items)  # cut from the text by offsets


def test_dashed_items_and_a_paragraph_of_items_after_a_run_in_title():
    dashed = _view("p.m3", "评审具体工作流程如下：\n——申报单位提交预申报书。\n——专业机构组织首轮评审。\n另行通知。")
    items = announced_items(dashed, _sentence(dashed, "评审具体工作流程如下："), [])
    assert [t for _, (_, _, t) in items] == ["——申报单位提交预申报书。", "——专业机构组织首轮评审。"]
    titled = _view("p.n1", "1.优先发展以下旅游项目。\n文化旅游、乡村旅游、红色旅游等旅游项目。项目投入500万元以上的给予奖励。",
                   title="优先发展以下旅游项目", number="1.")
    items = announced_items(titled, _sentence(titled, "1.优先发展以下旅游项目。"), [])
    assert [t for _, (_, _, t) in items] == ["文化旅游、乡村旅游、红色旅游等旅游项目。"]
    plain = _view("p.n2", "按照下列标准给予补贴：\n对购买新房的给予补贴。")
    assert announced_items(plain, _sentence(plain, "按照下列标准给予补贴："), []) == []  # one line is no list


def test_items_in_the_clauses_under_the_same_heading():
    section = "一、现状 / （二）存在问题"
    intro = _view("p.i1", "城市内涝短板主要表现在以下四方面：", 10, section=section, kind="intro")
    kids = [_view(f"p.n{i}", f"{i}.{t}。具体情况是…", 40 + 20 * i, title=t, number=f"{i}.", section=section)
            for i, t in enumerate(["设施标准偏低", "规划建设不够协调", "应急联动不够紧密"], 1)]
    other = _view("p.x", "二、目标。到2025年…", 200, section="二、目标")
    ctx = _context("内涝短板主要在哪几处？", [intro], [intro, *kids, other])
    assert [w.measure_id for w in following_clauses(ctx, intro)] == ["p.n1", "p.n2", "p.n3"]
    items = announced_items(intro, _sentence(intro, intro.text), following_clauses(ctx, intro))
    assert [t for _, (_, _, t) in items] == ["1.设施标准偏低。", "2.规划建设不够协调。", "3.应急联动不够紧密。"]


def test_an_enumeration_is_answered_by_the_announced_list_whatever_the_question_calls_it():
    text = ("第二十五条公共租赁住房保障的申请、审核程序如下：\n（一）申请。申请人提出申请。\n（二）初审。街道办事处初审。\n"
            "（三）复审。区住房保障部门复审。\n（四）公告。审核通过的予以公告。")
    procedure = _view("p.a25", text, title="公共租赁住房保障的申请、审核程序如下", number="第二十五条")
    unrelated = _view("p.a30", "第三十条公共租赁住房的租金以单套建筑面积计算。")
    answer = compose_announced(_context("公共租赁住房从申请到公告要经过几个环节？", [procedure, unrelated]),
                               genre=packaged_genre())
    assert answer is not None
    for step in ("初审", "复审", "公告"):
        assert step in answer.answer
    assert len(answer.citations) == 5  # the announcement and each item, cited where written
    assert compose_announced(_context("公共租赁住房的租金怎么算？", [unrelated]), genre=packaged_genre()) is None


def test_a_table_row_takes_the_fact_of_the_asked_kind_that_states_its_figure():
    from rag.compose import row_order
    from rag.linking import Link

    linked = Linked(text="哪个对买房的人补贴力度大？", links=[Link("support_kind", "补贴", "补贴", 7, 9)])
    ctx = _context("哪个对买房的人补贴力度大？", [])
    ctx.linked = linked
    discount = {"kind": "优惠"}
    subsidy = {"kind": "补贴", "amount": "1%"}
    order = sorted([(discount, "鼓励房企加大优惠力度让利购房群众。"), (subsidy, "给予总房价1%的购房补贴。")],
                   key=lambda t: row_order(ctx, *t))
    assert order[0][0] is subsidy
    said = {"kind": "补贴"}  # of the asked kind, but its sentence states no figure
    order = sorted([(said, "鼓励加大购房补贴力度。"), (subsidy, "给予总房价1%的购房补贴。")], key=lambda t: row_order(ctx, *t))
    assert order[0][0] is subsidy


def test_an_item_picked_alone_is_quoted_with_its_list():
    from rag.compose import with_siblings

    pattern = packaged_genre().data("answer")["announcement"]
    text = ("第五条 有下列情形之一的申请人，还应进行现场审查。未按规定进行现场审查的，不予受理。\n"
            "（一）无法通过电子证照等方式审查的人员；\n（二）依法依规需要现场审查的其他人员。")
    v = _view("p.a5", text, 50)
    second = _sentence(v, "（二）依法依规需要现场审查的其他人员。")
    a, b, quote = with_siblings(v, second, pattern)
    assert "有下列情形之一的申请人" in quote and "（一）无法通过电子证照" in quote and quote.endswith("其他人员。")
    assert v.text[a - v.start:b - v.start] == quote
    plain = _sentence(v, "未按规定进行现场审查的，不予受理。")
    assert with_siblings(v, plain, pattern) == plain  # no item: as it is


@pytest.mark.parametrize("question, asks", [
    ("广州公租房从申请到公告，中间要经过几个环节？", True),
    ("城市内涝的短板主要出在哪几处？", True),
    ("碰到哪些情况会被停发？", True),
    ("网店长期雇几个人以上，可以参加职工社保？", False),  # a threshold asked: a number
    ("面积在多少平方米以下才能申请？", False),
])
def test_an_enumeration_is_asked_by_its_members_not_by_a_threshold(question, asks):
    from rag.compose import asks_enumeration

    assert asks_enumeration(question, genre=packaged_genre()) is asks


def test_a_sentence_listing_the_items_itself_and_saying_more_of_the_question_answers_instead():
    conditions = _view("p.c", "第二条 科研项目的申报单位应具备以下条件：\n（一）科研能力较强；\n（二）管理规范。",
                       section="二、申报条件")
    papers = _view("p.d", "第三条 科研项目申报提交的材料包括申请书、可行性报告、证明文件等。", section="三、申报程序")
    question = "科研项目申报要提交哪些材料？"
    assert compose_announced(_context(question, [conditions]), genre=packaged_genre()) is not None
    assert compose_announced(_context(question, [conditions, papers]), genre=packaged_genre()) is None


def test_a_list_closed_by_a_count_of_many_answers_a_question_of_its_class():
    """"通过购买、改建、租赁、新建等多种方式筹集" lists the ways as "等方式" does: 等多种 (多项, 多类, 多个) between
    the list and its head noun is how the genre closes a list (four development documents write it), and
    a neighbour listing other things "等方式" is no answer to "用哪些方式筹集"."""
    from rag.compose import compose_kinds

    ways = _view("p.n12", "缓解住房租赁市场结构性供给不足，支持各地通过购买、改建、改造、租赁、新建等多种方式筹集保障性租赁住房，"
                          "力争2025年以前全省每年新增5万套以上。", title="加强中低收入群体住房保障")
    other = _view("p.n13", "支持县城利用企事业单位自有闲置土地、存量工业用房、商业办公用房等方式建设保障性租赁住房。",
                  title="推动进城和返乡人员更好融入城市")
    answer = compose_kinds(_context("民生措施里，各地可以用哪些方式筹集保障性租赁住房？", [other, ways]), genre=packaged_genre())
    assert answer is not None and [c.measure_id for c in answer.citations] == ["p.n12"], answer and answer.answer


def test_items_a_paragraph_numbers_in_words_are_the_items_of_the_sentence_before_them():
    """一是…二是… right after a sentence are what it announces, whatever it says (…仍存在诸多的困难与不足。
    一是…。…二是…。): the standard way an administrative text counts its points; each item is shown by its
    opening sentence, not by the explanation after it."""
    text = ("某市科技工作基础进一步夯实，但仍存在诸多的困难与不足。一是创新体系还不健全。目前科研成果转化率低。"
            "二是科技投入仍不足。研发投入强度低于全国平均水平。三是创新人才短缺。\n面对新形势，某市补齐短板。")
    view = _view("p.s2", text, title="新形势与新挑战", number="（二）")
    answer = compose_announced(_context("某市科技工作有哪些短板和不足？", [view]), genre=packaged_genre())
    assert answer is not None
    assert [c.quote for c in answer.citations][:3] == ["一是创新体系还不健全。", "二是科技投入仍不足。", "三是创新人才短缺。"]
    assert "目前科研成果转化率低" not in answer.answer
    # a sentence that no numbered point follows announces nothing
    assert counted_items(view, view.text.index("面对") - 1) == []


def test_the_item_that_says_the_rest_of_the_question_is_quoted_under_its_title():
    """A list answers "对产业规模有什么门槛" by its items' titles only when they say it: the item whose
    sentence writes 产业规模 is quoted with the figure, the other items keep their titles alone."""
    text = ("申请条件：拟申请建设试验区的城市应具备以下条件。\n（一）科教资源丰富。应拥有高水平的研发机构。\n"
            "（二）产业基础较好。人工智能核心产业规模超过50亿元。\n（三）基础设施健全。具备较好的网络基础设施。")
    v = _view("p.c", text, title="申请条件", section="二、申请条件")
    answer = compose_announced(_context("申请建设试验区的城市，对人工智能产业规模有什么门槛？", [v]), genre=packaged_genre())
    assert answer is not None
    assert "人工智能核心产业规模超过50亿元" in answer.answer, answer.answer
    assert "高水平的研发机构" not in answer.answer and "网络基础设施" not in answer.answer
    quoted = next(c for c in answer.citations if "50亿元" in c.quote)
    assert v.text[quoted.start - v.start:quoted.end - v.start] == quoted.quote  # cited where written
    plain = compose_announced(_context("申请建设试验区的城市应具备哪些条件？", [v]), genre=packaged_genre())
    assert plain is not None and "50亿元" not in plain.answer  # the titles say the whole question


def test_a_listed_section_quotes_the_part_whose_sentence_says_what_is_asked():
    """The parts of a section listed by their headings (考评方式: （一）…（四）), with the sentence of the
    part that says what the question asks beyond them (满意度…了解) quoted under its heading."""
    from rag.compose import Part, structure_answer

    section = "三、考评方式"
    parts = [
        _view("p.k1", "（一）考评以日常监测、民意调查等方式进行。每半年考评一次。民意调查：根据政府网站、各类媒体等公布的信息，"
                      "了解社会和服务对象对数字政府建设的满意度。", 0, title="考评以日常监测、民意调查等方式进行", number="（一）",
              section=section),
        _view("p.k2", "（二）实行百分制。按得分排名。", 200, title="实行百分制", number="（二）", section=section),
        _view("p.k3", "（三）以各牵头单位报送分值为基础。统一汇总。", 300, title="以各牵头单位报送分值为基础", number="（三）",
              section=section),
    ]
    question = "数字政府考评方式里，满意度是从哪些渠道了解的？"
    part = Part("p", (section,), children=[(f"{v.number}{v.title}", v) for v in parts])
    answer = structure_answer(_context(question, parts, parts), part)
    assert "了解社会和服务对象对数字政府建设的满意度" in answer.answer, answer.answer
    assert "按得分排名" not in answer.answer
