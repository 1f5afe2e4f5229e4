"""Chinese and Arabic numerals as the genre writes them: 十二, 二〇二三, 两, ２, ①.

One converter for the whole project; the arithmetic of Chinese numerals is cn2an's (a kept library)
rather than a hand-written parser. This module only decides what counts as a numeral at all, so that
ordinary words are never read as numbers.
"""

from __future__ import annotations

import unicodedata

CN_DIGITS = "零〇一二三四五六七八九两"
CN_UNITS = "十百千万亿"
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def numeral_value(s: str) -> int | None:
    """The value of an Arabic or Chinese numeral (一 .. 九千九百九十九, 二〇二三 digit by digit, ①);
    None if `s` is not a numeral."""
    s = s.strip().translate(_FULLWIDTH_DIGITS)
    if not s:
        return None
    if s.isdecimal():
        return int(s)
    if len(s) == 1 and s not in CN_DIGITS and s not in CN_UNITS and unicodedata.numeric(s, 0) >= 1:
        return int(unicodedata.numeric(s))  # circled numbers: ① is 1, ⑳ is 20 (int() refuses them)
    if any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in s):
        return None
    import cn2an  # here, not at the top: importing it costs most of a second of every process start

    try:
        value = cn2an.cn2an(s, "normal")
    except (ValueError, KeyError, IndexError):
        return None
    return int(value)
