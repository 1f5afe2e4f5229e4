"""Short names a document defines for itself: …（以下简称“X”）, （以下统称X）, （下称X）, 《…》（简称《X》）.

Chinese administrative texts name a body, a programme or a document in full once and then use the
short form: …临港新片区管理委员会（以下简称管委会）负责…; later clauses say only 管委会. A reader
that does not know the definition cannot tell who 管委会 is, so every definition is read once per
document and handed downstream: department resolution maps the short name back to the full body, and
`terms` gives the pairs a question may use either way (管委会 / …临港新片区管理委员会, 新片区 / …临港新片区), which
retrieval adds to the clauses that use one of them and question linking to the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from genre import Genre

#: the standard markers of a definition in brackets, and the short name they give (quotes optional)
DEFINITION = re.compile(
    r"[（(](?:以下简称|以下统称|以下称|简称|统称|下称)[:：]?\s*[“\"「《]?(?P<short>[^”\"」》（）()，,。；;]{1,24}?)[”\"」》]?[）)]")
_CLAUSE_START = re.compile(r"[，,。；;：:、！？\n|]")  # | : a table cell ends (a cell never runs on into the next)
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


_DEFINING = re.compile(r"是指|所称|系指|^指|^具有|根据|依据|按照")  # a definition or a reference, not a name
_OPENING = re.compile(r"^.*?(?:适用于|设立|成立|组建|设置|批准)[^，,。；;]*?的")  # 本办法适用于经…设立的X: X


def terms(aliases: list[Alias], kinds: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(short, full) pairs that name the same thing, for retrieval and linking: the full name without
    the clause that introduces it (本办法适用于经国务院批准设立的X → X); definitions of a term's meaning
    (政务部门是指…), references to another document (《办法》 for the document cited) and short names
    that are only a kind of document (`kinds`: 办法, 细则 …) are left out."""
    out: list[tuple[str, str]] = []
    for a in aliases:
        short = a.short.strip("《》“”\"「」 ").removeprefix("本")
        if len(short) < 2 or short in kinds or _DEFINING.search(a.full):
            continue
        full = _OPENING.sub("", a.full).strip("《》“”\"「」 ")
        if 2 <= len(full) <= 40 and full != short and (short, full) not in out:
            out.append((short, full))
    return out


TERM_SEPARATOR = "＝"  # how a (short, full) pair is written as one string: 新片区＝…临港新片区


def defined_terms(aliases: list[Alias], *, genre: Genre) -> list[tuple[str, str]]:
    """`terms` of a document's definitions, leaving out short names that are only a kind of document
    (the grammar's title suffixes: 办法, 细则, 意见 …)."""
    from corpus.grammar import grammar

    return terms(aliases, grammar(genre).title_suffixes)
