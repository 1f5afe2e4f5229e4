"""Responsible departments: splitting 责任单位 blocks, roles, per-city resolution, issuers."""

from __future__ import annotations

import dataclasses

import pytest

from corpus.model import DocumentMeta, Measure, Policy, Section
from genre import packaged as packaged_genre
from kg.extract import extract
from kg.extract.departments import parse_block, segment_bodies
from kg.lexicon import department_id, departments
from tests.support.kg_extract import measure_titled


def canon(block: str, city: str = "上海") -> list[str]:
    return [r.canonical for r in parse_block(block, city)]


def test_shared_prefix_is_completed_by_the_lexicon():
    assert canon("市发展改革委、经济信息化委") == ["上海市发展和改革委员会", "上海市经济和信息化委员会"]


def test_shared_suffix_and_district_government_are_one_body():
    assert canon("浦东新区、徐汇区政府") == ["上海市浦东新区人民政府", "上海市徐汇区人民政府"]
    assert canon("浦东新区政府") == canon("浦东新区") == canon("浦东新区人民政府")


def test_only_a_place_shares_the_government_named_after_it():
    # a group's 成员单位 listed before 各市人民政府 are bodies of their own, not a government
    assert canon("省推进工业互联网创新发展专项工作组成员单位，各市人民政府", "安徽") == [
        "省推进工业互联网创新发展专项工作组成员单位", "各市人民政府"]


def test_labelled_lead_and_co_roles():
    refs = parse_block("牵头单位：市发展改革委；配合单位：市经济信息化委, 市财政局", "上海")
    assert [(r.canonical, r.role) for r in refs] == [
        ("上海市发展和改革委员会", "lead"), ("上海市经济和信息化委员会", "participant"), ("上海市财政局", "participant")]


def test_inline_lead_and_co_roles():
    refs = parse_block("市科委牵头，市教委、市人力资源社会保障局配合", "上海")
    assert [(r.mention, r.role) for r in refs] == [
        ("市科委", "lead"), ("市教委", "participant"), ("市人力资源社会保障局", "participant")]


@pytest.mark.parametrize("block, expected", [
    ("市经济信息化委、浦东新区按部门职责分头推进", ["上海市经济和信息化委员会", "上海市浦东新区人民政府"]),
    ("市经济信息化委等部门", ["上海市经济和信息化委员会"]),
    ("市商务委等相关部门", ["上海市商务委员会"]),
    ("市教委，按部门职责分头推进", ["上海市教育委员会"]),
])
def test_trailing_phrases_are_not_departments(block, expected):
    assert canon(block) == expected


def test_collective_district_governments_stay_one_collective_body():
    refs = parse_block("各区政府按职责分工负责", "上海")
    assert [(r.canonical, r.kind) for r in refs] == [("各区人民政府", "集体")]


def test_conjunction_splits_only_between_bodies():
    assert canon("市科委和市教委") == ["上海市科学技术委员会", "上海市教育委员会"]
    assert canon("市经济和信息化委员会") == ["上海市经济和信息化委员会"]
    assert canon("市人力资源和社会保障局及市财政局") == ["上海市人力资源和社会保障局", "上海市财政局"]


def test_same_short_name_is_a_different_body_in_each_city():
    sh, cq = parse_block("市科委", "上海")[0], parse_block("市科委", "重庆")[0]
    assert sh.canonical == "上海市科学技术委员会"
    assert cq.canonical == "重庆市科学技术局"
    assert sh.id != cq.id
    assert parse_block("市经济信息委", "重庆")[0].canonical == "重庆市经济和信息化委员会"


def test_aliases_of_one_body_share_one_id():
    ids = {r.id for b in ("市经济信息化委", "市经信委", "上海市经济和信息化委员会") for r in parse_block(b, "上海")}
    assert len(ids) == 1
    assert ids == {department_id("上海", "上海市经济和信息化委员会", genre=packaged_genre())}
    assert ids.pop().isascii()


def test_unknown_body_is_kept_under_its_written_name():
    refs = parse_block("市人工智能创新发展中心、市科委", "上海")
    assert refs[0].canonical == "市人工智能创新发展中心"
    assert refs[0].known is False
    assert refs[1].known is True


def test_national_bodies_resolve_in_every_city():
    for city in ("上海", "南京", "重庆"):
        ref = parse_block("工信部", city)[0]
        assert (ref.canonical, ref.city, ref.kind) == ("中华人民共和国工业和信息化部", None, "中央部门")


def test_lexicon_covers_common_bodies_of_each_city():
    lex = departments(genre=packaged_genre())
    for city, names in {"上海": ["市国资委", "市人力资源社会保障局", "市委网信办", "临港新片区管委会", "崇明区"],
                        "南京": ["市工信局", "市科技局", "江北新区管委会", "江宁区"],
                        "重庆": ["市大数据发展局", "市人力社保局", "两江新区管委会", "渝北区"]}.items():
        for name in names:
            assert lex.resolve(name, city) is not None, (city, name)


def test_header_line_with_several_spaced_out_names_is_segmented():
    names = [e.canonical for e in segment_bodies("上海市科学技术委员会 中共上海市委网络安全和信息化委员会办公室", "上海", genre=packaged_genre())]
    assert names == ["上海市科学技术委员会", "中共上海市委网络安全和信息化委员会办公室"]
    assert [e.canonical for e in segment_bodies("上海市 财 政 局", "上海", genre=packaged_genre())] == ["上海市财政局"]


def _policy(text: str, measure_text: str, city: str = "上海") -> Policy:
    start = text.index(measure_text)
    measure = Measure(id="m1", number="1.", title="示例措施", text=measure_text, start=start,
                      end=start + len(measure_text), section_id="s1")
    section = Section(id="s1", number="一、", title="主要任务", start=text.index("一、"), end=len(text),
                      measures=[measure])
    return Policy(id="p1", meta=DocumentMeta(title="示例", city=city), text=text, sections=[section])


def test_measure_block_found_in_text_with_offsets_and_roles():
    measure_text = "1. 示例措施。推进某项工作。（牵头单位：市经信委；配合单位：市发展改革委、财政局）"
    text = "上海市经济和信息化委员会文件\n沪经信〔2024〕1号\n关于印发的通知\n一、主要任务\n" + measure_text + "\n"
    facts = extract(_policy(text, measure_text))
    refs = facts.departments["m1"]
    assert [(r.canonical, r.role) for r in refs] == [("上海市经济和信息化委员会", "lead"),
                                                     ("上海市发展和改革委员会", "participant"), ("上海市财政局", "participant")]
    for r in refs:
        assert text[r.span.start:r.span.end] == r.mention
        assert r.span.measure_id == "m1"
    assert [i.canonical for i in facts.issuers] == ["上海市经济和信息化委员会"]


def test_city_comes_from_the_policy():
    measure_text = "1. 示例措施。推进某项工作。（责任单位：市科委、市经济信息委）"
    text = "一、主要任务\n" + measure_text
    facts = extract(_policy(text, measure_text, city="重庆"))
    assert [r.canonical for r in facts.departments["m1"]] == ["重庆市科学技术局", "重庆市经济和信息化委员会"]


# -- the seed documents, through the real parser --------------------------------------------------


def _dept_names(seed_facts, doc: str, title: str) -> list[str]:
    policy, facts = seed_facts[doc]
    return [r.canonical for r in facts.departments.get(measure_titled(policy, title).id, [])]


def test_supply_chain_measure_has_exactly_its_two_bodies(seed_facts):
    assert sorted(_dept_names(seed_facts, "沪府办〔2025〕33号", "防范开源供应链风险")) == sorted(
        ["上海市经济和信息化委员会", "中共上海市委网络安全和信息化委员会办公室"])


def test_infrastructure_measure_has_its_six_bodies(seed_facts):
    names = _dept_names(seed_facts, "沪经信软〔2025〕160号", "升级扩容智算基础设施")
    assert len(names) == 6
    assert set(names) == {"上海市经济和信息化委员会", "上海市金山区人民政府", "上海市松江区人民政府",
                          "上海市浦东新区人民政府", "中国（上海）自由贸易试验区临港新片区管理委员会",
                          "上海市青浦区人民政府"}


def test_trailing_phrase_of_a_real_block_is_no_department(seed_facts):
    policy, facts = seed_facts["沪经信软〔2025〕160号"]
    refs = facts.departments[measure_titled(policy, "加强协同组织").id]
    assert not any("推进" in r.canonical or "职责" in r.mention for r in refs)
    assert refs[-1].canonical == "上海市浦东新区人民政府"
    assert facts.unresolved == []


def test_pudong_government_and_pudong_are_one_department(seed_facts):
    _, f33 = seed_facts["沪府办〔2025〕33号"]
    _, f160 = seed_facts["沪经信软〔2025〕160号"]
    pudong33 = {r.id for refs in f33.departments.values() for r in refs if r.mention.startswith("浦东")}
    pudong160 = {r.id for refs in f160.departments.values() for r in refs if r.mention.startswith("浦东")}
    assert {r.mention for refs in f33.departments.values() for r in refs if r.mention.startswith("浦东")} == {
        "浦东新区政府"}
    assert pudong33 == pudong160 and len(pudong33) == 1


def test_every_department_span_quotes_its_mention(seed_facts):
    for policy, facts in seed_facts.values():
        for mid, refs in facts.departments.items():
            measure = next(m for m in policy.measures() if m.id == mid)
            for r in refs:
                assert policy.text[r.span.start:r.span.end] == r.mention
                assert measure.start <= r.span.start < r.span.end <= measure.end


def test_joint_issuers_are_read_from_the_masthead_without_metadata(seed_facts):
    policy, _ = seed_facts["沪经信智〔2023〕608号"]
    from kg.extract.departments import policy_issuers
    from kg.extract.text import body_start

    bare = dataclasses.replace(policy, meta=dataclasses.replace(policy.meta, issuers=[]))
    names = [r.canonical for r in policy_issuers(bare, "上海", body_start(bare), genre=packaged_genre())]
    assert names == ["上海市经济和信息化委员会", "上海市发展和改革委员会", "上海市科学技术委员会",
                     "中共上海市委网络安全和信息化委员会办公室", "上海市财政局"]


def test_documents_without_blocks_get_no_departments(seed_facts):
    for doc in ("沪经信智〔2023〕608号", "渝经信软件〔2023〕20号"):
        assert seed_facts[doc][1].departments == {}
