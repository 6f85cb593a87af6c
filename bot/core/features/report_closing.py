"""What the consolidating department (Phòng Văn hóa – Xã hội, section IV.2 of the plan) does with the departments'
reports: /chotbaocao closes a period's answers, /mobaocao opens it again, /nhacbaocao reminds the departments that
have not answered; their grammar, texts and views."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.features.report_content import report_period
from bot.core.grammar import ParseContext, Tokens
from bot.core.texts.catalogue import add_strings, render, text


@dataclass(frozen=True)
class CloseReport:
    """/chotbaocao, /mobaocao: the consolidating department closes (or opens again) a period's answers."""

    report: str
    year: int | None
    reopen: bool = False


@dataclass(frozen=True)
class NudgeReport:
    """/nhacbaocao: remind the departments that have not answered a period's content."""

    report: str | None
    year: int | None


def parse_close(tokens: Tokens, ctx: ParseContext) -> CloseReport:
    report, year = report_period(tokens, ctx, required=True)
    tokens.no_more()
    return CloseReport(report, year)


def parse_reopen(tokens: Tokens, ctx: ParseContext) -> CloseReport:
    report, year = report_period(tokens, ctx, required=True)
    tokens.no_more()
    return CloseReport(report, year, reopen=True)


def parse_nudge(tokens: Tokens, ctx: ParseContext) -> NudgeReport:
    report, year = report_period(tokens, ctx, required=False)
    tokens.no_more()
    return NudgeReport(report, year)


@dataclass(frozen=True)
class Nudged:
    """Who was reminded to answer a period, and who had been reminded today already."""

    report: str
    year: int
    departments: tuple[str, ...]
    already: tuple[str, ...] = ()
    unreachable: tuple[str, ...] = ()  # no focal person nor group to tell


add_strings(
    {
        "usage.chotbaocao": "/chotbaocao <kỳ> [năm]\nVí dụ: /chotbaocao nam 2026",
        "usage.mobaocao": "/mobaocao <kỳ> [năm]\nVí dụ: /mobaocao nam 2026",
        "usage.nhacbaocao": "/nhacbaocao [kỳ] [năm]\nVí dụ: /nhacbaocao nam",
        "summary.chotbaocao": "chốt nội dung báo cáo định kỳ của các phòng",
        "summary.mobaocao": "mở lại kỳ báo cáo đã chốt",
        "summary.nhacbaocao": "nhắc các phòng chưa trả lời nội dung báo cáo",
        "close.confirm": (
            "Chốt {report} {year}? Đã trả lời đủ nội dung: {answered}/{total} phòng. "
            "Sau khi chốt, các phòng không sửa được nội dung."
        ),
        "option.close": "Chốt {report} {year}",
        "option.keep_open": "Chưa chốt",
        "close.done": (
            "🔒 Đã chốt {report} {year}: {answered}/{total} phòng trả lời đủ nội dung. "
            "Dự thảo báo cáo: /baocaomau {code} {year}"
        ),
        "close.already": "{report} {year} đã được chốt ngày {day}.",
        "close.reopened": "Đã mở lại {report} {year}: các phòng sửa được nội dung.",
        "close.not_closed": "{report} {year} chưa được chốt.",
        "nudge.text": (
            "📝 Phòng tổng hợp đề nghị {department} trả lời nội dung {report} {year} "
            "(hạn {weekday}, {due} – {left}): gõ /noidung {code} {year}"
        ),
        "nudge.done": "Đã nhắc {count} phòng chưa trả lời nội dung {report} {year}: {departments}.",
        "nudge.already": "Đã nhắc hôm nay: {departments}.",
        "nudge.unreachable": "Chưa có đầu mối hay nhóm nào nhận tin: {departments}.",
        "nudge.nobody": "Mọi phòng đã trả lời đủ nội dung {report} {year}.",
        "nudge.none_open": "Không có kỳ báo cáo nào đang nhận nội dung.",
    }
)


@render.register
def render_nudged(view: Nudged) -> str:
    """Whom the reminder went to, and whom it had already gone to today."""
    lines = []
    if view.departments:
        names = ", ".join(view.departments)
        count = len(view.departments)
        lines.append(text("nudge.done", count=count, report=view.report, year=view.year, departments=names))
    if view.already:
        lines.append(text("nudge.already", departments=", ".join(view.already)))
    if view.unreachable:
        lines.append(text("nudge.unreachable", departments=", ".join(view.unreachable)))
    return "\n".join(lines)
