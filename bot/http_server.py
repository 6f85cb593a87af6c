"""The process's one HTTP server (aiohttp): every endpoint (webhooks, /healthz, /metrics) is a route on it.

It sits behind the reverse proxy that terminates HTTPS, yet still assumes hostile clients: a connection that
has not sent its request headers within `header_timeout` is closed (so is an idle one), a body not received
within `body_timeout` is answered 408, a body over `max_body` 413, JSON that is malformed or nested deeper
than MAX_DEPTH 400, and past `max_connections` open connections a new one is answered 503 and closed. The
access log names the route (`/link/{code}`), never the path, query or headers a request came with, so no
secret can reach it."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aiohttp import web

    from bot.http_site import CappedSite

logger = logging.getLogger(__name__)
access_logger = logging.getLogger("bot.http.access")

MAX_BODY = 1024 * 1024  # a Telegram update is a few KB; a file never arrives in a webhook body
MAX_DEPTH = 64  # a real update nests about 8 deep
BUSY = b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"

Handler = Callable[["web.Request"], Awaitable["web.StreamResponse"]]


@dataclass(frozen=True)
class Limits:
    """How long a client may take and how much it may send."""

    header_timeout: float = 10.0
    body_timeout: float = 10.0
    linger: float = 2.0  # after an answer given before the whole body came (403, 408, 413): drop the rest, then close
    max_body: int = MAX_BODY
    max_connections: int = 256


class HttpServer:
    """One aiohttp server on `listen:port` that components add routes to before it starts (aiohttp is imported
    when the first is made: `bot.http_site`)."""

    def __init__(
        self, listen: str, port: int, *, limits: Limits = Limits(), backlog: int = 128, shutdown_timeout: float = 10.0
    ) -> None:
        from aiohttp import web

        from bot.http_site import LIMITS

        self.listen, self.limits = listen, limits
        self._port, self._backlog, self._shutdown_timeout = port, backlog, shutdown_timeout
        self.app = web.Application(client_max_size=limits.max_body)
        self.app[LIMITS] = limits
        self._runner: web.AppRunner | None = None
        self._site: CappedSite | None = None

    @property
    def port(self) -> int:
        """The port listened on (the one the system chose, for port 0), once started."""
        return self._site.bound_port if self._site is not None else self._port

    def add_route(self, method: str, path: str, handler: Handler) -> None:
        """Serve `method path` with `handler`; only before `start`, and each path and method once."""
        if self._runner is not None:
            raise RuntimeError("routes are added before the HTTP server starts")
        if not path.startswith("/"):
            raise ValueError(f"an HTTP path starts with '/': {path!r}")
        taken = any(r.method == method and r.resource.canonical == path for r in self.app.router.routes())
        if taken:
            raise ValueError(f"{method} {path} is already served")
        self.app.router.add_route(method, path, handler)

    async def start(self) -> None:
        """Listen; from here on routes are fixed."""
        from aiohttp import web

        from bot.http_site import CappedSite, RouteAccessLogger

        runner = web.AppRunner(
            self.app,
            handle_signals=False,
            access_log_class=RouteAccessLogger,
            access_log=access_logger,
            keepalive_timeout=self.limits.header_timeout,  # also bounds the wait for a new connection's headers
            lingering_time=self.limits.linger,
            shutdown_timeout=self._shutdown_timeout,
        )
        await runner.setup()
        site = CappedSite(runner, self.listen, self._port, most=self.limits.max_connections, backlog=self._backlog)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner, self._site = runner, site
        logger.info("HTTP server listening on %s:%d", self.listen, self.port)

    async def stop(self) -> None:
        """Stop listening; requests in hand are finished first (within the shutdown timeout)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = self._site = None


def free_port(listen: str = "127.0.0.1") -> int:
    """A port of `listen` nothing listens on now (for a server whose address must be known before it starts)."""
    with socket.socket() as probe:
        probe.bind((listen, 0))
        return probe.getsockname()[1]


class HttpServers:
    """The process's HTTP servers, one per listen address and port: whoever asks for the same pair (a webhook,
    the web pages) shares one server; the composition root starts and stops them all."""

    def __init__(self) -> None:
        self._servers: dict[tuple[str, int], HttpServer] = {}

    def at(self, listen: str, port: int) -> HttpServer:
        """The server on `listen:port`, made on first asking."""
        if (listen, port) not in self._servers:
            self._servers[listen, port] = HttpServer(listen, port)
        return self._servers[listen, port]

    def __iter__(self):
        return iter(tuple(self._servers.values()))

    async def start(self) -> None:
        """Listen on every one; one that cannot listen stops those already started and raises."""
        started = []
        try:
            for server in self:
                await server.start()
                started.append(server)
        except BaseException:
            for server in reversed(started):
                await server.stop()
            raise

    async def stop(self) -> None:
        """Stop every one, each finishing the requests in hand."""
        for server in reversed(tuple(self)):
            await server.stop()


def nesting(value: object) -> int:
    """How deep lists and objects nest in a parsed JSON value (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in children)
    return deepest


async def read_json(request: web.Request) -> object:
    """The request's body as JSON within the server's limits; an HTTP error (400, 408, 413) otherwise."""
    from aiohttp import web

    from bot.http_site import LIMITS

    limits = request.app[LIMITS]
    if request.content_length is not None and request.content_length > limits.max_body:
        raise web.HTTPRequestEntityTooLarge(limits.max_body, request.content_length)
    try:
        async with asyncio.timeout(limits.body_timeout):
            body = await request.read()  # raises 413 past client_max_size, however the body is framed
    except TimeoutError:
        raise web.HTTPRequestTimeout() from None
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested beyond what the parser can hold
        raise web.HTTPBadRequest(text="malformed JSON") from None
    if nesting(value) > MAX_DEPTH:
        raise web.HTTPBadRequest(text="JSON nested too deeply")
    return value
