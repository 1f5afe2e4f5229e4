"""Questions people ask in a conversation: follow-ups read against the previous turn, a question
limited to a document, a place or the policies in force, "which documents mention X", open
comparisons without a shared metric; and the parts that decide these from the question alone."""

from __future__ import annotations

from datetime import date

import pytest

from genre import packaged as packaged_genre
from rag.answer import compared_parts
from rag.followup import Scope, Turn, resolve, scope_policies
from rag.mentions import find_mentions, mention_term
from rag.model import Chunk


def test_place_follow_up_asks_the_previous_question_of_the_new_place(answerer):
    answer = answerer.ask("那重庆呢？", history=["上海的开源社区数量目标是多少？"])
    assert not answer.abstained, answer.answer
    assert answer.citations and {c.city for c in answer.citations} == {"重庆"}


def test_document_follow_up_names_the_document_of_the_clause_just_cited(answerer):
    first = answerer.ask("在上海租算力训练大模型有补贴吗？")
    assert first.citations
    answer = answerer.ask("这项措施属于哪个文件？", history=[{"question": first.question,
                                                      "citations": [c.__dict__ for c in first.citations]}])
    assert answer.intent == "metadata" and not answer.abstained
    assert first.citations[0].title in answer.answer and answer.citations[0].measure_id == first.citations[0].measure_id


def test_department_follow_up_without_kept_citations_answers_the_previous_turn_again(answerer):
    answer = answerer.ask("它的责任单位呢？", history=["上海防范开源供应链风险有什么措施？"])
    assert answer.intent == "departments" and not answer.abstained, answer.answer
    assert set(answer.departments) == {"上海市经济和信息化委员会", "中共上海市委网络安全和信息化委员会办公室"}


def test_department_follow_up_quotes_the_words_that_name_the_departments(answerer):
    """The previous answer quoted the task; the departments are shown with the clause's own block."""
    first = answerer.ask("上海防范开源供应链风险有什么措施？")
    assert first.citations
    answer = answerer.ask("它的责任单位呢？", history=[{"question": first.question,
                                                   "citations": [c.__dict__ for c in first.citations]}])
    assert answer.departments and len(answer.citations) == 1, answer.answer
    quote = answer.citations[0].quote
    written = {f["name"]: f["mention"] for f in answer.facts}
    assert set(written) == set(answer.departments)
    assert all((written[name] or name) in quote for name in answer.departments), (quote, written)
    assert answer.citations[0].measure_id == first.citations[0].measure_id


def test_a_follow_up_asks_of_the_cited_clause_that_answered_not_of_the_first_one_cited(answerer):
    """An answer may cite a related clause before the one answering; "它" is the one saying the question."""
    first = answerer.ask("上海防范开源供应链风险有什么措施？")
    other = answerer.ask("南京要搭建几个公共服务平台？")
    assert first.citations and other.citations
    assert other.citations[0].measure_id != first.citations[0].measure_id
    kept = [c.__dict__ for c in other.citations[:1] + first.citations]
    for follow_up in ("它的责任单位呢？", "这项措施属于哪个文件？"):
        answer = answerer.ask(follow_up, history=[{"question": first.question, "citations": kept}])
        assert not answer.abstained, answer.answer
        assert answer.citations[0].measure_id == first.citations[0].measure_id, (follow_up, answer.answer)


def test_a_question_that_stands_alone_ignores_the_history(answerer):
    alone = answerer.ask("南京要搭建几个公共服务平台？")
    with_history = answerer.ask("南京要搭建几个公共服务平台？", history=["上海对开源项目有什么补贴？"])
    assert alone.answer == with_history.answer


def test_scope_to_one_document_cites_only_it(answerer):
    answer = answerer.ask("开源社区的目标是什么？", scope={"document": "沪府办〔2025〕33号"})
    assert answer.citations and {c.doc_no for c in answer.citations} == {"沪府办〔2025〕33号"}


def test_scope_parts_decide_documents_places_and_validity():
    policies = [{"id": "a", "title": "上海市加强开源体系建设实施方案", "doc_no": "沪府办〔2025〕33号", "city": "上海",
                 "expiry": "2027-12-31"},
                {"id": "b", "title": "重庆市加速培育软件开源创新生态实施方案", "doc_no": None, "city": "重庆",
                 "expiry": "2020-01-01"},
                {"id": "c", "title": "国家新一代人工智能发展规划", "doc_no": None, "city": None, "expiry": None}]
    today = date(2026, 1, 1)
    assert scope_policies(Scope(document="沪府办〔2025〕33号"), policies, today) == {"a"}
    assert scope_policies(Scope(jurisdiction="重庆市"), policies, today) == {"b"}
    assert scope_policies(Scope(in_force=True), policies, today) == {"a", "c"}
    with pytest.raises(ValueError):
        Scope.coerce("上海")


@pytest.mark.parametrize("question, previous, kind, asked", [
    ("那南京呢？", "上海对开源项目有什么补贴？", "repeat", "南京对开源项目有什么补贴？"),
    ("那高校呢？", "企业研发投入每年最多能奖励多少？", "repeat", "高校每年最多能奖励多少？"),
    ("这项措施属于哪个文件？", "上海对开源项目有什么补贴？", "document", None),
    ("它的责任单位呢？", "上海防范开源供应链风险有什么措施？", "departments", None),
    # "这一项" points back as 这项 does, and 由谁牵头/统筹/监管 asks who is responsible as 谁负责 does
    ("这一项由谁牵头考核？", "包头的政务热线要升级成什么样？", "departments", None),
    ("这一条由谁统筹？", "上海防范开源供应链风险有什么措施？", "departments", None),
    ("上海对开源项目有什么补贴？", "南京要搭建几个公共服务平台？", "", None),
])
def test_follow_up_kinds(question, previous, kind, asked):
    places = ["南京"] if "南京" in question else []
    spans = [(0, 2)] if places else []
    follow = resolve(question, [Turn(previous)], places, spans, genre=packaged_genre())
    assert follow.kind == kind
    if asked:
        assert follow.question == asked


def test_which_documents_mention_a_term_counts_every_document(answerer):
    answer = answerer.ask("哪些文件提到了开源社区？")
    assert answer.intent == "mention" and not answer.abstained
    texts = [c for c in answerer.indexes.chunks if "开源社区" in c.text]
    documents = {c.policy_id for c in texts}
    assert f"共有 {len(documents)} 份文件" in answer.answer
    assert f"合计 {sum(c.text.count('开源社区') for c in texts)} 处" in answer.answer
    assert all("开源社区" in c.quote for c in answer.citations)
    none = answerer.ask("哪些文件提到了光伏电站？")
    assert none.abstained and none.intent == "mention"



def test_a_term_written_as_an_attributive_phrase_is_searched_by_its_head(answerer):
    """有没有政策讲到建设的开源社区: no document writes the phrase whole; its head 开源社区 is what they name."""
    from rag.mentions import attributive_head

    assert attributive_head("改革的容错纠错") == "容错纠错" and attributive_head("容错纠错") is None
    assert attributive_head("企业的费") is None  # a head of one character names nothing
    answer = answerer.ask("哪些文件提到了建设的开源社区？")
    assert answer.intent == "mention" and not answer.abstained, answer.answer
    assert "“开源社区”" in answer.answer and all("开源社区" in c.quote for c in answer.citations)
    assert answerer.ask("哪些文件提到了建设的光伏电站？").abstained


def test_a_mention_answer_cites_the_first_clauses_of_each_document_it_quotes(answerer):
    """Which clauses use the term is what a reader checks next: the first clauses of a document
    (up to MAX_CLAUSES), each cited, not only the first."""
    from rag.mentions import MAX_CLAUSES

    answer = answerer.ask("哪些文件提到了开源社区？")
    by_document: dict[str, list] = {}
    for c in answerer.indexes.chunks:
        if "开源社区" in c.text:
            by_document.setdefault(c.policy_id, []).append(c)
    many = [cs for cs in by_document.values() if len(cs) > 1]
    assert many, "the seed corpus writes the term in several clauses of one document"
    cited = {c.measure_id for c in answer.citations}
    for chunks in many:
        first = sorted(chunks, key=lambda c: c.start)[:MAX_CLAUSES]
        assert {c.measure_id for c in first} <= cited, answer.answer

    """有没有文件讲到开源生态，比如开源社区、开源项目之类的: the user means any of the examples too."""
    answer = answerer.ask("有没有文件讲到开源生态，比如开源社区、开源项目之类的？")
    assert answer.intent == "mention" and not answer.abstained
    forms = ("开源生态", "开源社区", "开源项目")
    documents = {c.policy_id for c in answerer.indexes.chunks if any(f in c.text for f in forms)}
    assert f"共有 {len(documents)} 份文件" in answer.answer, answer.answer


def test_mention_questions_and_counts():
    assert mention_term("哪些文件提到了住房公积金？", genre=packaged_genre()) == "住房公积金"
    assert mention_term("提到“海外仓”的文件有哪些？", genre=packaged_genre()) == "海外仓"
    assert mention_term("上海对开源项目有什么补贴？", genre=packaged_genre()) is None
    chunks = [Chunk(id=f"{p}:{i}", policy_id=p, measure_id=f"{p}:{i}", text=t, context="", start=i, end=i + 1, title=p)
              for i, (p, t) in enumerate([("a", "公积金与公积金"), ("b", "公积金"), ("a", "无关"), ("c", "无关")])]
    found = find_mentions("公积金", chunks)
    assert [(d.policy_id, d.count, len(d.chunks)) for d in found] == [("a", 2, 1), ("b", 1, 1)]


def test_open_comparison_parts():
    assert compared_parts("合肥和安康高新区的购房补贴有什么不同？") == (["合肥", "安康高新区"], "购房补贴有什么不同？")
    assert compared_parts("上海对开源项目有什么补贴？") is None


@pytest.mark.parametrize("question, sides", [
    # two words of the subject joined by 和 / 及 / 、 before the places or documents compared
    ("大学和科研院所拿到政府数据做研究，阿坝州和广东省对这些数据的用途各有什么限制？", ["阿坝州", "广东省"]),
    ("原本因为涉及隐私不能开放的政府数据，做了脱密脱敏处理以后，广东和阿坝州分别怎么处理？", ["广东", "阿坝州"]),
    ("在数据跨区域、跨境流动上，广东公共数据办法和上海临港新片区管理办法各自提了什么做法？",
     ["广东公共数据办法", "上海临港新片区管理办法"]),
    # a comparison opened with what the asker wants (想比较一下：)
    ("我们是做工业机器人的，想比较一下：安徽的工业互联网行动计划和南宁的科技十三五规划，各提了什么",
     ["安徽的工业互联网行动计划", "南宁的科技十三五规划"]),
    # two things of one document, no places or documents after them: they are the sides
    ("柳河县的重点产业发展引导资金和旅游引导资金，规模各是多少？", ["柳河县的重点产业发展引导资金", "旅游引导资金"]),
])
def test_the_sides_compared_are_the_places_or_documents_not_words_of_the_subject(question, sides):
    got = compared_parts(question)
    assert got is not None and got[0] == sides, got


def test_a_side_whose_best_clause_is_about_something_else_has_no_answer():
    from rag.answer import compared_focus, side_answers
    from rag.compose import Context
    from rag.intents import Intent
    from rag.linking import Linked

    names = ["合肥", "安康高新区"]
    asked = compared_focus(["高新区", "购房", "补贴"], names)
    assert asked == ["购房", "补贴"]  # 高新区 names a side, it is not what is compared
    ctx = Context(question="q", linked=Linked(text="q", links=[]), intent=Intent("comparison"), focus=asked,
                  views={}, fused=[], graph=None, policies=[], responsibility_labels=[], genre=packaged_genre())
    assert side_answers(ctx, asked, "提供购房契税补贴：可申请缴纳契税金额50%的补贴，单套补贴不超过5万元。",
                        genre=packaged_genre())
    assert not side_answers(ctx, asked, "支持新一代信息技术发展：推动集成电路产业“强链补链延链”。",
                            genre=packaged_genre())


def test_open_comparison_of_two_cities_without_a_shared_metric_sets_them_side_by_side(answerer):
    answer = answerer.ask("上海和重庆在开源人才培养方面有什么不同？")
    assert not answer.abstained, answer.answer
    assert {c.city for c in answer.citations} >= {"上海", "重庆"}


def test_the_words_the_asker_describes_themself_with_are_not_what_is_compared(answerer):
    """我们是软件企业，上海和重庆…: 软件企业 says who asks; each side is searched and judged on 开源人才培养."""
    from tests.support.compose import compose_context

    question = "我们是软件企业，上海和重庆在开源人才培养方面有什么不同？"
    names, _, _, asked = answerer._compared(compose_context(question, "comparison", []))
    assert names == ["上海", "重庆"]
    assert "开源" in asked and not {"软件", "企业", "软件企业"} & set(asked), asked
    # a word the asker also asks about stays: 我们是做开源的，…在开源人才培养方面
    _, _, _, asked = answerer._compared(compose_context("我们是做开源的，上海和重庆在开源人才培养方面有什么不同？",
                                                        "comparison", []))
    assert "开源" in asked


class _Letters:
    """A stand-in query model: a question's vector counts a few marker characters (enough to check voting)."""

    name = "letters"
    marks = "部补年时"

    def encode_query(self, text: str):
        import numpy as np

        v = np.array([[text.count(m) for m in self.marks]], dtype=np.float32) + 1e-3
        return v / np.linalg.norm(v)


def test_nearest_example_questions_vote_for_an_intent_and_are_cached(tmp_path):
    from rag.intents import IntentExamples

    examples = IntentExamples.load(_Letters(), tmp_path, genre=packaged_genre())
    assert list(tmp_path.glob("intent_examples-*.npy"))  # computed once, then read back
    again = IntentExamples.load(_Letters(), tmp_path, genre=packaged_genre())
    assert (again.vectors == examples.vectors).all()
    prior = examples.prior(_Letters().encode_query("哪个部门部门负责"))
    assert max(prior, key=prior.get) == "departments"


def test_example_votes_add_to_the_cue_rules(answerer):
    from rag.intents import route

    linked = answerer._get_linker().link("开源社区这块的事情怎么弄？")
    assert route(linked, genre=packaged_genre()).name == "general"
    assert route(linked, {"departments": 2.5}, genre=packaged_genre()).name == "departments"


def test_in_force_scope_leaves_out_policies_not_yet_in_force_and_those_marked_expired():
    policies = [
        {"id": "now", "effective": "2025-01-01", "expiry": "2027-12-31"},
        {"id": "later", "effective": "2026-06-01"},
        {"id": "marked", "status": "已失效"},
        {"id": "undated"},
    ]
    assert scope_policies(Scope(in_force=True), policies, date(2026, 1, 1)) == {"now", "undated"}


def test_a_compared_document_is_found_by_an_abbreviation_of_its_title_within_its_place(answerer):
    titles = {p["id"]: p.get("title") or "" for p in answerer._get_linker().lexicon.policies}
    found = answerer._named_policies("上海的AI大模型措施")  # 人工智能大模型…若干措施, by the thesaurus's AI
    assert [titles[i] for i in found] == ["上海市推动人工智能大模型创新发展若干措施（2023-2025年）"]
    found = answerer._named_policies("智算云意见", place_hint="上海")  # the place the other side opened with
    assert [titles[i] for i in found] == ["上海市关于促进智算云产业创新发展的实施意见（2025-2027年）"]


def test_a_department_follow_up_on_a_clause_without_a_block_is_asked_in_its_own_words(monkeypatch):
    """这事是哪个部门牵头统筹 after a target clause naming no department: the previous question is asked
    again with 牵头统筹 (the document's 加强统筹 clause answers it), and with the plain 由哪些部门负责
    only when that finds nothing."""
    from rag.answer import Answerer
    from rag.model import Answer

    answerer = Answerer.__new__(Answerer)
    answerer.store, answerer.genre = None, packaged_genre()
    monkeypatch.setattr(answerer, "_acting_body", lambda question, mid: None, raising=False)
    own, plain = "深圳终端产业到2026年要做到多大规模，是哪个部门牵头统筹？", "深圳终端产业到2026年要做到多大规模，由哪些部门负责？"
    asked: list[str] = []
    refused: set[str] = set()

    def answer(question, text, allowed, signals):
        asked.append(text)
        return Answer(question=question, intent="departments", answer="…", abstained=text in refused)

    monkeypatch.setattr(answerer, "_answer", answer, raising=False)
    turns = [Turn("深圳终端产业到2026年要做到多大规模？")]
    assert not answerer._departments_of("这事是哪个部门牵头统筹？", {"measure_id": "p.m1"}, turns, None).abstained
    assert asked == [own]
    asked.clear()
    refused.add(own)
    answerer._departments_of("这事是哪个部门牵头统筹？", {"measure_id": "p.m1"}, turns, None)
    assert asked == [own, plain]
