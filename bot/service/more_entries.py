"""Dossiers resolved (/giaiquyet) and documents received (/vanbanden): logged as /hoso and /vanban are, for a
department, cancelled with /huy like any entry."""

from __future__ import annotations

from bot.core.features.more_entries import (
    IncomingLogged,
    LogIncoming,
    LogResolved,
    ResolvedLogged,
    parse_incoming,
    parse_resolved,
)
from bot.core.permissions import ANY_MEMBER
from bot.core.registry import Command, Feature
from bot.service.context import Context
from bot.service.entries import new_entry, record_entry
from storage.models.entries import IncomingDocument, ResolvedTally


async def log_resolved(ctx: Context, command: LogResolved) -> object:
    """A day's dossiers resolved by a department: online, on paper, and how many of them late."""
    code = ctx.department_for(command.department)
    if not isinstance(code, str):
        return code
    entry = new_entry(
        ctx,
        ResolvedTally,
        command.day,
        resolved_online=command.online,
        resolved_paper=command.paper,
        resolved_late=command.late,
    )
    return ResolvedLogged(await record_entry(ctx, entry, code), command.late)


async def log_incoming(ctx: Context, command: LogIncoming) -> object:
    """A document received: electronic, paper, or secret (by count only)."""
    code = ctx.department_for(command.department)
    if not isinstance(code, str):
        return code
    entry = new_entry(
        ctx,
        IncomingDocument,
        command.day,
        summary=command.summary,
        document_kind=command.kind,
        document_number=command.number,
    )
    return IncomingLogged(await record_entry(ctx, entry, code))


FEATURE = Feature(
    "more_entries",
    order=21,
    commands=(
        Command(
            "giaiquyet", parse_resolved, log_resolved, ANY_MEMBER, writes=True, aliases=("hosogiaiquyet", "hosogq")
        ),
        Command("vanbanden", parse_incoming, log_incoming, ANY_MEMBER, writes=True, aliases=("vbden", "den")),
    ),
)
