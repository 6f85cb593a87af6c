"""The words of the chart, the workbook, the drafted report and the importer: the same figures as /chitieu,
worded for a page (no emoji marks), with the same rule that no data is never 0 % nor a pass."""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction

from bot.core.features.targets import period_name
from bot.core.periods import Period
from bot.core.targets import CapLine, Mark, ShareLine, TargetReport, TaskCounts
from bot.core.texts.catalogue import add_strings, text
from bot.core.texts.format import format_count, format_date, format_percent, format_target_percent

add_strings(
    {
        "export.title": "{period} – {scope}",
        "export.title_as_of": "{period} – {scope} (đến {day})",
        "export.share": "{share} ({part}/{whole})",
        "export.mark.met": "Đạt",
        "export.mark.on_track": "Đúng tiến độ",
        "export.mark.behind": "Chưa đạt",
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
        "sheet.col.file": "Kèm tệp",
        "sheet.col.note": "Ghi chú khi nộp (khó khăn, đề xuất)",
        "sheet.task.on_time": "Xong đúng hạn",
        "sheet.task.late": "Xong trễ hạn",
        "sheet.task.overdue": "Quá hạn",
        "sheet.task.open": "Đang thực hiện",
        "sheet.as_of": "Số liệu đến ngày",
        "sheet.partial": "Số liệu tính từ {day} (chưa đủ cả kỳ): so với mức tối đa chỉ để tham khảo.",
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
        "doc.plan_cap": "Tối đa {cap} (giảm ≥{cut} so với {baseline} năm {year})",
        "doc.plan_no_baseline": "Giảm ≥{cut} (chưa có số liệu năm {year})",
        "doc.plan_share": "≥{target}",
        "doc.count.meetings": "{count} cuộc",
        "doc.count.documents": "{count} văn bản",
        "doc.dep_tasks": "{on_time}/{due}",
        "doc.dep_no_tasks": "–",
        "doc.tasks": (
            "Trong kỳ có {due} nhiệm vụ đến hạn, hoàn thành đúng hạn {on_time} nhiệm vụ ({share}); {overdue}."
        ),
        "doc.tasks_none": "Trong kỳ không có nhiệm vụ đến hạn.",
        "doc.tasks_overdue": "còn {count} nhiệm vụ quá hạn chưa hoàn thành",
        "doc.tasks_no_overdue": "không còn nhiệm vụ quá hạn",
        "doc.nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "doc.motto": "Độc lập - Tự do - Hạnh phúc",
        "doc.place_date": "{place}, ngày      tháng      năm {year}",
        "doc.title": "BÁO CÁO",
        "doc.abstract": "Kết quả thực hiện Kế hoạch số {number} ngày {date} của {body} {name}",
        "doc.window": "(Số liệu từ ngày {start} đến ngày {end})",
        "doc.to_one": "Kính gửi: {name}.",
        "doc.to_many": "Kính gửi:",
        "doc.opening": (
            "Thực hiện Kế hoạch số {number} ngày {date} của {body} {title}, {body} báo cáo kết quả thực hiện "
            "{name} như sau:"
        ),
        "doc.section_results": "I. KẾT QUẢ THỰC HIỆN",
        "doc.targets_heading": "1. Kết quả thực hiện các chỉ tiêu của Kế hoạch",
        "doc.col.no": "TT",
        "doc.col.target": "Chỉ tiêu",
        "doc.col.plan": "Kế hoạch",
        "doc.col.now": "Kỳ này",
        "doc.col.last_year": "Cùng kỳ năm trước",
        "doc.col.mark": "Đánh giá",
        "doc.secret": "Ngoài ra, có {count} văn bản mật (không tính vào tỷ lệ văn bản điện tử).",
        "doc.partial": "Số liệu được ghi nhận từ ngày {day}, chưa đủ cả kỳ; so sánh với mức tối đa chỉ để tham khảo.",
        "doc.departments_heading": "2. Kết quả của từng phòng, ban, đơn vị",
        "doc.dep.no": "TT",
        "doc.dep.department": "Phòng, ban, đơn vị",
        "doc.dep.meetings": "Cuộc họp",
        "doc.dep.online": "Họp trực tuyến",
        "doc.dep.documents": "Văn bản",
        "doc.dep.electronic": "Văn bản điện tử",
        "doc.dep.dossiers": "Hồ sơ TTHC trực tuyến",
        "doc.dep.tasks": "Nhiệm vụ đúng hạn",
        "doc.tasks_heading": "3. Thực hiện nhiệm vụ được giao",
        "doc.reports_heading": "4. Thực hiện chế độ báo cáo",
        "doc.report_line": "{report} {year} (hạn {due}): {submitted}/{owing} bộ phận đã nộp",
        "doc.report_on_time": ", {count} nộp đúng hạn",
        "doc.report_late": "; nộp muộn: {names}",
        "doc.report_missing": "; chưa nộp: {names}",
        "doc.report_pending": "; chưa đến hạn, chưa nộp: {names}",
        "doc.reports_none": "Trong kỳ không có kỳ báo cáo định kỳ nào đến lúc nộp.",
        "doc.section_difficulties": "II. KHÓ KHĂN, VƯỚNG MẮC",
        "doc.difficulties_none": "Các phòng, ban, đơn vị chưa phản ánh khó khăn, vướng mắc khi nộp báo cáo.",
        "doc.difficulty": "- {department} ({report} {year}): {note}.",
        "doc.section_proposals": "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "doc.proposals_placeholder": "(Bộ phận tham mưu bổ sung các đề xuất, kiến nghị.)",
        "doc.closing": "Trên đây là báo cáo kết quả thực hiện Kế hoạch số {number} {name} của {body}./.",
        "doc.recipients": "Nơi nhận:",
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
    share = format_percent(line.share, round_down=line.mark is Mark.BEHIND)
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


def _cap_plan(line: CapLine) -> str:
    cut = format_target_percent(line.cut)
    if line.period_cap is None:
        return text("doc.plan_no_baseline", cut=cut, year=line.baseline_year)
    cap, baseline = format_count(math.floor(line.period_cap)), format_count(line.baseline)
    return text("doc.plan_cap", cap=cap, cut=cut, baseline=baseline, year=line.baseline_year)


def _cap_count(line: CapLine) -> str:
    if line.mark is Mark.NO_DATA:
        return text("chart.no_data")
    return text(f"doc.count.{line.target.key}", count=format_count(line.count))


def _share_plan(line: ShareLine) -> str:
    floor = format_target_percent(line.floor)
    return floor if line.floor >= 1 else text("doc.plan_share", target=floor)


def _target_cells(line: CapLine | ShareLine, before: CapLine | ShareLine) -> list[str]:
    if isinstance(line, CapLine):
        return [_cap_plan(line), _cap_count(line), _cap_count(before)]
    return [_share_plan(line), share_label(line), share_label(before)]


def target_rows(report: TargetReport, last_year: TargetReport) -> list[list[str]]:
    """The targets as rows of a report's table: number, name, plan, this period, a year earlier, mark."""
    return [
        [str(i), text(f"figure.{line.target.key}"), *_target_cells(line, before), mark_word(line.mark)]
        for i, (line, before) in enumerate(zip(report.lines, last_year.lines, strict=True), start=1)
    ]


def department_cells(report: TargetReport) -> list[str]:
    """A department's meetings (online), documents (electronic), dossier share and tasks on time, as table cells."""
    tasks = report.tasks
    line = report.line
    counts = [line("meetings").count, line("online").part, line("documents").count, line("electronic").part]
    on_time = text("doc.dep_tasks", on_time=tasks.on_time, due=tasks.due) if tasks and tasks.due else ""
    return [*(format_count(n) for n in counts), share_label(line("dossiers")), on_time or text("doc.dep_no_tasks")]


def task_summary(tasks: TaskCounts | None) -> str:
    """The sentence on tasks due in the period and how many were done on time."""
    if tasks is None or tasks.due == 0:
        return text("doc.tasks_none")
    share = format_percent(Fraction(tasks.on_time, tasks.due))
    overdue = (
        text("doc.tasks_overdue", count=tasks.overdue_open) if tasks.overdue_open else text("doc.tasks_no_overdue")
    )
    return text("doc.tasks", due=tasks.due, on_time=tasks.on_time, share=share, overdue=overdue)
