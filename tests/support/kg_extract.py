"""Fixtures for the extraction tests: the seed corpus extracted once, and small policies parsed from
text written in the test (through the real parser)."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture(scope="session")
def seed_facts(corpus_seed_policies) -> dict[str, tuple]:
    """doc key (文号, or title) -> (policy, facts) for every seed document."""
    from eval.extraction import doc_key
    from kg.extract import extract

    return {doc_key(p): (p, extract(p)) for p in corpus_seed_policies.values()}


@pytest.fixture
def policy_from_text() -> Callable:
    """Parse a policy written in the test: policy_from_text(text, city="上海") -> Policy."""
    from corpus import parse_text
    from corpus.model import DocumentMeta

    def make(text: str, city: str | None = "上海", **meta):
        return parse_text(text, "test.txt", DocumentMeta(city=city, **meta))

    return make


def measure_titled(policy, title: str):
    """The one measure whose title starts with `title`."""
    found = [m for m in policy.measures() if m.title.startswith(title)]
    assert len(found) == 1, [m.title for m in policy.measures()]
    return found[0]
