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
        assert answerer.preload() == 5
        assert answerer._linker is not None and answerer._stat_chunks is not None
    finally:
        kg.close()
