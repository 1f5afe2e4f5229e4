"""Who-is-responsible questions in the forms users write them route to departments, and the nearby
questions that are not about responsibility keep their own intent (genre/data/intents.yaml)."""
from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from rag.intents import route
from rag.linking import Link, Linked


@pytest.mark.parametrize("question, intent", [
    ("建设工业互联网平台的牵头考核单位是哪个？", "departments"),   # X单位是哪个
    ("这项补贴的主管单位是哪个？", "departments"),
    ("购房补贴由谁来具体落实？", "departments"),                  # 谁来 + a qualifier before the verb
    ("研究制定实施细则由哪个部门负责？", "departments"),          # 制定 is the measure's verb, 负责 asks who
    ("这个文件是哪个部门制定的？", "metadata"),                   # who issued the document
    ("上海开源政策是哪个部门印发的？", "metadata"),
    ("购房补贴的申请单位是哪些？", "support"),                    # the applicant, not a body in charge
    ("哪些单位可以申请购房补贴？", "support"),
])
def test_responsibility_phrasings_route_to_departments_and_neighbours_do_not(question, intent):
    assert route(Linked(text=question), genre=packaged_genre()).name == intent


@pytest.mark.parametrize("question, intent", [
    ("打击虚开增值税发票这项任务是哪几家负责？", "departments"),      # bodies counted by 家
    ("两个部门的数据对不上，最后谁出面协调？", "departments"),        # 出面 is no 出 of issuing
    ("年度工作总结报告先给谁审？", "departments"),                    # an act done for another body
    ("成都各区给人才的购房补贴，钱由谁出？", "departments"),          # who pays
    ("这个文件是谁出的？", "metadata"),                               # who issued it
    ("申请试验区中间要走哪几步？", "general"),                        # 哪几 asks which, not how many
    ("新片区对外资放开得比较多的是哪些行业？", "general"),            # 比较 + adjective is "rather"
    ("深圳打算引进几家企业？", "targets"),                            # a count still asks a goal
    ("这个计划由市里哪个局来统筹推进？", "departments"),              # a body named by its kind of office
    ("我们新建项目找哪个厅？", "departments"),
    ("这事该由哪个委员会审议？", "departments"),
    ("这是哪个局印发的？", "metadata"),                               # who issued it
    ("省里推动哪些单位和园区给职工提供托育服务？", "general"),        # the bodies a measure urges to act
    ("市里鼓励哪些机构参与社区养老？", "general"),
    ("托育服务由哪些单位负责？", "departments"),                      # still who is responsible
])
def test_more_who_phrasings_and_lists_route_by_what_they_ask(question, intent):
    assert route(Linked(text=question), genre=packaged_genre()).name == intent


@pytest.mark.parametrize("question", [
    "支持工业互联网发展若干政策里人才培养这事是哪些部门在管",
    "支持工业互联网发展若干政策里人才培训这摊事，除了经信厅以外还有哪些部门一起管？",  # 一起管: who takes part
])
def test_a_body_asked_at_work_on_a_named_document_is_not_its_issuer(question):
    """A question naming a document and asking which bodies are at work on it (哪些部门在管, 一起管) asks
    responsibility, not who issued the document."""
    linked = Linked(question, links=[Link("policy", "p1", "支持工业互联网发展若干政策", 0, 12)])
    assert route(linked, genre=packaged_genre()).name == "departments"


@pytest.mark.parametrize("question", [
    "生育补助这块是哪些省直部门负责落实的？",  # a level of body between the asking word and its noun
    "这项工作归哪个市级部门？",
    "人才培训由哪些职能部门承担？",
])
def test_a_level_of_body_between_asking_word_and_noun_still_asks_who(question):
    assert route(Linked(text=question), genre=packaged_genre()).name == "departments"



@pytest.mark.parametrize("question, department", [
    ("北京市科技企业孵化器认定的事，具体找市科委哪个处？", "市科委"),
    ("跨国公司在北京认定地区总部，具体找商务局哪个处？", "商务局"),
    ("北京农产品批发市场建设的资金支持，归商务局哪个处室管？", "商务局"),
])
def test_which_office_of_a_department_is_asked_of_the_clauses(question, department):
    """The office within a department (哪个处, 哪个处室) is written in the matter's contact line, not in
    the bodies a measure names responsible: the question is answered from the clauses (general),
    whatever department it names and whatever its other words ask; 负责处理 asks no office."""
    at = question.index(department)
    body = Link(kind="department", value=department, mention=department, start=at, end=at + len(department))
    assert route(Linked(text=question, links=[body]), prior={"duties": 1.0, "departments": 1.0},
                 genre=packaged_genre()).name == "general"
    assert route(Linked(text="这个市场的纠纷由哪个部门负责处理？"), genre=packaged_genre()).name == "departments"
    # the kinds answer.yaml marks from_clauses (the office and its contact person) route so whatever else fires
    contact = "孵化器认定找市科委，联系人是谁？"
    at = contact.index("市科委")
    body = Link(kind="department", value="市科委", mention="市科委", start=at, end=at + 3)
    assert route(Linked(text=contact, links=[body]), prior={"duties": 1.0}, genre=packaged_genre()).name == "general"
    assert route(Linked(text="这个市场由哪个部门负责处理？"), genre=packaged_genre()).name == "departments"
