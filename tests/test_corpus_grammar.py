"""The numbering grammar on documents of the genre written here: 第X章/第X条, mixed （一）/1., none, broken."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus import outline_dict, parse_text, render_outline, repair
from corpus.grammar import grammar, numeral_value, parse_date
from genre import packaged as packaged_genre

ARTICLES = """杭州市促进开源软件发展管理办法

第一章　总则

第一条　为了促进本市开源软件产业发展，根据有关法律法规，结合本市实际，制定本办法。

第二条　本办法适用于本市行政区域内开源软件的研发、应用和推广活动。

第二章　支持措施

第三条　对新建开源社区给予最高200万元奖励。
奖励资金由市财政统筹安排。

第四条　支持企业开展开源合规审查。（牵头单位：市经信局；配合单位：市市场监管局）

第三章　附则

第五条　本办法由市经信局负责解释。

第六条　本办法自2024年3月1日起施行，有效期5年。
"""

MIXED = """深圳市开源生态建设行动方案

为加快开源生态建设，制定本方案。

（一）发展目标

到2026年，培育10个开源项目。

（二）重点任务

1、建设开源平台。支持龙头企业建设代码托管平台。
2、培育开源企业。对新认定企业给予奖励：
（1）首次认定的，奖励50万元；
（2）再次认定的，奖励20万元。
3、推广开源应用。

（三）保障措施

加强组织领导，市工业和信息化局会同各区推进落实。
"""

PLAIN = """关于做好开源人才培养工作的通知

各有关单位：

为加强开源人才培养，现将有关事项通知如下。

各高校要将开源贡献纳入学生评价体系，支持学生参与开源社区。

各企业要设立开源实训岗位，每年接收实习学生不少于20人。

本通知自印发之日起施行。
"""

BROKEN = """某市人工智能发展若干措施

一、强化算力供给

1.建设算力平台。支持建设公共算力平台。
2.降低用算成本。给予算力券支持。
2.完善调度机制。统一调度全市算力。
5.发展绿色算力。提高绿电比例。

三、优化产业生态

1.培育骨干企业。支持企业做大做强。
"""


def _main(policy):
    return [m for m in policy.measures() if m.kind == "measure"]


def test_articles_under_chapters():
    policy = parse_text(ARTICLES, "articles.txt")
    measures = policy.measures()
    assert [m.number for m in measures] == [f"第{n}条" for n in "一二三四五六"]
    chapters = [s for s in policy.sections if s.number]
    assert [(s.number, s.title) for s in chapters] == [
        ("第一章", "总则"),
        ("第二章", "支持措施"),
        ("第三章", "附则"),
    ]
    assert measures[2].title == "对新建开源社区给予最高200万元奖励"
    assert "奖励资金由市财政统筹安排" in measures[2].text
    assert measures[3].responsibility_label == "牵头单位"
    assert measures[3].responsibility.startswith("市经信局")
    assert [m.kind for m in measures[4:]] == ["closing", "closing"]
    assert policy.meta.title == "杭州市促进开源软件发展管理办法"
    assert policy.meta.city == "杭州"
    assert (policy.meta.effective, policy.meta.expiry) == ("2024-03-01", "2029-02-28")


def test_mixed_paren_and_arabic_levels_with_subitems():
    policy = parse_text(MIXED, "mixed.md")
    main = _main(policy)
    assert [m.number for m in main] == ["1、", "2、", "3、"]
    assert [m.title for m in main] == ["建设开源平台", "培育开源企业", "推广开源应用"]
    assert "（2）再次认定的，奖励20万元" in main[1].text  # enumerations stay inside their measure
    assert {policy.section(m.section_id).number for m in main} == {"（二）"}
    kinds = {m.title: m.kind for m in policy.measures()}
    assert kinds["发展目标"] == "goal" and kinds["保障措施"] == "safeguard"
    assert policy.preamble == "为加快开源生态建设，制定本方案。"
    assert policy.meta.city == "深圳"


def test_no_numbering_falls_back_to_paragraphs():
    policy = parse_text(PLAIN, "plain.txt")
    kinds = [m.kind for m in policy.measures()]
    assert kinds == ["paragraph", "paragraph", "paragraph", "closing"]  # the salutation is header
    texts = [m.text for m in policy.measures() if m.kind == "paragraph"]
    assert any("每年接收实习学生不少于20人" in t for t in texts)
    for m in policy.measures():
        assert policy.text[m.start : m.end] == m.text


def test_numbering_broken_midway_keeps_every_measure():
    policy = parse_text(BROKEN, "broken.txt")
    main = _main(policy)
    assert [m.number for m in main] == ["1.", "2.", "2.", "5.", "1."]
    assert len({m.id for m in main}) == 5
    assert [policy.section(m.section_id).title for m in main] == ["强化算力供给"] * 4 + ["优化产业生态"]


def test_ids_are_stable_and_depend_on_the_document():
    a = parse_text(MIXED, "x.md")
    b = parse_text(MIXED, "y.md")
    assert [m.id for m in a.measures()] == [m.id for m in b.measures()]
    c = parse_text(BROKEN, "x.md")
    assert not {m.id for m in a.measures()} & {m.id for m in c.measures()}


def test_outline_and_tree_rendering():
    policy = parse_text(ARTICLES, "articles.txt")
    d = outline_dict(policy)
    assert d["measures"][0]["section"] == "第一章 总则"
    tree = render_outline(policy)
    assert "第二章 支持措施" in tree and "牵头单位：市经信局" in tree


def test_grammar_helpers():
    assert [numeral_value(s) for s in ("十二", "二十", "一百零五", "两", "１２", "二〇二三")] == [
        12,
        20,
        105,
        2,
        12,
        2023,
    ]
    assert parse_date("二〇二三年十月二十日") == "2023-10-20"
    assert parse_date("2025 年 12 月 15 日") == "2025-12-15"
    g = grammar(genre=packaged_genre())
    assert g.match_marker("（十二）防范风险。").number == "（十二）"
    assert g.match_marker("(3)细化。").number == "（3）"
    assert g.match_marker("1．升级").number == "1."
    assert g.match_marker("3.5倍于往年") is None
    assert g.match_marker("2025年底前完成") is None
    assert g.match_marker("一体化推进") is None
    assert g.match_marker("1 总体要求").value == 1
    assert g.match_marker("2.3 建设平台。").number == "2.3"
    assert g.match_marker("20 个以上优质开源项目，集聚开发者") is None
    assert g.match_marker("2.5倍于往年") is None


SIGNED = """北京市数据要素发展实施意见

京经信发〔2024〕5号　签发人：王某

为推进数据要素发展，提出如下意见。

一、重点任务

（一）建设数据平台。支持建设公共数据平台。

责任单位：市经济和信息化局、市财政局

（二）培育数据企业。对新认定企业给予奖励。

北京市经济和信息化局

2024年5月6日

抄送：市委办公厅。
"""


def test_bare_responsibility_line_and_trailing_signature():
    policy = parse_text(SIGNED, "signed.txt")
    main = _main(policy)
    assert [m.number for m in main] == ["（一）", "（二）"]
    assert main[0].responsibility == "市经济和信息化局、市财政局"
    assert policy.text[slice(*main[0].responsibility_span)] == main[0].responsibility
    assert main[1].text == "（二）培育数据企业。对新认定企业给予奖励。"
    assert [m.kind for m in policy.measures()][-3:] == ["closing"] * 3
    meta = policy.meta
    assert (meta.doc_no, meta.issued, meta.city) == ("京经信发〔2024〕5号", "2024-05-06", "北京")
    assert meta.issuers == ["北京市经济和信息化局"]


_ALPHABET = (
    list("开源社区企业支持市委经济信息化委年月日")
    + list("。，、；：,.()（）—-\n 1234一二三十")
    + [
        "\n\n",
        "一、",
        "（一）",
        "1.",
        "第一条",
        "**",
        "（责任单位：",
        "- 3 -\n",
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_ALPHABET), max_size=120).map("".join))
def test_any_text_parses_with_consistent_offsets(text):
    cleaned, offset_map = repair(text, genre=packaged_genre())
    assert len(offset_map) == len(cleaned)
    assert offset_map == sorted(offset_map) and all(0 <= i < len(text) for i in offset_map)
    policy = parse_text(text, "fuzz.txt")
    ids = [m.id for m in policy.measures()]
    assert len(ids) == len(set(ids))
    for m in policy.measures():
        assert policy.text[m.start : m.end] == m.text
        if m.responsibility_span:
            assert policy.text[slice(*m.responsibility_span)] == m.responsibility


DECIMAL_AND_APPENDIX = """某市智能制造发展行动方案

为推进智能制造，制定本方案。

1 总体要求

1.1 发展目标。到2026年，建成10家智能工厂。

1.2 基本原则。坚持市场主导。

2 重点任务

2.1 建设智能工厂。支持企业开展智能化改造：
（1）对投资额超过1000万元的项目给予补贴；
（2）对示范工厂给予奖励。

2.2 培育解决方案供应商。给予首台套支持。

本方案自2025年1月1日起施行。

附件：重点任务分工表

一、智能工厂建设

1. 市经信局牵头。

2. 各区配合。
"""


def test_decimal_numbering_and_appendix_context():
    policy = parse_text(DECIMAL_AND_APPENDIX, "decimal.txt")
    by_number = {m.number.strip(): m for m in policy.measures() if m.number}
    assert {"1.1", "1.2", "2.1", "2.2"} <= set(by_number)
    assert policy.section(by_number["2.1"].section_id).title == "重点任务"
    assert "（2）对示范工厂给予奖励" in by_number["2.1"].text  # a list introduced by a colon stays inside
    assert by_number["2.1"].title == "建设智能工厂"
    closing = [m for m in policy.measures() if m.kind == "closing"]
    assert [m.text for m in closing] == ["本方案自2025年1月1日起施行。"]
    assert policy.meta.effective == "2025-01-01"
    appendix = next(s for s in policy.sections if s.kind == "appendix")
    assert appendix.title == "附件：重点任务分工表"
    inner = [m for s in appendix.sections for m in s.measures]
    assert [m.number for m in inner] == ["1.", "2."]
    assert all(policy.section(m.section_id).parent_id == appendix.id for m in inner)
    assert not any("附件" in m.text for m in policy.measures() if m.kind == "measure" and m not in inner)
    for m in policy.measures():
        assert policy.text[m.start : m.end] == m.text


def test_title_set_on_two_lines():
    text = "上海市关于促进智算云产业\n创新发展的实施意见\n\n为加快发展，制定本意见。\n\n一、主要任务\n\n（一）建设平台。支持建设。\n"
    policy = parse_text(text, "two-lines.txt")
    assert policy.meta.title == "上海市关于促进智算云产业创新发展的实施意见"
    assert policy.preamble == "为加快发展，制定本意见。"


def test_enumerations_inside_articles_and_subitem_styles_as_a_real_level():
    articles = "第一条 为了促进发展，制定本办法。\n第二条 支持措施包括：\n（一）给予资金补贴；\n（二）给予用地保障。\n第三条 本办法自2024年1月1日起施行。\n"
    policy = parse_text(articles, "a.txt")
    assert [m.number for m in policy.measures()] == ["第一条", "第二条", "第三条"]
    assert "（二）给予用地保障" in policy.measures()[1].text
    items = "一、重点任务\n（1）建设平台。支持建设。\n（2）降低成本。给予补贴。\n二、保障措施\n（1）加强领导。统筹推进。\n"
    policy = parse_text(items, "b.txt")
    assert [(m.number, m.title) for m in policy.measures()] == [
        ("（1）", "建设平台"),
        ("（2）", "降低成本"),
        ("（1）", "加强领导"),
    ]
