"""A question in everyday words finds the clause that says it in the genre's standard terms: the
thesaurus joins 路子 to 渠道, 回话 to 答复, 违建 to 违法建设, 老百姓 to 群众 — in retrieval and in the
evidence checks alike."""

from __future__ import annotations

import pytest

from genre import packaged as packaged_genre
from rag.chunks import make_chunks
from rag.compose import coverage
from rag.lexical import BM25Index
from tests.support.retrieval import M, S, build_policy


@pytest.fixture(scope="module")
def index():
    policy = build_policy("x-ops", "某市城市运行管理办法", [
        S("一、", "保障措施", [
            M("（一）", "拓宽资金筹集渠道", "保障性住房建设资金可以通过财政预算安排、专项债券等渠道筹集。"),
            M("（二）", "规范共享申请", "数据使用部门提出共享申请的，数据提供部门应当在5个工作日内予以答复。"),
            M("（三）", "整治违法建设", "对侵占河道的违法建设依法拆除，恢复河道行洪能力。"),
            M("（四）", "便利群众办事", "推行政务服务好差评制度，方便群众对服务进行评价。"),
        ]),
    ], city="某市")
    return BM25Index.build(make_chunks(policy))


@pytest.mark.parametrize(("question", "measure"), [
    ("建房子的钱都有哪些路子", "x-ops/s1/m1"),
    ("别的部门找我们要东西，最晚几天得回话", "x-ops/s1/m2"),
    ("河边的违建怎么处理", "x-ops/s1/m3"),
    ("老百姓想给窗口打个分", "x-ops/s1/m4"),
])
def test_everyday_words_find_the_clause_in_standard_terms(index, question, measure):
    assert index.search(question, 3)[0].measure_id == measure


def test_without_the_thesaurus_the_everyday_word_finds_nothing(index):
    assert index.search("违建", 3, expand=False) == []
    assert index.search("违建", 3)[0].measure_id == "x-ops/s1/m3"


@pytest.mark.parametrize(("word", "text"), [
    ("路子", "可以通过财政预算安排等渠道筹集"),
    ("回话", "应当在5个工作日内予以答复"),
    ("老百姓", "方便群众办事"),
    ("老婆", "本人及其配偶、未成年子女"),
    ("办完", "自受理之日起10个工作日内办结"),
    ("连着交", "存在补缴情形的，不视为连续缴纳社会保险费"),
])
def test_the_evidence_checks_read_the_standard_term_as_the_everyday_word(word, text):
    assert coverage([word], text, genre=packaged_genre()) == 1.0
