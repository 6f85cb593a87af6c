"""The in-process schedule: one sweeper job, set up on purpose, and the sender beside it, built by the App."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import App
from bot.core.permissions import Role
from jobs.schedule import SWEEP_JOB
from tests.support.clock import instant
from tests.support.transport import FakeChannel
from tests.support.users import User, register


@pytest.fixture
async def app(config, clock):
    channel = FakeChannel("test")
    app = App(config, [channel], clock=clock)
    await app.open()
    yield app
    await app.stop()


async def test_runtime_sweeps_at_start_and_sends_through_the_outbox(app, clock):
    await register(app.service, "1001", Role.FOCAL, "kt")
    clock.now = instant("2026-11-27T08:30")
    transport = app.channels[0].transport
    await app.start()
    job = app.jobs.scheduler.get_job(SWEEP_JOB)
    assert job.coalesce and job.max_instances == 1
    assert job.misfire_grace_time >= app.config.reminders.sweep_seconds
    assert str(job.trigger.timezone) == "Asia/Ho_Chi_Minh"
    assert len(app.jobs.scheduler.get_jobs()) == 1, "one sweeper, no job per reminder"
    while not any("còn 3 ngày" in t for t in transport.texts("1001")):
        transport.arrived.clear()
        await asyncio.wait_for(transport.arrived.wait(), timeout=10)
    await app.jobs.stop()
    assert not app.jobs.scheduler.running


async def test_a_command_that_queues_a_notice_wakes_the_sender(app, clock):
    await register(app.service, "1001", Role.FOCAL, "kt")
    leader = await register(app.service, "2001", Role.LEADER)
    clock.now = instant("2026-11-27T07:00")  # before any reminder of the day
    transport = app.channels[0].transport
    await app.start(sweep=False)
    answer = await app.dispatch(leader.incoming("/giaoviec kt 10/12/2026 Tổng kết năm"))  # as the running bot does
    assert "Đã giao việc V1" in answer.text and answer.told_others
    while not any("Việc mới V1" in t for t in transport.texts("1001")):
        transport.arrived.clear()
        await asyncio.wait_for(transport.arrived.wait(), timeout=10)


async def test_a_reply_is_delivered_through_the_channel_at_once(app):
    await app.start(sweep=False)
    stranger = User(app.service, "9", "Khách")
    transport = app.channels[0].transport
    answer = await app.dispatch(stranger.incoming("/toi"))
    # Sent by dispatch itself, or by the running sender when it claimed the row first: either way, now.
    await asyncio.wait_for(transport.arrived.wait(), timeout=10)
    assert transport.texts("9") == [answer.text]
