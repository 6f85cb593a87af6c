"""Report periods, pure: when a period is due, what data it covers, which ones a department may submit."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
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
    title: str | None = None  # how an office names the period before its year: "6 tháng đầu năm", "năm"

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


def plan_start(configured: date | None, baseline_years: Collection[int], started_on: date) -> date:
    """The plan's first day, from which every report period is tracked (accepted, late when late, owed until
    submitted): the configured day, else 1 January of the first year with a baseline of the year before (the plan
    measures 2026 against [baseline.2025]), else 1 January of the year the bot began keeping the commune."""
    if configured is not None:
        return configured
    return date(min(baseline_years) + 1 if baseline_years else started_on.year, 1, 1)


def reminders_start(configured: date | None, started_on: date, tracked_from: date) -> date:
    """From which due day periods are chased by reminders: the configured day, else the day the bot began keeping
    the commune (installing mid-year does not chase what fell due before); never before the plan's first day."""
    return max(configured or started_on, tracked_from)


def days_late(kind: ReportKind, year: int, day: date) -> int:
    """How many days after its due day `day` is (0 on time or before)."""
    return max((day - kind.due(year)).days, 0)


def open_years(kind: ReportKind, done: Collection[int], start: date, today: date) -> list[int]:
    """Periods a department may submit now: begun (the data they report on has started), tracked (due on or
    after `start`, the plan's first day), not done."""
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


RESULT, DIFFICULTY, PROPOSAL = "result", "difficulty", "proposal"
REPORT_PARTS = (RESULT, DIFFICULTY, PROPOSAL)  # what a report must contain (section IV.3 of the plan)


def parts_answered(answers: Iterable[tuple[str, str, str]]) -> dict[str, int]:
    """How many of the three parts each department (code) has answered, from (department, part, body): a result
    counts once it has words; difficulties and proposals count answered "none" too."""
    parts: dict[str, set[str]] = {}
    for department, part, body in answers:
        if part != RESULT or body.strip():
            parts.setdefault(department, set()).add(part)
    return {department: len(found) for department, found in parts.items()}
