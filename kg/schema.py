"""The graph model in one place: labels, their key and properties, relationship types, indexes.

Node keys are strings made by the writer; every node label has a unique `id` except the small
vocabularies (Beneficiary, Topic, Organisation, City) which are keyed by `name`.

    (Policy)-[:HAS_SECTION]->(Section)-[:HAS_SECTION]->(Section)        nested sections
    (Section)-[:HAS_MEASURE]->(Measure)
    (Policy)-[:CONTAINS]->(Measure)                                      shortcut for queries
    (Measure)-[:RESPONSIBLE {role, mention, start, end}]->(Department)   role: responsible|lead|co-lead|participant
    (Policy)-[:ISSUED_BY {mention}]->(Department)
    (Policy)-[:SETS]->(Target)          (Measure)-[:SETS]->(Target)      where stated in a measure
    (Measure)-[:OFFERS]->(Support)-[:FOR]->(Beneficiary)
    (Measure)-[:HAS_DEADLINE]->(Deadline)
    (Measure)-[:IN_REGION]->(Region)
    (Measure|Target|Support)-[:ABOUT]->(Topic)
    (Measure)-[:MENTIONS]->(Organisation)
    (Policy)-[:OF_CITY]->(City)         (Department)-[:OF_CITY]->(City)   (Region)-[:OF_CITY]->(City)
    (Policy)-[:IN_JURISDICTION]->(Jurisdiction)-[:PART_OF]->(Jurisdiction)… -[:PART_OF]->(Jurisdiction 全国)
        a district under its city, a city under its province, a province under 全国; `level` on each
        (national / provincial / city / district / zone), and on the Policy with its status.
"""

from __future__ import annotations

NODE_KEYS: dict[str, str] = {
    "Policy": "id",
    "Section": "id",
    "Measure": "id",
    "Department": "id",
    "Target": "id",
    "Support": "id",
    "Deadline": "id",
    "Region": "id",
    "Beneficiary": "name",
    "Topic": "name",
    "Organisation": "name",
    "City": "name",
    "Jurisdiction": "id",  # the path of names: 广东省/广州市/天河区 (district names repeat across China)
}

NODE_PROPERTIES: dict[str, tuple[str, ...]] = {
    "Policy": ("id", "title", "doc_no", "issuers", "city", "issued", "published", "effective", "expiry",
               "period", "source_url", "index_no", "sha256", "path", "text_source", "status", "level",
               "level_word", "jurisdiction", "province", "title_source", "terms"),
    "Section": ("id", "policy_id", "number", "title", "level", "kind", "start", "end"),
    "Measure": ("id", "policy_id", "section_id", "number", "title", "text", "start", "end", "kind",
                "responsibility"),
    "Department": ("id", "name", "city", "kind", "aliases"),
    "Target": ("id", "policy_id", "measure_id", "text", "metric", "value", "value_max", "unit",
               "comparator", "year", "start", "end", "quote"),
    "Support": ("id", "policy_id", "measure_id", "kind", "text", "amount", "rate", "cap", "condition",
                "deadline", "window", "tiers", "condition_starts", "condition_ends", "start", "end",
                "quote"),
    "Deadline": ("id", "policy_id", "measure_id", "kind", "text", "date", "date_end", "start", "end",
                 "quote"),
    "Region": ("id", "name", "city"),
    "Beneficiary": ("name",),
    "Topic": ("name",),
    "Organisation": ("name",),
    "City": ("name",),
    "Jurisdiction": ("id", "name", "level", "province"),
}

RELATIONSHIPS: tuple[str, ...] = (
    "HAS_SECTION", "HAS_MEASURE", "CONTAINS", "RESPONSIBLE", "ISSUED_BY", "SETS", "OFFERS", "FOR",
    "HAS_DEADLINE", "IN_REGION", "ABOUT", "MENTIONS", "OF_CITY", "IN_JURISDICTION", "PART_OF",
)

# Nodes owned by one policy (deleted with it). Shared vocabularies (Department, Region, Beneficiary,
# Topic, Organisation, City) are kept while any policy still references them.
POLICY_OWNED: tuple[str, ...] = ("Section", "Measure", "Target", "Support", "Deadline")
SHARED: tuple[str, ...] = ("Department", "Region", "Beneficiary", "Topic", "Organisation", "City")

# Extra (non-key) properties worth an index, for lookups by name and by owning policy. Only what a
# query looks up by equality: FalkorDB rebuilds every index whenever the server loads its snapshot,
# and at 10,000 documents unused ones (Measure.title, Support.kind, Target.year: filtered after a
# traversal or searched with CONTAINS, never looked up) added a tenth of a second or more to it.
INDEXED: dict[str, tuple[str, ...]] = {
    "Department": ("name", "city"),
    "Measure": ("policy_id",),
    "Section": ("policy_id",),
    "Target": ("policy_id",),
    "Support": ("policy_id",),
    "Deadline": ("policy_id",),
    "Policy": ("doc_no", "city", "level", "jurisdiction"),
    "Jurisdiction": ("name",),
    "Region": ("name",),
}
