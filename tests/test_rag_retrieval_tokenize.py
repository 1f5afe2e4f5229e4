"""Tokenisation: user dictionary, traditional and full-width input, stop words, thesaurus expansion."""

from __future__ import annotations

from genre import packaged as packaged_genre
from rag.tokenize import PolicyTokenizer, default_tokenizer, expand_query, load_thesaurus, normalize, tokenize


def test_user_dictionary_keeps_names_whole():
    name = "市经济信息化委"
    plain = PolicyTokenizer()
    assert name not in plain.tokenize(f"{name}负责推进")
    with_dict = PolicyTokenizer(words=[name])
    assert name in with_dict.tokenize(f"{name}负责推进")


def test_added_words_change_the_signature():
    tok = PolicyTokenizer()
    before = tok.signature
    tok.add_words(["浦东新区政府"])
    assert tok.signature != before
    assert PolicyTokenizer(words=["浦东新区政府"]).signature == tok.signature


def test_traditional_question_matches_simplified_text():
    assert tokenize("補貼由哪些部門負責？", genre=packaged_genre()) == tokenize("补贴由哪些部门负责？", genre=packaged_genre())
    assert "开源" in tokenize("開源軟體", genre=packaged_genre())


def test_full_width_and_case_are_folded():
    assert normalize("ＡＩ　２０２５年ＬＬＭ") == "ai 2025年llm"
    tokens = tokenize("ＡＩ大模型（２０２５年）", genre=packaged_genre())
    assert "ai" in tokens and "2025" in tokens


def test_punctuation_and_stop_words_are_dropped():
    tokens = tokenize("请问，在上海的企业有什么补贴吗？", genre=packaged_genre())
    assert tokens
    assert not {"请问", "在", "的", "什么", "吗", "，", "？"} & set(tokens)
    assert {"上海", "企业", "补贴"} <= set(tokens)


def test_search_mode_yields_sub_words():
    tokens = tokenize("防范开源供应链风险", genre=packaged_genre())
    assert "供应链" in tokens and "供应" in tokens


def test_expand_query_adds_synonyms_once():
    expanded = expand_query(["补助"], genre=packaged_genre())
    assert expanded[0] == "补助"
    assert {"补贴", "奖励", "扶持", "资助"} <= set(expanded)
    assert len(expanded) == len(set(expanded))
    assert expand_query(["独一无二的词"], genre=packaged_genre()) == ["独一无二的词"]


def test_expansion_follows_the_thesaurus_file():
    thesaurus = load_thesaurus()
    group = next(g for g in thesaurus.groups if "算力" in g)
    assert set(expand_query(["算力"], genre=packaged_genre())) == set(group)


def test_thesaurus_terms_are_single_tokens():
    tok = default_tokenizer(genre=packaged_genre())
    for term in ("计算资源", "预训练模型", "开放源代码"):
        assert term in tok.tokenize(f"提供{term}服务")


def test_a_common_adjective_says_little_a_noun_or_verb_may_be_the_subject():
    from rag.tokenize import says_little

    tags = ["a", "ad", "d", "b", "z"]
    assert says_little("老大", tags, 300)  # 行业老大企业: an adjective used thousands of times
    assert not says_little("宠物", tags, 300)  # a noun: what 能养宠物吗 asks about
    assert not says_little("接种", tags, 300)  # a verb: what 疫苗接种有补助吗 asks about
    assert not says_little("老大", tags, 10**9)  # not used that often
    assert not says_little("地盖厂", tags, 300)  # a string the dictionary does not know


def test_everyday_words_of_kinship_age_and_nationality_have_their_policy_wordings():
    thesaurus = load_thesaurus(genre=packaged_genre())
    assert "父母" in thesaurus.synonyms("爸妈")
    assert "年龄" in thesaurus.synonyms("岁数")
    assert "外籍" in thesaurus.synonyms("老外")


def test_abroad_in_everyday_words_is_the_documents_境外():
    """"在海外融到的钱" is what a regulation writes as 从境外募集的资金: 海外 meets 境外 in retrieval and in
    the evidence, as 国外 does."""
    from rag.compose import coverage

    genre = packaged_genre()
    assert "境外" in expand_query(["海外"], genre=genre)
    assert coverage(["海外"], "新片区内企业从境外募集的资金，可以自主用于经营投资活动。", genre=genre) == 1.0


def test_rent_and_leaving_the_army_in_everyday_words_have_their_policy_wordings():
    """"住公租房还要交房租吗" is answered by a clause writing 免交租金; "刚从部队退伍" by one on 退役军人."""
    thesaurus = load_thesaurus(genre=packaged_genre())
    assert "租金" in thesaurus.synonyms("房租")
    assert "退役" in thesaurus.synonyms("退伍")


def test_a_households_pay_in_everyday_words_is_the_documents_income():
    """"老公换了工作工资涨了不少，要不要主动去报" is answered by the clause on changes in 家庭收入: 工资 meets
    收入 in retrieval and in the evidence."""
    from rag.compose import coverage

    genre = packaged_genre()
    assert "收入" in expand_query(["工资"], genre=genre)
    assert coverage(["工资"], "保障对象的家庭收入、财产、住房发生变化的，应当在1个月内申报。", genre=genre) == 1.0


def test_supply_is_one_word_whether_written_gong_ji_or_gong_ying():
    """要多供应哪种住宅 is answered by 加大立体生态住宅、低密住宅供给: 供给 and 供应 are one word of supply."""
    from rag.compose import coverage

    genre = packaged_genre()
    assert "供给" in expand_query(["供应"], genre=genre)
    assert coverage(["供应"], "加大立体生态住宅、低密住宅供给。", genre=genre) == 1.0


def test_a_latin_abbreviation_as_the_user_writes_it_meets_its_thesaurus_wording():
    """The thesaurus is lower-cased like the text it meets; a question's word keeps its case (AI, LLM),
    so a lookup folds it: 在AI监管思路上 is said by a clause writing 人工智能监管, and 人工智能 by one
    writing AI原生应用."""
    from rag.compose import coverage, relevance_scorer

    genre = packaged_genre()
    assert load_thesaurus(genre=genre).synonyms("AI") == load_thesaurus(genre=genre).synonyms("ai") == ["人工智能"]
    assert coverage(["AI", "监管"], "建立健全公开透明的人工智能监管体系。", genre=genre) == 1.0
    assert coverage(["人工智能"], "支持形成更多AI原生应用。", genre=genre) == 1.0
    score = relevance_scorer(["AI", "监管"], genre=genre)
    assert score("建立人工智能监管体系。") > score("建立财政引导的资金支持机制。")


def test_teachers_in_everyday_words_are_the_documents_教师_and_师资():
    """"对老师有啥要求" is answered by a clause writing 拥有专职或兼职教师20人以上 under 师资力量."""
    thesaurus = load_thesaurus(genre=packaged_genre())
    assert "教师" in thesaurus.synonyms("老师")
    assert "师资" in thesaurus.synonyms("老师")
