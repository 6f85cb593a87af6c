"""The office's workbook of a period: a summary whose counts and shares are formulas over the data sheets
(so they can be audited, each beside the bot's own figure), then one sheet a kind of record, one row a record,
cancelled ones marked, never dropped."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.core.targets import CapLine, Mark, ShareLine
from bot.core.texts.catalogue import text
from bot.core.texts.exports import (
    comparable,
    document_kind_word,
    mark_word,
    meeting_mode_word,
    report_title,
    year_of_record,
)
from bot.core.texts.format import format_count, format_date, format_target_percent
from bot.exports.data import ExportData
from bot.exports.plan_sheets import plan_sheets
from bot.exports.record_sheets import (
    BOLD,
    DATE_FORMAT,
    PERCENT_FORMAT,
    Cell,
    append_row,
    data_sheets,
    share_formula,
    shown_share,
    style_header,
)


def _range(sheet: Worksheet, header_key: str) -> str:
    """A column's data cells, absolute, on another sheet; at least one (empty) row so an empty sheet counts 0."""
    column = next(c.column_letter for c in sheet[1] if c.value == text(header_key))
    return f"'{sheet.title}'!${column}$2:${column}${max(sheet.max_row, 2)}"


def _live_count(sheet: Worksheet, *criteria: tuple[str, str]) -> str:
    """COUNTIFS over the live rows of a sheet, with more (header key, value) criteria."""
    pairs = [(_range(sheet, "sheet.col.status"), text("sheet.live"))]
    pairs += [(_range(sheet, key), value) for key, value in criteria]
    return "COUNTIFS(" + ",".join(f'{rng},"{value}"' for rng, value in pairs) + ")"


def _live_sum(sheet: Worksheet, header_key: str) -> str:
    return f'SUMIFS({_range(sheet, header_key)},{_range(sheet, "sheet.col.status")},"{text("sheet.live")}")'


def _share_value(line: ShareLine) -> Cell:
    return shown_share(line.share, line.floor)


@dataclass(frozen=True)
class _Target:
    """One of the plan's five targets on the summary: its formulas over the data sheets and the bot's figures."""

    key: str
    part: str
    whole: str | None  # None for a capped count
    line: CapLine | ShareLine
    last: CapLine | ShareLine
    last_partial: bool  # the records do not cover last year's same period
    yearly: bool  # the period is a year long (an annual report's window too)


def _cap_before(line: CapLine, last: CapLine, partial: bool, yearly: bool) -> Cell:
    """Last year's count, or (for a year-long period) the configured total of last year when the records of its
    same period are partial."""
    if comparable(last, partial):
        return text("chart.no_data") if last.mark is Mark.NO_DATA else last.count
    if yearly and (record := year_of_record(line)) is not None:
        return text("sheet.before_year", count=format_count(record[0]), year=record[1])
    return mark_word(Mark.INCOMPLETE)


def _target_row(row: int, target: _Target) -> list[Cell]:
    line, last, mark = target.line, target.last, mark_word(target.line.mark)
    if isinstance(line, CapLine):
        period_cap = None if line.period_cap is None else math.floor(line.period_cap)
        plan = text("sheet.cut", cut=format_target_percent(line.cut))
        done, check = (f"={target.part}", line.count) if line.own is None else (line.count, line.own)
        cells = [done, None, None, plan, period_cap, line.cap, line.baseline, line.baseline_year]
        before = _cap_before(line, last, target.last_partial, target.yearly)
        return [text(target.key), *cells, before, mark, check, None]
    share = share_formula(f"B{row}", f"C{row}", line.floor)
    cells = [f"={target.part}", f"={target.whole}", share, line.floor, None, None, None, None]
    before = _share_value(last) if comparable(last, target.last_partial) else mark_word(Mark.INCOMPLETE)
    return [text(target.key), *cells, before, mark, line.part, line.whole]


def _targets(data: ExportData, sheets: dict[str, Worksheet]) -> list[_Target]:
    """Each target beside the formulas that recount it from the data sheets (part, and whole for a share)."""
    meetings, documents, dossiers = sheets["meetings"], sheets["documents"], sheets["dossiers"]
    electronic = _live_count(documents, ("sheet.col.kind", document_kind_word("electronic")))
    paper = _live_count(documents, ("sheet.col.kind", document_kind_word("paper")))
    online_dossiers = _live_sum(dossiers, "sheet.col.online")
    formulas: dict[str, tuple[str, str | None]] = {
        "meetings": (_live_count(meetings), None),
        "online": (_live_count(meetings, ("sheet.col.mode", meeting_mode_word(True))), _live_count(meetings)),
        "documents": (_live_count(documents), None),
        "electronic": (electronic, f"{electronic}+{paper}"),
        "dossiers": (online_dossiers, f"{online_dossiers}+{_live_sum(dossiers, 'sheet.col.paper')}"),
    }
    partial, yearly = data.last_year.data_from is not None, data.period.yearly
    return [
        _Target(f"figure.{line.target.key}", *formulas[line.target.key], line, before, partial, yearly)
        for line, before in zip(data.report.lines, data.last_year.lines, strict=True)
    ]


def _summary(sheet: Worksheet, data: ExportData, sheets: dict[str, Worksheet]) -> None:
    """The five targets as formulas over the data sheets, each beside the bot's figure, then tasks and departments."""
    report = data.report
    append_row(sheet, [report_title(report)])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, [text("sheet.as_of"), report.as_of])
    sheet["B2"].number_format = DATE_FORMAT
    if report.data_from is not None:
        append_row(sheet, [text("sheet.partial", day=format_date(report.data_from))])
    append_row(sheet, [])
    keys = ["target", "done", "whole", "share", "plan", "period_cap", "cap", "baseline", "baseline_year"]
    append_row(sheet, [text(f"sheet.sum.{key}") for key in [*keys, "last_year", "mark", "check_done", "check_whole"]])
    style_header(sheet[sheet.max_row])
    for target in _targets(data, sheets):
        row = sheet.max_row + 1
        append_row(sheet, _target_row(row, target))
        if isinstance(target.line, ShareLine):
            for column in "DEJ":
                sheet[f"{column}{row}"].number_format = PERCENT_FORMAT
    secret = _live_count(sheets["documents"], ("sheet.col.kind", document_kind_word("secret")))
    append_row(sheet, [text("sheet.secret"), f"={secret}", *[None] * 9, report.secret_documents])
    if (tasks := report.tasks) is not None:
        append_row(sheet, [])
        for key, value in (("due", tasks.due), ("on_time", tasks.on_time), ("overdue", tasks.overdue_open)):
            append_row(sheet, [text(f"sheet.tasks.{key}"), value])
    _departments(sheet, data)
    for index, width in enumerate([34, 12, 12, 14, 13, 12, 12, 14, 9, 14, 16, 14, 14], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _departments(sheet: Worksheet, data: ExportData) -> None:
    """Each department's figures (values from its own standing), below the commune's."""
    append_row(sheet, [])
    append_row(sheet, [text("sheet.by_department")])
    sheet["A" + str(sheet.max_row)].font = BOLD
    keys = ["department", "meetings", "online", "online_share", "documents", "electronic", "electronic_share"]
    keys += ["secret", "dossiers_online", "dossiers_paper", "dossiers_share", "tasks_due", "tasks_on_time"]
    append_row(sheet, [text(f"sheet.dep.{key}") for key in keys])
    style_header(sheet[sheet.max_row])
    for department in data.departments:
        report, tasks = department.report, department.report.tasks
        line = report.line
        append_row(
            sheet,
            [
                department.name,
                line("meetings").count,
                line("online").part,
                _share_value(line("online")),
                line("documents").count,
                line("electronic").part,
                _share_value(line("electronic")),
                report.secret_documents,
                line("dossiers").part,
                line("dossiers").whole - line("dossiers").part,
                _share_value(line("dossiers")),
                tasks.due if tasks else None,
                tasks.on_time if tasks else None,
            ],
        )
        for column in "DGK":
            sheet[f"{column}{sheet.max_row}"].number_format = PERCENT_FORMAT


def build_workbook(data: ExportData) -> bytes:
    """The period's .xlsx: summary with auditable formulas, then meetings, documents, dossiers, tasks, reports."""
    book = Workbook()
    summary = book.active
    summary.title = text("sheet.summary")
    _summary(summary, data, data_sheets(book, data))
    plan_sheets(book, data)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
