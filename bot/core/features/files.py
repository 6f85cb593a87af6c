"""What the office files: /xuat (the workbook), /baocaomau (the drafted report), /nhap (import a file); their
grammar, and what the chat says while files are made and where they are."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.features.targets import parse_targets
from bot.core.grammar import Ask, Missing, ParseContext, ParseError, Tokens, compact, echo, looks_like_year
from bot.core.texts.catalogue import add_strings


@dataclass(frozen=True)
class ExportWorkbook:
    year: int
    report: str | None = None
    month: int | None = None


@dataclass(frozen=True)
class DraftReport:
    report: str
    year: int


@dataclass(frozen=True)
class ImportFile:
    pass


def parse_export(tokens: Tokens, ctx: ParseContext) -> ExportWorkbook:
    wanted = parse_targets(tokens, ctx)
    if wanted.department is not None:
        raise ParseError("parse.whole_commune")
    return ExportWorkbook(wanted.year, wanted.report, wanted.month)


def parse_draft(tokens: Tokens, ctx: ParseContext) -> DraftReport:
    if not tokens.raw:
        raise Missing(Ask.REPORT_KIND, "/baocaomau {}")
    report = tokens.alias({compact(code): code for code in ctx.reports})
    if report is None:
        raise ParseError("parse.unknown_report", value=echo(tokens.raw[0]), codes=", ".join(ctx.reports))
    if tokens.raw and not looks_like_year(tokens.raw[0]):
        raise ParseError("parse.bad_year", value=echo(tokens.raw[0]))
    year = tokens.year(ctx.today) or ctx.today.year
    tokens.no_more()
    return DraftReport(report, year)


def parse_import(tokens: Tokens, ctx: ParseContext) -> ImportFile:
    return ImportFile()


add_strings(
    {
        "usage.xuat": "/xuat [kỳ] [năm]\nVí dụ: /xuat (năm nay), /xuat 6thang 2026, /xuat nam, /xuat thang 11",
        "usage.baocaomau": "/baocaomau <kỳ> [năm]\nVí dụ: /baocaomau nam 2026, /baocaomau 6thang",
        "usage.nhap": "Gửi tệp .xlsx hoặc .csv với chú thích /nhap (mẫu cột: samples/README.md)",
        "summary.xuat": "bảng tính Excel: số liệu và danh sách từng mục",
        "summary.baocaomau": "dự thảo báo cáo 6 tháng, năm (Word)",
        "summary.nhap": "nhập cuộc họp, văn bản, hồ sơ từ tệp Excel, CSV",
        "ask.report_kind": "Dự thảo báo cáo kỳ nào?",
        "ask.report_kind_none": "Chưa khai báo kỳ báo cáo nào ([[reports]] trong tệp cấu hình).",
        "option.report_kind": "{name} {year}",
        "parse.whole_commune": "Bảng tính là của toàn xã: hãy bỏ mã phòng.",
        "file.failed": (
            "⚠️ Chưa tạo được tệp do lỗi hệ thống (đã ghi vào nhật ký). Vui lòng thử lại sau; vẫn lỗi thì báo quản trị."
        ),
        "file.making": "⏳ Đang tạo {what}; tệp sẽ tới ngay sau tin này.",
        "file.what.workbook": "bảng tính {period}",
        "file.what.document": "dự thảo báo cáo {report}",
        "file.caption.workbook": "📎 Bảng tính {period} – {commune}",
        "file.caption.document": "📎 Dự thảo báo cáo {report} – Văn phòng chỉnh sửa, ký và ban hành.",
        "file.caption.chart": "📈 {period} – {commune}",
        "file.link": "{caption}\nTải tệp: {url}",
        "file.on_server": (
            "{caption}\nỨng dụng này không nhận tệp; tệp đã lưu trên máy chủ ({name}). "
            "Xem trên Telegram, hoặc nhờ Văn phòng gửi."
        ),
        "export.no_document_settings": "Chưa khai báo [report_document] trong cấu hình: chưa dự thảo được báo cáo.",
        "import.cli_person": "Nhập từ tệp (dòng lệnh)",
        "import.need_file": "Hãy gửi tệp .xlsx hoặc .csv kèm chú thích /nhap (trên Telegram).",
        "import.result": (
            "Đã nhập {imported} dòng trong {read} dòng đọc được; bỏ qua {skipped} dòng đã có; từ chối {refused} dòng."
        ),
        "import.skipped": "Đã có: {present} dòng đã nhập trước đó, {numbered} văn bản có số ký hiệu đã ghi trong năm.",
        "import.refused_header": "Các dòng bị từ chối:",
        "import.refused_more": "… và {count} dòng khác.",
    }
)
