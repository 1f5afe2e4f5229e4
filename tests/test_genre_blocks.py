"""The one table of responsibility block labels, and the contract that every reader uses it alike.

Segmentation, department extraction, chunking and answer composition each need to know where a
measure's （责任单位：…） block is; they used to carry their own label lists and disagreed (a
（主管部门：…） block was seen by none of them). Every label of genre/data/blocks.yaml, in every bracket
form and as a paragraph of its own, must now be seen by all four, with the table's role.
"""

from __future__ import annotations

import dataclasses

import pytest

from corpus import parse_text
from corpus.model import DocumentMeta
from genre import packaged as packaged_genre
from genre.blocks import BLOCK_PATTERN, BlockTable, default, find_blocks, role_of
from kg.extract import extract
from kg.extract.departments import responsibility_block as extractor_block
from rag.chunks import make_chunks
from rag.chunks import responsibility_block as chunk_block
from rag.compose import responsibility_quote, view_from_chunk

TABLE = default()
LABELS = sorted(TABLE.labels)
FORMS = [*("".join(pair) for pair in TABLE.brackets), "line"]  # each bracket pair, and a line of its own
OPENERS = "".join(o for o, _ in TABLE.brackets)
CLOSERS = "".join(c for _, c in TABLE.brackets)


def _document(label: str, form: str) -> str:
    """A two-measure plan whose first measure closes with a block written in `form`."""
    if form == "line":
        block = f"\n{label}：市经济信息化委、市财政局。"
    else:
        opener, closer = form[0], form[-1]
        block = f"{opener}{label}：市经济信息化委、市财政局{closer}"
    return ("关于推进开源发展的若干措施\n\n一、重点任务\n\n"
            f"（一）建设开源社区。支持企业建设开源社区，培育开源项目。{block}\n\n"
            "（二）培养开源人才。鼓励高校开设开源课程。\n")


CASES = [(label, form) for label in LABELS for form in FORMS]


@pytest.mark.parametrize(("label", "form"), CASES, ids=[f"{lb}-{i}" for lb, i in
                                                        ((lb, FORMS.index(f)) for lb, f in CASES)])
def test_every_reader_sees_every_label_alike(label: str, form: str):
    policy = parse_text(_document(label, form), "plan.txt", DocumentMeta(city="上海"))
    measure = next(m for m in policy.measures() if m.title.startswith("建设开源社区"))
    other = next(m for m in policy.measures() if m.title.startswith("培养开源人才"))

    # segmentation: label and list of bodies recorded on the measure
    assert measure.responsibility_label == label
    assert measure.responsibility == "市经济信息化委、市财政局"
    assert other.responsibility is None

    # extraction: the departments with the table's role, from the segmenter's span and on its own
    refs = extract(policy).departments[measure.id]
    assert {r.mention for r in refs} == {"市经济信息化委", "市财政局"}
    assert {r.role for r in refs} == {TABLE.role(label)}
    bare = dataclasses.replace(measure, responsibility_span=None, responsibility_label=None, responsibility=None)
    a, b, role = extractor_block(policy, bare, genre=packaged_genre())
    assert policy.text[a:b] == "市经济信息化委、市财政局" and role == TABLE.role(label)

    # chunking: the block closes the measure and travels with it
    block = chunk_block(policy, measure)
    assert block is not None and label in block.text and "市财政局" in block.text
    assert chunk_block(policy, other) is None
    chunk = next(c for c in make_chunks(policy) if c.measure_id == measure.id)
    assert chunk.block_start == block.start

    # composition: the quote is the whole block
    quote = responsibility_quote(view_from_chunk(chunk), genre=packaged_genre())
    assert quote is not None
    start, end, text = quote
    if form == "line":
        assert text == f"{label}：市经济信息化委、市财政局"
    else:  # half-width brackets may have been written full width by repair
        assert text[0] in OPENERS and text[-1] in CLOSERS and text[1:-1] == f"{label}：市经济信息化委、市财政局"
    assert policy.text[start:end] == text


def test_find_blocks_reports_label_role_and_spans():
    text = "加强统筹。（主管部门：市经济信息化委（市大数据中心）、市科委）\n牵头单位：市教委；配合单位：各区政府。"
    blocks = find_blocks(text)
    assert [(b.label, b.role, b.bracketed) for b in blocks] == [
        ("主管部门", "responsible", True), ("牵头单位", "lead", False)]
    first, second = blocks
    assert text[first.start:first.end] == "（主管部门：市经济信息化委（市大数据中心）、市科委）"
    assert text[first.body_start:first.body_end] == first.body == "市经济信息化委（市大数据中心）、市科委"
    assert second.body == "市教委；配合单位：各区政府"
    assert TABLE.segment_roles(second.body, second.role) == [("lead", 0, 4), ("participant", 9, 13)]
    assert BLOCK_PATTERN.search(text).group("label") == "主管部门"


def test_prose_naming_a_label_is_not_a_block():
    text = "逐一明确治理任务、完成时限、责任单位和责任人。"
    assert find_blocks(text) == []
    assert not TABLE.is_block(text) and not TABLE.ends_with_block(text)


def test_a_block_followed_by_prose_does_not_close_the_measure():
    text = "建设社区。（责任单位：市科委）此外，鼓励高校参与。"
    assert TABLE.last_block(text) is not None
    assert TABLE.closing_block(text) is None


def test_roles_come_from_the_table():
    assert role_of("牵头单位") == "lead" and role_of("配合单位") == "participant" and role_of("责任单位") == "responsible"
    assert role_of("不是标签") == "responsible"
    table = BlockTable({"督办单位": "lead"}, [("（", "）")], "：")
    assert [b.role for b in table.find_blocks("（督办单位：市政府办公厅）")] == ["lead"]
    assert table.find_blocks("（责任单位：市科委）") == []


@pytest.mark.parametrize("form", ["（）", "【】", "()"])
def test_a_qualified_label_after_a_deadline_clause_is_seen_by_every_reader(form: str):
    """（6月底完成，牵头考核单位：…）: a short clause may open the block, and a label may carry a qualifier
    (考核, 落实 …) between its role word and its head; the role is the label's."""
    body = "市经济信息化委、市财政局"
    block = f"{form[0]}6月底完成，牵头考核单位：{body}{form[-1]}"
    text = ("关于推进开源发展的若干措施\n\n一、重点任务\n\n"
            f"（一）建设开源社区。支持企业建设开源社区。{block}\n\n（二）培养开源人才。鼓励高校开设开源课程。\n")
    policy = parse_text(text, "plan.txt", DocumentMeta(city="上海"))
    measure = next(m for m in policy.measures() if m.title.startswith("建设开源社区"))
    assert (measure.responsibility_label, measure.responsibility) == ("牵头考核单位", body)
    assert TABLE.role("牵头考核单位") == "lead" and TABLE.role("配合落实部门") == "participant"
    assert {r.role for r in extract(policy).departments[measure.id]} == {"lead"}
    found = chunk_block(policy, measure)
    assert found is not None and "牵头考核单位" in found.text
    quote = responsibility_quote(view_from_chunk(next(c for c in make_chunks(policy) if c.measure_id == measure.id)), genre=packaged_genre())
    assert quote is not None and quote[2][1:-1] == f"6月底完成，牵头考核单位：{body}"
    assert find_blocks("逐一明确完成时限、牵头考核单位和责任人。") == []  # prose naming labels is no block
