"""Text -> a typed command: what an official typed, understood with or without diacritics."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")

MAX_SUMMARY = 300
MAX_DOCUMENT_NUMBER = 50
MAX_COUNT = 100_000
INVITE_CODE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
DATE_TOKEN = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?$")


class CommandName(StrEnum):
    """Every chat command, by its Vietnamese name as typed in the chat."""

    START = "start"
    HELP = "help"
    WHOAMI = "toi"
    MEETING = "hop"
    DOCUMENT = "vanban"
    DOSSIERS = "hoso"
    CANCEL = "huy"
    TARGETS = "chitieu"
    LINK = "lienket"
    MEMBERS = "thanhvien"
    REVOKE = "thuhoi"
    SUBMIT = "nopbaocao"
    REPORTS = "baocao"
    ASSIGN = "giaoviec"
    TASKS = "viec"
    PROGRESS = "tiendo"
    DONE = "xong"


COMMAND_ALIASES: dict[str, CommandName] = {
    **{name.value: name for name in CommandName},
    "trogiup": CommandName.HELP,
    "huongdan": CommandName.HELP,
    "cuochop": CommandName.MEETING,
    "hoihop": CommandName.MEETING,
    "thutuc": CommandName.DOSSIERS,
    "baocaochitieu": CommandName.TARGETS,
    "nop": CommandName.SUBMIT,
    "congviec": CommandName.TASKS,
    "nhiemvu": CommandName.TASKS,
    "hoanthanh": CommandName.DONE,
}


class MeetingMode(StrEnum):
    """How a meeting was held."""

    ONLINE = "online"
    IN_PERSON = "in_person"


class DocumentKind(StrEnum):
    """How an issued document was handled."""

    ELECTRONIC = "electronic"
    PAPER = "paper"
    SECRET = "secret"


MEETING_MODES: dict[str, MeetingMode] = {
    "tructuyen": MeetingMode.ONLINE,
    "online": MeetingMode.ONLINE,
    "tructiep": MeetingMode.IN_PERSON,
    "offline": MeetingMode.IN_PERSON,
}

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

RESERVED_WORDS = frozenset(MEETING_MODES) | frozenset(DOCUMENT_KINDS)


class ParseError(Exception):
    """Input that cannot be understood: a text key, its values, and whose usage to show."""

    def __init__(self, command: CommandName, key: str, **values: object) -> None:
        super().__init__(key)
        self.command = command
        self.key = key
        self.values = values


@dataclass(frozen=True)
class RawCommand:
    """A message split into its command and the rest."""

    name: CommandName | None
    word: str
    args: str


@dataclass(frozen=True)
class Start:
    code: str | None


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class WhoAmI:
    pass


@dataclass(frozen=True)
class AskMeetingMode:
    """`/hop` without a mode: answered with buttons."""

    department: str | None


@dataclass(frozen=True)
class LogMeeting:
    department: str | None
    mode: MeetingMode
    day: date
    summary: str


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
class ShowTargets:
    year: int
    department: str | None


@dataclass(frozen=True)
class LinkGroup:
    department: str


@dataclass(frozen=True)
class ListMembers:
    pass


@dataclass(frozen=True)
class Revoke:
    person_id: int


@dataclass(frozen=True)
class Submit:
    department: str | None
    report: str
    year: int | None
    note: str


@dataclass(frozen=True)
class ShowReports:
    report: str | None
    year: int | None


@dataclass(frozen=True)
class Assign:
    department: str
    due: date
    title: str


@dataclass(frozen=True)
class ListTasks:
    department: str | None


@dataclass(frozen=True)
class Progress:
    task_id: int
    percent: int
    note: str


@dataclass(frozen=True)
class Done:
    task_id: int
    note: str


Command = (
    Start
    | Help
    | WhoAmI
    | AskMeetingMode
    | LogMeeting
    | LogDocument
    | LogDossiers
    | Cancel
    | ShowTargets
    | LinkGroup
    | ListMembers
    | Revoke
    | Submit
    | ShowReports
    | Assign
    | ListTasks
    | Progress
    | Done
)


def is_number(token: str) -> bool:
    """ASCII digits only: str.isdigit() also admits '²', which int() refuses."""
    return re.fullmatch(r"[0-9]+", token) is not None


def fold(value: str) -> str:
    """Lower case without Vietnamese diacritics: 'Trực Tuyến' -> 'truc tuyen'."""
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def compact(value: str) -> str:
    """Folded, without spaces, '_' or '-': the key every alias is looked up by."""
    return re.sub(r"[\s_\-]+", "", fold(value))


def split_command(message: str) -> RawCommand | None:
    """Split '/Hop@BinhLuBot truc tuyen' into its command and arguments; None if not a command."""
    message = message.strip()
    if not message.startswith("/"):
        return None
    word, *rest = message[1:].split(maxsplit=1)  # a line break after the command is a space on a phone
    args = rest[0] if rest else ""
    word, _, _bot = word.partition("@")
    return RawCommand(COMMAND_ALIASES.get(compact(word)), word, args.strip())


@dataclass
class _Tokens:
    """Arguments as typed and their folded keys, consumed from the left."""

    raw: list[str]

    @classmethod
    def of(cls, args: str) -> _Tokens:
        return cls(args.split())

    def peek(self, n: int = 0) -> str | None:
        return self.raw[n] if len(self.raw) > n else None

    def take(self, n: int = 1) -> list[str]:
        taken, self.raw[:n] = self.raw[:n], []
        return taken

    def rest(self) -> str:
        text = " ".join(self.raw)
        self.raw.clear()
        return text


def _department(tokens: _Tokens, codes: Collection[str]) -> str | None:
    first = tokens.peek()
    if first is not None and fold(first).replace("-", "_") in codes:
        tokens.take()
        return fold(first).replace("-", "_")
    return None


def _alias(tokens: _Tokens, table: Mapping[str, T]) -> T | None:
    """Match one word, or two words written apart ('truc tuyen'), against an alias table."""
    for n in (1, 2):
        words = tokens.raw[:n]
        if len(words) == n and compact("".join(words)) in table:
            tokens.take(n)
            return table[compact("".join(words))]
    return None


def parse_date(token: str, today: date, command: CommandName) -> date:
    """'12/11' or '12/11/2026' in the past or today; a year-less date is the latest such day."""
    match = DATE_TOKEN.match(token)
    if not match:
        raise ParseError(command, "parse.bad_date", value=token)
    day, month, year = int(match[1]), int(match[2]), match[3]
    full_year = today.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
    try:
        result = date(full_year, month, day)
        if year is None and result > today:
            result = date(full_year - 1, month, day)
    except ValueError:
        raise ParseError(command, "parse.bad_date", value=token) from None
    if result > today:
        raise ParseError(command, "parse.future_date", value=result.strftime("%d/%m/%Y"))
    if result.year < 2000:
        raise ParseError(command, "parse.bad_date", value=token)
    return result


def parse_deadline(token: str, today: date, command: CommandName) -> date:
    """A deadline today or later; a year-less '04/12' is its next occurrence."""
    match = DATE_TOKEN.match(token)
    if not match:
        raise ParseError(command, "parse.bad_date", value=token[:20])
    day, month, year = int(match[1]), int(match[2]), match[3]
    full_year = today.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
    try:
        result = date(full_year, month, day)
        if year is None and result < today:
            result = date(full_year + 1, month, day)
    except ValueError:
        raise ParseError(command, "parse.bad_date", value=token[:20]) from None
    if result < today:
        raise ParseError(command, "parse.past_deadline", value=result.strftime("%d/%m/%Y"))
    if result.year > today.year + 5:
        raise ParseError(command, "parse.bad_date", value=token[:20])
    return result


def _optional_date(tokens: _Tokens, today: date, command: CommandName) -> date:
    first = tokens.peek()
    if first is not None and re.match(r"^\d{1,2}[/.-]\d{1,2}", first):
        return parse_date(tokens.take()[0], today, command)
    return today


def _summary(tokens: _Tokens, command: CommandName) -> str:
    summary = tokens.rest()
    if len(summary) > MAX_SUMMARY:
        raise ParseError(command, "parse.too_long", limit=MAX_SUMMARY)
    return summary


def _count(token: str) -> int:
    if not is_number(token) or int(token) > MAX_COUNT:
        raise ParseError(CommandName.DOSSIERS, "parse.bad_count", value=token)
    return int(token)


def _no_more(tokens: _Tokens, command: CommandName) -> None:
    if tokens.raw:
        raise ParseError(command, "parse.too_many_args", value=" ".join(tokens.raw)[:40])


def _parse_meeting(args: str, today: date, codes: Collection[str]) -> Command:
    tokens = _Tokens.of(args)
    department = _department(tokens, codes)
    if not tokens.raw:
        return AskMeetingMode(department)
    mode = _alias(tokens, MEETING_MODES)
    if mode is None:
        raise ParseError(CommandName.MEETING, "parse.unknown_meeting_kind", value=tokens.raw[0][:30])
    day = _optional_date(tokens, today, CommandName.MEETING)
    return LogMeeting(department, mode, day, _summary(tokens, CommandName.MEETING))


def _parse_document(args: str, today: date, codes: Collection[str]) -> Command:
    tokens = _Tokens.of(args)
    department = _department(tokens, codes)
    if not tokens.raw:
        raise ParseError(CommandName.DOCUMENT, "parse.missing_kind")
    kind = _alias(tokens, DOCUMENT_KINDS)
    if kind is None:
        raise ParseError(CommandName.DOCUMENT, "parse.unknown_document_kind", value=tokens.raw[0][:30])
    number = None
    first = tokens.peek()
    if first is not None and any(c.isdigit() for c in first):
        if len(first) > MAX_DOCUMENT_NUMBER:
            raise ParseError(CommandName.DOCUMENT, "parse.too_long", limit=MAX_DOCUMENT_NUMBER)
        number = tokens.take()[0]
    return LogDocument(department, kind, number, _summary(tokens, CommandName.DOCUMENT), today)


def _parse_dossiers(args: str, today: date, codes: Collection[str]) -> Command:
    tokens = _Tokens.of(args)
    department = _department(tokens, codes)
    if len(tokens.raw) < 2:
        for token in tokens.raw:
            _count(token)
        raise ParseError(CommandName.DOSSIERS, "parse.missing_counts")
    online, paper = (_count(token) for token in tokens.take(2))
    if online == 0 and paper == 0:
        raise ParseError(CommandName.DOSSIERS, "parse.zero_counts")
    day = _optional_date(tokens, today, CommandName.DOSSIERS)
    _no_more(tokens, CommandName.DOSSIERS)
    return LogDossiers(department, online, paper, day)


def _positive_int(token: str, command: CommandName, key: str) -> int:
    digits = token.removeprefix("#")
    if not is_number(digits) or not 0 < int(digits) < 2**31:
        raise ParseError(command, key, value=token[:20])
    return int(digits)


def _parse_cancel(args: str) -> Command:
    tokens = _Tokens.of(args)
    if not tokens.raw:
        return Cancel(None)
    entry_id = _positive_int(tokens.take()[0], CommandName.CANCEL, "parse.bad_entry_id")
    _no_more(tokens, CommandName.CANCEL)
    return Cancel(entry_id)


def _parse_targets(args: str, today: date, codes: Collection[str]) -> Command:
    tokens = _Tokens.of(args)
    year, department = today.year, None
    while tokens.raw:
        token = tokens.take()[0]
        code = fold(token).replace("-", "_")
        if is_number(token) and len(token) == 4:
            year = int(token)
            if not 2000 <= year <= today.year:
                raise ParseError(CommandName.TARGETS, "parse.bad_year", value=token)
        elif code in codes and department is None:
            department = code
        else:
            raise ParseError(CommandName.TARGETS, "parse.unknown_department", value=token[:30], codes=", ".join(codes))
    return ShowTargets(year, department)


def _parse_link(args: str, codes: Collection[str]) -> Command:
    tokens = _Tokens.of(args)
    if not tokens.raw:
        raise ParseError(CommandName.LINK, "parse.missing_department")
    department = _department(tokens, codes)
    if department is None:
        raise ParseError(CommandName.LINK, "parse.unknown_department", value=tokens.raw[0][:30], codes=", ".join(codes))
    _no_more(tokens, CommandName.LINK)
    return LinkGroup(department)


def _parse_revoke(args: str) -> Command:
    tokens = _Tokens.of(args)
    if not tokens.raw:
        raise ParseError(CommandName.REVOKE, "parse.bad_member_id", value="")
    person_id = _positive_int(tokens.take()[0], CommandName.REVOKE, "parse.bad_member_id")
    _no_more(tokens, CommandName.REVOKE)
    return Revoke(person_id)


def _report(tokens: _Tokens, reports: Collection[str], command: CommandName, *, required: bool) -> str | None:
    report = _alias(tokens, {compact(code): code for code in reports})
    if report is not None:
        return report
    if required or tokens.raw and not is_number(tokens.raw[0]):
        value = tokens.raw[0][:30] if tokens.raw else ""
        raise ParseError(command, "parse.unknown_report", value=value, codes=", ".join(reports))
    return None


def _optional_year(tokens: _Tokens, today: date, command: CommandName) -> int | None:
    first = tokens.peek()
    if first is None or not (is_number(first) and len(first) == 4):
        return None
    year = int(tokens.take()[0])
    if not 2000 <= year <= today.year + 1:
        raise ParseError(command, "parse.bad_year", value=str(year))
    return year


def _parse_submit(args: str, today: date, codes: Collection[str], reports: Collection[str]) -> Command:
    tokens = _Tokens.of(args)
    department = _department(tokens, codes)
    report = _report(tokens, reports, CommandName.SUBMIT, required=True)
    year = _optional_year(tokens, today, CommandName.SUBMIT)
    return Submit(department, report, year, _summary(tokens, CommandName.SUBMIT))


def _parse_reports(args: str, today: date, reports: Collection[str]) -> Command:
    tokens = _Tokens.of(args)
    report = _report(tokens, reports, CommandName.REPORTS, required=False)
    year = _optional_year(tokens, today, CommandName.REPORTS)
    _no_more(tokens, CommandName.REPORTS)
    return ShowReports(report, year)


def _parse_assign(args: str, today: date, codes: Collection[str]) -> Command:
    tokens = _Tokens.of(args)
    if not tokens.raw:
        raise ParseError(CommandName.ASSIGN, "parse.missing_department")
    department = _department(tokens, codes)
    if department is None:
        raise ParseError(
            CommandName.ASSIGN, "parse.unknown_department", value=tokens.raw[0][:30], codes=", ".join(codes)
        )
    if not tokens.raw:
        raise ParseError(CommandName.ASSIGN, "parse.missing_deadline")
    due = parse_deadline(tokens.take()[0], today, CommandName.ASSIGN)
    title = _summary(tokens, CommandName.ASSIGN)
    if not title:
        raise ParseError(CommandName.ASSIGN, "parse.missing_title")
    return Assign(department, due, title)


def _parse_tasks(args: str, codes: Collection[str]) -> Command:
    tokens = _Tokens.of(args)
    department = _department(tokens, codes)
    if tokens.raw:
        raise ParseError(
            CommandName.TASKS, "parse.unknown_department", value=tokens.raw[0][:30], codes=", ".join(codes)
        )
    return ListTasks(department)


def _task_id(tokens: _Tokens, command: CommandName) -> int:
    if not tokens.raw:
        raise ParseError(command, "parse.missing_task")
    return _positive_int(tokens.take()[0], command, "parse.bad_task_id")


def _parse_progress(args: str) -> Command:
    tokens = _Tokens.of(args)
    task_id = _task_id(tokens, CommandName.PROGRESS)
    if not tokens.raw:
        raise ParseError(CommandName.PROGRESS, "parse.missing_percent")
    token = tokens.take()[0]
    digits = token.removesuffix("%")
    if not is_number(digits) or int(digits) > 100:
        raise ParseError(CommandName.PROGRESS, "parse.bad_percent", value=token[:20])
    return Progress(task_id, int(digits), _summary(tokens, CommandName.PROGRESS))


def _parse_done(args: str) -> Command:
    tokens = _Tokens.of(args)
    task_id = _task_id(tokens, CommandName.DONE)
    return Done(task_id, _summary(tokens, CommandName.DONE))


def _parse_start(args: str) -> Command:
    code = args.strip()
    if not code:
        return Start(None)
    if not INVITE_CODE.match(code):
        raise ParseError(CommandName.START, "parse.bad_code")
    return Start(code)


def parse_command(
    name: CommandName, args: str, *, today: date, codes: Collection[str], reports: Collection[str] = ()
) -> Command:
    """The typed command for a recognised name; raises ParseError on bad arguments."""
    match name:
        case CommandName.START:
            return _parse_start(args)
        case CommandName.HELP:
            return Help()
        case CommandName.WHOAMI:
            return WhoAmI()
        case CommandName.MEETING:
            return _parse_meeting(args, today, codes)
        case CommandName.DOCUMENT:
            return _parse_document(args, today, codes)
        case CommandName.DOSSIERS:
            return _parse_dossiers(args, today, codes)
        case CommandName.CANCEL:
            return _parse_cancel(args)
        case CommandName.TARGETS:
            return _parse_targets(args, today, codes)
        case CommandName.LINK:
            return _parse_link(args, codes)
        case CommandName.MEMBERS:
            return ListMembers()
        case CommandName.REVOKE:
            return _parse_revoke(args)
        case CommandName.SUBMIT:
            return _parse_submit(args, today, codes, reports)
        case CommandName.REPORTS:
            return _parse_reports(args, today, reports)
        case CommandName.ASSIGN:
            return _parse_assign(args, today, codes)
        case CommandName.TASKS:
            return _parse_tasks(args, codes)
        case CommandName.PROGRESS:
            return _parse_progress(args)
        case CommandName.DONE:
            return _parse_done(args)


def document_number_key(number: str) -> str:
    """The form a số ký hiệu is compared in: '125/QĐ-UBND' and '125/qd-ubnd' are one number."""
    return re.sub(r"\s+", "", fold(number)).upper()
