"""A cited clause's quote is completed by the clause's sentence that says what the question asks and
no quote shows: a question asking two things of one clause (who heads the office, which bureau a new
project goes to) is answered by two of its sentences, not only by the one sharing most words with it.
Synthetic clauses in the genre's wording."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.compose import Citer, Composed, View, compose, said_part, with_complement
from tests.support.compose import compose_context

GENRE = packaged_genre()

GROUP = ("成立某县重点产业工作领导小组，统筹推进重点产业发展，领导小组下设办公室。"
         "办公室主任由分管副县长兼任，副主任由县商务局局长和县工信局局长兼任。"
         "县商务局负责新建重点产业项目相关工作，县工信局负责技改重点产业项目相关工作。")


def _view(mid: str, title: str, text: str) -> View:
    return View(measure_id=mid, policy_id=mid.split(".")[0], text=text, start=0, title=title, number="第20条",
                policy="某县关于支持重点产业加快发展的实施意见", city="某县")


def _quoting(view: View, sentence: str) -> Composed:
    citer = Citer()
    a = view.text.index(sentence)
    n = citer.cite(view, view.start + a, view.start + a + len(sentence), sentence)
    return Composed(answer=f"- {sentence} [{n}]", citations=citer.citations)


def test_the_sentence_saying_the_other_asked_thing_completes_the_quote():
    view = _view("p1.m20", "成立某县重点产业工作领导小组", GROUP)
    ctx = compose_context("办公室谁当主任？新建项目找哪个局", "departments", [view])
    composed = _quoting(view, "县商务局负责新建重点产业项目相关工作，县工信局负责技改重点产业项目相关工作。")
    done = with_complement(ctx, composed, genre=GENRE)
    assert "同一条款还写明" in done.answer and "分管副县长" in done.answer
    assert len(done.citations) == 2 and done.citations[1].measure_id == "p1.m20"
    assert "分管副县长" in done.citations[1].quote and "统筹推进" not in done.citations[1].quote  # one sentence


def test_a_quote_that_says_the_question_gains_nothing():
    view = _view("p1.m20", "成立某县重点产业工作领导小组", GROUP)
    ctx = compose_context("新建重点产业项目找哪个局", "departments", [view])
    composed = _quoting(view, "县商务局负责新建重点产业项目相关工作，县工信局负责技改重点产业项目相关工作。")
    assert with_complement(ctx, composed, genre=GENRE) == composed


def test_only_the_clauses_cited_first_are_completed_and_by_one_sentence_each():
    view = _view("p1.m20", "成立某县重点产业工作领导小组", GROUP)
    other = _view("p1.m21", "强化考核", "每年对各单位推进情况进行考核。考核结果报县委、县政府。")
    ctx = compose_context("办公室谁当主任？新建项目找哪个局，考核结果报给谁", "departments", [view, other])
    citer = Citer()
    for v, s in ((view, "县商务局负责新建重点产业项目相关工作，县工信局负责技改重点产业项目相关工作。"),
                 (other, "每年对各单位推进情况进行考核。")):
        a = v.text.index(s)
        citer.cite(v, a, a + len(s), s)
    done = with_complement(ctx, Composed(answer="- …", citations=citer.citations), genre=GENRE)
    added = done.citations[2:]
    assert len(added) == 1 and added[0].measure_id == "p1.m20"  # the second clause is not completed


def test_a_word_no_document_writes_is_said_in_part_by_its_characters():
    # 大病变穷 segmented 大/病变/穷: no document writes 病变, and 因病致贫 says half of it
    view = _view("p1.m27", "全力推进精准扶贫精准脱贫", "x")
    ctx = compose_context("家里有人得了大病变穷的，主要靠啥办法脱贫", "general", [view], absent=lambda t: t == "病变")
    assert said_part(ctx, "病变", "对因病致贫、因病返贫的贫困人口，通过医疗救助实现脱贫。", genre=GENRE) == 0.5
    assert said_part(ctx, "病变", "通过加大产业扶贫、增加经营收入实现脱贫。", genre=GENRE) == 0.0
    assert said_part(ctx, "脱贫", "因病脱", genre=GENRE) == 0.0  # a word documents write is said whole or not


def test_a_composed_answer_quotes_the_clauses_second_asked_sentence():
    filler = "加强统筹协调，完善工作机制，形成工作合力，确保各项措施落到实处。" * 8  # a long clause: no whole quote
    view = _view("p1.m20", "成立某县重点产业工作领导小组", GROUP + filler)
    ctx = compose_context("办公室谁当主任？新建项目找哪个局", "general", [view])
    answer = compose(ctx, genre=GENRE)
    assert not answer.abstained
    quotes = "".join(c.quote for c in answer.citations)
    assert "分管副县长" in quotes and "县商务局负责新建" in quotes
    assert "确保各项措施落到实处" not in quotes
