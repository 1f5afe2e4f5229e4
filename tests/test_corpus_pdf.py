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


def test_a_fragment_repeating_a_cell_of_a_table_is_dropped_and_another_is_read_as_text():
    """A policy card draws boxes round the numbered points of its 服务流程 cell; found again as fragments,
    they would repeat each point after the card (characters dropped here and there by cropping)."""
    from corpus.readers.pdf import Line, continue_tables

    card = Line("", 50, 540, 70, 0, rows=[["服务流程", "1．形式审查。由市发展改革委对各区报送的申报材料进行形式审查。"
                                                     "2．专家评审。由市发展改革委委托第三方机构开展专家评审。"]])
    repeat = Line("", 120, 540, 200, 0, rows=[["", "形式审查。由市发展改革委对各区报送的申报材料进行形式审"]],
                  fallback=[Line("1.形式审查。由市发展改革委对各区报送的申报材料进行形式审", 120, 540, 200, 12)])
    other = Line("", 120, 540, 300, 0, rows=[["", "附件：申报书模板及填写说明"]],
                 fallback=[Line("附件：申报书模板及填写说明", 120, 540, 300, 12)])
    [page] = continue_tables([[card, repeat, other]])
    assert [x.rows is not None for x in page] == [True, False]
    assert page[1].text == "附件：申报书模板及填写说明"
