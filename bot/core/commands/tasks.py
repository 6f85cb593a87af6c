"""Tasks, one lead department each: /giaoviec assigns, /viec lists, /tiendo and /xong report on one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.commands.registry import CommandSpec, ParseContext
from bot.core.commands.tokens import (
    Ask,
    Missing,
    NeedInput,
    ParseError,
    Tokens,
    echo,
    is_number,
    parse_deadline,
    positive_int,
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
    return positive_int(tokens.take()[0], "parse.bad_task_id")


def parse_progress(tokens: Tokens, ctx: ParseContext) -> Progress:
    task_id = _task_id(tokens, "tiendo")
    if not tokens.raw:
        raise Missing(Ask.PERCENT, f"/tiendo {task_id} {{}}", id=task_id)
    token = tokens.take()[0]
    digits = token.removesuffix("%")
    if not is_number(digits) or int(digits) > 100:
        raise ParseError("parse.bad_percent", value=echo(token))
    return Progress(task_id, int(digits), tokens.summary())


def parse_done(tokens: Tokens, ctx: ParseContext) -> Done:
    task_id = _task_id(tokens, "xong")
    return Done(task_id, tokens.summary())


COMMANDS = (
    CommandSpec("giaoviec", parse_assign, MANAGERS, writes=True),
    CommandSpec("viec", parse_tasks, ANY_MEMBER, writes=False, aliases=("congviec", "nhiemvu")),
    CommandSpec("tiendo", parse_progress, LEADER_OR_FOCAL, writes=True),
    CommandSpec("xong", parse_done, LEADER_OR_FOCAL, writes=True, aliases=("hoanthanh",)),
)
