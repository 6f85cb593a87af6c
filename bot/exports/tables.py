"""An uploaded table (.xlsx or .csv) as its rows that hold something, each with its line, its text cleaned of
control characters; the file's size, rows, columns, cells and each cell's length checked as they come, before
anything is kept, so a file over a limit is refused whole, the limit named."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl.utils.cell import get_column_letter

from bot.core.cleaning import clean_text
from bot.core.texts.format import format_count
from bot.exports.limits import LIMITS, Limits, UnreadableFile, check_size
from bot.exports.xlsx import Cell, sheet_cells

Row = tuple[int, tuple[object, ...]]  # (line, cells from column A to the last one holding something)


def read_table(content: bytes, filename: str, limits: Limits = LIMITS) -> list[Row]:
    """The rows of an .xlsx's first sheet, or of a UTF-8 .csv, that hold something. Raises UnreadableFile."""
    suffix = filename.lower().rpartition(".")[2]
    if suffix not in ("xlsx", "csv"):
        raise UnreadableFile("import.bad_type")
    check_size(len(content), limits)
    table = _Table(limits)
    table.add_cells(sheet_cells(content, filename, limits) if suffix == "xlsx" else _csv_cells(content, limits))
    return table.rows


class _Table:
    """The rows kept so far and the cells counted against the limits."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.rows: list[Row] = []
        self.cells = 0

    def add_cells(self, cells: Iterable[Cell]) -> None:
        """Cells in the file's order, grouped into rows by their line."""
        line, row = 0, {}
        for at, column, value in cells:
            if isinstance(value, str) and (value := self._text(value, at)) is None:
                continue
            if column > self.limits.columns:
                last = get_column_letter(self.limits.columns)
                raise UnreadableFile(
                    "import.too_many_columns",
                    line=format_count(at),
                    column=get_column_letter(column),
                    limit=self.limits.columns,
                    last=last,
                )
            if at != line and row:
                self._add(line, row)
                row = {}
            line, row[column] = at, value
        if row:
            self._add(line, row)

    def _text(self, value: str, line: int) -> str | None:
        """A text cleaned, or None if only spaces are left."""
        if len(value) > self.limits.cell_chars:
            raise UnreadableFile(
                "import.cell_too_long", line=format_count(line), limit=format_count(self.limits.cell_chars)
            )
        value = clean_text(value)
        return value if value.strip() else None

    def _add(self, line: int, row: dict[int, object]) -> None:
        self.cells += len(row)
        if self.cells > self.limits.cells:
            raise UnreadableFile("import.too_many_cells", limit=format_count(self.limits.cells))
        if len(self.rows) > self.limits.rows:  # the header and `rows` rows are already kept
            raise UnreadableFile("import.too_many_rows", limit=format_count(self.limits.rows))
        self.rows.append((line, tuple(row.get(column) for column in range(1, max(row) + 1))))


def _csv_cells(content: bytes, limits: Limits) -> Iterable[Cell]:
    """The non-empty fields of a UTF-8 .csv (its byte-order mark allowed), split on commas or on semicolons,
    whichever its first line has more of; a line is a record, as a spreadsheet program counts it."""
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile("import.bad_encoding") from None
    if (nul := decoded.find("\0")) >= 0:  # UTF-16 without its byte-order mark reads as UTF-8 with NULs
        raise UnreadableFile("import.nul", line=format_count(decoded.count("\n", 0, nul) + 1))
    first = decoded.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=";" if first.count(";") > first.count(",") else ",")
    line = 0
    try:
        for line, record in enumerate(reader, start=1):
            yield from ((line, column, field) for column, field in enumerate(record, start=1) if field)
    except csv.Error:  # the one error a lenient reader raises: a field over the csv module's own limit (128 KiB)
        cell_chars = format_count(limits.cell_chars)
        raise UnreadableFile("import.cell_too_long", line=format_count(line + 1), limit=cell_chars) from None
