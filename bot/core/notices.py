"""Notices kept as data until they are sent, so what they say ("còn 3 ngày", "hôm nay") is true when read."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from bot.core.views import ReportEscalation, ReportReminder, TaskNotice, TaskRow

KINDS = {"report": ReportReminder, "escalation": ReportEscalation, "task": TaskNotice}


def to_body(view: ReportReminder | ReportEscalation | TaskNotice) -> dict:
    """A notice as JSON-ready data."""
    kind = next(name for name, cls in KINDS.items() if isinstance(view, cls))
    return {"kind": kind, **_plain(asdict(view))}


def from_body(body: dict) -> ReportReminder | ReportEscalation | TaskNotice:
    """The notice stored by `to_body`."""
    fields = {k: v for k, v in body.items() if k != "kind"}
    if body["kind"] == "task":
        task = fields["task"]
        fields["task"] = TaskRow(**{**task, "due": date.fromisoformat(task["due"])})
        return TaskNotice(**fields)
    fields["due"] = date.fromisoformat(fields["due"])
    if body["kind"] == "escalation":
        fields["departments"] = tuple(fields["departments"])
    return KINDS[body["kind"]](**fields)


def is_stale(view: ReportReminder | ReportEscalation | TaskNotice, today: date) -> bool:
    """A reminder of a deadline that has passed by the time it would go out says something no longer true."""
    match view:
        case ReportReminder(late=False, due=due):
            return today > due
        case TaskNotice(stage="before", task=task):
            return today > task.due
    return False


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, date) else value
