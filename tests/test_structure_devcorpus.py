"""Structure, responsibility, support and targets on real documents of the development corpus (dev part).

Each test reads a real policy the seeds do not resemble and checks the class of failure it exposed:
several documents in one notice, tasks closed by their own block, 专栏 boxes, items run together by
extraction, collective bodies, responsibility in running text, tiered support with a cap written after
it, ranges in targets, tables of contents and indicator tables.
"""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

from genre import packaged as packaged_genre

DOCS = Path(__file__).resolve().parent.parent / "eval" / "devcorpus" / "docs"


@cache
def parsed(name: str):
    from corpus import parse_file
    from kg.extract import extract

    path = next(DOCS.glob(f"{name}_*"))
    policy = parse_file(path)
    return policy, extract(policy)


def measure_with(policy, quote: str):
    found = [m for m in policy.measures() if quote in m.text]
    assert found, quote
    return min(found, key=lambda m: len(m.text))


def roles(facts, measure) -> dict[str, str]:
    return {r.canonical: r.role for r in facts.departments.get(measure.id, [])}


# -- structure ----------------------------------------------------------------------------------


def test_a_notice_carrying_two_documents_keeps_them_apart():
    policy, _ = parsed("003")
    docs = [s for s in policy.sections if s.kind == "document"]
    assert [s.title for s in docs] == ["安徽省工业互联网创新发展行动计划（2021-2023年）"]
    assert policy.sections[1].title == "支持工业互联网平台建设"  # the first document's own numbering
    assert docs[0].sections[1].title == "总体要求"  # the second restarts at 一、


def test_paragraphs_closed_by_their_own_block_are_measures_titled_by_their_first_sentence():
    policy, facts = parsed("003")
    m = measure_with(policy, "培育各类工业互联网平台。")
    assert m.title == "培育各类工业互联网平台"
    assert "推动企业上云上平台" not in m.text  # the next task is a measure of its own
    assert set(roles(facts, m)) == {"安徽省经济和信息化厅", "安徽省财政厅"} or len(roles(facts, m)) == 2


def test_boxes_are_parts_of_their_own_kind_not_the_tail_of_a_measure():
    policy, _ = parsed("003")
    boxes = [s for s in policy.all_sections() if s.kind == "box"]
    assert len(boxes) >= 8 and boxes[0].title.startswith("专栏1")
    inner = measure_with(policy, "推进企业内网改造升级")
    assert inner.number == "2." and "专栏" not in inner.text


def test_enumerated_tasks_with_their_own_blocks_and_items_run_together_after_a_block():
    policy, facts = parsed("009")
    m = measure_with(policy, "优化企业银行开户服务")
    assert m.number == "（2）" and list(roles(facts, m).values()) == ["responsible"]
    assert "证照分离" not in m.text  # item 3 was glued to its block: （人民银行负责）3.2018年要…
    item3 = next(s for s in policy.all_sections() if s.number == "3.")
    assert item3.title.startswith("2018年要在全国推开")
    first = measure_with(policy, "2018年第三季度对现有1300多项行政许可事项")
    assert sorted(roles(facts, first).values()) == ["lead", "responsible"]  # （国务院审改办牵头，各部门负责）


def test_a_table_of_contents_is_not_a_second_outline():
    from corpus import parse_text

    text = ("某市数字经济发展规划\n\n目 录\n\n第一章 发展基础\n\n第二章 主要任务\n\n第三章 保障措施\n\n"
            "第一章 发展基础\n\n本市数字经济持续增长。\n\n第二章 主要任务\n\n一、建设数字基础设施\n\n"
            "推进5G网络建设。\n\n第三章 保障措施\n\n加强组织领导。\n")
    policy = parse_text(text, "plan.txt")
    heads = [s.number + s.title for s in policy.all_sections() if s.number.startswith("第")]
    assert heads == ["第一章发展基础", "第二章主要任务", "第三章保障措施"]


def test_dot_leader_lines_are_dropped():
    from corpus import parse_text

    text = ("规划\n\n一、总体要求……………………1\n\n二、重点任务……………………3\n\n三、保障措施……………………9\n\n"
            "一、总体要求\n\n坚持创新驱动。\n\n二、重点任务\n\n建设平台。\n\n三、保障措施\n\n加强领导。\n")
    policy = parse_text(text, "plan.txt")
    assert all("……" not in m.text for m in policy.measures())
    assert [m.number + m.title for m in policy.measures()] == ["一、总体要求", "二、重点任务", "三、保障措施"]


def test_indicator_table_numbers_are_cells_not_page_numbers():
    from corpus.repair import repair

    raw = ("主要目标如下，到2020年全面完成。\n\n表 1 主要发展目标\n指标\n单位\n2015 年\n2020 年\n"
           "地区生产总值\n亿元\n3200\n5100\n年均增速\n%\n9\n10\n\n"
           "这是上一页的最后一句话，内容很长很长很长很长很长很长。\n12\n下一页继续的句子也很长很长很长很长很长很长。\n")
    text, _ = repair(raw, genre=packaged_genre())
    lines = text.split("\n")
    assert "9" in lines and "10" in lines and "3200" in lines  # table cells kept
    assert "12" not in lines  # a page number between prose is dropped


# -- responsibility -------------------------------------------------------------------------------


def test_collective_bodies_are_one_body_not_split_at_the_shared_suffix():
    policy, facts = parsed("039")
    m = measure_with(policy, "完善居家养老配套设施")
    assert "各市、州、县人民政府" in roles(facts, m)
    assert "县人民政府" not in roles(facts, m)


def test_responsibility_named_in_running_text():
    policy, facts = parsed("044")
    m = measure_with(policy, "实施购房补贴")
    assert set(roles(facts, m)) == {"县(市)区人民政府", "开发区管委会"}
    ref = facts.departments[m.id][0]
    assert "具体落实" in ref.span.quote  # the evidence is the sentence that names them


def test_running_text_subjects_must_name_a_jurisdiction():
    from kg.extract.responsibility import running_mentions

    found = running_mentions("运营单位负责产业园区的建设运营。相关部门负责监督。", 0, None, genre=packaged_genre())
    assert found == []
    found = running_mentions("由北京市科学技术委员会会同园区运营单位组织实施。", 0, "北京", genre=packaged_genre())
    assert [(x.name, x.role) for x in found] == [("北京市科学技术委员会", "lead")]


# -- support --------------------------------------------------------------------------------------


def test_tiered_purchase_subsidies_with_a_cap_written_after_them():
    policy, facts = parsed("044")
    m = measure_with(policy, "实施购房补贴")
    subsidies = [s for s in facts.supports[m.id] if s.kind == "补贴"]
    assert [s.rate for s in subsidies] == ["1%", "1.5%", "2%", "3%", "2%"]
    assert all("最高不超过10万元" in s.amounts for s in subsidies)  # 以上补贴标准，单套…最高不超过10万元
    assert subsidies[1].applicants == ["家庭"] and subsidies[0].applicants == ["个人"]
    assert "在我市新购买新建商品住房" in subsidies[0].condition


def test_support_applicant_inherited_in_the_measure_and_amounts_read_by_the_money_parser():
    policy, facts = parsed("003")
    m = measure_with(policy, "加快工业设备网络化技术改造")
    first = facts.supports[m.id][0]
    assert first.applicants == ["企业"] and first.amounts == ["10%", "最高500万元"]
    assert first.amount_values == [5_000_000.0]
    loan = facts.supports[m.id][1]
    assert "3年期以上贷款" in loan.condition and loan.kind == "补贴"


def test_a_purchase_subsidy_is_for_the_buyer():
    policy, facts = parsed("046")
    m = measure_with(policy, "可申请缴纳契税金额50%的补贴")
    item = facts.supports[m.id][0]
    assert item.applicants == ["个人"] and item.amounts == ["50%", "不超过5万元"]


# -- targets ----------------------------------------------------------------------------------------


def test_ranges_and_years_opening_a_clause():
    policy, facts = parsed("039")
    m = measure_with(policy, "提升县域医疗服务能力")
    got = {(t.value, t.value_max, t.unit, t.year) for t in facts.targets if t.span.measure_id == m.id}
    assert (1.0, 2.0, "个", 2027) in got  # 1—2个县域医疗次中心 is a range, not 1
    assert (75.0, None, "%", 2025) in got
    assert all(u != "所" or y == 2027 for _, _, u, y in got)  # 75%的县(市)至少建成一所: a criterion


@pytest.mark.parametrize("sentence", [
    "截至2022年底，全市已建成5G基站3万个。",
    "“十二五”期间，全市软件业务收入达到800亿元。",
])
def test_statistics_of_the_past_are_not_targets(policy_from_text, sentence):
    from kg.extract.targets import extract_targets

    policy = policy_from_text(f"某市发展“十三五”规划\n一、主要目标\n{sentence}到2020年，培育龙头企业10家。\n",
                              title="某市发展“十三五”规划")
    values = [(t.value, t.year) for t in extract_targets(policy, genre=packaged_genre())]
    assert values == [(10.0, 2020)]


def test_a_box_keeps_its_own_numbered_list_and_the_text_goes_on_after_it():
    policy, _ = parsed("031")
    box = next(s for s in policy.all_sections() if s.kind == "box" and s.title.startswith("专栏8"))
    assert [m.number for m in box.measures] == ["1.", "2.", "3."]
    after = next(m for m in policy.measures() if m.title == "规范运行维护管理")
    assert after.section_id == box.parent_id and after.number == "（五）"  # a sibling, not inside 3.


def test_an_appendix_table_is_one_table_with_its_header_and_numbers():
    policy, _ = parsed("031")
    appendix = next(s for s in policy.sections if s.kind == "appendix" and s.title.startswith("附表1"))
    tables = [m for s in [appendix, *appendix.sections] for m in s.measures if m.kind == "table"]
    assert len(tables) == 1 and tables[0].title.startswith("表：序号、地市")
    assert "杭州" in tables[0].text and "\n8\n" in tables[0].text


def test_glossary_entries_are_never_measures_to_link():
    from corpus import parse_text

    text = ("某市算力发展行动方案\n\n一、主要任务\n\n（一）建设算力中心。建成智算中心。\n\n（二）培育企业。培育龙头企业。\n\n"
            "附件：名词解释\n\n1.智算中心：指提供人工智能算力的数据中心。\n\n2.算力券：指政府向企业发放的算力使用补贴凭证。\n")
    policy = parse_text(text, "plan.txt")
    kinds = {m.title: m.kind for m in policy.measures()}
    assert kinds["建设算力中心"] == "measure"
    assert {k for t, k in kinds.items() if t.startswith(("智算中心", "算力券"))} == {"glossary"}


def test_headings_and_items_run_together_by_pdf_extraction_are_cut_apart():
    policy, facts = parsed("023")
    sections = {s.number + s.title for s in policy.all_sections()}
    assert {"二、营造宽松发展环境", "三、促进就业创业", "八、健全支撑体系"} <= sections
    m = measure_with(policy, "（十五）推广金融服务新工具")
    assert m.title == "推广金融服务新工具" and "（十六）" not in m.text
    assert set(roles(facts, m)) >= {"中国人民银行"}  # （人民银行、密码局、国家标准委）: a bracket of known bodies


def test_a_completion_time_in_a_task_block_is_the_measures_deadline():
    policy, facts = parsed("001")
    m = measure_with(policy, "监控舆情风险、优化服务方式")
    deadlines = [d.date for d in facts.dates if d.kind == "deadline" and d.span and d.span.measure_id == m.id]
    assert deadlines == ["2022-06-30"]  # （6月底完成，…） in a 2022 document


def test_a_verb_opening_its_clause_takes_the_sentences_subject():
    policy, facts = parsed("012")
    m = measure_with(policy, "科技部充分发挥新一代人工智能发展规划推进办公室的统筹作用")
    assert roles(facts, m) == {"中华人民共和国科学技术部": "lead"}  # 科技部…，会同有关部门…


def test_a_chapter_heading_run_together_with_its_first_article():
    policy, _ = parsed("005")
    chapter = policy.sections[0]
    assert (chapter.number, chapter.title) == ("第一章", "总则")
    assert chapter.measures[0].number == "第一条" and chapter.measures[0].title.startswith("为规范政务数据资源管理")


def test_volumes_group_chapters_and_a_box_may_hold_an_indicator_table():
    policy, _ = parsed("027")
    volume = policy.sections[1]
    assert volume.number == "第一篇" and volume.kind == "section"  # 第一篇 …宏伟目标 only groups chapters
    kinds = {m.number: m.kind for m in volume.measures}
    assert kinds["第一章"] == "measure" and kinds["第四章"] == "goal"
    box = next(s for s in volume.sections if s.kind == "box")
    assert box.measures[0].kind == "table" and "2010年" in box.measures[0].text


def test_a_block_may_open_with_its_deadline_and_carry_a_qualified_label():
    policy, facts = parsed("001")
    m = measure_with(policy, "监控舆情风险、优化服务方式")
    assert m.responsibility_label == "牵头考核单位" and m.responsibility == "市政府办公室、市公安局"
    assert roles(facts, m) == {"包头市人民政府办公室": "lead", "包头市公安局": "lead"}


def test_a_short_name_the_document_defines_is_the_body_it_stands_for():
    from kg.extract.responsibility import body_aliases

    policy, facts = parsed("006")
    assert body_aliases(policy.aliases, facts.city, genre=packaged_genre())["管委会"] == "中国（上海）自由贸易试验区临港新片区管理委员会"
    assert all(r.canonical != "管委会" for refs in facts.departments.values() for r in refs)


def test_co_leads_and_participants_in_running_text_and_blocks(policy_from_text):
    from kg.extract import extract

    policy = policy_from_text(
        "关于推进开源发展的若干措施\n\n一、重点任务\n\n"
        "（一）建设开源社区。由市经济信息化委、市科委共同牵头，建立开源社区联席机制。\n\n"
        "（二）培养开源人才。市教委会同市人力资源社会保障局牵头制定开源人才培养计划。\n\n"
        "（三）完善开源标准。市市场监管局会同市经济信息化委制定开源标准。\n\n"
        "（四）推进开源应用。推广开源软件。（市发展改革委、市财政局共同牵头，各区政府配合）\n", city="上海")
    facts = extract(policy)
    got = [sorted(roles(facts, m).values()) for m in policy.measures() if m.kind == "measure"]
    assert got == [["co-lead", "co-lead"], ["co-lead", "lead"], ["lead", "participant"],
                   ["co-lead", "co-lead", "participant"]]
    spans = [r.span for refs in facts.departments.values() for r in refs]
    assert all(s and policy.text[s.start:s.end] for s in spans)  # every role has its evidence span


def test_indicator_tables_inside_the_text_are_tables_with_caption_header_and_years():
    from rag.chunks import make_chunks

    policy, _ = parsed("031")
    tables = {m.title: m for m in policy.measures() if m.kind == "table"}
    goals = tables["表3 “十四五”全省城市内涝治理主要指标"]  # set inside the goals' 3. 总体目标
    assert "2020年现状" in goals.text and "2025年目标" in goals.text and "95" in goals.text
    prose = [m for m in policy.measures() if m.kind == "goal" and m.title == "总体目标"]
    assert prose and all("2020年现状" not in m.text for m in prose)  # the prose no longer holds the cells
    cells = tables["表4 “十四五”全省城市排水防涝设施建设主要指标"]  # a header cell holding 其中： and numbers
    assert "建设雨水管网\n\n公里\n\n2000\n\n628" in cells.text  # cells one a line, never run together
    grades = tables["表8 城市防护区的防护等级和防洪标准"]  # cells holding a comma (<150，≥50) end no table
    assert "<150，≥50\n\n<300，≥100" in grades.text and "50~20\n\n注：当量经济规模" in grades.text
    assert not [m for m in policy.measures() if m.kind != "table" and "<150" in m.text]
    assert "表2 近10年全省县城以上建成区发生严重内涝灾害情况" in tables  # a table among a section's paragraphs
    chunks = [c for c in make_chunks(policy) if c.measure_id == goals.id]
    assert chunks and "表3" in chunks[0].context  # searched and cited as the table it is


def test_a_list_of_attachments_is_closing_text_and_a_table_attachment_one_table():
    policy, _ = parsed("031")
    listing = next(s for s in policy.sections if s.title.startswith("附表：1"))
    assert listing.kind == "closing" and {m.kind for s in [listing, *listing.sections] for m in s.measures} == {"closing"}
    last = next(s for s in policy.sections if s.title.startswith("附表4"))
    inner = [m for s in [last, *last.sections] for m in s.measures]
    assert [m.kind for m in inner] == ["table"] and "余姚市" in inner[0].text  # rows numbered （1） are cells


def test_spaced_out_numbering_from_a_web_page_is_numbering():
    policy, _ = parsed("033")
    assert "二、支持范围" in {s.number + s.title for s in policy.all_sections()}  # 二 、支持范围
    articles = [m.number for m in policy.measures() if m.number.startswith("第")]
    assert articles[:3] == ["第1条", "第2条", "第3条"] and len(articles) >= 25  # 第 2 条, 第 2 6 条


def test_item_numbers_cited_in_a_sentence_are_not_items():
    policy, _ = parsed("015")
    m = measure_with(policy, "国内普通高校应届毕业生申报入户须符合")
    assert m.number == "第十七条" and "（三）、（四）项" in m.text
    assert all(x.title.strip("、") for x in policy.measures())


def test_an_attachment_named_twice_is_closing_text_and_not_a_table_of_contents():
    from eval.devextraction import toc_entries

    policy, _ = parsed("001")
    assert toc_entries(policy) == []
    named = [m for m in policy.measures() if m.text.strip() == "包头市数字政府建设考评指标"]
    assert [m.kind for m in named] == ["closing", "preamble"]  # the list, then the attachment's own title


def test_a_box_whose_numbered_items_are_table_rows_is_one_table():
    policy, _ = parsed("027")
    box = next(s for s in policy.all_sections() if s.kind == "box" and s.title.startswith("专栏1"))
    table = box.measures[0]
    assert table.kind == "table" and "9.城镇化率（%）" in table.text and "47.06" in table.text
    assert all(not m.title.startswith("9.城镇化率") for m in policy.measures())


def test_a_section_path_names_a_heading_once():
    from rag.chunks import make_chunks, section_paths
    from rag.compose import Citer, view_from_chunk

    policy, _ = parsed("031")
    paths = section_paths(policy)
    assert all(" /  /" not in p and not p.rstrip().endswith("/") for p in paths.values())
    for p in paths.values():
        parts = p.split(" / ")
        assert all(a != b for a, b in pairwise(parts)), p
    own = next(m for m in policy.measures() if m.number + m.title == "五、环境影响分析")  # a section's own text
    chunk = next(c for c in make_chunks(policy) if c.measure_id == own.id)
    citer = Citer()
    citer.cite(view_from_chunk(chunk), own.start, own.end, own.text[:20])
    c = citer.citations[0]
    assert c.section == "五、环境影响分析" and c.measure == ""  # not 五、环境影响分析 五、环境影响分析


def test_a_glossary_article_of_a_real_regulation_gives_no_term_as_a_measure():
    """第三条 本办法下列用语的含义：（一）公共数据，是指…: the definitions stay inside their article;
    none of the defined terms becomes a measure title a question could be linked to."""
    from eval.devextraction import LINKABLE

    policy, _ = parsed("008")
    article = measure_with(policy, "本办法下列用语的含义")
    assert article.number == "第三条" and "数源部门，是指" in article.text and "数据主体，是指" in article.text
    titles = {m.title for m in policy.measures() if m.kind in LINKABLE}
    terms = ("公共数据", "数源部门", "数据主体", "省政务大数据中心")
    assert not any(t in terms or t.startswith(tuple(f"{x}，是指" for x in terms)) for t in titles)


def test_a_body_opening_its_sentence_with_a_modal_carries_the_measure():
    policy, facts = parsed("012")
    m = measure_with(policy, "科技部结合论证意见")
    assert roles(facts, m) == {"中华人民共和国科学技术部": "responsible"}
    policy, facts = parsed("041")
    m = measure_with(policy, "可结合属地实际,给予人才购房补贴")
    assert [r.canonical for r in facts.departments[m.id]] == ["各区(市)县人民政府"]  # one collective body


def test_a_box_numbering_its_list_like_the_text_keeps_its_items():
    """专栏1 基础理论 with 1. … 8. beside the text's item 1.: the box's own list restarts at 1 and goes on
    by its own numbers; the text's next item (2.建立…关键共性技术体系) closes it."""
    policy, _ = parsed("025")
    box = next(s for s in policy.all_sections() if s.kind == "box" and s.title.startswith("专栏1"))
    assert [m.number for m in box.measures] == [f"{k}." for k in range(1, 9)]
    assert box.measures[0].title.startswith("大数据智能理论")
    after = measure_with(policy, "建立新一代人工智能关键共性技术体系")
    assert after.section_id != box.id


def test_an_article_citing_item_numbers_stays_one_article():
    policy, _ = parsed("015")
    m = measure_with(policy, "第五条第（二）（四）项中的引进在职人才")
    assert m.number == "第十三条" and policy.section(m.section_id).title == "引进在职人才入户"


def test_bodies_named_by_function_and_for_every_district_in_running_text():
    policy, facts = parsed("015")
    m = measure_with(policy, "市人力资源社会保障部门负责市直机关事业单位")
    assert set(roles(facts, m).values()) == {"responsible"}
    assert {r.mention for r in facts.departments[m.id]} == {"市人力资源社会保障部门", "各区人力资源社会保障部门",
                                                            "各区公安机关"}
    policy, facts = parsed("008")
    m = measure_with(policy, "住房公积金登记数据")
    ref = next(r for r in facts.departments[m.id] if r.mention == "住房公积金主管部门")
    assert ref.span.quote.startswith("（九）住房公积金登记数据")  # the item that names it, as evidence


def test_a_task_takes_the_body_a_closing_clause_names_for_it_by_its_title(policy_from_text):
    from kg.extract import extract

    policy = policy_from_text(
        "关于推进人工智能发展的规划\n\n一、重点任务\n\n"
        "（一）前瞻布局新一代人工智能重大科技项目。聚焦基础理论，部署重大科技项目。\n\n"
        "（二）建设人工智能创新平台。布局一批开放创新平台。\n\n"
        "二、保障措施\n\n"
        "（一）组织实施。市科委会同有关部门负责推进新一代人工智能重大科技项目实施。\n", city="上海")
    facts = extract(policy)
    task, other = [m for m in policy.measures() if m.kind == "measure"][:2]
    refs = facts.departments[task.id]
    assert [(r.mention, r.role) for r in refs] == [("市科委", "lead")]
    assert "负责推进新一代人工智能重大科技项目实施" in refs[0].span.quote  # the evidence is the closing clause
    assert other.id not in facts.departments  # a task the clause does not name takes nothing


def test_items_listed_inside_a_table_cell_are_not_cut_out_as_provisions():
    """A policy card numbered 4. whose 服务内容 cell lists its own items 1．… 5．… 6．…: the cell's 5．
    is not the next card after 4., and the card stays one measure with its table."""
    from corpus import parse_text

    text = ("测试市产业政策导引\n一、综合篇\n4. 测试市加快提升创新驱动发展的能力和水平\n"
            "| 测试市加快提升创新驱动发展的能力和水平 |  |\n|---|---|\n"
            "| 服务内容 | 1．建强建优战略科技力量。加快编制方案。 5．激发人才创新活力统筹人才支持计划。 6．持续推进改革。 |\n"
            "| 联络方式 | 测试市发展改革委 |\n5. 测试市低效楼宇改造项目\n| 低效楼宇改造 |  |\n|---|---|\n| 服务内容 | 给予补助。 |\n")
    policy = parse_text(text, "cards.txt")
    cards = [m for m in policy.measures() if m.number]
    assert [(m.number, m.title) for m in cards] == [("4.", "测试市加快提升创新驱动发展的能力和水平"), ("5.", "测试市低效楼宇改造项目")]
    assert "6．持续推进改革" in cards[0].text and "联络方式" in cards[0].text


# -- responsibility in running text and residue (second round) ---------------------------------------


def test_a_body_defined_inside_a_table_cell_is_read_without_the_cell_and_its_run_in_heading():
    """A policy card's 服务内容 cell: 1．加强企业升规稳规指导北京市经济和信息化局（以下简称市经济和信息化局）:
    the short name stands for the Beijing bureau, not for the cell label, number and heading glued to it."""
    from corpus.aliases import read_aliases
    from kg.extract.responsibility import body_aliases

    text = ("| 服务内容 | 1．加强企业升规稳规指导北京市经济和信息化局（以下简称市经济和信息化局）建立全市"
            "企业培育库。 |")
    assert body_aliases(read_aliases(text), "北京", packaged_genre()) == {"市经济和信息化局": "北京市经济和信息化局"}


def test_a_passive_agent_with_qualifiers_is_the_responsible_body():
    """由X按规定制定 / X由A统一制定 / 由A会同B按职责分工负责: the agent after 由 is responsible, the
    qualifier between it and the verb is no part of its name."""
    from kg.extract.responsibility import running_mentions

    def found(text: str) -> list[tuple[str, str]]:
        return [(m.name, m.role) for m in running_mentions(text, 0, "武汉", packaged_genre())]

    assert found("具体办法由市科技局按规定制定。") == [("市科技局", "responsible")]
    assert found("实施细则由市发展改革委会同市财政局按职责分工负责制定。") == [
        ("市发展改革委", "lead"), ("市财政局", "participant")]
    assert found("企业自行制定方案。") == []  # 制定 names a responsible body only after 由
    assert [(m.name, m.role) for m in running_mentions("中国（上海）自由贸易试验区管理委员会负责统筹。", 0, "上海",
                                                       packaged_genre())] == [
        ("中国（上海）自由贸易试验区管理委员会", "responsible")]  # 自由 is no agent marker
    policy, facts = parsed("008")
    m = measure_with(policy, "目录编制指南由省公共数据主管部门统一制定")
    assert {r.mention for r in facts.departments[m.id]} == {"省公共数据主管部门"}


def test_a_vague_level_of_related_departments_is_no_responsible_body():
    from kg.extract.responsibility import running_mentions

    assert running_mentions("前期由市级相关部门牵头，组建实训基地。", 0, "重庆", packaged_genre()) == []


def test_a_sentence_subject_ends_at_its_definition_bracket():
    policy, facts = parsed("017")
    m = measure_with(policy, "市住房保障办公室（以下称市住房保障部门）")
    assert "市住房保障办公室" in {r.mention for r in facts.departments[m.id]}
    assert not any("以下称" in r.mention or "以下称" in r.canonical for r in facts.departments[m.id])


def test_the_banking_and_insurance_regulator_is_a_national_body():
    policy, facts = parsed("009")
    m = measure_with(policy, "督促银行业金融机构持续清理规范收费项目")
    assert roles(facts, m) == {"中国银行保险监督管理委员会": "responsible"}
    m = measure_with(policy, "降低企业融资、物流、用能等成本")
    assert roles(facts, m)["中国银行保险监督管理委员会"] == "lead"


def test_a_portal_credit_line_under_the_article_is_dropped():
    policy, _ = parsed("009")
    assert not policy.text.rstrip().endswith("来源：中国政府网")
    assert policy.text.rstrip().endswith("将适时组织开展专项督促检查。")


def test_bodies_named_by_their_field_alone_are_the_issuers_own_bodies():
    """民政部门, 税务部门, 社会组织管理部门 with no place: departments, qualified by the issuing
    jurisdiction as 市民政部门 would be; a role (政务部门) or every level (各级财政部门) is not qualified."""
    from corpus.jurisdiction import Jurisdiction, functional_body, qualify_functional

    genre = packaged_genre()
    policy, facts = parsed("008")
    m = measure_with(policy, "公共管理和服务机构应当以统一社会信用代码作为唯一标识")
    assert roles(facts, m) == {"广东省市场监督管理部门": "responsible", "广东省社会组织管理部门": "responsible",
                               "广东省事业单位登记管理机关": "responsible"}
    policy, facts = parsed("017")
    m = measure_with(policy, "民政部门负责审查核实公共租赁住房保障申请家庭的经济状况")
    assert roles(facts, m)["广州市民政部门"] == "responsible"
    assert roles(facts, m)["广州市住房和城乡建设局"] == "responsible"  # 市住房城乡建设局是…主管部门，负责…
    guangzhou = Jurisdiction("city", "广东省", "广州市")
    assert qualify_functional("税务部门", guangzhou, genre=genre) == "广州市税务部门"
    assert qualify_functional("各级财政部门", guangzhou, genre=genre) is None
    assert qualify_functional("民政部门", Jurisdiction("national"), genre=genre) is None
    assert functional_body("政务部门", genre=genre) is None and functional_body("数源部门", genre=genre) is None


def test_a_district_body_in_a_citys_own_document_names_every_district_not_one_body():
    from eval.qualification import qualified

    beijing = {"level": "city", "province": "北京市", "city": "北京市"}
    assert qualified("区人力资源社会保障局", "区人力资源社会保障局", beijing) is None
    assert qualified("市经济和信息化局", "北京市经济和信息化局", beijing) is True
    xihu = {"level": "district", "province": "浙江省", "city": "杭州市", "district": "西湖区"}
    assert qualified("区科技局", "区科技局", xihu) is False  # a district's own document must qualify it


def test_sub_measures_without_their_own_block_take_the_bodies_their_sections_opening_sentence_names(
        policy_from_text):
    """（一）…。由市发展改革委牵头，各区配合。 then 1. 2. 3.: the sub-items that name no one are led by the
    commission with the districts taking part (the opening sentence as evidence); one with its own block
    keeps its own, and another section's items take nothing."""
    from kg.extract import extract

    policy = policy_from_text(
        "上海市推进测试工作的实施方案\n\n一、重点任务\n\n（一）加快数据要素市场建设。由市发展改革委牵头，各区配合。\n\n"
        "1.建设数据交易平台。支持交易所扩容。\n\n2.培育数据商。引进一批数据商。\n\n"
        "3.完善规则。制定交易规则。（责任单位：市经济信息化委）\n\n（二）推进算力建设。\n\n1.建设算力中心。布局算力。\n",
        city="上海")
    facts = extract(policy)
    first, second, third, other = [m for m in policy.measures() if m.kind == "measure"]
    for m in (first, second):
        assert roles(facts, m) == {"上海市发展和改革委员会": "lead", "各区人民政府": "participant"}
        assert all(r.span.quote == "由市发展改革委牵头，各区配合" for r in facts.departments[m.id])
    assert roles(facts, third) == {"上海市经济和信息化委员会": "responsible"}
    assert other.id not in facts.departments


def test_a_list_of_attachments_written_from_the_label_line_on_is_closing_text_not_measures():
    """附件：1.“智能机器人”重点专项…申报指南 and 2.… 7.… after it list the attachments (not given in the
    file): closing text, never measures of the section before it."""
    policy, _ = parsed("013")
    linkable = [m for m in policy.measures() if m.kind in ("measure", "goal", "paragraph", "intro")]
    assert not any("项目申报指南（指南编制专家名单" in m.text for m in linkable)
    assert "附件" not in measure_with(policy, "材料报送和业务咨询").text
    listing = next(s for s in policy.sections if s.title.startswith("附件：1."))
    assert listing.kind == "closing"


def test_a_first_heading_run_into_the_notices_opening_after_its_colon_is_a_section():
    """A PDF that lost its line breaks: …现提出以下意见：一、指导思想、基本原则和主要目标（一）指导思想。…
    The first section and its items are not swallowed by the preamble."""
    policy, _ = parsed("023")
    first = policy.sections[1] if policy.sections[0].kind == "preamble" else policy.sections[0]
    assert first.title == "指导思想、基本原则和主要目标"
    assert [m.title for m in first.measures][:3] == ["指导思想", "基本原则", "主要目标"]
    assert "一、指导思想" not in policy.measures()[0].text


def test_four_levels_with_separate_block_lines_and_a_deadline_line_make_one_task(policy_from_text):
    """一、/（一）/1./（1）/① four deep, the item closed by 牵头单位 / 配合单位 / 完成时限 lines: one measure
    (its （1）（2）① points inside it), the lead and both participants, the deadline as the measure's; the
    block lines are never run together with each other nor a task of their own."""
    from kg.extract import extract

    policy = policy_from_text(
        "上海市推进测试工作的实施方案\n\n一、重点任务\n\n（一）加快数据要素市场建设\n\n"
        "1.建设数据交易平台。支持交易所扩容，重点做好：\n（1）完善交易规则。包括：①挂牌规则；②结算规则。\n"
        "（2）培育数据商。引进一批。\n牵头单位：市发展改革委\n配合单位：市经济信息化委、市财政局\n完成时限：2024年6月\n\n"
        "2.培育数据商。引进一批数据商。（市商务委负责）\n", city="上海")
    facts = extract(policy)
    first, second = policy.measures()
    assert (first.number, first.title) == ("1.", "建设数据交易平台")
    assert "②结算规则" in first.text and first.text.rstrip().endswith("完成时限：2024年6月")
    assert policy.section(first.section_id).number == "（一）"
    assert roles(facts, first) == {"上海市发展和改革委员会": "lead", "上海市经济和信息化委员会": "participant",
                                   "上海市财政局": "participant"}
    assert [(d.date, d.span.measure_id) for d in facts.dates if d.kind == "deadline"] == [("2024-06-30", first.id)]
    assert roles(facts, second) == {"上海市商务委员会": "responsible"}


def test_the_numbered_notes_under_an_indicator_table_are_no_provisions():
    """注：1. …达标率=… 2. … 6. under 表3: the notes' own list, never goals 2.–6. after 3.总体目标."""
    policy, _ = parsed("031")
    goals = policy.section(measure_with(policy, "城市防洪标准达标率=（全省达标的城市").section_id)
    assert [m.number for m in goals.measures if m.number] == ["1.", "2.", "3."]
    assert not any(m.title.startswith(("①城市防洪标准达标率", "风险管控", "数字赋能")) for m in policy.measures())


def test_an_indicator_tables_last_row_keeps_its_figures_and_the_note_under_it_is_its_own():
    """专栏1's table rows 1.…34.: the last row (34.农村居民人均纯收入（元） 4543 7655 …) stays in the table;
    the note under it (注：[  ]为五年累计) is a paragraph of its own, not a measure titled by that row."""
    policy, _ = parsed("027")
    table = next(m for m in policy.measures() if m.kind == "table")
    assert "34.农村居民人均纯收入（元）" in table.text and table.text.rstrip().endswith("实际增长9.8")
    assert not any(m.title == "农村居民人均纯收入（元）" for m in policy.measures())


def test_a_heading_whose_title_opens_with_a_numeral_word_is_a_heading():
    """二、两业融合篇 (019's second part) opens a section like 三、先进制造业篇; 一、二类 or 一、二、三 at a
    paragraph's start are numbers listed, not a heading."""
    from corpus import parse_text
    from corpus.grammar import grammar

    g = grammar(packaged_genre())
    assert g.match_marker("二、两业融合篇").value == 2 and g.match_marker("三、三产融合发展").value == 3
    assert g.match_marker("一、二类企业") is None and g.match_marker("一、二、三等奖") is None
    policy = parse_text("测试市产业政策导引\n\n一、综合篇\n\n1.老旧厂房改造。给予支持。\n\n二、两业融合篇\n\n"
                        "1.融合示范园区认定。给予奖励。\n\n三、先进制造业篇\n\n1.高精尖产业发展资金。给予补贴。\n", "t.txt")
    assert [s.title for s in policy.sections if s.number] == ["综合篇", "两业融合篇", "先进制造业篇"]


def test_a_boxs_last_row_holding_its_sub_rows_is_a_row_of_its_table():
    policy, _ = parsed("027")
    box = next(s for s in policy.all_sections() if s.kind == "box" and s.title.startswith("专栏2"))
    assert [m.kind for m in box.measures] == ["table"]
    assert "34.主要污染物排放量降低（%）" in box.measures[0].text and "氮氧化物" in box.measures[0].text


def test_a_tables_note_and_its_items_are_part_of_the_table():
    policy, _ = parsed("031")
    tables = {m.title: m for m in policy.measures() if m.kind == "table"}
    rain = tables["表5 雨水管渠设计重现期（年）"]
    assert "注：1. 按表中所列重现期" in rain.text and "4. 中心城区重要地区主要指" in rain.text
    assert "（以上包括本数，以下不包括本数）" in rain.text
    assert not [m for m in policy.measures() if m.kind != "table" and m.text.lstrip().startswith(("注：", "2. 雨水管渠"))]
