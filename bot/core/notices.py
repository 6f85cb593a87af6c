"""What the bot sends by itself: reminders, escalations, task notices, the digest, delivery problems; kept as data
until they are sent, and rendered for the day they go out, so "còn N ngày" is true when read."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from bot.core.features.tasks import TaskRow, task_left, task_line
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_date, format_left, format_weekday

MAX_LISTED = 10


@dataclass(frozen=True)
class ReportReminder:
    """A department has not yet submitted a report period: before the deadline, or late."""

    department: str
    report: str
    code: str
    year: int
    due: date
    late: bool


@dataclass(frozen=True)
class ReportEscalation:
    """Leaders are told which departments are late with a report period."""

    report: str
    code: str
    year: int
    due: date
    departments: tuple[str, ...]


@dataclass(frozen=True)
class TaskNotice:
    """A message about one task: new, due soon, overdue, escalated to leaders, or gone quiet."""

    stage: str  # assigned | before | late | escalation | nudge
    task: TaskRow


@dataclass(frozen=True)
class PendingReport:
    report: str
    year: int
    due: date
    missing: int


@dataclass(frozen=True)
class LateSubmission:
    """A department's report that came after its due day."""

    department: str
    report: str
    year: int
    days: int


@dataclass(frozen=True)
class Digest:
    """The leaders' Monday digest: the commune's figures, overdue tasks, reports still missing, reports that came
    late during the week."""

    day: date
    targets: object  # a TargetReport
    overdue: tuple[TaskRow, ...]
    overdue_total: int
    reports: tuple[PendingReport, ...]
    late: tuple[LateSubmission, ...] = ()


@dataclass(frozen=True)
class ProvinceDigest:
    """The province officer's Monday digest: the communes, who is behind first, and the province's totals."""

    day: date
    table: object  # a ProvinceTable


@dataclass(frozen=True)
class Unreachable:
    """Admins are told that a chat no longer receives the bot's messages."""

    person: str | None
    department: str | None
    chat_id: str


KINDS = {"report": ReportReminder, "escalation": ReportEscalation, "task": TaskNotice}


def to_body(view: ReportReminder | ReportEscalation | TaskNotice) -> dict:
    """A notice as JSON-ready data."""
    kind = next(name for name, cls in KINDS.items() if isinstance(view, cls))
    return {"kind": kind, **_plain(asdict(view))}


def from_body(body: dict) -> ReportReminder | ReportEscalation | TaskNotice:
    """The notice stored by `to_body`."""
    fields = {k: v for k, v in body.items() if k != "kind"}
    if body["kind"] == "task":
        task = fields["task"]
        fields["task"] = TaskRow(**{**task, "due": date.fromisoformat(task["due"])})
        return TaskNotice(**fields)
    fields["due"] = date.fromisoformat(fields["due"])
    if body["kind"] == "escalation":
        fields["departments"] = tuple(fields["departments"])
    return KINDS[body["kind"]](**fields)


def is_stale(view: ReportReminder | ReportEscalation | TaskNotice, today: date) -> bool:
    """A reminder of a deadline that has passed by the time it would go out says something no longer true."""
    match view:
        case ReportReminder(late=False, due=due):
            return today > due
        case TaskNotice(stage="before", task=task):
            return today > task.due
    return False


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value


add_strings(
    {
        "remind.report_before": (
            "⏰ Nhắc hạn: {report} {year} của {department}.\nHạn: {weekday}, {due} – {left}.\n"
            "Trả lời nội dung báo cáo (kết quả, khó khăn, đề xuất): /noidung {code} {year}\n"
            "Đã gửi báo cáo bằng đường khác, gõ: /nopbaocao {code} {year}"
        ),
        "remind.report_late": (
            "⚠️ {department} chưa nộp {report} {year} – {left} (hạn {weekday}, {due}); "
            "nộp bây giờ được ghi là nộp muộn.\n"
            "Trả lời nội dung báo cáo: /noidung {code} {year}\n"
            "Đã gửi báo cáo bằng đường khác, gõ: /nopbaocao {code} {year}"
        ),
        "remind.report_escalation": (
            "🔔 {report} {year} (hạn {weekday}, {due}) – {left}, còn {count} phòng chưa nộp:\n{departments}\n"
            "Xem chi tiết: /baocao {code} {year}"
        ),
        "remind.task_assigned": (
            "📌 Việc mới V{id} giao {department} chủ trì: {title}\nHạn: {weekday}, {due} – {left}.\n"
            "Cập nhật: /tiendo V{id} <0–100>; khi hoàn thành: /xong V{id}"
        ),
        "remind.task_before": (
            "⏰ Việc V{id} của {department}: {title}\nHạn: {weekday}, {due} – {left}. Tiến độ: {progress}%.\n"
            "Cập nhật: /tiendo V{id} <0–100>; khi hoàn thành: /xong V{id}"
        ),
        "remind.task_late": (
            "⚠️ Việc V{id} của {department} quá hạn: {title}\nHạn: {weekday}, {due} – {left}. "
            "Tiến độ: {progress}%.\nKhi hoàn thành, gõ: /xong V{id}"
        ),
        "remind.task_escalation": (
            "🔔 Việc V{id} ({department}) {left}: {title}\nHạn: {weekday}, {due}. Tiến độ: {progress}%.\nXem: /viec"
        ),
        "remind.task_nudge": (
            "👋 Việc V{id} của {department} chưa cập nhật tiến độ 7 ngày qua: {title}\n"
            "Hạn: {weekday}, {due} – {left}. Cập nhật: /tiendo V{id} <0–100>"
        ),
        "remind.digest_header": "📋 Tổng hợp tuần – {weekday}, {day}",
        "remind.digest_tasks": "Việc quá hạn: {count}",
        "remind.digest_reports": "Báo cáo chưa nộp:",
        "remind.digest_report_line": "• {report} {year}: {count} phòng chưa nộp ({left})",
        "remind.digest_late": "Nộp muộn trong tuần qua:",
        "remind.digest_late_line": "🕓 {department} – {report} {year}: nộp muộn {days} ngày",
        "remind.province_digest": "📋 Tổng hợp tuần các xã – {weekday}, {day}",
        "remind.digest_nothing": "Không có việc quá hạn hay báo cáo chưa nộp.",
        "remind.unreachable": (
            "⚠️ Không gửi được nhắc việc tới {who}: người nhận đã chặn bot hoặc bot không còn trong nhóm. "
            "Vui lòng liên hệ để khắc phục."
        ),
        "who.group": "nhóm của {department}",
        "inbox.set_aside": (
            "⚠️ Một tin nhắn {channel} của {who} làm bot dừng đột ngột hai lần nên đã được để riêng, không xử lý "
            "lại; các tin khác vẫn được trả lời. Vui lòng báo bộ phận kỹ thuật (xem nhật ký của bot)."
        ),
        "remind.clock": (
            "⚠️ Đồng hồ máy chủ lệch khoảng {minutes} phút so với giờ của tin nhắn hoặc của máy chủ cơ sở dữ liệu. "
            "Bot tạm ngừng tự nhắc việc cho đến khi đồng hồ đúng; vui lòng chỉnh giờ hệ thống (đồng bộ NTP)."
        ),
    }
)


def _due(due: date, today: date) -> dict[str, object]:
    return {"weekday": format_weekday(due), "due": format_date(due), "left": format_left((due - today).days)}


def render_notice(view: object, today: date) -> str:
    """The text of a notice as it reads on `today`."""
    match view:
        case ReportReminder():
            key = "remind.report_late" if view.late else "remind.report_before"
            return text(
                key,
                department=view.department,
                report=view.report,
                year=view.year,
                code=view.code,
                **_due(view.due, today),
            )
        case ReportEscalation():
            names = "\n".join(f"• {name}" for name in view.departments[:MAX_LISTED])
            return text(
                "remind.report_escalation",
                report=view.report,
                year=view.year,
                code=view.code,
                count=len(view.departments),
                departments=names,
                **_due(view.due, today),
            )
        case TaskNotice():
            task = view.task
            return text(
                f"remind.task_{view.stage}",
                id=task.id,
                department=task.department,
                title=task.title,
                progress=task.progress,
                **(_due(task.due, today) | {"left": task_left(task.due, today)}),
            )
        case Digest():
            return _digest(view)
        case ProvinceDigest():
            heading = text("remind.province_digest", weekday=format_weekday(view.day), day=format_date(view.day))
            return heading + "\n" + render(view.table)
        case Unreachable():
            who = view.person or (text("who.group", department=view.department) if view.department else view.chat_id)
            return text("remind.unreachable", who=who)
    raise TypeError(f"no notice text for {type(view).__name__}")


def _digest(view: Digest) -> str:
    day = view.day
    lines = [text("remind.digest_header", weekday=format_weekday(day), day=format_date(day)), render(view.targets)]
    if view.overdue_total:
        lines.append(text("remind.digest_tasks", count=view.overdue_total))
        lines += [task_line(task, day) for task in view.overdue]
    if view.reports:
        lines.append(text("remind.digest_reports"))
        lines += [
            text(
                "remind.digest_report_line",
                report=r.report,
                year=r.year,
                count=r.missing,
                left=format_left((r.due - day).days),
            )
            for r in view.reports
        ]
    if view.late:
        lines.append(text("remind.digest_late"))
        lines += [text("remind.digest_late_line", **asdict(late)) for late in view.late]
    if not view.overdue_total and not view.reports:
        lines.append(text("remind.digest_nothing"))
    return "\n".join(lines)
