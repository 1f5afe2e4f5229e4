"""Regions, organisations and topics named in each measure.

Text is cut into words by jieba with a user dictionary of every lexicon name (kg.lexicon.tokenizer), so
a short region name only counts as a whole word (金山 in 金山区, not inside another word); runs of up to
six words are joined so that names jieba splits (RISC—V 生态街区) are still found, longest first.

Most measures name nothing, so the measure is normalised once and searched for every name first; only
measures that contain one are cut into words, and each run of words is looked up by slicing that one
normalised text instead of normalising every run again.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from corpus.model import Policy
from genre import Genre, derived
from kg.extract.text import Locator, split
from kg.lexicon import GazetteerEntry, gazetteer, norm, tokenizer
from kg.model import Mention, Span

MAX_WORDS = 6
BODY_SUFFIXES = ("人民政府", "政府", "管委会")


@derived
def alias_table(genre: Genre, city: str | None) -> dict[str, GazetteerEntry]:
    """Surface form -> entry for regions of this city (and shared ones) and all organisations."""
    table: dict[str, GazetteerEntry] = {}
    for kind in ("organisation", "region"):
        for entry, forms in gazetteer(genre)[kind]:
            if kind == "region" and entry.city not in (None, city):
                continue
            for form in forms:
                table.setdefault(norm(form), entry)
    return table


@derived
def alias_pattern(genre: Genre, city: str | None) -> re.Pattern[str]:
    """Any key of alias_table(city) (or a key followed by a body suffix, which contains it)."""
    keys = sorted(alias_table(genre, city), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys)) or r"(?!)")


@cache
def _left_joiners() -> frozenset[str]:
    """Characters NFKC may merge into the character before them: the second half of a canonical
    composition, and Hangul vowel and final jamo (composed by rule, not listed in the database)."""
    joiners = {chr(c) for c in [*range(0x1161, 0x1176), *range(0x11A8, 0x11C3)]}
    for code in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            joiners.add(chr(int(parts[1], 16)))
    return frozenset(joiners)


@cache
def _char_key(ch: str) -> str | None:
    """norm(ch), or None when normalising ch next to the character before it may give something else."""
    first = unicodedata.normalize("NFKD", ch)[0]
    if unicodedata.combining(first) or first in _left_joiners():
        return None
    return norm(ch)


@dataclass(frozen=True)
class NormalisedSpan:
    """norm() of text[start:end] plus, for every offset, where it lands in the normalised text.

    Built only when no character can combine with the one before it; then norm() of any slice is
    the slice of the normalised text between the mapped offsets, so runs of words need no norm() call.
    """

    key: str
    offsets: tuple[int, ...]
    start: int

    @classmethod
    def of(cls, text: str, start: int, end: int) -> NormalisedSpan | None:
        pieces = [_char_key(ch) for ch in text[start:end]]
        if None in pieces:
            return None
        return cls("".join(pieces), (0, *accumulate(map(len, pieces))), start)

    def slice(self, a: int, b: int) -> str:
        """norm(text[a:b]) for start <= a <= b <= end."""
        return self.key[self.offsets[a - self.start]:self.offsets[b - self.start]]


def _words(text: str, start: int, end: int, *, genre: Genre) -> list[tuple[str, int, int]]:
    return [(w, start + a, start + b) for w, a, b in tokenizer(genre).tokenize(text[start:end]) if w.strip()]


def named_in(text: str, start: int, end: int, city: str | None, *, genre: Genre) -> list[tuple[GazetteerEntry, int, int]]:
    """Regions and organisations in text[start:end] with their offsets, longest match first."""
    table = alias_table(genre, city)
    span = NormalisedSpan.of(text, start, end)
    if span is not None and not alias_pattern(genre, city).search(span.key):
        return []  # every run's key is a slice of span.key, so none can be a name
    key = span.slice if span is not None else (lambda a, b: norm(text[a:b]))
    words = _words(text, start, end, genre=genre)
    found: list[tuple[GazetteerEntry, int, int]] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            a, b = words[i][1], words[i + n - 1][2]
            k = key(a, b)
            entry = table.get(k) or (_without_body_suffix(table, k) if n == 1 else None)
            if entry:
                found.append((entry, a, b))
                i += n
                break
        else:
            i += 1
    return found


def _without_body_suffix(table: dict[str, GazetteerEntry], key: str) -> GazetteerEntry | None:
    """浦东新区政府 / 临港新片区管委会 name their region too (key is already normalised)."""
    for suffix in BODY_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return table.get(key[: -len(suffix)])
    return None


def _topic_mentions(text: str, start: int, end: int, measure_id: str | None, *, genre: Genre) -> list[Mention]:
    out: list[Mention] = []
    body = text[start:end]
    for entry, forms in gazetteer(genre)["topic"]:
        hits = [(body.find(f), f) for f in forms if f in body]
        if hits:
            pos, form = min(hits)
            out.append(Mention("topic", entry.name, form,
                               Span(measure_id, start + pos, start + pos + len(form), form)))
    return out


def extract_mentions(policy: Policy, city: str | None, *, genre: Genre) -> dict[str, list[Mention]]:
    """measure id -> regions, organisations and topics it names."""
    loc = Locator(policy)
    text = policy.text
    found: dict[str, dict[tuple[str, str], Mention]] = {}
    for key, a, b in [(m.id, m.start, m.end) for m in loc.measures]:
        mentions = found.setdefault(key, {})
        for entry, s, e in named_in(text, a, b, city, genre=genre):
            sa, sb = _sentence(text, s, a, b)
            mentions.setdefault((entry.kind, entry.name), Mention(
                entry.kind, entry.name, text[s:e], Span(key, s, e, text[sa:sb])))
        for mention in _topic_mentions(text, a, b, key, genre=genre):
            mentions.setdefault((mention.kind, mention.name), mention)
    return {key: list(m.values()) for key, m in found.items() if m}


def _sentence(text: str, s: int, lo: int, hi: int) -> tuple[int, int]:
    for a, b in split(text, lo, hi):
        if a <= s < b:
            return a, b
    return s, s
