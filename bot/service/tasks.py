"""Tasks: assigning one to a lead department, listing, progress and closing, and a leader's changes."""

from __future__ import annotations

from dataclasses import replace

from bot.core.features.cancel import CancelTask
from bot.core.features.tasks import (
    Assign,
    Done,
    EditTask,
    ListTasks,
    Progress,
    TaskAssigned,
    TaskChanged,
    TaskDone,
    TaskList,
    TaskProgressed,
    TaskRow,
    parse_assign,
    parse_done,
    parse_edit,
    parse_progress,
    parse_tasks,
)
from bot.core.grammar import Ask, Missing
from bot.core.messages import Option
from bot.core.notices import TaskNotice, render_notice, to_body
from bot.core.outcomes import Question, Refused, Say
from bot.core.permissions import (
    ANY_MEMBER,
    LEADER_OR_FOCAL,
    MANAGERS,
    may_manage_tasks,
    may_update_task,
    may_view,
    sees_every_department,
)
from bot.core.registry import Command, Feature
from bot.service.context import Context
from storage import chats, outbox, people, tasks
from storage.models.messaging import OutboxKind
from storage.models.tasks import Task

MAX_TASK_LINES = 15
MAX_OPTIONS = 8
PERCENT_OPTIONS = (25, 50, 75, 90)
SETTLED_KINDS = (OutboxKind.TASK, OutboxKind.TASK_ESCALATION, OutboxKind.TASK_NUDGE)


def task_row(task: Task, ctx: Context) -> TaskRow:
    """A task as users see it."""
    code = task.department.code
    return TaskRow(task.number, code, ctx.department_name(code), task.title, task.due_on, task.progress)


async def _notify(ctx: Context, task: Task, row: TaskRow, stage: str) -> None:
    """Tell the lead department about its task (new, moved to it, or changed), through the outbox."""
    view = TaskNotice("assigned", row)
    recipients = await chats.list_department_recipients(ctx.session, ctx.here.id, [row.department_code])
    key = outbox.OutboxKey(OutboxKind.TASK_ASSIGNED, outbox.task_subject(task.id), stage, ctx.today)
    notice = render_notice(view, ctx.today)  # and again when it goes, should it wait past today
    await ctx.tell(key, recipients, notice, body=to_body(view))


async def _responsible(ctx: Context, person_id: int | None) -> str | Refused:
    """The name of the official a task names answerable: an active official of this commune ('' if none)."""
    if person_id is None:
        return ""
    actor = await people.person_actor(ctx.session, ctx.here.id, person_id)
    if actor is None or not actor.roles & ANY_MEMBER:
        return Refused.of("task.responsible_unknown", person_id=person_id)
    return actor.name


async def assign(ctx: Context, command: Assign) -> TaskAssigned | Refused:
    name = await _responsible(ctx, command.responsible)
    if isinstance(name, Refused):
        return name
    source = ctx.source
    task = Task(
        title=command.title,
        due_on=command.due,
        progress=0,
        created_by_id=ctx.me.person_id,
        created_at=ctx.now,
        source_channel=source.channel,
        source_chat_id=source.chat_id,
        source_message_id=source.message_id,
        responsible_id=command.responsible,
    )
    await tasks.add_task(ctx.session, ctx.here.id, task, command.department)
    await ctx.audit(
        "assign", "task", task.number, department=command.department, due=command.due.isoformat(), title=command.title,
        responsible=command.responsible,
    )  # fmt: skip
    department = ctx.department_name(command.department)
    row = TaskRow(task.number, command.department, department, task.title, task.due_on, 0, name)
    await _notify(ctx, task, row, "new")
    return TaskAssigned(row, due_day_off=not ctx.here.calendar.is_working_day(command.due))


def _scope(ctx: Context, department: str | None) -> list[str] | None | Refused:
    """The departments whose tasks the sender sees: one named, or theirs (None: every department)."""
    consolidating = ctx.here.consolidating
    if department is not None:
        if not may_view(ctx.me, department, consolidating):
            return Refused.of("view.not_your_department", codes=", ".join(ctx.me.focal_departments))
        return [department]
    if sees_every_department(ctx.me, consolidating):
        return None
    return list(ctx.me.focal_departments)


async def list_tasks(ctx: Context, command: ListTasks) -> TaskList | Refused:
    """The open tasks the asker sees; in a group, only its department's (nobody else's are for that group)."""
    if ctx.source.is_group:
        if ctx.group is None:
            return Refused.of("access.private_only", command="viec")
        if command.department not in (None, ctx.group.department):
            return Refused.of("task.group_department", department=ctx.department_name(ctx.group.department))
        command = ListTasks(ctx.group.department)
    scope = _scope(ctx, command.department)
    if isinstance(scope, Refused):
        return scope
    open_tasks = await tasks.list_open_tasks(ctx.session, ctx.here.id, scope)
    rows = tuple(task_row(t, ctx) for t in open_tasks[:MAX_TASK_LINES])
    return TaskList(ctx.today, rows, len(open_tasks))


async def _open_task(ctx: Context, number: int) -> Task | Refused:
    task = await tasks.get_task(ctx.session, ctx.here.id, number)
    if task is None or task.cancelled_at is not None:
        return Refused.of("task.not_found", id=number)
    if task.completed_on is not None:
        return Refused.of("task.closed", id=task.number, day=task.completed_on)
    return task


async def update(ctx: Context, command: Progress | Done) -> object:
    task = await _open_task(ctx, command.task_id)
    if isinstance(task, Refused):
        return task
    if not may_update_task(ctx.me, task.department.code):
        return Refused.of("task.not_yours", id=task.number)
    done = isinstance(command, Done)
    progress = 100 if done else command.percent
    await tasks.add_task_update(
        ctx.session,
        task,
        person_id=ctx.me.person_id,
        progress=progress,
        note=command.note,
        now=ctx.now,
        day=ctx.today if done else None,
    )
    await ctx.audit("done" if done else "progress", "task", task.number, progress=progress, note=command.note)
    if not done:
        return TaskProgressed(task.number, progress, command.note)
    await outbox.supersede(ctx.session, SETTLED_KINDS, outbox.task_subject(task.id))
    return TaskDone(task.number, ctx.today, ctx.here.calendar.working_days_after(task.due_on, ctx.today))


async def edit(ctx: Context, command: EditTask) -> object:
    task = await _open_task(ctx, command.task_id)
    if isinstance(task, Refused):
        return task
    before = task_row(task, ctx)
    name = await _responsible(ctx, command.responsible)
    if isinstance(name, Refused):
        return name
    if command.responsible is not None:
        change, detail = "responsible", {"responsible": [task.responsible_id, command.responsible]}
    elif command.due is not None:
        change, detail = "due", {"due": [task.due_on.isoformat(), command.due.isoformat()]}
    elif command.department is not None:
        change, detail = "department", {"department": [task.department.code, command.department]}
    else:
        change, detail = "title", {"title": [task.title, command.title]}
    await tasks.change_task(
        ctx.session, task, now=ctx.now, due=command.due, department=command.department, title=command.title,
        responsible=command.responsible,
    )  # fmt: skip
    # Reminders already queued speak of the old task: they are dropped, and the next sweep plans anew.
    await outbox.supersede(ctx.session, SETTLED_KINDS, outbox.task_subject(task.id))
    await ctx.audit("edit", "task", task.number, **detail)
    task = await tasks.get_task(ctx.session, ctx.here.id, task.number, refresh=True)
    row = replace(task_row(task, ctx), responsible=name)
    if row.department_code != before.department_code:
        await _notify(ctx, task, row, f"moved:{row.department_code}")
    return TaskChanged(row, change)


async def cancel_task(ctx: Context, command: CancelTask) -> object:
    """`/huy V3`: a leader withdraws a task (asked first); the record is kept."""
    if not may_manage_tasks(ctx.me):
        return Refused.of("task.cancel_not_allowed")
    task = await _open_task(ctx, command.task_id)
    if isinstance(task, Refused):
        return task
    row = task_row(task, ctx)
    if not ctx.confirmed:
        options = (
            Option(Say.of("option.cancel_task", id=task.number), f"/huy V{task.number}", confirmed=True),
            Option(Say.of("option.dont"), ""),
        )
        return Question("confirm.cancel_task", options, {"task": row})
    await tasks.cancel_task(ctx.session, task, by_id=ctx.me.person_id, now=ctx.now)
    await outbox.supersede(ctx.session, (*SETTLED_KINDS, OutboxKind.TASK_ASSIGNED), outbox.task_subject(task.id))
    await ctx.audit("cancel", "task", task.number, title=task.title, department=row.department_code)
    return TaskChanged(row, "cancelled")


async def task_options(ctx: Context, missing: Missing) -> list[Option]:
    """The open tasks the sender may update, soonest deadline first."""
    scope = None if ctx.me.is_commune_wide else list(ctx.me.focal_departments)
    open_tasks = await tasks.list_open_tasks(ctx.session, ctx.here.id, scope)
    return [
        Option(Say.of("option.task", id=t.number, title=t.title[:40]), missing.template.format(f"V{t.number}"))
        for t in open_tasks[:MAX_OPTIONS]
    ]


async def percent_options(ctx: Context, missing: Missing) -> list[Option]:
    """A few round percentages."""
    return [Option(Say.of("option.percent", percent=p), missing.template.format(p)) for p in PERCENT_OPTIONS]


FEATURE = Feature(
    "tasks",
    order=60,
    commands=(
        Command("giaoviec", parse_assign, assign, MANAGERS, writes=True),
        Command("viec", parse_tasks, list_tasks, ANY_MEMBER, writes=False, aliases=("congviec", "nhiemvu")),
        Command("tiendo", parse_progress, update, LEADER_OR_FOCAL, writes=True),
        Command("xong", parse_done, update, LEADER_OR_FOCAL, writes=True, aliases=("hoanthanh",)),
        Command("suaviec", parse_edit, edit, MANAGERS, writes=True, aliases=("doiviec",)),
    ),
    asks={Ask.OPEN_TASK: task_options, Ask.PERCENT: percent_options},
)
