"""Bad questions, a graph store that dies, and the verbatim-quote guarantee across many questions."""

from __future__ import annotations

import secrets

import pytest

from tests.support.answers import write_corpus_graph
from tests.support.graph import free_port

DEV_QUESTIONS = [
    "开源供应链风险这块归谁管？",
    "在沪租用算力做大模型研发有啥补贴？",
    "南京对开源软件企业挂牌上市有什么扶持？",
    "重庆对采用开源产品的企业有没有补贴？",
    "上海、南京、重庆的开源社区目标分别是多少？",
    "市科委在上海的开源方案里牵头哪些事？",
    "智算云实施意见啥时候发的？",
    "开源人才有哪些政策？",
    "在宁举办开源展会有什么支持？",
    "重庆打算引进几家开源龙头企业？",
]


@pytest.mark.parametrize("question", DEV_QUESTIONS)
def test_every_citation_is_verbatim_and_every_answer_cites(answerer, policy_text, question):
    answer = answerer.ask(question)
    for c in answer.citations:
        assert c.title
        if c.section == "文件信息":  # metadata lines, quoted from the document's front matter or sidecar
            assert all(": " in line for line in c.quote.split(" / ")), c
            continue
        assert policy_text[c.policy_id][c.start : c.end] == c.quote, c
        assert c.measure_id or c.measure == "文件头"
    if not answer.abstained:
        assert answer.citations, answer.answer
        cited = {int(n) for n in __import__("re").findall(r"\[(\d+)\]", answer.answer)}
        assert cited and cited <= set(range(1, len(answer.citations) + 1))


@pytest.mark.parametrize("question", ["", "   ", "？？！！。。", "🤔🙏😀", "……——"])
def test_empty_or_contentless_questions_abstain_politely(answerer, question):
    answer = answerer.ask(question)
    assert answer.abstained and answer.citations == [] and answer.departments == []
    assert "问题" in answer.answer


def test_very_long_question_is_capped_and_still_answered(answerer):
    question = "“防范开源供应链风险”由哪些部门负责？" + "请详细说明。" * 1700
    assert len(question) > 10_000
    answer = answerer.ask(question)
    assert any("过长" in w for w in answer.warnings)
    assert len(answer.departments) == 2


def test_english_question_abstains(answerer):
    answer = answerer.ask("What subsidies does Beijing offer for electric vehicles?")
    assert answer.abstained and answer.citations == []


def test_cypher_injection_leaves_the_graph_unchanged(answerer, answer_store):
    before = answer_store.stats()
    for q in ["'}) DETACH DELETE n //", "市教委\"}) MATCH (n) DETACH DELETE n RETURN 1 //负责哪些事",
              "防范开源供应链风险'] } CALL db.clear() //谁负责"]:
        answerer.ask(q)
    assert answer_store.stats() == before


def test_answers_from_indexes_alone_without_a_store(answer_indexes, answer_settings, policy_text):
    from rag.answer import NO_GRAPH_WARNING, Answerer

    answer = Answerer(None, answer_indexes, answer_settings).ask("防范开源供应链风险归哪个部门管？")
    assert not answer.graph_available and NO_GRAPH_WARNING in answer.warnings
    assert not answer.abstained
    assert any("市委网信办" in c.quote for c in answer.citations)
    for c in answer.citations:
        assert policy_text[c.policy_id][c.start : c.end] == c.quote


def test_store_that_dies_mid_session_falls_back_to_retrieval(tmp_path, answer_policies, answer_indexes,
                                                             answer_settings):
    """A real FalkorDB reached through the neo4j driver (Bolt); the test stops the server."""
    from kg.embedded import ensure_server, stop_server
    from kg.store import open_store
    from rag.answer import NO_GRAPH_WARNING, Answerer

    port, password = free_port(), secrets.token_hex(8)
    ensure_server(tmp_path, bolt_port=port, password=password)
    try:
        store = open_store(f"bolt://127.0.0.1:{port}", tmp_path, user="falkordb", password=password)
        write_corpus_graph(store, answer_policies)
        answerer = Answerer(store, answer_indexes, answer_settings)
        first = answerer.ask("在上海租用算力做大模型研发能拿到什么补贴？")
        assert first.graph_available and first.facts
    finally:
        stop_server(tmp_path)
    second = answerer.ask("在上海租用算力做大模型研发能拿到什么补贴？")
    assert not second.graph_available
    assert NO_GRAPH_WARNING in second.warnings
    assert not second.abstained
    assert any("租用补贴" in c.quote for c in second.citations)
    store.close()


def _graph_searches(answerer, monkeypatch) -> list[tuple[str, list[str]]]:
    """Record the intent and the words each graph search of `answerer` is made with (no graph)."""
    searches: list[tuple[str, list[str]]] = []

    def graph_facts(intent, linked, focus, timings):
        searches.append((intent.name, list(focus)))
        return None, {}

    monkeypatch.setattr(answerer, "_graph_facts", graph_facts)
    return searches


def test_the_rankings_search_for_the_words_the_answer_reads(answer_indexes, answer_settings, monkeypatch):
    """`retrieve` (the per-signal rankings eval reports) and the graph signal read the question's
    content words as `ask` does: two characters the tagger split (摇 / 号) are one word when the
    documents' segmentation holds it."""
    from rag.answer import Answerer

    answerer = Answerer(None, answer_indexes, answer_settings)
    monkeypatch.setattr(answerer, "_indexed_word", lambda w: w == "摇号")
    searches = _graph_searches(answerer, monkeypatch)
    answerer.retrieve("开盘的时候这套房还要跟别人一起摇号吗？")
    answerer.graph_signal("开盘的时候这套房还要跟别人一起摇号吗？")
    seen = [focus for _, focus in searches]
    assert len(seen) == 2 and all("摇号" in focus for focus in seen)


def test_the_graph_signal_routes_as_the_answer_does(answer_indexes, answer_settings, monkeypatch):
    """The graph signal (PolicyRetriever) and the rankings eval reports route with the nearest example
    questions' votes, as `ask` does: a phrasing no cue foresees searches the graph for its intent."""
    from rag.answer import Answerer

    answerer = Answerer(None, answer_indexes, answer_settings)
    monkeypatch.setattr(answerer, "_intent_prior", lambda text: {"departments": 5.0})
    searches = _graph_searches(answerer, monkeypatch)
    answerer.graph_signal("开源供应链风险这一块")
    answerer.retrieve("开源供应链风险这一块")
    routed = [intent for intent, _ in searches]
    assert routed == ["departments", "departments"]
