"""The morning bundle: every reminder a chat is due at one reminder time, in one message, grouped (reports owed,
tasks overdue, tasks due soon, tasks gone quiet), the most urgent first; and the items a person snoozed.

Pure: the notices come in as data and the text is rendered for the day it is read, so "còn N ngày" stays true and
an item no longer true by then (a deadline passed) is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.core.features.tasks import task_left
from bot.core.notices import ReportEscalation, ReportReminder, TaskNotice, is_stale
from bot.core.texts.catalogue import add_strings, text
from bot.core.texts.format import format_date, format_left, format_weekday

Notice = ReportReminder | ReportEscalation | TaskNotice
SNOOZE_BUTTON = "/hoanlai"  # what the "Nhắc lại sau" button sends: the command itself, asked like a typed one


@dataclass(frozen=True)
class Snoozed:
    """An item a person asked to be reminded of later, and the day reminders of it start again."""

    item: str  # as `item_of` names it
    until: date


@dataclass(frozen=True)
class Bundle:
    """What one chat is told at one reminder time."""

    day: date
    items: tuple[Notice, ...]
    snoozed: tuple[Snoozed, ...] = ()


def item_of(notice: Notice) -> str:
    """What a notice is about, as a person names it to snooze it: 'V4' for a task, 'nam 2026' for a report."""
    match notice:
        case TaskNotice(task=task):
            return f"V{task.id}"
        case ReportReminder(code=code, year=year) | ReportEscalation(code=code, year=year):
            return f"{code} {year}"
    raise TypeError(type(notice).__name__)


def label_of(notice: Notice) -> str:
    """An item's short name in a list of choices: 'V4 Rà soát hồ sơ' or 'Báo cáo năm 2026'."""
    if isinstance(notice, TaskNotice):
        return f"V{notice.task.id} {notice.task.title[:30]}"
    return f"{notice.report} {notice.year}"


add_strings(
    {
        "bundle.header": "☀️ Nhắc việc {weekday}, {day}",
        "bundle.reports": "📄 Báo cáo chưa nộp:",
        "bundle.escalations": "🔔 Phòng chưa nộp báo cáo:",
        "bundle.overdue": "⚠️ Việc quá hạn:",
        "bundle.soon": "⏰ Việc sắp đến hạn:",
        "bundle.quiet": "👋 Việc chưa cập nhật tiến độ:",
        "bundle.report_before": "• {report} {year}: hạn {weekday}, {due} – {left}",
        "bundle.report_late": "• {report} {year}: {left} (hạn {due})",
        "bundle.report_do": "  /noidung {code} {year} · /nopbaocao {code} {year}",
        "bundle.escalation": "• {report} {year} ({left}): còn {count} phòng chưa nộp",
        "bundle.escalation_names": "  {names}",
        "bundle.escalation_do": "  Xem: /baocao {code} {year}",
        "bundle.task": "• V{id} {title}: {left}, {progress}%",
        "bundle.task_of": "• V{id} ({department}) {title}: {left}, {progress}%",
        "bundle.task_quiet": ", 7 ngày chưa cập nhật",
        "bundle.tasks_do": "Cập nhật: /tiendo V<số> <0–100> · /xong V<số>",
        "bundle.snoozed": "⏸ Đang hoãn nhắc: {items}",
        "bundle.snoozed_item": "{item} (đến {until})",
        "bundle.snooze": "Nhắc lại sau: /hoanlai",
        "bundle.button": "Nhắc lại sau",
    }
)


def _days_late(notice: Notice, today: date) -> int:
    due = notice.task.due if isinstance(notice, TaskNotice) else notice.due
    return (today - due).days


def live_items(bundle: Bundle, today: date) -> list[Notice]:
    """The bundle's items still true on `today`, one per item and kind of section, the most urgent first."""
    seen: dict[tuple[str, str], Notice] = {}
    for notice in bundle.items:
        if is_stale(notice, today):
            continue
        kind = "escalation" if isinstance(notice, ReportEscalation) else type(notice).__name__
        key = (kind, item_of(notice))
        current = seen.get(key)
        if current is None or (isinstance(current, TaskNotice) and current.stage == "nudge"):
            seen[key] = notice  # a task listed for its deadline says its quiet week on the same line
    return sorted(seen.values(), key=lambda n: (-_days_late(n, today), item_of(n)))


def _section(notice: Notice, today: date) -> str:
    match notice:
        case ReportReminder():
            return "reports"
        case ReportEscalation():
            return "escalations"
        case TaskNotice(stage="nudge", task=task) if task.due >= today:
            return "quiet"
        case TaskNotice(task=task):
            return "overdue" if task.due < today else "soon"
    raise TypeError(type(notice).__name__)


SECTIONS = ("reports", "escalations", "overdue", "soon", "quiet")


def _lines(notice: Notice, today: date, quiet: set[str], mixed: bool) -> list[str]:
    match notice:
        case ReportReminder():
            due = {"report": notice.report, "year": notice.year, "due": format_date(notice.due)}
            left = format_left((notice.due - today).days)
            first = (
                text("bundle.report_late", left=left, **due)
                if notice.late or today > notice.due
                else text("bundle.report_before", weekday=format_weekday(notice.due), left=left, **due)
            )
            return [first, text("bundle.report_do", code=notice.code, year=notice.year)]
        case ReportEscalation():
            left = format_left((notice.due - today).days)
            names = ", ".join(notice.departments[:10])
            return [
                text(
                    "bundle.escalation",
                    report=notice.report,
                    year=notice.year,
                    left=left,
                    count=len(notice.departments),
                ),  # fmt: skip
                text("bundle.escalation_names", names=names),
                text("bundle.escalation_do", code=notice.code, year=notice.year),
            ]
        case TaskNotice(task=task):
            key = "bundle.task_of" if notice.stage == "escalation" or mixed else "bundle.task"
            line = text(key, id=task.id, department=task.department, title=task.title[:60],
                        left=task_left(task.due, today), progress=task.progress)  # fmt: skip
            return [line + (text("bundle.task_quiet") if item_of(notice) in quiet else "")]
    raise TypeError(type(notice).__name__)


def render_bundle(bundle: Bundle, today: date) -> str | None:
    """The bundle's text as it reads on `today`; None when nothing in it is still true."""
    items = live_items(bundle, today)
    if not items:
        return None
    quiet = {item_of(n) for n in bundle.items if isinstance(n, TaskNotice) and n.stage == "nudge"}
    departments = {n.task.department for n in items if isinstance(n, TaskNotice)}
    lines = [text("bundle.header", weekday=format_weekday(today), day=format_date(today))]
    for section in SECTIONS:
        chosen = [n for n in items if _section(n, today) == section]
        if chosen:
            lines.append(text(f"bundle.{section}"))
            for notice in chosen:
                lines += _lines(notice, today, quiet if section != "quiet" else set(), len(departments) > 1)
    if any(isinstance(n, TaskNotice) and n.stage != "escalation" for n in items):
        lines.append(text("bundle.tasks_do"))
    if snoozed := [s for s in bundle.snoozed if s.until > today]:
        listed = ", ".join(text("bundle.snoozed_item", item=s.item, until=format_date(s.until)) for s in snoozed)
        lines.append(text("bundle.snoozed", items=listed))
    lines.append(text("bundle.snooze"))
    return "\n".join(lines)


def without_snoozed(notices: Iterable[Notice], snoozed: Sequence[Snoozed], today: date) -> list[Notice]:
    """The notices not about an item snoozed past `today`."""
    held = {s.item for s in snoozed if s.until > today}
    return [n for n in notices if item_of(n) not in held]
