"""A fake Zalo Bot API server (Zalo Bot Platform, "Zalo Bot Creator" bots): standard library only.

Start one, point the Zalo client at ``fake.base_url`` and drive the bot as simulated users::

    with FakeZaloApi() as fake:
        url = fake.base_url + fake.token + "/sendMessage"     # base_url ends in "/bot"
        message_id = fake.push_text("u1", "/start abc")        # the bot's getUpdates returns it
        reply = fake.wait_for(lambda m: m["chat_id"] == "u1")  # what the bot answered

The real API lives at ``https://bot-api.zaloplatforms.com/bot<TOKEN>/<method>`` (older host
``bot-api.zapps.me``); the token is ``<bot_id>:<secret>``. Calls may be GET (query string) or POST with
a JSON, urlencoded or multipart body; JSON keeps its types, the other forms give strings. Every answer
is the envelope ``{"ok": true, "result": ..., "error_code": 0}`` or
``{"ok": false, "error_code": N, "description": "..."}``. See /work/notes/zalo_api.md for the sources.

Behaviour worth knowing:

* ``getUpdates`` returns ONE update object (not a list) and there is no ``update_id`` or ``offset``:
  the oldest queued update is removed from the queue when it is delivered. ``redeliver(message_id)``
  queues it again, as the platform does when it sends the same message twice. An idle poll waits
  ``min(timeout, long_poll_cap)`` seconds (``timeout`` may be a number or a string, default 30) and then
  answers error 408 "Request timeout". While a webhook is set, getUpdates never delivers (it stays idle).
* Sources disagree on the HTTP status of errors. A client that timed the real API measured HTTP 200
  for every ``ok: false`` (the idle 408, 400 and 404 included) and the official python SDK only copes
  with that form; another client says the status equals ``error_code``. The default here is HTTP 200
  (``error_status="200"``); ``FakeZaloApi(error_status="code")`` gives the other form. Run adapter tests
  in both modes: an adapter must read ``ok`` / ``error_code`` from the body, never only the status.
* Method names are case-sensitive; an unknown method or path answers error 404 "Not Found", a wrong
  token error 401 "Unauthorized".
* ``sendMessage`` needs ``chat_id`` and a text of 1-2000 characters (code points by default,
  ``length_unit="utf16"`` to count UTF-16 units); ``sendPhoto`` needs an http(s) ``photo`` URL;
  ``sendChatAction`` answers ``{"ok": true}`` without ``result`` as documented
  (``chat_action_result=True`` adds ``"result": true``).
* With ``strict_chats=True`` (default) sending to a chat that never wrote (``push_*``) nor was
  registered (``add_chat``) fails with 403, like a blocked chat (``block_chat``).
* ``setWebhook`` wants an https URL on a public host and a ``secret_token`` of 8-256 characters;
  ``getWebhookInfo`` answers error 404 when no webhook is set (observed on the real API; pass
  ``webhook_info_when_unset="empty"`` for the documented ``{"url": "", ...}``). Zalo posts each update
  to the webhook as ``{"ok": true, "result": <update>}`` with header ``X-Bot-Api-Secret-Token``:
  ``post_webhook`` / ``deliver_webhook`` do that against the bot's local endpoint.
* Group chats (``chat_type: GROUP``, beta on Zalo): the platform only forwards messages that @mention
  the bot or reply to it, so push only such messages for groups.
* ``fail_next`` / ``respond_next`` / ``delay_next`` / ``rate_limit`` inject failures; refused calls are in
  ``calls()`` but never in ``sent()``. Any exception inside the fake is answered with HTTP 500 and kept
  in ``errors``. ``stop()`` wakes long polls and delays, so it returns within a second or so.

The HTTP side (server thread, request parsing, ``calls`` / ``wait_for*``) is ``tests.fakes.http_fake``.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import ipaddress
import itertools
import json
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from tests.fakes.http_fake import Call as Call  # re-exported: the type of calls() items
from tests.fakes.http_fake import HttpFake, JSONDict, MethodQueues, Response, SendWindow, parse_params

LONG_POLL_CAP = 2.0
DEFAULT_POLL_TIMEOUT = 30.0
MAX_TEXT_LENGTH = 2000
SECRET_MIN, SECRET_MAX = 8, 256
SECRET_HEADER = "X-Bot-Api-Secret-Token"

EVENT_TEXT = "message.text.received"
EVENT_IMAGE = "message.image.received"
EVENT_STICKER = "message.sticker.received"
EVENT_VOICE = "message.voice.received"
EVENT_UNSUPPORTED = "message.unsupported.received"

_CHAT_ACTIONS = frozenset({"typing", "upload_photo"})


def fake_token() -> str:
    """A token of the real shape (``<bot_id>:<secret>``) that is plainly fake."""
    return "1234567890:" + "fake" * 8


def _now_ms() -> int:
    return int(time.time() * 1000)


def _hex_id(*parts: object) -> str:
    """A 20-hex-digit id like Zalo's, deterministic for the given parts."""
    return hashlib.sha1(":".join(map(str, parts)).encode()).hexdigest()[:20]


def _as_id(value: Any) -> str | None:
    """Zalo ids are strings; accept numbers from callers that send them."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | str):
        return str(value).strip() or None
    return None


def _public_https(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return True
    return address.is_global


@dataclass
class _RateLimit:
    per_chat_per_second: float | None = None
    global_per_second: float | None = None
    description: str = "quota exceeded"

    @property
    def active(self) -> bool:
        return self.per_chat_per_second is not None or self.global_per_second is not None


def post_webhook(
    url: str,
    update: Mapping[str, Any],
    secret: str | None,
    *,
    wrap: bool = True,
    timeout: float = 10.0,
    headers: Mapping[str, str] | None = None,
) -> tuple[int, str]:
    """POST one update to a bot's webhook endpoint the way Zalo does; return (status, body text).

    ``wrap=True`` sends the documented ``{"ok": true, "result": update}``; ``wrap=False`` sends the bare
    update (some clients assume that form). ``secret`` goes in ``X-Bot-Api-Secret-Token`` (omitted
    when None). HTTP errors are returned, not raised; connection errors raise ``OSError``.
    """
    payload = {"ok": True, "result": dict(update)} if wrap else dict(update)
    data = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    request.add_header("Content-Type", "application/json")
    if secret is not None:
        request.add_header(SECRET_HEADER, secret)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read().decode("utf-8", "replace")


class FakeZaloApi(HttpFake):
    """An in-memory Zalo Bot API served over HTTP on 127.0.0.1 (a free port)."""

    content_type = "application/json; charset=utf-8"
    parse_error = "Bad request: cannot parse the request: "
    tcp_nodelay = True

    def __init__(
        self,
        token: str | None = None,
        *,
        display_name: str = "Bot Bình Lư Test",
        account_name: str = "bot.FakeBinhLu",
        long_poll_cap: float = LONG_POLL_CAP,
        error_status: Literal["200", "code"] = "200",
        strict_chats: bool = True,
        length_unit: Literal["codepoints", "utf16"] = "codepoints",
        chat_action_result: bool = False,
        webhook_info_when_unset: Literal["404", "empty"] = "404",
        accept_multipart: bool = True,
        verbose: bool = False,
    ) -> None:
        super().__init__(verbose=verbose)
        self.token = token if token is not None else fake_token()
        self.bot_id = self.token.split(":", 1)[0]
        self.display_name = display_name
        self.account_name = account_name
        self.long_poll_cap = long_poll_cap
        if error_status not in ("200", "code"):
            raise ValueError('error_status must be "200" or "code"')
        self.error_status = error_status
        self.strict_chats = strict_chats
        self.length_unit = length_unit
        self.chat_action_result = chat_action_result
        self.webhook_info_when_unset = webhook_info_when_unset
        self.accept_multipart = accept_multipart
        self.quota_exceeded = 0

        self._counter = itertools.count(1)
        self._pending: deque[JSONDict] = deque()
        self._history: dict[str, JSONDict] = {}
        self._delivered: list[JSONDict] = []
        self._users: dict[str, JSONDict] = {}
        self._chats: dict[str, JSONDict] = {}
        self._blocked: set[str] = set()
        self._webhook: JSONDict | None = None

        self._requests: list[JSONDict] = []
        self._photos: list[JSONDict] = []
        self._stickers: list[JSONDict] = []
        self._actions: list[JSONDict] = []

        self._delays: MethodQueues[float] = MethodQueues()
        self._limit = _RateLimit()
        self._window = SendWindow(horizon=1)

        self._handlers: dict[str, Callable[[JSONDict], Response]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendSticker": self._send_sticker,
            "sendChatAction": self._send_chat_action,
        }

    # ----------------------------------------------------------------- requests

    def _parse_params(self, query: str, content_type: str, body: bytes) -> JSONDict:
        """JSON keeps its types, forms give strings; multipart bodies are ignored unless ``accept_multipart``."""
        return parse_params(
            query,
            content_type,
            body,
            json_suffix=True,
            multipart=self.accept_multipart,
            file_content=False,
            not_object="the JSON body must be an object",
        )

    def _chat_key(self, chat_id: Any) -> str | None:
        return _as_id(chat_id)

    def _record_request(
        self, method: str, http_method: str, content_type: str, params: JSONDict, *, authorized: bool
    ) -> None:
        with self._cond:
            self._requests.append(
                {
                    "method": method,
                    "http_method": http_method,
                    "content_type": content_type.split(";", 1)[0].strip().lower(),
                    "params": copy.deepcopy(params),
                    "authorized": authorized,
                }
            )

    # ----------------------------------------------------------------- envelopes

    def _ok(self, result: Any = None, *, omit_result: bool = False) -> Response:
        body: JSONDict = {"ok": True, "error_code": 0}
        if not omit_result:
            body["result"] = result
        return 200, body

    def _error(self, code: int, description: str) -> Response:
        return self._error_status(code), {"ok": False, "error_code": code, "description": description}

    def _error_status(self, code: int) -> int:
        return 200 if self.error_status == "200" else code

    # ----------------------------------------------------------------- simulated users

    def push_text(
        self,
        user_id: str | int,
        text: str,
        *,
        chat_id: str | int | None = None,
        group: bool = False,
        display_name: str = "Người dùng thử",
        date_ms: int | None = None,
    ) -> str:
        """Queue a text message from a user; return the message_id (a string) it was given."""
        return self.push_event(
            EVENT_TEXT,
            user_id,
            chat_id=chat_id,
            group=group,
            display_name=display_name,
            date_ms=date_ms,
            fields={"text": text},
        )

    def push_event(
        self,
        event_name: str,
        user_id: str | int,
        *,
        chat_id: str | int | None = None,
        group: bool = False,
        display_name: str = "Người dùng thử",
        date_ms: int | None = None,
        text: str | None = None,
        photo_url: str | None = None,
        photo_key: str = "photo_url",
        caption: str | None = None,
        sticker: str | None = None,
        fields: Mapping[str, Any] | None = None,
    ) -> str:
        """Queue any event (image, sticker, unsupported, ...); return its message_id.

        An image's URL goes under ``photo_key``: ``photo_url`` (what bots observed) by default, or
        ``photo`` (what the documentation lists). ``message.unsupported.received`` carries no content.
        A group message needs ``chat_id``.
        """
        user = _as_id(user_id)
        if user is None:
            raise ValueError("user_id must be a non-empty string or a number")
        if group and chat_id is None:
            raise ValueError("a group message needs chat_id")
        target = _as_id(chat_id) if chat_id is not None else user
        if target is None:
            raise ValueError("chat_id must be a non-empty string or a number")
        with self._cond:
            sender = {"id": user, "display_name": display_name, "is_bot": False}
            self._users[user] = sender
            chat = self._chat(target, "GROUP" if group else "PRIVATE")
            message_id = _hex_id("message", self.bot_id, next(self._counter))
            message: JSONDict = {
                "from": dict(sender),
                "chat": dict(chat),
                "message_id": message_id,
                "date": date_ms if date_ms is not None else _now_ms(),
            }
            if text is not None:
                message["text"] = text
            if photo_url is not None:
                message[photo_key] = photo_url
            if caption is not None:
                message["caption"] = caption
            if sticker is not None:
                message["sticker"] = sticker
            message.update(fields or {})
            self._enqueue({"event_name": event_name, "message": message})
            return message_id

    def push_raw(self, update: Mapping[str, Any]) -> str | None:
        """Queue any update payload as is; return its message.message_id if it has one."""
        with self._cond:
            body = copy.deepcopy(dict(update))
            self._enqueue(body)
            message = body.get("message")
            message_id = message.get("message_id") if isinstance(message, dict) else None
            return str(message_id) if message_id is not None else None

    def redeliver(self, message_id: str) -> JSONDict:
        """Queue again an already-pushed update, unchanged (same message_id): the bot must deduplicate."""
        with self._cond:
            original = self._history.get(message_id)
            if original is None:
                raise KeyError(f"no update with message_id {message_id!r}")
            self._pending.append(copy.deepcopy(original))
            self._cond.notify_all()
            return copy.deepcopy(original)

    def pending_updates(self) -> list[JSONDict]:
        """The updates queued and not yet delivered, oldest first."""
        with self._cond:
            return copy.deepcopy(list(self._pending))

    def delivered_updates(self) -> list[JSONDict]:
        """The updates getUpdates or deliver_webhook handed out, in order."""
        with self._cond:
            return copy.deepcopy(self._delivered)

    def add_chat(self, chat_id: str | int, *, group: bool = False) -> None:
        """Make a chat known (as if its user had written before) so that strict sends to it succeed."""
        target = _as_id(chat_id)
        if target is None:
            raise ValueError("chat_id must be a non-empty string or a number")
        with self._cond:
            self._chat(target, "GROUP" if group else "PRIVATE")

    def deliver_webhook(
        self, url: str, *, wrap: bool = True, secret: str | None = None, timeout: float = 10.0
    ) -> tuple[int, str] | None:
        """Pop the oldest pending update and POST it to ``url`` (the bot's local endpoint) like Zalo.

        The header carries ``secret`` or else the registered ``secret_token``. Returns (status, body),
        or None when nothing is pending.
        """
        with self._cond:
            if not self._pending:
                return None
            update = self._pending.popleft()
            self._delivered.append(copy.deepcopy(update))
            registered = self._webhook["secret_token"] if self._webhook else None
        return post_webhook(url, update, secret if secret is not None else registered, wrap=wrap, timeout=timeout)

    def _enqueue(self, update: JSONDict) -> None:
        message = update.get("message")
        if isinstance(message, dict) and message.get("message_id") is not None:
            self._history[str(message["message_id"])] = copy.deepcopy(update)
        self._pending.append(update)
        self._cond.notify_all()

    def _chat(self, chat_id: str, chat_type: str) -> JSONDict:
        chat = self._chats.get(chat_id)
        if chat is None or chat["chat_type"] != chat_type:
            chat = {"id": chat_id, "chat_type": chat_type}
            self._chats[chat_id] = chat
        return chat

    # ----------------------------------------------------------------- inspection

    @property
    def webhook(self) -> JSONDict | None:
        """The registered webhook ({url, secret_token, updated_at}) or None."""
        with self._cond:
            return copy.deepcopy(self._webhook)

    def requests(self, method: str | None = None) -> list[JSONDict]:
        """Every request that reached a /bot<token>/<method> path: method, http_method, content_type,
        params, authorized."""
        with self._cond:
            return [copy.deepcopy(r) for r in self._requests if method is None or r["method"] == method]

    def sent(self, chat_id: str | int | None = None) -> list[JSONDict]:
        """Successful sendMessage calls: chat_id, text, message_id, date, params."""
        return self._select(self._sent, chat_id)

    def photos(self, chat_id: str | int | None = None) -> list[JSONDict]:
        """Successful sendPhoto calls: chat_id, photo, caption, message_id, date, params."""
        return self._select(self._photos, chat_id)

    def stickers(self, chat_id: str | int | None = None) -> list[JSONDict]:
        """Successful sendSticker calls: chat_id, sticker, message_id, date, params."""
        return self._select(self._stickers, chat_id)

    def chat_actions(self, chat_id: str | int | None = None) -> list[JSONDict]:
        """Successful sendChatAction calls: chat_id, action, params."""
        return self._select(self._actions, chat_id)

    # ----------------------------------------------------------------- fault injection

    def block_chat(self, chat_id: str | int) -> None:
        """Make every send* to ``chat_id`` fail with 403, as if the user blocked the bot."""
        with self._cond:
            self._blocked.add(str(chat_id))

    def unblock_chat(self, chat_id: str | int) -> None:
        """Undo ``block_chat``."""
        with self._cond:
            self._blocked.discard(str(chat_id))

    def fail_next(
        self, method: str, code: int, description: str, *, times: int = 1, http_status: int | None = None
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with this error (e.g. 429 "quota exceeded").

        The HTTP status follows the fake's error mode unless ``http_status`` is given. Injections stack.
        """
        body = {"ok": False, "error_code": code, "description": description}
        status = http_status if http_status is not None else self._error_status(code)
        self.respond_next(method, body, status=status, times=times)

    def respond_next(self, method: str, body: Mapping[str, Any], *, status: int = 200, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with exactly this JSON body and HTTP status
        (e.g. ``{"ok": true, "result": {}}`` or ``"error_code": "408"`` as a string)."""
        with self._cond:
            self._canned.push(method, (status, dict(body)), times)

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Hold the next ``times`` answers to ``method`` for ``seconds`` (read-timeout tests); stop() cuts it."""
        with self._cond:
            self._delays.push(method, seconds, times)

    def rate_limit(
        self,
        per_chat_per_second: float | None = None,
        global_per_second: float | None = None,
        *,
        description: str = "quota exceeded",
    ) -> None:
        """Answer 429 to sends over these sliding one-second windows; no arguments switches it off."""
        with self._cond:
            self._limit = _RateLimit(per_chat_per_second, global_per_second, description)
            self._window.clear()

    # ----------------------------------------------------------------- dispatch

    def _dispatch(self, method: str, params: JSONDict) -> Response:
        with self._cond:
            self._calls.append((method, copy.deepcopy(params)))
            self._cond.notify_all()
            delay = self._delays.pop(method) or 0.0
        if delay > 0:
            self._stopping.wait(delay)
        with self._cond:
            canned = self._canned.pop(method)
            if canned is not None:
                return canned
            handler = self._handlers.get(method)
            if handler is None:
                return self._error(404, "Not Found")
            if method == "getUpdates":  # waits on the condition, which releases the lock
                return handler(params)
            status, body = handler(params)
            self._cond.notify_all()
            return status, body

    # ----------------------------------------------------------------- method handlers (lock held)

    def _get_me(self, params: JSONDict) -> Response:
        return self._ok(
            {
                "id": self.bot_id,
                "account_name": self.account_name,
                "account_type": "BASIC",
                "can_join_groups": True,
                "display_name": self.display_name,
            }
        )

    def _poll_seconds(self, value: Any) -> float:
        if isinstance(value, bool):
            return DEFAULT_POLL_TIMEOUT
        if isinstance(value, int | float):
            return max(float(value), 0.0)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return max(float(value), 0.0)
        return DEFAULT_POLL_TIMEOUT

    def _get_updates(self, params: JSONDict) -> Response:
        wait = min(self._poll_seconds(params.get("timeout")), self.long_poll_cap)

        def ready() -> bool:
            return self.closed or (self._webhook is None and bool(self._pending))

        if wait > 0:
            self._cond.wait_for(ready, wait)
        if self._webhook is None and self._pending:
            update = self._pending.popleft()
            self._delivered.append(copy.deepcopy(update))
            self._cond.notify_all()
            return self._ok(update)
        return self._error(408, "Request timeout")

    def _set_webhook(self, params: JSONDict) -> Response:
        url = params.get("url")
        secret = params.get("secret_token")
        if not isinstance(url, str) or not url:
            return self._error(400, "Bad request: The url must not be empty")
        if not _public_https(url):
            return self._error(400, "Bad request: The url must be a public https:// URL")
        if not isinstance(secret, str) or not SECRET_MIN <= len(secret) <= SECRET_MAX:
            return self._error(
                400, f"Bad request: The secret_token must be between {SECRET_MIN} and {SECRET_MAX} characters"
            )
        self._webhook = {"url": url, "secret_token": secret, "updated_at": _now_ms()}
        return self._ok({"url": url, "updated_at": self._webhook["updated_at"]})

    def _delete_webhook(self, params: JSONDict) -> Response:
        self._webhook = None
        self._cond.notify_all()
        return self._ok({"url": "", "updated_at": _now_ms()})

    def _get_webhook_info(self, params: JSONDict) -> Response:
        if self._webhook is not None:
            return self._ok({"url": self._webhook["url"], "updated_at": self._webhook["updated_at"]})
        if self.webhook_info_when_unset == "empty":
            return self._ok({"url": "", "updated_at": _now_ms()})
        return self._error(404, "Not Found")

    def _text_length(self, text: str) -> int:
        if self.length_unit == "utf16":
            return len(text.encode("utf-16-le")) // 2
        return len(text)

    def _target(self, params: JSONDict) -> str | Response:
        """The chat to send to, or the 400 for a missing chat_id."""
        chat_id = _as_id(params.get("chat_id"))
        if chat_id is None:
            return self._error(400, "Bad request: The chat_id must not be empty")
        return chat_id

    def _refusal(self, chat_id: str, *, outgoing: bool) -> Response | None:
        if chat_id in self._blocked:
            return self._error(403, "Forbidden: the user has blocked the bot")
        if self.strict_chats and chat_id not in self._chats:
            return self._error(403, "Forbidden: the user has not interacted with the bot")
        if outgoing and self._over_limit(chat_id):
            self.quota_exceeded += 1
            return self._error(429, self._limit.description)
        return None

    def _over_limit(self, chat_id: str) -> bool:
        limit = self._limit
        if not limit.active:
            return False
        if limit.global_per_second is not None and self._window.count(1) >= limit.global_per_second:
            return True
        return limit.per_chat_per_second is not None and self._window.count(1, chat_id) >= limit.per_chat_per_second

    def _check_text(self, name: str, value: Any, *, required: bool) -> Response | None:
        if value is None and not required:
            return None
        if not isinstance(value, str) or value == "":
            return self._error(400, f"Bad request: The {name} must not be empty")
        if self._text_length(value) > MAX_TEXT_LENGTH:
            return self._error(400, f"Bad request: The {name} must be between 1 and {MAX_TEXT_LENGTH} characters")
        return None

    def _deliver(self, params: JSONDict, check: Callable[[], Response | None], *, outgoing: bool) -> str | Response:
        target = self._target(params)
        if isinstance(target, tuple):
            return target
        problem = check()
        if problem is not None:
            return problem
        refusal = self._refusal(target, outgoing=outgoing)
        if refusal is not None:
            return refusal
        if outgoing:
            self._window.add(target)
        return target

    def _message_result(self) -> JSONDict:
        return {"message_id": _hex_id("bot", self.bot_id, next(self._counter)), "date": _now_ms()}

    def _send_message(self, params: JSONDict) -> Response:
        text = params.get("text")
        target = self._deliver(params, lambda: self._check_text("text", text, required=True), outgoing=True)
        if isinstance(target, tuple):
            return target
        result = self._message_result()
        self._sent.append({"chat_id": target, "text": text, **result, "params": copy.deepcopy(params)})
        return self._ok(result)

    def _send_photo(self, params: JSONDict) -> Response:
        photo = params.get("photo")
        caption = params.get("caption")

        def check() -> Response | None:
            if not isinstance(photo, str) or not photo:
                return self._error(400, "Bad request: The photo must not be empty")
            if not photo.lower().startswith(("http://", "https://")):
                return self._error(400, "Bad request: The photo must start with http:// or https://")
            if caption in (None, ""):
                return None
            return self._check_text("caption", caption, required=False)

        target = self._deliver(params, check, outgoing=True)
        if isinstance(target, tuple):
            return target
        result = self._message_result()
        self._photos.append(
            {"chat_id": target, "photo": photo, "caption": caption, **result, "params": copy.deepcopy(params)}
        )
        return self._ok(result)

    def _send_sticker(self, params: JSONDict) -> Response:
        sticker = params.get("sticker")

        def check() -> Response | None:
            if not isinstance(sticker, str) or not sticker:
                return self._error(400, "Bad request: The sticker must not be empty")
            return None

        target = self._deliver(params, check, outgoing=True)
        if isinstance(target, tuple):
            return target
        result = self._message_result()
        self._stickers.append({"chat_id": target, "sticker": sticker, **result, "params": copy.deepcopy(params)})
        return self._ok(result)

    def _send_chat_action(self, params: JSONDict) -> Response:
        action = params.get("action")

        def check() -> Response | None:
            if not isinstance(action, str) or not action:
                return self._error(400, "Bad request: The action must not be empty")
            if action not in _CHAT_ACTIONS:
                return self._error(400, "Bad request: The action is invalid")
            return None

        target = self._deliver(params, check, outgoing=False)
        if isinstance(target, tuple):
            return target
        self._actions.append({"chat_id": target, "action": action, "params": copy.deepcopy(params)})
        return self._ok(True, omit_result=not self.chat_action_result)
