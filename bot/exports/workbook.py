"""The office's workbook of a period: a summary whose counts and shares are formulas over the data sheets
(so they can be audited, each beside the bot's own figure), then one sheet a kind of record, one row a record,
cancelled ones marked, never dropped."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.core.cleaning import xml_safe
from bot.core.targets import CapLine, Mark, ShareLine
from bot.core.texts.catalogue import text
from bot.core.texts.exports import (
    document_kind_word,
    mark_word,
    meeting_mode_word,
    report_title,
    source_word,
    task_result,
)
from bot.core.texts.format import format_date, format_target_percent
from bot.exports.data import ExportData
from storage.records import DocumentRecord, DossierRecord, MeetingRecord, SubmissionRecord

DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0.0%"
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
BOLD = Font(bold=True)
Column = tuple[str, int]  # header key, width in characters
Cell = object


def _status(cancelled_on: date | None) -> list[Cell]:
    return [text("sheet.cancelled") if cancelled_on else text("sheet.live"), cancelled_on]


def _sheet(book: Workbook, title_key: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> Worksheet:
    """A data sheet: Vietnamese headers on a frozen first row, widths set, dates as real dates, and text as text:
    a summary typed as '=HYPERLINK(…)' stays words, never a formula."""
    sheet = book.create_sheet(text(title_key))
    _append(sheet, [text(key) for key, _ in columns])
    style_header(sheet[1])
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        _append(sheet, row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif cell.data_type == "f":
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    return sheet


def _append(sheet: Worksheet, cells: Sequence[Cell]) -> None:
    """Every row goes in through here: text (stored, typed in the config) loses what XML cannot hold."""
    sheet.append([xml_safe(cell) if isinstance(cell, str) else cell for cell in cells])


def style_header(cells) -> None:
    """Bold on a tint, wrapped, two lines high."""
    cells[0].parent.row_dimensions[cells[0].row].height = 32
    for cell in cells:
        cell.font, cell.fill = BOLD, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


ENTRY: list[Column] = [("sheet.col.id", 7), ("sheet.col.day", 12), ("sheet.col.code", 10), ("sheet.col.department", 32)]
LOGGED: list[Column] = [("sheet.col.person", 22), ("sheet.col.source", 12)]
STATUS: list[Column] = [("sheet.col.status", 14), ("sheet.col.cancelled_on", 12)]
Entry = MeetingRecord | DocumentRecord | DossierRecord


def _entry_row(entry: Entry, *fields: Cell) -> list[Cell]:
    """An entry's row: number, date, department, its own fields, who logged it and how, live or cancelled."""
    head = [f"#{entry.id}", entry.occurred_on, entry.department, entry.department_name]
    return [*head, *fields, entry.person, source_word(entry.source_channel), *_status(entry.cancelled_on)]


def _data_sheets(book: Workbook, data: ExportData) -> dict[str, Worksheet]:
    """One sheet a kind of record; the three the summary's formulas read are returned by name."""
    records = data.records
    meetings = _sheet(
        book,
        "sheet.meetings",
        [*ENTRY, ("sheet.col.mode", 12), ("sheet.col.summary", 45), *LOGGED, *STATUS],
        [_entry_row(m, meeting_mode_word(m.online), m.summary) for m in records.meetings],
    )
    documents = _sheet(
        book,
        "sheet.documents",
        [*ENTRY, ("sheet.col.kind", 10), ("sheet.col.number", 18), ("sheet.col.abstract", 45), *LOGGED, *STATUS],
        [_entry_row(d, document_kind_word(d.document_kind), d.number or "", d.summary) for d in records.documents],
    )
    dossiers = _sheet(
        book,
        "sheet.dossiers",
        [*ENTRY, ("sheet.col.online", 12), ("sheet.col.paper", 12), *LOGGED, *STATUS],
        [_entry_row(t, t.online, t.paper) for t in records.dossiers],
    )
    _sheet(
        book,
        "sheet.tasks",
        [("sheet.col.id", 7), ("sheet.col.code", 10), ("sheet.col.department", 32), ("sheet.col.task", 45)]
        + [("sheet.col.due", 12), ("sheet.col.progress", 10), ("sheet.col.completed_on", 14), ("sheet.col.result", 16)]
        + STATUS,
        [
            [f"V{t.id}", t.department, t.department_name, t.title, t.due_on, t.progress, t.completed_on]
            + [task_result(t.due_on, t.completed_on, t.cancelled_on is not None, data.today), *_status(t.cancelled_on)]
            for t in records.tasks
        ],
    )
    _sheet(
        book,
        "sheet.submissions",
        [("sheet.col.id", 7), ("sheet.col.report", 20), ("sheet.col.year", 7), *ENTRY[2:]]
        + [("sheet.col.submitted_on", 12), ("sheet.col.due", 12), ("sheet.col.on_time", 10)]
        + [LOGGED[0], ("sheet.col.file", 9), ("sheet.col.note", 50), *STATUS],
        [_submission_row(s, data) for s in records.submissions],
    )
    return {"meetings": meetings, "documents": documents, "dossiers": dossiers}


def _submission_row(submission: SubmissionRecord, data: ExportData) -> list[Cell]:
    standing = data.standing(submission.report_code, submission.report_year)
    return [
        f"#{submission.id}",
        standing.name,
        submission.report_year,
        submission.department,
        submission.department_name,
        submission.submitted_on,
        standing.due,
        _yes(submission.submitted_on <= standing.due),
        submission.person,
        _yes(submission.with_file),
        submission.note,
        *_status(submission.cancelled_on),
    ]


def _yes(value: bool) -> str:
    return text("sheet.yes") if value else text("sheet.no")


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
    return text("chart.no_data") if line.share is None else float(line.share)


@dataclass(frozen=True)
class _Target:
    """One of the plan's five targets on the summary: its formulas over the data sheets and the bot's figures."""

    key: str
    part: str
    whole: str | None  # None for a capped count
    line: CapLine | ShareLine
    last: CapLine | ShareLine


def _target_row(row: int, target: _Target) -> list[Cell]:
    line, last, mark = target.line, target.last, mark_word(target.line.mark)
    if isinstance(line, CapLine):
        period_cap = None if line.period_cap is None else math.floor(line.period_cap)
        plan = text("sheet.cut", cut=format_target_percent(line.cut))
        cells = [f"={target.part}", None, None, plan, period_cap, line.cap, line.baseline, line.baseline_year]
        before = text("chart.no_data") if last.mark is Mark.NO_DATA else last.count
        return [text(target.key), *cells, before, mark, line.count, None]
    share = f'=IF(C{row}=0,"{text("chart.no_data")}",B{row}/C{row})'
    cells = [f"={target.part}", f"={target.whole}", share, line.floor, None, None, None, None]
    return [text(target.key), *cells, _share_value(last), mark, line.part, line.whole]


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
    return [
        _Target(f"figure.{line.target.key}", *formulas[line.target.key], line, before)
        for line, before in zip(data.report.lines, data.last_year.lines, strict=True)
    ]


def _summary(sheet: Worksheet, data: ExportData, sheets: dict[str, Worksheet]) -> None:
    """The five targets as formulas over the data sheets, each beside the bot's figure, then tasks and departments."""
    report = data.report
    _append(sheet, [report_title(report)])
    sheet["A1"].font = Font(bold=True, size=14)
    _append(sheet, [text("sheet.as_of"), report.as_of])
    sheet["B2"].number_format = DATE_FORMAT
    if report.data_from is not None:
        _append(sheet, [text("sheet.partial", day=format_date(report.data_from))])
    _append(sheet, [])
    keys = ["target", "done", "whole", "share", "plan", "period_cap", "cap", "baseline", "baseline_year"]
    _append(sheet, [text(f"sheet.sum.{key}") for key in [*keys, "last_year", "mark", "check_done", "check_whole"]])
    style_header(sheet[sheet.max_row])
    for target in _targets(data, sheets):
        row = sheet.max_row + 1
        _append(sheet, _target_row(row, target))
        if isinstance(target.line, ShareLine):
            for column in "DEJ":
                sheet[f"{column}{row}"].number_format = PERCENT_FORMAT
    secret = _live_count(sheets["documents"], ("sheet.col.kind", document_kind_word("secret")))
    _append(sheet, [text("sheet.secret"), f"={secret}", *[None] * 9, report.secret_documents])
    if (tasks := report.tasks) is not None:
        _append(sheet, [])
        for key, value in (("due", tasks.due), ("on_time", tasks.on_time), ("overdue", tasks.overdue_open)):
            _append(sheet, [text(f"sheet.tasks.{key}"), value])
    _departments(sheet, data)
    for index, width in enumerate([34, 12, 12, 14, 13, 12, 12, 14, 9, 14, 16, 14, 14], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _departments(sheet: Worksheet, data: ExportData) -> None:
    """Each department's figures (values from its own standing), below the commune's."""
    _append(sheet, [])
    _append(sheet, [text("sheet.by_department")])
    sheet["A" + str(sheet.max_row)].font = BOLD
    keys = ["department", "meetings", "online", "online_share", "documents", "electronic", "electronic_share"]
    keys += ["secret", "dossiers_online", "dossiers_paper", "dossiers_share", "tasks_due", "tasks_on_time"]
    _append(sheet, [text(f"sheet.dep.{key}") for key in keys])
    style_header(sheet[sheet.max_row])
    for department in data.departments:
        report, tasks = department.report, department.report.tasks
        line = report.line
        _append(
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
    _summary(summary, data, _data_sheets(book, data))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
