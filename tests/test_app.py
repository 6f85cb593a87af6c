"""The composition root's lifetime: a stop is obeyed even while a platform is still being reached, and whatever
ends the run, everything is shut down."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import App
from tests.support.transport import FakeChannel


class Channel(FakeChannel):
    """A fake channel that can hang or fail while connecting, and remembers being stopped."""

    def __init__(self, *, opening=None, starting=None) -> None:
        super().__init__("test")
        self.opening, self.starting = opening, starting
        self.started = self.stopped = False

    async def open(self) -> None:
        if self.opening is not None:
            await self.opening()

    async def start(self, dispatch) -> None:
        self.started = True
        if self.starting is not None:
            self.starting()

    async def stop(self) -> None:
        self.stopped = True


async def never() -> None:
    await asyncio.Event().wait()  # a platform that cannot be reached: retried without end


async def refused() -> None:
    raise PermissionError("the platform refused the token")


async def run(app: App, stop: asyncio.Event) -> None:
    await asyncio.wait_for(app.run_until(stop), 10)


async def test_a_stop_while_still_connecting_is_obeyed(config, clock):
    stop = asyncio.Event()

    async def signalled_while_connecting() -> None:
        stop.set()
        await never()

    channel = Channel(opening=signalled_while_connecting)
    app = App(config, [channel], clock=clock)
    await run(app, stop)
    assert channel.stopped and not channel.started


async def test_a_refusal_at_start_ends_the_run_and_shuts_everything_down(config, clock):
    channel = Channel(opening=refused)
    app = App(config, [channel], clock=clock)
    with pytest.raises(PermissionError):
        await run(app, asyncio.Event())
    assert channel.stopped


async def test_a_normal_run_starts_then_stops_on_the_signal(config, clock):
    stop = asyncio.Event()
    channel = Channel(starting=stop.set)  # the signal comes once everything runs
    app = App(config, [channel], clock=clock)
    await run(app, stop)
    assert channel.started and channel.stopped
