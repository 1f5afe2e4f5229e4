"""A general answer quotes the clauses nearly as close to the question as the best one (answer.yaml
`near_pick_share`) beside the close ones, never instead of them: a clause the question's words rank
second often answers in the document's own words. Texts are synthetic, written in the genre's wording."""

from __future__ import annotations

import pytest

import rag.compose as compose
from genre import packaged as packaged_genre
from rag.compose import Context, View, close_picks, compose_general, sentences, settings_data
from rag.intents import Intent
from rag.linking import Linked
from rag.model import Hit

G = packaged_genre()
QUESTION = "某市推进海绵城市建设，提倡建设哪些设施？"
BEST = "某市全域推进海绵城市建设，加强海绵型建筑小区建设。"
NEAR = "推行绿色屋顶、透水铺装、雨水花园、植草沟等设施建设。"


def _view(mid: str, text: str) -> View:
    start = 1000 * int(mid[1:])  # each clause at its own place in the document
    return View(measure_id=mid, policy_id="p", text=text, start=start, title="", policy="某市城市内涝治理规划", city="某市")


def _context(views: list[View]) -> Context:
    # no clause both signals rank first (a lead clause is kept whatever the picks: with_lead)
    hits = [Hit(chunk_id=v.measure_id, measure_id=v.measure_id, score=1.0 / i, signal="fused", rank=i,
                ranks={"bm25": i, "dense": len(views) + 1 - i}) for i, v in enumerate(views, 1)]
    focus = ["海绵城市", "建设", "设施"]
    return Context(question=QUESTION, linked=Linked(QUESTION), intent=Intent("general"), focus=focus,
                   views={v.measure_id: v for v in views}, fused=hits, graph=None, policies=[],
                   responsibility_labels=["责任单位"], term_weight=lambda _t: 1.0, absent=lambda _t: False,
                   nouns=set(focus), genre=G)


def _ranked(scores: dict[str, float]):
    """ranked_sentences as the question's words would rank the views: one sentence each, these scores."""
    def ranked(ctx, must=None, limit=8, per_view=1, *, genre, excused=None):
        picks = [(score, ctx.views[mid], sentences(ctx.views[mid])[0]) for mid, score in scores.items()]
        return sorted(picks, key=lambda p: -p[0])
    return ranked


def test_a_pick_nearly_as_close_as_the_best_is_quoted_beside_it(monkeypatch: pytest.MonkeyPatch):
    share, near = settings_data(G)["pick_share"], settings_data(G)["near_pick_share"]
    assert 0 < near < share
    between = (share + near) / 2
    monkeypatch.setattr(compose, "ranked_sentences", _ranked({"m1": 1.0, "m2": between}))
    answer = compose_general(_context([_view("m1", BEST), _view("m2", NEAR)]), genre=G)
    assert not answer.abstained
    assert [c.measure_id for c in answer.citations] == ["m1", "m2"]
    assert "绿色屋顶" in answer.answer


def test_a_pick_far_behind_the_best_is_still_left_out(monkeypatch: pytest.MonkeyPatch):
    far = settings_data(G)["near_pick_share"] * 0.9
    monkeypatch.setattr(compose, "ranked_sentences", _ranked({"m1": 1.0, "m2": far}))
    answer = compose_general(_context([_view("m1", BEST), _view("m2", NEAR)]), genre=G)
    assert [c.measure_id for c in answer.citations] == ["m1"]


def test_a_near_pick_never_stands_in_for_the_close_one(monkeypatch: pytest.MonkeyPatch):
    """The near pick says every content word of the question and the best one does not: narrowing to the
    picks saying every word would keep the near one alone; the close one is quoted still."""
    near = "某市推进海绵城市建设，提倡建设透水铺装等设施。"
    best = "某市推进海绵城市建设，加强海绵型建筑小区建设。"
    between = (settings_data(G)["pick_share"] + settings_data(G)["near_pick_share"]) / 2
    monkeypatch.setattr(compose, "ranked_sentences", _ranked({"m1": 1.0, "m2": between}))
    answer = compose_general(_context([_view("m1", best), _view("m2", near)]), genre=G)
    assert "m1" in [c.measure_id for c in answer.citations]


def test_close_picks_takes_the_share_it_is_given():
    v = _view("m1", BEST)
    picks = [(1.0, v, (0, 1, "a")), (0.75, v, (1, 2, "b")), (0.6, v, (2, 3, "c"))]
    assert [p[0] for p in close_picks(picks, genre=G)] == [1.0]
    assert [p[0] for p in close_picks(picks, share=0.7, genre=G)] == [1.0, 0.75]


def test_the_best_clauses_answer_quotes_near_picks_beside_the_close_ones_too(monkeypatch: pytest.MonkeyPatch):
    """The answer from the best clauses when a specialised path finds nothing picks its quotes the same way."""
    from rag.compose import compose_best_clauses

    between = (settings_data(G)["pick_share"] + settings_data(G)["near_pick_share"]) / 2
    monkeypatch.setattr(compose, "ranked_sentences", _ranked({"m1": 1.0, "m2": between}))
    answer = compose_best_clauses(_context([_view("m1", BEST), _view("m2", NEAR)]), genre=G)
    assert answer is not None and [c.measure_id for c in answer.citations] == ["m1", "m2"]
