"""One text normaliser: how two spellings of the same words are made comparable, everywhere.

Policy files mix full- and half-width letters, digits and punctuation (ＡＩ / AI, （一） / (一)), stray
spaces inside names (临港 新片区) and, in questions, traditional characters. Lookups (department
aliases, gazetteers), tokenisation and question linking all fold text the same way through these
functions, so a name found on one side is found on the other.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Width folded (NFKC): ＡＢＣ１２ → ABC12, full-width punctuation （：） → ASCII (:), ideographic space → space."""
    return unicodedata.normalize("NFKC", text)


def key(text: str) -> str:
    """Lookup key: folded and without whitespace (临港 新片区 and 临港新片区 are one key)."""
    return _SPACES.sub("", fold(text))


def collapse(text: str) -> str:
    """Folded, runs of whitespace made one space, trimmed."""
    return _SPACES.sub(" ", fold(text)).strip()


@functools.cache
def _traditional_chars() -> frozenset[str]:
    """Characters OpenCC would change: lets simplified text skip the (slow) conversion."""
    import opencc

    path = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    chars = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        src, _, dst = line.partition("\t")
        if src and dst and src not in dst.split():
            chars.add(src)
    return frozenset(chars)


@functools.cache
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified (OpenCC), so 繁體 questions match 简体 documents."""
    if not text or _traditional_chars().isdisjoint(text):
        return text
    return _t2s().convert(text)
