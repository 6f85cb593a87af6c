"""A clock that jumped is caught before the sweep by the database server's clock, with no user message to date it:
no reminder is planned from it and the admins are told once (PostgreSQL, which has a clock of its own)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import App
from bot.core.permissions import Role
from bot.core.texts import text
from storage import outbox as stored
from storage.models.messaging import OutboxKind
from tests.support.clock import MutableClock, instant
from tests.support.db import inspecting
from tests.support.postgres import own_database
from tests.support.transport import FakeChannel
from tests.support.users import register


@pytest.fixture
async def app(config):
    async with own_database("clock") as url:
        config = config.model_copy(update={"database": config.database.model_copy(update={"url": url})})
        app = App(config, [FakeChannel("test")], clock=MutableClock(), reference_clock=True)
        await app.open()
        yield app
        await app.stop()


async def kinds(app: App, kind: OutboxKind) -> list:
    async with inspecting(app.db) as session:
        return [row for row in await stored.list_outbox(session) if row.kind == kind]


@pytest.mark.parametrize("jump", [timedelta(days=1), timedelta(days=365), -timedelta(days=365)])
async def test_a_jumped_clock_plans_no_reminder_and_tells_the_admins_once(app, jump):
    app.clock.now = instant("2026-11-27T08:30")  # the real time the database server keeps is far from this
    real = await app_time(app)
    app.clock.now = real + jump
    await register(app.service, "1001", Role.FOCAL, "kt")
    await register(app.service, "3001", Role.ADMIN)
    await app.jobs.job_sweep_reminders()
    await app.jobs.job_sweep_reminders()
    assert not app.watch.trusted
    assert [r for r in await kinds(app, OutboxKind.REPORT) + await kinds(app, OutboxKind.TASK)] == []
    [notice] = await kinds(app, OutboxKind.CLOCK)
    assert notice.chat_id == "3001"
    assert notice.text == text("remind.clock", minutes=round(-jump.total_seconds() / 60))

    app.clock.now = await app_time(app)  # set right (NTP): trusted again at the next sweep
    await app.jobs.job_sweep_reminders()
    assert app.watch.trusted


async def app_time(app: App):
    from storage.locks import server_time

    return await server_time(app.db)
