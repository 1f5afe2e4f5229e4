"""The outline of the five seed documents, pinned: sections, measures, titles, 责任单位 blocks, metadata."""

from __future__ import annotations

import pytest

from corpus import outline_dict, parse_file

SH33 = "shanghai-2025-33-open-source.txt"
SH160 = "shanghai-2025-160-intelligent-computing-cloud.txt"
SH608 = "shanghai-2023-608-large-models.txt"
NJ = "nanjing-2023-open-source-software.md"
CQ = "chongqing-2023-20-software-open-source.md"

CN = "一二三四五六七八九十"
CN_ITEMS = [f"（{n}）" for n in [*CN, "十一", "十二"]]


def _main(policy):
    return [m for m in policy.measures() if m.kind == "measure"]


def _by_kind(policy, kind):
    return [m for m in policy.measures() if m.kind == kind]


@pytest.mark.parametrize(
    ("name", "sections", "measures", "kinds"),
    [
        (SH33, 8, 12, {"preamble": 1, "goal": 1, "measure": 12, "closing": 2}),
        (SH160, 7, 15, {"preamble": 1, "goal": 1, "measure": 15}),
        (SH608, 6, 11, {"preamble": 1, "measure": 11, "closing": 1}),
        (NJ, 9, 12, {"preamble": 1, "goal": 1, "intro": 1, "measure": 12, "safeguard": 5}),
        (CQ, 5, 6, {"preamble": 1, "goal": 2, "measure": 6, "safeguard": 4}),
    ],
)
def test_section_and_measure_counts(corpus_seed_policies, name, sections, measures, kinds):
    policy = corpus_seed_policies[name]
    assert len(policy.all_sections()) == sections
    assert len(_main(policy)) == measures
    counted: dict[str, int] = {}
    for m in policy.measures():
        counted[m.kind] = counted.get(m.kind, 0) + 1
    assert counted == kinds


def test_sh33_twelve_measures_with_repaired_responsibility(corpus_seed_policies):
    policy = corpus_seed_policies[SH33]
    main = _main(policy)
    assert [m.number for m in main] == CN_ITEMS
    assert main[0].title == "打造人工智能国际开源社区"
    assert main[-1].title == "防范开源供应链风险"
    # blocks broken across a page break come back whole, full width
    assert main[0].responsibility == "市经济信息化委、市发展改革委"
    assert main[4].responsibility == "市经济信息化委、市科委、市教委、市发展改革委"
    assert main[-1].responsibility == "市经济信息化委、市委网信办"
    assert main[-1].text.endswith("（责任单位：市经济信息化委、市委网信办）")
    for m in main:
        assert m.responsibility_label == "责任单位"
        s, e = m.responsibility_span
        assert policy.text[s:e] == m.responsibility
        assert "\n" not in m.responsibility
    sections = {policy.section(m.section_id).number for m in main}
    assert sections == {"二、", "三、", "四、", "五、", "六、"}


def test_sh33_closing_provisions_are_metadata_not_measures(corpus_seed_policies, tmp_path, corpus_docs):
    policy = corpus_seed_policies[SH33]
    closing = _by_kind(policy, "closing")
    assert any("有效期" in m.text for m in closing)
    assert not any("有效期" in m.text for m in _main(policy))
    # read from the text itself, without the sidecar
    bare = tmp_path / SH33
    bare.write_bytes((corpus_docs / SH33).read_bytes())
    meta = parse_file(bare).meta
    assert (meta.effective, meta.expiry) == ("2025-12-15", "2028-12-14")
    assert (meta.doc_no, meta.issued, meta.city) == ("沪府办〔2025〕33号", "2025-12-05", "上海")
    assert meta.issuers == ["上海市人民政府办公厅"]
    assert meta.title == "上海市加强开源体系建设实施方案"


def test_sh160_fifteen_measures_and_detached_block_of_measure_9(corpus_seed_policies):
    policy = corpus_seed_policies[SH160]
    main = _main(policy)
    assert [m.number for m in main] == [f"{i}." for i in range(1, 16)]
    assert [m.title for m in main[:4]] == [
        "升级扩容智算基础设施",
        "搭建城市级智算调度平台",
        "实施关键技术强基计划",
        "降低智算设施运营成本",
    ]
    nine = main[8]
    assert nine.title == "培育高成长企业"
    assert nine.responsibility == "市经济信息化委"
    assert nine.text.endswith("（责任单位：市经济信息化委）")
    assert main[9].text.startswith("10.")
    # a measure cut by a page break after a full stop keeps its second half and its block
    assert "研究算力入股" in main[13].text and main[13].responsibility == "市经济信息化委、市国资委"
    assert all(m.responsibility for m in main)
    sections = [policy.section(m.section_id) for m in main]
    assert {s.number for s in sections} == {"（一）", "（二）", "（三）", "（四）"}
    assert {policy.section(s.parent_id).title for s in sections} == {"主要任务"}


def test_sh608_bold_and_plain_run_in_titles(corpus_seed_policies):
    policy = corpus_seed_policies[SH608]
    main = _main(policy)
    assert [m.number for m in main] == [f"{i}." for i in range(1, 12)]
    assert main[0].title == "实施大模型创新扶持计划"
    assert main[2].title == "实施大模型智能算力加速计划"
    assert main[3].title == "构建智能芯片软硬协同生态"
    assert main[10].title == "加大投入力度"
    assert "对2024年底前" in main[2].text  # joined across the extraction break
    assert "科学智能创新中心" in main[6].text
    assert policy.meta.issuers[-1] == "上海市财政局" and len(policy.meta.issuers) == 5


def test_sh608_masthead_and_closing_from_text(tmp_path, corpus_docs):
    bare = tmp_path / SH608
    bare.write_bytes((corpus_docs / SH608).read_bytes())
    meta = parse_file(bare).meta
    assert meta.doc_no == "沪经信智〔2023〕608号"
    assert meta.issuers == [
        "上海市经济和信息化委员会",
        "上海市发展和改革委员会",
        "上海市科学技术委员会",
        "中共上海市委网络安全和信息化委员会办公室",
        "上海市财政局",
    ]
    assert meta.title == "上海市推动人工智能大模型创新发展若干措施（2023-2025年）"
    assert (meta.period, meta.issued, meta.effective) == ("2023-2025", "2023-10-20", "2023-10-20")


def test_nanjing_measures_and_safeguards(corpus_seed_policies):
    policy = corpus_seed_policies[NJ]
    main = _main(policy)
    assert [m.number for m in main] == [f"{i}." for i in range(1, 13)]
    assert main[0].title == "培育优质开源项目"
    assert main[11].title == "支持举办高端展会、论坛、大赛"
    assert {policy.section(m.section_id).title for m in main[:2]} == {"开源项目发展工程"}
    safeguards = _by_kind(policy, "safeguard")
    assert [m.title for m in safeguards] == [
        "加强工作领导",
        "优化发展环境",
        "强化资金保障",
        "引培开源人才",
        "加强宣传引导",
    ]
    assert all(policy.section(m.section_id).title == "保障措施" for m in safeguards)
    assert policy.meta.city == "南京" and policy.meta.period == "2023-2025"


def test_chongqing_measures_under_main_tasks(corpus_seed_policies):
    policy = corpus_seed_policies[CQ]
    main = _main(policy)
    assert [m.number for m in main] == CN_ITEMS[:6]
    assert main[0].title == "培育优质开源项目"
    assert main[0].text.startswith("（一）培育优质开源项目。\n")  # heading line plus its body paragraph
    assert {policy.section(m.section_id).title for m in main} == {"主要任务"}
    assert [m.number for m in _by_kind(policy, "safeguard")] == CN_ITEMS[:4]
    assert [m.title for m in _by_kind(policy, "goal")] == ["总体思路", "发展目标"]
    assert policy.meta.city == "重庆"


def test_outline_json_shape(corpus_seed_policies):
    d = outline_dict(corpus_seed_policies[SH33])
    for key in (
        "title",
        "doc_no",
        "issuers",
        "city",
        "issued",
        "effective",
        "expiry",
        "period",
        "source_url",
    ):
        assert key in d
    first = next(m for m in d["measures"] if m["number"] == "（一）")
    assert first["section"] == "二、实施开源基础能力筑基工程"
    assert set(first) >= {
        "id",
        "number",
        "title",
        "section",
        "text",
        "start",
        "end",
        "kind",
        "responsibility",
    }
    assert [m["start"] for m in d["measures"]] == sorted(m["start"] for m in d["measures"])


def test_offsets_index_the_cleaned_text(corpus_seed_policies):
    for policy in corpus_seed_policies.values():
        for m in policy.measures():
            assert policy.text[m.start : m.end] == m.text
        for s in policy.all_sections():
            assert 0 <= s.start < s.end <= len(policy.text)
            for m in s.measures:
                assert s.start <= m.start and m.end <= s.end


def test_ids_stable_and_unique_across_documents(corpus_docs, corpus_seed_policies):
    ids = [m.id for p in corpus_seed_policies.values() for m in p.measures()]
    ids += [s.id for p in corpus_seed_policies.values() for s in p.all_sections()]
    assert len(ids) == len(set(ids))
    assert all(i.isascii() for i in ids)
    again = parse_file(corpus_docs / SH160)
    assert [m.id for m in again.measures()] == [m.id for m in corpus_seed_policies[SH160].measures()]
    assert again.id == corpus_seed_policies[SH160].id
    assert len({p.id for p in corpus_seed_policies.values()}) == 5


def test_section_text_outside_numbered_items_is_kept_as_intro(corpus_seed_policies):
    policy = corpus_seed_policies[NJ]
    (intro,) = [m for m in policy.measures() if m.kind == "intro"]
    assert intro.text.startswith("组织实施开源软件发展“五大工程”")
    assert policy.section(intro.section_id).title == "重点任务"
