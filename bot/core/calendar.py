"""Working days, Vietnamese public holidays and reminder stages, pure: every function is handed the date it needs."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from pathlib import Path

REPORT_OFFSETS: tuple[int, ...] = (14, 7, 3, 1, 0)
TASK_OFFSETS: tuple[int, ...] = (3, 1, 0)

_ONE_DAY = timedelta(days=1)
_WEEK = timedelta(days=7)


@cache
def _vietnamese_holidays() -> Callable[[int], object]:
    """The holidays library's Vietnamese calendar, imported when a year is first asked for. The library's own way
    (`holidays.country_holidays("VN")`) goes through its package `holidays.countries`, whose import loads all of its
    ~250 countries (7.6 MB the process would hold for its life); the Vietnamese module is loaded by itself, and the
    library's way stays the fallback should its layout change."""
    import holidays

    name = "holidays.countries.vietnam"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(holidays.__path__[0]) / "countries" / "vietnam.py")
        if spec is None or spec.loader is None:
            return lambda year: holidays.country_holidays("VN", years=year)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except (OSError, ImportError):
            del sys.modules[name]
            return lambda year: holidays.country_holidays("VN", years=year)
    vietnam = sys.modules[name].Vietnam
    return lambda year: vietnam(years=year)


class WorkCalendar:
    """Mon–Fri minus Vietnamese public holidays (with observed and substitute days) and any extra days off."""

    def __init__(self, extra_non_working: Iterable[date] = ()) -> None:
        self._extra_non_working = frozenset(extra_non_working)
        self._years: dict[int, tuple[frozenset[date], frozenset[date]]] = {}

    def _year(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """The year's (public holidays, weekend days worked in exchange), computed once."""
        if year not in self._years:
            vn = _vietnamese_holidays()(year)
            # Substitute days off are paid back on a Saturday, which the library lists as a workday.
            worked = frozenset(d for d in getattr(vn, "weekend_workdays", ()) if d.year == year)
            self._years[year] = (frozenset(vn.keys()), worked)
        return self._years[year]

    def is_holiday(self, day: date) -> bool:
        """Whether `day` is a Vietnamese public holiday or one of the extra days off."""
        return day in self._extra_non_working or day in self._year(day.year)[0]

    def is_working_day(self, day: date) -> bool:
        """Whether the office works on `day`: Mon–Fri (or a make-up Saturday) and not a holiday."""
        if self.is_holiday(day):
            return False
        return day.weekday() < 5 or day in self._year(day.year)[1]

    def previous_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the nearest earlier working day."""
        while not self.is_working_day(day):
            day -= _ONE_DAY
        return day

    def working_days_after(self, start: date, end: date) -> int:
        """How many working days fall after `start`, up to and including `end` (0 if end <= start)."""
        count, day = 0, start + _ONE_DAY
        while day <= end:
            count += self.is_working_day(day)
            day += _ONE_DAY
        return count

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the nearest later working day."""
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day


@dataclass(frozen=True)
class ReminderStage:
    """The reminder due on `day`: 'before' the deadline or 'late' after it; `days_left` is due - day."""

    kind: str
    day: date
    days_left: int


def _check_offsets(offsets: Sequence[int]) -> None:
    """Reject negative offsets: stages after the deadline are escalations, not reminders."""
    if any(offset < 0 for offset in offsets):
        raise ValueError(f"reminder offsets must be >= 0, got {tuple(offsets)}")


CALENDAR = WorkCalendar()  # the commune's working days: one instance for receipts, texts and reminders alike


def report_reminder_days(due: date, cal: WorkCalendar, offsets: Sequence[int] = REPORT_OFFSETS) -> list[date]:
    """The days reminders go out: due - offset, moved back to a working day, merged, ascending."""
    _check_offsets(offsets)
    return list(_reminder_days(due, cal, tuple(offsets)))


@lru_cache(maxsize=4096)
def _reminder_days(due: date, cal: WorkCalendar, offsets: tuple[int, ...]) -> tuple[date, ...]:
    """Cached: a sweep asks about the same deadlines for every day it looks back over."""
    return tuple(sorted({cal.previous_working_day(due - timedelta(days=offset)) for offset in offsets}))


def current_stage(
    now_local_day: date, due: date, cal: WorkCalendar, offsets: Sequence[int] = REPORT_OFFSETS
) -> ReminderStage | None:
    """The reminder to send on `now_local_day` for something due on `due`, or None (missed stages are not sent)."""
    days_left = (due - now_local_day).days
    if now_local_day in report_reminder_days(due, cal, offsets):
        return ReminderStage(kind="before", day=now_local_day, days_left=days_left)
    if now_local_day > due and cal.is_working_day(now_local_day):
        return ReminderStage(kind="late", day=now_local_day, days_left=days_left)
    return None


def escalation_days(due: date, cal: WorkCalendar, until: date) -> list[date]:
    """The first working day after `due`, then every 7 days (moved to a working day), up to and including `until`."""
    first = cal.next_working_day(due + _ONE_DAY)
    days: list[date] = []
    candidate = first
    while candidate <= until:
        day = cal.previous_working_day(candidate)
        if days and day <= days[-1]:
            # A week-long break (Tết) would push it back onto the previous escalation: go forward instead.
            day = cal.next_working_day(candidate)
        if day <= until and (not days or day > days[-1]):
            days.append(day)
        candidate += _WEEK
    return days


def is_escalation_day(today: date, due: date, cal: WorkCalendar) -> bool:
    """Whether an escalation about an item due on `due` and still open goes out on `today`."""
    return today > due and today in escalation_days(due, cal, today)


LATE_DAILY_DAYS = 7  # a late item is chased every working day for a week; then weekly, with its escalation


def chase_stage(
    now_local_day: date, due: date, cal: WorkCalendar, offsets: Sequence[int] = REPORT_OFFSETS
) -> ReminderStage | None:
    """`current_stage`, except that an item more than a week late, already escalated to the leaders, is chased
    only on its weekly escalation days: a report months late is not nagged every morning."""
    stage = current_stage(now_local_day, due, cal, offsets)
    if stage is None or stage.kind != "late" or (now_local_day - due).days <= LATE_DAILY_DAYS:
        return stage
    return stage if is_escalation_day(now_local_day, due, cal) else None


def last_weekly(now_local: datetime, weekday: int, at: time) -> datetime:
    """The latest moment <= `now_local` falling on `weekday` (0 = Monday) at wall time `at`, in now_local's zone."""
    if now_local.tzinfo is None:
        raise ValueError("last_weekly needs an aware datetime")
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0..6, got {weekday}")
    day = now_local.date() - timedelta(days=(now_local.weekday() - weekday) % 7)
    moment = datetime.combine(day, at.replace(tzinfo=None), tzinfo=now_local.tzinfo)
    if moment > now_local:
        moment = datetime.combine(day - _WEEK, at.replace(tzinfo=None), tzinfo=now_local.tzinfo)
    return moment


def _is_leap(year: int) -> bool:
    """Gregorian leap year."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def annual_due(year: int, month: int, day: int) -> date:
    """The yearly deadline `day/month` in `year`, with 29/2 read as 28/2 in non-leap years."""
    if month == 2 and day == 29 and not _is_leap(year):
        day = 28
    return date(year, month, day)
