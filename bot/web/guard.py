"""What keeps the pages safe to serve: the headers every answer carries, the session cookie, who a client is
behind the proxy, which fetches are a preview (never a sign-in), and the throttle on failed sign-ins."""

from __future__ import annotations

import ipaddress
import re
from collections import deque
from datetime import datetime, timedelta

from aiohttp import web

from bot.config.sections import InvitesConfig
from bot.core.clock import Clock

COOKIE = "phien"
SECRET = re.compile(r"[A-Za-z0-9_-]{32}")  # the shape of every token and cookie the bot makes (bot.service.web)
HEADERS = {
    # No script at all, styles only from the bot itself, no frame, no form posting anywhere.
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # a link's token never leaves in a Referer
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",  # figures of a commune stay out of shared caches
}
# Link-preview fetchers and crawlers (Telegram's "TelegramBot (like TwitterBot)", facebookexternalhit, Slackbot,
# Googlebot…): a real browser names none of these. An in-app browser (Zalo's, Telegram's) is a browser.
PREVIEWER = re.compile(r"bot\b|crawl|spider|preview|externalhit|embedly|whatsapp|facebot", re.IGNORECASE)


def guarded(handler):
    """The handler's answer with the pages' headers."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        response = await handler(request)
        response.headers.update(HEADERS)
        return response

    return wrapped


def is_preview(request: web.Request) -> bool:
    """A fetch that must not use a link up: HEAD, no user agent, or a previewer's or a crawler's."""
    agent = request.headers.get("User-Agent", "")
    return request.method == "HEAD" or not agent.strip() or PREVIEWER.search(agent) is not None


def client_of(request: web.Request) -> str:
    """Who is asking: the peer, or behind a proxy on this machine the address the proxy last added."""
    peer = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    try:
        local = ipaddress.ip_address(peer).is_loopback
    except ValueError:
        local = False
    return forwarded.rsplit(",", 1)[-1].strip() or peer if local and forwarded else peer


def set_session_cookie(response: web.StreamResponse, value: str, *, path: str, secure: bool, seconds: int) -> None:
    """The session's cookie: never readable by a script, not sent on another site's subrequests, HTTPS only
    when the pages are served over HTTPS."""
    response.set_cookie(COOKIE, value, max_age=seconds, path=path, httponly=True, samesite="Lax", secure=secure or None)


class Throttle:
    """Failed sign-ins slow down guessing: too many from one client within the window, or from everyone within
    an hour, and no link is even looked up until they age out (the invites' limits)."""

    HOUR = timedelta(hours=1)

    def __init__(self, clock: Clock, limits: InvitesConfig) -> None:
        self.clock = clock
        self.window = timedelta(minutes=limits.failure_window_minutes)
        self.per_client, self.per_hour = limits.max_failures, limits.max_failures_per_hour
        self._failures: deque[tuple[datetime, str]] = deque()

    def _recent(self) -> deque[tuple[datetime, str]]:
        oldest = self.clock() - max(self.window, self.HOUR)
        while self._failures and self._failures[0][0] < oldest:
            self._failures.popleft()
        return self._failures

    def blocked(self, client: str) -> bool:
        """Whether this client must wait."""
        recent, since = self._recent(), self.clock() - self.window
        mine = sum(1 for at, who in recent if who == client and at > since)
        return mine >= self.per_client or len(recent) >= self.per_hour

    def failed(self, client: str) -> None:
        """Remember one failed sign-in."""
        self._recent().append((self.clock(), client))

    @property
    def minutes(self) -> int:
        """How long a client waits, at most."""
        return self.window.seconds // 60
