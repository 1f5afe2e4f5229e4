"""Answer quality mechanisms over the seed policies: paraphrased questions are answered, question-frame
words never force an abstention, stated numbers come from the quotes, front-matter metadata is cited,
structure and preamble questions quote the document's own outline and opening."""

from __future__ import annotations

import re

import pytest

from genre import packaged as packaged_genre


def assert_quotes_verbatim(answer, policy_text) -> None:
    for c in answer.citations:
        if c.section != "文件信息":
            assert policy_text[c.policy_id][c.start : c.end] == c.quote, c


def body_without_references(answer) -> str:
    """The answer with titles, 文号 and citation markers removed: what it states itself."""
    text = re.sub(r"《[^》]*》", "", answer.answer)
    text = re.sub(r"\[\d+\]", "", text)
    for c in answer.citations:
        for ref in (c.doc_no, c.measure):
            if ref:
                text = text.replace(ref, "")
    return text


@pytest.mark.parametrize("question, measure_word, quote_word", [
    ("上海鼓励开源项目首发有什么办法？", "双首发", "首发"),
    ("上海的智算中心能耗指标能不能优先保障？", "", "能耗指标"),
    ("上海搞开源的企业要是有点轻微违法，会从轻处理吗？", "合规", "轻微违法"),
])
def test_paraphrased_questions_are_answered_with_the_clause(answerer, policy_text, question, measure_word,
                                                           quote_word):
    answer = answerer.ask(question)
    assert not answer.abstained, answer.answer
    assert any(quote_word in c.quote for c in answer.citations)
    assert any(measure_word in (c.measure or "") for c in answer.citations)
    assert_quotes_verbatim(answer, policy_text)


@pytest.mark.parametrize("question", [
    "上海对养老机构有啥扶持办法？",
    "在上海搞开源的，数据出境合规这块有啥举措？",
    "重庆对新能源汽车下乡有什么办法？",
])
def test_subjects_the_corpus_does_not_treat_still_abstain(answerer, question):
    answer = answerer.ask(question)
    assert answer.abstained, answer.answer


def test_department_question_skips_a_closing_clause_that_does_not_cover_it(answerer, answer_store, policy_text):
    answer = answerer.ask("上海高校开源课程建设归哪些部门管？")
    assert not answer.abstained, answer.answer
    assert answer.departments
    cited = [c for c in answer.citations if "责任单位" in c.quote]
    assert cited and all("高校" in c.measure for c in cited)
    for name in answer.departments:  # every department named is one the quoted block names
        aliases = {r["name"]: [r["name"], *(r["aliases"] or [])] for r in answer_store.run("lexicon")
                   if r["kind"] == "department"}
        assert any(a in cited[0].quote for a in aliases[name]), name
    assert_quotes_verbatim(answer, policy_text)


@pytest.mark.parametrize("question", [
    "上海垂直型智算云平台要做出多少个行业应用案例？",
    "南京要搭建几个公共服务平台？",
    "上海智算云要吸引多少家企业？",
])
def test_target_answers_state_only_years_their_quotes_write(answerer, question):
    answer = answerer.ask(question)
    assert answer.citations
    quoted = "".join(c.quote for c in answer.citations).replace(" ", "")
    for year in re.findall(r"20\d\d", body_without_references(answer)):
        assert year in quoted, (year, answer.answer)


def test_issuer_and_date_known_only_from_front_matter_are_cited_as_file_metadata(answerer):
    answer = answerer.ask("南京开源三年计划是哪家单位印发的？哪天发布的？")
    assert not answer.abstained and answer.intent == "metadata"
    meta = [c for c in answer.citations if c.section == "文件信息"]
    assert meta and meta[0].city == "南京"
    # every date and issuer stated is in the cited metadata line, written as the file writes it
    for date in re.findall(r"\d{4}-\d{2}-\d{2}", answer.answer):
        assert date in meta[0].quote
    assert "南京市工业和信息化局" in answer.answer and "南京市工业和信息化局" in meta[0].quote


def test_metadata_lines_are_read_as_written_with_the_sidecar_overriding(tmp_path):
    from rag.metadata import metadata_lines

    doc = tmp_path / "plan.md"
    doc.write_text("---\n发布机构: 某市工业和信息化局\n生成日期: 2024-05-06\n成文日期: 2024-05-01\n---\n\n# 某市行动计划\n\n正文。\n",
                   encoding="utf-8")
    (tmp_path / "plan.meta.yaml").write_text("issued: \"2024-05-02\"  # corrected\nissuers:\n  - 甲局\n  - 乙委\n",
                                             encoding="utf-8")
    lines = metadata_lines(str(doc), genre=packaged_genre())
    assert lines["published"].line == "生成日期: 2024-05-06"
    assert lines["issued"].line == "issued: 2024-05-02" and lines["issued"].value == "2024-05-02"
    assert lines["issuers"].line == "issuers: 甲局、乙委"
    assert metadata_lines(str(tmp_path / "missing.md"), genre=packaged_genre()) == {}


@pytest.mark.parametrize("question, first_city, latest", [
    ("这几个城市的开源政策，哪个发得最早？", "重庆", False),
    ("上海的几个文件里哪个是最新发布的？", "上海", True),
])
def test_which_policy_came_first_is_a_table_sorted_by_cited_dates(answerer, question, first_city, latest):
    answer = answerer.ask(question)
    assert answer.intent == "metadata" and not answer.abstained
    dates = [row["date"] for row in answer.table]
    assert len(dates) >= 2 and dates == sorted(dates, reverse=latest)
    assert answer.table[0]["city"] == first_city
    for row in answer.table:
        cited = answer.citations[row["citation"] - 1]
        assert cited.section == "文件信息" and row["date"] in cited.quote


@pytest.mark.parametrize("question, cited_document", [
    ("上海大模型那个措施是根据什么条例制定的？", "《上海市促进人工智能产业发展条例》"),
    ("重庆软件开源方案的出台依据是什么？", "《重庆市软件和信息服务业"),
])
def test_basis_questions_quote_the_preamble(answerer, policy_text, question, cited_document):
    answer = answerer.ask(question)
    assert not answer.abstained
    assert answer.citations and all(c.measure_id.endswith(".pre") or "pre" in c.measure_id for c in answer.citations)
    assert any(cited_document in c.quote for c in answer.citations)
    assert cited_document in answer.answer
    assert_quotes_verbatim(answer, policy_text)


def test_purpose_question_without_a_cited_document_still_quotes_the_preamble(answerer, policy_text):
    answer = answerer.ask("上海智算云那个实施意见为啥要出台？")
    assert not answer.abstained and answer.citations
    assert all(c.doc_no == "沪经信软〔2025〕160号" for c in answer.citations)
    assert any(c.quote.startswith("为") for c in answer.citations)
    assert_quotes_verbatim(answer, policy_text)


def outline_titles(policies, city: str, section_word: str) -> list[str]:
    """Subsection headings (or numbered measures) under the section whose title has section_word."""
    policy = next(p for p in policies if p.meta.city == city and any(section_word in s.title for s in p.sections))
    section = next(s for s in policy.sections if section_word in s.title)
    return [s.title for s in section.sections] or [m.title for m in section.measures]


@pytest.mark.parametrize("question, city, section_word", [
    ("南京那个开源计划的保障措施有哪几条？", "南京", "保障措施"),
    ("重庆开源方案的主要任务包括哪些方面？", "重庆", "主要任务"),
    ("上海智算云意见的主要任务分为哪几块？", "上海", "主要任务"),
])
def test_structure_questions_list_the_section_titles_cited(answerer, answer_policies, policy_text, question, city,
                                                         section_word):
    answer = answerer.ask(question)
    expected = outline_titles(answer_policies, city, section_word)
    assert len(expected) >= 2
    assert not answer.abstained
    listed = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert len(listed) == len(expected)
    for line, title in zip(listed, expected, strict=True):
        assert title in line and re.search(r"\[\d+\]$", line), line
    assert all(c.city == city for c in answer.citations)
    assert_quotes_verbatim(answer, policy_text)


def test_a_named_count_picks_the_section_with_that_many_parts(answerer, answer_policies):
    answer = answerer.ask("上海加强开源体系建设方案里的几大工程分别是哪几个？")
    listed = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert listed and all("工程" in line for line in listed)
    assert len(listed) == sum("工程" in s.title for p in answer_policies if p.meta.doc_no == "沪府办〔2025〕33号"
                              for s in p.sections)


@pytest.mark.parametrize("question", [
    "在上海建智算中心有部署奖励吗？有没有时间限制？",
    "上海租算力做模型训练能补多少？",
    "这几个城市的开源政策，哪个发得最早？",
    "南京开源计划里的几大工程分别是哪几个？",
])
def test_every_number_stated_is_in_a_cited_quote(answerer, question):
    answer = answerer.ask(question)
    assert not answer.abstained and answer.citations
    quoted = set()
    for c in answer.citations:
        quoted |= set(re.findall(r"\d+(?:\.\d+)?", c.quote.replace(" ", "")))
    body = re.sub(r"^\s*\d+\.\s", "", body_without_references(answer), flags=re.M)  # list markers are layout
    for line in body.splitlines():
        for number in re.findall(r"\d+(?:\.\d+)?", line.replace(" ", "")):
            assert number in quoted, (number, line)


def test_issuer_question_with_a_count_word_is_not_taken_for_a_structure_question(answerer):
    answer = answerer.ask("上海智算云实施意见是哪几家单位印发的？")
    assert answer.intent == "metadata"
    assert "发布机构" in answer.answer and "列出的各项" not in answer.answer


def coverage_context(fused, nouns=(), absent=lambda term: False):
    from rag.compose import Context

    return Context(question="", linked=None, intent=None, focus=["部署", "奖励", "调度", "期限"], views={},
                   fused=fused, graph=None, policies=[], responsibility_labels=[], nouns=set(nouns),
                   absent=absent, genre=packaged_genre())


def test_retrieval_agreement_lowers_the_coverage_a_paraphrase_needs():
    from rag.model import Hit

    sparse = "对完成部署的主体给予支持"  # one of four content words
    alone = coverage_context([Hit("c1", "m1", 1.0, "fused", 1, ranks={"bm25": 1, "graph": 9})])
    agreed = coverage_context([Hit("c1", "m1", 1.0, "fused", 1, ranks={"bm25": 1, "graph": 2})])
    assert agreed.agreed("m1") and not alone.agreed("m1") and not agreed.agreed("m2")
    assert agreed.covers(sparse, ["m1"]) and not alone.covers(sparse, ["m1"])
    assert not agreed.covers(sparse, ["m2"])  # the agreement is about other evidence
    assert not agreed.covers("主体得到一定帮助", ["m1"])  # nothing in common: agreement is not enough
    # words the corpus never uses that carry the question (half its content words), in no wording of
    # theirs either, are never excused by agreement; one minor word among four (a user's synonym) does
    # not refuse the evidence
    corpus = "对完成部署的主体给予奖励"
    unknown = coverage_context(agreed.fused, nouns={"期限", "调度"}, absent=lambda term: term not in corpus)
    assert not unknown.covers("对完成部署的主体给予奖励", ["m1"])
    minor = coverage_context(agreed.fused, nouns={"期限"}, absent=lambda term: term == "期限")
    assert minor.covers("对完成部署的主体给予奖励并统筹调度", ["m1"])


def test_agreed_evidence_saying_a_word_no_clause_uses_by_its_head_says_it():
    """打零工 is in no document; a clause two signals agree on that writes 零工驿站 says it by its head
    (the last two characters name what a compound is), as the refusal check reads heads: the share is
    taken with it said. A word the evidence does not head (打零活 by 零工) stays unsaid."""
    from rag.compose import Context
    from rag.model import Hit

    def context(focus):
        return Context(question="", linked=None, intent=None, focus=focus, views={},
                       fused=[Hit("c1", "m1", 1.0, "fused", 1, ranks={"bm25": 1, "dense": 2})], graph=None,
                       policies=[], responsibility_labels=[], absent=lambda term: term in ("打零工", "打零活"),
                       genre=packaged_genre())

    evidence = "加强零工驿站功能建设，强化困难群体就业兜底帮扶。"
    assert context(["打零工", "政府", "站点"]).covers(evidence, ["m1"])
    assert not context(["打零活", "政府", "站点"]).covers(evidence, ["m1"])


def test_bm25_and_dense_agreeing_on_a_clause_is_agreement_too():
    """Any two signals ranking a clause at their top count, not only BM25 and the graph: a
    paraphrase that BM25 and the dense signal both put first needs less word coverage."""
    from rag.model import Hit

    sparse = "对完成部署的主体给予支持"
    both = coverage_context([Hit("c1", "m1", 1.0, "fused", 1, ranks={"bm25": 1, "dense": 2})])
    one = coverage_context([Hit("c1", "m1", 1.0, "fused", 1, ranks={"bm25": 1, "dense": 9})])
    assert both.agreed("m1") and both.covers(sparse, ["m1"])
    assert not one.agreed("m1") and not one.covers(sparse, ["m1"])


def test_a_modal_glued_to_a_verb_is_not_a_subject_of_the_question():
    """jieba guesses 能租 (能 + 租) into one word that no document uses: it must not count as a word
    the corpus lacks (it made "一个家庭能租几套" refused although the clause answers it)."""
    from rag.compose import analyse_focus
    from rag.linking import Linked

    focus, nouns = analyse_focus(Linked(text="公共租赁住房一个家庭能租几套"), genre=packaged_genre())
    assert "能租" not in focus and "能租" not in nouns
    assert "家庭" in focus


@pytest.mark.parametrize("question, dropped, kept", [
    ("我今年32，还没结婚，能不能自己一个人去申请公租房", ["不能自己"], ["结婚"]),  # 不能 + 自己, an idiom to jieba
    ("阿坝州一个局找另一个局要数据，按规定最晚几天得回个话", ["按规定"], ["数据"]),  # 按 + 规定
    ("广州的公租房房子是怎么弄来的，有哪几种路子", ["怎么弄", "哪几种"], ["房子", "路子"]),  # question words
    ("以前在国外干的年头算不算数", ["算不算"], ["国外", "年头"]),  # A-not-A
    ("开个公司要几个工作日能办下来", ["下来"], ["公司"]),  # a bare directional complement
    # hearsay, people at large and asking around: how the question is put
    ("听说审完还得在网上挂出来让大家看几天", ["听说", "大家"], ["网上"]),
    ("市里要开放公共数据，这事该找哪个部门打听", ["打听"], ["公共数据"]),
    # a determiner pointing at the asker's case (对应的, 相应的) names nothing
    ("那个行动计划里有没有对应的支持方向", ["对应"], ["方向"]),
    # a question word with its classifier noun asks for a kind of what follows (哪种类型的住宅)
    ("两地文件分别点名要多供应哪种类型的住宅", ["类型"], ["住宅"]),
    # 有没有动作: whether anything was done, as 有什么招 asks for measures
    ("得房率低，这次调整房地产政策的通知在这方面有没有动作", ["动作"], ["房地产"]),
    # at least and in all frame the number asked (起码, read as a noun by the tagger; 一共, 总共)
    ("要申请的话，改造完节能率起码得达到多少", ["起码"], ["节能"]),
    ("这个规划一共定了几项约束性指标", ["一共"], ["约束性"]),
    ("柳河县的引导资金总共有多少", ["总共"], ["引导"]),
])
def test_the_grammar_of_a_spoken_question_is_not_its_subject(question, dropped, kept):
    """Words the segmenter makes of how a question asks — a question word (哪几种), A-not-A (算不算), a
    complement cut from its verb (下来), a set phrase glued from fillers and
    function words (不能自己, 按规定) — are in no document: taken for content words they weigh as the
    rarest of the corpus, and the question was refused although its clause answers it."""
    from rag.compose import analyse_focus
    from rag.linking import Linked

    focus, _ = analyse_focus(Linked(text=question), genre=packaged_genre())
    assert not set(dropped) & set(focus), focus
    assert set(kept) <= set(focus), focus


def test_only_a_guessed_or_set_phrase_made_of_function_pieces_is_glued_speech():
    """A word of the language is a word whatever its characters (照顾: 照 + 顾; the abbreviation 研发); a
    guessed word keeps a character that names something (税能: 税; 窗率: 窗, as in 一窗率)."""
    from rag.compose import GLUE_POS
    from rag.tokenize import glued_speech, pos_tagger

    tags = pos_tagger().word_tag_tab
    fillers = {"不能", "规定"}
    assert glued_speech("不能自己", "i", tags, fillers, GLUE_POS)
    assert glued_speech("交够", "v", tags, fillers, GLUE_POS)  # 交 + 够, a guess
    assert not glued_speech("照顾", "v", tags, fillers, GLUE_POS)
    assert not glued_speech("研发", "j", tags, fillers, GLUE_POS)  # an abbreviation: 研究开发
    assert not glued_speech("税能", "n", tags, fillers, GLUE_POS)
    assert not glued_speech("窗率", "n", tags, fillers, GLUE_POS)


def test_words_no_document_uses_do_not_lower_the_share_of_agreed_evidence():
    """A question in everyday words (在湖北开电车，小区附近老是找不到地方充电，省里打算新建多少充电桩) carries
    a word no document uses (电车): no clause can say it, so it lowers every clause's share alike. When
    two signals agree on the clause, the share is taken over the words some clause could say; without
    agreement, and when the missing word is the question's subject, it still refuses."""
    from rag.compose import Context
    from rag.model import Hit

    weights = {"电车": 8.7, "小区": 5.3, "不到": 6.5, "充电": 6.3}

    def context(ranks: dict[str, int], absent=lambda term: term == "电车") -> Context:
        return Context(question="", linked=None, intent=None, focus=list(weights), views={},
                       fused=[Hit("c1", "m1", 1.0, "fused", 1, ranks=ranks)], graph=None, policies=[],
                       responsibility_labels=[], nouns={"电车", "小区"}, absent=absent,
                       term_weight=weights.get, genre=packaged_genre())

    clause = "加快充电基础设施建设，新建充电桩30万个。"
    assert context({"bm25": 1, "dense": 1}).covers(clause, ["m1"])
    assert not context({"bm25": 1, "dense": 9}).covers(clause, ["m1"])  # one signal alone
    # the word no document uses is most of the question: its subject, refused whatever the signals say
    lacking = context({"bm25": 1, "dense": 1}, absent=lambda term: term in ("电车", "小区"))
    assert not lacking.covers(clause, ["m1"])


def test_a_word_is_said_by_the_words_a_dictionary_explains_it_with():
    """急事 of "我们单位碰上急事，要临时收一些目录里没有的信息，允许吗" is said by a clause writing 紧急需要
    (the dictionary: 急事 "急需办理的事"), 户口 by one writing 户籍: the evidence then covers the question.
    A gloss word keeping none of the term's characters in place (匿名 "不写姓名") says nothing of it."""
    from rag.compose import Context, glossed
    from rag.model import Hit
    from rag.tokenize import gloss_words

    assert "户籍" in gloss_words("户口") and "急需" in gloss_words("急事")
    assert gloss_words("匿名") == () and gloss_words("公共数据") == ()
    assert glossed(["户口", "迁入"], "符合条件的，可申请将户籍迁入本市。") == "\0户口"
    assert glossed(["匿名"], "填写真实姓名。") == ""

    weights = {"碰上": 9.0, "急事": 7.0, "临时": 4.0, "数据": 1.0, "目录": 3.0, "信息": 1.5, "允许": 4.0}
    ctx = Context(question="", linked=None, intent=None, focus=list(weights), views={},
                  fused=[Hit("c1", "m1", 1.0, "fused", 1, ranks={"bm25": 1, "dense": 6})], graph=None,
                  policies=[], responsibility_labels=[], nouns={"急事", "数据", "目录", "信息"},
                  absent=lambda term: term == "碰上", term_weight=weights.get, genre=packaged_genre())
    assert ctx.covers("政务部门因特殊业务或者紧急需要，可以临时采集政务数据目录范围外的数据。", ["m1"])
    assert not ctx.covers("政务部门因特殊业务需要，可以临时采集政务数据目录范围外的数据。", ["m1"])


def test_a_word_is_said_by_a_word_of_its_synonym_group():
    """掏钱 of "参加职业培训要不要自己掏钱" is said by a clause writing 出资 (同义词词林 puts 掏钱, 出钱, 出资
    in one group), 回话 by one writing 答复: the evidence then covers the question. A group of related
    words only (手艺 with 棋艺, 工艺) and words of one character (房子 with 房, 屋) say nothing of it."""
    from rag.compose import Context, glossed
    from rag.model import Hit
    from rag.tokenize import synonym_words

    assert {"出钱", "出资"} <= set(synonym_words("掏钱")) and "答复" in synonym_words("回话")
    assert synonym_words("手艺") == () and "房" not in synonym_words("房子")
    assert glossed(["掏钱", "培训"], "培训费用由财政出资。") == "\0掏钱"
    assert glossed(["掏钱"], "培训费用由个人承担。") == ""

    weights = {"部门": 1.0, "申请": 1.0, "几天": 2.0, "回话": 6.0}
    ctx = Context(question="", linked=None, intent=None, focus=list(weights), views={},
                  fused=[Hit("c1", "m1", 1.0, "fused", 1, ranks={"bm25": 1, "dense": 6})], graph=None,
                  policies=[], responsibility_labels=[], nouns={"部门"}, absent=lambda term: term == "回话",
                  term_weight=weights.get, genre=packaged_genre())
    assert ctx.covers("收到申请的部门应当在5个工作日内答复申请部门。", ["m1"])
    assert not ctx.covers("收到申请的部门应当在5个工作日内办理。", ["m1"])


def test_a_noun_with_the_suffix_zi_is_said_by_its_stem():
    """桩子 (how people say 桩) is said by a clause on 充电桩; not by one without the character."""
    from rag.compose import head_said

    genre = packaged_genre()
    assert head_said("桩子", "新建充电桩30万个。", genre=genre)
    assert not head_said("桩子", "新建公共停车位5万个。", genre=genre)


def test_a_place_word_of_one_character_and_li_is_circumstance_and_a_cap_is_asked_as_fengding():
    """厂里 (in the factory) says where the asker stands, like 省里; 封顶 is how people ask for the cap
    that offers write 最高不超过 or 上限."""
    from rag.compose import analyse_focus, coverage
    from rag.linking import Linked

    genre = packaged_genre()
    focus, nouns = analyse_focus(Linked(text="厂里想把老设备改成能联网的，大概能补多少，有没有封顶"), genre=genre)
    assert "厂里" not in focus and "厂里" not in nouns
    assert "设备" in focus and "封顶" in focus
    assert coverage(["封顶"], "按照设备购置额的10%给予奖补，最高不超过500万元。", genre=genre) == 1.0


def test_the_standard_short_form_of_technical_renovation_says_it():
    """技改 is the standard short form of 技术改造 (技改升级, 技改重点产业项目)."""
    from rag.compose import coverage

    genre = packaged_genre()
    assert coverage(["技术改造"], "县工信局负责技改重点产业项目相关工作。", genre=genre) == 1.0
    assert coverage(["技术改造"], "县商务局负责新建重点产业项目相关工作。", genre=genre) == 0.0


def test_a_households_means_are_said_as_its_economic_situation():
    """收入 and 存款 (a kind of 财产) are what 家庭经济状况 covers in social-assistance writing."""
    from rag.compose import coverage

    genre = packaged_genre()
    text = "民政部门负责审查核实公共租赁住房保障申请家庭的经济状况。"
    assert coverage(["收入", "存款"], text, genre=genre) == 1.0
    assert coverage(["存款"], "住房保障部门负责审查核实其住房困难状况。", genre=genre) == 0.0


def test_everyday_names_of_housing_licences_and_gig_jobs_are_said_in_the_policies_terms():
    """楼盘, 执照 and 送外卖 are how people say what the policies write as 房源, 职业资格 and 新就业形态:
    a clause in those terms covers them; one about something else does not."""
    from rag.compose import coverage

    genre = packaged_genre()
    assert coverage(["楼盘"], "对A类人才可直接提前预留人才意向购买住房房源。", genre=genre) == 1.0
    assert coverage(["执照"], "具有境外职业资格的专业人才，经备案后可在区内提供服务。", genre=genre) == 1.0
    assert coverage(["外卖"], "推动新就业形态劳动者参加社会保险。", genre=genre) == 1.0
    assert coverage(["执照"], "对新建商品住房给予契税补贴。", genre=genre) == 0.0


def test_a_noun_jieba_tags_as_an_adverb_stays_a_content_word():
    """jieba's dictionary tags 进度 (progress) as an adverb: dropped as a function word, the question
    "在哪里查审核进度" lost the one word that tells its clause from the document's others. Adverbs of the
    language (已经, 进一步) are still no subject."""
    from rag.compose import analyse_focus
    from rag.linking import Linked
    from rag.tokenize import function_word

    focus, _ = analyse_focus(Linked(text="申请人已经提交了，在哪里进一步查审核进度"), genre=packaged_genre())
    assert "进度" in focus and "审核" in focus
    assert "已经" not in focus and "进一步" not in focus
    assert function_word("已经", "d", ("d",)) and not function_word("进度", "d", ("d",))
    assert function_word("在", "p", ("p",)) and not function_word("进度", "n", ("d",))


def test_a_latin_letter_name_in_a_question_is_a_content_word():
    """jieba tags a Latin-letter word "eng", which starts with "e", the interjection tag: LNG, RCEP
    and App were dropped as function words, and "LNG的接收项目放在哪" lost the one word that names
    its subject. An interjection is still none."""
    from rag.compose import analyse_focus
    from rag.linking import Linked
    from rag.tokenize import function_word

    focus, nouns = analyse_focus(Linked(text="规划说LNG的接收项目放在哪几个地方，RCEP有什么机遇"), genre=packaged_genre())
    assert "LNG" in focus and "RCEP" in focus and "LNG" in nouns
    assert function_word("啊", "e", ("e",)) and not function_word("LNG", "eng", ("e",))


def test_a_voucher_asked_for_by_its_head_is_a_content_word():
    """"发什么券" asks for vouchers; one character says nothing unless it has policy wordings or names a
    kind of support, and 券 is one (support.yaml: its offers are 算力券, 模型券, 训力券…): the sentence
    that names them outranks one that only names the trade."""
    from rag.compose import analyse_focus, coverage
    from rag.linking import Linked

    focus, _ = analyse_focus(Linked(text="深圳给搞AI的公司发什么券"), genre=packaged_genre())
    assert "券" in focus
    assert coverage(["券"], "发放“训力券”“语料券”“模型券”，降低企业成本。", genre=packaged_genre()) == 1.0


def test_a_measure_close_in_meaning_excuses_words_no_document_uses():
    from rag.model import Hit

    fused = [Hit("c1", "m1", 1.0, "fused", 1, ranks={"bm25": 1})]
    corpus = "对完成部署的主体给予奖励"  # no wording of 期限 or 调度 either
    far = coverage_context(fused, nouns={"期限", "调度"}, absent=lambda term: term not in corpus)
    assert not far.covers("对完成部署的主体给予奖励", ["m1"])
    far.dense_score = lambda mid: 0.5
    assert not far.covers("对完成部署的主体给予奖励", ["m1"])
    far.dense_score = lambda mid: 0.99 if mid == "m1" else 0.0  # the dense signal finds the clause close
    assert far.covers("对完成部署的主体给予奖励", ["m1"]) and not far.covers("对完成部署的主体给予奖励", ["m2"])


def test_who_leads_a_closing_clause_of_a_named_policy_gives_the_actor_cited(answerer, policy_text):
    answer = answerer.ask("上海开源体系建设的部门协同由谁牵头？")
    assert answer.intent == "departments" and not answer.abstained
    assert answer.departments == ["上海市经济和信息化委员会"]
    assert any("市经济信息化委会同" in c.quote for c in answer.citations)
    assert_quotes_verbatim(answer, policy_text)


@pytest.mark.parametrize("question", ["上海开源方案是哪个部门的文件？", "重庆那个开源方案是哪家单位的政策？"])
def test_whose_document_is_it_asks_for_the_issuer(answerer, question):
    answer = answerer.ask(question)
    assert answer.intent == "metadata"
    assert "发布机构" in answer.answer


def test_duties_include_clauses_whose_text_names_the_department_as_actor(answerer, policy_text):
    answer = answerer.ask("市经济信息化委在开源体系建设方案里负责哪些工作？")
    assert answer.intent == "duties" and not answer.abstained
    assert "实施主体" in answer.answer
    actor = [c for c in answer.citations if "会同" in c.quote]
    assert actor and "市经济信息化委会同" in actor[0].quote and "责任单位" not in actor[0].quote
    assert_quotes_verbatim(answer, policy_text)


def test_duties_of_a_department_named_only_in_blocks_list_no_prose(answerer):
    answer = answerer.ask("市教委负责哪些事？")
    assert answer.intent == "duties" and not answer.abstained
    assert "实施主体" not in answer.answer


def test_structure_answer_cites_numbered_measure_headings(answerer, policy_text):
    answer = answerer.ask("上海智算云方案里培育骨干企业包括哪些措施？")
    listed = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    assert len(listed) >= 2 and all(re.search(r"\[\d+\]$", line) for line in listed)
    assert_quotes_verbatim(answer, policy_text)


def test_a_dated_clause_is_stated_once(answerer):
    answer = answerer.ask("上海开源方案哪天开始施行？")
    dated = [line for line in answer.answer.splitlines() if line.startswith("- ") and "施行" in line]
    assert len(dated) == len(set(dated)) >= 1


def test_a_basis_word_about_a_measure_is_not_a_question_about_the_document(answerer):
    answer = answerer.ask("上海的优秀开源项目根据什么来遴选？")
    assert "出台依据" not in answer.answer
    assert not any(c.measure_id.endswith(".pre") for c in answer.citations)


def test_one_colloquial_word_absent_from_the_corpus_does_not_refuse_the_question(answerer):
    """A user's own word among several (唠嗑 is in no document) leaves the question answerable."""
    answer = answerer.ask("上海对开源社区建设唠嗑有什么支持？")
    assert not answer.abstained and answer.citations


def test_the_general_answers_evidence_is_measured_over_the_words_a_clause_could_say():
    """A question in everyday words (开电车的…充电) carries a word no document uses (电车) that is not its
    subject: it lowers every clause's share alike. The general answer, the last before a refusal, takes
    the share over the words some clause could say, as agreed evidence does (`sayable`); a specialised
    answer still counts every word, and a missing word that is the question's subject still refuses."""
    from rag.compose import Context
    from rag.model import Hit

    def context(car: float) -> Context:
        weights = {"电车": car, "充电": 6.3, "新建": 2.0, "数量": 2.0}
        return Context(question="", linked=None, intent=None, focus=list(weights), views={},
                       fused=[Hit("c1", "m1", 1.0, "fused", 1, ranks={"bm25": 1, "dense": 9})], graph=None,
                       policies=[], responsibility_labels=[], nouns={"电车"}, absent=lambda term: term == "电车",
                       term_weight=weights.get, genre=packaged_genre())

    clause = "加快充电基础设施建设，提升充电服务能力。"
    minor = context(6.0)  # a third of the question's weight
    assert not minor.covers(clause, ["m1"])  # 6.3 of 16.3
    assert minor.covers(clause, ["m1"], sayable=True)  # 6.3 of 10.3
    # the missing word is the question's subject (half its weight): refused all the same
    assert not context(9.0).covers(clause, ["m1"], sayable=True)


def test_the_whole_of_a_place_written_after_it_is_part_of_its_name():
    """广西全区 is Guangxi as a whole: 全区 says where, like the place it follows, and is no word a target
    row must say (a row 占全区的比重 matched by it is about something else). Written alone (全市新增2400户)
    it stays the question's word."""
    from rag.compose import analyse_focus
    from rag.linking import Link, Linked

    question = "十三五期间，广西全区和南宁市各自定的重点实验室数量目标是多少？"
    linked = Linked(question, [Link("city", "广西", "广西", 6, 8), Link("city", "南宁", "南宁市", 11, 14)])
    focus, _ = analyse_focus(linked, "comparison", genre=packaged_genre())
    assert "全区" not in focus and "实验室" in "".join(focus)
    focus, _ = analyse_focus(Linked(text="全市新增2400户是哪个文件说的"), genre=packaged_genre())
    assert "全市" in focus
