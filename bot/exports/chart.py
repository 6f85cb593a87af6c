"""The chairman's picture of a period, as a PNG a phone shows at full width: meetings per month against the
cap, and the three shares against their targets. Agg only, nothing on screen; no data is never drawn as 0 %."""

from __future__ import annotations

import io

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from bot.core.targets import Mark, ShareLine
from bot.core.texts.catalogue import text
from bot.core.texts.exports import month_label, report_title, share_label
from bot.core.texts.format import format_count, format_target_percent
from bot.exports.data import ExportData

WIDTH_PX, HEIGHT_PX, DPI = 1080, 1350, 100
ONLINE, IN_PERSON, CAP = "#1565c0", "#ffa726", "#6a1b9a"
MET, BEHIND, TARGET, MUTED, UNRECORDED = "#2e7d32", "#c62828", "#212121", "#616161", "#e0e0e0"
FONT = 16  # points at 100 dpi: about 22 pixels, legible on a phone at full width


def _note(ax: Axes, x: float, y: float, content: str, **style) -> None:
    """A text label in data coordinates."""
    ax.text(x, y, content, fontsize=style.pop("fontsize", FONT - 2), **style)


def _meetings(ax: Axes, data: ExportData) -> None:
    """Stacked bars a month, online below, and the month's share of the yearly cap as a dashed line."""
    months = data.months
    x = list(range(len(months)))
    online = [m.online for m in months]
    in_person = [m.in_person for m in months]
    ax.bar(x, online, color=ONLINE, label=text("chart.online"))
    ax.bar(x, in_person, bottom=online, color=IN_PERSON, label=text("chart.in_person"))
    cap = data.report.line("meetings").cap
    unrecorded = [i for i, month in enumerate(months) if not month.recorded]
    for n, i in enumerate(unrecorded):  # before the records begin, no bar is no data, never zero meetings
        label = text("chart.before_records") if n == 0 else None
        ax.axvspan(i - 0.5, i + 0.5, color=UNRECORDED, label=label, linewidth=0)
    for i, month in enumerate(months):
        if month.cap is not None:
            label = text("chart.cap", cap=format_count(cap)) if i == 0 else None
            ax.hlines(float(month.cap), i - 0.45, i + 0.45, colors=CAP, linestyles="dashed", linewidth=2.5, label=label)
        if total := month.online + month.in_person:
            _note(ax, i, total, format_count(total), ha="center", va="bottom", fontweight="bold")
    if not any(online) and not any(in_person):
        ax.text(0.5, 0.5, text("chart.no_data"), transform=ax.transAxes, ha="center", va="center", color=MUTED,
                fontsize=FONT + 2)  # fmt: skip
    span_years = data.period.start.year != data.period.end.year
    ax.set_xticks(x, [month_label(m.month, with_year=span_years) for m in months], fontsize=FONT - 3)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="y", labelsize=FONT - 3)
    tallest = max([1.0] + [m.online + m.in_person for m in months] + [float(m.cap or 0) for m in months])
    ax.set_ylim(0, tallest * 1.25)  # room for the legend above the bars
    ax.set_title(text("chart.meetings_title"), fontsize=FONT + 1, loc="left", fontweight="bold")
    ax.legend(fontsize=FONT - 3, loc="upper left", ncols=2, frameon=False)
    ax.grid(axis="y", alpha=0.3)


def _share(ax: Axes, row: int, name: str, line: ShareLine) -> None:
    """One share: its name above, a bar (or 'chưa có số liệu', never a bar of 0 %), the target as a black tick."""
    _note(ax, 0, row + 0.27, name, va="bottom", fontsize=FONT)
    target = line.floor * 100
    ax.vlines(target, row - 0.25, row + 0.25, colors=TARGET, linewidth=3)
    target_label = text("chart.target", target=format_target_percent(line.floor))
    _note(ax, target, row - 0.27, target_label, ha="right", va="top", color=MUTED)
    if line.share is None:
        _note(ax, 1, row, share_label(line), va="center", fontsize=FONT, color=MUTED, style="italic")
        return
    value = float(line.share) * 100
    color = {Mark.MET: MET, Mark.INCOMPLETE: MUTED}.get(line.mark, BEHIND)  # partial records: neither pass nor fail
    ax.barh(row, value, height=0.45, color=color)
    inside = value > 55
    _note(ax, value - 1 if inside else value + 1, row, share_label(line), va="center", fontsize=FONT,
          ha="right" if inside else "left", color="white" if inside else TARGET, fontweight="bold")  # fmt: skip


def _shares(ax: Axes, data: ExportData) -> None:
    """The shares the plan sets a floor for, top to bottom."""
    lines = [line for line in data.report.lines if isinstance(line, ShareLine)]
    for row, line in enumerate(reversed(lines)):
        _share(ax, row, text(f"figure.{line.target.key}"), line)
    ax.set_yticks([])
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.7, len(lines) - 0.2)
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.tick_params(axis="x", labelsize=FONT - 3)
    ax.set_title(text("chart.shares_title"), fontsize=FONT + 1, loc="left", fontweight="bold")
    ax.grid(axis="x", alpha=0.3)


def render_chart(data: ExportData) -> bytes:
    """The period's chart as PNG bytes, 1080 pixels wide."""
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, layout="constrained")
    figure.suptitle(report_title(data.report), fontsize=FONT + 3, fontweight="bold")
    top, bottom = figure.subplots(2, 1, height_ratios=[3, 2])
    _meetings(top, data)
    _shares(bottom, data)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
