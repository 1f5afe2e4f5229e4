"""Facts from a parsed policy: departments, issuers, targets, dates, support and mentions.

    facts = extract(policy)      # PolicyFacts; every fact has its measure id and span

Each extractor is a small module driven by the lexicon files in genre/data/.
"""

from __future__ import annotations

from corpus.model import Policy
from genre import Genre, use
from kg.extract.dates import extract_dates
from kg.extract.departments import measure_departments, policy_issuers
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
    facts.targets = extract_targets(policy)
    facts.dates = extract_dates(policy)
    facts.supports = extract_support(policy)
    facts.mentions = extract_mentions(policy, city)
    return facts


__all__ = ["extract", "policy_city"]
