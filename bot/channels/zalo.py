"""Zalo (Zalo Bot Platform): long polling or a webhook into the inbox, updates turned into Incoming, replies sent.

Handlers only translate; the service decides. Zalo answers errors as `{"ok": false, "error_code": N}`, mostly
with HTTP 200, so every outcome is read from that envelope, never from the HTTP status alone. getUpdates hands
out ONE update and forgets it (there is no offset), and an idle poll ends with error 408. Zalo has no buttons,
no edits and no quoting: the service numbers the options, and every message goes out as a new one. The token
is part of every URL, so no URL is ever logged or put in an error.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from bot.channels.platform_time import PlatformTime
from bot.channels.webhook import fingerprint, task
from bot.channels.zalo_webhook import CHANNEL, delivery_of, incoming_of, message_of, receiver
from bot.config import ZaloConfig
from bot.core.messages import ChannelProfile, Outgoing
from bot.core.replies import split_text
from bot.core.texts import text
from bot.http_server import HttpServer
from bot.ports import Backoff, Inlet, Limits, MaybeSent, NotSent, Rejected, RetryLater, Unreachable

logger = logging.getLogger(__name__)

MAX_TEXT = 2000  # "1–2000 ký tự"; counted here in UTF-16 units, which also satisfies a count in code points
PROFILE = ChannelProfile(CHANNEL, max_text=MAX_TEXT, buttons=False)
IDLE = 408  # getUpdates found nothing within its timeout: normal
FATAL = frozenset({400, 401, 403, 404})  # what retrying cannot fix (a wrong token, URL or webhook setting)
SEND_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
POLL_MARGIN = 10.0  # the read timeout of getUpdates exceeds the time Zalo holds it by this much
MIN_IDLE_POLL = 1.0  # an idle poll that ends sooner than this is followed by a pause: never spin
QUOTA_PAUSE, MAX_QUOTA_PAUSE = 10.0, 300.0  # Zalo's 429 says no retry-after: start here and double while it lasts
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


class ZaloError(Exception):
    """An `ok: false` answer (or something that is not a Bot API answer at all)."""

    def __init__(self, code: int | None, description: str) -> None:
        super().__init__(f"Zalo error {code}: {description}" if code is not None else description)
        self.code = code
        self.description = description


def _code(value: object) -> int | None:
    """`error_code` as a number: Zalo sends numbers, a string is read too."""
    if isinstance(value, bool):
        return None
    with contextlib.suppress(TypeError, ValueError):
        return int(value)  # type: ignore[arg-type]
    return None


def read_envelope(response: httpx.Response) -> Any:
    """The `result` of an `ok: true` answer; a ZaloError otherwise. The HTTP status only decides a non-envelope."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("ok"), bool):
        if body["ok"]:
            return body.get("result")
        code = _code(body.get("error_code"))
        raise ZaloError(code if code is not None else response.status_code, str(body.get("description", "")))
    status = response.status_code
    raise ZaloError(status if status >= 400 else None, f"not a Bot API answer (HTTP {status})")


class ZaloApi:
    """Calls the Bot API's methods at `<base_url><token>/<method>` with a JSON body."""

    def __init__(self, http: httpx.AsyncClient, base_url: str, token: str) -> None:
        self.http = http
        self._base = f"{base_url}{token}/"
        self.token = token
        self.time = PlatformTime()  # Zalo's clock, from the Date header of every answer

    async def call(self, method: str, params: dict | None = None, *, limits: Any = httpx.USE_CLIENT_DEFAULT) -> Any:
        """One call (within the client's timeouts, or `limits`); its result, or ZaloError / httpx.HTTPError."""
        response = await self.http.post(self._base + method, json=params or {}, timeout=limits)
        self.time.observe(response.headers.get("date"))
        return read_envelope(response)

    def describe(self, err: BaseException) -> str:
        """An error as words without the token (httpx errors may quote the URL)."""
        return f"{type(err).__name__}: {err}".replace(self.token, "[TOKEN]")


class ZaloTransport:
    """Sends outbox messages through sendMessage and says exactly how a failure happened."""

    channel = CHANNEL
    profile = PROFILE

    def __init__(self, api: ZaloApi, messages_per_second: int = 5) -> None:
        self.api = api
        self.limits = Limits(global_per_second=messages_per_second, private_per_second=1, group_per_minute=17)
        self._quota = Backoff(QUOTA_PAUSE, MAX_QUOTA_PAUSE)

    async def send(
        self, chat_id: str, message: Outgoing, *, reply_to: str | None = None, edit: str | None = None
    ) -> str:
        """Send one message, always as a new one (Zalo edits and quotes nothing); Zalo's id of its first part."""
        first = None
        for part in split_text(message.text, MAX_TEXT):  # already cut by the service: a safety net only
            sent = await self._send_one(chat_id, part)
            first = first or sent
        return first or ""

    async def _send_one(self, chat_id: str, part: str) -> str:
        try:
            result = await self.api.call("sendMessage", {"chat_id": chat_id, "text": part})
        except ZaloError as err:
            raise self._delivery_error(err) from err
        except NEVER_SENT as err:
            raise NotSent(self.api.describe(err)) from err
        except httpx.HTTPError as err:  # a read or write timeout, a dropped connection: it may have gone
            raise MaybeSent(self.api.describe(err)) from err
        self._quota.reset()
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return str(message_id) if message_id is not None else ""

    def _delivery_error(self, err: ZaloError) -> Exception:
        code, description = err.code, err.description[:200]
        if code == 429:
            return RetryLater(self._quota.next())
        if code == 403:
            return Unreachable(description)
        if code is None:
            return MaybeSent(description)  # HTTP 2xx with a body we cannot read: it probably went
        if code >= 500 or code == 401:
            return NotSent(str(err))  # Zalo failed it, or refused our token: the message itself is fine
        return Rejected(str(err))


class ZaloChannel:
    """Receives updates by long polling or a webhook into the inbox; handles each stored update; sends replies."""

    name = CHANNEL
    profile = PROFILE
    first_backoff, max_backoff = 1.0, 60.0  # seconds between attempts while Zalo cannot be reached

    def __init__(
        self,
        config: ZaloConfig,
        token: str,
        *,
        http: httpx.AsyncClient | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        server: HttpServer | None = None,
    ) -> None:
        """`server` is the process's HTTP server the webhook is mounted on; without one, the channel runs its own."""
        self.config = config
        self._sleep, self._monotonic = sleep, monotonic  # how it waits between attempts, and times a poll
        self._own_http = http is None
        self.http = http if http is not None else httpx.AsyncClient(timeout=SEND_TIMEOUT)
        self.api = ZaloApi(self.http, config.base_url, token)
        self.transport = ZaloTransport(self.api, config.messages_per_second)
        self.bot_names: tuple[str, ...] = ()  # how a group @mentions the bot
        self.webhook = receiver(config.webhook, server) if config.mode == "webhook" else None
        self._polling: asyncio.Task | None = None
        self._stopping = asyncio.Event()

    def platform_now(self):
        """Zalo's time by its latest answer (None before the first)."""
        return self.api.time.current()

    async def open(self) -> None:
        """Connect (retrying until Zalo answers) and, for polling, remove any webhook (it would silence polls)."""
        me = await self._until_done("getMe")
        me = me if isinstance(me, dict) else {}
        self.bot_names = tuple(n for k in ("display_name", "account_name") if isinstance(n := me.get(k), str) and n)
        if self.config.mode == "polling":
            await self._until_done("deleteWebhook")

    async def start(self, inlet: Inlet) -> None:
        """Begin receiving into `inlet`: poll, or take the webhook's calls and then register it with Zalo.

        A shared server is started by its owner before this; a webhook's own one is started here.
        """
        self._stopping.clear()
        if self.webhook is None:
            self._polling = asyncio.create_task(self._poll(inlet), name="zalo-polling")
            return
        await self.webhook.open(inlet.accept)  # listening before Zalo is told where to post
        hook = self.config.webhook
        async with inlet.once(task(CHANNEL), fingerprint(self.api.token, hook.public_url, hook.secret_value)) as todo:
            if not todo and await self._webhook_url() == hook.public_url:
                logger.info("Zalo's webhook was registered already, as it is now")
                return
            await self._until_done("setWebhook", {"url": hook.public_url, "secret_token": hook.secret_value})
            logger.info("registered Zalo's webhook")

    async def _webhook_url(self) -> str | None:
        """Where Zalo posts now (None when no webhook is set, or Zalo did not say)."""
        try:
            info = await self.api.call("getWebhookInfo")
        except (ZaloError, httpx.HTTPError):
            return None
        return info.get("url") if isinstance(info, dict) else None

    async def stop(self) -> None:
        """Stop receiving (a poll in flight may carry an update that exists nowhere else: let it land)."""
        self._stopping.set()
        if self._polling is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(self._polling), self.config.poll_timeout + 5)
            self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
            self._polling = None
        if self.webhook is not None:
            await self.webhook.close()  # from now on Zalo is answered 503 and keeps what it sends

    async def close(self) -> None:
        """Close the connection, once the inbox and the sender are done with it."""
        if self._own_http:
            await self.http.aclose()

    async def _until_done(self, method: str, params: dict | None = None) -> Any:
        """Call until Zalo answers; a refusal retrying cannot fix (token, URL, secret) is raised."""
        backoff = Backoff(self.first_backoff, self.max_backoff)
        while True:
            try:
                return await self.api.call(method, params)
            except ZaloError as err:
                if err.code in FATAL:
                    logger.error("Zalo refused %s: %s", method, err)
                    raise
                problem = str(err)
            except httpx.HTTPError as err:
                problem = self.api.describe(err)
            delay = backoff.next()
            logger.warning("Zalo did not answer %s (%s); retrying in %.0fs", method, problem, delay)
            await self._sleep(delay)

    async def _poll(self, inlet: Inlet) -> None:
        """Long-poll one update at a time; commit each to the inbox before asking for the next."""
        backoff, timeout = Backoff(self.first_backoff, self.max_backoff), self.config.poll_timeout
        limits = httpx.Timeout(timeout + POLL_MARGIN, connect=5.0)
        while not self._stopping.is_set():
            began = self._monotonic()
            try:
                result = await self.api.call("getUpdates", {"timeout": str(timeout)}, limits=limits)
            except Exception as err:
                result = None
                if not (isinstance(err, ZaloError) and err.code == IDLE):
                    delay = backoff.next()
                    logger.warning("getUpdates failed (%s); retrying in %.0fs", self.api.describe(err), delay)
                    inlet.polled(CHANNEL, ok=False)
                    await self._pause(delay)
                    continue
            backoff.reset()
            # One update object, as documented; a list is read too rather than lost.
            updates = [u for u in (result if isinstance(result, list) else [result]) if isinstance(u, dict) and u]
            for update in updates:
                await self._store(inlet, update)  # what follows an idle poll is live: a backlog is not "late"
            if not updates:
                inlet.polled(CHANNEL, ok=True)  # the queue was empty: what comes next was sent after now
                if (spent := self._monotonic() - began) < MIN_IDLE_POLL:
                    await self._pause(MIN_IDLE_POLL - spent)

    async def _store(self, inlet: Inlet, update: dict) -> None:
        """Commit one update; Zalo has already forgotten it, so a failure is told to the sender."""
        try:
            await inlet.accept(CHANNEL, [delivery_of(update)])
        except Exception:
            logger.exception("could not store a Zalo update")
            inlet.polled(CHANNEL, ok=False)
            with contextlib.suppress(Exception):
                await self.apologise(update)
            await self._pause(self.first_backoff)

    async def _pause(self, seconds: float) -> None:
        """Sleep, waking at once when the channel stops."""
        waits = (asyncio.ensure_future(self._sleep(seconds)), asyncio.ensure_future(self._stopping.wait()))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()

    async def handle(self, payload: dict, dispatch) -> None:
        """One stored update: a person's message answered through the outbox; anything else ignored."""
        incoming = incoming_of(payload, self.bot_names)
        if incoming is not None:
            await dispatch(incoming)

    async def apologise(self, payload: dict) -> None:
        """The update could not be saved: say so, so the person sends it again."""
        chat = message_of(payload).get("chat")
        chat_id = chat.get("id") if isinstance(chat, dict) else None
        if chat_id:
            await self.transport.send(str(chat_id), Outgoing(text("error.not_saved")))
