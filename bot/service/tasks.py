"""Tasks: assigning one to a lead department, listing, progress and closing, and a leader's changes."""

from __future__ import annotations

from bot.core.commands.entries import CancelTask
from bot.core.commands.tasks import Assign, Done, EditTask, ListTasks, Progress
from bot.core.commands.tokens import Ask, Missing
from bot.core.messages import Option
from bot.core.notices import to_body
from bot.core.permissions import may_manage_tasks, may_update_task, may_view, sees_every_department
from bot.core.texts import render_notice
from bot.core.views import (
    Question,
    Refusal,
    Say,
    TaskAssigned,
    TaskChanged,
    TaskDone,
    TaskList,
    TaskNotice,
    TaskProgressed,
    TaskRow,
)
from bot.service.context import Request, Settings
from storage import chats, outbox, tasks
from storage.models import OutboxKind, Task

MAX_TASK_LINES = 15
MAX_OPTIONS = 8
PERCENT_OPTIONS = (25, 50, 75, 90)
SETTLED_KINDS = (OutboxKind.TASK, OutboxKind.TASK_ESCALATION, OutboxKind.TASK_NUDGE)


def task_row(task: Task, settings: Settings) -> TaskRow:
    """A task as users see it."""
    code = task.department.code
    return TaskRow(task.id, code, settings.name(code), task.title, task.due_on, task.progress)


async def _notify(req: Request, row: TaskRow, stage: str) -> None:
    """Tell the lead department about its task (new, moved to it, or changed), through the outbox."""
    view = TaskNotice("assigned", row)
    recipients = await chats.list_department_recipients(req.session, [row.department_code])
    key = outbox.OutboxKey(OutboxKind.TASK_ASSIGNED, outbox.task_subject(row.id), stage, req.today)
    notice = render_notice(view, req.today)  # and again when it goes, should it wait past today
    await outbox.enqueue(req.session, key, recipients, notice, due_at=req.now, now=req.now, body=to_body(view))


async def assign(req: Request, command: Assign) -> TaskAssigned:
    incoming = req.incoming
    task = Task(
        title=command.title,
        due_on=command.due,
        progress=0,
        created_by_id=req.me.person_id,
        created_at=req.now,
        source_channel=incoming.channel,
        source_chat_id=incoming.chat_id,
        source_message_id=incoming.message_id,
    )
    await tasks.add_task(req.session, task, command.department)
    await req.audit(
        "assign", "task", task.id, department=command.department, due=command.due.isoformat(), title=command.title
    )
    row = TaskRow(task.id, command.department, req.settings.name(command.department), task.title, task.due_on, 0)
    await _notify(req, row, "new")
    return TaskAssigned(row, due_day_off=not req.settings.calendar.is_working_day(command.due))


def _scope(req: Request, department: str | None) -> list[str] | None:
    """The departments whose tasks the sender sees: one named, or theirs (None: every department)."""
    if department is not None:
        if not may_view(req.me, department, req.settings.consolidating):
            raise Refusal("view.not_your_department", codes=", ".join(req.me.focal_departments))
        return [department]
    if sees_every_department(req.me, req.settings.consolidating):
        return None
    return list(req.me.focal_departments)


async def list_tasks(req: Request, command: ListTasks) -> TaskList:
    open_tasks = await tasks.list_open_tasks(req.session, _scope(req, command.department))
    rows = tuple(task_row(t, req.settings) for t in open_tasks[:MAX_TASK_LINES])
    return TaskList(req.today, rows, len(open_tasks))


async def _open_task(req: Request, task_id: int) -> Task:
    task = await tasks.get_task(req.session, task_id)
    if task is None or task.cancelled_at is not None:
        raise Refusal("task.not_found", id=task_id)
    if task.completed_on is not None:
        raise Refusal("task.closed", id=task.id, day=task.completed_on)
    return task


async def update(req: Request, command: Progress | Done) -> TaskProgressed | TaskDone:
    task = await _open_task(req, command.task_id)
    if not may_update_task(req.me, task.department.code):
        raise Refusal("task.not_yours", id=task.id)
    done = isinstance(command, Done)
    progress = 100 if done else command.percent
    await tasks.add_task_update(
        req.session,
        task,
        person_id=req.me.person_id,
        progress=progress,
        note=command.note,
        now=req.now,
        day=req.today if done else None,
    )
    await req.audit("done" if done else "progress", "task", task.id, progress=progress, note=command.note)
    if not done:
        return TaskProgressed(task.id, progress, command.note)
    await outbox.supersede(req.session, SETTLED_KINDS, outbox.task_subject(task.id))
    return TaskDone(task.id, req.today, req.settings.calendar.working_days_after(task.due_on, req.today))


async def edit(req: Request, command: EditTask) -> TaskChanged:
    task = await _open_task(req, command.task_id)
    before = task_row(task, req.settings)
    if command.due is not None:
        change, detail = "due", {"due": [task.due_on.isoformat(), command.due.isoformat()]}
    elif command.department is not None:
        change, detail = "department", {"department": [task.department.code, command.department]}
    else:
        change, detail = "title", {"title": [task.title, command.title]}
    await tasks.change_task(
        req.session, task, now=req.now, due=command.due, department=command.department, title=command.title
    )
    # Reminders already queued speak of the old task: they are dropped, and the next sweep plans anew.
    await outbox.supersede(req.session, SETTLED_KINDS, outbox.task_subject(task.id))
    await req.audit("edit", "task", task.id, **detail)
    task = await tasks.get_task(req.session, task.id, refresh=True)
    row = task_row(task, req.settings)
    if row.department_code != before.department_code:
        await _notify(req, row, f"moved:{row.department_code}")
    return TaskChanged(row, change)


async def cancel_task(req: Request, command: CancelTask) -> TaskChanged | Question:
    if not may_manage_tasks(req.me):
        raise Refusal("task.cancel_not_allowed")
    task = await _open_task(req, command.task_id)
    row = task_row(task, req.settings)
    if not req.confirmed:
        options = (
            Option(Say.of("option.cancel_task", id=task.id), f"/huy V{task.id}", confirmed=True),
            Option(Say.of("option.dont"), ""),
        )
        return Question("confirm.cancel_task", options, {"task": row})
    await tasks.cancel_task(req.session, task, by_id=req.me.person_id, now=req.now)
    await outbox.supersede(req.session, (*SETTLED_KINDS, OutboxKind.TASK_ASSIGNED), outbox.task_subject(task.id))
    await req.audit("cancel", "task", task.id, title=task.title, department=row.department_code)
    return TaskChanged(row, "cancelled")


async def task_options(req: Request, missing: Missing) -> list[Option]:
    """The open tasks the sender may update, soonest deadline first."""
    scope = None if req.me.is_commune_wide else list(req.me.focal_departments)
    open_tasks = await tasks.list_open_tasks(req.session, scope)
    return [
        Option(Say.of("option.task", id=t.id, title=t.title[:40]), missing.template.format(f"V{t.id}"))
        for t in open_tasks[:MAX_OPTIONS]
    ]


async def percent_options(req: Request, missing: Missing) -> list[Option]:
    """A few round percentages."""
    return [Option(Say.of("option.percent", percent=p), missing.template.format(p)) for p in PERCENT_OPTIONS]


HANDLERS = {
    Assign: assign,
    ListTasks: list_tasks,
    Progress: update,
    Done: update,
    EditTask: edit,
    CancelTask: cancel_task,
}
ASKS = {Ask.OPEN_TASK: task_options, Ask.PERCENT: percent_options}
