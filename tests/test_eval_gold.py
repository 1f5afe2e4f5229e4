"""The gold set is checkable: every source clause exists in the parsed corpus and holds its facts."""

from __future__ import annotations

from collections import Counter

import pytest

from eval.metrics import has_fact, normalize
from eval.run import (
    GOLD_PATH,
    PERSONAS,
    corpus_files,
    doc_from_outline,
    doc_from_policy,
    load_gold,
    resolve_source,
)
from rag.pipeline import outline_file

INTENTS = {"departments", "duties", "support", "targets", "comparison", "metadata", "general"}


@pytest.fixture(scope="module")
def gold():
    return load_gold(GOLD_PATH)


@pytest.fixture(scope="module")
def docs(corpus_seed_policies):
    assert len(corpus_seed_policies) == 5
    return [doc_from_policy(p) for p in corpus_seed_policies.values()]


def _sources(q, docs):
    return [resolve_source(spec, docs) for spec in q.sources]


def test_gold_covers_three_personas_and_unanswerable_questions(gold):
    answerable = [q for q in gold if not q.abstain]
    assert len(answerable) >= 66 and sum(q.abstain for q in gold) >= 10
    share = Counter(q.persona for q in answerable)
    assert set(share) == set(PERSONAS)
    assert all(0.25 <= share[p] / len(answerable) <= 0.42 for p in PERSONAS), share
    assert {q.intent for q in gold} <= INTENTS
    assert all(not q.facts and not q.sources and q.departments is None for q in gold if q.abstain)
    assert all(q.departments for q in gold if q.intent == "departments" and not q.abstain)


def test_every_gold_source_exists_in_the_parsed_corpus(gold, docs):
    for q in gold:
        for source in _sources(q, docs):  # raises GoldError naming the missing clause
            assert source.whole_document or source.measure_ids or source.spans, q.id


def test_every_expected_fact_occurs_in_one_of_its_sources(gold, docs):
    for q in gold:
        texts = [s.text for s in _sources(q, docs)]
        for fact in q.facts:
            assert any(has_fact(t, fact) for t in texts), f"{q.id}: {fact!r} is in none of its sources"


def test_expected_departments_are_the_ones_written_in_the_source_clause(gold, docs):
    for q in gold:
        if q.departments is None:
            continue
        text = normalize("\n".join(s.text for s in _sources(q, docs)))
        for written in q.departments_as_written:
            assert normalize(written) in text, f"{q.id}: {written} not written in its source"


def test_the_runners_outline_path_resolves_the_same_clauses(gold, docs, corpus_docs):
    outlined = [doc_from_outline(outline_file(path, as_json=True)) for path in corpus_files(corpus_docs)]
    assert sorted(d.policy_id for d in outlined) == sorted(d.policy_id for d in docs)
    for q in gold:
        for spec in q.sources:
            parsed, flat = resolve_source(spec, docs), resolve_source(spec, outlined)
            assert (parsed.policy_id, parsed.whole_document) == (flat.policy_id, flat.whole_document), q.id
            assert parsed.measure_ids == flat.measure_ids, f"{q.id}: {spec}"


def test_gold_errors_name_the_questions_that_cannot_be_scored(gold, docs):
    """A question whose source is missing from the corpus (a scan lost its anchor) is named by the
    gold error resolve_all writes, and only that question."""
    import dataclasses

    from eval.run import gold_error_ids, resolve_all

    lost = dataclasses.replace(gold[0], id="lost-1", sources=[{**gold[0].sources[0], "anchor": "语料中没有的一句话"}])
    _, errors = resolve_all([gold[1], lost], docs)
    assert gold_error_ids(errors) == {"lost-1"}
