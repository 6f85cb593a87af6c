"""The composition root's lifetime: a stop is obeyed even while a platform is still being reached, and whatever
ends the run, everything is shut down."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest
from aiohttp import web

from bot.app import App
from bot.http_server import HttpServers, free_port
from tests.support.transport import FakeChannel
from tests.web.site import with_web


class Channel(FakeChannel):
    """A fake channel that can hang or fail while connecting, and remembers being stopped."""

    def __init__(self, *, opening=None, starting=None) -> None:
        super().__init__("test")
        self.opening, self.starting = opening, starting
        self.started = self.stopped = self.closed = False

    async def open(self) -> None:
        if self.opening is not None:
            await self.opening()

    async def start(self, dispatch) -> None:
        self.started = True
        if self.starting is not None:
            self.starting()

    async def stop(self) -> None:
        self.stopped = True

    async def close(self) -> None:
        self.closed = True


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


async def test_connections_close_only_after_the_inbox_and_the_sender_are_done(config, clock):
    """A reply in flight when the stop comes is sent and recorded as sent on an open connection: closing the
    connection first would cut it, and the next start would send it a second time."""
    stop, order = asyncio.Event(), []

    class Recording(Channel):
        async def stop(self) -> None:
            order.append("stop receiving")

        async def close(self) -> None:
            order.append("close")

    app = App(config, [Recording(starting=stop.set)], clock=clock)
    for part, name in ((app.inbox, "inbox"), (app.jobs, "jobs")):
        part.stop = recorded(part.stop, order, name)
    await run(app, stop)
    assert order == ["stop receiving", "inbox", "jobs", "close"]


def recorded(step, order: list[str], name: str):
    async def step_recorded() -> None:
        await step()
        order.append(name)

    return step_recorded


async def test_webhooks_pages_health_and_metrics_share_one_server_on_one_port(config, clock):
    """What listens on one address and port is one server: a webhook, the web pages, /healthz and /metrics."""
    port = free_port()
    servers = HttpServers()

    async def hook(request: web.Request) -> web.Response:
        return web.Response(text="hook")

    servers.at("127.0.0.1", port).add_route("POST", "/hook", hook)  # as a channel's webhook does
    config = with_web(config, f"http://127.0.0.1:{port}")
    config = config.model_copy(update={"web": config.web.model_copy(update={"port": port})})
    stop, running = asyncio.Event(), asyncio.Event()
    app = App(config, [Channel(starting=running.set)], clock=clock, servers=servers)
    run_task = asyncio.create_task(run(app, stop))
    await asyncio.wait_for(running.wait(), 10)
    try:
        async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as http:
            async with http.post("/hook") as answer:
                assert (answer.status, await answer.text()) == (200, "hook")
            async with http.get("/web", allow_redirects=False) as answer:
                assert answer.status == 401 and "/web" in await answer.text()  # not signed in: how to be
            async with http.get("/healthz") as answer:
                assert (answer.status, await answer.text()) == (200, "ok\n")
            async with http.get("/metrics") as answer:
                assert "bot_outbox_depth 0.0" in await answer.text()
    finally:
        stop.set()
        await run_task
    assert len(list(servers)) == 1
