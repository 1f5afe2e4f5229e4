"""Where to go and who approves, when the clause says it in its own sentence: 向X投诉 / 申报 names the body a
party turns to, 报X批准 / 审定 the body that approves. A departments question whose clause lists no
responsible unit is answered from that sentence, with the preposition the document writes, instead of
being refused (a last resort: a sentence naming who does the asked thing answers first, as before);
asked who handles a matter, the body that does it comes before one that receives."""

from __future__ import annotations

import pytest

from genre import packaged
from rag.compose import Context, View, analyse_focus, compose_written_agent, written_agents
from rag.intents import Intent
from rag.linking import Linked
from rag.model import Hit

POLICY = "某省公共数据管理办法"


def view(text: str, mid: str = "p.m1", title: str = "") -> View:
    return View(measure_id=mid, policy_id="p", text=text, start=0, title=title, policy=POLICY, city="某省")


def context(question: str, views: list[View]) -> Context:
    linked = Linked(text=question, links=[])
    focus, nouns = analyse_focus(linked, "departments", genre=packaged())
    fused = [Hit(chunk_id=v.measure_id, measure_id=v.measure_id, score=1.0 / i, signal="fused", rank=i,
                 ranks={"bm25": i, "dense": i}) for i, v in enumerate(views, 1)]
    return Context(question=question, linked=linked, intent=Intent("departments"), focus=focus,
                   views={v.measure_id: v for v in views}, fused=fused, graph=None, policies=[],
                   responsibility_labels=["责任单位"], nouns=nouns, genre=packaged())


def test_the_body_a_party_turns_to_is_named_with_its_preposition():
    found = {(w.to, w.agent, w.does) for w in written_agents(view(
        "第四十条　数据主体认为其合法权益受到侵害的，可以向本级数据主管部门投诉。"), genre=packaged())}
    assert ("向", "本级数据主管部门", "投诉") in found, found
    found = {(w.to, w.agent, w.does) for w in written_agents(view(
        "第九条　数据主管部门应当编制发展规划，报市人民政府批准后公布实施。"), genre=packaged())}
    assert ("报", "市人民政府", "批准") in found, found


def test_a_body_closed_by_a_bracketed_qualifier_is_one_body():
    found = [w.agent for w in written_agents(view(
        "保障对象应当自变动发生之日起1个月内向户籍所在地街道办事处（镇人民政府）申报。"), genre=packaged())]
    assert found == ["户籍所在地街道办事处（镇人民政府）"], found


def test_a_phrase_that_is_no_body_is_not_one():
    """向社会公布 turns to no body; 报告报… is no 报X审批 of a body called 告."""
    found = [w.agent for w in written_agents(view(
        "规划编制完成后向社会公布，年度报告报送省科技厅。"), genre=packaged())]
    assert found == [], found
    # 签署 and 部署 are verbs ending in 署, which ends a body's name only in names (海关总署)
    found = [w.agent for w in written_agents(view(
        "由主要合作方在项目申报表上签署同意意见并加盖公章。按照全市统一部署开展工作。"), genre=packaged())]
    assert not any(a.endswith("署") for a in found), found
    found = [w.agent for w in written_agents(view("进口货物由海关总署负责监管。"), genre=packaged())]
    assert found == ["海关总署"], found


def test_where_to_complain_is_answered_with_the_body_and_its_sentence():
    v = view("第四十条　数据主体认为公共管理和服务机构违反规定、损害其合法权益的，可以向本级数据主管部门投诉。",
             title="数据主体认为公共管理和服务机构违反规定")
    ctx = context("觉得哪个单位乱用我的数据、损害我利益了，可以上哪儿投诉去", [v])
    assert compose_written_agent(ctx, [v], genre=packaged()) is None  # no doer: only as the last resort
    composed = compose_written_agent(ctx, [v], last_resort=True, genre=packaged())
    assert composed is not None and not composed.abstained
    assert composed.departments == ["本级数据主管部门"], composed.answer
    assert "向**本级数据主管部门**投诉" in composed.answer, composed.answer
    assert "可以向本级数据主管部门投诉" in composed.citations[0].quote


DOER = "县商务局负责新建重点产业项目相关工作，县工信局负责技改重点产业项目相关工作。"
RECEIVER = "经领导小组办公室实地踏查、综合审核后，新建项目据实向重点产业工作领导小组申报兑现奖励政策。"


@pytest.mark.parametrize(("question", "body"), [
    ("重点产业领导小组那边，我们的新建项目找哪个部门？", "县商务局"),
    ("重点产业领导小组那边，我们的新建项目奖励向哪个部门申报？", "重点产业工作领导小组"),
])
def test_the_body_that_does_comes_before_the_one_that_receives_unless_the_act_is_asked(question, body):
    """The sentence naming whom one applies to says more of the question (领导小组); asked who handles new
    projects, the body that does it answers; asked whom to apply to (申报), the one that receives."""
    views = [view(RECEIVER, "p.m22"), view(DOER, "p.m20")]
    composed = compose_written_agent(context(question, views), [], last_resort=True, genre=packaged())
    assert composed is not None and composed.departments == [body], composed and composed.answer


ITEMS = ("某省公共数据管理办法\n\n第一章　总则\n\n第一条　为规范公共数据管理，制定本办法。\n\n"
         "第二条　公共数据资源实行统一目录管理。公共管理和服务机构应当根据指南编制本机构公共数据资源目录，"
         "报本级公共数据主管部门审定。\n\n"
         "第三条　数据主体认为公共管理和服务机构违反法律、法规、规章规定，损害其合法权益的，"
         "可以向同级公共数据主管部门投诉。\n\n"
         "第四条　本办法自2030年1月1日起施行。\n")


@pytest.fixture(scope="module")
def regulation(graph_server, tmp_path_factory):
    from corpus import parse_text
    from tests.support.answers import answerer_over

    policies = [parse_text(ITEMS, name="gonggong-shuju.txt")]
    with answerer_over(policies, graph_server, tmp_path_factory.mktemp("where"), "where-to-go") as answerer:
        yield answerer


def test_a_clause_without_a_block_answers_where_to_complain(regulation):
    """The clause lists no 责任单位: its sentence saying whom one complains to answers, not a refusal."""
    answer = regulation.ask("数据主体的合法权益被公共管理和服务机构损害了，可以向哪个部门投诉？")
    assert answer.intent == "departments" and not answer.abstained, answer.answer
    assert "同级公共数据主管部门" in answer.answer and "投诉" in answer.citations[0].quote, answer.answer


def test_who_approves_is_the_body_a_clause_reports_to(regulation):
    answer = regulation.ask("公共管理和服务机构编制的公共数据资源目录由哪个部门审定？")
    assert not answer.abstained, answer.answer
    assert "本级公共数据主管部门" in answer.answer and "审定" in answer.citations[0].quote, answer.answer


CATALOGUE = "公共管理和服务机构应当根据指南编制本机构公共数据资源目录，报本级公共数据主管部门审定。"


def test_the_body_reported_to_does_the_asked_act_before_the_clause_s_other_bodies():
    """Asked who approves (由谁审定), the body the clause reports to for that act answers, not the body
    that does another thing in the same clause (目录编制指南由省公共数据主管部门统一制定); asked nothing
    in particular, only a doer answers before the last resort."""
    v = view("第十条　公共数据资源实行统一目录管理。目录编制指南由省公共数据主管部门统一制定。"
             "公共管理和服务机构应当根据指南编制本机构公共数据资源目录，报本级公共数据主管部门审定。")
    question = "公共管理和服务机构编制的公共数据资源目录要交给谁审定？"
    composed = compose_written_agent(context(question, [v]), [], action="审", genre=packaged())
    assert composed is not None and composed.departments == ["本级公共数据主管部门"], composed and composed.answer
    assert "报**本级公共数据主管部门**审定" in composed.answer, composed.answer
    approved = compose_written_agent(context(question, [v]), [], action="批", genre=packaged())
    assert approved is None or approved.departments != ["本级公共数据主管部门"]
    doer = compose_written_agent(context("公共数据资源目录的编制指南由谁负责？", [v]), [], genre=packaged())
    assert doer is not None and doer.departments == ["省公共数据主管部门"], doer and doer.answer


def test_a_clause_the_signals_agree_on_answers_a_question_in_everyday_words():
    """编好, 交给 are in no clause: the sentence says a third of the question's words, below the share a
    fallback needs on its own, but BM25 and the dense signal both rank its clause first — the share any
    answer needs of such a clause, as the last resort; ranked by one signal alone, it does not answer."""
    question = "编好的目录最后要交给谁审定？"
    v = view(CATALOGUE)
    agreed = compose_written_agent(context(question, [v]), [], action="审", last_resort=True, genre=packaged())
    assert agreed is not None and agreed.departments == ["本级公共数据主管部门"], agreed and agreed.answer
    alone = context(question, [v])
    alone.fused = [Hit(chunk_id=v.measure_id, measure_id=v.measure_id, score=1.0, signal="fused", rank=1,
                       ranks={"bm25": 5})]
    assert compose_written_agent(alone, [], action="审", last_resort=True, genre=packaged()) is None


@pytest.mark.parametrize(("text", "agent"), [
    ("第四十条　网信部门、保密部门和其他有关部门应当按照各自职责，做好政务数据安全保护、保密审查工作。",
     "网信部门、保密部门和其他有关部门"),
    ("民政部门负责审查核实经济状况；财政、税务等政府相关职能部门按照职责分工，协同做好保障相关工作。",
     "财政、税务等政府相关职能部门"),
])
def test_bodies_given_a_task_by_their_remits_do_it(text, agent):
    """按照各自职责，做好… / 按照职责分工，协同做好…: the standard wording of a task shared among bodies
    names them as its doers."""
    found = [(w.to, w.agent) for w in written_agents(view(text), genre=packaged())]
    assert ("", agent) in found, found
    ctx = context("政务数据的安全保护和保密审查归哪些部门管？", [view(text)])
    if "安全保护" in text:
        composed = compose_written_agent(ctx, [], genre=packaged())
        assert composed is not None and "网信部门" in composed.departments, composed


def test_a_task_divided_by_commas_gives_each_body_its_own_part():
    """县商务局负责新建…，县工信局负责技改…: each body does the part up to the next body."""
    found = [(w.agent, w.own) for w in written_agents(view(DOER), genre=packaged())]
    assert [a for a, _ in found] == ["县商务局", "县工信局"], found
    assert "技改" in found[1][1] and "技改" not in found[0][1]
    composed = compose_written_agent(context("技术改造项目找县里哪个部门？", [view(DOER, "p.m20")]), [], genre=packaged())
    assert composed is not None and composed.departments == ["县工信局"], composed and composed.answer


def test_a_measure_without_bodies_is_given_one_by_its_documents_provisions_on_carrying_it_out():
    """第13条 鼓励企业技改升级 lists no 责任单位; the document's 组织保障 provision gives 技改 projects to 县工信局.
    Retrieval of the asker's words (老厂子搞技术改造) does not find that provision: the document's own
    provisions on carrying it out are read before refusing."""
    from dataclasses import replace

    from rag.compose import _written_agent_before_refusing

    measure = view("第13条鼓励企业技改升级。对工业技术改造项目，给予一事一议奖励。", "p.m13", title="鼓励企业技改升级")
    provision = replace(view("第20条成立重点产业工作领导小组。" + DOER, "p.m20", title="成立重点产业工作领导小组"),
                        kind="safeguard")
    ctx = context("老厂子搞技术改造想申请奖励，该找县里哪个局对接？", [measure])
    assert _written_agent_before_refusing(ctx, [measure], genre=packaged()) is None  # no outline: nothing found
    ctx.outline = lambda pid: [measure, provision]
    composed = _written_agent_before_refusing(ctx, [measure], genre=packaged())
    assert composed is not None and composed.departments == ["县工信局"], composed and composed.answer


@pytest.mark.parametrize(("text", "agent", "act"), [
    ("第四十六条　数据资源主管部门应当对本级政务部门和下级人民政府数据资源管理工作进行考核评估。", "数据资源主管部门", "考核"),
    ("建立规划实施监测评估制度，自治区规划主管部门开展规划实施年度监测并向自治区人民政府报告。", "自治区规划主管部门", "监测"),
])
def test_a_body_checking_or_assessing_as_the_subject_of_its_clause_does_it(text, agent, act):
    """The standard wording of oversight (X应当对…进行考核评估, X开展…监测) names who does it in running
    text: asked 由哪个部门来考核评估 / 监测, that body answers, not a refusal or another clause's block."""
    found = [(w.agent, w.does) for w in written_agents(view(text), genre=packaged())]
    assert any(a == agent and act[:2] in d for a, d in found), found
    ctx = context(f"工作由哪个部门来{act}？", [view(text)])
    composed = compose_written_agent(ctx, [view(text)], action=act, genre=packaged())
    assert composed is not None and composed.departments == [agent], composed and composed.answer


def test_the_bodies_leading_the_work_of_a_plan_are_named_by_its_organising_sentence():
    """市、县（区）政府和开发区管委会全面加强对科技工作的组织领导 names who leads a plan's work: asked 组织领导
    这块是由谁来抓的, those bodies answer, not a refusal for a clause without a 责任单位 block."""
    text = "市、县（区）政府和开发区管委会全面加强对科技工作的组织领导，坚持一把手抓第一动力不动摇。"
    found = [(w.agent, w.does) for w in written_agents(view(text), genre=packaged())]
    assert ("市、县（区）政府和开发区管委会", "加强对科技工作的组织领导") in found, found
    composed = compose_written_agent(context("科技规划落地，组织领导这块是由谁来抓的？", [view(text)]), [view(text)],
                                     genre=packaged())
    assert composed is not None and "开发区管委会" in composed.answer, composed and composed.answer


@pytest.mark.parametrize("text, agent", [
    ("房地产开发项目用地涉及的土壤污染调查、文物调查等事项，由高新区组织相关部门在土地出让前完成。", "高新区"),
    ("老旧小区改造资金由各区负责筹集。", "各区"),
    ("具体申报工作由所在街道组织实施。", "所在街道"),
])
def test_a_district_county_or_street_acts_through_its_government(text, agent):
    """由高新区组织…完成: a zone, district, county, 街道 or 乡镇 written as the doer is the body that does
    it (its government or 管委会), not a phrase to pass over."""
    found = [w.agent for w in written_agents(view(text), genre=packaged())]
    assert agent in found, found


def test_a_place_is_no_doer_when_a_body_s_name_goes_on_after_it():
    """临港新片区管理委员会…统筹管理: the place ends inside the body's name; the doer is the whole name or none."""
    text = ("中国（上海）自由贸易试验区临港新片区管理委员会（以下简称管委会）作为市人民政府的派出机构，负责具体落实"
            "新片区各项改革试点任务，统筹管理和协调新片区有关行政事务。")
    found = [w.agent for w in written_agents(view(text), genre=packaged())]
    assert not any(a.endswith("新片区") for a in found), found
