"""What a monitor reads over HTTP: `GET /metrics` in Prometheus's text format, `GET /healthz` from the database.

The metrics live in a registry of their own (not prometheus-client's global one), so two Apps in one test
process never share a count. Counters are bumped where things happen (`received`, `handled`, `sent`,
`swept`); the inbox and outbox depths are read from the database at each scrape, through callables the
composition root provides. Labels are channel names and a fixed set of send results, never user data.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder

from bot.http_server import HttpServer
from bot.ports import ChatMoved, MaybeSent, NotSent, Rejected, RetryLater, Unreachable

if TYPE_CHECKING:
    from aiohttp import web

logger = logging.getLogger(__name__)

Depth = Callable[[], Awaitable[int]]
Ping = Callable[[], Awaitable[object]]

READ_TIMEOUT = 5.0  # a scrape or a health check waits this long for the database, then reports it missing
HANDLING_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
SWEEP_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
# How a send ended, most specific first (RetryLater, like every failure, is a DeliveryError).
RESULTS = (
    (RetryLater, "retry_later"),
    (NotSent, "not_sent"),
    (MaybeSent, "maybe_sent"),
    (Unreachable, "unreachable"),
    (ChatMoved, "chat_moved"),
    (Rejected, "rejected"),
)


def send_result(error: BaseException | None) -> str:
    """The `result` label of a send: "sent", how the channel refused it, or "failed" for anything else."""
    if error is None:
        return "sent"
    return next((name for kind, name in RESULTS if isinstance(error, kind)), "failed")


class Metrics:
    """The bot's counters, histograms and gauges, and the `/metrics` endpoint that shows them."""

    def __init__(self, *, inbox_depth: Depth, outbox_depth: Depth, read_timeout: float = READ_TIMEOUT) -> None:
        self.registry = CollectorRegistry()
        self._inbox, self._outbox = inbox_depth, outbox_depth
        self._read_timeout = read_timeout
        r = self.registry
        self.updates_received = Counter("bot_updates_received", "Updates stored in the inbox", ["channel"], registry=r)
        self.updates_handled = Counter("bot_updates_handled", "Updates handled to the end", ["channel"], registry=r)
        self.handling_seconds = Histogram(
            "bot_update_handling_seconds",
            "Time to handle one update",
            ["channel"],
            buckets=HANDLING_BUCKETS,
            registry=r,
        )
        self.inbox_depth = Gauge("bot_inbox_depth", "Updates stored and not yet handled", registry=r)
        self.outbox_depth = Gauge("bot_outbox_depth", "Messages waiting to be sent", registry=r)
        self.sends = Counter("bot_sends", "Sends by how they ended", ["channel", "result"], registry=r)
        self.sweep_seconds = Histogram(
            "bot_sweep_duration_seconds", "Time one reminder sweep took", buckets=SWEEP_BUCKETS, registry=r
        )

    def received(self, channel: str, count: int = 1) -> None:
        """`count` updates from `channel` were committed to the inbox."""
        self.updates_received.labels(channel).inc(count)

    def handled(self, channel: str, seconds: float) -> None:
        """One update from `channel` was handled, in `seconds`."""
        self.updates_handled.labels(channel).inc()
        self.handling_seconds.labels(channel).observe(seconds)

    def sent(self, channel: str, error: BaseException | None = None) -> None:
        """One send through `channel` went out (no error) or failed with `error`."""
        self.sends.labels(channel, send_result(error)).inc()

    def swept(self, seconds: float) -> None:
        """One reminder sweep ran, in `seconds`."""
        self.sweep_seconds.observe(seconds)

    async def _read_depths(self) -> None:
        """Both depths from the database; one that cannot be read shows as NaN, the scrape still answers."""
        for name, gauge, depth in (
            ("inbox", self.inbox_depth, self._inbox),
            ("outbox", self.outbox_depth, self._outbox),
        ):
            try:
                async with asyncio.timeout(self._read_timeout):
                    gauge.set(await depth())
            except Exception as err:
                logger.warning("could not read the %s depth for /metrics (%s)", name, type(err).__name__)
                gauge.set(math.nan)

    async def exposition(self, accept: str = "") -> tuple[bytes, str]:
        """Every metric, encoded as the `Accept` header asks (Prometheus text by default), and its content type."""
        await self._read_depths()
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type

    def mount(self, server: HttpServer, path: str = "/metrics") -> None:
        """Serve GET `path` on `server`."""
        from aiohttp import web  # a server is made: aiohttp is there (`bot.http_server`)

        async def scrape(request: web.Request) -> web.Response:
            body, content_type = await self.exposition(request.headers.get("Accept", ""))
            return web.Response(body=body, headers={"Content-Type": content_type})

        server.add_route("GET", path, scrape)


def mount_health(server: HttpServer, ping: Ping, *, path: str = "/healthz", timeout: float = READ_TIMEOUT) -> None:
    """Serve GET `path` on `server`: 200 while `ping` (a query the database must answer) succeeds, else 503."""
    from aiohttp import web  # a server is made: aiohttp is there (`bot.http_server`)

    healthy = True  # a change is logged once, not every probe

    async def health(request: web.Request) -> web.Response:
        nonlocal healthy
        try:
            async with asyncio.timeout(timeout):
                await ping()
        except Exception as err:
            if healthy:
                logger.warning("health check failed: the database does not answer (%s)", type(err).__name__)
            healthy = False
            return web.Response(status=503, text="unavailable\n")
        if not healthy:
            logger.info("health check passes again")
        healthy = True
        return web.Response(text="ok\n")

    server.add_route("GET", path, health)
