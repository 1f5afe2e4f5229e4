"""A question asking every part of a whole (一共出了哪些招, 都包括哪些方面) whose best clauses are spread over
the parts of one section is answered by that section's parts, not by the few clauses retrieved."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.compose import (
    Context,
    View,
    analyse_focus,
    compose_spread,
    compose_structure,
    outline_parts,
    spread_part,
    titled,
)
from rag.intents import Intent
from rag.linking import Link, Linked
from rag.model import Hit

TITLE = "某市关于促进房地产市场平稳健康发展的通知"
ITEMS = ["实施购房补贴", "优化销售政策", "促进二手房市场流通", "推广房票安置", "提高住房公积金贷款额度",
         "动态调整首套住房贷款利率"]


def _document() -> list[View]:
    """A notice of numbered measures, each a clause of the top level (no section), in text order."""
    intro = View(measure_id="p.0", policy_id="p", text="为促进房地产市场平稳健康发展,现就有关事项通知如下:",
                 start=0, policy=TITLE, city="某市", kind="preamble")
    views, at = [intro], 40
    for i, title in enumerate(ITEMS, 1):
        text = f"{i}.{title}。对符合条件的家庭按规定执行,具体办法另行制定。"
        views.append(View(measure_id=f"p.{i}", policy_id="p", text=text, start=at, title=title, number=f"{i}.",
                          policy=TITLE, city="某市"))
        at += len(text) + 2
    return views


def _context(question: str, hit: list[str]) -> Context:
    """The question with the given clauses as its best fused hits, over the whole notice's outline."""
    views = _document()
    by_id = {v.measure_id: v for v in views}
    linked = Linked(text=question, links=[])
    focus, nouns = analyse_focus(linked, "general", genre=packaged_genre())
    fused = [Hit(chunk_id=m, measure_id=m, score=1.0 / i, signal="fused", rank=i) for i, m in enumerate(hit, 1)]
    return Context(question=question, linked=linked, intent=Intent("general"), focus=focus, views=by_id,
                   fused=fused, graph=None, policies=[{"id": "p", "title": TITLE}], responsibility_labels=["责任单位"],
                   nouns=nouns, genre=packaged_genre(), outline=lambda pid: views)


def test_a_whole_asked_for_and_found_everywhere_is_listed_part_by_part():
    ctx = _context("某市这次促进房地产市场发展一共出了哪些招，列一下", ["p.2", "p.6", "p.4", "p.5", "p.1"])
    assert spread_part(ctx) is not None
    answer = compose_spread(ctx, genre=packaged_genre())
    assert answer is not None
    for title in ITEMS:  # every part, also the one retrieval did not rank (促进二手房市场流通)
        assert title in answer.answer
    headings = [c.quote for c in answer.citations if c.quote.startswith(tuple(f"{i}." for i in range(1, 7)))]
    assert headings == [f"{i}.{t}" for i, t in enumerate(ITEMS, 1)]  # each part cited at its heading


def test_clauses_of_one_or_two_parts_are_no_spread():
    ctx = _context("某市这次促进房地产市场发展一共出了哪些招，列一下", ["p.2", "p.2", "p.6", "p.0"])
    assert spread_part(ctx) is None
    assert compose_spread(ctx, genre=packaged_genre()) is None


def test_a_question_asking_one_thing_is_not_a_whole_even_when_its_clauses_are_spread():
    """No whole asked (一共, 都包括, 列一下): the clauses answer as usual, and a count asked is a number."""
    spread = ["p.2", "p.6", "p.4", "p.5", "p.1"]
    for question in ("某市首套住房贷款利率有哪些调整？", "某市这次一共出了几条措施？"):
        assert compose_spread(_context(question, spread), genre=packaged_genre()) is None


def test_a_whole_the_parts_do_not_name_is_not_listed():
    """The question's words must be the document's or its parts' (公积金 is, 租金 and 补偿 are not): a
    list of the chapters of a document about something else is no answer."""
    ctx = _context("某市公租房的租金和补偿都包括哪些？", ["p.2", "p.6", "p.4", "p.5", "p.1"])
    assert spread_part(ctx) is not None
    assert compose_spread(ctx, genre=packaged_genre()) is None


def _articles(opening_titled: bool) -> list[View]:
    """A section holding two articles: with run-in titles of their own, or labelled by their opening
    words cut short (第2条对重点产业新上的工业类项目(不含采矿 — the outline's label for an untitled article)."""
    section = "二、支持范围 / （一）固定资产投资奖励"
    rows = [("第2条", "新上工业项目奖励", "对重点产业新上的工业类项目(不含采矿", "、矿产类项目)，按固定资产投资的5%给予奖励，"
             "专项用于企业研发、生产及基础设施建设。"),
            ("第3条", "重大产业项目一事一议", "固定资产投资在1亿元及以上的工业类项目为重大产业", "项目，其投资奖励实行“一事一议”。")]
    views, at = [], 0
    for number, title, opening, rest in rows:
        text = f"{number}{title}。{opening}{rest}" if opening_titled else f"{number}{opening}{rest}"
        views.append(View(measure_id=f"q.{number}", policy_id="q", text=text, start=at,
                          title=title if opening_titled else opening, number=number, policy="某县支持重点产业发展的实施意见",
                          city="某县", section=section))
        at += len(text) + 2
    return views


def _structure_context(question: str, views: list[View]) -> Context:
    linked = Linked(text=question, links=[])
    focus, nouns = analyse_focus(linked, "general", genre=packaged_genre())
    fused = [Hit(chunk_id=v.measure_id, measure_id=v.measure_id, score=1.0, signal="fused", rank=1) for v in views]
    return Context(question=question, linked=linked, intent=Intent("general"), focus=focus,
                   views={v.measure_id: v for v in views}, fused=fused, graph=None,
                   policies=[{"id": "q", "title": "某县支持重点产业发展的实施意见", "city": "某县"}],
                   responsibility_labels=["责任单位"], nouns=nouns, genre=packaged_genre(), outline=lambda pid: views)


def test_a_section_of_untitled_articles_is_not_listed_by_their_cut_openings():
    """A section the question names lists its parts' titles; articles without titles have none, and
    their openings cut short name nothing asked (钱只能用在哪些方面 is said inside the article)."""
    question = "固定资产投资奖励的钱只能用在哪些方面？"
    titled_views, untitled_views = _articles(True), _articles(False)
    assert titled(outline_parts("q", titled_views)[-1]) and not titled(outline_parts("q", untitled_views)[-1])
    listed = compose_structure(_structure_context(question, titled_views), named=True, genre=packaged_genre())
    assert listed is not None and "新上工业项目奖励" in listed.answer
    assert compose_structure(_structure_context(question, untitled_views), named=True, genre=packaged_genre()) is None


def _tasks(policy_id: str, policy: str, titles: list[str]) -> list[View]:
    """A document whose section 重点任务 holds numbered tasks with run-in titles."""
    views, at = [], 0
    for i, title in enumerate(titles, 1):
        text = f"{i}.{title}。按照有关要求组织实施。"
        views.append(View(measure_id=f"{policy_id}.{i}", policy_id=policy_id, text=text, start=at, title=title,
                          number=f"{i}.", policy=policy, city="全国", section="二、重点任务"))
        at += len(text) + 2
    return views


def test_a_question_naming_a_document_is_answered_with_that_documents_list():
    """科技部那个人工智能创新试验区…重点任务有哪几项 names the 试验区 guide: its own list answers, not the
    list of another document on the same subject that the question's words fit as well."""
    from tests.support.compose import compose_context

    plan = _tasks("plan", "人工智能发展规划", ["构建开放协同的科技创新体系", "培育高端高效的智能经济", "建设安全便捷的智能社会"])
    guide = _tasks("guide", "人工智能创新发展试验区建设工作指引", ["开展技术应用示范", "开展政策试验", "开展社会实验"])
    outlines = {"plan": plan, "guide": guide}
    ctx = compose_context("人工智能创新发展试验区建设工作指引的重点任务有哪几项？", "general", plan + guide,
                          links=[Link(kind="policy", value="guide", mention="人工智能创新发展试验区建设工作指引")],
                          policies=[{"id": "plan", "title": "人工智能发展规划", "city": "全国"},
                                    {"id": "guide", "title": "人工智能创新发展试验区建设工作指引", "city": "全国"}],
                          outline=lambda pid: outlines[pid])
    listed = compose_structure(ctx, genre=packaged_genre())
    assert listed is not None and "开展政策试验" in listed.answer and "智能经济" not in listed.answer
