"""Tasks, one lead department each: /giaoviec assigns, /viec lists, /tiendo and /xong report on one, /suaviec
changes one; their grammar, texts and views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.calendar import CALENDAR
from bot.core.features.officials import responsible_ref
from bot.core.grammar import (
    DATE_TOKEN,
    Ask,
    Missing,
    NeedInput,
    ParseContext,
    ParseError,
    Tokens,
    echo,
    is_number,
    parse_deadline,
    task_ref,
)
from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_date, format_left, format_weekday


@dataclass(frozen=True)
class Assign:
    department: str
    due: date
    title: str
    responsible: int | None = None  # the one named official (member number), if any


@dataclass(frozen=True)
class ListTasks:
    department: str | None


@dataclass(frozen=True)
class Progress:
    task_id: int
    percent: int
    note: str


@dataclass(frozen=True)
class Done:
    task_id: int
    note: str


@dataclass(frozen=True)
class EditTask:
    """`/suaviec V3 …`: a new deadline, a new lead department, or a new title."""

    task_id: int
    due: date | None = None
    department: str | None = None
    title: str | None = None
    responsible: int | None = None


def parse_assign(tokens: Tokens, ctx: ParseContext) -> Assign:
    if not tokens.raw:
        raise NeedInput("prompt.giaoviec")
    department = tokens.department(ctx.departments)
    if department is None:
        raise ParseError("parse.unknown_department", value=echo(tokens.raw[0]), codes=", ".join(ctx.departments))
    if not tokens.raw:
        raise ParseError("parse.missing_deadline")
    due = parse_deadline(tokens.take()[0], ctx.today)
    responsible = responsible_ref(tokens)
    title = tokens.summary()
    if not title:
        raise ParseError("parse.missing_title")
    return Assign(department, due, title, responsible)


def parse_tasks(tokens: Tokens, ctx: ParseContext) -> ListTasks:
    department = tokens.department(ctx.departments)
    if tokens.raw:
        raise ParseError("parse.unknown_department", value=echo(tokens.raw[0]), codes=", ".join(ctx.departments))
    return ListTasks(department)


def _task_id(tokens: Tokens, command: str) -> int:
    if not tokens.raw:
        raise Missing(Ask.OPEN_TASK, f"/{command} {{}}")
    return task_ref(tokens.take()[0])


def parse_progress(tokens: Tokens, ctx: ParseContext) -> Progress:
    task_id = _task_id(tokens, "tiendo")
    if not tokens.raw:
        raise Missing(Ask.PERCENT, f"/tiendo V{task_id} {{}}", id=task_id)
    token = tokens.take()[0]
    digits = token.removesuffix("%")
    if not is_number(digits) or int(digits) > 100:
        raise ParseError("parse.bad_percent", value=echo(token))
    return Progress(task_id, int(digits), tokens.summary())


def parse_done(tokens: Tokens, ctx: ParseContext) -> Done:
    task_id = _task_id(tokens, "xong")
    return Done(task_id, tokens.summary())


def parse_edit(tokens: Tokens, ctx: ParseContext) -> EditTask:
    task_id = _task_id(tokens, "suaviec")
    if not tokens.raw:
        raise NeedInput("prompt.suaviec")
    if (responsible := responsible_ref(tokens)) is not None:
        tokens.no_more()
        return EditTask(task_id, responsible=responsible)
    first = tokens.peek()
    if DATE_TOKEN.match(first):
        due = parse_deadline(tokens.take()[0], ctx.today)
        tokens.no_more()
        return EditTask(task_id, due=due)
    department = tokens.department(ctx.departments)
    if department is not None:
        tokens.no_more()
        return EditTask(task_id, department=department)
    return EditTask(task_id, title=tokens.summary())


@dataclass(frozen=True)
class TaskRow:
    """A task as /viec, its notices and the leaders' digest show it."""

    id: int  # the number users see (V3), counted within the commune
    department_code: str
    department: str
    title: str
    due: date
    progress: int
    responsible: str = ""  # the named official's name, if one is named


@dataclass(frozen=True)
class TaskList:
    today: date
    tasks: tuple[TaskRow, ...]
    total: int


@dataclass(frozen=True)
class TaskAssigned:
    task: TaskRow
    due_day_off: bool = False  # the deadline falls on a weekend or a public holiday


@dataclass(frozen=True)
class TaskChanged:
    """A leader changed a task: what it is now, and what changed."""

    task: TaskRow
    change: str  # due | department | title | cancelled


@dataclass(frozen=True)
class TaskProgressed:
    id: int
    progress: int
    note: str


@dataclass(frozen=True)
class TaskDone:
    id: int
    day: date
    days_late: int  # working days after the deadline


add_strings(
    {
        "usage.giaoviec": (
            "/giaoviec <mã phòng> <hạn dd/mm/yyyy> [@mã thành viên] <nội dung>\n"
            "Ví dụ: /giaoviec kt 15/12/2026 Rà soát hồ sơ đất đai, /giaoviec kt 15/12/2026 @3 Rà soát hồ sơ"
        ),
        "usage.viec": "/viec [mã phòng]",
        "usage.tiendo": "/tiendo <số việc> <0–100> [ghi chú]\nVí dụ: /tiendo V5 60 Đã xong phần khảo sát",
        "usage.xong": "/xong <số việc> [ghi chú]\nVí dụ: /xong V5",
        "usage.suaviec": (
            "/suaviec <số việc> <hạn mới | mã phòng mới | @mã thành viên | nội dung mới>\n"
            "Ví dụ: /suaviec V5 20/12/2026, /suaviec V5 vhxh, /suaviec V5 @3, /suaviec V5 Rà soát và báo cáo"
        ),
        "summary.suaviec": "đổi hạn, phòng chủ trì hoặc nội dung một việc",
        "prompt.suaviec": "Gõ hạn mới, mã phòng chủ trì mới hoặc nội dung mới của việc.",
        "summary.giaoviec": "giao việc cho một phòng chủ trì",
        "summary.viec": "danh sách việc đang làm",
        "summary.tiendo": "cập nhật tiến độ một việc",
        "summary.xong": "báo hoàn thành một việc",
        "prompt.giaoviec": "Gõ phòng chủ trì, hạn và nội dung việc.",
        "parse.past_deadline": "Hạn {value} đã qua; hạn phải từ hôm nay trở đi.",
        "parse.missing_deadline": "Thiếu hạn hoàn thành (dd/mm/yyyy).",
        "parse.missing_title": "Thiếu nội dung công việc.",
        "parse.bad_task_id": "Số việc “{value}” không hợp lệ.",
        "parse.bad_percent": "Tiến độ “{value}” phải là số từ 0 đến 100.",
        "ask.open_task": "Việc nào?",
        "ask.open_task_none": "Không có việc nào đang mở để cập nhật.",
        "ask.percent": "Tiến độ việc V{id} đến nay?",
        "option.task": "V{id} {title}",
        "option.cancel_task": "Hủy việc V{id}",
        "confirm.cancel_task": "Hủy việc {task}?",
        "option.percent": "{percent}%",
        "task.assigned": "Đã giao việc V{id} cho {department}, hạn {weekday}, {due}: {title}.",
        "task.due_day_off": "⚠️ Hạn rơi vào ngày nghỉ ({weekday}); nếu cần, đổi bằng: /suaviec V{id} <ngày>",
        "task.changed.due": "Đã đổi hạn việc V{id} thành {weekday}, {due}: {title}.",
        "task.changed.department": "Đã giao lại việc V{id} cho {department} chủ trì: {title}.",
        "task.changed.title": "Đã sửa nội dung việc V{id}: {title}.",
        "task.changed.cancelled": "Đã hủy việc V{id} ({department}): {title}. Bản ghi vẫn được lưu để đối chiếu.",
        "task.cancel_not_allowed": "Chỉ lãnh đạo, quản trị mới hủy được việc đã giao.",
        "task.row": "V{id} ({department}, hạn {due})",
        "task.line": "V{id} {department} – {title} – hạn {due} ({left}), {progress}%",
        "task.list_header": "📌 Việc đang làm ({count}):",
        "task.list_more": "… và {count} việc khác.",
        "task.none": "Không có việc nào đang mở.",
        "task.group_department": (
            "Nhóm này của {department}: ở đây chỉ xem việc của phòng. Xem việc khác: chat riêng với bot."
        ),
        "task.not_found": "Không có việc V{id} đang mở.",
        "task.closed": "Việc V{id} đã hoàn thành ngày {day:%d/%m/%Y}.",
        "task.not_yours": "Chỉ phòng chủ trì việc V{id} hoặc lãnh đạo mới cập nhật được.",
        "task.progress": "Đã ghi tiến độ việc V{id}: {progress}%{note}.",
        "task.done": "Đã ghi hoàn thành việc V{id} ngày {day} ({timing}).",
        "task.on_time": "đúng hạn",
        "task.late": "trễ {days} ngày làm việc",
        "left.task_late": "đã trễ {days} ngày làm việc",
    }
)


def task_left(due: date, today: date) -> str:
    """'còn 3 ngày', 'hạn cuối hôm nay', or lateness in working days, as tasks are judged."""
    if today <= due:
        return format_left((due - today).days)
    return text("left.task_late", days=CALENDAR.working_days_after(due, today))


@render.register
def describe_task(task: TaskRow) -> str:
    """'V3 (Phòng Kinh tế, hạn 04/12/2026)'."""
    return text("task.row", id=task.id, department=task.department, due=format_date(task.due))


def task_line(task: TaskRow, today: date) -> str:
    """One open task on one line, as /viec and the leaders' digest list it."""
    return text(
        "task.line",
        id=task.id,
        department=task.department_code.upper(),
        title=task.title[:60],
        due=format_date(task.due),
        left=task_left(task.due, today),
        progress=task.progress,
    )


@render.register
def _list(view: TaskList) -> str:
    if not view.tasks:
        return text("task.none")
    lines = [text("task.list_header", count=view.total)]
    lines += [task_line(task, view.today) for task in view.tasks]
    if view.total > len(view.tasks):
        lines.append(text("task.list_more", count=view.total - len(view.tasks)))
    return "\n".join(lines)


def _task_values(task: TaskRow) -> dict[str, object]:
    return {
        "id": task.id,
        "department": task.department,
        "weekday": format_weekday(task.due),
        "due": format_date(task.due),
        "title": task.title,
        "name": task.responsible,
    }


@render.register
def _assigned(view: TaskAssigned) -> str:
    receipt = text("task.assigned", **_task_values(view.task))
    if view.task.responsible:
        receipt += text("task.responsible", name=view.task.responsible)
    if view.due_day_off:
        receipt += "\n" + text("task.due_day_off", id=view.task.id, weekday=format_weekday(view.task.due))
    return receipt


@render.register
def _changed(view: TaskChanged) -> str:
    return text(f"task.changed.{view.change}", **_task_values(view.task))


@render.register
def _progressed(view: TaskProgressed) -> str:
    return text("task.progress", id=view.id, progress=view.progress, note=f" – {view.note}" if view.note else "")


@render.register
def _done(view: TaskDone) -> str:
    timing = text("task.late", days=view.days_late) if view.days_late > 0 else text("task.on_time")
    return text("task.done", id=view.id, day=format_date(view.day), timing=timing)
