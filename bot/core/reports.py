"""Report periods, pure: when a period is due, what data it covers, which ones a department may submit."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.calendar import annual_due
from bot.core.periods import Period, window


@dataclass(frozen=True)
class ReportKind:
    """A periodic report every listed department owes once a year, by a fixed day, about a window of data."""

    code: str
    name: str
    due_day: int
    due_month: int
    departments: tuple[str, ...] = ()  # the codes that owe it; () means every department
    window_from: tuple[int, int] | None = None  # (day, month) the data starts, in the previous year if need be
    window_to: tuple[int, int] | None = None  # (day, month) the data ends; the due date if not set

    def due(self, year: int) -> date:
        """The period's due date in `year`."""
        return annual_due(year, self.due_month, self.due_day)

    def window(self, year: int) -> Period:
        """The days the period of `year` reports on (from 1 January to the due date unless configured)."""
        end = self.window_to or (self.due_day, self.due_month)
        return window(year, self.window_from or (1, 1), end, self.code, self.name)

    def owing(self, all_departments: Sequence[str]) -> tuple[str, ...]:
        """Codes of the departments that owe this report."""
        return self.departments or tuple(all_departments)


def tracking_start(configured: date | None, stored: date | None, today: date) -> date:
    """Periods due before this day are never chased or accepted: the configured day, else the database's first."""
    return configured or stored or today


def open_years(kind: ReportKind, done: Collection[int], start: date, today: date) -> list[int]:
    """Periods a department may submit now: begun (the data they report on has started), tracked, not done."""
    return [
        year
        for year in range(start.year, today.year + 2)
        if kind.window(year).has_begun(today) and kind.due(year) >= start and year not in done
    ]


def oldest_outstanding(kind: ReportKind, done: Collection[int], start: date, today: date) -> int | None:
    """The oldest period a department may submit and has not."""
    years = open_years(kind, done, start, today)
    return years[0] if years else None


def current_report_year(kind: ReportKind, today: date) -> int:
    """The period /baocao shows by default: this year's until a month after it is due, then next year's."""
    return today.year if today <= kind.due(today.year) + timedelta(days=31) else today.year + 1
