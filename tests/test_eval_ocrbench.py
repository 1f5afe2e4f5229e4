"""The OCR bench's outline scoring and the outline spot-check, on text (no Tesseract run)."""

from corpus import parse_text
from eval.ocrbench import INDENT, dev_source, excerpt, headings, layout, official_typeface, outline_score
from eval.outlinecheck import check
from genre import packaged

G = packaged()
KNOWN = "一、总体要求\n（一）加强组织领导。各区要建立工作机制。\n（二）强化资金保障。给予补贴。\n二、保障措施\n（三）加强宣传引导。营造氛围。"


def test_a_heading_is_recovered_by_style_number_and_a_similar_title():
    known = headings(parse_text(KNOWN), G)
    read = headings(parse_text(KNOWN.replace("（二）强化资金保障", "（二）强化资金保樟").replace("二、保障措施\n", "")), G)
    score = outline_score(known, read)
    assert [h.number for h in score.missed] == ["二、"]  # a heading lost; one misread character is no loss
    assert score.recall == 4 / 5 and not score.false


def test_numbering_invented_by_ocr_is_counted_false():
    read = headings(parse_text(KNOWN.replace("（三）加强宣传引导", "（四）加强宣传引导")), G)
    assert [h.number for h in outline_score(headings(parse_text(KNOWN), G), read).false] == ["（四）"]


def test_official_typeface_sets_headings_apart():
    face = official_typeface(G)
    heading = face(INDENT + "一、总体要求")
    assert len(heading) == 1 and heading[0].font == "WQY"  # 黑体
    runs = face(INDENT + "（一）加强组织领导。各区要建立工作机制。")
    assert runs[0].text.endswith("加强组织领导。") and runs[1].text == "各区要建立工作机制。"
    assert face("续行文字，不是段首。")[0].text == "续行文字，不是段首。"


def test_layout_never_opens_a_line_with_closing_punctuation():
    lines = [x for page in layout("一" * 31 + "，" + "二" * 40) for x in page]
    assert not any(x[0] in "，。、；" for x in lines)


def test_layout_never_breaks_a_number_or_a_latin_word_across_lines():
    text = "加快构建房地产发展新模式适应新变" + "2025年5月14日起RCEP生效，补贴1.5%"
    lines = [line for page in layout(text, chars_per_line=20) for line in page]
    assert "".join(lines) == "\u3000\u3000" + text
    assert lines[1].startswith("2025年5月14日起RCEP生效") and lines[2] == "1.5%"


def test_dev_excerpt_is_whole_paragraphs_of_a_dev_document():
    text = excerpt(dev_source("037"), 1, G)
    assert text.splitlines()[0] and all(p.strip() for p in text.splitlines())
    assert sum(len(page) for page in layout(text)) <= 34


def test_outline_check_flags_a_lost_heading_and_a_run_together_outline():
    gap = parse_text("一、总体要求\n（一）加强组织领导。建立机制。\n（三）加强宣传引导。营造氛围。")
    assert any(f.startswith("gap") for f in check(gap, "gap.txt", "dev", genre=G).flags)
    giant = parse_text("一、总体要求\n" + "各区要建立工作机制，明确责任分工。" * 400 + "\n二、保障措施\n加强宣传。")
    assert any(f.startswith("giant") for f in check(giant, "giant.txt", "dev", genre=G).flags)
    sane = parse_text(KNOWN)
    assert check(sane, "sane.txt", "dev", genre=G).flags == []


def test_outline_check_flags_higher_headings_found_below_lower_ones():
    """An outline with a 一、 under a （二） (as a parser reading levels by first use alone made of a scan
    whose 一、 was lost) is flagged; the parser itself keeps 二、 at the top, where its style belongs, and
    the second run of （一） items then shows the lost heading as a restart."""
    lost = parse_text("（一）加强组织领导。建立机制。\n（二）强化资金保障。给予补贴。\n二、保障措施\n（一）加强宣传。营造氛围。")
    assert [s.number for s in lost.sections] == ["（一）", "（二）", "二、"]
    assert check(lost, "lost.txt", "dev", genre=G).flags == []
    nested = parse_text("（一）加强组织领导。建立机制。\n（二）强化资金保障。给予补贴。\n二、保障措施\n（一）加强宣传。营造氛围。")
    head = nested.sections.pop()
    head.level, head.parent_id = 2, nested.sections[-1].id
    nested.sections[-1].sections.append(head)
    assert check(nested, "nested.txt", "dev", genre=G).flags == ["inverted: cn_dun under cn_paren ×1"]


def test_outline_check_flags_items_numbered_again_beside_their_siblings():
    restart = parse_text("一、总体要求\n（一）加强组织领导。建立机制。\n（二）强化资金保障。给予补贴。\n"
                         "（一）加强宣传引导。营造氛围。\n（二）强化督促检查。定期通报。")
    assert check(restart, "restart.txt", "dev", genre=G).flags == ["restart×1: cn_paren 2→1"]


def test_outline_check_compares_an_attachment_with_its_own_numbering_only():
    """An attachment is numbered in a context of its own: its 一、 is not below the body's （一）."""
    annexed = parse_text("（一）加强组织领导。建立机制。\n（二）强化资金保障。给予补贴。\n附件：申报要求\n一、申报条件\n"
                         "（一）具有独立法人资格。\n（二）依法纳税。")
    assert not any(f.startswith("inverted") for f in check(annexed, "annexed.txt", "dev", genre=G).flags)


def test_outline_check_lets_articles_be_numbered_under_sections():
    """第1条-style articles under 一、 / （一） sections are a nesting of the genre (two chains of its
    hierarchy), not higher headings lost by recognition."""
    nested = parse_text("一、资金支持\n第1条 设立重点项目引导基金，用于扶持项目落地。\n二、支持范围\n（一）投资奖励\n"
                        "第2条 对新建项目按实际投资额给予奖励。\n第3条 对技术改造项目给予补助。\n（二）人才奖励\n"
                        "第4条 对引进的高层次人才给予安家补贴。")
    assert not any(f.startswith("inverted") for f in check(nested, "nested.txt", "dev", genre=G).flags)
