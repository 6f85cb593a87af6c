"""Reading meetings, documents and dossier tallies from a file exported by a document-management system or the
public-service portal (.xlsx, or .csv in UTF-8 with commas or semicolons), within the limits of
`bot.exports.limits`. Columns are found by their headers, with or without diacritics; each row is checked as the
chat commands check it, and refused with its line and why.

The portal's monthly statistics give a department's dossiers received and resolved on one row: it becomes a
tally of each (nothing typed twice). The e-office system's incoming register ("Ngày đến") gives documents
received."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime

from bot.core.cleaning import clean_line
from bot.core.features.entries import (
    DOCUMENT_KINDS,
    MAX_COUNT,
    MAX_DOCUMENT_NUMBER,
    MEETING_MODES,
    DocumentKind,
    MeetingMode,
    document_number_key,
)
from bot.core.grammar import MAX_SUMMARY, compact, department_code, echo, fold, is_number, past_day_problem
from bot.core.texts.catalogue import text
from bot.core.texts.format import format_count
from bot.exports.limits import UnreadableFile
from bot.exports.tables import read_table
from storage.imports import ImportBatch, ImportRow, RowProblem

COLUMNS = {
    "kind": ("Loại", "Loại bản ghi", "Loại số liệu"),
    "day": ("Ngày", "Ngày ban hành", "Ngày họp", "Ngày tiếp nhận", "Ngày văn bản"),
    "department": ("Phòng", "Mã phòng", "Phòng ban", "Đơn vị", "Mã đơn vị", "Bộ phận", "Đơn vị xử lý", "Phòng xử lý"),
    "mode": ("Hình thức", "Hình thức họp", "Loại văn bản", "Hình thức văn bản"),
    "number": ("Số ký hiệu", "Số, ký hiệu", "Số hiệu", "Số văn bản"),
    "summary": ("Trích yếu", "Trích yếu nội dung", "Nội dung", "Tên cuộc họp", "Tiêu đề"),
    "online": ("Trực tuyến", "Hồ sơ trực tuyến", "Số hồ sơ trực tuyến", "Tiếp nhận trực tuyến"),
    "paper": ("Trực tiếp", "Hồ sơ trực tiếp", "Số hồ sơ trực tiếp", "Hồ sơ giấy", "Tiếp nhận trực tiếp"),
    "resolved_online": ("Giải quyết trực tuyến", "Đã giải quyết trực tuyến", "Hồ sơ giải quyết trực tuyến"),
    "resolved_paper": ("Giải quyết trực tiếp", "Đã giải quyết trực tiếp", "Hồ sơ giải quyết trực tiếp"),
    "resolved_late": ("Giải quyết trễ hạn", "Giải quyết quá hạn", "Trễ hạn", "Quá hạn", "Số hồ sơ trễ hạn"),
    "arrived": ("Ngày đến", "Ngày nhận"),
}
REQUIRED = ("day", "department")
RESOLVED = ("resolved_online", "resolved_paper")
KINDS = {
    **dict.fromkeys(["hop", "cuochop", "hoihop", "hoinghi", "meeting"], "meeting"),
    **dict.fromkeys(["vanban", "vb", "document"], "document"),
    **dict.fromkeys(["hoso", "hosotthc", "thutuc", "thutuchanhchinh", "dossiers"], "dossiers"),
    **dict.fromkeys(["giaiquyet", "hosogiaiquyet", "resolved"], "resolved"),
    **dict.fromkeys(["vanbanden", "den", "incoming"], "incoming"),
}
DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class Refused(Exception):  # noqa: N818 - a row's answer, not a failure
    """A row that cannot be imported, with the reason."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(text(key, **values))


def _norm(header: object) -> str:
    """A header as compared: folded, letters and digits only ('Số, ký hiệu' -> 'sokyhieu')."""
    return re.sub(r"[^a-z0-9]", "", fold(str(header or "")))


HEADERS = {_norm(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


def _columns(header: tuple[object, ...]) -> dict[str, list[int]]:
    """Each field's columns (a file may carry both 'Trích yếu' and 'Nội dung'); unknown headers are ignored."""
    found: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        if (name := HEADERS.get(_norm(cell))) is not None:
            found.setdefault(name, []).append(index)
    if "arrived" in found:  # an incoming register: its day is the day a document came
        found.setdefault("day", []).extend(found["arrived"])
    for name in REQUIRED:
        if name not in found:
            raise UnreadableFile("import.missing_column", column=COLUMNS[name][0])
    return found


def _cell(row: tuple[object, ...], columns: Mapping[str, list[int]], name: str) -> object:
    """The first non-empty cell of a field in a row, or ''."""
    for index in columns.get(name, ()):
        value = row[index] if index < len(row) else None
        if value is not None and str(value).strip():
            return value.strip() if isinstance(value, str) else value
    return ""


def _day(value: object, today: date) -> date:
    """A date cell (a real Excel date, or dd/mm/yyyy or yyyy-mm-dd, a time after it ignored): not in the future,
    not before last year (as in chat)."""
    if value == "":
        raise Refused("import.no_date")
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        token = str(value).split()[0]
        match, iso = DAY_FIRST.match(token), ISO.match(token)
        try:
            if not (match or iso):
                raise ValueError
            day = date(int(match[3]), int(match[2]), int(match[1])) if match else date(*map(int, iso.groups()))
        except ValueError:
            raise Refused("import.bad_date", value=echo(str(value))) from None
    if problem := past_day_problem(day, today):
        raise Refused(f"import.{problem[0]}", **problem[1])
    return day


def _count(value: object) -> int:
    """A count of dossiers: a whole number from 0 up; an empty cell is 0."""
    if value == "":
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and is_number(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Refused("import.bad_count", value=echo(str(value)))
    if value > MAX_COUNT:
        raise Refused("import.count_too_big", value=format_count(value), limit=format_count(MAX_COUNT))
    return value


def _text(value: object, what: str, limit: int) -> str:
    """A one-line field: its whitespace folded to single spaces, no longer than `limit`."""
    content = clean_line(str(value))
    if len(content) > limit:
        raise Refused("import.too_long", what=what, limit=limit)
    return content


def _key(*parts: object) -> str:
    """A stable key of at most 64 characters for what identifies a record."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:40]
    return f"{parts[0]}:{digest}"


def _nth(seen: Counter, *fields: object) -> str:
    """The key of a record by all its fields: the n-th row of a file alike in every field is the n-th record so
    (two meetings on one day, two tallies of a department), and importing the file again finds each one."""
    seen[fields] += 1
    return _key(*fields, seen[fields])


def _department(value: object, departments: Mapping[str, str]) -> str:
    """A department by its code or its full name."""
    if value == "":
        raise Refused("import.no_department")
    names = {_norm(name): code for code, name in departments.items()}
    code = department_code(str(value).strip())
    if code in departments:
        return code
    if (by_name := names.get(_norm(value))) is not None:
        return by_name
    raise Refused("import.bad_department", value=echo(str(value)), codes=", ".join(departments))


def _kind(row: tuple[object, ...], columns: Mapping[str, list[int]]) -> str:
    """The row's kind from the 'Loại' column, else from its mode (a meeting's or a document's) or its counts."""
    if (given := _cell(row, columns, "kind")) != "":
        if (kind := KINDS.get(compact(str(given)))) is None:
            raise Refused("import.bad_kind", value=echo(str(given)))
        return kind
    mode = compact(str(_cell(row, columns, "mode")))
    if mode in MEETING_MODES:
        return "meeting"
    if _cell(row, columns, "arrived") != "":
        return "incoming"
    if mode in DOCUMENT_KINDS or _cell(row, columns, "number") != "":
        return "document"
    if _cell(row, columns, "online") != "" or _cell(row, columns, "paper") != "":
        return "dossiers"
    if any(_cell(row, columns, name) != "" for name in RESOLVED):
        return "resolved"
    raise Refused("import.bad_kind", value="")


def _resolved(
    line: int, row: tuple[object, ...], columns, department: str, day: date, seen: Counter
) -> ImportRow | None:
    """A row's dossiers resolved (online, on paper, late), if it has any."""
    online, paper = (_count(_cell(row, columns, name)) for name in RESOLVED)
    late = _count(_cell(row, columns, "resolved_late"))
    if online == paper == 0:
        return None
    if late > online + paper:
        raise Refused("import.late_over_total", late=late, total=online + paper)
    key = _nth(seen, "resolved", day, department, online, paper, late)
    return ImportRow(
        line, "resolved", department, day, key, resolved_online=online, resolved_paper=paper, resolved_late=late
    )


def _rows(
    line: int, row: tuple[object, ...], columns, departments: Mapping[str, str], today: date, seen: Counter
) -> list[ImportRow]:
    """The records one line holds: one, or (the portal's monthly statistics) dossiers received and resolved."""
    kind = _kind(row, columns)
    if kind not in ("dossiers", "resolved"):
        return [_row(line, row, columns, departments, today, seen)]
    department = _department(_cell(row, columns, "department"), departments)
    day = _day(_cell(row, columns, "day"), today)
    resolved = _resolved(line, row, columns, department, day, seen)
    has_received = _cell(row, columns, "online") != "" or _cell(row, columns, "paper") != ""
    if kind == "resolved" and not has_received:
        if resolved is None:
            raise Refused("import.zero_counts")
        return [resolved]
    return [_row(line, row, columns, departments, today, seen), *([resolved] if resolved else [])]


def _row(
    line: int, row: tuple[object, ...], columns, departments: Mapping[str, str], today: date, seen: Counter
) -> ImportRow:
    kind = _kind(row, columns)
    department = _department(_cell(row, columns, "department"), departments)
    day = _day(_cell(row, columns, "day"), today)
    summary = _text(_cell(row, columns, "summary"), COLUMNS["summary"][0], MAX_SUMMARY)
    mode = str(_cell(row, columns, "mode"))
    if kind == "meeting":
        if (meeting := MEETING_MODES.get(compact(mode))) is None:
            raise Refused("import.bad_mode", value=echo(mode))
        key = _nth(seen, kind, day, department, meeting, fold(summary))
        return ImportRow(line, kind, department, day, key, summary, online=meeting is MeetingMode.ONLINE)
    if kind == "dossiers":
        online, paper = _count(_cell(row, columns, "online")), _count(_cell(row, columns, "paper"))
        if online == paper == 0:
            raise Refused("import.zero_counts")
        key = _nth(seen, kind, day, department, online, paper)
        return ImportRow(line, kind, department, day, key, dossiers_online=online, dossiers_paper=paper)
    if (document := DOCUMENT_KINDS.get(compact(mode))) is None:
        raise Refused("import.bad_document_kind", value=echo(mode))
    number = _text(_cell(row, columns, "number"), COLUMNS["number"][0], MAX_DOCUMENT_NUMBER) or None
    if document is DocumentKind.SECRET and (number or summary):
        raise Refused("import.secret_details")
    if kind == "incoming":  # another body's number: it names no document of ours, and may come twice
        key = _nth(seen, kind, day, department, document, fold(number or ""), fold(summary))
        return ImportRow(line, kind, department, day, key, summary, document_kind=document, number=number)
    if number is None:
        number_key, key = None, _nth(seen, kind, day, department, document, fold(summary))
    else:  # a số ký hiệu names one document a year: the same row again is that document, never a second one
        number_key = document_number_key(number)
        key = _key(kind, day, department, document, number_key, fold(summary))
    return ImportRow(
        line, kind, department, day, key, summary, document_kind=document, number=number, number_key=number_key
    )


def read_rows(content: bytes, filename: str, *, departments: Mapping[str, str], today: date) -> ImportBatch:
    """Read a file's rows: each one either to import (with its key) or refused with its line and why; the whole
    file is refused (UnreadableFile) if it is broken or over a limit.

    `departments` maps code to name (either is accepted in the file); dates after `today` are refused."""
    table = read_table(content, filename)
    if not table:
        raise UnreadableFile("import.no_header")
    (_, header), *body = table
    columns = _columns(header)
    rows, refused, seen = [], [], Counter()
    for line, row in body:
        try:
            rows.extend(_rows(line, row, columns, departments, today, seen))
        except Refused as refusal:
            refused.append(RowProblem(line, text("import.row", line=format_count(line), reason=str(refusal))))
    return ImportBatch(tuple(rows), tuple(refused), read=len(body))
