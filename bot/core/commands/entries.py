"""Logging what happened: meetings, issued documents, dossier tallies, and cancelling an entry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.commands.registry import CommandSpec, ParseContext
from bot.core.commands.tokens import (
    Ask,
    Missing,
    NeedInput,
    ParseError,
    Tokens,
    echo,
    fold,
    is_number,
    is_task_ref,
    optional_date,
    positive_int,
    task_ref,
)
from bot.core.permissions import ANY_MEMBER
from bot.core.texts.format import format_count

MAX_DOCUMENT_NUMBER = 50
MAX_COUNT = 100_000


class MeetingMode(StrEnum):
    """How a meeting was held."""

    ONLINE = "online"
    IN_PERSON = "in_person"


class DocumentKind(StrEnum):
    """How an issued document was handled."""

    ELECTRONIC = "electronic"
    PAPER = "paper"
    SECRET = "secret"


ONLINE_APPS = ("zoom", "teams", "msteams", "googlemeet", "meet", "zalo")
MEETING_MODES: dict[str, MeetingMode] = {
    "tructuyen": MeetingMode.ONLINE,
    "online": MeetingMode.ONLINE,
    # the platform named instead: 'zoom', 'qua Zalo', 'trực tuyến qua Google Meet' ('/kenh zalo' has its own words)
    **{f"{way}{app}": MeetingMode.ONLINE for way in ("", "qua", "tructuyenqua") for app in ONLINE_APPS},
    "tructiep": MeetingMode.IN_PERSON,
    "offline": MeetingMode.IN_PERSON,
}
MEETING_MODE_WORDS = {MeetingMode.ONLINE: "truc_tuyen", MeetingMode.IN_PERSON: "truc_tiep"}

DOCUMENT_KINDS: dict[str, DocumentKind] = {
    "dientu": DocumentKind.ELECTRONIC,
    "electronic": DocumentKind.ELECTRONIC,
    "giay": DocumentKind.PAPER,
    "bangiay": DocumentKind.PAPER,
    "paper": DocumentKind.PAPER,
    "mat": DocumentKind.SECRET,
    "toimat": DocumentKind.SECRET,
    "secret": DocumentKind.SECRET,
}
DOCUMENT_KIND_WORDS = {DocumentKind.ELECTRONIC: "dien_tu", DocumentKind.PAPER: "giay", DocumentKind.SECRET: "mat"}

RESERVED_WORDS = frozenset(MEETING_MODES) | frozenset(DOCUMENT_KINDS)


@dataclass(frozen=True)
class AskMeetingMode:
    """`/hop` without a mode: answered with a choice."""

    department: str | None


@dataclass(frozen=True)
class LogMeeting:
    department: str | None
    mode: MeetingMode
    day: date
    summary: str


@dataclass(frozen=True)
class AskDocumentKind:
    """`/vanban` without a kind: answered with a choice."""

    department: str | None


@dataclass(frozen=True)
class LogDocument:
    department: str | None
    kind: DocumentKind
    number: str | None
    summary: str
    day: date


@dataclass(frozen=True)
class LogDossiers:
    department: str | None
    online: int
    paper: int
    day: date


@dataclass(frozen=True)
class Cancel:
    entry_id: int | None


@dataclass(frozen=True)
class CancelTask:
    """`/huy V3`: a leader withdraws a task."""

    task_id: int


def document_number_key(number: str) -> str:
    """The form a số ký hiệu is compared in: '125/QĐ-UBND' and '125/qd-ubnd' are one number."""
    return re.sub(r"\s+", "", fold(number)).upper()


def parse_meeting(tokens: Tokens, ctx: ParseContext) -> AskMeetingMode | LogMeeting:
    department = tokens.department(ctx.departments)
    if not tokens.raw:
        return AskMeetingMode(department)
    mode = tokens.alias(MEETING_MODES)
    if mode is None:
        raise ParseError("parse.unknown_meeting_kind", value=echo(tokens.raw[0]))
    day = optional_date(tokens, ctx.today)
    return LogMeeting(department, mode, day, tokens.summary())


def parse_document(tokens: Tokens, ctx: ParseContext) -> AskDocumentKind | LogDocument:
    department = tokens.department(ctx.departments)
    if not tokens.raw:
        return AskDocumentKind(department)
    kind = tokens.alias(DOCUMENT_KINDS)
    if kind is None:
        raise ParseError("parse.unknown_document_kind", value=echo(tokens.raw[0]))
    day = optional_date(tokens, ctx.today, strict=True)
    if kind is DocumentKind.SECRET:
        if tokens.raw:  # a secret document's number or abstract does not belong in a chat app
            raise ParseError("parse.secret_details")
        return LogDocument(department, kind, None, "", day)
    number = None
    first = tokens.peek()
    if first is not None and any(c.isdigit() for c in first):
        if len(first) > MAX_DOCUMENT_NUMBER:
            raise ParseError("parse.too_long", limit=MAX_DOCUMENT_NUMBER)
        number = tokens.take()[0]
    return LogDocument(department, kind, number, tokens.summary(), day)


def _count(token: str) -> int:
    if not is_number(token):
        raise ParseError("parse.bad_count", value=echo(token))
    if int(token) > MAX_COUNT:
        raise ParseError("parse.count_too_big", value=echo(token), limit=format_count(MAX_COUNT))
    return int(token)


def parse_dossiers(tokens: Tokens, ctx: ParseContext) -> LogDossiers:
    department = tokens.department(ctx.departments)
    if not tokens.raw:
        raise NeedInput("prompt.hoso")
    if len(tokens.raw) < 2:
        _count(tokens.raw[0])
        raise ParseError("parse.missing_counts")
    online, paper = (_count(token) for token in tokens.take(2))
    if online == 0 and paper == 0:
        raise ParseError("parse.zero_counts")
    day = optional_date(tokens, ctx.today)
    tokens.no_more()
    return LogDossiers(department, online, paper, day)


def parse_cancel(tokens: Tokens, ctx: ParseContext) -> Cancel | CancelTask:
    if not tokens.raw:
        return Cancel(None)
    token = tokens.take()[0]
    tokens.no_more()
    if is_task_ref(token):
        return CancelTask(task_ref(token))
    return Cancel(positive_int(token, "parse.bad_entry_id"))


def ask_meeting_mode(department: str | None) -> Missing:
    """The question that follows `/hop` (for a department, once it is known)."""
    return Missing(Ask.MEETING_MODE, f"/hop {department} {{}}" if department else "/hop {}")


def ask_document_kind(department: str | None) -> Missing:
    """The question that follows `/vanban`."""
    return Missing(Ask.DOCUMENT_KIND, f"/vanban {department} {{}}" if department else "/vanban {}")


COMMANDS = (
    CommandSpec("hop", parse_meeting, ANY_MEMBER, writes=True, aliases=("cuochop", "hoihop")),
    CommandSpec("vanban", parse_document, ANY_MEMBER, writes=True),
    CommandSpec("hoso", parse_dossiers, ANY_MEMBER, writes=True, aliases=("thutuc",)),
    CommandSpec("huy", parse_cancel, ANY_MEMBER, writes=True),
)
