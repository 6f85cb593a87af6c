"""Periodic reports: a department's submission, who has submitted a period, and the open periods to pick.

Every period due from the plan's first day is tracked, whenever the bot was installed: it is accepted, told
late when late ("nộp muộn N ngày"), and owed until submitted."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commune import Commune
from bot.core.features.province import OwingCommune, ProvinceReports
from bot.core.features.reports import (
    AskReportPeriod,
    ReportStatus,
    ShowReports,
    SubmissionLine,
    Submit,
    Untracked,
    parse_reports,
    parse_submit,
)
from bot.core.grammar import Ask, Missing
from bot.core.messages import Option
from bot.core.outcomes import Many, Refused, Say
from bot.core.permissions import ANY_MEMBER, EVERYONE, MANAGERS, Actor, may_run
from bot.core.registry import Command, Feature
from bot.core.reports import ReportKind, current_report_year, days_late, oldest_outstanding, parts_answered
from bot.core.texts.format import format_date
from bot.figures import tracked_from
from bot.service.context import Context
from bot.service.entries import new_entry
from storage import entries, outbox, report_content, reports
from storage.models.entries import ReportSubmission
from storage.models.messaging import OutboxKind


async def period_options(ctx: Context, missing: Missing) -> list[Option]:
    """The periods the department may submit now: for each report, the oldest it still owes."""
    code, commune = missing.context["code"], ctx.here
    start = await tracked_from(ctx.session, commune)
    options = []
    for kind in commune.reports:
        if code not in kind.owing(commune.codes):
            continue
        done = await reports.submitted_years(ctx.session, commune.id, code, kind.code)
        if (year := oldest_outstanding(kind, done, start, ctx.today)) is not None:
            label = Say.of("option.report_period", report=kind.name, year=year)
            options.append(Option(label, missing.template.format(f"{kind.code} {year}")))
    return options


async def _submission(ctx: Context, code: str, kind: ReportKind, year: int) -> ReportSubmission | None:
    return next(iter(await reports.list_submissions(ctx.session, ctx.here.id, kind.code, year, code)), None)


def _submitted(entry: ReportSubmission, department: str, kind: ReportKind, year: int) -> dict[str, object]:
    """What to say of a submission already recorded: which, when, by whom."""
    return {
        "department": department,
        "report": kind.name,
        "year": year,
        "day": entry.occurred_on,
        "person": entry.person.full_name,
        "id": entry.number,
    }


async def record_submission(
    ctx: Context, code: str, kind: ReportKind, year: int, *, note: str = "", day: date | None = None
) -> Say:
    """Record that a department submitted a period (today, or on `day`), settle its pending reminders, and say
    so: late by how many days, with its file, on whose behalf."""
    commune, day = ctx.here, day or ctx.today
    entry = new_entry(
        ctx, ReportSubmission, day, summary=note, report_code=kind.code, report_year=year, file_id=ctx.source.attachment
    )
    entry.year = year
    await entries.add_entry(ctx.session, commune.id, entry, code)
    await outbox.supersede(ctx.session, [OutboxKind.REPORT], outbox.report_subject(commune.id, kind.code, year, code))
    await ctx.audit(
        "add", "report", entry.number, department=code, report=kind.code, year=year, file=bool(entry.file_id)
    )
    late = days_late(kind, year, day)
    return Say.of(
        "report.submitted",
        id=entry.number,
        department=ctx.department_name(code),
        report=kind.name,
        year=year,
        late=Say.of("report.late", days=late, due=format_date(kind.due(year))) if late else "",
        file=Say.of("report.with_file") if entry.file_id else "",
        note=f": {note}" if note else "",
        recorded_by=Say.of("report.recorded_by", name=ctx.me.name) if code not in ctx.me.focal_departments else "",
    )


async def submit(ctx: Context, command: Submit | AskReportPeriod) -> object:
    code = ctx.department_for(command.department)
    if not isinstance(code, str):
        return code
    commune = ctx.here
    department = ctx.department_name(code)
    if isinstance(command, AskReportPeriod):
        return Missing(Ask.REPORT_PERIOD, f"/nopbaocao {code} {{}}", department=department, code=code)
    kind = commune.report(command.report)
    if code not in kind.owing(commune.codes):
        return Refused.of("report.not_required", department=department, report=kind.name)
    start = await tracked_from(ctx.session, commune)
    done = await reports.submitted_years(ctx.session, commune.id, code, kind.code)
    year = command.year
    if year is None:
        year = oldest_outstanding(kind, done, start, ctx.today)
        if year is None:
            latest = max(done, default=None)
            if latest is not None and (entry := await _submission(ctx, code, kind, latest)) is not None:
                return Refused.of("report.all_submitted", **_submitted(entry, department, kind, latest))
            return Refused.of("report.none_outstanding", department=department, report=kind.name)
    elif kind.due(year) < start:
        return Refused.of("report.not_tracked", report=kind.name, year=year, start=start)
    elif not kind.window(year).has_begun(ctx.today):
        return Refused.of("report.not_open", report=kind.name, year=year, start=kind.window(year).start)
    if year in done:
        entry = await _submission(ctx, code, kind, year)
        return Refused.of("report.already", **_submitted(entry, department, kind, year))
    if command.day is not None and command.day < (begins := kind.window(year).start):
        day, start_day = format_date(command.day), format_date(begins)
        return Refused.of("report.day_before_window", day=day, report=kind.name, year=year, start=start_day)
    return await record_submission(ctx, code, kind, year, note=command.note, day=command.day)


def may_remind(actor: Actor | None, commune: Commune) -> bool:
    """Leaders, admins and the consolidating department chase the departments' reports."""
    return may_run(actor, MANAGERS, consolidating=commune.consolidating)


async def report_status(
    session: AsyncSession,
    commune: Commune,
    kind: ReportKind,
    year: int | None,
    today: date,
    viewer: Actor | None = None,
) -> ReportStatus | Untracked:
    """Who has submitted a period, when, by whom, late by how much, and how much of its content each answered."""
    year = year or current_report_year(kind, today)
    due = kind.due(year)
    start = await tracked_from(session, commune)
    if due < start:
        return Untracked(kind.name, year, start)
    submitted = {s.department.code: s for s in await reports.list_submissions(session, commune.id, kind.code, year)}
    rows = await report_content.list_answers(session, commune.id, kind.code, year)
    answered = parts_answered((row.department, row.part, row.body) for row in rows)
    lines = []
    for code in kind.owing(commune.codes):
        name, parts = commune.department_name(code), answered.get(code, 0)
        if (entry := submitted.get(code)) is not None:
            late = days_late(kind, year, entry.occurred_on)
            lines.append(SubmissionLine(name, entry.occurred_on, entry.person.full_name, late, parts))
        else:
            lines.append(SubmissionLine(name, days_late=days_late(kind, year, today), answered=parts))
    closure = await report_content.get_closure(session, commune.id, kind.code, year)
    closed_on = closure.closed_at.astimezone(commune.tz).date() if closure is not None else None
    remind = may_remind(viewer, commune)
    return ReportStatus(kind.name, year, due, today, tuple(lines), kind.code, closed_on, remind)


async def show_reports(ctx: Context, command: ShowReports) -> Many | Refused:
    """Who has submitted each report period; for the province officer, the communes still owing one."""
    if ctx.commune is None:
        return await _province_reports(ctx, command)
    commune = ctx.here
    kinds = [commune.report(command.report)] if command.report else list(commune.reports)
    if not kinds:
        return Refused.of("report.no_reports")
    statuses = [await report_status(ctx.session, commune, k, command.year, ctx.today, ctx.actor) for k in kinds]
    return Many(tuple(sorted(statuses, key=lambda s: s.due if isinstance(s, ReportStatus) else date.min)))


async def _province_reports(ctx: Context, command: ShowReports) -> Many | Refused:
    """Each report period across the communes that have it: which of them still owe it, and which departments."""
    communes = list(ctx.deployment.communes)
    codes = [command.report] if command.report else list(dict.fromkeys(r.code for c in communes for r in c.reports))
    views = []
    for code in codes:
        statuses = [
            (commune, await report_status(ctx.session, commune, commune.report(code), command.year, ctx.today))
            for commune in communes
            if commune.report(code) is not None
        ]
        tracked = [(commune, status) for commune, status in statuses if isinstance(status, ReportStatus)]
        if not tracked:
            continue
        owing = tuple(
            OwingCommune(commune.name, tuple(line.department for line in status.lines if line.submitted_on is None))
            for commune, status in tracked
            if status.done < len(status.lines)
        )
        _, first = tracked[0]
        views.append(ProvinceReports(first.report, first.year, first.due, ctx.today, owing, len(tracked)))
    views.sort(key=lambda view: view.due)  # the nearest deadline first, as each commune's /baocao has it
    return Many(tuple(views)) if views else Refused.of("report.no_reports")


FEATURE = Feature(
    "reports",
    order=40,
    commands=(
        Command("nopbaocao", parse_submit, submit, ANY_MEMBER, writes=True, aliases=("nop",)),
        Command("baocao", parse_reports, show_reports, EVERYONE, writes=False),
    ),
    asks={Ask.REPORT_PERIOD: period_options},
)
