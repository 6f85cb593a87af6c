"""What the reminder planner reads: plain data, loaded in one read-only snapshot that blocks no writer."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.calendar import WorkCalendar, last_weekly
from bot.core.commune import Commune
from bot.core.periods import year_period
from bot.core.permissions import Role
from bot.core.reports import ReportKind
from bot.core.targets import TargetReport
from bot.figures import reminders_from, target_report, tracked_from
from storage import chats, departments, outbox, reports
from storage.chats import Recipient
from storage.models.messaging import OutboxKind

DIGEST_WEEKDAY = 0  # Monday


@dataclass(frozen=True)
class ReminderSettings:
    """One commune as the planner needs it, and how far back a missed reminder is still worth sending."""

    commune: Commune
    catch_up: timedelta

    @property
    def tz(self) -> ZoneInfo:
        return self.commune.tz

    @property
    def reports(self) -> tuple[ReportKind, ...]:
        return self.commune.reports

    @property
    def codes(self) -> tuple[str, ...]:
        return self.commune.codes

    @property
    def at(self) -> time:
        return self.commune.reminders.at

    @property
    def digest_at(self) -> time:
        return self.commune.reminders.digest_at

    @property
    def escalate_to(self) -> str | None:
        return self.commune.consolidating

    @property
    def calendar(self) -> WorkCalendar:
        return self.commune.calendar

    def digest_key(self, now: datetime) -> outbox.OutboxKey:
        """The key of the commune's leaders' digest for the week of `now`."""
        monday = last_weekly(now.astimezone(self.tz), DIGEST_WEEKDAY, self.digest_at)
        return outbox.OutboxKey(OutboxKind.DIGEST, outbox.digest_subject(self.commune.id), "weekly", monday.date())


@dataclass(frozen=True)
class World:
    """Everything a sweep plans from but the tasks, as of one instant: a few small queries."""

    now: datetime
    tracked_from: date  # the plan's first day: report periods due from then on are owed until submitted
    reminders_from: date  # report periods due before this day are not chased (the digest still lists them)
    names: dict[str, str]  # active departments: code -> name
    recipients: dict[str, tuple[Recipient, ...]]  # department code -> its focal people's chats and groups
    leaders: tuple[Recipient, ...]
    submitted: dict[tuple[str, int, str], date]  # (report, year, department) of live submissions: the day each came
    digest: TargetReport | None  # the commune's figures, when this week's digest is still to be written

    def fingerprint(self) -> tuple:
        """What, when it changes, changes every task's plan (its recipients)."""
        names, recipients = tuple(sorted(self.names.items())), tuple(sorted(self.recipients.items()))
        return (self.tracked_from, self.reminders_from, names, recipients, self.leaders)


async def load_world(session: AsyncSession, settings: ReminderSettings, now: datetime) -> World:
    """Read what the planner needs of one commune besides its tasks."""
    commune = settings.commune
    names = {d.code: d.name for d in await departments.list_departments(session, commune.id)}
    recipients: dict[str, list[Recipient]] = defaultdict(list)
    for recipient in await chats.list_department_recipients(session, commune.id, names):
        recipients[recipient.department].append(recipient)
    digest = None
    digest_key = settings.digest_key(now)
    if not await outbox.outbox_has(session, digest_key):
        day = digest_key.day
        digest = await target_report(session, commune, year_period(day.year), None, day)
    return World(
        now=now,
        tracked_from=await tracked_from(session, commune),
        reminders_from=await reminders_from(session, commune),
        names=names,
        recipients={code: tuple(r) for code, r in recipients.items()},
        leaders=tuple(await chats.list_role_recipients(session, commune.id, Role.LEADER)),
        submitted=await reports.list_all_submissions(session, commune.id),
        digest=digest,
    )
