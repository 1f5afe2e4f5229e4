"""A company profile: "我们是X区一家规上制造企业，去年研发投入…" — every support that may apply there.

The profile is read from the question itself: where the company is (the jionlp gazetteer, then the
place's city and province above it), what it is (traits the genre lists: 规上, 专精特新, 高新技术企业 …)
and its figures ("增长了1500万元"). The supports are the support sentences of the documents of each
level; each condition a sentence sets is marked met / not met / unknown from what the profile says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from genre import read_data

_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)\s*(亿|万)?元")


@dataclass
class Profile:
    place: str | None = None  # as the question writes it
    levels: list[str] = field(default_factory=list)  # the place, then its city and province
    traits: list[str] = field(default_factory=list)
    amounts: list[float] = field(default_factory=list)  # figures the profile states, in 万元


def _data() -> dict:
    return read_data("answer").get("profile") or {}


def read_profile(question: str) -> Profile | None:
    """The profile a question describes, or None when it does not describe one."""
    data = _data()
    opener = data.get("opener")
    m = re.search(opener, question) if opener else None
    if not m:
        return None
    from rag.places import locate

    where = m.group("where") or ""
    found = locate(where) if where else None
    levels = [found[k] for k in ("county", "city", "province") if found and found.get(k)]
    traits = [t for t in data.get("traits") or [] if t in question]
    return Profile(place=where or None, levels=levels, traits=traits, amounts=amounts_in(question))


def amounts_in(text: str) -> list[float]:
    """Every amount written in yuan, in 万元."""
    out = []
    for value, unit in _AMOUNT.findall(text):
        v = float(value)
        out.append(v * 10000 if unit == "亿" else v if unit == "万" else v / 10000)
    return out


def conditions(sentence: str, profile: Profile) -> list[tuple[str, str]]:
    """(condition, 已满足 | 不满足 | 未知) for each condition the sentence sets that the profile can speak to:
    a trait it names, and an amount threshold ("超过1000万元", "1000万元以上")."""
    data = _data()
    out: list[tuple[str, str]] = []
    for trait in data.get("traits") or []:
        if trait in sentence:
            out.append((trait, "已满足" if trait in profile.traits else "未知"))
    for m in re.finditer(data.get("threshold") or r"$^", sentence):
        limit = amounts_in(m.group(0))
        if not limit:
            continue
        if not profile.amounts:
            out.append((m.group(0), "未知"))
        else:
            out.append((m.group(0), "已满足" if max(profile.amounts) >= limit[0] else "不满足"))
    return out
