"""Dead letters and leases in the inbox: a handling that takes the process down is counted, an update that did so
twice is set aside with the admins told, and whoever shares the store claims each chat's updates in order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import App
from bot.core.permissions import Role
from bot.core.texts import text
from bot.inbox import MAX_CRASHES, Inbox
from bot.ports import Delivery
from storage import inbox
from storage import outbox as stored
from storage.models.messaging import OutboxKind
from tests.support.db import inspecting
from tests.support.transport import FakeChannel
from tests.support.users import register


class Crash(BaseException):
    """What a process killed in the middle of a handling looks like from inside: nothing after it runs."""


class Recording(FakeChannel):
    """A channel as far as the inbox sees it: each payload handled is recorded; 'nổ' takes the process down."""

    def __init__(self) -> None:
        super().__init__("test")
        self.handled: list[str] = []

    async def handle(self, payload: dict, dispatch) -> None:
        if payload["text"] == "nổ":
            raise Crash
        self.handled.append(payload["text"])


@pytest.fixture
def channel() -> Recording:
    return Recording()


@pytest.fixture
async def app(config, clock, channel):
    app = App(config, [channel], clock=clock)
    await app.open()
    yield app
    await app.stop()


def update(key: str, said: str, chat: str) -> Delivery:
    return Delivery(key, {"text": said}, None, chat)


async def restart(app: App) -> None:
    """What a new process does first with what the dead one left; on PostgreSQL, where replicas share the store, a
    dead process's lease is taken over only once it has run out."""
    app.clock.advance(seconds=app.inbox.lease.total_seconds() + 1)
    await app.inbox.release()


async def test_an_update_that_crashed_the_bot_twice_is_set_aside_and_the_admins_told(app, channel):
    await register(app.service, "3001", Role.ADMIN)
    sender = await register(app.service, "1001", Role.FOCAL, "kt")
    await app.inbox.accept("test", [update("1", "nổ", "1001"), update("2", "xin chào", "2002")])
    for _ in range(MAX_CRASHES):
        with pytest.raises(Crash):
            await app.inbox.drain()
        await restart(app)
    assert await app.inbox.drain() == 2, "set aside, then the other chat's update"
    assert channel.handled == ["xin chào"]
    async with inspecting(app.db) as session:
        [(_, channel_name, chat, dead_at, why)] = await inbox.dead_letters(session)
        notices = [row for row in await stored.list_outbox(session) if row.kind == OutboxKind.DEAD_LETTER]
        assert await inbox.depth(session) == 0
    assert (channel_name, chat, why) == ("test", "1001", "crashed the process 2 times") and dead_at is not None
    assert [(n.chat_id, n.text) for n in notices] == [
        ("3001", text("inbox.set_aside", channel="test", who=sender.name))
    ], "only the admin of the sender's commune, told who without what"
    assert await app.inbox.drain() == 0, "never handled again"


async def test_one_crash_is_retried_and_handled(app, channel, clock):
    await app.inbox.accept("test", [update("1", "nổ", "1001")])
    with pytest.raises(Crash):
        await app.inbox.drain()
    await restart(app)
    channel.handle = Recording.handle.__get__(channel)  # whatever crashed the process is gone after the restart
    async with inspecting(app.db) as session:
        await session.execute(inbox.InboxUpdate.__table__.update().values(payload={"text": "đã sửa"}))
        await session.commit()
    assert await app.inbox.drain() == 1
    assert channel.handled == ["đã sửa"]


async def test_errors_are_not_crashes_an_update_failing_three_times_is_given_up_not_set_aside(app, channel):
    async def failing(payload, dispatch):
        raise RuntimeError("a bug, caught")

    channel.handle = failing
    await app.inbox.accept("test", [update("1", "lỗi", "1001")])
    for _ in range(3):
        await app.inbox.drain()
    async with inspecting(app.db) as session:
        assert await inbox.depth(session) == 0
        assert await inbox.dead_letters(session) == []


async def test_a_second_process_claims_other_chats_never_the_next_of_a_held_chat(app, channel, clock):
    await app.inbox.accept("test", [update("1", "a1", "A"), update("2", "a2", "A"), update("3", "b1", "B")])
    async with inspecting(app.db) as session:
        held = await inbox.claim_next(session, "first", clock(), clock() + timedelta(seconds=20))
        await session.commit()
    assert (held.id, held.chat) == (1, "A")

    second = Inbox(app.db, {"test": channel.handle}, {}, app.dispatch, clock, app.watch, owner="second")
    assert await second.drain() == 1
    assert channel.handled == ["b1"], "A's second update waits for its first, held by a live lease"

    clock.advance(seconds=21)  # the first process died: its lease runs out and the update is taken over, in order
    assert await second.drain() == 2
    assert channel.handled == ["b1", "a1", "a2"]
    async with inspecting(app.db) as session:
        assert await inbox.depth(session) == 0
