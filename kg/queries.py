"""The named, parameterised read queries: the only Cypher the rest of PolicyKG runs.

User text only ever arrives as a parameter. Each query runs unchanged on FalkorDB and Neo4j 5.
Optional parameters default to null and are written as `$x IS NULL OR ...` filters.

Rows that point at a clause carry the citation columns (MEASURE_COLUMNS): policy_id, policy_title,
doc_no, city, measure_id, number, measure_title, section, start, end, text (offsets index the
policy's cleaned text). Append new queries at the end with `register(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    name: str
    cypher: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    doc: str = ""

    def bind(self, params: dict) -> dict:
        """Check the parameters: required ones present, unknown ones refused, optional ones null."""
        missing = [p for p in self.required if p not in params]
        unknown = [p for p in params if p not in self.required and p not in self.optional]
        if missing or unknown:
            raise TypeError(f"query {self.name!r}: missing {missing}, unknown {unknown}")
        return {**dict.fromkeys(self.optional), **params}


QUERIES: dict[str, Query] = {}


def register(name: str, cypher: str, required: tuple[str, ...] = (), optional: tuple[str, ...] = (),
             doc: str = "") -> Query:
    query = Query(name, " ".join(cypher.split()), required, optional, doc)
    QUERIES[name] = query
    return query


# Citation columns for a row bound to p (Policy), m (Measure) and optional s (Section).
MEASURE_COLUMNS = (
    "p.id AS policy_id, p.title AS policy_title, p.doc_no AS doc_no, p.city AS city, "
    "m.id AS measure_id, m.number AS number, m.title AS measure_title, s.title AS section, "
    "m.start AS start, m.end AS end, m.text AS text"
)

#: the full row of a target (p: its policy, m: its measure, t: the target, topics: its topic names),
#: shared by targets_search and targets_by_ids so both return the same columns
TARGET_ROWS = """
    RETURN p.id AS policy_id, p.title AS policy_title, p.doc_no AS doc_no, p.city AS city,
           m.id AS measure_id, m.number AS number, m.title AS measure_title, t.id AS target_id,
           t.metric AS metric, t.value AS value, t.value_max AS value_max, t.unit AS unit,
           t.comparator AS comparator, t.year AS year, t.text AS text, topics,
           t.start AS start, t.end AS end, coalesce(t.quote, t.text) AS quote
    ORDER BY city, policy_id, start
"""
SECTION_OF_M = "OPTIONAL MATCH (s:Section)-[:HAS_MEASURE]->(m)"
DEPARTMENTS_OF_M = "[(m)-[:RESPONSIBLE]->(d:Department) | d.name] AS departments"
POLICY_COLUMNS = (
    "p.id AS id, p.title AS title, p.doc_no AS doc_no, p.city AS city, p.issuers AS issuers, "
    "p.issued AS issued, p.published AS published, p.effective AS effective, p.expiry AS expiry, "
    "p.period AS period, p.source_url AS source_url, p.path AS path, p.sha256 AS sha256, "
    "p.text_source AS text_source, p.level_word AS level_word, p.terms AS terms, p.status AS status"
)

COUNT_NODES = "MATCH (n) RETURN labels(n)[0] AS label, count(n) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n"

# rows: citation columns + department, department_id, aliases, role, mention, quote (the 责任单位 block)
register("measure_departments", f"""
    UNWIND $measure_ids AS mid
    MATCH (p:Policy)-[:CONTAINS]->(m:Measure {{id: mid}})
    MATCH (m)-[r:RESPONSIBLE]->(d:Department)
    {SECTION_OF_M}
    RETURN {MEASURE_COLUMNS}, d.name AS department, d.id AS department_id, d.aliases AS aliases,
           r.role AS role, r.mention AS mention, coalesce(m.responsibility, m.text) AS quote,
           r.start AS evidence_start, r.end AS evidence_end
    ORDER BY measure_id, department
""", required=("measure_ids",), doc="responsible departments of the given measures (evidence: where the "
         "text names them, which for a task named elsewhere is another clause)")

# rows: citation columns + title_match (bool: matched the title, not only the text) + departments
register("measures_by_title", f"""
    MATCH (p:Policy)-[:CONTAINS]->(m:Measure)
    WHERE ($city IS NULL OR p.city = $city) AND (m.title CONTAINS $text OR m.text CONTAINS $text)
    {SECTION_OF_M}
    RETURN {MEASURE_COLUMNS}, coalesce(m.title CONTAINS $text, false) AS title_match, {DEPARTMENTS_OF_M}
    ORDER BY title_match DESC, policy_id, start
""", required=("text",), optional=("city",), doc="measures whose title or text contains the text")

# rows: citation columns + department, department_city, role, mention
register("department_measures", f"""
    MATCH (d:Department)
    WHERE (d.name IN $names OR any(a IN coalesce(d.aliases, []) WHERE a IN $names))
      AND ($city IS NULL OR d.city = $city)
    MATCH (m:Measure)-[r:RESPONSIBLE]->(d)
    MATCH (p:Policy)-[:CONTAINS]->(m)
    {SECTION_OF_M}
    RETURN {MEASURE_COLUMNS}, d.name AS department, d.city AS department_city, r.role AS role,
           r.mention AS mention
    ORDER BY policy_id, start
""", required=("names",), optional=("city",), doc="measures a department (canonical name or alias) is responsible for")

# rows: id, name, city, kind, aliases, measures (how many it is responsible for)
register("departments_all", """
    MATCH (d:Department)
    OPTIONAL MATCH (m:Measure)-[:RESPONSIBLE]->(d)
    WITH d, count(m) AS measures
    RETURN d.id AS id, d.name AS name, d.city AS city, d.kind AS kind, coalesce(d.aliases, []) AS aliases,
           measures
    ORDER BY city, name
""", doc="every department")

# rows: POLICY_COLUMNS + measures (count)
register("policies_all", f"""
    MATCH (p:Policy)
    OPTIONAL MATCH (p)-[:CONTAINS]->(m:Measure)
    WITH p, count(m) AS measures
    RETURN {POLICY_COLUMNS}, measures
    ORDER BY city, id
""", doc="every policy with its metadata")

register("policy_by_id", f"""
    MATCH (p:Policy {{id: $policy_id}})
    OPTIONAL MATCH (p)-[:CONTAINS]->(m:Measure)
    WITH p, count(m) AS measures
    RETURN {POLICY_COLUMNS}, measures
""", required=("policy_id",), doc="one policy's metadata (0 or 1 row)")

register("policy_by_doc_no", f"""
    MATCH (p:Policy {{doc_no: $doc_no}})
    OPTIONAL MATCH (p)-[:CONTAINS]->(m:Measure)
    WITH p, count(m) AS measures
    RETURN {POLICY_COLUMNS}, measures
""", required=("doc_no",), doc="the policy with this 文号")

# rows in document order: citation columns + section_id, section_number, section_level, kind,
# responsibility, departments
register("policy_outline", f"""
    MATCH (p:Policy {{id: $policy_id}})-[:CONTAINS]->(m:Measure)
    {SECTION_OF_M}
    RETURN {MEASURE_COLUMNS}, s.id AS section_id, s.number AS section_number, s.level AS section_level,
           m.kind AS kind, m.responsibility AS responsibility, {DEPARTMENTS_OF_M}
    ORDER BY start
""", required=("policy_id",), doc="a policy's measures in order, with sections and departments")

# rows in document order: id, number, title, level, kind, parent_id, start, end
register("policy_sections", """
    MATCH (p:Policy {id: $policy_id})-[:HAS_SECTION*1..6]->(s:Section)
    OPTIONAL MATCH (parent:Section)-[:HAS_SECTION]->(s)
    RETURN DISTINCT s.id AS id, s.number AS number, s.title AS title, s.level AS level, s.kind AS kind,
           parent.id AS parent_id, s.start AS start, s.end AS end
    ORDER BY start
""", required=("policy_id",), doc="a policy's sections (also those without measures)")

# rows: citation columns + kind, responsibility, departments
register("measures_by_ids", f"""
    UNWIND $measure_ids AS mid
    MATCH (p:Policy)-[:CONTAINS]->(m:Measure {{id: mid}})
    {SECTION_OF_M}
    RETURN {MEASURE_COLUMNS}, m.kind AS kind, m.responsibility AS responsibility, {DEPARTMENTS_OF_M}
    ORDER BY policy_id, start
""", required=("measure_ids",), doc="measures by id, with their departments")

# rows: citation columns + support_id, kind, what, amount, rate, cap, condition, deadline, window, tiers,
# condition_starts, condition_ends (where conditions written apart from the offer stand),
# beneficiaries, topics, departments, quote, quote_start, quote_end
register("support_search", f"""
    MATCH (p:Policy)-[:CONTAINS]->(m:Measure)-[:OFFERS]->(su:Support)
    WHERE ($city IS NULL OR p.city = $city) AND ($kind IS NULL OR su.kind = $kind)
      AND ($cities IS NULL OR p.city IN $cities) AND ($policy_ids IS NULL OR p.id IN $policy_ids)
      AND ($support_ids IS NULL OR su.id IN $support_ids)
    WITH p, m, su, [(su)-[:FOR]->(b:Beneficiary) | b.name] AS beneficiaries,
         [(su)-[:ABOUT]->(t:Topic) | t.name] + [(m)-[:ABOUT]->(mt:Topic) | mt.name] AS topics
    WHERE ($beneficiary IS NULL OR $beneficiary IN beneficiaries)
      AND ($topic IS NULL OR $topic IN topics)
    {SECTION_OF_M}
    RETURN {MEASURE_COLUMNS}, su.id AS support_id, su.kind AS kind, su.text AS what, su.amount AS amount,
           su.rate AS rate, su.cap AS cap, su.condition AS condition, su.deadline AS deadline, su.window AS window, su.tiers AS tiers,
           su.condition_starts AS condition_starts, su.condition_ends AS condition_ends,
           beneficiaries, topics, {DEPARTMENTS_OF_M}, coalesce(su.quote, su.text) AS quote,
           su.start AS quote_start, su.end AS quote_end
    ORDER BY city, policy_id, start, support_id
""", optional=("city", "beneficiary", "topic", "kind", "cities", "policy_ids", "support_ids"),
    doc="support items, every filter optional (cities, policy_ids, support_ids: lists)")

# rows: policy_id, policy_title, doc_no, city, measure_id, number, measure_title, target_id, metric,
# value, value_max, unit, comparator, year, text, topics, start, end, quote
register("targets_search", """
    MATCH (p:Policy)-[:SETS]->(t:Target)
    WHERE ($city IS NULL OR p.city = $city) AND ($year IS NULL OR t.year = $year)
      AND ($metric IS NULL OR t.metric CONTAINS $metric)
      AND ($cities IS NULL OR p.city IN $cities) AND ($policy_ids IS NULL OR p.id IN $policy_ids)
      AND ($target_ids IS NULL OR t.id IN $target_ids)
    WITH p, t, [(t)-[:ABOUT]->(x:Topic) | x.name] AS topics
    WHERE $topic IS NULL OR $topic IN topics OR t.metric CONTAINS $topic OR t.text CONTAINS $topic
    OPTIONAL MATCH (m:Measure)-[:SETS]->(t)
""" + TARGET_ROWS, optional=("city", "topic", "year", "metric", "cities", "policy_ids", "target_ids"),
    doc="quantitative targets (cities, policy_ids, target_ids: lists)")

# rows: policy_id, policy_title, doc_no, city, measure_id, number, measure_title, deadline_id, kind,
# text, date, date_end, start, end, quote
register("deadlines_search", """
    MATCH (dl:Deadline)
    WHERE $policy_id IS NULL OR dl.policy_id = $policy_id
    MATCH (p:Policy {id: dl.policy_id})
    WHERE $city IS NULL OR p.city = $city
    OPTIONAL MATCH (m:Measure)-[:HAS_DEADLINE]->(dl)
    RETURN p.id AS policy_id, p.title AS policy_title, p.doc_no AS doc_no, p.city AS city,
           m.id AS measure_id, m.number AS number, m.title AS measure_title, dl.id AS deadline_id,
           dl.kind AS kind, dl.text AS text, dl.date AS date, dl.date_end AS date_end,
           dl.start AS start, dl.end AS end, coalesce(dl.quote, dl.text) AS quote
    ORDER BY date, policy_id, start
""", optional=("city", "policy_id"), doc="deadlines, validity and plan periods")

# rows: policy_id, policy_title, doc_no, city, department, department_id, department_city, kind, mention
register("policy_issuers", """
    MATCH (p:Policy {id: $policy_id})-[r:ISSUED_BY]->(d:Department)
    RETURN p.id AS policy_id, p.title AS policy_title, p.doc_no AS doc_no, p.city AS city,
           d.name AS department, d.id AS department_id, d.city AS department_city, d.kind AS kind,
           r.mention AS mention
    ORDER BY department
""", required=("policy_id",), doc="the bodies that issued a policy")

# rows: kind (city|beneficiary|topic|support_kind|region|organisation), name
register("vocabulary", """
    MATCH (c:City) RETURN 'city' AS kind, c.name AS name
    UNION MATCH (b:Beneficiary) RETURN 'beneficiary' AS kind, b.name AS name
    UNION MATCH (t:Topic) RETURN 'topic' AS kind, t.name AS name
    UNION MATCH (su:Support) RETURN 'support_kind' AS kind, su.kind AS name
    UNION MATCH (r:Region) RETURN 'region' AS kind, r.name AS name
    UNION MATCH (o:Organisation) RETURN 'organisation' AS kind, o.name AS name
""", doc="choices for filters, one row per (kind, name)")

# rows: kind (department|policy|region|topic|organisation|city|beneficiary), id, name, aliases, city
# (policy aliases: its doc_no; department aliases: names it was written as)
register("lexicon", """
    MATCH (d:Department)
    RETURN 'department' AS kind, d.id AS id, d.name AS name, coalesce(d.aliases, []) AS aliases, d.city AS city
    UNION ALL MATCH (p:Policy)
    RETURN 'policy' AS kind, p.id AS id, p.title AS name,
           CASE WHEN p.doc_no IS NULL THEN [] ELSE [p.doc_no] END AS aliases, p.city AS city
    UNION ALL MATCH (r:Region)
    RETURN 'region' AS kind, r.id AS id, r.name AS name, [] AS aliases, r.city AS city
    UNION ALL MATCH (t:Topic)
    RETURN 'topic' AS kind, t.name AS id, t.name AS name, [] AS aliases, null AS city
    UNION ALL MATCH (o:Organisation)
    RETURN 'organisation' AS kind, o.name AS id, o.name AS name, [] AS aliases, null AS city
    UNION ALL MATCH (c:City)
    RETURN 'city' AS kind, c.name AS id, c.name AS name, [] AS aliases, c.name AS city
    UNION ALL MATCH (b:Beneficiary)
    RETURN 'beneficiary' AS kind, b.name AS id, b.name AS name, [] AS aliases, null AS city
""", doc="every name the question linker can match")

# rows (one per edge): source, source_label, source_name, rel, target, target_label, target_name
register("measure_neighbourhood", """
    UNWIND $measure_ids AS mid
    MATCH (p:Policy)-[e:CONTAINS]->(m:Measure {id: mid})
    RETURN p.id AS source, 'Policy' AS source_label, p.title AS source_name, type(e) AS rel,
           m.id AS target, 'Measure' AS target_label, coalesce(m.title, m.number) AS target_name
    LIMIT $limit
    UNION
    UNWIND $measure_ids AS mid
    MATCH (m:Measure {id: mid})-[e]->(x)
    RETURN m.id AS source, 'Measure' AS source_label, coalesce(m.title, m.number) AS source_name,
           type(e) AS rel, coalesce(x.id, x.name) AS target, labels(x)[0] AS target_label,
           coalesce(x.name, x.metric, x.kind, x.text) AS target_name
    LIMIT $limit
    UNION
    UNWIND $measure_ids AS mid
    MATCH (m:Measure {id: mid})-[:OFFERS]->(su:Support)-[e]->(x)
    RETURN su.id AS source, 'Support' AS source_label, su.kind AS source_name, type(e) AS rel,
           coalesce(x.id, x.name) AS target, labels(x)[0] AS target_label, x.name AS target_name
    LIMIT $limit
""", required=("measure_ids", "limit"), doc="the subgraph around measures, for a picture (at most limit edges per kind of step)")

# rows: support_id, measure_id, city, kind, quote, what, measure_title, in support_search order. The parts
# are returned, not joined with `+`: FalkorDB's string concatenation drops the last byte of a result
# whose left side is exactly 512 bytes, which cuts a Chinese character in two (an undecodable reply)
# or silently shortens the text; rag.graphsearch.candidate_text joins them
# (only what ranking a support item needs; fetch the full rows of the best with support_search;
# pattern comprehensions per row cost more than the rest of the query at a thousand documents)
register("support_candidates", """
    MATCH (p:Policy)-[:CONTAINS]->(m:Measure)-[:OFFERS]->(su:Support)
    WHERE ($cities IS NULL OR p.city IN $cities) AND ($policy_ids IS NULL OR p.id IN $policy_ids)
      AND ($kinds IS NULL OR su.kind IN $kinds)
    WITH su, m, p ORDER BY p.city, p.id, m.start, su.id
    RETURN su.id AS support_id, m.id AS measure_id, p.city AS city, su.kind AS kind,
           su.quote AS quote, su.text AS what, m.title AS measure_title
""", optional=("cities", "policy_ids", "kinds"), doc="support items to rank, slim rows (filters: lists)")

# rows: target_id, city, year, metric, what, in targets_search order (joined in Python, as above)
register("target_candidates", """
    MATCH (p:Policy)-[:SETS]->(t:Target)
    WHERE ($cities IS NULL OR p.city IN $cities) AND ($policy_ids IS NULL OR p.id IN $policy_ids)
    WITH p, t ORDER BY p.city, p.id, t.start
    RETURN t.id AS target_id, p.city AS city, t.year AS year, t.metric AS metric, t.text AS what
""", optional=("cities", "policy_ids"), doc="targets to rank, slim rows (filters: lists)")

# rows: kind (city|kind|beneficiary|topic|department|measure), name, n — how often each value occurs among
# the support items (measure: the first measure with responsible departments, n = 1); aggregated in the
# graph so that the app's examples never pull every support row
register("support_frequencies", """
    MATCH (p:Policy)-[:CONTAINS]->(:Measure)-[:OFFERS]->(:Support)
    RETURN 'city' AS kind, p.city AS name, count(*) AS n
    UNION ALL MATCH (su:Support) RETURN 'kind' AS kind, su.kind AS name, count(*) AS n
    UNION ALL MATCH (:Support)-[:FOR]->(b:Beneficiary) RETURN 'beneficiary' AS kind, b.name AS name, count(*) AS n
    UNION ALL MATCH (:Support)-[:ABOUT]->(t:Topic) RETURN 'topic' AS kind, t.name AS name, count(*) AS n
    UNION ALL MATCH (d:Department)<-[:RESPONSIBLE]-(:Measure)-[:OFFERS]->(:Support)
    RETURN 'department' AS kind, d.name AS name, count(*) AS n
    UNION ALL MATCH (m:Measure)-[:RESPONSIBLE]->(:Department) WHERE m.title IS NOT NULL
    WITH m ORDER BY m.policy_id, m.start LIMIT 1
    RETURN 'measure' AS kind, m.title AS name, 1 AS n
""", doc="value counts among support items, for example questions (one row per kind and value)")

# -- lookups bounded by the question's candidates ------------------------------------------------------
# Each starts from an index seek by id (UNWIND over a short list) and never filters with `$x IS NULL OR`,
# which keeps the planner from using an index; checked with GRAPH.EXPLAIN in tests/test_kg_query_plans.py.

# The slim support rows of the given measures (the question's retrieval candidates)
register("support_candidates_in", """
    UNWIND $measure_ids AS mid
    MATCH (p:Policy)-[:CONTAINS]->(m:Measure {id: mid})-[:OFFERS]->(su:Support)
    WITH p, m, su WHERE size($cities) = 0 OR p.city IN $cities
    RETURN su.id AS support_id, m.id AS measure_id, p.city AS city, su.kind AS kind,
           su.quote AS quote, su.text AS what, m.title AS measure_title
    ORDER BY city, p.id, m.start, support_id
""", required=("measure_ids", "cities"), doc="support items of the given measures in the given cities ([]: any), slim rows")

# The slim target rows of the given policies
register("target_candidates_in", """
    UNWIND $policy_ids AS pid
    MATCH (p:Policy {id: pid})-[:SETS]->(t:Target)
    WITH p, t WHERE size($cities) = 0 OR p.city IN $cities
    RETURN t.id AS target_id, p.city AS city, t.year AS year, t.metric AS metric, t.text AS what
    ORDER BY city, p.id, t.start
""", required=("policy_ids", "cities"), doc="targets of the given policies in the given cities ([]: any), slim rows")

# rows: id, name — the beneficiaries of the given support items
register("beneficiaries_of", """
    UNWIND $support_ids AS sid
    MATCH (su:Support {id: sid})-[:FOR]->(b:Beneficiary)
    RETURN su.id AS id, b.name AS name
""", required=("support_ids",), doc="beneficiaries of the given support items")

# rows: id, name — the topics of the given support items and measures
register("topics_of", """
    UNWIND $ids AS xid
    MATCH (x:Support {id: xid})-[:ABOUT]->(t:Topic)
    RETURN x.id AS id, t.name AS name
    UNION ALL
    UNWIND $ids AS xid
    MATCH (x:Measure {id: xid})-[:ABOUT]->(t:Topic)
    RETURN x.id AS id, t.name AS name
""", required=("ids",), doc="topics of the given support items and measures")

# rows: as department_measures + department_id — every responsibility in the given measures
register("duties_in_measures", f"""
    UNWIND $measure_ids AS mid
    MATCH (p:Policy)-[:CONTAINS]->(m:Measure {{id: mid}})-[r:RESPONSIBLE]->(d:Department)
    {SECTION_OF_M}
    RETURN {MEASURE_COLUMNS}, d.name AS department, d.id AS department_id, d.city AS department_city,
           r.role AS role, r.mention AS mention
    ORDER BY policy_id, start
""", required=("measure_ids",), doc="responsibilities in the given measures (the caller keeps its departments': "
    "a filter on the department would make the planner start from it and walk all its measures)")

# rows: as department_measures + department_id — every responsibility in the given policies
register("duties_in_policies", f"""
    UNWIND $policy_ids AS pid
    MATCH (p:Policy {{id: pid}})-[:CONTAINS]->(m:Measure)-[r:RESPONSIBLE]->(d:Department)
    {SECTION_OF_M}
    RETURN {MEASURE_COLUMNS}, d.name AS department, d.id AS department_id, d.city AS department_city,
           r.role AS role, r.mention AS mention
    ORDER BY policy_id, start
""", required=("policy_ids",), doc="responsibilities in the given policies (the caller keeps its departments')")

# rows: as support_search — full rows of the given support items
register("supports_by_ids", f"""
    UNWIND $support_ids AS sid
    MATCH (p:Policy)-[:CONTAINS]->(m:Measure)-[:OFFERS]->(su:Support {{id: sid}})
    WITH p, m, su, [(su)-[:FOR]->(b:Beneficiary) | b.name] AS beneficiaries,
         [(su)-[:ABOUT]->(t:Topic) | t.name] + [(m)-[:ABOUT]->(mt:Topic) | mt.name] AS topics
    {SECTION_OF_M}
    RETURN {MEASURE_COLUMNS}, su.id AS support_id, su.kind AS kind, su.text AS what, su.amount AS amount,
           su.rate AS rate, su.cap AS cap, su.condition AS condition, su.deadline AS deadline, su.window AS window, su.tiers AS tiers,
           su.condition_starts AS condition_starts, su.condition_ends AS condition_ends,
           beneficiaries, topics, {DEPARTMENTS_OF_M}, coalesce(su.quote, su.text) AS quote,
           su.start AS quote_start, su.end AS quote_end
    ORDER BY city, policy_id, start, support_id
""", required=("support_ids",), doc="support items by id, full rows (as support_search)")

# rows: as targets_search — full rows of the given targets
register("targets_by_ids", """
    UNWIND $target_ids AS tid
    MATCH (p:Policy)-[:SETS]->(t:Target {id: tid})
    WITH p, t, [(t)-[:ABOUT]->(x:Topic) | x.name] AS topics
    OPTIONAL MATCH (m:Measure)-[:SETS]->(t)
""" + TARGET_ROWS, required=("target_ids",), doc="targets by id, full rows (as targets_search)")

# rows: as deadlines_search — the dated clauses of one policy
register("deadlines_of_policy", """
    MATCH (p:Policy {id: $policy_id})
    MATCH (dl:Deadline {policy_id: $policy_id})
    OPTIONAL MATCH (m:Measure)-[:HAS_DEADLINE]->(dl)
    RETURN p.id AS policy_id, p.title AS policy_title, p.doc_no AS doc_no, p.city AS city,
           m.id AS measure_id, m.number AS number, m.title AS measure_title, dl.id AS deadline_id,
           dl.kind AS kind, dl.text AS text, dl.date AS date, dl.date_end AS date_end,
           dl.start AS start, dl.end AS end, coalesce(dl.quote, dl.text) AS quote
    ORDER BY date, policy_id, start
""", required=("policy_id",), doc="deadlines, validity and plan periods of one policy")


# rows: type, out (the edge leaves the node), label, id, props — one node's neighbours, for expanding a
# picture (nodes are found by id whatever their label: the picture's nodes are of every kind)
register("node_neighbours", """
    MATCH (n {id: $node_id})-[r]-(m)
    RETURN type(r) AS type, startNode(r) = n AS out, labels(m)[0] AS label, m.id AS id,
           properties(m) AS props
    LIMIT $limit
""", required=("node_id", "limit"), doc="the neighbours of one node, any label")

# rows: id, props
register("node_properties", """
    UNWIND $ids AS nid
    MATCH (n {id: nid})
    RETURN n.id AS id, properties(n) AS props
""", required=("ids",), doc="stored properties of nodes by id, any label")

# rows: policy_id, policy_title, doc_no, city, measure_id, number, measure_title, section, start, end, kind,
# departments (maps: name, id, aliases, role, mention, evidence_start, evidence_end), quote (the 责任单位
# block, else the clause's text, only where departments are named) — what composing an answer needs of
# its measures in one round trip, without their texts (the index holds those)
register("measure_briefs", f"""
    UNWIND $measure_ids AS mid
    MATCH (p:Policy)-[:CONTAINS]->(m:Measure {{id: mid}})
    {SECTION_OF_M}
    WITH p, m, s, [(m)-[r:RESPONSIBLE]->(d:Department) | {{name: d.name, id: d.id, aliases: d.aliases,
         role: r.role, mention: r.mention, evidence_start: r.start, evidence_end: r.end}}] AS departments
    RETURN p.id AS policy_id, p.title AS policy_title, p.doc_no AS doc_no, p.city AS city,
           m.id AS measure_id, m.number AS number, m.title AS measure_title, s.title AS section,
           m.start AS start, m.end AS end, m.kind AS kind, departments,
           CASE WHEN size(departments) > 0 THEN coalesce(m.responsibility, m.text) END AS quote
""", required=("measure_ids",), doc="measures by id with their responsible departments, without their texts")
