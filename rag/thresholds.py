"""A grade or threshold the question names (5A级, 四星级, 18层以上, 2万平方米以上), found in a clause.

Tiered clauses state the grade or threshold in the same words the question uses (对评定为3A、4A、5A级
的…分别给予…, 厂房面积达到2万平方米以上的…), written with Arabic or Chinese numerals and 万 as the
writer pleases. A clause that writes the question's grade is evidence for it even when the rest of the
question is worded otherwise ("能卖" for 预售), so a specialised path that found nothing does not refuse
while such a clause is among the best retrieved. The patterns are genre data (intents.yaml `thresholds`).
"""

from __future__ import annotations

import re
import warnings

from corpus.quiet import quiet
from genre import Genre, derived

_WAN = re.compile(r"(\d+(?:\.\d+)?)万(?!元)")


@derived
def _patterns(genre: Genre) -> list[re.Pattern]:
    return [re.compile(p) for p in genre.data("intents").get("thresholds") or []]


def normalise(text: str) -> str:
    """Numbers as Arabic numerals without 万 (十八层 -> 18层, 2万平方米 -> 20000平方米), no spaces."""
    import cn2an

    try:
        with quiet(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # cn2an warns of every numeral word it leaves as written
            text = cn2an.transform(text, "cn2an")
    except Exception:  # a string cn2an cannot read is compared as written
        pass
    text = _WAN.sub(lambda m: f"{float(m.group(1)) * 10000:g}", text)
    return re.sub(r"\s+", "", text)


def asked_thresholds(question: str, *, genre: Genre) -> list[str]:
    """The grades and thresholds the question names, normalised (5A级, 18层, 20000平方米)."""
    text = normalise(question)
    cores = [m.group("core") for p in _patterns(genre) for m in p.finditer(text)]
    return list(dict.fromkeys(c.rstrip("级") if c.endswith(("A级", "星级")) else c for c in cores))


def states_threshold(text: str, cores: list[str]) -> bool:
    """The text writes one of these grades or thresholds (not as part of a longer number: 3级 is not 13级)."""
    if not cores:
        return False
    norm = normalise(text)
    return any(re.search(rf"(?<![\d.]){re.escape(c)}", norm) for c in cores)
