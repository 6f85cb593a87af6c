"""The workbook's data sheets: one a kind of record (meetings, documents, dossier tallies, tasks, submissions,
the departments' report answers), one row a record, cancelled ones marked, never dropped; and the helpers every
sheet of ours shares (headers, dates, text that stays text, the percent format)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.core.cleaning import xml_safe
from bot.core.features.report_content import group_name
from bot.core.reports import days_late
from bot.core.texts.catalogue import text
from bot.core.texts.exports import document_kind_word, meeting_mode_word, source_word, task_result
from bot.core.texts.format import shown_tenths
from bot.exports.data import ExportData
from storage.records import DocumentRecord, DossierRecord, MeetingRecord, SubmissionRecord

DATE_FORMAT = "dd/mm/yyyy"
PERCENT_FORMAT = "0.0%"  # the values are rounded as the bot rounds them (`shown_share`, `share_formula`)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
BOLD = Font(bold=True)
Column = tuple[str, int]  # header key, width in characters
Cell = object


def _status(cancelled_on: date | None) -> list[Cell]:
    return [text("sheet.cancelled") if cancelled_on else text("sheet.live"), cancelled_on]


def data_sheet(book: Workbook, title_key: str, columns: Sequence[Column], rows: Sequence[Sequence[Cell]]) -> Worksheet:
    """A data sheet: Vietnamese headers on a frozen first row, widths set, dates as real dates, and text as text:
    a summary typed as '=HYPERLINK(…)' stays words, never a formula."""
    sheet = book.create_sheet(text(title_key))
    append_row(sheet, [text(key) for key, _ in columns])
    style_header(sheet[1])
    for index, (_, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        append_row(sheet, row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif cell.data_type == "f":
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    return sheet


def append_row(sheet: Worksheet, cells: Sequence[Cell]) -> None:
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


def data_sheets(book: Workbook, data: ExportData) -> dict[str, Worksheet]:
    """One sheet a kind of record; the three the summary's formulas read are returned by name."""
    records = data.records
    meetings = data_sheet(
        book,
        "sheet.meetings",
        [*ENTRY, ("sheet.col.mode", 12), ("sheet.col.summary", 45), *LOGGED, *STATUS],
        [_entry_row(m, meeting_mode_word(m.online), m.summary) for m in records.meetings],
    )
    documents = data_sheet(
        book,
        "sheet.documents",
        [*ENTRY, ("sheet.col.kind", 10), ("sheet.col.number", 18), ("sheet.col.abstract", 45), *LOGGED, *STATUS],
        [_entry_row(d, document_kind_word(d.document_kind), d.number or "", d.summary) for d in records.documents],
    )
    dossiers = data_sheet(
        book,
        "sheet.dossiers",
        [*ENTRY, ("sheet.col.online", 12), ("sheet.col.paper", 12), *LOGGED, *STATUS],
        [_entry_row(t, t.online, t.paper) for t in records.dossiers],
    )
    data_sheet(
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
    data_sheet(
        book,
        "sheet.submissions",
        [("sheet.col.id", 7), ("sheet.col.report", 20), ("sheet.col.year", 7), *ENTRY[2:]]
        + [("sheet.col.submitted_on", 12), ("sheet.col.due", 12), ("sheet.col.on_time", 10)]
        + [("sheet.col.days_late", 10)]
        + [LOGGED[0], ("sheet.col.file", 9), ("sheet.col.note", 50), *STATUS],
        [_submission_row(s, data) for s in records.submissions],
    )
    if data.answers:
        data_sheet(
            book,
            "sheet.answers",
            [ENTRY[2], ENTRY[3], ("sheet.col.part", 20), ("sheet.col.group", 34), ("sheet.col.answer", 80)]
            + [("sheet.col.file", 9)],
            [
                [
                    a.department,
                    a.department_name,
                    text(f"part.{a.part}"),
                    group_name(a.task_group) if a.task_group else "",
                ]
                + [a.body, _yes(a.with_file)]
                for a in data.answers
            ],
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
        days_late(standing.kind, submission.report_year, submission.submitted_on) or None,
        submission.person,
        _yes(submission.with_file),
        submission.note,
        *_status(submission.cancelled_on),
    ]


def _yes(value: bool) -> str:
    return text("sheet.yes") if value else text("sheet.no")


def shown_share(share: Fraction | None, floor: float) -> Cell:
    """A share as the bot shows it, as a cell value: rounded by the bot's one rule, "no data" when nothing counts."""
    return text("chart.no_data") if share is None else shown_tenths(share, floor) / 1000


def share_formula(part: str, whole: str, floor: float) -> str:
    """The formula of a share with a target, rounded as the bot rounds it, in any spreadsheet and any locale: half
    up to one decimal of a percent, but never up to a target the exact share misses."""
    below = (math.ceil(Fraction(str(floor)) * 1000) - 1) / 1000
    exact, rounded = f"{part}/{whole}", f"ROUND({part}/{whole},3)"
    shown = f"IF(AND({exact}<{floor},{rounded}>={floor}),{below},{rounded})"
    return f'=IF({whole}=0,"{text("chart.no_data")}",{shown})'
