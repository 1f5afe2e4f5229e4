"""The department grammar names bodies no list holds, issuers written in full included."""

from __future__ import annotations

from corpus.jurisdiction import Jurisdiction
from genre import packaged as packaged_genre
from kg.extract.departments import qualified_entry
from kg.lexicon import departments

GUANGZHOU = Jurisdiction("city", "广东省", "广州市")


def test_a_standard_body_is_named_by_the_grammar_and_listed_bodies_keep_their_name():
    entry = qualified_entry("市发展改革委", "广州", GUANGZHOU, genre=packaged_genre())
    assert (entry.canonical, entry.kind) == ("广州市发展和改革委员会", "市级部门")
    # 市住建委 would expand to 住房和城乡建设委员会; Shanghai's body is 住房和城乡建设管理委员会
    assert departments(genre=packaged_genre()).resolve("市住建委", "上海").canonical == "上海市住房和城乡建设管理委员会"


def test_an_issuer_written_in_full_gets_its_level_as_kind():
    entry = qualified_entry("广州市人力资源和社会保障局", "广州", GUANGZHOU, genre=packaged_genre())
    assert (entry.canonical, entry.kind) == ("广州市人力资源和社会保障局", "市级部门")
    assert qualified_entry("广东省财政厅", "广东", Jurisdiction("provincial", "广东省"), genre=packaged_genre()).kind == "省级部门"


def test_a_province_market_regulator_is_not_taken_for_a_not_prefix():
    from corpus.jurisdiction import qualify_body

    anhui = Jurisdiction("provincial", "安徽省")
    assert qualify_body("省市场监管局", anhui, genre=packaged_genre()) == "安徽省市场监督管理局"  # 省 + 市场监管局, not 省市 + …
    assert qualify_body("市场监管局", anhui, genre=packaged_genre()) is None and qualify_body("省市联动办公室", anhui, genre=packaged_genre()) is None


def test_a_city_alone_names_its_standard_bodies_without_a_list():
    """Shanghai, Nanjing and Chongqing list only their exceptions: a lookup with the city and no
    document still gives each standard body its full name, and the exceptions keep theirs."""
    lex = departments(genre=packaged_genre())
    assert lex.resolve("市发展改革委", "上海").canonical == "上海市发展和改革委员会"
    assert lex.resolve("中共重庆市委宣传部", "重庆").canonical == "中共重庆市委宣传部"
    assert (lex.resolve("市政府", "南京").canonical, lex.resolve("市政府", "南京").kind) == ("南京市人民政府", "市政府")
    assert lex.resolve("市科委", "重庆").canonical == "重庆市科学技术局"  # an exception: its former name
    assert lex.resolve("市科委和市教委", "上海") is None  # two bodies are not one
    assert lex.resolve("市人工智能创新发展中心", "上海") is None  # no organ: qualified only in a document


def test_a_header_line_of_full_names_is_cut_by_the_grammar():
    from kg.extract.departments import segment_bodies

    line = "重庆市经济和信息化委员会 重庆市科学技术局 中共重庆市委网络安全和信息化委员会办公室"
    assert [e.canonical for e in segment_bodies(line, "重庆", genre=packaged_genre())] == [
        "重庆市经济和信息化委员会", "重庆市科学技术局", "中共重庆市委网络安全和信息化委员会办公室"]
    assert [e.canonical for e in segment_bodies("南 京 市 财 政 局", "南京", genre=packaged_genre())] == ["南京市财政局"]
