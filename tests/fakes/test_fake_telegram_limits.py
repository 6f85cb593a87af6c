"""The fake Bot API enforcing Telegram's limits on a clock the test moves: off by default, then 30/s overall, a
burst of 5 then 1/s to a private chat, 20/min to a group, each 429 saying how long to wait."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from tests.fakes.bot_api_server import FakeBotApi
from tests.support.clock import Ticks

USER = 1001
GROUP = -4001


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


@pytest.fixture
def fake(ticks: Ticks, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBotApi]:
    """A fake on the test's clock, enforcing Telegram's limits."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # else constructing RetryAfter warns (PTB 22.2+)
    with FakeBotApi(clock=ticks) as server:
        server.telegram_limits()
        yield server
    assert server.errors == []


async def refused_for(bot: Bot, chat_id: int) -> float:
    """The retry_after, in seconds, of a send the fake refuses."""
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(chat_id, "quá nhanh")
    return caught.value.retry_after.total_seconds()


async def test_limits_are_off_by_default() -> None:
    with FakeBotApi() as fake:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            for n in range(40):
                await bot.send_message(USER, str(n))
        assert fake.too_many_requests == 0 and len(fake.sent()) == 40


async def test_a_private_chat_gets_a_burst_of_five_then_one_a_second(fake: FakeBotApi, ticks: Ticks) -> None:
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        for n in range(5):
            await bot.send_message(USER, str(n))
        assert await refused_for(bot, USER) == 1
        await bot.send_message(USER + 1, "another chat is not held")
        ticks.now += 0.5
        assert await refused_for(bot, USER) == 1, "half a second refilled is not a send"
        ticks.now += 0.5
        await bot.send_message(USER, "5")
        assert await refused_for(bot, USER) == 1
        ticks.now += 10
        for n in range(5):
            await bot.send_message(USER, f"again {n}")  # the bucket refilled to five, not more
        assert await refused_for(bot, USER) == 1
    assert fake.too_many_requests == 4 and len(fake.sent(USER)) == 11


async def test_thirty_a_second_overall(fake: FakeBotApi, ticks: Ticks) -> None:
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        for n in range(30):
            await bot.send_message(USER + n, "x")
            ticks.now += 0.01
        assert await refused_for(bot, USER + 100) == 1
        ticks.now += 0.71  # the first send is a second old: it has left the window
        await bot.send_message(USER + 100, "x")
        assert await refused_for(bot, USER + 101) == 1
    assert fake.too_many_requests == 2 and len(fake.sent()) == 31


async def test_twenty_a_minute_to_a_group_with_the_wait_in_retry_after(fake: FakeBotApi, ticks: Ticks) -> None:
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        for _ in range(20):
            await bot.send_message(GROUP, "x")
            ticks.now += 1.0
        assert await refused_for(bot, GROUP) == 40, "the first of the twenty leaves the minute in 40 s"
        await bot.send_message(GROUP - 1, "another group is not held")
        ticks.now += 40
        await bot.send_message(GROUP, "x")
    assert fake.too_many_requests == 1


async def test_a_refused_send_is_not_counted(fake: FakeBotApi, ticks: Ticks) -> None:
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        for n in range(5):
            await bot.send_message(USER, str(n))
        for _ in range(3):
            await refused_for(bot, USER)
        ticks.now += 1.0
        await bot.send_message(USER, "5")
    assert [m["text"] for m in fake.sent(USER)] == ["0", "1", "2", "3", "4", "5"]
