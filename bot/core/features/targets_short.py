"""/chitieu's first screen: one short line a target with its status, an empty period in one line; the details
(/chitieu chitiet) and the departments (/chitieu theophong) a tap away."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.features.targets import period_name
from bot.core.targets import CapLine, Mark, ShareLine, TargetReport
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_count, format_date, format_percent, format_target_percent

SYMBOL = {
    Mark.MET: "✅",
    Mark.ON_TRACK: "🟢",
    Mark.BEHIND: "🔴",
    Mark.MISSED: "❌",
    Mark.INCOMPLETE: "⚪",
    Mark.NO_DATA: "▫️",
    Mark.NONE: "▫️",
}


@dataclass(frozen=True)
class ShortTargets:
    """The first screen of /chitieu: each scope's targets in a line each."""

    reports: tuple[TargetReport, ...]


add_strings(
    {
        "first.header": "📊 {period} – {scope}{until}:",
        "first.until": " (đến {day})",
        "first.empty": "📊 {period} – {scope}: chưa có số liệu.",
        "first.cap": "{mark} {what}: {count} / tối đa {cap}",
        "first.cap_open": "{mark} {what}: {count}",
        "first.share": "{mark} {what}: {share} / {target}",
        "first.no_data": "{mark} {what}: chưa có số liệu",
        "first.tasks": "{mark} Nhiệm vụ: {on_time}/{due} đúng hạn, {overdue} quá hạn",
        "first.legend_met": "✅ đạt",
        "first.legend_on_track": "🟢 đúng tiến độ",
        "first.legend_behind": "🔴 chưa đạt",
        "first.legend_missed": "❌ không đạt",
        "first.legend_incomplete": "⚪ chưa đủ số liệu",
        "targets.screen": "{body}",
        "figure_short.meetings": "Cuộc họp",
        "figure_short.online": "Họp trực tuyến",
        "figure_short.documents": "Văn bản",
        "figure_short.electronic": "Văn bản điện tử",
        "figure_short.dossiers": "Hồ sơ trực tuyến",
        "option.targets_detail": "Xem chi tiết",
        "option.targets_departments": "Xem theo phòng",
        "option.targets_tasks": "Xem việc",
    }
)


def is_empty(report: TargetReport) -> bool:
    """Nothing recorded for the period at all: no figure, no task due."""
    no_tasks = report.tasks is None or report.tasks.due == 0
    return no_tasks and all(line.mark is Mark.NO_DATA for line in report.lines)


def _line(line: CapLine | ShareLine, report: TargetReport) -> str:
    what, mark = text(f"figure_short.{line.target.key}"), SYMBOL[line.mark]
    if line.mark is Mark.NO_DATA or (isinstance(line, ShareLine) and line.share is None):
        return text("first.no_data", mark=SYMBOL[Mark.NO_DATA], what=what)
    if isinstance(line, CapLine):
        cap = line.cap if report.period.days >= 365 else (int(line.period_cap) if line.period_cap else None)
        if cap is None or line.commune_cap:
            return text("first.cap_open", mark=mark, what=what, count=format_count(line.count))
        return text("first.cap", mark=mark, what=what, count=format_count(line.count), cap=format_count(cap))
    target = format_target_percent(line.floor)
    target = target if line.floor >= 1 else f"≥{target}"
    return text("first.share", mark=mark, what=what, share=format_percent(line.share, floor=line.floor), target=target)


def short_block(report: TargetReport) -> list[str]:
    """A scope's lines on the first screen."""
    name = period_name(report.period)
    if is_empty(report):
        return [text("first.empty", period=name, scope=report.scope)]
    until = "" if report.as_of >= report.period.end else text("first.until", day=format_date(report.as_of))
    lines = [text("first.header", period=name, scope=report.scope, until=until)]
    lines += [_line(line, report) for line in report.lines]
    if report.tasks is not None and report.tasks.due:
        tasks = report.tasks
        lines.append(text("first.tasks", mark=SYMBOL[tasks.mark(report.closed)], on_time=tasks.on_time,
                          due=tasks.due, overdue=tasks.overdue_open))  # fmt: skip
    return lines


@render.register
def render_short(view: ShortTargets) -> str:
    """Every scope in a few lines, then what the symbols mean (only those shown)."""
    blocks = [short_block(r) for r in view.reports]
    lines = [line for block in blocks for line in block]
    shown = {m for r in view.reports if not is_empty(r) for m in (*(x.mark for x in r.lines), _task_mark(r))}
    legend = [text(f"first.legend_{m}") for m in (Mark.MET, Mark.ON_TRACK, Mark.BEHIND, Mark.MISSED,
                                                  Mark.INCOMPLETE) if m in shown]  # fmt: skip
    if legend:
        lines.append(" · ".join(legend))
    return "\n".join(lines)


def _task_mark(report: TargetReport) -> Mark | None:
    return report.tasks.mark(report.closed) if report.tasks is not None and report.tasks.due else None
