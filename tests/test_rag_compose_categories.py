"""One category of a list, and the whole of a list: a question naming one of the categories a clause
gives each its own amount is answered with that category's offer; a quoted sentence announcing a list
(…按下列渠道筹集：) carries the items that follow it."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.compose import View, asked_siblings, compose_general
from tests.support.compose import compose_context

GENRE = packaged_genre()


def _view(mid: str, title: str, text: str, start: int = 0) -> View:
    return View(measure_id=mid, policy_id=mid.split(".")[0], text=text, start=start, title=title, number="1.",
                policy="某市促进住房消费若干措施", city="某市")


SUBSIDY = ("凡在本市新购买新建商品住房的购房人，给予总房价1%的购房补贴；多子女的本市户籍家庭新购买新建商品住房的，"
           "给予总房价1.5%的购房补贴；售出自有住房并在1年内购买新建商品住房的购房人，给予总房价2%的购房补贴。")


def _rows(view: View) -> list[dict]:
    """The three offers of SUBSIDY as the graph holds them: one sentence, a condition each."""
    conditions = ["在本市新购买新建商品住房的购房人", "多子女的本市户籍家庭新购买新建商品住房的",
                  "售出自有住房并在1年内购买新建商品住房的购房人"]
    return [{"measure_id": view.measure_id, "start": view.start, "end": view.start + len(SUBSIDY), "score": 1.0,
             "condition": c, "amount": a} for c, a in zip(conditions, ["1%", "1.5%", "2%"], strict=True)]


def test_the_offer_of_the_category_the_question_names_is_kept_and_its_siblings_dropped():
    view = _view("p.m1", "实施购房补贴", SUBSIDY)
    ctx = compose_context("把自己的旧房卖了，一年内再买新房能补贴多少？", "support", [view])
    assert [r["amount"] for r in asked_siblings(ctx, _rows(view))] == ["2%"]
    ctx = compose_context("多子女家庭买新房补贴多少？", "support", [view])
    assert [r["amount"] for r in asked_siblings(ctx, _rows(view))] == ["1.5%"]


def test_offers_the_question_does_not_tell_apart_are_all_kept():
    view = _view("p.m1", "实施购房补贴", SUBSIDY)
    ctx = compose_context("买新房有什么补贴？", "support", [view])
    assert [r["amount"] for r in asked_siblings(ctx, _rows(view))] == ["1%", "1.5%", "2%"]
    other = _view("p.m2", "支持企业购置办公用房", "对总部企业新购办公用房的，给予补助。")
    rows = [*_rows(view)[:1], {"measure_id": "p.m2", "start": 0, "end": 18, "score": 0.9, "condition": "总部企业新购办公用房"}]
    ctx = compose_context("卖了旧房再买新房补贴多少？", "support", [view, other])
    assert len(asked_siblings(ctx, rows)) == 2  # offers of two sentences are not siblings


def test_a_quoted_sentence_announcing_a_list_carries_its_items():
    text = ("第十八条 市、区人民政府应当建立与保障需求相适应的资金保障机制。\n保障资金可以按下列渠道筹集：\n"
            "（一）上级安排的专项补助资金；\n（二）市、区财政年度预算安排资金；\n（三）社会捐赠资金。\n"
            "第十九条之外的文字。")
    view = _view("p.m1", "资金保障", text)
    answer = compose_general(compose_context("保障资金可以从哪些渠道筹集？", "general", [view]), genre=GENRE)
    assert "专项补助资金" in answer.answer and "社会捐赠资金" in answer.answer
    assert "第十九条" not in answer.citations[0].quote


def test_every_item_of_a_split_clause_is_listed_where_its_pieces_meet_at_one_space():
    from rag.compose import clause_items

    # a clause indexed in two pieces, rejoined with the one line break between them as a space
    text = ("——坚持统一规划的原则。统筹全市资源，形成合力。\n——坚持需求导向的原则。围绕企业需求部署任务。"
            " ——坚持开放合作的原则。引进外部资源，扩大交流。\n——坚持安全可控的原则。守住底线。")
    items = [s[2] for s in clause_items(_view("p.m1", "基本原则", text))]
    assert items == ["——坚持统一规划的原则。", "——坚持需求导向的原则。", "——坚持开放合作的原则。", "——坚持安全可控的原则。"]
