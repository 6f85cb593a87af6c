"""Every Vietnamese string the bot says, by key, and the renderers from views to text: the shared ones here,
each feature's with its grammar in `bot.core.features`. Code passes keys and values, never sentences:
`text("meeting.logged", id=5, …)`, `render(view)`."""

from bot.core.texts.catalogue import CATALOGUE, render, text
from bot.core.texts.common import usage
from bot.core.texts.format import format_date, format_left, format_percent, format_target_percent, format_weekday

__all__ = [
    "CATALOGUE",
    "format_date",
    "format_left",
    "format_percent",
    "format_target_percent",
    "format_weekday",
    "render",
    "text",
    "usage",
]
