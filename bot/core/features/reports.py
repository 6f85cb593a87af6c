"""Periodic reports: /nopbaocao records a department's submission, /baocao shows who has submitted; their grammar,
texts and views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.grammar import ParseContext, ParseError, Tokens, compact, echo, is_number, optional_date
from bot.core.reports import REPORT_PARTS
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_date, format_left, format_weekday


@dataclass(frozen=True)
class AskReportPeriod:
    """`/nopbaocao` without a period: the open periods are offered."""

    department: str | None


@dataclass(frozen=True)
class Submit:
    department: str | None
    report: str
    year: int | None
    note: str  # a delivery note ("Đã gửi qua iOffice"), never the report's content
    day: date | None = None  # the day it was submitted, if not today (recorded afterwards)


@dataclass(frozen=True)
class ShowReports:
    report: str | None
    year: int | None


def _report(tokens: Tokens, ctx: ParseContext, *, required: bool) -> str | None:
    report = tokens.alias({compact(code): code for code in ctx.reports})
    if report is not None:
        return report
    if required or tokens.raw and not is_number(tokens.raw[0]):
        raise ParseError("parse.unknown_report", value=echo(tokens.raw[0]), codes=", ".join(ctx.reports))
    return None


def parse_submit(tokens: Tokens, ctx: ParseContext) -> AskReportPeriod | Submit:
    department = tokens.department(ctx.departments)
    if not tokens.raw:
        return AskReportPeriod(department)
    report = _report(tokens, ctx, required=True)
    year = tokens.year(ctx.today)
    day = optional_date(tokens, ctx.today, strict=True)
    return Submit(department, report, year, tokens.summary(), day if day != ctx.today else None)


def parse_reports(tokens: Tokens, ctx: ParseContext) -> ShowReports:
    report = _report(tokens, ctx, required=False)
    year = tokens.year(ctx.today)
    tokens.no_more()
    return ShowReports(report, year)


@dataclass(frozen=True)
class SubmissionLine:
    """One department's standing in a report period: submitted (on time or late by `days_late`), or not yet (late
    by `days_late` once the due day has passed), and how many of the report's three parts it has answered."""

    department: str
    submitted_on: date | None = None
    person: str | None = None
    days_late: int = 0
    answered: int = 0  # of results, difficulties, proposals (section IV.3 of the plan)


@dataclass(frozen=True)
class ReportStatus:
    """Who has submitted one report period, and who is late."""

    report: str
    year: int
    due: date
    today: date
    lines: tuple[SubmissionLine, ...]
    code: str = ""
    closed_on: date | None = None  # the consolidating department closed it: answers are final
    may_remind: bool = False  # the viewer may remind the departments that have not answered

    @property
    def done(self) -> int:
        return sum(line.submitted_on is not None for line in self.lines)

    @property
    def answered(self) -> int:
        """How many departments answered all three parts."""
        return sum(line.answered == PARTS for line in self.lines)


PARTS = len(REPORT_PARTS)


@dataclass(frozen=True)
class Untracked:
    """A report period due before the bot started tracking."""

    report: str
    year: int
    start: date


add_strings(
    {
        "usage.nopbaocao": (
            "/nopbaocao <kỳ> [năm] [ghi chú]\nVí dụ: /nopbaocao nam (có thể gửi kèm tệp với chú thích này)"
        ),
        "usage.baocao": "/baocao [kỳ] [năm]\nVí dụ: /baocao nam",
        "summary.nopbaocao": "báo đã nộp báo cáo định kỳ",
        "summary.baocao": "tình hình nộp báo cáo của các phòng",
        "parse.unknown_report": "Không rõ kỳ báo cáo “{value}”. Các kỳ: {codes}.",
        "ask.report_period": "{department} nộp báo cáo kỳ nào?",
        "option.report_period": "{report} {year}",
        "report.submitted": "Đã ghi #{id}: {department} đã nộp {report} {year}{late}{file}{note}{recorded_by}.",
        "report.late": " – nộp muộn {days} ngày (hạn {due})",
        "report.day_before_window": "Ngày nộp {day} trước khi {report} {year} bắt đầu ({start}).",
        "report.with_file": " (kèm tệp)",
        "report.recorded_by": ", do {name} ghi nhận",
        "report.already": (
            "{department} đã nộp {report} {year} ngày {day:%d/%m/%Y} ({person} ghi nhận, #{id}). "
            "Muốn nộp lại, hãy /huy {id} trước."
        ),
        "report.all_submitted": (
            "{department} đã nộp {report} {year} ngày {day:%d/%m/%Y} ({person} ghi nhận, #{id}); "
            "kỳ tiếp theo chưa đến lúc nộp."
        ),
        "report.not_open": "{report} {year} chưa đến kỳ: nhận từ ngày {start:%d/%m/%Y}.",
        "report.not_required": "{department} không thuộc danh sách phải nộp {report}.",
        "report.none_outstanding": "{department} không còn kỳ {report} nào phải nộp.",
        "ask.report_period_none": "{department} không còn kỳ báo cáo nào phải nộp.",
        "report.not_tracked": (
            "{report} {year} có hạn trước ngày đầu của Kế hoạch ({start:%d/%m/%Y}); bot không theo dõi kỳ này."
        ),
        "report.untracked": "{report} {year} có hạn trước ngày đầu của Kế hoạch ({start}); bot không theo dõi kỳ này.",
        "report.no_reports": "Chưa cấu hình kỳ báo cáo nào.",
        "report.header": "📑 {report} {year} – hạn {weekday}, {due} ({left}):",
        "report.line_done": "✅ {department} – {day}, {person}{content}",
        "report.line_done_late": "🕓 {department} – {day}, {person}: nộp muộn {days} ngày{content}",
        "report.line_pending": "⏳ {department}{content}",
        "report.line_late": "⚠️ {department} – chưa nộp, trễ {days} ngày{content}",
        "report.content": " · nội dung {answered}/{parts}",
        "report.summary": "Đã nộp {done}/{total} phòng; trả lời đủ nội dung {answered}/{total} phòng.",
        "report.closed": "🔒 Phòng tổng hợp đã chốt kỳ này ngày {day}.",
        "report.remind_hint": "Nhắc các phòng chưa trả lời nội dung: /nhacbaocao {code} {year}",
    }
)


@render.register
def _status(view: ReportStatus) -> str:
    lines = [
        text(
            "report.header",
            report=view.report,
            year=view.year,
            weekday=format_weekday(view.due),
            due=format_date(view.due),
            left=format_left((view.due - view.today).days),
        )
    ]
    for line in view.lines:
        values = {"department": line.department, "days": line.days_late}
        values["content"] = text("report.content", answered=line.answered, parts=PARTS) if line.answered else ""
        if line.submitted_on is not None:
            key = "report.line_done_late" if line.days_late else "report.line_done"
            lines.append(text(key, day=format_date(line.submitted_on), person=line.person, **values))
        else:
            lines.append(text("report.line_late" if line.days_late else "report.line_pending", **values))
    lines.append(text("report.summary", done=view.done, answered=view.answered, total=len(view.lines)))
    if view.closed_on is not None:
        lines.append(text("report.closed", day=format_date(view.closed_on)))
    elif view.may_remind and view.answered < len(view.lines):
        lines.append(text("report.remind_hint", code=view.code, year=view.year))
    return "\n".join(lines)


@render.register
def _untracked(view: Untracked) -> str:
    return text("report.untracked", report=view.report, year=view.year, start=format_date(view.start))
