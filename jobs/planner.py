"""What is due at an instant, derived from a snapshot: report and task reminders, escalations, the digest.

Pure: the same snapshot and instant give the same plan. Nothing is remembered between runs; each pass
finds, for each report period and task, the latest reminder moment that has come, under a unique
outbox key, so a second pass, a restart or a second process plans nothing new. A moment older than
the catch-up cut-off is planned as `expired`: recorded, never sent late.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import TypeVar

from bot.core.calendar import TASK_OFFSETS, current_stage, is_escalation_day, last_weekly, report_reminder_days
from bot.core.texts import render_notice
from bot.core.views import Digest, PendingReport, ReportEscalation, ReportReminder, TaskNotice, TaskRow
from jobs.snapshot import DIGEST_WEEKDAY, ReminderSettings, Snapshot
from storage import outbox
from storage.chats import Recipient
from storage.models import OutboxKind, OutboxStatus
from storage.tasks import OpenTask

LOOKBACK_DAYS = 21
MAX_LISTED = 10
T = TypeVar("T")


@dataclass(frozen=True)
class Planned:
    """One message due now, for some chats, and whether it is still worth sending."""

    key: outbox.OutboxKey
    recipients: tuple[Recipient, ...]
    text: str
    due_at: datetime
    status: OutboxStatus


def latest_moment(
    now_local: datetime, at: dt_time, stage_of: Callable[[date], T | None], not_before: datetime | None = None
) -> tuple[T, datetime] | None:
    """The most recent day (at wall time `at`, not after now) on which `stage_of` gives a stage."""
    day = now_local.date()
    for _ in range(LOOKBACK_DAYS):
        moment = datetime.combine(day, at, tzinfo=now_local.tzinfo)
        if moment <= now_local and (stage := stage_of(day)) is not None:
            if not_before is not None and moment < not_before:
                return None  # it came before the item existed
            return stage, moment
        day -= timedelta(days=1)
    return None


def _unique(recipients: Iterable[Recipient]) -> tuple[Recipient, ...]:
    seen: dict[tuple[str, str], Recipient] = {}
    for recipient in recipients:
        seen.setdefault((recipient.channel, recipient.chat_id), recipient)
    return tuple(seen.values())


def _task_row(task: OpenTask) -> TaskRow:
    return TaskRow(task.id, task.department, task.department_name, task.title, task.due_on, task.progress)


class ReminderPlanner:
    """Plans, for one snapshot, every reminder that has fallen due."""

    def __init__(self, snapshot: Snapshot, settings: ReminderSettings) -> None:
        self.snapshot = snapshot
        self.settings = settings
        self.now = snapshot.now
        self.now_local = snapshot.now.astimezone(settings.tz)
        self.today = self.now_local.date()
        self.cal = settings.calendar
        self.planned: list[Planned] = []

    def plan(self) -> list[Planned]:
        """Everything due at this instant."""
        for report in self.settings.reports:
            self._plan_report(report)
        for task in self.snapshot.tasks:
            self._plan_task(task)
        self._plan_digest()
        return self.planned

    def _add(self, key: outbox.OutboxKey, recipients: Iterable[Recipient], text: str, moment: datetime) -> None:
        recipients = tuple(recipients)
        if recipients:
            stale = self.now - moment > self.settings.catch_up
            status = OutboxStatus.EXPIRED if stale else OutboxStatus.PENDING
            self.planned.append(Planned(key, recipients, text, moment, status))

    def _recipients(self, code: str) -> tuple[Recipient, ...]:
        return self.snapshot.recipients.get(code, ())

    def _escalation_recipients(self) -> tuple[Recipient, ...]:
        extra = self._recipients(self.settings.escalate_to) if self.settings.escalate_to else ()
        return _unique([*self.snapshot.leaders, *extra])

    def _outstanding(self, report, day: date, last_year: int):
        """(year, due, codes not submitted) for each tracked period whose reminders began by `day`."""
        start = self.snapshot.start
        for year in range(start.year, last_year + 1):
            due = report.due(year)
            if due < start or report_reminder_days(due, self.cal)[0] > day:
                continue
            late = [
                code
                for code in report.owing(self.settings.codes)
                if code in self.snapshot.names and (report.code, year, code) not in self.snapshot.submitted
            ]
            if late:
                yield year, due, late

    def _plan_report(self, report) -> None:
        names = self.snapshot.names
        for year, due, late in self._outstanding(report, self.today, self.today.year + 1):
            found = latest_moment(self.now_local, self.settings.at, lambda d, due=due: current_stage(d, due, self.cal))
            if found:
                stage, moment = found
                for code in late:
                    view = ReportReminder(names[code], report.name, report.code, year, due, stage.kind == "late")
                    key = outbox.OutboxKey(
                        OutboxKind.REPORT, outbox.report_subject(report.code, year, code), stage.kind, stage.day
                    )
                    self._add(key, self._recipients(code), render_notice(view, stage.day), moment)
            escalation = latest_moment(
                self.now_local, self.settings.at, lambda d, due=due: d if is_escalation_day(d, due, self.cal) else None
            )
            if escalation:
                day, moment = escalation
                view = ReportEscalation(report.name, report.code, year, due, tuple(names[c] for c in late))
                key = outbox.OutboxKey(
                    OutboxKind.REPORT_ESCALATION, outbox.report_period_subject(report.code, year), "escalation", day
                )
                self._add(key, self._escalation_recipients(), render_notice(view, day), moment)

    def _plan_task(self, task: OpenTask) -> None:
        recipients = self._recipients(task.department)
        row = _task_row(task)
        subject = outbox.task_subject(task.id)
        found = latest_moment(
            self.now_local,
            self.settings.at,
            lambda d: current_stage(d, task.due_on, self.cal, TASK_OFFSETS),
            not_before=task.created_at,
        )
        if found:
            stage, moment = found
            text = render_notice(TaskNotice(stage.kind, row), stage.day)
            self._add(outbox.OutboxKey(OutboxKind.TASK, subject, stage.kind, stage.day), recipients, text, moment)
        if task.due_on < self.today:
            escalation = latest_moment(
                self.now_local,
                self.settings.at,
                lambda d: d if is_escalation_day(d, task.due_on, self.cal) else None,
                not_before=task.created_at,
            )
            if escalation:
                day, moment = escalation
                key = outbox.OutboxKey(OutboxKind.TASK_ESCALATION, subject, "escalation", day)
                self._add(key, self.snapshot.leaders, render_notice(TaskNotice("escalation", row), day), moment)
        monday = last_weekly(self.now_local, 0, self.settings.at)
        quiet_since = task.last_progress_at or task.created_at
        if monday >= task.created_at and quiet_since <= monday - timedelta(days=7):
            key = outbox.OutboxKey(OutboxKind.TASK_NUDGE, subject, "weekly", monday.date())
            self._add(key, recipients, render_notice(TaskNotice("nudge", row), monday.date()), monday)

    def _plan_digest(self) -> None:
        if self.snapshot.digest is None or not self.snapshot.leaders:
            return  # built once: the figures are those of the moment it first went out
        monday = last_weekly(self.now_local, DIGEST_WEEKDAY, self.settings.digest_at)
        day = monday.date()
        overdue = [_task_row(t) for t in self.snapshot.tasks if t.due_on < day]
        pending = [
            PendingReport(report.name, year, due, len(late))
            for report in self.settings.reports
            for year, due, late in self._outstanding(report, day, day.year)
        ]
        view = Digest(day, self.snapshot.digest, tuple(overdue[:MAX_LISTED]), len(overdue), tuple(pending))
        key = self.settings.digest_key(self.now)
        self._add(key, self.snapshot.leaders, render_notice(view, day), monday)


def plan(snapshot: Snapshot, settings: ReminderSettings) -> list[Planned]:
    """Every message due at the snapshot's instant."""
    return ReminderPlanner(snapshot, settings).plan()
