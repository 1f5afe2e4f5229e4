"""A company profile read from the question: place, traits, figures named by what they measure, and
each condition of an offer marked met / not met / unknown from what the profile says."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.profile import MET, NOT_MET, UNKNOWN, company_offer, conditions, read_profile, verdict

OFFER = "对规上工业企业年产 值同比增长超过1000万元的，给予企业超出额0.5%的奖励，奖励最高不超过20万元。"


def test_a_profile_gives_its_place_levels_traits_and_figures():
    p = read_profile("我们是柳河县一家规上工业企业，去年产值增长了1500万元，研发投入300万元，有员工80人，能享受哪些支持？", genre=packaged_genre())
    assert p is not None and p.place == "柳河县" and p.levels[0] == "柳河县" and len(p.levels) == 3
    assert {"规上", "工业"} <= set(p.traits)
    got = {(f.kind, f.value, f.growth) for f in p.figures}
    assert got == {("产值", 1500.0, True), ("研发投入", 300.0, False), ("员工", 80.0, False)}
    assert read_profile("我公司位于安徽合肥，是一家集成电路设计企业，有什么支持？", genre=packaged_genre()).place == "安徽合肥"
    assert read_profile("上海对开源项目有什么补贴？", genre=packaged_genre()) is None


def test_a_threshold_is_judged_only_by_a_figure_of_the_same_kind():
    grew = read_profile("我们是柳河县一家规上工业企业，去年产值增长了1500万元，有什么支持？", genre=packaged_genre())
    assert conditions(OFFER, grew, genre=packaged_genre())[-1] == ("规上工业企业年产值同比增长超过1000万元", MET)
    assert verdict(conditions(OFFER, grew, genre=packaged_genre())) == 0
    small = read_profile("我们是柳河县一家规上工业企业，去年产值增长了500万元，有什么支持？", genre=packaged_genre())
    assert conditions(OFFER, small, genre=packaged_genre())[-1][1] == NOT_MET and verdict(conditions(OFFER, small, genre=packaged_genre())) == 2
    other = read_profile("我们是柳河县一家规上工业企业，研发投入5000万元，有什么支持？", genre=packaged_genre())
    assert conditions(OFFER, other, genre=packaged_genre())[-1][1] == UNKNOWN  # a research budget says nothing of output growth


def test_tiers_of_one_clause_are_one_condition_and_offers_for_persons_are_left_out():
    p = read_profile("我们是柳河县一家规上工业企业，有什么支持？", genre=packaged_genre())
    tiers = "即：年度地方财政贡献1000万元及以上至2000万元、2000万元以上至5000万元、5000万元以上的，分别按70%、80%、90%给予奖励。"
    assert len([c for c in conditions(tiers, p, genre=packaged_genre()) if "万元" in c[0]]) == 1
    assert company_offer(["企业"], genre=packaged_genre()) and company_offer([], genre=packaged_genre()) and not company_offer(["个人", "家庭"], genre=packaged_genre())


def test_an_offer_of_a_sentence_listing_several_is_quoted_by_its_own_clause():
    from rag.compose import View, offer_clause

    text = "对新开发一类新药，年销售额在1亿元及以上的，奖励200万元；新开发二类新药，年销售额在5000万元及以上的，奖励100万元。"
    v = View(measure_id="m", policy_id="p", text=text, start=10)
    i = text.index("新开发二类")
    a, b, quote = offer_clause(v, 10 + i, 10 + i + 8)
    assert quote == "新开发二类新药，年销售额在5000万元及以上的，奖励100万元。" and text[a - 10 : b - 10] == quote
    p = read_profile("我们是柳河县的一家医药企业，新开发的二类新药去年销售额6000万元，有什么奖励？", genre=packaged_genre())
    assert verdict(conditions(quote, p, genre=packaged_genre())) == 0


def test_an_offer_for_another_industry_is_not_met_and_one_for_the_broader_industry_may_be():
    from rag.profile import industry_mark, other_industry

    g = packaged_genre()
    pharma = read_profile("我们是某县的一家医药企业，去年销售额6000万元，有什么奖励？", genre=g)
    assert pharma is not None and pharma.industries == ["医药"]
    tourism = "对新评定的国家4A级旅游景区，一次性奖励50万元。"
    marks = conditions(tourism, pharma, genre=g, context="5.支持景区创建")
    assert other_industry(marks) and verdict(marks) == 2
    assert industry_mark("对规上工业企业年产值同比增长超过1000万元的，给予0.5%的奖励。", pharma, genre=g) is None
    assert industry_mark("对企业技术中心给予100万元奖励。", pharma, genre=g) is None  # names no industry
    # a company that only says 工业 may or may not make medicines: an offer for 医药企业 stays unknown
    factory = read_profile("我们是某县一家规上工业企业，有什么支持？", genre=g)
    assert industry_mark("对医药企业投资新建中药材种植基地的，给予企业100元/亩奖励。", factory, genre=g) is None
    assert industry_mark(tourism, factory, genre=g) is not None
    # 工业互联网 is a field of its own, not the industry 工业
    chips = read_profile("我们是安徽一家集成电路设计企业，有什么支持？", genre=g)
    assert industry_mark("对工业互联网平台给予一次性奖补100万元。", chips, genre=g) is not None
    assert industry_mark("集成电路设计企业开展工程产品首轮流片，按合同金额的30%给予奖补。", chips, genre=g) is None


def test_an_autonomous_prefecture_level_is_searched_by_the_name_its_documents_write():
    from rag.answer import _stem

    p = read_profile("我们是阿坝州的一个局，想上一个政务信息化项目，审批之前得先报给谁初审？", genre=packaged_genre())
    assert p is not None and p.levels[0] == "阿坝藏族羌族自治州"
    # documents write 阿坝州 / 阿坝: the level's stem must be what they write, not 阿坝藏族羌族
    assert _stem(p.levels[0]) == "阿坝"
    assert [_stem(n) for n in ("广西壮族自治区", "合肥市", "阿坝州", "广州")] == ["广西", "合肥", "阿坝", "广州"]
