"""Support offered to enterprises, universities, developers and talent: one item per offering clause.

The vocabulary (kinds and their trigger words, beneficiaries, conditions, amounts and rates) and the
grouping rule live in genre/data/support.yaml; this module reads clauses and applies them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from corpus.model import Policy
from genre import genre_cached
from kg.extract.dates import DEADLINE, resolve_deadline
from kg.extract.text import CLAUSE_END, Piece, pieces
from kg.lexicon import find_topics, load
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


@genre_cached
def vocabulary() -> Vocabulary:
    data = load("support")
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
        object_applicant=data.get("object_applicant"))


def kind_of(text: str, offer_context: str | None = None) -> str | None:
    """The first kind (in lexicon priority) whose trigger occurs in the text; a kind that needs an offering
    word finds it in the text or in `offer_context` (the rest of its clause: 做好专项资金保障，协同支持…)."""
    vocab = vocabulary()
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


def offer_groups(text: str, base: int) -> list[Group]:
    """Cut a clause at commas and group the parts into offers (see support.yaml for the rule)."""
    groups: list[Group] = []
    pending: list[tuple[int, int]] = []
    pos = 0
    for m in [*PART_SEP.finditer(text), None]:
        end = m.start() if m else len(text)
        part = (base + pos, base + end)
        kind = kind_of(text[pos:end], text[end:])
        if kind is None:
            pending.append(part)
        elif groups and groups[-1].kind == kind and not pending and not _other_applicant(
                text[pos:end], text[groups[-1].start - base:pos]):
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


def _other_applicant(part: str, before: str) -> bool:
    """A part naming an applicant of its own that the offer before it does not name (小微企业依法享受…
    after 高新技术企业…享受…): a second offer, not more of the first."""
    head = re.sub(r"^(?:对|凡|其中|同时)", "", part.strip())
    mine = {name for name, aliases in vocabulary().applicants if head.startswith(aliases)}  # 小微企业依法享受…
    return bool(mine) and not mine <= set(applicants_of(before))


def _first(patterns: list[re.Pattern[str]], text: str) -> str | None:
    for p in patterns:
        m = p.search(text)
        if m:
            return m.group(0).strip()
    return None


def beneficiaries_of(text: str) -> list[str]:
    """Normalised beneficiaries named in an offer (a more specific one hides its general form)."""
    return _listed(text, vocabulary().beneficiaries)


def applicants_of(text: str) -> list[str]:
    """Who applies for an offer (企业 / 个人 / 家庭 / 人才 …), never what is supported (项目 / 产品)."""
    return _named(text, vocabulary().applicants)


def amounts_of(text: str) -> list[str]:
    """Every amount and rate written in an offer, as written: tiers and caps included."""
    pattern = vocabulary().amount_each
    return [m.group(0).strip() for m in pattern.finditer(text)] if pattern else []


_QUALIFIER = re.compile(r"^(?:最高|最多|每人|每月|每年|每套|每家|一次性|累计|单个|单套|\s)+")
_PER_UNIT = re.compile(r"\s*/\s*\S+$")


@cache
def money_value(expr: str) -> float | None:
    """The amount of money an expression states, in 元, read by jionlp's money parser (最高500万元 ->
    5000000.0; 不超过1.5亿元 -> 150000000.0); None for a rate or an unreadable expression."""
    core = _PER_UNIT.sub("", _QUALIFIER.sub("", expr.strip()))
    if not core.endswith("元"):
        return None
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
        import jionlp as jio

        try:
            return float(jio.parse_money(core)["num"])
        except Exception:  # jionlp raises bare ValueErrors/TypeErrors on odd input
            return None


_DATE_SPAN = re.compile(r"^[^，,]{0,40}\d{4}\s*年[^，,]{0,40}(?:至|到)[^，,]{0,30}(?:日|期间|起|止)$")
_CONDITION_LEAD = re.compile(r"^\s*(?:对于|对|凡是|凡|针对)")


def leading_condition(text: str) -> str | None:
    """The clauses of an offer before its offering verb (对年度营业收入首次突破1亿元的企业，给予…): who
    or what qualifies. A leading date span is the offer's window, not its condition."""
    verb = vocabulary().offer_verbs.search(text) if vocabulary().offer_verbs else None
    head = text[: verb.start()] if verb else ""
    parts = [p for p in re.split(r"[，,]", head) if p.strip()]
    while parts and _DATE_SPAN.match(parts[0].strip()):
        parts.pop(0)
    cond = "，".join(p.strip() for p in parts).strip("，,。；; ")
    cond = _CONDITION_LEAD.sub("", cond)
    cond = re.sub(r"^(?:省级|市级|县级|区级)$", "", cond)
    return cond if len(cond) >= 4 else None


def _named(text: str, vocab: list[tuple[str, tuple[str, ...]]]) -> list[str]:
    """Names of the vocabulary written in the text, longest form first (企业职工 is a person, not an
    enterprise; 科技企业孵化器 a 载体), in the vocabulary's order."""
    text = vocabulary().beneficiary_ignore.sub(lambda m: "\x00" * len(m.group(0)), text)
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
        if re.search(r"[，,。；;]", between):
            return False
        if re.search(r"的[^的，,。；;]{0,6}$", between):
            return True
    return False


def _listed(text: str, vocab: list[tuple[str, tuple[str, ...]]]) -> list[str]:
    """Names in vocabulary priority: an earlier name's longer form hides a later, shorter one inside it."""
    found: list[str] = []
    covered: list[tuple[int, int]] = []
    text = vocabulary().beneficiary_ignore.sub(lambda m: "\x00" * len(m.group(0)), text)
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


def conditions_of(text: str) -> str | None:
    """The condition of an offer: its leading clauses, then every condition phrase of the vocabulary
    (经评估, 纳入本市统筹调度 …) not already inside them."""
    seen: list[str] = []
    lead = leading_condition(text)
    if lead:
        seen.append(lead)
    for p in vocabulary().conditions:
        for m in p.finditer(text):
            c = m.group(0).strip("，。；, ")
            if c and not any(c in s for s in seen):
                seen = [s for s in seen if s not in c] + [c]
    return "；".join(seen) or None


def support_item(policy: Policy, piece: Piece, group: Group, context: list[str] | None = None) -> Support:
    """One offer; `context`: the applicants named earlier in the same measure, for an offer naming none."""
    text = policy.text[group.start:group.end]
    vocab = vocabulary()
    deadline = DEADLINE.search(text)
    named = beneficiaries_of(text)
    applicants = applicants_of(text) or list(context or []) or _implied_applicants(text, named)
    amounts = amounts_of(text)
    return Support(
        kind=group.kind or "政策支持", text=text, amount="、".join(amounts) or _first(vocab.amounts, text),
        rate=_first(vocab.rates, text), cap=_first(vocab.caps, text), condition=conditions_of(text),
        beneficiaries=list(dict.fromkeys([*named, *applicants])), topics=find_topics(text),
        deadline=resolve_deadline(deadline) if deadline else None,
        span=Span(piece.measure.id if piece.measure else None, group.start, group.end, piece.text),
        applicants=applicants, objects=[b for b in named if b in vocab.objects], amounts=amounts,
        amount_values=[v for v in map(money_value, amounts) if v is not None])


def _implied_applicants(text: str, named: list[str]) -> list[str]:
    """The applicant of an offer that names none: a person buying a home, or the enterprise behind the
    project / product / platform supported."""
    vocab = vocabulary()
    for pattern, name in vocab.applicant_cues:
        if pattern.search(text):
            return [name]
    if vocab.object_applicant and any(b in vocab.objects for b in named):
        return [vocab.object_applicant]
    return []


def is_offer(text: str) -> bool:
    """Not a clause that only names a kind of support (通过政府补贴等方式 / 上述补贴政策 …)."""
    return not any(p.search(text) for p in vocabulary().not_offers)


def is_heading(piece: Piece) -> bool:
    """The measure's own number and title (（二）加大政策支持。) name a topic, not an offer."""
    m = piece.measure
    if m is None or piece.start > m.start + len(m.number) + 2:
        return False
    head = re.sub(r"[\s*。.]", "", piece.text)
    return head in (re.sub(r"[\s*。.]", "", m.number + m.title), re.sub(r"[\s*。.]", "", m.title))


def extract_support(policy: Policy) -> dict[str, list[Support]]:
    """measure id -> support items offered there."""
    out: dict[str, list[Support]] = {}
    context: dict[str, list[str]] = {}  # measure id -> the applicants named last in it
    vocab = vocabulary()
    for piece in pieces(policy, CLAUSE_END):
        if piece.measure is None or is_heading(piece):
            continue  # the graph hangs support on measures; the parser puts all body text in one
        mid = piece.measure.id
        for group in offer_groups(piece.text, piece.start):
            text = policy.text[group.start:group.end]
            if not is_offer(text):
                continue
            if vocab.cap_back and vocab.cap_back.search(text) and out.get(mid):
                _cap_back(out[mid], group.kind, amounts_of(text))
                continue
            item = support_item(policy, piece, group, context.get(mid))
            out.setdefault(mid, []).append(item)
        named = applicants_of(piece.text)
        if named:
            context[mid] = named
    return out


def _cap_back(items: list[Support], kind: str | None, caps: list[str]) -> None:
    """以上补贴标准，单套最高不超过10万元: the cap belongs to every earlier offer of that kind."""
    for item in items:
        if item.kind == kind and caps:
            item.amounts = [*item.amounts, *caps]
            item.amount = "、".join(item.amounts)
            item.cap = item.cap or caps[0]
