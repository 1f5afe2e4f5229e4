"""Regions, organisations and topics named in each measure.

Text is cut into words by jieba with a user dictionary of every lexicon name (kg.lexicon.tokenizer), so
a short region name only counts as a whole word (金山 in 金山区, not inside another word); runs of up to
six words are joined so that names jieba splits (RISC—V 生态街区) are still found, longest first.
"""

from __future__ import annotations

from functools import cache

from corpus.model import Policy
from kg.extract.text import Locator, split
from kg.lexicon import GazetteerEntry, gazetteer, norm, tokenizer
from kg.model import Mention, Span

MAX_WORDS = 6
BODY_SUFFIXES = ("人民政府", "政府", "管委会")


@cache
def alias_table(city: str | None) -> dict[str, GazetteerEntry]:
    """Surface form -> entry for regions of this city (and shared ones) and all organisations."""
    table: dict[str, GazetteerEntry] = {}
    for kind in ("organisation", "region"):
        for entry, forms in gazetteer()[kind]:
            if kind == "region" and entry.city not in (None, city):
                continue
            for form in forms:
                table.setdefault(norm(form), entry)
    return table


def _words(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [(w, start + a, start + b) for w, a, b in tokenizer().tokenize(text[start:end]) if w.strip()]


def named_in(text: str, start: int, end: int, city: str | None) -> list[tuple[GazetteerEntry, int, int]]:
    """Regions and organisations in text[start:end] with their offsets, longest match first."""
    table = alias_table(city)
    words = _words(text, start, end)
    found: list[tuple[GazetteerEntry, int, int]] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            a, b = words[i][1], words[i + n - 1][2]
            entry = table.get(norm(text[a:b])) or (_without_body_suffix(table, text[a:b]) if n == 1 else None)
            if entry:
                found.append((entry, a, b))
                i += n
                break
        else:
            i += 1
    return found


def _without_body_suffix(table: dict[str, GazetteerEntry], word: str) -> GazetteerEntry | None:
    """浦东新区政府 / 临港新片区管委会 name their region too."""
    key = norm(word)
    for suffix in BODY_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return table.get(key[: -len(suffix)])
    return None


def _topic_mentions(text: str, start: int, end: int, measure_id: str | None) -> list[Mention]:
    out: list[Mention] = []
    body = text[start:end]
    for entry, forms in gazetteer()["topic"]:
        hits = [(body.find(f), f) for f in forms if f in body]
        if hits:
            pos, form = min(hits)
            out.append(Mention("topic", entry.name, form,
                               Span(measure_id, start + pos, start + pos + len(form), form)))
    return out


def extract_mentions(policy: Policy, city: str | None) -> dict[str, list[Mention]]:
    """measure id -> regions, organisations and topics it names."""
    loc = Locator(policy)
    text = policy.text
    found: dict[str, dict[tuple[str, str], Mention]] = {}
    for key, a, b in [(m.id, m.start, m.end) for m in loc.measures]:
        mentions = found.setdefault(key, {})
        for entry, s, e in named_in(text, a, b, city):
            sa, sb = _sentence(text, s, a, b)
            mentions.setdefault((entry.kind, entry.name), Mention(
                entry.kind, entry.name, text[s:e], Span(key, s, e, text[sa:sb])))
        for mention in _topic_mentions(text, a, b, key):
            mentions.setdefault((mention.kind, mention.name), mention)
    return {key: list(m.values()) for key, m in found.items() if m}


def _sentence(text: str, s: int, lo: int, hi: int) -> tuple[int, int]:
    for a, b in split(text, lo, hi):
        if a <= s < b:
            return a, b
    return s, s
