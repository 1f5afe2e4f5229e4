"""BM25 over jieba tokens finds the measure a paraphrased question is about."""

from __future__ import annotations

import pytest

from rag.chunks import make_chunks
from rag.lexical import BM25Index


@pytest.fixture(scope="module")
def sample_bm25(retrieval_chunks):
    return BM25Index.build(retrieval_chunks)


@pytest.fixture(scope="module")
def real_bm25(retrieval_real_policies):
    chunks = [c for p in retrieval_real_policies for c in make_chunks(p)]
    return BM25Index.build(chunks), {c.id: c for c in chunks}


def top_measure(index: BM25Index, question: str) -> str:
    hits = index.search(question, 3)
    assert hits, question
    return hits[0].measure_id


@pytest.mark.parametrize(("question", "measure"), [
    ("租算力搞大模型有补助吗", "sh-open/s2/m1"),
    ("谁负责防范开源供应链风险", "sh-open/s2/m2"),
    ("这个方案的有效期到什么时候", "sh-open/s3/m1"),
    ("開源人才培養由誰牽頭", "nj-open/s1/m2"),
    ("到2027年要培育多少家开源商业化企业", "sh-open/s1/m1"),
])
def test_paraphrased_questions_find_their_measure(sample_bm25, question, measure):
    assert top_measure(sample_bm25, question) == measure


def test_thesaurus_expansion_bridges_wording(sample_bm25):
    question = "智算补助"  # the text says 算力 and 补贴
    assert sample_bm25.search(question, 3, expand=False) == []
    assert sample_bm25.search(question, 3)[0].measure_id == "sh-open/s2/m1"


def test_hits_are_ranked_and_positive(sample_bm25):
    hits = sample_bm25.search("开源平台安全防护", 5)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert all(h.signal == "bm25" and h.score > 0 for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_unknown_words_give_no_hits(sample_bm25):
    assert sample_bm25.search("量子引力弦论", 5) == []


def test_mask_restricts_candidates(sample_bm25, retrieval_chunks):
    import numpy as np

    mask = np.array([c.city == "南京" for c in retrieval_chunks])
    hits = sample_bm25.search("开源", 10, mask=mask)
    assert hits and all(h.chunk_id.startswith("nj-open") for h in hits)


def test_save_and_load_give_the_same_ranking(sample_bm25, tmp_path):
    sample_bm25.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25")
    question = "开源人才课程实训"
    assert [(h.chunk_id, round(h.score, 5)) for h in loaded.search(question, 5)] == [
        (h.chunk_id, round(h.score, 5)) for h in sample_bm25.search(question, 5)]
    assert loaded.signature == sample_bm25.signature


def test_empty_index_answers_nothing(tmp_path):
    index = BM25Index.build([])
    assert index.search("开源", 5) == []
    index.save(tmp_path / "empty")
    assert BM25Index.load(tmp_path / "empty").search("开源", 5) == []


@pytest.mark.parametrize(("question", "doc_no", "measure"), [
    ("上海对开源软件的安全漏洞和供应链有什么措施", "沪府办〔2025〕33号", "（十二）"),
    ("南京的开源软件公司想上市，政府怎么帮忙", None, "4."),
    ("重庆怎么发展开源社区", "渝经信软件〔2023〕20号", "（二）"),
    ("上海租用智算算力搞大模型能拿多少补助", "沪经信智〔2023〕608号", "3."),
    ("上海開源體系建設方案中，高校開源課程由哪些部門負責", "沪府办〔2025〕33号", "（七）"),
    ("算力调度平台由哪个部门牵头建设", "沪经信软〔2025〕160号", "2."),
])
def test_real_corpus_paraphrases(real_bm25, question, doc_no, measure):
    index, chunks = real_bm25
    best = chunks[index.search(question, 1)[0].chunk_id]
    assert best.doc_no == doc_no
    assert best.measure.startswith(measure)


def _chunk(cid: str, policy: str, title: str, text: str):
    from rag.model import Chunk

    return Chunk(id=cid, policy_id=policy, measure_id=cid, text=text, context=title, start=0, end=len(text),
                 title=title)


def test_a_place_the_search_is_limited_to_counts_less_than_the_subject():
    """A county's own document prints the county in every chunk's title; the clause that says the
    question's subject is in a document whose title names no place. With the place as a filter,
    the subject decides."""
    county = "中共柳河县委柳河县人民政府关于支持重点产业加快发展的实施意见"
    chunks = [_chunk(f"a{i}", "a", county, text) for i, text in enumerate([
        "设立重点产业发展引导资金，对企业给予补助。", "对医药企业新建种植基地给予奖励补助。",
        "对本土企业迁回结算的给予补贴。"])]
    chunks.append(_chunk("b0", "b", "关于推动旅游业转型升级跨越发展的意见",
                         "民宿建设。对一个行政村建设标准化民宿5家以上的每间奖励2000元。"))
    chunks.append(_chunk("b1", "b", "关于推动旅游业转型升级跨越发展的意见", "酒店建设。新建星级酒店按比例奖励返还。"))
    index = BM25Index.build(chunks)
    question = "柳河县开民宿有补贴吗？"
    assert index.search(question, 5)[0].measure_id.startswith("a")  # the title's place word wins alone
    assert index.search(question, 5, filtered=["柳河县"])[0].measure_id == "b0"


def test_everyday_housing_words_meet_the_administrative_ones():
    """买房 / 新房 / 二手房 / 户口 are how people ask; documents write 购房, 新建商品住房, 二手住房, 户籍."""
    chunks = [_chunk("h0", "h", "关于促进房地产市场平稳健康发展的通知",
                     "凡在我市新购买新建商品住房的购房人，给予总房款1%的购房补贴。"),
              _chunk("h1", "h", "关于促进房地产市场平稳健康发展的通知", "引导经纪机构降低居间服务费率。"),
              _chunk("h2", "h", "关于促进房地产市场平稳健康发展的通知", "购买二手住房的，可申请办理户籍迁移。")]
    index = BM25Index.build(chunks)
    assert index.search("买新房", 3, expand=False) == []
    assert index.search("买新房", 3)[0].measure_id == "h0"
    assert index.search("二手房能迁户口吗", 3)[0].measure_id == "h2"


def test_the_index_knows_the_words_its_documents_were_segmented_into():
    """The answer asks the index whether two characters a question's tagger split are one word of the
    documents (摇号 of 公证摇号)."""
    chunks = make_chunks_from_texts(["市区商品住房项目不再执行公证摇号公开销售。", "配租房型与家庭人数相对应。"])
    index = BM25Index.build(chunks)
    assert index.knows("摇号") and index.knows("公证")
    assert not index.knows("能再") and not index.knows("抽签")


def make_chunks_from_texts(texts: list[str]):
    from rag.model import Chunk

    return [Chunk(id=f"p:m{i}:1", policy_id="p", measure_id=f"p:m{i}", text=t, context="测试", start=0,
                  end=len(t), city="某市", title="测试") for i, t in enumerate(texts)]


def test_a_document_the_search_is_limited_to_is_a_filter_not_words_to_repeat():
    """"广东省公共数据管理办法里，教育方面的数据由哪些部门负责": searched in that document alone (a follow-up
    within the previous answer's document, or a scope), the title's words would rank first the clauses
    repeating 公共数据; the title and the place are what the limit applies, counted less like a place.
    A document the search is not limited to keeps its words."""
    from rag.answer import filtered_phrases
    from rag.linking import Link, Linked

    question = "广东省公共数据管理办法里，教育方面的数据由哪些部门负责？"
    linked = Linked(question, [Link("city", "广东", "广东", 0, 2), Link("policy", "gd", "广东省公共数据管理办法", 0, 11)])
    assert filtered_phrases(linked, None, {"gd"}) == ["广东省公共数据管理办法"]
    assert filtered_phrases(linked, ["广东"], None) == ["广东"]  # limited to the place: the place only
    assert filtered_phrases(linked, None, {"other"}) == []
    assert filtered_phrases(linked, None, None) == []  # no limit: every word counts
