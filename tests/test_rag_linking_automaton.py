"""The linker's automaton and inverted title index: longest names first, no short name inside a longer
word, and exactly the links a scan over every name and title gives, on the gold questions."""

from __future__ import annotations

import math
import pickle
from pathlib import Path

import pytest
import yaml

from genre import packaged as packaged_genre
from rag.linking import Linker, NameIndex, TitleMatcher, bigrams, build_lexicon

GOLD = Path(__file__).resolve().parents[1] / "eval" / "gold" / "questions.yaml"


def _lexicon(departments=(), measures=(), policies=()):
    return build_lexicon(departments=list(departments), measures=list(measures), policies=list(policies), genre=packaged_genre())


def _dept(i: int, name: str, *aliases: str, city: str = "上海") -> dict:
    return {"id": f"d{i}", "name": name, "aliases": list(aliases), "city": city}


def _measure(i: int, title: str, policy: str = "p1", city: str = "上海") -> dict:
    return {"id": f"m{i}", "title": title, "policy_id": policy, "city": city}


def test_name_index_reports_longest_forms_first():
    names = NameIndex([("企业", "a"), ("中小企业", "b"), ("小企", "c")])
    assert names.occurrences("中小企业和企业") == [(0, 4, "中小企业"), (1, 3, "小企"), (2, 4, "企业"), (5, 7, "企业")]
    taken: list[tuple[int, int]] = []
    assert [(f, keys, span) for f, keys, span in names.free_spans("中小企业和企业", taken)] == [
        ("中小企业", ["b"], (0, 4)), ("企业", ["a"], (5, 7))]


def test_longest_department_name_wins_over_the_name_it_contains():
    lex = _lexicon([_dept(1, "发展改革委"), _dept(2, "市发展改革委"), _dept(3, "市经济信息化委")])
    links = Linker(lex, genre=packaged_genre()).link("市发展改革委负责哪些工作？").of("department")
    assert [(lk.value, lk.mention) for lk in links] == [("市发展改革委", "市发展改革委")]


def test_short_name_inside_a_longer_word_is_not_linked():
    lex = _lexicon([_dept(1, "团委")])
    linker = Linker(lex, genre=packaged_genre())
    assert linker.link("集团委托谁办理？").of("department") == []
    assert [lk.value for lk in linker.link("团委负责什么？").of("department")] == ["团委"]


def test_short_measure_title_inside_longer_words_does_not_hijack_the_question():
    lex = _lexicon(measures=[_measure(1, "智能制造", policy="other"), _measure(2, "建设开源社区")])
    linker = Linker(lex, genre=packaged_genre())
    assert linker.link("人工智能制造业有什么补贴？").of("measure") == []
    assert [lk.value for lk in linker.link("智能制造有什么补贴？").of("measure")] == ["m1"]
    assert [lk.value for lk in linker.link("开源社区建设谁负责？").of("measure")] == ["m2"]


def test_abbreviated_department_found_through_the_character_index():
    lex = _lexicon([_dept(1, "市人力资源社会保障局"), _dept(2, "市经济信息化委")])
    links = Linker(lex, genre=packaged_genre()).link("市人社局负责什么？").of("department")
    assert [(lk.value, lk.mention) for lk in links] == [("市人力资源社会保障局", "市人社局")]


def test_linker_pickles_and_links_the_same_after_loading():
    lex = _lexicon([_dept(1, "市科委")], measures=[_measure(1, "防范开源供应链风险")])
    linker = Linker(lex, genre=packaged_genre())
    again = pickle.loads(pickle.dumps(linker))
    q = "“防范开源供应链风险”由市科委负责吗？"
    assert [(lk.kind, lk.value) for lk in again.link(q).links] == [(lk.kind, lk.value) for lk in linker.link(q).links]


# -- the same results as scanning every title and every name --------------------------------------


def _scan_scores(items: list[dict], text: str) -> list[tuple[str, float, float]]:
    """The full scan the inverted index replaces: every title's weighted bigram containment."""
    grams = [set(bigrams(TitleMatcher._clean(it.get("title") or ""))) for it in items]
    df: dict[str, int] = {}
    for gs in grams:
        for g in gs:
            df[g] = df.get(g, 0) + 1
    idf = {g: math.log(1 + max(len(items), 1) / c) for g, c in df.items()}
    q = set(bigrams(text))
    out = []
    for item, gs in zip(items, grams, strict=True):
        hit = sum(idf[g] for g in gs if g in q)
        if gs and hit > 0:
            out.append((item["id"], hit / sum(idf[g] for g in gs), hit))
    out.sort(key=lambda t: (t[1] * min(t[2], 8.0), t[2]), reverse=True)
    return out


def _scan_names(text: str, forms: list[tuple[str, str]]) -> list[tuple[str, tuple[int, int]]]:
    """Longest form first, every occurrence by str.find, spans taken greedily."""
    taken: list[tuple[int, int]] = []
    out = []
    for form, _ in sorted(forms, key=lambda t: len(t[0]), reverse=True):
        i = text.find(form)
        while i >= 0:
            span = (i, i + len(form))
            if not any(span[0] < e and s < span[1] for s, e in taken):
                taken.append(span)
                out.append((form, span))
            i = text.find(form, i + 1)
    return sorted(out, key=lambda t: t[1])


@pytest.fixture(scope="module")
def gold_questions() -> list[str]:
    data = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    rows = data["questions"] if isinstance(data, dict) else data
    return [r["question"] for r in rows]


def test_inverted_index_ranks_titles_as_the_full_scan_on_gold_questions(answerer, gold_questions):
    linker = answerer._get_linker()
    for matcher in (linker.measure_matcher, linker.policy_matcher):
        for q in gold_questions:
            text = linker.link(q).text
            got = {it["id"]: (c, w) for it, c, w in matcher.scores(text)}
            want = _scan_scores(matcher.items, text)
            assert set(got) == {w[0] for w in want}, q
            for mid, c, w in want:  # same figures; the order differs only between equal keys
                assert math.isclose(got[mid][0], c) and math.isclose(got[mid][1], w), (q, mid)
            key = [round(c * min(w, 8.0), 9) for c, w in (got[i] for i in [it["id"] for it, _, _ in matcher.scores(text)])]
            assert key == sorted(key, reverse=True)


def test_automaton_finds_the_names_the_full_scan_finds_on_gold_questions(answerer, gold_questions):
    linker = answerer._get_linker()
    forms = [(f, d["name"]) for d in linker.lexicon.departments for f in {d["name"], *(d.get("aliases") or [])}
             if len(f) >= 2]
    forms += [(f, c) for c, fs in linker.lexicon.cities.items() for f in {c, *fs}]
    names = NameIndex(forms)
    for q in gold_questions:
        text = linker.link(q).text
        assert [(f, span) for f, _, span in names.free_spans(text, [])] == _scan_names(text, forms), q


def test_a_defined_short_name_links_the_document_and_clause_of_its_full_name():
    policies = [{"id": "p1", "title": "测试市公共租赁住房保障办法", "city": "测试", "terms": ["公租房＝公共租赁住房"]},
                {"id": "p2", "title": "测试市人才公寓管理办法", "city": "测试"}]
    measures = [_measure(1, "公共租赁住房配租标准", "p1", "测试"), _measure(2, "人才公寓租金标准", "p2", "测试")]
    linker = Linker(_lexicon(measures=measures, policies=policies), genre=packaged_genre())
    linked = linker.link("测试市公租房配租标准是什么？")
    assert linked.values("policy") == ["p1"]
    assert linked.values("measure") == ["m1"]
    assert linker.with_terms("公共租赁住房怎么申请") == "公共租赁住房怎么申请；公租房"
    plain = Linker(_lexicon(measures=measures, policies=[{**p, "terms": None} for p in policies]), genre=packaged_genre())
    assert plain.link("测试市公租房配租标准是什么？").values("measure") != ["m1"]
    assert pickle.loads(pickle.dumps(linker)).with_terms("公租房") == "公租房；公共租赁住房"


def test_a_title_many_documents_share_links_only_the_named_documents_measure():
    """A quoted clause title shared by many documents links only the named document's clause (what
    linked_measures kept anyway); without a named document, or when it lacks the title, every one."""
    policies = [{"id": f"p{i}", "title": f"上海市推进算力发展若干措施{i}", "doc_no": f"沪经信〔2024〕{i}号", "city": "上海"}
                for i in range(1, 6)]
    measures = [_measure(i, "加强组织领导", policy=f"p{i}") for i in range(1, 6)] + [_measure(9, "加强组织保障", "p3")]
    linker = Linker(_lexicon(measures=measures, policies=policies), genre=packaged_genre())
    named = linker.link("《上海市推进算力发展若干措施3》（沪经信〔2024〕3号）中“加强组织领导”由哪些部门负责？")
    assert "p3" in named.values("policy")
    assert [lk.value for lk in named.of("measure")] == ["m3"]
    assert [lk.value for lk in linker.link("“加强组织领导”由哪些部门负责？").of("measure")] == [f"m{i}" for i in range(1, 6)]


def test_a_genre_word_one_document_defines_as_a_short_name_does_not_pull_in_its_full_name():
    """"（以下简称企业）" in one document does not make every question's 企业 that document's term: its full
    name would match that document's titles in questions about anything a company does."""
    policies = [{"id": "p1", "title": "测试市产业政策汇编", "city": "测试", "terms": ["企业＝算力券实施方案支持的软件企业"]},
                {"id": "p2", "title": "测试市营商环境改革分工方案", "city": "测试"}]
    measures = [_measure(1, "测试市算力券实施方案", "p1", "测试"), _measure(2, "进一步压缩企业开办时间", "p2", "测试")]
    linker = Linker(_lexicon(measures=measures, policies=policies), genre=packaged_genre())
    assert linker.with_terms("企业开办要几天") == "企业开办要几天"
    assert linker.link("进一步压缩企业开办时间由哪些部门负责？").values("measure") == ["m2"]


def test_a_title_matched_by_its_words_is_not_a_document_of_another_named_place():
    """"北京…的资助管理办法" does not mean 西安's 资助管理办法, however well its title scores: with a
    place named, a document matched by its title's words must apply there."""
    policies = [{"id": "p1", "title": "西安市居民住房项目资助管理办法", "city": "西安"},
                {"id": "p2", "title": "北京市产业政策导引", "city": "北京"}]
    linker = Linker(_lexicon(policies=policies), genre=packaged_genre())
    assert linker.link("西安居民住房项目资助管理办法现在还算数吗？").values("policy") == ["p1"]
    assert linker.link("北京居民住房项目资助管理办法现在还算数吗？").values("policy") == []
    assert linker.link("居民住房项目资助管理办法现在还算数吗？").values("policy") == ["p1"]  # no place named


def test_a_place_the_corpus_lacks_is_named_too_when_a_title_is_matched_by_its_words():
    """"长沙城市内涝治理…" asks of 长沙, which no document covers: 浙江's 城市内涝治理 plan, matched by its
    title's words, is not its document (the question is then refused as one about 长沙). A place inside
    a province the corpus has documents of still asks of that province's."""
    policies = [{"id": "z1", "title": "浙江省城市内涝治理“十四五”规划", "city": "浙江"},
                {"id": "g1", "title": "广西壮族自治区城市内涝治理实施方案", "city": "广西"}]
    linker = Linker(_lexicon(policies=policies), genre=packaged_genre())
    assert linker.link("浙江城市内涝治理规划是哪个部门牵头负责的？").values("policy") == ["z1"]
    asked = linker.link("长沙城市内涝治理规划是哪个部门牵头负责的？")
    assert asked.values("unknown_city") == ["长沙"] and asked.values("policy") == []
    assert linker.link("北海城市内涝治理实施方案是哪个部门牵头负责的？").values("policy") == ["g1"]


def test_a_place_name_cutting_through_the_questions_words_is_not_named():
    """海城市 (a city of 鞍山) is written across 北海 and 城市 in 北海城市内涝: the place the words name is
    北海, in 广西; written as a word of its own (辽宁海城市) it is 海城市."""
    policies = [{"id": "g1", "title": "广西壮族自治区城市内涝治理实施方案", "city": "广西"}]
    linker = Linker(_lexicon(policies=policies), genre=packaged_genre())
    asked = linker.link("北海城市内涝治理是哪个部门负责的？")
    assert asked.values("city") == ["北海"] and asked.values("unknown_city") == []
    assert "鞍山" in linker.link("辽宁海城市的人才政策").values("unknown_city")


def test_the_state_a_question_names_asks_for_the_national_documents():
    """"国家有啥要求" asks what the national documents say, as 全国 does: without a place named it is
    linked to 全国 (so a city's clause worded like the question does not answer it). 国家 in a name or
    a grade (国家级, 国家艺术基金, 其他国家) is no such word, a question naming a place keeps its own
    scope, and a corpus without national documents links nothing."""
    policies = [{"id": "n1", "title": "国务院关于压缩企业开办时间的意见", "city": "全国"},
                {"id": "b1", "title": "北京市产业政策导引", "city": "北京"}]
    linker = Linker(_lexicon(policies=policies), genre=packaged_genre())
    for question in ("开个公司要几个工作日能办下来，国家有啥要求", "公司想简单注销，国家层面推这个改革的是哪个部门",
                     "按国家的说法我这算啥身份", "国家那个电商意见里说营业额多少以下可以免税？",
                     "国家对跨境电商出口海外仓建设有什么专项资金支持？", "国家鼓励企业上云，给多少补贴？"):
        assert linker.link(question).cities == ["全国"], question
    for question in ("国家级的人工智能示范城市打算一共搞几个？", "国家艺术基金资助的项目什么时候报名",
                     "那在其他国家拿到授权的呢？"):
        assert linker.link(question).cities == [], question
    assert linker.link("北京落实国家规定，开公司要几天？").cities == ["北京"]
    local = Linker(_lexicon(policies=policies[1:]), genre=packaged_genre())
    assert local.link("开个公司要几个工作日能办下来，国家有啥要求").cities == []


def test_everyday_numeral_forms_are_read_as_the_standard_term():
    """"家里养了两个孩子" asks about the clause that writes 二孩, "每一万个人" about 每万人口: a word list
    cannot hold every numeral form, so the linker rewrites them (linking.yaml `everyday_forms`) and
    everything after linking reads the standard term. A form already standard is left alone."""
    linker = Linker(_lexicon(), genre=packaged_genre())
    assert "二孩" in linker.link("合肥家里养了两个孩子，买新房政府贴多少？").text
    assert "三孩" in linker.link("要是家里有三个娃呢？").text
    assert "二孩" in linker.link("合肥生了二胎买新房能补多少？").text
    assert "每万人口要摊到几件发明专利" in linker.link("到2020年每一万个人要摊到几件发明专利？").text
    assert linker.link("每万人口发明专利拥有量是多少？").text == "每万人口发明专利拥有量是多少?"
    # going on with a term: 接着租 is 续租, 接着签 is 续签; 接着交流 is another word
    assert "还能续租吗" in linker.link("合同到期以后还能接着租吗？").text
    assert "续签合同" in linker.link("到期了能接着签合同吗").text
    assert "接着交流" in linker.link("会后接着交流吗").text
    # a verb-object word with 个 between its halves is the word: 回个话 is 回话, 打个分 is 打分
    assert "最晚几天得回话" in linker.link("对方拖着不给，最晚几天得回个话？").text
    assert "想给窗口打分" in linker.link("想给窗口打个分").text
    assert "一个号码" in linker.link("留一个号码").text  # 个 after a numeral counts, it splits no word


@pytest.mark.parametrize("spoken, read", [
    ("落个户", "落户"), ("开个户", "开户"), ("报个名", "报名"), ("买个房", "买房"),
    ("这个人", "这个人"), ("整个人", "整个人"),  # 这个, 整个: 个 belongs to the first half
    ("为个人提供服务", "为个人提供服务"), ("交个人所得税", "交个人所得税"),  # 个人 is a word
    ("有个人问", "有个人问"),  # 有人 is a pronoun, no verb-object word
    ("要打造多少个典型应用场景", "要打造多少个典型应用场景"),  # 个 counts after 多少
])
def test_a_split_verb_object_word_is_joined_when_the_dictionary_holds_it(spoken, read):
    from genre.words import joined_split_words

    split = packaged_genre().data("linking")["split_word"]
    assert joined_split_words(spoken, split) == read


def test_a_district_names_its_city_for_the_documents_a_question_is_answered_from(answer_indexes, answer_settings):
    """"临港新片区对集成电路企业的流片费用补贴多少": a question naming a district asks about its city's
    documents (and its province's and the country's), not about another city's clause that repeats
    more of its words (北京's 流片 subsidy)."""
    from rag.linking import named_cities, scope_of

    policies = [{"id": "sh", "title": "临港新片区管理办法", "city": "上海"},
                {"id": "bj", "title": "北京市产业政策导引", "city": "北京"},
                {"id": "cn", "title": "国务院关于促进集成电路产业发展的若干政策", "city": "全国"}]
    linker = Linker(_lexicon(policies=policies), genre=packaged_genre())
    corpus = linker.lexicon.corpus_cities
    linked = linker.link("临港新片区对集成电路企业的流片费用补贴多少？")
    assert not linked.cities and named_cities(linked, corpus) == ["上海"]
    assert scope_of(named_cities(linked, corpus), corpus, genre=packaged_genre()) == ["上海", "全国"]
    from rag.answer import Answerer

    answerer = Answerer(None, answer_indexes, answer_settings)
    answerer._lexicon = linker.lexicon
    assert answerer._cities(linked) == ["上海", "全国"]  # what retrieval is limited to
    # a city the question names is its scope, whatever districts it names besides
    assert named_cities(linker.link("北京和临港新片区的流片补贴"), corpus) == ["北京"]
    # a district of a city the corpus has no documents of names none
    assert named_cities(linker.link("江宁区的流片补贴多少"), corpus) == []


def test_a_short_quoted_term_links_no_title_it_is_only_part_of():
    """“互联网+” quoted in a question is a term many documents use, not the clause titled “互联网+产业”应用
    服务 nor a document whose title contains it; a short quoted phrase links only a title it is whole."""
    policies = [{"id": "p1", "title": "测试省支持工业互联网发展若干政策", "city": "测试"},
                {"id": "p2", "title": "全国深化改革重点任务分工方案", "city": "全国"}]
    measures = [_measure(1, "“互联网+产业”应用服务", "p1", "测试"),
                _measure(2, "启动“互联网+”背景下专利代理监管方式创新研究", "p2", "全国"), _measure(3, "人才培养", "p1", "测试")]
    linker = Linker(_lexicon(measures=measures, policies=policies), genre=packaged_genre())
    linked = linker.link("分工方案中，“互联网+”背景下专利监管方式的研究交给哪个部门？")
    assert "m1" not in linked.values("measure") and "p1" not in linked.values("policy")
    assert linker.link("“人才培养”这一条怎么说？").values("measure") == ["m3"]  # a short title quoted whole


def test_a_year_written_in_the_name_of_the_linked_document_is_no_year_asked():
    """包头2022年数字政府考评 names 《包头市2022年数字政府建设考评办法》: 2022 is part of its name, not a year
    the clause must state; 到2025年 of a plan titled (2023-2025年) is a year asked."""
    policies = [{"id": "p1", "title": "测试市2022年数字政府建设考评办法", "city": "测试"},
                {"id": "p2", "title": "测试市推动大模型创新发展若干措施（2023-2025年）", "city": "测试"}]
    linker = Linker(_lexicon(policies=policies), genre=packaged_genre())
    linked = linker.link("测试市2022年数字政府建设考评办法里，核心设备改造最晚什么时候完成？")
    assert linked.values("policy") == ["p1"] and linked.values("year") == []
    linked = linker.link("测试市推动大模型创新发展若干措施（2023-2025年）到2025年要达到什么目标？")
    assert linked.values("policy") == ["p2"] and "2025" in linked.values("year")


def test_a_title_naming_only_a_time_is_not_linked_by_the_year_a_question_names():
    """The sub-items of a task list are headed by their deadlines (（1）2018年底前): such a title says when,
    not what, and a question naming 2018年 is not about it; a title saying more is linked as before."""
    lex = _lexicon(measures=[_measure(1, "（1）2018年底前", policy="other"), _measure(2, "开源社区建设")])
    linker = Linker(lex, genre=packaged_genre())
    assert linker.link("2018年底前的重点专项材料寄到哪里？").of("measure") == []
    assert [lk.value for lk in linker.link("开源社区建设谁负责？").of("measure")] == ["m2"]
