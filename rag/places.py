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


_LEVELS = ("province", "city", "county")


def encloses(outer: str, inner: str) -> bool:
    """`inner` lies within `outer` (杭州 within 浙江, 海淀 within 北京): the gazetteer places `inner` one
    level or more below `outer`, under it. Two places of which neither is known are not nested."""
    o, i = locate(outer), locate(inner)
    if not o or not i:
        return False
    depth = max((n for n, k in enumerate(_LEVELS) if o.get(k)), default=-1)
    if depth < 0 or not any(i.get(k) for k in _LEVELS[depth + 1 :]):
        return False
    return all(i.get(k) == o.get(k) for k in _LEVELS[: depth + 1] if o.get(k))

