"""Files: the workbook (/xuat), the drafted report (/baocaomau), the chart with /chitieu, and import (/nhap).

A file is made after the answer is committed (in the running bot, after the answer was sent): its data is read in a
read-only snapshot and it is drawn in a worker thread (matplotlib's object API, never pyplot), so making it never
holds the database's write lock nor the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.commune import Commune
from bot.core.features.files import DraftReport, ExportWorkbook, ImportFile, parse_draft, parse_export, parse_import
from bot.core.features.targets import period_name
from bot.core.grammar import Ask, Missing
from bot.core.messages import Attachment, ChannelProfile, Incoming, Option
from bot.core.outcomes import FileJob, Refused, Say, WithFile
from bot.core.periods import Period, month_period, year_period
from bot.core.permissions import ADMINS, MANAGERS, READERS
from bot.core.registry import Command, Feature
from bot.core.replies import split_text
from bot.core.texts import format_date, text
from bot.core.texts.document import period_title
from bot.figures import commune_period, standings
from bot.service.context import Context, Deployment
from storage import outbox
from storage.chats import Recipient
from storage.db import Database
from storage.imports import ImportResult, import_rows

MAX_REFUSED_LINES = 10

logger = logging.getLogger(__name__)


def period_of(commune: Commune, year: int, report: str | None = None, month: int | None = None) -> Period:
    """The period a command names: a report's data window, a month, or the year."""
    if report is not None:
        return commune.report(report).window(year)
    return month_period(year, month) if month is not None else year_period(year)


def begun_period(ctx: Context, year: int, report: str | None = None, month: int | None = None) -> Period | Refused:
    """The period a command names, refused if it has not begun (nothing to count yet)."""
    period = period_of(ctx.here, year, report, month)
    if not period.has_begun(ctx.today):
        return Refused.of("period.not_begun", period=period_name(period), start=format_date(period.start))
    return period


def report_title(commune: Commune, report: str, year: int) -> str:
    """How the drafted report's title ends: 'năm 2026', '6 tháng đầu năm 2026'."""
    return period_title(commune.report(report), year)


async def export_workbook(ctx: Context, command: ExportWorkbook) -> WithFile | Refused:
    """The commune's workbook of a period; for the province officer, the province's (a sheet a commune)."""
    if ctx.commune is None:
        period = commune_period(next(iter(ctx.deployment.communes)), command.year, command.report, command.month)
        if period is None or not period.has_begun(ctx.today):
            return Refused.of("parse.future_period", value=str(command.year))
        job = FileJob("province", period, command.report or "")
    else:
        period = begun_period(ctx, command.year, command.report, command.month)
        if isinstance(period, Refused):
            return period
        job = FileJob("workbook", period, commune_id=ctx.here.id)
    what = Say.of("file.what.workbook", period=period_name(period))
    return WithFile(Say.of("file.making", what=what), job)


async def draft(ctx: Context, command: DraftReport) -> WithFile | Refused:
    commune = ctx.here
    if commune.document is None:
        return Refused.of("export.no_document_settings")
    period = begun_period(ctx, command.year, command.report)
    if isinstance(period, Refused):
        return period
    title = report_title(commune, command.report, command.year)
    what = Say.of("file.what.document", report=title)
    return WithFile(Say.of("file.making", what=what), FileJob("document", period, title, commune_id=commune.id))


async def import_file(ctx: Context, command: ImportFile) -> Say | Refused:
    """Read a file sent (or named, on the command line) and store its good rows, in this transaction."""
    from bot.exports.limits import UnreadableFile, check_size

    try:
        check_size(ctx.source.upload_bytes)
    except UnreadableFile as err:
        return Refused.of("plain", text=str(err))
    if ctx.source.upload is None:
        return Refused.of("import.need_file")
    upload, commune = Path(ctx.source.upload), ctx.here
    departments = {d.code: d.name for d in commune.departments}
    try:
        batch = await asyncio.to_thread(_read_upload, upload, departments, ctx.today)
    except UnreadableFile as err:
        return Refused.of("plain", text=str(err))
    result = await import_rows(ctx.session, commune.id, batch, person_id=ctx.me.person_id, now=ctx.now)
    await ctx.audit("import", "file", upload.name, imported=len(result.imported), refused=len(result.refused))
    return import_summary(result)


def _read_upload(upload: Path, departments: dict[str, str], today: date):
    """A file's rows, read off the event loop; one over the size limit is refused before it is read."""
    from bot.exports.importer import read_rows
    from bot.exports.limits import check_size

    check_size(upload.stat().st_size)
    return read_rows(upload.read_bytes(), upload.name, departments=departments, today=today)


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


async def report_kind_options(ctx: Context, missing: Missing) -> list[Option]:
    """The configured reports, this year's period."""
    year = ctx.today.year
    return [
        Option(Say.of("option.report_kind", name=kind.name, year=year), missing.template.format(f"{kind.code} {year}"))
        for kind in ctx.here.reports
    ]


async def _data(session: AsyncSession, deployment: Deployment, job: FileJob, today: date):
    if job.kind == "province":
        period = job.period
        return await standings(session, deployment.communes, period.year, job.report_name or None, period.month, today)
    from bot.exports.data import export_data

    return await export_data(session, deployment.communes.get(job.commune_id), job.period, today)


async def render_file(db: Database, deployment: Deployment, job: FileJob, today: date) -> tuple[bytes, str, str]:
    """Read the figures in a snapshot and draw the file in a worker thread: (content, name, photo|document)."""
    async with db.reading() as session:
        data = await _data(session, deployment, job, today)
    return await asyncio.to_thread(_render, job, data, deployment)


async def make_file(db: Database, deployment: Deployment, job: FileJob, today: date) -> Attachment:
    """Draw a file and keep it in the files folder."""
    content, name, kind = await render_file(db, deployment, job, today)
    path = Path(deployment.exports.files_dir) / f"{today:%Y%m%d}-{secrets.token_hex(4)}-{name}"
    await asyncio.to_thread(_save, path, content)
    return Attachment(str(path), name, kind)


def _save(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _render(job: FileJob, data, deployment: Deployment) -> tuple[bytes, str, str]:
    period = job.period
    stem = f"{period.report or (f'thang{period.month}' if period.month else 'nam')}-{period.year}"
    if job.kind == "province":
        from bot.exports.province import build_province_workbook

        return build_province_workbook(deployment.name, data), f"so-lieu-tinh-{stem}.xlsx", "document"
    commune = deployment.communes.get(job.commune_id)
    if job.kind == "chart":
        from bot.exports.chart import render_chart

        return render_chart(data), f"bieu-do-{stem}.png", "photo"
    if job.kind == "workbook":
        from bot.exports.workbook import build_workbook

        return build_workbook(data), f"so-lieu-{stem}.xlsx", "document"
    from bot.exports.document import draft_report

    return draft_report(data, commune.document, job.report_name), f"du-thao-bao-cao-{stem}.docx", "document"


async def deliver_file(
    db: Database,
    deployment: Deployment,
    profile: ChannelProfile,
    incoming: Incoming,
    job: FileJob,
    today: date,
    now: datetime,
) -> list[int]:
    """Make a file an answer promised and queue the message that carries it (or says where it is, or that it
    failed); the outbox ids."""
    if job.kind == "chart" and not (profile.files or deployment.exports.public_url):
        return []  # the figures were in the text; a picture nobody can see is not made
    try:
        attachment = await make_file(db, deployment, job, today)
    except Exception:
        logger.exception("making a %s failed", job.kind)
        part = outbox.ReplyPart(text("file.failed"))  # it was promised: say it will not come
    else:
        caption, attached = delivery_of(job, attachment, deployment, profile)
        part = outbox.ReplyPart(split_text(caption, profile.max_text)[0], None, attached and vars(attached))
    async with db.unit_of_work() as session:
        recipient = Recipient(incoming.channel, incoming.chat_id, incoming.is_group)
        subject = outbox.reply_subject(incoming.chat_id, incoming.message_id)
        ids = await outbox.enqueue_reply(session, recipient, subject, [part], now=now, day=today, stage=job.kind)
        await session.commit()
    return ids


def delivery_of(
    job: FileJob, attachment: Attachment, deployment: Deployment, profile: ChannelProfile
) -> tuple[str, Attachment | None]:
    """The message that carries a file: the file with a caption where the channel takes files, else a link or
    where the file is kept."""
    period, exports = period_name(job.period), deployment.exports
    commune = deployment.communes.get(job.commune_id)
    whom = commune.name if commune is not None else deployment.name
    kind = "workbook" if job.kind == "province" else job.kind
    caption = text(f"file.caption.{kind}", period=period, report=job.report_name, commune=whom)
    if profile.files:
        return caption, attachment
    if exports.public_url:
        url = f"{exports.public_url.rstrip('/')}/{Path(attachment.path).name}"
        return text("file.link", caption=caption, url=url), None
    return text("file.on_server", caption=caption, name=Path(attachment.path).name), None


FEATURE = Feature(
    "files",
    order=50,
    commands=(
        Command(
            "xuat",
            parse_export,
            export_workbook,
            READERS,
            writes=False,
            aliases=("xuatexcel",),
            consolidating=True,
            private=True,
        ),
        Command(
            "baocaomau",
            parse_draft,
            draft,
            MANAGERS,
            writes=False,
            aliases=("duthao",),
            consolidating=True,
            private=True,
        ),
        Command("nhap", parse_import, import_file, ADMINS, writes=True, aliases=("nhapdulieu",), takes_file=True),
    ),
    asks={Ask.REPORT_KIND: report_kind_options},
)
