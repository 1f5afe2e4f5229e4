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
        for form in written_forms(n):
            rest = rest.replace(form, "", 1) if form and form in rest else rest
    return found if len(rest) <= 4 else None


def written_forms(name: str) -> tuple[str, str, str]:
    """How a gazetteer name is written in text: whole (阿坝藏族羌族自治州), without its level suffix
    (广东), or by its first two characters (阿坝)."""
    return name, name.rstrip("省市县区"), name[:2]


def opening(text: str) -> str:
    """The place the text opens with, as written (成都 of 成都人才入户细则, 广东省 of 广东省公共数据, 阿坝州
    of 阿坝州政务数据), "" when none: the shortest opening the gazetteer locates gives the levels, each
    read in one of its written forms, with the level suffix a short form is written with (州, 市, 省)."""
    found = next((f for n in range(2, min(len(text), 8) + 1) if (f := locate(text[:n])) is not None), {})
    i = 0
    for name in filter(None, (found.get(k) for k in ("province", "city", "county"))):
        form = next((f for f in written_forms(name) if f and text.startswith(f, i)), "")
        i += len(form)
        i += bool(form and form != name and text[i:i + 1] and text[i] in "省市县区州盟旗")
    return text[:i]


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

