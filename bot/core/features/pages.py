"""What the web pages show, as plain views, and every word they say: the commune, a department, the province.
The figures in them are the chat's own views (`TargetReport`, `DepartmentTable`, `ReportStatus`, the province's
standings); a page only arranges them, and sorts the province's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from bot.core.commune import Commune
from bot.core.features.province import CommuneStanding, ranked
from bot.core.features.targets import DepartmentTable, ShowTargets
from bot.core.periods import Period
from bot.core.targets import TARGETS, CapLine, TargetReport, TaskCounts
from bot.core.texts.catalogue import add_strings

SORTS = ("chuadat", "ten", *(t.key for t in TARGETS))  # the province table's columns, as ?sap= names them


@dataclass(frozen=True)
class PeriodChoice:
    """One period the selector offers: its label's key and values, and what it asks for."""

    key: str
    values: dict[str, object]
    wanted: ShowTargets
    current: bool


@dataclass(frozen=True)
class Download:
    """A file the viewer may have, as the chat would give it: which (workbook, document, chart) and for what."""

    kind: str
    report: str | None = None  # the drafted report's kind
    name: str = ""  # the report's name, for the label


@dataclass(frozen=True)
class LeadTasks:
    """The tasks one department leads, as its own /chitieu counts them."""

    code: str
    name: str
    tasks: TaskCounts


@dataclass(frozen=True)
class CommunePage:
    """A commune as its chairman sees it in the chat: the figures (its own, then the viewer's departments'), the
    departments side by side, the tasks by lead, the reports owed, the periods to pick, the files to take."""

    commune: Commune
    wanted: ShowTargets
    reports: tuple[TargetReport, ...]
    table: DepartmentTable | None
    leads: tuple[LeadTasks, ...]
    owed: tuple[object, ...]  # ReportStatus | Untracked, as /baocao lists them
    choices: tuple[PeriodChoice, ...]
    downloads: tuple[Download, ...]
    province: bool = False  # looked at by the province officer (a way back to the province's table)


@dataclass(frozen=True)
class EntryRow:
    """One record behind a department's figures, as the rules allow it shown (a secret document: its count)."""

    number: int
    day: date
    kind: str
    content: str
    person: str
    logged_at: datetime | None  # in the commune's time
    cancelled_on: date | None


@dataclass(frozen=True)
class TaskRow:
    """One task the department leads: its deadline, progress and how it stands."""

    number: int
    title: str
    due_on: date
    progress: int
    result: str
    cancelled_on: date | None


@dataclass(frozen=True)
class DepartmentPage:
    """A department as its focal person sees it: its figures, every entry behind them, its tasks and reports."""

    commune: Commune
    code: str
    name: str
    wanted: ShowTargets
    report: TargetReport
    entries: tuple[EntryRow, ...]
    tasks: tuple[TaskRow, ...]
    owed: tuple[tuple[str, object], ...]  # (the report's name and year, its SubmissionLine for this department)
    choices: tuple[PeriodChoice, ...]
    commune_wide: bool  # the viewer may go up to the commune's page
    others: tuple[tuple[str, str], ...]  # the viewer's other departments: (code, name)


@dataclass(frozen=True)
class ProvincePage:
    """Every commune on a row, sorted as asked (who is behind first by default), and the province's totals."""

    province: str
    period: Period
    as_of: date
    rows: tuple[CommuneStanding, ...]
    totals: tuple[tuple[str, int, int | None], ...]
    sort: str
    descending: bool
    choices: tuple[PeriodChoice, ...]
    downloads: tuple[Download, ...]


def _figure(standing: CommuneStanding, key: str) -> Fraction | int | None:
    line = standing.report.line(key)
    return line.count if isinstance(line, CapLine) else line.share


def sorted_standings(rows: list[CommuneStanding], sort: str, descending: bool) -> list[CommuneStanding]:
    """The communes by the column asked for: who is behind (the chat's order), the name, or one figure; a commune
    without the figure is last either way."""
    if sort == "chuadat":
        order = ranked(rows)
        return order if not descending else order[::-1]
    if sort == "ten":
        return sorted(rows, key=lambda s: s.name, reverse=descending)
    known = [s for s in rows if _figure(s, sort) is not None]
    unknown = [s for s in rows if _figure(s, sort) is None]
    return sorted(known, key=lambda s: (_figure(s, sort), s.name), reverse=descending) + unknown


add_strings(
    {
        "page.brand": "Chấn chỉnh lề lối làm việc",
        "page.signed_in": "Đăng nhập: {name}",
        "page.sign_out": "Đăng xuất: gửi /web dangxuat cho bot.",
        "page.footer": "Số liệu đúng như bot trả lời trong Telegram, Zalo (/chitieu, /baocao).",
        "page.period": "Kỳ xem",
        "page.period.year": "Năm {year}",
        "page.period.month": "T{month}",
        "page.period.months": "Tháng {year}:",
        "page.as_of": "đến {day}",
        "page.targets": "Các chỉ tiêu",
        "page.mark.met": "đạt",
        "page.mark.on_track": "đúng tiến độ",
        "page.mark.behind": "chưa đạt",
        "page.mark.missed": "không đạt",
        "page.mark.incomplete": "chưa đủ số liệu",
        "page.mark.no_data": "chưa có số liệu",
        "page.mark.none": "chưa so sánh được",
        "page.value.no_data": "–",
        "page.tasks": "Nhiệm vụ",
        "page.tasks.by_lead": "Theo phòng chủ trì",
        "page.col.department": "Phòng, ban",
        "page.col.due": "Đến hạn",
        "page.col.on_time": "Đúng hạn",
        "page.col.overdue": "Quá hạn chưa xong",
        "page.departments": "Theo phòng, ban",
        "page.col.meetings": "Cuộc họp",
        "page.col.online": "Trực tuyến",
        "page.col.documents": "Văn bản",
        "page.col.electronic": "Điện tử",
        "page.col.dossiers": "Hồ sơ trực tuyến",
        "page.reports": "Báo cáo định kỳ",
        "page.col.status": "Tình trạng",
        "page.report.done": "✅ Đã nộp {day} ({person})",
        "page.report.pending": "⏳ Chưa nộp",
        "page.report.late": "⚠️ Trễ {days} ngày",
        "page.report.header": "{report} {year} – hạn {due}",
        "page.downloads": "Tải về",
        "page.download.workbook": "Bảng tính Excel",
        "page.download.province": "Bảng tính cả tỉnh (Excel)",
        "page.download.document": "Dự thảo {report} (Word)",
        "page.download.chart": "Biểu đồ (ảnh PNG)",
        "page.entries": "Các mục đã ghi",
        "page.entries.none": "Chưa có mục nào trong kỳ này.",
        "page.col.number": "Số",
        "page.col.day": "Ngày",
        "page.col.kind": "Loại",
        "page.col.content": "Nội dung",
        "page.col.person": "Người ghi",
        "page.col.logged_at": "Ghi lúc",
        "page.entry.live": "Còn hiệu lực",
        "page.entry.cancelled": "Đã hủy {day}",
        "page.entry.meeting": "Cuộc họp {mode}",
        "page.entry.document": "Văn bản {kind}",
        "page.entry.dossiers": "Hồ sơ TTHC",
        "page.entry.report": "Nộp báo cáo",
        "page.entry.secret": "Văn bản mật: chỉ tính số lượng",
        "page.entry.dossier_counts": "{online} trực tuyến, {paper} trực tiếp",
        "page.entry.number": "Số {number}",
        "page.dept.tasks": "Nhiệm vụ phòng chủ trì",
        "page.dept.tasks_none": "Không có nhiệm vụ nào trong kỳ.",
        "page.col.task": "Nhiệm vụ",
        "page.col.progress": "Tiến độ",
        "page.col.result": "Kết quả",
        "page.to_commune": "‹ Cả xã",
        "page.to_province": "‹ Cả tỉnh",
        "page.province.title": "Các xã, phường",
        "page.province.sort": "Bấm tiêu đề cột để sắp xếp; mặc định xã chưa đạt chỉ tiêu lên trước.",
        "page.col.commune": "Xã, phường",
        "page.col.behind": "Chưa đạt",
        "page.province.total": "Cả tỉnh",
        "page.not_found.title": "Không tìm thấy trang",
        "page.not_found.body": "Trang này không có, hoặc nằm ngoài phạm vi bạn được xem.",
        "page.sign_in.title": "Đăng nhập trang số liệu",
        "page.sign_in.body": (
            "Gửi /web cho bot trong tin nhắn riêng (Telegram hoặc Zalo) để nhận đường dẫn đăng nhập. "
            "Đường dẫn dùng được một lần, trong 10 phút; phiên đăng nhập kéo dài 8 giờ."
        ),
        "page.link_bad.title": "Đường dẫn không còn dùng được",
        "page.link_bad.body": (
            "Đường dẫn này đã được dùng, đã hết hạn hoặc không đúng. "
            "Gửi /web cho bot trong tin nhắn riêng để nhận đường dẫn mới (dùng một lần, trong 10 phút)."
        ),
        "page.throttled.title": "Thử quá nhiều lần",
        "page.throttled.body": (
            "Có quá nhiều đường dẫn sai được mở. Hãy chờ {minutes} phút, rồi gửi /web để nhận đường dẫn mới."
        ),
        "page.preview.title": "Trang số liệu",
        "page.preview.body": "Mở đường dẫn này trong trình duyệt để đăng nhập vào trang số liệu.",
        "page.bad_period.title": "Kỳ xem không hợp lệ",
    }
)
