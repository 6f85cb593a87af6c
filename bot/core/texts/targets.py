"""/chitieu: one line a target, each with its mark, and the tasks line."""

from __future__ import annotations

from fractions import Fraction

from bot.core.targets import CapLine, Mark, ShareLine, TargetReport, TaskCounts
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_date, format_percent, format_target_percent

add_strings(
    {
        "usage.chitieu": "/chitieu [năm] [mã phòng]\nVí dụ: /chitieu, /chitieu 2026 vhxh",
        "help.chitieu": "/chitieu – tình hình thực hiện chỉ tiêu",
        "targets.header": "📊 Chỉ tiêu năm {year} – {scope} (đến {day}):",
        "targets.header_year": "📊 Chỉ tiêu năm {year} – {scope} (cả năm):",
        "targets.meetings": "• Cuộc họp: {count}/{cap} (trần, giảm ≥{cut}){pace} {mark}",
        "targets.documents": "• Văn bản ban hành: {count}/{cap} (trần, giảm ≥{cut}){pace} {mark}",
        "targets.meetings_no_baseline": "• Cuộc họp: {count} (chưa có số liệu năm {base_year} để tính trần)",
        "targets.documents_no_baseline": "• Văn bản ban hành: {count} (chưa có số liệu năm {base_year} để tính trần)",
        "targets.pace": "; dự kiến cả năm {projected}",
        "targets.online": "• Họp trực tuyến: {share} (≥{target}) {mark}",
        "targets.electronic": "• Văn bản điện tử (trừ mật): {share} (={target}) {mark}",
        "targets.dossiers": "• Hồ sơ TTHC trên môi trường số: {share} (≥{target}) {mark}",
        "targets.no_data": "chưa có số liệu",
        "targets.secret_note": "  (gồm {secret} văn bản mật, không tính tỷ lệ điện tử)",
        "targets.tasks": "• Nhiệm vụ đến hạn: {due}, đúng hạn {on_time} ({share}); quá hạn chưa xong: {overdue} {mark}",
        "targets.tasks_none": "• Nhiệm vụ đến hạn: chưa có; quá hạn chưa xong: {overdue}",
        "mark.met": "✅ đạt",
        "mark.on_track": "🟡 đúng tiến độ",
        "mark.behind": "🔴 chưa đạt",
        "mark.none": "",
    }
)


def _cap_text(key: str, line: CapLine, year: int) -> str:
    if line.cap is None:
        return text(f"{key}_no_baseline", count=line.count, base_year=year - 1)
    pace = text("targets.pace", projected=line.projected) if line.projected != line.count else ""
    return text(
        key,
        count=line.count,
        cap=line.cap,
        cut=format_target_percent(line.cut),
        pace=pace,
        mark=text(f"mark.{line.mark}"),
    )


def _share_text(key: str, line: ShareLine) -> str:
    if line.share is None:
        share = text("targets.no_data")
    else:
        share = format_percent(line.share, round_down=line.mark is Mark.BEHIND)
    return text(key, share=share, target=format_target_percent(line.target), mark=text(f"mark.{line.mark}")).rstrip()


def render_tasks_line(tasks: TaskCounts) -> str:
    """The tasks line the plan ties to each official's yearly evaluation."""
    if tasks.due == 0:
        return text("targets.tasks_none", overdue=tasks.overdue_open)
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
    if report.as_of is None:
        header = text("targets.header_year", year=report.year, scope=report.scope)
    else:
        header = text("targets.header", year=report.year, scope=report.scope, day=format_date(report.as_of))
    lines = [
        header,
        _cap_text("targets.meetings", report.meetings, report.year),
        _share_text("targets.online", report.online_meetings),
        _cap_text("targets.documents", report.documents, report.year),
        _share_text("targets.electronic", report.electronic_documents),
    ]
    if report.secret_documents:
        lines.append(text("targets.secret_note", secret=report.secret_documents))
    lines.append(_share_text("targets.dossiers", report.dossiers))
    if report.tasks is not None:
        lines.append(render_tasks_line(report.tasks))
    return "\n".join(lines)
