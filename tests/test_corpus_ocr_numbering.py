"""Numbering markers damaged by OCR are restored where the layout makes the reading certain, and only
in recognised text: running text never gains a heading (pure text, no Tesseract run)."""

from corpus import parse_text
from corpus.readers.ocr import repair_numbering, tidy
from genre import packaged

G = packaged()
FULL = "各区要建立工作机制，明确责任分工，加强统筹协调，形成工作合力，确保各项"  # a full line: 34 characters


def repaired(*lines: str) -> list[str]:
    return repair_numbering(["\n".join(lines)], genre=G)[0].split("\n")


def test_damaged_markers_at_the_start_of_a_paragraph_are_restored():
    out = repaired(
        "—、总体要求",  # 一 read as a dash
        "(-) 加强组织领导。各区要建立工作机制。",  # （一） as (-)
        "(=) 强化资金保障。对符合条件的项目给予补贴。",  # 二 as =
        "。 （三） 加强宣传引导。营造良好氛围。",  # a speck read as 。 before the heading
        "二，保障措施",  # 、 as ，
        "(-) 完善考核机制。每年开展一次评估。",
        "（思） 优化服务流程。提升效率。",  # an unreadable numeral: the sequence says （二）
        "） 强化督促检查。定期通报。",  # numeral and opening bracket lost: （三）
        "八） 加强队伍建设。提升能力。",  # five numbers on: not read as a heading
    )
    assert out[:8] == ["一、总体要求", "（一）加强组织领导。各区要建立工作机制。", "（二）强化资金保障。对符合条件的项目给予补贴。",
                       "（三）加强宣传引导。营造良好氛围。", "二、保障措施", "（一）完善考核机制。每年开展一次评估。",
                       "（二）优化服务流程。提升效率。", "（三）强化督促检查。定期通报。"]
    assert out[8] == "八） 加强队伍建设。提升能力。"


def test_articles_and_arabic_items_are_restored_by_sequence():
    out = repaired("第八条 为规范管理，制定本办法。", "”第九条本办法适用于本市。", "第+条 市财政局负责资金保障。",
                   "1.申报单位应当具有独立法人资格。", "2申报项目应当符合指南方向。", "3 .项目负责人应具有高级职称。",
                   "4，申报材料应当真实。")
    assert out == ["第八条 为规范管理，制定本办法。", "第九条本办法适用于本市。", "第十条市财政局负责资金保障。",
                   "1.申报单位应当具有独立法人资格。", "2.申报项目应当符合指南方向。", "3.项目负责人应具有高级职称。",
                   "4.申报材料应当真实。"]


def test_running_text_gains_no_heading():
    lines = [
        "一、总体要求",
        FULL,
        "一，二季度完成清理。",  # a wrapped line after a full line that ends mid-sentence: not a paragraph
        "到2025年，培育企业。",
        "一体化推进",  # a short line opening with 一 but no marker punctuation: no 一、 is invented
        "3家企业获得支持。",  # a count, not item 3
        "（注）本表数据为预计数。",  # a bracketed note before any （一）: no sequence to read it by
        "2项目的组织实施应整合团队。",  # 2 without 1. before it
    ]
    assert repaired(*lines) == lines


def test_a_list_goes_on_across_a_page_break():
    pages = repair_numbering(["（一）加强组织领导。", "(-) 强化资金保障。"], genre=G)
    assert pages == ["（一）加强组织领导。", "（二）强化资金保障。"] or pages[1] == "（一）强化资金保障。"
    pages = repair_numbering(["（一）加强组织领导。", "(=) 强化资金保障。"], genre=G)
    assert pages[1] == "（二）强化资金保障。"


def test_repaired_ocr_text_segments_into_its_measures():
    raw = "\n".join(["一、总体要求", "(-) 加强组织领导。各区要建立工作机制。", "。 (=) 强化资金保障。给予补贴。",
                     "二，保障措施", "(-) 加强宣传引导。营造良好氛围。"])
    policy = parse_text(repair_numbering([tidy(raw)], genre=G)[0])
    assert [m.number for m in policy.measures()] == ["（一）", "（二）", "（一）"]
    assert [s.number for s in policy.sections] == ["一、", "二、"]


def test_text_that_is_not_ocr_output_is_left_as_written():
    policy = parse_text("一、总体要求\n(=) 强化资金保障。给予补贴。")
    assert "(=) 强化资金保障" in policy.text


WRAPPED = """一、任务分工
（一）以简政放权放出活力和动力。
1.对现有审批和许可事项要逐一深入论证，除关系国家安全和重大公
共利益等的项目外，能取消的坚决取消，能下放的尽快下放。（国务
院审改办牵头，各部门负责）主要措施：
（1）2018年第三季度对现有行政许可事项进行全面摸底清理。
（国务院审改办牵头，各部门负责）
（2）持续精简行政许可事项，成熟一批、推出一批。（国务院审改办
牵头，各部门负责）
2.进一步压缩企业开办时间，减并工商、税务、刻章、社保等流程。"""


def test_a_numbered_sentence_wrapped_at_the_margin_is_one_paragraph_with_its_block():
    """Hard-wrapped text (a scan, a PDF): a numbered line that runs to the margin with a comma in it is
    a sentence going on, not a heading on its own line; a （…牵头，…负责） block pushed to the next line
    by the margin stays with its measure, so the next item is not swallowed."""
    policy = parse_text(WRAPPED)
    assert "1.对现有审批和许可事项要逐一深入论证，除关系国家安全和重大公共利益等的项目外" in policy.text
    items = {m.number: m for m in policy.measures() if m.number}
    assert items["（1）"].text.endswith("全面摸底清理。（国务院审改办牵头，各部门负责）")
    assert items["（2）"].title.startswith("持续精简行政许可事项")


def test_a_short_numbered_heading_keeps_its_own_line():
    policy = parse_text("一、总体要求\n（一）加强组织领导\n各区要建立工作机制，明确责任分工。\n（二）强化资金保障\n对符合条件的项目给予补贴。")
    assert [m.title for m in policy.measures() if m.number] == ["加强组织领导", "强化资金保障"]


def test_a_heading_after_a_lost_one_is_still_restored():
    out = repaired("前言部分到此结束。", "二，保障措施", "(=) 强化资金保障。给予补贴。", "六，附则")
    assert out[1:3] == ["二、保障措施", "（二）强化资金保障。给予补贴。"]
    assert out[3] == "六，附则"  # four numbers on from 二: not read as a heading


def test_a_lost_numeral_is_read_from_the_sequence_and_specks_after_a_heading_go():
    out = repaired("一、考评对象", "各旗县区人民政府。", "二、考评内容，", "（一）按照方案确定的任务。",
                   "三、0",  # the title lost but for a speck
                   ") 考评以日常监测等方式进行。",  # （一） with its opening bracket and numeral lost
                   "、考评结果应用，",  # 四、 with its numeral lost
                   "考评结果报送市政府。，",
                   "。五、附则")
    assert out == ["一、考评对象", "各旗县区人民政府。", "二、考评内容", "（一）按照方案确定的任务。", "三、",
                   "（一）考评以日常监测等方式进行。", "四、考评结果应用", "考评结果报送市政府。，", "五、附则"]


def test_a_line_opening_with_a_speck_is_no_heading_without_a_sequence():
    lines = ["一、总体要求", "各区要建立工作机制。", "、各部门要加强协作，形成合力。"]  # not heading-like
    assert repaired(*lines) == lines


def test_a_heading_run_together_with_the_next_item_is_split():
    out = repaired("第一章总则第一条为规范政务数据资源管理，制定本办法。", "第二条本办法适用于全州。",
                   "”第二章规划建设” 第三条州数据资源主管部门应当编制规划。", "一、总体要求（一）指导思想。坚持统筹推进。")
    assert out == ["第一章总则", "第一条为规范政务数据资源管理，制定本办法。", "第二条本办法适用于全州。", "第二章规划建设",
                   "第三条州数据资源主管部门应当编制规划。", "一、总体要求", "（一）指导思想。坚持统筹推进。"]
    cited = ["第一章总则", "第一条依照本办法第五条规定执行。"]  # an article cited inside a sentence stays
    assert repaired(*cited) == cited


def test_a_lost_top_heading_still_restarts_the_items_below_it():
    out = repaired("（五）重大招商引资项目引进的人才。", "（六）经认定的其他人才。", "二、申请条件",
                   "本人及家庭成员自有住房套数须符合规定。", ") 购房资格支持")
    assert out[-1] == "（一）购房资格支持"


def test_an_article_line_broken_inside_its_sentence_goes_on():
    policy = parse_text("第一章 总则\n第一条为规范政务数据资源管理，推进政务信\n息系统互联互通，制定本办法。\n第二条 本办法适用于全州。")
    first = next(m for m in policy.measures() if m.number == "第一条")
    assert "推进政务信息系统互联互通，制定本办法。" in first.text


def test_look_alike_numerals_and_brackets_are_read_by_sequence():
    out = repaired("一、发展目标", "到2026年产业规模达到目标。", "二、重点品类", "（六）人工智能影像设备。提升能力。",
                   "《七） 全屋智能产品。推动接入。", "(入) 工业级人工智能终端。推动融合。", "(丸) 其他新型终端。发挥优势。",
                   "二、重点任务")  # 三 with a stroke lost
    assert out[4:] == ["（七）全屋智能产品。推动接入。", "（八）工业级人工智能终端。推动融合。", "（九）其他新型终端。发挥优势。",
                       "三、重点任务"]


def test_a_first_heading_lost_before_its_items_is_read_from_the_numbering_after_it():
    """（一） before any 一、 and a later 二、: the short title just before the items is the lost 一、,
    whether its marker was dropped, run into it or left unreadable."""
    for damaged in ("总体要求", "一总体要求", "—总体要求", "、总体要求", "人、总体要求"):
        out = repaired("为推进工作，现提出以下意见。", damaged, "（一）加强组织领导。建立工作机制。",
                       "（二）强化资金保障。给予补贴。", "二、保障措施", "（一）加强宣传引导。营造氛围。")
        assert out[1] == "一、总体要求", damaged


def test_a_heading_lost_where_items_restart_is_restored_with_the_next_number():
    out = repaired("一、总体要求", "（一）加强组织领导。建立工作机制。", "（二）强化资金保障。给予补贴。", "重点任务",
                   "（一）推进平台建设。完善设施。", "（二）培育市场主体。壮大规模。", "三、保障措施", "（一）加强宣传。营造氛围。")
    assert out[3] == "二、重点任务"


def test_lost_headings_are_restored_where_the_sequence_skips():
    """Between 一、 and 四、 two headings were lost: a line opening with 、 (no line of Chinese text opens
    with it) and a bare title on a line of its own are those two, in order."""
    out = repaired("一、合理配置公共资源", FULL, "务等配套设施建设，以更完善的城市功能配套助推房地产市场健康发展",
                   "、鼓励产品创新创优", FULL, "上级专项奖励资金。", "降低土地使用成本", FULL, "负担。", "四、鼓励企业加快投资")
    assert out[3] == "二、鼓励产品创新创优" and out[6] == "三、降低土地使用成本"


def test_an_item_whose_dot_was_lost_is_read_from_the_item_after_it():
    out = repaired("有关事项通知如下。", "一、项目组织申报要求", "1申报单位根据指南支持方向组织申报，项目可下设课题。",
                   "2.项目的组织实施应整合集成全国优势创新团队。")
    assert out[2].startswith("1.申报单位")


def test_lines_the_numbering_does_not_vouch_for_stay_as_recognised():
    """No later heading says a number was lost, or the candidate is no heading: nothing is invented."""
    alone = ["为推进工作，现提出以下意见。", "总体要求", "（一）加强组织领导。建立工作机制。", "（二）强化资金保障。给予补贴。"]
    assert repaired(*alone) == alone  # no 二、 after it
    listing = ["一、总体要求", "（一）加强组织领导。建立工作机制。", "二、申请条件", "本细则所称人才是指经认定的人才。",
               "申请人应符合下列条件", "（一）具有本科以上学历。", "（二）缴纳社会保险满一年。", "四、附则"]
    assert repaired(*listing) == listing  # a sentence announcing the items, its colon lost, is no heading
    formula = ["一、考评对象", "各旗县区人民政府。", "二、考评内容", "半年考评分值=日常监测（60%）+实地调研（40%）",
               "年度考评分值=（上半年考评分值+下半年考评分值", "四、考评结果应用"]
    assert repaired(*formula) == formula  # figures and signs: a line of text, not a bare title


def test_articles_under_sections_do_not_restart_the_sections_count():
    """第1条 articles numbered under 一、 sections (another chain of the genre's hierarchy, used below
    them by this document) leave the count of 一、 going: 二 with its 、 lost is still the next section."""
    out = repaired("一、政策支持", "第1条设立产业发展引导基金。", "二支持范围", "第2条对新建项目给予奖励。")
    assert out[2] == "二、支持范围"


def test_a_chapter_heading_with_a_speck_after_it_is_split_from_its_article():
    out = repaired("第一章总则", "第七条本办法适用于全州。", "第二章，规划建设”第八条州数据资源主管部门应当编制规划。")
    assert out[2:] == ["第二章规划建设", "第八条州数据资源主管部门应当编制规划。"]


def test_an_article_whose_introducing_colon_was_lost_keeps_its_items():
    """第六条…按以下方法确定 with its ： lost by recognition: the article is a sentence (it runs on past a
    comma), so its items stay in it instead of making it a section of their own."""
    policy = parse_text("第五条 本细则适用于各类人才。\n第六条申请人在网上提交申请后，引进人才入户的受理时间按以下方法确定\n"
                        "（一）申请人无需进行现场审查的，网上审查通过时间为受理时间；\n（二）申请人进行现场审查的，现场审查通过时间为受理时间。\n"
                        "第七条 市、区人力资源社会保障部门负责受理。")
    sixth = next(m for m in policy.measures() if m.number == "第六条")
    assert "（二）申请人进行现场审查的" in sixth.text
    assert not [m for m in policy.measures() if m.number.startswith("（")]
    bare = parse_text("第六条 受理时间\n（一）申请人无需进行现场审查的，网上审查通过时间为受理时间；\n（二）申请人进行现场审查的。")
    assert [m.number for m in bare.measures()] == ["（一）", "（二）"]  # a bare heading article: its items


def test_a_watermark_and_page_numbers_are_taken_out_before_the_numbering_is_read():
    from corpus.readers.ocr import _without_furniture

    page = "一、总体要求\n（一）加强组织领导。\n- 3 -\n扫描全能王创建"
    assert _without_furniture(page, lambda t: t == "扫描全能王创建", G) == "一、总体要求\n（一）加强组织领导。"


def test_a_block_read_with_ascii_marks_and_spaces_keeps_its_departments():
    raw = "\n".join(["（一）提高城乡居民收入。加大返乡创业支持力度。 (责任单位 : 省人社厅, 省财政厅, 各市、州、县人民政府 )",
                     "（二）加强住房保障。多渠道筹集保障性租赁住房。 (责任单位 : 省住建厅 )"])
    text = tidy(raw)
    assert "。（责任单位：省人社厅，省财政厅，各市、州、县人民政府）" in text
    measures = parse_text(text).measures()
    assert [m.responsibility for m in measures] == ["省人社厅，省财政厅，各市、州、县人民政府", "省住建厅"]
