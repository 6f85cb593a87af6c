"""The web pages served from a test: the service with `[web]` on, the HTTP server with the pages mounted on a free
port of 127.0.0.1, and a client that signs in with the link a user's `/web` brings (cookies kept by hand, so a
test sees each one's attributes)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http.cookies import SimpleCookie

import aiohttp

from bot.config import Config, WebConfig
from bot.http_server import HttpServer
from bot.service import Service
from bot.web import mount
from bot.web.guard import COOKIE
from storage.db import Database
from tests.support.users import User

LINK = re.compile(r"(https?://\S+/web/vao/)([A-Za-z0-9_-]+)")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"


def with_web(config: Config, public_url: str = "https://solieu.binhlu.laichau.gov.vn") -> Config:
    """The configuration with the pages on, reached at `public_url`."""
    return config.model_copy(update={"web": WebConfig(enabled=True, public_url=public_url)})


async def link_of(user: User) -> str:
    """The token of the sign-in link `/web` brings the user."""
    match = LINK.search(await user.say("/web"))
    assert match, "no link in the /web answer"
    return match[2]


class Site:
    """The running pages and a browser-like client of them."""

    def __init__(self, server: HttpServer, http: aiohttp.ClientSession) -> None:
        self.server, self.http = server, http
        self.base = f"http://127.0.0.1:{server.port}"

    async def get(self, path: str, *, cookie: str | None = None, method: str = "GET", **headers: str):
        """(status, headers, body) of one request, redirects not followed."""
        headers.setdefault("User-Agent", BROWSER)
        if cookie is not None:
            headers["Cookie"] = f"{COOKIE}={cookie}"
        async with self.http.request(method, self.base + path, headers=headers, allow_redirects=False) as response:
            return response.status, response.headers, await response.text(errors="replace")

    async def sign_in(self, user: User) -> str:
        """Open the user's /web link like a browser: the session cookie it sets."""
        status, headers, _ = await self.get(f"/web/vao/{await link_of(user)}")
        assert status == 303, status
        return session_cookie(headers)


def session_cookie(headers) -> str:
    """The session cookie's value a response sets."""
    cookies = SimpleCookie()
    for value in headers.getall("Set-Cookie", []):
        cookies.load(value)
    return cookies[COOKIE].value


@asynccontextmanager
async def serving(config: Config, clock, *, port: int = 0) -> AsyncIterator[tuple[Service, Site]]:
    """The service of `config` and its pages on 127.0.0.1 (port 0: any free one)."""
    service = Service(config, Database(config.database.url), clock)
    await service.prepare()
    server = HttpServer("127.0.0.1", port)
    mount(server, service=service)
    await server.start()
    try:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
            yield service, Site(server, http)
    finally:
        await server.stop()
        await service.db.dispose()
