"""A clause that says nothing beyond its run-in heading — a one-line item of a list of rules
("7.申报项目受理后，原则上不能更改申报单位和负责人。") — is quoted by that heading: it is what the clause
says. A bare title ("二、申请条件") or a heading followed by the clause's own sentences stays out of quotes."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.compose import View, compose_general, heading_is_content, lead_sentences, skips_heading
from rag.model import Hit
from tests.support.compose import compose_context

GENRE = packaged_genre()
POLICY = "某部关于发布重点专项项目申报指南的通知"
ITEM = "7.申报项目受理后，原则上不能更改申报单位和负责人。"
NEIGHBOUR = ("6.受聘于内地单位的外籍科学家可作为重点专项的项目负责人，全职受聘人员须由内地聘用单位提供"
             "全职聘用的有效证明。")


def _view(text: str, mid: str, title: str, number: str, start: int) -> View:
    return View(measure_id=mid, policy_id="p1", text=text, start=start, title=title, number=number,
                policy=POLICY, city="全国")


def _item() -> View:
    return _view(ITEM, "p1.m7", "申报项目受理后，原则上不能更改申报单位和负责人", "7.", 900)


def _neighbour() -> View:
    return _view(NEIGHBOUR, "p1.m6", "受聘于内地单位的外籍科学家可作为重点专项的项目负责人", "6.", 800)


def test_a_one_line_item_is_its_heading_and_its_content():
    item = _item()
    assert heading_is_content(item)
    assert not skips_heading(item, ITEM)


def test_a_bare_title_is_no_content():
    title = _view("二、申请条件", "p1.m2", "申请条件", "二、", 100)
    assert not heading_is_content(title)
    assert skips_heading(title, "二、申请条件")


def test_a_heading_followed_by_its_sentences_stays_out_of_quotes():
    text = "（一）科教资源丰富。应拥有设立人工智能学院或研究院的高校。"
    v = _view(text, "p1.m3", "科教资源丰富", "（一）", 200)
    assert not heading_is_content(v)
    assert skips_heading(v, "（一）科教资源丰富。")


def _agreed(views: list[View]) -> list[Hit]:
    """Fused hits that BM25 and the dense signal rank alike: the first is the lead clause."""
    return [Hit(chunk_id=v.measure_id, measure_id=v.measure_id, score=1.0 / i, signal="fused", rank=i,
                ranks={"bm25": i, "dense": i}) for i, v in enumerate(views, 1)]


def test_the_lead_clause_that_is_one_line_is_quoted_by_it():
    item, other = _item(), _neighbour()
    ctx = compose_context("项目已经报上去受理了，还能换负责人吗", "general", [item, other], fused=_agreed([item, other]))
    assert [s[2] for s in lead_sentences(ctx, item, genre=GENRE)] == [ITEM]


def test_a_general_answer_quotes_the_one_line_item():
    item, other = _item(), _neighbour()
    composed = compose_general(compose_context("项目受理以后，还能更改负责人吗", "general", [item, other]),
                               genre=GENRE)
    assert not composed.abstained
    assert any(c.quote == ITEM for c in composed.citations)
    assert "不能更改申报单位和负责人" in composed.answer


def test_a_guides_table_title_and_rule_rows_stay_out_of_quotes():
    """A policy guide's table of fields opens with a row repeating the item's title (its caption) and a
    rule row; neither says anything a quote should carry, unlike the rows of fields below them."""
    from rag.compose import is_heading

    text = ("14. 北京市开展农产品批发市场建设资金支持  | 北京市开展农产品批发市场建设资金支持 |  |  |  |\n"
            "|---|---|---|---|\n| 时间/频度 | 一般每年一次 |  |  |\n"
            "| 联络方式 | 北京市商务局储备调控处：55579559 |  |  |")
    view = _view(text, "g.m14", "北京市开展农产品批发市场建设资金支持", "14.", 0)
    rows = text.split("\n")
    assert skips_heading(view, rows[0]) and skips_heading(view, rows[1])
    assert not is_heading(view, rows[2]) and not is_heading(view, rows[3])
    # a row holding the title and a figure says the figure
    assert not is_heading(view, "| 北京市开展农产品批发市场建设资金支持 | 500 |")
