"""Every loader path, with real files written in the test: encodings, PDFs, and each kind of bad file."""

from __future__ import annotations

import codecs

import pytest

from corpus import SUPPORTED_SUFFIXES, load_corpus, load_text, parse_file
from corpus.model import LoadError
from genre import packaged as packaged_genre

DOC = "上海市示范实施方案\n\n为推动发展，制定本方案。\n\n一、主要任务\n\n（一）建设开源社区。支持企业参与。（责任单位：市经济信息化委）\n"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("gb18030", b""),
        ("gbk", b""),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_encodings_detected(tmp_path, encoding, prefix):
    path = tmp_path / "doc.txt"
    path.write_bytes(prefix + DOC.encode(encoding))
    loaded = load_text(path, genre=packaged_genre())
    assert loaded.raw == DOC
    assert "\ufeff" not in loaded.text
    policy = parse_file(path)
    assert [m.responsibility for m in policy.measures() if m.kind == "measure"] == ["市经济信息化委"]


def test_utf16_without_bom_is_recognised(tmp_path):
    path = tmp_path / "le.txt"
    path.write_bytes(DOC.encode("utf-16-le"))
    loaded = load_text(path, genre=packaged_genre())
    assert (loaded.encoding, loaded.raw) == ("utf-16-le", DOC)


def test_gb18030_is_not_mistaken_for_utf8(tmp_path):
    path = tmp_path / "gb.txt"
    path.write_bytes(DOC.encode("gb18030"))
    assert load_text(path, genre=packaged_genre()).encoding == "gb18030"
    path.write_bytes(DOC.encode("utf-8"))
    assert load_text(path, genre=packaged_genre()).encoding == "utf-8"


def test_markdown_front_matter_and_sidecar_override(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(
        "---\n发文字号: 沪测〔2024〕7号\n成文日期: 2024-05-06\nurl: https://www.sh.gov.cn/x.html\n---\n\n# 示范方案\n\n"
        + DOC,
        "utf-8",
    )
    meta = load_text(path, genre=packaged_genre()).meta
    assert (meta.doc_no, meta.issued, meta.source_url) == (
        "沪测〔2024〕7号",
        "2024-05-06",
        "https://www.sh.gov.cn/x.html",
    )
    (tmp_path / "plan.meta.yaml").write_text("title: 侧车标题\nissued: 2024-06-01\n", "utf-8")
    policy = parse_file(path)
    assert policy.meta.title == "侧车标题"
    assert policy.meta.issued == "2024-06-01"
    assert policy.meta.doc_no == "沪测〔2024〕7号"  # front matter still counts where the sidecar is silent
    assert policy.meta.city == "上海"
    assert not policy.text.startswith("---")


def test_pdf_with_chinese_text_and_page_break(tmp_path, cjk_pdf):
    path = cjk_pdf(
        tmp_path / "policy.pdf",
        [
            [
                "上海市经济和信息化委员会文件",
                "沪经信软〔2025〕160号",
                "上海市示范实施意见",
                "为推动发展，制定本意见。",
                "一、主要任务",
                "1. 升级扩容智算基础设施。支持企业部署算力。（责任单位：市经济信息",
            ],
            [
                "化委、市发展改革委）",
                "2. 搭建城市级智算调度平台。提升调度能力。（责任单位：市经济信息化委）",
                "- 2 -",
            ],
        ],
    )
    loaded = load_text(path, genre=packaged_genre())
    assert loaded.encoding == "pdf"
    assert "升级扩容智算基础设施" in loaded.text and "- 2 -" not in loaded.text
    policy = parse_file(path)
    main = [m for m in policy.measures() if m.kind == "measure"]
    assert [m.title for m in main] == ["升级扩容智算基础设施", "搭建城市级智算调度平台"]
    assert main[0].responsibility == "市经济信息化委、市发展改革委"
    assert policy.meta.doc_no == "沪经信软〔2025〕160号"
    assert policy.meta.issuers == ["上海市经济和信息化委员会"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.md", "  \n\u3000\n".encode(), "empty file"),
        ("blob.txt", bytes(range(256)) * 8, "binary file"),
        ("ctrl.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08" * 200, "binary file"),
        ("fake.pdf", b"just some text, no PDF here", "not a PDF"),
        ("doc.docx", b"PK\x03\x04", "not a readable Word .docx file"),
        ("photo.jpg", b"\xff\xd8\xff\xe0", "unsupported file type '.jpg'"),
    ],
)
def test_bad_files_have_specific_messages(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as err:
        load_text(path, genre=packaged_genre())
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_pdf_without_text_layer(tmp_path, image_pdf):
    path = image_pdf(tmp_path / "scan.pdf", pages=2)
    with pytest.raises(LoadError, match=r"no text layer and OCR recognised no text \(2 page"):
        load_text(path, genre=packaged_genre())


def test_truncated_pdf(tmp_path, cjk_pdf):
    whole = cjk_pdf(tmp_path / "whole.pdf", [["一、主要任务", "（一）建设开源社区。"]]).read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(LoadError, match="corrupt or truncated PDF"):
        load_text(path, genre=packaged_genre())


def test_size_limit_is_a_parameter(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(DOC * 50, "utf-8")
    with pytest.raises(LoadError, match="file too large"):
        load_text(path, max_bytes=1000, genre=packaged_genre())
    assert load_text(path, max_bytes=10**6, genre=packaged_genre()).text


def test_missing_file(tmp_path):
    with pytest.raises(LoadError, match="no such file"):
        load_text(tmp_path / "nope.txt", genre=packaged_genre())


def test_load_corpus_reports_and_carries_on(tmp_path, cjk_pdf):
    (tmp_path / "a.txt").write_text(DOC, "utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.md").write_bytes(DOC.encode("gb18030"))
    (sub / "b.meta.yaml").write_text("title: B\n", "utf-8")
    (sub / "empty.txt").write_bytes(b"")
    (sub / "notes.docx").write_bytes(b"PK")
    (sub / "broken.pdf").write_bytes(b"%PDF-1.4\n%garbage")
    policies, skipped = load_corpus([tmp_path])
    assert [p.path.rsplit("/", 1)[-1] for p in policies] == ["a.txt", "b.md"]
    assert policies[1].meta.title == "B"
    assert sorted(s.path.rsplit("/", 1)[-1] for s in skipped) == ["broken.pdf", "empty.txt", "notes.docx"]
    assert all(s.reason for s in skipped)
    assert {".pdf", ".docx", ".html"} <= set(SUPPORTED_SUFFIXES)
