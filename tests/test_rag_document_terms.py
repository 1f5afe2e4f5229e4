"""How long a document runs when it writes no 有效期: a plan runs for its period (the period its title
or a sentence of its own states, a five-year plan's years, else the year its goals are set for), judged
against an injected date; a validity answer also states what the document repeals; a clause valid for
a span of years (在2022-2024年内有效) ends with its last year; a document named by its place and a word
of its title is found among that place's documents. Texts are synthetic, written as the genre writes."""

from __future__ import annotations

import datetime as dt

import pytest

from genre import packaged as packaged_genre
from rag.compose import View, _judged_end
from rag.docfacts import asked_facts, stated_facts
from rag.linking import Linker, build_lexicon
from tests.support.compose import document_fact_answer

OUTLINE = """某省国民经济和社会发展第十四个五年（2021—2025年）规划纲要
根据省委建议，编制本规划纲要，阐明全省发展的目标任务。
第一篇　发展目标
到2025年，全省经济总量迈上新台阶。
"""
HORIZONS = """某省城市排水防涝“十四五”规划
一、规划范围
本规划基准年为2020年，近期规划水平年为2025年，远期规划水平年为2035年。
二、主要任务
到2025年，城市排水防涝能力显著提升。
"""
ACTION = """某市加快推进智能终端产业发展行动计划
为推动产业发展，制定本行动计划。
一、发展目标
到2026年，全市智能终端产业规模达5000亿元以上。
二、保障措施
加强统筹协调。
"""
MEASURES = """某县关于支持产业发展的若干措施
一、对新上项目给予奖励。
二、获得认定且在有效期内的企业，给予一次性奖励。
"""


def _validity(text: str, meta: dict, today: dt.date, question: str = "这个文件还有效吗") -> tuple[str, list[str]]:
    return document_fact_answer(text, meta, question, today)


def test_a_plan_without_a_validity_clause_runs_for_the_period_its_title_prints():
    meta = {"title": "某省国民经济和社会发展第十四个五年（2021—2025年）规划纲要"}
    answer, quotes = _validity(OUTLINE, meta, dt.date(2026, 12, 3))
    assert "- 规划期：2021—2025年 [1]" in answer and "规划期已经结束" in answer, answer
    assert quotes == [OUTLINE.splitlines()[0]]  # the title line printing the period
    during, _ = _validity(OUTLINE, meta, dt.date(2024, 5, 1))
    assert "规划期尚未结束" in during, during


def test_a_plans_own_sentence_on_its_horizon_years_is_quoted_before_its_titles_five_year_period():
    meta = {"title": "某省城市排水防涝“十四五”规划"}
    answer, quotes = _validity(HORIZONS, meta, dt.date(2026, 12, 3), "这个规划近期和远期管到哪年")
    assert quotes == ["本规划基准年为2020年，近期规划水平年为2025年，远期规划水平年为2035年。"], quotes
    assert "2035年" in answer and "尚未结束" in answer, answer  # the farthest horizon year decides
    five = HORIZONS.replace("本规划基准年为2020年，近期规划水平年为2025年，远期规划水平年为2035年。\n", "")
    answer, quotes = _validity(five, meta, dt.date(2026, 12, 3))
    assert "“十四五”（2021—2025年）" in answer and "规划期已经结束" in answer, answer
    assert quotes == ["某省城市排水防涝“十四五”规划"]


def test_an_action_plan_without_a_period_runs_to_the_year_its_goals_are_set_for():
    meta = {"title": "某市加快推进智能终端产业发展行动计划"}
    answer, quotes = _validity(ACTION, meta, dt.date(2026, 12, 3))
    assert "- 目标年份：到2026年 [1]" in answer and "目标期（到2026年）尚未结束" in answer, answer
    assert quotes == ["到2026年，全市智能终端产业规模达5000亿元以上。"]
    later, _ = _validity(ACTION, meta, dt.date(2027, 1, 5))
    assert "目标期（到2026年）已经结束" in later, later


ISSUING = """某省人民政府办公厅关于印发某省工业互联网创新发展行动计划（2021—2023年）的通知
各市人民政府，省政府各部门：现将《某省工业互联网创新发展行动计划（2021—2023年）》印发给你们，请认真贯彻执行。
一、发展目标
到2023年，工业互联网建设量质并进。
"""


def test_a_notice_issuing_a_plan_runs_for_the_period_its_title_prints():
    """关于印发…行动计划（2021—2023年）的通知: the notice is the plan's vehicle, and the period its title
    prints is the plan's term, as for the plan's own title."""
    meta = {"title": ISSUING.splitlines()[0]}
    answer, _ = _validity(ISSUING, meta, dt.date(2026, 12, 3), "这个行动计划管到哪一年，现在还在执行期里吗")
    assert "- 规划期：2021—2023年" in answer and "规划期已经结束" in answer, answer


def test_a_document_that_is_no_plan_and_a_term_of_something_else_state_no_validity():
    meta = {"title": "某县关于支持产业发展的若干措施"}
    facts = stated_facts(MEASURES, meta, genre=packaged_genre())
    assert "validity" not in facts and "period" not in facts and "goal_year" not in facts
    answer, quotes = _validity(MEASURES, meta, dt.date(2026, 12, 3))
    assert "文件未写明有效期" in answer and "规划期" not in answer and quotes == [], answer


def test_a_validity_answer_states_what_the_document_repeals():
    text = ("某市人才入户实施细则\n第一条　对引进人才办理入户。\n第二十条　本细则自印发之日起实施，有效期5年。"
            "《某市人才入户实施细则》（某人社规字〔2019〕2号）同时废止。\n某市人力资源和社会保障局\n2022年7月7日\n")
    meta = {"title": "某市人才入户实施细则", "issued": "2022-07-07", "effective": "2022-07-07", "expiry": "2027-07-06"}
    answer, quotes = _validity(text, meta, dt.date(2026, 12, 3), "2019年那版入户细则现在还能用吗")
    assert "- 同时废止：《某市人才入户实施细则》（某人社规字〔2019〕2号）同时废止" in answer, answer
    assert any("同时废止" in q for q in quotes)
    assert "仍在有效期内" in answer


def test_a_clause_valid_for_a_span_of_years_ends_with_its_last_year():
    lines = _judged_end("从2022年7月5日起，在2022-2024年内有效", dt.date(2026, 12, 3), packaged_genre())
    assert lines == ["- 该期限至 2024年底，按今天（2026年12月3日）的日期已经过去。"]
    lines = _judged_end("在2025—2027年内有效", dt.date(2026, 12, 3), packaged_genre())
    assert lines and lines[0].endswith("尚未届满。")


def test_the_issue_date_is_asked_in_everyday_words():
    g = packaged_genre()
    assert asked_facts("这个暂行办法，发文字号和日子各是什么", genre=g) == ["doc_no", "issued"]
    assert asked_facts("那份通知落款是哪天", genre=g) == ["issued"]


def _linker(policies: list[dict]) -> Linker:
    genre = packaged_genre()
    return Linker(build_lexicon(departments=[], measures=[], policies=policies, genre=genre), genre=genre)


PLACE_POLICIES = [
    {"id": "a", "title": "南宁市科学技术发展“十三五”规划", "city": "南宁"},
    {"id": "b", "title": "南宁市促进会展业发展若干措施", "city": "南宁"},
    {"id": "c", "title": "柳州市旅游业发展若干意见", "city": "柳州"},
    {"id": "d", "title": "北京市产业政策导引", "city": "北京"},
    {"id": "e", "title": "广西壮族自治区国民经济和社会发展第十三个五年规划纲要", "city": "广西"},
    {"id": "f", "title": "某省工业和信息化“十三五”发展规划", "city": "某省"},
    {"id": "g", "title": "上海市促进产业发展若干政策", "city": "上海"},
    {"id": "h", "title": "深圳市产业发展行动计划", "city": "深圳"},
    # a corpus of some size: how rare a word of a title is is measured over all of them
    *({"id": f"z{i}", "title": f"{city}关于{topic}的实施意见", "city": city}
      for i, (city, topic) in enumerate((c, t) for c in ("杭州市", "成都市", "武汉市", "西安市")
                                        for t in ("数据共享", "人才引进", "公共租赁住房", "城市更新", "养老服务",
                                                  "科技创新"))),
]


def test_a_document_is_found_among_its_places_documents_by_a_distinctive_word_of_its_title():
    linker = _linker(PLACE_POLICIES)
    found = linker.place_document(linker.link("南宁科技十三五规划那份通知落款是哪天"))
    assert found is not None and found["id"] == "a"
    found = linker.place_document(linker.link("柳州旅游的那个意见是谁负责解释的"))
    assert found is not None and found["id"] == "c"


def test_a_kind_of_document_or_a_common_word_names_no_document_of_the_place():
    linker = _linker(PLACE_POLICIES)
    assert linker.place_document(linker.link("北京支持储能产业的政策措施从哪个月开始执行")) is None
    assert linker.place_document(linker.link("南宁的那个措施是哪天印发的")) is None  # 措施 alone: a kind of document
    assert linker.place_document(linker.link("这个规划是哪天印发的")) is None  # no place named


def test_a_best_clause_that_is_its_documents_closing_provision_answers_with_the_documents_term():
    """"某市公租房的保障办法哪年到期" whose best dated clause is the document's own closing provision (its
    run-in title 本办法自印发之日起施行，有效期5年): the document's validity, the end reckoned from the 施行
    date, not the clause quoted alone."""
    from rag.compose import clause_time
    from tests.support.compose import compose_context

    text = ("某市公共租赁住房管理办法\n第一条　为规范公共租赁住房管理，制定本办法。\n"
            "第五十四条本办法自印发之日起施行，有效期5年。有效期届满，根据实施情况依法评估修订。\n"
            "某市人民政府办公厅\n2024年7月26日\n")
    closing = View(measure_id="m54", policy_id="p", text="有效期届满，根据实施情况依法评估修订。",
                   start=text.index("有效期届满"), number="第五十四条", title="本办法自印发之日起施行，有效期5年",
                   policy="某市公共租赁住房管理办法", city="某市")
    whole = View(measure_id="", policy_id="p", text=text, start=0, policy="某市公共租赁住房管理办法", city="某市")
    ctx = compose_context("某市公租房的保障办法哪年到期", "metadata", [closing])
    ctx.policies = [{"id": "p", "title": "某市公共租赁住房管理办法", "city": "某市", "issued": "2024-07-26",
                     "effective": "2024-07-26", "expiry": "2029-07-25"}]
    ctx.locate = lambda pid, a, b: whole
    got = clause_time(ctx, dt.date(2026, 12, 3), genre=packaged_genre())
    assert got is not None and "即至 2029年7月25日" in got.answer and "仍在有效期内" in got.answer, got and got.answer
    # a sentence naming the document's term for something else (在本政策有效期内出让的) is no closing provision
    inside = View(measure_id="m4", policy_id="p", text="在本政策有效期内出让的用地，可分期支付土地出让价款。", start=0,
                  number="四、", title="鼓励企业加快投资", policy="某市公共租赁住房管理办法", city="某市")
    ctx = compose_context("某市分期交土地出让金那条，有效期到哪年", "metadata", [inside])
    ctx.policies = [{"id": "p", "title": "某市公共租赁住房管理办法", "city": "某市"}]
    ctx.locate = lambda pid, a, b: whole
    got = clause_time(ctx, dt.date(2026, 12, 3), genre=packaged_genre())
    assert got is None or "即至 2029年7月25日" not in got.answer


def test_a_pronoun_for_a_document_outweighs_a_title_its_words_only_brush():
    from rag.answer import only_brushes_titles
    from rag.linking import Link, Linked

    brushed = Linked("这个计划的文号是多少", [Link("policy", "ah", "某省…行动计划的通知", score=0.05)])
    assert only_brushes_titles(brushed)
    named = Linked("某市数字经济扶持办法的文号", [Link("policy", "p", "某市数字经济扶持办法", score=0.9)])
    assert not only_brushes_titles(named)
    by_number = Linked("某府发〔2021〕8号是哪天印发的", [Link("doc_no", "p", "某府发〔2021〕8号"),
                                                     Link("policy", "p", "某府发〔2021〕8号", score=0.05)])
    assert not only_brushes_titles(by_number)


@pytest.mark.parametrize("question, policy", [
    ("上海的智算意见里对大模型有什么支持？", "sh-2025-160-f1fe6c"),  # 《上海市关于促进智算云产业创新发展的实施意见》
    ("上海开源方案里对大模型有什么支持？", "sh-2025-33-565919"),  # 《上海市加强开源体系建设实施方案》
])
def test_a_document_named_by_its_place_and_a_shortened_title_is_the_one_asked(answerer, question, policy):
    """A question naming a document as people shorten it after its place (上海的智算意见) is answered from
    that document alone, though a neighbour of the same place (the 大模型 measures) says more of the
    question's other words."""
    answer = answerer.ask(question)
    assert answer.citations and {c.policy_id for c in answer.citations} == {policy}, answer.answer


def test_a_kind_of_document_alone_or_no_place_names_no_shortened_document(answerer):
    linker = answerer._get_linker()
    assert answerer._name_abbreviated_document(linker.link("上海的政策里对大模型有什么支持？"), None) is None
    assert answerer._name_abbreviated_document(linker.link("智算意见里对大模型有什么支持？"), None) is None
