"""A document named by an abbreviation of its title: characters kept in order, weighted by rarity."""

from rag.abbrev import TitleIndex, name_variants, ordered_coverage

TITLES = {
    "ecommerce": "国务院关于大力发展电子商务加快培育经济新动力的意见",
    "mass": "国务院关于推动创新创业高质量发展打造“双创”升级版的意见",
    "outline": "广西壮族自治区国民经济和社会发展第十三个五年（2016—2020年）规划纲要",
    "industry": "广西工业和信息化发展“十三五”规划",
    "ai": "新一代人工智能发展规划",
    "zone": "国家新一代人工智能创新发展试验区建设工作指引",
    "flood": "浙江省城市内涝治理“十四五”规划",
    "talent": "成都市关于解决高层次人才购买商品住房问题的细则",
}
INDEX = TitleIndex(TITLES)
weight = INDEX.weight


def named(name: str, variants=None) -> set[str]:
    return INDEX.named(name, None, variants)


def test_characters_kept_in_order_name_the_title():
    assert ordered_coverage("电商意见", TITLES["ecommerce"], weight) == 1.0
    assert ordered_coverage("见意", "意见", weight) < 1.0  # out of order: half of it
    assert named("电商意见") == {"ecommerce"}  # 电子商务 shortened; the other 意见 shares no 电 or 商
    assert named("十三五纲要") == {"outline"}  # 第十三个五年…规划纲要, not the 十三五 规划
    assert named("内涝规划") == {"flood"}
    assert named("人才买房细则") == {"talent"}  # 人才购买商品住房问题的细则


def test_a_standard_short_form_that_keeps_no_character_is_read_through_the_thesaurus():
    def variants(n: str) -> list[str]:
        return name_variants(n, lambda t: ["人工智能"] if t == "ai" else ["ai"], ["人工智能", "ai"])

    assert named("AI规划", variants) == {"ai"}
    assert named("AI试验区指引", variants) == {"zone"}


def test_a_name_no_title_abbreviates_names_none():
    assert named("公积金办法") == set()
    assert named("的政策") == set()  # no content left once the bare kind word is dropped


def test_a_lookup_reads_only_the_titles_holding_the_names_rarest_characters():
    candidates = INDEX.candidates("内涝规划")
    assert "flood" in candidates and "ecommerce" not in candidates  # no 涝, no 内: it cannot reach the minimum
    assert INDEX.named("内涝规划", within={"ai", "zone"}) == set()  # within other documents: none named


def test_a_lookup_can_be_limited_to_some_documents():
    assert INDEX.named("人工智能规划") == {"ai"}
    assert INDEX.named("人工智能规划", within={"zone", "flood"}) == {"zone"}
