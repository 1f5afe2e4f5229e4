"""A document's basis is the sentence in which it states it ("根据《…》…，制定本办法"): in the preamble of
a plan or opinion, in the 第一条 of a regulation issued by an order or notice."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.compose import Context, View, analyse_focus, asks_basis, compose_basis
from rag.intents import Intent
from rag.linking import Linked

ISSUING = "各区人民政府，市政府各部门：《某市公共租赁住房管理办法》业经市人民政府同意，现印发给你们，请认真贯彻执行。"
FIRST_ARTICLE = ("第一条为加强公共租赁住房保障，根据《公共租赁住房管理办法》（住房城乡建设部令第11号）等要求，"
                 "结合本市实际，制定本办法。")
SECOND_ARTICLE = "第二条住房保障部门应当依法制定本部门公共租赁住房保障工作规程。"


def _view(mid: str, text: str, start: int, kind: str = "measure") -> View:
    return View(measure_id=mid, policy_id="p", text=text, start=start, title="", number="",
                policy="某市公共租赁住房管理办法", city="某市", section="第一章 总则", kind=kind)


def _context(question: str) -> Context:
    pre = _view("p.pre", ISSUING, 0, kind="preamble")
    first = _view("p.m1", FIRST_ARTICLE, 100)
    second = _view("p.m2", SECOND_ARTICLE, 200)
    linked = Linked(text=question, links=[])
    focus, nouns = analyse_focus(linked, "general", genre=packaged_genre())
    return Context(question=question, linked=linked, intent=Intent("general"), focus=focus, views={}, fused=[],
                   graph=None, policies=[{"id": "p", "title": "某市公共租赁住房管理办法", "city": "某市"}],
                   responsibility_labels=["责任单位"], nouns=nouns, genre=packaged_genre(),
                   preamble=lambda pid: pre, outline=lambda pid: [pre, first, second])


def test_a_regulation_states_its_basis_in_its_first_article_not_in_the_issuing_notice():
    composed = compose_basis(_context("这个管理办法是根据什么文件制定的？"), genre=packaged_genre())
    assert [c.measure_id for c in composed.citations] == ["p.m1"]
    assert composed.citations[0].quote == FIRST_ARTICLE
    assert "《公共租赁住房管理办法》" in composed.answer and "现印发给你们" not in composed.answer


def test_a_duty_to_draw_up_rules_is_no_basis_statement():
    """"依法制定本部门…规程" makes no document of its own: without a 第一条 stating the basis, the
    answer falls back to the preamble."""
    ctx = _context("这个管理办法是根据什么文件制定的？")
    pre, _, second = ctx.outline("p")
    ctx.outline = lambda pid: [pre, second]
    composed = compose_basis(ctx, genre=packaged_genre())
    assert [c.measure_id for c in composed.citations] == ["p.pre"]


def test_the_basis_asked_in_everyday_words_is_a_basis_question():
    genre = packaged_genre()
    assert asks_basis(_context("这个管理办法当初是照着哪个方案定出来的？"), genre=genre)
    assert asks_basis(_context("这个办法是按照什么文件制定的"), genre=genre)
    assert not asks_basis(_context("这个办法照着做就行吗"), genre=genre)


def test_a_basis_named_as_a_thing_of_the_question_is_not_asked():
    """没有法律法规依据的证明事项 names certificates lacking a basis: the question asks when they are
    cleared, not on what basis a document was issued; 依据是什么 and 出台依据 ask it."""
    genre = packaged_genre()
    assert not asks_basis(_context("这个方案里，那些没有法律法规依据的证明事项，最迟什么时候之前清理掉？"), genre=genre)
    assert asks_basis(_context("这个办法的依据是什么？"), genre=genre)
    assert asks_basis(_context("这个方案的出台依据是哪个文件？"), genre=genre)


def test_what_a_thing_is_worked_out_from_is_not_the_documents_basis():
    """根据哪几个因子做的 asks what a platform of the plan is built on, said in a clause; 根据哪几个文件制定的
    and 根据什么出台的 ask on what the document itself rests."""
    genre = packaged_genre()
    assert not asks_basis(_context("这个规划里的监测预警平台是根据哪几个因子做的？"), genre=genre)
    assert asks_basis(_context("这个实施细则是根据哪几个文件制定的？"), genre=genre)
    assert asks_basis(_context("这个办法是根据什么出台的？"), genre=genre)
    assert asks_basis(_context("这个办法根据什么？"), genre=genre)


def test_the_issuer_of_the_basis_may_be_named_before_which():
    """照着四川省哪份文件定的: the province or body issuing the basis stands between 照着 and 哪."""
    genre = packaged_genre()
    assert asks_basis(_context("这个办法是照着四川省哪份文件定的？"), genre=genre)
    assert asks_basis(_context("这个办法是依照国家什么规定制定的？"), genre=genre)
    assert not asks_basis(_context("这个办法照着做就行吗"), genre=genre)


def test_a_time_asked_of_a_thing_inside_a_named_document_is_the_clauses():
    """放管服分工方案里…原定什么时候出台 names the document as the place of what is asked: the time of a
    thing inside it (another document it plans), which a clause states — not the document's own date.
    A question asking the document's own date names it without a locative."""
    from rag.compose import asks_of_a_clause
    from rag.linking import Link

    genre = packaged_genre()

    def ctx(question: str) -> Context:
        c = _context(question)
        c.linked = Linked(text=question, links=[Link("policy", "p", "分工方案", 0, 4)])
        return c

    assert asks_of_a_clause(ctx("分工方案里，完善新业态劳动用工管理和服务的指导意见原定什么时候出台？"), genre=genre)
    assert asks_of_a_clause(ctx("分工方案说营商环境评价要铺到全国所有地级及以上城市，是从哪一年开始？"), genre=genre)
    assert not asks_of_a_clause(ctx("分工方案是什么时候出台的？"), genre=genre)


def test_a_document_named_by_its_title_words_as_the_place_of_what_is_asked_is_a_container():
    """包头数字政府考评里，…千兆升级，截止时间是什么时候: the opening names the document without a word for
    a kind of document, then a thing inside it is asked of; the clause's time answers."""
    from rag.compose import asks_of_a_clause
    from rag.linking import Link

    genre = packaged_genre()

    def ctx(question: str) -> Context:
        c = _context(question)
        c.linked = Linked(text=question, links=[Link("policy", "p", "某市考评", -1, -1)])
        return c

    assert asks_of_a_clause(ctx("某市考评里，旗县区分批做千兆升级，截止时间是什么时候？"), genre=genre)
    assert not asks_of_a_clause(ctx("某市考评是什么时候出台的？"), genre=genre)


def test_the_time_of_a_task_inside_a_document_named_as_its_place_is_the_clauses_not_the_documents():
    """The question names the document by its place and topic (某市考评), which alone would make its own
    dates the answer; said as the place of the task asked (某市考评里，…), the task's clause answers."""
    from rag.compose import clause_time
    from rag.linking import Link
    from rag.model import Hit

    task = View(measure_id="p.m66", policy_id="p", text="66.推进条件较好旗县区，分批次实现千兆升级。（5月底完成，牵头考核单位：市工信局）",
                start=300, title="66.推进条件较好旗县区，分批次实现千兆升级", number="66.",
                policy="某市数字政府建设考评办法", city="某市", section="一、考评内容")
    question = "某市数字政府建设考评里，千兆升级截止时间是什么时候？"
    ctx = _context(question)
    ctx.linked = Linked(text=question, links=[Link("city", "某市", "某市", 0, 2), Link("policy", "p", "数字政府建设考评", -1, -1)])
    ctx.policies = [{"id": "p", "title": "某市数字政府建设考评办法", "city": "某市"}]
    ctx.views, ctx.fused = {"p.m66": task}, [Hit("c66", "p.m66", 1.0, "fused")]
    whole = View(measure_id="", policy_id="p", text="某市数字政府建设考评办法\n" + task.text + "\n本办法自印发之日起施行。",
                 start=0, title="文件头", policy="某市数字政府建设考评办法")
    ctx.locate = lambda pid, a, b: whole  # the document's own text: its closing provision would answer
    composed = clause_time(ctx, genre=packaged_genre())
    assert composed is not None and "5月底完成" in composed.answer, composed
    assert [c.measure_id for c in composed.citations] == ["p.m66"]


def test_the_document_a_question_names_is_the_one_it_is_about():
    """安康高新区楼市17条是为了什么出台的 names one document: it is the one asked about, though retrieval
    ranks a clause of another document on the same subject first."""
    from rag.compose import the_policy
    from rag.linking import Link
    from tests.support.compose import compose_context

    other = View(measure_id="q.m1", policy_id="q", text="第一条为促进房地产市场平稳健康发展，制定本措施。", start=0,
                 title="", number="", policy="某县房地产十六条措施", city="某县", section="", kind="measure")
    ctx = compose_context("某市公共租赁住房管理办法是为了什么出台的？", "general", [other],
                          links=[Link(kind="policy", value="p", mention="某市公共租赁住房管理办法")],
                          policies=[{"id": "q", "title": "某县房地产十六条措施", "city": "某县"},
                                    {"id": "p", "title": "某市公共租赁住房管理办法", "city": "某市"}])
    assert the_policy(ctx, genre=packaged_genre())["id"] == "p"
