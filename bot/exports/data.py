"""Everything the chart, the workbook and the drafted report show for a period, loaded once in a read-only
session: the figures come from `bot.figures.target_report`, as /chitieu's do, so the four cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commune import Commune
from bot.core.features.feedback import FeedbackRow
from bot.core.features.officials import OfficialYear
from bot.core.features.plan_facts import PlanFacts
from bot.core.periods import Period, months_of, year_before
from bot.core.reports import ReportKind, days_late, open_years
from bot.core.targets import TargetReport, prorated_cap
from bot.figures import feedback_rows, official_results, plan_facts, target_report, tracked_from
from storage import entries, more_entries, report_content
from storage.records import PeriodRecords, period_records
from storage.report_content import AnswerRow


@dataclass(frozen=True)
class MonthMeetings:
    """A month of the period (cut to it): meetings online and in person, against the cap pro-rated to its days;
    `recorded` says whether the records reach into it (before they begin, no meeting is not zero meetings)."""

    month: Period
    online: int
    in_person: int
    cap: Fraction | None
    recorded: bool = True


@dataclass(frozen=True)
class DepartmentFigures:
    """One department's standing over the period."""

    code: str
    name: str
    report: TargetReport


@dataclass(frozen=True)
class ReportStanding:
    """A report period whose data window overlaps the export's: who submitted it by its due day, late (and by how
    many days), or not yet."""

    code: str
    name: str
    year: int
    due: date
    on_time: tuple[str, ...]  # department names
    late: tuple[tuple[str, int], ...]  # (department name, days late)
    not_submitted: tuple[str, ...]
    kind: ReportKind

    @property
    def owing(self) -> int:
        """How many departments owe it."""
        return len(self.on_time) + len(self.late) + len(self.not_submitted)


@dataclass(frozen=True)
class ExportData:
    """A period's figures, last year's for comparison, each department's, the months, and the rows beneath."""

    commune: str
    period: Period
    today: date
    report: TargetReport
    last_year: TargetReport
    departments: tuple[DepartmentFigures, ...]
    months: tuple[MonthMeetings, ...]
    records: PeriodRecords
    reports: tuple[ReportStanding, ...]
    answers: tuple[AnswerRow, ...] = ()  # the departments' own words, when the period is a report's window
    officials: tuple[OfficialYear, ...] = ()  # each official's facts of the period's year (the "Cán bộ" sheet)
    facts: PlanFacts | None = None  # the plan's other obligations over the period
    feedback: tuple[FeedbackRow, ...] = ()  # the feedback received in it
    resolved: tuple[tuple, ...] = ()  # dossier tallies resolved: storage.more_entries.list_more's rows
    incoming: tuple[tuple, ...] = ()  # documents received, likewise

    def standing(self, code: str, year: int) -> ReportStanding:
        """A listed report period: every submission among the records is of one of them."""
        return next(r for r in self.reports if (r.code, r.year) == (code, year))


def _overlapping(
    kinds: tuple[ReportKind, ...], period: Period, since: date, today: date
) -> list[tuple[ReportKind, int]]:
    """Report periods open for submission (begun and tracked since `since`) whose window overlaps `period`."""
    found = []
    for kind in kinds:
        for year in open_years(kind, (), since, today):
            window = kind.window(year)
            if window.start <= period.end and window.end >= period.start:
                found.append((kind, year))
    return found


def _standing(kind: ReportKind, year: int, commune: Commune, records: PeriodRecords) -> ReportStanding:
    due = kind.due(year)
    submitted = {
        s.department: s.submitted_on
        for s in records.submissions
        if (s.report_code, s.report_year) == (kind.code, year) and s.cancelled_on is None
    }
    names = {d.code: d.name for d in commune.departments}
    owing = kind.owing(commune.codes)
    return ReportStanding(
        kind.code,
        kind.name,
        year,
        due,
        tuple(names[c] for c in owing if c in submitted and submitted[c] <= due),
        tuple((names[c], days_late(kind, year, submitted[c])) for c in owing if c in submitted and submitted[c] > due),
        tuple(names[c] for c in owing if c not in submitted),
        kind,
    )


async def _months(
    session: AsyncSession, commune_id: int, period: Period, cap: int | None, records_begin: date | None
) -> tuple[MonthMeetings, ...]:
    """Meetings per month, counted in SQL as the figures are; the yearly cap pro-rated to each month's days."""
    months = []
    for month in months_of(period):
        counts = await entries.tally(session, commune_id, month.start, month.end)
        share = prorated_cap(cap, month)
        recorded = records_begin is None or month.end >= records_begin
        online, in_person = counts.online_meetings, counts.meetings - counts.online_meetings
        months.append(MonthMeetings(month, online, in_person, share, recorded))
    return tuple(months)


async def _more(session: AsyncSession, commune: Commune, kind: str, period: Period) -> tuple[tuple, ...]:
    """Rows of dossiers resolved or documents received, each with the commune day it was cancelled (or None)."""
    rows = await more_entries.list_more(session, commune.id, kind, period.start, period.end)
    return tuple(
        (*row, row[5].cancelled_at.astimezone(commune.tz).date() if row[5].cancelled_at else None) for row in rows
    )


async def export_data(session: AsyncSession, commune: Commune, period: Period, today: date) -> ExportData:
    """Load a commune's figures and rows of a period for the exports; run it in a read-only session, then render."""
    report = await target_report(session, commune, period, None, today)
    last_year = await target_report(session, commune, year_before(period), None, today)
    departments = tuple(
        [
            DepartmentFigures(d.code, d.name, await target_report(session, commune, period, d.code, today))
            for d in commune.departments
        ]
    )
    periods = _overlapping(commune.reports, period, await tracked_from(session, commune), today)
    if period.report is not None:  # a report tells of the periods due by its own due day, never of later ones
        due = commune.report(period.report).due(period.year)
        periods = [(kind, year) for kind, year in periods if kind.due(year) <= due]
    records = await period_records(
        session,
        commune.id,
        period.start,
        period.end,
        report_periods=[(k.code, y) for k, y in periods],
        tz=commune.tz,
    )
    answers = ()
    if period.report is not None:
        answers = tuple(await report_content.list_answers(session, commune.id, period.report, period.year))
    return ExportData(
        commune=commune.name,
        period=period,
        today=today,
        report=report,
        last_year=last_year,
        departments=departments,
        months=await _months(session, commune.id, period, report.line("meetings").cap, report.data_from),
        records=records,
        reports=tuple(_standing(kind, year, commune, records) for kind, year in periods),
        answers=answers,
        officials=await official_results(session, commune, period.year, today),
        facts=await plan_facts(session, commune, period, None, today),
        feedback=await feedback_rows(session, commune, period),
        resolved=await _more(session, commune, "resolved", period),
        incoming=await _more(session, commune, "incoming", period),
    )
