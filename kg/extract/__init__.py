"""Facts from a parsed policy: departments, issuers, targets, dates, support and mentions.

    facts = extract(policy)      # PolicyFacts; every fact has its measure id and span

Each extractor is a small module driven by the lexicon files in genre/data/.
"""

from __future__ import annotations

from corpus.model import Policy
from genre import Genre, use
from kg.extract.dates import extract_dates
from kg.extract.departments import measure_departments, policy_issuers, tasks_named_elsewhere
from kg.extract.mentions import extract_mentions
from kg.extract.responsibility import body_aliases
from kg.extract.support import extract_support
from kg.extract.targets import extract_targets
from kg.extract.text import body_start
from kg.lexicon import city_of_doc_no, guess_city, normalize_city
from kg.model import PolicyFacts


def policy_city(policy: Policy) -> str | None:
    """The policy's city: metadata first, else the first city its 文号, title or issuers name."""
    meta = policy.meta
    return normalize_city(meta.city) or city_of_doc_no(meta.doc_no) or guess_city(meta.title, " ".join(meta.issuers), policy.text[:400])


def extract(policy: Policy, genre: Genre | None = None) -> PolicyFacts:
    """Every fact the graph stores for one policy (`genre`: the genre data to use; default the active one)."""
    with use(genre):
        return _extract(policy)


def _extract(policy: Policy) -> PolicyFacts:
    city = policy_city(policy)
    facts = PolicyFacts(policy=policy, city=city)
    facts.issuers = policy_issuers(policy, city, body_start(policy))
    aliases = body_aliases(policy.aliases, city)  # 管委会 after …管理委员会（以下简称管委会）
    for measure in policy.measures():
        refs, unresolved = measure_departments(policy, measure, city, aliases)
        if refs:
            facts.departments[measure.id] = refs
        facts.unresolved += unresolved
    facts.departments.update(tasks_named_elsewhere(policy, facts.departments))  # 组织实施: 科技部负责推进<task>
    facts.targets = extract_targets(policy)
    facts.dates = extract_dates(policy)
    facts.supports = extract_support(policy)
    facts.mentions = extract_mentions(policy, city)
    return _bounded(facts)


MAX_FACTS_PER_MEASURE = 500  # of one kind; a real clause, indicator tables included, states far fewer


def _bounded(facts: PolicyFacts) -> PolicyFacts:
    """At most MAX_FACTS_PER_MEASURE targets, dates, support items and mentions of one measure.

    WHY: a clause of a few megabytes that repeats 给予补贴 yielded 28,000 support nodes, and every
    question touching that measure then read them all from the graph (seconds per query, and a
    picture of 100,000 edges). The first ones in text order are kept; the clause itself stays whole."""
    cap = MAX_FACTS_PER_MEASURE
    facts.supports = {mid: items[:cap] for mid, items in facts.supports.items()}
    facts.mentions = {mid: items[:cap] for mid, items in facts.mentions.items()}
    for name in ("targets", "dates"):
        seen: dict[str | None, int] = {}
        kept = []
        for item in getattr(facts, name):
            mid = item.span.measure_id if item.span else None
            seen[mid] = seen.get(mid, 0) + 1
            if mid is None or seen[mid] <= cap:
                kept.append(item)
        setattr(facts, name, kept)
    return facts


__all__ = ["extract", "policy_city"]
