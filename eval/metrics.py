"""Quality metrics for answers: pure functions over strings, sets and rankings.

Kept free of the pipeline so each can be checked on small hand-made inputs. Text comparison is done on a
normal form (NFKC, no whitespace, one dash) because policy texts and answers differ in spacing
("到 2027 年" / "到2027年") and in dash and bracket width, never in meaning.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_DASHES = re.compile(r"[\u2010-\u2015\u2212\uff0d~\uff5e]")
_SPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]\s+)?\d+[.)]\s+", re.MULTILINE)
_CITE_MARKER = re.compile(r"\[\d+\]")
# Counts the composer writes itself: tallies of the evidence, with a space either side ("共有 7 份文件",
# "19 处", "见于 3 个条款", "（20 项措施）"), and counts of its own items after a counting word ("另有 59 项支持
# 未列出", "共 12 项", "前 6 项", "共 24 个部门", "其中牵头 3 项"). They count the answer's items and state nothing from a document; an amount
# ("另有 59 万元") or a count of a document's things ("符合 5 项条件") is still a claim.
_TALLY = re.compile(r"(?<![\d.])\d+ (?=份文件|处|个条款|项措施|个部门)")
_COUNT = re.compile(r"(另有|共有|合计|还有|其余|共|前|牵头)\s?\d+(?=\s?(?:份|处|项|条(?![件例])|个(?:文件|条款|部门)))")
_GOV_SUFFIX = re.compile(r"(人民政府|政府)$")

Fact = str | Sequence[str]  # one spelling, or equivalent spellings of which any one suffices


_CN_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")


def normalize(text: str | None) -> str:
    """Comparable form: NFKC width folding, no whitespace, every dash a hyphen, dates as ISO
    (2028年12月14日 and 2028-12-14 state the same date)."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    folded = _DASHES.sub("-", _SPACE.sub("", folded))
    folded = _CN_DATE.sub(_iso, folded)
    return _ISO_DATE.sub(_iso, folded)


def _iso(m: re.Match) -> str:
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"


def fact_spellings(fact: Fact) -> list[str]:
    """A fact's accepted spellings, as strings (YAML may give numbers)."""
    if isinstance(fact, str | int | float):
        return [str(fact)]
    return [str(f) for f in fact]


def has_fact(text: str, fact: Fact) -> bool:
    """True when any spelling of the fact occurs in the text (normal forms)."""
    hay = normalize(text)
    return any(normalize(s) in hay for s in fact_spellings(fact) if normalize(s))


def missing_facts(text: str, facts: Iterable[Fact]) -> list[Fact]:
    """The expected facts that the text does not contain."""
    return [f for f in facts if not has_fact(text, f)]


# -- departments --------------------------------------------------------------------------------

def department_keys(name: str) -> set[str]:
    """Spellings under which a department may be compared: as given and without a 政府 suffix.

    浦东新区政府 and 浦东新区 are one body (the district acts through its government)."""
    key = normalize(name)
    return {key, _GOV_SUFFIX.sub("", key)} - {""}


def same_department(predicted: str, names: Iterable[str]) -> bool:
    """True when the predicted name is one of the given spellings of one body."""
    keys = department_keys(predicted)
    return any(keys & department_keys(n) for n in names)


@dataclass
class SetScore:
    """True positives, false positives and false negatives of one predicted set."""

    tp: int
    fp: int
    fn: int

    @property
    def exact(self) -> bool:
        return self.fp == 0 and self.fn == 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return f1(self.tp, self.fp, self.fn)


def f1(tp: int, fp: int, fn: int) -> float:
    """F1 from counts; an empty prediction for an empty truth is perfect."""
    if tp + fp + fn == 0:
        return 1.0
    return 2 * tp / (2 * tp + fp + fn)


def score_departments(predicted: Sequence[str], expected: Sequence[Sequence[str]]) -> SetScore:
    """Match predicted names one-to-one against expected bodies, each given by its spellings
    (canonical name first, then the name as written)."""
    unmatched = list(range(len(expected)))
    fp = 0
    for name in dict.fromkeys(normalize(p) for p in predicted if normalize(p)):
        hit = next((i for i in unmatched if same_department(name, expected[i])), None)
        if hit is None:
            fp += 1
        else:
            unmatched.remove(hit)
    return SetScore(tp=len(expected) - len(unmatched), fp=fp, fn=len(unmatched))


def micro_macro_f1(scores: Sequence[SetScore]) -> tuple[float, float]:
    """Micro F1 (pooled counts) and macro F1 (mean of per-question F1)."""
    if not scores:
        return 0.0, 0.0
    micro = f1(sum(s.tp for s in scores), sum(s.fp for s in scores), sum(s.fn for s in scores))
    return micro, sum(s.f1 for s in scores) / len(scores)


# -- retrieval ----------------------------------------------------------------------------------

def first_relevant_rank(ranked: Sequence[str], relevant: set[str]) -> int | None:
    """1-based rank of the first relevant id, None when none is retrieved."""
    return next((i for i, item in enumerate(ranked, 1) if item in relevant), None)


def hit_at_k(rank: int | None, k: int) -> bool:
    return rank is not None and rank <= k


def reciprocal_rank(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def ranking_summary(ranks: Sequence[int | None]) -> dict[str, float]:
    """hit@1, hit@5 and MRR over questions, from each question's first relevant rank."""
    n = len(ranks)
    if not n:
        return {"n": 0, "hit@1": 0.0, "hit@5": 0.0, "mrr": 0.0}
    return {
        "n": n,
        "hit@1": sum(hit_at_k(r, 1) for r in ranks) / n,
        "hit@5": sum(hit_at_k(r, 5) for r in ranks) / n,
        "mrr": sum(reciprocal_rank(r) for r in ranks) / n,
    }


# -- grounding ----------------------------------------------------------------------------------

def numbers_in(text: str | None, layout: bool = True) -> list[str]:
    """Numbers written with digits, in a comparable form (1,000 -> 1000, 09 -> 9, 2.50 -> 2.5).

    In an answer (layout=True) markdown list markers ("1. ") and citation markers ("[2]") are layout,
    not claims, and are skipped; in a quoted clause every number counts."""
    if not text:
        return []
    folded = unicodedata.normalize("NFKC", text)
    if layout:
        folded = _TALLY.sub(" ", _CITE_MARKER.sub(" ", _LIST_MARKER.sub(" ", folded)))
        folded = _COUNT.sub(lambda m: m.group(1) + " ", folded)
    folded = re.sub(r"(?<=\d),(?=\d{3})", "", folded)
    return [_canonical_number(m) for m in _NUMBER.findall(folded)]


def _canonical_number(token: str) -> str:
    if "." in token:
        token = token.rstrip("0").rstrip(".")
    return token.lstrip("0") or "0"


def strip_references(text: str, references: Iterable[str]) -> str:
    """The text without names of documents and clauses (titles, 文号, measure labels): the numbers in
    "沪经信智〔2023〕608号" or "（2025-2027年）" identify a source, they state nothing."""
    folded = unicodedata.normalize("NFKC", text or "")
    for ref in sorted({unicodedata.normalize("NFKC", r) for r in references if r}, key=len, reverse=True):
        folded = folded.replace(ref, " ")
    return folded


def invented_numbers(answer_text: str, evidence: Iterable[str], references: Iterable[str] = (),
                     today: dt.date | None = None) -> list[str]:
    """Numbers the answer states that no evidence text (quotes, question) contains.

    `references` (document titles, 文号, clause labels) are removed from the answer first, and so are
    the dates an answer derives rather than quotes (`derived_dates`): today's date, stated as such, and
    an end date it says it reckoned from a period the quotes give. Any other number still counts."""
    evidence = list(evidence)
    known: set[str] = set()
    for text in evidence:
        known.update(numbers_in(text, layout=False))
    claims = strip_references(answer_text, references)
    for a, b in sorted(derived_dates(claims, evidence, today), reverse=True):
        claims = claims[:a] + " " + claims[b:]
    return list(dict.fromkeys(n for n in numbers_in(claims) if n not in known))


# today's date as an answer states it (按今天（2026年1月1日）的日期); a date it says it reckoned, and
# the start and period it reckoned from (即至 2026年3月31日（自施行之日 2023年4月1日 起按所引期限推算）)
_TODAY = re.compile(r"(?:今天|今日|当前日期|当日)\s*[（(:：]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_RECKONED = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日(?=[^。\n]{0,40}推算)")
_PERIOD = re.compile(r"(?<!\d)([\d一二两三四五六七八九十]{1,3})\s*(年|个月)")


def derived_dates(answer_text: str, evidence: Sequence[str], today: dt.date | None = None) -> list[tuple[int, int]]:
    """Spans of `answer_text` holding a date the answer derived, not quoted: today's date (within a day
    of `today`, the system's date unless given: a run may cross midnight), and a date it says it
    reckoned (…推算) that is a start date of the evidence plus a period the evidence gives (N年 / N个月;
    the period's last day or the day after). A date said to be reckoned that no such sum gives is not
    derived: it still counts as invented."""
    from genre.dates import all_dates
    from genre.numerals import numeral_value

    today = today or dt.date.today()
    spans = []
    for m in _TODAY.finditer(answer_text):
        said = _date(m)
        if said is not None and abs((said - today).days) <= 1:
            spans.append(m.span())
    starts = {d for text in evidence for d in (_from_iso(x) for x in all_dates(text)) if d}
    starts |= {d for text in evidence for d in (_date(m) for m in _ISO_DATE.finditer(text)) if d}  # 2024-07-26
    periods = {(numeral_value(m.group(1)) or 0, m.group(2)) for text in evidence for m in _PERIOD.finditer(text)}
    ends = {end for start in starts for n, unit in periods if 0 < n <= 100 for end in _after(start, n, unit)}
    for m in _RECKONED.finditer(answer_text):
        if _date(m) in ends:
            spans.append(m.span())
    return spans


def _date(m: re.Match) -> dt.date | None:
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _from_iso(iso: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso)
    except ValueError:
        return None


def _after(start: dt.date, n: int, unit: str) -> tuple[dt.date, ...]:
    """The end of a period of `n` years or months from `start`: its last day, and the day after."""
    months = start.month - 1 + (n * 12 if unit == "年" else n)
    year, month = start.year + months // 12, months % 12 + 1
    try:
        end = start.replace(year=year, month=month)
    except ValueError:  # 29 February, the 31st of a short month: the month's last day
        end = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    return end - dt.timedelta(days=1), end


def invented_departments(departments: Iterable[str], evidence: Iterable[str],
                         aliases: dict[str, set[str]] | None = None) -> list[str]:
    """Departments the answer names that occur in no evidence text under any known spelling.

    `aliases` maps a normal-form name to other spellings of the same body (canonical <-> as written)."""
    hay = "\n".join(normalize(t) for t in evidence)
    aliases = aliases or {}
    invented = []
    for name in departments:
        spellings = {name, *aliases.get(normalize(name), set())}
        if not any(key in hay for s in spellings for key in department_keys(s)):
            invented.append(name)
    return invented


# -- abstention ---------------------------------------------------------------------------------

def abstention_outcome(expected: bool, abstained: bool) -> str:
    """'correct', 'false_abstention' (answerable, yet abstained) or 'false_answer' (should abstain)."""
    if expected == abstained:
        return "correct"
    return "false_answer" if expected else "false_abstention"


def abstention_summary(pairs: Sequence[tuple[bool, bool]]) -> dict[str, float]:
    """Accuracy on answerable and on unanswerable questions, from (expected, abstained) pairs."""
    answerable = [a for e, a in pairs if not e]
    unanswerable = [a for e, a in pairs if e]
    correct = sum(abstention_outcome(e, a) == "correct" for e, a in pairs)
    return {
        "accuracy": correct / len(pairs) if pairs else 0.0,
        "answerable": len(answerable),
        "false_abstentions": sum(answerable),
        "answerable_accuracy": 1 - sum(answerable) / len(answerable) if answerable else 0.0,
        "unanswerable": len(unanswerable),
        "false_answers": len(unanswerable) - sum(unanswerable),
        "unanswerable_accuracy": sum(unanswerable) / len(unanswerable) if unanswerable else 0.0,
    }


def rate(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0
