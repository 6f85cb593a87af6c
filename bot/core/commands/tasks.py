"""Tasks, one lead department each: /giaoviec assigns, /viec lists, /tiendo and /xong report on one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.commands.registry import CommandSpec, ParseContext
from bot.core.commands.tokens import (
    DATE_TOKEN,
    Ask,
    Missing,
    NeedInput,
    ParseError,
    Tokens,
    echo,
    is_number,
    parse_deadline,
    task_ref,
)
from bot.core.permissions import ANY_MEMBER, LEADER_OR_FOCAL, MANAGERS


@dataclass(frozen=True)
class Assign:
    department: str
    due: date
    title: str


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


def parse_assign(tokens: Tokens, ctx: ParseContext) -> Assign:
    if not tokens.raw:
        raise NeedInput("prompt.giaoviec")
    department = tokens.department(ctx.departments)
    if department is None:
        raise ParseError("parse.unknown_department", value=echo(tokens.raw[0]), codes=", ".join(ctx.departments))
    if not tokens.raw:
        raise ParseError("parse.missing_deadline")
    due = parse_deadline(tokens.take()[0], ctx.today)
    title = tokens.summary()
    if not title:
        raise ParseError("parse.missing_title")
    return Assign(department, due, title)


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


COMMANDS = (
    CommandSpec("giaoviec", parse_assign, MANAGERS, writes=True),
    CommandSpec("viec", parse_tasks, ANY_MEMBER, writes=False, aliases=("congviec", "nhiemvu")),
    CommandSpec("tiendo", parse_progress, LEADER_OR_FOCAL, writes=True),
    CommandSpec("xong", parse_done, LEADER_OR_FOCAL, writes=True, aliases=("hoanthanh",)),
    CommandSpec("suaviec", parse_edit, MANAGERS, writes=True, aliases=("doiviec",)),
)
