"""Periods figures are counted over: a year, a month, or a report's data window. Pure."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

YEARLY_DAYS = 300


@dataclass(frozen=True)
class Period:
    """A span of days, both ends included, named after a year (and a month or a report, if it is one)."""

    start: date
    end: date
    year: int
    month: int | None = None
    report: str | None = None  # the code of the report whose data window this is
    name: str | None = None  # that report's name

    @property
    def days(self) -> int:
        """How many days it spans."""
        return (self.end - self.start).days + 1

    @property
    def yearly(self) -> bool:
        """Whether it is about a year long: a year, or an annual report's window (15/12 to 14/11 is 335 days)."""
        return self.days >= YEARLY_DAYS

    def elapsed(self, today: date, since: date | None = None) -> int:
        """Days of it that have passed by `today` (counted from `since` if later than the start)."""
        first = max(self.start, since) if since else self.start
        last = min(today, self.end)
        return max((last - first).days + 1, 0)

    def is_over(self, today: date) -> bool:
        """Whether every day of it has passed."""
        return today > self.end

    def has_begun(self, today: date) -> bool:
        """Whether its first day has come."""
        return today >= self.start


def year_period(year: int) -> Period:
    """1 January to 31 December."""
    return Period(date(year, 1, 1), date(year, 12, 31), year)


def month_period(year: int, month: int) -> Period:
    """One calendar month."""
    last = calendar.monthrange(year, month)[1]
    return Period(date(year, month, 1), date(year, month, last), year, month=month)


def day_month(text: str) -> tuple[int, int]:
    """'15/12' -> (15, 12)."""
    day, month = text.split("/")
    return int(day), int(month)


def window(year: int, start: tuple[int, int], end: tuple[int, int], report: str, name: str) -> Period:
    """A report's data window for `year`: from start to end (dd, mm), the start in the previous year if it
    falls after the end in the calendar."""
    end_day = _clamp(year, *end)
    start_day = _clamp(year, *start)
    if start_day > end_day:
        start_day = _clamp(year - 1, *start)
    return Period(start_day, end_day, year, report=report, name=name)


def _clamp(year: int, day: int, month: int) -> date:
    """`day`/`month` in `year`, 29/2 read as 28/2 in a common year."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def year_before(period: Period) -> Period:
    """The same days one year earlier (29 February read as the 28th)."""
    start, end = (_clamp(d.year - 1, d.day, d.month) for d in (period.start, period.end))
    return Period(start, end, period.year - 1, period.month, period.report, period.name)


def months_of(period: Period) -> list[Period]:
    """The calendar months a period touches, each cut to the period."""
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        month = month_period(day.year, day.month)
        months.append(Period(max(month.start, period.start), min(month.end, period.end), day.year, day.month))
        day = month.end + timedelta(days=1)
    return months
