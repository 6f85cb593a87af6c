"""Tasks: assigning one to a lead department, listing, progress and closing."""

from __future__ import annotations

from bot.core.commands.tasks import Assign, Done, ListTasks, Progress
from bot.core.commands.tokens import Ask, Missing
from bot.core.messages import Option
from bot.core.permissions import may_update_task, may_view
from bot.core.texts import render_notice
from bot.core.views import Refusal, Say, TaskAssigned, TaskDone, TaskList, TaskNotice, TaskProgressed, TaskRow
from bot.service.context import Request, Settings
from storage import chats, outbox, tasks
from storage.models import OutboxKind, Task

MAX_TASK_LINES = 15
MAX_OPTIONS = 8
PERCENT_OPTIONS = (25, 50, 75, 90)


def task_row(task: Task, settings: Settings) -> TaskRow:
    """A task as users see it."""
    code = task.department.code
    return TaskRow(task.id, code, settings.name(code), task.title, task.due_on, task.progress)


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
    notice = render_notice(TaskNotice("assigned", row), req.today)
    recipients = await chats.list_department_recipients(req.session, [command.department])
    key = outbox.OutboxKey(OutboxKind.TASK_ASSIGNED, outbox.task_subject(task.id), "new", req.today)
    await outbox.enqueue(req.session, key, recipients, notice, due_at=req.now, now=req.now)
    return TaskAssigned(row)


def _scope(req: Request, department: str | None) -> list[str] | None:
    """The departments whose tasks the sender sees: one named, or theirs (None: every department)."""
    if department is not None:
        if not may_view(req.me, department):
            raise Refusal("entry.not_your_department", codes=", ".join(req.me.focal_departments))
        return [department]
    return None if req.me.is_commune_wide else list(req.me.focal_departments)


async def list_tasks(req: Request, command: ListTasks) -> TaskList:
    open_tasks = await tasks.list_open_tasks(req.session, _scope(req, command.department))
    rows = tuple(task_row(t, req.settings) for t in open_tasks[:MAX_TASK_LINES])
    return TaskList(req.today, rows, len(open_tasks))


async def update(req: Request, command: Progress | Done) -> TaskProgressed | TaskDone:
    task = await tasks.get_task(req.session, command.task_id)
    if task is None:
        raise Refusal("task.not_found", id=command.task_id)
    if not may_update_task(req.me, task.department.code):
        raise Refusal("task.not_yours", id=task.id)
    if task.completed_on is not None:
        raise Refusal("task.closed", id=task.id, day=task.completed_on)
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
    kinds = [OutboxKind.TASK, OutboxKind.TASK_ESCALATION, OutboxKind.TASK_NUDGE]
    await outbox.supersede(req.session, kinds, outbox.task_subject(task.id))
    return TaskDone(task.id, req.today, (req.today - task.due_on).days)


async def task_options(req: Request, missing: Missing) -> list[Option]:
    """The open tasks the sender may update, soonest deadline first."""
    scope = None if req.me.is_leader else list(req.me.focal_departments)
    open_tasks = await tasks.list_open_tasks(req.session, scope)
    return [
        Option(Say.of("option.task", id=t.id, title=t.title[:40]), missing.template.format(t.id))
        for t in open_tasks[:MAX_OPTIONS]
    ]


async def percent_options(req: Request, missing: Missing) -> list[Option]:
    """A few round percentages."""
    return [Option(Say.of("option.percent", percent=p), missing.template.format(p)) for p in PERCENT_OPTIONS]


HANDLERS = {Assign: assign, ListTasks: list_tasks, Progress: update, Done: update}
ASKS = {Ask.OPEN_TASK: task_options, Ask.PERCENT: percent_options}
