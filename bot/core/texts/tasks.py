"""Tasks: assigning, listing, progress and closing."""

from __future__ import annotations

from datetime import date

from bot.core.texts.catalogue import add_strings, render, text
from bot.core.texts.format import format_date, format_left, format_weekday
from bot.core.views import TaskAssigned, TaskDone, TaskList, TaskProgressed, TaskRow

add_strings(
    {
        "usage.giaoviec": (
            "/giaoviec <mã phòng> <dd/mm/yyyy> <nội dung>\nVí dụ: /giaoviec kt 15/12/2026 Rà soát hồ sơ đất đai"
        ),
        "usage.viec": "/viec [mã phòng]",
        "usage.tiendo": "/tiendo <số việc> <0–100> [ghi chú]\nVí dụ: /tiendo 5 60 Đã xong phần khảo sát",
        "usage.xong": "/xong <số việc> [ghi chú]",
        "help.giaoviec": "/giaoviec – giao việc cho một phòng chủ trì",
        "help.viec": "/viec – danh sách việc đang làm",
        "help.tiendo": "/tiendo – cập nhật tiến độ một việc",
        "help.xong": "/xong – báo hoàn thành một việc",
        "prompt.giaoviec": "Gõ phòng chủ trì, hạn và nội dung việc.",
        "parse.past_deadline": "Hạn {value} đã qua; hạn phải từ hôm nay trở đi.",
        "parse.missing_deadline": "Thiếu hạn hoàn thành (dd/mm/yyyy).",
        "parse.missing_title": "Thiếu nội dung công việc.",
        "parse.bad_task_id": "Số việc “{value}” không hợp lệ.",
        "parse.bad_percent": "Tiến độ “{value}” phải là số từ 0 đến 100.",
        "ask.open_task": "Việc nào?",
        "ask.open_task_none": "Không có việc nào đang mở để cập nhật.",
        "ask.percent": "Tiến độ việc #{id} đến nay?",
        "option.task": "#{id} {title}",
        "option.percent": "{percent}%",
        "task.assigned": "Đã giao việc #{id} cho {department}, hạn {weekday}, {due}: {title}.",
        "task.line": "#{id} {department} – {title} – hạn {due} ({left}), {progress}%",
        "task.list_header": "📌 Việc đang làm ({count}):",
        "task.list_more": "… và {count} việc khác.",
        "task.none": "Không có việc nào đang mở.",
        "task.not_found": "Không có việc #{id}.",
        "task.closed": "Việc #{id} đã hoàn thành ngày {day:%d/%m/%Y}.",
        "task.not_yours": "Chỉ phòng chủ trì việc #{id} hoặc lãnh đạo mới cập nhật được.",
        "task.progress": "Đã ghi tiến độ việc #{id}: {progress}%{note}.",
        "task.done": "Đã ghi hoàn thành việc #{id} ngày {day} ({timing}).",
        "task.on_time": "đúng hạn",
        "task.late": "trễ {days} ngày",
    }
)


def task_line(task: TaskRow, today: date) -> str:
    """One open task on one line, as /viec and the leaders' digest list it."""
    return text(
        "task.line",
        id=task.id,
        department=task.department_code.upper(),
        title=task.title[:60],
        due=format_date(task.due),
        left=format_left((task.due - today).days),
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


@render.register
def _assigned(view: TaskAssigned) -> str:
    task = view.task
    return text(
        "task.assigned",
        id=task.id,
        department=task.department,
        weekday=format_weekday(task.due),
        due=format_date(task.due),
        title=task.title,
    )


@render.register
def _progressed(view: TaskProgressed) -> str:
    return text("task.progress", id=view.id, progress=view.progress, note=f" – {view.note}" if view.note else "")


@render.register
def _done(view: TaskDone) -> str:
    timing = text("task.late", days=view.days_late) if view.days_late > 0 else text("task.on_time")
    return text("task.done", id=view.id, day=format_date(view.day), timing=timing)
