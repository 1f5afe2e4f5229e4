"""Facts from a parsed policy: departments, issuers, targets, dates, support and mentions.

    facts = extract(policy)      # PolicyFacts; every fact has its measure id and span

Each extractor is a small module driven by the lexicon files in genre/data/.
"""

from __future__ import annotations

from corpus.model import Policy
from genre import Genre
from genre import resolve as resolve_genre
from kg.extract.dates import extract_dates
from kg.extract.departments import (
    inherited_from_intro,
    measure_departments,
    policy_issuers,
    tasks_named_elsewhere,
)
from kg.extract.mentions import extract_mentions
from kg.extract.responsibility import body_aliases
from kg.extract.support import extract_support
from kg.extract.targets import extract_targets
from kg.extract.text import body_start
from kg.lexicon import city_of_doc_no, guess_city, normalize_city
from kg.model import PolicyFacts


def policy_city(policy: Policy, *, genre: Genre) -> str | None:
    """The policy's city: metadata first, else the first city its 文号, title or issuers name."""
    meta = policy.meta
    return normalize_city(meta.city, genre=genre) or city_of_doc_no(meta.doc_no, genre=genre) or guess_city(meta.title, " ".join(meta.issuers), policy.text[:400], genre=genre)


def extract(policy: Policy, genre: Genre | None = None) -> PolicyFacts:
    """Every fact the graph stores for one policy (`genre`: the genre data to use; None: the packaged one)."""
    return _extract(policy, genre=resolve_genre(genre))


def _extract(policy: Policy, *, genre: Genre) -> PolicyFacts:
    city = policy_city(policy, genre=genre)
    facts = PolicyFacts(policy=policy, city=city)
    facts.issuers = policy_issuers(policy, city, body_start(policy), genre)
    aliases = body_aliases(policy.aliases, city, genre)  # 管委会 after …管理委员会（以下简称管委会）
    for measure in policy.measures():
        refs, unresolved = measure_departments(policy, measure, city, genre, aliases)
        if refs:
            facts.departments[measure.id] = refs
        facts.unresolved += unresolved
    facts.departments.update(tasks_named_elsewhere(policy, facts.departments))  # 组织实施: 科技部负责推进<task>
    facts.departments.update(inherited_from_intro(policy, facts.departments))  # （一）…。由X牵头，Y配合。 1. 2. 3.
    facts.targets = extract_targets(policy, genre=genre)
    facts.dates = extract_dates(policy, genre=genre)
    facts.supports = extract_support(policy, genre=genre)
    facts.mentions = extract_mentions(policy, city, genre=genre)
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
