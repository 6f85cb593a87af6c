"""Files: the workbook (/xuat), the drafted report (/baocaomau), the chart with /chitieu, and import (/nhap).

A file is made after the answer is committed: its data is read in a read-only snapshot and it is drawn
in a worker thread, so making it never holds the database's write lock.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.core.clock import local_date
from bot.core.commands.exports import DraftReport, ExportWorkbook, ImportFile
from bot.core.commands.tokens import Ask, Missing
from bot.core.messages import Attachment, ChannelProfile, Option
from bot.core.periods import Period, month_period, year_period
from bot.core.texts import text
from bot.core.texts.targets import period_name
from bot.core.views import FileJob, Refusal, Say, WithFile
from bot.service.context import Request
from storage import audit, people
from storage.db import Database
from storage.imports import ImportResult, import_rows

MAX_REFUSED_LINES = 10


def period_of(config: Config, year: int, report: str | None = None, month: int | None = None) -> Period:
    """The period a command names: a report's data window, a month, or the year."""
    if report is not None:
        return config.report(report).window(year)
    return month_period(year, month) if month is not None else year_period(year)


def begun_period(req: Request, year: int, report: str | None = None, month: int | None = None) -> Period:
    """The period a chat command names, refused if it has not begun (nothing to count yet)."""
    period = period_of(req.settings.config, year, report, month)
    if not period.has_begun(req.today):
        raise Refusal("parse.future_period", value=period.start.strftime("%d/%m/%Y"))
    return period


def report_title(config: Config, report: str, year: int) -> str:
    """How the drafted report's title ends: 'năm 2026', '6 tháng 2026'."""
    return f"{config.report(report).name.removeprefix('Báo cáo ').lower()} {year}"


async def export_workbook(req: Request, command: ExportWorkbook) -> WithFile:
    period = begun_period(req, command.year, command.report, command.month)
    what = Say.of("file.what.workbook", period=period_name(period))
    return WithFile(Say.of("file.making", what=what), FileJob("workbook", period))


async def draft(req: Request, command: DraftReport) -> WithFile:
    config = req.settings.config
    if config.report_document is None:
        raise Refusal("export.no_document_settings")
    period = begun_period(req, command.year, command.report)
    title = report_title(config, command.report, command.year)
    what = Say.of("file.what.document", report=title)
    return WithFile(Say.of("file.making", what=what), FileJob("document", period, title))


async def import_file(req: Request, command: ImportFile) -> Say:
    if req.incoming.upload is None:
        raise Refusal("import.need_file")
    upload = Path(req.incoming.upload)
    config = req.settings.config
    result = await import_path(req.session, config, upload, person_id=req.me.person_id, today=req.today, now=req.now)
    await req.audit("import", "file", upload.name, imported=len(result.imported), refused=len(result.refused))
    return import_summary(result)


async def import_path(
    session: AsyncSession, config: Config, path: Path, *, person_id: int, today: date, now: datetime
) -> ImportResult:
    """Read a file and store its good rows (the caller commits)."""
    from bot.exports.importer import UnreadableFile, read_rows

    content = await asyncio.to_thread(path.read_bytes)
    try:
        batch = read_rows(content, path.name, departments=config.department_names, today=today)
    except UnreadableFile as err:
        raise Refusal("plain", text=str(err)) from None
    return await import_rows(session, batch, person_id=person_id, now=now)


async def import_from_cli(db: Database, config: Config, path: Path, now: datetime) -> Say:
    """`python -m bot import`: the rows are logged by a person who stands for the command line, audited."""
    async with db.unit_of_work() as session:
        person_id = await people.system_person(session, text("import.cli_person"), now)
        today = local_date(now, config.commune.tz)
        result = await import_path(session, config, path, person_id=person_id, today=today, now=now)
        detail = {"imported": len(result.imported), "refused": len(result.refused)}
        await audit.add_audit(
            session, now=now, actor_label="cli", action="import", entity="file", entity_id=path.name, detail=detail
        )
        await session.commit()
    return import_summary(result)


def import_summary(result: ImportResult) -> Say:
    """How an import went, with the first refused lines and why."""
    present, numbered = len(result.present), len(result.numbered)
    imported, refused = len(result.imported), len(result.refused)
    lines = [text("import.result", read=result.read, imported=imported, skipped=present + numbered, refused=refused)]
    if present + numbered:
        lines.append(text("import.skipped", present=present, numbered=numbered))
    if result.refused:
        lines.append(text("import.refused_header"))
        lines += [problem.reason for problem in result.refused[:MAX_REFUSED_LINES]]
        if len(result.refused) > MAX_REFUSED_LINES:
            lines.append(text("import.refused_more", count=len(result.refused) - MAX_REFUSED_LINES))
    return Say.of("plain", text="\n".join(lines))


async def report_kind_options(req: Request, missing: Missing) -> list[Option]:
    """The configured reports, this year's period."""
    year = req.today.year
    return [
        Option(Say.of("option.report_kind", name=kind.name, year=year), missing.template.format(f"{kind.code} {year}"))
        for kind in req.settings.reports
    ]


async def render_file(db: Database, config: Config, job: FileJob, today: date) -> tuple[bytes, str, str]:
    """Read the figures in a snapshot and draw the file in a worker thread: (content, name, photo|document)."""
    from bot.exports.data import export_data

    async with db.reading() as session:
        data = await export_data(session, config, job.period, today)
    return await asyncio.to_thread(_render, job, data, config)


async def make_file(db: Database, config: Config, job: FileJob, today: date) -> Attachment:
    """Draw a file and keep it in the files folder."""
    content, name, kind = await render_file(db, config, job, today)
    path = Path(config.exports.files_dir) / f"{today:%Y%m%d}-{secrets.token_hex(4)}-{name}"
    await asyncio.to_thread(_save, path, content)
    return Attachment(str(path), name, kind)


def _save(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _render(job: FileJob, data, config: Config) -> tuple[bytes, str, str]:
    period = job.period
    stem = f"{period.report or (f'thang{period.month}' if period.month else 'nam')}-{period.year}"
    if job.kind == "chart":
        from bot.exports.chart import render_chart

        return render_chart(data), f"bieu-do-{stem}.png", "photo"
    if job.kind == "workbook":
        from bot.exports.workbook import build_workbook

        return build_workbook(data), f"so-lieu-{stem}.xlsx", "document"
    from bot.exports.document import draft_report

    return draft_report(data, config.report_document, job.report_name), f"du-thao-bao-cao-{stem}.docx", "document"


def delivery_of(
    job: FileJob, attachment: Attachment, config: Config, profile: ChannelProfile
) -> tuple[str, Attachment | None]:
    """The message that carries a file: the file with a caption where the channel takes files, else a link or
    where the file is kept."""
    period = period_name(job.period)
    caption = text(f"file.caption.{job.kind}", period=period, report=job.report_name, commune=config.commune.name)
    if profile.files:
        return caption, attachment
    if config.exports.public_url:
        url = f"{config.exports.public_url.rstrip('/')}/{Path(attachment.path).name}"
        return text("file.link", caption=caption, url=url), None
    return text("file.on_server", caption=caption, name=Path(attachment.path).name), None


HANDLERS = {ExportWorkbook: export_workbook, DraftReport: draft, ImportFile: import_file}
ASKS = {Ask.REPORT_KIND: report_kind_options}
