"""The clause that answers is quoted, not its neighbour: the best sentence of a clause whose opening
sentences list something else, the body of a divided task whose own ；-clause names the asked thing,
and a party's duty written in a later piece of a clause indexed in pieces."""

from __future__ import annotations

import jieba

from genre import packaged as packaged_genre
from rag.compose import (
    Context,
    View,
    agent_sentences,
    analyse_focus,
    compose_action_agent,
    compose_entity_duties,
    compose_general,
)
from rag.intents import Intent
from rag.linking import Linked
from rag.model import Hit

POLICY = "某市公共租赁住房管理办法"


def _context(question: str, intent: str, views: list[View], fused: list[Hit],
             outline: list[View] | None = None) -> Context:
    linked = Linked(text=question, links=[])
    focus, nouns = analyse_focus(linked, intent, genre=packaged_genre())
    return Context(question=question, linked=linked, intent=Intent(intent), focus=focus,
                   views={v.measure_id: v for v in views}, fused=fused, graph=None, policies=[],
                   responsibility_labels=["责任单位"], nouns=nouns, genre=packaged_genre(),
                   outline=(lambda pid: outline) if outline is not None else None)


def _hit(mid: str, rank: int, **ranks: int) -> Hit:
    return Hit(chunk_id=mid, measure_id=mid, score=1.0 / rank, signal="fused", rank=rank, ranks=ranks)


CONTRACT = ("第三十一条租赁合同期限为5年。租赁合同应载明租金标准、租赁期限、合同解除情形等内容。"
            "下列合同解除情形应当在租赁合同中列明：\n（一）存放危害公共安全物品的；\n"
            "（二）入住后未在1个月内退回原租住公房的；\n（三）又再承租公房的；\n（四）依法应当解除合同的其他情形。\n"
            "承租人应自收到解除合同通知之日起1个月内结清有关费用，并退出保障。")


def test_the_best_sentence_past_a_clause_s_opening_list_is_quoted():
    """Both signals rank the clause first, so its opening sentences quote its actions; the sentence that
    answers (…1个月内结清有关费用) comes after a list of the cases of 合同解除 and must not be cut off."""
    v = View(measure_id="p.m31", policy_id="p", text=CONTRACT, start=0, title="租赁合同期限为5年", number="第三十一条",
             policy=POLICY, city="某市")
    ctx = _context("公租房合同被解除了，承租人多久之内要把费用结清？", "general", [v],
                   [_hit("p.m31", 1, bm25=1, dense=1)])
    composed = compose_general(ctx, genre=packaged_genre())
    assert not composed.abstained, composed.answer
    assert "结清有关费用" in composed.citations[0].quote, composed.answer


DIVIDED = ("第六条民政部门负责审查核实公共租赁住房保障申请家庭的经济状况；住房保障部门负责审查核实其住房困难状况；"
           "财政、公安等政府相关职能部门按照职责分工，协同做好相关工作。")


def test_a_task_divided_among_bodies_gives_each_its_own_clause():
    v = View(measure_id="p.m6", policy_id="p", text=DIVIDED, start=0, policy=POLICY, city="某市")
    found = [(agent, own) for _, agent, _, own in agent_sentences(v, genre=packaged_genre())]
    assert [a for a, _ in found][:2] == ["民政部门", "住房保障部门"]
    assert "住房困难状况" in found[1][1] and "住房困难状况" not in found[0][1]


def test_who_does_the_asked_act_is_the_body_whose_clause_names_the_asked_thing():
    """Both bodies 审查核实 in one sentence: the question about 住房困难状况 is answered by the body whose own
    ；-clause says it, and about 经济状况 by the other — not by the first body the sentence names."""
    v = View(measure_id="p.m6", policy_id="p", text=DIVIDED, start=0, policy=POLICY, city="某市")
    for question, body, other in (("申请家庭的住房困难状况由哪个部门审查核实？", "住房保障部门", "民政部门"),
                                  ("申请家庭的经济状况由哪个部门审查核实？", "民政部门", "住房保障部门")):
        ctx = _context(question, "departments", [v], [_hit("p.m6", 1, bm25=1)])
        composed = compose_action_agent(ctx, "审查核实", genre=packaged_genre())
        assert composed is not None and composed.departments == [body], (question, composed and composed.answer)
        assert other not in composed.departments


def test_a_party_s_duty_in_a_later_piece_of_a_long_clause_is_listed():
    """The outline holds the first piece of each measure; the retrieved piece that makes the party the
    subject of a duty is listed — never an answer with a heading and no duty under it."""
    jieba.add_word("街道办事处")
    first = View(measure_id="p.m6", policy_id="p", text="第六条市住房城乡建设局是全市公共租赁住房保障行政主管部门。",
                 start=0, policy=POLICY, city="某市", title="市住房城乡建设局是行政主管部门", number="第六条")
    later = View(measure_id="p.m6", policy_id="p", start=200, policy=POLICY, city="某市",
                 text="各街道办事处负责辖区内公共租赁住房保障的申请受理、资格初审等工作。",
                 title="市住房城乡建设局是行政主管部门", number="第六条")
    ctx = _context("申请公租房，街道办事处负责哪些环节？", "duties", [later], [_hit("p.m6", 1, bm25=1)],
                   outline=[first])
    composed = compose_entity_duties(ctx, genre=packaged_genre())
    assert composed is not None and composed.citations, composed and composed.answer
    assert "申请受理" in composed.citations[0].quote


def test_money_spent_is_what_a_funding_question_is_about():
    """要花的钱 / 要用的钱 is the subject of a question about who funds something: the one-character everyday
    noun stays a content word, said by its policy wordings (资金, 经费), so the funding clause answers."""
    from rag.compose import coverage

    linked = Linked(text="数据管理工作要花的钱从哪里出？", links=[])
    focus, _ = analyse_focus(linked, "general", genre=packaged_genre())
    assert "钱" in focus
    assert coverage(["钱"], "所需经费纳入同级财政预算。", genre=packaged_genre()) == 1.0
    verb, _ = analyse_focus(Linked(text="公租房能租几年？", links=[]), "general", genre=packaged_genre())
    assert "租" not in verb  # a one-character verb with policy wordings is still no subject


def test_a_verb_with_a_directional_complement_is_no_word_the_documents_lack():
    """交上去 is how people say 提交: the one-character verb with its complement is no content word, so a
    question ending "几天内得交上去" is not refused for a word no document writes."""
    focus, _ = analyse_focus(Linked(text="收到补交材料的书面通知后，几天内得交上去？", links=[]), "general",
                             genre=packaged_genre())
    assert "交上去" not in focus and {"补交", "材料"} <= set(focus)


def test_a_year_the_documents_title_writes_need_not_be_in_the_quoted_sentence():
    """科技部2018年“某专项”的咨询电话: 2018年 names the document (…2018年度项目申报指南), so the phone list,
    which writes no year, answers; a document whose title writes no year keeps the year a time its
    sentence must state."""
    from rag.linking import Link

    text = ("3.材料报送和业务咨询。请各申报单位于2018年9月28日前，将预申报书寄送至专业机构。"
            "各重点专项的咨询电话如下：（1）“智能机器人”重点专项咨询电话：010-68104402；"
            "（2）“网络协同制造”重点专项咨询电话：010-68104472。")
    question = "我想报科技部2018年“网络协同制造”那个重点专项，有问题想打电话咨询，号码是多少？"
    at = question.index("2018")

    def ask(policy: str) -> str:
        v = View(measure_id="m3", policy_id="p1", text=text, start=0, number="3.", title="材料报送和业务咨询",
                 policy=policy)
        ctx = _context(question, "general", [v], [_hit("m3", 1, bm25=1)])
        ctx.linked = Linked(question, links=[Link("year", "2018", "2018年", at, at + 5)])
        return compose_general(ctx, genre=packaged_genre()).answer

    assert "010-68104472" in ask("科技部关于发布国家重点研发计划“智能机器人”等重点专项2018年度项目申报指南的通知")
    assert "010-68104472" not in ask("科技部关于发布国家重点研发计划重点专项项目申报指南的通知")

    # and so for the clause two signals both rank first, quoted by its sentences in text order
    text = ("1.网上填报。请各申报单位按要求通过国家科技管理信息系统进行网上填报。"
            "项目申报单位网上填报预申报书的受理时间为：2018年8月20日8：00至9月25日17：00。"
            + "申报材料须经单位审核盖章后提交，形式审查不合格的不予受理，逾期提交的材料一律不再接收和补正。" * 8
            + "国家科技管理信息系统公共服务平台：http://service.example.cn；"
            "技术咨询电话：010-51666288（中继线）；技术咨询邮箱：program@example.cn。")  # too long to quote whole
    question = "报2018年“智能机器人”重点专项，网上填报遇到技术问题打哪个电话？"
    at = question.index("2018")
    v = View(measure_id="m1", policy_id="p1", text=text, start=0, number="1.", title="网上填报",
             policy="科技部关于发布国家重点研发计划“智能机器人”等重点专项2018年度项目申报指南的通知")
    phones = View(measure_id="m3", policy_id="p1", text="3.材料报送和业务咨询。各重点专项的咨询电话如下：（1）“智能机器人”"
                  "重点专项咨询电话：010-68104402；（2）“网络协同制造”重点专项咨询电话：010-68104472。", start=400,
                  number="3.", title="材料报送和业务咨询", policy=v.policy)
    ctx = _context(question, "general", [v, phones], [_hit("m1", 1, bm25=1, dense=1), _hit("m3", 2, bm25=2, dense=2)])
    ctx.linked = Linked(question, links=[Link("year", "2018", "2018年", at, at + 5)])
    assert "010-51666288" in compose_general(ctx, genre=packaged_genre()).answer

    # a year written as a point in time (到2018年底) asks that time, whatever the 文号 says
    text = ("27.推进线上线下融合，优化整合提升各级政务服务大厅“一站式”功能，实现“一个窗口”、“一次办成”。"
            "2018年底前实现市县级政务服务事项进驻综合性实体政务大厅比例不低于70%。")
    question = "按分工方案，政务服务大厅“一站式”改革到2018年底对市县一级有什么量化要求？"
    at = question.index("2018")
    v = View(measure_id="m27", policy_id="p2", text=text, start=0, number="27.", title="推进线上线下融合",
             policy="全国深化“放管服”改革转变政府职能电视电话会议重点任务分工方案", doc_no="国办发〔2018〕79号")
    ctx = _context(question, "general", [v], [_hit("m27", 1, bm25=1)])
    ctx.linked = Linked(question, links=[Link("year", "2018", "2018年", at, at + 5)])
    assert "不低于70%" in compose_general(ctx, genre=packaged_genre()).answer
