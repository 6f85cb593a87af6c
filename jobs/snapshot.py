"""What the reminder planner reads: plain data, loaded in one read-only snapshot that blocks no writer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Config
from bot.core.calendar import CALENDAR, WorkCalendar, last_weekly
from bot.core.periods import year_period
from bot.core.permissions import Role
from bot.core.reports import ReportKind
from bot.core.targets import TargetReport
from bot.figures import counting_since, target_report
from storage import chats, departments, outbox, reports
from storage.chats import Recipient
from storage.models import OutboxKind

DIGEST_WEEKDAY = 0  # Monday


@dataclass(frozen=True)
class ReminderSettings:
    """The configuration as the planner needs it."""

    tz: ZoneInfo
    reports: tuple[ReportKind, ...]
    codes: tuple[str, ...]
    at: time
    digest_at: time
    catch_up: timedelta
    escalate_to: str | None
    config: Config
    calendar: WorkCalendar = CALENDAR

    @classmethod
    def of(cls, config: Config) -> ReminderSettings:
        reminders = config.reminders
        return cls(
            tz=config.commune.tz,
            reports=config.report_kinds,
            codes=config.department_codes,
            at=reminders.time,
            digest_at=reminders.digest_time,
            catch_up=timedelta(hours=reminders.catch_up_hours),
            escalate_to=config.consolidating_department,
            config=config,
        )

    def digest_key(self, now: datetime) -> outbox.OutboxKey:
        """The key of the leaders' digest for the week of `now`."""
        monday = last_weekly(now.astimezone(self.tz), DIGEST_WEEKDAY, self.digest_at)
        return outbox.OutboxKey(OutboxKind.DIGEST, "leaders", "weekly", monday.date())


@dataclass(frozen=True)
class World:
    """Everything a sweep plans from but the tasks, as of one instant: a few small queries."""

    now: datetime
    start: date  # report periods due before this day are not chased
    names: dict[str, str]  # active departments: code -> name
    recipients: dict[str, tuple[Recipient, ...]]  # department code -> its focal people's chats and groups
    leaders: tuple[Recipient, ...]
    submitted: frozenset[tuple[str, int, str]]  # (report, year, department) of live submissions
    digest: TargetReport | None  # the commune's figures, when this week's digest is still to be written

    def fingerprint(self) -> tuple:
        """What, when it changes, changes every task's plan (its recipients)."""
        return (self.start, tuple(sorted(self.names.items())), tuple(sorted(self.recipients.items())), self.leaders)


async def load_world(session: AsyncSession, config: ReminderSettings, now: datetime) -> World:
    """Read what the planner needs besides the tasks."""
    names = {d.code: d.name for d in await departments.list_departments(session)}
    recipients: dict[str, list[Recipient]] = defaultdict(list)
    for recipient in await chats.list_department_recipients(session, names):
        recipients[recipient.department].append(recipient)
    start = await counting_since(session, config.config, now.astimezone(config.tz).date())
    digest = None
    digest_key = config.digest_key(now)
    if not await outbox.outbox_has(session, digest_key):
        day = digest_key.day
        digest = await target_report(session, config.config, year_period(day.year), None, day)
    return World(
        now=now,
        start=start,
        names=names,
        recipients={code: tuple(r) for code, r in recipients.items()},
        leaders=tuple(await chats.list_role_recipients(session, Role.LEADER)),
        submitted=frozenset(await reports.list_all_submissions(session)),
        digest=digest,
    )
