"""Periodic reports: /nopbaocao records a department's submission, /baocao shows who has submitted; their grammar,
texts and views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.grammar import ParseContext, ParseError, Tokens, compact, echo, is_number
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
    note: str


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
    return Submit(department, report, year, tokens.summary())


def parse_reports(tokens: Tokens, ctx: ParseContext) -> ShowReports:
    report = _report(tokens, ctx, required=False)
    year = tokens.year(ctx.today)
    tokens.no_more()
    return ShowReports(report, year)


@dataclass(frozen=True)
class SubmissionLine:
    """One department's standing in a report period."""

    department: str
    submitted_on: date | None = None
    person: str | None = None
    days_late: int = 0


@dataclass(frozen=True)
class ReportStatus:
    """Who has submitted one report period, and who is late."""

    report: str
    year: int
    due: date
    today: date
    lines: tuple[SubmissionLine, ...]

    @property
    def done(self) -> int:
        return sum(line.submitted_on is not None for line in self.lines)


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
        "report.submitted": "Đã ghi #{id}: {department} đã nộp {report} {year}{file}{note}{recorded_by}.",
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
        "report.not_tracked": "{report} {year} có hạn trước ngày bắt đầu theo dõi ({start:%d/%m/%Y}); không ghi nhận.",
        "report.untracked": (
            "{report} {year} có hạn trước ngày bắt đầu theo dõi ({start}); bot không theo dõi kỳ này."
        ),
        "report.no_reports": "Chưa cấu hình kỳ báo cáo nào.",
        "report.header": "📑 {report} {year} – hạn {weekday}, {due} ({left}):",
        "report.line_done": "✅ {department} – {day}, {person}",
        "report.line_pending": "⏳ {department}",
        "report.line_late": "⚠️ {department} – trễ {days} ngày",
        "report.summary": "Đã nộp {done}/{total} phòng.",
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
        if line.submitted_on is not None:
            day = format_date(line.submitted_on)
            lines.append(text("report.line_done", department=line.department, day=day, person=line.person))
        elif line.days_late > 0:
            lines.append(text("report.line_late", department=line.department, days=line.days_late))
        else:
            lines.append(text("report.line_pending", department=line.department))
    lines.append(text("report.summary", done=view.done, total=len(view.lines)))
    return "\n".join(lines)


@render.register
def _untracked(view: Untracked) -> str:
    return text("report.untracked", report=view.report, year=view.year, start=format_date(view.start))
