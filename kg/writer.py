"""PolicyFacts -> batched, idempotent Cypher: a few UNWIND statements, each with a list of rows.

Every statement MERGEs on a node key from kg/schema.py, so replaying a batch (after a reconnect, or
on FalkorDB's Bolt endpoint, which does not roll back transactions) leaves the same graph. Policies
are written many at a time: rows of all policies in a call share one statement per kind, which is
what makes a thousand small policies a matter of seconds.

Owned nodes get their key from the policy (`<policy id>#target-3`), so rewriting a policy after
deleting its owned nodes reproduces the same ids. Property values are primitives or lists of
primitives, never maps (FalkorDB rejects them); None values and empty lists are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from corpus.aliases import TERM_SEPARATOR, defined_terms
from corpus.jurisdiction import level_word
from corpus.model import Policy
from genre import Genre
from kg.model import DepartmentRef, PolicyFacts, Span
from kg.schema import NODE_KEYS, NODE_PROPERTIES, POLICY_OWNED, SHARED


@dataclass
class Statement:
    """One UNWIND statement and its rows (`$rows`); the store splits rows into batches."""

    name: str
    cypher: str
    rows: list[dict] = field(default_factory=list)


# -- statement templates (labels and keys come from kg/schema.py, never from data) ------------


def _node(label: str, replace: bool = True) -> str:
    key = NODE_KEYS[label]
    body = "SET n = r.props" if replace else "SET n += r.props"
    return f"UNWIND $rows AS r MERGE (n:{label} {{{key}: r.key}}) {body}"


def _edge(src: str, rel: str, dst: str, merge_dst: bool = False, keyed: bool = False) -> str:
    """Link existing src to dst (MERGEd when it is a small shared vocabulary node)."""
    find_dst = "MERGE" if merge_dst else "MATCH"
    rel_key = " {role: r.role}" if keyed else ""
    return (f"UNWIND $rows AS r MATCH (a:{src} {{{NODE_KEYS[src]}: r.src}}) "
            f"{find_dst} (b:{dst} {{{NODE_KEYS[dst]}: r.dst}}) "
            f"MERGE (a)-[e:{rel}{rel_key}]->(b) SET e += r.props")


DEPARTMENT_NODE = (
    "UNWIND $rows AS r MERGE (n:Department {id: r.key}) SET n += r.props "
    "SET n.aliases = coalesce(n.aliases, []) + [a IN r.aliases WHERE NOT a IN coalesce(n.aliases, [])]"
)
REGION_NODE = "UNWIND $rows AS r MERGE (n:Region {id: r.key}) SET n += r.props"

EXISTING = "UNWIND $ids AS pid MATCH (p:Policy {id: pid}) RETURN p.id AS id"
DELETE_OWNED = {label: f"UNWIND $ids AS pid MATCH (n:{label} {{policy_id: pid}}) DETACH DELETE n"
                for label in POLICY_OWNED}
DELETE_POLICY_LINKS = "UNWIND $ids AS pid MATCH (p:Policy {id: pid})-[e]->() DELETE e"
DELETE_POLICY = "UNWIND $ids AS pid MATCH (p:Policy {id: pid}) DETACH DELETE p"

# Shared nodes a policy points at: the only candidates for orphan removal once it is gone.
SHARED_NEIGHBOURS = [
    f"UNWIND $ids AS pid MATCH (n:{label} {{policy_id: pid}})-->(x) "
    "RETURN DISTINCT labels(x)[0] AS label, coalesce(x.id, x.name) AS key, x.city AS city"
    for label in POLICY_OWNED
] + ["UNWIND $ids AS pid MATCH (p:Policy {id: pid})-->(x) "
     "RETURN DISTINCT labels(x)[0] AS label, coalesce(x.id, x.name) AS key, x.city AS city"]
# City last: departments and regions point at it.
ORPHAN_ORDER: tuple[str, ...] = (*[s for s in SHARED if s != "City"], "City")
DELETE_ORPHANS = {
    label: f"UNWIND $keys AS k MATCH (n:{label} {{{NODE_KEYS[label]}: k}}) WHERE NOT (n)<--() DETACH DELETE n"
    for label in ORPHAN_ORDER
}


def orphan_candidates(rows: Iterable[dict]) -> dict[str, list[str]]:
    """Shared-node keys by label from SHARED_NEIGHBOURS rows, plus the cities of departments/regions."""
    out: dict[str, set[str]] = {label: set() for label in ORPHAN_ORDER}
    for r in rows:
        if r["label"] in out and r["key"] is not None:
            out[r["label"]].add(r["key"])
            if r["label"] in ("Department", "Region") and r.get("city"):
                out["City"].add(r["city"])
    return {label: sorted(keys) for label, keys in out.items() if keys}


def delete_statements(policy_ids: Sequence[str], keep_policy: bool) -> list[tuple[str, dict]]:
    """Owned nodes of these policies, then their links (or the Policy nodes themselves)."""
    ids = {"ids": list(policy_ids)}
    out = [(DELETE_OWNED[label], ids) for label in POLICY_OWNED]
    out.append((DELETE_POLICY_LINKS if keep_policy else DELETE_POLICY, ids))
    return out


# -- rows ----------------------------------------------------------------------------------


def clean(props: dict) -> dict:
    """Drop None and empty lists; tuples become lists (property values must be primitives)."""
    out = {}
    for k, v in props.items():
        if isinstance(v, tuple):
            v = list(v)
        if v is None or v == []:
            continue
        out[k] = v
    return out


def _pick(label: str, values: dict) -> dict:
    return clean({k: values.get(k) for k in NODE_PROPERTIES[label]})


def _span(span: Span | None) -> dict:
    if span is None:
        return {}
    return {"start": span.start, "end": span.end, "quote": span.quote}


class _Rows:
    """Accumulates rows per statement name, in the order statements must run."""

    ORDER = (
        "policy", "policy_city", "jurisdiction", "jurisdiction_parent", "policy_jurisdiction", "section", "section_top", "section_child", "measure", "measure_section",
        "measure_policy", "department", "department_city", "responsible", "issued_by",
        "target", "policy_target", "measure_target", "target_topic",
        "deadline", "measure_deadline", "policy_deadline",
        "support", "measure_support", "support_beneficiary", "support_topic",
        "region", "region_city", "measure_region", "measure_org", "measure_topic",
    )

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {name: [] for name in self.ORDER}
        self._links: set[tuple] = set()

    def add(self, name: str, row: dict) -> None:
        self.rows[name].append(row)

    def link(self, name: str, src: str, dst: str, role: str | None = None, **props) -> None:
        """One row per distinct edge: the first occurrence's properties win."""
        if (name, src, dst, role) in self._links:
            return
        self._links.add((name, src, dst, role))
        row = {"src": src, "dst": dst, "props": clean(props)}
        if role is not None:
            row["role"] = role
        self.rows[name].append(row)


TEMPLATES: dict[str, str] = {
    "policy": _node("Policy"),
    "policy_city": _edge("Policy", "OF_CITY", "City", merge_dst=True),
    "jurisdiction": _node("Jurisdiction"),
    "jurisdiction_parent": _edge("Jurisdiction", "PART_OF", "Jurisdiction"),
    "policy_jurisdiction": _edge("Policy", "IN_JURISDICTION", "Jurisdiction"),
    "section": _node("Section"),
    "section_top": _edge("Policy", "HAS_SECTION", "Section"),
    "section_child": _edge("Section", "HAS_SECTION", "Section"),
    "measure": _node("Measure"),
    "measure_section": _edge("Section", "HAS_MEASURE", "Measure"),
    "measure_policy": _edge("Policy", "CONTAINS", "Measure"),
    "department": DEPARTMENT_NODE,
    "department_city": _edge("Department", "OF_CITY", "City", merge_dst=True),
    "responsible": _edge("Measure", "RESPONSIBLE", "Department", keyed=True),
    "issued_by": _edge("Policy", "ISSUED_BY", "Department"),
    "target": _node("Target"),
    "policy_target": _edge("Policy", "SETS", "Target"),
    "measure_target": _edge("Measure", "SETS", "Target"),
    "target_topic": _edge("Target", "ABOUT", "Topic", merge_dst=True),
    "deadline": _node("Deadline"),
    "measure_deadline": _edge("Measure", "HAS_DEADLINE", "Deadline"),
    "policy_deadline": _edge("Policy", "HAS_DEADLINE", "Deadline"),
    "support": _node("Support"),
    "measure_support": _edge("Measure", "OFFERS", "Support"),
    "support_beneficiary": _edge("Support", "FOR", "Beneficiary", merge_dst=True),
    "support_topic": _edge("Support", "ABOUT", "Topic", merge_dst=True),
    "region": REGION_NODE,
    "region_city": _edge("Region", "OF_CITY", "City", merge_dst=True),
    "measure_region": _edge("Measure", "IN_REGION", "Region"),
    "measure_org": _edge("Measure", "MENTIONS", "Organisation", merge_dst=True),
    "measure_topic": _edge("Measure", "ABOUT", "Topic", merge_dst=True),
}


def _policy_rows(out: _Rows, facts: PolicyFacts, *, genre: Genre) -> None:
    p: Policy = facts.policy
    meta = p.meta
    city = facts.city or meta.city
    values = {**meta.to_dict(), "id": p.id, "city": city, "sha256": p.sha256, "path": p.path}
    j = meta.jurisdiction
    if j is not None:
        values.update(level=j.level, level_word=level_word(j.level, genre=genre), jurisdiction=j.name, province=j.province)
    values["title_source"] = meta.extra.get("title_source")
    # short names it defines (以下简称), "short＝full": a question may use either (rag/linking.py)
    values["terms"] = [f"{short}{TERM_SEPARATOR}{full}" for short, full in defined_terms(p.aliases, genre=genre)] or None
    out.add("policy", {"key": p.id, "props": _pick("Policy", values)})
    if city:
        out.link("policy_city", p.id, city)
    if j is not None:
        out.link("policy_jurisdiction", p.id, _jurisdiction_rows(out, j))


def jurisdiction_id(path: list[str]) -> str:
    """Key of a Jurisdiction node: its path of names (全国 for the country)."""
    return "/".join(path) or NATIONAL


NATIONAL = "全国"


def _jurisdiction_rows(out: _Rows, j) -> str:
    """The jurisdiction and its parents up to 全国, each linked PART_OF its parent; returns its id."""
    levels = {0: "provincial", 1: "city", 2: "district"}
    path = j.path
    out.add("jurisdiction", {"key": NATIONAL, "props": {"id": NATIONAL, "name": NATIONAL, "level": "national"}})
    parent = NATIONAL
    for i, name in enumerate(path):
        jid = jurisdiction_id(path[: i + 1])
        level = j.level if i == len(path) - 1 else levels.get(i, "district")
        if name == j.zone:
            level = "zone"
        props = clean({"id": jid, "name": name, "level": level, "province": j.province})
        out.add("jurisdiction", {"key": jid, "props": props})
        out.link("jurisdiction_parent", jid, parent)
        parent = jid
    return parent


def _structure_rows(out: _Rows, p: Policy) -> None:
    for s in p.all_sections():
        values = {**vars(s), "policy_id": p.id}
        out.add("section", {"key": s.id, "props": _pick("Section", values)})
        if s.parent_id:
            out.link("section_child", s.parent_id, s.id)
        else:
            out.link("section_top", p.id, s.id)
        for m in s.measures:
            mvalues = {**vars(m), "policy_id": p.id, "section_id": m.section_id or s.id}
            out.add("measure", {"key": m.id, "props": _pick("Measure", mvalues)})
            out.link("measure_section", s.id, m.id)
            out.link("measure_policy", p.id, m.id)


def _department_row(ref: DepartmentRef) -> dict:
    aliases = [ref.mention] if ref.mention and ref.mention != ref.canonical else []
    props = clean({"id": ref.id, "name": ref.canonical, "city": ref.city, "kind": ref.kind})
    return {"key": ref.id, "props": props, "aliases": aliases}


def _department_rows(out: _Rows, facts: PolicyFacts, seen: dict[str, dict]) -> None:
    pid = facts.policy.id
    refs: list[tuple[str | None, DepartmentRef]] = [(None, r) for r in facts.issuers]
    refs += [(mid, r) for mid, rs in facts.departments.items() for r in rs]
    for mid, ref in refs:
        row = seen.get(ref.id)
        if row is None:
            seen[ref.id] = row = _department_row(ref)
            out.add("department", row)
            if ref.city:
                out.link("department_city", ref.id, ref.city)
        elif ref.mention and ref.mention != ref.canonical and ref.mention not in row["aliases"]:
            row["aliases"].append(ref.mention)
        span = ref.span
        if mid is None:
            out.link("issued_by", pid, ref.id, mention=ref.mention)
        else:
            out.link("responsible", mid, ref.id, role=ref.role or "responsible", mention=ref.mention,
                     start=span.start if span else None, end=span.end if span else None)


def _fact_rows(out: _Rows, facts: PolicyFacts) -> None:
    pid = facts.policy.id
    for i, t in enumerate(facts.targets):
        tid, mid = f"{pid}#target-{i}", t.span.measure_id if t.span else None
        values = {**vars(t), **_span(t.span), "id": tid, "policy_id": pid, "measure_id": mid}
        out.add("target", {"key": tid, "props": _pick("Target", values)})
        out.link("policy_target", pid, tid)
        if mid:
            out.link("measure_target", mid, tid)
        for topic in t.topics:
            out.link("target_topic", tid, topic)
    for i, d in enumerate(facts.dates):
        did, mid = f"{pid}#date-{i}", d.span.measure_id if d.span else None
        values = {**vars(d), **_span(d.span), "id": did, "policy_id": pid, "measure_id": mid}
        out.add("deadline", {"key": did, "props": _pick("Deadline", values)})
        if mid:
            out.link("measure_deadline", mid, did)
        else:
            out.link("policy_deadline", pid, did)
    for mid, items in facts.supports.items():
        for i, s in enumerate(items):
            sid = f"{mid}#support-{i}"
            values = {**vars(s), **_span(s.span), "id": sid, "policy_id": pid, "measure_id": mid,
                      "condition_starts": [c.start for c in s.condition_spans],
                      "condition_ends": [c.end for c in s.condition_spans]}
            out.add("support", {"key": sid, "props": _pick("Support", values)})
            out.link("measure_support", mid, sid)
            for b in s.beneficiaries:
                out.link("support_beneficiary", sid, b)
            for topic in s.topics:
                out.link("support_topic", sid, topic)


def region_id(city: str | None, name: str) -> str:
    return f"{city or ''}:{name}"


def _mention_rows(out: _Rows, facts: PolicyFacts, regions: set[str]) -> None:
    city = facts.city or facts.policy.meta.city
    for mid, mentions in facts.mentions.items():
        for m in mentions:
            if m.kind == "region":
                rid = region_id(city, m.name)
                if rid not in regions:
                    regions.add(rid)
                    out.add("region", {"key": rid, "props": clean({"id": rid, "name": m.name, "city": city})})
                    if city:
                        out.link("region_city", rid, city)
                out.link("measure_region", mid, rid, mention=m.mention)
            elif m.kind == "organisation":
                out.link("measure_org", mid, m.name, mention=m.mention)
            elif m.kind == "topic":
                out.link("measure_topic", mid, m.name, mention=m.mention)


def write_statements(all_facts: Iterable[PolicyFacts], *, genre: Genre) -> list[Statement]:
    """Statements (in dependency order) that MERGE the given policies' subgraphs."""
    out, departments, regions = _Rows(), {}, set()
    for facts in all_facts:
        _policy_rows(out, facts, genre=genre)
        _structure_rows(out, facts.policy)
        _department_rows(out, facts, departments)
        _fact_rows(out, facts)
        _mention_rows(out, facts, regions)
    return [Statement(name, TEMPLATES[name], rows) for name, rows in out.rows.items() if rows]
