"""Logging what happened: meetings, issued documents and dossier tallies; their grammar, their texts and the
views of an entry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.grammar import (
    Ask,
    Missing,
    NeedInput,
    ParseContext,
    ParseError,
    Tokens,
    echo,
    fold,
    is_number,
    optional_date,
)
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_count, format_date, format_percent
from bot.core.words import compact

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


UNNUMBERED = {compact(word): True for word in ("không số", "khongso", "ko số", "koso")}  # said on purpose


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
    elif tokens.alias(UNNUMBERED) is None:  # an issued document has its số ký hiệu: never filed without a word
        raise ParseError("parse.document_number_missing")
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


def ask_meeting_mode(department: str | None) -> Missing:
    """The question that follows `/hop` (for a department, once it is known)."""
    return Missing(Ask.MEETING_MODE, f"/hop {department} {{}}" if department else "/hop {}")


def ask_document_kind(department: str | None) -> Missing:
    """The question that follows `/vanban`."""
    return Missing(Ask.DOCUMENT_KIND, f"/vanban {department} {{}}" if department else "/vanban {}")


@dataclass(frozen=True)
class EntryView:
    """One logged entry as users see it: its number, what it records, for which department and day."""

    id: int  # the number users see (#N), counted within the commune
    kind: str  # meeting | document | dossiers | report | resolved | incoming
    department: str
    day: date
    summary: str = ""
    online: bool | None = None
    document_kind: str | None = None
    document_number: str | None = None
    dossiers_online: int = 0
    dossiers_paper: int = 0
    report: str | None = None
    report_year: int | None = None
    with_file: bool = False


@dataclass(frozen=True)
class EntryLogged:
    entry: EntryView


add_strings(
    {
        "usage.hop": (
            "/hop tructuyen|tructiep [ngày] [nội dung] (cũng nhận: online, trực tuyến, zoom, zalo, trực tiếp)\n"
            "Ngày: 12/11, hôm qua, thứ sáu tuần trước…\n"
            "Ví dụ: /hop tructuyen 12/11 Giao ban tuần, /hop zoom hôm qua Giao ban"
        ),
        "usage.vanban": (
            "/vanban dientu|giay|mat [ngày] <số ký hiệu|khongso> [trích yếu]\n"
            "Ví dụ: /vanban dientu 20/11/2026 15/KH-UBND Kế hoạch tuyên truyền, /vanban giay hôm qua 16/TB-UBND …\n"
            "Văn bản mật: chỉ /vanban mat [ngày], không ghi số hay trích yếu."
        ),
        "usage.hoso": (
            "/hoso <số trực tuyến> <số trực tiếp> [ngày]\nVí dụ: /hoso 19 1, /hoso 19 1 hôm qua, /hoso 3 0 thứ hai"
        ),
        "summary.hop": "ghi một cuộc họp",
        "summary.vanban": "ghi một văn bản đã ban hành",
        "summary.hoso": "ghi số hồ sơ TTHC tiếp nhận",
        "prompt.hoso": "Gõ số hồ sơ TTHC tiếp nhận trực tuyến và trực tiếp.",
        "parse.unknown_meeting_kind": "Không rõ hình thức họp “{value}”.",
        "parse.unknown_document_kind": "Không rõ loại văn bản “{value}”.",
        "parse.bad_count": "Số hồ sơ “{value}” phải là số nguyên không âm.",
        "parse.count_too_big": "Số hồ sơ “{value}” quá lớn: mỗi lần ghi tối đa {limit} hồ sơ.",
        "parse.secret_details": "Văn bản mật chỉ ghi số lượng: không ghi số ký hiệu hay trích yếu trong ứng dụng chat.",
        "parse.document_number_missing": (
            "Văn bản chưa có số ký hiệu: gõ số ngay sau loại văn bản (vd. 12/UBND-VHXH); văn bản không có số thì gõ "
            "“khongso”."
        ),
        "parse.zero_counts": "Cả hai số đều bằng 0; không có gì để ghi.",
        "parse.missing_counts": "Thiếu số hồ sơ trực tuyến và trực tiếp.",
        "parse.bad_entry_id": "Số mục “{value}” không hợp lệ.",
        "ask.meeting_mode": "Cuộc họp theo hình thức nào?",
        "ask.document_kind": "Văn bản loại nào?",
        "option.online": "Trực tuyến",
        "option.in_person": "Trực tiếp",
        "option.electronic": "Điện tử",
        "option.paper": "Giấy",
        "option.secret": "Mật",
        "entry.not_your_department": "Bạn chỉ ghi được cho phòng của mình ({codes}).",
        "meeting.logged": "Đã ghi #{id}: họp {mode} ngày {day} – {department}{summary}.",
        "meeting.online": "trực tuyến",
        "meeting.in_person": "trực tiếp",
        "document.logged": "Đã ghi #{id}: văn bản {kind}{number} ngày {day} – {department}{summary}.",
        "document.electronic": "điện tử",
        "document.paper": "giấy",
        "document.secret": "mật",
        "document.number": " số {number}",
        "document.unnumbered": " không số",
        "document.duplicate": "Văn bản số {number} đã được ghi năm {year} (#{id}); không ghi lại để tránh đếm hai lần.",
        "dossiers.logged": (
            "Đã ghi #{id}: hồ sơ TTHC ngày {day} – {department}: "
            "{online} trực tuyến, {paper} trực tiếp ({share} trực tuyến)."
        ),
        "confirm.same_meeting": "Cuộc họp này vừa được ghi (#{id}: {what}). Ghi thêm một lần nữa?",
        "option.log_anyway": "Vẫn ghi",
        "option.dont": "Không",
        "what.meeting": "họp {mode} ngày {day}",
        "what.document": "văn bản {kind}{number}",
        "what.dossiers": "hồ sơ ({online} trực tuyến, {paper} trực tiếp) ngày {day}",
        "what.report": "{report} {year}",
    }
)


def _mode(entry: EntryView) -> str:
    return text("meeting.online" if entry.online else "meeting.in_person")


def _number(entry: EntryView) -> str:
    if entry.document_number:
        return text("document.number", number=entry.document_number)
    issued_unnumbered = entry.kind == "document" and entry.document_kind != DocumentKind.SECRET
    return text("document.unnumbered") if issued_unnumbered else ""


@render.register
def describe_entry(entry: EntryView) -> str:
    """What an entry records, in a few words: 'họp trực tuyến ngày 12/11/2026'."""
    day = format_date(entry.day)
    match entry.kind:
        case "meeting":
            return text("what.meeting", mode=_mode(entry), day=day)
        case "document":
            return text("what.document", kind=text(f"document.{entry.document_kind}"), number=_number(entry))
        case "report":
            return text("what.report", report=entry.report, year=entry.report_year)
        case "resolved":
            return text("what.resolved", online=entry.dossiers_online, paper=entry.dossiers_paper, day=day)
        case "incoming":
            return text("what.incoming", kind=text(f"document.{entry.document_kind}"), number=_number(entry))
    return text("what.dossiers", online=entry.dossiers_online, paper=entry.dossiers_paper, day=day)


@render.register
def _logged(view: EntryLogged) -> str:
    entry = view.entry
    common = {"id": entry.id, "day": format_date(entry.day), "department": entry.department}
    summary = f": {entry.summary}" if entry.summary else ""
    match entry.kind:
        case "meeting":
            return text("meeting.logged", mode=_mode(entry), summary=summary, **common)
        case "document":
            kind = text(f"document.{entry.document_kind}")
            return text("document.logged", kind=kind, number=_number(entry), summary=summary, **common)
    total = entry.dossiers_online + entry.dossiers_paper
    share = format_percent(entry.dossiers_online / total)
    return text("dossiers.logged", online=entry.dossiers_online, paper=entry.dossiers_paper, share=share, **common)
