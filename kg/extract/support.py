"""Support offered to enterprises, universities, developers and talent: one item per offering clause.

The vocabulary (kinds and their trigger words, beneficiaries, conditions, amounts and rates) and the
grouping rule live in genre/data/support.yaml; this module reads clauses and applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from corpus.model import Measure, Policy
from genre import Genre, derived
from genre.dates import DEADLINE, resolve_deadline
from kg.extract.text import CLAUSE_END, Piece, pieces
from kg.lexicon import find_topics
from kg.model import Span, Support

PART_SEP = re.compile(r"[，,]")


@dataclass
class Vocabulary:
    kinds: list[tuple[str, re.Pattern[str]]]
    needs_offer_word: frozenset[str]
    offer_words: re.Pattern[str]
    beneficiaries: list[tuple[str, tuple[str, ...]]]
    beneficiary_ignore: re.Pattern[str]
    conditions: list[re.Pattern[str]]
    rates: list[re.Pattern[str]]
    amounts: list[re.Pattern[str]]
    caps: list[re.Pattern[str]]
    applicants: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    objects: frozenset[str] = frozenset()
    not_offers: list[re.Pattern[str]] = field(default_factory=list)
    cap_back: re.Pattern[str] | None = None
    offer_verbs: re.Pattern[str] | None = None
    amount_each: re.Pattern[str] | None = None
    applicant_cues: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    object_applicant: str | None = None
    broader: dict[str, str] = field(default_factory=dict)  # 规上企业 -> 企业
    not_offer_clauses: list[re.Pattern[str]] = field(default_factory=list)
    all_of: re.Pattern[str] | None = None
    widened_to: re.Pattern[str] | None = None
    threshold: re.Pattern[str] | None = None
    rate_lead: re.Pattern[str] | None = None
    windows: list[re.Pattern[str]] = field(default_factory=list)
    window_rows: re.Pattern[str] | None = None
    window_words: re.Pattern[str] | None = None
    tier_lead: re.Pattern[str] | None = None
    grant_verbs: re.Pattern[str] | None = None
    condition_heading: re.Pattern[str] | None = None
    condition_lead: re.Pattern[str] | None = None
    list_lead: re.Pattern[str] | None = None
    tier_runs: list[re.Pattern[str]] = field(default_factory=list)
    tier_before: list[re.Pattern[str]] = field(default_factory=list)
    tier_suffix: re.Pattern[str] | None = None
    tier_grade_range: re.Pattern[str] | None = None
    tier_pair: re.Pattern[str] | None = None
    tier_bracket: re.Pattern[str] | None = None
    tier_bound: re.Pattern[str] | None = None
    tier_comparator: re.Pattern[str] | None = None
    tier_unit: re.Pattern[str] | None = None
    tier_stem_pattern: str | None = None
    condition_rows: re.Pattern[str] | None = None
    declared_applicant: re.Pattern[str] | None = None
    dated_condition: re.Pattern[str] | None = None
    condition_label: re.Pattern[str] | None = None
    dated_span_condition: re.Pattern[str] | None = None
    dated_condition_before: re.Pattern[str] | None = None
    recipient: re.Pattern[str] | None = None
    applicant_modifier: re.Pattern[str] | None = None
    needs_applicant: frozenset[str] = frozenset()
    government_recipients: re.Pattern[str] | None = None
    buyer_kinds: frozenset[str] = frozenset()
    sellers: re.Pattern[str] | None = None


@derived
def vocabulary(genre: Genre) -> Vocabulary:
    data = genre.data("support")
    kinds = [(k["kind"], re.compile("|".join(f"(?:{t})" for t in k["triggers"]))) for k in data["kinds"]]
    return Vocabulary(
        kinds=kinds,
        needs_offer_word=frozenset(data.get("needs_offer_word") or []),
        offer_words=re.compile("|".join(map(re.escape, data.get("offer_words") or ["给予"]))),
        beneficiaries=[(b["name"], tuple(b.get("aliases") or [b["name"]])) for b in data["beneficiaries"]],
        beneficiary_ignore=re.compile("|".join(map(re.escape, data.get("beneficiary_ignore") or ["\x00"]))),
        conditions=[re.compile(p) for p in data.get("conditions") or []],
        rates=[re.compile(p) for p in data.get("rates") or []],
        amounts=[re.compile(p) for p in data.get("amounts") or []],
        caps=[re.compile(p) for p in data.get("caps") or []],
        applicants=[(b["name"], tuple(b.get("aliases") or [b["name"]])) for b in data.get("applicants") or []],
        objects=frozenset(data.get("objects") or []),
        not_offers=[re.compile(p) for p in data.get("not_offers") or []],
        cap_back=re.compile(data["cap_back"]) if data.get("cap_back") else None,
        offer_verbs=re.compile("|".join(map(re.escape, data.get("offer_verbs") or ["给予"]))),
        amount_each=re.compile(data["amount_each"]) if data.get("amount_each") else None,
        applicant_cues=[(re.compile(c["pattern"]), c["name"]) for c in data.get("applicant_cues") or []],
        object_applicant=data.get("object_applicant"),
        broader={b["name"]: b["broader"] for b in data.get("applicants") or [] if b.get("broader")},
        not_offer_clauses=[re.compile(p) for p in data.get("not_offer_clauses") or []],
        all_of=_optional(data.get("all_of")), widened_to=_optional(data.get("widened_to")),
        threshold=_optional(data.get("threshold")), rate_lead=_optional(data.get("rate_lead")),
        windows=[re.compile(p) for p in data.get("windows") or []],
        window_rows=_optional(data.get("window_rows")),
        grant_verbs=re.compile("|".join(map(re.escape, data["grant_verbs"]))) if data.get("grant_verbs") else None,
        condition_heading=_optional(data.get("condition_heading")),
        condition_lead=_optional(data.get("condition_lead")), list_lead=_optional(data.get("list_lead")),
        window_words=_optional(data.get("window_words")), tier_lead=_optional(data.get("tier_lead")),
        tier_runs=[*(re.compile(f"(?:{i})(?:{_TIER_SEP}(?:{i}))+") for i in _tier_items(data)), *_tier_lists(data)],
        tier_before=[re.compile(f"(?:{i})\\s*(?:以及|[、和与或及])\\s*$") for i in _tier_items(data)],
        tier_suffix=_optional(data.get("tier_suffix")), tier_grade_range=_optional(data.get("tier_grade_range")),
        tier_pair=_tier_pair(data), tier_bracket=_optional(_bracket(data)),
        tier_bound=_optional(data.get("tier_bound")), tier_comparator=_optional(data.get("tier_comparator")),
        tier_unit=_optional(data.get("tier_unit")), tier_stem_pattern=data.get("tier_stem"),
        condition_rows=_optional(data.get("condition_rows")),
        declared_applicant=_optional(data.get("declared_applicant")),
        dated_condition=_optional(data.get("dated_condition")),
        condition_label=_optional(data.get("condition_label")),
        dated_span_condition=_optional(data.get("dated_span_condition")),
        dated_condition_before=_optional(data.get("dated_condition_before")),
        recipient=_optional(data.get("recipient")), applicant_modifier=_optional(data.get("applicant_modifier")), needs_applicant=frozenset(data.get("needs_applicant") or []),
        government_recipients=_optional(data.get("government_recipients")),
        buyer_kinds=frozenset(data.get("buyer_kinds") or []),
        sellers=re.compile("|".join(map(re.escape, data["sellers"]))) if data.get("sellers") else None)


def _optional(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


_TIER_SEP = r"\s*(?:[、和与或]|及(?!以))\s*"  # 1000万元及以上: no separator


def _tier_items(data: dict) -> list[str]:
    """What one tier of a list is written as: a grade (stem + optional shared suffix) or a range of money."""
    items = []
    if data.get("tier_stem"):
        items.append(f"{data['tier_stem']}(?:{data.get('tier_suffix') or '(?!)'})?")
    if _bracket(data):
        items.append(_bracket(data))
    return items


_NUMBER = r"\d+(?:\.\d+)?"
_RANGE_SEP = r"\s*(?:[至到—–~～-]|不足|低于|不超过|未满)\s*"  # 50个（含）以上不足100个: a range by comparators


def _bracket(data: dict) -> str | None:
    """A tier written as a bracket of a measured quantity (5万平方米以上, 3亿元至5亿元（含）, 100—500亩,
    不少于1000公斤): a number with its unit, the comparator before it and the bound after it, or a range of
    two (whose first number may leave the unit to the second). A genre's own `tier_range` replaces it."""
    if data.get("tier_range"):
        return data["tier_range"]
    if not data.get("tier_unit"):
        return None
    unit, comparator = data["tier_unit"], data.get("tier_comparator") or "(?!)"
    bound = data.get("tier_bound") or "(?!)"
    one = f"{_NUMBER}\\s*(?:{unit})(?:\\s*(?:{bound}))*"
    bare = f"{_NUMBER}\\s*(?:万亿|亿|万|千)?(?:\\s*(?:{bound}))*"  # 1万（含）至3万平方米: the unit written once
    return f"(?:(?:{comparator})\\s*)?(?:{one}(?:{_RANGE_SEP}{one})?|{bare}{_RANGE_SEP}{one})"


_TITLE_OPEN, _TITLE_CLOSE = "《〈", "》〉"


def mask_titles(text: str) -> str:
    """The text with every cited title (《…基金管理办法》, 《关于给予…奖励的通知》) blanked out, offsets
    kept: words of a document's name offer nothing, name no applicant and state no amount. A part cut
    inside a title (its 》 before any 《) is blanked from its start."""
    closes, opens = [text.find(c) for c in _TITLE_CLOSE], [text.find(c) for c in _TITLE_OPEN]
    first_close = min((i for i in closes if i >= 0), default=-1)
    first_open = min((i for i in opens if i >= 0), default=-1)
    depth = 1 if first_close >= 0 and (first_open < 0 or first_close < first_open) else 0
    if not depth and first_open < 0:
        return text
    out = []
    for ch in text:
        if ch in _TITLE_OPEN:
            depth += 1
        out.append("\x00" if depth > 0 else ch)
        if ch in _TITLE_CLOSE and depth > 0:
            depth -= 1
    return "".join(out)


def kind_of(text: str, offer_context: str | None = None, *, genre: Genre) -> str | None:
    """The first kind (in lexicon priority) whose trigger occurs in the text; a kind that needs an offering
    word finds it in the text or in `offer_context` (the rest of its clause: 做好专项资金保障，协同支持…).
    Words of a cited title are not read."""
    vocab = vocabulary(genre)
    text = mask_titles(text)
    offer_context = mask_titles(offer_context) if offer_context else offer_context
    for kind, pattern in vocab.kinds:
        if pattern.search(text) and (kind not in vocab.needs_offer_word or vocab.offer_words.search(text)
                                     or (offer_context and vocab.offer_words.search(offer_context))):
            return kind
    return None


@dataclass
class Group:
    """Consecutive parts of a clause that make one offer."""

    start: int  # offsets into Policy.text
    end: int
    kind: str | None = None
    parts: list[tuple[int, int]] = field(default_factory=list)


def offer_groups(text: str, base: int, *, genre: Genre) -> list[Group]:
    """Cut a clause at commas and group the parts into offers (see support.yaml for the rule)."""
    groups: list[Group] = []
    pending: list[tuple[int, int]] = []
    pos = 0
    for m in [*PART_SEP.finditer(text), None]:
        end = m.start() if m else len(text)
        part = (base + pos, base + end)
        kind = kind_of(text[pos:end], text[end:], genre=genre)
        if kind is not None and groups and not pending and _REFERS_BACK.match(text[pos:end]):
            groups[-1].parts.append(part)  # …给予工作许可，其创业经历可以视同工作经历: more of the same offer
            groups[-1].end = part[1]
        elif kind is None:
            pending.append(part)
        elif groups and groups[-1].kind == kind and not pending and not _other_applicant(
                text[pos:end], text[groups[-1].start - base:pos], genre=genre):
            groups[-1].parts.append(part)
            groups[-1].end = part[1]
        else:
            parts = [*pending, part]
            groups.append(Group(parts[0][0], part[1], kind, parts))
            pending = []
        pos = m.end() if m else len(text)
    if pending and groups:
        groups[-1].end = pending[-1][1]
    return groups


_REFERS_BACK = re.compile(r"^\s*其(?![中他余它次])")  # 其创业经历…: the one the offer before is made to


def _other_applicant(part: str, before: str, *, genre: Genre) -> bool:
    """A part naming an applicant of its own that the offer before it does not name (小微企业依法享受…
    after 高新技术企业…享受…): a second offer, not more of the first."""
    head = re.sub(r"^(?:对|凡|其中|同时)", "", part.strip())
    mine = {name for name, aliases in vocabulary(genre).applicants if head.startswith(aliases)}  # 小微企业依法享受…
    return bool(mine) and not mine <= set(applicants_of(before, genre=genre))


def _first(patterns: list[re.Pattern[str]], text: str) -> str | None:
    for p in patterns:
        m = p.search(text)
        if m:
            return m.group(0).strip()
    return None


def beneficiaries_of(text: str, *, genre: Genre) -> list[str]:
    """Normalised beneficiaries named in an offer (a more specific one hides its general form)."""
    return _listed(text, vocabulary(genre).beneficiaries, genre=genre)


def applicants_of(text: str, *, genre: Genre) -> list[str]:
    """Who applies for an offer (企业 / 个人 / 家庭 / 人才 …), never what is supported (项目 / 产品).

    The narrowest name wins: 对规上工业企业…给予企业奖励 is for 规上企业 (the 企业 after 给予 repeats
    it), unless the general one is written as all of them (所有企业); after a widening word (由制造业
    企业扩展到全部企业) only the names after it apply."""
    vocab = vocabulary(genre)
    text = mask_titles(_CJK_GAP.sub("", text))  # 给予企 业100万元: a line break of the source inside a word
    if vocab.applicant_modifier:  # 居民存量住房: whose housing, not who applies
        text = vocab.applicant_modifier.sub(lambda m: "\x00" * len(m.group(0)), text)
    widened = vocab.widened_to.search(text) if vocab.widened_to else None
    if widened and _named(text[widened.end():], vocab.applicants, genre=genre):
        text = text[widened.end():]
    names = _named(text, vocab.applicants, genre=genre)
    general = {n for n in names if _written_as_all(text, n, genre=genre)}
    narrowed = {b for n in names for b in _broader(n, genre=genre) if b not in general}
    return [n for n in names if n not in narrowed and not set(_broader(n, genre=genre)) & general]


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def recipients_of(text: str, *, genre: Genre) -> list[str]:
    """The applicants an offer is made to when it names them after 为/向/面向 (指导各类创业孵化基地为电子
    商务创业人员提供场地支持: the 创业人员 apply, not the 孵化基地 or the 中小微企业 named before)."""
    vocab = vocabulary(genre)
    if vocab.recipient is None:
        return []
    for m in vocab.recipient.finditer(mask_titles(_CJK_GAP.sub("", text))):
        names = applicants_of(_recipient(m), genre=genre)
        if names:
            return names
    return []


def _recipient(m: re.Match[str]) -> str:
    """The recipient a match of the vocabulary's recipient pattern names (its first group that took part)."""
    return next((g for g in m.groups() if g), "")


def own_applicants(text: str, *, genre: Genre) -> list[str]:
    """Who an offer names as applying, in its own words: its recipient, else every applicant it names."""
    return recipients_of(text, genre=genre) or applicants_of(text, genre=genre)


def _written_as_all(text: str, name: str, *, genre: Genre) -> bool:
    """所有企业 / 各类企业: the name of every applicant of that category."""
    vocab = vocabulary(genre)
    if vocab.all_of is None:
        return False
    aliases = next((a for n, a in vocab.applicants if n == name), ())
    return any(re.search(vocab.all_of.pattern + re.escape(alias), text) for alias in aliases)


def amounts_of(text: str, *, genre: Genre) -> list[str]:
    """Every amount and rate an offer gives, as written: tiers and caps included, never the amount a
    claimant must reach (固定资产投资1000万元及以上的…; 年度纳税额超过500万元的企业，按…20%给予): that
    is part of the condition. Before the offering verb only an amount tied to it by 按/参照/以 in the
    part next to the verb counts (省级按照不超过项目投资额30%的比例给予…)."""
    vocab = vocabulary(genre)
    if vocab.amount_each is None:
        return []
    text = mask_titles(text)
    verb = vocab.offer_verbs.search(text) if vocab.offer_verbs else None
    out = []
    for m in vocab.amount_each.finditer(text):
        if vocab.threshold and vocab.threshold.search(text[m.end():m.end() + 12]):
            continue
        if verb and m.end() <= verb.start() and not _tied_to_verb(text, m.start(), verb.start(), genre=genre):
            continue
        out.append(m.group(0).strip())
    return out


def _tied_to_verb(text: str, at: int, verb: int, *, genre: Genre) -> bool:
    """An amount before the verb in the last part before it, after 按/参照/以 (按其…的20%给予)."""
    between = text[at:verb]
    if re.search(r"[，,；;]\s*\S", between.rstrip("，, ")):
        return False
    part_start = max(text.rfind(c, 0, at) for c in "，,；;") + 1
    lead = vocabulary(genre).rate_lead
    return bool(lead and lead.search(text[part_start:at]))


_QUALIFIER = re.compile(r"^(?:最高|最多|不超过|不高于|每人|每月|每年|每套|每家|每项|每个|一次性|累计|单个|单项|单套|\s)+")
_PER_UNIT = re.compile(r"\s*/\s*\S+$")


@cache
def money_value(expr: str) -> float | None:
    """The amount of money an expression states, in 元, read by jionlp's money parser (最高500万元 ->
    5000000.0; 不超过1.5亿元 -> 150000000.0); None for a rate or an unreadable expression."""
    core = _PER_UNIT.sub("", _QUALIFIER.sub("", expr.strip()))
    if not core.endswith("元"):
        return None
    from corpus.quiet import jionlp, quiet

    with quiet():
        jio = jionlp()
        try:
            return float(jio.parse_money(core)["num"])
        except Exception:  # jionlp raises bare ValueErrors/TypeErrors on odd input
            return None


_DATE_SPAN = re.compile(r"^[^，,]{0,40}\d{4}\s*年[^，,]{0,40}(?:至|到)[^，,]{0,30}(?:日|期间|起|止)$")
_CONDITION_LEAD = re.compile(r"^\s*(?:\|[^|]{1,8}\|\s*)?(?:\d{1,2}\s*[．.、]\s*)?"
                             r"(?:第\s*[\d一二三四五六七八九十百\s]+\s*条\s*)?(?:对于|对|凡是|凡|针对)?")
# What stands between a condition and its offering verb without being condition: the level that pays
# (省级), the manner (分别, 一次性, 当年).
_VERB_FRINGE = re.compile(r"(?:(?:省|市|县|区|州)级|分别|一次性|当年|每年|均|可|即可|同等)+$")
_FRINGE_START = re.compile(r"^(?:(?:省|市|县|区|州)级|分别|一次性|当年|每年|均)+")


def leading_condition(text: str, *, genre: Genre) -> str | None:
    """The clauses of an offer before its offering verb (对年度营业收入首次突破1亿元的企业，给予…): who
    or what qualifies. A leading date span is the offer's window, not its condition."""
    verbs = vocabulary(genre).offer_verbs
    verb = verbs.search(mask_titles(text)) if verbs else None
    head = text[: verb.start()] if verb else ""
    parts = _after_duties([p for p in re.split(r"[，,]", head) if p.strip()], genre=genre)
    while parts and _DATE_SPAN.match(parts[0].strip()):
        parts.pop(0)
    lead = vocabulary(genre).rate_lead
    if len(parts) > 1 and lead and lead.match(_FRINGE_START.sub("", parts[-1].strip())):
        parts.pop()  # 按固定资产投资的5%—20%: how much, not who qualifies
    if parts:
        parts[-1] = _VERB_FRINGE.sub("", parts[-1].rstrip())
    cond = "，".join(p.strip() for p in parts).strip("，,。；; ")
    cond = _CONDITION_LEAD.sub("", cond)
    cond = re.sub(r"^(?:省级|市级|县级|区级)$", "", cond)
    return cond if len(cond) >= 4 else None


_DUTY = re.compile(r"\s*(?:要|应当|应|须|必须|负责|牵头)")
_CONDITION_OPENS = re.compile(r"^\s*(?:对于|对|凡是|凡|针对|符合)")


def _after_duties(parts: list[str], *, genre: Genre) -> list[str]:
    """The leading parts of an offer without what a body is told to do (区住房城乡建设局要做好房源推介，
    定期开展…活动，全力支持…，并给予…): a body's duty and the parts that go on with its actions (they
    share its subject) state what the body does, not who qualifies; a part opening a qualifier of its
    own (对…的, 凡…) after them still does."""
    from kg.extract.responsibility import _sentence_subject

    last = -1
    for i, part in enumerate(parts):
        span = _sentence_subject(part, None, genre)
        if span and _DUTY.match(part, span[1]):
            last = i
    if last < 0:
        return parts
    rest = parts[last + 1:]
    opens = next((i for i, p in enumerate(rest) if _CONDITION_OPENS.match(p)), len(rest))
    return rest[opens:]


def _named(text: str, vocab: list[tuple[str, tuple[str, ...]]], *, genre: Genre) -> list[str]:
    """Names of the vocabulary written in the text, longest form first (企业职工 is a person, not an
    enterprise; 科技企业孵化器 a 载体), in the vocabulary's order."""
    text = vocabulary(genre).beneficiary_ignore.sub(lambda m: "\x00" * len(m.group(0)), mask_titles(text))
    hits = [(m.start(), m.end(), name) for name, aliases in vocab for alias in aliases if alias in text
            for m in re.finditer(re.escape(alias), text)]
    taken: list[tuple[int, int, str]] = []
    for a, b, name in sorted(hits, key=lambda h: h[0] - h[1]):
        if not any(x < b and a < y for x, y, _ in taken):
            taken.append((a, b, name))
    taken.sort()
    heads = [t for i, t in enumerate(taken) if not _qualifies(text, t, taken[i + 1:])]
    order = [name for name, _ in vocab]
    return sorted({name for _, _, name in heads}, key=order.index)


def _qualifies(text: str, hit: tuple[int, int, str], later: list[tuple[int, int, str]]) -> bool:
    """企事业单位引进的高层次人才: a name that only qualifies a later one in the same clause (the head
    after 的 is who applies)."""
    for a, _, _ in later:
        between = text[hit[1]:a]
        if not between:  # 网络商户从业人员: in a compound the last noun is the head
            return True
        if re.search(r"[，,。；;]", between):
            return False
        if re.search(r"的[^的，,。；;]{0,6}$", between):
            return True
    return False


def _listed(text: str, vocab: list[tuple[str, tuple[str, ...]]], *, genre: Genre) -> list[str]:
    """Names in vocabulary priority: an earlier name's longer form hides a later, shorter one inside it."""
    found: list[str] = []
    covered: list[tuple[int, int]] = []
    text = vocabulary(genre).beneficiary_ignore.sub(lambda m: "\x00" * len(m.group(0)), mask_titles(text))
    for name, aliases in vocab:
        for alias in sorted(aliases, key=len, reverse=True):
            if alias not in text:  # most aliases are absent: skip building a pattern for them
                continue
            for m in re.finditer(re.escape(alias), text):
                if any(a <= m.start() and m.end() <= b for a, b in covered):
                    continue
                covered.append((m.start(), m.end()))
                if name not in found:
                    found.append(name)
    return found


def conditions_of(text: str, leading_parts: str | None = None, *, genre: Genre) -> str | None:
    """The condition of an offer: its leading clauses (before the offering verb, else `leading_parts`:
    the parts before the one naming the offer), then every condition phrase of the vocabulary
    (经评估, 纳入本市统筹调度 …) not already inside them."""
    seen: list[str] = []
    lead = leading_condition(text, genre=genre) or leading_parts
    if lead:
        seen.append(lead)
    for p in vocabulary(genre).conditions:
        for m in p.finditer(text):
            c = m.group(0).strip("，。；, ")
            if c and not any(_CONDITION_LEAD.sub("", c) in s for s in seen):
                seen = [s for s in seen if s not in c] + [c]
    return "；".join(seen) or None


@dataclass
class Declared:
    """What a measure written as a guide declares once for its offers (申报主体为个人 / 条件要求 / 时间)."""

    applicants: list[str] = field(default_factory=list)
    condition: str | None = None
    window: str | None = None


def declared(text: str, *, genre: Genre) -> Declared:
    vocab = vocabulary(genre)
    out = Declared()
    for m in vocab.declared_applicant.finditer(text) if vocab.declared_applicant else ():
        out.applicants = applicants_of(m.group(1), genre=genre)
        if out.applicants:
            break
    m = vocab.condition_rows.search(text) if vocab.condition_rows else None
    if m:
        out.condition = m.group(1).strip(" |")
    for m in vocab.window_rows.finditer(text) if vocab.window_rows else ():
        if vocab.window_words is None or vocab.window_words.search(m.group(0)):  # 时间/频度 | 从2023年8月起: no
            out.window = m.group(1).strip(" |，,")
            break
    return out


def support_item(policy: Policy, piece: Piece, group: Group, context: list[str] | None = None,
                 guide: Declared | None = None, *, genre: Genre) -> Support:
    """One offer; `context`: the applicants named earlier in the same measure, for an offer naming none;
    `guide`: what its measure declares for every offer in it."""
    text = policy.text[group.start:group.end]
    vocab = vocabulary(genre)
    guide = guide or Declared()
    condition = conditions_of(text, _leading_parts(policy, group, genre=genre), genre=genre)
    if guide.condition and guide.condition not in (condition or ""):
        condition = f"{condition}；{guide.condition}" if condition else guide.condition
    deadline = next((m for m in DEADLINE.finditer(text) if not in_condition(text, m.start(), m.end(), genre=genre)), None)
    named = beneficiaries_of(text, genre=genre)
    amounts = amounts_of(text, genre=genre)
    applicants = _buyers(text, group.kind, genre=genre)
    applicants = (applicants if applicants is not None else own_applicants(text, genre=genre) or guide.applicants
                  or list(context or []) or _implied_applicants(text, named, amounts, genre=genre))
    window = application_window(text, genre=genre) or application_window(_paragraph(policy, group.start), genre=genre) or guide.window
    broader = [b for a in applicants for b in _broader(a, genre=genre)]
    given = "、".join(amounts)
    tiers = tiers_of(text, genre=genre)
    return Support(
        kind=group.kind or "政策支持", text=text, amount=given or _first(vocab.amounts, text),
        rate=_first(vocab.rates, given) if given else _first(vocab.rates, text),
        cap=_first(vocab.caps, given) if given else None, condition=condition,
        beneficiaries=list(dict.fromkeys([*named, *applicants, *broader])), topics=find_topics(text, genre=genre),
        deadline=resolve_deadline(deadline) if deadline else (window_end(window) if window else None),
        window=window,
        span=Span(piece.measure.id if piece.measure else None, group.start, group.end, piece.text),
        applicants=applicants, objects=[b for b in named if b in vocab.objects], amounts=amounts,
        amount_values=[v for v in map(money_value, amounts) if v is not None], tiers=tiers)


def _tier_lists(data: dict) -> list[re.Pattern[str]]:
    """Tier lists beyond a run of stems: grades of one thing (高级雪道、中级雪道、初级雪道: the grade's suffix
    and the thing repeated) and a range of grades (2—5星级), one run each."""
    out = []
    if data.get("tier_stem") and data.get("tier_suffix"):
        stem, suffix = data["tier_stem"], data["tier_suffix"]
        out.append(re.compile(f"(?:{stem})({suffix})([\u4e00-\u9fff]{{1,4}}?)(?:{_TIER_SEP}(?:{stem})\\1\\2)+"))
    if data.get("tier_grade_range"):
        out.append(re.compile(data["tier_grade_range"]))
    return out


def _tier_pair(data: dict) -> re.Pattern[str] | None:
    """A part opening with a grade and stating its own amount right after it (三星级按60%奖励返还, 市级奖励
    2万元); a grade that pays a share beside another (省级…，市级配套…) states no tier."""
    if not (data.get("tier_stem") and data.get("tier_suffix") and data.get("amount_each")):
        return None
    return re.compile(f"\\s*((?:{data['tier_stem']})(?:{data['tier_suffix']})(?:[\\u4e00-\\u9fff]{{1,4}}?(?=每|按|奖|补|给|为|可))?)"
                      f"(?:按照?|奖励|补贴|补助|奖补|资助|给予|为|可享受|享受|每人|每户|每月|每年|每套|\\s)*((?:{data['amount_each']}))")


def tiers_of(text: str, *, genre: Genre) -> list[str]:
    """Each tier of an offer with its amount (对评估等级在3A、4A、5A级的企业，分别给予50万元、100万元、
    150万元 -> 3A级：50万元 …): the tiers listed before 分别/依次, the amounts after it, paired in order
    when their numbers agree (a cap after the tiers' amounts is not one of them)."""
    vocab = vocabulary(genre)
    text = mask_titles(_CJK_GAP.sub("", text))
    lead = vocab.tier_lead.search(text) if vocab.tier_lead else None
    if lead is None:
        return _paired_tiers(text, genre=genre) or _thresholds(text, genre=genre)
    amounts = amounts_of(text[lead.start():], genre=genre)
    uncapped = [a for a in amounts if not any(c.match(a) for c in vocab.caps)]
    runs = sorted((m for p in vocab.tier_runs for m in p.finditer(text, 0, lead.start())), key=lambda m: -m.start())
    for given in (amounts, uncapped):
        for run in runs:  # the last list before 分别
            if any(p.search(text, 0, run.start()) for p in vocab.tier_before):
                continue  # 国际标准、国家标准以及行业标准、…: part of a longer list the amounts do not follow
            names = _tier_names(run.group(0), genre=genre)
            if len(given) >= 2 and len(names) == len(given):
                return [f"{n}：{a}" for n, a in zip(names, given, strict=True)]
    return _named_after(text[lead.end():], uncapped)


_AFTER_AMOUNTS = re.compile(r"对([^，,。；;对]{2,30}?)(?:进行|给予|予以)?(?:奖励|补贴|补助|资助|奖补|支持)")


def _named_after(text: str, amounts: list[str]) -> list[str]:
    """Tiers named after their amounts (分别按其营业额的15%、10%对引进企业和社团进行奖励): the list of who is
    rewarded right after the last amount, paired in order when their numbers agree."""
    if len(amounts) < 2:
        return []
    last = text.find(amounts[-1])
    m = _AFTER_AMOUNTS.match(text, last + len(amounts[-1])) if last >= 0 else None
    if m is None:
        m = _AFTER_AMOUNTS.match(re.sub(r"^[^对，,。；;]{0,6}", "", text[last + len(amounts[-1]):])) if last >= 0 else None
    if m is None:
        return []
    names = [n.strip() for n in re.split(_TIER_SEP, m.group(1)) if n.strip()]
    return [f"{n}：{a}" for n, a in zip(names, amounts, strict=True)] if len(names) == len(amounts) else []


def _thresholds(text: str, *, genre: Genre) -> list[str]:
    """Tiers of money thresholds that need no 分别: a list of ranges of money closed by 的 (固定资产投资1000
    万元及以上至5000万元、5000万元以上至1亿元、1亿元以上的，参照其…的70%、80%和90%给予…) can only be the
    brackets the amounts after it follow, when their numbers agree."""
    vocab = vocabulary(genre)
    for p in vocab.tier_runs:
        for run in p.finditer(text):
            if not _brackets(run.group(0), genre=genre) or not re.match(r"\s*的", text[run.end():]):
                continue
            names = _tier_names(run.group(0), genre=genre)
            given = [a for a in amounts_of(text[run.end():], genre=genre) if not any(c.match(a) for c in vocab.caps)]
            if len(names) >= 2 and len(names) == len(given):
                return [f"{n}：{a}" for n, a in zip(names, given, strict=True)]
    return []


def _paired_tiers(text: str, *, genre: Genre) -> list[str]:
    """Tiers written as pairs, two or more parts in a row each opening with a grade and its amount
    (三星级按60%奖励返还，四星级按80%奖励返还，五星级按100%奖励返还)."""
    pair = vocabulary(genre).tier_pair
    if pair is None:
        return []
    best: list[str] = []
    run: list[str] = []
    for part in re.split(r"[，,；;。]", text):
        m = pair.match(part)
        run = [*run, f"{m.group(1)}：{m.group(2).strip()}"] if m else []
        best = run if len(run) > len(best) else best
    return best if len(best) >= 2 else []


def _tier_names(run: str, *, genre: Genre) -> list[str]:
    """The tiers of a list, each with the suffix the last one writes (A、B、C类 -> A类, B类, C类); a range
    of grades one tier per grade (2—5星级 -> 2星级 … 5星级); grades of one thing as written (高级雪道、中级
    雪道); a list of grades whose last names no suffix is no list of tiers (市、县)."""
    vocab = vocabulary(genre)
    grades = vocab.tier_grade_range.fullmatch(run) if vocab.tier_grade_range else None
    if grades:
        return _grade_range(grades)
    names = [n.strip() for n in re.split(_TIER_SEP, run) if n.strip()]
    if _brackets(run, genre=genre):
        return _shared_bounds(names, genre=genre)
    suffix = vocab.tier_suffix
    if suffix is None:
        return names
    last = re.search(f"{suffix.pattern}$", names[-1])
    if last is None:
        tails = {re.sub(f"^.*?{suffix.pattern}", "", n) for n in names}
        return names if len(tails) == 1 and "" not in tails else []
    return [n if re.search(f"{suffix.pattern}$", n) else n + last.group(0) for n in names]


def _brackets(run: str, *, genre: Genre) -> bool:
    """A list of tiers that are brackets of a measured quantity (2千平方米、5千平方米、1万平方米以上)."""
    bracket = vocabulary(genre).tier_bracket
    names = [n.strip() for n in re.split(_TIER_SEP, run) if n.strip()]
    return bool(bracket and names and all(bracket.fullmatch(n) for n in names))


def _shared_bounds(names: list[str], *, genre: Genre) -> list[str]:
    """Brackets as meant: a bound only the last one writes is every one's (2千平方米、5千平方米、1万平方米以上
    -> 2千平方米以上 …), a comparator only the first one writes too (不少于1000公斤和500公斤 -> 不少于500公斤);
    brackets each writing their own (1000万元及以上至2000万元、2000万元以上) stay as written."""
    vocab = vocabulary(genre)
    bound, comparator = vocab.tier_bound, vocab.tier_comparator
    if bound is not None:
        last = re.search(f"(?:\\s*{bound.pattern})+$", names[-1])
        if last and not any(re.search(bound.pattern, n) for n in names[:-1]):
            names = [*(n + last.group(0).strip() for n in names[:-1]), names[-1]]
    if comparator is not None:
        first = re.match(f"{comparator.pattern}\\s*", names[0])
        if first and not any(re.match(comparator.pattern, n) for n in names[1:]):
            names = [names[0], *(first.group(0).strip() + n for n in names[1:])]
    return names


def _grade_range(m: re.Match[str]) -> list[str]:
    """2—5星级 -> 2星级, 3星级, 4星级, 5星级 (numerals as written: 二至五星级 -> 二星级 … 五星级)."""
    from genre.numerals import numeral_value

    lo, hi, suffix = m.group(1), m.group(2), m.group(3)
    a, b = numeral_value(lo), numeral_value(hi)
    if a is None or b is None or not 0 < b - a < 10:
        return []
    digits = lo.isdigit()
    return [f"{n if digits else '零一二三四五六七八九十'[n]}{suffix}" for n in range(a, b + 1)]


def _broader(name: str, *, genre: Genre) -> list[str]:
    """Every more general applicant category (专精特新 -> 中小企业 -> 企业)."""
    out: list[str] = []
    while name in vocabulary(genre).broader and vocabulary(genre).broader[name] not in out:
        name = vocabulary(genre).broader[name]
        out.append(name)
    return out


def _leading_parts(policy: Policy, group: Group, *, genre: Genre) -> str | None:
    """The parts of an offer before the part naming it, when no offering verb marks its condition
    (第五条 企业参加境外展会发生的展位费，按照…的标准定额补助)."""
    if len(group.parts) < 2:
        return None
    lead = _after_duties([policy.text[a:b] for a, b in group.parts[:-1]], genre=genre)
    head = "，".join(p.strip() for p in lead).strip("，,。；; ")
    head = _CONDITION_LEAD.sub("", head)
    return head if len(head) >= 4 else None


def _buyers(text: str, kind: str | None, *, genre: Genre) -> list[str] | None:
    """The applicants of a price offer on a purchase (…支持开发企业开展面向企事业单位职工的商品住房团购活动，
    并给予…优惠): the buyers it names, else the buyer its purchase implies — never the seller beside them.
    None for any other offer."""
    vocab = vocabulary(genre)
    if kind not in vocab.buyer_kinds or vocab.sellers is None or not vocab.sellers.search(text):
        return None
    cue = next((name for pattern, name in vocab.applicant_cues if pattern.search(text)), None)
    if cue is None and not (vocab.recipient and vocab.recipient.search(text)):
        return None  # no purchase: 为企业提供费用优惠 is the enterprise's
    unsold = vocab.sellers.sub(lambda m: "\x00" * len(m.group(0)), text)
    return own_applicants(unsold, genre=genre) or ([cue] if cue else [])


def _implied_applicants(text: str, named: list[str], amounts: list[str] | None = None, *, genre: Genre) -> list[str]:
    """The applicant of an offer that names none: a person buying a home, or the enterprise behind the
    project / product / platform supported, or behind whatever is rewarded with money (对新评定为三星级
    的酒店，给予20万元奖励: the hotel's operator applies)."""
    vocab = vocabulary(genre)
    for pattern, name in vocab.applicant_cues:
        if pattern.search(text):
            return [name]
    if vocab.object_applicant and (amounts or any(b in vocab.objects for b in named)):
        return [vocab.object_applicant]
    return []


def _paragraph(policy: Policy, at: int) -> str:
    """The paragraph around an offset: a window written once for a list of offers (2024年5月15日起至
    2025年5月14日，…给予1%的购房补贴；…给予1.5%的购房补贴) covers each of them."""
    start = policy.text.rfind("\n", 0, at) + 1
    end = policy.text.find("\n", at)
    return policy.text[start:end if end >= 0 else len(policy.text)]


def application_window(text: str, *, genre: Genre) -> str | None:
    """When one applies, as written (每年3月左右申报, 期满后一年内申请, 申报截止日期…). A span of dates
    that dates what qualifies (在2021年1月1日至12月31日期间正常经营的影院) is a condition, not a window;
    one that opens the offer (自本政策发布之日至2023年12月31日购买…的) is when the offer runs."""
    vocab = vocabulary(genre)
    for pattern in vocab.windows:
        for m in pattern.finditer(text):
            if not (vocab.dated_span_condition and vocab.dated_span_condition.match(text, m.end())):
                return m.group(0).strip("，,。；; ")
    return None


def in_condition(text: str, start: int, end: int, *, genre: Genre) -> bool:
    """A date written at text[start:end] is part of a condition, not a deadline or an application
    window: it dates what qualifies (2019年底前成立的养老机构, 2020年1月1日前在本市登记注册,
    …期间新注册的企业 — the support vocabulary's dated_condition, read after the date; 注册时间为…前, read
    before it), or it stands in
    a row or line of conditions (| 条件要求 | … 项目为2020年1月后启动建设，并于2023年5月前建设完成)."""
    vocab = vocabulary(genre)
    if vocab.dated_condition and vocab.dated_condition.match(text, end):
        return True
    if vocab.dated_condition_before and vocab.dated_condition_before.search(text, max(0, start - 16), start):
        return True  # 注册时间为2017年6月30日前
    line_start = text.rfind("\n", 0, start) + 1
    return bool(vocab.condition_label and vocab.condition_label.search(text, line_start, start))


def window_end(window: str) -> str | None:
    """The ISO date an application window closes, when it names one (its last date: 2024年5月15日起至
    2025年5月14日 -> 2025-05-14); a date that opens it (2022年8月26日起) closes nothing."""
    dates = [m for m in re.finditer(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?!\s*(?:[（(][^）)]{0,6}[）)])?\s*(?:起|开始))",
                                    window)]
    if not dates:
        return None
    m = dates[-1]
    from genre.dates import iso

    return iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))


def is_offer(text: str, *, genre: Genre) -> bool:
    """Not a clause that only names a kind of support (通过政府补贴等方式 / 上述补贴政策 …)."""
    return not any(p.search(text) for p in vocabulary(genre).not_offers)


def is_heading(piece: Piece, *, genre: Genre) -> bool:
    """The measure's own number and title (（二）加大政策支持。) name a topic, not an offer; an article
    that is nothing but that sentence, with an offering verb (第六条 对新认定的高新技术企业给予20万元
    奖励。), states the offer."""
    m = piece.measure
    if m is None or piece.start > m.start + len(m.number) + 2:
        return False
    grants = vocabulary(genre).grant_verbs
    if not m.text[piece.end - m.start:].strip(" \n。；;") and grants and grants.search(piece.text):
        return False
    head = re.sub(r"[\s*。.]", "", piece.text)
    return head in (re.sub(r"[\s*。.]", "", m.number + m.title), re.sub(r"[\s*。.]", "", m.title))


def extract_support(policy: Policy, *, genre: Genre) -> dict[str, list[Support]]:
    """measure id -> support items offered there."""
    out: dict[str, list[Support]] = {}
    context: dict[str, list[str]] = {}  # measure id -> the applicants named last in it
    listing: dict[str, bool] = {}  # measure id -> its last offer announced a list (以下标准：)
    guides: dict[str, Declared] = {}  # measure id -> what it declares for all its offers
    conditions_listed: dict[str, Support] = {}  # measure id -> the offer whose conditions are being listed
    tiered: set[int] = set()  # offers whose tiers are the items listed after them
    vocab = vocabulary(genre)
    for piece in pieces(policy, CLAUSE_END):
        if piece.measure is None or is_heading(piece, genre=genre):
            continue  # the graph hangs support on measures; the parser puts all body text in one
        if piece.measure.kind == "preamble":
            continue  # the text before the first provision says why (为…提供了新空间, 进一步完善补贴政策): offers are made in the provisions
        mid = piece.measure.id
        if _ARTICLE_HEADING.match(piece.text) and not re.search(r"给予|予以|可|享受|发放", piece.text):
            continue  # 第17条种植基地建设奖励补助。: the article's heading names its topic
        if any(p.search(piece.text) for p in vocab.not_offer_clauses):
            continue  # 如与上级政策相抵触…, 按就高不重复原则…: rules of the support, not an offer
        groups = [g for g in offer_groups(piece.text, piece.start, genre=genre) if is_offer(policy.text[g.start:g.end], genre=genre)]
        listed = (amounts_of(piece.text, genre=genre) if (not groups or _STANDARD_ROW.search(piece.text))
                  and listing.get(mid) else [])
        if listed:  # （一）…每月2600元； under 按照以下标准：, for as long as the clauses state amounts
            _add_amounts(out[mid][-1], listed, genre=genre)
            tier = _listed_tier(piece.text, listed)
            if tier:  # （一）在中心城区工作的，补贴标准为每月2600元: the class the item names, with its amount
                out[mid][-1].tiers.append(tier)
                tiered.add(id(out[mid][-1]))
            continue
        if not groups and mid in conditions_listed:  # （一）在本市注册…； under 对符合下列条件的企业，给予…：
            body = _LIST_NUMBER.sub("", piece.text).strip(" \n。；;")
            if body:
                _add_condition(conditions_listed[mid], body, [Span(mid, piece.start, piece.end, piece.text)])
            continue
        conditions_listed.pop(mid, None)
        listing[mid] = False
        for group in groups:
            text = policy.text[group.start:group.end]
            if _to_nobody(piece.text, text, group.kind, genre=genre):
                continue
            if vocab.cap_back and vocab.cap_back.search(text) and out.get(mid):
                _cap_back(out[mid], group.kind, amounts_of(text, genre=genre))
                continue
            if re.match(r"^\s*[（(]", text) and not _LIST_NUMBER.match(text) and out.get(mid):  # （…最高奖励不超过50万元）: a remark on the offer
                _add_amounts(out[mid][-1], amounts_of(text, genre=genre), genre=genre)
                continue
            if mid not in guides:
                guides[mid] = declared(piece.measure.text, genre=genre)
            item = support_item(policy, piece, group, context.get(mid), guides[mid], genre=genre)
            if out.get(mid):
                _inherit_condition(policy, out[mid][-1], item)
            out.setdefault(mid, []).append(item)
            if item.applicants:
                context[mid] = item.applicants
            listing[mid] = _takes_list(item)
            first = _first_listed(item.text, genre=genre)
            if listing[mid] and first:  # 不超过以下标准：戏曲、话剧项目250万元；…: the first item of the list
                item.tiers.append(first)
                tiered.add(id(item))
            if vocab.list_lead and vocab.list_lead.search(mask_titles(item.text)) and re.search(r"[:：]\s*$", piece.text):
                conditions_listed[mid] = item  # the items listed after it are its conditions
        named = applicants_of(piece.text, genre=genre)
        if named:
            context[mid] = named
    for items in out.values():
        for item in items:
            if id(item) in tiered and len(item.tiers) < 2:
                item.tiers = []  # one listed item is no list of tiers
    # in the order written: a run may go on into the next item of a sub-list ((1)… (2)…)
    _tier_runs(policy, sorted((s for v in out.values() for s in v), key=lambda s: s.span.start if s.span else -1),
               genre=genre)
    _link_listed_claimants(policy, out, genre=genre)
    _link_condition_parts(policy, out, genre=genre)
    return out


# a listed item stating its amount under a label (补贴标准为每月1300元), not offering anything of its own
_STANDARD_ROW = re.compile(r"^(?!.*(?:给予|予以|发放)).*标准(?:为|是|[:：])\s*(?:每[^，,。；;\d]{0,3})?\d")
_EXCEPT = re.compile(r"^\s*除[^，,]*?(?:以外|之外|外)\s*$")  # 除中心城区以外: the scope, not the class
_LABEL_TAIL = re.compile(r"(?:[的为是：:\s]|标准|补贴|补助|奖励|扣除|资助)+$")


def _first_listed(text: str, *, genre: Genre) -> str | None:
    """The tier of the first listed item when the clause announcing the list runs on into it (…额度不超过以下
    标准：戏曲、话剧项目250万元)."""
    head = _LIST_HEAD.search(text)
    if head is None:
        return None
    rest = text[head.end():]
    return _listed_tier(rest, amounts_of(rest, genre=genre))


def _listed_tier(text: str, amounts: list[str]) -> str | None:
    """The tier an item listed under an offer's 以下标准： states: the class it names with its one amount
    ((一)在中心城区工作的，补贴标准为每月2600元 -> 在中心城区工作：每月2600元; 戏曲、话剧项目250万元 ->
    戏曲、话剧项目：250万元). The clause naming the class is the one before the amount's own, else the words
    before the amount in it; a clause setting the scope (除中心城区以外) names no class."""
    if len(amounts) != 1:
        return None
    body = _LIST_NUMBER.sub("", text).strip(" \n。；;")
    at = body.find(amounts[0])
    if at <= 0:
        return None
    parts = [p.strip() for p in re.split(r"[，,]", body[:at])]
    named = [p for p in parts[:-1] if p and not _EXCEPT.match(p)]
    name = "，".join(named) if named else _LABEL_TAIL.sub("", parts[-1])
    name = _LABEL_TAIL.sub("", re.sub(r"^(?:对于|对|凡)", "", name)).strip()
    return f"{name}：{amounts[0].strip()}" if 2 <= len(name) <= 60 else None


_RUN_GAP = re.compile(r"^[\s，,；;。]*(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}\s*[．.、]|[①-⑳])?[\s]*(?:对于|对|凡)?\s*$")
_MEASURED = re.compile(r"([\u4e00-\u9fff]{2})(?:在|达|达到|为|是|到)?\s*$")


def _tier_runs(policy: Policy, items: list[Support], *, genre: Genre) -> None:
    """Offers in a row that each pay one amount to a bracket of one quantity (面积在100亩及以上至500亩的，给予
    100元/亩；对新建面积在500亩以上的，给予200元/亩) or to a class named by grade (一类新药…200万元；二类新药…
    100万元): each offer's tier is its bracket or class with its amount. Offers in a row are written one
    after the other with nothing but punctuation or a list number between them."""
    run: list[Support] = []
    for item in [*items, None]:
        if item is not None and run and _tierable(item) and _next_to(policy, run[-1], item):
            run.append(item)
            continue
        if len(run) >= 2:
            names = _class_names(run, genre=genre) or _bracket_names(run, genre=genre)
            for it, name in zip(run, names or [], strict=False):
                it.tiers = [f"{name}：{it.amounts[0].strip()}"]
        run = [item] if item is not None and _tierable(item) else []


def _tierable(item: Support) -> bool:
    return bool(item.span) and not item.tiers and len(item.amounts) == 1


def _next_to(policy: Policy, a: Support, b: Support) -> bool:
    return bool(a.span and b.span and a.span.end <= b.span.start
                and _RUN_GAP.match(policy.text[a.span.end:b.span.start]))


def _before_amount(item: Support) -> str:
    at = item.text.find(item.amounts[0])
    return mask_titles(_CJK_GAP.sub("", item.text[:at] if at > 0 else item.text))


def _class_names(run: list[Support], *, genre: Genre) -> list[str]:
    """一类新药 / 二类新药, A类人才 / B类人才: each offer names a different grade of the same thing."""
    vocab = vocabulary(genre)
    if not (vocab.tier_stem_pattern and vocab.tier_suffix):
        return []
    grade = re.compile(f"(?:{vocab.tier_stem_pattern})({vocab.tier_suffix.pattern})([\u4e00-\u9fff]{{1,6}})")
    found = [grade.search(_before_amount(it)) for it in run]
    if not all(found):
        return []
    names = [re.sub(r"的$", "", m.group(0)) for m in found if m]
    tails = {re.sub(r"的$", "", m.group(1) + m.group(2)) for m in found if m}
    return names if len(tails) == 1 and len({re.sub(r"\s+", "", n) for n in names}) == len(names) else []


def _bracket_names(run: list[Support], *, genre: Genre) -> list[str]:
    """面积在100亩及以上至500亩 / 面积在500亩以上: each offer names a different bracket of one quantity,
    measured by the same words, in the same unit."""
    vocab = vocabulary(genre)
    if vocab.tier_bracket is None or vocab.tier_unit is None:
        return []
    per_item = []
    for it in run:
        text = _before_amount(it)
        found: dict[str, tuple[str, str | None]] = {}
        for m in vocab.tier_bracket.finditer(text):
            unit = vocab.tier_unit.search(m.group(0))
            measured = _MEASURED.search(text[:m.start()])
            if unit:
                key = re.sub(r"^(?:万亿|亿|万|千)", "", unit.group(0))
                found.setdefault(key, (m.group(0).strip(), measured.group(1) if measured else None))
        per_item.append(found)
    shared = [k for k in per_item[0] if all(k in f for f in per_item[1:])]
    for key in shared:
        names = [f[key][0] for f in per_item]
        measured = {f[key][1] for f in per_item} - {None}
        if measured and len(measured) == 1 and len({re.sub(r"\s+", "", n) for n in names}) == len(names):
            return names  # the first names what is measured (营业收入), the rest may leave it understood
    return []


def _add_condition(item: Support, text: str, spans: list[Span]) -> None:
    """A condition written apart, with where it is written (one span per measure it spans)."""
    if text in (item.condition or ""):
        return
    item.condition = f"{item.condition}；{text}" if item.condition else text
    item.condition_spans.extend(spans)


def _body(policy: Policy, m: Measure) -> tuple[int, int]:
    """The measure's text after its number and run-in title (二、申请条件 / （二）申报条件。), trimmed."""
    text = m.text
    at = len(m.number) if m.number and text.startswith(m.number) else 0
    head = re.match(r"\s*" + re.escape(m.title) + r"\s*[。.：:]?\s*", text[at:]) if m.title else None
    if head and len(m.title) <= 12 and len(text[at + head.end():].strip()) >= 4:
        at += head.end()  # a title that is the whole text (1.人才绿卡的持卡人。) stays
    at += len(text[at:]) - len(text[at:].lstrip())
    end = len(text.rstrip())
    return m.start + at, m.start + max(at, end)


def _written(policy: Policy, measures: list[Measure]) -> tuple[str, list[Span]]:
    """The conditions the measures write (their bodies joined by ；) and a span for each."""
    spans = [Span(m.id, a, b, policy.text[a:b]) for m in measures for a, b in [_body(policy, m)] if b - a >= 4]
    return "；".join(sp.quote.rstrip("。；; ") for sp in spans), spans


def _link_listed_claimants(policy: Policy, out: dict[str, list[Support]], *, genre: Genre) -> None:
    """以下类别高层次人才可不受…限制购房。1.…持卡人。2.…C类人才。: the items listed after an offer that
    names its claimants as a list (and that offer nothing themselves) are its condition."""
    lead = vocabulary(genre).list_lead
    if lead is None:
        return
    measures = policy.measures()
    for i, m in enumerate(measures):
        listing = [s for s in out.get(m.id, []) if lead.search(mask_titles(s.text))]
        if not listing:
            continue
        listed = []
        for n in measures[i + 1:]:
            if n.section_id != m.section_id or out.get(n.id) or not n.number:
                break
            listed.append(n)
        if not listed:
            continue
        text, spans = _written(policy, listed)
        for item in listing:
            _add_condition(item, text, spans)


def _link_condition_parts(policy: Policy, out: dict[str, list[Support]], *, genre: Genre) -> None:
    """Conditions written as a part of their own condition the offers of their scope, and offer nothing
    themselves: a section titled as conditions (二、申请条件) the offers of the section above it (of the
    whole document for a top-level one); a measure titled so ((二)申报条件。…) or opening with 符合下列条件
    (with the numbered list that follows it when it is an unnumbered lead-in) the offers of its own
    section. A scope holding two such parts links neither: which condition goes with which award is
    not written."""
    parts: dict[str | None, list[list[Measure]]] = {}
    section_of = {m.id: m.section_id for m in policy.measures()}
    for scope, measures in _condition_parts(policy, out, genre=genre):
        parts.setdefault(scope, []).append(measures)
        for m in measures:
            out.pop(m.id, None)  # （四）申请家庭未享受…购房优惠政策: a condition, not an offer
    for scope, found in parts.items():
        if len(found) != 1:
            continue
        text, spans = _written(policy, found[0])
        if not spans:
            continue
        inside = _section_ids(policy, scope)
        for mid, items in out.items():
            if mid in section_of and (inside is None or section_of[mid] in inside):
                for item in items:
                    _add_condition(item, text, spans)


def _condition_parts(policy: Policy, out: dict[str, list[Support]], *, genre: Genre) -> list[tuple[str | None, list[Measure]]]:
    """(scope, measures) of every part of the document that states conditions."""
    vocab = vocabulary(genre)
    heading, lead = vocab.condition_heading, vocab.condition_lead
    if heading is None:
        return []
    found: list[tuple[str | None, list[Measure]]] = []
    seen: set[str] = set()
    every = policy.measures()
    for section in policy.all_sections():
        if heading.match(re.sub(r"[\s。.：:]", "", section.title)) and section.id not in seen:
            ids = _section_ids(policy, section.id) or set()
            seen |= ids
            found.append((section.parent_id, [m for m in every if m.section_id in ids]))
    measures = [m for m in every if m.section_id not in seen]
    taken: set[str] = set()
    for i, m in enumerate(measures):
        if m.id in taken:
            continue
        a, b = _body(policy, m)
        first = re.split(r"[。；：:]", policy.text[a:b])[0]
        opens = bool(lead and lead.search(mask_titles(first)) and kind_of(first, genre=genre) is None)
        if not (heading.match(re.sub(r"[\s。.：:]", "", m.title)) or opens):
            continue
        part = [m]
        if opens and not m.number:  # 应具备以下条件： then （一）… （二）…
            for n in measures[i + 1:]:
                if n.section_id != m.section_id or not n.number:
                    break
                part.append(n)
        taken |= {x.id for x in part}
        found.append((_scope(policy, m), part))
    return found


def _scope(policy: Policy, m: Measure) -> str | None:
    """The section whose offers a conditions measure conditions: its own section, or the one above when
    the measure is the whole of its section (二、申请条件 as a top-level section: None, the document)."""
    section = policy.section(m.section_id)
    if section is None:
        return None
    alone = len(section.measures) == 1 and not section.sections
    return section.parent_id if alone else section.id


def _section_ids(policy: Policy, scope: str | None) -> set[str] | None:
    """The ids of a section and every section below it; None for the whole document."""
    if scope is None:
        return None
    root = policy.section(scope)
    out, stack = set(), [root] if root else []
    while stack:
        s = stack.pop()
        out.add(s.id)
        stack.extend(s.sections)
    return out



def _to_nobody(sentence: str, text: str, kind: str | None, *, genre: Genre) -> bool:
    """An offer made to no applicant: a kind that needs one offered to someone who is none (为数字政府
    建设提供…服务), or an offer naming no applicant in a sentence that supports a level of government
    (支持各县…，省级给予以奖代补支持: a transfer between governments)."""
    vocab = vocabulary(genre)
    if kind in vocab.needs_applicant and vocab.recipient:
        m = vocab.recipient.search(_CJK_GAP.sub("", text))
        if m and not applicants_of(_recipient(m), genre=genre) and not set(beneficiaries_of(_recipient(m), genre=genre)) & vocab.objects:
            return True
    return bool(not own_applicants(text, genre=genre) and vocab.government_recipients
                and vocab.government_recipients.search(sentence))


_LIST_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}\s*[．.、]|[①-⑳])\s*")
_ARTICLE_HEADING = re.compile(r"^\s*第\s*[\d一二三四五六七八九十百\s]+条\s*[^，,。；;]{2,16}[。.]?\s*$")
_LIST_HEAD = re.compile(r"(?:以下|下列|如下)[^，。；:：]{0,8}[:：]|标准如下")


def _takes_list(item: Support) -> bool:
    """An offer whose amounts follow as a list (按照以下标准给予补贴：（一）…2600元；（二）…)."""
    return bool(_LIST_HEAD.search(item.text))


def _add_amounts(item: Support, amounts: list[str], *, genre: Genre) -> None:
    if not amounts:
        return
    item.amounts = [*item.amounts, *amounts]
    item.amount = "、".join(item.amounts)
    vocab = vocabulary(genre)
    item.rate = item.rate or _first(vocab.rates, item.amount)
    item.cap = item.cap or _first(vocab.caps, item.amount)
    item.amount_values = [v for v in map(money_value, item.amounts) if v is not None]


def _inherit_condition(policy: Policy, before: Support, item: Support) -> None:
    """Offers of one sentence share its condition (在高新区购买住宅商品房的，…即可…入学；可领取…卡；…
    享受绿色通道服务): an offer with no qualifier of its own (对…的 / …的) takes the one before it."""
    if not before.condition or not before.span or not item.span:
        return
    if "。" in policy.text[max(before.span.start, before.span.end - 1):item.span.start]:  # its own 。 too
        return
    own = item.condition or ""
    if _unbalanced(own):  # …取药不排队)和一张贵宾卡(享受…8.5折): the rest of a remark, not a qualifier
        own = ""
    continues = re.match(r"^\s*(?:并|还|另|亦|也|即)?可", item.text)  # no subject: the one before it
    if own and not continues and ("的" in own or len(own) > 8 or re.match(r"^\s*(?:对|凡|针对)", item.text)):
        return
    root = before.condition.split("；")[0]
    if root in own:
        return
    item.condition = f"{root}；{own}" if own else root


def _unbalanced(text: str) -> bool:
    """A closing bracket before any opening one: the text starts inside a bracketed remark."""
    depth = 0
    for ch in text:
        depth += ch in "（("
        depth -= ch in "）)"
        if depth < 0:
            return True
    return False


def _cap_back(items: list[Support], kind: str | None, caps: list[str]) -> None:
    """以上补贴标准，单套最高不超过10万元: the cap belongs to every earlier offer of that kind."""
    for item in items:
        if item.kind == kind and caps:
            item.amounts = [*item.amounts, *caps]
            item.amount = "、".join(item.amounts)
            item.cap = item.cap or caps[0]
