"""The in-process schedule: one sweeper job, set up on purpose, and the sender beside it."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.core.permissions import Role
from jobs.ratelimit import Limits
from jobs.schedule import SWEEP_JOB, ReminderRuntime
from tests.conftest import register


class SignallingTransport:
    """Records sends and signals the first one, so the test waits on an event, not a sleep."""

    channel = "test"
    limits = Limits()

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.arrived = asyncio.Event()

    async def send(self, chat_id: str, text: str) -> str:
        self.sent.append((chat_id, text))
        self.arrived.set()
        return str(len(self.sent))


async def test_runtime_sweeps_at_start_and_sends_through_the_outbox(service, clock):
    await register(service, "1001", Role.FOCAL, "kt")
    clock.now = datetime.fromisoformat("2026-11-27T08:30+07:00")
    transport = SignallingTransport()
    runtime = ReminderRuntime(service, {"test": transport})
    await runtime.start()
    try:
        job = runtime.scheduler.get_job(SWEEP_JOB)
        assert job.coalesce and job.max_instances == 1
        assert job.misfire_grace_time >= service.config.reminders.sweep_seconds
        assert str(job.trigger.timezone) == "Asia/Ho_Chi_Minh"
        assert len(runtime.scheduler.get_jobs()) == 1, "one sweeper, no job per reminder"
        await asyncio.wait_for(transport.arrived.wait(), timeout=10)
    finally:
        await runtime.stop()
    assert transport.sent[0][0] == "1001" and "còn 3 ngày" in transport.sent[0][1]
    assert not runtime.scheduler.running


async def test_a_command_that_queues_a_notice_wakes_the_sender(service, clock, leader):
    await register(service, "1001", Role.FOCAL, "kt")
    clock.now = datetime.fromisoformat("2026-11-27T07:00+07:00")  # before any reminder of the day
    transport = SignallingTransport()
    runtime = ReminderRuntime(service, {"test": transport})
    await runtime.start()
    try:
        assert "Đã giao việc #1" in await leader.say("/giaoviec kt 10/12/2026 Tổng kết năm")
        await asyncio.wait_for(transport.arrived.wait(), timeout=10)
    finally:
        await runtime.stop()
    assert "Việc mới #1" in transport.sent[0][1]
