"""Every chat command, declared once in its feature module and gathered here in the order /help lists them."""

from __future__ import annotations

from bot.core.commands import access, entries, exports, groups, members, reports, targets, tasks
from bot.core.commands.registry import CommandSpec, ParseContext, RawCommand, Registry

REGISTRY = Registry(
    access.COMMANDS
    + entries.COMMANDS
    + targets.COMMANDS
    + reports.COMMANDS
    + exports.COMMANDS
    + tasks.COMMANDS
    + groups.COMMANDS
    + members.COMMANDS
)

__all__ = ["REGISTRY", "CommandSpec", "ParseContext", "RawCommand", "Registry"]
