"""The commune as a value: everything a use case, a job or a file needs to know about one commune, handed down
from the edge (the account, the chat, the sweep's loop) instead of read from the process's configuration."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from zoneinfo import ZoneInfo

from bot.core.calendar import CALENDAR, WorkCalendar
from bot.core.reports import ReportKind, plan_start, reminders_start
from bot.core.targets import Plan


@dataclass(frozen=True)
class Department:
    """A department of a commune: the short code typed in commands and its full name."""

    code: str
    name: str


@dataclass(frozen=True)
class ReminderTimes:
    """When a commune's reminders and its leaders' Monday digest go out, and from which day reminders start."""

    at: time = time(8, 0)
    digest_at: time = time(7, 30)
    start: date | None = None  # periods due before this day are not chased (they are tracked all the same)


@dataclass(frozen=True)
class ReportDocument:
    """What the drafted 6-month and annual report names (Nghị định 30/2020/NĐ-CP), as configured."""

    issuer: tuple[str, ...]
    body: str
    place: str
    plan_number: str
    plan_date: date
    plan_title: str
    addressees: tuple[str, ...]
    signer_name: str
    recipients: tuple[str, ...]
    superior: str = ""
    number: str = "Số:        /BC-UBND"
    authority: str = "TM. ỦY BAN NHÂN DÂN"
    signer_title: str = "CHỦ TỊCH"
    list_late: bool = False  # name the departments that reported late (an internal matter, off by default)


@dataclass(frozen=True)
class Commune:
    """One commune (or ward) of the deployment, as stored (`id`) and as configured (the rest)."""

    id: int
    code: str
    name: str
    tz: ZoneInfo
    departments: tuple[Department, ...]
    consolidating: str | None = None  # the department that guides, chases and consolidates the plan (Phòng VH-XH)
    plan: Plan = field(default_factory=Plan)
    reports: tuple[ReportKind, ...] = ()
    reminders: ReminderTimes = ReminderTimes()
    document: ReportDocument | None = None
    calendar: WorkCalendar = CALENDAR
    plan_start: date | None = None  # the plan's first day, if configured; see `tracked_from`
    data_from: date | None = None  # the records are complete from this day (set after importing history)
    feedback_days: int = 10  # working days a department has to answer a piece of feedback (§II.6)

    @property
    def codes(self) -> tuple[str, ...]:
        """Every department's code, in the configured order."""
        return tuple(d.code for d in self.departments)

    def department_name(self, code: str) -> str:
        """A department's full name (its code if it is no longer configured)."""
        return next((d.name for d in self.departments if d.code == code), code)

    def report(self, code: str) -> ReportKind | None:
        """The report kind with this code, if configured."""
        return next((r for r in self.reports if r.code == code), None)

    @property
    def report_codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reports)

    def tracked_from(self, started_on: date) -> date:
        """The plan's first day: every report period due from then on is tracked, however late the bot came."""
        return plan_start(self.plan_start, tuple(self.plan.baselines), started_on)

    def reminders_from(self, started_on: date) -> date:
        """The first due day the reminders chase (`started_on`: the day the bot began keeping the commune)."""
        return reminders_start(self.reminders.start, started_on, self.tracked_from(started_on))


class Communes:
    """Every commune of the deployment, by id and by code, in the configured order."""

    def __init__(self, communes: Iterable[Commune]) -> None:
        self._all = tuple(communes)
        self._by_id = {c.id: c for c in self._all}
        self._by_code = {c.code: c for c in self._all}

    def __iter__(self) -> Iterator[Commune]:
        return iter(self._all)

    def __len__(self) -> int:
        return len(self._all)

    def get(self, commune_id: int | None) -> Commune | None:
        """The commune with this id, if any."""
        return self._by_id.get(commune_id) if commune_id is not None else None

    def by_code(self, code: str) -> Commune | None:
        """The commune with this code, if any."""
        return self._by_code.get(code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self._all)

    @property
    def only(self) -> Commune | None:
        """The one commune of a single-commune deployment (None when there are several)."""
        return self._all[0] if len(self._all) == 1 else None
