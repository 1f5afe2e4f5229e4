"""Conversations: a follow-up question read against the previous turn, and a question's scope.

A follow-up leans on what was just said: "那南京呢" repeats the previous question for another
place or thing, "这项措施属于哪个文件" asks where the clause just quoted comes from, "它的责任单位呢"
asks who is responsible for it. `resolve` decides which kind a question is from the genre's cue
words (genre/data/intents.yaml, section `followup`) and says what to ask instead; the previous answer
(its first citation) gives the clause the pronoun points at.

A scope limits a question to a document, a jurisdiction or the policies in force; it becomes a set
of policy ids that retrieval and the graph facts are filtered by.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from genre import Genre, derived


@dataclass
class Turn:
    """One earlier turn: the question and, when the caller kept it, the answer's citations."""

    question: str
    citations: list[dict] = field(default_factory=list)  # Citation as dicts (policy_id, measure_id, ...)

    @classmethod
    def coerce(cls, item: object) -> Turn | None:
        """A history item as the CLI, the API and the app pass it: a string or {"question", ...}."""
        if isinstance(item, str):
            return cls(item) if item.strip() else None
        if isinstance(item, dict) and str(item.get("question") or "").strip():
            cites = [c for c in item.get("citations") or [] if isinstance(c, dict)]
            return cls(str(item["question"]), cites)
        return None


@dataclass
class FollowUp:
    """What a follow-up question asks, resolved against the previous turn.

    kind: "repeat" (ask `question` instead, optionally within the previous turn's documents),
    "document" (which document the previous clause belongs to), "departments" (who is responsible
    for the previous clause), or "" (not a follow-up)."""

    kind: str = ""
    question: str = ""
    previous: Turn | None = None
    within_previous: bool = False  # restrict retrieval to the documents the previous answer cited
    topic: str = ""  # the sibling item of a "那X呢" that names no place
    asking: str = ""  # what "那X呢，谁负责？" asks of the item, in place of what the previous question asked


@derived
def cues_of(genre: Genre) -> dict:
    """The follow-up cues (intents.yaml `followup`), and the grades of a tier list as support.yaml
    writes them (`tier_stem`: C, 5A, 五星, 二, 省; `tier_suffix`: 类, 级, 档) for a tier follow-up."""
    spec = genre.data("intents").get("followup") or {}
    cues = {k: re.compile(v) for k, v in spec.items() if isinstance(v, str)}
    support = genre.data("support")
    if support.get("tier_stem") and support.get("tier_suffix"):
        cues["tier_label"], cues["tier_kind"] = re.compile(support["tier_stem"]), re.compile(support["tier_suffix"])
    return cues


def coerce_history(history: Sequence[object] | None) -> list[Turn]:
    return [t for t in (Turn.coerce(h) for h in history or []) if t is not None]


def resolve(question: str, history: Sequence[Turn], places: Sequence[str] = (),
            previous_places: Sequence[tuple[int, int]] = (), *, genre: Genre, bare: bool = False) -> FollowUp:
    """The follow-up kind of `question` given the earlier turns (last one counts).

    `places` are the places linked in the question; `previous_places` the (start, end) spans of
    the places linked in the previous question (a "那X呢" about a place swaps them). `bare`: the
    question names nothing of its own (no place, document, clause, topic, body or kind of support):
    "截止到哪天？", "至少要买几套？", "去哪个部门申领？" ask about what was just said as a pronoun does."""
    if not history:
        return FollowUp()
    prev = history[-1]
    cues = cues_of(genre)
    q = question.strip()
    own = cues["repeat_asking"].search(q) if cues.get("repeat_asking") and not places else None
    if own and not asks_field(own.group("topic"), genre=genre) and not _leans_back(own.group("topic"), cues):
        # "那复审呢，谁负责？": the sibling item names something, so the asking is not about the previous clause
        topic, asking = own.group("topic").strip(" ，,、"), own.group("asking")
        return FollowUp("repeat", sibling_question(topic, prev.question, previous_places, cues, asking=asking), prev,
                        within_previous=True, topic=topic, asking=asking)
    back = _leans_back(q, cues) or (bare and len(q) <= BARE_MAX_CHARS)
    if cues.get("document") and cues["document"].search(q) and back:
        return FollowUp("document", prev.question, prev)
    if cues.get("departments") and cues["departments"].search(q) and back:
        return FollowUp("departments", prev.question, prev)
    m = cues.get("repeat").search(q) if cues.get("repeat") else None
    if m:
        topic = m.group("topic").strip(" ，,、")
        if not places and asks_field(topic, genre=genre):
            # "那有效期呢", "那它的截止日期呢": another fact of what was just said, not a sibling item: asked of
            # the previous question's subject, without what that question asked (多少钱 asks an amount)
            return FollowUp("repeat", f"{q}（{_subject_of(prev.question, cues)}）", prev, within_previous=True)
        if not places and _leans_back(topic, cues):
            return FollowUp("repeat", f"{q}（{prev.question}）", prev, within_previous=True)
        if places and previous_places:
            start, end = previous_places[0]
            return FollowUp("repeat", prev.question[:start] + topic + prev.question[end:], prev)
        if places:
            return FollowUp("repeat", f"{topic}{prev.question}", prev)
        return FollowUp("repeat", sibling_question(topic, prev.question, previous_places, cues), prev,
                        within_previous=True, topic=topic)
    if cues.get("continues") and cues["continues"].search(q) and len(q) <= 30:
        rest = cues["continues"].sub("", q, count=1)
        if _leans_back(rest, cues) and not places:
            # "那这个钱是怎么给的": 这个钱 is what the previous question was about, asked a new thing of
            rest = f"{rest}（{_subject_of(prev.question, cues)}）"
        # "那安康高新区买新房能补多少" after a question about 合肥: a place of its own is asked about in its
        # own documents, not within those the previous answer cited
        return FollowUp("repeat", rest, prev, within_previous=not _new_places(places, prev.question))
    if back and len(q) <= 24:
        # the basis of the document just cited (这个计划是按照哪些文件定的) is asked of the previous question's
        # subject, without what that question asked (规模要做到多少 asks a target)
        basis = genre.data("answer").get("basis_cue")
        context = _subject_of(prev.question, cues) if basis and re.search(basis, q) else prev.question
        return FollowUp("repeat", f"{q}（{context}）", prev, within_previous=True)
    return FollowUp()


BARE_MAX_CHARS = 24  # a question naming nothing of its own, this short, asks about the previous turn


def asks_field(text: str, *, genre: Genre) -> bool:
    """The words name a kind of fact (有效期, 截止日期, 文号, 施行日期), not a thing the fact is about: the
    document-fact and time cues of the genre (intents.yaml `document_facts.asked`, answer.yaml
    `clause_time`)."""
    return bool(_field_cues(genre).search(text))


@derived
def _field_cues(genre: Genre) -> re.Pattern:
    """The cues of `asks_field` as one pattern, compiled once per genre (read on every follow-up)."""
    asked = (genre.data("intents").get("document_facts") or {}).get("asked") or {}
    times = genre.data("answer").get("clause_time") or {}
    basis = genre.data("answer").get("basis_cue")  # why the document was issued (按照哪些上级文件定的)
    patterns = [p for p in (*asked.values(), *(times.get(k) for k in ("start_asked", "end_asked")), basis) if p]
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)")


_BOUNDARY = set("对的在给为和与及，,、里从向把按")  # characters a noun phrase of the question does not cross


def sibling_question(topic: str, previous: str, previous_places: Sequence[tuple[int, int]] = (),
                     cues: dict | None = None, keep: Sequence[str] = (), asking: str = "") -> str:
    """The previous question asked of a sibling item ("那五星级酒店呢" after "柳河新建三星级酒店土地价款奖励
    返还多少？" -> "柳河新建五星级酒店土地价款奖励返还多少？"): the item is put where the previous question
    names the item it shares its head with (星级酒店, 平台, 类人才), so its place, document words and
    asked kind of fact stay. Without a shared head: the item with the previous question's places, the
    words of it to `keep` (what the previous answer's clause also says: 公积金) and what it asked
    ("那数据标注呢" after "…租用算力每年能补多少" -> "数据标注每年能补多少？"). `asking`: the follow-up's
    own asking ("那复审呢，谁负责？"), said in place of the previous question's."""
    cues = cues if cues is not None else {}
    previous = previous.strip()
    places = [(a, b) for a, b in previous_places if 0 <= a < b <= len(previous)]
    whole = previous  # where the previous places are read
    if asking:  # the follow-up's asking in place of the previous one; with none to replace, the item is
        at = _predicate_start(previous, cues)  # not put into the previous question: only its places and
        previous = previous[:at] + "，" + asking if at is not None else ""  # kept words go with it
    modifier = topic.endswith("的")  # "那纸质的呢": another kind of the same thing
    topic = re.sub(r"(的|这个|这种|这类)$", "", topic) or topic  # "那5A级的呢": the item is 5A级
    at = _predicate_start(previous, cues)
    subject_end = len(previous) if at is None else at
    if (tier := _swapped_tier(topic, previous, subject_end, cues)) is not None:
        return tier
    if (term := _swapped_quote(topic, previous, subject_end)) is not None:
        return term
    for size in range(len(topic), 1, -1):
        head = topic[-size:]
        at = previous.rfind(head, 0, subject_end)
        if at < 0:
            continue
        left = max(at - (len(topic) - size), 0)
        for i in range(at - 1, left - 1, -1):  # never across a function word or a place
            if previous[i] in _BOUNDARY or any(a <= i < b for a, b in places):
                left = i + 1
                break
        return previous[:left] + topic + previous[at + size:]
    where = "".join(whole[a:b] for a, b in places if whole[a:b] not in topic)
    if modifier:  # the kept word written just before another kept word is the modifier the topic replaces
        keep = [w for w in keep if not any(w + other in whole for other in keep if other != w)]
    kept = "".join(w for w in keep if w not in topic)
    return where + topic + kept + (_predicate(previous, cues) if previous else f"，{asking}")


_QUOTED_TERM = re.compile(r"[“\"「『][^“”\"「」『』]+[”\"」』]")


def _swapped_quote(topic: str, previous: str, subject_end: int) -> str | None:
    """A quoted item ("那“数据主体”呢" after "…办法里的“数源部门”指的是啥？") takes the place of the term the
    previous question quotes: both are terms the user marks as the document's own, asked the same way.
    None when the topic is not one quoted term or the previous subject quotes none."""
    if not _QUOTED_TERM.fullmatch(topic):
        return None
    found = list(_QUOTED_TERM.finditer(previous, 0, subject_end))
    if not found:
        return None
    q = found[-1]
    return previous[:q.start()] + topic + previous[q.end():]


def _swapped_tier(topic: str, previous: str, subject_end: int, cues: dict) -> str | None:
    """The previous question asked of another tier ("那C类人才呢" after "成都的A、B类高层次人才买商品房…"
    -> "成都的C类高层次人才买商品房…"): a tier label (C类, 5A级, 五星级, 二档: support.yaml `tier_stem` and
    `tier_suffix`, see cues_of) takes the place of the previous subject's label of the same kind, a coordinated run of
    labels included (A、B类), and the words between the label and the noun stay. None when the topic is
    no tier or the previous subject writes no label of its kind before the topic's noun."""
    if cues.get("tier_label") is None or cues.get("tier_kind") is None:
        return None
    label = cues["tier_label"].pattern
    m = re.match(rf"^(?P<tier>{label}(?P<kind>{cues['tier_kind'].pattern}))(?P<head>.*)$", topic)
    if m is None:
        return None
    run = re.compile(rf"{label}(?:[、和及与或]{label})*{re.escape(m.group('kind'))}")
    head = m.group("head")
    found = [r for r in run.finditer(previous, 0, subject_end)
             if not head or head in previous[r.end(): r.end() + len(head) + 6]]
    if not found:
        return None
    r = found[-1]
    return previous[:r.start()] + m.group("tier") + previous[r.end():]


def kept_context(topic: str, focus: Sequence[str], quote: str) -> list[str]:
    """The words of the previous question a sibling item keeps: those the clause just quoted also says
    (公积金 of "合肥夫妻俩都交公积金，最多能贷多少" for "那只有一个人交呢"), none sharing two characters with
    the item. Kept words saying more than the item itself name the previous item, not its context
    ("那新增的应急抽排能力呢" after "…易涝区域数字化管控覆盖率要达到多少": 覆盖率 is not asked of the new item):
    then none is kept; nor is a word with the item's head (初审 for 复审), the item it replaces. A
    modifier ("良好的呢") keeps them; sibling_question drops the one it replaces."""
    keep = [w for w in focus if len(w) >= 2 and w in quote and not any(w[i:i + 2] in topic for i in range(len(w) - 1))
            and not w.endswith(topic[-1:])]  # 初审 for 复审: the same head, the item replaced
    if sum(map(len, keep)) > len(topic) and not topic.endswith("的"):
        return []
    return keep


def _predicate(question: str, cues: dict) -> str:
    """What the previous question asked about its subject ("最高能补贴多少？"), to ask it of another."""
    at = _predicate_start(question, cues)
    return question[at:] if at is not None else f"，{question}"


def _predicate_start(question: str, cues: dict) -> int | None:
    """Where the asking part of a question begins: the first predicate cue that begins a word (the 能
    of 智能机器人 begins none: "…智能机器人重点专项网上填报预申报书什么时候截止" asks from 什么时候)."""
    from rag.tokenize import word_starts

    ask = cues.get("predicate")
    if ask is None:
        return None
    starts = word_starts(question)
    return next((m.start() for m in ask.finditer(question) if m.start() in starts), None)


def _subject_of(question: str, cues: dict) -> str:
    """A question without what it asks (…实体书店扶持资金，一家书店最多能拿多少 -> …实体书店扶持资金，一家书店):
    the subject a follow-up asking something else of it keeps."""
    at = _predicate_start(question, cues)
    return question[:at] if at else question


def _new_places(places: Sequence[str], previous: str) -> list[str]:
    """The places a follow-up names that the previous question did not."""
    return [p for p in places if p not in previous]


def _leans_back(question: str, cues: dict) -> bool:
    """The question points at something said before (这项/它/该/上述 ...)."""
    pronoun = cues.get("pronoun")
    return bool(pronoun and pronoun.search(question))


# -- scope --------------------------------------------------------------------------------------


@dataclass
class Scope:
    """Limits of a question: one document (id, title or 文号), one jurisdiction, policies in force."""

    document: str | None = None
    jurisdiction: str | None = None
    in_force: bool = False

    @classmethod
    def coerce(cls, value: object) -> Scope | None:
        if value is None or isinstance(value, Scope):
            return value
        if isinstance(value, dict):
            return cls(document=value.get("document") or None, jurisdiction=value.get("jurisdiction") or None,
                       in_force=bool(value.get("in_force", False)))
        raise ValueError("scope must be an object with document, jurisdiction and/or in_force")

    @property
    def empty(self) -> bool:
        return not (self.document or self.jurisdiction or self.in_force)


def scope_policies(scope: Scope, policies: Sequence[dict], today: date | None = None) -> set[str]:
    """Ids of the policies within the scope (policies: rows with id, title, doc_no, city, expiry)."""
    today = today or date.today()
    keep = []
    for p in policies:
        if scope.document and not _names_document(scope.document, p):
            continue
        if scope.jurisdiction and not _in_jurisdiction(scope.jurisdiction, p):
            continue
        if scope.in_force and not _in_force(p, today):
            continue
        keep.append(str(p.get("id")))
    return set(keep)


def _names_document(key: str, p: dict) -> bool:
    key = key.strip()
    return key in {str(p.get("id") or ""), str(p.get("doc_no") or "")} or (len(key) >= 4 and key in str(p.get("title") or ""))


def _in_jurisdiction(place: str, p: dict) -> bool:
    """The policy's place is the jurisdiction or lies under it (its name contains the place's stem)."""
    stem = re.sub(r"(省|市|自治区|特别行政区|区|县|州)$", "", place.strip())
    where = " ".join(str(p.get(k) or "") for k in ("city", "province", "jurisdiction", "title"))
    return bool(stem) and stem in where


def _in_force(p: dict, today: date) -> bool:
    """In force today: not marked 已失效/尚未施行, not expired, and not taking effect later (the same
    reading as the validity badge, so "in force only" never keeps a policy the badge calls otherwise)."""
    if str(p.get("status") or p.get("validity") or "").strip() in ("已失效", "尚未施行"):
        return False
    for key, ok in (("expiry", lambda d: d >= today), ("effective", lambda d: d <= today)):
        text = str(p.get(key) or "")[:10]
        try:
            if text and not ok(date.fromisoformat(text)):
                return False
        except ValueError:
            continue
    return True
