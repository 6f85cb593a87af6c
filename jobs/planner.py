"""What is due at an instant, derived from plain data: report and task reminders, escalations, the digest.

Pure: the same data and instant give the same plan. For each report period and task, the latest
reminder moment that has come is planned under a unique outbox key, so a second pass, a restart or a
second process plans nothing new. A moment older than the catch-up cut-off is planned as `expired`:
recorded, never sent late. A notice is rendered only when it is written (`Planned.text`), and again
when it is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time
from typing import TypeVar

from bot.core.calendar import TASK_OFFSETS, chase_stage, is_escalation_day, last_weekly, report_reminder_days
from bot.core.features.tasks import TaskRow
from bot.core.notices import (
    Digest,
    LateSubmission,
    PendingReport,
    ProvinceDigest,
    ReportEscalation,
    ReportReminder,
    TaskNotice,
    render_notice,
    to_body,
)
from jobs.snapshot import DIGEST_WEEKDAY, ReminderSettings, World
from storage import outbox
from storage.chats import Recipient
from storage.models.messaging import OutboxKind, OutboxStatus
from storage.tasks import OpenTask

LOOKBACK_DAYS = 21
MAX_LISTED = 10
T = TypeVar("T")


@dataclass(frozen=True)
class Planned:
    """One message due now, for some chats, and whether it is still worth sending."""

    key: outbox.OutboxKey
    recipients: tuple[Recipient, ...]
    view: object  # a notice, or the digest
    due_at: datetime
    status: OutboxStatus

    @property
    def text(self) -> str:
        """The message as it reads on its day."""
        return render_notice(self.view, self.due_at.date())

    @property
    def body(self) -> dict | None:
        """The notice, kept to be rendered again when sent (the digest is what it was when first written)."""
        return None if isinstance(self.view, Digest | ProvinceDigest) else to_body(self.view)


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
    return TaskRow(task.number, task.department, task.department_name, task.title, task.due_on, task.progress)


class Planner:
    """Plans, for one instant and one world, the reminders of reports, of tasks, and the digest."""

    def __init__(self, world: World, settings: ReminderSettings) -> None:
        self.world = world
        self.settings = settings
        self.now = world.now
        self.now_local = world.now.astimezone(settings.tz)
        self.today = self.now_local.date()
        self.cal = settings.calendar
        self.monday = last_weekly(self.now_local, 0, settings.at)  # this week's nudges
        # A task's reminder moment depends only on its due day (and not before it existed): found once a due day,
        # so 40,000 tasks cost a few hundred calendar walks, not 40,000.
        # With each moment its status, and the instant in UTC, the zone the tasks' times are read in: comparing
        # aware datetimes of one zone skips two offset lookups (40,000 tasks, several comparisons each).
        self._moments: dict[tuple[str, date], tuple | None] = {}
        self._status: dict[tuple[str, date], OutboxStatus] = {}
        self._utc: dict[tuple[str, date], datetime] = {}
        self._monday_utc = self.monday.astimezone(UTC)
        self._quiet_before = self._monday_utc - timedelta(days=7)

    def _task_moment(
        self, what: str, task: OpenTask, stage_of: Callable[[date], T | None]
    ) -> tuple[T, datetime] | None:
        """The latest moment `stage_of` gives for tasks due when `task` is, unless it came before the task."""
        key = (what, task.due_on)
        if key not in self._moments:
            found = self._moments[key] = latest_moment(self.now_local, self.settings.at, stage_of)
            if found is not None:
                self._status[key], self._utc[key] = self._status_of(found[1]), found[1].astimezone(UTC)
        found = self._moments[key]
        return None if found is None or self._utc[key] < task.created_at else found

    def _status_of(self, moment: datetime) -> OutboxStatus:
        """Expired when the moment is older than the catch-up cut-off: recorded, never sent late."""
        return OutboxStatus.EXPIRED if self.now - moment > self.settings.catch_up else OutboxStatus.PENDING

    def _planned(
        self,
        key: outbox.OutboxKey,
        recipients: Iterable[Recipient],
        view,
        moment: datetime,
        status: OutboxStatus | None = None,
    ) -> list:
        recipients = tuple(recipients)
        if not recipients:
            return []
        return [Planned(key, recipients, view, moment, status or self._status_of(moment))]

    def _recipients(self, code: str) -> tuple[Recipient, ...]:
        return self.world.recipients.get(code, ())

    def _escalation_recipients(self) -> tuple[Recipient, ...]:
        extra = self._recipients(self.settings.escalate_to) if self.settings.escalate_to else ()
        return _unique([*self.world.leaders, *extra])

    def _outstanding(self, report, day: date, last_year: int, *, chased: bool = True):
        """(year, due, codes not submitted) for each tracked period whose reminders began by `day`: every period
        due from the plan's first day, or (`chased`) only those due from the reminders' first day."""
        first = self.world.reminders_from if chased else self.world.tracked_from
        for year in range(self.world.tracked_from.year, last_year + 1):
            due = report.due(year)
            if due < first or report_reminder_days(due, self.cal)[0] > day:
                continue
            late = [
                code
                for code in report.owing(self.settings.codes)
                if code in self.world.names and (report.code, year, code) not in self.world.submitted
            ]
            if late:
                yield year, due, late

    def _late_submissions(self, since: date, day: date) -> tuple[LateSubmission, ...]:
        """Submissions that came after their due day, in the week before `day`."""
        kinds, names = {r.code: r for r in self.settings.reports}, self.world.names
        found = []
        for (code, year, department), submitted in sorted(self.world.submitted.items(), key=lambda i: i[1]):
            kind = kinds.get(code)
            if kind is None or department not in names or not since < submitted <= day:
                continue
            if (days := (submitted - kind.due(year)).days) > 0:
                found.append(LateSubmission(names[department], kind.name, year, days))
        return tuple(found)

    def reports(self) -> list[Planned]:
        """Every report period's reminders and escalations due now."""
        planned, names = [], self.world.names
        for report in self.settings.reports:
            for year, due, late in self._outstanding(report, self.today, self.today.year + 1):
                found = latest_moment(
                    self.now_local, self.settings.at, lambda d, due=due: chase_stage(d, due, self.cal)
                )
                if found:
                    stage, moment = found
                    for code in late:
                        view = ReportReminder(names[code], report.name, report.code, year, due, stage.kind == "late")
                        subject = outbox.report_subject(self.settings.commune.id, report.code, year, code)
                        key = outbox.OutboxKey(OutboxKind.REPORT, subject, stage.kind, stage.day)
                        planned += self._planned(key, self._recipients(code), view, moment)
                escalation = latest_moment(
                    self.now_local,
                    self.settings.at,
                    lambda d, due=due: d if is_escalation_day(d, due, self.cal) else None,
                )
                if escalation:
                    day, moment = escalation
                    view = ReportEscalation(report.name, report.code, year, due, tuple(names[c] for c in late))
                    subject = outbox.report_period_subject(self.settings.commune.id, report.code, year)
                    key = outbox.OutboxKey(OutboxKind.REPORT_ESCALATION, subject, "escalation", day)
                    planned += self._planned(key, self._escalation_recipients(), view, moment)
        return planned

    def task(self, task: OpenTask) -> list[Planned]:
        """One open task's reminder, escalation and Monday nudge due now."""
        planned, recipients, row = [], self._recipients(task.department), _task_row(task)
        subject = outbox.task_subject(task.id)
        stage_of = lambda d: chase_stage(d, task.due_on, self.cal, TASK_OFFSETS)  # noqa: E731
        if found := self._task_moment("chase", task, stage_of):
            stage, moment = found
            key = outbox.OutboxKey(OutboxKind.TASK, subject, stage.kind, stage.day)
            status = self._status[("chase", task.due_on)]
            planned += self._planned(key, recipients, TaskNotice(stage.kind, row), moment, status)
        if task.due_on < self.today:
            escalation = self._task_moment(
                "escalation", task, lambda d: d if is_escalation_day(d, task.due_on, self.cal) else None
            )
            if escalation:
                day, moment = escalation
                key = outbox.OutboxKey(OutboxKind.TASK_ESCALATION, subject, "escalation", day)
                status = self._status[("escalation", task.due_on)]
                planned += self._planned(key, self.world.leaders, TaskNotice("escalation", row), moment, status)
        monday = self.monday
        quiet_since = task.last_progress_at or task.created_at
        if self._monday_utc >= task.created_at and quiet_since <= self._quiet_before:
            key = outbox.OutboxKey(OutboxKind.TASK_NUDGE, subject, "weekly", monday.date())
            planned += self._planned(key, recipients, TaskNotice("nudge", row), monday)
        return planned

    def digest(self, tasks: Iterable[OpenTask]) -> list[Planned]:
        """The leaders' Monday digest, if this week's is still to be written."""
        if self.world.digest is None or not self.world.leaders:
            return []  # built once: the figures are those of the moment it first went out
        monday = last_weekly(self.now_local, DIGEST_WEEKDAY, self.settings.digest_at)
        day = monday.date()
        overdue = sorted((t for t in tasks if t.due_on < day), key=lambda t: (t.due_on, t.id))
        pending = [
            PendingReport(report.name, year, due, len(late))
            for report in self.settings.reports
            for year, due, late in self._outstanding(report, day, day.year, chased=False)
        ]
        rows = tuple(_task_row(t) for t in overdue[:MAX_LISTED])
        late = self._late_submissions(day - timedelta(days=7), day)
        view = Digest(day, self.world.digest, rows, len(overdue), tuple(pending), late)
        return self._planned(self.settings.digest_key(self.now), self.world.leaders, view, monday)

    def tasks(self, tasks: Iterable[OpenTask]) -> list[Planned]:
        """The reminders of many tasks."""
        return [item for task in tasks for item in self.task(task)]
