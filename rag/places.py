"""Places of China named in a question, from the jionlp gazetteer (every province, city and county).

jionlp is imported lazily (it takes seconds and prints a banner to stdout, which must not reach
`policykg ask --json`), only for the questions that need it.
"""

from __future__ import annotations

from functools import cache


@cache
def locate(text: str) -> dict | None:
    """{"province", "city", "county"} when the text begins with a place name of China, else None.

    A phrase that only mentions a place inside a document's name ("深圳人工智能终端行动计划") is
    not a place: the place must make up most of the phrase."""
    from corpus.jurisdiction import parse_location

    try:
        found = dict(parse_location(text))
    except Exception:  # the gazetteer cannot read it: not a place
        return None
    names = [found.get(k) for k in ("county", "city", "province") if found.get(k)]
    if not names:
        return None
    rest = text
    for n in names:
        for form in (n, n.rstrip("省市县区"), n[:2]):
            rest = rest.replace(form, "", 1) if form and form in rest else rest
    return found if len(rest) <= 4 else None
