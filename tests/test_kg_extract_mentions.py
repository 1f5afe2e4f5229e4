"""Regions, organisations and topics through jieba with the lexicon user dictionary."""

from __future__ import annotations

from genre import packaged as packaged_genre
from kg.extract.mentions import extract_mentions, named_in
from kg.lexicon import find_topics, jieba_userdict_words, tokenizer

DOC = """示范措施

一、主要任务

（一）推进布局。{body}（责任单位：市经济信息化委）
"""


def mentions(policy_from_text, body: str, city: str):
    policy = policy_from_text(DOC.format(body=body), city=city)
    found = extract_mentions(policy, city, genre=packaged_genre())
    return policy, [m for v in found.values() for m in v]


def names(ms, kind):
    return [(m.name, m.mention) for m in ms if m.kind == kind]


def test_regions_by_short_name_and_district_government(policy_from_text):
    policy, ms = mentions(policy_from_text, "围绕浦东、临港和青浦等区域部署算力，支持徐汇区政府建设示范区。", "上海")
    assert names(ms, "region") == [("浦东新区", "浦东"), ("临港新片区", "临港"), ("青浦区", "青浦"), ("徐汇区", "徐汇区政府")]
    for m in ms:
        assert policy.text[m.span.start:m.span.end] == m.mention


def test_regions_belong_to_their_city(policy_from_text):
    _, in_nanjing = mentions(policy_from_text, "支持江北新区和江宁建设软件园区，对接长三角资源。", "南京")
    assert names(in_nanjing, "region") == [("江北新区", "江北新区"), ("江宁区", "江宁"), ("长三角", "长三角")]
    _, in_chongqing = mentions(policy_from_text, "支持江北新区建设。", "重庆")
    assert names(in_chongqing, "region") == []


def test_organisations_by_alias(policy_from_text):
    _, ms = mentions(policy_from_text, "对接开放原子基金会、CNCF等组织，依托中国信通院建设测试平台。", "上海")
    assert names(ms, "organisation") == [("开放原子开源基金会", "开放原子基金会"), ("云原生计算基金会", "CNCF"),
                                         ("中国信息通信研究院", "中国信通院")]


def test_topics_with_synonyms():
    assert find_topics("推动大规模预训练模型在智算中心训练，适配RISC—V芯片") == ["大模型", "算力", "RISC-V", "芯片"]
    assert "人工智能" not in find_topics("加强email服务")  # AI is matched case-sensitively


def test_user_dictionary_keeps_lexicon_names_whole():
    words = set(jieba_userdict_words())
    assert {"临港新片区", "市经济信息化委", "开放原子开源基金会", "加计扣除", "大模型"} <= words
    assert not any(ch in w for w in words for ch in "[](?|")  # regex triggers are not words
    tokens = [w for w, _, _ in tokenizer(genre=packaged_genre()).tokenize("市经济信息化委会同临港新片区管委会推进")]
    assert "市经济信息化委" in tokens and "临港新片区管委会" in tokens


def test_longest_match_wins():
    text = "依托临港新片区建设"
    found = named_in(text, 0, len(text), "上海", genre=packaged_genre())
    assert [(e.name, text[a:b]) for e, a, b in found] == [("临港新片区", "临港新片区")]
