"""The clock watch: the dates of received messages tell when the server's clock is off, and reminders wait for it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.app import App
from bot.core.permissions import Role
from bot.core.texts import text
from bot.inbox import SKEW, ClockWatch
from bot.ports import Delivery
from storage import inbox
from storage import outbox as stored
from storage.models.messaging import OutboxKind
from tests.support.clock import MutableClock, instant
from tests.support.db import inspecting
from tests.support.transport import FakeChannel
from tests.support.users import register

TWO_YEARS = timedelta(days=731)  # 27/11/2026 to 27/11/2028, with 29/02/2028 between


class Admins:
    """Stands in for telling the admins: records each skew it is told about."""

    def __init__(self) -> None:
        self.told: list[timedelta] = []

    async def __call__(self, skew: timedelta) -> None:
        self.told.append(skew)


@pytest.fixture
def admins() -> Admins:
    return Admins()


@pytest.fixture
def watch(clock: MutableClock, admins: Admins) -> ClockWatch:
    return ClockWatch(clock, admins)


# --- the watch alone --------------------------------------------------------------------


async def test_a_clock_that_agrees_is_trusted(watch, clock, admins):
    assert watch.trusted
    await watch.observe([clock.now - timedelta(seconds=3)], clock.now - timedelta(seconds=10))
    assert watch.trusted and admins.told == []


async def test_a_message_from_two_years_ahead_pauses_reminders_and_tells_once(watch, clock, admins):
    ahead = clock.now.replace(year=2028)
    await watch.observe([clock.now, ahead], None)
    assert not watch.trusted
    await watch.observe([ahead + timedelta(minutes=1)], None)  # still off: not told again
    assert not watch.trusted
    assert admins.told == [TWO_YEARS]


async def test_messages_that_agree_again_restore_trust_and_a_new_skew_is_told_again(watch, clock, admins):
    await watch.observe([clock.now.replace(year=2028)], None)
    assert not watch.trusted
    await watch.observe([clock.now - timedelta(seconds=5)], None)
    assert watch.trusted
    await watch.observe([clock.now + timedelta(hours=1)], None)
    assert not watch.trusted
    assert admins.told == [TWO_YEARS, timedelta(hours=1)]


async def test_a_message_older_than_the_last_poll_means_a_fast_clock(watch, clock, admins):
    live_since = clock.now - timedelta(seconds=30)  # the last poll ended then: what comes now was sent after
    await watch.observe([live_since - timedelta(minutes=6)], live_since)
    assert not watch.trusted
    assert admins.told == [-timedelta(minutes=6)]


@pytest.mark.parametrize("minutes", [1, 5])
async def test_dates_within_five_minutes_either_way_are_fine(watch, clock, admins, minutes):
    live_since = clock.now - timedelta(seconds=30)
    within = timedelta(minutes=minutes)
    assert within <= SKEW
    await watch.observe([live_since - within, clock.now + within], live_since)
    assert watch.trusted and admins.told == []


async def test_without_a_last_poll_an_old_message_proves_nothing(watch, clock, admins):
    await watch.observe([clock.now - timedelta(days=3)], None)  # waited on the platform while the bot was down
    assert watch.trusted and admins.told == []


@pytest.mark.parametrize(("year", "trusted"), [(2019, False), (2020, True), (2100, True), (2101, False)])
async def test_a_clock_in_an_unlikely_year_is_not_trusted_even_without_messages(admins, year, trusted):
    watch = ClockWatch(MutableClock(datetime.fromisoformat(f"{year}-06-01T03:00+00:00")), admins)
    assert watch.trusted is trusted
    assert admins.told == []


async def test_no_dates_change_nothing(watch, clock, admins):
    await watch.observe([], clock.now)
    assert watch.trusted
    await watch.observe([clock.now.replace(year=2028)], None)
    await watch.observe([], None)
    assert not watch.trusted, "an update with no date does not prove the clock right"
    assert admins.told == [TWO_YEARS]


# --- through the app: the inbox feeds the watch, the sweeper asks it ----------------------


@pytest.fixture
async def app(config, clock):
    app = App(config, [FakeChannel("test")], clock=clock)
    await app.open()
    yield app
    await app.stop()


async def queued(app, kind: OutboxKind) -> list:
    async with inspecting(app.db) as session:
        return [row for row in await stored.list_outbox(session) if row.kind == kind]


async def receive(app, key: str, sent_at: datetime) -> None:
    """A channel hands the inbox one update sent at `sent_at`."""
    await app.inbox.accept("test", [Delivery(key, {"text": "xin chào"}, sent_at)])


async def test_the_inbox_dates_what_it_receives_against_the_end_of_the_last_poll(app, clock):
    app.inbox.polled("test", ok=True)
    clock.advance(seconds=30)
    await receive(app, "1", clock.now - timedelta(minutes=7))  # sent 6.5 minutes before the poll that ended
    assert not app.watch.trusted, "the clock is fast"
    await receive(app, "2", clock.now)
    assert app.watch.trusted
    app.inbox.polled("test", ok=False)  # after a failed poll, older messages may still be waiting
    await receive(app, "3", clock.now - timedelta(minutes=7))
    assert app.watch.trusted


async def test_reminders_wait_while_the_clock_is_off_and_go_once_it_is_right(app, clock):
    await register(app.service, "1001", Role.FOCAL, "kt")
    await register(app.service, "3001", Role.ADMIN)
    clock.now = instant("2026-11-27T08:30")  # the annual report's reminder is due: see tests/jobs/test_schedule.py
    await receive(app, "1", clock.now.replace(year=2028))
    assert not app.watch.trusted
    await app.jobs.job_sweep_reminders()
    assert await queued(app, OutboxKind.REPORT) == [], "no reminder planned from a clock two years slow"
    [notice] = await queued(app, OutboxKind.CLOCK)
    assert notice.chat_id == "3001" and notice.text == text("remind.clock", minutes=731 * 24 * 60)

    await receive(app, "2", clock.now - timedelta(seconds=2))
    assert app.watch.trusted
    await app.jobs.job_sweep_reminders()
    reminders = await queued(app, OutboxKind.REPORT)
    assert [r.chat_id for r in reminders] == ["1001"] and "còn 3 ngày" in reminders[0].text


async def test_a_failing_clock_check_never_looks_like_a_failure_to_store(app, clock, monkeypatch):
    async def broken(sent, live_since):
        raise RuntimeError("the admins could not be told")

    monkeypatch.setattr(app.watch, "observe", broken)
    await receive(app, "1", clock.now)  # the channel would apologise (and the person resend) if this raised
    async with inspecting(app.db, write=False) as session:
        assert len(await inbox.unhandled(session)) == 1
