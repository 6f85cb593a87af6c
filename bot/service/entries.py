"""Logging meetings, documents and dossier tallies, and cancelling an entry."""

from __future__ import annotations

from datetime import timedelta

from bot.core.commands.entries import (
    DOCUMENT_KIND_WORDS,
    MEETING_MODE_WORDS,
    AskDocumentKind,
    AskMeetingMode,
    Cancel,
    LogDocument,
    LogDossiers,
    LogMeeting,
    MeetingMode,
    ask_document_kind,
    ask_meeting_mode,
    document_number_key,
)
from bot.core.commands.tokens import Ask, Missing
from bot.core.messages import Option
from bot.core.permissions import may_cancel
from bot.core.views import EntryCancelled, EntryLogged, EntryView, Question, Refusal, Say
from bot.service.context import Request, Settings
from storage import entries
from storage.models import Document, DossierTally, Entry, Meeting, ReportSubmission

TWIN_WINDOW = timedelta(minutes=15)


def entry_view(entry: Entry, settings: Settings, department: str | None = None) -> EntryView:
    """An entry as users see it."""
    code = department or entry.department.code
    report = settings.config.report(entry.report_code) if isinstance(entry, ReportSubmission) else None
    return EntryView(
        id=entry.id,
        kind=entry.kind,
        department=settings.name(code),
        day=entry.occurred_on,
        summary=entry.summary,
        online=entry.meeting_online,
        document_kind=entry.document_kind,
        document_number=entry.document_number,
        dossiers_online=entry.dossiers_online or 0,
        dossiers_paper=entry.dossiers_paper or 0,
        report=report.name if report else entry.report_code,
        report_year=entry.report_year,
        with_file=bool(entry.file_id),
    )


def new_entry(req: Request, cls: type[Entry], day, **fields) -> Entry:
    """An entry made by the sender from this message, for `day`."""
    incoming = req.incoming
    return cls(
        person_id=req.me.person_id,
        occurred_on=day,
        year=day.year,
        created_at=req.now,
        source_channel=incoming.channel,
        source_chat_id=incoming.chat_id,
        source_message_id=incoming.message_id,
        **fields,
    )


async def ask_mode(req: Request, command: AskMeetingMode) -> None:
    raise ask_meeting_mode(await req.department_for(command.department))


async def ask_kind(req: Request, command: AskDocumentKind) -> None:
    raise ask_document_kind(await req.department_for(command.department))


async def log(req: Request, command: LogMeeting | LogDocument | LogDossiers) -> EntryLogged | Question:
    code = await req.department_for(command.department)
    match command:
        case LogMeeting():
            online = command.mode is MeetingMode.ONLINE
            if not req.confirmed and (twin := await _same_meeting(req, code, online, command)):
                return _confirm_twin(req, twin)
            entry: Entry = new_entry(req, Meeting, command.day, summary=command.summary, meeting_online=online)
        case LogDocument():
            key = document_number_key(command.number) if command.number else None
            if key and (existing := await entries.find_document_number(req.session, command.day.year, key)):
                raise Refusal("document.duplicate", number=command.number, year=command.day.year, id=existing.id)
            entry = new_entry(
                req,
                Document,
                command.day,
                summary=command.summary,
                document_kind=command.kind,
                document_number=command.number,
                document_number_key=key,
            )
        case LogDossiers():
            entry = new_entry(
                req, DossierTally, command.day, dossiers_online=command.online, dossiers_paper=command.paper
            )
    await entries.add_entry(req.session, entry, code)
    await req.audit("add", entry.kind, entry.id, department=code, day=command.day.isoformat(), text=req.raw.args[:400])
    return EntryLogged(entry_view(entry, req.settings, code))


async def _same_meeting(req: Request, code: str, online: bool, command: LogMeeting) -> Entry | None:
    """The same department's meeting of the same mode, day and summary, logged within the last minutes."""
    return await entries.find_recent_meeting(
        req.session,
        department=code,
        online=online,
        day=command.day,
        summary=command.summary,
        since=req.now - TWIN_WINDOW,
    )


def _confirm_twin(req: Request, twin: Entry) -> Question:
    """Asked before logging what looks like the same meeting twice."""
    options = (
        Option(Say.of("option.log_anyway"), req.incoming.text, confirmed=True),
        Option(Say.of("option.dont"), ""),
    )
    return Question("confirm.same_meeting", options, {"id": twin.id, "what": entry_view(twin, req.settings)})


async def cancel(req: Request, command: Cancel) -> EntryCancelled | Question:
    latest = await entries.get_latest_entry(req.session, req.me.person_id)
    if command.entry_id is None:
        if latest is None:
            raise Refusal("cancel.nothing")
        if latest.cancelled_at is not None:  # a second bare /huy never walks back through older entries
            raise Refusal("cancel.last_already", id=latest.id, what=entry_view(latest, req.settings))
        entry = latest
    else:
        entry = await entries.get_entry(req.session, command.entry_id)
        if entry is None:
            raise Refusal("cancel.not_found", id=command.entry_id)
        if not may_cancel(req.me, entry.person_id):
            raise Refusal("cancel.not_yours")
        if entry.cancelled_at is not None:
            raise Refusal("cancel.already", id=entry.id)
        if not req.confirmed and (latest is None or entry.id != latest.id):
            options = (
                Option(Say.of("option.cancel_entry", id=entry.id), f"/huy {entry.id}", confirmed=True),
                Option(Say.of("option.dont"), ""),
            )
            return Question("confirm.cancel", options, {"id": entry.id, "what": entry_view(entry, req.settings)})
    await entries.cancel_entry(req.session, entry, by_id=req.me.person_id, now=req.now)
    await req.audit("cancel", entry.kind, entry.id)
    return EntryCancelled(entry_view(entry, req.settings))


async def mode_options(req: Request, missing: Missing) -> list[Option]:
    """Online or in person."""
    labels = {MeetingMode.ONLINE: "option.online", MeetingMode.IN_PERSON: "option.in_person"}
    return [Option(Say.of(labels[m]), missing.template.format(word)) for m, word in MEETING_MODE_WORDS.items()]


async def kind_options(req: Request, missing: Missing) -> list[Option]:
    """Electronic, paper or secret."""
    return [Option(Say.of(f"option.{k}"), missing.template.format(word)) for k, word in DOCUMENT_KIND_WORDS.items()]


HANDLERS = {
    AskMeetingMode: ask_mode,
    AskDocumentKind: ask_kind,
    LogMeeting: log,
    LogDocument: log,
    LogDossiers: log,
    Cancel: cancel,
}
ASKS = {Ask.MEETING_MODE: mode_options, Ask.DOCUMENT_KIND: kind_options}
