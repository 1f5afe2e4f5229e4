"""A list asked by its kind — the steps of a procedure (要走哪几步, 几道程序), the ways of doing a thing
(通过哪几种途径) — is the section whose heading names that kind (四、建设程序, 三、申报方式), in the
document where retrieval found the question's subject; a heading that joins the kind to something
else (创新监管理念和方式) lists no such thing. Synthetic documents in the genre's standard wording."""

from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from rag.compose import names_list_heading

ZONE = ("某省智慧园区建设工作指引\n\n一、总体要求\n\n建设一批智慧园区，推动园区数字化转型。\n\n"
        "二、申请条件\n\n（一）基础较好。园区已建成千兆光网。\n\n（二）措施明确。园区设立专项资金。\n\n"
        "三、建设程序\n\n（一）推荐申请。园区编制建设方案，报省工业和信息化厅。\n\n"
        "（二）专家评审。省工业和信息化厅组织专家评审建设方案。\n\n"
        "（三）批复建设。对评审通过的园区批复建设。\n\n"
        "（四）验收推广。建设期满组织验收，推广典型经验。\n")
FUND = ("某市文化产业发展专项资金管理办法\n\n一、支持范围\n\n（一）文化创意项目。\n\n（二）文化消费活动。\n\n"
        "二、支持方式\n\n（一）项目补助。对符合条件的项目给予补助。\n\n（二）贷款贴息。对项目贷款给予贴息。\n\n"
        "（三）以奖代补。对成效突出的项目给予奖励。\n")
TALENT = ("某市高层次人才购房支持细则\n\n一、支持对象\n\n（一）市级人才计划入选者。\n\n（二）重点企业高级管理人才。\n\n"
          "（三）引进的高层次人才。\n\n二、支持措施\n\n（一）购房资格支持。引进的高层次人才，购房需求由市委组织部、"
          "市住建局对接保障。\n")


@pytest.fixture(scope="module")
def list_answerer(graph_server, tmp_path_factory):
    from corpus import parse_text
    from tests.support.answers import answerer_over

    policies = [parse_text(ZONE, name="zhihui-yuanqu.txt"), parse_text(FUND, name="wenhua-zijin.txt"),
                parse_text(TALENT, name="rencai-goufang.txt")]
    with answerer_over(policies, graph_server, tmp_path_factory.mktemp("lists"), "lists") as answerer:
        yield answerer


@pytest.mark.parametrize("question, title, named", [
    ("从申请到推广要走哪几步", "四、建设程序", True),
    ("中间要过哪几道程序", "购房支持办理流程", True),
    ("通过哪几种途径报送", "四、具体申报方式", True),
    ("用哪些方式来改", "17.创新监管理念和方式", False),  # the kind joined to another thing
    ("通过哪几种途径报送", "四、建设程序", False),  # ways asked, steps headed
    ("有哪些支持", "二、支持方式", False),  # no kind of list asked
    ("哪几类人能享受购房支持", "一、支持对象", True),  # who is covered: the section headed 对象
    ("哪几类人能享受购房支持", "二、支持措施", False),
])
def test_a_heading_names_the_kind_of_list_asked(question, title, named):
    assert names_list_heading(question, title, genre=packaged_genre()) is named


def test_the_steps_asked_in_everyday_words_are_the_procedure_sections_parts(list_answerer):
    answer = list_answerer.ask("园区想申请建智慧园区，从申请到最后推广，中间要走哪几步？")
    assert not answer.abstained and "建设程序" in answer.answer, answer.answer
    for step in ("推荐申请", "专家评审", "批复建设", "验收推广"):
        assert step in answer.answer, answer.answer
    assert "申请条件" not in answer.answer.split("\n")[0]


def test_the_ways_asked_are_listed_from_the_document_the_question_is_about(list_answerer):
    answer = list_answerer.ask("文化产业专项资金通过哪几种方式给钱？")
    assert not answer.abstained and "支持方式" in answer.answer, answer.answer
    for way in ("项目补助", "贷款贴息", "以奖代补"):
        assert way in answer.answer, answer.answer
    # the procedure of the other document is no way of this one's
    assert "建设程序" not in answer.answer and "推荐申请" not in answer.answer


def test_what_a_section_named_by_its_title_lays_down_is_its_parts(list_answerer):
    """"建设程序是怎么规定的" asks for no list in words, but names the section whose parts are the answer."""
    answer = list_answerer.ask("智慧园区的建设程序是怎么规定的？")
    assert not answer.abstained and "建设程序" in answer.answer, answer.answer
    for step in ("推荐申请", "专家评审", "批复建设", "验收推广"):
        assert step in answer.answer, answer.answer


def test_who_is_covered_asked_in_everyday_words_is_the_section_headed_its_objects(list_answerer):
    """哪几类人能享受 asks whom the measures cover: the section headed 支持对象 lists them, before a
    sentence that lists two bodies in passing (由市委组织部、市住建局对接保障) answers as a list."""
    answer = list_answerer.ask("某市哪几类人能享受高层次人才购房支持？")
    assert not answer.abstained and "支持对象" in answer.answer, answer.answer
    for kind in ("市级人才计划入选者", "重点企业高级管理人才", "引进的高层次人才"):
        assert kind in answer.answer, answer.answer


def test_a_one_character_head_is_a_word_of_its_own():
    """哪几类人: 人 is the class asked; 人才 or 人员 in a sentence is another word."""
    import re

    from rag.compose import listing_sentence

    pattern = listing_sentence("某市哪几类人能享受支持？", ["人"], genre=packaged_genre())
    assert pattern is not None
    assert not re.search(pattern, "引进的博士、硕士等人才给予支持。")
    assert re.search(pattern, "引进的博士、硕士等人，给予支持。")
