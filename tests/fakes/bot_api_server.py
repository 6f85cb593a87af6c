"""A fake Telegram Bot API server: standard library only, for in-process and end-to-end tests.

Start one, point python-telegram-bot at ``fake.base_url`` and drive the bot as simulated users::

    with FakeBotApi() as fake:
        bot = Bot(fake.token, base_url=fake.base_url)   # or `python -m bot run` in a subprocess
        fake.push_text(1001, "/start abc")
        reply = fake.wait_for(lambda m: m["chat_id"] == 1001)

Requests arrive as ``POST /bot<TOKEN>/<method>``. The body may be JSON, urlencoded or multipart:
PTB's HTTPXRequest sends ``application/x-www-form-urlencoded`` (``multipart/form-data`` when a file
is uploaded) where every value is a string: strings raw, everything else JSON-dumped (ints as
``"123"``, booleans as ``"true"``, reply_markup/entities/allowed_updates as JSON text). Parameters
are decoded back to Python values here, except free-text ones (text, caption, ...) which stay raw.

Behaviour worth knowing:

* Responses are shaped like the real API: ``{"ok": true, "result": ...}`` or
  ``{"ok": false, "error_code": N, "description": "...", "parameters": {...}}`` with the same
  HTTP status, so PTB raises the matching exception (Forbidden, BadRequest, ChatMigrated,
  RetryAfter, InvalidToken, NetworkError for 5xx).
* A path token other than the configured one gets 401 Unauthorized; an unknown path gets 404.
* Message ids are counted per chat and shared by user and bot messages, as in Telegram.
* ``getUpdates`` drops updates whose ``update_id < offset`` and long-polls for at most
  ``LONG_POLL_CAP`` seconds so that ``stop()`` is quick. ``deleteWebhook(drop_pending_updates)``
  really drops the queue.
* ``setWebhook`` keeps its URL, secret and allowed updates (``webhook``), ``getWebhookInfo`` answers the URL,
  ``deleteWebhook`` clears it; while one is set ``getUpdates`` gets 409 Conflict, as from Telegram.
* ``editMessageText`` / ``editMessageReplyMarkup`` fail with 400 like Telegram when the message is
  unknown or nothing changed ("message is not modified").
* sendMessage rejects empty text and text over 4096 characters (HTML tags not counted).
* Unknown methods are recorded and answered with ``true``; unknown ``send*`` methods get a
  generic Message back.
* ``block_chat`` / ``migrate_chat`` affect every ``send*`` and ``edit*`` call to that chat; rate
  limits count successful ``send*`` calls (not sendChatAction). Refused calls still appear in
  ``calls()`` but never in ``sent()``.
* Rate limits are off unless asked for: ``rate_limit(...)`` sets sliding windows (and a private
  chat's burst), ``telegram_limits()`` Telegram's own (30/s overall, a burst of 5 then 1/s to a
  private chat, 20/min to a group). A send over them gets 429 with ``retry_after``: the whole
  seconds until it would have been allowed, unless a fixed one is given. Time is ``clock``
  (``time.monotonic`` unless the test passes its own).
* PTB >= 22.2 emits a PTBDeprecationWarning whenever a RetryAfter is *constructed* (its
  ``__init__`` reads ``retry_after``) unless ``PTB_TIMEDELTA=1`` is set: with
  ``filterwarnings = error`` every 429 becomes that warning, so set the variable in such tests.
* ``push_document`` sends a file as a user does; ``getFile`` answers its path and the file is served at
  ``base_file_url + token + "/" + path``, as Telegram serves files to bots.
* Any exception inside the fake is answered with HTTP 500 and kept in ``errors``.

The HTTP side (server thread, request parsing, ``calls`` / ``wait_for*``) is ``tests.fakes.http_fake``.
"""

from __future__ import annotations

import copy
import html
import itertools
import json
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from tests.fakes.http_fake import Call as Call  # re-exported: the type of calls() items
from tests.fakes.http_fake import HttpFake, JSONDict, Response, SendWindow, parse_params

DEFAULT_TOKEN = "123456:TEST-fake-token-xxxxxxxxxxxxxxxxxxxxxxxx"
DEFAULT_USERNAME = "binhlu_test_bot"
FILE_PATH = re.compile(r"^/file/bot(?P<token>[^/]+)/(?P<path>documents/[A-Za-z0-9_.-]+)$")
LONG_POLL_CAP = 2.0
MAX_MESSAGE_LENGTH = 4096

# Parameters that are free text: never JSON-decode them, even when they look like JSON ("123").
_RAW_STRING_KEYS = frozenset(
    {
        "business_connection_id",
        "callback_query_id",
        "caption",
        "currency",
        "custom_title",
        "description",
        "emoji",
        "explanation",
        "file_id",
        "inline_message_id",
        "invite_link",
        "language_code",
        "message_effect_id",
        "name",
        "next_offset",
        "parse_mode",
        "payload",
        "provider_token",
        "query",
        "question",
        "secret_token",
        "short_description",
        "start_parameter",
        "text",
        "title",
        "url",
    }
)
_OUTGOING_EXTRA = frozenset({"copyMessage", "copyMessages", "forwardMessage", "forwardMessages"})
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_TAG = re.compile(r"<[^>]*>")


def ok(result: Any) -> Response:
    """A successful Bot API response."""
    return 200, {"ok": True, "result": result}


def error(code: int, description: str, parameters: JSONDict | None = None) -> Response:
    """A failed Bot API response, shaped like Telegram's."""
    body: JSONDict = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return code, body


def _decode_value(key: str, value: Any) -> Any:
    """Turn one transported parameter back into the value the caller meant."""
    if not isinstance(value, str) or key in _RAW_STRING_KEYS:
        return value
    try:
        return json.loads(value, parse_constant=_reject_constant)
    except ValueError:
        return value


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _visible_text(text: str, parse_mode: str | None) -> str:
    """The text a user would see: HTML tags removed and entities unescaped."""
    if parse_mode and parse_mode.upper() == "HTML":
        return html.unescape(_TAG.sub("", text))
    return text


def _as_chat_id(value: Any) -> int | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value or None
    return None


@dataclass
class _RateLimits:
    per_chat_per_second: float | None = None
    global_per_second: float | None = None
    group_per_minute: float | None = None
    retry_after: int | None = 1  # None: the seconds until the send would have gone, rounded up
    private_burst: int | None = None  # a private chat's bucket: this many at once, refilled per_chat_per_second

    @property
    def active(self) -> bool:
        return any(x is not None for x in (self.per_chat_per_second, self.global_per_second, self.group_per_minute))


class FakeBotApi(HttpFake):
    """An in-memory Telegram Bot API served over HTTP on 127.0.0.1."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        username: str = DEFAULT_USERNAME,
        *,
        first_name: str = "Bình Lư Test Bot",
        verbose: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(verbose=verbose)
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_user: JSONDict = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": first_name,
            "username": username,
        }
        self.too_many_requests = 0

        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._pending: list[JSONDict] = []
        self._history: dict[int, JSONDict] = {}
        self._message_ids: dict[int, int] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._chats: dict[int, JSONDict] = {}
        self._users: dict[int, JSONDict] = {}
        self._commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.webhook: JSONDict | None = None  # what setWebhook asked for, while it holds

        self._documents: list[JSONDict] = []
        self._files: dict[str, bytes] = {}  # what users sent, by file_id
        self._fetched: list[str] = []

        self._blocked: set[int] = set()
        self._migrated: dict[int, int] = {}
        self._limits = _RateLimits()
        self._clock = clock
        self._window = SendWindow(horizon=60, clock=clock)
        self._buckets: dict[int, float] = {}  # a private chat's bucket: when it is full again

        self._handlers: dict[str, Callable[[JSONDict], Response]] = {
            name.lower(): handler
            for name, handler in {
                "getMe": self._get_me,
                "logOut": self._true,
                "close": self._true,
                "deleteWebhook": self._delete_webhook,
                "setWebhook": self._set_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "getUpdates": self._get_updates,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "sendMessage": self._send_message,
                "sendDocument": self._send_document,
                "getFile": self._get_file,
                "sendChatAction": self._true,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._true,
                "getChat": self._get_chat,
                "getChatMember": self._get_chat_member,
                "getChatAdministrators": self._get_chat_administrators,
            }.items()
        }

    # ----------------------------------------------------------------- simulated users

    def push_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Test",
        username: str | None = None,
        chat_title: str | None = None,
        date: int | None = None,
    ) -> int:
        """Queue a text message from a user (sent at ``date``, Unix seconds, or now); a leading /command gets a
        bot_command entity."""
        with self._cond:
            user = self._user(user_id, first_name, username)
            chat = self._chat(chat_id if chat_id is not None else user_id, chat_type, chat_title)
            message_id = self._next_message_id(chat["id"])
            message: JSONDict = {
                "message_id": message_id,
                "from": user,
                "chat": chat,
                "date": int(time.time()) if date is None else date,
                "text": text,
            }
            if text.startswith("/"):
                command = text.split(maxsplit=1)[0] if text.strip() else text
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
            self._messages[(chat["id"], message_id)] = message
            self._enqueue({"message": message})
            return message_id

    def push_document(
        self,
        user_id: int,
        content: bytes,
        file_name: str,
        caption: str = "",
        *,
        first_name: str = "Test",
        file_size: int | None = None,
        date: int | None = None,
    ) -> int:
        """Queue a file sent in a private chat (at ``date``, Unix seconds, or now), with a caption (a /command gets
        its entity); its message id. ``file_size`` is what Telegram announces, the content's length unless given.
        """
        with self._cond:
            file_id = f"upload{len(self._files) + 1}"
            self._files[file_id] = content
            user, chat = self._user(user_id, first_name), self._chat(user_id, "private")
            message_id = self._next_message_id(chat["id"])
            document = {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_name": file_name,
                "mime_type": "application/octet-stream",
                "file_size": len(content) if file_size is None else file_size,
            }
            message: JSONDict = {
                "message_id": message_id,
                "from": user,
                "chat": chat,
                "date": int(time.time()) if date is None else date,
                "document": document,
            }
            if caption:
                message["caption"] = caption
            if caption.startswith("/"):
                length = _utf16_len(caption.split(maxsplit=1)[0])
                message["caption_entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
            self._messages[(chat["id"], message_id)] = message
            self._enqueue({"message": message})
            return message_id

    @property
    def base_file_url(self) -> str:
        """Where files are served, as python-telegram-bot's ``base_file_url`` (the token appended)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def downloads(self) -> list[str]:
        """The file ids whose content the bot fetched, in order."""
        with self._cond:
            return list(self._fetched)

    def push_callback(
        self,
        user_id: int,
        data: str,
        message_id: int,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> str:
        """Queue a button press on the bot message ``message_id``; return the callback id."""
        with self._cond:
            user = self._user(user_id)
            target = chat_id if chat_id is not None else user_id
            chat = self._chats.get(target) or self._chat(target, chat_type)
            message = self._messages.get((chat["id"], message_id))
            if message is None:  # unknown to the fake: invent it so that edits to it work
                message = {
                    "message_id": message_id,
                    "from": self.bot_user,
                    "chat": chat,
                    "date": int(time.time()),
                    "text": "…",
                }
                self._messages[(chat["id"], message_id)] = message
                self._message_ids[chat["id"]] = max(self._message_ids.get(chat["id"], 0), message_id)
            callback_id = str(next(self._callback_ids))
            self._enqueue(
                {
                    "callback_query": {
                        "id": callback_id,
                        "from": user,
                        "chat_instance": f"ci{chat['id']}",
                        "message": message,
                        "data": data,
                    }
                }
            )
            return callback_id

    def push_raw_update(self, update: Mapping[str, Any]) -> int:
        """Queue any update payload; an ``update_id`` is assigned. Returns the update_id."""
        with self._cond:
            body = {k: v for k, v in update.items() if k != "update_id"}
            return self._enqueue(body)

    def replay(self, update_id: int) -> int:
        """Queue again an already-pushed update, as Telegram does when it redelivers.

        The copy gets a new update_id (otherwise PTB's offset would skip it) but otherwise
        identical content, including message_id / callback id, so the bot must deduplicate on
        message content rather than on update_id. Returns the new update_id.
        """
        with self._cond:
            original = self._history.get(update_id)
            if original is None:
                raise KeyError(f"no update with update_id {update_id}")
            body = {k: v for k, v in copy.deepcopy(original).items() if k != "update_id"}
            return self._enqueue(body)

    def update(self, update_id: int) -> JSONDict:
        """A copy of an update as queued: what Telegram would POST to a webhook."""
        with self._cond:
            return copy.deepcopy(self._history[update_id])

    @property
    def pending_updates(self) -> int:
        """How many queued updates the bot has not confirmed yet."""
        with self._cond:
            return len(self._pending)

    @property
    def last_update_id(self) -> int | None:
        """The update_id of the most recently queued update."""
        with self._cond:
            return max(self._history, default=None)

    def _enqueue(self, body: JSONDict) -> int:
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **copy.deepcopy(body)}
        self._history[update_id] = update
        self._pending.append(update)
        self._cond.notify_all()
        return update_id

    def _user(self, user_id: int, first_name: str = "Test", username: str | None = None) -> JSONDict:
        known = self._users.get(user_id)
        if known is not None and first_name == "Test" and username is None:
            return known
        user: JSONDict = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": "vi",
        }
        if username:
            user["username"] = username
        self._users[user_id] = user
        return user

    def _chat(self, chat_id: int, chat_type: str | None = None, title: str | None = None) -> JSONDict:
        if chat_type == "private" and chat_id < 0:  # private chats always have positive ids
            chat_type = None
        known = self._chats.get(chat_id)
        if (
            known is not None
            and (chat_type is None or known["type"] == chat_type)
            and (title is None or known.get("title") == title)
        ):
            return known
        if chat_type is None:
            chat_type = "private" if chat_id > 0 else "supergroup"
        if chat_type == "private":
            user = self._users.get(chat_id, {})
            chat: JSONDict = {"id": chat_id, "type": "private"}
            chat["first_name"] = user.get("first_name", "Test")
            if "username" in user:
                chat["username"] = user["username"]
        else:
            chat = {"id": chat_id, "type": chat_type, "title": title or f"Test {chat_type}"}
        self._chats[chat_id] = chat
        return chat

    def _next_message_id(self, chat_id: int) -> int:
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    # ----------------------------------------------------------------- inspection

    def sent(self, chat_id: int | None = None) -> list[JSONDict]:
        """Successful sendMessage calls: chat_id, text, reply_markup, message_id, params."""
        return self._select(self._sent, chat_id)

    def documents(self, chat_id: int | None = None) -> list[JSONDict]:
        """Successful sendDocument calls: chat_id, document, caption, message_id, params."""
        return self._select(self._documents, chat_id)

    def registered_commands(self, scope: Mapping[str, Any] | None = None, language_code: str = "") -> list[JSONDict]:
        """The command list last set by setMyCommands for a scope and language."""
        with self._cond:
            return copy.deepcopy(self._commands.get(self._scope_key(scope, language_code), []))

    # ----------------------------------------------------------------- fault injection

    def block_chat(self, chat_id: int) -> None:
        """Make sends to ``chat_id`` fail with 403 as if the user blocked the bot."""
        with self._cond:
            self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        """Undo ``block_chat``."""
        with self._cond:
            self._blocked.discard(chat_id)

    def migrate_chat(self, old_id: int, new_id: int) -> None:
        """Make sends to ``old_id`` fail with 400 and parameters.migrate_to_chat_id."""
        with self._cond:
            self._migrated[old_id] = new_id
            old = self._chats.get(old_id)
            title = old.get("title") if old else None
            self._chat(new_id, "supergroup", title)

    def rate_limit(
        self,
        per_chat_per_second: float | None = None,
        global_per_second: float | None = None,
        group_per_minute: float | None = None,
        retry_after: int | None = 1,
        private_burst: int | None = None,
    ) -> None:
        """Answer 429 to sends over these sliding-window limits (with ``private_burst``, a private chat gets a
        token bucket of that many refilled at ``per_chat_per_second``); all None switches it off."""
        with self._cond:
            self._limits = _RateLimits(
                per_chat_per_second, global_per_second, group_per_minute, retry_after, private_burst
            )
            self._window.clear()
            self._buckets.clear()

    def telegram_limits(self) -> None:
        """Enforce Telegram's limits: 30 sends a second overall, a burst of 5 then 1 a second to a private chat,
        20 a minute to a group; a 429 says how long until the send would have been allowed."""
        self.rate_limit(
            per_chat_per_second=1, global_per_second=30, group_per_minute=20, retry_after=None, private_burst=5
        )

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        parameters: JSONDict | None = None,
    ) -> None:
        """Make the next call of ``method`` fail once with this error (calls stack up)."""
        with self._cond:
            self._canned.push(method, error(error_code, description, parameters))

    # ----------------------------------------------------------------- dispatch

    def _error(self, code: int, description: str) -> Response:
        return error(code, description)

    def _parse_params(self, query: str, content_type: str, body: bytes) -> JSONDict:
        """Parameters decoded back to Python values, except free-text ones (see ``_RAW_STRING_KEYS``)."""
        raw = parse_params(query, content_type, body)
        return {key: _decode_value(key, value) for key, value in raw.items()}

    def _method_key(self, method: str) -> str:
        return method.lower()  # Telegram's method names are case-insensitive

    def _dispatch(self, method: str, params: JSONDict) -> Response:
        key = method.lower()
        if key == "getupdates":  # long poll: must not hold the lock while waiting
            with self._cond:
                self._calls.append((method, params))
                self._cond.notify_all()
                failure = self._canned.pop(key)
            return failure or self._get_updates(params)
        with self._cond:
            self._calls.append((method, params))
            self._cond.notify_all()
            failure = self._canned.pop(key)
            if failure is not None:
                return failure
            outgoing = key.startswith("send") and key != "sendchataction"
            outgoing = outgoing or method in _OUTGOING_EXTRA
            chat_id = _as_chat_id(params.get("chat_id"))
            if isinstance(chat_id, int) and (outgoing or key.startswith("edit")):
                refusal = self._refusal(chat_id, check_rate=outgoing)
                if refusal is not None:
                    return refusal
            handler = self._handlers.get(key)
            if handler is not None:
                status, body = handler(params)
            elif outgoing:
                status, body = self._send_generic(params)
            else:
                status, body = ok(True)
            if status == 200 and outgoing and isinstance(chat_id, int):
                self._window.add(chat_id)
                self._fill_bucket(chat_id)
            self._cond.notify_all()
            return status, body

    def _refusal(self, chat_id: int, *, check_rate: bool) -> Response | None:
        if chat_id in self._blocked:
            if chat_id < 0:
                return error(403, "Forbidden: bot was kicked from the group chat")
            return error(403, "Forbidden: bot was blocked by the user")
        if chat_id in self._migrated:
            return error(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self._migrated[chat_id]},
            )
        wait = self._over_limit(chat_id) if check_rate else None
        if wait is not None:
            self.too_many_requests += 1
            retry = self._limits.retry_after
            retry = max(1, math.ceil(wait)) if retry is None else retry
            return error(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
        return None

    def _over_limit(self, chat_id: int) -> float | None:
        """Seconds until a send to ``chat_id`` would be allowed, or None if it is allowed now."""
        limits = self._limits
        if not limits.active:
            return None
        waits = []
        if limits.per_chat_per_second is not None:
            if limits.private_burst is not None and chat_id > 0:
                tolerance = (limits.private_burst - 1) / limits.per_chat_per_second
                waits.append(self._buckets.get(chat_id, 0.0) - tolerance - self._clock())
            else:
                waits.append(self._window_wait(1, chat_id, limits.per_chat_per_second))
        if limits.global_per_second is not None:
            waits.append(self._window_wait(1, None, limits.global_per_second))
        if limits.group_per_minute is not None and chat_id < 0:
            waits.append(self._window_wait(60, chat_id, limits.group_per_minute))
        wait = max(waits, default=0.0)
        return wait if wait > 0 else None

    def _window_wait(self, seconds: float, chat_id: int | None, limit: float) -> float:
        """Seconds until fewer than ``limit`` sends fall in the last ``seconds`` (0 or less: now)."""
        sends = self._window.within(seconds, chat_id)
        if len(sends) < limit:
            return 0.0
        return sends[-int(limit)] + seconds - self._clock()

    def _fill_bucket(self, chat_id: int) -> None:
        """A send went to a private chat: its bucket holds one send fewer."""
        limits = self._limits
        if limits.private_burst is not None and limits.per_chat_per_second is not None and chat_id > 0:
            now = self._clock()
            self._buckets[chat_id] = max(self._buckets.get(chat_id, now), now) + 1 / limits.per_chat_per_second

    # ----------------------------------------------------------------- method handlers

    def _true(self, params: JSONDict) -> Response:
        return ok(True)

    def _get_me(self, params: JSONDict) -> Response:
        return ok(
            {
                **self.bot_user,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        )

    def _set_webhook(self, params: JSONDict) -> Response:
        url = params.get("url")
        if not isinstance(url, str) or not url.startswith("https://"):
            return error(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        kept = ("url", "secret_token", "allowed_updates")
        self.webhook = {key: params[key] for key in kept if key in params}
        return ok(True)

    def _delete_webhook(self, params: JSONDict) -> Response:
        self.webhook = None
        if params.get("drop_pending_updates") is True:
            self._pending.clear()
        return ok(True)

    def _get_webhook_info(self, params: JSONDict) -> Response:
        url = self.webhook["url"] if self.webhook else ""
        return ok({"url": url, "has_custom_certificate": False, "pending_update_count": len(self._pending)})

    def _get_updates(self, params: JSONDict) -> Response:
        if self.webhook is not None:
            return error(
                409,
                "Conflict: can't use getUpdates method while webhook is active;"
                " use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        limit = params.get("limit")
        limit = limit if isinstance(limit, int) and 0 < limit <= 100 else 100
        timeout = params.get("timeout")
        wait = min(float(timeout), LONG_POLL_CAP) if isinstance(timeout, int | float) else 0.0
        with self._cond:
            if isinstance(offset, int) and offset > 0:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
            if wait > 0:
                self._cond.wait_for(lambda: bool(self._pending) or self.closed, wait)
            return ok(copy.deepcopy(self._pending[:limit]))

    @staticmethod
    def _scope_key(scope: Any, language_code: Any) -> tuple[str, str]:
        scope = scope if isinstance(scope, Mapping) and scope else {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(language_code or "")

    def _set_my_commands(self, params: JSONDict) -> Response:
        commands = params.get("commands")
        if not isinstance(commands, list):
            return error(400, "Bad Request: can't parse commands JSON object")
        key = self._scope_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = commands
        return ok(True)

    def _get_my_commands(self, params: JSONDict) -> Response:
        key = self._scope_key(params.get("scope"), params.get("language_code"))
        return ok(self._commands.get(key, []))

    def _delete_my_commands(self, params: JSONDict) -> Response:
        self._commands.pop(self._scope_key(params.get("scope"), params.get("language_code")), None)
        return ok(True)

    def _target_chat(self, params: JSONDict) -> JSONDict | Response:
        chat_id = _as_chat_id(params.get("chat_id"))
        if chat_id is None:
            return error(400, "Bad Request: chat_id is empty")
        if not isinstance(chat_id, int):
            return error(400, "Bad Request: chat not found")
        return self._chat(chat_id)

    def _bot_message(self, chat: JSONDict, fields: JSONDict) -> JSONDict:
        message_id = self._next_message_id(chat["id"])
        message: JSONDict = {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
            **fields,
        }
        self._messages[(chat["id"], message_id)] = message
        return message

    @staticmethod
    def _inline_markup(params: JSONDict) -> JSONDict | None:
        markup = params.get("reply_markup")
        return markup if isinstance(markup, dict) and "inline_keyboard" in markup else None

    def _send_message(self, params: JSONDict) -> Response:
        chat = self._target_chat(params)
        if isinstance(chat, tuple):
            return chat
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            return error(400, "Bad Request: message text is empty")
        parse_mode = params.get("parse_mode")
        visible = _visible_text(text, parse_mode if isinstance(parse_mode, str) else None)
        if _utf16_len(visible) > MAX_MESSAGE_LENGTH:
            return error(400, "Bad Request: message is too long")
        fields: JSONDict = {"text": visible}
        markup = self._inline_markup(params)
        if markup is not None:
            fields["reply_markup"] = markup
        message = self._bot_message(chat, fields)
        reply_markup = params.get("reply_markup")
        self._sent.append(
            {
                "chat_id": chat["id"],
                "text": text,
                "reply_markup": reply_markup if isinstance(reply_markup, dict) else None,
                "message_id": message["message_id"],
                "parse_mode": parse_mode,
                "params": params,
            }
        )
        return ok(message)

    def _send_document(self, params: JSONDict) -> Response:
        chat = self._target_chat(params)
        if isinstance(chat, tuple):
            return chat
        upload = params.get("document")
        if isinstance(upload, dict):
            document = {
                "file_id": f"doc{len(self._documents) + 1}",
                "file_unique_id": f"udoc{len(self._documents) + 1}",
                "file_name": upload["filename"],
                "mime_type": upload["content_type"],
                "file_size": upload["size"],
            }
        elif isinstance(upload, str) and upload:
            document = {"file_id": upload, "file_unique_id": f"u{upload}"}
        else:
            return error(400, "Bad Request: there is no document in the request")
        fields: JSONDict = {"document": document}
        if isinstance(params.get("caption"), str):
            fields["caption"] = params["caption"]
        markup = self._inline_markup(params)
        if markup is not None:
            fields["reply_markup"] = markup
        message = self._bot_message(chat, fields)
        self._documents.append(
            {
                "chat_id": chat["id"],
                "document": upload,
                "caption": params.get("caption"),
                "message_id": message["message_id"],
                "params": params,
            }
        )
        return ok(message)

    def _get_file(self, params: JSONDict) -> Response:
        file_id = params.get("file_id")
        if file_id not in self._files:
            return error(400, "Bad Request: invalid file_id")
        size = len(self._files[file_id])
        if size > 20 * 1024 * 1024:  # what Telegram lets a bot download
            return error(400, "Bad Request: file is too big")
        path = f"documents/{file_id}"
        return ok({"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size, "file_path": path})

    def _download(self, path: str) -> Response | None:
        match = FILE_PATH.match(unquote(path))  # python-telegram-bot quotes the path: the token's ":" is %3A
        if match is None:
            return None
        if match["token"] != self.token:
            return error(401, "Unauthorized")
        file_id = match["path"].removeprefix("documents/")
        with self._cond:
            if file_id not in self._files:
                return error(404, "Not Found")
            self._fetched.append(file_id)
            return 200, self._files[file_id]

    def _send_generic(self, params: JSONDict) -> Response:
        chat = self._target_chat(params)
        if isinstance(chat, tuple):
            return chat
        return ok(self._bot_message(chat, {}))

    def _find_edit_target(self, params: JSONDict) -> JSONDict | Response | None:
        """The stored message to edit, an error, or None for inline messages."""
        if params.get("inline_message_id"):
            return None
        chat_id = _as_chat_id(params.get("chat_id"))
        message_id = params.get("message_id")
        if not isinstance(chat_id, int) or not isinstance(message_id, int):
            return error(400, "Bad Request: message to edit not found")
        message = self._messages.get((chat_id, message_id))
        if message is None:
            return error(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != self.bot_id:
            return error(400, "Bad Request: message can't be edited")
        return message

    def _edit_message_text(self, params: JSONDict) -> Response:
        target = self._find_edit_target(params)
        if isinstance(target, tuple):
            return target
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            return error(400, "Bad Request: message text is empty")
        if target is None:
            return ok(True)
        parse_mode = params.get("parse_mode")
        visible = _visible_text(text, parse_mode if isinstance(parse_mode, str) else None)
        markup = self._inline_markup(params)
        if visible == target.get("text") and markup == target.get("reply_markup"):
            return error(400, _NOT_MODIFIED)
        return ok(self._update_message(target, {"text": visible}, markup))

    def _edit_message_reply_markup(self, params: JSONDict) -> Response:
        target = self._find_edit_target(params)
        if isinstance(target, tuple):
            return target
        if target is None:
            return ok(True)
        markup = self._inline_markup(params)
        if markup == target.get("reply_markup"):
            return error(400, _NOT_MODIFIED)
        return ok(self._update_message(target, {}, markup))

    def _update_message(self, target: JSONDict, fields: JSONDict, markup: JSONDict | None) -> JSONDict:
        target.update(fields)
        target["edit_date"] = int(time.time())
        if markup is None:
            target.pop("reply_markup", None)
        else:
            target["reply_markup"] = markup
        return target

    def _delete_message(self, params: JSONDict) -> Response:
        chat_id = _as_chat_id(params.get("chat_id"))
        message_id = params.get("message_id")
        if not isinstance(chat_id, int) or not isinstance(message_id, int):
            return error(400, "Bad Request: message to delete not found")
        if self._messages.pop((chat_id, message_id), None) is None:
            return error(400, "Bad Request: message to delete not found")
        return ok(True)

    def _get_chat(self, params: JSONDict) -> Response:
        chat_id = _as_chat_id(params.get("chat_id"))
        if not isinstance(chat_id, int) or chat_id not in self._chats:
            return error(400, "Bad Request: chat not found")
        gifts = dict.fromkeys(
            (
                "unlimited_gifts",
                "limited_gifts",
                "unique_gifts",
                "premium_subscription",
                "gifts_from_channels",
            ),
            False,
        )
        return ok(
            {
                **self._chats[chat_id],
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": gifts,
            }
        )

    def _get_chat_member(self, params: JSONDict) -> Response:
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            return error(400, "Bad Request: invalid user_id specified")
        user = self.bot_user if user_id == self.bot_id else self._user(user_id)
        return ok({"status": "member", "user": user})

    def _get_chat_administrators(self, params: JSONDict) -> Response:
        return ok([])
