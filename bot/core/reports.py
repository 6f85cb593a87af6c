"""Report periods, pure: when a period is due, which one a department owes next, which /baocao shows."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.calendar import annual_due


@dataclass(frozen=True)
class ReportKind:
    """A periodic report every listed department owes once a year, by a fixed day."""

    code: str
    name: str
    due_day: int
    due_month: int
    departments: tuple[str, ...] = ()  # the codes that owe it; () means every department

    def due(self, year: int) -> date:
        """The period's due date in `year`."""
        return annual_due(year, self.due_month, self.due_day)

    def owing(self, all_departments: Sequence[str]) -> tuple[str, ...]:
        """Codes of the departments that owe this report."""
        return self.departments or tuple(all_departments)


def tracking_start(configured: date | None, stored: date | None, today: date) -> date:
    """Periods due before this day are never chased or accepted: the configured day, else the database's first."""
    return configured or stored or today


def oldest_outstanding(kind: ReportKind, done: Collection[int], start: date, today: date) -> int | None:
    """The oldest overdue period not submitted, else the next one due."""
    for year in range(start.year, today.year + 2):
        if kind.due(year) >= start and year not in done:
            return year
    return None


def current_report_year(kind: ReportKind, today: date) -> int:
    """The period /baocao shows by default: this year's until a month after it is due, then next year's."""
    return today.year if today <= kind.due(today.year) + timedelta(days=31) else today.year + 1
