"""A platform's webhook on the shared HTTP server: the secret checked before the body, the update stored before 200.

Telegram and Zalo both post one update per request with a secret in a header and send it again on any answer
but 2xx. So a wrong or missing secret is refused with 403 before the body is read (nothing it carries is
stored); a body that is not an update gets 400; and 200 comes only after `accept` has committed the update:
while the store fails, or before the channel has started, the answer is 503 and the platform retries.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from bot.config.channels import WebhookConfig
from bot.http_server import HttpServer, read_json
from bot.ports import Delivery

if TYPE_CHECKING:  # aiohttp is loaded with the HTTP server (bot.http_server): a polling bot never needs it
    from aiohttp import web

logger = logging.getLogger(__name__)

Accept = Callable[[str, Sequence[Delivery]], Awaitable[None]]
Read = Callable[[object], Delivery | None]  # a parsed body -> the update in it, or None when there is none


def fingerprint(*made_of: str) -> str:
    """What a webhook's registration was made of (token, URL, secret, ...) as one value to compare: a hash, so
    the secrets in it are never kept as they are."""
    return hashlib.sha256("\x1f".join(made_of).encode()).hexdigest()


def task(channel: str) -> str:
    """The name under which a channel's webhook registration is recorded done."""
    return f"webhook.{channel}"


def answer(status: int, description: str | None = None) -> web.Response:
    """The Bot API's own envelope, which both platforms read (and ignore past the status)."""
    from aiohttp import web

    body = {"ok": True} if description is None else {"ok": False, "description": description}
    return web.json_response(body, status=status)


class WebhookReceiver:
    """One channel's webhook at `hook.path`: mounted on the process's server, fed to the inbox once `open`.

    Given no server (nobody shares one with this channel), it runs its own on `hook.listen:hook.port`.
    """

    def __init__(
        self, channel: str, header: str, read: Read, hook: WebhookConfig, server: HttpServer | None = None
    ) -> None:
        self.channel, self.header = channel, header
        self._secret = hook.secret_value.encode()
        self._read = read
        self._accept: Accept | None = None
        self._own_server = server is None
        self.server = HttpServer(hook.listen, hook.port) if server is None else server
        self.server.add_route("POST", hook.path, self._post)  # before the server starts

    async def open(self, accept: Accept) -> None:
        """Store what arrives through `accept` (the inbox's) from now on; listening, when the server is our own."""
        self._accept = accept
        if self._own_server:
            await self.server.start()

    async def close(self) -> None:
        """Refuse (503) what arrives from now on: the platform keeps it and sends it again."""
        self._accept = None
        if self._own_server:
            await self.server.stop()

    def authentic(self, given: str | None) -> bool:
        """Whether the request carries our secret (compared in constant time)."""
        return (
            bool(self._secret)
            and given is not None
            and hmac.compare_digest(given.encode("utf-8", "surrogateescape"), self._secret)
        )

    async def _post(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        if not self.authentic(request.headers.get(self.header)):
            logger.warning("refused a %s webhook call without the right secret", self.channel)
            return answer(403, "Forbidden")
        try:
            delivery = self._read(await read_json(request))
        except web.HTTPException as refused:  # malformed, too deep, too large, too slow
            response = answer(refused.status, refused.reason)
            response.force_close()  # what is left of that body is not worth the connection
            return response
        if delivery is None:
            return answer(400, "Bad Request")
        accept = self._accept
        if accept is None:
            return answer(503, "Not ready")
        try:
            await accept(self.channel, [delivery])  # committed before the platform hears that it arrived
        except Exception:
            logger.exception("could not store a %s update; answering 503 so that it is sent again", self.channel)
            return answer(503, "Not stored")
        return answer(200)
