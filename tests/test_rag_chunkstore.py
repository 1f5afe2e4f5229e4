"""A saved index's chunks read on demand: the table gives the same chunks as chunks.json read whole,
its key columns without parsing a row, and a text search that answers as a search of every text."""

from __future__ import annotations

import json

from rag.chunkstore import (
    CHUNKS,
    KEYS_FILE,
    OFFSETS_FILE,
    ChunkTable,
    add_side_files,
    chunk_from_row,
    column,
    open_table,
    write_chunks,
)
from rag.model import Chunk


def _chunks() -> list[Chunk]:
    return [
        Chunk(id=f"p{i // 3}.m{i}", policy_id=f"p{i // 3}", measure_id=f"p{i // 3}.m{i}",
              text=f"第{i}条 支持算力券发放\n对企业给予“补贴”{i}万元", context=f"政策{i // 3}（沪府〔2024〕{i}号）\n措施{i}",
              start=10 * i, end=10 * i + 9, city="上海" if i % 2 else None, title=f"上海市政策{i // 3}",
              measure=f"（{i}）只在标题里的词")
        for i in range(7)
    ]


def test_table_reads_the_chunks_json_rows(tmp_path):
    chunks = _chunks()
    write_chunks(tmp_path, chunks)
    whole = [chunk_from_row(r) for r in json.loads((tmp_path / CHUNKS).read_text(encoding="utf-8"))]
    assert whole == chunks
    table = open_table(tmp_path, len(chunks))
    assert isinstance(table, ChunkTable) and len(table) == len(chunks)
    assert column(table, "id") == [c.id for c in chunks] and column(table, "city") == [c.city for c in chunks]
    assert table._parsed == {}  # the columns parsed no row
    assert table[3] == chunks[3] and table[-1] == chunks[-1] and table[1:6:2] == chunks[1:6:2]
    assert list(table) == chunks and table[2] is list(table)[2]
    assert open_table(tmp_path, len(chunks) + 1) is None  # side files that do not fit: read whole


def test_text_search_looks_only_at_text_and_context(tmp_path):
    chunks = _chunks()
    write_chunks(tmp_path, chunks)
    table = open_table(tmp_path, len(chunks))
    assert table.contains_text("算力券") and table.contains_text("“补贴”6万元") and table.contains_text("沪府〔2024〕5号")
    assert table.contains_text("发放\n对企业")  # a newline, escaped in the file
    assert not table.contains_text("只在标题里的词")  # in a field other than text and context
    assert not table.contains_text("p1.m4")  # an id
    assert not table.contains_text("数据要素")
    list(table)  # once every row is parsed, the same answers from the rows
    assert table.contains_text("算力券") and not table.contains_text("只在标题里的词")


def test_an_index_written_before_the_table_gets_its_side_files(tmp_path):
    chunks = _chunks()
    write_chunks(tmp_path, chunks)
    (tmp_path / KEYS_FILE).unlink()
    (tmp_path / OFFSETS_FILE).unlink()
    assert open_table(tmp_path, len(chunks)) is None
    assert add_side_files(tmp_path, chunks)
    assert list(open_table(tmp_path, len(chunks))) == chunks
    # a chunks.json whose bytes the rows do not re-serialise to is left to be read whole
    (tmp_path / KEYS_FILE).unlink()
    (tmp_path / OFFSETS_FILE).unlink()
    (tmp_path / CHUNKS).write_text(json.dumps([json.loads(json.dumps(c.__dict__)) for c in chunks], indent=1),
                                   encoding="utf-8")
    assert not add_side_files(tmp_path, chunks)
    assert not (tmp_path / OFFSETS_FILE).exists()


def test_containing_gives_the_rows_that_hold_a_term_without_keeping_any(tmp_path):
    from rag.chunkstore import containing

    chunks = _chunks()
    write_chunks(tmp_path, chunks)
    table = open_table(tmp_path, len(chunks))
    for terms in (["上海"], ["补贴"], ["措施3", "政策0"], ["“补贴”"], ["没有的词"]):
        wanted = [c for c in chunks if any(t in f"{c.text}{c.context}{c.title}{c.city or ''}{c.measure}"
                                           for t in terms)]
        assert list(containing(table, terms)) == wanted, terms
    assert table._parsed == {} and table._all is None  # streamed, not kept
    assert containing(chunks, ["上海"]) is chunks  # a list is scanned whole by its caller


def test_policies_about_a_term_are_those_of_a_scan_of_every_row(tmp_path):
    """The table's search (a policy settled once, its other rows skipped; the city column read
    without parsing) finds the policies a scan of every chunk finds: named in a city, title or
    context, or in the texts of enough of its clauses."""
    from rag.chunkstore import policies_about

    chunks = _chunks() + [
        Chunk(id=f"q.m{i}", policy_id="q", measure_id=f"q.m{i}", text=f"参照杭州做法{i}" if i < n else "无关",
              context="全国政策", start=i, end=i + 1, city="全国", title="全国政策")
        for n in (2,) for i in range(4)
    ] + [Chunk(id=f"r.m{i}", policy_id="r", measure_id=f"r.m{i}", text="学习杭州经验", context="另一政策",
               start=i, end=i + 1, title="另一政策") for i in range(3)]
    write_chunks(tmp_path, chunks)
    table = open_table(tmp_path, len(chunks))
    for terms, least in ((["上海"], 3), (["政策2"], 3), (["杭州"], 3), (["杭州"], 2), (["杭州", "上海"], 3),
                         (["措施3"], 1), (["补贴"], 3), (["补贴"], 1), (["没有的词"], 1)):
        assert policies_about(table, terms, least) == policies_about(list(chunks), terms, least), (terms, least)
    assert policies_about(table, ["杭州"], 3) == {"r"} and policies_about(table, ["杭州"], 2) == {"q", "r"}
    assert policies_about(table, ["上海"], 3) == {"p0", "p1", "p2"}
    assert table._parsed == {} and table._all is None  # nothing kept
