"""Departments qualified by the issuing jurisdiction, by rule, for any city, district, zone or province."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus import parse_file, parse_text
from corpus.jurisdiction import expand_body, gazetteer_lookup, qualify_body
from genre import packaged as packaged_genre
from kg.extract import extract
from kg.extract.departments import parse_block

DEV = Path(__file__).resolve().parent.parent / "eval" / "devcorpus" / "docs"


@pytest.mark.parametrize(
    ("place", "written", "full"),
    [
        ("武汉市", "市发展改革委", "武汉市发展和改革委员会"),
        ("武汉市", "市委网信办", "中共武汉市委网络安全和信息化委员会办公室"),
        ("杭州市西湖区", "区科技局", "杭州市西湖区科学技术局"),
        ("安徽省", "省经济和信息化厅", "安徽省经济和信息化厅"),
        ("安徽省", "省发展改革委", "安徽省发展和改革委员会"),
        ("北京市", "市经济信息化局", "北京市经济和信息化局"),
        ("柳河县", "县发改局", "柳河县发展和改革局"),
        ("安康高新区", "区财政局", "安康高新区财政局"),
        ("阿坝州", "州人力社保局", "阿坝藏族羌族自治州人力资源和社会保障局"),
        ("成都市", "市政府办公厅", "成都市人民政府办公厅"),
    ],
)
def test_relative_names_take_the_issuing_jurisdiction(place, written, full):
    assert qualify_body(written, gazetteer_lookup(place, genre=packaged_genre()), genre=packaged_genre()) == full


def test_what_is_not_qualified():
    wuhan = gazetteer_lookup("武汉市", genre=packaged_genre())
    assert qualify_body("科技部", wuhan, genre=packaged_genre()) is None  # ministries are national
    assert qualify_body("国家发展改革委", wuhan, genre=packaged_genre()) is None
    assert qualify_body("市场监管局", wuhan, genre=packaged_genre()) is None  # 市场… is no prefix
    assert qualify_body("区科技局", wuhan, genre=packaged_genre()) is None  # a city document does not say which district
    assert qualify_body("武汉市发改委", None, genre=packaged_genre()) == "武汉市发展和改革委员会"  # a written place is only expanded
    assert expand_body("人民政府", genre=packaged_genre()) == "人民政府"


def test_blocks_in_documents_of_other_jurisdictions():
    wuhan = parse_text("武汉市关于促进数字经济发展的若干措施\n一、支持平台\n（一）建设平台。支持建设。（责任单位：市发展改革委、市经信局）\n", "wh.txt")
    refs = parse_block("市发展改革委、市经信局", wuhan.meta.city, place=wuhan.meta.jurisdiction)
    assert [r.canonical for r in refs] == ["武汉市发展和改革委员会", "武汉市经济和信息化局"]
    district = parse_text("杭州市西湖区关于支持人工智能产业的实施意见\n一、支持项目\n（一）支持研发。给予补助。（责任单位：区科技局、区财政局）\n", "xh.txt")
    refs = extract(district).departments
    names = sorted({r.canonical for rs in refs.values() for r in rs})
    assert names == ["杭州市西湖区科学技术局", "杭州市西湖区财政局"]


@pytest.mark.parametrize(
    ("name", "written", "full"),
    [
        ("003_anhui_gongyehulianwang_ruoganzhengce_xingdongjihua.txt", "省经济和信息化厅", "安徽省经济和信息化厅"),
        ("039_hubei_baozhang_gaishan_minsheng_ruogancuoshi.txt", "省发改委", "湖北省发展和改革委员会"),
        ("039_hubei_baozhang_gaishan_minsheng_ruogancuoshi.txt", "省委老干部局", "中共湖北省委老干部局"),
    ],
)
def test_development_documents_departments(name, written, full):
    facts = extract(parse_file(DEV / name))
    pairs = {(r.mention, r.canonical) for refs in facts.departments.values() for r in refs}
    assert (written, full) in pairs
