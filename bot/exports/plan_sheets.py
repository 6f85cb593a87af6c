"""The workbook's sheets for the rest of the plan: "Cán bộ", each official's year for the yearly evaluation
(facts, no score); "Góp ý", the feedback received and its answers; "HS giải quyết", the dossiers resolved;
"Văn bản đến", the documents received. Cancelled rows are marked, never dropped."""

from __future__ import annotations

from openpyxl import Workbook

from bot.core.features.feedback import FeedbackRow
from bot.core.texts.catalogue import add_strings, text
from bot.core.texts.exports import document_kind_word
from bot.exports.data import ExportData
from bot.exports.record_sheets import Column, data_sheet

add_strings(
    {
        "sheet.officials": "Cán bộ",
        "sheet.off.name": "Cán bộ, công chức",
        "sheet.off.id": "Mã thành viên",
        "sheet.off.led": "Việc chịu trách nhiệm (đến hạn trong năm)",
        "sheet.off.on_time": "Hoàn thành đúng hạn",
        "sheet.off.late": "Hoàn thành trễ hạn",
        "sheet.off.late_days": "Số ngày làm việc trễ",
        "sheet.off.overdue": "Quá hạn chưa xong",
        "sheet.off.updates": "Lần cập nhật tiến độ",
        "sheet.off.reports_on_time": "Báo cáo nộp đúng hạn",
        "sheet.off.reports_late": "Báo cáo nộp muộn",
        "sheet.off.year": "Năm",
        "sheet.feedback": "Góp ý",
        "sheet.fb.number": "Số",
        "sheet.fb.day": "Ngày tiếp nhận",
        "sheet.fb.origin": "Nguồn",
        "sheet.fb.channel": "Hình thức",
        "sheet.fb.subject": "Chủ đề",
        "sheet.fb.body": "Nội dung",
        "sheet.fb.due": "Hạn trả lời",
        "sheet.fb.answered_on": "Ngày trả lời",
        "sheet.fb.timing": "Kết quả",
        "sheet.fb.answer": "Nội dung trả lời",
        "sheet.fb.on_time": "Đúng hạn",
        "sheet.fb.late": "Trễ hạn",
        "sheet.fb.open": "Chưa trả lời",
        "sheet.resolved": "HS giải quyết",
        "sheet.incoming": "Văn bản đến",
        "sheet.res.online": "Giải quyết trực tuyến",
        "sheet.res.paper": "Giải quyết trực tiếp",
        "sheet.res.late": "Trong đó trễ hạn",
    }
)

OFFICIAL_COLUMNS: list[Column] = [
    ("sheet.off.name", 26),
    ("sheet.off.id", 10),
    ("sheet.col.department", 32),
    ("sheet.off.year", 7),
    ("sheet.off.led", 14),
    ("sheet.off.on_time", 12),
    ("sheet.off.late", 12),
    ("sheet.off.late_days", 12),
    ("sheet.off.overdue", 12),
    ("sheet.off.updates", 12),
    ("sheet.off.reports_on_time", 12),
    ("sheet.off.reports_late", 12),
]
FEEDBACK_COLUMNS: list[Column] = [
    ("sheet.fb.number", 7),
    ("sheet.fb.day", 12),
    ("sheet.fb.origin", 12),
    ("sheet.fb.channel", 16),
    ("sheet.fb.subject", 28),
    ("sheet.fb.body", 40),
    ("sheet.col.department", 32),
    ("sheet.fb.due", 12),
    ("sheet.fb.answered_on", 12),
    ("sheet.fb.timing", 12),
    ("sheet.fb.answer", 40),
]
ENTRY: list[Column] = [
    ("sheet.col.id", 7), ("sheet.col.day", 12), ("sheet.col.code", 10), ("sheet.col.department", 32),
]  # fmt: skip
LOGGED: list[Column] = [("sheet.col.person", 22), ("sheet.col.status", 14), ("sheet.col.cancelled_on", 12)]
RESOLVED_COLUMNS = [*ENTRY, ("sheet.res.online", 12), ("sheet.res.paper", 12), ("sheet.res.late", 12), *LOGGED]
INCOMING_COLUMNS = [*ENTRY, ("sheet.col.kind", 10), ("sheet.col.number", 18), ("sheet.col.summary", 40), *LOGGED]
OFFICIAL_FIELDS = ("led", "on_time", "late", "late_days", "overdue", "updates", "reports_on_time", "reports_late")


def plan_sheets(book: Workbook, data: ExportData) -> None:
    """Append the sheets of the plan's other obligations."""
    names = {d.code: d.name for d in data.departments}
    rows = [
        [o.name, o.person_id, ", ".join(names.get(c, c) for c in o.departments), data.period.year]
        + [getattr(o, field) for field in OFFICIAL_FIELDS]
        for o in data.officials
    ]
    data_sheet(book, "sheet.officials", OFFICIAL_COLUMNS, rows)
    data_sheet(book, "sheet.feedback", FEEDBACK_COLUMNS, [_feedback_row(row) for row in data.feedback])
    resolved = [
        [*_entry_cells(row), e.resolved_online, e.resolved_paper, e.resolved_late, *_logged(row)]
        for row in data.resolved
        for e in [row[5]]
    ]
    data_sheet(book, "sheet.resolved", RESOLVED_COLUMNS, resolved)
    incoming = [
        [*_entry_cells(row), document_kind_word(e.document_kind), e.document_number, e.summary, *_logged(row)]
        for row in data.incoming
        for e in [row[5]]
    ]
    data_sheet(book, "sheet.incoming", INCOMING_COLUMNS, incoming)


def _entry_cells(row: tuple) -> list[object]:
    number, day, code, name = row[:4]
    return [number, day, code, name]


def _logged(row: tuple) -> list[object]:
    person, cancelled = row[4], row[6]
    return [person, text("sheet.cancelled") if cancelled else text("sheet.live"), cancelled]


def _feedback_row(row: FeedbackRow) -> list[object]:
    if row.answered_on is None:
        timing = text("sheet.fb.open")
    else:
        timing = text("sheet.fb.on_time" if row.answered_on <= row.due else "sheet.fb.late")
    channel = text(f"channel.{row.channel}") if row.channel else None
    return [
        f"G{row.number}", row.day, text(f"origin.{row.origin}"), channel, row.subject, row.body, row.department,
        row.due, row.answered_on, timing, row.answer,
    ]  # fmt: skip
