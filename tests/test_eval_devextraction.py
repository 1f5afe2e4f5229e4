"""The development-corpus extraction report: how labels name measures and how facts are compared."""

from __future__ import annotations

from types import SimpleNamespace

from eval.devextraction import (
    PartScore,
    _score_tiers,
    amount_key,
    find_measure,
    load_gold,
    load_split,
    merge_labels,
    support_matches,
    tier_key,
)


def test_every_label_names_a_document_of_the_split_and_a_quote():
    split = load_split()
    for doc in load_gold():
        assert doc["file"] in split, doc["file"]
        for label in doc["measures"]:
            assert len(label["quote"]) >= 6 and set(label) - {"quote"}, label


def test_amounts_compare_as_numbers_in_yuan_and_rates():
    assert amount_key("最高500万元") == amount_key("不超过 500 万元") == frozenset({(5_000_000.0, "元")})
    assert amount_key("总房价1%，最高不超过10万元") == frozenset({(1.0, "%"), (100_000.0, "元")})
    assert amount_key(None) == frozenset()


def test_a_support_item_matches_on_amount_condition_and_applicants():
    gold = {"amount": "50万元、100万元", "condition": "评估等级在3A", "applicant": ["企业"]}
    item = SimpleNamespace(amount="50万元、100万元", rate=None, cap=None, condition="对评估等级在3A、4A级的企业",
                           applicants=["企业"])
    assert support_matches(gold, item)
    assert not support_matches({**gold, "applicant": ["个人"]}, item)
    assert not support_matches({**gold, "amount": "50万元"}, item)


def test_the_smallest_measure_holding_the_quote_is_the_labelled_one(policy_from_text):
    policy = policy_from_text("一、总体要求\n（一）加强统筹。市发展改革委负责。\n（二）完善政策。给予企业奖励。\n")
    assert find_measure(policy, "给予企业 奖励").title == "完善政策"
    assert find_measure(policy, "不在文中") is None


def test_labels_of_one_measure_are_scored_together():
    a = {"quote": "x", "departments": {"lead": ["A"]}, "targets": [{"value": 1}]}
    b = {"quote": "y", "departments": {"lead": ["A"], "participant": ["B"]}, "targets": [{"value": 2}]}
    merged = merge_labels(a, b)
    assert merged["departments"] == {"lead": ["A"], "participant": ["B"]}
    assert [t["value"] for t in merged["targets"]] == [1, 2]


def test_tiers_are_scored_as_grade_and_amount_pairs():
    assert tier_key("3A级：50万元") == tier_key("3A 级: 500000元") == ("3A级", frozenset({(500_000.0, "元")}))
    gold = [{"tiers": ["3A级：50万元", "4A级：100万元", "5A级：150万元"]}, {"amount": "20万元"}]
    part = PartScore()
    swapped = SimpleNamespace(tiers=["3A级：100万元", "4A级：50万元"])  # amounts paired with the wrong grades
    _score_tiers(gold, [SimpleNamespace(tiers=["5A级：150万元"]), swapped], part, "doc")
    assert part.tiers == [1, 2, 2]
    assert "tiers missing" in part.errors[0]
