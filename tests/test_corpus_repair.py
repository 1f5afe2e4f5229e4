"""Repair of extraction damage: broken lines, page numbers, letter-spacing, half-width markers; offset map."""

from __future__ import annotations

from corpus import repair
from corpus.repair import should_join
from genre import packaged as packaged_genre


def _check_map(raw: str, text: str, offset_map: list[int]) -> None:
    assert len(offset_map) == len(text)
    assert offset_map == sorted(offset_map)
    for i, ch in enumerate(text):
        if ch != "\n" and ch not in "（）：" and not ch.isspace():
            assert raw[offset_map[i]] == ch


def test_responsibility_block_broken_across_page_is_joined_and_full_width():
    raw = "(一)打造开源社区。强化算力券联动支持。(责任单位:市经济信息\n\n化委、市发展改革委)\n\n(二)构建服务圈。"
    text, offset_map = repair(raw, genre=packaged_genre())
    assert "（责任单位：市经济信息化委、市发展改革委）" in text
    assert text.startswith("（一）打造开源社区")
    assert "\n\n（二）构建服务圈。" in text
    _check_map(raw, text, offset_map)
    # the cleaned character 化 maps back to the raw one after the break
    i = text.index("化委")
    assert raw[offset_map[i]] == "化" and raw[offset_map[i] - 1] == "\n"


def test_a_block_wrapped_after_its_label_goes_on_with_its_departments():
    raw = ("（二十）拓展文化旅游功能。依法有序盘活农村闲置宅基地，采用新建、租赁、合作经营等方式开展民宿经营。（责任单位：\n"
           "省文旅厅、省住建厅、省自然资源厅、省农业农村厅，各市、州、县人民\n政府）\n以上措施自文件发布之日起施行。")
    text, _ = repair(raw, genre=packaged_genre())
    assert "（责任单位：省文旅厅、省住建厅、省自然资源厅、省农业农村厅，各市、州、县人民政府）\n以上措施" in text
    # a colon that ends a lead-in outside any bracket still opens a list on the next line
    text, _ = repair("主要任务如下：\n1.加强组织领导。", genre=packaged_genre())
    assert text == "主要任务如下：\n1.加强组织领导。"


def test_number_and_unit_split_by_break_is_joined():
    raw = "加强市区联动，对2024\n\n年底前在沪完成智能算力部署的主体给予奖励。"
    text, _ = repair(raw, genre=packaged_genre())
    assert text == "加强市区联动，对2024年底前在沪完成智能算力部署的主体给予奖励。"


def test_sentence_cut_by_page_break_with_page_number():
    raw = "8. 支持企业做大做强。支持有条件企业积极承担国家及本市\n\n- 3 -\n\n智算云领域自主可控产品研发。"
    text, offset_map = repair(raw, genre=packaged_genre())
    assert text == "8. 支持企业做大做强。支持有条件企业积极承担国家及本市智算云领域自主可控产品研发。"
    _check_map(raw, text, offset_map)


def test_stray_page_numbers_are_dropped():
    raw = "第一段结束。\n— 12 —\n第二段开始。\n\n7\n\n第三段。\n第 3 页 共 10 页\n第四段。"
    text, _ = repair(raw, genre=packaged_genre())
    assert text.split("\n") == ["第一段结束。", "第二段开始。", "", "第三段。", "第四段。"]


def test_real_paragraph_breaks_stay():
    raw = "一、主要目标\n\n加快推进开源体系建设。\n\n（一）开源项目发展工程\n\n1.培育优质开源项目。面向重点领域布局。\n\n2.鼓励贡献开源项目。"
    text, _ = repair(raw, genre=packaged_genre())
    assert text == raw
    # heading lines, salutations and titles are not continued by the next line
    assert not should_join("（一）加强工作领导", "强化顶层设计，统筹推进。", genre=packaged_genre())
    assert not should_join("各区人民政府，市政府有关委、办、局：", "《方案》已经市政府同意。", genre=packaged_genre())
    assert not should_join("上海市加强开源体系建设实施方案", "为贯彻落实国家部署,制定本方案。", genre=packaged_genre())
    assert not should_join("企业。（责任单位：市经济信息化委）", "加强统筹协调，定期评估。", genre=packaged_genre())


def test_marker_punctuation_unified():
    raw = "(一) 布局基础设施\n\n1．升级扩容。（责任单位:市经济信息化委)\n\n(2)细化措施。"
    text, offset_map = repair(raw, genre=packaged_genre())
    assert text.split("\n\n") == [
        "（一） 布局基础设施",
        "1.升级扩容。（责任单位：市经济信息化委）",
        "（2）细化措施。",
    ]
    assert len(text) == len(raw) and offset_map == list(range(len(raw)))


def test_letter_spaced_names_closed_up_real_spaces_kept():
    raw = "上海市 财 政 局\n\n上海市科学技术委员会 中共上海市委网络安全和信息化委员会办公室\n\n到 2027 年,建成 1—2 个社区。"
    text, offset_map = repair(raw, genre=packaged_genre())
    lines = text.split("\n\n")
    assert lines[0] == "上海市财政局"
    assert lines[1] == "上海市科学技术委员会 中共上海市委网络安全和信息化委员会办公室"
    assert lines[2] == "到 2027 年,建成 1—2 个社区。"
    _check_map(raw, text, offset_map)


def test_unbalanced_title_bracket_continues():
    raw = "关于印发《上海市推动人工智能大模型创新发展若干措施\n(2023-2025年)》的通知\n\n有关单位:"
    text, _ = repair(raw, genre=packaged_genre())
    assert text.startswith("关于印发《上海市推动人工智能大模型创新发展若干措施(2023-2025年)》的通知\n")


def test_indentation_and_crlf_whitespace_removed():
    raw = "\u3000\u3000第一条　为了规范管理，制定本办法。  \n\u3000\u3000第二条　本办法适用于本市。"
    text, offset_map = repair(raw, genre=packaged_genre())
    assert text == "第一条　为了规范管理，制定本办法。\n第二条　本办法适用于本市。"
    _check_map(raw, text, offset_map)


def test_text_that_extraction_repeats_is_kept_once():
    """A text-layer PDF whose headings are drawn twice (fake bold: two runs at one place) gives each
    heading twice, on one line or on two; a web print doubles a heading line. Kept once, offsets intact;
    short table cells that repeat (约束性 / 约束性) are content and stay."""
    raw = ("一、总体要求一、总体要求\n\n坚持创新驱动发展，推进开源生态建设。\n\n二、重点任务\n二、重点任务\n\n"
           "（一）建设开源社区。支持企业建设开源社区。\n（一）建设开源社区。支持企业建设开源社区。\n\n"
           "指标\n约束性\n约束性\n")
    text, offsets = repair(raw, genre=packaged_genre())
    lines = [ln for ln in text.split("\n") if ln]
    assert lines.count("一、总体要求") == 1 and "一、总体要求一、总体要求" not in text
    assert lines.count("二、重点任务") == 1
    assert lines.count("（一）建设开源社区。支持企业建设开源社区。") == 1
    assert lines.count("约束性") == 2
    assert all(raw[offsets[i]] == ch for i, ch in enumerate(text) if not ch.isspace())


def test_a_pdf_drawing_headings_twice_parses_into_one_outline():
    from corpus import parse_text

    raw = ("关于推进开源发展的若干措施\n\n一、总体要求一、总体要求\n\n坚持创新驱动。\n\n二、重点任务\n二、重点任务\n\n"
           "（一）建设开源社区。支持企业建设开源社区。（责任单位：市经济信息化委）\n")
    policy = parse_text(raw, "plan.txt")
    heads = [s.number + s.title for s in policy.all_sections()]
    assert heads.count("一、总体要求") + heads.count("二、重点任务") == 2
    assert [m.title for m in policy.measures() if m.kind == "measure"] == ["建设开源社区"]


def test_cells_of_a_table_flattened_one_per_line_stay_apart_though_a_cell_holds_a_comma():
    """A provincial plan's protection-grade table written one cell a line (<150，≥50 is one cell): the cells
    after it are not run together into a paragraph; prose wrapped to a short last line still joins."""
    raw = "表8  防护等级和防洪标准\n\n等级\n\n常住人口\n\nⅡ\n\n<150，≥50\n\n<300，≥100\n\n200~100\n\nⅢ\n\n<50，≥20\n\n注：说明。"
    text, offset_map = repair(raw, genre=packaged_genre())
    assert "\n<150，≥50\n\n<300，≥100\n\n200~100\n\nⅢ\n" in text
    _check_map(raw, text, offset_map)
    wrapped = "到2025年，全省城市内涝防治能力显著提升，新建雨水管网长度达到\n2000公里，完成率100%，"
    assert "达到2000公里" in repair(wrapped, genre=packaged_genre())[0]


def test_space_a_wrapped_line_left_inside_a_sentence_is_closed_up():
    """A page saved from a portal whose paragraph was wrapped where the source broke its lines keeps one
    space inside words (给予企 业, 奖 励): the word is not found by search or by the answer's evidence
    check. In a sentence no space stands between two characters; the space after 第一条 and those
    separating names in a list without sentence marks are kept."""
    raw = ("全力支持战略新 兴、医药健康产业，对新获批的给予企 业100万元奖 励。\n\n"
           "第一条 为了规范管理，制定本办法。\n\n"
           "关于发挥科技支撑引领作用　促进经济发展的决定，自发布之日起施行。\n\n"
           "组长：王清宪 省长")
    text, offset_map = repair(raw, genre=packaged_genre())
    lines = text.split("\n\n")
    assert lines[0] == "全力支持战略新兴、医药健康产业，对新获批的给予企业100万元奖励。"
    assert lines[1] == "第一条 为了规范管理，制定本办法。"
    assert lines[2] == "关于发挥科技支撑引领作用　促进经济发展的决定，自发布之日起施行。"
    assert lines[3] == "组长：王清宪 省长"
    _check_map(raw, text, offset_map)
