"""The graph signal: run the named queries that fit the intent and the linked entities.

Returns the facts (rows) an answer is composed from and a ranking of measures for rank fusion.
Every query is a named, parameterised query of kg/queries.py; question text only ever travels as a
parameter value.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from genre import Genre
from rag.intents import Intent
from rag.linking import Lexicon, Link, Linked, bigrams, build_lexicon, named_cities, scope_of
from rag.model import Hit

log = logging.getLogger(__name__)


@dataclass
class GraphResult:
    """What the graph says about one question."""

    hits: list[Hit] = field(default_factory=list)  # measures ranked for fusion
    departments: dict[str, list[dict]] = field(default_factory=dict)  # measure id -> department rows
    duties: list[dict] = field(default_factory=list)  # measures of the linked departments
    supports: list[dict] = field(default_factory=list)  # ranked support rows
    targets: list[dict] = field(default_factory=list)
    policies: list[dict] = field(default_factory=list)  # metadata rows of the policies in question
    deadlines: list[dict] = field(default_factory=list)
    issuers: dict[str, list[dict]] = field(default_factory=dict)  # policy id -> issuing departments
    measures: dict[str, dict] = field(default_factory=dict)  # measure id -> context row

    def facts(self) -> list[dict]:
        """Every row used, tagged with its kind (Answer.facts)."""
        out: list[dict] = []
        for mid, rows in self.departments.items():
            out.extend({"fact": "responsible", "measure_id": mid, **r} for r in rows)
        out.extend({"fact": "duty", **r} for r in self.duties)
        out.extend({"fact": "support", **r} for r in self.supports)
        out.extend({"fact": "target", **r} for r in self.targets)
        out.extend({"fact": "policy", **r} for r in self.policies)
        out.extend({"fact": "date", **r} for r in self.deadlines)
        for pid, rows in self.issuers.items():
            out.extend({"fact": "issuer", "policy_id": pid, **r} for r in rows)
        return out


def load_graph_lexicon(store: Any, measures: list[dict] | None = None, *, genre: Genre) -> Lexicon:
    """The linking lexicon with the graph's departments, policies and topics (measure titles come
    from the index, which holds the same measures)."""
    rows = store.run("lexicon")
    return build_lexicon(
        departments=[r for r in rows if r.get("kind") == "department"],
        policies=store.run("policies_all"),
        measures=measures or [],
        topics=[r["name"] for r in rows if r.get("kind") == "topic" and r.get("name")],
    genre=genre)


# Rows of the named queries, renamed to the composer's vocabulary (one place to adapt).
_RENAMES = {
    "department": {"department": "name", "department_id": "id"},
    "duty": {"department_city": "city"},
    "support": {"support_id": "id", "what": "text", "quote_start": "start", "quote_end": "end",
                "departments": "department_names"},
    "target": {"target_id": "id", "policy_title": "policy"},
    "deadline": {"deadline_id": "id", "policy_title": "policy"},
    "issuer": {"department": "name", "department_id": "id"},
    "measure": {"measure_id": "id", "measure_title": "title", "policy_title": "policy",
                "section": "section_title"},
}


def rename(kind: str, row: dict) -> dict:
    names = _RENAMES[kind]
    out = {names.get(k, k): v for k, v in row.items()}
    if kind == "support" and row.get("start") is not None:
        out["measure_start"] = row["start"]  # citation columns' start is the measure's
    return out


# Support items kept per city after ranking: the answer quotes the best four, a comparison the best
# of each city, retrieval the best twenty measures.
SUPPORTS_PER_CITY = 30
MAX_METADATA_POLICIES = 10  # a city's policies whose dates a metadata question reads, in a large corpus
TARGETS_PER_CITY = 30


def best_per_city(ranked: list[tuple[float, dict]], n: int) -> list[tuple[float, dict]]:
    """The first n rows of each city, keeping the ranking's order."""
    seen: dict[Any, int] = {}
    out = []
    for s, row in ranked:
        city = row.get("city")
        if seen.get(city, 0) < n:
            seen[city] = seen.get(city, 0) + 1
            out.append((s, row))
    return out


def linked_measures(linked: Linked, cities: list[str] | set[str] | None = None) -> list[Link]:
    """The measures the question names, in the linked cities; when it also names a policy (title or
    文号) and some of them belong to it, only those: many documents reuse the same measure titles."""
    out = [lk for lk in linked.of("measure") if not cities or lk.city in cities]
    policies = set(linked.values("policy"))
    mine = [lk for lk in out if lk.extra.get("policy_id") in policies]
    return mine or out


def candidate_text(row: dict) -> str:
    """The text a slim support or target row is ranked by (support: quote, what, measure title;
    target: metric, what), joined here: the server's string concatenation cuts multi-byte text."""
    if "support_id" in row:
        parts = (row.get("quote") or row.get("what"), row.get("what"), row.get("measure_title"))
    else:
        parts = (row.get("metric"), row.get("what"))
    return "".join(p for p in parts if p)


def asks_about_support(intent: Intent, linked: Linked) -> bool:
    """The question is about an offer: a support question, a comparison of support, or a question
    of who handles an offer it names ("算力券归哪个部门管": the measure offering it names the departments)."""
    if intent.name == "support":
        return True
    if intent.name == "comparison":
        return intent.subject == "support"
    return intent.name in ("departments", "duties") and bool(linked.of("support_kind"))


def overlap(question: str, text: str) -> float:
    """Share of the question's bigrams that occur in `text` (0..1): cheap lexical relevance."""
    q = set(bigrams(question))
    return len(q & set(bigrams(text))) / len(q) if q else 0.0


@dataclass
class Candidates:
    """Where graph expansion looks in a large corpus: the measures and policies of the question's best
    lexical matches (plus those it links), instead of every support item or target of a city."""

    measure_ids: list[str]
    policy_ids: list[str]


CandidateFn = Callable[[list[str]], "Candidates | None"]  # cities -> candidates (None: small corpus, scan)


class GraphSearch:
    """Runs the queries an intent needs; keeps no state between questions except the lexicon."""

    def __init__(self, store: Any, lexicon: Lexicon, genre: Genre, candidates: CandidateFn | None = None) -> None:
        self.store = store
        self.genre = genre
        self.lexicon = lexicon
        self._candidate_fn = candidates
        self._candidate_cache: dict[tuple[str, ...], Candidates | None] = {}

    def candidates(self, linked: Linked, cities: list[str]) -> Candidates | None:
        """The candidate set for these cities (None: the corpus is small enough to scan), with the
        measures and policies the question links added."""
        if self._candidate_fn is None:
            return None
        key = tuple(cities)
        if key not in self._candidate_cache:
            found = self._candidate_fn(list(cities))
            if found is not None:
                named = linked_measures(linked, cities)  # not every document sharing the title
                linked_measures_ = [lk.value for lk in named]
                linked_policies = linked.values("policy") + [lk.extra.get("policy_id") for lk in named]
                found = Candidates(list(dict.fromkeys([*linked_measures_, *found.measure_ids])),
                                   [p for p in dict.fromkeys([*linked_policies, *found.policy_ids]) if p])
            self._candidate_cache[key] = found
        return self._candidate_cache[key]

    def search(self, intent: Intent, linked: Linked, focus: str,
               relevance: Callable[[str], float] | None = None) -> GraphResult:
        """Facts for the question. `focus` is the question's content words; `relevance(text)` scores
        a fact's text against them (default: shared bigrams)."""
        self.relevance = relevance or (lambda text: overlap(focus, text))
        result = GraphResult()
        cities = self._cities(linked)
        scores: dict[str, float] = {}
        for lk in linked_measures(linked, cities):
            scores[lk.value] = max(scores.get(lk.value, 0.0), 1.0 + lk.score)
        if linked.of("department"):
            self._duties(result, linked, cities, scores)
        if asks_about_support(intent, linked):
            self._supports(result, linked, cities, focus, scores)
        if intent.name in ("targets", "comparison"):
            self._targets(result, linked, cities, focus, scores)
        if intent.name == "metadata" or linked.of("policy") or linked.of("doc_no"):
            self._metadata(result, linked, cities)
        result.hits = [Hit(chunk_id=mid, measure_id=mid, score=round(s, 4), signal="graph", rank=i + 1)
                       for i, (mid, s) in enumerate(sorted(scores.items(), key=lambda t: -t[1]))]
        return result

    def departments_of(self, measure_ids: list[str]) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {mid: [] for mid in measure_ids}
        if measure_ids:
            for row in self.store.run("measure_departments", measure_ids=list(measure_ids)):
                out.setdefault(row["measure_id"], []).append(rename("department", row))
        return out

    def measures(self, measure_ids: list[str]) -> dict[str, dict]:
        if not measure_ids:
            return {}
        rows = self.store.run("measures_by_ids", measure_ids=list(measure_ids))
        return {r["measure_id"]: rename("measure", r) for r in rows}

    def briefs(self, measure_ids: list[str]) -> tuple[dict[str, dict], dict[str, list[dict]]]:
        """What composition needs of its measures, in one round trip and without their texts (the
        index has them): measure id -> context row (as `measures`, less text), and measure id -> its
        department rows (as `departments_of`). Two queries with full texts cost more than the rest of
        the answer at 10,000 documents."""
        if not measure_ids:
            return {}, {}
        measures: dict[str, dict] = {}
        departments: dict[str, list[dict]] = {mid: [] for mid in measure_ids}
        for row in self.store.run("measure_briefs", measure_ids=list(measure_ids)):
            depts = row.pop("departments") or []
            quote = row.pop("quote")
            mid = row["measure_id"]
            measures[mid] = rename("measure", {**row, "departments": [d["name"] for d in depts]})
            cited = {k: v for k, v in row.items() if k != "kind"}
            departments[mid] = [{**cited, **d, "quote": quote}
                                for d in sorted(depts, key=lambda d: str(d.get("name")))]
        return measures, departments

    # -- per intent ---------------------------------------------------------------------------
    def _cities(self, linked: Linked) -> list[str]:
        cities = scope_of(list(linked.cities), self.lexicon.corpus_cities, genre=self.genre)  # + province, 全国
        # a district implies its city (only: its walk stays within the city's own documents)
        return cities or named_cities(linked, self.lexicon.corpus_cities)

    def _duties(self, result: GraphResult, linked: Linked, cities: list[str], scores: dict[str, float]) -> None:
        depts = [lk for lk in linked.of("department") if not cities or not lk.city or lk.city in cities]
        ids = {lk.extra.get("id") for lk in depts if lk.extra.get("id")}
        # a question that names a policy asks about that policy; in a large corpus the candidates bound
        # the walk (a department of a big city is responsible for thousands of measures)
        rows: list[dict] = []
        cand = None if linked.values("policy") else self.candidates(linked, cities)
        if ids and all(lk.extra.get("id") for lk in depts) and (linked.values("policy") or cand is not None):
            if linked.values("policy"):
                rows = self.store.run("duties_in_policies", policy_ids=linked.values("policy"))
            else:
                rows = self.store.run("duties_in_measures", measure_ids=cand.measure_ids)
            rows = [{k: v for k, v in r.items() if k != "department_id"} for r in rows if r["department_id"] in ids]
        else:
            for city in sorted({lk.city for lk in depts}, key=str):
                names = sorted({lk.value for lk in depts if lk.city == city})
                rows += self.store.run("department_measures", names=names, city=city)
        by_id = {lk.value: lk.extra.get("id") for lk in depts}
        result.duties = [rename("duty", r) for r in rows if not ids or by_id.get(r["department"]) in ids]
        for i, row in enumerate(result.duties):
            scores[row["measure_id"]] = max(scores.get(row["measure_id"], 0.0), 0.8 - 0.001 * i)

    def _supports(self, result: GraphResult, linked: Linked, cities: list[str], focus: str,
                  scores: dict[str, float]) -> None:
        """Rank slim candidate rows in Python, then fetch the full rows of the best few per city only
        (at a thousand documents, full rows of every support item cost seconds to transfer)."""
        cand = self.candidates(linked, cities)
        if cand is None:
            rows = self.store.run("support_candidates", cities=cities or None)
        else:
            rows = (self.store.run("support_candidates_in", measure_ids=cand.measure_ids, cities=list(cities))
                    if cand.measure_ids else [])
        kinds = set(linked.values("support_kind"))
        who = set(linked.values("beneficiary"))
        topics = set(linked.values("topic"))
        # beneficiaries and topics of the candidate rows only, looked up by id (a list of every policy
        # of a city as a filter made these queries grow with the square of the corpus)
        support_ids = sorted({r["support_id"] for r in rows})
        own_ids = sorted({*support_ids, *(r["measure_id"] for r in rows)})
        for_who = ({r["id"] for r in self.store.run("beneficiaries_of", support_ids=support_ids) if r["name"] in who}
                   if who and support_ids else set())
        about = ({r["id"] for r in self.store.run("topics_of", ids=own_ids) if r["name"] in topics}
                 if topics and own_ids else set())
        ranked = []
        for row in rows:
            s = 2.0 * self.relevance(candidate_text(row)) if focus else 0.0
            s += 0.5 * bool(kinds & {row.get("kind")})
            s += 0.5 * (row["support_id"] in for_who)
            s += 0.3 * (row["support_id"] in about or row["measure_id"] in about)
            ranked.append((s, row))
        ranked.sort(key=lambda t: -t[0])
        ranked = best_per_city(ranked, SUPPORTS_PER_CITY)
        ids = [row["support_id"] for _, row in ranked]
        full = {r["support_id"]: rename("support", r)
                for r in (self.store.run("supports_by_ids", support_ids=ids) if ids else [])}
        ranked = [(s, full[row["support_id"]]) for s, row in ranked if row["support_id"] in full]
        result.supports = [{**row, "score": round(s, 3)} for s, row in ranked]
        for s, row in ranked[:20]:
            scores[row["measure_id"]] = max(scores.get(row["measure_id"], 0.0), s)

    def _targets(self, result: GraphResult, linked: Linked, cities: list[str], focus: str,
                 scores: dict[str, float]) -> None:
        """Rank slim candidate rows, then fetch the full rows of the best per city (and of the best per
        city in the asked years, which the answer keeps)."""
        cand = self.candidates(linked, cities)
        if cand is None:
            rows = self.store.run("target_candidates", cities=cities or None)
        else:
            rows = (self.store.run("target_candidates_in", policy_ids=cand.policy_ids, cities=list(cities))
                    if cand.policy_ids else [])
        years = {int(y) for y in linked.values("year")}
        ranked = []
        for row in rows:
            s = 2.0 * self.relevance(candidate_text(row)) if focus else 0.0
            s += 0.3 * bool(years and row.get("year") in years)
            ranked.append((s, row))
        ranked.sort(key=lambda t: -t[0])
        keep = {id(row) for _, row in best_per_city(ranked, TARGETS_PER_CITY)}
        if years:
            in_years = [(s, row) for s, row in ranked if row.get("year") in years]
            keep |= {id(row) for _, row in best_per_city(in_years, TARGETS_PER_CITY)}
        ids = [row["target_id"] for _, row in ranked if id(row) in keep]
        full = {r["target_id"]: rename("target", r)
                for r in (self.store.run("targets_by_ids", target_ids=ids) if ids else [])}
        ranked = [(s, full[row["target_id"]]) for s, row in ranked if row["target_id"] in full]
        result.targets = [{**row, "score": round(s, 3)} for s, row in ranked]
        for s, row in ranked[:20]:
            if row.get("measure_id"):
                scores[row["measure_id"]] = max(scores.get(row["measure_id"], 0.0), s)

    def _metadata(self, result: GraphResult, linked: Linked, cities: list[str]) -> None:
        ids = linked.values("policy")
        if not ids and cities:
            cand = self.candidates(linked, cities)
            ids = (cand.policy_ids[:MAX_METADATA_POLICIES] if cand is not None
                   else [p["id"] for p in self.lexicon.policies if p.get("city") in cities])
        self.policy_facts(result, ids)

    def policy_facts(self, result: GraphResult, ids: list[str]) -> None:
        """Metadata, dated clauses and issuers of the given policies."""
        wanted = set(ids)
        result.policies = [p for p in self.lexicon.policies if p["id"] in wanted]
        for pid in ids:
            result.deadlines += [rename("deadline", r) for r in self.store.run("deadlines_of_policy", policy_id=pid)]
            result.issuers[pid] = [rename("issuer", r) for r in self.store.run("policy_issuers", policy_id=pid)]
