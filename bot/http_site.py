"""The aiohttp side of the HTTP server: the app key its limits are kept under, the access log by route, and the
TCP site that answers 503 past the connection cap. Imported only when a server is made (`bot.http_server`), so a
process without one (polling, the command line) never loads aiohttp for it."""

from __future__ import annotations

import asyncio

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.http_server import BUSY, Limits

LIMITS = web.AppKey("limits", Limits)


class RouteAccessLogger(AbstractAccessLogger):
    """One line per request: method, the route's template (never the path or query it came with), status, time."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        resource = request.match_info.route.resource if isinstance(request, web.Request) else None
        route = resource.canonical if resource is not None else "(no route)"
        self.logger.info("%s %s %d %.3fs", request.method, route, response.status, time)


class Busy(asyncio.Protocol):
    """What a connection past the cap gets: a 503 and the socket closed, before anything is read."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        transport.write(BUSY)
        transport.close()


class CappedSite(web.BaseSite):
    """A TCP site that answers 503 to a connection past `most` open ones instead of serving it."""

    __slots__ = ("_host", "_port", "_most", "bound_port")

    def __init__(self, runner: web.BaseRunner, host: str, port: int, *, most: int, backlog: int) -> None:
        super().__init__(runner, backlog=backlog)
        self._host, self._port, self._most = host, port, most
        self.bound_port = port

    @property
    def name(self) -> str:
        return f"http://{self._host}:{self.bound_port}"

    async def start(self) -> None:
        await super().start()
        server = self._runner.server
        assert server is not None

        def connection() -> asyncio.BaseProtocol:
            return Busy() if len(server.connections) >= self._most else server()

        self._server = await asyncio.get_running_loop().create_server(
            connection, self._host, self._port, backlog=self._backlog
        )
        self.bound_port = self._server.sockets[0].getsockname()[1]
