"""The metadata evaluation: labels for all 36 development documents, scoring rules, per-part report."""

from __future__ import annotations

from corpus.model import DocumentMeta
from eval.metadata import (
    FIELDS,
    GOLD_PATH,
    DocResult,
    issuers_match,
    load_gold,
    load_split,
    score_fields,
    summarize,
)
from genre import packaged as packaged_genre


def test_every_document_is_labelled_and_split():
    gold = load_gold(GOLD_PATH)
    split = load_split()
    assert len(gold) == 36
    assert set(gold) == set(split)
    assert sum(1 for p in split.values() if p == "eval") >= 12


def test_absent_field_is_right_only_when_nothing_is_guessed():
    gold = {"title": None, "jurisdiction": {"level": "national"}}
    meta = DocumentMeta(title="随便一个标题", doc_no="国发〔2020〕1号")
    meta.extra["title_source"] = "derived"  # a derived display title is not a claim that one is printed
    by = {f.field: f for f in score_fields(gold, meta, genre=packaged_genre())}
    assert by["title"].ok
    assert not by["doc_no"].ok  # invented 文号
    assert by["issued"].ok


def test_title_alternatives_and_spacing_and_brackets():
    gold = {"title": "广州市公共租赁住房保障办法", "title_alt": ["关于印发《X》的通知"]}
    meta = DocumentMeta(title="关于印发X的通知")
    assert {f.field: f for f in score_fields(gold, meta, genre=packaged_genre())}["title"].ok
    meta = DocumentMeta(title="广州市公共租赁住房 保障办法")
    assert {f.field: f for f in score_fields(gold, meta, genre=packaged_genre())}["title"].ok


def test_issuers_compare_as_sets_with_short_forms():
    assert issuers_match(["国家发展改革委", "工业和信息化部"], ["工业和信息化部", "发展改革委"])
    assert not issuers_match(["科技部", "财政部"], ["科技部"])
    assert not issuers_match(["科技部"], ["财政部"])


def test_summary_counts_fields():
    meta = DocumentMeta(title="甲办法")
    d = DocResult("a", "dev", score_fields({"title": "甲办法"}, meta, genre=packaged_genre()))
    s = summarize([d])
    assert s["fields"] == len(FIELDS)
    assert s["per_field"]["title"] == {"correct": 1, "n": 1}
