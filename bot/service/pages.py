"""The web pages' use cases: who may see which page, and each page made of the chat's own answers (`/chitieu`,
`/baocao`, the province's standings) and the records behind them; the files, through `/xuat`'s and
`/baocaomau`'s use cases. Nothing here computes a figure, and nothing writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from bot.core.commune import Commune
from bot.core.features.files import DraftReport, ExportWorkbook
from bot.core.features.pages import (
    CommunePage,
    DepartmentPage,
    Download,
    EntryRow,
    LeadTasks,
    PeriodChoice,
    ProvincePage,
    TaskRow,
    sorted_standings,
)
from bot.core.features.reports import ReportStatus, ShowReports
from bot.core.features.targets import DepartmentTable, ShowTargets, parse_targets
from bot.core.grammar import ParseContext, ParseError, Tokens, echo, is_number
from bot.core.outcomes import FileJob, Many, Refused, WithFile
from bot.core.permissions import may_run, may_view, sees_every_department
from bot.core.targets import TargetReport
from bot.core.texts import text
from bot.core.texts.exports import document_kind_word, meeting_mode_word, task_result
from bot.core.texts.format import format_count
from bot.figures import tracked_from
from bot.service.context import Context
from bot.service.files import draft, export_workbook
from bot.service.province import standings, totals
from bot.service.reports import show_reports
from bot.service.targets import show_targets
from bot.service.web import Viewer
from storage import tasks
from storage.records import PeriodRecords, period_records

PAST_YEARS = 5  # past years the selector offers


def may_see_commune(viewer: Viewer, commune: Commune) -> bool:
    """The commune's page: whoever sees every department of it in the chat, and the province officer."""
    if viewer.actor.is_province:
        return True
    mine = viewer.commune is not None and viewer.commune.id == commune.id
    return mine and sees_every_department(viewer.actor, commune.consolidating)


def may_see_department(viewer: Viewer, commune: Commune, code: str) -> bool:
    """A department's page: its own focal people, whoever sees the whole commune, and the province officer."""
    if code not in commune.codes:
        return False
    if viewer.actor.is_province:
        return True
    mine = viewer.commune is not None and viewer.commune.id == commune.id
    return mine and may_view(viewer.actor, code, commune.consolidating)


def home_of(viewer: Viewer) -> tuple[str | None, str | None] | None:
    """Where a session opens: (None, None) the province, (commune, None) a commune, (commune, code) a
    department; None for someone with no page (their only department is no longer configured)."""
    commune = viewer.commune
    if viewer.actor.is_province:
        return None, None
    if commune is None:
        return None
    if may_see_commune(viewer, commune):
        return commune.code, None
    mine = [code for code in viewer.actor.focal_departments if code in commune.codes]
    return (commune.code, mine[0]) if mine else None


def read_wanted(query: Mapping[str, str], today: date, reports: tuple[str, ...]) -> ShowTargets | Refused:
    """The period a page's query names (?nam=2025, ?ky=6thang, ?thang=11), read by /chitieu's own grammar; each
    value one word of the shape it must have, so a query cannot smuggle in other words."""
    words = []
    if (report := query.get("ky")) is not None:
        if report not in reports:
            return Refused.of("parse.unknown_report", value=echo(report), codes=", ".join(reports))
        words.append(report)
    if (month := query.get("thang")) is not None:
        if not is_number(month) or len(month) > 2:
            return Refused.of("parse.bad_month", value=echo(month))
        words += ["thang", month]
    if (year := query.get("nam")) is not None:
        if not is_number(year) or len(year) != 4:
            return Refused.of("parse.bad_year", value=echo(year))
        words.append(year)
    try:
        return parse_targets(Tokens.of(" ".join(words)), ParseContext(today, (), reports))
    except ParseError as err:
        return Refused(err.key, err.values)


def period_choices(
    wanted: ShowTargets, today: date, reports: tuple[tuple[str, str], ...], since: date
) -> tuple[PeriodChoice, ...]:
    """This year, each report's period of this year, this year's months so far, and the past years counted."""
    year = today.year
    offered = [("page.period.year", {"year": year}, ShowTargets(year, None))]
    offered += [("option.report_period", {"report": name, "year": year}, ShowTargets(year, None, code))
                for code, name in reports]  # fmt: skip
    offered += [("page.period.month", {"month": m, "year": year}, ShowTargets(year, None, month=m))
                for m in range(1, today.month + 1)]  # fmt: skip
    offered += [("page.period.year", {"year": y}, ShowTargets(y, None))
                for y in range(year - 1, max(since.year, year - PAST_YEARS) - 1, -1)]  # fmt: skip
    return tuple(PeriodChoice(key, values, w, w == replace(wanted, commune=None, page=1)) for key, values, w in offered)


def _may(ctx: Context, command: str) -> bool:
    """Whether the viewer may run this chat command here (the files go to whoever may ask for them there)."""
    found = ctx.registry.get(command)
    consolidating = ctx.commune.consolidating if ctx.commune is not None and found.consolidating else None
    return may_run(ctx.me, found.roles, consolidating=consolidating)


async def commune_page(ctx: Context, wanted: ShowTargets) -> CommunePage | Refused:
    """The commune as its chairman's /chitieu and /baocao show it, the tasks by lead, and the files."""
    commune = ctx.here
    outcome = await show_targets(ctx, replace(wanted, screen="detail"))  # the page shows every figure
    if isinstance(outcome, Refused):
        return outcome
    views = (outcome.view if isinstance(outcome, WithFile) else outcome).views
    reports = tuple(v for v in views if isinstance(v, TargetReport))
    period = reports[0].period
    leads = []
    for department in commune.departments:  # each department's task counts, as its own /chitieu has them
        counts = await tasks.tally_tasks(ctx.session, commune.id, period.start, period.end, ctx.today, department.code)
        leads.append(LeadTasks(department.code, department.name, counts))
    downloads = [Download("workbook")] if _may(ctx, "xuat") else []
    if _may(ctx, "baocaomau") and commune.document is not None:
        downloads += [Download("document", kind.code, kind.name) for kind in commune.reports]
    if isinstance(outcome, WithFile):
        downloads.append(Download("chart"))
    since = await tracked_from(ctx.session, commune)
    return CommunePage(
        commune,
        wanted,
        reports,
        next((v for v in views if isinstance(v, DepartmentTable)), None),
        tuple(leads),
        await _owed(ctx),
        period_choices(wanted, ctx.today, tuple((k.code, k.name) for k in commune.reports), since),
        tuple(downloads),
        province=ctx.me.is_province,
    )


async def _owed(ctx: Context) -> tuple[object, ...]:
    owed = await show_reports(ctx, ShowReports(None, None))
    return owed.views if isinstance(owed, Many) else ()


async def department_page(ctx: Context, code: str, wanted: ShowTargets) -> DepartmentPage | Refused:
    """A department's /chitieu, every record behind it, its tasks and its reports."""
    commune = ctx.here
    outcome = await show_targets(ctx, replace(wanted, department=code, screen="detail"))
    if isinstance(outcome, Refused):
        return outcome
    report = outcome.views[0]
    period = report.period
    periods = [(kind.code, period.year) for kind in commune.reports]
    found = await period_records(
        ctx.session, commune.id, period.start, period.end, report_periods=periods, tz=commune.tz
    )
    name = commune.department_name(code)
    owed = tuple(
        (f"{status.report} {status.year}", line)
        for status in await _owed(ctx)
        if isinstance(status, ReportStatus)
        for line in status.lines
        if line.department == name
    )
    since = await tracked_from(ctx.session, commune)
    return DepartmentPage(
        commune,
        code,
        name,
        wanted,
        report,
        entry_rows(found, code, commune),
        tuple(
            TaskRow(
                t.id,
                t.title,
                t.due_on,
                t.progress,
                task_result(t.due_on, t.completed_on, t.cancelled_on is not None, ctx.today),
                t.cancelled_on,
            )
            for t in found.tasks
            if t.department == code
        ),  # fmt: skip
        owed,
        period_choices(wanted, ctx.today, tuple((k.code, k.name) for k in commune.reports), since),
        sees_every_department(ctx.me, commune.consolidating),
        tuple((c, commune.department_name(c)) for c in ctx.me.focal_departments if c != code and c in commune.codes),
    )


def entry_rows(found: PeriodRecords, code: str, commune: Commune) -> tuple[EntryRow, ...]:
    """A department's records in date order, each as the rules allow it shown: a secret document only counts."""
    rows = []
    for m in found.meetings:
        kind = text("page.entry.meeting", mode=meeting_mode_word(m.online).lower())
        rows.append((m, kind, m.summary))
    for d in found.documents:
        kind = text("page.entry.document", kind=document_kind_word(d.document_kind).lower())
        if d.document_kind == "secret":
            content = text("page.entry.secret")
        else:
            content = " – ".join(x for x in (d.number and text("page.entry.number", number=d.number), d.summary) if x)
        rows.append((d, kind, content))
    for t in found.dossiers:
        counts = text("page.entry.dossier_counts", online=format_count(t.online), paper=format_count(t.paper))
        rows.append((t, text("page.entry.dossiers"), counts))
    for s in found.submissions:
        kind = commune.report(s.report_code)
        what = f"{kind.name if kind else s.report_code} {s.report_year}"
        rows.append((s, text("page.entry.report"), " – ".join(x for x in (what, s.note) if x)))
    shown = [
        EntryRow(r.id, getattr(r, "occurred_on", None) or r.submitted_on, kind, content, r.person,
                 r.logged_at.astimezone(commune.tz) if r.logged_at else None, r.cancelled_on)
        for r, kind, content in rows
        if r.department == code
    ]  # fmt: skip
    return tuple(sorted(shown, key=lambda e: (e.day, e.number)))


async def province_page(ctx: Context, wanted: ShowTargets, sort: str, descending: bool) -> ProvincePage | Refused:
    """Every commune's /chitieu on a row, sorted by the column asked for, and the province's totals."""
    communes = ctx.deployment.communes
    found = await standings(ctx.session, communes, wanted.year, wanted.report, wanted.month, ctx.today)
    if not found:
        return Refused.of("parse.future_period", value=str(wanted.year))
    reports: dict[str, tuple[str, str]] = {}
    for kind in (k for c in communes for k in c.reports):
        reports.setdefault(kind.code, (kind.code, kind.name))  # named as the first commune that has it names it
    since = min([await tracked_from(ctx.session, c) for c in communes])
    return ProvincePage(
        ctx.deployment.name,
        found[0].report.period,
        found[0].report.as_of,
        tuple(sorted_standings(found, sort, descending)),
        totals(found),
        sort,
        descending,
        period_choices(wanted, ctx.today, tuple(reports.values()), since),
        (Download("province"),) if _may(ctx, "xuat") else (),
    )


async def file_job(ctx: Context, download: Download, wanted: ShowTargets) -> FileJob | Refused | None:
    """The file a page offers, made by the chat command's own use case; None if the viewer may not have it."""
    if download.kind in ("workbook", "province") and _may(ctx, "xuat"):
        outcome = await export_workbook(ctx, ExportWorkbook(wanted.year, wanted.report, wanted.month))
    elif download.kind == "document" and ctx.commune is not None and _may(ctx, "baocaomau"):
        if download.report not in ctx.commune.report_codes:
            return None
        outcome = await draft(ctx, DraftReport(download.report, wanted.year))
    elif download.kind == "chart" and ctx.commune is not None:
        outcome = await show_targets(ctx, replace(wanted, screen="detail"))  # the page shows every figure
    else:
        return None
    if isinstance(outcome, WithFile):
        return outcome.job
    return outcome if isinstance(outcome, Refused) else None
