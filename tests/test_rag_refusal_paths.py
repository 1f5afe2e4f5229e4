"""Refusal decisions of the answer paths: a specialised path that finds no fact does not refuse when
the clause says the answer in its own words; a profile followed by one specific question is answered
as that question; an open comparison sets each side's own clauses side by side; a question naming a
kind of benefit no document treats is refused rather than answered with another kind. Texts are
synthetic, written in the genre's wording."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.answer import compared_parts, untreated_benefits
from rag.compose import Composed, Context, View, compose_comparison
from rag.intents import Intent
from rag.linking import Linked
from rag.model import Hit
from rag.profile import profile_asked, read_profile, specific_questions
from rag.tokenize import PolicyTokenizer

G = packaged_genre()


def _context(question: str, text: str, intent: str, focus: list[str], **extra) -> Context:
    view = View(measure_id="p.m1", policy_id="p", text=text, start=0, title="社会资本投资的停车设施",
                number="第十条", policy="某市公共停车设施管理办法", city="某市")
    hit = Hit(chunk_id="p.m1", measure_id="p.m1", score=1.0, signal="fused", rank=1, ranks={"bm25": 1, "dense": 1})
    return Context(question=question, linked=Linked(question), intent=Intent(intent), focus=focus,
                   views={"p.m1": view}, fused=[hit], graph=None, policies=[], responsibility_labels=["责任单位"],
                   term_weight=lambda _t: 1.0, absent=lambda _t: False, nouns=set(focus), genre=G, **extra)


def test_a_profile_followed_by_a_specific_question_is_that_question_within_its_place():
    q = "我们是某市一家软件企业，租用了智能算力，申领算力券有什么条件？"
    assert specific_questions(q, genre=G) == ["申领算力券有什么条件"]
    profile = read_profile("我们是合肥一家软件企业，租用了智能算力，申领算力券有什么条件？", genre=G)
    assert profile is not None
    assert profile_asked("我们是合肥一家软件企业，租用了智能算力，申领算力券有什么条件？", profile) == "合肥，租用了智能算力，申领算力券有什么条件？"
    for offers in ("我们是柳河县一家规上工业企业，能享受哪些支持？", "我们是安徽的一家制造企业，省里给多少奖补？",
                   "我们是一家总部企业，想在合肥新买办公用房，有支持吗？"):
        assert specific_questions(offers, genre=G) == []
    assert specific_questions("我们是合肥一家房地产开发企业，土地出让价款能不能分期缴纳？", genre=G) == ["土地出让价款能不能分期缴纳"]


def test_an_open_comparison_names_its_sides_and_is_answered_side_by_side():
    assert compared_parts("甲市和乙县对房地产开发企业的支持有什么不同？") == (["甲市", "乙县"], "房地产开发企业的支持有什么不同？")
    assert compared_parts("甲市和乙省支持芯片企业的做法有什么不同？")[0] == ["甲市", "乙省"]
    side = Composed(answer="分别来看", citations=[], evidence=[])
    ctx = _context("甲市和乙市支持芯片企业的做法有什么不同？", "支持芯片企业。", "comparison", ["芯片", "企业"],
                   fallback=lambda: side)
    assert compose_comparison(ctx, genre=G) is side


def test_a_benefit_no_document_treats_is_untreated_and_half_of_it_said_is_not():
    corpus = "引进人才入户，给予安家补贴。租房补贴按月发放。"
    absent = lambda t: t not in corpus  # noqa: E731
    assert untreated_benefits(["引进人才", "入户", "安家费"], "引进人才入户应由用人单位申报。", absent, genre=G) == ["安家费"]
    assert untreated_benefits(["安家费"], "给予安家补贴。", absent, genre=G) == []  # 安家 is said
    assert untreated_benefits(["租房补贴"], "租赁住房。", absent, genre=G) == []  # the corpus uses the word


def test_a_thesaurus_term_stays_one_token_where_the_dictionary_would_cut_across_it():
    tokens = PolicyTokenizer().tokenize("没办营业执照的网店老板能贷款吗")
    assert "网店" in tokens and "老板" in tokens


def test_a_longer_known_word_is_not_cut_by_a_thesaurus_term_inside_it():
    from rag.tokenize import containing

    assert containing(["算力", "网店"], ["算力券", "算力", "上海"]) == ["算力券"]
    tokens = PolicyTokenizer(["算力券"]).tokenize("上海的算力券归哪个部门管")
    assert "算力券" in tokens


def test_a_one_character_verb_and_its_one_character_object_are_one_content_word():
    from rag.compose import analyse_focus

    assert "养狗" in analyse_focus(Linked("公租房里能养狗吗？"), "general", genre=G)[0]
    assert "住公" not in analyse_focus(Linked("低保户住公租房还用交房租吗？"), "general", genre=G)[0]
