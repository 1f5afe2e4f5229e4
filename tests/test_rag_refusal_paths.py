"""Refusal decisions of the answer paths: a specialised path that finds no fact does not refuse when
the clause says the answer in its own words; a profile followed by one specific question is answered
as that question; an open comparison sets each side's own clauses side by side; a question naming a
kind of benefit no document treats is refused rather than answered with another kind; "can I still
apply" gets its clause's own term, else its document's. Texts are synthetic, written in the genre's wording."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.answer import compared_parts, unsaid_benefit_kinds, unsaid_benefits, untreated_benefits
from rag.compose import Composed, Context, View, compose_comparison
from rag.intents import Intent
from rag.linking import Linked
from rag.model import Hit
from rag.profile import asks_no_offers, profile_asked, read_profile, specific_questions
from rag.tokenize import PolicyTokenizer

G = packaged_genre()


def _context(question: str, text: str, intent: str, focus: list[str], **extra) -> Context:
    view = View(measure_id="p.m1", policy_id="p", text=text, start=0, title="社会资本投资的停车设施",
                number="第十条", policy="某市公共停车设施管理办法", city="某市")
    hit = Hit(chunk_id="p.m1", measure_id="p.m1", score=1.0, signal="fused", rank=1, ranks={"bm25": 1, "dense": 1})
    return Context(question=question, linked=Linked(question), intent=Intent(intent), focus=focus,
                   views={"p.m1": view}, fused=[hit], graph=None, policies=[], responsibility_labels=["责任单位"],
                   term_weight=lambda _t: 1.0, absent=lambda _t: False, nouns=set(focus), genre=G, **extra)


def test_a_profile_followed_by_a_specific_question_is_that_question_within_its_place():
    q = "我们是某市一家软件企业，租用了智能算力，申领算力券有什么条件？"
    assert specific_questions(q, genre=G) == ["申领算力券有什么条件"]
    assert specific_questions("我们是某市一家潮玩厂，想给玩具加上聊天功能，这种玩具算不算支持的终端产品？",
                              genre=G) == ["这种玩具算不算支持的终端产品"]
    profile = read_profile("我们是合肥一家软件企业，租用了智能算力，申领算力券有什么条件？", genre=G)
    assert profile is not None
    assert profile_asked("我们是合肥一家软件企业，租用了智能算力，申领算力券有什么条件？", profile) == "合肥，租用了智能算力，申领算力券有什么条件？"
    for offers in ("我们是柳河县一家规上工业企业，能享受哪些支持？", "我们是安徽的一家制造企业，省里给多少奖补？",
                   "我们是一家总部企业，想在合肥新买办公用房，有支持吗？"):
        assert specific_questions(offers, genre=G) == []
    assert specific_questions("我们是合肥一家房地产开发企业，土地出让价款能不能分期缴纳？", genre=G) == ["土地出让价款能不能分期缴纳"]


def test_a_profile_asking_no_offers_is_answered_on_what_it_asks():
    """A company describing itself and asking something else (有没有啥红线, 要配多大能力才算达标) wants that
    answer, not the list of offers of its place; one asking for offers, or asking nothing, gets them."""
    for other in ("我们公司在某省，想用政府放出来的公共数据做点开发，有没有啥红线是绝对不能碰的？",
                  "我们是某省一个县城的住建部门，夏天一下暴雨就淹，想问问城区里抽水设备到底要配多大能力才算达标？"):
        assert asks_no_offers(other, genre=G), other
    for offers in ("我们是柳河县一家规上工业企业，能享受哪些支持？", "我们是安徽的一家制造企业，省里给多少奖补？",
                   "我们是北京一家软件企业，租用了智能算力，有什么支持？申领有什么条件？",
                   "我们是柳河县一家规上工业企业，去年研发投入500万元。",
                   "我们是某县的一家会展公司，引进了一个全国性展会，能按营业额的多少比例奖励？",
                   "我们厂在某县，今年刚评上国高新，县里能给多少奖金"):
        assert not asks_no_offers(offers, genre=G), offers


def test_the_cited_documents_titles_say_what_they_are_about():
    """有没有X asked of a document the question names by its title words (市里那个AI终端行动计划有没有推
    产品的办法): the cited document's title says 行动计划 though no quoted sentence does."""
    from rag.answer import said_by, unsaid_existence
    from rag.model import Citation

    cited = [Citation(doc_no=None, title="某市关于推动智能终端产业发展的行动计划", city="某市", section="",
                      measure="（七）加强产品推广", quote="制定创新产品目录和爆款产品清单，加强产品推广。")]
    question, focus = "市里那个终端行动计划有没有帮企业推产品的办法？", ["终端", "行动计划", "企业", "产品", "办法"]
    corpus = lambda _t: False  # noqa: E731
    weight = lambda _t: 6.0  # noqa: E731  (words few clauses say)
    assert "行动计划" in unsaid_existence(question, focus, cited[0].quote, corpus, weight, genre=G)
    assert "行动计划" not in unsaid_existence(question, focus, said_by(cited), corpus, weight, genre=G)


def test_an_open_comparison_names_its_sides_and_is_answered_side_by_side():
    assert compared_parts("甲市和乙县对房地产开发企业的支持有什么不同？") == (["甲市", "乙县"], "房地产开发企业的支持有什么不同？")
    assert compared_parts("甲市和乙省支持芯片企业的做法有什么不同？")[0] == ["甲市", "乙省"]
    side = Composed(answer="分别来看", citations=[], evidence=[])
    ctx = _context("甲市和乙市支持芯片企业的做法有什么不同？", "支持芯片企业。", "comparison", ["芯片", "企业"],
                   fallback=lambda: side)
    assert compose_comparison(ctx, genre=G) is side


def test_a_benefit_no_document_treats_is_untreated_and_half_of_it_said_is_not():
    corpus = "引进人才入户，给予安家补贴。租房补贴按月发放。"
    absent = lambda t: t not in corpus  # noqa: E731
    assert untreated_benefits(["引进人才", "入户", "安家费"], "引进人才入户应由用人单位申报。", absent, genre=G) == ["安家费"]
    assert untreated_benefits(["安家费"], "给予安家补贴。", absent, genre=G) == []  # 安家 is said
    assert untreated_benefits(["租房补贴"], "租赁住房。", absent, genre=G) == []  # the corpus uses the word


def test_a_benefit_word_of_the_askers_situation_is_not_the_benefit_asked():
    """中介费 in "…中介费太贵了，这次合肥的新政在这块有没有说法" is what the asker pays, said before the
    asking clause: the question asks what the document says on the matter, which it writes in its own
    words (居间服务费率). A benefit the asking clause names (给多少安家费) is still refused unsaid."""
    absent = lambda t: t in {"中介费", "安家费"}  # noqa: E731
    weight = lambda t: 6.0  # noqa: E731
    quoted = "引导经纪机构降低居间服务费率。"
    situation = "我在合肥想把老房子卖了换套新的，中介费太贵了，这次合肥的房地产新政在这块有没有说法？"
    assert unsaid_benefits(situation, ["合肥", "老房子", "中介费", "房地产", "新政", "说法"], quoted, absent, weight,
                           genre=G) == []
    asked = "南宁引进的博士来南宁工作给多少安家费？"
    assert unsaid_benefits(asked, ["南宁", "博士", "安家费"], "引进人才入户应由用人单位申报。", absent, weight,
                           genre=G) == ["安家费"]


def test_a_benefit_of_a_kind_the_quotes_never_say_is_unsaid_whatever_else_they_offer():
    rare = lambda t: 1.0 if t in ("一次性", "直接") else 6.0  # noqa: E731
    offer = "新市民新购买新建商品住房的，给予总房价2%的购房补贴。"
    q = "刚到这里工作，租房每个月能领多少租房补贴？"
    assert unsaid_benefit_kinds(q, ["租房", "补贴"], offer, rare, genre=G) == ["租房补贴"]
    assert unsaid_benefit_kinds(q, ["租房", "补贴"], "对租房的新市民按月发放补贴。", rare, genre=G) == []
    # the whole word ending in a head: 养老金 is not said by a clause about a housing loan
    assert unsaid_benefit_kinds("老人的养老金能拿多少", ["老人", "养老金"], "住房公积金贷款期限最长30年。",
                                rare, genre=G) == ["养老金"]
    assert unsaid_benefit_kinds("老人的养老金能拿多少", ["养老金"], "提高基本养老金。", rare, genre=G) == []
    # a word naming how it is paid, not what for, and a one-character head after a word, name no kind
    assert unsaid_benefit_kinds("一次性补贴多少", ["一次性"], offer, rare, genre=G) == []
    assert unsaid_benefit_kinds("那这个钱是怎么给的，直接发现金吗", ["直接", "发现"], offer, rare, genre=G) == []
    # a modifier by its part of speech (额外, however rare) qualifies the benefit, naming no kind of it
    group = "企业职工在同一楼盘团购新建商品住宅达到5套及以上的，按照1万元/套标准给予团购补贴。"
    assert unsaid_benefit_kinds("员工一起团购的话有额外补贴吗", ["员工", "团购", "额外"], group, rare, genre=G) == []


def test_a_thesaurus_term_stays_one_token_where_the_dictionary_would_cut_across_it():
    tokens = PolicyTokenizer().tokenize("没办营业执照的网店老板能贷款吗")
    assert "网店" in tokens and "老板" in tokens


def test_a_longer_known_word_is_not_cut_by_a_thesaurus_term_inside_it():
    from rag.tokenize import containing

    assert containing(["算力", "网店"], ["算力券", "算力", "上海"]) == ["算力券"]
    tokens = PolicyTokenizer(["算力券"]).tokenize("上海的算力券归哪个部门管")
    assert "算力券" in tokens


def test_a_one_character_verb_and_its_one_character_object_are_one_content_word():
    from rag.compose import analyse_focus

    assert "养狗" in analyse_focus(Linked("公租房里能养狗吗？"), "general", genre=G)[0]
    assert "住公" not in analyse_focus(Linked("低保户住公租房还用交房租吗？"), "general", genre=G)[0]


def test_can_i_still_apply_gets_the_term_its_clause_states_in_another_piece():
    import datetime as dt

    from rag.compose import Citer, clause_term_lines
    from rag.model import Citation

    first = View(measure_id="p.m2", policy_id="p", text="对符合条件的家政服务企业免征增值税。", start=0,
                 title="家政服务企业免征增值税", number="2.", policy="某市产业政策导引", city="某市")
    term = View(measure_id="p.m2", policy_id="p", text="| 时间/频度 | 从2019年6 月1日起至2025年12月 31日。", start=40,
                title="家政服务企业免征增值税", number="2.", policy="某市产业政策导引", city="某市")
    ctx = _context("家政公司现在还免增值税吗？", "无关条款。", "support", ["家政", "增值税"],
                   pieces=lambda mid: [first, term] if mid == "p.m2" else [])
    ctx.views["p.m2"] = first
    cited = Composed(answer="免征增值税 [1]", citations=[Citation(doc_no=None, title="某市产业政策导引", city="某市",
                     section="", measure="2.", quote=first.text, policy_id="p", measure_id="p.m2", start=0, end=18)])
    citer = Citer(list(cited.citations))
    lines = clause_term_lines(ctx, citer, cited, today=dt.date(2026, 12, 2), genre=G)
    assert any("至2025年12月 31日" in ln for ln in lines)
    assert any("2025年12月31日" in ln and "已经过去" in ln for ln in lines)
    assert citer.citations[-1].quote.startswith("| 时间/频度")


def test_can_i_still_apply_falls_back_to_the_documents_own_validity_and_to_nothing_without_one():
    from rag.compose import Citer, document_term_lines
    from rag.model import Citation

    def lines_for(doc: str) -> tuple[list[str], list[str]]:
        clause = View(measure_id="p.m1", policy_id="p", text="对初次认定为国家高新技术企业的，给予企业20万元奖励。",
                      start=doc.index("对初次"), number="第1条", policy="某县关于支持产业发展的实施意见", city="某县")
        whole = View(measure_id="", policy_id="p", text=doc, start=0, title="文件头", policy=clause.policy, city="某县")
        ctx = _context("那20万的奖励现在还能申请吗？", clause.text, "support", ["奖励"],
                       locate=lambda pid, a, b: whole if pid == "p" else None)
        ctx.views["p.m1"] = clause
        ctx.policies.append({"id": "p", "title": clause.policy, "issued": "2023-02-08", "city": "某县"})
        cited = Composed(answer="20万元 [1]", citations=[Citation(
            doc_no=None, title=clause.policy, city="某县", section="", measure="第1条", quote=clause.text, policy_id="p",
            measure_id="p.m1", start=clause.start, end=clause.start + len(clause.text))])
        citer = Citer(list(cited.citations))
        return document_term_lines(ctx, citer, cited, genre=G), [c.quote for c in citer.citations]

    head = "某县关于支持产业发展的实施意见\n第1条 对初次认定为国家高新技术企业的，给予企业20万元奖励。\n"
    lines, quotes = lines_for(head + "第2条 本政策自发布之日起施行，暂定三年有效期。")
    assert any("暂定三年有效期" in ln for ln in lines) and quotes[-1].endswith("暂定三年有效期。")
    assert lines_for(head + "第2条 本政策由县商务局负责解释。") == ([], [quotes[0]])


def test_can_i_still_apply_reads_the_validity_of_the_document_the_question_names_among_those_cited():
    """"旅游业奖励政策后年再去申请还赶趟吗": a clause of an industry document that mentions tourism is quoted
    first, but the question names the tourism document, whose own term answers."""
    from rag.compose import Citer, document_term_lines
    from rag.model import Citation

    industry = "某县关于支持重点产业加快发展的实施意见\n第1条 设立旅游产业发展引导资金。\n第9条 本政策自发布之日起施行，暂定三年有效期。"
    tourism = "某县关于推动旅游业转型升级的意见\n1.对新评为4A级景区的，奖励50万元。\n本意见自2019年1月1日起执行，暂定三年。"
    docs = {"a": industry, "b": tourism}
    titles = {"a": "某县关于支持重点产业加快发展的实施意见", "b": "某县关于推动旅游业转型升级的意见"}
    ctx = _context("某县旅游业奖励政策，后年再去申请还赶趟吗", "无关条款。", "support", ["旅游业"],
                   locate=lambda pid, a, b: View(measure_id="", policy_id=pid, text=docs[pid], start=0,
                                                 policy=titles[pid], city="某县") if pid in docs else None)
    quoted = {"a": industry.split("\n")[1], "b": tourism.split("\n")[1]}
    for pid in ("a", "b"):
        ctx.views[f"{pid}.m1"] = View(measure_id=f"{pid}.m1", policy_id=pid, text=quoted[pid], start=docs[pid].index(quoted[pid]),
                                      number="1", policy=titles[pid], city="某县")
        ctx.policies.append({"id": pid, "title": titles[pid], "city": "某县"})
    cited = Composed(answer="…", citations=[Citation(
        doc_no=None, title=titles[pid], city="某县", section="", measure="1", quote=quoted[pid], policy_id=pid,
        measure_id=f"{pid}.m1", start=0, end=len(quoted[pid])) for pid in ("a", "b")])
    citer = Citer(list(cited.citations))
    lines = document_term_lines(ctx, citer, cited, genre=G)
    assert any("暂定三年" in ln for ln in lines) and citer.citations[-1].quote.endswith("暂定三年。"), lines


def test_a_sum_asked_is_stated_only_by_a_sentence_about_an_offer_or_the_question():
    from rag.answer import amount_stated_for

    stated = G.data("intents")["amount_stated"]
    about = [*G.data("answer")["support_markers"], "返乡", "创业"]
    other_figure = "稳定并扩大就业规模，城镇调查失业率控制在6%以内。实施农民工创业促进工程，支持农民工返乡创业。"
    assert not amount_stated_for([other_figure], about, stated)
    assert amount_stated_for(["对返乡创业的农民工，给予一次性创业补贴5000元。"], about, stated)
    assert amount_stated_for(["对返乡创业的农民工给予一次性补贴；每人5000元。"], about, stated)  # one sentence
    # a unit alone (a table column's head) is no sum; a sum in Chinese numerals is
    assert not amount_stated_for(["4.固定资产投资（万亿元）", "创业投资（千元）"], about, stated)
    assert amount_stated_for(["给予返乡创业的农民工五千元补贴。", "创业补贴一万元。"], about, stated)


def test_a_place_the_corpus_lacks_is_named_once_in_the_refusal_however_often_the_question_names_it():
    """我在青岛开了家厂…，青岛市对…有什么补贴: the refusal says 语料中没有青岛的政策文件, not 青岛、青岛."""
    from rag.compose import _compose
    from rag.linking import Link

    q = "我在青岛开了家加工厂，青岛市对出口企业有什么补贴？"
    ctx = _context(q, "对出口企业给予补贴。", "support", ["出口", "补贴"])
    ctx.linked = Linked(q, links=[Link("unknown_city", "青岛", "青岛", 2, 4), Link("unknown_city", "青岛", "青岛市", 11, 14)])
    composed = _compose(ctx, genre=G)
    assert composed.abstained
    assert "语料中没有青岛的政策文件" in composed.answer and "青岛、青岛" not in composed.answer
