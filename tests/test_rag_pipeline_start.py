"""Start-up: the graph store opens (its server loading a snapshot) while the façade loads the indexes
and what questions read besides the graph, and a store that cannot be reached still leaves a façade
that answers from the indexes."""

from __future__ import annotations

import threading

from rag.indexes import IndexSet
from rag.pipeline import PolicyKG
from rag.settings import Settings


class _Store:
    closed = False

    def close(self) -> None:
        self.closed = True


def test_the_store_opens_while_the_indexes_load(ui_data_dir, monkeypatch):
    loading = threading.Event()
    seen: dict[str, object] = {}
    real_load = IndexSet.load.__func__

    def load(cls, directory, settings, **kw):
        loading.set()
        return real_load(cls, directory, settings, **kw)

    def open_store(self):
        # were the two done one after the other, the index would not load before this gives up
        seen["overlapped"] = loading.wait(60)
        return _Store()

    def preload(self, until):
        seen["store_pending_at_preload"] = not until()
        return 0

    monkeypatch.setattr(IndexSet, "load", classmethod(load))
    monkeypatch.setattr(PolicyKG, "_open_store", open_store)
    monkeypatch.setattr("rag.answer.Answerer.preload", preload)
    kg = PolicyKG(Settings(data_dir=ui_data_dir))
    answerer = kg._ready()
    assert seen["overlapped"] is True
    assert "store_pending_at_preload" in seen  # the wait is used for loading, not slept through
    assert isinstance(answerer.store, _Store) and kg._store is answerer.store
    kg.close()
    assert answerer.store.closed


def test_a_store_that_cannot_open_leaves_a_facade_answering_from_the_indexes(ui_data_dir, monkeypatch):
    def open_store(self):
        raise ConnectionError("graph server down")

    monkeypatch.setattr(PolicyKG, "_open_store", open_store)
    kg = PolicyKG(Settings(data_dir=ui_data_dir))
    try:
        answer = kg.ask("“防范开源供应链风险”由哪些部门负责？")
        assert kg._answerer is not None and kg._answerer.store is None
        assert not answer.graph_available and answer.citations
    finally:
        kg.close()


def test_preload_loads_the_saved_linker_and_stops_when_told(ui_data_dir):
    kg = PolicyKG(Settings(data_dir=ui_data_dir))
    try:
        answerer = kg._ready()
        answerer._linker, answerer._stat_chunks = None, None
        assert answerer.preload(until=lambda: True) == 0 and answerer._linker is None
        assert answerer.preload() == 8
        assert answerer._linker is not None and answerer._stat_chunks is not None
        from rag.tokenize import synonym_groups, word_glosses
        assert word_glosses.cache_info().currsize == 1  # the evidence checks' dictionary
        assert synonym_groups.cache_info().currsize == 1 and synonym_groups()  # and their synonym groups
    finally:
        kg.close()


def test_the_store_starts_opening_before_the_answering_modules_load(tmp_path):
    """In a fresh process the graph server is asked for first, before the answering modules and the
    indexes load (their import alone is a good part of a start); opening it loads no extractor."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from rag.state import State, write_state

    write_state(tmp_path, State(generation=1, graph="g1", index="index-g1"))  # no index folder: load fails
    script = """
import json, sys, threading
from rag.pipeline import PolicyKG
from rag.settings import Settings
seen = {}
def open_store(self):
    from rag.state import open_generation_store  # what the real one imports
    seen["answering_loaded"] = any(m in sys.modules for m in ("rag.answer", "rag.indexes"))
    seen["extractors_loaded"] = "kg.extract" in sys.modules
    return None
PolicyKG._open_store = open_store
try:
    PolicyKG(Settings(data_dir=sys.argv[1]))._ready()
except Exception:
    pass
print(json.dumps(seen))
"""
    repo = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True,
                         env=env, timeout=300, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen == {"answering_loaded": False, "extractors_loaded": False}


def test_warm_up_loads_what_questions_read_and_composes_no_answer(ui_data_dir, monkeypatch):
    import genre.words
    from rag.answer import Answerer

    composed, retrieved = [], []
    monkeypatch.setattr(Answerer, "_compose", lambda self, *a, **k: composed.append(a))
    real_retrieve = Answerer.retrieve
    monkeypatch.setattr(Answerer, "retrieve", lambda self, q: retrieved.append(q) or real_retrieve(self, q))
    monkeypatch.setattr(genre.words, "_POS_READY", [])  # as in a fresh process
    kg = PolicyKG(Settings(data_dir=ui_data_dir))
    try:
        assert kg.warm_up(["“防范开源供应链风险”由哪些部门负责？", "上海对开源项目有什么补贴？"]) == 1
        answerer = kg._answerer
        assert answerer._linker is not None and answerer._stat_chunks is not None
        assert genre.words._POS_READY  # the part-of-speech tagger too
        # every signal runs once, for the first example; nothing is composed
        assert retrieved == ["“防范开源供应链风险”由哪些部门负责？"] and composed == []
    finally:
        kg.close()
