"""Short names a document defines for itself: …（以下简称“X”）, （以下统称X）, （下称X）, 《…》（简称《X》）.

Chinese administrative texts name a body, a programme or a document in full once and then use the
short form: 市医疗保险经办机构（以下简称医保经办机构）负责…; later clauses say only 医保经办机构. A reader
that does not know the definition cannot tell who 医保经办机构 is, so every definition is read once per
document and handed downstream (department resolution maps the short name back to the full body).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: the standard markers of a definition in brackets, and the short name they give (quotes optional)
DEFINITION = re.compile(
    r"[（(](?:以下简称|以下统称|以下称|简称|统称|下称)[:：]?\s*[“\"「《]?(?P<short>[^”\"」》（）()，,。；;]{1,24}?)[”\"」》]?[）)]")
_CLAUSE_START = re.compile(r"[，,。；;：:、！？\n]")
_NUMBER = re.compile(r"^\s*(?:第[一二三四五六七八九十百零〇\d]+[条章节款]|[（(][一二三四五六七八九十\d]{1,3}[)）]|"
                     r"[一二三四五六七八九十]{1,3}、|\d{1,3}[.．、])\s*")
_QUOTED = re.compile(r"[“\"「《](?P<inner>[^”\"」》]{2,60})[”\"」》]\s*$")


@dataclass(frozen=True)
class Alias:
    """A short name and the phrase it stands for, with the offsets of both in the policy text."""

    short: str
    full: str  # the phrase before the definition, back to its clause start (or the quoted name)
    full_start: int
    start: int  # the definition bracket
    end: int


def read_aliases(text: str) -> list[Alias]:
    """Every definition of a short name in `text`, in order; a short name defined twice keeps its first."""
    out: dict[str, Alias] = {}
    for m in DEFINITION.finditer(text):
        short = m.group("short").strip()
        starts = [c.end() for c in _CLAUSE_START.finditer(text, max(0, m.start() - 80), m.start())]
        a = starts[-1] if starts else max(0, m.start() - 80)
        phrase = text[a:m.start()]
        quoted = _QUOTED.search(phrase)
        if quoted:  # 网站“…服务平台”(以下简称“服务平台”): the quoted name is the full one
            a, phrase = a + quoted.start("inner"), quoted.group("inner")
        number = _NUMBER.match(phrase)  # 第二条 本办法适用于…: the article's number is not the name
        if number:
            a, phrase = a + number.end(), phrase[number.end():]
        lead = len(phrase) - len(phrase.lstrip(" \t\u3000"))
        full = phrase.strip(" \t\u3000")
        if short and full and short != full and short not in out:
            out[short] = Alias(short, full, a + lead, m.start(), m.end())
    return list(out.values())
