"""Working days, Vietnamese holidays and reminder stages (bot.core.calendar)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import holidays
import pytest

from bot.core.calendar import (
    REPORT_OFFSETS,
    TASK_OFFSETS,
    ReminderStage,
    WorkCalendar,
    annual_due,
    current_stage,
    escalation_days,
    is_escalation_day,
    last_weekly,
    report_reminder_days,
)
from tests.conftest import ROOT

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_offsets():
    assert REPORT_OFFSETS == (14, 7, 3, 1, 0)
    assert TASK_OFFSETS == (3, 1, 0)


# What holidays 0.109 returns for Vietnam in 2026 (checked, not assumed).
@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),
        # Tết: Mon 16/2 (eve) to Fri 20/2.
        date(2026, 2, 16),
        date(2026, 2, 17),
        date(2026, 2, 18),
        date(2026, 2, 19),
        date(2026, 2, 20),
        # Hùng Kings falls on Sunday 26/4, observed Monday 27/4.
        date(2026, 4, 27),
        date(2026, 4, 30),
        date(2026, 5, 1),
        # National Day: Tue 1/9 and Wed 2/9, plus Mon 31/8 swapped with Saturday 22/8.
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2026, 9, 2),
        # Vietnam Cultural Day.
        date(2026, 11, 24),
    ],
)
def test_holidays_2026_are_not_working_days(cal, day):
    assert day.weekday() < 5
    assert cal.is_holiday(day)
    assert not cal.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 2, 13),  # Friday before Tết
        date(2026, 2, 23),  # Monday after Tết
        date(2026, 4, 29),
        date(2026, 8, 28),
        date(2026, 9, 3),
        date(2026, 11, 23),
        date(2026, 11, 30),
        date(2026, 8, 22),  # make-up Saturday for Monday 31/8
    ],
)
def test_working_days(cal, day):
    assert cal.is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 11, 28), date(2026, 11, 29), date(2026, 2, 14), date(2026, 2, 22)])
def test_weekends_are_not_working_days(cal, day):
    assert day.weekday() in (SAT, SUN)
    assert not cal.is_working_day(day)


def test_extra_non_working_days():
    extra = WorkCalendar([date(2026, 11, 27)])
    assert not extra.is_working_day(date(2026, 11, 27))
    assert extra.previous_working_day(date(2026, 11, 29)) == date(2026, 11, 26)
    assert WorkCalendar().is_working_day(date(2026, 11, 27))


@pytest.mark.parametrize(
    "day,expected",
    [
        (date(2026, 11, 27), date(2026, 11, 27)),
        (date(2026, 11, 29), date(2026, 11, 27)),
        (date(2026, 9, 2), date(2026, 8, 28)),
        (date(2026, 2, 22), date(2026, 2, 13)),
        (date(2026, 5, 3), date(2026, 4, 29)),
        (date(2026, 1, 1), date(2025, 12, 31)),
    ],
)
def test_previous_working_day(cal, day, expected):
    assert cal.previous_working_day(day) == expected


@pytest.mark.parametrize(
    "day,expected",
    [
        (date(2026, 11, 27), date(2026, 11, 27)),
        (date(2026, 11, 28), date(2026, 11, 30)),
        (date(2026, 2, 14), date(2026, 2, 23)),
        (date(2026, 8, 29), date(2026, 9, 3)),
    ],
)
def test_next_working_day(cal, day, expected):
    assert cal.next_working_day(day) == expected


def test_holidays_are_cached_per_year(cal):
    cal.is_working_day(date(2026, 3, 2))
    cal.is_working_day(date(2026, 7, 1))
    cal.is_working_day(date(2027, 7, 1))
    assert sorted(cal._years) == [2026, 2027]


def test_annual_report_2026(cal):
    days = report_reminder_days(date(2026, 11, 30), cal)
    assert days == [date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 27), date(2026, 11, 30)]
    assert [d.weekday() for d in days] == [MON, MON, FRI, MON]


def test_six_month_report_2026(cal):
    due = date(2026, 5, 31)
    assert due.weekday() == SUN
    days = report_reminder_days(due, cal)
    assert days == [date(2026, 5, 15), date(2026, 5, 22), date(2026, 5, 28), date(2026, 5, 29)]
    assert [d.weekday() for d in days] == [FRI, FRI, THU, FRI]


@pytest.mark.parametrize(
    "due,offsets,expected",
    [
        # 1 day before is Sunday 29/11: merges into Friday 27/11 with the 3-day stage.
        (date(2026, 11, 30), (3, 1), [date(2026, 11, 27)]),
        # 30/4 and 1/5 are holidays, 27/4 is the observed Hùng Kings day.
        (
            date(2026, 5, 4),
            REPORT_OFFSETS,
            [date(2026, 4, 20), date(2026, 4, 24), date(2026, 4, 29), date(2026, 5, 4)],
        ),
        # National Day 2/9: 31/8, 1/9 and 2/9 are all off, so everything lands on Friday 28/8.
        (date(2026, 9, 2), TASK_OFFSETS, [date(2026, 8, 28)]),
        (date(2026, 9, 2), REPORT_OFFSETS, [date(2026, 8, 19), date(2026, 8, 26), date(2026, 8, 28)]),
        # Tết 2026 (16/2–20/2): the 7-, 3- and 1-day stages all land on Friday 13/2.
        (date(2026, 2, 23), REPORT_OFFSETS, [date(2026, 2, 9), date(2026, 2, 13), date(2026, 2, 23)]),
        # The make-up Saturday 22/8/2026 is a working day.
        (date(2026, 8, 24), TASK_OFFSETS, [date(2026, 8, 21), date(2026, 8, 22), date(2026, 8, 24)]),
        # Offsets in any order, duplicates merge.
        (date(2026, 11, 30), (0, 14, 0, 7), [date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30)]),
    ],
)
def test_reminder_days(cal, due, offsets, expected):
    assert report_reminder_days(due, cal, offsets) == expected
    assert all(cal.is_working_day(d) for d in expected)


def test_negative_offsets_are_rejected(cal):
    with pytest.raises(ValueError):
        report_reminder_days(date(2026, 11, 30), cal, (3, -1))


@pytest.mark.parametrize(
    "today,expected",
    [
        (date(2026, 11, 13), None),
        (date(2026, 11, 16), ReminderStage("before", date(2026, 11, 16), 14)),
        (date(2026, 11, 17), None),
        (date(2026, 11, 23), ReminderStage("before", date(2026, 11, 23), 7)),
        (date(2026, 11, 26), None),
        (date(2026, 11, 27), ReminderStage("before", date(2026, 11, 27), 3)),
        (date(2026, 11, 28), None),
        (date(2026, 11, 29), None),
        (date(2026, 11, 30), ReminderStage("before", date(2026, 11, 30), 0)),
        (date(2026, 12, 1), ReminderStage("late", date(2026, 12, 1), -1)),
        (date(2026, 12, 4), ReminderStage("late", date(2026, 12, 4), -4)),
        (date(2026, 12, 5), None),
        (date(2026, 12, 6), None),
        (date(2026, 12, 7), ReminderStage("late", date(2026, 12, 7), -7)),
    ],
)
def test_current_stage_annual_report(cal, today, expected):
    assert current_stage(today, date(2026, 11, 30), cal) == expected


@pytest.mark.parametrize(
    "today,expected",
    [
        (date(2026, 5, 15), ReminderStage("before", date(2026, 5, 15), 16)),
        (date(2026, 5, 29), ReminderStage("before", date(2026, 5, 29), 2)),
        (date(2026, 5, 30), None),
        (date(2026, 5, 31), None),
        (date(2026, 6, 1), ReminderStage("late", date(2026, 6, 1), -1)),
    ],
)
def test_current_stage_due_on_a_sunday(cal, today, expected):
    assert current_stage(today, date(2026, 5, 31), cal) == expected


@pytest.mark.parametrize(
    "today,expected",
    [
        (date(2026, 11, 23), None),  # the 7-day stage is a report stage, not a task one
        (date(2026, 11, 25), None),
        (date(2026, 11, 27), ReminderStage("before", date(2026, 11, 27), 3)),
        (date(2026, 11, 30), ReminderStage("before", date(2026, 11, 30), 0)),
    ],
)
def test_current_stage_task_offsets(cal, today, expected):
    assert current_stage(today, date(2026, 11, 30), cal, TASK_OFFSETS) == expected


def test_late_is_not_sent_on_a_holiday(cal):
    # Due Friday 28/8/2026; Monday 31/8 to Wednesday 2/9 are off.
    assert current_stage(date(2026, 8, 31), date(2026, 8, 28), cal) is None
    assert current_stage(date(2026, 9, 2), date(2026, 8, 28), cal) is None
    assert current_stage(date(2026, 9, 3), date(2026, 8, 28), cal) == ReminderStage("late", date(2026, 9, 3), -6)


def test_reminder_stage_is_frozen():
    stage = ReminderStage("before", date(2026, 11, 30), 0)
    with pytest.raises(AttributeError):
        stage.kind = "late"  # type: ignore[misc]


def test_escalation_days_annual_report(cal):
    days = escalation_days(date(2026, 11, 30), cal, until=date(2026, 12, 31))
    assert days == [date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15), date(2026, 12, 22), date(2026, 12, 29)]
    assert all(d.weekday() == TUE for d in days)


@pytest.mark.parametrize(
    "due,until,expected",
    [
        (date(2026, 11, 30), date(2026, 11, 30), []),
        (date(2026, 11, 30), date(2026, 12, 1), [date(2026, 12, 1)]),
        (date(2026, 11, 30), date(2026, 12, 7), [date(2026, 12, 1)]),
        # Due Friday: first late working day is Monday.
        (date(2026, 11, 27), date(2026, 12, 7), [date(2026, 11, 30), date(2026, 12, 7)]),
        # Due Friday 28/8/2026: 31/8–2/9 are off, so Thursday 3/9, then 10/9, 17/9.
        (date(2026, 8, 28), date(2026, 9, 17), [date(2026, 9, 3), date(2026, 9, 10), date(2026, 9, 17)]),
        # A weekly step landing in Tết 2026 moves back to Friday 13/2.
        (date(2026, 2, 8), date(2026, 2, 25), [date(2026, 2, 9), date(2026, 2, 13), date(2026, 2, 23)]),
        # Tết 2027 is off Thu 4/2 to Wed 10/2: moving 10/2 back would repeat 3/2, so it moves forward to 11/2.
        (date(2027, 2, 2), date(2027, 2, 17), [date(2027, 2, 3), date(2027, 2, 11), date(2027, 2, 17)]),
    ],
)
def test_escalation_days(cal, due, until, expected):
    assert escalation_days(due, cal, until) == expected


@pytest.mark.parametrize(
    "today,expected",
    [
        (date(2026, 11, 30), False),
        (date(2026, 12, 1), True),
        (date(2026, 12, 2), False),
        (date(2026, 12, 8), True),
        (date(2026, 12, 15), True),
        (date(2026, 12, 19), False),
        (date(2026, 11, 16), False),
    ],
)
def test_is_escalation_day(cal, today, expected):
    assert is_escalation_day(today, date(2026, 11, 30), cal) is expected


@pytest.mark.parametrize(
    "now,expected",
    [
        (datetime(2026, 12, 2, 10, 0, tzinfo=HCM), datetime(2026, 11, 30, 7, 30, tzinfo=HCM)),
        (datetime(2026, 12, 7, 7, 0, tzinfo=HCM), datetime(2026, 11, 30, 7, 30, tzinfo=HCM)),
        (datetime(2026, 12, 7, 7, 30, tzinfo=HCM), datetime(2026, 12, 7, 7, 30, tzinfo=HCM)),
        (datetime(2026, 12, 7, 7, 30, 1, tzinfo=HCM), datetime(2026, 12, 7, 7, 30, tzinfo=HCM)),
        (datetime(2026, 12, 6, 23, 59, tzinfo=HCM), datetime(2026, 11, 30, 7, 30, tzinfo=HCM)),
    ],
)
def test_last_weekly_monday_morning(now, expected):
    result = last_weekly(now, MON, time(7, 30))
    assert result == expected
    assert result.tzinfo is HCM
    assert result.weekday() == MON


def test_last_weekly_other_weekday():
    now = datetime(2026, 12, 2, 10, 0, tzinfo=HCM)  # Wednesday
    assert last_weekly(now, FRI, time(16, 0)) == datetime(2026, 11, 27, 16, 0, tzinfo=HCM)
    assert last_weekly(now, WED, time(9, 0)) == datetime(2026, 12, 2, 9, 0, tzinfo=HCM)
    assert last_weekly(now, WED, time(11, 0)) == datetime(2026, 11, 25, 11, 0, tzinfo=HCM)


@pytest.mark.parametrize(
    "now,weekday",
    [(datetime(2026, 12, 2, 10, 0), MON), (datetime(2026, 12, 2, 10, 0, tzinfo=HCM), 7)],  # noqa: DTZ001
)
def test_last_weekly_rejects_bad_input(now, weekday):
    with pytest.raises(ValueError):
        last_weekly(now, weekday, time(7, 30))


@pytest.mark.parametrize(
    "year,month,day,expected",
    [
        (2026, 2, 29, date(2026, 2, 28)),
        (2028, 2, 29, date(2028, 2, 29)),
        (2100, 2, 29, date(2100, 2, 28)),
        (2000, 2, 29, date(2000, 2, 29)),
        (2026, 11, 30, date(2026, 11, 30)),
        (2026, 5, 31, date(2026, 5, 31)),
    ],
)
def test_annual_due(year, month, day, expected):
    assert annual_due(year, month, day) == expected


def test_annual_due_rejects_other_invalid_dates():
    with pytest.raises(ValueError):
        annual_due(2026, 4, 31)


@pytest.mark.parametrize("year", range(2024, 2031))
def test_the_vietnamese_calendar_loaded_alone_is_the_librarys_own(year):
    library = holidays.country_holidays("VN", years=year)
    days = WorkCalendar()._year(year)
    assert days == (frozenset(library.keys()), frozenset(d for d in library.weekend_workdays if d.year == year))


def test_a_working_day_is_told_without_loading_every_countrys_holidays():
    """`holidays.countries` imports all of its countries; the calendar loads Vietnam's module alone."""
    code = (
        "import sys; from datetime import date; from bot.core.calendar import WorkCalendar; "
        "print(WorkCalendar().is_working_day(date(2026, 9, 2)), 'holidays.countries' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]
