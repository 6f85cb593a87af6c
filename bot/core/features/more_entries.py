"""The plan's other logged records: dossiers resolved, online or on paper, and how many late (§I.2, §IV.4:
"tiếp nhận, giải quyết … đúng thời hạn"), and documents received (§II.5: "văn bản đi, đến"); their grammar and
receipts, in the one-line style of /hoso and /vanban."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.features.entries import (
    DOCUMENT_KINDS,
    MAX_COUNT,
    MAX_DOCUMENT_NUMBER,
    DocumentKind,
    EntryView,
)
from bot.core.grammar import NeedInput, ParseContext, ParseError, Tokens, compact, echo, is_number, optional_date
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_count, format_date

LATE_WORDS = frozenset({"tre", "trehan", "quahan"})


@dataclass(frozen=True)
class LogResolved:
    department: str | None
    online: int
    paper: int
    late: int
    day: date


@dataclass(frozen=True)
class LogIncoming:
    department: str | None
    kind: DocumentKind
    number: str | None
    summary: str
    day: date


def _count(token: str) -> int:
    if not is_number(token):
        raise ParseError("parse.bad_count", value=echo(token))
    if int(token) > MAX_COUNT:
        raise ParseError("parse.count_too_big", value=echo(token), limit=format_count(MAX_COUNT))
    return int(token)


def parse_resolved(tokens: Tokens, ctx: ParseContext) -> LogResolved:
    """/giaiquyet [phòng] <trực tuyến> <trực tiếp> [tre <số>] [ngày]."""
    department = tokens.department(ctx.departments)
    if not tokens.raw:
        raise NeedInput("prompt.giaiquyet")
    if len(tokens.raw) < 2:
        _count(tokens.raw[0])
        raise ParseError("parse.missing_resolved")
    online, paper = (_count(token) for token in tokens.take(2))
    late = 0
    if tokens.raw and compact(tokens.raw[0]) in LATE_WORDS:
        tokens.take()
        if not tokens.raw:
            raise ParseError("parse.missing_late")
        late = _count(tokens.take()[0])
    if online == 0 and paper == 0:
        raise ParseError("parse.zero_counts")
    if late > online + paper:
        raise ParseError("parse.late_over_total", late=late, total=online + paper)
    day = optional_date(tokens, ctx.today)
    tokens.no_more()
    return LogResolved(department, online, paper, late, day)


def parse_incoming(tokens: Tokens, ctx: ParseContext) -> LogIncoming:
    """/vanbanden [phòng] dien_tu|giay|mat [ngày] [số ký hiệu] [trích yếu]; a secret one by count only."""
    department = tokens.department(ctx.departments)
    if not tokens.raw:
        raise NeedInput("prompt.vanbanden")
    kind = tokens.alias(DOCUMENT_KINDS)
    if kind is None:
        raise ParseError("parse.unknown_document_kind", value=echo(tokens.raw[0]))
    day = optional_date(tokens, ctx.today, strict=True)
    if kind is DocumentKind.SECRET:
        if tokens.raw:
            raise ParseError("parse.secret_details")
        return LogIncoming(department, kind, None, "", day)
    number = None
    first = tokens.peek()
    if first is not None and any(c.isdigit() for c in first):
        if len(first) > MAX_DOCUMENT_NUMBER:
            raise ParseError("parse.too_long", limit=MAX_DOCUMENT_NUMBER)
        number = tokens.take()[0]
    return LogIncoming(department, kind, number, tokens.summary(), day)


add_strings(
    {
        "usage.giaiquyet": (
            "/giaiquyet <số trực tuyến> <số trực tiếp> [tre <số trễ hạn>] [ngày]\n"
            "Ví dụ: /giaiquyet 18 1, /giaiquyet 18 1 tre 2 hôm qua"
        ),
        "usage.vanbanden": (
            "/vanbanden dientu|giay|mat [ngày] [số ký hiệu] [trích yếu]\n"
            "Ví dụ: /vanbanden dientu 45/SNV-CCHC Về việc báo cáo cải cách hành chính, /vanbanden giay hôm qua, "
            "/vanbanden mat"
        ),
        "summary.giaiquyet": "ghi số hồ sơ TTHC đã giải quyết (trực tuyến, trực tiếp, trễ hạn)",
        "summary.vanbanden": "ghi một văn bản đến",
        "prompt.giaiquyet": "Gõ số hồ sơ TTHC đã giải quyết trực tuyến, trực tiếp, và số trễ hạn (nếu có).",
        "prompt.vanbanden": "Gõ loại văn bản đến (dientu, giay, mat), số ký hiệu và trích yếu.",
        "parse.missing_resolved": "Thiếu số hồ sơ giải quyết trực tuyến và trực tiếp.",
        "parse.missing_late": "Thiếu số hồ sơ giải quyết trễ hạn sau “tre”.",
        "parse.late_over_total": "Số hồ sơ trễ hạn ({late}) lớn hơn số hồ sơ đã giải quyết ({total}).",
        "resolved.logged": (
            "Đã ghi #{id}: hồ sơ TTHC giải quyết ngày {day} – {department}: {online} trực tuyến, {paper} trực tiếp"
            "{late}."
        ),
        "resolved.late": ", {late} trễ hạn",
        "resolved.on_time": ", đều đúng hạn",
        "incoming.logged": "Đã ghi #{id}: văn bản đến {kind}{number} ngày {day} – {department}{summary}.",
        "import.late_over_total": "số hồ sơ trễ hạn ({late}) lớn hơn số hồ sơ đã giải quyết ({total})",
        "what.resolved": "hồ sơ giải quyết ({online} trực tuyến, {paper} trực tiếp) ngày {day}",
        "what.incoming": "văn bản đến {kind}{number}",
    }
)


@dataclass(frozen=True)
class ResolvedLogged:
    entry: EntryView
    late: int


@dataclass(frozen=True)
class IncomingLogged:
    entry: EntryView


def _common(entry: EntryView) -> dict[str, object]:
    return {"id": entry.id, "day": format_date(entry.day), "department": entry.department}


@render.register
def _resolved(view: ResolvedLogged) -> str:
    """'Đã ghi #5: hồ sơ TTHC giải quyết …, 2 trễ hạn.'"""
    entry = view.entry
    late = text("resolved.late", late=view.late) if view.late else text("resolved.on_time")
    return text(
        "resolved.logged", online=entry.dossiers_online, paper=entry.dossiers_paper, late=late, **_common(entry)
    )


@render.register
def _incoming(view: IncomingLogged) -> str:
    entry = view.entry
    number = text("document.number", number=entry.document_number) if entry.document_number else ""
    summary = f": {entry.summary}" if entry.summary else ""
    kind = text(f"document.{entry.document_kind}")
    return text("incoming.logged", kind=kind, number=number, summary=summary, **_common(entry))
