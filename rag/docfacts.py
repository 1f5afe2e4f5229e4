"""Facts of a whole document: who interprets it, and which departments carry it out.

A question about a document as a whole is not a question about one of its measures. "这个办法由谁负责
解释" asks for the body its closing provisions name (本办法由X负责解释), which is no measure's 责任单位;
"X行动计划由哪些部门负责" asks for the departments of every measure of X, not for the one measure whose
title happens to share most words with the question. The cues and the clause pattern are genre data
(genre/data/intents.yaml, `document_facts`); this module only reads them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from corpus.docmeta import PORTAL_KEYS
from genre import Genre, derived
from rag.compose import View, sentences
from rag.tokenize import pos_tagger

MAX_DEPARTMENTS = 12  # departments listed for a whole document; the rest are counted
MAX_TITLES = 3  # measure titles named per department
_HEAD = re.compile(r"(部|局|委|厅|办|室|组|会|院|府|署|中心|办公室|小组|政府)$")  # a department's head word
LEAD_ROLES = ("lead", "co-lead")


@dataclass
class Interpretation:
    """The closing clause of a document naming the body that interprets it."""

    view: View
    span: tuple[int, int, str]  # the sentence, in policy coordinates
    body: str  # as the clause writes it: 阿坝州人民政府办公室, 科技部和财政部

    @property
    def names(self) -> list[str]:
        return body_names(self.body)


@dataclass
class DepartmentDuties:
    """One department's part in a document: the measures it is responsible for, by role."""

    name: str
    mention: str = ""  # how the document writes it (省卫健委 for 湖北省卫生健康委员会), when it differs
    measures: list[str] = field(default_factory=list)  # measure ids, in text order
    titles: list[str] = field(default_factory=list)
    leads: int = 0

    @property
    def count(self) -> int:
        return len(self.measures)

    @property
    def label(self) -> str:
        """The canonical name with the document's own wording: 湖北省卫生健康委员会（省卫健委）."""
        return f"{self.name}（{self.mention}）" if self.mention else self.name


@derived
def _spec(genre: Genre) -> dict:
    spec = genre.data("intents").get("document_facts") or {}
    return {
        "cue": re.compile(spec["interpretation_cue"]) if spec.get("interpretation_cue") else None,
        "clause": re.compile(spec["interpretation_clause"]) if spec.get("interpretation_clause") else None,
        "reference": re.compile(spec["document_reference"]) if spec.get("document_reference") else None,
        "generic": tuple(spec.get("generic_words") or ()),
    }


def asks_interpretation(question: str, *, genre: Genre) -> bool:
    """The question asks who interprets a document (由谁负责解释, 解释权归谁)."""
    cue = _spec(genre)["cue"]
    return bool(cue and cue.search(question))


def refers_to_document(question: str, *, genre: Genre) -> bool:
    """The question names a document by a pronoun (这个办法, 该文件): a follow-up about its document."""
    ref = _spec(genre)["reference"]
    return bool(ref and ref.search(question))


def interpretation_clauses(views: Iterable[View], *, genre: Genre) -> list[Interpretation]:
    """Sentences of these clauses that say who interprets their own document (本办法由X负责解释,
    解释权归X), one per body, in text order. A sentence must speak of the document itself (本办法,
    本政策, 以上措施): "由X负责解释" about a term or a table is not the document's interpreter."""
    spec = _spec(genre)
    if spec["clause"] is None:
        return []
    out: list[Interpretation] = []
    for view in views:
        for span in sentences(view):
            text = span[2]
            if spec["reference"] is not None and not spec["reference"].search(text) and "解释权" not in text:
                continue
            m = spec["clause"].search(text)
            if not m:
                continue
            body = (m.group("body") or m.group("owner") or "").strip()
            body = re.sub(r"^(本|该)?[^由归]{0,6}(由|归)", "", body)  # 本办法由X: the body only
            body = re.sub(r"(所有|负责|具体)$", "", body).strip()  # 解释权归X所有
            if body and all(body != i.body for i in out):
                out.append(Interpretation(view=view, span=span, body=body))
    return out


def body_names(body: str) -> list[str]:
    """The bodies a clause names (科技部和财政部 -> 科技部, 财政部); 和 splits only between
    two department names (省经济和信息化厅 is one body)."""
    names: list[str] = []
    for part in re.split(r"[、，,]|会同", body):
        part = part.strip()
        pieces = re.split(r"(?:和|及|与|以及)", part)
        if len(pieces) > 1 and all(_HEAD.search(p) for p in pieces if p):
            names += [p for p in pieces if p]
        elif part:
            names.append(part)
    return names


def asks_whole_document(focus: Sequence[str], title: str, *, genre: Genre) -> bool:
    """The question's content words say no more than the document's title (and words any question
    about a whole document adds, and the verbs of responsibility: 统筹, 落实): it asks about the
    document, not about one of its measures. A word shares part of the title when the user shortens
    it (人工智能终端 for 智能终端); a word the title does not touch at all (部门协同 in a question on
    an open-source plan) names something inside the document."""
    generic = _spec(genre)["generic"] + tuple(genre.data("answer").get("actor_verbs") or ())
    words = [w for w in focus if w and w not in generic and not any(w in g for g in generic)]
    if not words:
        return True
    return all(_touches(w, title) for w in words)


def touches_title(focus: Sequence[str], title: str, *, genre: Genre) -> bool:
    """Some content word of the question (not one any question about a document adds) is written, whole
    or in part, in the title: the question may be about the document (柳河县的旅游奖励政策 for
    《柳河县关于推动旅游业转型升级…的意见》); none is when it asks about something inside a document
    that collects many (老旧厂房改造 in 《北京市产业政策导引》)."""
    generic = _spec(genre)["generic"] + tuple(genre.data("answer").get("actor_verbs") or ())
    words = [w for w in focus if w and w not in generic and not any(w in g for g in generic)]
    return not words or any(_touches(w, title) for w in words)


def _touches(word: str, title: str) -> bool:
    """The word, or one of its character bigrams, is written in the title."""
    if word in title:
        return True
    return any(word[i:i + 2] in title for i in range(len(word) - 1))


def document_duties(rows: Iterable[dict]) -> list[DepartmentDuties]:
    """Departments of a document from its RESPONSIBLE facts (duties_in_policies rows), those leading
    most measures first, then those responsible for most, then in order of first appearance."""
    by_name: dict[str, DepartmentDuties] = {}
    order: dict[str, int] = {}
    for row in rows:
        name = row.get("department") or row.get("name")
        mid = row.get("measure_id")
        if not name or not mid:
            continue
        d = by_name.setdefault(name, DepartmentDuties(name=name))
        order.setdefault(name, len(order))
        mention = str(row.get("mention") or "").strip()
        if not d.mention and mention and mention not in name:
            d.mention = mention
        if mid not in d.measures:
            d.measures.append(mid)
            title = str(row.get("measure_title") or row.get("title") or "").strip()
            if title and title not in d.titles:
                d.titles.append(title)
        if row.get("role") in LEAD_ROLES:
            d.leads += 1
    return sorted(by_name.values(), key=lambda d: (-d.leads, -d.count, order[d.name]))


# -- facts of the document itself: 文号, issuer, signer, dates, validity, what it repeals -------------------

FACT_KINDS = ("doc_no", "issuer", "signer", "issued", "printed", "published", "interpreter", "effective", "validity",
              "repeals")
HEAD_LINES = 40  # a header block (masthead, 文号, notice, signature) is in the first lines
TAIL_LINES = 30  # a trailing signature, a portal's table after the text
SHORT_LINE = 40  # a header or signature line is short; a sentence of the body is not


@dataclass
class StatedFact:
    """A fact of the document and the line or sentence of its text that states it."""

    kind: str  # one of FACT_KINDS
    value: str  # as the text writes it: 国办发〔2018〕79号, 市长 应勇, 自文件发布之日起施行
    span: tuple[int, int, str] | None = None  # (start, end, quote) in the policy's text
    line: str | None = None  # else the file's metadata line recording it (发文字号: …)


@derived
def _fact_spec(genre: Genre) -> dict:
    spec = genre.data("intents").get("document_facts") or {}
    asked = spec.get("asked") or {}
    return {
        "asked": {k: re.compile(v) for k, v in asked.items() if k in FACT_KINDS and v},
        "signer": re.compile(spec["signer_line"]) if spec.get("signer_line") else None,
        "printed": re.compile(spec["printed_line"]) if spec.get("printed_line") else None,
        "effective": re.compile(spec["effective_clause"]) if spec.get("effective_clause") else None,
        "validity": re.compile(spec["validity_clause"]) if spec.get("validity_clause") else None,
        "term_end": re.compile(spec["term_end_clause"]) if spec.get("term_end_clause") else None,
        "repeal": re.compile(spec["repeal_clause"]) if spec.get("repeal_clause") else None,
        "subject": re.compile(spec["own_subject"]) if spec.get("own_subject") else None,
        "applies": re.compile(spec["applies_clause"]) if spec.get("applies_clause") else None,
        "nature_cue": re.compile(spec["body_nature_cue"]) if spec.get("body_nature_cue") else None,
        "nature": re.compile(spec["body_nature_clause"]) if spec.get("body_nature_clause") else None,
        "deadline": re.compile(spec["deadline"]) if spec.get("deadline") else None,
        "plan_kind": re.compile(spec["plan_kind"]) if spec.get("plan_kind") else None,
        "plan_issued": re.compile(spec["plan_issued"]) if spec.get("plan_issued") else None,
        "plan_term": re.compile(spec["plan_term"]) if spec.get("plan_term") else None,
        "goal_year": re.compile(spec["goal_year"]) if spec.get("goal_year") else None,
    }


DATED_FACTS = ("issued", "printed", "published", "effective")  # the document's own dates


def asks_deadline(question: str, *, genre: Genre) -> bool:
    """The question asks by when something must be done (什么时候之前出台, 最晚什么时候交, 多久之内结清):
    a time limit an action in the text carries, never the date the document was issued or took effect."""
    found = _fact_spec(genre)["deadline"]
    return bool(found is not None and found.search(question))


def asked_facts(question: str, *, genre: Genre) -> list[str]:
    """The document facts a question asks for, in the order of FACT_KINDS ("文号是什么，哪天印发的"
    -> doc_no, issued). Empty when it asks none in particular."""
    asked = _fact_spec(genre)["asked"]
    deadline = asks_deadline(question, genre=genre)
    return [k for k in FACT_KINDS if (k in asked and asked[k].search(question) and not (deadline and k in DATED_FACTS))
            or (k == "interpreter" and asks_interpretation(question, genre=genre))]


def _lines(text: str) -> list[tuple[int, int, str]]:
    """Non-empty lines with their offsets, stripped of indentation (full-width spaces included)."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        stripped = line.strip(" \t\u3000\xa0")
        if stripped:
            a = m.start() + line.find(stripped)
            out.append((a, a + len(stripped), stripped))
    return out


def _edges(lines: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The header and the tail of a document, where its metadata lines stand."""
    if len(lines) <= HEAD_LINES + TAIL_LINES:
        return lines
    return lines[:HEAD_LINES] + lines[-TAIL_LINES:]


def _span(text: str, a: int, b: int) -> tuple[int, int, str]:
    """A span and its quote, verbatim (a citation quotes exactly the text between its offsets)."""
    return a, b, text[a:b]


def date_pattern(iso: str) -> str | None:
    """A regular expression for an ISO date as documents print it: 2018年8月5日, 2018年08月05日,
    二〇一八年八月五日, 2018-08-05."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m:
        return None
    y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
    digits = "〇一二三四五六七八九"
    cy = "".join(f"[{digits[int(c)]}{'零' if c == '0' else ''}]" for c in y)
    sp = r"[\s\u3000]*"

    def cn(n: int) -> str:
        if n < 10:
            return digits[n]
        return ("" if n < 20 else digits[n // 10]) + "十" + (digits[n % 10] if n % 10 else "")

    return (rf"{y}{sp}年{sp}0?{mo}{sp}月{sp}0?{d}{sp}日|{cy}{sp}年{sp}{cn(mo)}{sp}月{sp}{cn(d)}{sp}日"
            rf"|{y}[-/.]0?{mo}[-/.]0?{d}(?!\d)")


def _doc_no_pattern(doc_no: str) -> str:
    """The 文号 with any spacing, bracket style or line break between its characters (上海市人民政府令 /
    （第19号） is 上海市人民政府令第19号)."""
    parts = []
    for c in doc_no:
        if c in "〔[［(（【﹝":
            parts.append(r"[〔\[［(（【﹝]")
        elif c in "〕]］)）】﹞":
            parts.append(r"[〕\]］)）】﹞]")
        else:
            parts.append(re.escape(c))
    return r"[\s\u3000（(]*".join(parts)


def stated_facts(text: str, meta: dict, *, genre: Genre) -> dict[str, StatedFact]:
    """Each document fact the text states, with the line or clause that states it: the 文号 line, the
    signature (issuer and date), a decree's signer, the closing clauses on 施行, 有效期 and 废止.
    `meta` is the policy's metadata (doc_no, issuers, issued, published, effective, expiry): it says
    what to look for; a fact the text does not print gets no span."""
    spec = _fact_spec(genre)
    lines = _lines(text)
    edges = _edges(lines)
    out: dict[str, StatedFact] = {}
    doc_no = str(meta.get("doc_no") or "")
    if doc_no:
        m = re.search(_doc_no_pattern(doc_no), text[: edges[HEAD_LINES - 1][1]] if len(edges) > HEAD_LINES else text)
        m = m or re.search(_doc_no_pattern(doc_no), text)
        if m:
            a = text.rfind("\n", 0, m.start()) + 1
            b = text.find("\n", m.end())
            out["doc_no"] = StatedFact("doc_no", doc_no, _span(text, a, len(text) if b < 0 else b))
        else:
            out["doc_no"] = StatedFact("doc_no", doc_no)
    for kind in ("issued", "published"):
        iso = str(meta.get(kind) or "")
        found = _date_line(text, edges, iso)
        if found:
            printed = re.sub(r"[\s\u3000]+", "", re.search(date_pattern(iso), found[2]).group(0))
            value = printed if re.match(r"\d", printed) else f"{printed}（{_cn(iso)}）"  # as printed: 2017年07月20日
            out[kind] = StatedFact(kind, value, found)
    signature = _signature(edges, out.get("issued"))
    issuers = [str(i) for i in meta.get("issuers") or []]
    if signature:
        out["issuer"] = StatedFact("issuer", signature[2], _span(text, signature[0], signature[1]))
        issued = out["issued"]  # the date quoted under the body that signs it
        out["issued"] = StatedFact("issued", issued.value, _span(text, signature[0], issued.span[1]))
    elif issuers:
        line = next((ln for ln in edges if len(ln[2]) <= 2 * SHORT_LINE and any(_short_in(i, ln[2]) for i in issuers)), None)
        out["issuer"] = StatedFact("issuer", "、".join(issuers), _span(text, line[0], line[1]) if line else None)
    if spec["signer"] is not None:
        line = next((ln for ln in edges if len(ln[2]) <= 16 and spec["signer"].fullmatch(ln[2])), None)
        if line:
            out["signer"] = StatedFact("signer", re.sub(r"[\s\u3000]+", " ", line[2]), _span(text, line[0], line[1]))
    printed = _printed(edges, spec["printed"])
    if printed is not None:
        out["printed"] = StatedFact("printed", printed[1], _span(text, printed[0][0], printed[0][1]))
    found = interpretation_clauses([View(measure_id="", policy_id="", text=text, start=0)], genre=genre)
    if found:  # 本办法由X负责解释: the last such clause closes the document
        out["interpreter"] = StatedFact("interpreter", found[-1].body, _span(text, found[-1].span[0], found[-1].span[1]))
    for kind in ("effective", "validity", "repeals"):
        found = _closing(text, spec["effective" if kind == "effective" else "validity" if kind == "validity" else "repeal"],
                         spec["subject"], kind)
        if found:
            out[kind] = found
    validity = out.get("validity")
    if validity is not None and validity.span is not None and spec["term_end"] is not None:
        m = spec["term_end"].match(text, validity.span[1])
        if m:  # 有效期届满，根据实施情况依法评估修订: what follows the term, said with it
            a = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            out["term_end"] = StatedFact("term_end", m.group(0).strip(), _span(text, a, m.end()))
    applies = _applies(text, spec["applies"], spec["subject"])
    if applies:
        out["applies"] = applies
    term = plan_term(text, meta, spec, lines)
    if term:
        out[term.kind] = term
    return out


def _printed(edges: list[tuple[int, int, str]], line: re.Pattern | None) -> tuple[tuple[int, int, str], str] | None:
    """The 版记 line closing a document (…办公厅秘书处  2024年7月29日印发: `printed_line`), with its date:
    the day it was printed and sent out, which a question asking when it was 印发 means and which is
    often days after the 成文日期 under the signature. Read from the last lines only."""
    if line is None:
        return None
    for ln in reversed(edges[-TAIL_LINES:]):
        m = line.search(ln[2])
        if m:
            return ln, re.sub(r"[\s\u3000]+", "", m.group("date"))
    return None


_YEAR_RANGE = r"(\d{4})\s*[-—–－~至到]\s*(\d{4})"


def plan_term(text: str, meta: dict, spec: dict, lines: list[tuple[int, int, str]]) -> StatedFact | None:
    """The term a plan sets itself, for a plan (a title ending in 规划, 计划, 纲要: `plan_kind`) that
    writes no 有效期: the sentence stating its period or horizon years (规划期限为2021—2025年, 近期规划
    水平年为2025年，远期规划水平年为2035年: `plan_term`), else the period its title prints (（2016—2020年）,
    also in the title of a notice issuing the plan: 关于印发…行动计划（2021—2023年）的通知,
    found where the text writes it), else the five-year plan its title names (“十四五” = 2021—2025年),
    else the year its first goal is set for (到2026年，…: `goal_year`) — kind "period", or "goal_year"
    for the last. A plan's period is its term: once it is over the plan is no longer being carried out."""
    title = str(meta.get("title") or "")
    issued = spec["plan_issued"] is not None and spec["plan_issued"].search(title)
    if spec["plan_kind"] is None or not (spec["plan_kind"].search(title) or issued):
        return None  # a plan, or a notice issuing one whose title prints its period (…行动计划（2021—2023年）的通知)
    sentences_ = [m for m in re.finditer(r"[^。；\n]+[。；]?", text)]
    if spec["plan_term"] is not None:
        for m in sentences_:
            if spec["plan_term"].search(m.group(0)) and re.search(r"\d{4}\s*年", m.group(0)):
                return StatedFact("period", m.group(0).strip(), _stripped(text, m.start(), m.end()))
    period = re.search(_YEAR_RANGE, str(meta.get("period") or "")) or re.search(_YEAR_RANGE + r"\s*年", title)
    if period:
        first, last = period.group(1), period.group(2)
        m = re.search(rf"{first}\s*[-—–－~至到]\s*{last}\s*年?", text)
        span = _holding_line(text, lines, m) if m else None
        return StatedFact("period", f"{first}—{last}年", span)
    five = re.search(r"十([一二三四五六七八九])五", title)
    if five:
        from kg.extract.targets import five_year_plan

        first_year, last_year = five_year_plan(five.group(1))
        m = re.search(rf"十{five.group(1)}五", text)
        span = _holding_line(text, lines, m) if m else None
        return StatedFact("period", f"“十{five.group(1)}五”（{first_year}—{last_year}年）", span)
    if spec["goal_year"] is not None:
        for m in sentences_:
            hit = spec["goal_year"].match(m.group(0).strip(" \t\u3000\xa0"))
            if hit:
                return StatedFact("goal_year", hit.group(0), _stripped(text, m.start(), m.end()))
    return None


def _stripped(text: str, a: int, b: int) -> tuple[int, int, str]:
    """The span of a sentence without its leading indentation."""
    a += len(text[a:b]) - len(text[a:b].lstrip(" \t\u3000\xa0"))
    return _span(text, a, b)


def _holding_line(text: str, lines: list[tuple[int, int, str]], m: re.Match) -> tuple[int, int, str]:
    """The short line printing a match (a title line), else the sentence around it."""
    for a, b, line in lines:
        if a <= m.start() < b:
            if len(line) <= 2 * SHORT_LINE:
                return _span(text, a, b)
            break
    a = max(text.rfind(c, 0, m.start()) for c in "。\n；") + 1
    ends = [i for i in (text.find(c, m.end()) for c in "。\n；") if i >= 0]
    return _stripped(text, a, min(ends) + 1 if ends else len(text))


def term_end_year(fact: StatedFact) -> int | None:
    """The last year a plan's period or goal reaches (近期2025年，远期2035年 -> 2035; “十四五” -> 2025)."""
    years = [int(y) for y in re.findall(r"(\d{4})", fact.value)]
    return max(years) if years else None


def _applies(text: str, clause: re.Pattern | None, subject: re.Pattern | None) -> StatedFact | None:
    """The condition under which the document applies, where the sentence that says why it was made
    states one (在本市住房限购期间，…特制定本细则): a document without dates is in force while it holds."""
    if clause is None or subject is None:
        return None
    for m in re.finditer(r"[^。\n]+[。]?", text):
        hit = clause.search(m.group(0))
        if hit and subject.search(m.group(0)[hit.end():]):
            a = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t\u3000\xa0"))
            return StatedFact("applies", hit.group(0), _span(text, a, m.end()))
    return None


def _short_in(name: str, line: str) -> bool:
    """The body's name, or its short form as signatures print it (科技部 for 中华人民共和国科学技术部),
    is on the line: its last four characters suffice for a name of six or more."""
    return name in line or (len(name) >= 6 and name[-4:] in line)


def _date_line(text: str, edges: list[tuple[int, int, str]], iso: str) -> tuple[int, int, str] | None:
    """The header or signature line printing this date: a short line first (2018年8月5日 under the
    signature, 成文日期：2017年07月08日 in a portal's table), else any sentence of the text writing it."""
    pattern = date_pattern(iso)
    if not pattern:
        return None
    rx = re.compile(pattern)
    for a, b, line in edges:
        m = rx.search(line)
        if m and len(line) <= SHORT_LINE:
            return a, b, line
        if m:  # a portal's table run together on one line: the key and the date
            keys = "|".join(PORTAL_KEYS["issued"] + PORTAL_KEYS["published"])
            key = re.search(rf"(?:{keys})[\s\u3000]*[：:][\s\u3000]*$", line[: m.start()])
            start = a + (key.start() if key else m.start())
            return _span(text, start, a + m.end())
    m = rx.search(text)
    if not m:
        return None
    a = max(text.rfind(c, 0, m.start()) for c in "。\n；") + 1
    ends = [i for i in (text.find(c, m.end()) for c in "。\n；") if i >= 0]
    return _span(text, a, min(ends) + 1 if ends else len(text))


def _signature(edges: list[tuple[int, int, str]], issued: StatedFact | None) -> tuple[int, int, str] | None:
    """The signature lines just above the issue date (国务院办公厅 / 2018年8月5日; two bodies on two lines
    for a joint document): the issuing bodies as the document signs them. A decree's signer line
    (市长 应勇) between them is passed over."""
    if issued is None or issued.span is None:
        return None
    at = next((k for k, ln in enumerate(edges) if ln[0] == issued.span[0]), None)
    if at is None:
        return None
    found: list[tuple[int, int, str]] = []
    for k in range(at - 1, max(at - 6, -1), -1):
        a, b, line = edges[k]
        if len(line) > SHORT_LINE or any(c in line for c in "。；：:，,《》") or _DATE_ANY.search(line):
            break
        if re.search(r"(长|主席|主任|理)[\s\u3000]+\S{2,4}$", line):
            if found:
                break
            continue
        if not re.search(_BODY_END, line):
            break
        found.insert(0, (a, b, line))
    if not found:
        return None
    return found[0][0], found[-1][1], "、".join(re.sub(r"[\s\u3000]+", "、", ln[2]) for ln in found)


_BODY_END = r"(人民政府|政府|办公厅|办公室|委员会|局|厅|委|办|部|署|院|中心|管委会|党委|县委|市委|省委|小组|银行|总局|公司)$"
_DATE_ANY = re.compile(r"\d{4}\s*年|[〇零一二三四五六七八九]{4}年")


def _closing(text: str, clause: re.Pattern | None, subject: re.Pattern | None, kind: str) -> StatedFact | None:
    """The sentence of the document's closing provisions on 施行, 有效期 or 废止 that speaks of the
    document itself (本办法 / 以上措施 / 本意见), the last one of the text (the closing provisions
    close it); else the last sentence with the clause at all."""
    if clause is None:
        return None
    best = None
    for m in re.finditer(r"[^。；\n]+[。；]?", text):
        sentence = m.group(0)
        hit = clause.search(sentence)
        if not hit:
            continue
        own = subject is None or bool(subject.search(sentence))
        if not own and kind == "validity" and not _TERM_STATED.search(hit.group(0)):
            continue  # 在有效期内, 有效期的: a term of something else, no period or date of any document
        if best is None or own or not best[0]:
            best = (own, m.start(), m.end(), hit)
    if best is None:
        return None
    own, a, b, hit = best
    a += len(text[a:b]) - len(text[a:b].lstrip(" \t\u3000\xa0"))
    return StatedFact(kind, hit.group(0).strip(), _span(text, a, b))


_TERM_STATED = re.compile(r"[\d一二两三四五六七八九十]\s*(?:年|个月|月|日)")

_FACT_LABELS = {"doc_no": "文号", "issuer": "发布机构", "signer": "签发人", "issued": "成文日期", "printed": "印发日期",
                "interpreter": "解释机关",
                "published": "发布日期", "effective": "施行", "validity": "有效期", "repeals": "废止"}


_META_FIELDS = {"doc_no": "doc_no", "issuer": "issuers", "issued": "issued", "published": "published",
                "effective": "effective", "validity": "expiry"}


def document_fact_lines(view: View, policy: dict, asked: Sequence[str], cite: Callable[[tuple[int, int, str]], int],
                        today: dt.date | None = None, meta_lines: dict | None = None,
                        cite_meta: Callable[[str], int] | None = None,
                        repealed: tuple[str, int] | None = None, *, genre: Genre) -> list[str]:
    """The asked facts of one document, each with the header line or closing clause that states it
    cited (`cite` numbers a span of `view`, the whole document's text); a fact only the file's metadata
    lines record (front matter, sidecar: `meta_lines`, field -> MetaLine) is cited from that line
    (`cite_meta`). A fact neither states is said to be missing, never guessed; a validity question also
    gets whether the document is in force at `today` (the system's date unless given), or that another
    document repealed it (`repealed`: its title and the citation number of its repeal clause)."""
    facts = stated_facts(view.text, policy, genre=genre)
    for kind, name in _META_FIELDS.items():
        line = (meta_lines or {}).get(name)
        if line is not None and cite_meta is not None and (kind not in facts or facts[kind].span is None):
            facts[kind] = StatedFact(kind, str(line.value), None, line.line)
    out = [f"**《{policy.get('title') or view.policy}》**"]

    def ref(fact: StatedFact | None) -> str:
        if fact is not None and fact.span is not None:
            return f" [{cite(fact.span)}]"
        if fact is not None and fact.line and cite_meta is not None:
            return f"（文件信息） [{cite_meta(fact.line)}]"
        return ""

    for kind in asked:
        fact = facts.get(kind)
        if kind == "printed" and fact is None:
            continue  # no 版记 date: the 成文日期, asked with it, answers when it was issued
        if kind in ("issued", "published") and (fact is None or (fact.span is None and not fact.line)):
            other = facts.get("published" if kind == "issued" else "issued")
            kind, fact = (("published" if kind == "issued" else "issued"), other) if other else (kind, fact)
        label = _FACT_LABELS[kind]
        if kind == "issuer":
            names = [str(n) for n in policy.get("issuers") or []]
            shown = fact.value if fact is not None else ""
            # as the document signs it, with the full names when it abbreviates them (科技部（中华人民共和国科学技术部）)
            value = shown or "、".join(names)
            if shown and names and any(n not in shown for n in names):
                value = f"{shown}（{'、'.join(names)}）"
            out.append(f"- {label}：{value or '文件未载明发布机构'}{ref(fact)}")
        elif kind == "validity":
            out.extend(_validity_lines(facts, policy, ref, today or dt.date.today(), repealed))
        elif kind == "effective":
            if "validity" in asked and fact is not None:
                continue  # the validity lines state it
            if fact is not None:
                out.append(f"- {label}：{_effective_text(fact, policy, facts, ref)}{ref(fact)}")
            else:
                out.append(f"- 施行日期：{_cn(str(policy['effective']))}" if policy.get("effective") else "- 施行日期：文件未写明施行日期")
        elif fact is not None:
            value = _cn(fact.value) if kind in ("issued", "published") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", fact.value) else fact.value
            out.append(f"- {label}：{value}{ref(fact)}")
        else:
            missing = {"doc_no": "文件未载明文号", "signer": "文件未载明签发人", "repeals": "文件未写明废止其他文件",
                       "interpreter": "文件未写明由谁负责解释",
                       "issued": "文件未载明成文日期", "published": "文件未载明发布日期"}
            out.append(f"- {label}：{missing.get(kind, '文件未载明')}")
    return out


def _validity_lines(facts: dict[str, StatedFact], policy: dict, ref: Callable[[StatedFact | None], str],
                    today: dt.date, repealed: tuple[str, int] | None = None) -> list[str]:
    """施行 and 有效期 as the closing clauses write them, then whether the document is in force today;
    a document another one repeals (`repealed`: that document's title and the citation of its clause)
    is said to be repealed, whatever its own dates say. Each date is said once: the end date in the
    有效期 line — as written, or, when the clause gives only a period (有效期3年), reckoned and said to be
    reckoned from the 施行 date —, and the status line only judges it against today's date."""
    out = []
    effective, validity = facts.get("effective"), facts.get("validity")
    if effective is not None:
        out.append(f"- 施行：{_effective_text(effective, policy, facts, ref)}{ref(effective)}")
    expiry = _iso(policy.get("expiry"))
    if validity is not None:
        shown = _cn(validity.value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", validity.value) else validity.value
        line = f"- 有效期：{'有效期至' if shown != validity.value else ''}{shown}{ref(validity)}"
        pattern = date_pattern(expiry.isoformat()) if expiry else None
        if expiry is not None and shown == validity.value and not re.search(pattern or "$^", validity.value):
            line += f"，即至 {_cn(expiry.isoformat())}（{reckoned_from(policy)}）"
        out.append(line)
        if (end := facts.get("term_end")) is not None:
            out.append(f"- 期满后：{end.value}{ref(end)}")
    elif expiry is not None:
        out.append(f"- 有效期：有效期至 {_cn(expiry.isoformat())}")
    else:
        out.append("- 有效期：文件未写明有效期")
    term = facts.get("period") or facts.get("goal_year")
    if validity is None and expiry is None and term is not None:
        label = "规划期" if term.kind == "period" else "目标年份"
        out.append(f"- {label}：{term.value}{ref(term)}")
    repeals = facts.get("repeals")
    if repeals is not None:
        out.append(f"- 同时废止：{repeals.value}{ref(repeals)}")
    applies = facts.get("applies")
    if validity is None and expiry is None and applies is not None:
        out.append(f"- 适用期间：{applies.value}（文件写明在此期间适用）{ref(applies)}")
    if repealed is not None:
        out.append(f"- 现行状态：已被《{repealed[0]}》废止 [{repealed[1]}]")
        return out
    if validity is None and expiry is None and term is not None and (end := term_end_year(term)):
        what = "规划期" if term.kind == "period" else f"目标期（到{end}年）"
        day = f"按今天（{_cn(today.isoformat())}）的日期"
        out.append(f"- 现行状态：{day}{what}{'已经结束' if end < today.year else '尚未结束'}")
        return out
    out.append(f"- 现行状态：{in_force_at(policy, today)}")
    return out


def reckoned_from(policy: dict) -> str:
    """What a reckoned end date was reckoned from: the period the quoted clause gives, counted from the
    施行 date (corpus.header adds the years to it)."""
    start = _iso(policy.get("effective"))
    return f"自施行之日 {_cn(start.isoformat())} 起按所引期限推算" if start else "按所引期限推算"


def _effective_text(fact: StatedFact, policy: dict, facts: dict[str, StatedFact],
                    ref: Callable[[StatedFact | None], str]) -> str:
    """The 施行 clause's words, with the date it resolves to when they do not write it (自印发之日起施行
    （即 2024年7月26日）), citing the signature or portal line that prints that date."""
    date = str(policy.get("effective") or "")
    pattern = date_pattern(date)
    split = ""
    if fact.span is not None and len(_TAKES_EFFECT.findall(fact.span[2])) >= 2:
        # the document takes effect in parts (可直接实施的，自公布之日起施行；其他需制定配套政策的，待配套政策出台
        # 后施行): the one date is not the whole answer, the sentence is
        split = f"（分情形施行，原文：{fact.span[2].strip()}）"
    if not pattern or re.search(pattern, fact.value):
        return fact.value + split
    source = next((facts[k] for k in ("issued", "published") if k in facts and facts[k].span is not None
                   and re.search(pattern, facts[k].span[2])), None)
    return f"{fact.value}（即 {_cn(source.value) if source else _cn(date)}{ref(source)}）{split}"


_TAKES_EFFECT = re.compile(r"施行|生效")  # 实施 is also a word of titles (实施办法) and of measures


def in_force_at(policy: dict, today: dt.date) -> str:
    """Whether the document is in force at `today` (said, as the date the judgement rests on), from its
    effective and expiry dates, else from a printed 时效 status. The dates themselves are said by the
    施行 and 有效期 lines, not repeated here."""
    expiry, effective = _iso(policy.get("expiry")), _iso(policy.get("effective"))
    day = f"按今天（{_cn(today.isoformat())}）的日期"
    if expiry is not None and expiry < today:
        return f"{day}已经失效"
    if effective is not None and effective > today:
        return f"{day}尚未施行"
    if expiry is not None:
        return f"{day}仍在有效期内"
    status = str(policy.get("status") or "")
    if "失效" in status or "废止" in status:
        return f"文件标注为“{status}”"
    return "文件未写明有效期限，也未标注失效，语料中没有废止它的文件"


def _iso(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None


def _cn(iso: str) -> str:
    """2018-08-05 -> 2018年8月5日 (a date written as documents write it)."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso[:10]) if iso else None
    return f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日" if m else iso


def titled_by(focus: Sequence[str], policies: list[dict], *, genre: Genre) -> list[dict]:
    """Of a place's documents, the one whose title the question's words name (柳河县的旅游奖励政策: the
    title that says 旅游), when exactly one is named best; else all of them (retrieval then decides)."""
    generic = _spec(genre)["generic"]
    words = [w for w in focus if len(w) >= 2 and w not in generic]
    scored = [(sum(_touches(w, str(p.get("title") or "")) for w in words), p) for p in policies]
    best = max((s for s, _ in scored), default=0)
    top = [p for s, p in scored if s == best]
    return top if best > 0 and len(top) == 1 else policies


def named_document(focus: Sequence[str], policies: list[dict], weight: Callable[[str], float] | None = None,
                   *, genre: Genre) -> dict | None:
    """The one document whose title writes (whole or in part) at least half of the question's content
    words, its most specific one among them (the rarest by `weight`, else the longest):
    "柳河县的旅游奖励政策还在有效期内吗" names 《柳河县加快旅游业发展的若干意见》; "北京支持氢能技术装备
    产业化的政策过期了没有" names no document (产业化 alone touches 《北京市产业政策导引》, which collects
    many policies: the question is about one of its entries). None when no title or several equally
    (several titles writing as many of the words and the most specific one too)."""
    generic = _spec(genre)["generic"] + tuple(genre.data("answer").get("actor_verbs") or ())
    times = pos_tagger(genre).word_tag_tab  # a time word (明年, 后年) says when the asker acts, not which document
    words = [w for w in focus if len(w) >= 2 and w not in generic and not any(w in g for g in generic)
             and times.get(w) != "t"]
    if not words or not policies:
        return None
    key = max(words, key=weight) if weight is not None else max(words, key=len)
    scored = sorted(((sum(_touches(w, str(p.get("title") or "")) for w in words), i) for i, p in enumerate(policies)),
                    reverse=True)
    if 2 * scored[0][0] < len(words):
        return None
    # of the titles touching as many words, the one that writes the most specific ("柳河县加快旅游业发展的
    # 那些奖励": 旅游业 names 《…推动旅游业…的意见》, not 《…支持重点产业加快发展的实施意见》)
    holders = [policies[i] for n, i in scored if n == scored[0][0] and _touches(key, str(policies[i].get("title") or ""))]
    return holders[0] if len(holders) == 1 else None


def repeal_of(text: str, policy: dict, *, genre: Genre) -> tuple[int, int, str] | None:
    """The sentence of `text` (another document) that repeals this policy: a repeal clause naming its
    title in 《》 or its 文号 (《X》同时废止, 同时废止《X》（文号）). Where the source is a different
    document, this is how a user learns a policy no longer applies."""
    spec = _fact_spec(genre)
    if spec["repeal"] is None:
        return None
    title, doc_no = str(policy.get("title") or ""), str(policy.get("doc_no") or "")
    keys = [k for k in (f"《{title}》" if title else "", doc_no) if k]
    for m in re.finditer(r"[^。；\n]+[。；]?", text):
        sentence = m.group(0)
        hit = spec["repeal"].search(sentence)
        if hit and any(k in hit.group(0) or (k == doc_no and k in sentence) for k in keys):
            a = m.start() + len(sentence) - len(sentence.lstrip(" \t\u3000\xa0"))
            return _span(text, a, m.end())
    return None


def asks_body_nature(question: str, *, genre: Genre) -> bool:
    """The question asks what kind of body an organ is (管委会是个什么性质的机构)."""
    cue = _fact_spec(genre)["nature_cue"]
    return bool(cue and cue.search(question))


def body_nature(view: View, names: Sequence[str], *, genre: Genre) -> tuple[tuple[int, int, str], str] | None:
    """The sentence of `view` saying what kind of body one of `names` is (X作为市人民政府的派出机构):
    (the sentence, the kind as written: 市人民政府的派出机构)."""
    clause = _fact_spec(genre)["nature"]
    if clause is None:
        return None
    for span in sentences(view):
        at = min((span[2].find(n) for n in names if n and n in span[2]), default=-1)
        m = clause.search(span[2], at) if at >= 0 else None
        if m and m.start() - at <= 80:
            return span, m.group("nature").strip()
    return None
