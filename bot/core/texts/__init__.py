"""Every Vietnamese string the bot says, by key, one module a feature; and the renderers from views to text.

Code passes keys and values, never sentences: `text("meeting.logged", id=5, …)`, `render(view)`.
"""

from __future__ import annotations

from bot.core.texts import (
    access,
    common,
    demo,
    entries,
    exports,
    files,
    groups,
    reminders,
    reports,
    targets,
    tasks,
)
from bot.core.texts.catalogue import CATALOGUE, render, text
from bot.core.texts.common import usage
from bot.core.texts.format import format_date, format_left, format_percent, format_target_percent, format_weekday
from bot.core.texts.reminders import render_notice

__all__ = [
    "CATALOGUE",
    "access",
    "common",
    "demo",
    "entries",
    "exports",
    "files",
    "format_date",
    "format_left",
    "format_percent",
    "format_target_percent",
    "format_weekday",
    "groups",
    "reminders",
    "render",
    "render_notice",
    "reports",
    "targets",
    "tasks",
    "text",
    "usage",
]
