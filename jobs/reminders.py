"""What is due now, derived from the database: report and task reminders, escalations, the weekly digest.

Nothing here remembers anything between runs. Each pass looks at deadlines, submissions and tasks,
finds the latest reminder moment that has come for each, and writes it to the outbox under its
unique key; a second pass, a restart or a second process writes nothing new. A moment older than
the catch-up cut-off is recorded as `expired` instead of being sent late.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import ReportConfig
from bot.core.calendar import TASK_OFFSETS, current_stage, is_escalation_day, last_weekly, report_reminder_days
from bot.core.texts import format_date, format_left, format_weekday, text
from bot.service import Service
from storage import queries as q
from storage.models import Department, Task

LOOKBACK_DAYS = 21
MAX_LISTED = 10
T = TypeVar("T")


@dataclass(frozen=True)
class Planned:
    """One message due now, for some chats, and whether it is still worth sending."""

    key: q.OutboxKey
    recipients: list[q.Recipient]
    text: str
    due_at: datetime
    status: str


@dataclass(frozen=True)
class SweepResult:
    """What a pass wrote to the outbox."""

    queued: int
    expired: int


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


def _unique(recipients: Iterable[q.Recipient]) -> list[q.Recipient]:
    seen: dict[tuple[str, str], q.Recipient] = {}
    for recipient in recipients:
        seen.setdefault((recipient.channel, recipient.chat_id), recipient)
    return list(seen.values())


class ReminderPlanner:
    """Derives, for one instant, every reminder that has fallen due."""

    def __init__(self, service: Service, session: AsyncSession, now: datetime) -> None:
        self.service = service
        self.config = service.config
        self.session = session
        self.now = now
        self.now_local = now.astimezone(service.tz)
        self.today = self.now_local.date()
        self.cal = service.calendar
        self.at = self.config.reminders.time
        self.cutoff = timedelta(hours=self.config.reminders.catch_up_hours)
        self.planned: list[Planned] = []
        self._recipients: dict[tuple[int, ...], list[q.Recipient]] = {}

    def _plan(self, key: q.OutboxKey, recipients: list[q.Recipient], message: str, moment: datetime) -> None:
        status = "expired" if self.now - moment > self.cutoff else "pending"
        if recipients:
            self.planned.append(Planned(key, recipients, message, moment, status))

    async def plan(self) -> list[Planned]:
        """Everything due at this instant."""
        self.departments = {d.code: d for d in await q.list_departments(self.session)}
        self.leaders = await q.list_role_recipients(self.session, "leader")
        for report in self.config.reports:
            await self._plan_report(report)
        for task in await q.list_open_tasks(self.session):
            await self._plan_task(task)
        await self._plan_digest()
        return self.planned

    async def _department_recipients(self, departments: Iterable[Department]) -> list[q.Recipient]:
        ids = tuple(sorted(d.id for d in departments))
        if ids not in self._recipients:  # one query a department per pass, not one per task
            self._recipients[ids] = await q.list_department_recipients(self.session, ids)
        return self._recipients[ids]

    async def _escalation_recipients(self) -> list[q.Recipient]:
        extra = []
        if (code := self.config.reminders.escalate_to) and code in self.departments:
            extra = await self._department_recipients([self.departments[code]])
        return _unique([*self.leaders, *extra])

    async def _outstanding(self, report: ReportConfig, day: date, last_year: int):
        """(year, due, departments that have not submitted) for each tracked period whose reminders began by `day`."""
        start = await self.service.tracking_start(self.session)
        for year in range(start.year, last_year + 1):
            due = self.service.report_due(report, year)
            if due < start or report_reminder_days(due, self.cal)[0] > day:
                continue
            submitted = {e.department_id for e in await q.list_submissions(self.session, report.code, year)}
            late = [
                self.departments[code]
                for code in self.service.required_departments(report)
                if code in self.departments and self.departments[code].id not in submitted
            ]
            if late:
                yield year, due, late

    async def _plan_report(self, report: ReportConfig) -> None:
        async for year, due, late in self._outstanding(report, self.today, self.today.year + 1):
            values = {
                "report": report.name,
                "year": year,
                "code": report.code,
                "weekday": format_weekday(due),
                "due": format_date(due),
            }
            found = latest_moment(self.now_local, self.at, lambda d, due=due: current_stage(d, due, self.cal))
            if found:
                stage, moment = found
                key_text = "remind.report_before" if stage.kind == "before" else "remind.report_late"
                for department in late:
                    message = text(key_text, department=department.name, left=format_left(stage.days_left), **values)
                    key = q.OutboxKey("report", f"{report.code}:{year}:{department.code}", stage.kind, stage.day)
                    self._plan(key, await self._department_recipients([department]), message, moment)
            escalation = latest_moment(
                self.now_local, self.at, lambda d, due=due: d if is_escalation_day(d, due, self.cal) else None
            )
            if escalation:
                day, moment = escalation
                names = [f"• {d.name}" for d in late[:MAX_LISTED]]
                message = text(
                    "remind.report_escalation",
                    left=format_left((due - day).days),
                    count=len(late),
                    departments="\n".join(names),
                    **values,
                )
                key = q.OutboxKey("report_escalation", f"{report.code}:{year}", "escalation", day)
                self._plan(key, await self._escalation_recipients(), message, moment)

    async def _plan_task(self, task: Task) -> None:
        recipients = await self._department_recipients([task.department])
        found = latest_moment(
            self.now_local,
            self.at,
            lambda d: current_stage(d, task.due_on, self.cal, TASK_OFFSETS),
            not_before=task.created_at,
        )
        if found:
            stage, moment = found
            key_text = "remind.task_before" if stage.kind == "before" else "remind.task_late"
            message = self.service.task_text(key_text, task, task.department.name, stage.day)
            self._plan(q.OutboxKey("task", str(task.id), stage.kind, stage.day), recipients, message, moment)
        if task.due_on < self.today:
            escalation = latest_moment(
                self.now_local,
                self.at,
                lambda d: d if is_escalation_day(d, task.due_on, self.cal) else None,
                not_before=task.created_at,
            )
            if escalation:
                day, moment = escalation
                message = self.service.task_text("remind.task_escalation", task, task.department.name, day)
                self._plan(
                    q.OutboxKey("task_escalation", str(task.id), "escalation", day), self.leaders, message, moment
                )
        monday = last_weekly(self.now_local, 0, self.at)
        quiet_since = task.last_progress_at or task.created_at
        if monday >= task.created_at and quiet_since <= monday - timedelta(days=7):
            message = self.service.task_text("remind.task_nudge", task, task.department.name, monday.date())
            self._plan(q.OutboxKey("task_nudge", str(task.id), "weekly", monday.date()), recipients, message, monday)

    async def _plan_digest(self) -> None:
        monday = last_weekly(self.now_local, 0, self.config.reminders.digest_time)
        key = q.OutboxKey("digest", "leaders", "weekly", monday.date())
        if not self.leaders or await q.outbox_has(self.session, key):
            return  # built once: the figures are those of the moment it first went out
        day = monday.date()
        lines = [
            text("remind.digest_header", weekday=format_weekday(day), day=format_date(day)),
            await self.service.target_report(self.session, day.year, None, day),
        ]
        overdue = [t for t in await q.list_open_tasks(self.session) if t.due_on < day]
        if overdue:
            lines.append(text("remind.digest_tasks", count=len(overdue)))
            lines += [self.service.task_line(t, day) for t in overdue[:MAX_LISTED]]
        pending = await self._pending_reports(day)
        if pending:
            lines.append(text("remind.digest_reports"))
            lines += pending
        if not overdue and not pending:
            lines.append(text("remind.digest_nothing"))
        self._plan(key, self.leaders, "\n".join(lines), monday)

    async def _pending_reports(self, day: date) -> list[str]:
        lines = []
        for report in self.config.reports:
            async for year, due, late in self._outstanding(report, day, day.year):
                left = format_left((due - day).days)
                lines.append(
                    text("remind.digest_report_line", report=report.name, year=year, count=len(late), left=left)
                )
        return lines


async def sweep(service: Service, now: datetime, *, dry_run: bool = False) -> tuple[SweepResult, list[Planned]]:
    """Derive what is due at `now` and write it to the outbox (or, dry, only list what is new)."""
    async with service.db.unit_of_work() as session:
        planned = await ReminderPlanner(service, session, now).plan()
        queued = expired = 0
        new: list[Planned] = []
        for item in planned:
            if dry_run:
                if not await q.outbox_has(session, item.key):
                    new.append(item)
                continue
            written = await q.enqueue(
                session, item.key, item.recipients, item.text, due_at=item.due_at, now=now, status=item.status
            )
            if written:
                new.append(item)
            if item.status == "expired":
                expired += written
            else:
                queued += written
        if not dry_run:
            await session.commit()
    return SweepResult(queued, expired), new
