"""Dated provisions: deadlines (2024年底前), effective date and validity, plan periods, issue dates.

Resolution to ISO: 年底/年末 -> 12-31; "X月底前" -> last day of month X; "X月前" -> last day of the month
before X (before June = by 31 May); "YYYY年前" -> YYYY-12-31 (the genre's "by YYYY"); validity given in
years (有效期5年) runs from the effective date to the day before the anniversary.
"""

from __future__ import annotations

import re

from corpus.model import Policy
from genre import Genre
from genre.dates import DEADLINE, add_years, iso, month_end, resolve_deadline  # noqa: F401  (re-exported)
from genre.numerals import numeral_value
from kg.extract.departments import DATE_LINE
from kg.extract.support import in_condition
from kg.extract.targets import plan_period
from kg.extract.text import Locator, body_start
from kg.model import DateFact, Span

Y, M, D = r"(\d{4})\s*年", r"(\d{1,2})\s*月", r"(\d{1,2})\s*日"
FULL_DATE = re.compile(rf"{Y}\s*{M}\s*{D}")
EFFECTIVE = re.compile(rf"自\s*{Y}\s*{M}\s*{D}\s*起(?:施行|实施|执行|生效)")
EFFECTIVE_ON_ISSUE = re.compile(r"自(?:印发|发布|公布|颁布)之日起(?:施行|实施|执行|生效)")
EXPIRY = re.compile(rf"有效期(?:至|到)\s*{Y}\s*{M}\s*{D}")
VALIDITY_YEARS = re.compile(r"有效期\s*(?:为)?\s*(\d+|[一二三四五六七八九十])\s*年")
def _fact(policy: Policy, loc: Locator, kind: str, m: re.Match[str], value: str | None,
          end: str | None = None) -> DateFact:
    measure = loc.measure_at(m.start())
    a, b = _sentence(policy.text, m.start(), m.end())
    return DateFact(kind=kind, text=m.group(0).strip(), date=value, date_end=end,
                    span=Span(measure.id if measure else None, a, b, policy.text[a:b]))


def _sentence(text: str, a: int, b: int) -> tuple[int, int]:
    start = max(text.rfind(c, 0, a) for c in "。\n；") + 1
    ends = [i for i in (text.find(c, b) for c in "。\n；") if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    while start < end and text[start].isspace():
        start += 1
    return start, min(end, len(text))


def issue_date(policy: Policy) -> tuple[str | None, re.Match[str] | None]:
    """The signing date: metadata, else the first date line of the header."""
    head = policy.text[: body_start(policy)]
    for line in re.finditer(r"[^\n]+", head):
        if DATE_LINE.match(line.group(0)):
            m = FULL_DATE.search(policy.text, line.start(), line.end())
            if m:
                return policy.meta.issued or iso(*map(int, m.groups())), m
    return policy.meta.issued, None


def extract_dates(policy: Policy, *, genre: Genre) -> list[DateFact]:
    """Every dated provision of the policy, document-level ones first."""
    loc = Locator(policy)
    text = policy.text
    out: list[DateFact] = []
    issued, issued_match = issue_date(policy)
    if issued_match:
        out.append(_fact(policy, loc, "issued", issued_match, issued))
    elif issued:
        out.append(DateFact("issued", issued, issued))
    if policy.meta.published:
        out.append(DateFact("published", policy.meta.published, policy.meta.published))
    period = plan_period(policy)
    if period:
        out.append(DateFact("period", f"{period[0]}-{period[1]}年", iso(period[0], 1, 1), iso(period[1], 12, 31)))
    effective = None
    for m in EFFECTIVE.finditer(text):
        effective = iso(*map(int, m.groups()))
        out.append(_fact(policy, loc, "effective", m, effective))
    for m in EFFECTIVE_ON_ISSUE.finditer(text):
        effective = policy.meta.published or issued
        out.append(_fact(policy, loc, "effective", m, effective))
    for m in EXPIRY.finditer(text):
        out.append(_fact(policy, loc, "expiry", m, iso(*map(int, m.groups()))))
    for m in VALIDITY_YEARS.finditer(text):
        out.append(_fact(policy, loc, "expiry", m, _years_later(effective, m.group(1))))
    for kind, value in (("effective", policy.meta.effective), ("expiry", policy.meta.expiry)):
        if value and not any(d.kind == kind for d in out):
            out.append(DateFact(kind, value, value))
    start = body_start(policy)
    for m in DEADLINE.finditer(text, start):
        if not in_condition(text, m.start(), m.end(), genre=genre):  # 2019年底前成立的养老机构: who qualifies
            out.append(_fact(policy, loc, "deadline", m, resolve_deadline(m)))
    taken = [(d.span.start, d.span.end) for d in out if d.kind == "deadline" and d.span]
    year = int(issued[:4]) if issued else None
    for m in COMPLETION.finditer(text, start):
        when = completion_date(m.group("when") or m.group("when2"), year)
        if when and not any(a <= m.start() < b for a, b in taken):
            out.append(_fact(policy, loc, "deadline", m, when))
    return out


# 完成时限：2024年6月 (a line of a task's block) and （6月底完成，牵头…）: the measure's deadline
COMPLETION = re.compile(r"(?:完成时限|完成时间|时间节点)\s*[:：]\s*(?P<when>[^\n；;，,）)]{2,24})"
                        r"|[（(](?P<when2>(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:底|末)?)\s*(?:以?前)?完成")


def completion_date(when: str, year: int | None) -> str | None:
    """The last day a task may be completed: 2024年6月 -> 2024-06-30; 6月底 in a 2022 document ->
    2022-06-30; 2024年底 -> 2024-12-31."""
    when = when.strip()
    if not re.match(r"\d{4}", when):
        if year is None:
            return None
        when = f"{year}年{when}"
    if not re.search(r"[底末]|前", when):
        when += "底前" if re.search(r"月$", when) else "前"
    elif not when.endswith("前"):
        when += "前"
    m = DEADLINE.search(when)
    return resolve_deadline(m) if m else None


def _years_later(start: str | None, years: str) -> str | None:
    n = numeral_value(years)
    return add_years(start, n) if start and n else None
