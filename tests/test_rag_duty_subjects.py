"""The places where a regulation makes a body the subject of its duties, as the genre writes them: the
body under its level (市住房保障办公室, 各区住房保障部门) when the question names it without one or with its
own words for it, a definitional sentence putting its short name and what it is between the body and
its duty (X（以下称Y）是…的具体实施机构，负责…; X作为…的责任主体，负责下列工作：), the party of a question
that also says what the duty is about (X对Y要负责哪些事), and a clause dividing work among bodies item by
item, of which the graph knows only some."""

from __future__ import annotations

import pytest

from genre import packaged
from rag.compose import View, agent_sentences, asked_action, duty_ask, entity_duty_sentences, written_agents

HOUSING = ("第六条　市住房城乡建设局是全市住房保障行政主管部门，负责指导、监督全市住房保障工作。\n"
           "　　市住房保障办公室（以下称市住房保障部门）是全市住房保障工作的具体实施机构，负责住房筹集建设、"
           "资格审核、租赁补贴计发等工作。\n"
           "　　各区住房保障部门负责辖区内住房筹集、房源配租以及违规行为查处等工作。\n")
DATA = ("第七条　公共管理和服务机构作为本机构公共数据管理的责任主体，负责下列工作：\n"
        "（一）编制本机构公共数据资源目录；\n（二）本机构公共数据的共享和开放；\n（三）本机构公共数据的安全管理。\n")


def view(text: str) -> View:
    return View(measure_id="p.m6", policy_id="p", text=text, start=0, policy="某市住房保障管理办法")


@pytest.mark.parametrize("entity, said", [
    # the document writes the level before the name the question uses
    ("住房保障办公室", "负责住房筹集建设、资格审核、租赁补贴计发等工作"),
    ("住房保障部门", "各区住房保障部门负责辖区内住房筹集、房源配租以及违规行为查处等工作"),
])
def test_a_body_under_its_level_and_after_its_definition_is_the_subject_of_its_duty(entity, said):
    quotes = [s[2] for s in entity_duty_sentences(view(HOUSING), entity, genre=packaged())]
    assert any(said in q for q in quotes), quotes


def test_a_body_defined_as_the_responsible_subject_is_quoted_with_the_items_it_announces():
    quotes = [s[2] for s in entity_duty_sentences(view(DATA), "公共管理和服务机构", genre=packaged())]
    assert quotes and "（三）本机构公共数据的安全管理" in quotes[0], quotes


def test_the_body_a_regulation_designates_as_the_asked_one_does_its_duties():
    """X作为公共数据主管部门，负责下列工作: the duties of 公共数据主管部门, asked with or without the level the
    designated body carries (县级以上); a body that merely works with it (会同公共数据主管部门) has none of them."""
    text = ("第六条　县级以上人民政府政务服务数据管理机构作为公共数据主管部门，负责下列工作：\n"
            "（一）统筹本行政区域内公共数据资源管理工作；\n（二）编制、维护本级公共数据资源目录。\n"
            "第八条　标准化行政主管部门会同公共数据主管部门，负责制定公共数据标准。\n")
    for entity in ("公共数据主管部门", "县级以上公共数据主管部门"):
        quotes = [s[2] for s in entity_duty_sentences(view(text), entity, genre=packaged())]
        assert quotes and "（二）编制、维护本级公共数据资源目录" in quotes[0], (entity, quotes)
        assert not any("标准化" in q for q in quotes), quotes


def test_a_body_named_inside_another_word_is_no_subject():
    """住房保障部门 written inside 市住房保障办公室's bracket (以下称市住房保障部门) does not make the bracket's
    sentence a duty of every 住房保障部门 twice: the sentence is found once, by the office's own name."""
    quotes = [s[2] for s in entity_duty_sentences(view(HOUSING), "住房保障部门", genre=packaged())]
    assert not any("具体实施机构" in q for q in quotes), quotes


def test_a_body_setting_a_standard_on_grounds_it_names_does_the_act():
    """由市住房城乡建设局根据…等因素适时调整: the grounds stand between the body and its act, as the standard
    wording of who owns a standard writes them; the body is the agent of 调整 (标准是哪个部门来调整的)."""
    text = ("第二十六条住房租赁补贴标准按照人均保障建筑面积、家庭人口等因素确定，由市住房城乡建设局根据本市经济社会"
            "发展水平、保障对象收入层次等因素适时调整，报市政府批准后向社会公布。")
    found = [(agent, verb) for _, agent, verb, _ in agent_sentences(view(text), genre=packaged())]
    assert ("市住房城乡建设局", "调整") in found, found


def test_the_party_of_a_duty_question_is_the_body_before_what_the_duty_is_about():
    asked = duty_ask("在广东，一个公共管理和服务机构对自己手里的公共数据要负责哪些事", genre=packaged())
    assert asked is not None and asked.entity.endswith("公共管理和服务机构"), asked
    assert duty_ask("孵化服务机构要负责哪些事？", genre=packaged()).entity == "孵化服务机构"


def test_an_agent_qualified_in_brackets_is_one_agent():
    text = "每年12月底前，试验区形成年度工作总结报告，经所属省（自治区、直辖市）科技主管部门审核后报送科技部。"
    agents = [agent for _, agent, _, _ in agent_sentences(view(text), genre=packaged())]
    assert "所属省（自治区、直辖市）科技主管部门" in agents, agents
    assert asked_action("年度工作总结报告先给谁审", genre=packaged()) == "审"
    assert asked_action("这个报告由谁审计", genre=packaged()) is None


ITEMS = ("某省公共数据管理办法\n\n第一章　总则\n\n第一条　为规范公共数据管理，制定本办法。\n\n"
         "第二条　公共管理和服务机构应当根据法定职权采集、核准与提供下列自然人基础数据：\n"
         "（一）户籍登记数据，由公安机关负责；\n"
         "（二）婚姻登记数据，由民政部门负责；\n"
         "（三）社会保障数据和最低生活保障数据，由社会保险经办机构、低保审核机构负责；\n"
         "（四）残疾人登记数据，由残疾人工作主管部门负责。\n\n"
         "第三条　本办法自2030年1月1日起施行。\n")


@pytest.fixture(scope="module")
def itemised(graph_server, tmp_path_factory):
    from corpus import parse_text
    from tests.support.answers import answerer_over

    policies = [parse_text(ITEMS, name="gonggong-shuju.txt")]
    with answerer_over(policies, graph_server, tmp_path_factory.mktemp("itemised"), "itemised") as answerer:
        yield answerer


def test_the_item_saying_the_asked_thing_names_its_own_bodies(itemised):
    """The graph knows 公安机关 (the first item's body); the bodies of the asked item are named by their
    role: the item that says the asked data answers, with its bodies as written."""
    answer = itemised.ask("社会保障数据和最低生活保障数据由哪几个部门负责采集提供？")
    assert answer.intent == "departments" and not answer.abstained, answer.answer
    quote = answer.citations[0].quote
    assert "社会保险经办机构、低保审核机构" in quote and "户籍登记数据" not in quote, answer.answer
    assert "社会保险经办机构" in answer.departments, answer.answer


REMITS = ("第六条　（机构职责）\n　　管委会依照本办法履行以下职责：\n　　（一）组织实施园区发展规划；\n"
          "　　（二）领导或者协调驻区机构有关行政管理工作；\n　　（三）履行市人民政府赋予的其他职责。\n")


def test_each_item_of_a_bodys_list_of_duties_is_its_task():
    """管委会依照本办法履行以下职责：（一）…（二）…: the items do not name the body; the sentence announcing
    them does, and it is the agent of each (quoted with the item)."""
    got = [(w.agent, w.sentence[2].strip(), w.lead and w.lead[2].strip())
           for w in written_agents(view(REMITS), genre=packaged())]
    assert ("管委会", "（二）领导或者协调驻区机构有关行政管理工作；", "管委会依照本办法履行以下职责：") in got, got
    # a list of another kind (申请人应当提交下列材料：) has no body announcing it
    materials = "第九条　申请人应当提交下列材料：\n（一）身份证明；\n（二）收入证明。\n"
    assert written_agents(view(materials), genre=packaged()) == []


@pytest.mark.parametrize("text, agent", [
    ("深入落实定点帮扶单位、驻村工作队、贫困村第一书记的工作职责和激励机制。", "定点帮扶单位、驻村工作队、贫困村第一书记"),
    ("加强网络安全防护，落实企业主体责任。", "企业"),
    ("明确各级部门主体责任，建立考核机制。", "各级部门"),
    # the body whose oversight a party accepts: who guides and supervises it
    ("运营单位应当按照合同约定开展工作，并接受市、区住房保障部门的指导和监督。", "市、区住房保障部门"),
])
def test_the_bodies_a_clause_charges_with_their_duties_are_its_agents(text, agent):
    """落实X（的）主体责任 / 工作职责: X bears the task, as administrative writing says whose duty it is; a duty
    of something that is no body (落实安全生产主体责任, 压实城市主体责任) names no agent."""
    assert [w.agent for w in written_agents(view(text), genre=packaged())] == [agent]
    assert written_agents(view("落实安全生产主体责任，压实城市主体责任。"), genre=packaged()) == []
    assert written_agents(view("公开办理结果，接受社会监督。"), genre=packaged()) == []


def test_the_body_announcing_its_duties_answers_who_does_one_of_them():
    from rag.compose import compose_departments
    from tests.support.compose import compose_context

    v = View(measure_id="p.m6", policy_id="p", text=REMITS, start=0, number="第六条", title="（机构职责）",
             policy="某园区管理办法")
    got = compose_departments(compose_context("园区里驻区机构的行政管理工作，归谁来领导或者协调？", "departments", [v]),
                              genre=packaged())
    assert not got.abstained and got.departments == ["管委会"], got.answer
    assert [c.quote.strip() for c in got.citations] == ["管委会依照本办法履行以下职责：",
                                                        "（二）领导或者协调驻区机构有关行政管理工作；"], got.answer


def test_a_remit_sharing_only_the_questions_common_words_does_not_answer_it():
    """（二）明确公共数据采集和提供的责任部门 under 公共数据主管部门负责下列工作: the remit shares 数据, 采集, 提供
    with 指定监护相关的数据由谁负责采集和提供, not its subject (指定监护); the body announcing it is no answer."""
    from rag.compose import compose_departments
    from tests.support.compose import compose_context

    remits = View(measure_id="p.m6", policy_id="p", start=0, number="第六条", policy="某省公共数据管理办法",
                  text="第六条　公共数据主管部门负责下列工作：\n（一）统筹本行政区域内公共数据资源管理工作；\n"
                       "（二）明确公共数据采集和提供的责任部门。\n")
    got = compose_departments(compose_context("指定监护相关的数据由谁负责采集和提供？", "departments", [remits]),
                              genre=packaged())
    assert "公共数据主管部门" not in got.departments, got.answer
    asked = compose_departments(compose_context("公共数据采集和提供的责任部门由谁负责明确？", "departments", [remits]),
                                genre=packaged())
    assert asked.departments == ["公共数据主管部门"], asked.answer


def test_a_state_body_opening_its_clause_before_its_act_is_the_clauses_actor():
    """科技部在此基础上进行总结提炼: a State body (no city of its own) acts in a national document, the
    standard adverbial (在此基础上) between it and its act; the object of another's act (对科技部进行考核) does not."""
    from dataclasses import replace

    from rag.compose import departments_in_prose
    from tests.support.compose import compose_context

    v = View(measure_id="p.m5", policy_id="p", start=0, policy="某工作指引", city="全国", title="（五）示范推广",
             text="试点地区凝练提出可供推广的经验做法，科技部在此基础上进行总结提炼，向全国示范推广。")
    body = {"id": "d1", "name": "中华人民共和国科学技术部", "aliases": ["科技部"], "city": None}
    ctx = replace(compose_context("经验做法由谁总结提炼？", "departments", [v]), departments=[body])
    assert [d["name"] for _, found in departments_in_prose(ctx, v, genre=packaged()) for d in found] == [
        "中华人民共和国科学技术部"]
    checked = replace(v, text="每年年底前对科技部进行考核。")
    assert departments_in_prose(ctx, checked, genre=packaged()) == []


def test_who_sets_something_is_asked_of_the_body_that_fixes_or_draws_it_up():
    """分配方案由谁来定: 定 is an act asked (said by 制定 / 确定 / 制订 of the clause), and 由X确定 names the
    body as 由X制定 does; 定期 and 定点 are no act of setting."""
    genre = packaged()
    assert asked_action("社会力量投资的公租房，分配方案由谁来定？", genre=genre) == "定"
    assert asked_action("谁来定期检查？", genre=genre) == "检查"
    assert asked_action("目录是由哪个部门来定编制要求的？", genre=genre) == "编制"  # the act named in full
    text = "其他社会力量投资的公共租赁住房，具体的分配方案由公共租赁住房的所有权人或者其委托的运营单位确定，报送所在区住房保障部门。"
    assert [(agent, verb) for _, agent, verb, _ in agent_sentences(view(text), genre=genre)] == [
        ("公共租赁住房的所有权人或者其委托的运营单位", "确定")]


@pytest.mark.parametrize("text, agent, does", [
    # 由X予以核实 / 由X认定: the adverb of administrative prose between the body and its act, and the acts of
    # checking, recognising and accepting that who-questions ask about (由谁核实, 谁受理)
    ("各考核单位的自评分值由市政府办公室工作专班予以核实。", "市政府办公室工作专班", "核实"),
    ("示范单位由市知识产权局认定，每三年复核一次。", "市知识产权局", "认定"),
    # 由X对…进行形式审查 and X委托Y对…进行受理: the body that checks or accepts, its object between
    ("由市商务局对各区报送的申报材料进行形式审查，通过审查的进入专家评审。", "市商务局", "审查"),
    ("市文旅中心委托第三方机构对申报企业进行受理。", "市文旅中心", "受理"),
    # a body set up and given its remit in one sentence
    ("在园区试点设立法定授权的服务机构，承担政策咨询、风险评估等事务。", "法定授权的服务机构", "承担"),
    ("成立县重点产业工作领导小组，统筹推进重点产业发展。", "县重点产业工作领导小组", "统筹"),
])
def test_a_body_checking_accepting_or_set_up_for_a_task_is_its_agent(text, agent, does):
    """How administrative writing says who checks (予以核实), recognises (认定), examines (对…进行形式审查),
    accepts (委托第三方…进行受理) or is set up to bear a task (设立X，承担…): each names the body doing it."""
    found = [(w.agent, w.does) for w in written_agents(view(text), genre=packaged())]
    assert (agent, does) in found, found
    assert written_agents(view("价格由市场决定，政府不予干预。"), genre=packaged()) == []
