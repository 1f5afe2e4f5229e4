"""Facts of a whole document: who interprets it, and which departments carry it out.

A question about a document as a whole is not a question about one of its measures. "这个办法由谁负责
解释" asks for the body its closing provisions name (本办法由X负责解释), which is no measure's 责任单位;
"X行动计划由哪些部门负责" asks for the departments of every measure of X, not for the one measure whose
title happens to share most words with the question. The cues and the clause pattern are genre data
(genre/data/intents.yaml, `document_facts`); this module only reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from genre import Genre, derived
from rag.compose import View, sentences

MAX_DEPARTMENTS = 12  # departments listed for a whole document; the rest are counted
MAX_TITLES = 3  # measure titles named per department
_HEAD = re.compile(r"(部|局|委|厅|办|室|组|会|院|府|署|中心|办公室|小组|政府)$")  # a department's head word
LEAD_ROLES = ("lead", "co-lead")


@dataclass
class Interpretation:
    """The closing clause of a document naming the body that interprets it."""

    view: View
    span: tuple[int, int, str]  # the sentence, in policy coordinates
    body: str  # as the clause writes it: 阿坝州人民政府办公室, 科技部和国家保密局

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
    """The bodies a clause names (科技部和国家保密局 -> 科技部, 国家保密局); 和 splits only between
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
