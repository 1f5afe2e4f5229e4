"""A company profile: "我们是X区一家规上制造企业，去年研发投入…" — every support that may apply there.

The profile is read from the question itself: where the company is (the jionlp gazetteer, then the
place's city and province above it; national documents apply everywhere), what it is (traits the
genre lists: size class 规上 / 中小企业 / 小微企业, industry, 专精特新, 高新技术企业 …) and its figures
(研发投入 300万元, 营业收入 2亿元, 产值增长了1500万元, 员工 80人), each under the name of what it measures.
The supports are the offers of the documents of each level; each condition an offer sets is marked
met / not met / unknown from what the profile says: a trait it names, and a threshold on a figure of
the same kind (年产值同比增长超过1000万元 is met by 产值增长了1500万元, unknown from 研发投入 alone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from genre import Genre, read_data

_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(亿|万)?元")
_COUNT = re.compile(r"(\d+)\s*(?:名|个|位)?\s*(?:人|员工|职工)")
MET, NOT_MET, UNKNOWN = "已满足", "不满足", "未知"


@dataclass
class Figure:
    """A figure the profile states: what it measures (a key of the genre's `figures`), its value (万元,
    or a head count) and whether it is a growth (增长了…)."""

    kind: str
    value: float
    growth: bool = False
    text: str = ""


@dataclass
class Profile:
    place: str | None = None  # as the question writes it
    levels: list[str] = field(default_factory=list)  # the place, then its city and province
    traits: list[str] = field(default_factory=list)
    amounts: list[float] = field(default_factory=list)  # figures the profile states, in 万元
    figures: list[Figure] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)  # keys of the genre's `industries`


def _data(genre: Genre) -> dict:
    return read_data("answer", genre=genre).get("profile") or {}


def read_profile(question: str, *, genre: Genre) -> Profile | None:
    """The profile a question describes, or None when it does not describe one."""
    data = _data(genre=genre)
    opener = data.get("opener")
    m = re.search(opener, question) if opener else None
    if not m:
        return None
    from rag.places import locate

    where = (m.group("where") or "").strip()
    found = locate(where) if where else None
    levels = [found[k] for k in ("county", "city", "province") if found and found.get(k)]
    traits = [t for t in data.get("traits") or [] if t in question]
    return Profile(place=where or None, levels=levels, traits=traits, amounts=amounts_in(question),
                   figures=figures_in(question, genre=genre), industries=industries_in(question, genre=genre))


def specific_questions(question: str, *, genre: Genre) -> list[str]:
    """The clauses of a profile question that ask something other than which offers there are
    ("申领有什么条件", "怎么结算", "能不能分期付款"): a company that asks one wants that fact, not the
    list of every offer at every level."""
    data = _data(genre=genre)
    cue, offers = data.get("question_cue") or "$^", data.get("offers_ask") or "$^"
    return [c for c in _clauses(question)[1:] if re.search(cue, c) and not re.search(offers, c)]


def asks_no_offers(question: str, *, genre: Genre) -> bool:
    """The profile is followed by a question (a question mark, or a clause asking: specific_questions)
    and no clause after the company's introduction says a word of support or money (offers_words): the
    company wants that answer, not the list of offers of its place ("我们公司在广东，…有没有啥红线是绝对
    不能碰的？"). A profile asking nothing ("我们是X区一家规上制造企业，去年研发投入…") still gets the
    offers, and so does one asking for them in any words (能按营业额的多少比例奖励, 能给多少奖金)."""
    data = _data(genre=genre)
    asks = bool(re.search(r"[？?]", question)) or bool(specific_questions(question, genre=genre))
    words = data.get("offers_words") or "$^"
    return asks and not any(re.search(words, c) for c in _clauses(question)[1:])


def offers_clauses(question: str, *, genre: Genre) -> list[str]:
    """The clauses of a profile question after the one introducing the company that ask which offers
    there are (招退役军人能拿什么补贴, 有什么支持), with the asking words removed (招退役军人): what is
    left names the subject of the offers asked for, when it names any."""
    offers = _data(genre=genre).get("offers_ask") or "$^"
    return [re.sub(offers, "", c) for c in _clauses(question)[1:] if re.search(offers, c)]


def intended_clauses(question: str, *, genre: Genre) -> list[str]:
    """The clauses of a profile question saying what the company means to do (要是把业务迁回柳河结算):
    like the subject named in the clause asking for offers, what the offers asked for are for."""
    intends = _data(genre=genre).get("intends") or "$^"
    return [c for c in _clauses(question)[1:] if re.search(intends, c)]


def company_words(*, genre: Genre) -> set[str]:
    """The words that describe the company itself (its traits, its kind as a beneficiary): in the
    clause asking for offers they say who asks, not what the offers are for."""
    data = _data(genre=genre)
    return set(data.get("traits") or []) | set(data.get("company_beneficiaries") or [])


def profile_asked(question: str, profile: Profile) -> str:
    """What a specific question after a profile asks, searched as a question: the company's place and
    every clause after the one introducing it (我们是北京一家…企业，租用了智能算力，申领有什么条件 ->
    北京，租用了智能算力，申领有什么条件)."""
    rest = "，".join(_clauses(question)[1:])
    return f"{profile.place or ''}，{rest}？" if rest else question


def _clauses(question: str) -> list[str]:
    return [c.strip() for c in re.split(r"[，,。？?！!；;]", question) if c.strip()]


def industries_in(text: str, *, genre: Genre) -> list[str]:
    """The industries a text names (keys of the genre's `industries`), the longest word first so that
    工业互联网 is not also 工业."""
    words = sorted(((w, key) for key, ws in (_data(genre=genre).get("industries") or {}).items() for w in ws),
                   key=lambda t: len(t[0]), reverse=True)
    found: list[str] = []
    for word, key in words:
        if word in text:
            text = text.replace(word, "\0")
            if key not in found:
                found.append(key)
    return found


INDUSTRY = "行业"  # the label of an industry condition ("行业：旅游")


def industry_mark(text: str, profile: Profile, *, genre: Genre) -> tuple[str, str] | None:
    """(行业：…, 不满足) when the offer names industries and none is the company's or the broader one its
    industry belongs to (a tourism offer for a pharmaceutical company); None when the offer names
    none, or one the company may be in (a narrower one than the company says stays unknown)."""
    offered = industries_in(text, genre=genre)
    if not offered or not profile.industries:
        return None
    within = _data(genre=genre).get("industry_within") or {}
    mine = set(profile.industries) | {within[i] for i in profile.industries if i in within}
    narrower = {i for i, broad in within.items() if broad in profile.industries}
    if set(offered) & (mine | narrower):
        return None
    return f"{INDUSTRY}：{'、'.join(offered)}", NOT_MET


def other_industry(marks: list[tuple[str, str]]) -> bool:
    """The offer is for companies of another industry (see industry_mark)."""
    return any(c.startswith(f"{INDUSTRY}：") and s == NOT_MET for c, s in marks)


def amounts_in(text: str) -> list[float]:
    """Every amount written in yuan, in 万元."""
    out = []
    for value, unit in _AMOUNT.findall(text):
        v = float(value)
        out.append(v * 10000 if unit == "亿" else v if unit == "万" else v / 10000)
    return out


def figure_kind(text: str, *, genre: Genre) -> str | None:
    """What a figure measures, from the words written before it (the last kind named wins)."""
    best: tuple[int, str] | None = None
    for kind, words in (_data(genre=genre).get("figures") or {}).items():
        for w in words:
            i = text.rfind(w)
            if i >= 0 and (best is None or i + len(w) > best[0]):
                best = (i + len(w), kind)
    return best[1] if best else None


def figures_in(question: str, *, genre: Genre) -> list[Figure]:
    """The figures a profile states, each named by what it measures (研发投入300万元 -> 研发投入)."""
    out: list[Figure] = []
    for clause in re.split(r"[，,。；;]", question):
        last = 0
        for m in _AMOUNT.finditer(clause):
            before = clause[last:m.start()]
            kind = figure_kind(before, genre=genre) or figure_kind(clause[:m.start()], genre=genre)
            if kind:
                out.append(Figure(kind, amounts_in(m.group(0))[0], "增" in before, m.group(0)))
            last = m.end()
        for m in _COUNT.finditer(clause):
            kind = figure_kind(clause[: m.end()], genre=genre)
            if kind and kind == "员工":
                out.append(Figure(kind, float(m.group(1)), "增" in clause[: m.start()], m.group(0)))
    return out


def trait_met(trait: str, profile: Profile, *, genre: Genre) -> bool:
    """The profile says the trait, or one the genre counts as the same (规上 = 规模以上)."""
    same = next((g for g in _data(genre=genre).get("same_traits") or [] if trait in g), [trait])
    return any(t in profile.traits for t in same)


def conditions(sentence: str, profile: Profile, *, genre: Genre, context: str = "") -> list[tuple[str, str]]:
    """(condition, 已满足 | 不满足 | 未知) for each condition the sentence sets that the profile can speak
    to: the industry it is for (read with `context`, the clause's title), a trait it names, and a
    threshold on a figure ("年产值同比增长超过1000万元", "1000万元以上")."""
    data = _data(genre=genre)
    sentence = re.sub(r"\s+", "", sentence)  # a line broken inside a word (年产 值) is one word
    industry = industry_mark(re.sub(r"\s+", "", context) + sentence, profile, genre=genre)
    out: list[tuple[str, str]] = [industry] if industry else []
    said: set[str] = set()
    clauses: set[int] = set()
    for trait in sorted(data.get("traits") or [], key=len, reverse=True):
        if trait in sentence and not any(trait in s for s in said):
            said.add(trait)
            out.append((trait, MET if trait_met(trait, profile, genre=genre) else UNKNOWN))
    for m in re.finditer(data.get("threshold") or r"$^", sentence):
        limit = amounts_in(m.group(0))
        if not limit:
            continue
        clause_start = max((sentence.rfind(c, 0, m.start()) for c in "，,；;：:。（("), default=-1) + 1
        if clause_start in clauses:
            continue  # tiers of one clause (1000万元及以上至2000万元、2000万元以上…): one condition
        clauses.add(clause_start)
        lead = sentence[clause_start : m.start()]
        kind = figure_kind(lead, genre=genre)
        growth = bool(re.search(r"增长|增加|新增|超出", lead))
        mine = [f for f in profile.figures if f.kind == kind and f.growth == growth] if kind else []
        label = re.sub(r"^(对|凡|其|年度|企业)", "", sentence[clause_start : m.end()]) or m.group(0)
        if not mine:
            out.append((label, UNKNOWN))
        else:
            out.append((label, MET if max(f.value for f in mine) >= limit[0] else NOT_MET))
    return out


def verdict(marks: list[tuple[str, str]]) -> int:
    """Rank of an offer for the profile: 0 every stated condition met, 1 unknown, 2 one not met."""
    if any(s == NOT_MET for _, s in marks):
        return 2
    return 0 if marks and all(s == MET for _, s in marks) else 1


def company_offer(beneficiaries: list[str], *, genre: Genre) -> bool:
    """An offer a company can take: for one of the genre's company applicants (企业, 中小企业, 项目 …),
    or naming nobody; not one only for persons, families or universities."""
    if not beneficiaries:
        return True
    return bool(set(beneficiaries) & set(_data(genre=genre).get("company_beneficiaries") or []))
