"""Typed models of the genre's data files: what keys each file may have and what their values are.

A data file is validated when it is loaded. A misspelt key, a regular expression that does not
compile or a department alias that means two bodies would otherwise surface much later as a rule that
silently never fires; here it is an error naming the file and the key. Each model forbids unknown
keys. Fields holding regular expressions are compiled during validation.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from genre.dates import DATE_PATTERN
from genre.text import key


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"bad regular expression {pattern!r}: {exc}") from None
    return pattern


Regex = Annotated[str, AfterValidator(_compiles)]
Role = Literal["responsible", "lead", "co-lead", "participant"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- blocks.yaml ---------------------------------------------------------------------------------


class BlocksFile(Strict):
    labels: dict[str, Role]
    verbs: dict[str, Role] = {}  # a bracket closed by a role verb: （A牵头，B配合）
    running_verbs: dict[str, Role] = {}  # running text's other verbs of responsibility: 由A组织实施
    qualifiers: list[str] = []  # words a label may carry before its head: 牵头考核单位, 配合落实部门
    deadline_labels: list[str] = []  # a task's deadline line beside its block lines: 完成时限：2024年6月
    brackets: list[tuple[str, str]]
    colons: str = Field(min_length=1)

    @model_validator(mode="after")
    def _single_characters(self) -> BlocksFile:
        for pair in self.brackets:
            if any(len(ch) != 1 for ch in pair):
                raise ValueError(f"brackets: {pair} must be two single characters")
        return self


# -- grammar.yaml --------------------------------------------------------------------------------


class Style(Strict):
    name: str
    pattern: str  # compiled with {cn} filled in (GrammarFile checks it)
    code: str


class Closing(Strict):
    effective: list[str]
    effective_on_issue: list[str]
    expiry: list[str]
    validity_years: list[str]
    paragraph: list[str]


class SectionKindModel(Strict):
    kind: str
    measure_kind: str
    titles: list[str]


class DerivedTitle(Strict):
    """How a document that prints no title is named from its preamble (corpus/title.py)."""

    made: Regex  # the clause saying the document is made: 制定本行动计划 / 特制定17条措施 / 编制X规划纲要
    notice: Regex  # a notice's own opening: 现就有关事项通知如下
    aim: Regex  # a clause stating the aim: 促进房地产市场平稳健康发展
    preferred_aim: Regex  # the aim the genre names documents by, when several are stated
    own_place: Regex  # 我市 / 本县 …: the document's own place, said by its name in a title


class GrammarFile(Strict):
    numerals: str
    styles: list[Style]
    appendix: str
    box: str = r"专栏\s*([0-9{cn}]{1,3})?\s*[:：]?\s*[^。；]{0,50}"  # 专栏1 …: a box beside the text
    subdocument_period: Regex = r"[（(]\s*\d{4}\s*[-—–－~至]\s*\d{4}\s*年?\s*[）)]"
    cited_parts: str = "第([{cn}\\d]{1,5})(?:款|项|目|部分)"  # 第二款 / 第三项 cited in running text
    subitem_styles: list[str]
    leaf_styles: list[str]
    hierarchy: list[list[str]] = []  # chains of styles, highest first (一、 > （一） > 1.)
    fullwidth: dict[str, str]
    terminators: str
    prose_marks: str
    open_brackets: str
    close_brackets: str
    page_furniture: list[str]
    closing: Closing
    footer: list[str]
    section_kinds: list[SectionKindModel]
    title_suffixes: list[str]
    wrapper_title: Regex
    period_line: Regex
    period_in_title: Regex
    doc_no: Regex
    issuer_line_suffix: Regex
    publicity_note: Regex
    derived_title: DerivedTitle | None = None

    @model_validator(mode="after")
    def _patterns_compile(self) -> GrammarFile:
        subst = {"{cn}": self.numerals, "{date}": DATE_PATTERN, "{date2}": DATE_PATTERN}

        def check(where: str, pattern: str) -> None:
            for placeholder, value in subst.items():
                pattern = pattern.replace(placeholder, value)
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{where}: bad regular expression: {exc}") from None

        names = {s.name for s in self.styles}
        for i, s in enumerate(self.styles):
            check(f"styles.{i}.pattern", s.pattern)
        for field_name in ("subitem_styles", "leaf_styles"):
            for name in getattr(self, field_name):
                if name not in names:
                    raise ValueError(f"{field_name}: {name!r} is not a style name")
        chained = [name for chain in self.hierarchy for name in chain]
        for name in chained:
            if name not in names:
                raise ValueError(f"hierarchy: {name!r} is not a style name")
        if len(chained) != len(set(chained)):
            raise ValueError("hierarchy: a style belongs to one chain only")
        check("appendix", self.appendix)
        check("box", self.box)
        check("cited_parts", self.cited_parts)
        for field_name in ("page_furniture", "footer"):
            for i, p in enumerate(getattr(self, field_name)):
                check(f"{field_name}.{i}", p)
        for field_name in Closing.model_fields:
            for i, p in enumerate(getattr(self.closing, field_name)):
                check(f"closing.{field_name}.{i}", p)
        return self


# -- front_matter.yaml, cities.yaml --------------------------------------------------------------

MetaField = Literal["title", "doc_no", "issuers", "city", "issued", "published", "effective", "expiry",
                    "period", "source_url", "index_no"]


class FrontMatterFile(Strict):
    keys: dict[str, MetaField]


class CityModel(Strict):
    code: str
    names: list[str]
    doc_no_prefixes: list[str] = []
    domains: list[str] = []


class CitiesFile(Strict):
    cities: dict[str, CityModel]
    city_less_issuer_prefixes: list[str] = []


# -- departments.yaml ----------------------------------------------------------------------------


class DepartmentModel(Strict):
    name: str
    kind: str | None = None
    aliases: list[str] = []


class CityDepartments(Strict):
    slug: str
    markers: list[str] = []
    districts: list[str] = []
    departments: list[DepartmentModel] = []


class DepartmentsFile(Strict):
    cities: dict[str, CityDepartments]
    national: list[DepartmentModel] = []
    collectives: list[DepartmentModel] = []
    body_suffixes: list[str]
    trailing_phrases: list[Regex] = []

    @model_validator(mode="after")
    def _aliases_name_one_body(self) -> DepartmentsFile:
        """Within one jurisdiction an alias names one body; a name written with a jurisdiction in it
        (上海市…, 沪…) belongs to that jurisdiction only; a national alias is nobody's local alias."""
        problems: list[str] = []
        national: dict[str, str] = {}
        for i, d in enumerate(self.national):
            for a in [d.name, *d.aliases]:
                if national.setdefault(_key(a), d.name) != d.name:
                    problems.append(f"national.{i}: alias {a!r} names both {national[_key(a)]} and {d.name}")
        markers = {city: {city, *info.markers} for city, info in self.cities.items()}
        for city, info in self.cities.items():
            seen: dict[str, str] = {}
            others = {m for c, ms in markers.items() if c != city for m in ms}
            for i, d in enumerate(info.departments):
                where = f"cities.{city}.departments.{i}"
                for a in [d.name, *d.aliases]:
                    if seen.setdefault(_key(a), d.name) != d.name:
                        problems.append(f"{where}: alias {a!r} names both {seen[_key(a)]} and {d.name}")
                    if _key(a) in national and national[_key(a)] != d.name:
                        problems.append(f"{where}: alias {a!r} is also the national body {national[_key(a)]}")
                    foreign = next((m for m in others if _key(a).startswith(m) and not _key(a).startswith(city)), None)
                    if foreign:
                        problems.append(f"{where}: alias {a!r} names another jurisdiction ({foreign})")
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _key(name: str) -> str:
    return key(name)


# -- gazetteers: regions, organisations, topics --------------------------------------------------


class PlaceModel(Strict):
    name: str
    type: str | None = None
    aliases: list[str] = []
    city: str | None = None


class RegionsFile(Strict):
    cities: dict[str, list[PlaceModel]] = {}
    shared: list[PlaceModel] = []


class OrganisationsFile(Strict):
    organisations: list[PlaceModel] = []


class TopicModel(Strict):
    name: str
    synonyms: list[str] = []


class TopicsFile(Strict):
    topics: list[TopicModel]


# -- support.yaml, targets.yaml ------------------------------------------------------------------


class SupportKind(Strict):
    kind: str
    triggers: list[Regex]


class Beneficiary(Strict):
    name: str
    aliases: list[str] = []
    broader: str | None = None  # the general applicant this one narrows (规上企业 -> 企业)


class ApplicantCue(Strict):
    pattern: Regex
    name: str


class SupportFile(Strict):
    kinds: list[SupportKind]
    needs_offer_word: list[str] = []
    offer_words: list[str] = []
    beneficiaries: list[Beneficiary] = []
    applicants: list[Beneficiary] = []  # who applies, apart from the objects supported
    objects: list[str] = []
    applicant_cues: list[ApplicantCue] = []
    buyer_kinds: list[str] = []  # price offers on a purchase (优惠): the buyer's, never the seller's
    sellers: list[str] = []  # who sells what a buyer buys (开发企业, 房企): no applicant of a buyer's offer
    object_applicant: str | None = None
    not_offers: list[Regex] = []
    not_offer_clauses: list[Regex] = []
    cap_back: Regex | None = None
    all_of: Regex | None = None  # 所有企业: the general applicant, not a narrower one named beside it
    widened_to: Regex | None = None  # 由制造业企业扩展到全部企业: who applies is named after it
    threshold: Regex | None = None  # what follows an amount a claimant must reach (1000万元及以上)
    rate_lead: Regex | None = None  # what ties an amount before the verb to the offer (按…的10%给予)
    windows: list[Regex] = []  # application windows (每年3月, 届满后一年内申请, 申报截止日期)
    window_rows: Regex | None = None  # a labelled row or line giving the window (申报时间：…)
    tier_lead: Regex | None = None  # 分别 / 依次: the amounts after it follow the tiers before it in order
    tier_stem: Regex | None = None  # a grade or category of a tier list (3A, 国家, A, 一)
    tier_suffix: Regex | None = None  # what a tier list's stems share (级, 类, 档, 标准)
    tier_range: Regex | None = None  # a tier written as a range of money (1000万元及以上至2000万元)
    tier_unit: Regex | None = None  # the unit of a measured quantity a tier is a bracket of (元, 平方米, 亩, 人)
    tier_comparator: Regex | None = None  # written before a bracket's number (不少于, 超过, 不足)
    tier_bound: Regex | None = None  # written after a bracket's number (以上, 以下, （含）)
    tier_grade_range: Regex | None = None  # a range of grades (2—5星级): one tier per grade
    grant_verbs: list[str] = []  # verbs that grant (给予): a one-sentence article holding one is an offer
    condition_heading: Regex | None = None  # a measure titled as the conditions of the awards around it
    condition_lead: Regex | None = None  # a measure opening with 符合下列条件: conditions, not an offer
    list_lead: Regex | None = None  # 以下类别高层次人才: the claimants are the list that follows
    window_words: Regex | None = None  # words of applying a time row needs to be a window (申报, 受理)
    condition_rows: Regex | None = None  # a labelled row or sub-list of conditions (申报条件：…)
    declared_applicant: Regex | None = None  # who may apply, declared (申报主体为个人)
    dated_condition: Regex | None = None  # after a date: it dates who qualifies (…前成立的), not a deadline
    condition_label: Regex | None = None  # a row or line of conditions (条件要求 / 申报条件 / 具备以下条件)
    recipient: Regex | None = None  # 为X提供…: X is who applies
    applicant_modifier: Regex | None = None  # 居民存量住房: a person naming whose thing, not an applicant
    needs_applicant: list[str] = []  # kinds that are support only when the offer names who receives it
    government_recipients: Regex | None = None  # 支持各县…: offers naming no applicant go to governments
    dated_condition_before: Regex | None = None  # 注册时间为…前: the dated fact written before the date
    dated_span_condition: Regex | None = None  # after a span of dates: it dates who qualifies (…期间新注册)
    beneficiary_ignore: list[str] = []
    conditions: list[Regex] = []
    offer_verbs: list[str] = []
    amount_each: Regex | None = None
    rates: list[Regex] = []
    amounts: list[Regex] = []
    caps: list[Regex] = []

    @model_validator(mode="after")
    def _kinds_exist(self) -> SupportFile:
        kinds = {k.kind for k in self.kinds}
        missing = [k for k in [*self.needs_offer_word, *self.needs_applicant, *self.buyer_kinds] if k not in kinds]
        if missing:
            raise ValueError(f"needs_offer_word / needs_applicant / buyer_kinds: {missing} are not support kinds")
        return self


Comparator = Literal[">", ">=", "<", "<=", "≈", "="]


class TargetsFile(Strict):
    units: dict[str, str]
    counting_units: list[str] = []
    comparators_before: dict[str, Comparator] = {}
    comparators_after: dict[str, Comparator] = {}
    leading_words: list[str] = []
    trailing_words: list[str] = []
    modifiers: list[str] = []
    year_patterns: list[Regex] = []
    goal_verbs: list[str] = []
    history_titles: list[str] = []
    history_sentence: Regex | None = None
    ratio_metrics: list[str] = []  # bare ratios written before their number: PUE降至1.25以下


# -- rag: thesaurus, intents, linking, answer ----------------------------------------------------


class ThesaurusFile(Strict):
    synonyms: list[list[str]] = []
    stopwords: list[str] = []


class Cue(Strict):
    re: Regex
    w: float = 1.0


class IntentModel(Strict):
    cues: list[Cue] = []


class EntityRule(Strict):
    intent: str
    w: float
    has: str | None = None
    min_cities: int | None = None


class Precedence(Strict):
    when: str
    over: str
    min: float = 0
    cue: Regex | None = None
    require: str | None = None
    unless_kind: str | None = None
    unless_cue: Regex | None = None


def _named_group(group: str):
    def check(pattern: str) -> str:
        if group not in re.compile(pattern).groupindex:
            raise ValueError(f"the pattern needs a (?P<{group}>...) group")
        return pattern
    return check


class FollowupCues(Strict):
    """How a follow-up leans on the previous turn (rag/followup.py)."""

    pronoun: Regex
    document: Regex
    departments: Regex
    predicate: Regex
    continues: Regex
    document_word: Regex | None = None  # a kind of document (办法, 细则 …): "那X的办法呢" names another document
    repeat: Annotated[Regex, AfterValidator(_named_group("topic"))]
    # "那复审呢，谁负责？": another item, with an asking of its own
    repeat_asking: Annotated[Regex, AfterValidator(_named_group("topic")), AfterValidator(_named_group("asking"))] | None = None


class DocumentFacts(Strict):
    """Facts of a whole document asked for as such (rag/docfacts.py): who interprets it, and which
    departments carry out the document as a whole."""

    interpretation_cue: Regex  # the question asks who interprets the document
    interpretation_clause: Annotated[Regex, AfterValidator(_named_group("body"))]  # the closing clause naming it
    document_reference: Regex  # "这个办法", "该文件": a document named by a pronoun
    generic_words: list[str] = []  # words a question about a whole document adds to its title
    asked: dict[Literal["doc_no", "issuer", "signer", "issued", "printed", "published", "effective", "validity", "repeals"],
                Regex] = {}  # which fact of the document itself the question asks for
    signer_line: Regex | None = None  # a decree's signer line (市长 应勇)
    printed_line: Annotated[Regex, AfterValidator(_named_group("date"))] | None = None  # 版记: …2024年7月29日印发
    effective_clause: Regex | None = None  # closing provisions: 自…起施行
    validity_clause: Regex | None = None  # 有效期N年, 暂定三年, 有效期至…
    term_end_clause: Regex | None = None  # the sentence after the validity one on what follows its end (有效期届满，…评估修订)
    repeal_clause: Regex | None = None  # 同时废止《…》, 《…》同时废止
    own_subject: Regex | None = None  # the sentence speaks of the document itself (本办法, 以上措施)
    applies_clause: Regex | None = None  # 在…期间（，…特制定本细则）: the condition under which it applies
    body_nature_cue: Regex | None = None  # the question asks what kind of body an organ is
    body_nature_clause: Annotated[Regex, AfterValidator(_named_group("nature"))] | None = None  # 作为…的派出机构
    deadline: Regex | None = None  # by when an action must be done (什么时候之前, 最晚, 多久之内): no document date
    thing_end: Regex | None = None  # the end of something a clause governs (期满, 到期): a document's only when named
    inside_document: Regex | None = None  # 里, 说 after a document word (方案里…): the document is where the asked is
    plan_kind: Regex | None = None  # a title naming a plan (…规划, …行动计划, …纲要): its period is its term
    plan_issued: Regex | None = None  # a plan and its period inside a notice's title (关于印发…计划（2021—2023年）的通知)
    plan_term: Regex | None = None  # a plan's sentence stating its own period (规划期限为…, 规划水平年为…)
    goal_year: Regex | None = None  # a sentence opening with the year a plan's goals are set for (到2026年，…)


class Asking(Strict):
    """Where a question's asking part begins (rag/intents.py): cues before it say what the question is
    about, not what it asks."""

    interrogative: Regex  # a question word (什么, 哪, 谁, 多少, 多久, 是否 …)
    particle: Regex = "$^"  # a sentence-final particle (吗, 呢): a yes/no clause asks from its start
    clause_break: Regex = "[，,；;]"
    # a yes/no question form (能不能, 可不可以, 是否): a question word after it in its clause is an
    # indefinite ("能不能同时找几家…一起报": several), whose cue asks nothing
    yes_no: Regex = "$^"
    # a clause before a yes/no clause stating how many the asker has (有几个月是补交的): its question
    # word means "some" too
    premise: Regex = "$^"
    # what stands before a question word that then counts no question (那几年, 前几个月), and the words
    # opening a condition (要是, 如果), in which a question word means "any" while a later clause asks
    demonstrative: Regex = "$^"
    condition: Regex = "$^"
    # the copula or agent marker before a clause's later question word (…存款是哪个部门去查的, …由谁定):
    # the question words before it ask inside the subject, the clause asks from there
    predicate: Regex = "$^"
    # a sentence asking only that the answer list some (列几条, 举几个例子): a way of asking, not a question
    list_request: Regex = "$^"
    # a later sentence only asking which of the compared is more (哪个高, 谁更多): judged from the first
    # question's answer, no question of its own
    verdict: Regex = "$^"
    strong: float = Field(2.0, ge=0)  # a cue this strong in the asking part says what is asked
    topic_weight: float = Field(0.3, ge=0, le=1)  # what a cue of the topic only still counts


class IntentsFile(Strict):
    intents: dict[str, IntentModel]
    asking: Asking | None = None
    entity_rules: list[EntityRule] = []
    precedence: list[Precedence] = []
    default: str
    followup: FollowupCues | None = None
    document_facts: DocumentFacts | None = None
    # a grade or threshold the question names (5A级, 四星级, 2万平方米以上), as its `core` (rag/thresholds.py)
    thresholds: list[Annotated[Regex, AfterValidator(_named_group("core"))]] = []
    mention: list[Annotated[Regex, AfterValidator(_named_group("term"))]] = []  # rag/mentions.py
    mention_parts: dict[str, str] = {}  # <NAME> in a mention pattern stands for this part
    mention_examples: Regex = "$^"  # the examples a mention question gives of its term; group `items`
    benefit_heads: list[str] = []  # a word ending in one names a kind of benefit (安家费): rag/answer.py
    benefit_kind_min_weight: float = Field(4.0, ge=0)  # IDF below which a word before a head names no kind
    existence_cue: Regex = "$^"  # 有没有: the words on either side are what the question asks about
    existence_min_weight: float = Field(4.0, ge=0)  # IDF below which such a word says nothing of a subject
    existence_saying: Regex = "$^"  # 提到, 规定 after the cue: the phrase before it names a document, not the asked
    existence_modal: Regex = "$^"  # 权利, 资格 before a verb after the cue: whether one may act, not a thing asked
    restriction_words: list[str] = []  # 限制, 要求: asked of a clause, said by any sentence that sets one
    restriction_marker: Regex = "$^"  # the words with which a sentence sets a restriction (须, 不得, 以后)
    open_comparison: Regex = "$^"  # a comparison asking how the sides differ, not one metric of each
    across_places: Regex = "$^"  # a comparison asked across the corpus's places without naming them
    metric_comparison: Regex = "$^"  # a comparison asking one measurable thing of each side
    support_comparison: Regex = "$^"  # a comparison asking what each side gives (支持, 帮, 给钱): offering clauses first
    # a question asking what is required (哪几项条件, 啥硬性要求); group `kind`: the word of requirement
    requirement_asked: Annotated[Regex, AfterValidator(_named_group("kind"))] = "(?P<kind>$^)"
    own_provisions: list[Regex] = []  # a document's purpose, scope or issuing notice: no side's answer
    amount_asked: Regex = "$^"  # a question asking for a sum of money
    amount_stated: Regex = "$^"  # a quote stating a sum, rate, discount or multiple

    @model_validator(mode="after")
    def _intents_named(self) -> IntentsFile:
        known = {*self.intents, self.default}
        for i, r in enumerate(self.entity_rules):
            if r.intent not in known:
                raise ValueError(f"entity_rules.{i}: unknown intent {r.intent!r}")
        for i, p in enumerate(self.precedence):
            for name in (p.when, p.over):
                if name not in known:
                    raise ValueError(f"precedence.{i}: unknown intent {name!r}")
        return self


class IntentExamplesFile(Strict):
    """Labelled example questions per intent (rag/intents.py: nearest examples vote)."""

    k: int = Field(5, ge=1)
    weight: float = Field(2.0, ge=0)
    min_cosine: float = Field(0.8, ge=-1, le=1)
    examples: dict[str, list[str]]


class MoneyWords(Strict):
    """Everyday words for money that name a kind of support only where the question asks to receive it."""

    words: list[str]
    receiving_before: Regex  # the words before it in its clause, ending where it begins (能拿到…钱)
    receiving_after: Regex = "$^"  # the words after it (资金支持, 钱吗)


class EverydayForm(Strict):
    """A way of saying a standard term with a numeral or measure word (两个孩子 for 二孩, 每一万个人 for
    每万人): `pattern` is rewritten to `standard` (a re.sub replacement) before a question is linked."""

    pattern: Regex
    standard: str


class LinkingFile(Strict):
    cities: dict[str, list[str]] = {}
    city_abbreviations: dict[str, str] = {}
    districts: dict[str, list[str]] = {}
    beneficiaries: dict[str, list[str]] = {}
    support_kinds: dict[str, list[str]] = {}
    money_words: MoneyWords | None = None
    topics: dict[str, list[str]] = {}
    everyday_forms: list[EverydayForm] = []
    # a verb-object word spoken with a measure word between its halves (回个话): two groups, the halves,
    # joined when the language's dictionary holds the word (genre.words.joined_split_words)
    split_word: Regex = "$^"
    time_title: Regex = "$^"  # a measure title naming only a time (2018年底前): never linked by overlap


class CompanyProfile(Strict):
    """How a question describes a company (rag/profile.py)."""

    opener: Annotated[Regex, AfterValidator(_named_group("where"))]
    traits: list[str] = []
    same_traits: list[list[str]] = []  # traits one another's words (规上 / 规模以上)
    figures: dict[str, list[str]] = {}  # what a stated figure measures -> the words that name it
    company_beneficiaries: list[str] = []  # applicants a company is (offers for others are left out)
    industries: dict[str, list[str]] = {}  # an industry -> the words that name it
    industry_within: dict[str, str] = {}  # an industry -> the broader one it belongs to
    threshold: Regex
    question_cue: Regex = "$^"  # a clause of the question that asks something
    offers_ask: Regex = "$^"  # a question clause asking which offers there are (a specific one asks more)
    offers_words: Regex = "$^"  # a word of support or money: a profile question saying none asks no offers
    intends: Regex = "$^"  # a clause saying what the company means to do (要是…, 打算…): the offers asked are for it


class AskedFact(Strict):
    """A kind of fact a question asks for (cue in the question) and how a sentence states one (fact)."""
    cue: Regex
    fact: Regex
    # what looks like the fact but is not, removed before `fact` is tested (a date's "2023年" or
    # "12月31日" is no duration)
    mask: Regex = "$^"
    # the fact is written after the sentence naming its subject ("…共享申请。不得拒绝。"): a sentence
    # stating it is measured against the question together with its clause's text before it
    after_subject: bool = False
    # of a whether-kind, the cues asking whether something counts, is accepted or is covered (算不算,
    # 还会受理吗, 归…管吗) rather than whether one may get something (能拿到补贴吗): a support question asks
    # these of the clause's consequence (不予受理, 不视为), not of its offer
    counts_cue: Regex = "$^"
    # the fact is a span of time (3个月前, 15个工作日内, 5年): asked of a step of a procedure or of a thing
    # a clause governs, it is the clause's to state, not the document's validity
    span: bool = False
    # a question asking it is answered from the clauses whatever intent its other words fire: the office
    # of a department (找商务局哪个处) is written in the item's contact line, no body's responsibility
    from_clauses: bool = False
    # what an answer must state to answer a question asking only this kind (期限或时长, 金额):
    # quotes stating none of it answer nothing, and the answer is refused with them kept
    # (rag/compose.py `unstated_fact`); empty: a kind some answers give without a figure
    unstated: str = ""
    # the question asks for that figure itself (补贴多少钱, 比例是多少), not only of the kind (给不给钱,
    # 比例有没有放宽); empty: every question `cue` matches does
    unstated_cue: Regex = ""


class ClauseTime(Strict):
    """From when or until when something applies, asked of a clause (rag/compose.py `clause_time`):
    what the question asks (`start_asked`, `end_asked`) and how a sentence of a clause states a start
    or an end (`start`, `end`)."""
    start_asked: Regex
    end_asked: Regex
    asking_words: list[str] = []  # words such a question adds that name no topic (开始, 适用)
    start: Regex
    end: Regex
    recurring: Regex = ""  # a time recurring each year (每年几月): no document's own date gives it
    act_start: Regex = ""  # when an applicant's act starts (哪天开始报名): set by each call, not the document
    act_time: Regex = ""  # the act's time by its name (受理时间): asked like act_start, defined by a sentence
    act_end: Regex = ""  # the close of an applicant's act (申报截止日期): a call's deadline, not the document's end


class ListHeading(Strict):
    """A kind of list as a question asks for it and as a section heading names it (steps: 几步 / 程序)."""

    asked: Regex
    heading: Regex


class AnswerFile(Strict):
    fillers: list[str] = []
    filler_patterns: list[Regex] = []
    asking_classifier: Regex = "$^"  # 哪种类型的: a question word and its classifier noun ask for a kind
    modal_prefixes: list[str] = []
    support_markers: list[str] = []
    equivalents: list[list[str]] = []
    actor_verbs: list[str] = []
    actor_lead_in: Regex = "$^"  # words between a department opening its clause and its act (在此基础上)
    actor_light_verbs: list[str] = []  # verbs carrying an act after a clause's opening department (进行)
    lead_cue: Regex = "牵头"  # a who-question that asks for the lead only (谁牵头, 主责部门)
    besides_lead_cue: Regex = "$^"  # a who-question for everyone but the lead (除了牵头的部门还有谁)
    taking_part_cue: Regex = "$^"  # a who-question for those who take part (谁配合): asked with the lead, everyone
    amount_units: list[str] = []
    min_coverage: float
    agreement_ranks: dict[str, int]
    agreement_relief: float
    rule_relief: float = 0.0  # less coverage for evidence ruling on a whether-question's act
    absent_share_refuse: float = 0.3
    own_situation: Regex = "$^"  # a clause in which the asker describes themself (我们…有个…)
    everyday_tags: list[str] = []  # jieba tags of common words that seldom name a subject (none: every absent word is rare)
    everyday_freq: int = 0  # least dictionary frequency of such a word
    dense_close: float = 1.01  # above any cosine: no dense excuse unless the file sets one
    absent_dense_close: float | None = None  # cosine excusing words no document uses (None: dense_close)
    dense_relief: float = 0.0
    meaning_margin: float = 0.0  # cosine below the closest clause's within which a clause is as close
    meaning_floor: float = 0.0  # relevance a sentence of the closest clause has at least
    meaning_bonus: float = 0.0  # relevance a sentence of the closest clause gains (0: dense does not pick)
    fallback_min_coverage: float = 0.3
    lead_clause_coverage: float = 2.0  # a specialised answer saying less than this gives way to the lead clause (2.0: never)
    # quotes saying less than lead_clause_coverage give way to a lead clause saying less too when it says this
    # much more of the question (a question in the asker's own words)
    lead_clause_margin: float = Field(0.1, ge=0, le=1)
    strong_coverage: float = 2.0  # agreed top clauses saying this share of the question answer (2.0: never)
    citing_line: Regex = "$^"  # a line only naming the documents a measure rests on (依据文件 | 《…》)
    profile: CompanyProfile | None = None
    validity_cue: Regex = "$^"
    window_sentence: Regex = "$^"
    window_end: Regex = "(?P<date>$^)"
    still_asked: Regex = "$^"  # whether an offer can still be had today (现在还能申请吗; none unless the file says)
    clause_time: ClauseTime | None = None
    min_overlap: float
    pick_share: float = 0.0  # 0: every pick that clears min_overlap is quoted
    near_pick_share: float = 0.0  # a general answer's further quotes, beside those within pick_share (0: none)
    whole_clause_chars: int = 0  # a clause body this short is quoted whole (0: quotes are sentences)
    asked_facts: list[AskedFact] = []
    document_fact_cue: Regex = "."  # every metadata question is about the document unless the file says
    goal_year_cue: Regex = "$^"
    quantity_cue: Regex = "$^"  # a question asking how many / how much (no quantity cue unless the file says)  # an open comparison asking for goal years (none unless the file says)
    asked_fact_bonus: float = 0.0
    span_act: Regex = "$^"  # the act a span is asked of, after the time asked (group `act`; none unless the file says)
    # the asker's own figure a whether-question states (营业才两年: group `unit`), and the comparators a
    # clause's threshold on such a figure is written with (已满三年, 不少于50人); none unless the file says
    own_figure: Regex = "$^"
    figure_threshold: Regex = "$^"
    cap_sentence: Regex = "$^"  # a sentence stating only the cap of the offers before it (none unless the file says)
    maximum_ask: Regex = "$^"  # a question asking the most one gets: a cap sentence then ranks with its offers
    # a sentence that states the asked kind of fact is quoted first when it scores at least this share
    # of the best pick that does not (1.0: only when it is already the best)
    asked_fact_share: float = 1.0
    # a cited clause's quote completed by its sentence saying this share of the question beyond the
    # quotes shown, in the first `complement_clauses` clauses cited (0: no completion unless the file says)
    complement_clauses: int = 0
    complement_gain: float = 1.0
    complement_floor: float = 1.0  # of the quoted sentence's relevance, for a completing sentence
    responsibility_asked: float = 1000.0  # a departments cue score that asks who, in a question routed elsewhere
    grade: Regex = "$^"  # a grade, level or category the question names (none unless the file says)
    grade_threshold: Regex = "$^"  # a size threshold the question names (2万平方米以上)
    grade_bonus: float = 0.0
    grade_share: float = 0.0
    clause_over_fact: float = 1000.0  # support facts always answer unless the file sets a ratio
    order_cues: dict[str, Regex]
    order_dates: list[MetaField]
    basis_cue: Regex
    basis_document: Regex
    basis_markers: Regex
    basis_statement: Regex = "$^"  # the sentence a document states its own basis in (制定本办法)
    structure_cue: Regex
    section_content_cue: Regex = "$^"  # a question asking what a section it names lays down (怎么规定)
    structure_count: Regex
    whole_list_cue: Regex = "$^"  # a question asking every part of a whole (一共出了哪些, 都包括哪些, 列一下)
    min_structure_score: float
    list_headings: list[ListHeading] = []  # a list asked by its kind is the section headed by that kind
    kinds_cue: Regex = "$^"  # a question asking the kinds of a thing (none unless the file says)
    kinds_sentence: Regex = "$^"  # a sentence dividing a thing into its kinds
    kinds_verbs: list[str] = []  # the verbs that divide (a question's 分成 is said by a sentence's 分为)
    duty_question: Regex = "$^"  # a question asking the duties of a named entity; group `entity`
    duty_verb: Regex = "$^"  # a verb that makes the word before it the subject of a duty
    duty_action_question: Regex = "$^"  # a question narrowing a party's duties; groups entity, when, modal, act
    prohibition: Regex = "$^"  # words of a prohibition (不得, 禁止)
    agent_sentence: list[Regex] = []  # a sentence naming who does or bears something; group `agent`
    agent_head: Regex = "$^"  # how the name of a body or party ends (部门, 单位, 局, 人 …)
    agent_name_goes_on: Regex = "$^"  # how a body's name goes on after a place (管理委员会, 人民政府)
    duty_list: Regex = "$^"  # a body announcing the list of its duties (X履行以下职责：); group `agent`
    asked_action: Regex = "$^"  # the particular acts a who-question may ask about (审查核实, 认定)
    enumeration_cue: Regex = "$^"  # a question asking the members of a thing (包括哪几个)
    meaning_cue: Regex = "$^"  # a question asking what a named thing is (是干啥的, 什么意思)
    definition_sentence: Regex = "$^"  # a sentence defining a term: the groups named term… hold what it defines
    enumeration_sentence: Regex = "$^"  # a sentence listing them (包括：A、B、C)
    list_cue: Regex = "$^"  # a question asking for a list of a class of things (哪些人, 哪几类待遇, 几大区域); group `head`
    count_threshold: Regex = "$^"  # a count asked as a threshold (雇几个人以上): no list
    announcement: Regex = "$^"  # a sentence announcing the items that follow it (以下四方面：, 程序如下：, 有下列情形之一的)
    member_head: Regex = "$^"  # a question asking the members of a class in its own noun; groups head, head_before
    member_kinds: list[list[str]] = []  # class nouns naming one kind of list (途径 / 方式 / 渠道; 行业 / 领域)
    member_head_excluded_tags: list[str] = []  # jieba tags of words naming no class before the asking verb
    member_list_coverage: float = 1.0  # share of the question a sentence listing those members must say


class RelativePrefix(Strict):
    prefix: str
    level: Literal["province", "city", "county"]
    party: bool = False


class FunctionalNames(Strict):
    """Bodies named by their field of government alone (民政部门, 税务机关): fields and generic endings."""
    fields: list[str]
    suffixes: list[str]


class JoiningVerbs(Strict):
    """Verbs written between two bodies with no punctuation (A报经B批准, A会同B): `together` — the
    second acts with the first; `upward` — the first reports to the second, which only approves."""
    together: list[str] = []
    upward: list[str] = []


class DepartmentGrammarFile(Strict):
    """Relative prefixes (市/区/省 …) qualified by the issuing jurisdiction, and standard abbreviations."""
    relative_prefixes: list[RelativePrefix]
    not_prefixes: list[str] = []
    abbreviations: dict[str, str] = {}
    organ_suffixes: list[str] = []
    functional: FunctionalNames | None = None
    joining_verbs: JoiningVerbs | None = None
    suffix_words: list[str] = []


class NationalBodies(Strict):
    prefixes: list[str]
    suffixes: list[str]
    addressees: Regex
    title_prefixes: list[str]
    doc_no_prefixes: list[str]
    question_scope: Regex | None = None  # 国家 in a question as the state: asks for the national documents


class JurisdictionsFile(Strict):
    """How a document shows it is national, the 文号 abbreviations of places, development-zone words."""
    national: NationalBodies
    doc_no_abbreviations: dict[str, str] = {}
    zone_words: list[str] = []
    level_words: dict[Literal["national", "provincial", "city", "district", "zone"], str] = {}


class WebResidueFile(Strict):
    """Lines that portals and legal databases add around a document (patterns), tail headings, and the
    lines that only a page's footer carries (where the footer, and the rest of the page, begins), and the
    credit lines an article ends with."""
    lines: list[Regex] = []
    tail_headings: list[str] = []
    footer: list[Regex] = []
    credits: list[Regex] = []


#: data file name (without .yaml) -> its model. A file not listed here is read unchecked and reported.
MODELS: dict[str, type[Strict]] = {
    "blocks": BlocksFile, "grammar": GrammarFile, "front_matter": FrontMatterFile, "cities": CitiesFile,
    "departments": DepartmentsFile, "regions": RegionsFile, "organisations": OrganisationsFile,
    "topics": TopicsFile, "support": SupportFile, "targets": TargetsFile, "thesaurus": ThesaurusFile,
    "intents": IntentsFile, "linking": LinkingFile, "answer": AnswerFile,
    "intent_examples": IntentExamplesFile, "department_grammar": DepartmentGrammarFile,
    "jurisdictions": JurisdictionsFile, "web_residue": WebResidueFile,
}


def model_for(name: str) -> type[Strict] | None:
    return MODELS.get(name)


def validate_data(name: str, data: Any) -> Strict:
    """The validated model of data file `name` (raises pydantic.ValidationError)."""
    model = MODELS[name]
    return model.model_validate(data)
