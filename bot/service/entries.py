"""Logging meetings, documents and dossier tallies (/hop, /vanban, /hoso), and cancelling an entry (/huy)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Select

from bot.core.commune import Commune
from bot.core.features.cancel import Cancel, CancelTask, EntryCancelled, parse_cancel
from bot.core.features.entries import (
    DOCUMENT_KIND_WORDS,
    MEETING_MODE_WORDS,
    AskDocumentKind,
    AskMeetingMode,
    EntryLogged,
    EntryView,
    LogDocument,
    LogDossiers,
    LogMeeting,
    MeetingMode,
    ask_document_kind,
    ask_meeting_mode,
    document_number_key,
    parse_document,
    parse_dossiers,
    parse_meeting,
)
from bot.core.grammar import Ask, Missing
from bot.core.messages import Option
from bot.core.outcomes import Question, Refused, Say
from bot.core.permissions import ANY_MEMBER, may_cancel
from bot.core.registry import Command, Feature
from bot.service import tasks
from bot.service.context import Context
from storage import entries
from storage.models.entries import Document, DossierTally, Entry, Meeting, ReportSubmission

TWIN_WINDOW = timedelta(minutes=15)


def entry_view(entry: Entry, commune: Commune, department: str | None = None) -> EntryView:
    """An entry as users see it."""
    code = department or entry.department.code
    report = commune.report(entry.report_code) if isinstance(entry, ReportSubmission) else None
    return EntryView(
        id=entry.number,
        kind=entry.kind,
        department=commune.department_name(code),
        day=entry.occurred_on,
        summary=entry.summary,
        online=entry.meeting_online,
        document_kind=entry.document_kind,
        document_number=entry.document_number,
        dossiers_online=entry.dossiers_online or entry.resolved_online or 0,  # a resolved tally's, as its own
        dossiers_paper=entry.dossiers_paper or entry.resolved_paper or 0,
        report=report.name if report else entry.report_code,
        report_year=entry.report_year,
        with_file=bool(entry.file_id),
    )


def new_entry(ctx: Context, cls: type[Entry], day, **fields) -> Entry:
    """An entry made by the sender from this request, for `day`."""
    source = ctx.source
    return cls(
        person_id=ctx.me.person_id,
        occurred_on=day,
        year=day.year,
        created_at=ctx.now,
        source_channel=source.channel,
        source_chat_id=source.chat_id,
        source_message_id=source.message_id,
        **fields,
    )


async def log(
    ctx: Context, command: LogMeeting | LogDocument | LogDossiers | AskMeetingMode | AskDocumentKind
) -> object:
    """Log a meeting, a document or a day's dossiers for a department (asking what is missing)."""
    code = ctx.department_for(command.department)
    if not isinstance(code, str):
        return code
    session, commune = ctx.session, ctx.here
    match command:
        case AskMeetingMode():
            return ask_meeting_mode(code)
        case AskDocumentKind():
            return ask_document_kind(code)
        case LogMeeting():
            online = command.mode is MeetingMode.ONLINE
            meeting = new_entry(ctx, Meeting, command.day, summary=command.summary, meeting_online=online)
            twin = None if ctx.confirmed else _same_meeting(ctx, code, online, command)
            if (logged := await record_entry(ctx, meeting, code, unless=twin)) is None:
                return _confirm_twin(ctx, await entries.find(session, twin))
            return EntryLogged(logged)
        case LogDocument():
            key = document_number_key(command.number) if command.number else None
            if key and (existing := await entries.find_document_number(session, commune.id, command.day.year, key)):
                return Refused.of(
                    "document.duplicate", number=command.number, year=command.day.year, id=existing.number
                )
            entry: Entry = new_entry(
                ctx,
                Document,
                command.day,
                summary=command.summary,
                document_kind=command.kind,
                document_number=command.number,
                document_number_key=key,
            )
        case LogDossiers():
            entry = new_entry(
                ctx, DossierTally, command.day, dossiers_online=command.online, dossiers_paper=command.paper
            )
    return EntryLogged(await record_entry(ctx, entry, code))


async def record_entry(ctx: Context, entry: Entry, code: str, *, unless: Select | None = None) -> EntryView | None:
    """Store a new entry of the department with its audit line (who, when, what was typed); as a receipt shows it.
    None, nothing stored, when the query `unless` finds an entry (checked as the entry is numbered)."""
    if await entries.add_entry(ctx.session, ctx.here.id, entry, code, unless=unless) is None:
        return None
    day = entry.occurred_on.isoformat()
    await ctx.audit("add", entry.kind, entry.number, department=code, day=day, text=ctx.typed[:400])
    return entry_view(entry, ctx.here, code)


def _same_meeting(ctx: Context, code: str, online: bool, command: LogMeeting) -> Select:
    """The same department's meeting of the same mode, day and summary, logged within the last minutes (a query)."""
    return entries.recent_meeting(
        ctx.here.id,
        department=code,
        online=online,
        day=command.day,
        summary=command.summary,
        since=ctx.now - TWIN_WINDOW,
    )


def _confirm_twin(ctx: Context, twin: Entry) -> Question:
    """Asked before logging what looks like the same meeting twice."""
    options = (
        Option(Say.of("option.log_anyway"), ctx.typed, confirmed=True),
        Option(Say.of("option.dont"), ""),
    )
    return Question("confirm.same_meeting", options, {"id": twin.number, "what": entry_view(twin, ctx.here)})


async def cancel(ctx: Context, command: Cancel | CancelTask) -> object:
    """Cancel the sender's latest entry or a numbered one (the record is kept); a task goes to its feature."""
    if isinstance(command, CancelTask):
        return await tasks.cancel_task(ctx, command)
    session, commune = ctx.session, ctx.here
    latest = await entries.get_latest_entry(session, commune.id, ctx.me.person_id)
    if command.entry_id is None:
        if latest is None:
            return Refused.of("cancel.nothing")
        if latest.cancelled_at is not None:  # a second bare /huy never walks back through older entries
            return Refused.of("cancel.last_already", id=latest.number, what=entry_view(latest, commune))
        entry = latest
    else:
        entry = await entries.get_entry(session, commune.id, command.entry_id)
        if entry is None:
            return Refused.of("cancel.not_found", id=command.entry_id)
        if not may_cancel(ctx.me, entry.person_id):
            return Refused.of("cancel.not_yours")
        if entry.cancelled_at is not None:
            return Refused.of("cancel.already", id=entry.number)
        if not ctx.confirmed and (latest is None or entry.id != latest.id):
            options = (
                Option(Say.of("option.cancel_entry", id=entry.number), f"/huy {entry.number}", confirmed=True),
                Option(Say.of("option.dont"), ""),
            )
            return Question("confirm.cancel", options, {"id": entry.number, "what": entry_view(entry, commune)})
    await entries.cancel_entry(session, entry, by_id=ctx.me.person_id, now=ctx.now)
    await ctx.audit("cancel", entry.kind, entry.number)
    return EntryCancelled(entry_view(entry, commune))


async def mode_options(ctx: Context, missing: Missing) -> list[Option]:
    """Online or in person."""
    labels = {MeetingMode.ONLINE: "option.online", MeetingMode.IN_PERSON: "option.in_person"}
    return [Option(Say.of(labels[m]), missing.template.format(word)) for m, word in MEETING_MODE_WORDS.items()]


async def kind_options(ctx: Context, missing: Missing) -> list[Option]:
    """Electronic, paper or secret."""
    return [Option(Say.of(f"option.{k}"), missing.template.format(word)) for k, word in DOCUMENT_KIND_WORDS.items()]


FEATURE = Feature(
    "entries",
    order=20,
    commands=(
        Command("hop", parse_meeting, log, ANY_MEMBER, writes=True, aliases=("cuochop", "hoihop")),
        Command("vanban", parse_document, log, ANY_MEMBER, writes=True),
        Command("hoso", parse_dossiers, log, ANY_MEMBER, writes=True, aliases=("thutuc",)),
        Command("huy", parse_cancel, cancel, ANY_MEMBER, writes=True),
    ),
    asks={Ask.MEETING_MODE: mode_options, Ask.DOCUMENT_KIND: kind_options},
)
