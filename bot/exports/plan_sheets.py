"""The workbook's sheets for the rest of the plan: "Cán bộ", each official's year for the yearly evaluation
(facts, no score)."""

from __future__ import annotations

from openpyxl import Workbook

from bot.core.texts.catalogue import add_strings
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
