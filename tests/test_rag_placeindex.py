"""The documents about each place, gathered at ingest, are those a search of the chunks finds; an index
set looks a place up there when its saved place index lists it, and searches otherwise."""

from __future__ import annotations

import json
import random

import pytest

from rag import artefacts, placeindex
from rag.chunkstore import policies_about
from rag.indexes import IndexSet
from rag.model import Chunk
from rag.settings import Settings


def _chunks(base: list[Chunk]) -> list[Chunk]:
    """The sample chunks and a few documents naming places only in their texts (once, or in several clauses)."""
    extra = [Chunk(id=f"n{i}.m{j}", policy_id=f"n{i}", measure_id=f"n{i}.m{j}", start=j, end=j + 1,
                   text=f"借鉴{'杭州市' if j < i else '深圳'}和上海经验{j}", context="全国通知", title="全国通知",
                   city="全国") for i in range(4) for j in range(4)]
    return list(base) + extra


def test_the_place_index_finds_what_a_search_of_the_chunks_finds(retrieval_chunks):
    chunks = _chunks(retrieval_chunks)
    index = placeindex.build(chunks)
    found = sorted(set(index.about) | set(index.clauses))
    assert {"上海", "杭州", "杭州市", "深圳"} <= set(found) and "上海市" in index.terms
    rng = random.Random(0)
    asked = [[t] for t in found] + [rng.sample(found, 2) for _ in range(20)] + [["北京"], ["海淀"]]
    for terms in asked:
        assert index.covers(terms)
        for least in (1, 2, 3):
            assert index.policies_about(terms, least) == policies_about(chunks, terms, least), (terms, least)
    assert {"n2", "n3"} <= index.policies_about(["杭州"], 2) and "n1" not in index.policies_about(["杭州"], 2)
    assert not index.covers(["不是地名的词"])


class _EmptyGraph:
    def run(self, name: str, **params) -> list[dict]:
        return []


@pytest.fixture
def saved(retrieval_chunks, tmp_path):
    settings = Settings(data_dir=tmp_path / "data", embedding_model="none", embedding_fallback="")
    chunks = _chunks(retrieval_chunks)
    index = IndexSet.build(chunks, settings, dense=False)
    index.artefacts = artefacts.build(_EmptyGraph(), index.chunks, genre=index.genre)
    index.save(settings.index_dir)
    return settings, chunks


def test_an_index_set_looks_places_up_in_the_place_index_it_was_saved_with(saved, monkeypatch):
    settings, chunks = saved
    folder = settings.index_dir
    assert (folder / placeindex.PLACES_FILE).is_file()
    index = IndexSet.load(folder, settings, persist_repairs=False)
    assert index.place_index() is not None
    wanted = policies_about(chunks, ["上海"], 3)

    def searched(*args, **kwargs):
        raise AssertionError("searched the chunks")

    monkeypatch.setattr("rag.indexes.policies_about", searched)
    assert index.policies_about(["上海"], 3) == wanted and wanted
    with pytest.raises(AssertionError):
        index.policies_about(["不是地名的词"], 3)  # not a place the index lists: searched
    monkeypatch.undo()
    assert index.policies_about(["不是地名的词"], 3) == policies_about(chunks, ["不是地名的词"], 3)


def test_a_place_index_of_other_rows_is_not_used(saved):
    settings, chunks = saved
    path = settings.index_dir / placeindex.PLACES_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rows"] += 1
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    index = IndexSet.load(settings.index_dir, settings, persist_repairs=False)
    assert index.place_index() is None
    assert index.policies_about(["上海"], 3) == policies_about(chunks, ["上海"], 3)


def test_an_index_written_before_the_place_index_gets_one_when_asked(saved):
    settings, chunks = saved
    folder = settings.index_dir
    (folder / placeindex.PLACES_FILE).unlink()
    assert placeindex.add_to(folder, len(chunks))
    index = IndexSet.load(folder, settings, persist_repairs=False)
    assert index.place_index() is not None
    assert index.policies_about(["上海"], 3) == policies_about(chunks, ["上海"], 3)
    assert not placeindex.add_to(folder, len(chunks))  # one that fits is kept
