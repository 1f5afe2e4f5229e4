"""When a specialised answer path finds nothing, the best retrieved clauses answer only with the
evidence a specialised answer would need: a clause sharing one of the question's words with a subject
no document treats is no answer."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.compose import Context, View, compose_best_clauses, settings_data
from rag.intents import Intent
from rag.linking import Linked
from rag.model import Hit

WEIGHTS = {"新冠": 7.15, "疫苗": 6.81, "接种": 8.76}  # rarity of each word in the development corpus


def _context(text: str, dense: float = 0.88, ranks: dict | None = None) -> Context:
    view = View(measure_id="p.m1", policy_id="p", text=text, start=0, title="医药产业", number="1.",
                policy="某市产业政策导引", city="某市")
    hit = Hit(chunk_id="p.m1", measure_id="p.m1", score=1.0, signal="fused", rank=1, ranks=ranks or {"bm25": 1})
    return Context(question="新冠疫苗接种有什么补助？", linked=Linked("新冠疫苗接种有什么补助？"),
                   intent=Intent("support"), focus=list(WEIGHTS), views={"p.m1": view}, fused=[hit], graph=None,
                   policies=[], responsibility_labels=["责任单位"], term_weight=WEIGHTS.get,
                   absent=lambda _t: False, nouns={"新冠", "疫苗"}, dense_score=lambda _m: dense, genre=packaged_genre())


def test_a_clause_sharing_one_word_of_an_untreated_subject_does_not_answer():
    ctx = _context("对新冠治疗药物进入临床试验的，给予奖励，单个药品奖励金额最高不超过500万元。")
    assert settings_data(genre=packaged_genre())["fallback_min_coverage"] >= settings_data(genre=packaged_genre())["min_coverage"]
    assert compose_best_clauses(ctx, genre=packaged_genre()) is None  # 新冠 alone: a third of the question's weight


def test_a_clause_saying_the_subject_answers():
    ctx = _context("对开展新冠疫苗接种的基层医疗机构，按接种人次给予补助。")
    answer = compose_best_clauses(ctx, genre=packaged_genre())
    assert answer is not None and "新冠疫苗接种" in answer.answer


def test_a_clause_close_in_meaning_needs_less():
    text = "对新冠治疗药物进入临床试验的，给予奖励，单个药品奖励金额最高不超过500万元。"
    assert compose_best_clauses(_context(text, dense=settings_data(genre=packaged_genre())["dense_close"]), genre=packaged_genre()) is not None


def test_a_paraphrase_whose_clause_is_close_in_meaning_answers_with_a_fifth_of_its_words():
    """The dense relief (answer.yaml, calibrated on the dev questions) lets a clause close in meaning
    cover a question whose words it mostly says otherwise: a fifth of the weighted words is enough."""
    weights = {"疫苗": 2.2, "打针": 2.8, "给钱": 5.0}
    text = "对开展疫苗服务的基层医疗机构给予补助。"

    def ctx(dense: float) -> Context:
        c = _context(text, dense=dense)
        c.focus, c.term_weight = list(weights), weights.get
        return c

    close = settings_data(genre=packaged_genre())["dense_close"]
    assert ctx(close).covers(text, ["p.m1"])  # 疫苗 alone: 0.22 of the weight
    assert not ctx(0.5).covers(text, ["p.m1"])


def test_a_word_no_document_uses_in_the_askers_own_situation_does_not_refuse():
    """我们村里有个业余的腰鼓队: 腰鼓队 says who asks; the subject asked (扶持社会文艺团队) the clause says."""
    text = "实施社会文艺团队扶持工程，每年扶持200个重点社会文艺团队。"
    weights = {"腰鼓队": 9.0, "社会": 2.0, "文艺": 5.0, "团队": 4.0}

    def ctx(question: str) -> Context:
        view = View(measure_id="p.m1", policy_id="p", text=text, start=0, title="文化惠民", number="（十九）",
                    policy="某省民生措施", city="某省")
        hit = Hit(chunk_id="p.m1", measure_id="p.m1", score=1.0, signal="fused", rank=1, ranks={"bm25": 1})
        return Context(question=question, linked=Linked(question), intent=Intent("departments"),
                       focus=list(weights), views={"p.m1": view}, fused=[hit], graph=None, policies=[],
                       responsibility_labels=["责任单位"], term_weight=weights.get,
                       absent=lambda t: t == "腰鼓队", nouns=set(weights), genre=packaged_genre())

    own = ctx("我们村里有个腰鼓队，听说每年要扶持一批社会文艺团队，这事归哪个部门管？")
    assert own.situation_words == {"腰鼓队"} and own.covers(text, ["p.m1"])
    # the same word in what is asked is the subject: no document treats it
    asked = ctx("每年扶持社会文艺团队，腰鼓队归哪个部门管？")
    assert not asked.situation_words and not asked.covers(text, ["p.m1"])


def test_words_no_document_uses_are_excused_by_a_clause_close_in_meaning():
    """听说湖北要涨最低工资了，涨幅大概多少: 涨幅 is the user's word for the clause's 上调 and no document
    writes it; a clause the dense signal finds at least answer.yaml absent_dense_close close answers
    (its meaning is near), one further away is about something else and the question is refused."""
    weights = {"最低工资": 6.0, "标准": 2.0, "涨幅": 9.0}
    text = "将最低工资标准由现行四档调整为三档，最低工资标准平均上调15%左右。"

    def ctx(dense: float) -> Context:
        c = _context(text, dense=dense)
        c.focus, c.term_weight, c.nouns = list(weights), weights.get, {"涨幅"}
        c.absent = lambda t: t == "涨幅"
        return c

    data = settings_data(genre=packaged_genre())
    assert data["absent_dense_close"] < data["dense_close"]
    assert ctx(data["absent_dense_close"]).covers(text, ["p.m1"], sayable=True)
    assert not ctx(data["absent_dense_close"] - 0.01).covers(text, ["p.m1"], sayable=True)
