"""`policykg eval`: ask every gold question through the façade and measure the answers.

Steps, each a function: load the gold set; ingest the corpus into a throw-away data directory; outline
the corpus and resolve every gold source to the clauses it names; ask each question (and fetch each
retrieval signal's ranking); score each answer; aggregate; print.

Gold sources are resolved against the parsed documents, never against the answers, so a wrong answer
cannot make its own citation look right.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import traceback
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from eval.metrics import (
    Fact,
    SetScore,
    abstention_outcome,
    abstention_summary,
    fact_spellings,
    first_relevant_rank,
    has_fact,
    invented_departments,
    invented_numbers,
    micro_macro_f1,
    missing_facts,
    normalize,
    ranking_summary,
    rate,
    score_departments,
)
from genre import Genre
from genre import resolve as resolve_genre
from rag.model import Answer, Citation, Hit

GOLD_PATH = Path(__file__).parent / "gold" / "questions.yaml"
DEVCORPUS_GOLD = Path(__file__).parent / "gold" / "devcorpus_questions.yaml"
DEVCORPUS_DIR = Path(__file__).parent / "devcorpus" / "docs"
HELD_OUT = "eval"  # the part of the development questions that is measured on, never tuned on
SIGNALS = ("bm25", "dense", "graph", "fused")
PERSONAS = ("enterprise", "civil_servant", "researcher")  # the seed gold's readers
ALL_PERSONAS = (*PERSONAS, "anyone")  # the development questions add anyone (a member of the public)
DOC_SUFFIXES = {".txt", ".md", ".pdf", ".html", ".htm", ".docx"}
# Answering with a subset of the signals (`policykg eval --signals`): which signals each configuration keeps.
SIGNAL_CONFIGS = {"bm25": ("bm25",), "bm25+graph": ("bm25", "graph"), "dense": ("dense",),
                  "all": ("bm25", "dense", "graph")}


class GoldError(ValueError):
    """The gold set is malformed or names a clause the corpus does not contain."""


# -- the gold set -------------------------------------------------------------------------------

@dataclass
class GoldQuestion:
    id: str
    persona: str
    question: str
    intent: str
    facts: list[Fact] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)
    abstain: bool = False
    departments: list[str] | None = None  # canonical names, when the question asks for a set
    departments_as_written: list[str] | None = None
    notes: str = ""
    part: str = ""  # development questions: dev (tuned on) | eval (held out)
    history: list[str] = field(default_factory=list)  # earlier turns of a conversation (follow-ups)
    exposed: bool = False  # held out, but its wording or answer once appeared in the code, tests or data

    def department_spellings(self) -> list[list[str]]:
        """Each expected body with its spellings: canonical first, then as written."""
        written = self.departments_as_written or []
        return [[name, *written[i : i + 1]] for i, name in enumerate(self.departments or [])]


def load_gold(path: Path | None = None) -> list[GoldQuestion]:
    """Read and check the gold questions file."""
    data = yaml.safe_load(Path(path or GOLD_PATH).read_text(encoding="utf-8")) or {}
    questions = [_gold_question(entry) for entry in data.get("questions", [])]
    ids = [q.id for q in questions]
    if len(ids) != len(set(ids)):
        raise GoldError("duplicate question ids in the gold set")
    return questions


def _gold_question(entry: dict) -> GoldQuestion:
    expected = entry.get("expected") or {}
    q = GoldQuestion(
        id=str(entry["id"]),
        persona=entry["persona"],
        question=entry["question"],
        intent=entry.get("intent", "general"),
        facts=list(expected.get("facts") or []),
        sources=list(expected.get("sources") or []),
        abstain=bool(expected.get("abstain", False)),
        departments=expected.get("departments"),
        departments_as_written=expected.get("departments_as_written"),
        notes=entry.get("notes", ""),
        part=str(entry.get("part") or ""),
        history=[str(h) for h in entry.get("history") or []],
        exposed=entry.get("exposed", False),
    )
    if q.persona not in ALL_PERSONAS:
        raise GoldError(f"{q.id}: unknown persona {q.persona!r}")
    if q.departments is not None and len(q.departments) != len(q.departments_as_written or []):
        raise GoldError(f"{q.id}: departments and departments_as_written differ in length")
    if not q.abstain and not q.sources:
        raise GoldError(f"{q.id}: an answerable question needs its source clauses")
    if not isinstance(q.exposed, bool):
        raise GoldError(f"{q.id}: exposed must be true or false, not {q.exposed!r}")
    if q.exposed and q.part != HELD_OUT:
        raise GoldError(f"{q.id}: only a held-out question (part: {HELD_OUT}) can be marked exposed")
    return q


def department_aliases(questions: Iterable[GoldQuestion]) -> dict[str, set[str]]:
    """Normal-form name -> other spellings of the same body, from the gold's canonical/as-written pairs."""
    aliases: dict[str, set[str]] = {}
    for q in questions:
        for spellings in q.department_spellings():
            for name in spellings:
                aliases.setdefault(normalize(name), set()).update(spellings)
    return aliases


# -- the corpus, as clauses that gold sources can name ------------------------------------------

@dataclass
class Clause:
    """One measure (or unnumbered paragraph) of a parsed policy."""

    measure_id: str
    number: str  # as written: （十二） / 15. / ""
    title: str
    text: str
    start: int
    end: int
    sections: list[tuple[str, str]] = field(default_factory=list)  # (number, title), outermost first


@dataclass
class SectionSpan:
    number: str
    title: str
    start: int
    end: int


@dataclass
class Doc:
    """A parsed policy reduced to what source resolution needs."""

    policy_id: str
    title: str
    doc_no: str | None
    text: str
    meta_text: str  # metadata values (issuers, dates, 文号): the header a document-level source means
    clauses: list[Clause]
    sections: list[SectionSpan] = field(default_factory=list)
    path: str = ""  # the file it was read from (development questions name their documents by file)


@dataclass
class Source:
    """A gold source resolved to clauses: matched by measure id or by overlapping offsets."""

    spec: dict
    policy_id: str
    measure_ids: frozenset[str]
    spans: list[tuple[int, int]]
    whole_document: bool
    text: str  # the source's text, to check the gold's facts against

    def cited_by(self, citation: Citation, doc: Doc | None = None) -> bool:
        if not _same_policy(citation, self.policy_id, doc):
            return False
        if self.whole_document or (citation.measure_id and citation.measure_id in self.measure_ids):
            return True
        return citation.end > citation.start and any(
            citation.start < end and start < citation.end for start, end in self.spans
        )


def _same_policy(citation: Citation, policy_id: str, doc: Doc | None) -> bool:
    if citation.policy_id:
        return citation.policy_id == policy_id
    if doc is None:
        return False
    if doc.doc_no and citation.doc_no:
        return normalize(citation.doc_no) == normalize(doc.doc_no)
    return normalize(citation.title) == normalize(doc.title)


def doc_from_policy(policy) -> Doc:
    """A Doc from a parsed corpus Policy (duck-typed: eval does not import the corpus package)."""
    clauses = []
    spans = []
    for section in policy.all_sections():
        spans.append(SectionSpan(section.number, section.title, section.start, section.end))
    by_id = {s.id: s for s in policy.all_sections()}
    for m in policy.measures():
        chain, sid = [], m.section_id
        while sid and sid in by_id:
            chain.append((by_id[sid].number, by_id[sid].title))
            sid = by_id[sid].parent_id
        clauses.append(Clause(m.id, m.number, m.title, m.text, m.start, m.end, list(reversed(chain))))
    meta = policy.meta.to_dict()
    return Doc(policy.id, meta.get("title") or "", meta.get("doc_no"), policy.text,
               _meta_text(meta) + "\n" + (policy.preamble or ""), clauses, spans)


def doc_from_outline(outline: dict) -> Doc:
    """A Doc from the JSON outline of `policykg outline --json` (rag.pipeline.outline_file).

    Measures name their section by label ("（二）开源主体培育工程") or by a path of labels joined with " / "."""
    clauses = []
    for m in outline.get("measures") or []:
        path = m.get("section_path") or [p for p in str(m.get("section") or "").split(" / ") if p]
        clauses.append(Clause(m["id"], m.get("number") or "", m.get("title") or "", m.get("text") or "",
                              int(m.get("start") or 0), int(m.get("end") or 0), [split_label(p) for p in path]))
    meta = {k: v for k, v in outline.items() if k not in ("measures", "sections", "text")}
    return Doc(outline.get("id") or "", outline.get("title") or "", outline.get("doc_no"),
               outline.get("text") or "", _meta_text(meta), clauses)


_LABEL = re.compile(r"^\s*(第[一二三四五六七八九十百零〇\d]+[章节条部分]|[一二三四五六七八九十百]+、|"
                    r"[（(][一二三四五六七八九十百\d]+[)）]|\d+[.．、])\s*(.*)$", re.S)


def split_label(label: str) -> tuple[str, str]:
    """"（一）开源项目发展工程" -> ("（一）", "开源项目发展工程"); an unnumbered label keeps its title."""
    m = _LABEL.match(label)
    return (m.group(1), m.group(2).strip()) if m else ("", label.strip())


def _meta_text(meta: dict) -> str:
    parts: list[str] = []
    for value in meta.values():
        if isinstance(value, dict):
            parts.extend(str(v) for v in value.values())
        elif isinstance(value, list):
            parts.extend(str(v) for v in value)
        elif value:
            parts.append(str(value))
    return "\n".join(parts)


def find_doc(spec: dict, docs: Sequence[Doc]) -> Doc:
    """The document a source names by file name, by 文号 or by (part of) its title."""
    if spec.get("file"):
        found = [d for d in docs if d.path and Path(d.path).name == spec["file"]]
    elif spec.get("doc_no"):
        key = normalize(spec["doc_no"])
        found = [d for d in docs if d.doc_no and normalize(d.doc_no) == key]
    elif spec.get("title"):
        key = normalize(spec["title"])
        found = [d for d in docs if key in normalize(d.title)]
    else:
        raise GoldError(f"source {spec} names no document (doc_no or title)")
    if len(found) != 1:
        raise GoldError(f"source {spec} matches {len(found)} documents in the corpus")
    return found[0]


def resolve_source(spec: dict, docs: Sequence[Doc]) -> Source:
    """Resolve one gold source to clauses: section and measure numbers as written, or an anchor phrase."""
    doc = find_doc(spec, docs)
    section, measure, anchor = spec.get("section"), spec.get("measure"), spec.get("anchor")
    if not (section or measure or anchor):
        text = "\n".join([doc.meta_text, doc.text, *(c.text for c in doc.clauses)])
        return Source(spec, doc.policy_id, frozenset(), [], True, text)
    clauses = doc.clauses
    if section:
        clauses = [c for c in clauses if normalize(section) in {normalize(n) for n, _ in c.sections}]
    if measure:
        clauses = [c for c in clauses if _numbered(c, measure)]
    if anchor:
        return _resolve_anchor(spec, doc, clauses, anchor)
    if not clauses:
        raise GoldError(f"source {spec}: no such clause in {doc.title}")
    text = "\n".join(_clause_text(c) for c in clauses)
    if section and not measure:
        text = "\n".join([*(_section_text(doc, section)), text])
    return Source(spec, doc.policy_id, frozenset(c.measure_id for c in clauses),
                  [(c.start, c.end) for c in clauses], False, text)


def _numbered(clause: Clause, number: str) -> bool:
    """A clause carries the number itself, or (unnumbered paragraph) its innermost section does."""
    key = normalize(number)
    if clause.number:
        return normalize(clause.number) == key
    return bool(clause.sections) and normalize(clause.sections[-1][0]) == key


def _resolve_anchor(spec: dict, doc: Doc, clauses: list[Clause], anchor: str) -> Source:
    key = normalize(anchor)
    hits = [c for c in clauses if key in normalize(c.text)]
    if hits:
        return Source(spec, doc.policy_id, frozenset(c.measure_id for c in hits),
                      [(c.start, c.end) for c in hits], False, "\n".join(c.text for c in hits))
    at = doc.text.find(anchor)
    if at < 0:
        raise GoldError(f"source {spec}: anchor not found in {doc.title}")
    start = doc.text.rfind("\n", 0, at) + 1
    end = doc.text.find("\n", at)
    end = len(doc.text) if end < 0 else end
    return Source(spec, doc.policy_id, frozenset(), [(start, end)], False, doc.text[start:end])


def _clause_text(c: Clause) -> str:
    return "\n".join([*(f"{n}{t}" for n, t in c.sections), f"{c.number}{c.title}", c.text])


def _section_text(doc: Doc, number: str) -> list[str]:
    key = normalize(number)
    return [doc.text[s.start : s.end] or s.title for s in doc.sections if normalize(s.number) == key]


# -- scoring one answer -------------------------------------------------------------------------

@dataclass
class QuestionResult:
    id: str
    persona: str
    intent: str
    question: str
    expected_abstain: bool
    abstained: bool = False
    answered_intent: str = ""
    passed: bool = False
    reasons: list[str] = field(default_factory=list)
    missing_facts: list = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    department_score: SetScore | None = None
    citations: int = 0
    precise_citations: int = 0
    sources: int = 0
    sources_cited: int = 0
    invented_departments: list[str] = field(default_factory=list)
    invented_numbers: list[str] = field(default_factory=list)
    ranks: dict[str, int | None] = field(default_factory=dict)  # signal -> first relevant rank
    error: str | None = None
    part: str = ""
    exposed: bool = False


def written_forms(answer: Answer, aliases: dict[str, set[str]]) -> dict[str, set[str]]:
    """The gold's spellings plus, for each department the answer names, the form its responsibility
    fact says the document writes ("省卫健委" for 湖北省卫生健康委员会): a canonical name whose written form
    is in the quotes is grounded; a name whose written form is not is still invented."""
    out = {k: set(v) for k, v in aliases.items()}
    for fact in answer.facts or []:
        if fact.get("fact") == "responsible" and fact.get("name") and fact.get("mention"):
            out.setdefault(normalize(fact["name"]), set()).add(fact["mention"])
    return out


def score_answer(q: GoldQuestion, answer: Answer, sources: Sequence[Source], docs_by_id: dict[str, Doc],
                 aliases: dict[str, set[str]]) -> QuestionResult:
    """Score one answer against its gold entry."""
    r = QuestionResult(q.id, q.persona, q.intent, q.question, q.abstain, abstained=answer.abstained,
                       answered_intent=answer.intent, departments=list(answer.departments))
    shown = answer_text(answer)
    evidence = citation_evidence(answer, q.question)
    references = reference_names(answer, docs_by_id.values())
    r.invented_numbers = invented_numbers(answer.answer, evidence, references)
    r.invented_departments = invented_departments(answer.departments, evidence, written_forms(answer, aliases))
    r.citations = len(answer.citations)
    if q.abstain:
        r.passed = answer.abstained
        if not r.passed:
            r.reasons.append("answered, should abstain")
        return r
    r.missing_facts = missing_facts(without_question(shown, q.question), q.facts)
    if q.departments is not None:
        r.department_score = score_departments(answer.departments, q.department_spellings())
    cited = [[s.cited_by(c, docs_by_id.get(s.policy_id)) for s in sources] for c in answer.citations]
    r.precise_citations = sum(
        any(row) or any(has_fact(c.quote, f) for f in q.facts) for row, c in zip(cited, answer.citations, strict=True)
    )
    r.sources = len(sources)
    r.sources_cited = sum(any(row[i] for row in cited) for i in range(len(sources)))
    _judge(r, answerable_cited=any(any(row) for row in cited) or not sources)
    return r


def _judge(r: QuestionResult, answerable_cited: bool) -> None:
    if r.abstained:
        r.reasons.append("abstained, should answer")
    if r.missing_facts:
        r.reasons.append("missing facts: " + ", ".join(map(_fact_label, r.missing_facts)))
    if r.department_score is not None and not r.department_score.exact:
        r.reasons.append(f"department set off (fp {r.department_score.fp}, fn {r.department_score.fn})")
    if not answerable_cited:
        r.reasons.append("no citation among the expected sources")
    r.passed = not r.reasons


def _fact_label(fact: Fact) -> str:
    return "/".join(fact_spellings(fact))


def answer_text(answer: Answer) -> str:
    """What the user reads as the answer: the markdown and any comparison table."""
    return answer.answer + "\n" + _table_text(answer)


def without_question(shown: str, question: str) -> str:
    """The answer without the question's own sentences echoed in it (an answer heading a later
    question of the message with its words): a fact the question itself writes is found only where
    the answer says it."""
    for sentence in re.split(r"(?<=[？?。！!])", question):
        sentence = sentence.strip()
        if len(sentence) >= 4:
            shown = shown.replace(sentence, "")
    return shown


def _table_text(answer: Answer) -> str:
    """The comparison table's cells (its citation column is a marker, not content)."""
    return "\n".join(" ".join(str(v) for k, v in row.items() if k != "citation" and v is not None)
                     for row in answer.table)


def citation_evidence(answer: Answer, question: str) -> list[str]:
    """Texts an answer may take numbers and names from: the cited quotes and the question."""
    return [question, *(c.quote for c in answer.citations)]


def reference_names(answer: Answer, docs: Iterable[Doc]) -> list[str]:
    """Names of sources an answer may mention without stating anything: titles, 文号, clause labels."""
    names = [n for d in docs for n in (d.title, d.doc_no) if n]
    for c in answer.citations:
        names.extend(n for n in (c.doc_no, c.title, c.section, c.measure) if n)
    return names


def relevant_measures(sources: Sequence[Source]) -> set[str]:
    return {m for s in sources for m in s.measure_ids}


def signal_ranks(rankings: dict[str, list[Hit]], relevant: set[str]) -> dict[str, int | None]:
    """Each signal's 1-based rank of the first hit from an expected source."""
    return {sig: first_relevant_rank([h.measure_id for h in hits], relevant) for sig, hits in rankings.items()}


# -- aggregating --------------------------------------------------------------------------------

def summarize(results: Sequence[QuestionResult]) -> dict:
    """The figures `policykg eval` prints, from per-question results."""
    ok = [r for r in results if r.error is None]
    answerable = [r for r in ok if not r.expected_abstain]
    dept = [r.department_score for r in ok if r.department_score is not None]
    micro, macro = micro_macro_f1(dept)
    invented = [r for r in ok if r.invented_departments or r.invented_numbers]
    return {
        "questions": len(results),
        "errors": [{"id": r.id, "error": r.error} for r in results if r.error],
        "pass": _pass_rates(results),
        "departments": {
            "n": len(dept),
            "exact_match": rate(sum(s.exact for s in dept), len(dept)),
            "micro_f1": micro,
            "macro_f1": macro,
        },
        "citations": _citation_figures(answerable),
        "abstention": {**abstention_summary([(r.expected_abstain, r.abstained) for r in ok]),
                       "cases": [{"id": r.id, "outcome": abstention_outcome(r.expected_abstain, r.abstained)}
                                 for r in ok if r.expected_abstain != r.abstained]},
        "invented": {
            "answers": len(invented),
            "departments": sum(len(r.invented_departments) for r in ok),
            "numbers": sum(len(r.invented_numbers) for r in ok),
            "cases": [{"id": r.id, "departments": r.invented_departments, "numbers": r.invented_numbers}
                      for r in invented],
        },
        "retrieval": _retrieval_figures(answerable),
        "parts": _parts(ok),
        "failures": [{"id": r.id, "persona": r.persona, "question": r.question,
                      "reasons": r.reasons or [r.error or ""]} for r in results if not r.passed],
    }


def _parts(results: Sequence[QuestionResult]) -> dict:
    """Per part of the development questions (dev: tuned on; eval: held out): pass rate, false
    refusals (answerable, refused) and false answers (should refuse, answered), each over all questions,
    and the citation figures of its answerable questions (a part's precision is judged on its own)."""
    out = {}
    for part in sorted({r.part for r in results if r.part}):
        mine = [r for r in results if r.part == part]
        refusals = sum(1 for r in mine if not r.expected_abstain and r.abstained)
        answers = sum(1 for r in mine if r.expected_abstain and not r.abstained)
        out[part] = {"n": len(mine), "pass": rate(sum(r.passed for r in mine), len(mine)),
                     "false_refusals": refusals, "false_refusal_rate": rate(refusals, len(mine)),
                     "false_answers": answers, "false_answer_rate": rate(answers, len(mine)),
                     "citations": _citation_figures([r for r in mine if not r.expected_abstain]),
                     "retrieval": _retrieval_figures([r for r in mine if not r.expected_abstain])}
        if part == HELD_OUT or any(r.exposed for r in mine):
            out[part]["never_exposed"] = _never_exposed(mine)
    return out


def _never_exposed(results: Sequence[QuestionResult]) -> dict:
    """The pass rate of the questions of a part that were never exposed: a held-out question whose
    wording or answer once appeared in the code, tests or data measures less honestly than one that
    did not."""
    unexposed = [r for r in results if not r.exposed]
    return {"n": len(unexposed), "pass": rate(sum(r.passed for r in unexposed), len(unexposed)),
            "exposed": len(results) - len(unexposed)}


def _pass_rates(results: Sequence[QuestionResult]) -> dict:
    rates = {"overall": rate(sum(r.passed for r in results), len(results)), "n": len(results)}
    for persona in ALL_PERSONAS:
        mine = [r for r in results if r.persona == persona]
        rates[persona] = rate(sum(r.passed for r in mine), len(mine))
        rates[f"{persona}_n"] = len(mine)
    for label, group in (("answerable", False), ("unanswerable", True)):
        mine = [r for r in results if r.expected_abstain == group]
        rates[label] = rate(sum(r.passed for r in mine), len(mine))
    return rates


def _citation_figures(answerable: Sequence[QuestionResult]) -> dict:
    with_sources = [r for r in answerable if r.sources]
    cited = sum(r.citations for r in answerable)
    return {
        "cited": cited,
        "precise": sum(r.precise_citations for r in answerable),
        "precision": rate(sum(r.precise_citations for r in answerable), cited),
        "source_recall": rate(sum(r.sources_cited for r in with_sources), sum(r.sources for r in with_sources)),
        "source_recall_macro": rate(sum(r.sources_cited / r.sources for r in with_sources), len(with_sources))
        if with_sources else 0.0,
        "answers_without_citation": sum(1 for r in answerable if not r.citations),
    }


def _retrieval_figures(answerable: Sequence[QuestionResult]) -> dict:
    judged = [r for r in answerable if r.ranks]
    signals = [s for s in SIGNALS if any(s in r.ranks for r in judged)]
    return {sig: ranking_summary([r.ranks.get(sig) for r in judged]) for sig in signals}


# -- running ------------------------------------------------------------------------------------

def corpus_files(folder: Path) -> list[Path]:
    """The policy files of a corpus folder (sidecar metadata files are not documents)."""
    return sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.suffix.lower() in DOC_SUFFIXES
                  and not p.name.startswith("."))


def outline_corpus(files: Sequence[Path]) -> list[Doc]:
    """Parse each corpus file through the façade's outline, as the gold sources' frame of reference.

    A file the readers cannot parse is left out (its questions then fail on their sources)."""
    from rag.pipeline import outline_file

    docs = []
    for path in files:
        try:
            doc = doc_from_outline(outline_file(path, as_json=True))
        except Exception as exc:  # an unreadable format: reported as gold errors of its questions
            print(f"warning: {path.name} not readable for the gold sources: {exc}", file=sys.stderr)
            continue
        doc.path = str(path)
        docs.append(doc)
    return docs


def resolve_all(questions: Sequence[GoldQuestion], docs: Sequence[Doc]) -> tuple[dict[str, list[Source]], list[str]]:
    """Every question's resolved sources, and the gold errors (sources the corpus does not contain), each
    written "<question id>: <what is missing>" (see gold_error_ids)."""
    resolved: dict[str, list[Source]] = {}
    errors: list[str] = []
    for q in questions:
        resolved[q.id] = []
        for spec in q.sources:
            try:
                resolved[q.id].append(resolve_source(spec, docs))
            except GoldError as exc:
                errors.append(f"{q.id}{GOLD_ERROR_SEP}{exc}")
    return resolved, errors


GOLD_ERROR_SEP = ": "


def gold_error_ids(errors: Sequence[str]) -> set[str]:
    """The questions a list of gold errors (resolve_all, evaluate) names: those whose sources the corpus
    did not contain, which cannot be scored on it."""
    return {e.split(GOLD_ERROR_SEP, 1)[0] for e in errors}


def evaluate(kg, questions: Sequence[GoldQuestion], docs: Sequence[Doc],
             progress=None, signals: Sequence[str] | None = None) -> tuple[list[QuestionResult], list[str]]:
    """Ask every question through the façade and score it (`signals`: answer with only these)."""
    sources, gold_errors = resolve_all(questions, docs)
    docs_by_id = {d.policy_id: d for d in docs}
    aliases = department_aliases(questions)
    results = []
    for i, q in enumerate(questions, 1):
        results.append(_ask_and_score(kg, q, sources[q.id], docs_by_id, aliases, signals))
        if progress:
            progress(i, len(questions))
    return results, gold_errors


def signal_pass_rates(kg, questions: Sequence[GoldQuestion], docs: Sequence[Doc],
                      configs: Sequence[str] = tuple(SIGNAL_CONFIGS)) -> dict[str, dict[str, float]]:
    """Pass rate per signal configuration (BM25 only, BM25+graph, dense only, all), overall and per part."""
    out: dict[str, dict[str, float]] = {}
    for name in configs:
        results, _ = evaluate(kg, questions, docs, signals=SIGNAL_CONFIGS[name])
        out[name] = _part_rates(results)
    return out


def _part_rates(results: Sequence[QuestionResult]) -> dict[str, float]:
    rates = {"overall": rate(sum(r.passed for r in results), len(results)), "n": len(results)}
    for part in sorted({r.part for r in results if r.part}):
        mine = [r for r in results if r.part == part]
        rates[part] = rate(sum(r.passed for r in mine), len(mine))
        rates[f"{part}_n"] = len(mine)
    return rates


def _ask_and_score(kg, q: GoldQuestion, sources: list[Source], docs_by_id: dict[str, Doc],
                   aliases: dict[str, set[str]], signals: Sequence[str] | None = None) -> QuestionResult:
    try:
        kwargs = {"history": q.history} if q.history else {}
        if signals is not None:
            kwargs["signals"] = tuple(signals)
        answer = kg.ask(q.question, **kwargs)
    except Exception as exc:  # one failing question is a figure, not the end of the run
        return QuestionResult(q.id, q.persona, q.intent, q.question, q.abstain,
                              error=f"{type(exc).__name__}: {exc}", reasons=["error"], part=q.part,
                              exposed=q.exposed)
    result = score_answer(q, answer, sources, docs_by_id, aliases)
    result.part, result.exposed = q.part, q.exposed
    relevant = relevant_measures(sources)
    if relevant and not q.abstain and signals is None and not q.history:
        result.ranks = signal_ranks(_rankings(kg, q.question, answer), relevant)
    return result


def _rankings(kg, question: str, answer: Answer) -> dict[str, list[Hit]]:
    """Per-signal rankings from the façade; the answer's fused hits when it cannot give them."""
    try:
        rankings = dict(kg.retrieve(question))
    except (AttributeError, NotImplementedError):
        rankings = {}
    if "fused" not in rankings and answer.hits:
        rankings["fused"] = answer.hits
    return rankings


@contextmanager
def eval_settings() -> Iterator:
    """Settings for a run: a temporary data directory unless POLICYKG_DATA_DIR is set."""
    from rag.settings import Settings

    if os.environ.get("POLICYKG_DATA_DIR"):
        yield Settings(), False
        return
    tmp = tempfile.mkdtemp(prefix="pkeval-")
    try:
        yield Settings(data_dir=Path(tmp)), True
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(gold_path: Path | None = None, progress=None, corpus: Path | None = None,
        signal_configs: Sequence[str] = ()) -> dict:
    """Ingest the corpus into the run's data directory, ask every gold question, return the figures.

    `signal_configs`: also answer every question with only those signals (see SIGNAL_CONFIGS)."""
    from rag.pipeline import PolicyKG, stop_embedded_server

    questions = load_gold(gold_path or GOLD_PATH)
    with eval_settings() as (settings, temporary):
        kg = PolicyKG(settings)
        folder = Path(corpus) if corpus else settings.corpus_dir
        try:
            files = corpus_files(folder)
            ingested = kg.ingest([folder])  # the dense vectors too (cached ones are reused)
            docs = outline_corpus(files)
            results, gold_errors = evaluate(kg, questions, docs, progress)
            by_signals = signal_pass_rates(kg, questions, docs, signal_configs) if signal_configs else {}
        finally:
            kg.close()
            if temporary:
                stop_embedded_server(settings)
    summary = summarize(results)
    summary["gold_errors"] = gold_errors
    summary["corpus"] = {"documents": len(docs), "folder": folder.name}
    summary["signals"] = by_signals
    summary["embedding"] = embedding_figures(ingested.embedding, settings.dense)
    return summary


def embedding_figures(embedding: dict | None, dense_on: bool = True) -> dict:
    """What the run's dense signal cost: the model, chunks, vectors found in the cache and computed,
    and seconds per 1,000 computed chunks (the figure the README reports)."""
    if not dense_on or not embedding:
        return {"state": "off"}
    out = dict(embedding)
    computed, seconds = out.get("computed") or 0, out.get("seconds") or 0.0
    out["per_1000_chunks_s"] = round(seconds * 1000 / computed, 1) if computed else None
    return out


def main(extraction_only: bool = False, as_json: bool = False, out: Path | None = None,
         gold: str = "seeds", signals: bool = False, metadata_only: bool = False,
         details: bool = False, *, genre: Genre | None = None) -> int:
    """`policykg eval`: 0 when the run completed (the figures are what they are), 1 on error.

    `gold`: "seeds" (the five seed documents and their gold) or "devcorpus" (the 36 development
    documents and the development questions); `signals`: also pass rates per signal configuration;
    `genre`: what extraction and metadata are scored with (None: the packaged genre)."""
    from eval.report import format_markdown, format_table

    genre = resolve_genre(genre)
    if extraction_only:
        return _extraction(as_json, out, genre=genre)
    if metadata_only:
        return _metadata(as_json, out, details, genre=genre)
    gold_path, corpus = (DEVCORPUS_GOLD, DEVCORPUS_DIR) if gold == "devcorpus" else (GOLD_PATH, None)
    try:
        summary = run(gold_path, progress=None if as_json else _progress, corpus=corpus,
                      signal_configs=tuple(SIGNAL_CONFIGS) if signals else ())
    except Exception as exc:
        print(f"error: evaluation failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        return 1
    print(json.dumps(summary, ensure_ascii=False) if as_json else format_table(summary))
    if out:
        Path(out).write_text(format_markdown(summary), encoding="utf-8")
    return 0


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty() or done == total:
        print(f"\rasked {done}/{total}", end="\n" if done == total else "", file=sys.stderr, flush=True)


def _extraction(as_json: bool, out: Path | None, *, genre: Genre) -> int:
    """Delegate to the extraction report when it is installed."""
    try:
        from eval.extraction import extraction_report, format_extraction_report
    except ImportError:
        print("error: the extraction evaluation (eval/extraction.py) is not available", file=sys.stderr)
        return 1
    from eval.devextraction import devcorpus_report, format_devcorpus_report

    try:
        report = extraction_report()
        report["devcorpus"] = devcorpus_report(genre=genre)
    except Exception as exc:
        print(f"error: extraction evaluation failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    text = format_extraction_report(report) + "\n\n" + format_devcorpus_report(report["devcorpus"])
    print(json.dumps(report, ensure_ascii=False, default=str) if as_json else text)
    if out:
        Path(out).write_text(text, encoding="utf-8")
    return 0


def _metadata(as_json: bool, out: Path | None, details: bool = False, *, genre: Genre) -> int:
    """Metadata accuracy on the dev part, the eval part and the seeds (eval/metadata.py)."""
    from eval.metadata import format_metadata_report, metadata_report, report_json

    try:
        report = metadata_report(genre=genre)
    except Exception as exc:
        print(f"error: metadata evaluation failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    text = format_metadata_report(report, details=details)
    print(json.dumps(report_json(report), ensure_ascii=False) if as_json else text)
    if out:
        Path(out).write_text(text, encoding="utf-8")
    return 0
