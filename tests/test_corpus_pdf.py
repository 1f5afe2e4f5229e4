"""Each seed document printed to a real PDF (hard-wrapped lines, page numbers, sentences cut across pages)
parses to the same outline as its text: the repair rules, not the blank lines of the text, find the structure."""

from __future__ import annotations

import pytest

from corpus import parse_file
from corpus.loader import split_front_matter
from tests.support.corpus import hard_wrap_pages

NAMES = [
    "shanghai-2025-33-open-source.txt",
    "shanghai-2025-160-intelligent-computing-cloud.txt",
    "shanghai-2023-608-large-models.txt",
    "nanjing-2023-open-source-software.md",
    "chongqing-2023-20-software-open-source.md",
]


def _shape(policy):
    return [(m.number, m.title, m.responsibility, m.kind) for m in policy.measures()]


@pytest.mark.parametrize("name", NAMES)
def test_printed_pdf_parses_like_the_text(tmp_path, corpus_docs, corpus_seed_policies, cjk_pdf, name):
    _, body = split_front_matter((corpus_docs / name).read_text("utf-8"))
    pdf = cjk_pdf(tmp_path / "printed.pdf", hard_wrap_pages(body))
    printed = parse_file(pdf)
    assert _shape(printed) == _shape(corpus_seed_policies[name])
    for m in printed.measures():
        assert printed.text[m.start : m.end] == m.text
        assert "- 1 -" not in m.text
