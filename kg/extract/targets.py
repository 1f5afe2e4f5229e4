"""Quantitative goals: 培育 100 家开源商业化企业, 智算规模力争达到200EFLOPS, 1—2 个开源社区 ...

Grammar: [到YYYY年] [verb] [metric] [comparator] NUMBER[—NUMBER] UNIT [以上] [metric]. Units, comparators,
framing verbs and modifiers come from genre/data/targets.yaml. A number is read as a goal when it sits
in a goals section, in a sentence that states a target year, or carries a comparator; rates of support
(最高 10% 的补贴) are not goals. The year is the sentence's own (到 2027 年), else the last one stated
earlier in the same goals section, else the end of the plan period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from corpus.grammar import grammar as numbering
from corpus.model import Policy, Section
from genre import Genre, derived
from genre.numerals import numeral_value
from kg.extract.text import Piece, body_start, pieces
from kg.lexicon import find_topics, norm
from kg.model import Span, Target

NUM = r"\d+(?:\.\d+)?"
CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUM = rf"[{CN_DIGITS}十百千万]+"
RANGE_SEP = r"\s*[—\-－–~～至到]\s*"
BOUNDARY = re.compile(r"[，。；,;：:！？]|、(?=\s*[\d零〇一二两三四五六七八九十])|[和及](?=\s*\d)")
METRIC_CONJ = re.compile(r"[和及与]")  # a metric is one noun phrase: 高速直连和毫秒级时延 -> 高速直连
SUPPORT_AFTER = re.compile(r"^\s*的[^，。；]{0,12}(?:补贴|奖励|资助|补助)")
GOAL_SECTION = re.compile(r"目标")
MONEY_UNITS = frozenset({"元", "万元", "亿元", "千亿元", "万亿元", "亿", "万亿"})
OFFER = re.compile(r"给予|奖补|予以|补贴|补助|奖励|资助")
ELIGIBILITY = re.compile(r"[\s*]*(?:对|凡|针对)")


@dataclass
class Grammar:
    pattern: re.Pattern[str]
    units: dict[str, str]
    counting: frozenset[str]
    before: dict[str, str]
    after: dict[str, str]
    leading: tuple[str, ...]
    trailing: tuple[str, ...]
    modifiers: tuple[str, ...]
    years: tuple[re.Pattern[str], ...]
    goal_verbs: re.Pattern[str] | None = None
    history_titles: tuple[str, ...] = ()
    history_sentence: re.Pattern[str] | None = None
    ratio: re.Pattern[str] | None = None  # a bare ratio before its number: PUE不高于1.25


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@derived
def grammar(genre: Genre) -> Grammar:
    data = genre.data("targets")
    units = {str(k): str(v) for k, v in data["units"].items()}
    before, after = data["comparators_before"], data["comparators_after"]
    pattern = re.compile(
        rf"(?P<cmp>{_alt(before)})?\s*"
        rf"(?P<num>{NUM}|{CN_NUM})(?:{RANGE_SEP}(?P<num2>{NUM}|{CN_NUM}))?\s*"
        rf"(?P<unit>{_alt(units)})(?![A-Za-z])\s*(?P<cmp2>{_alt(after)})?")
    return Grammar(pattern, units, frozenset(data["counting_units"]), before, after,
                   tuple(sorted(data["leading_words"], key=len, reverse=True)),
                   tuple(data["trailing_words"]), tuple(data["modifiers"]),
                   tuple(re.compile(p) for p in data["year_patterns"]),
                   re.compile(_alt([*(data.get("goal_verbs") or []), *data["leading_words"]]))
                   if data.get("goal_verbs") else None,
                   tuple(data.get("history_titles") or ()),
                   re.compile(data["history_sentence"]) if data.get("history_sentence") else None,
                   re.compile(rf"(?P<unit>{_alt(data['ratio_metrics'])})(?![A-Za-z])值?[\u4e00-\u9fff]{{0,3}}?"
                              rf"(?P<cmp>{_alt(before)})?\s*(?P<num>{NUM})(?:{RANGE_SEP}(?P<num2>{NUM}))?(?![\d.%％])"
                              rf"\s*(?P<cmp2>{_alt(after)})?")
                   if data.get("ratio_metrics") else None)


def cn_number(text: str) -> float | None:
    """Chinese numerals to a number: 十 -> 10, 二十五 -> 25, 三百 -> 300, 两万 -> 20000."""
    if re.fullmatch(NUM, text):
        return float(text)
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    units = {"十": 10, "百": 100, "千": 1000}
    total, section, current = 0, 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch in units:
            section += (current or 1) * units[ch]
            current = 0
        elif ch == "万":
            total += (section + current) * 10000
            section, current = 0, 0
        else:
            return None
    value = total + section + current
    return float(value) if value else None


def plan_end_year(policy: Policy) -> int | None:
    """The last year of the plan period: meta.period, the title, or a title line of the header."""
    period = plan_period(policy)
    return period[1] if period else None


PERIOD = re.compile(r"[（(]\s*(\d{4})\s*[-—–－~至]\s*(\d{4})\s*年?\s*[)）]")
FIVE_YEAR = re.compile(r"十([一二三四五六七八九])五")
FIVE_YEAR_END = re.compile(r"[“\"]?十([一二三四五六七八九])五[”\"]?\s*(?:期末|末期|末)")


def five_year_plan(n_text: str) -> tuple[int, int]:
    """The years of the n-th five-year plan (十三五 -> 2016-2020): the third began in 1966 and every one
    since has followed the last."""
    n = numeral_value("十" + n_text) or 0
    start = 1966 + 5 * (n - 3)
    return start, start + 4


def plan_period(policy: Policy) -> tuple[int, int] | None:
    """(first, last) year of the plan period. Header lines with sentence punctuation are skipped: a
    preamble may cite another plan's period (贯彻落实《……（2022—2025年）》)."""
    meta_period = re.search(r"(\d{4})\D+(\d{4})", policy.meta.period or "")
    if meta_period:
        return int(meta_period.group(1)), int(meta_period.group(2))
    lines = [policy.meta.title, *policy.text[: body_start(policy)].split("\n")]
    for line in lines:
        m = PERIOD.search(line or "")
        if m and not re.search(r"[，。；,]", line):
            return int(m.group(1)), int(m.group(2))
    m = FIVE_YEAR.search(policy.meta.title or "")
    if m:  # a plan named for its period: ……“十三五”规划
        return five_year_plan(m.group(1))
    return None


def sentence_year(text: str, before: int, *, genre: Genre) -> int | None:
    """The target year stated in the sentence before position `before` (到 2027 年 ...)."""
    best = None
    for pattern in grammar(genre).years:
        for m in pattern.finditer(text, 0, before):
            if best is None or m.start() > best[0]:
                best = (m.start(), int(m.group(1)))
    for m in FIVE_YEAR_END.finditer(text, 0, before):  # 到“十三五”期末
        if best is None or m.start() > best[0]:
            best = (m.start(), five_year_plan(m.group(1))[1])
    return best[1] if best else None


def is_goal_section(section: Section | None) -> bool:
    return section is not None and (section.kind == "goals" or bool(GOAL_SECTION.search(section.title)))


def _strip_words(text: str, words: tuple[str, ...], leading: bool = True) -> str:
    changed = True
    while changed and text:
        changed = False
        for w in words:
            if leading and text.startswith(w):
                text, changed = text[len(w):], True
            elif not leading and text.endswith(w) and len(text) > len(w):
                text, changed = text[: -len(w)], True
    return text


def _clean_metric(text: str, *, genre: Genre) -> str:
    g = grammar(genre)
    text = norm(text).strip("“”\"'（）()")
    for p in g.years:
        text = p.sub("", text)
    if "的" in text:
        text = text.rsplit("的", 1)[1]
    text = _strip_words(text, g.leading)
    text = _strip_words(text, tuple(g.before), leading=True)
    text = _strip_words(text, g.modifiers)
    text = _strip_words(text, g.trailing, leading=False)
    text = _strip_words(text, tuple(g.before), leading=False)
    return text.strip("“”\"'")


def metric_of(sentence: str, m: re.Match[str], *, genre: Genre) -> str:
    """The noun phrase the number counts: after the unit, else before the comparator/number."""
    rest = sentence[m.end():]
    cut = BOUNDARY.search(rest)
    after = _clean_metric(METRIC_CONJ.split(rest[: cut.start()] if cut else rest, maxsplit=1)[0], genre=genre)
    if after:
        return after
    head = sentence[: m.start()]
    bounds = [b.end() for b in BOUNDARY.finditer(sentence) if b.end() <= m.start()]
    return _clean_metric(head[bounds[-1] if bounds else 0:], genre=genre)


def _comparator(m: re.Match[str]) -> str:
    """The comparator as written (力争达到, 以上, 超); '=' when the goal states a plain number."""
    words = [w for w in (m.group("cmp"), m.group("cmp2")) if w]
    return "".join(words) or "="


def _is_goal_number(m: re.Match[str], sentence: str, in_goals: bool, has_year: bool, *, genre: Genre) -> bool:
    g = grammar(genre)
    num = m.group("num")
    if not re.fullmatch(NUM, num) and m.group("unit") not in g.counting:
        return False  # 一批 / 万卡: Chinese numerals count only things
    head = sentence[max(0, m.start() - 3): m.start()]
    if "最高" in head or "第" in head[-1:] or SUPPORT_AFTER.match(sentence[m.end():]):
        return False
    if re.search(r"[\d.]$", sentence[: m.start()]):
        return False
    clause_start = max([b.end() for b in BOUNDARY.finditer(sentence) if b.end() <= m.start()], default=0)
    if ELIGIBILITY.match(sentence, clause_start):
        return False  # 对年度营业收入首次突破1亿元的企业，给予……: a condition of support, not a goal
    clause_end = BOUNDARY.search(sentence, m.end())
    clause = sentence[clause_start: clause_end.start() if clause_end else len(sentence)]
    if m.group("unit") in MONEY_UNITS and OFFER.search(clause):
        return False  # 分别给予不低于30万元的奖励: an amount of support
    if re.search(r"[%％]的", sentence[clause_start:m.start()]):
        return False  # 75%的县(市)至少建成一所三级医院: the criterion of a share, not a goal of its own
    verbs = g.goal_verbs
    near = sentence[max(clause_start, m.start() - 16):m.start()]  # the verb that frames the number
    framed = verbs is None or bool(verbs.search(near))
    compared = bool(m.group("cmp") or m.group("cmp2")) or any(w in near[-8:] for w in g.before)
    if not re.fullmatch(NUM, num) and not (compared or framed):
        return False  # 这一条主线 / 两个动力: a Chinese numeral is a goal only when a verb or comparator frames it
    if in_goals or has_year:
        return True
    return compared and framed  # 至少组建1个 / 落地超100个: a comparator and a verb of achieving


def _without_number(clause: str, genre: Genre) -> str:
    """The clause without the item number it opens with (（三）, 第五条, 3.), as the genre numbers items."""
    clause = clause.lstrip()
    marker = numbering(genre).match_marker(clause)
    return clause[marker.end:].lstrip() if marker else clause


def ratio_targets_in(piece: Piece, year: int | None, in_goals: bool, *, genre: Genre) -> list[tuple[int, Target]]:
    """Goals for a bare ratio written before its number (数据中心PUE降至1.25以下): in a goals section, in a
    sentence stating a year, or with a comparator; the ratio's name is its unit, the phrase before it
    (数据中心) qualifies the metric. With each goal its position in the sentence."""
    g, out, text = grammar(genre), [], piece.text
    for m in g.ratio.finditer(text) if g.ratio else ():
        own_year = sentence_year(text, m.start(), genre=genre)
        compared = bool(m.group("cmp") or m.group("cmp2"))
        if not (in_goals or own_year is not None or compared):
            continue
        clause_start = max([b.end() for b in BOUNDARY.finditer(text) if b.end() <= m.start()], default=0)
        if ELIGIBILITY.match(text, clause_start) or text.startswith("的", m.end()):
            continue  # 对PUE低于1.3的数据中心给予… / PUE不高于1.3的项目: a condition, not a goal
        stop = BOUNDARY.search(text, m.end())
        head = _clean_metric(_without_number(text[clause_start:m.start()], genre), genre=genre)
        out.append((m.start(), Target(
            text=text[clause_start:stop.start() if stop else len(text)].strip(), metric=head + m.group("unit"),
            value=float(m.group("num")), unit=m.group("unit"), comparator=_comparator(m),
            year=own_year or year, value_max=float(m.group("num2")) if m.group("num2") else None,
            topics=find_topics(head + m.group("unit"), genre=genre),
            span=Span(piece.measure.id if piece.measure else None, piece.start, piece.end, text))))
    return out


def targets_in(piece: Piece, year: int | None, in_goals: bool, *, genre: Genre) -> list[Target]:
    """Every goal in one sentence, with `year` as the default year."""
    found = ratio_targets_in(piece, year, in_goals, genre=genre)
    text = piece.text
    for m in grammar(genre).pattern.finditer(text):
        own_year = sentence_year(text, m.start(), genre=genre)
        if not _is_goal_number(m, text, in_goals, own_year is not None, genre=genre):
            continue
        value = cn_number(m.group("num"))
        if value is None:
            continue
        value_max = cn_number(m.group("num2")) if m.group("num2") else None
        per_year = bool(re.search(r"每年|年均|每年度", text[max(0, m.start() - 12): m.start()]))
        clause_start = max([b.end() for b in BOUNDARY.finditer(text) if b.end() <= m.start()], default=0)
        stop = BOUNDARY.search(text, m.end())
        clause_end = stop.start() if stop else len(text)
        metric = metric_of(text, m, genre=genre)
        found.append((m.start(), Target(
            text=text[clause_start:clause_end].strip(), metric=metric, value=value,
            unit=grammar(genre).units[m.group("unit")], comparator=_comparator(m),
            year=None if per_year and own_year is None else (own_year or year), value_max=value_max,
            topics=find_topics(metric or text, genre=genre), per_year=per_year,
            span=Span(piece.measure.id if piece.measure else None, piece.start, piece.end, text))))
    return [t for _, t in sorted(found, key=lambda x: x[0])]


PAST_PLAN = re.compile(r"十([一二三四五六七八九])五[”\"]?\s*(?:时期|期间|以来)")


def _is_history(policy: Policy, piece: Piece, g: Grammar, period: tuple[int, int] | None) -> bool:
    """A review of the past: a sentence reporting it (截至上年末 …, 已建成 …, “十二五”期间 in a later plan)
    or any sentence of a section reviewing it (发展回顾, 发展基础 …)."""
    if g.history_sentence is not None and g.history_sentence.search(piece.text):
        return True
    past = PAST_PLAN.search(piece.text)
    if past and period and five_year_plan(past.group(1))[1] < period[0]:
        return True
    section = piece.section
    while section is not None:
        if any(w in section.title for w in g.history_titles) and not is_goal_section(section):
            return True
        section = policy.section(section.parent_id) if section.parent_id else None
    return False


def extract_targets(policy: Policy, *, genre: Genre) -> list[Target]:
    """All quantitative goals of a policy, in document order."""
    plan_year = plan_end_year(policy)
    out: list[Target] = []
    section_year: dict[str, int] = {}
    g = grammar(genre)
    period = plan_period(policy)
    for piece in pieces(policy):
        if _is_history(policy, piece, g, period):
            continue  # a review of the past or a statistic of last year: never a goal
        in_goals = is_goal_section(piece.section)
        key = piece.section.id if piece.section else ""
        own = sentence_year(piece.text, len(piece.text), genre=genre)
        default = section_year.get(key) if in_goals else None
        out += targets_in(piece, default or plan_year, in_goals, genre=genre)
        if own and in_goals:
            section_year[key] = own
    return out
