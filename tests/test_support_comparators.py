"""A rate keeps the word that makes it a cap (最高/不超过): from the clause to the support answer."""

from __future__ import annotations

from genre import packaged as packaged_genre
from kg.extract.support import amounts_of
from rag.compose import support_facts

GENRE = packaged_genre()


def test_a_capped_rate_keeps_its_comparator_when_extracted():
    assert amounts_of("经评估按算力集群规模给予最高 10% 的租用补贴。", genre=GENRE) == ["最高 10%"]
    assert amounts_of("按照不超过2%的贴息率给予普惠性贴息。", genre=GENRE) == ["不超过2%"]
    assert amounts_of("三星级按60%奖励返还。", genre=GENRE) == ["60%"]  # a plain share stays as written


def test_a_capped_rate_is_stated_with_its_comparator():
    quote = "对租用算力的本市主体，经评估给予最高10%的租用补贴。"
    assert "比例：最高10%" in support_facts({"kind": "补贴", "amount": "最高10%", "rate": "最高10%"}, quote)
    # a row whose amounts lost the comparator still states it when its rate field keeps it
    facts = support_facts({"kind": "补贴", "amount": "10%", "rate": "最高10%"}, quote)
    assert "比例：最高10%" in facts and "比例：10%" not in facts
