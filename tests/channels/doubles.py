"""Test doubles for the channel adapters: the Zalo Bot API as an httpx.MockTransport handler, and a sleep that
never waits. Nothing here opens a socket or reads the time; what a test waits for, it waits for as an event.

`MockZalo` keeps Zalo's manners the adapter must cope with (tests/fakes/zalo_api_server.py, the fake the
end-to-end tests run, documents them with their sources): every answer is the `{ok, result}` or `{ok: false,
error_code, description}` envelope, with HTTP 200 or, in the other error mode, the error code as the status;
getUpdates hands out ONE queued update and forgets it; a text is 1–2000 UTF-16 units. An idle poll is held
until an update is pushed, or until the test hangs up (`hang_up`), when it ends as Zalo's does, with error 408.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import traceback
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any, Literal

import httpx

from tests.fakes.zalo_api_server import EVENT_TEXT
from tests.support.clock import Ticks

TOKEN = "1234567890:" + "mock" * 8
MAX_TEXT = 2000
Answer = Callable[[httpx.Request, dict], Awaitable[httpx.Response]]


class Pauses:
    """A channel's `sleep` that never waits: it records each pause and moves `ticks` past it.

    With `hold`, a pause lasts until something else ends it (the channel stopping)."""

    def __init__(self, ticks: Ticks | None = None, *, hold: bool = False) -> None:
        self.ticks = ticks or Ticks()
        self.hold = hold
        self.asked: list[float] = []
        self.began = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        self.ticks.now += seconds
        self.began.set()
        if self.hold:
            await asyncio.Event().wait()
        await asyncio.sleep(0)  # a pause lets the rest of the loop run, as a real one would


class MockZalo:
    """The Zalo Bot API in the test's event loop: records calls, answers them, fails them on cue."""

    display_name, account_name = "Bot Bình Lư Test", "bot.FakeBinhLu"

    def __init__(self, clock: Callable[[], datetime], *, error_status: Literal["200", "code"] = "200") -> None:
        self.clock = clock  # dates the pushed messages, so no clock-skew alarm is raised
        self.ticks = Ticks()  # the monotonic time the calls take (see `respond_next`)
        self.error_status = error_status
        self.token = TOKEN
        self.http = httpx.AsyncClient(transport=httpx.MockTransport(self.handle))
        self.calls: list[tuple[str, dict]] = []
        self.sent: list[dict] = []  # accepted sendMessage calls: chat_id, text, params
        self.errors: list[str] = []  # what the adapter should never have caused (an unknown method, a bug here)
        self.webhook: dict | None = None
        self._pending: deque[dict] = deque()
        self._history: dict[str, dict] = {}
        self._answers: dict[str, deque[Answer]] = {}
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._hung_up = False

    # ----------------------------------------------------------------- what Zalo's users do

    def push(
        self, user: str, *, event: str = EVENT_TEXT, chat: str | None = None, name: str = "Lan Nguyễn", **fields
    ) -> str:
        """Queue a message from `user` (in the group `chat`, if given) for getUpdates; its message id."""
        message_id = f"m{next(self._ids):019d}"
        message = {
            "from": {"id": user, "display_name": name, "is_bot": False},
            "chat": {"id": chat or user, "chat_type": "GROUP" if chat else "PRIVATE"},
            "message_id": message_id,
            "date": int(self.clock().timestamp() * 1000),
            **fields,
        }
        self._history[message_id] = {"event_name": event, "message": message}
        self.redeliver(message_id)
        return message_id

    def redeliver(self, message_id: str) -> None:
        """Queue an update again, unchanged, as Zalo does when it sends a message twice."""
        self._pending.append(copy.deepcopy(self._history[message_id]))
        self._notify()

    def hang_up(self) -> None:
        """End every poll held now or later with the idle 408, as Zalo does when the poll's time is up."""
        self._hung_up = True
        self._notify()

    # ----------------------------------------------------------------- answers on cue

    def fail_next(self, method: str, code: int, description: str, *, times: int = 1, taking: float = 0) -> None:
        """The next `times` calls of `method` get this error, with the HTTP status of the error mode."""
        body, status = self._error_body(code, description), self._status(code)
        self.respond_next(method, body, status=status, times=times, taking=taking)

    def respond_next(self, method: str, body: dict, *, status: int = 200, times: int = 1, taking: float = 0) -> None:
        """The next `times` calls of `method` get exactly this body and status, each `taking` seconds of `ticks`."""

        async def answer(request: httpx.Request, params: dict) -> httpx.Response:
            self.ticks.now += taking
            return httpx.Response(status, json=body)

        self._answers.setdefault(method, deque()).extend([answer] * times)

    def break_next(self, method: str, error: type[httpx.TransportError], *, arrived: bool) -> None:
        """The next call of `method` fails in transit with `error`, quoting the URL (and so the token) as httpx
        does; if it `arrived`, Zalo acted on it first (a read timeout: a message that went)."""

        async def answer(request: httpx.Request, params: dict) -> httpx.Response:
            if arrived:
                await self._dispatch(method, params)
            raise error(f"{error.__name__} on {request.url}", request=request)

        self._answers.setdefault(method, deque()).append(answer)

    # ----------------------------------------------------------------- what the test reads

    def calls_of(self, method: str) -> list[dict]:
        """The parameters of every call of `method` that carried the right token, in order."""
        return [params for name, params in self.calls if name == method]

    def sent_to(self, chat: str) -> list[str]:
        """The texts sent to `chat`, in order."""
        return [m["text"] for m in self.sent if m["chat_id"] == chat]

    async def until(self, condition: Callable[[], Any], what: str) -> Any:
        """Wait until `condition()` is true (re-checked after every call); a broken adapter fails the test."""
        try:
            async with asyncio.timeout(10):  # a bound on a condition, not a timer: it passes as soon as it holds
                while not (result := condition()):
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(f"{what}: never happened; calls {[name for name, _ in self.calls]}") from None
        return result

    async def reply(self, chat: str, *, since: int) -> str:
        """The first text sent to `chat` from `sent[since]` on."""
        found = await self.until(lambda: [m for m in self.sent[since:] if m["chat_id"] == chat], f"a reply to {chat}")
        return found[0]["text"]

    # ----------------------------------------------------------------- the API

    async def handle(self, request: httpx.Request) -> httpx.Response:
        """The MockTransport handler: `<base_url><token>/<method>` with a JSON body; every answer dated by the
        mock's clock, as a real server dates its answers."""
        response = await self._answer(request)
        response.headers["Date"] = format_datetime(self.clock().astimezone(UTC), usegmt=True)
        return response

    async def _answer(self, request: httpx.Request) -> httpx.Response:
        token, _, method = request.url.path.removeprefix("/bot").partition("/")
        if token != self.token:
            return self._error(401, "Unauthorized")
        params = json.loads(request.content or b"{}")
        self.calls.append((method, params))
        self._notify()
        try:
            if answers := self._answers.get(method):
                return await answers.popleft()(request, params)
            return await self._dispatch(method, params)
        except httpx.TransportError:
            raise
        except Exception:
            self.errors.append(traceback.format_exc())
            return httpx.Response(500, json=self._error_body(500, "Internal Server Error"))

    async def _dispatch(self, method: str, params: dict) -> httpx.Response:
        if method == "getMe":
            return self._ok(
                {"id": self.token.split(":")[0], "display_name": self.display_name, "account_name": self.account_name}
            )
        if method == "getUpdates":
            return await self._get_updates()
        if method == "sendMessage":
            return self._send_message(params)
        if method == "setWebhook":
            self.webhook = dict(params)
            return self._ok({"url": params.get("url")})
        if method == "deleteWebhook":
            self.webhook = None
            self._notify()
            return self._ok({"url": ""})
        if method == "getWebhookInfo":  # as the real API answers: 404 while none is set
            if self.webhook is None:
                return self._error(404, "Not Found")
            return self._ok({"url": self.webhook.get("url"), "updated_at": 1750316131602})
        self.errors.append(f"a call of {method}, which the adapter does not use")
        return self._error(404, "Not Found")

    async def _get_updates(self) -> httpx.Response:
        while self.webhook is not None or not self._pending:  # while a webhook is set, polls stay idle
            if self._hung_up:
                return self._error(408, "Request timeout")
            await self._changed.wait()
        return self._ok(self._pending.popleft())

    def _send_message(self, params: dict) -> httpx.Response:
        text = params.get("text")
        if not params.get("chat_id"):
            return self._error(400, "Bad request: The chat_id must not be empty")
        if not isinstance(text, str) or not 1 <= len(text.encode("utf-16-le")) // 2 <= MAX_TEXT:
            return self._error(400, f"Bad request: The text must be between 1 and {MAX_TEXT} characters")
        message_id = f"b{next(self._ids):019d}"
        self.sent.append({"chat_id": params["chat_id"], "text": text, "params": params})
        self._notify()
        return self._ok({"message_id": message_id, "date": int(self.clock().timestamp() * 1000)})

    def _notify(self) -> None:
        """Wake everything waiting for a change (held polls, `until`)."""
        self._changed.set()
        self._changed = asyncio.Event()

    def _ok(self, result: Any) -> httpx.Response:
        return httpx.Response(200, json={"ok": True, "result": result, "error_code": 0})

    def _error(self, code: int, description: str) -> httpx.Response:
        return httpx.Response(self._status(code), json=self._error_body(code, description))

    def _error_body(self, code: int, description: str) -> dict:
        return {"ok": False, "error_code": code, "description": description}

    def _status(self, code: int) -> int:
        return 200 if self.error_status == "200" else code
