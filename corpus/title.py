"""A title for a document that prints none, in the genre's own form, from its preamble.

Real documents saved from a portal's body, or published as a page without masthead, often start with
the preamble: 为促进房地产市场平稳健康发展，……，结合我市实际，制定本措施。 The genre names such a
document 〈place〉关于〈aim〉的〈kind〉 — the place that issues it, the aim the preamble states and the kind
of document it says it is — and that is how a person would refer to it. A document that names itself
in full (编制广西壮族自治区……规划纲要) takes that name. The patterns live in genre/data/grammar.yaml.
"""

from __future__ import annotations

import re

from genre import Genre, derived

_CLAUSE = re.compile(r"[，,；;。：:]")


@derived
def _rules(genre: Genre) -> dict[str, re.Pattern] | None:
    data = genre.data("grammar").get("derived_title")
    return {k: re.compile(v) for k, v in data.items()} if data else None


def title_from_preamble(paragraphs: list[str], suffixes: tuple[str, ...], place: str | None, *, genre: Genre) -> str | None:
    """〈place〉关于〈aim〉的〈kind〉 from the first preamble sentence that says what the document is
    (制定本〈kind〉 / 通知如下), or the name it gives itself; None when no sentence says it."""
    rules = _rules(genre)
    if rules is None:
        return None
    for para in paragraphs[:6]:
        for sentence in re.split(r"(?<=[。！])", para):
            title = _from_sentence(sentence, rules, suffixes, place)
            if title:
                return title
    return None


def _from_sentence(sentence: str, rules: dict[str, re.Pattern], suffixes: tuple[str, ...],
                   place: str | None) -> str | None:
    clauses = [c.strip(" \u3000\t“”") for c in _CLAUSE.split(sentence) if c.strip()]
    for i, clause in enumerate(clauses):
        kind = _kind(clause, rules, suffixes)
        if kind is None:
            continue
        relative = re.match(r"^(?:本|如下|以下)", kind)
        if not relative and kind != "通知" and not re.match(r"^[\d一二三四五六七八九十]+条", kind):
            return kind  # the document names itself: 编制〈广西……规划纲要〉
        aim = _aim(clauses[:i], rules)
        if aim is None:
            return None
        kind = kind[relative.end():] if relative else kind
        aim = re.sub(r"的(问题|需求|困难)$", r"\1", aim)  # 关于解决…问题的细则, not …的问题的细则
        aim = rules["own_place"].sub("", aim) if place else rules["own_place"].sub("本地", aim)
        return f"{place or ''}关于{aim}的{kind}"
    return None


def _kind(clause: str, rules: dict[str, re.Pattern], suffixes: tuple[str, ...]) -> str | None:
    if rules["notice"].search(clause):
        return "通知"
    m = rules["made"].match(clause)
    if m and m.group("name").endswith(suffixes):
        return m.group("name")
    return None


def _aim(clauses: list[str], rules: dict[str, re.Pattern]) -> str | None:
    """The stated aim: the first aim clause the genre names documents by (…发展), else the last aim."""
    aims = [m.group("aim") for c in clauses if (m := rules["aim"].match(c))]
    preferred = [a for a in aims if rules["preferred_aim"].search(a)]
    return (preferred or aims[-1:] or [None])[0]
