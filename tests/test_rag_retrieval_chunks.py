"""Chunks follow the document structure and never lose a measure's 责任单位 block."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from rag.chunks import chunk_document, make_chunks, responsibility_block
from tests.support.retrieval import M, S, build_policy, sample_policies

SENTENCE_ENDS = "。！？；!?;"


def test_every_measure_kind_becomes_a_chunk(retrieval_policies):
    for policy in retrieval_policies:
        chunks = make_chunks(policy)
        assert {c.measure_id for c in chunks} == {m.id for m in policy.measures()}
        assert len({c.id for c in chunks}) == len(chunks)
    kinds = {c.kind for p in retrieval_policies for c in make_chunks(p)}
    assert {"goal", "closing", "measure"} <= kinds


def test_chunk_ids_are_stable():
    first = [c.id for p in sample_policies() for c in make_chunks(p)]
    again = [c.id for p in sample_policies() for c in make_chunks(p)]
    assert first == again


def test_context_names_document_section_and_measure(retrieval_policies):
    sh = retrieval_policies[0]
    chunk = next(c for c in make_chunks(sh) if c.measure == "（二）防范开源供应链风险")
    for part in (sh.meta.title, "沪府办〔2025〕33号", "上海", "二、实施开源基础能力筑基工程", "（二）防范开源供应链风险"):
        assert part in chunk.context
    assert chunk_document(chunk).startswith(chunk.context)
    assert chunk.section == "二、实施开源基础能力筑基工程"


def test_offsets_point_into_policy_text(retrieval_policies):
    for policy in retrieval_policies:
        for c in make_chunks(policy):
            assert policy.text[c.start : c.end].strip() in c.text
            assert c.city == policy.meta.city and c.doc_no == policy.meta.doc_no


def test_long_measure_is_split_at_sentence_ends_and_every_piece_keeps_the_block(retrieval_policies):
    sh = retrieval_policies[0]
    measure = next(m for m in sh.measures() if m.title == "打造人工智能国际开源社区")
    pieces = [c for c in make_chunks(sh, max_chars=200) if c.measure_id == measure.id]
    block = "（责任单位：市经济信息化委、市发展改革委）"
    assert len(pieces) > 2
    assert [c.part for c in pieces] == list(range(1, len(pieces) + 1))
    assert all(c.parts == len(pieces) for c in pieces)
    assert all(c.text.endswith(block) for c in pieces)
    assert all(c.id.startswith(measure.id + "#") for c in pieces)
    for before, after in pairwise(pieces):
        assert before.end <= after.start
        assert sh.text[before.start : before.end].rstrip()[-1] in SENTENCE_ENDS
    assert pieces[0].start == measure.start and pieces[-1].end == measure.end
    body = "".join(sh.text[c.start : c.end] for c in pieces)
    assert body.replace("\n", "") == measure.text.replace("\n", "")


def test_block_found_without_parser_span():
    policy = sample_policies()[0]
    for m in policy.measures():
        m.responsibility_span = None
        m.responsibility_label = None
    measure = next(m for m in policy.measures() if m.title == "打造人工智能国际开源社区")
    block = responsibility_block(policy, measure)
    assert block is not None and block.text == "（责任单位：市经济信息化委、市发展改革委）"
    pieces = [c for c in make_chunks(policy, max_chars=200) if c.measure_id == measure.id]
    assert len(pieces) > 1 and all(block.text in c.text for c in pieces)


def test_label_in_prose_is_not_a_closing_block():
    policy = build_policy("p", "某市方案", [S("一、", "任务", [
        M("（一）", "明确分工", "各责任单位：要按季度报送进展。同时加强督促检查，确保任务落实到位。")])])
    assert responsibility_block(policy, policy.measures()[0]) is None


@settings(max_examples=25, deadline=None)
@given(
    sentences=st.lists(st.text(alphabet="开源项目平台企业人才算力模型数据服务支持建设推动", min_size=5, max_size=80)
                       .map(lambda s: s + "。"), min_size=1, max_size=20),
    departments=st.lists(st.sampled_from(["市经济信息化委", "市科委", "市教委", "市财政局", "浦东新区政府"]),
                         min_size=1, max_size=4, unique=True),
    max_chars=st.integers(min_value=60, max_value=400),
)
def test_no_piece_ever_loses_the_block(sentences, departments, max_chars):
    deps = "、".join(departments)
    policy = build_policy("h", "某市实施方案", [S("一、", "重点任务", [M("（一）", "某项措施", "".join(sentences), deps)])])
    chunks = make_chunks(policy, max_chars=max_chars)
    assert chunks
    assert all(f"（责任单位：{deps}）" in c.text for c in chunks)
    covered = "".join(policy.text[c.start : c.end] for c in chunks)
    assert covered.replace("\n", "") == policy.measures()[0].text.replace("\n", "")


def test_real_corpus_chunks_keep_responsibility(retrieval_real_policies):
    for policy in retrieval_real_policies:
        chunks = make_chunks(policy)
        by_measure = {}
        for c in chunks:
            by_measure.setdefault(c.measure_id, []).append(c)
        for m in policy.measures():
            if not m.text.strip():
                continue
            assert m.id in by_measure
            if m.responsibility:
                assert all(m.responsibility in c.text or m.responsibility in c.text.replace("\n", "")
                           for c in by_measure[m.id])
        # chunking with a small limit still never drops a block
        for c in make_chunks(policy, max_chars=120):
            m = next(x for x in policy.measures() if x.id == c.measure_id)
            if m.responsibility_span:
                assert policy.text[m.responsibility_span[0] : m.responsibility_span[1]] in c.text


def test_split_pieces_of_a_measure_share_metadata(retrieval_policies):
    sh = retrieval_policies[0]
    pieces = [c for c in make_chunks(sh, max_chars=150) if c.parts > 1]
    assert pieces
    assert len({(c.measure_id, c.section, c.measure, c.block_start, c.block_end) for c in pieces}) == 1


DEFINED = ("测试市临港片区管理办法\n"
           "第一条　本办法适用于经国务院批准设立的中国（测试）自由贸易试验区临港新片区（以下简称新片区）。\n"
           "第二条　新片区实行投资自由，对符合条件的企业给予奖励。\n"
           "第三条　市公共租赁住房保障机构（以下简称“公租房保障机构”）负责受理申请。\n")


def test_a_clause_using_a_defined_short_name_carries_the_full_name_too():
    from corpus import parse_text

    policy = parse_text(DEFINED, "lingang.txt")
    second = next(c for c in make_chunks(policy) if "投资自由" in c.text)
    assert "新片区＝中国（测试）自由贸易试验区临港新片区" in second.context
    assert "中国（测试）自由贸易试验区临港新片区" in chunk_document(second)
    first = next(c for c in make_chunks(policy) if "适用于" in c.text)
    assert "新片区＝" in first.context  # the definition, which says what the term is, keeps level with its uses
    assert not any("简称" in c.context for c in make_chunks(policy) if "新片区" not in c.text and "公租房" not in c.text)


def test_pieces_of_a_long_table_carry_its_header_row_and_row_label():
    from corpus import parse_text

    rows = "；".join(f"第{i}项任务按期完成并给予{i}0万元补助" for i in range(1, 30))
    text = ("测试市产业政策导引\n一、综合篇\n1.测试市老旧厂房改造项目\n"
            "| 测试市老旧厂房改造项目实施方案 | 2024年 | 2025年 |\n|---|---|---|\n"
            f"| 服务内容 | {rows}。 |  |\n| 联络方式 | 测试市发展改革委 |  |\n")
    policy = parse_text(text, "cards.txt")
    pieces = [c for c in make_chunks(policy, max_chars=150) if c.parts > 1]
    assert len(pieces) >= 3
    later = pieces[1:]
    assert all("| 测试市老旧厂房改造项目实施方案 | 2024年 | 2025年 |" in c.context for c in later)
    assert any(c.context.endswith("服务内容") for c in later)
