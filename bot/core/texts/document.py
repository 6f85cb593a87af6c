"""The words of the drafted 6-month and annual report, as an office writes them: the plan's sections, its task
groups with the figures that belong to each, the targets' table and a verdict per target, dates as d/m/yyyy (as
the plan writes them), and the departments' own answers as paragraphs."""

from __future__ import annotations

import math
from fractions import Fraction

from bot.core.cleaning import clean_text, xml_safe
from bot.core.periods import Period
from bot.core.reports import ReportKind
from bot.core.targets import CapLine, Mark, ShareLine, TargetReport, TaskCounts
from bot.core.texts.catalogue import add_strings, text
from bot.core.texts.exports import comparable, mark_word, share_label, year_of_record
from bot.core.texts.format import format_count, format_percent, format_target_percent

add_strings(
    {
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
        "doc.group_heading": "{number}. {name}",
        "doc.answer": "- {department}: {body}",
        "doc.fact.tasks": (
            "Trong kỳ có {due} nhiệm vụ được giao đến hạn, hoàn thành đúng hạn {on_time} nhiệm vụ ({share}); {overdue}."
        ),
        "doc.fact.tasks_none": "Trong kỳ không có nhiệm vụ được giao đến hạn.",
        "doc.fact.tasks_overdue": "còn {count} nhiệm vụ quá hạn chưa hoàn thành",
        "doc.fact.tasks_no_overdue": "không còn nhiệm vụ quá hạn",
        "doc.fact.documents": "Số văn bản hành chính ban hành trong kỳ: {count} văn bản{cap}.",
        "doc.fact.meetings": "Số cuộc họp, hội nghị tổ chức trong kỳ: {count} cuộc{cap}{online}.",
        "doc.fact.cap": "; mức tối đa trong kỳ {cap} ({whole_year}giảm tối thiểu {cut} so với {baseline} năm {year})",
        "doc.fact.whole_year": "cả năm {cap}, ",
        "doc.fact.online": "; trong đó {part} cuộc họp trực tuyến, chiếm {share} (chỉ tiêu từ {target} trở lên)",
        "doc.fact.electronic": (
            "Tỷ lệ văn bản (trừ văn bản mật) được trao đổi, xử lý dưới dạng điện tử: {share} ({part}/{whole} văn bản; "
            "chỉ tiêu {target})."
        ),
        "doc.fact.dossiers": (
            "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trên môi trường số: {share} "
            "({part}/{whole} hồ sơ; chỉ tiêu từ {target} trở lên)."
        ),
        "doc.fact.no_data": "Chưa có số liệu về {what} trong kỳ.",
        "doc.what.meetings": "cuộc họp, hội nghị",
        "doc.what.documents": "văn bản ban hành",
        "doc.what.electronic": "văn bản xử lý dưới dạng điện tử",
        "doc.what.dossiers": "hồ sơ thủ tục hành chính",
        "doc.secret": "Ngoài ra, có {count} văn bản mật (không tính vào tỷ lệ văn bản điện tử).",
        "doc.partial": "Số liệu được ghi nhận từ ngày {day}, chưa đủ cả kỳ: chưa đánh giá được đạt hay không.",
        "doc.targets_heading": "{number}. Kết quả thực hiện các chỉ tiêu của Kế hoạch",
        "doc.col.no": "TT",
        "doc.col.target": "Chỉ tiêu",
        "doc.col.plan": "Kế hoạch",
        "doc.col.now": "Kỳ này",
        "doc.col.last_year": "Cùng kỳ năm trước",
        "doc.col.mark": "Đánh giá",
        "doc.plan_cap": "Tối đa {cap} (giảm ≥{cut} so với {baseline} năm {year})",
        "doc.plan_cap_period": "Tối đa {cap} trong kỳ (cả năm {year_cap}: giảm ≥{cut} so với {baseline} năm {year})",
        "doc.plan_no_baseline": "Giảm ≥{cut} (chưa có số liệu năm {year})",
        "doc.plan_share": "≥{target}",
        "doc.count.meetings": "{count} cuộc",
        "doc.count.documents": "{count} văn bản",
        "doc.before_year": "{count} (cả năm {year})",
        "doc.assessment": "Đánh giá chung:",
        "doc.assessment_line": "- {goal}: {verdict}.",
        "doc.goal.meetings": "Giảm tối thiểu {goal} số lượng cuộc họp so với năm trước",
        "doc.goal.online": "Tỷ lệ hội nghị, cuộc họp trực tuyến đạt từ {goal} trở lên",
        "doc.goal.documents": "Giảm tối thiểu {goal} số lượng văn bản hành chính ban hành",
        "doc.goal.electronic": "{goal} văn bản hành chính (trừ văn bản mật) được trao đổi, xử lý dưới dạng điện tử",
        "doc.goal.dossiers": (
            "Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, giải quyết trên môi trường số đạt từ {goal} trở lên"
        ),
        "doc.departments_heading": "{number}. Số liệu của từng phòng, ban, đơn vị",
        "doc.dep.no": "TT",
        "doc.dep.department": "Phòng, ban, đơn vị",
        "doc.dep.meetings": "Cuộc họp",
        "doc.dep.online": "Họp trực tuyến",
        "doc.dep.documents": "Văn bản",
        "doc.dep.electronic": "Văn bản điện tử",
        "doc.dep.dossiers": "Hồ sơ TTHC trực tuyến",
        "doc.dep.tasks": "Nhiệm vụ đúng hạn",
        "doc.dep_tasks": "{on_time}/{due}",
        "doc.dep_none": "–",
        "doc.report_line": (
            "Thực hiện chế độ báo cáo {report} (hạn {due}): {submitted}/{owing} phòng, ban, đơn vị đã gửi báo cáo"
        ),
        "doc.report_on_time": ", {count} đúng hạn",
        "doc.report_late": ", {count} nộp muộn",
        "doc.report_late_names": " ({names})",
        "doc.late_name": "{name} – muộn {days} ngày",
        "doc.report_missing": "; {count} chưa gửi",
        "doc.report_missing_names": "; chưa gửi: {names}",
        "doc.report_pending": "; {count} đang thực hiện (chưa đến hạn)",
        "doc.section_difficulties": "II. KHÓ KHĂN, VƯỚNG MẮC",
        "doc.difficulties_none": "Trong kỳ, các phòng, ban, đơn vị không phản ánh khó khăn, vướng mắc.",
        "doc.section_proposals": "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "doc.proposals_none": "Không có đề xuất, kiến nghị.",
        "doc.closing": "Trên đây là báo cáo kết quả thực hiện Kế hoạch số {number} {name} của {body}./.",
        "doc.recipients": "Nơi nhận:",
        "doc.period_title": "{words} {year}",
    }
)

# The plan's task group (section II) each target's figures are told under.
GROUP_OF = {"meetings": 4, "online": 4, "documents": 3, "electronic": 5, "dossiers": 5}
TASKS_GROUP, REPORTING_GROUP = 2, 5
BULLETS = "-+•*–"


def period_title(kind: ReportKind, year: int) -> str:
    """How the report's title and opening name the period: '6 tháng đầu năm 2026', 'năm 2026'."""
    words = kind.title or kind.name.removeprefix("Báo cáo ").lower()
    return text("doc.period_title", words=words, year=year)


def _goal(line: CapLine | ShareLine) -> str:
    if isinstance(line, CapLine):
        return format_target_percent(line.cut)
    return format_target_percent(line.floor)


def _unit(line: CapLine, count: int) -> str:
    return text(f"doc.count.{line.target.key}", count=format_count(count))


def _cap_clause(line: CapLine, period: Period) -> str:
    if line.period_cap is None:
        return ""
    cut, baseline = format_target_percent(line.cut), _unit(line, line.baseline)
    whole_year = "" if period.days >= 365 else text("doc.fact.whole_year", cap=_unit(line, line.cap))
    cap = _unit(line, math.floor(line.period_cap))
    return text("doc.fact.cap", cap=cap, whole_year=whole_year, cut=cut, baseline=baseline, year=line.baseline_year)


def _share_values(line: ShareLine) -> dict[str, str]:
    return {
        "share": format_percent(line.share, floor=line.floor),
        "part": format_count(line.part),
        "whole": format_count(line.whole),
        "target": format_target_percent(line.floor),
    }


def _no_data(key: str) -> str:
    return text("doc.fact.no_data", what=text(f"doc.what.{key}"))


def task_summary(tasks: TaskCounts | None) -> str:
    """The sentence on tasks due in the period and how many were done on time."""
    if tasks is None or tasks.due == 0:
        return text("doc.fact.tasks_none")
    share = format_percent(Fraction(tasks.on_time, tasks.due), floor=1)
    overdue = (
        text("doc.fact.tasks_overdue", count=tasks.overdue_open)
        if tasks.overdue_open
        else text("doc.fact.tasks_no_overdue")
    )
    return text("doc.fact.tasks", due=tasks.due, on_time=tasks.on_time, share=share, overdue=overdue)


def facts(report: TargetReport, group: int) -> list[str]:
    """The sentences on the figures that belong to one task group of the plan."""
    line = report.line
    if group == TASKS_GROUP:
        return [task_summary(report.tasks)]
    if group == 3:
        documents = line("documents")
        if documents.mark is Mark.NO_DATA:
            return [_no_data("documents")]
        cap = _cap_clause(documents, report.period)
        return [text("doc.fact.documents", count=format_count(documents.count), cap=cap)]
    if group == 4:
        meetings, online = line("meetings"), line("online")
        if meetings.mark is Mark.NO_DATA:
            return [_no_data("meetings")]
        share = text("doc.fact.online", **_share_values(online)) if online.share is not None else ""
        cap = _cap_clause(meetings, report.period)
        return [text("doc.fact.meetings", count=format_count(meetings.count), cap=cap, online=share)]
    if group == 5:
        found = []
        for key in ("electronic", "dossiers"):
            share = line(key)
            found.append(_no_data(key) if share.share is None else text(f"doc.fact.{key}", **_share_values(share)))
            if key == "electronic" and report.secret_documents:
                found.append(text("doc.secret", count=format_count(report.secret_documents)))
        return found
    return []


def _cap_plan(line: CapLine, period: Period) -> str:
    cut = format_target_percent(line.cut)
    if line.period_cap is None:
        return text("doc.plan_no_baseline", cut=cut, year=line.baseline_year)
    cap, baseline = format_count(math.floor(line.period_cap)), format_count(line.baseline)
    if period.days >= 365:
        return text("doc.plan_cap", cap=cap, cut=cut, baseline=baseline, year=line.baseline_year)
    year_cap = format_count(line.cap)
    return text("doc.plan_cap_period", cap=cap, year_cap=year_cap, cut=cut, baseline=baseline, year=line.baseline_year)


def _share_cell(line: ShareLine) -> str:
    """A share in a table: its value, or that there is no data (a cell of its own, capitalised)."""
    return share_label(line) if line.share is not None else mark_word(Mark.NO_DATA)


def _cap_count(line: CapLine) -> str:
    if line.mark is Mark.NO_DATA:
        return mark_word(Mark.NO_DATA)
    return text(f"doc.count.{line.target.key}", count=format_count(line.count))


def _before(line: CapLine | ShareLine, before: CapLine | ShareLine, partial: bool, yearly: bool) -> str:
    """Last year's same period, or (for a year-long one) the configured total of last year, or that the records do
    not cover it."""
    if comparable(before, partial):
        return _cap_count(before) if isinstance(before, CapLine) else _share_cell(before)
    if isinstance(line, CapLine) and yearly and (record := year_of_record(line)) is not None:
        count = text(f"doc.count.{line.target.key}", count=format_count(record[0]))
        return text("doc.before_year", count=count, year=record[1])
    return mark_word(Mark.INCOMPLETE)


def target_rows(report: TargetReport, last_year: TargetReport) -> list[list[str]]:
    """The targets as rows of a report's table: number, name, plan, this period, a year earlier, verdict."""
    rows = []
    partial, period = last_year.data_from is not None, report.period
    for i, (line, before) in enumerate(zip(report.lines, last_year.lines, strict=True), start=1):
        if isinstance(line, CapLine):
            cells = [_cap_plan(line, period), _cap_count(line)]
        else:
            cells = [text("doc.plan_share", target=_goal(line)) if line.floor < 1 else _goal(line), _share_cell(line)]
        name, verdict = text(f"figure.{line.target.key}"), mark_word(line.mark)
        rows.append([str(i), name, *cells, _before(line, before, partial, period.yearly), verdict])
    return rows


def assessment_lines(report: TargetReport) -> list[str]:
    """One verdict a target, in the plan's words: 'Đạt', 'Không đạt', 'Chưa đủ số liệu'…"""
    return [
        text(
            "doc.assessment_line",
            goal=text(f"doc.goal.{line.target.key}", goal=_goal(line)),
            verdict=mark_word(line.mark),
        )
        for line in report.lines
    ]


def department_cells(report: TargetReport) -> list[str]:
    """A department's meetings (online), documents (electronic), dossier share and tasks on time, as table cells."""
    tasks = report.tasks
    line = report.line
    counts = [line("meetings").count, line("online").part, line("documents").count, line("electronic").part]
    on_time = text("doc.dep_tasks", on_time=tasks.on_time, due=tasks.due) if tasks and tasks.due else ""
    dossiers = line("dossiers")  # a department that receives none has no share, rather than none of its data
    share = share_label(dossiers) if dossiers.share is not None else text("doc.dep_none")
    return [*(format_count(n) for n in counts), share, on_time or text("doc.dep_none")]


def answer_paragraphs(department: str, body: str) -> list[str]:
    """A department's answer as the report prints it: its first line after its name, each further line a
    paragraph of its own, bullets as '-', every paragraph ending with a stop."""
    lines = [line.strip().lstrip(BULLETS).strip() for line in xml_safe(clean_text(body)).split("\n")]
    lines = [_stop(line) for line in lines if line]
    if not lines:
        return []
    return [text("doc.answer", department=department, body=lines[0]), *(f"- {line}" for line in lines[1:])]


def _stop(line: str) -> str:
    return line if line[-1] in ".!?…:;" else line.rstrip(",") + "."
