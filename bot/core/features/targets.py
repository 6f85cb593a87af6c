"""/chitieu: where the commune, or one department, stands against the plan's targets, over a period; its grammar,
its texts (one line a target, each with its counts, baseline and mark: no data is never green)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from bot.core.grammar import (
    ParseContext,
    ParseError,
    Tokens,
    checked_year,
    compact,
    department_code,
    echo,
    is_number,
    looks_like_year,
)
from bot.core.periods import Period
from bot.core.targets import TARGETS, CapLine, Mark, ShareLine, TargetReport, Targets, TaskCounts
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_count, format_date, format_percent, format_target_percent

MONTH_WORDS = frozenset({"thang", "t"})
SCREEN_WORDS = {"chitiet": "detail", "theophong": "departments"}  # past the first screen


@dataclass(frozen=True)
class ShowTargets:
    year: int
    department: str | None
    report: str | None = None  # a report's data window instead of the calendar year
    month: int | None = None
    commune: str | None = None  # the province officer: one commune's view, as its chairman sees it
    page: int = 1  # the province officer: which page of the communes' table
    screen: str = "short"  # the first screen; "detail" (/chitieu chitiet) or "departments" (/chitieu theophong)


def _month(token: str | None) -> int:
    if token is None or not is_number(token) or not 1 <= int(token) <= 12:
        raise ParseError("parse.bad_month", value=echo(token or ""))
    return int(token)


def parse_targets(tokens: Tokens, ctx: ParseContext) -> ShowTargets:
    year = report = month = department = commune = None
    page, screen = 1, "short"
    reports = {compact(code): code for code in ctx.reports}
    communes = {compact(code): code for code in ctx.communes}
    while tokens.raw:
        token = tokens.take()[0]
        key = compact(token)
        if looks_like_year(token) and year is None:
            year = checked_year(token, ctx.today)
        elif key in SCREEN_WORDS and screen == "short":
            screen = SCREEN_WORDS[key]
        elif key in reports and report is None and month is None:
            report = reports[key]
        elif key in MONTH_WORDS and month is None and report is None:
            month = _month(tokens.take()[0] if tokens.raw else None)
        elif key.startswith("thang") and key[5:].isdigit() and month is None and report is None:
            month = _month(key[5:])
        elif department is None and (code := department_code(token)) in ctx.departments:
            department = code
        elif commune is None and key in communes:
            commune = communes[key]
        elif key == "trang" and ctx.communes and tokens.raw and is_number(tokens.raw[0]):
            page = max(int(tokens.take()[0]), 1)
        elif ctx.communes:
            raise ParseError("parse.unknown_commune", value=echo(token), codes=", ".join(ctx.communes))
        else:
            raise ParseError("parse.unknown_department", value=echo(token), codes=", ".join(ctx.departments))
    year = year or ctx.today.year
    if report is None and year > ctx.today.year or month is not None and (year, month) > ctx.today.timetuple()[:2]:
        raise ParseError("parse.future_period", value=f"{month:02d}/{year}" if month else str(year))
    return ShowTargets(year, department, report, month, commune, page, screen)


@dataclass(frozen=True)
class DepartmentTable:
    """Each department's five figures in one line a department, as the leader's /chitieu lists them."""

    rows: tuple[tuple[str, object], ...]  # (department code, Counts)
    targets: Targets = Targets()  # the floors its shares are rounded against


add_strings(
    {
        "usage.chitieu": (
            "/chitieu [kỳ] [năm] [mã phòng] [chitiet | theophong]\n"
            "Ví dụ: /chitieu, /chitieu vhxh, /chitieu 6thang 2026, /chitieu nam, /chitieu thang 11, /chitieu 2025, "
            "/chitieu chitiet, /chitieu theophong"
        ),
        "summary.chitieu": "tình hình thực hiện chỉ tiêu",
        "parse.bad_month": "Tháng “{value}” không hợp lệ (1–12).",
        "parse.unknown_commune": "Không có xã mã “{value}”. Các mã: {codes}.",
        "parse.future_period": "Kỳ {value} chưa bắt đầu.",
        "period.not_begun": "{period} chưa bắt đầu: kỳ tính từ {start}.",
        "targets.header": "📊 {period} – {scope} (đến {day}):",
        "targets.header_over": "📊 {period} – {scope}:",
        "period.year": "Chỉ tiêu năm {year}",
        "period.month": "Tháng {month:02d}/{year}",
        "period.report": "{name} {year} ({start} – {end})",
        "targets.cap": "• {what}: {count} – tối đa {cap}{basis}{pace} {mark}",
        "targets.cap_period": " trong kỳ ({cap} cả năm{basis})",
        "targets.basis": " = {baseline} năm {year}{source} − {cut}",
        "targets.source_bot": ", số bot ghi nhận",
        "targets.no_baseline": "• {what}: {count} (chưa có số liệu năm {year} để tính mức tối đa)",
        "targets.commune_cap": "• {what}: {count} (mức tối đa đặt cho toàn xã, không chia cho từng phòng)",
        "targets.recorded": "{count} (số liệu gốc theo cấu hình; bot ghi nhận {own}{partial})",
        "targets.recorded_partial": ", chưa đủ cả năm",
        "targets.no_data": "• {what}: chưa có số liệu",
        "targets.pace": "; dự kiến {projected}",
        "targets.too_early": "; còn sớm để dự báo",
        "figure.meetings": "Cuộc họp",
        "figure.documents": "Văn bản ban hành",
        "targets.share": "• {what}: {part}/{whole}{unit} – {share} (chỉ tiêu {target}) {mark}",
        "targets.share_no_data": "• {what}: chưa có số liệu (chỉ tiêu {target})",
        "figure.online": "Họp trực tuyến",
        "figure.electronic": "Văn bản điện tử (trừ mật)",
        "figure.dossiers": "Hồ sơ TTHC trực tuyến",
        "unit.meetings": " cuộc",
        "unit.dossiers": " hồ sơ",
        "targets.secret_note": "  (thêm {secret} văn bản mật, không tính tỷ lệ điện tử)",
        "targets.tasks": "• Nhiệm vụ đến hạn: {due}, đúng hạn {on_time} ({share}); quá hạn chưa xong: {overdue} {mark}",
        "targets.tasks_none": "• Nhiệm vụ: chưa có việc đến hạn",
        "targets.partial": "⚠️ Số liệu chỉ có từ {day}, chưa đủ cả kỳ: chưa đánh giá được đạt hay không.",
        "table.header": "📋 Theo phòng:",
        "table.line": "• {code}: {body}",
        "table.meetings": "{count} cuộc họp, {online} trực tuyến",
        "table.documents": "{count} văn bản",
        "table.electronic": ", {share} điện tử",
        "table.dossiers": "{count} hồ sơ, {share} trực tuyến",
        "table.nothing": "chưa ghi nhận gì",
        "table.none": "–",
        "mark.met": "✅ đạt",
        "mark.on_track": "🟢 đúng tiến độ",
        "mark.behind": "🔴 chưa đạt",
        "mark.missed": "❌ không đạt",
        "mark.incomplete": "⚪ chưa đủ số liệu",
        "mark.no_data": "",
        "mark.none": "",
    }
)


def period_name(period: Period) -> str:
    """'Chỉ tiêu năm 2026', 'Tháng 11/2026', 'Báo cáo 6 tháng 2026 (15/12/2025 – 14/05/2026)'."""
    if period.report is not None:
        start, end = format_date(period.start), format_date(period.end)
        return text("period.report", name=period.name, year=period.year, start=start, end=end)
    if period.month is not None:
        return text("period.month", month=period.month, year=period.year)
    return text("period.year", year=period.year)


def _floor(value: Fraction) -> str:
    return format_count(math.floor(value))


def _count_text(line: CapLine, report: TargetReport) -> str:
    """The figure of record, and the bot's own count beside a configured total."""
    if line.own is None:
        return format_count(line.count)
    partial = text("targets.recorded_partial") if report.data_from is not None else ""
    return text("targets.recorded", count=format_count(line.count), own=format_count(line.own), partial=partial)


def _cap_text(line: CapLine, report: TargetReport) -> str:
    name, period = text(f"figure.{line.target.key}"), report.period
    if line.mark is Mark.NO_DATA:
        return text("targets.no_data", what=name)
    count = _count_text(line, report)
    if line.commune_cap:
        return text("targets.commune_cap", what=name, count=count)
    if line.cap is None:
        if line.own is not None:  # a year of record before the plan: nothing to cut it from, nothing to say so
            return f"• {name}: {count}"
        return text("targets.no_baseline", what=name, count=count, year=line.baseline_year)
    source = text("targets.source_bot") if line.baseline_source == "bot" else ""
    basis = {
        "baseline": format_count(line.baseline),
        "year": line.baseline_year,
        "source": source,
        "cut": format_target_percent(line.cut),
    }
    if period.days >= 365:
        cap, explained = format_count(line.cap), text("targets.basis", **basis)
    else:
        cap = _floor(line.period_cap)
        explained = text("targets.cap_period", cap=format_count(line.cap), basis=text("targets.basis", **basis))
    if line.projected is not None:
        pace = text("targets.pace", projected=_floor(line.projected))
    else:
        pace = text("targets.too_early") if line.mark is Mark.NONE else ""
    return text(
        "targets.cap", what=name, count=count, cap=cap, basis=explained, pace=pace, mark=text(f"mark.{line.mark}")
    ).rstrip()


def _share_text(line: ShareLine) -> str:
    name, unit = text(f"figure.{line.target.key}"), line.target.unit
    target = format_target_percent(line.floor)
    target = target if line.floor >= 1 else f"≥{target}"
    if line.share is None:
        return text("targets.share_no_data", what=name, target=target)
    return text(
        "targets.share",
        what=name,
        part=format_count(line.part),
        whole=format_count(line.whole),
        unit=text(f"unit.{unit}") if unit else "",
        share=format_percent(line.share, floor=line.floor),
        target=target,
        mark=text(f"mark.{line.mark}"),
    ).rstrip()


def line_text(line: CapLine | ShareLine, report: TargetReport) -> str:
    """One target's line of /chitieu, as the chat and the web page both show it."""
    return _cap_text(line, report) if isinstance(line, CapLine) else _share_text(line)


def render_tasks_line(tasks: TaskCounts, closed: bool = False) -> str:
    """The tasks line the plan ties to each official's yearly evaluation: met only if every task due was done on
    time; a closed period's verdict is met or missed."""
    if tasks.due == 0:
        return text("targets.tasks_none")
    return text(
        "targets.tasks",
        due=tasks.due,
        on_time=tasks.on_time,
        share=format_percent(Fraction(tasks.on_time, tasks.due), floor=1),
        overdue=tasks.overdue_open,
        mark=text(f"mark.{tasks.mark(closed)}"),
    )


@render.register
def render_target_report(report: TargetReport) -> str:
    """The /chitieu message for one scope."""
    name = period_name(report.period)
    if report.as_of >= report.period.end:
        header = text("targets.header_over", period=name, scope=report.scope)
    else:
        header = text("targets.header", period=name, scope=report.scope, day=format_date(report.as_of))
    lines = [header]
    for line in report.lines:
        lines.append(line_text(line, report))
        if line.target.key == "electronic" and report.secret_documents:
            lines.append(text("targets.secret_note", secret=format_count(report.secret_documents)))
    if report.tasks is not None:
        lines.append(render_tasks_line(report.tasks, report.closed))
    if report.data_from is not None:
        lines.append(text("targets.partial", day=format_date(report.data_from)))
    return "\n".join(lines)


def share_text(part: int, whole: int, floor: float | None = None) -> str:
    """A department's share in the table: '66,7%', or '–' when nothing counts; never shown as reaching `floor`
    when it falls short of it."""
    return format_percent(Fraction(part, whole), floor=floor) if whole else text("table.none")


@render.register
def render_department_table(view: DepartmentTable) -> str:
    """One line a department, in words; its shares rounded as the commune's are."""
    floors = {target.key: target.goal(view.targets) for target in TARGETS}
    lines = [text("table.header")]
    for code, c in view.rows:
        documents = c.electronic_documents + c.paper_documents
        dossiers = c.dossiers_online + c.dossiers_paper
        parts = []
        if c.meetings:
            share = share_text(c.online_meetings, c.meetings, floors["online"])
            parts.append(text("table.meetings", count=format_count(c.meetings), online=share))
        if c.documents:
            part = text("table.documents", count=format_count(c.documents))
            if documents:
                share = share_text(c.electronic_documents, documents, floors["electronic"])
                part += text("table.electronic", share=share)
            parts.append(part)
        if dossiers:
            share = share_text(c.dossiers_online, dossiers, floors["dossiers"])
            parts.append(text("table.dossiers", count=format_count(dossiers), share=share))
        body = "; ".join(parts) if parts else text("table.nothing")
        lines.append(text("table.line", code=code.upper(), body=body))
    return "\n".join(lines)
