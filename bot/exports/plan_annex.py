"""The annual draft's annex: what the plan asks to be kept beside the report, from the same figures as the chat.
Phụ lục: each official's results of the year (for the yearly evaluation; facts, no score)."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from bot.core.texts.catalogue import add_strings, text
from bot.exports.data import ExportData
from bot.exports.docx_layout import add_body, add_heading, add_table

add_strings(
    {
        "doc.annex": "PHỤ LỤC",
        "doc.annex.officials": (
            "Kết quả thực hiện nhiệm vụ của cán bộ, công chức năm {year} (phục vụ đánh giá, xếp loại hằng năm)"
        ),
        "doc.annex.officials_note": (
            "Số liệu do bot ghi nhận đến ngày {day}: việc được giao đích danh chịu trách nhiệm, tiến độ, "
            "báo cáo định kỳ; không phải điểm đánh giá."
        ),
        "doc.annex.officials_none": "Chưa có cán bộ, công chức nào được ghi nhận.",
        "doc.off.no": "STT",
        "doc.off.name": "Cán bộ, công chức",
        "doc.off.led": "Việc chịu trách nhiệm",
        "doc.off.on_time": "Đúng hạn",
        "doc.off.late": "Trễ hạn (ngày làm việc)",
        "doc.off.overdue": "Quá hạn",
        "doc.off.updates": "Cập nhật tiến độ",
        "doc.off.reports": "Báo cáo đúng hạn / muộn",
    }
)


def _officials(document: DocxDocument, data: ExportData) -> None:
    add_heading(document, text("doc.annex.officials", year=data.period.year))
    if not data.officials:
        add_body(document, text("doc.annex.officials_none"))
        return
    keys = ("no", "name", "led", "on_time", "late", "overdue", "updates", "reports")
    rows = [
        [
            str(index),
            official.name,
            str(official.led),
            str(official.on_time),
            f"{official.late} ({official.late_days})" if official.late else "0",
            str(official.overdue),
            str(official.updates),
            f"{official.reports_on_time} / {official.reports_late}",
        ]
        for index, official in enumerate(data.officials, start=1)
    ]
    add_table(document, [text(f"doc.off.{key}") for key in keys], rows, [10, 40, 20, 17, 22, 16, 20, 20])
    add_body(document, text("doc.annex.officials_note", day=data.report.as_of.strftime("%d/%m/%Y")), italic=True)


def annex(document: DocxDocument, data: ExportData) -> None:
    """The annex of a year-long report (the annual report, or a calendar year): on a page of its own."""
    if not data.period.yearly:
        return
    document.add_page_break()
    add_heading(document, text("doc.annex"))
    _officials(document, data)
