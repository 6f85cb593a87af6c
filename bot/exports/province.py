"""The province's workbook of a period: a sheet a commune with its figures, and a summary whose rows, one a
commune, are formulas over those sheets (so the Sở Nội vụ can audit every total), with the province's totals."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.core.features.province import CommuneStanding
from bot.core.features.targets import period_name
from bot.core.targets import CapLine
from bot.core.texts.catalogue import text
from bot.core.texts.exports import mark_word
from bot.exports.record_sheets import BOLD, PERCENT_FORMAT, share_formula, style_header

SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, taken: set[str]) -> str:
    """A commune's sheet name: its name without the office's title, at most 31 characters, unique."""
    title = SHEET_NAME.sub(" ", name.removeprefix("UBND ").strip())[:31]
    base, n = title, 2
    while title in taken:
        title = f"{base[:28]} {n}"
        n += 1
    taken.add(title)
    return title


def _commune_sheet(book: Workbook, title: str, standing: CommuneStanding) -> Worksheet:
    """One commune: a row a target (its count, or its part, whole and share), and its mark."""
    sheet = book.create_sheet(title)
    sheet.append([standing.name])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([text(f"province.sheet.{key}") for key in ("target", "part", "whole", "share", "mark")])
    style_header(sheet[2])
    for line in standing.report.lines:
        row = sheet.max_row + 1
        if isinstance(line, CapLine):
            cells = [line.count, None, None]
        else:
            cells = [line.part, line.whole, share_formula(f"B{row}", f"C{row}", line.floor)]
        sheet.append([text(f"figure.{line.target.key}"), *cells, mark_word(line.mark)])
        sheet[f"D{row}"].number_format = PERCENT_FORMAT
    for index, width in enumerate([34, 12, 12, 12, 16], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return sheet


def build_province_workbook(province: str, standings: list[CommuneStanding]) -> bytes:
    """The province's .xlsx: the summary first, then a sheet a commune."""
    book = Workbook()
    summary = book.active
    summary.title = text("sheet.summary")
    first = standings[0].report
    summary.append([f"{period_name(first.period)} – {province}"])
    summary["A1"].font = Font(bold=True, size=14)
    lines = first.lines
    header = [text("province.sheet.commune")]
    for line in lines:
        name = text(f"figure.{line.target.key}")
        header += [name] if isinstance(line, CapLine) else [name, text("province.sheet.whole"), name + " (%)"]
    summary.append(header)
    style_header(summary[2])
    taken: set[str] = set()
    for standing in standings:
        title = _commune_sheet(book, _sheet_title(standing.name, taken), standing).title
        row, cells = summary.max_row + 1, [standing.name]
        for index, line in enumerate(lines):
            source = 3 + index  # the target's row on the commune's sheet
            if isinstance(line, CapLine):
                cells.append(f"='{title}'!B{source}")
            else:
                col = get_column_letter(len(cells) + 1)
                whole = get_column_letter(len(cells) + 2)
                share = f'=IF({whole}{row}=0,"",{col}{row}/{whole}{row})'
                cells += [f"='{title}'!B{source}", f"='{title}'!C{source}", share]
        summary.append(cells)
    last = summary.max_row
    total = [text("province.sheet.total")]
    for column in range(2, len(header) + 1):
        letter = get_column_letter(column)
        if header[column - 1].endswith("(%)"):
            part, whole = get_column_letter(column - 2), get_column_letter(column - 1)
            total.append(f'=IF({whole}{last + 1}=0,"",{part}{last + 1}/{whole}{last + 1})')
        else:
            total.append(f"=SUM({letter}3:{letter}{last})")
    summary.append(total)
    for cell in summary[summary.max_row]:
        cell.font = BOLD
    for column, name in enumerate(header, start=1):
        summary.column_dimensions[get_column_letter(column)].width = 30 if column == 1 else 13
        if name.endswith("(%)"):
            for row in range(3, summary.max_row + 1):
                summary.cell(row, column).number_format = PERCENT_FORMAT
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
