"""Every format a policy arrives in, with real files written here: a .docx from python-docx, a portal page
with its chrome and metadata table, HTML fragments, text-layer PDFs (two columns, doubled characters,
running heads, a ruled table), a scan rasterised from known text (OCR), damaged text files, and a folder
whose every unread file is reported."""

from __future__ import annotations

import os

import pytest

from corpus import load_corpus, load_text, parse_file, scan_paths
from corpus.model import LoadError
from corpus.readers import OCR_LABEL
from corpus.segment import segment
from genre import packaged as packaged_genre

NOTICE = ["一、总体要求", "（一）加强组织领导。各区要建立工作机制，明确责任分工。", "（二）强化资金保障。对符合条件的项目给予最高500万元补贴。"]


# -- .docx --------------------------------------------------------------------------------------------

def _docx(path):
    import docx

    d = docx.Document()
    d.add_paragraph("上海市测试局关于印发开源扶持办法的通知")
    d.add_paragraph("总体要求", style="List Number")  # Word's automatic numbering: no number in the text
    d.add_paragraph("资金保障", style="List Number")
    p = d.add_paragraph()
    p.add_run("加强组织领导。").bold = True
    p.add_run("各区要建立工作机制，明确责任分工。")
    t = d.add_table(rows=3, cols=3)
    for r, row in enumerate([["序号", "项目", "补贴上限"], ["1", "开源社区", "500万元"], ["2", "开源项目", "100万元"]]):
        for c, value in enumerate(row):
            t.cell(r, c).text = value
    d.add_paragraph("本办法自发布之日起施行。")
    d.save(path)
    return path


def test_docx_keeps_order_numbering_tables_and_bold_run_in_headings(tmp_path):
    text = load_text(_docx(tmp_path / "policy.docx"), genre=packaged_genre()).raw
    lines = [x for x in text.splitlines() if x.strip()]
    assert lines[0] == "上海市测试局关于印发开源扶持办法的通知"
    assert lines[1] == "1.总体要求" and lines[2] == "2.资金保障"  # numbers Word shows, written out
    assert lines[3] == "**加强组织领导。**各区要建立工作机制，明确责任分工。"
    assert lines[4:8] == ["| 序号 | 项目 | 补贴上限 |", "|---|---|---|", "| 1 | 开源社区 | 500万元 |",
                          "| 2 | 开源项目 | 100万元 |"]
    assert lines[8] == "本办法自发布之日起施行。"


def test_docx_bold_run_in_heading_becomes_a_measure_title(tmp_path):
    policy = parse_file(_docx(tmp_path / "policy.docx"))
    assert "加强组织领导" in [m.title for m in policy.measures()]


def test_broken_docx_is_refused_with_the_file_named(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"PK\x03\x04 not really a document")
    with pytest.raises(LoadError, match=r"notes\.docx.*docx"):
        load_text(path, genre=packaged_genre())


# -- HTML -----------------------------------------------------------------------------------------------

PORTAL = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>关于印发开源扶持办法的通知_政策文件_测试市人民政府门户网站</title></head><body><form id="form1">
<div class="header"><ul class="nav"><li>首页</li><li>政务公开</li><li>政务服务</li><li>互动交流</li></ul></div>
<div class="breadcrumb">当前位置：首页 &gt; 政务公开 &gt; 政策文件</div>
<table class="info"><tr><td><b>索引号：</b></td><td>000014349/2024-00012</td><td><b>主题分类：</b></td><td>科技、教育</td></tr>
<tr><td><b>发文机关：</b></td><td>测试市人民政府办公厅</td><td><b>成文日期：</b></td><td>2024年03月05日</td></tr>
<tr><td><b>标题：</b></td><td colspan="3">测试市人民政府办公厅关于印发开源扶持办法的通知</td></tr>
<tr><td><b>发文字号：</b></td><td>测府办〔2024〕12号</td><td><b>发布日期：</b></td><td>2024年03月08日</td></tr></table>
<div class="article"><h1>测试市人民政府办公厅关于印发开源扶持办法的通知</h1>
<table width="100%"><tr><td class="content"><p>各区人民政府，市政府各委、办、局：</p>
<p>《测试市开源扶持办法》已经市政府同意，现印发给你们，请认真按照执行。</p>
<p>一、总体要求</p><p>（一）加强组织领导。各区要建立工作机制，明确责任分工，确保各项措施落到实处，形成工作合力。</p>
<p>（二）强化资金保障。对符合条件的开源项目给予最高500万元补贴，对开源社区运营给予最高100万元奖励。</p>
<p>二、保障措施</p><p>（三）加强宣传引导。及时总结推广典型经验，营造支持开源发展的良好氛围。</p></td></tr></table>
<div class="share">分享到：微信 微博 QQ空间</div><div class="print">【打印本页】【关闭窗口】</div></div>
<div class="related"><h3>相关新闻</h3><ul><li>市领导调研开源社区建设情况</li><li>开源大会在我市开幕</li></ul></div>
<div class="footer">主办：测试市人民政府办公厅 网站标识码：1234567890 京ICP备12345678号</div>
</form></body></html>"""


def test_portal_page_gbk_main_text_with_metadata_header_lines(tmp_path):
    path = tmp_path / "portal.html"
    path.write_bytes(PORTAL.encode("gbk"))
    loaded = load_text(path, genre=packaged_genre())
    meta, text = loaded.meta, loaded.raw
    assert meta.title == "测试市人民政府办公厅关于印发开源扶持办法的通知" and meta.doc_no == "测府办〔2024〕12号"
    assert meta.issuers == ["测试市人民政府办公厅"] and meta.index_no == "000014349/2024-00012"
    assert meta.issued == "2024-03-05" and meta.published == "2024-03-08"
    assert text.splitlines()[0] == "测试市人民政府办公厅关于印发开源扶持办法的通知"  # the page's title heading
    assert "\n（二）强化资金保障。对符合条件的开源项目给予最高500万元补贴" in text  # paragraphs of a layout table
    for chrome in ("首页", "当前位置", "分享到", "打印本页", "相关新闻", "开源大会在我市开幕", "ICP备", "网站标识码"):
        assert chrome not in text, chrome


def test_portal_page_parses_into_measures(tmp_path):
    path = tmp_path / "portal.html"
    path.write_bytes(PORTAL.encode("gbk"))
    policy = parse_file(path)
    assert [m.number for m in policy.measures() if m.number] == ["（一）", "（二）", "（三）"]


def test_word_markup_fragment_from_a_javascript_string(tmp_path):
    para = ('<p class=\\"MsoNormal\\" style=\\"text-indent:24.0pt;mso-char-indent-count:2.0\\"><span style=\\"'
            'font-family:宋体;mso-ascii-theme-font:major-fareast\\">&nbsp;&nbsp;&nbsp;&nbsp;{}</span></p>\\n')
    body = "".join(para.format(x) for x in NOTICE)
    body += para.format("<strong>加强宣传引导。</strong>及时总结推广典型经验。")
    path = tmp_path / "fragment.html"
    path.write_text(body, encoding="utf-8")
    lines = [x for x in load_text(path, genre=packaged_genre()).raw.splitlines() if x.strip()]
    assert lines[:3] == NOTICE
    assert lines[3] == "**加强宣传引导。**及时总结推广典型经验。"


# -- PDF with a text layer ------------------------------------------------------------------------------

def _canvas(path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return canvas.Canvas(str(path))


def test_two_column_page_is_read_column_by_column(tmp_path):
    c = _canvas(tmp_path / "two.pdf")
    c.setFont("STSong-Light", 11)
    c.drawString(150, 800, "测试市开源扶持政策汇编（双栏排版示例文本）标题跨越两栏")
    left = [f"左栏第{i}行：支持开源社区建设。" for i in range(1, 11)]
    right = [f"右栏第{i}行：强化资金保障措施。" for i in range(1, 11)]
    for i, (a, b) in enumerate(zip(left, right, strict=True)):
        c.drawString(50, 760 - 18 * i, a)
        c.drawString(320, 760 - 18 * i, b)
    c.showPage()
    c.save()
    lines = [x for x in load_text(tmp_path / "two.pdf", genre=packaged_genre()).raw.splitlines() if x.strip()]
    assert lines[0].startswith("测试市开源扶持政策汇编")
    assert lines[1:] == left + right


def test_doubled_characters_running_heads_and_page_numbers_are_removed(tmp_path):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    c = _canvas(tmp_path / "doubled.pdf")
    body = [["一、总体要求", "（一）加强组织领导。各区要建立工作机制。"], ["（二）强化资金保障。给予最高500万元补贴。"],
            ["二、保障措施", "（三）加强宣传引导。营造良好氛围。"]]
    for n, lines in enumerate(body, 1):
        c.setFont("STSong-Light", 9)
        c.drawString(200, 815, "测试市人民政府公报 2024年第3期")  # running head
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            x = 50.0
            for ch in line:  # every character drawn twice at one place (fake bold)
                c.drawString(x, 780 - 22 * i, ch)
                c.drawString(x, 780 - 22 * i, ch)
                x += stringWidth(ch, "STSong-Light", 12)
        c.drawString(290, 30, f"- {n} -")
        c.showPage()
    c.save()
    text = load_text(tmp_path / "doubled.pdf", genre=packaged_genre()).raw
    assert [x for x in text.splitlines() if x.strip()] == [x for page in body for x in page]


def test_ruled_table_becomes_pipe_rows(tmp_path):
    c = _canvas(tmp_path / "table.pdf")
    c.setFont("STSong-Light", 12)
    c.drawString(50, 800, "附件：补贴标准表")
    rows = [["序号", "项目", "补贴上限"], ["1", "开源社区", "500万元"], ["2", "开源项目", "100万元"]]
    xs, ys = [50, 120, 300, 450], [760, 735, 710, 685]
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for r, row in enumerate(rows):
        for k, cell in enumerate(row):
            c.drawString(xs[k] + 5, ys[r] - 17, cell)
    c.showPage()
    c.save()
    lines = [x for x in load_text(tmp_path / "table.pdf", genre=packaged_genre()).raw.splitlines() if x.strip()]
    assert lines == ["附件：补贴标准表", "| 序号 | 项目 | 补贴上限 |", "|---|---|---|", "| 1 | 开源社区 | 500万元 |",
                     "| 2 | 开源项目 | 100万元 |"]


def _grid(c, xs, ys, rows):
    """A ruled table: horizontal lines at ys, one row of cells between two ys; a row of fewer cells
    than columns merges the last ones (a label and its long value), of one cell all of them."""
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for r, row in enumerate(rows):
        cuts = [*xs[:len(row)], xs[-1]]
        for x in cuts:
            c.line(x, ys[r], x, ys[r + 1])
        for k, cell in enumerate(row):
            c.drawString(cuts[k] + 5, ys[r] - 17, cell)


def test_a_table_cut_by_page_breaks_is_one_table(tmp_path):
    """A policy card drawn in one frame over three pages: the header row has merged cells (another
    number of columns), a page holds only the rest of one cell (a single ruled row), and the cells the
    breaks cut are joined again."""
    c = _canvas(tmp_path / "card.pdf")
    c.setFont("STSong-Light", 12)
    c.drawString(50, 800, "1. 测试市老旧厂房改造项目")
    xs = [50, 150, 300, 400, 540]
    _grid(c, xs, [760, 735, 710, 685], [["测试市老旧厂房改造项目实施方案"], ["工具分类", "资金支持", "服务对象", "全市"],
                                       ["服务内容", "按投资总额30%给予补助，最高不超"]])
    c.showPage()
    c.setFont("STSong-Light", 12)
    _grid(c, [50, 150, 540], [800, 775], [["", "过5000万元。项目交付后1年内完成评"]])
    c.showPage()
    c.setFont("STSong-Light", 12)
    _grid(c, [50, 150, 540], [800, 775, 750], [["", "价。"], ["联络方式", "测试市发展改革委"]])
    c.drawString(50, 700, "2. 测试市低效楼宇改造项目")
    c.showPage()
    c.save()
    loaded = load_text(tmp_path / "card.pdf", genre=packaged_genre())
    assert loaded.encoding == "pdf" and not loaded.warnings  # a page the table went on to is no scan
    lines = [x for x in loaded.raw.splitlines() if x.strip()]
    rows = [x for x in lines if x.startswith("|")]
    assert rows[0].startswith("| 测试市老旧厂房改造项目实施方案 |")
    assert "| 服务内容 | 按投资总额30%给予补助，最高不超过5000万元。项目交付后1年内完成评价。 |" in rows[3]
    assert rows[-1].startswith("| 联络方式 | 测试市发展改革委 |")
    assert len(rows) == 5 and sum(x.startswith("|---") for x in rows) == 1  # one table, one header row
    assert lines[-1] == "2. 测试市低效楼宇改造项目"


def test_a_single_ruled_row_that_continues_nothing_is_running_text(tmp_path):
    c = _canvas(tmp_path / "box.pdf")
    c.setFont("STSong-Light", 12)
    c.drawString(50, 800, "一、总体要求")
    _grid(c, [50, 150, 540], [760, 735], [["说明", "本方案适用于全市。"]])
    c.showPage()
    c.save()
    lines = [x for x in load_text(tmp_path / "box.pdf", genre=packaged_genre()).raw.splitlines() if x.strip()]
    assert lines == ["一、总体要求", "说明 本方案适用于全市。"] or lines == ["一、总体要求", "说明", "本方案适用于全市。"]


# -- scanned PDF (OCR) ----------------------------------------------------------------------------------

KNOWN = ("上海市人民政府办公厅关于印发开源扶持办法的通知\n各区人民政府，市政府各委、办、局：\n"
         "一、总体要求\n（一）加强组织领导。各区要建立工作机制，明确责任分工。\n"
         "（二）强化资金保障。对符合条件的项目给予最高500万元补贴。\n二、保障措施\n（三）加强宣传引导。营造良好氛围。")


def test_scan_with_only_a_watermark_is_read_by_ocr(tmp_path):
    from eval.ocrbench import char_accuracy, layout, render_scan

    pages = layout(KNOWN)
    path = render_scan(tmp_path / "scan.pdf", pages, dpi=200)  # image + a scanner app's watermark text
    seen = []
    loaded = load_text(path, progress=lambda stage, done, total: seen.append((stage, done, total)), genre=packaged_genre())
    assert loaded.meta.text_source == OCR_LABEL
    assert ("ocr", 1, 1) in seen
    assert loaded.warnings and "OCR" in loaded.warnings[0] and "scan.pdf" in loaded.warnings[0]
    assert "扫描全能王" not in loaded.raw
    assert char_accuracy(loaded.raw, "\n".join(pages[0])) >= 0.9
    policy = segment(loaded, genre=packaged_genre())  # the same reading parsed (parse_file would recognise the page again)
    assert [m.number for m in policy.measures() if m.number][:3] == ["（一）", "（二）", "（三）"]


def test_scan_without_tesseract_says_what_to_install(tmp_path, monkeypatch):
    import pytesseract

    from eval.ocrbench import layout, render_scan

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-tesseract"))
    path = render_scan(tmp_path / "scan.pdf", layout(KNOWN), dpi=100, watermark=None)
    with pytest.raises(LoadError, match=r"scan\.pdf.*Tesseract is not installed.*tesseract-ocr-chi-sim"):
        load_text(path, genre=packaged_genre())


# -- damaged text, legacy formats, folders ---------------------------------------------------------------

def test_text_with_a_few_invalid_bytes_is_read_and_the_positions_reported(tmp_path):
    good = "\n".join(NOTICE).encode("utf-8")
    path = tmp_path / "damaged.txt"
    path.write_bytes(good[:9] + b"\xff" + good[9:40] + b"\xfe" + good[40:])  # two stray bytes between characters
    loaded = load_text(path, genre=packaged_genre())
    assert loaded.encoding == "utf-8" and loaded.raw.count("\ufffd") == 2
    assert loaded.warnings and "2 invalid byte(s)" in loaded.warnings[0] and "9, 41" in loaded.warnings[0]
    assert "damaged.txt" in loaded.warnings[0] and "line(s) 1, 2" in loaded.warnings[0]
    assert "（二）强化资金保障" in loaded.raw
    path.write_bytes(good[:10] + b"\xff" + good[10:])  # a byte overwritten inside a character
    loaded = load_text(path, genre=packaged_genre())
    assert loaded.encoding == "utf-8" and "\ufffd" in loaded.raw and loaded.warnings


@pytest.mark.parametrize(("name", "advice"), [("old.doc", r"\.docx"), ("report.wps", r"WPS.*\.docx"),
                                              ("layout.ofd", r"OFD.*PDF")])
def test_legacy_formats_name_the_file_and_the_conversion(tmp_path, name, advice, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no converter installed
    path = tmp_path / name
    path.write_bytes(b"\xd0\xcf\x11\xe0 legacy bytes")
    with pytest.raises(LoadError, match=rf"{name.replace('.', '[.]')}: cannot be read directly.*{advice}"):
        load_text(path, genre=packaged_genre())


def test_folder_ingest_reports_every_file_it_does_not_read(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "policy.txt").write_text("\n".join(NOTICE), encoding="utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (folder / ".notes.txt").write_text("hidden", encoding="utf-8")
    (folder / "orphan.meta.yaml").write_text("title: x\n", encoding="utf-8")
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    os.symlink(folder / "policy.txt", folder / "link.txt")
    (folder / ".git").mkdir()
    files, skipped = scan_paths([folder])
    assert [f.name for f in files] == ["old.doc", "policy.txt"]
    reasons = {os.path.basename(s.path): s.reason for s in skipped}
    assert "unsupported file type '.jpg'" in reasons["photo.jpg"]
    assert "symbolic link" in reasons["link.txt"] and "hidden file" in reasons[".notes.txt"]
    assert "without its document" in reasons["orphan.meta.yaml"] and "hidden folder" in reasons[".git"]
    policies, skipped = load_corpus([folder])
    assert [p.path for p in policies] == [str(folder / "policy.txt")]
    assert {os.path.basename(s.path) for s in skipped} == {"photo.jpg", ".notes.txt", "orphan.meta.yaml",
                                                          "old.doc", "link.txt", ".git"}
    assert all(s.path in s.reason for s in skipped)  # every message names its file


def test_citations_of_a_scanned_policy_are_marked_as_ocr_text():
    from rag.answer import mark_text_sources
    from rag.model import Citation

    cites = [Citation(doc_no=None, title="扫描件", city=None, section="", measure="", quote="…", policy_id="scan"),
             Citation(doc_no=None, title="文本", city=None, section="", measure="", quote="…", policy_id="text")]
    mark_text_sources(cites, [{"id": "scan", "text_source": OCR_LABEL}, {"id": "text", "text_source": None}])
    assert [c.text_source for c in cites] == [OCR_LABEL, None]


def test_table_rows_stay_one_per_line_through_repair():
    from corpus import parse_text

    rows = ["| 序号 | 项目 | 说明 |", "|---|---|---|", "| 1 | 开源社区 | 给予补贴，最高500万元 |",
            "| 2 | 开源项目 | 给予奖励，最高100万元 |"]
    policy = parse_text("\n".join(["一、总体要求", "（一）支持标准如下表，", *rows, "（二）强化资金保障。"]))
    for row in rows:
        assert f"\n{row}\n" in policy.text


@pytest.mark.parametrize(("n", "fmt", "shown"), [(12, "chineseCounting", "十二"), (3, "decimalEnclosedCircle", "③"),
                                                  (2, "upperLetter", "B"), (4, "lowerRoman", "iv"), (7, "decimal", "7")])
def test_word_list_numbers_are_written_as_word_shows_them(n, fmt, shown):
    from corpus.readers.docx import format_number

    assert format_number(n, fmt) == shown
