"""The words of the chart, the workbook and the importer: the same figures as /chitieu, worded for a page (no
emoji marks), with the same rules: no data is never 0 % nor a pass, a share is rounded as everywhere else."""

from __future__ import annotations

from datetime import date

from bot.core.features.targets import period_name
from bot.core.periods import Period
from bot.core.targets import CapLine, Mark, ShareLine, TargetReport
from bot.core.texts.catalogue import add_strings, text
from bot.core.texts.format import format_count, format_date, format_percent

add_strings(
    {
        "export.title": "{period} – {scope}",
        "export.title_as_of": "{period} – {scope} (đến {day})",
        "export.share": "{share} ({part}/{whole})",
        "export.mark.met": "Đạt",
        "export.mark.on_track": "Đúng tiến độ",
        "export.mark.behind": "Chưa đạt",
        "export.mark.missed": "Không đạt",
        "export.mark.incomplete": "Chưa đủ số liệu",
        "export.mark.no_data": "Chưa có số liệu",
        "export.mark.none": "Chưa đánh giá",
        "export.mode.online": "Trực tuyến",
        "export.mode.in_person": "Trực tiếp",
        "export.kind.electronic": "Điện tử",
        "export.kind.paper": "Giấy",
        "export.kind.secret": "Mật",
        "chart.online": "Họp trực tuyến",
        "chart.in_person": "Họp trực tiếp",
        "chart.cap": "Mức tối đa của tháng (cả năm: {cap})",
        "chart.no_data": "chưa có số liệu",
        "chart.before_records": "Chưa có số liệu (trước khi bắt đầu ghi)",
        "chart.meetings_title": "Số cuộc họp theo tháng",
        "chart.shares_title": "Tỷ lệ so với chỉ tiêu",
        "chart.target": "chỉ tiêu {target}",
        "chart.month": "T{month}",
        "chart.month_year": "T{month}\n{year}",
        "sheet.summary": "Tổng hợp",
        "sheet.meetings": "Cuộc họp",
        "sheet.documents": "Văn bản",
        "sheet.dossiers": "Hồ sơ TTHC",
        "sheet.tasks": "Nhiệm vụ",
        "sheet.submissions": "Báo cáo định kỳ",
        "sheet.live": "Còn hiệu lực",
        "sheet.cancelled": "Đã hủy",
        "sheet.yes": "Có",
        "sheet.no": "Không",
        "sheet.source_import": "Nhập từ tệp",
        "sheet.col.id": "Số",
        "sheet.col.day": "Ngày",
        "sheet.col.code": "Mã phòng",
        "sheet.col.department": "Phòng, ban",
        "sheet.col.mode": "Hình thức",
        "sheet.col.summary": "Nội dung",
        "sheet.col.person": "Người ghi",
        "sheet.col.source": "Nguồn",
        "sheet.col.status": "Trạng thái",
        "sheet.col.cancelled_on": "Ngày hủy",
        "sheet.col.kind": "Loại văn bản",
        "sheet.col.number": "Số ký hiệu",
        "sheet.col.abstract": "Trích yếu",
        "sheet.col.online": "Hồ sơ trực tuyến",
        "sheet.col.paper": "Hồ sơ trực tiếp",
        "sheet.col.task": "Nội dung nhiệm vụ",
        "sheet.col.due": "Hạn",
        "sheet.col.progress": "Tiến độ (%)",
        "sheet.col.completed_on": "Ngày hoàn thành",
        "sheet.col.result": "Kết quả",
        "sheet.col.report": "Kỳ báo cáo",
        "sheet.col.year": "Năm",
        "sheet.col.submitted_on": "Ngày nộp",
        "sheet.col.on_time": "Đúng hạn",
        "sheet.col.days_late": "Nộp muộn (ngày)",
        "sheet.col.file": "Kèm tệp",
        "sheet.col.note": "Ghi chú khi nộp",
        "sheet.col.part": "Phần",
        "sheet.col.group": "Nhóm nhiệm vụ (mục II)",
        "sheet.col.answer": "Nội dung",
        "sheet.answers": "Nội dung báo cáo",
        "sheet.task.on_time": "Xong đúng hạn",
        "sheet.task.late": "Xong trễ hạn",
        "sheet.task.overdue": "Quá hạn",
        "sheet.task.open": "Đang thực hiện",
        "sheet.as_of": "Số liệu đến ngày",
        "sheet.partial": "Số liệu chỉ có từ {day}, chưa đủ cả kỳ: chưa đánh giá được đạt hay không.",
        "sheet.before_year": "{count} (cả năm {year})",
        "sheet.cut": "giảm ≥{cut}",
        "sheet.secret": "Văn bản mật (không tính tỷ lệ điện tử)",
        "sheet.sum.target": "Chỉ tiêu",
        "sheet.sum.done": "Thực hiện",
        "sheet.sum.whole": "Trên tổng số",
        "sheet.sum.share": "Tỷ lệ",
        "sheet.sum.plan": "Kế hoạch",
        "sheet.sum.period_cap": "Mức tối đa trong kỳ",
        "sheet.sum.cap": "Mức tối đa cả năm",
        "sheet.sum.baseline": "Số gốc",
        "sheet.sum.baseline_year": "Năm gốc",
        "sheet.sum.last_year": "Cùng kỳ năm trước",
        "sheet.sum.mark": "Đánh giá",
        "sheet.sum.check_done": "Kiểm tra: thực hiện (số của bot)",
        "sheet.sum.check_whole": "Kiểm tra: tổng số (số của bot)",
        "sheet.tasks.due": "Nhiệm vụ đến hạn",
        "sheet.tasks.on_time": "Hoàn thành đúng hạn",
        "sheet.tasks.overdue": "Quá hạn chưa hoàn thành",
        "sheet.by_department": "Theo từng phòng, ban",
        "sheet.dep.department": "Phòng, ban",
        "sheet.dep.meetings": "Cuộc họp",
        "sheet.dep.online": "Họp trực tuyến",
        "sheet.dep.online_share": "Tỷ lệ trực tuyến",
        "sheet.dep.documents": "Văn bản",
        "sheet.dep.electronic": "Văn bản điện tử",
        "sheet.dep.electronic_share": "Tỷ lệ điện tử",
        "sheet.dep.secret": "Văn bản mật",
        "sheet.dep.dossiers_online": "Hồ sơ trực tuyến",
        "sheet.dep.dossiers_paper": "Hồ sơ trực tiếp",
        "sheet.dep.dossiers_share": "Tỷ lệ hồ sơ trực tuyến",
        "sheet.dep.tasks_due": "Nhiệm vụ đến hạn",
        "sheet.dep.tasks_on_time": "Nhiệm vụ đúng hạn",
        "import.bad_type": "Chỉ nhận tệp .xlsx hoặc .csv.",
        "import.bad_file": "Không đọc được tệp “{name}”: tệp hỏng hoặc không đúng định dạng.",
        "import.bad_encoding": "Tệp CSV phải được lưu với bảng mã UTF-8.",
        "import.no_header": "Tệp không có dòng tiêu đề.",
        "import.too_many_rows": "Tệp có hơn {limit} dòng số liệu; mỗi lần nhập tối đa {limit} dòng, hãy chia nhỏ tệp.",
        "import.too_many_columns": "Dòng {line} có số liệu ở cột {column}; bot chỉ đọc {limit} cột đầu (A đến {last}).",
        "import.too_many_cells": "Tệp có hơn {limit} ô có số liệu; mỗi lần nhập tối đa {limit} ô, hãy chia nhỏ tệp.",
        "import.cell_too_long": "Dòng {line} có ô dài quá {limit} ký tự.",
        "import.file_too_big": "Tệp nặng {size}; mỗi lần nhập tối đa {limit}, hãy chia nhỏ tệp.",
        "import.too_many_parts": "Tệp .xlsx gồm {count} phần (tối đa {limit}): không phải bảng tính thông thường.",
        "import.part_too_big": "Phần “{part}” của tệp .xlsx giải nén ra {size} (tối đa {limit} mỗi phần).",
        "import.unpacked_too_big": "Tệp .xlsx giải nén ra {size} (tối đa {limit}), hãy chia nhỏ tệp.",
        "import.packed_too_tight": "Phần “{part}” của tệp .xlsx nén gấp {ratio} lần (tối đa {limit}): tệp bất thường.",
        "import.nul": "Tệp CSV có ký tự NUL ở dòng {line}: hãy lưu lại tệp dạng CSV UTF-8.",
        "import.missing_column": "Thiếu cột “{column}”: tệp cần có cột Ngày và cột Phòng (hoặc Mã phòng).",
        "import.row": "Dòng {line}: {reason}.",
        "import.bad_kind": "loại “{value}” không rõ (cuộc họp, văn bản hoặc hồ sơ)",
        "import.no_date": "thiếu ngày",
        "import.bad_date": "ngày “{value}” không hợp lệ (cần dd/mm/yyyy)",
        "import.future_date": "ngày {value} chưa tới",
        "import.too_old": "ngày {value} quá xa (chỉ nhận từ năm {year})",
        "import.no_department": "thiếu phòng",
        "import.bad_department": "không có phòng “{value}” (các mã phòng: {codes})",
        "import.bad_mode": "hình thức họp “{value}” không rõ (trực tuyến hoặc trực tiếp)",
        "import.bad_document_kind": "hình thức văn bản “{value}” không rõ (điện tử, giấy hoặc mật)",
        "import.secret_details": "văn bản mật không ghi số ký hiệu, trích yếu",
        "import.too_long": "{what} dài quá {limit} ký tự",
        "import.bad_count": "số hồ sơ “{value}” không phải số đếm",
        "import.count_too_big": "số hồ sơ {value} quá lớn (tối đa {limit})",
        "import.zero_counts": "không có hồ sơ nào (trực tuyến và trực tiếp đều bằng 0)",
    }
)


def report_title(report: TargetReport) -> str:
    """'Chỉ tiêu năm 2026 – UBND xã Bình Lư (đến 27/11/2026)', without the date once the period is over."""
    if report.as_of >= report.period.end:
        return text("export.title", period=period_name(report.period), scope=report.scope)
    return text(
        "export.title_as_of", period=period_name(report.period), scope=report.scope, day=format_date(report.as_of)
    )


def month_label(month: Period, *, with_year: bool) -> str:
    """'T11' under a month's bar, with the year beneath when the period spans two."""
    return text("chart.month_year" if with_year else "chart.month", month=month.month, year=month.year)


def share_label(line: ShareLine) -> str:
    """'66,7% (12/18)', or 'chưa có số liệu' when nothing counts: never 0 % nor 100 %."""
    if line.share is None:
        return text("chart.no_data")
    share = format_percent(line.share, floor=line.floor)
    return text("export.share", share=share, part=format_count(line.part), whole=format_count(line.whole))


def mark_word(mark: Mark) -> str:
    """'Đạt', 'Chưa đạt', … for a cell of a table."""
    return text(f"export.mark.{mark}")


def meeting_mode_word(online: bool) -> str:
    """'Trực tuyến' or 'Trực tiếp'."""
    return text("export.mode.online" if online else "export.mode.in_person")


def document_kind_word(kind: str) -> str:
    """'Điện tử', 'Giấy' or 'Mật'."""
    return text(f"export.kind.{kind}")


def source_word(channel: str) -> str:
    """Where a record came from: a chat channel by name, or an imported file."""
    return text("sheet.source_import") if channel == "import" else channel.capitalize()


def task_result(due_on: date, completed_on: date | None, cancelled: bool, today: date) -> str:
    """How a task ended or stands: done on time or late, overdue, in progress; nothing for a withdrawn one."""
    if cancelled:
        return ""
    if completed_on is not None:
        return text("sheet.task.on_time" if completed_on <= due_on else "sheet.task.late")
    return text("sheet.task.overdue" if due_on < today else "sheet.task.open")


def comparable(before: CapLine | ShareLine, partial: bool) -> bool:
    """Whether last year's figure of the same period can stand beside this one's: its records covered that period
    (`partial` says they did not), or it is a configured total of record."""
    return not partial or (isinstance(before, CapLine) and before.own is not None)


def year_of_record(line: CapLine) -> tuple[int, int] | None:
    """(total, year) of the configured baseline this period's cap is cut from: what last year is, on record, when
    the bot's own records of last year's same period are partial."""
    if line.baseline_source == "config" and line.baseline is not None:
        return line.baseline, line.baseline_year
    return None
