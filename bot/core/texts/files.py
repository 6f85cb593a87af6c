"""The chat side of files: the commands that make them, what is said while they are made and where they are."""

from __future__ import annotations

from bot.core.texts.catalogue import add_strings

add_strings(
    {
        "usage.xuat": "/xuat [kỳ] [năm]\nVí dụ: /xuat (năm nay), /xuat 6thang 2026, /xuat nam, /xuat thang 11",
        "usage.baocaomau": "/baocaomau <kỳ> [năm]\nVí dụ: /baocaomau nam 2026, /baocaomau 6thang",
        "usage.nhap": "Gửi tệp .xlsx hoặc .csv với chú thích /nhap (mẫu cột: samples/README.md)",
        "help.xuat": "/xuat – bảng tính Excel: số liệu và danh sách từng mục",
        "help.baocaomau": "/baocaomau – dự thảo báo cáo 6 tháng, năm (Word)",
        "help.nhap": "/nhap – nhập cuộc họp, văn bản, hồ sơ từ tệp Excel, CSV",
        "ask.report_kind": "Dự thảo báo cáo kỳ nào?",
        "ask.report_kind_none": "Chưa khai báo kỳ báo cáo nào ([[reports]] trong tệp cấu hình).",
        "option.report_kind": "{name} {year}",
        "parse.whole_commune": "Bảng tính là của toàn xã: hãy bỏ mã phòng.",
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
