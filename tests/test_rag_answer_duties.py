"""Who is responsible, and what a named party must do, from every place policy documents write it:
a task's own opening above its sub-items (4.推行…改革。（A牵头，B等按职责分工负责）主要措施：), running text
and definitional sentences (…费用由X承担, X负责…的监管), and the duties of a party that is the subject of
应当/不得/负责 sentences, dated ones included. Synthetic documents in the genre's standard wording, in a
real graph."""

from __future__ import annotations

import pytest

TASKS = ("某某领域改革重点任务分工方案\n\n国办发〔2030〕1号\n\n一、任务分工\n\n"
         "1.推行企业登记便利化改革。（市场监管总局牵头，税务总局、人力资源社会保障部等国务院相关部门按职责分工负责）\n"
         "主要措施：\n"
         "（1）2030年底前扩大企业登记网上办理范围，压缩办理时间。（市场监管总局负责）\n"
         "（2）简化企业变更登记材料，推行告知承诺。（市场监管总局、税务总局负责）\n"
         "2.优化涉企审批服务。（发展改革委、司法部牵头，国务院相关部门按职责分工负责）\n主要措施：\n"
         "（1）清理规范涉企审批中介服务事项。（发展改革委负责）\n"
         "（2）推行审批事项清单管理。（司法部、发展改革委负责）\n")

RULES = ("某市科技企业孵化器管理办法\n\n第一章　总则\n\n第一条　为规范科技企业孵化器管理，制定本办法。\n\n"
         "第二条　相关行业主管部门负责孵化场地消防安全的监管。\n\n"
         "第三条　孵化场地的日常运行费用由建设单位或者其委托的管理机构承担。\n\n"
         "第四条　年度孵化计划由市科技主管部门会同市财政局牵头制定，报市人民政府批准后实施。\n\n"
         "第二章　运营管理\n\n"
         "第五条　运营单位应当于每年1月底前向市科学技术局报送上一年度孵化服务情况。"
         "市科学技术局于每年4月底前汇总全市孵化服务情况，报市人民政府。\n\n"
         "第六条　入驻企业不得擅自改变场地用途或者将场地转让他人使用。入驻企业应当按时缴纳场地使用费。\n\n"
         "第七条　运营单位负责场地的日常管理，不得向入驻企业收取服务协议以外的其他费用。\n\n"
         "第三章　附则\n\n第八条　本办法自2030年1月1日起施行。\n")


@pytest.fixture(scope="module")
def duty_answerer(graph_server, tmp_path_factory):
    from corpus import parse_text
    from tests.support.answers import answerer_over

    policies = [parse_text(TASKS, name="renwu-fengong.txt"), parse_text(RULES, name="fuhuaqi-banfa.txt")]
    with answerer_over(policies, graph_server, tmp_path_factory.mktemp("duties"), "duties") as answerer:
        yield answerer


def test_a_task_with_sub_items_is_answered_by_its_own_opening_block(duty_answerer):
    """The task's title is the section's; its block (A牵头，B等按职责分工负责) is in the opening paragraph,
    not in the first sub-item (which names only the body doing that one step)."""
    answer = duty_answerer.ask("企业登记便利化改革由哪个部门牵头？")
    assert answer.intent == "departments" and not answer.abstained, answer.answer
    assert answer.departments == ["国家市场监督管理总局"], answer.answer
    assert "市场监管总局牵头" in answer.citations[0].quote
    everyone = duty_answerer.ask("优化涉企审批服务由哪些部门负责？")
    assert {"中华人民共和国国家发展和改革委员会", "司法部"} <= set(everyone.departments), everyone.answer
    assert "按职责分工负责" in everyone.citations[0].quote


@pytest.mark.parametrize("question, agent, quoted", [
    ("孵化场地的日常运行费用由谁承担？", "建设单位或者其委托的管理机构", "由建设单位或者其委托的管理机构承担"),
    ("孵化场地消防安全由谁监管？", "相关行业主管部门", "相关行业主管部门负责孵化场地消防安全的监管"),
    ("年度孵化计划由谁牵头制定？", "市科技主管部门", "由市科技主管部门会同市财政局牵头制定"),
])
def test_who_is_responsible_from_a_sentence_of_running_text(duty_answerer, question, agent, quoted):
    """No block names anyone: the sentence that says who does or bears the asked thing answers, quoted,
    with the agent as the document writes it (a party or a collective body, not only a 局/委)."""
    answer = duty_answerer.ask(question)
    assert answer.intent == "departments" and not answer.abstained, answer.answer
    assert agent in answer.answer and answer.departments and agent in answer.departments[0], answer.answer
    assert quoted in answer.citations[0].quote


@pytest.mark.parametrize("question, said, not_said", [
    # a dated duty: only the sentence of that date, not every duty of the party
    ("孵化器运营单位每年1月底前要做什么？", "于每年1月底前向市科学技术局报送上一年度孵化服务情况", "负责场地的日常管理"),
    # a department's dated duty, written without a duty verb (X于每年4月底前汇总…)
    ("市科学技术局每年4月底前要做什么？", "于每年4月底前汇总全市孵化服务情况", "每年1月底前"),
    # prohibitions of a party: its 不得 sentences, not its other duties
    ("孵化器入驻企业不得做什么？", "入驻企业不得擅自改变场地用途或者将场地转让他人使用", "按时缴纳场地使用费"),
])
def test_a_party_asked_for_some_of_its_duties_gets_those(duty_answerer, question, said, not_said):
    answer = duty_answerer.ask(question)
    assert not answer.abstained and answer.citations, answer.answer
    quotes = "".join(c.quote for c in answer.citations)
    assert said in quotes and not_said not in quotes, answer.answer


def test_duty_questions_are_read_for_the_party_and_what_narrows_them():
    from genre import packaged
    from rag.compose import duty_ask

    asked = duty_ask("项目申报单位要和参与单位签什么？", genre=packaged())
    assert asked.entity == "项目申报单位" and {"参与", "签"} <= set(asked.act)
    assert duty_ask("入驻企业不得做什么？", genre=packaged()).prohibited
    assert duty_ask("运营单位每年1月底前要做什么？", genre=packaged()).when == "每年1月底前"
    everything = duty_ask("孵化服务机构要负责哪些事？", genre=packaged())
    assert everything.entity == "孵化服务机构" and not everything.narrowed
    assert duty_ask("在上海租算力要满足什么条件？", genre=packaged()) is None  # no party is asked about


def test_a_pair_asked_who_is_responsible_for_each_is_answered_side_by_side(duty_answerer):
    answer = duty_answerer.ask("企业登记便利化改革和涉企审批服务分别由哪个部门牵头？")
    assert answer.intent == "departments" and not answer.abstained, answer.answer
    assert {"国家市场监督管理总局", "中华人民共和国国家发展和改革委员会"} <= set(answer.departments), answer.answer
    assert "[1]" in answer.answer and "[2]" in answer.answer and len(answer.citations) >= 2


def test_each_side_of_a_responsibility_pair_is_asked_alone():
    from rag.answer import responsibility_sides

    assert responsibility_sides("阿坝州和广东省的政务数据分别由哪个部门负责？") == [
        "阿坝州的政务数据由哪个部门负责？", "广东省的政务数据由哪个部门负责？"]
    # the second side takes the place the first one opens with
    assert responsibility_sides("广州公租房保障和人才入户分别由谁负责？") == ["广州公租房保障由谁负责？", "广州人才入户由谁负责？"]
    assert responsibility_sides("上海和南京的开源社区目标分别是多少？") is None
    # the bodies asked, then what they do (是由哪个部门来定…)
    assert responsibility_sides("目录怎么编，阿坝州和广东省分别是由哪个部门来定编制要求的？") == [
        "阿坝州的目录怎么编，是由哪个部门来定编制要求的？", "广东省的目录怎么编，是由哪个部门来定编制要求的？"]


def test_a_pair_asked_which_bodies_each_with_the_act_said_first_is_asked_side_by_side():
    """各 distributes the asking like 分别 (各由谁负责, 各是哪些部门); the clause before the sides says for
    what, and a side opening with its own place keeps it instead of taking the first side's."""
    from rag.answer import responsibility_sides

    assert responsibility_sides("资格审核由谁负责，南宁的补贴办法和合肥的实施细则各是哪些部门？") == [
        "南宁的补贴办法的资格审核由谁负责，是哪些部门？", "合肥的实施细则的资格审核由谁负责，是哪些部门？"]
    assert responsibility_sides("阿坝州和广东省的政务数据各由哪个部门负责？") == [
        "阿坝州的政务数据由哪个部门负责？", "广东省的政务数据由哪个部门负责？"]
    # 各 naming the parts of a place (各区) distributes nothing; 各自怎么规定 asks no body
    assert responsibility_sides("成都和广州的各区住房补贴有什么不同？") is None
    assert responsibility_sides("合肥和湖北在住房公积金上各自怎么规定的？") is None


def test_a_pair_asked_by_whom_or_to_whom_each_is_given_is_asked_side_by_side():
    """由谁 / 交给哪个部门 name the body asked for whatever verb follows (牵总, 来定, 来牵头或制定): the verb
    is the asker's, not one of a closed list; without 由, 交给 or 归 a question word still needs a verb
    of responsibility (分别是谁 may ask anything)."""
    from rag.answer import responsibility_sides

    assert responsibility_sides("科技部的指引和深圳的行动计划，在组织统筹上分别由谁来牵总？") == [
        "科技部的指引的组织统筹上由谁来牵总？", "深圳的行动计划的组织统筹上由谁来牵总？"]
    assert responsibility_sides("数据分类分级这件事，包头的考评办法和广东的办法分别交给哪个部门来牵头或制定？") == [
        "包头的考评办法的数据分类分级这件事，交给哪个部门来牵头或制定？",
        "广东的办法的数据分类分级这件事，交给哪个部门来牵头或制定？"]
    assert responsibility_sides("合肥和成都的人才分别是谁？") is None


def test_a_question_naming_the_act_is_answered_by_the_sentence_doing_it(duty_answerer):
    """由谁监管 names an act: the definitional sentence in which a body does it answers, quoted."""
    from genre import packaged
    from rag.compose import asked_action

    assert asked_action("收入财产状况由哪个部门审查核实？", genre=packaged()) == "审查"
    assert asked_action("这项任务由谁负责？", genre=packaged()) is None
    assert asked_action("目录是由哪个部门来定编制要求的？", genre=packaged()) == "编制"
    answer = duty_answerer.ask("孵化场地的消防安全归哪个部门监管？")
    assert not answer.abstained and "相关行业主管部门" in answer.departments, answer.answer
    assert "负责孵化场地消防安全的监管" in answer.citations[0].quote


def test_the_body_doing_the_asked_act_answers_before_one_that_only_consents_to_another_act():
    """是由哪个部门来定编制要求的: the sentence in which a body 负责提出…编制要求 answers, not the one in which it
    consents (经…同意) to another body compiling its own catalogue, though that clause ranks first."""
    from genre import packaged
    from rag.compose import View, compose_departments
    from tests.support.compose import compose_context

    consent = View(measure_id="m16", policy_id="p", start=0, number="第十六条", title="个性化目录", policy="某州政务数据资源管理暂行办法",
                   text="县（市）数据资源主管部门对未纳入本州政务数据资源目录的本地区政务数据，经州数据资源主管部门同意，可以编制本地区政务数据资源个性化目录。")
    duty = View(measure_id="m15", policy_id="p", start=200, number="第十五条", title="目录编制", policy="某州政务数据资源管理暂行办法",
                text="政务数据资源目录是政务数据管理的基础。州数据资源主管部门负责提出政务数据资源目录编制要求，组织协调州级政务部门开展目录编制。")
    ctx = compose_context("某州的政务数据资源目录是由哪个部门来定编制要求的？", "departments", [consent, duty])
    got = compose_departments(ctx, genre=packaged())
    assert not got.abstained and "负责提出政务数据资源目录编制要求" in got.citations[0].quote, got.answer


def test_a_block_naming_a_body_the_graph_has_no_department_of_is_answered_as_written():
    """（责任单位：省推进工业互联网创新发展专项工作组）: a body set up for the task, which no department list
    holds, is still the one the block names — not "该文件未列明这一措施的责任单位"."""
    from genre import packaged
    from rag.compose import View, compose_departments
    from rag.graphsearch import GraphResult
    from tests.support.compose import compose_context

    task = View(measure_id="m12", policy_id="p", start=0, number="12.", title="深化“5G＋工业互联网”融合应用",
                policy="某省工业互联网创新发展行动计划",
                text="加快“5G＋工业互联网”典型应用的示范推广，辐射到能源、交通、医疗等更多实体经济行业和领域。"
                     "（责任单位：省推进工业互联网创新发展专项工作组）")
    ctx = compose_context("把5G+工业互联网典型应用往能源、交通、医疗这些行业推广，这事归谁管？", "departments", [task],
                          graph=GraphResult())
    got = compose_departments(ctx, genre=packaged())
    assert not got.abstained and got.departments == ["省推进工业互联网创新发展专项工作组"], got.answer
    assert "专项工作组" in got.citations[0].quote


def test_a_list_asked_of_what_a_body_does_is_quoted_with_the_items_its_sentence_announces():
    """有哪些情形会被…责令限期整改: the sentence naming the body announces the cases (…有下列情形之一的，由X责令
    其限期整改：) and the items are the answer; a question asking who alone keeps the sentence."""
    from genre import packaged
    from rag.compose import View, compose_departments
    from rag.graphsearch import GraphResult
    from tests.support.compose import compose_context

    text = ("第四十四条　政务部门有下列情形之一的，由数据资源主管部门责令其限期整改：\n（一）拒绝归集政务数据的；\n"
            "（二）擅自更改政务数据的；\n（三）提供的数据不符合规范的。")
    view = View(measure_id="m44", policy_id="p", start=0, number="第四十四条", title="政务部门有下列情形之一的",
                policy="某州政务数据资源管理暂行办法", text=text)
    rows = [{"name": "某州数据资源主管部门", "mention": "数据资源主管部门", "role": "负责"}]
    listed = compose_context("按某州政务数据办法，政务部门有哪些情形会被数据资源主管部门责令限期整改？", "departments",
                             [view], graph=GraphResult(departments={"m44": rows}))
    got = compose_departments(listed, genre=packaged())
    assert not got.abstained and "擅自更改政务数据" in got.citations[0].quote, got.answer
    who = compose_context("政务部门不归集数据，由哪个部门责令整改？", "departments", [view],
                          graph=GraphResult(departments={"m44": rows}))
    assert "擅自更改" not in compose_departments(who, genre=packaged()).citations[0].quote


def test_a_body_introduced_by_you_does_the_act_written_after_its_adverbials():
    """由X根据…，参照…确定: the verb a 由-phrase governs may follow clauses of manner; the body is the one
    that fixes the standard, not a body that 认定s something in a neighbouring clause."""
    from genre import packaged
    from rag.compose import View, compose_departments
    from tests.support.compose import compose_context

    standard = View(measure_id="m22", policy_id="p", start=0, number="第二十二条", title="申请条件",
                    policy="某市公共租赁住房管理办法",
                    text="（二）申请家庭的家庭收入符合政府公布的标准。收入标准实行动态调整，由市住房城乡建设局根据本市"
                         "经济社会发展水平，参照城镇居民人均可支配收入的一定比例确定，报市政府批准后公布执行。")
    rent = View(measure_id="m30", policy_id="p", start=400, number="第三十条", title="公共租赁住房的租金以单套建筑面积计算",
                policy="某市公共租赁住房管理办法",
                text="公共租赁住房的租金以单套建筑面积计算。经民政部门认定为低保家庭的孤寡老人免交租金。")
    ctx = compose_context("某市公共租赁住房申请的家庭收入标准由哪个部门确定？", "departments", [rent, standard])
    got = compose_departments(ctx, genre=packaged())
    assert not got.abstained and "由市住房城乡建设局根据本市" in got.citations[0].quote, got.answer


def test_the_bodies_of_a_task_in_a_clause_of_many_are_the_bracket_after_its_sentence():
    """A State Council opinion closes each task with its own bracket (…完善相关技术标准。（工商总局…负责）逐步推行
    电子发票…。（税务总局、财政部…）): the asked task's bodies are the bracket after its sentence, not the one
    before it, which closes the task before."""
    from genre import packaged
    from rag.compose import View, compose_departments
    from rag.graphsearch import GraphResult
    from tests.support.compose import compose_context

    text = ("（二十六）健全法规标准体系。制定适合电子商务特点的投诉管理制度。（工商总局、质检总局等部门按职责分工分别负责）"
            "逐步推行电子发票和电子会计档案，完善相关技术标准和规章制度。（税务总局、财政部、档案局、国家标准委）")
    view = View(measure_id="m26", policy_id="p", start=0, number="（二十六）", title="健全法规标准体系",
                policy="某某关于大力发展电子商务的意见", text=text)
    rows = [{"name": n, "mention": n, "role": "负责"} for n in ("工商总局", "质检总局", "税务总局", "财政部", "档案局", "国家标准委")]
    ctx = compose_context("某某电商意见里说要推行电子发票，这事是哪几个部门在管？", "departments", [view],
                          graph=GraphResult(departments={"m26": rows}))
    got = compose_departments(ctx, genre=packaged())
    assert not got.abstained, got.answer
    assert got.departments == ["税务总局", "财政部", "档案局", "国家标准委"], got.answer
    assert got.citations[0].quote.startswith("逐步推行电子发票") and got.citations[0].quote.endswith("国家标准委）")
