"""Periodic reports: a department's submission, who has submitted a period, and the open periods to pick."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commands.reports import AskReportPeriod, ShowReports, Submit
from bot.core.commands.tokens import Ask, Missing
from bot.core.messages import Option
from bot.core.reports import ReportKind, current_report_year, oldest_outstanding
from bot.core.views import Many, Refusal, ReportStatus, Say, SubmissionLine, Untracked
from bot.figures import counting_since
from bot.service.context import Request, Settings
from bot.service.entries import new_entry
from storage import entries, outbox, reports
from storage.models import OutboxKind, ReportSubmission


async def ask_period(req: Request, command: AskReportPeriod) -> None:
    code = await req.department_for(command.department)
    raise Missing(Ask.REPORT_PERIOD, f"/nopbaocao {code} {{}}", department=req.settings.name(code), code=code)


async def period_options(req: Request, missing: Missing) -> list[Option]:
    """The periods the department may submit now: for each report, the oldest it still owes."""
    code = missing.context["code"]
    start = await counting_since(req.session, req.settings.config, req.today)
    options = []
    for kind in req.settings.reports:
        if code not in kind.owing(req.settings.codes):
            continue
        done = await reports.submitted_years(req.session, code, kind.code)
        if (year := oldest_outstanding(kind, done, start, req.today)) is not None:
            label = Say.of("option.report_period", report=kind.name, year=year)
            options.append(Option(label, missing.template.format(f"{kind.code} {year}")))
    return options


async def _submission(req: Request, code: str, kind: ReportKind, year: int) -> ReportSubmission | None:
    return next(iter(await reports.list_submissions(req.session, kind.code, year, code)), None)


def _submitted(entry: ReportSubmission, department: str, kind: ReportKind, year: int) -> dict[str, object]:
    """What to say of a submission already recorded: which, when, by whom."""
    return {
        "department": department,
        "report": kind.name,
        "year": year,
        "day": entry.occurred_on,
        "person": entry.person.full_name,
        "id": entry.id,
    }


async def submit(req: Request, command: Submit) -> Say:
    code = await req.department_for(command.department)
    kind = req.settings.config.report(command.report)
    department = req.settings.name(code)
    if code not in kind.owing(req.settings.codes):
        raise Refusal("report.not_required", department=department, report=kind.name)
    start = await counting_since(req.session, req.settings.config, req.today)
    done = await reports.submitted_years(req.session, code, kind.code)
    year = command.year
    if year is None:
        year = oldest_outstanding(kind, done, start, req.today)
        if year is None:
            latest = max(done, default=None)
            if latest is not None and (entry := await _submission(req, code, kind, latest)) is not None:
                raise Refusal("report.all_submitted", **_submitted(entry, department, kind, latest))
            raise Refusal("report.none_outstanding", department=department, report=kind.name)
    elif kind.due(year) < start:
        raise Refusal("report.not_tracked", report=kind.name, year=year, start=start)
    elif not kind.window(year).has_begun(req.today):
        raise Refusal("report.not_open", report=kind.name, year=year, start=kind.window(year).start)
    if year in done:
        entry = await _submission(req, code, kind, year)
        raise Refusal("report.already", **_submitted(entry, department, kind, year))
    entry = new_entry(
        req,
        ReportSubmission,
        req.today,
        summary=command.note,
        report_code=kind.code,
        report_year=year,
        file_id=req.incoming.attachment,
    )
    entry.year = year
    await entries.add_entry(req.session, entry, code)
    await outbox.supersede(req.session, [OutboxKind.REPORT], outbox.report_subject(kind.code, year, code))
    await req.audit("add", "report", entry.id, department=code, report=kind.code, year=year, file=bool(entry.file_id))
    on_behalf = code not in req.me.focal_departments
    return Say.of(
        "report.submitted",
        id=entry.id,
        department=department,
        report=kind.name,
        year=year,
        file=Say.of("report.with_file") if entry.file_id else "",
        note=f": {command.note}" if command.note else "",
        recorded_by=Say.of("report.recorded_by", name=req.me.name) if on_behalf else "",
    )


async def report_status(session: AsyncSession, settings_: Settings, kind: ReportKind, year: int | None, today: date):
    """Who has submitted a period, when and by whom, and who is late."""
    year = year or current_report_year(kind, today)
    due = kind.due(year)
    start = await counting_since(session, settings_.config, today)
    if due < start:
        return Untracked(kind.name, year, start)
    submitted = {s.department.code: s for s in await reports.list_submissions(session, kind.code, year)}
    lines = []
    for code in kind.owing(settings_.codes):
        if (entry := submitted.get(code)) is not None:
            lines.append(SubmissionLine(settings_.name(code), entry.occurred_on, entry.person.full_name))
        else:
            lines.append(SubmissionLine(settings_.name(code), days_late=max((today - due).days, 0)))
    return ReportStatus(kind.name, year, due, today, tuple(lines))


async def show_reports(req: Request, command: ShowReports) -> Many:
    kinds = [req.settings.config.report(command.report)] if command.report else list(req.settings.reports)
    if not kinds:
        raise Refusal("report.no_reports")
    statuses = [await report_status(req.session, req.settings, k, command.year, req.today) for k in kinds]
    return Many(tuple(sorted(statuses, key=lambda s: s.due if isinstance(s, ReportStatus) else date.min)))


HANDLERS = {AskReportPeriod: ask_period, Submit: submit, ShowReports: show_reports}
ASKS = {Ask.REPORT_PERIOD: period_options}
