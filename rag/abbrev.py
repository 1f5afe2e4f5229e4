"""Documents named by an abbreviation of their title.

People name a policy the way Chinese shortens any long name: by keeping some characters of it in
their order (电子商务 -> 电商, 第十三个五年规划纲要 -> 十三五纲要, 引进人才入户管理办法实施细则 -> 人才入户
细则, 人才购买商品住房 -> 人才买房), or by a standard short form the thesaurus knows (人工智能 / AI).
Title bigrams miss the first kind (电商 shares no bigram with 电子商务), so a name is matched against
a title as an ordered subsequence of its characters, each weighted by its rarity among the titles:
the characters every title has (的, 关于, 发展) say little, those of the subject (商, 涝, 终端) much."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence

# Words that name no kind of document (柳河县的重点产业政策, 这个文件): a title need not write them.
_BARE_KIND = re.compile(r"(?:的)?(?:政策|文件|那个|这个)+$")
_NOT_CONTENT = re.compile(r"[\s的、，,。？?“”\"《》（）()·—-]")

ABBREVIATION_MIN = 0.6  # share of a name's weighted characters a title must contain in order
ABBREVIATION_MARGIN = 0.1  # the best title must lead the next by this much to be the one named


def char_weights(titles: Iterable[str]) -> Callable[[str], float]:
    """IDF of each character over the titles (a character in every title weighs about nothing; one in
    none, the AI of AI规划, weighs most: a title must say it, or its long form, to be named)."""
    titles = [t.lower() for t in titles if t]
    df: dict[str, int] = {}
    for t in titles:
        for ch in set(t):
            df[ch] = df.get(ch, 0) + 1
    n = len(titles)
    unseen = math.log((n + 1) / 0.5)
    weights = {ch: math.log((n + 1) / (d + 0.5)) for ch, d in df.items()}
    return lambda ch: weights.get(ch, unseen)


def name_core(name: str) -> str:
    """The characters of a name that a title should contain: no bare kind word, no punctuation."""
    return _NOT_CONTENT.sub("", _BARE_KIND.sub("", name.strip())).lower()


def ordered_coverage(name: str, title: str, weight: Callable[[str], float]) -> float:
    """The weighted share of the name's characters that the title contains in the same order
    (the heaviest common subsequence), 0..1."""
    name, title = name.lower(), title.lower()
    total = sum(weight(c) for c in name)
    if not name or total <= 0:
        return 0.0
    # best[j]: the heaviest subsequence of the name so far matched within title[:j]
    best = [0.0] * (len(title) + 1)
    for c in name:
        w = weight(c)
        row = [0.0] * (len(title) + 1)
        for j, t in enumerate(title, 1):
            row[j] = max(row[j - 1], best[j], best[j - 1] + w if t == c else 0.0)
        best = row
    return best[-1] / total


def name_variants(name: str, synonyms: Callable[[str], Sequence[str]], terms: Iterable[str]) -> list[str]:
    """The name with each thesaurus term it writes replaced by the term's other forms (AI规划 ->
    人工智能规划): a standard short form that keeps no character of its long one."""
    variants = [name]
    low = name.lower()
    for term in terms:
        if len(term) >= 2 and term in low:
            variants += [low.replace(term, other) for other in synonyms(term) if len(other) >= 2 and other != term]
    return list(dict.fromkeys(variants))


class TitleIndex:
    """The titles of a corpus, ready for abbreviation lookups: their characters' rarity and, for each
    character, the titles that write it. A lookup reads only the titles holding one of the name's
    rarest characters, so its cost follows how many titles share them, not how many there are."""

    def __init__(self, titles: dict[str, str]) -> None:
        self.titles = dict(titles)
        self.weight = char_weights(self.titles.values())
        self._cores = {pid: name_core(t or "") for pid, t in self.titles.items()}
        self._postings: dict[str, set[str]] = {}
        for pid, core in self._cores.items():
            for ch in set(core):
                self._postings.setdefault(ch, set()).add(pid)

    def candidates(self, form: str) -> set[str]:
        """The titles that can reach ABBREVIATION_MIN for this name: a title missing all of the name's
        rarest characters that together weigh more than 1 − ABBREVIATION_MIN of it cannot."""
        total = sum(self.weight(c) for c in form)
        needed, found = (1.0 - ABBREVIATION_MIN) * total, set()
        for ch in sorted(set(form), key=self.weight, reverse=True):
            found |= self._postings.get(ch, set())
            needed -= self.weight(ch) * form.count(ch)
            if needed < 0:
                break
        return found

    def named(self, name: str, within: set[str] | None = None,
              variants: Callable[[str], list[str]] | None = None) -> set[str]:
        """The policy ids (of `within`, or all) whose titles a name abbreviates: those whose ordered
        coverage of the name is at least ABBREVIATION_MIN and within ABBREVIATION_MARGIN of the best —
        none when the best does not reach the minimum (the name is no abbreviation of any title)."""
        core = name_core(name)
        if len(core) < 2:
            return set()
        forms = [f for f in (name_core(v) for v in (variants(core) if variants else [core])) if f]
        scores: dict[str, float] = {}
        for form in forms:
            for pid in self.candidates(form):
                if within and pid not in within:
                    continue
                score = ordered_coverage(form, self._cores[pid], self.weight)
                scores[pid] = max(scores.get(pid, 0.0), score)
        if not scores:
            return set()
        top = max(scores.values())
        if top < ABBREVIATION_MIN:
            return set()
        return {pid for pid, s in scores.items() if s >= top - ABBREVIATION_MARGIN}
