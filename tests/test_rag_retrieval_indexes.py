"""The index set on disk: manifest, atomic replacement, recovery, rebuilds on model/tokenizer change."""

from __future__ import annotations

import json
import os
import shutil

import pytest

import rag.indexes as indexes
from rag.dense import PACKAGED_MODEL
from rag.indexes import FORMAT_VERSION, IndexSet, IndexUnavailable, corpus_hash
from rag.lexical import BM25Index
from rag.settings import Settings

# The packaged model reads little Chinese: by default it is not even encoded (see
# test_fallback_model_reading_little_chinese_is_not_encoded). Tests of the vectors themselves accept
# any unknown-token rate, as they would for a model that reads the corpus.
ENCODE_ANY = 1.0


@pytest.fixture(scope="module")
def encoded_settings(tmp_path_factory):
    return Settings(data_dir=tmp_path_factory.mktemp("encoded"), embedding_model=PACKAGED_MODEL,
                    dense_max_unknown_rate=ENCODE_ANY)


@pytest.fixture(scope="module")
def encoded_index(retrieval_policies, retrieval_chunks, encoded_settings):
    """The sample chunks with vectors from the packaged model (cached in encoded_settings.data_dir)."""
    return IndexSet.build(retrieval_chunks, encoded_settings, [p.sha256 for p in retrieval_policies])


def copy_vector_cache(encoded_settings, settings) -> None:
    """The vectors computed for the sample chunks, as `policykg embed` would have left them."""
    shutil.copytree(encoded_settings.data_dir / "vectors", settings.data_dir / "vectors", dirs_exist_ok=True)


def never_encode(monkeypatch) -> None:
    """Opening an index must not encode the corpus: any encoder call fails the test."""
    from rag import dense

    def refuse(*args, **kwargs):
        raise AssertionError("the corpus was encoded while opening the index")

    monkeypatch.setattr(dense, "load_embedder", refuse)
    monkeypatch.setattr(indexes, "load_embedder", refuse)


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path / "data", embedding_model=PACKAGED_MODEL, dense_max_unknown_rate=ENCODE_ANY)


@pytest.fixture
def saved(encoded_index, settings):
    encoded_index.save(settings.index_dir)
    return settings.index_dir


def manifest_on_disk(directory) -> dict:
    return json.loads((directory / "manifest.json").read_text(encoding="utf-8"))


def test_manifest_records_corpus_model_and_index(encoded_index, retrieval_policies, saved):
    m = manifest_on_disk(saved)
    assert m["format_version"] == FORMAT_VERSION
    assert m["corpus_hash"] == corpus_hash(p.sha256 for p in retrieval_policies)
    assert m["model"] == PACKAGED_MODEL and m["dimension"] == 384
    assert m["index_type"] == "flat"
    assert m["chunk_count"] == len(encoded_index.chunks) and m["policies"] == 2 and m["dense_encoded"]
    assert m["created"] and m["tokenizer"]
    assert sorted(p.name for p in saved.iterdir()) == ["bm25", "chunk_keys.json", "chunk_offsets.npy", "chunks.json",
                                                      "dense.faiss", "manifest.json"]


def test_corpus_hash_ignores_order():
    assert corpus_hash(["b", "a"]) == corpus_hash(["a", "b"]) != corpus_hash(["a", "c"])


def test_round_trip_gives_the_same_results(encoded_index, saved, settings):
    loaded = IndexSet.load(saved, settings)
    assert [c.id for c in loaded.chunks] == [c.id for c in encoded_index.chunks]
    assert loaded.chunk(loaded.chunks[3].id) == encoded_index.chunks[3]
    for q in ("开源供应链风险", "open source"):
        assert [h.chunk_id for h in loaded.search_bm25(q, 5)] == [h.chunk_id for h in encoded_index.search_bm25(q, 5)]
        assert [h.chunk_id for h in loaded.search_dense(q, 5)] == [h.chunk_id for h in encoded_index.search_dense(q, 5)]
    assert loaded.search_dense("open source", 5)


def test_fallback_model_reading_little_chinese_is_not_fused(retrieval_index):
    assert retrieval_index.manifest.dense_unknown_rate > 0.5
    assert not retrieval_index.dense_ok
    assert any("not fused" in w for w in retrieval_index.warnings)


def test_fallback_model_reading_little_chinese_is_not_encoded(retrieval_index, encoded_index, tmp_path):
    m = retrieval_index.manifest
    assert m.model == PACKAGED_MODEL and not m.dense_encoded and m.dimension == 0
    assert retrieval_index.dense is None and retrieval_index.search_dense("open source", 3) == []
    assert m.dense_unknown_rate == encoded_index.manifest.dense_unknown_rate  # the tokenizer alone agrees
    assert any("not encoded" in w for w in retrieval_index.warnings)
    settings = Settings(data_dir=tmp_path, embedding_model=PACKAGED_MODEL)
    retrieval_index.save(settings.index_dir)
    assert not (settings.index_dir / "dense.faiss").exists()
    loaded = IndexSet.load(settings.index_dir, settings)  # still vetoed: nothing to rebuild
    assert loaded.dense is None and loaded.lazy_model is None and not loaded.dense_ok
    assert not manifest_on_disk(settings.index_dir)["dense_encoded"]


def test_accepting_the_model_later_waits_for_the_vectors(retrieval_index, tmp_path, monkeypatch):
    settings = Settings(data_dir=tmp_path, embedding_model=PACKAGED_MODEL)
    retrieval_index.save(settings.index_dir)
    accepting = settings.model_copy(update={"dense_max_unknown_rate": ENCODE_ANY})
    never_encode(monkeypatch)
    loaded = IndexSet.load(settings.index_dir, accepting)
    assert loaded.dense is None and not loaded.dense_ok and loaded.search_bm25("开源", 3)
    assert any("policykg embed" in w for w in loaded.warnings)
    assert not manifest_on_disk(settings.index_dir)["dense_encoded"]  # still to be computed


def test_crash_while_writing_keeps_the_old_index(retrieval_index, retrieval_chunks, saved, settings, monkeypatch):
    newer = IndexSet.build(retrieval_chunks[:3], settings, ["x"], dense=False)

    def crash(self, folder):
        raise OSError("disk full")

    monkeypatch.setattr(BM25Index, "save", crash)  # chunks.json is written, the rest is not
    with pytest.raises(OSError, match="disk full"):
        newer.save(saved)
    monkeypatch.undo()
    loaded = IndexSet.load(saved, settings)
    assert len(loaded.chunks) == len(retrieval_index.chunks)
    assert [p.name for p in saved.parent.iterdir() if p.name.startswith(".index.tmp")] == []


def test_crash_between_the_renames_is_recovered(retrieval_index, retrieval_chunks, saved, settings, monkeypatch):
    newer = IndexSet.build(retrieval_chunks[:3], settings, ["x"], dense=False)
    real_replace = os.replace
    calls = []

    def second_rename_fails(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:
            raise OSError("power cut")
        real_replace(src, dst)

    monkeypatch.setattr(indexes.os, "replace", second_rename_fails)
    with pytest.raises(OSError, match="power cut"):
        newer.save(saved)
    monkeypatch.undo()
    assert not saved.exists() and saved.with_name("index.old").exists()
    loaded = IndexSet.load(saved, settings)  # finishes the interrupted swap: the old index is back
    assert len(loaded.chunks) == len(retrieval_index.chunks)
    assert saved.exists()
    newer.save(saved)  # and a later save completes normally
    assert len(IndexSet.load(saved, settings, persist_repairs=False).chunks) == 3
    assert not saved.with_name("index.old").exists()


def test_model_change_waits_for_the_new_models_vectors(saved, settings, monkeypatch):
    m = manifest_on_disk(saved)
    m["model"] = "some-org/previous-model"
    (saved / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    never_encode(monkeypatch)
    loaded = IndexSet.load(saved, settings)  # no vectors of the configured model: nothing is encoded
    assert loaded.dense is None and not loaded.dense_ok
    assert any("policykg embed" in w for w in loaded.warnings)
    assert loaded.search_dense("open source", 3) == [] and loaded.search_bm25("开源", 3)


def test_model_change_is_repaired_from_cached_vectors(saved, settings, encoded_settings, monkeypatch):
    m = manifest_on_disk(saved)
    m["model"] = "some-org/previous-model"
    (saved / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    copy_vector_cache(encoded_settings, settings)
    loaded = IndexSet.load(saved, settings)
    assert loaded.dense is not None and loaded.dense.model == PACKAGED_MODEL
    assert any("previous-model" in w and "cached vectors" in w for w in loaded.warnings)
    assert manifest_on_disk(saved)["model"] == PACKAGED_MODEL  # the repair was saved
    assert loaded.search_dense("open source", 3)


def test_missing_faiss_file_is_rebuilt_from_cached_vectors(saved, settings, encoded_settings):
    (saved / "dense.faiss").unlink()
    copy_vector_cache(encoded_settings, settings)
    loaded = IndexSet.load(saved, settings)
    assert loaded.dense is not None and loaded.dense.index.ntotal == len(loaded.chunks)
    assert (saved / "dense.faiss").is_file()


def test_missing_faiss_file_without_vectors_is_not_encoded_at_load(saved, settings, monkeypatch):
    (saved / "dense.faiss").unlink()
    never_encode(monkeypatch)
    loaded = IndexSet.load(saved, settings)
    assert loaded.dense is None and any("policykg embed" in w for w in loaded.warnings)


def test_tokenizer_change_rebuilds_bm25(saved, settings, retrieval_index):
    m = manifest_on_disk(saved)
    m["tokenizer"] = "0000"
    (saved / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    loaded = IndexSet.load(saved, settings)
    assert loaded.manifest.tokenizer == retrieval_index.manifest.tokenizer
    assert manifest_on_disk(saved)["tokenizer"] == retrieval_index.manifest.tokenizer
    assert [h.chunk_id for h in loaded.search_bm25("开源人才", 3)] == [
        h.chunk_id for h in retrieval_index.search_bm25("开源人才", 3)]


def test_missing_index_tells_the_user_to_ingest(settings):
    with pytest.raises(IndexUnavailable, match="policykg ingest"):
        IndexSet.load(settings.index_dir, settings)


@pytest.mark.parametrize("damage", ["chunks", "manifest", "count", "version"])
def test_damaged_index_tells_the_user_to_ingest(saved, settings, damage):
    if damage == "chunks":
        (saved / "chunks.json").write_text("[{not json", encoding="utf-8")
    elif damage == "manifest":
        (saved / "manifest.json").write_text("{", encoding="utf-8")
    else:
        m = manifest_on_disk(saved)
        m["chunk_count" if damage == "count" else "format_version"] += 1
        (saved / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="policykg ingest"):
        IndexSet.load(saved, settings)


def test_without_any_embedding_model(retrieval_chunks, tmp_path):
    settings = Settings(data_dir=tmp_path, embedding_model="policykg-test/missing",
                        embedding_fallback="policykg-test/missing-too")
    built = IndexSet.build(retrieval_chunks, settings, ["s"])
    assert built.dense is None and built.manifest.model is None and not built.dense_ok
    assert built.search_dense("开源", 3) == []
    assert built.search_bm25("开源", 3)
    built.save(settings.index_dir)
    assert not (settings.index_dir / "dense.faiss").exists()
    loaded = IndexSet.load(settings.index_dir, settings)
    assert loaded.dense is None and loaded.search_bm25("开源", 3)
    assert any("dense signal" in w for w in loaded.warnings)


def test_duplicate_chunk_ids_are_refused(retrieval_chunks, settings):
    with pytest.raises(ValueError, match="duplicate"):
        IndexSet.build([retrieval_chunks[0], retrieval_chunks[0]], settings, dense=False)


def test_mask_by_city_and_policy(retrieval_index, encoded_index):
    nj = retrieval_index.mask(cities=["南京"])
    assert nj is not None and nj.sum() == sum(c.city == "南京" for c in retrieval_index.chunks)
    assert retrieval_index.mask() is None
    hits = encoded_index.search_dense("open source", 10, mask=encoded_index.mask(policy_ids=["sh-open"]))
    assert hits and all(h.chunk_id.startswith("sh-open") for h in hits)


def test_from_policies_chunks_and_hashes(retrieval_policies, tmp_path):
    settings = Settings(data_dir=tmp_path, embedding_model=PACKAGED_MODEL)
    built = IndexSet.from_policies(retrieval_policies, settings, dense=False)
    assert {c.measure_id for c in built.chunks} == {m.id for p in retrieval_policies for m in p.measures()}
    assert built.is_current([p.sha256 for p in reversed(retrieval_policies)])
    assert not built.is_current([retrieval_policies[0].sha256])


def test_loading_defers_the_model_until_a_dense_search(saved, settings):
    loaded = IndexSet.load(saved, settings)
    assert loaded.embedder is None and loaded.lazy_model == (settings.embedding_model, settings.embedding_fallback)
    assert loaded.search_dense("open source", 3)
    assert loaded.embedder is not None and loaded.lazy_model is None


def test_fallback_warning_is_known_without_loading(encoded_index, tmp_path):
    settings = Settings(data_dir=tmp_path, embedding_model="policykg-test/not-installed",
                        embedding_fallback=PACKAGED_MODEL, dense_max_unknown_rate=ENCODE_ANY)
    encoded_index.save(settings.index_dir)
    loaded = IndexSet.load(settings.index_dir, settings)
    assert loaded.embedder is None and loaded.dense is not None
    assert any("not-installed" in w for w in loaded.warnings)
    assert loaded.manifest.model_requested == "policykg-test/not-installed"


def test_answering_from_a_saved_index_does_not_import_torch_when_dense_is_muted(saved, settings):
    """Cold start: with a model that cannot read the corpus, a question never loads torch."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from rag.settings import Settings\n"
        "from rag.indexes import IndexSet\n"
        "from rag.retriever import PolicyRetriever\n"
        f"s = Settings(data_dir=Path({str(settings.data_dir)!r}), embedding_model={PACKAGED_MODEL!r})\n"
        "ix = IndexSet.load(s.index_dir, s)\n"
        "docs = PolicyRetriever.from_settings(ix, s).invoke('谁负责防范开源供应链风险')\n"
        "print(docs[0].metadata['measure_id'], 'torch' in sys.modules)\n"
    )
    repo = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["sh-open/s2/m2", "False"]


def test_chunks_saved_with_fields_this_version_does_not_know_still_load(saved, settings, encoded_index):
    rows = json.loads((saved / "chunks.json").read_text(encoding="utf-8"))
    rows[0]["written_by_a_later_version"] = 1
    (saved / "chunks.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    loaded = IndexSet.load(saved, settings)
    assert [c.id for c in loaded.chunks] == [c.id for c in encoded_index.chunks]
    assert loaded.chunks[0] == encoded_index.chunks[0]


def test_a_row_that_is_not_a_chunk_is_damage(saved, settings):
    rows = json.loads((saved / "chunks.json").read_text(encoding="utf-8"))
    rows[1] = ["not", "a", "chunk"]
    (saved / "chunks.json").write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(IndexUnavailable, match="policykg ingest"):
        IndexSet.load(saved, settings)


def test_a_document_without_a_known_place_passes_every_place_filter(retrieval_chunks, retrieval_settings):
    """A question about 合肥 must still find the clauses of a document whose city could not be
    read from it; documents of other known places stay out."""
    from dataclasses import replace

    from rag.indexes import IndexSet

    placeless = [replace(c, city=None) for c in retrieval_chunks if c.city == "南京"]
    rest = [c for c in retrieval_chunks if c.city != "南京"]
    index = IndexSet.build(rest + placeless, retrieval_settings, dense=False)
    mask = index.mask(cities=["上海"])
    kept = {index.chunks[i].city for i in range(len(index.chunks)) if mask[i]}
    assert kept == {"上海", None}
    others = {c.city for c in rest} - {"上海"}
    assert not others or all(not mask[i] for i, c in enumerate(index.chunks) if c.city in others)


def test_row_index_gives_each_value_its_rows_in_order():
    """The row lookups built at start (by measure, city, policy) code runs of equal values once; any
    order of values must give the rows a plain scan gives."""
    import random

    from rag.indexes import RowIndex

    rng = random.Random(7)
    for trial in range(100):
        values = [rng.choice(["a", "b", None, "", "城市"]) for _ in range(rng.randint(0, 30))]
        if trial % 2:
            values.sort(key=str)  # runs, as an index's chunks come
        rows: dict = {}
        for i, v in enumerate(values):
            rows.setdefault(v, []).append(i)
        index = RowIndex(values)
        assert len(index) == len(rows) and index.get("absent") is None
        assert all(list(index.get(v)) == r for v, r in rows.items())
