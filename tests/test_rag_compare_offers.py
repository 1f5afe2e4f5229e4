"""An open comparison asking what each side gives reads a side's offering clauses first."""
from __future__ import annotations

from types import SimpleNamespace

from genre import packaged as packaged_genre
from rag.answer import Answerer, asks_support, offers_support
from rag.compose import View

G = packaged_genre()
POLICY = "某市关于促进房地产市场平稳健康发展的通知"


def _view(mid: str, title: str, text: str) -> View:
    return View(measure_id=mid, policy_id="p", text=text, start=0, title=title, policy=POLICY, city="某市")


# ranked as retrieval might rank them: a clause on another matter first, the offer second
REGULATE = _view("p.m1", "规范市场经营秩序", "十四、规范市场经营秩序。严格执行一房一价、明码标价的相关规定，引导房地产开发企业合理定价。")
OFFER = _view("p.m2", "加大税收支持力度", "九、加大税收支持力度。对房地产企业应缴纳的欠税，符合条件的，依法减免税款。")


def test_a_comparison_asking_what_is_given_is_told_from_the_wording_of_its_subject():
    assert asks_support("房地产开发企业的支持", genre=G)
    assert asks_support("帮人才解决住房上有啥", genre=G)
    assert asks_support("给钱给资源这块有啥", genre=G)
    assert not asks_support("申请的门槛各有什么要求", genre=G)  # what is required, not what is given
    assert not asks_support("公示期各是几天", genre=G)


def test_a_clause_offers_support_when_it_says_a_support_kind():
    assert offers_support(OFFER.text, genre=G)
    assert not offers_support(REGULATE.text, genre=G)


def _side_views(subject: str) -> list[str]:
    fake = SimpleNamespace(genre=G, _best_views=lambda query, ids, n: [REGULATE, OFFER],
                           _rare_words=lambda words, pid, title: [])
    ctx = SimpleNamespace(term_weight=lambda w: 1.0)
    return [v.measure_id for v, _ in Answerer._side_views(fake, subject, [], {"p"}, ctx)]


def test_a_side_asked_what_it_gives_shows_its_offering_clause_first():
    """合肥和安康高新区对房地产开发企业的支持有什么不同: the side's clause on tax relief answers, not the
    clause retrieval ranked first that only regulates the market."""
    assert _side_views("房地产开发企业的支持") == ["p.m2", "p.m1"]


def test_a_side_asked_something_else_keeps_the_retrieval_order():
    assert _side_views("房地产开发企业的监管规定") == ["p.m1", "p.m2"]
