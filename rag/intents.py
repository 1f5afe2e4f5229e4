"""Route a question to an intent from cue patterns (genre/data/intents.yaml) and the linked entities.

Intents: departments (who is responsible for X), duties (what is department D responsible for),
support (what can I get), targets, comparison (several cities, 分别/对比), metadata (dates, issuers,
validity, 文号), general. The rules are data: how the genre's readers phrase questions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from genre import Genre, derived, read_data
from rag.linking import NATIONAL, Link, Linked
from rag.state import ensure_private_dir

INTENTS = ("departments", "duties", "support", "targets", "comparison", "metadata", "general")


@dataclass
class Intent:
    name: str
    scores: dict[str, float] = field(default_factory=dict)
    cues: list[str] = field(default_factory=list)  # the phrases that fired, for explanation
    subject: str = "targets"  # what a comparison compares: targets | support

    def fired(self, name: str) -> bool:
        return self.scores.get(name, 0.0) > 0


@dataclass
class _Cue:
    intent: str
    pattern: re.Pattern
    weight: float


@derived
def _rules(genre: Genre) -> dict:
    data = genre.data("intents")
    cues = [_Cue(name, re.compile(c["re"], re.IGNORECASE), float(c.get("w", 1.0)))
            for name, spec in data["intents"].items() for c in spec.get("cues", [])]
    return {"cues": cues, "entity_rules": data.get("entity_rules", []),
            "precedence": data.get("precedence", []), "default": data.get("default", "general"),
            "asking": data.get("asking"), "default_asks": _from_clauses(genre)}


def _from_clauses(genre: Genre) -> re.Pattern:
    """The cues of the kinds of fact answered from the clauses whatever intent a question's other words
    fire (answer.yaml asked_facts `from_clauses`: which office of a department, written in the item's
    contact line); the default intent answers them."""
    kinds = genre.data("answer").get("asked_facts") or []
    return re.compile("|".join(f"(?:{k['cue']})" for k in kinds if k.get("from_clauses")) or "$^")


@dataclass
class Asking:
    """Where the asking part of a question begins: at its question word (什么, 哪, 多久 …) in the first
    clause that asks something, or at the start of a yes/no clause (…吗). `clause` is where that
    clause begins; before it lie the clauses that only set the scene (在柳河申请旅游奖励，…)."""

    start: int
    clause: int


CLAUSE_BREAK = "[，,；;]"  # where a clause ends, unless intents.yaml `asking.clause_break` says otherwise


def clause_break(spec: dict) -> str:
    """The pattern ending a clause of a question (asking.clause_break, else CLAUSE_BREAK)."""
    return spec.get("clause_break") or CLAUSE_BREAK


def asking_part(text: str, spec: dict | None) -> Asking | None:
    """The asking part of a question (intents.yaml `asking`), or None when no clause asks."""
    if not spec:
        return None
    breaks = [0] + [m.end() for m in re.finditer(clause_break(spec), text)]
    clauses = list(zip(breaks, [*breaks[1:], len(text)], strict=True))
    for begin, end in clauses:  # the first clause that asks: "要几个工作日能办下来，有啥要求" asks in both
        word = re.search(spec["interrogative"], text[begin:end])
        if word is not None and not some_word(text, begin + word.start(), spec):
            # a question word inside the subject (有多少存款是哪个部门去查的): the clause asks from its predicate
            later = re.search(spec.get("predicate") or "$^", text[begin + word.end():end])
            return Asking(begin + word.end() + later.start() if later else begin + word.start(), begin)
    for begin, end in reversed(clauses):
        if re.search(spec.get("particle") or "$^", text[begin:end]):
            return Asking(begin, begin)
    return None


def some_word(text: str, at: int, spec: dict) -> bool:
    """The question word at `at` means "some", not "which" or "how many", as Chinese uses it outside a
    question (intents.yaml `asking`): after a demonstrative (那几年, 这几天: those years), or in a clause
    that sets a condition (要是哪个部门的数据被泄露了: any body) or states what the asker has or did
    (补缴了几个月: some months) while a later clause asks."""
    breaks = clause_break(spec)
    begin = clause_start(text, at, spec)
    if text.startswith("几", at) and re.search(spec.get("demonstrative") or "$^", text[begin:at]):
        return True  # a demonstrative quantifies with 几 (那几年, 前几天), not with 多久 (提前多久)
    after = re.search(breaks, text[at:])
    if after is None:
        return False  # the last clause asks
    rest = text[at + after.end():]
    asks_later = any(re.search(spec.get(k) or "$^", rest) for k in ("interrogative", "particle", "yes_no"))
    end = at + after.start()
    return asks_later and bool(re.search(spec.get("condition") or "$^", text[begin:at])
                               or re.search(spec.get("premise") or "$^", text[begin:end]))


def asked_words(text: str, *, genre: Genre) -> str:
    """The question from the clause that asks onward, without the clauses before it that only set the
    scene: in "公租房快到期了还想接着住，得提前多久去申请" the lease's end (到期) is the situation, the
    asking clause "得提前多久去申请" asks a time limit of a clause, not the document's validity. The
    whole text when no clause asks."""
    found = asking_part(text, _rules(genre)["asking"])
    return text[found.clause:] if found is not None else text


class QuestionPart(NamedTuple):
    """A later question of a message: the sentence as the user wrote it, and the question asked
    alone (the sentence led by the scene the message's first question sets)."""

    sentence: str
    question: str


def asked_sentences(text: str) -> list[str]:
    """The sentences of a message, each to its ？ (the last to the message's end), empty ones left out."""
    return [s for s in re.split(r"(?<=[？?])", text) if s.strip(" ？?")]


def asked_units(text: str, spec: dict) -> list[str]:
    """The questions of a message: its sentences (asked_sentences), a sentence asking in two clauses
    cut between them ("归哪个单位牵头，占几分？", "去哪儿交材料，几天能办完？": each asks a fact of its own, and
    the first asking clause alone decides what the whole sentence is answered with). A later clause
    asks on its own only with a question word of its own: "头一笔得交多少，尾款呢？" asks the same of 尾款."""
    units: list[str] = []
    for sentence in asked_sentences(text):
        current = ""
        for piece in re.split(f"(?<={clause_break(spec)})", sentence):
            if (current and asking_part(current, spec) is not None and re.search(spec["interrogative"], piece)
                    and asking_part(piece, spec) is not None):
                units.append(current)
                current = piece
            else:
                current += piece
        if current:
            units.append(current)
    return units


def first_question_end(text: str) -> int:
    """Where the message's first question ends: after its ？ (the message's end when it asks one)."""
    sentences = asked_sentences(text)
    return text.index(sentences[0]) + len(sentences[0]) if len(sentences) > 1 else len(text)


def first_sentence(text: str) -> str:
    """The message's first sentence, to its ？: its first question with the scene it sets itself."""
    return (asked_sentences(text) or [text])[0].strip()


def question_parts(text: str, *, genre: Genre, limit: int = 3) -> list[QuestionPart]:
    """The later questions of a message that asks several, one per sentence ending in ？ ("合同一签是几年？
    到期了还能接着住吗") or per asking clause of one (asked_units), each led by the scene its first question sets — the clauses before its asking
    clause, else the words before its asking word ("广州公租房住进去合同一签") — so that it can be answered alone. Only sentences that ask
    a question of their own count (asks_alone: a closing "谢谢！" does not, nor "哪个高？" after a comparison); at
    most `limit`, so that the work of one message stays bounded.
    [] for a message asking one question. The message as a whole is answered as before: its first
    asking clause leads (asking_clause)."""
    spec = _rules(genre)["asking"]
    sentences = asked_units(text, spec)  # a sentence asking in two clauses is two of them
    first = asking_part(sentences[0], spec) if len(sentences) > 1 else None
    if first is None:
        return []
    # the clauses before the asking one set the scene (深圳搞AI终端，到2026年全市想做到多大盘子？): the first
    # question's own subject (到2026年全市想做到) is no later question's; an asking clause that opens the
    # message brings the words before its question word (公租房合同一签 | 是几年)
    scene = sentences[0][: first.clause or first.start]
    if first.start == first.clause:
        # a yes/no question (能不能用银行保函替换监管资金) says what it asks of after its question word:
        # that is the scene too, without the question word and the particle
        rest = re.sub(f"^{spec.get('yes_no') or spec['interrogative']}", "", sentences[0][first.start:].strip(" ？?"))
        if not re.search(spec["interrogative"], rest):  # 能不能分几次交: 几 would ask again
            scene += re.sub(r"(吗|么|呢)$", "", rest)
    # the copula or verb the question word was the object of (合同一签是 | 几年, 有 | 什么支持) is left off
    scene = re.sub(r"[，,]?(是|有|要|得|能|为|给)$", "", scene.strip().rstrip("，,；;")).rstrip("，,；;")
    later = [s.strip() for s in sentences[1:] if asks_alone(s.strip(), spec)]
    return [QuestionPart(s, f"{scene}，{s}" if scene else s) for s in later[:limit]]


def asks_alone(sentence: str, spec: dict) -> bool:
    """A later sentence of a message is a question of its own: it asks (asking_part), and not only how the
    first question wants its answer (`list_request`: 列几条) or which of the sides it compared is more
    (`verdict`: 哪个高), which the first question's answer shows."""
    bare = sentence.strip(" ？?。！!")
    return (asking_part(sentence, spec) is not None and not re.search(spec.get("list_request") or "$^", bare)
            and not re.search(spec.get("verdict") or "$^", bare))


def asking_clause(text: str, *, genre: Genre) -> str:
    """The first clause that asks, alone: from its start to the end of that clause or sentence. In
    "合同一签是几年？到期了还能接着住吗" it is "合同一签是几年" — what the span is asked of is there, and the
    到期 of the next sentence is the lease's, said of the same thing. The whole text when no clause asks."""
    found = asking_part(text, _rules(genre)["asking"])
    if found is None:
        return text
    end = re.search(r"[，,；;？?。！!]", text[found.start:])
    return text[found.clause : found.start + end.start()] if end else text[found.clause :]


def topic_only(matches: list[tuple[str, float, int, int]], asking: Asking | None, strong: float) -> set[str]:
    """The intents whose cues all lie before the asking part while another intent's strong cue lies in
    it, or — when the asking clause has no cue at all — lie in the clauses before it: "合肥的购房补贴政策
    出台后，各县区还要做什么" asks what the districts must do (duties), not about the subsidy; "老旧厂房
    改造的资金支持政策从什么时候开始实施" asks a date. `matches`: (intent, weight, start, end).
    Comparisons are a shape of the whole question and are never discounted."""
    if asking is None:
        return set()
    asked = {name for name, _, _, end in matches if end > asking.start}
    strongly = {name for name, w, _, end in matches if end > asking.start and w >= strong}
    out = set()
    for name in {m[0] for m in matches} - asked - {"comparison"}:
        if strongly - {name} or (not asked and all(end <= asking.clause for n, _, _, end in matches if n == name)):
            out.add(name)
    return out


def indefinite(text: str, start: int, end: int, spec: dict) -> bool:
    """The cue text[start:end] holds a question word inside a yes/no question (`asking.yes_no` earlier
    in its clause): there it means "some", not "how many" — "能不能同时找几家推荐单位一起报" asks whether
    one may, not a count of units; the cue is discounted like a cue of the topic."""
    cue = text[start:end]
    word = re.search(spec["interrogative"], cue)
    if word is None or re.search(spec.get("yes_no") or "$^", cue):
        return False
    if some_word(text, start + word.start(), spec):  # 那几年, 要是哪个部门…, 补缴了几个月，…会不会
        return True
    return bool(re.search(spec.get("yes_no") or "$^", text[clause_start(text, start, spec):start]))


def clause_start(text: str, at: int, spec: dict) -> int:
    """Where the clause holding `at` begins: after the last clause break (asking.clause_break) before it."""
    return max((m.end() for m in re.finditer(clause_break(spec), text[:at])), default=0)


def appended_context(text: str, spec: dict | None) -> int:
    """Where the previous question a follow-up is resolved with begins (这个计划是按照哪些文件定的？（深圳…
    到2026年产业规模）): its cues name what is asked about, not what is asked, when the follow-up asks
    something of its own before it. len(text) when no such context is appended."""
    if not spec or not text.endswith(("）", ")")) or (at := max(text.rfind("（"), text.rfind("("))) <= 0:
        return len(text)
    return at if re.search(spec["interrogative"], text[:at]) else len(text)


def cue_spans(text: str, *, genre: Genre) -> list[tuple[int, int]]:
    """Where intent cues occur: the words that say what is asked, not what it is about."""
    return [m.span() for c in _rules(genre)["cues"] for m in c.pattern.finditer(text)]


def route(linked: Linked, prior: dict[str, float] | None = None, *, genre: Genre) -> Intent:
    """The intent of a linked question, with per-intent scores.

    `prior`: scores from the question's nearest labelled example questions (see `IntentExamples`),
    added to the cue rules' scores: a phrasing no cue foresaw still finds its intent. An intent whose
    cues only name the topic (see `topic_only`) keeps that share of its votes too."""
    rules = _rules(genre)
    text = linked.text
    scores = dict.fromkeys(INTENTS, 0.0)
    cues: list[str] = []
    matches: list[tuple[str, float, int, int]] = []
    for cue in rules["cues"]:
        found = list(cue.pattern.finditer(text))
        if found:  # the occurrence nearest the asking part says whether the cue asks
            matches.append((cue.intent, cue.weight, found[-1].start(), found[-1].end()))
            cues.append(found[0].group(0))
    spec = rules["asking"]
    asking = asking_part(text, spec)
    topical = topic_only(matches, asking, float(spec.get("strong", 2.0))) if spec else set()
    factor = float(spec.get("topic_weight", 0.3)) if spec else 1.0
    context = appended_context(text, spec)
    for name, weight, start, end in matches:
        some = spec is not None and (indefinite(text, start, end, spec) or start >= context)
        scores[name] += weight * (factor if name in topical or some else 1.0)
    for name, value in (prior or {}).items():
        if name in scores:  # the nearest examples vote for the whole question, its topic's word included
            scores[name] += value * (factor if name in topical else 1.0)
    for rule in rules["entity_rules"]:
        if _entity_rule_applies(rule, linked, scores):
            topic = rule["intent"] in topical and _before(rule, linked, asking)
            scores[rule["intent"]] += float(rule.get("w", 1.0)) * (factor if topic else 1.0)
    _apply_precedence(rules["precedence"], scores, linked)
    if requirement_only(text, genre=genre):
        scores["support"] = min(scores["support"], SUPPORT_UNFIRED)
    best = max((n for n in INTENTS if n != "general"), key=lambda n: scores[n])
    name = best if _fired(best, scores) and not rules["default_asks"].search(text) else rules["default"]
    subject = "support" if scores["support"] > scores["targets"] else "targets"
    return Intent(name=name, scores={k: round(v, 2) for k, v in scores.items() if v}, cues=cues, subject=subject)


FIRES = 2.0  # the score an intent needs to be chosen (_fired)
COMPARISON_FIRES = 2.5  # a comparison's: several places named make a score by themselves
SUPPORT_UNFIRED = FIRES - 0.01  # support kept just below firing by a question asking only what is required


def asked_requirement(text: str, *, genre: Genre) -> str | None:
    """The word of requirement the asking part asks for (intents.yaml `requirement_asked`: 哪几项条件 ->
    条件, 啥硬性要求 -> 要求), None when it asks none."""
    data = genre.data("intents")
    asking = asking_part(text, data.get("asking"))
    m = re.search(data.get("requirement_asked") or "$^", text[asking.start if asking is not None else 0:])
    return m.group("kind") if m else None


def requirement_only(text: str, *, genre: Genre) -> bool:
    """The asking part asks only what is required (`asked_requirement`) and the question names nothing
    given (`support_comparison`: 补贴, 支持, 优惠 …): it asks the clause setting the requirements of what it
    names (认定一类企业, 开分公司), not the offers of the support facts, however many support cues its
    subject fires (条件, 场地)."""
    return bool(asked_requirement(text, genre=genre)
                and not re.search(genre.data("intents").get("support_comparison") or "$^", text))


def _fired(name: str, scores: dict[str, float]) -> bool:
    """An intent needs a cue of its own (entity rules alone only tip a balance), except comparisons
    which several cities make by themselves."""
    threshold = COMPARISON_FIRES if name == "comparison" else FIRES
    return scores[name] >= threshold


def _before(rule: dict, linked: Linked, asking: Asking | None) -> bool:
    """Every entity the rule counts is named before the asking part (a support kind in the topic)."""
    kind = rule.get("has")
    links = linked.of(kind) if kind else []
    return bool(asking is not None and links and all(0 <= lk.end <= asking.start for lk in links))


def _entity_rule_applies(rule: dict, linked: Linked, scores: dict[str, float]) -> bool:
    if "min_cities" in rule:
        return len(compared_places(linked)) >= int(rule["min_cities"])
    kind = rule.get("has")
    return bool(kind and linked.of(kind))


def compared_places(linked: Linked) -> list[str]:
    """The places a question names that can be sides of a comparison: a province or city named with a
    place inside it ("杭州下暴雨…按浙江的内涝规划") is where that place lies, one jurisdiction, unless the
    question joins the two as sides (合肥和安徽, 深圳还是广东). So is a province the linker reads as the
    corpus places within it (阿坝…照着四川省哪份文件定的: 四川省 as 成都, 阿坝, 雅安), and the country
    (安徽…全国有分量的平台: 全国 qualifies, it is no side)."""
    places = list(dict.fromkeys([*linked.cities, *linked.values("unknown_city")]))
    if len(places) < 2:
        return places
    from rag.places import encloses

    places = [p for p in places if p not in _enclosing_mentions(linked)]
    if NATIONAL in places and not any(_joined(NATIONAL, p, linked.text) for p in places if p != NATIONAL):
        places.remove(NATIONAL)
    return [p for p in places
            if not any(q != p and encloses(p, q) and not _joined(p, q, linked.text) for q in places)]


def _enclosing_mentions(linked: Linked) -> set[str]:
    """The places read from one mention naming several (a province standing for the corpus places
    within it) when the question also names one of them on its own, not joined to it as a side: the
    mention is where that place lies. Those of its places the question does not name on their own."""
    links = [lk for lk in linked.links if lk.kind in ("city", "unknown_city") and lk.start >= 0]
    spans: dict[tuple[int, int], list[Link]] = {}
    for lk in links:
        spans.setdefault((lk.start, lk.end), []).append(lk)
    out: set[str] = set()
    for span, group in spans.items():
        values = {lk.value for lk in group}
        alone = [lk for lk in links if (lk.start, lk.end) != span]
        if len(group) > 1 and any(lk.value in values and not _joined(group[0].mention, lk.mention, linked.text)
                                  for lk in alone):
            out |= values - {lk.value for lk in alone}
    return out


def _joined(a: str, b: str, text: str) -> bool:
    """The question writes the two places as sides: one right after the other with 和, 与, 跟, 还是…"""
    join = r"[省市县区]?(?:和|与|跟|同|及|、|还是|对比|比)"
    return bool(re.search(f"{re.escape(a)}{join}{re.escape(b)}|{re.escape(b)}{join}{re.escape(a)}", text))


def _apply_precedence(rules: list[dict], scores: dict[str, float], linked: Linked) -> None:
    for rule in rules:
        when, over = rule["when"], rule["over"]
        if scores[when] < float(rule.get("min", 0)) or scores[over] <= 0:
            continue
        if rule.get("cue") and not re.search(rule["cue"], linked.text):
            continue
        if rule.get("require") and not linked.of(rule["require"]):
            continue
        if rule.get("unless_cue") and re.search(rule["unless_cue"], linked.text):
            continue
        if rule.get("unless_kind") and linked.of(rule["unless_kind"]):
            continue
        scores[over] = min(scores[over], scores[when] - 0.01)


class IntentExamples:
    """Labelled example questions (genre/data/intent_examples.yaml) as query vectors of one model.

    The vectors are computed once per model and example set and cached in the data directory, so a
    question costs one product with the example matrix, not an embedding per example."""

    def __init__(self, vectors: np.ndarray, labels: list[str], k: int, weight: float, min_cosine: float) -> None:
        self.vectors, self.labels = vectors, labels
        self.k, self.weight, self.min_cosine = k, weight, min_cosine

    @classmethod
    def load(cls, embedder: Any, cache_dir: Path | None = None, *, genre: Genre) -> IntentExamples:
        data = read_data("intent_examples", genre=genre)
        pairs = [(name, q) for name, qs in (data.get("examples") or {}).items() for q in qs]
        labels = [name for name, _ in pairs]
        digest = hashlib.sha256(json.dumps([embedder.name, pairs], ensure_ascii=False).encode()).hexdigest()[:16]
        path = cache_dir / f"intent_examples-{digest}.npy" if cache_dir else None
        vectors = None
        if path is not None and path.is_file():
            with contextlib.suppress(OSError, ValueError):
                vectors = np.load(path)
        if vectors is None or len(vectors) != len(pairs):
            vectors = np.vstack([embedder.encode_query(q) for _, q in pairs]) if pairs else np.zeros((0, 1))
            if path is not None:
                with contextlib.suppress(OSError):
                    ensure_private_dir(path.parent)  # the data directory stays owner-only
                    tmp = path.with_name(path.stem + ".tmp.npy")
                    np.save(tmp, vectors)
                    tmp.chmod(0o600)
                    tmp.replace(path)
        return cls(np.asarray(vectors, dtype=np.float32), labels, int(data.get("k", 5)),
                   float(data.get("weight", 2.0)), float(data.get("min_cosine", 0.8)))

    def prior(self, query: np.ndarray) -> dict[str, float]:
        """Each intent's share of the k nearest examples (similar enough to vote), times the weight."""
        if not self.labels:
            return {}
        sims = self.vectors @ np.asarray(query, dtype=np.float32).reshape(-1)
        votes: dict[str, float] = {}
        for i in np.argsort(-sims)[: self.k]:
            if sims[i] >= self.min_cosine:
                votes[self.labels[i]] = votes.get(self.labels[i], 0.0) + 1.0
        return {name: round(self.weight * n / self.k, 3) for name, n in votes.items()}
