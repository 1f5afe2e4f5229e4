"""Dates as policy documents write them, resolved to ISO: one parser for the whole project.

- full dates in Arabic or Chinese numerals, with spaces: 2025 年 12 月 15 日, 二〇二三年十月二十日;
- deadlines: 2024年底前 / 2024年末前 → 2024-12-31, 2025年6月底前 → 2025-06-30, 2025年6月前 → 2025-05-31
  (before June), 2025年上半年前 → 2025-06-30, 2027年前 → 2027-12-31 (the genre's "by 2027");
- validity: 有效期5年 from an effective date runs to the day before the anniversary.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from genre.numerals import numeral_value

_YEAR = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_MONTH = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
#: a full date in Arabic or Chinese numerals, spaces allowed between parts (no groups: embeddable)
DATE_PATTERN = rf"{_YEAR}\s*年\s*{_MONTH}\s*月\s*{_MONTH}\s*日"
_DATE_PARTS = re.compile(rf"({_YEAR})\s*年\s*({_MONTH})\s*月\s*({_MONTH})\s*日")
#: a deadline: 2024年底前, 2025年6月底前, 2025年6月30日前, 2025年上半年前, 2027年前
DEADLINE = re.compile(r"(\d{4})\s*年\s*(?:(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?)|(?P<half>上半年|下半年))?"
                      r"\s*(?P<end>底|末)?\s*(?:以)?前")


def iso(y: int, m: int, d: int) -> str | None:
    """ISO form of a date, None when it does not exist (2月30日)."""
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def month_end(y: int, m: int) -> str:
    return date(y, m, calendar.monthrange(y, m)[1]).isoformat()


def parse_date(s: str) -> str | None:
    """ISO date of the first full date written in `s` (Arabic or Chinese numerals), or None."""
    m = _DATE_PARTS.search(s)
    if not m:
        return None
    y, mo, d = (numeral_value(g) for g in m.groups())
    return iso(y, mo, d) if None not in (y, mo, d) else None


def all_dates(s: str) -> list[str]:
    """ISO dates of every full date written in `s`, in order."""
    return [d for d in (parse_date(m.group(0)) for m in _DATE_PARTS.finditer(s)) if d]


def add_years(iso_date: str, years: int) -> str:
    """The last day of a validity of `years` years starting on `iso_date`."""
    d = date.fromisoformat(iso_date)
    try:
        end = d.replace(year=d.year + years)
    except ValueError:  # 29 February
        end = d.replace(year=d.year + years, day=28)
    return (end - timedelta(days=1)).isoformat()


def resolve_deadline(m: re.Match[str]) -> str | None:
    """ISO date of a DEADLINE match (conventions in the module docstring)."""
    y = int(m.group(1))
    if m.group(3):  # a full date: 2025年6月30日前
        return iso(y, int(m.group(2)), int(m.group(3)))
    if m.group(2):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            return None
        if m.group("end"):
            return month_end(y, month)
        return month_end(y, month - 1) if month > 1 else iso(y - 1, 12, 31)
    if m.group("half") == "上半年":
        return iso(y, 6, 30)
    return iso(y, 12, 31)


def parse_deadline(s: str) -> str | None:
    """ISO date of the first deadline written in `s` (2024年底前 → 2024-12-31), or None."""
    m = DEADLINE.search(s)
    return resolve_deadline(m) if m else None
