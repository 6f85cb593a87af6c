"""The platform's clock, by the Date header of its answers: read on every Telegram and Zalo answer, carried forward
on the monotonic clock, and the reference a jumped server clock is caught against where the database has no clock of
its own (SQLite) — before the sweep, with no user message to date it."""

from __future__ import annotations

from datetime import UTC, timedelta
from email.utils import format_datetime

import pytest
from aiohttp import web

from bot.app import App
from bot.channels.platform_time import PlatformTime
from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloChannel
from bot.core.permissions import Role
from bot.core.texts import text
from bot.http_server import free_port
from storage import outbox as stored
from storage.models.messaging import OutboxKind
from tests.channels.doubles import MockZalo
from tests.support.clock import MutableClock, Ticks, instant
from tests.support.db import inspecting
from tests.support.users import register

SAID = instant("2026-11-27T08:30")
TOKEN = "123456:telegram-test-token"


def dated(moment) -> str:
    """A Date header as servers write it."""
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def test_the_platforms_time_is_carried_forward_on_the_monotonic_clock():
    ticks = Ticks()
    platform = PlatformTime(ticks)
    assert platform.current() is None  # before its first answer
    platform.observe(dated(SAID))
    ticks.now += 90
    assert platform.current() == SAID + timedelta(seconds=90)


@pytest.mark.parametrize("header", [None, "", "yesterday", "Fri, 27 Nov 2026 08:30:00"])  # the last has no zone
def test_an_unreadable_date_header_is_ignored(header):
    platform = PlatformTime(Ticks())
    platform.observe(dated(SAID))
    platform.observe(header)
    assert platform.current() == SAID


async def test_telegrams_answers_give_its_time(config):
    """python-telegram-bot's own requests, against a server on 127.0.0.1 that dates its answers."""

    async def answer(request: web.Request) -> web.Response:
        method = request.path.rsplit("/", 1)[-1]
        result = {"id": 123456, "is_bot": True, "first_name": "Bot", "username": "binhlu_bot"}
        body = {"ok": True, "result": result if method == "getMe" else True}
        return web.json_response(body, headers={"Date": dated(SAID)})

    app = web.Application()
    app.router.add_post("/{path:.*}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    telegram = config.telegram.model_copy(update={"base_url": f"http://127.0.0.1:{port}/bot"})
    channel = TelegramChannel(telegram, TOKEN)
    try:
        await channel.open()
        assert abs(channel.platform_now() - SAID) < timedelta(minutes=1)  # what it said, plus this test's run
    finally:
        await channel.close()
        await runner.cleanup()


@pytest.fixture
async def platform():
    """Zalo, mocked at the HTTP layer, answering at the real time of the test's world."""
    mock = MockZalo(MutableClock(SAID))
    yield mock
    await mock.http.aclose()


@pytest.mark.sqlite_only("the platform's clock is the reference only where the database has none of its own")
@pytest.mark.parametrize("jump", [timedelta(days=1), timedelta(days=365), -timedelta(days=365)])
async def test_a_jumped_clock_is_caught_by_the_platforms_and_no_reminder_is_planned(config, platform, jump):
    clock = MutableClock(SAID + jump)  # the server's clock jumped; Zalo's did not
    channel = ZaloChannel(config.zalo, platform.token, http=platform.http)
    app = App(config, [channel], clock=clock, reference_clock=True)
    await app.open()  # Zalo's first answer (getMe) dates it
    try:
        await register(app.service, "1001", Role.FOCAL, "kt")
        await register(app.service, "3001", Role.ADMIN)
        await app.jobs.job_sweep_reminders()
        await app.jobs.job_sweep_reminders()
        assert not app.watch.trusted
        async with inspecting(app.db) as session:
            rows = await stored.list_outbox(session)
        assert [row for row in rows if row.kind in (OutboxKind.REPORT, OutboxKind.TASK)] == []
        [notice] = [row for row in rows if row.kind == OutboxKind.CLOCK]
        minutes = round(-jump / timedelta(minutes=1))
        assert (notice.chat_id, notice.text) == ("3001", text("remind.clock", minutes=minutes))

        clock.now = SAID  # set right (NTP): trusted again at the next sweep
        await app.jobs.job_sweep_reminders()
        assert app.watch.trusted
    finally:
        await app.stop()
