"""Feedback with answers: recorded by the Mặt trận's focal person or any official, handed by a leader to one
department as a task (so reminders and escalation are a task's), answered with /traloi. A leader, an admin and
the consolidating department read all of it; a focal person their department's and what they recorded; the
Mặt trận's person what they recorded, with its answers."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.features.feedback import (
    AnswerFeedback,
    AssignFeedback,
    FeedbackAnswered,
    FeedbackAssigned,
    FeedbackList,
    FeedbackRecorded,
    FeedbackRow,
    FeedbackShown,
    ListFeedback,
    RecordFeedback,
    ShowFeedback,
    parse_answer,
    parse_assign_feedback,
    parse_feedback,
)
from bot.core.features.tasks import Assign, Done, TaskAssigned
from bot.core.outcomes import Refused
from bot.core.permissions import ANY_MEMBER, LEADER_OR_FOCAL, MANAGERS, Role, sees_every_department
from bot.core.registry import Command, Feature
from bot.service import tasks as task_cases
from bot.service.context import Context
from storage import feedback as store
from storage import tasks
from storage.models.feedback import Feedback

MAX_LINES = 15
RECORDERS = ANY_MEMBER | {Role.FRONT}


def add_working_days(ctx: Context, start: date, days: int) -> date:
    """The day `days` working days after `start`."""
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        counted += ctx.here.calendar.is_working_day(day)
    return day


def feedback_row(ctx: Context, item: Feedback, code: str | None) -> FeedbackRow:
    """A piece of feedback as users see it."""
    department = ctx.department_name(code) if code else None
    return FeedbackRow(
        item.number, item.origin, item.channel, item.received_on, item.subject, item.body, item.due_on, department,
        item.answer, item.answered_on,
    )  # fmt: skip


def _reads_all(ctx: Context) -> bool:
    return sees_every_department(ctx.me, ctx.here.consolidating)


def _may_read(ctx: Context, item: Feedback, code: str | None) -> bool:
    """Whoever reads all; the person who recorded it; the answering department's people."""
    return _reads_all(ctx) or item.recorded_by_id == ctx.me.person_id or code in ctx.me.focal_departments


async def feedback(ctx: Context, command: ListFeedback | ShowFeedback | RecordFeedback) -> object:
    """/gopy: the open feedback one may read, one piece, or a new one recorded."""
    match command:
        case RecordFeedback():
            return await _record(ctx, command)
        case ShowFeedback():
            found = await store.get_feedback(ctx.session, ctx.here.id, command.number)
            if found is None or not _may_read(ctx, *found):
                return Refused.of("feedback.not_found", number=command.number)
            return FeedbackShown(feedback_row(ctx, *found))
    if ctx.source.is_group:
        return Refused.of("access.private_only", command="gopy")
    scope: dict[str, object] = {}
    if not _reads_all(ctx):
        scope = {"department_codes": list(ctx.me.focal_departments), "recorded_by": ctx.me.person_id}
    found = await store.list_feedback(ctx.session, ctx.here.id, **scope)
    rows = tuple(feedback_row(ctx, *item) for item in found[:MAX_LINES])
    return FeedbackList(ctx.today, rows, len(found))


async def _record(ctx: Context, command: RecordFeedback) -> FeedbackRecorded:
    front = Role.FRONT in ctx.me.roles
    origin = command.origin or ("front" if front else "citizen")
    source = ctx.source
    item = Feedback(
        received_on=command.day,
        origin=origin,
        channel=command.channel,
        subject=command.subject,
        body=command.body,
        recorded_by_id=ctx.me.person_id,
        created_at=ctx.now,
        due_on=add_working_days(ctx, command.day, ctx.here.feedback_days),
        source_channel=source.channel,
        source_chat_id=source.chat_id,
        source_message_id=source.message_id,
    )
    await store.add_feedback(ctx.session, ctx.here.id, item)
    await ctx.audit("add", "feedback", item.number, origin=origin, day=command.day.isoformat(), text=ctx.typed[:400])
    return FeedbackRecorded(feedback_row(ctx, item, None))


async def assign(ctx: Context, command: AssignFeedback) -> object:
    """/chuyengopy: one department answers it, chased as a task with its deadline."""
    found = await store.get_feedback(ctx.session, ctx.here.id, command.number)
    if found is None:
        return Refused.of("feedback.not_found", number=command.number)
    item, code = found
    if item.answered_on is not None:
        return Refused.of("feedback.already_answered", number=item.number, day=item.answered_on.strftime("%d/%m/%Y"))
    if code is not None:
        return Refused.of("feedback.already_assigned", number=item.number, department=ctx.department_name(code))
    due = command.due or add_working_days(ctx, ctx.today, ctx.here.feedback_days)
    title = ctx_title(item)
    assigned = await task_cases.assign(ctx, Assign(command.department, due, title))
    if not isinstance(assigned, TaskAssigned):
        return assigned
    task = await tasks.get_task(ctx.session, ctx.here.id, assigned.task.id)
    await store.set_department(ctx.session, item, command.department, due, task.id)
    await ctx.audit("assign", "feedback", item.number, department=command.department, due=due.isoformat())
    return FeedbackAssigned(feedback_row(ctx, item, command.department), assigned.task.id)


def ctx_title(item: Feedback) -> str:
    """The task's title: which feedback it answers."""
    return f"Trả lời góp ý G{item.number}: {item.subject}"[:300]


async def answer(ctx: Context, command: AnswerFeedback) -> object:
    """/traloi: the answering department's people or a leader record the answer; its task closes with it."""
    found = await store.get_feedback(ctx.session, ctx.here.id, command.number)
    if found is None or not _may_read(ctx, *found):
        return Refused.of("feedback.not_found", number=command.number)
    item, code = found
    if item.answered_on is not None:
        return Refused.of("feedback.already_answered", number=item.number, day=item.answered_on.strftime("%d/%m/%Y"))
    if not (ctx.me.is_leader or (code is not None and code in ctx.me.focal_departments)):
        return Refused.of("feedback.not_yours", number=item.number)
    if item.task_id is not None:
        task = await tasks.get_task_by_id(ctx.session, ctx.here.id, item.task_id)
        if task is not None and task.completed_at is None and task.cancelled_at is None:
            closed = await task_cases.update(ctx, Done(task.number, f"Đã trả lời góp ý G{item.number}"))
            if isinstance(closed, Refused):
                return closed
    await store.set_answer(ctx.session, item, answer=command.answer, day=ctx.today, now=ctx.now, by_id=ctx.me.person_id)
    await ctx.audit("answer", "feedback", item.number, text=command.answer[:400])
    late = ctx.here.calendar.working_days_after(item.due_on, ctx.today)
    return FeedbackAnswered(feedback_row(ctx, item, code), late)


FEATURE = Feature(
    "feedback",
    order=62,
    commands=(
        Command("gopy", parse_feedback, feedback, RECORDERS, writes=True, aliases=("gopykien", "kiennghi", "phananh")),
        Command("chuyengopy", parse_assign_feedback, assign, MANAGERS, writes=True, aliases=("giaogopy",)),
        Command("traloi", parse_answer, answer, LEADER_OR_FOCAL, writes=True, aliases=("traloigopy",)),
    ),
)
