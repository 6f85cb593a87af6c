"""/chitieu: one line a target, each with its counts, its baseline and its mark; no data is never green."""

from __future__ import annotations

import math
from fractions import Fraction

from bot.core.periods import Period
from bot.core.targets import CapLine, Mark, ShareLine, TargetReport, TaskCounts
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_count, format_date, format_percent, format_target_percent
from bot.core.views import DepartmentTable

add_strings(
    {
        "usage.chitieu": (
            "/chitieu [kỳ] [năm] [mã phòng]\n"
            "Ví dụ: /chitieu, /chitieu vhxh, /chitieu 6thang 2026, /chitieu nam, /chitieu thang 11, /chitieu 2025"
        ),
        "help.chitieu": "/chitieu – tình hình thực hiện chỉ tiêu",
        "parse.bad_month": "Tháng “{value}” không hợp lệ (1–12).",
        "parse.future_period": "Kỳ {value} chưa bắt đầu.",
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
        "targets.partial": "⚠️ Số liệu tính từ {day} (chưa đủ cả kỳ): so với mức tối đa chỉ để tham khảo.",
        "targets.configured": "Số liệu gốc năm {year} theo cấu hình: {meetings} cuộc họp, {documents} văn bản.",
        "table.header": "📋 Theo phòng – họp (trực tuyến) · văn bản (điện tử) · hồ sơ TTHC trực tuyến:",
        "table.line": "{code}: {meetings} ({online}) · {documents} ({electronic}) · {dossiers}",
        "table.none": "–",
        "mark.met": "✅ đạt",
        "mark.on_track": "🟢 đúng tiến độ",
        "mark.behind": "🔴 chưa đạt",
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


def _cap_text(what: str, line: CapLine, period: Period) -> str:
    name = text(f"figure.{what}")
    if line.mark is Mark.NO_DATA:
        return text("targets.no_data", what=name)
    if line.cap is None:
        return text("targets.no_baseline", what=name, count=format_count(line.count), year=line.baseline_year)
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
        "targets.cap",
        what=name,
        count=format_count(line.count),
        cap=cap,
        basis=explained,
        pace=pace,
        mark=text(f"mark.{line.mark}"),
    ).rstrip()


def _share_text(what: str, line: ShareLine, unit: str = "") -> str:
    name, target = text(f"figure.{what}"), format_target_percent(line.target)
    target = target if line.target >= 1 else f"≥{target}"
    if line.share is None:
        return text("targets.share_no_data", what=name, target=target)
    return text(
        "targets.share",
        what=name,
        part=format_count(line.part),
        whole=format_count(line.whole),
        unit=text(f"unit.{unit}") if unit else "",
        share=format_percent(line.share, round_down=line.mark is Mark.BEHIND),
        target=target,
        mark=text(f"mark.{line.mark}"),
    ).rstrip()


def render_tasks_line(tasks: TaskCounts) -> str:
    """The tasks line the plan ties to each official's yearly evaluation."""
    if tasks.due == 0:
        return text("targets.tasks_none")
    met = tasks.overdue_open == 0 and tasks.on_time == tasks.due
    return text(
        "targets.tasks",
        due=tasks.due,
        on_time=tasks.on_time,
        share=format_percent(Fraction(tasks.on_time, tasks.due)),
        overdue=tasks.overdue_open,
        mark=text("mark.met" if met else "mark.behind"),
    )


@render.register
def render_target_report(report: TargetReport) -> str:
    """The /chitieu message for one scope."""
    name = period_name(report.period)
    if report.as_of >= report.period.end:
        header = text("targets.header_over", period=name, scope=report.scope)
    else:
        header = text("targets.header", period=name, scope=report.scope, day=format_date(report.as_of))
    lines = [
        header,
        _cap_text("meetings", report.meetings, report.period),
        _share_text("online", report.online_meetings, "meetings"),
        _cap_text("documents", report.documents, report.period),
        _share_text("electronic", report.electronic_documents),
    ]
    if report.secret_documents:
        lines.append(text("targets.secret_note", secret=format_count(report.secret_documents)))
    lines.append(_share_text("dossiers", report.dossiers, "dossiers"))
    if report.tasks is not None:
        lines.append(render_tasks_line(report.tasks))
    if report.data_from is not None:
        lines.append(text("targets.partial", day=format_date(report.data_from)))
    if (base := report.configured_baseline) is not None:
        meetings = "?" if base.meetings is None else format_count(base.meetings)
        documents = "?" if base.documents is None else format_count(base.documents)
        lines.append(text("targets.configured", year=report.year, meetings=meetings, documents=documents))
    return "\n".join(lines)


def _share(part: int, whole: int) -> str:
    return format_percent(Fraction(part, whole)) if whole else text("table.none")


@render.register
def render_department_table(view: DepartmentTable) -> str:
    """One compact line a department."""
    lines = [text("table.header")]
    for code, c in view.rows:
        lines.append(
            text(
                "table.line",
                code=code.upper(),
                meetings=format_count(c.meetings),
                online=_share(c.online_meetings, c.meetings),
                documents=format_count(c.documents),
                electronic=_share(c.electronic_documents, c.electronic_documents + c.paper_documents),
                dossiers=_share(c.dossiers_online, c.dossiers_online + c.dossiers_paper),
            )
        )
    return "\n".join(lines)
