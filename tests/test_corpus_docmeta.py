"""Metadata read from real document layouts: portal tables, notices, 文号, signatures, closing provisions,
web residue, titles that are not printed; jurisdictions of any place through the gazetteer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from corpus import parse_file, parse_text
from corpus.docmeta import validity_status
from corpus.jurisdiction import from_body, from_doc_no, from_issuers, gazetteer_lookup
from genre import packaged as packaged_genre

DEV = Path(__file__).resolve().parent.parent / "eval" / "devcorpus" / "docs"


def test_portal_table_with_values_on_the_next_line_and_spaced_keys():
    text = (
        "索 引 号：\n000014349/2019-00317\n发文机关：\n国务院\n成文日期：\n2019年11月13日\n"
        "标　　题：\n国务院关于印发职业技能提升补贴暂行办法的通知\n发文字号：\n国发〔2019〕27号\n"
        "发布日期：\n2019年11月22日\n\n职业技能提升补贴暂行办法\n\n第一条　为了规范，制定本办法。\n"
    )
    meta = parse_text(text, "portal.txt").meta
    assert meta.doc_no == "国发〔2019〕27号"
    assert meta.issuers == ["国务院"]
    assert (meta.issued, meta.published) == ("2019-11-13", "2019-11-22")
    assert meta.index_no == "000014349/2019-00317"
    assert meta.title == "职业技能提升补贴暂行办法"  # the wrapped document is in the text
    assert meta.jurisdiction.level == "national" and meta.city == "全国"


def test_notice_over_three_lines_with_joint_issuers_and_signature():
    text = (
        "穗人社规字〔2022〕2号\n广州市人力资源和社会保障局 广州市公安局\n关于印发广州市引进人才入户管理办法\n"
        "实施细则的通知\n各有关单位：\n现将《广州市引进人才入户管理办法实施细则》印发给你们，请认真组织实施。\n"
        "广州市人力资源和社会保障局\n广州市公安局\n2022年7月7日\n广州市引进人才入户管理办法实施细则\n"
        "第一条　为做好引进人才入户工作，制定本细则。\n第二十三条　本细则自印发之日起实施，有效期5年。\n"
    )
    meta = parse_text(text, "notice.txt").meta
    assert meta.title == "广州市引进人才入户管理办法实施细则"
    assert meta.doc_no == "穗人社规字〔2022〕2号"
    assert meta.issuers == ["广州市人力资源和社会保障局", "广州市公安局"]
    assert (meta.issued, meta.effective, meta.expiry) == ("2022-07-07", "2022-07-07", "2027-07-06")
    assert (meta.jurisdiction.province, meta.jurisdiction.city) == ("广东省", "广州市")
    assert meta.city == "广州"


def test_a_title_line_with_specks_at_its_edges_is_still_the_title():
    text = ("”关于进一步保障和改善民生的若干措施。\n\n为贯彻落实党的二十大精神，坚持以人为本、民生优先，提出以下措施。\n"
            "一、完善多层次养老服务体系\n（一）完善居家养老配套设施。统筹现有资源。\n")
    assert parse_text(text, "scan.pdf").meta.title == "关于进一步保障和改善民生的若干措施"
    # a sentence is no title, with or without its full stop
    text = "为促进房地产市场平稳健康发展，制定本措施。\n一、优化住房供给。\n"
    assert parse_text(text, "scan.pdf").meta.title != "为促进房地产市场平稳健康发展，制定本措施"


def test_decree_number_and_doc_no_glued_to_a_title():
    decree = "广东省公共数据管理办法\n广东省人民政府令\n（第290号）\n现予公布，自2021年11月25日起施行。\n省长　马兴瑞\n2021年10月18日\n广东省公共数据管理办法\n第一章　总则\n第一条　为了规范，制定本办法。\n"
    meta = parse_text(decree, "decree.txt").meta
    assert (meta.doc_no, meta.issuers, meta.issued) == ("广东省人民政府令第290号", ["广东省人民政府"], "2021-10-18")
    glued = "国务院关于大力发展电子商务加快培育经济新动力的意见国发〔2015〕24号\n各省人民政府：\n一、总体要求\n（一）指导思想。全面贯彻。\n国务院\n2015年5月4日\n"
    meta = parse_text(glued, "glued.txt").meta
    assert meta.doc_no == "国发〔2015〕24号"
    assert meta.title == "国务院关于大力发展电子商务加快培育经济新动力的意见"
    assert (meta.issuers, meta.issued) == (["国务院"], "2015-05-04")


def test_validity_provisions_and_status():
    text = "某县关于支持旅游发展的若干意见\n一、景区建设\n1.新建景区给予奖励。\n本意见由县领导小组负责解释，自2019年1月1日起执行，暂定三年。\n"
    meta = parse_text(text, "tour.txt").meta
    assert (meta.effective, meta.expiry) == ("2019-01-01", "2021-12-31")
    assert meta.status == "已失效"
    today = dt.date(2026, 1, 1)
    assert validity_status("2027-01-01", None, today=today) == "尚未施行"
    assert validity_status("2020-01-01", "2030-01-01", today=today) == "现行有效"
    assert validity_status(None, None, "失效", today=today) == "已失效"
    assert validity_status(None, None, None, today=today) is None


def test_web_residue_is_removed_and_an_untitled_text_gets_a_derived_title():
    text = (
        "【法宝引证码】 CLI.12.5115678\n原文链接：https://www.pkulaw.com/lar/x.html\n当前位置：首页 > 政策\n"
        "为把我县旅游业培育成为支柱产业，制定如下意见。\n一、景区建设\n1.新建景区给予奖励。\n分享到\n"
    )
    policy = parse_text(text, "034_liuhexian_lvyou.txt")
    assert "法宝引证码" not in policy.text and "原文链接" not in policy.text and "当前位置" not in policy.text
    assert policy.meta.title and policy.meta.extra["title_source"] in ("derived", "file")
    assert policy.meta.doc_no is None and policy.meta.issuers == []


def test_a_saved_pages_footer_and_what_follows_it_are_not_the_document():
    """The widgets under the article, the footer's link labels and separators, its copyright and
    registration lines and the menus after them end the document at its last provision, whatever the
    portal; a signature and a date before them stay."""
    body = ("测试市人才入户管理办法实施细则\n第一条　为做好人才入户工作，制定本细则。\n"
            "第二条　本细则自印发之日起实施，有效期5年。\n公开方式：主动公开\n测试市人力资源和社会保障局\n2022年7月7日\n")
    footer = ("浏览次数：\n-\n分享\n分享文章到\n返回顶部\n打印页面\n关闭本页\n回到\n顶部\n关于我们\n|\n联系方式\n|\n"
              "隐私安全\n|\n网站声明\n|\n测公网安备 44010402001594号\n版权所有：测试市人力资源和社会保障局\n"
              "测ICP备11001610号-2\n返回\n首页\n政务\n微信\n无障\n碍版\n长者\n助手\n")
    policy = parse_text(body + footer, "rules.txt")
    assert policy.text.rstrip().endswith("2022年7月7日")
    last = policy.measures()[-1]
    assert "关于我们" not in last.text and "首页" not in last.text and "分享" not in last.text
    assert parse_text(body, "rules.txt").text == policy.text


@pytest.mark.parametrize(
    ("name", "level", "path"),
    [
        ("武汉市发展和改革委员会", "city", ["湖北省", "武汉市"]),
        ("中共柳河县委", "district", ["吉林省", "通化市", "柳河县"]),
        ("杭州市西湖区人民政府", "district", ["浙江省", "杭州市", "西湖区"]),
        ("阿坝州人民政府办公室", "city", ["四川省", "阿坝藏族羌族自治州"]),
        ("安康高新区管委会", "zone", ["陕西省", "安康市", "安康高新区"]),
        ("广西壮族自治区科学技术厅", "provincial", ["广西壮族自治区"]),
        ("北京市发展和改革委员会", "city", ["北京市"]),
    ],
)
def test_gazetteer_places_any_issuer(name, level, path):
    j = gazetteer_lookup(name, genre=packaged_genre())
    assert j is not None and j.level == level and j.path == path


def test_national_bodies_doc_no_abbreviations_and_body_clues():
    assert from_issuers(["国务院办公厅"], genre=packaged_genre()).level == "national"
    assert from_issuers(["科技部", "财政部"], genre=packaged_genre()).level == "national"
    assert from_issuers(["市发展改革委"], genre=packaged_genre()) is None  # a city body without its city says nothing yet
    assert from_doc_no("皖政办秘〔2021〕82号", genre=packaged_genre()).province == "安徽省"
    assert from_doc_no("穗府办规〔2024〕13号", genre=packaged_genre()).city == "广州市"
    assert from_doc_no("国科发创〔2018〕139号", genre=packaged_genre()).level == "national"
    body = "为支持我县旅游业发展，结合柳河县实际。本县景区……在柳河县新建酒店的给予奖励。"
    assert from_body(body, genre=packaged_genre()).county == "柳河县"


def test_a_document_whose_text_names_no_place_takes_it_from_its_file_name():
    from corpus.jurisdiction import from_file_name

    g = packaged_genre()
    assert from_file_name("合肥市关于进一步调整优化房地产政策措施的通知", genre=g).city == "合肥市"
    assert from_file_name("044_hefei_fangdichan_zhengce_tongzhi", genre=g).city == "合肥市"
    assert from_file_name("07_liuhexian_lvyou_yijian", genre=g).county == "柳河县"
    for no_place in ("notice_2024_final", "guowuyuan_fazhan_guihua", "关于促进房地产市场平稳健康发展的通知"):
        assert from_file_name(no_place, genre=g) is None, no_place
    body = "为促进房地产市场平稳健康发展，现就有关事项通知如下：\n\n1.实施购房补贴。凡在我市新购买新建商品住房的，给予总房价1%的购房补贴。"
    assert parse_text(body, "hefei_fangdichan_tongzhi.txt").meta.city == "合肥"
    assert parse_text(body, "notice.txt").meta.city is None
    # the text's own place wins over the file name
    assert parse_text("为支持我县旅游业发展，结合柳河县实际。本县景区……在柳河县新建酒店的给予奖励。",
                      "hefei_notice.txt").meta.jurisdiction.county == "柳河县"


@pytest.mark.parametrize(
    ("name", "title", "doc_no", "issuers", "place"),
    [
        ("005_aba_zhengwushuju_ziyuan_guanlibanfa.txt", "阿坝州政务数据资源管理暂行办法", "阿府办发〔2021〕21号",
         ["阿坝州人民政府办公室"], "阿坝藏族羌族自治州"),
        ("009_guobanfa_fangguanfu_zhongdianrenwu_fengongfangan.txt",
         "全国深化“放管服”改革转变政府职能电视电话会议重点任务分工方案", "国办发〔2018〕79号", ["国务院办公厅"], "全国"),
        ("029_nanning_kexuejishu_shisanwu_zhuanxiangguihua_gbk.txt", "南宁市科学技术发展“十三五”规划",
         "南府办〔2016〕71号", ["南宁市人民政府办公厅"], "南宁市"),
        ("001_baotou_shuzizhengfu_kaopingbanfa.txt", "包头市2022年数字政府建设考评办法", "包府办发〔2022〕43号",
         ["包头市人民政府办公室"], "包头市"),
    ],
)
def test_development_documents(name, title, doc_no, issuers, place):
    meta = parse_file(DEV / name).meta
    assert (meta.title, meta.doc_no, meta.issuers) == (title, doc_no, issuers)
    assert meta.jurisdiction.name == place


@pytest.mark.parametrize(("text", "title"), [
    ("为促进软件产业高质量发展，结合我市实际，制定本实施意见。\n一、总体要求\n（一）加强统筹。\n",
     "杭州市关于促进软件产业高质量发展的实施意见"),
    ("为加快推进数字政府建设，提升政务服务效能，现就有关事项通知如下：\n一、工作任务\n",
     "杭州市关于加快推进数字政府建设的通知"),
])
def test_an_untitled_text_is_named_from_its_preamble_as_the_genre_names_documents(text, title):
    from corpus.model import DocumentMeta

    policy = parse_text(text, "upload_0001.txt", DocumentMeta(city="杭州"))
    assert policy.meta.title == title and policy.meta.extra["title_source"] == "derived"


def test_a_document_that_names_itself_in_its_preamble_takes_that_name():
    policy = parse_file(Path("eval/devcorpus/docs/027_guangxi_shisanwu_guihua_gangyao.txt"))
    assert policy.meta.title == "广西壮族自治区国民经济和社会发展第十三个五年（2016—2020年）规划纲要"
    assert policy.meta.extra["title_source"] == "derived"


def test_a_text_that_says_nothing_of_itself_keeps_the_uploaded_file_name():
    policy = parse_text("一、景区建设\n1.新建景区给予奖励。\n", "柳河县旅游扶持政策_2023.txt")
    assert policy.meta.title == "柳河县旅游扶持政策_2023" and policy.meta.extra["title_source"] == "file"


def test_levels_are_named_by_the_genre_words_answers_use():
    import genre
    from corpus.jurisdiction import level_word

    words = [level_word(level, genre=genre.packaged()) for level in ("national", "provincial", "city", "district", "zone")]
    assert words == ["国家级", "省级", "市级", "区县级", "园区级"]
