"""What the fake chat Bot APIs (``bot_api_server``, ``zalo_api_server``) share: standard library only.

``HttpFake`` serves ``/bot<TOKEN>/<method>`` on 127.0.0.1 (a free port) from a background thread,
records the calls and answers them through the subclass:

* ``_dispatch(method, params)`` answers one authorised call with ``(http_status, json_body)``;
* ``_error(code, description)`` shapes the channel's error envelope (404 path, 401 token, 400 body);
* ``_parse_params(query, content_type, body)`` turns a request into parameters (``parse_params``
  does the JSON / urlencoded / multipart part);
* optionally ``_method_key`` (how method names compare), ``_chat_key`` (how a chat id given by a test
  compares with a recorded one) and ``_record_request`` (a hook for every request that reached a call path).

The base keeps the lifecycle (``start`` / ``stop`` / context manager: ``stop()`` wakes waiters through
``closed`` and ``_stopping`` and kicks idle keep-alive connections, so it is quick), ``errors`` (any
exception inside the fake is answered with HTTP 500 and kept there), ``calls()`` and the blocking
``wait_for*`` helpers (with ``_async`` variants) over ``_calls`` and ``_sent``. Subclasses hold
``self._cond`` while they touch shared state and ``notify_all()`` it after a change.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import email.parser
import email.policy
import json
import re
import socket
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Hashable
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Generic, Self, TypeVar
from urllib.parse import parse_qsl, urlsplit

JSONDict = dict[str, Any]
Call = tuple[str, JSONDict]
Response = tuple[int, JSONDict | bytes]  # bytes: a file's content, served as it is

T = TypeVar("T")

BOT_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z0-9_]+)/?$")


def parse_params(
    query: str,
    content_type: str,
    body: bytes,
    *,
    json_suffix: bool = False,
    multipart: bool = True,
    file_content: bool = True,
    not_object: str = "JSON body must be an object",
) -> JSONDict:
    """Query string parameters updated with the body's: a JSON object, multipart form or urlencoded form.

    ``json_suffix`` also reads ``application/*+json`` as JSON; ``multipart=False`` ignores multipart
    bodies; ``file_content`` keeps uploaded bytes (see ``parse_multipart``). Form values stay strings.
    Raises ``ValueError`` (``not_object`` for JSON that is not an object) when the body cannot be read.
    """
    params: JSONDict = dict(parse_qsl(query, keep_blank_values=True))
    if not body:
        return params
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json" or (json_suffix and kind.endswith("+json")):
        loaded = json.loads(body)
        if not isinstance(loaded, dict):
            raise ValueError(not_object)
        params.update(loaded)
    elif kind == "multipart/form-data":
        if multipart:
            params.update(parse_multipart(content_type, body, file_content=file_content))
    else:
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    return params


def parse_multipart(content_type: str, body: bytes, *, file_content: bool = True) -> JSONDict:
    """Form fields as strings, uploaded files as {filename, content_type, size} (+ content: the bytes)."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: JSONDict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        content = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is None:
            fields[name] = content.decode()
            continue
        upload: JSONDict = {"filename": filename, "content_type": part.get_content_type(), "size": len(content)}
        if file_content:
            upload["content"] = content
        fields[name] = upload
    return fields


class MethodQueues(Generic[T]):
    """First-in first-out items per method name (canned answers, delays); hold the fake's lock."""

    def __init__(self, key: Callable[[str], str] = str) -> None:
        self._key = key
        self._queues: dict[str, deque[T]] = {}

    def push(self, method: str, item: T, times: int = 1) -> None:
        """Queue ``times`` copies of ``item`` for ``method``, after those already queued."""
        queue = self._queues.setdefault(self._key(method), deque())
        queue.extend(copy.deepcopy(item) for _ in range(times))

    def pop(self, method: str) -> T | None:
        """The oldest item queued for ``method``, removed, or None."""
        queue = self._queues.get(self._key(method))
        return queue.popleft() if queue else None


class SendWindow:
    """When recent sends went to which chat, for sliding-window rate limits; hold the fake's lock."""

    def __init__(self, horizon: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.horizon = horizon
        self.clock = clock
        self._sends: deque[tuple[float, Hashable]] = deque()

    def add(self, chat: Hashable) -> None:
        """Count one send to ``chat`` now."""
        self._sends.append((self.clock(), chat))

    def clear(self) -> None:
        """Forget every send."""
        self._sends.clear()

    def count(self, seconds: float, chat: Hashable | None = None) -> int:
        """Sends within the last ``seconds`` (at most ``horizon``), to ``chat`` or to any chat."""
        return len(self.within(seconds, chat))

    def within(self, seconds: float, chat: Hashable | None = None) -> list[float]:
        """When the sends within the last ``seconds`` went (to ``chat`` or to any chat), oldest first."""
        now = self.clock()
        while self._sends and self._sends[0][0] <= now - self.horizon:
            self._sends.popleft()
        return [t for t, c in self._sends if t > now - seconds and (chat is None or c == chat)]


def _still_connected(connection: socket.socket) -> bool:
    """Whether the peer of a connection is still there (it has not closed or reset it)."""
    try:
        connection.setblocking(False)
        try:
            return connection.recv(1, socket.MSG_PEEK) != b""
        finally:
            connection.setblocking(True)
    except BlockingIOError:
        return True  # nothing to read, and no end of file: still there
    except OSError:
        return False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, fake: HttpFake) -> None:
        self.fake = fake
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if self.fake.verbose and not self.fake.closed:
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 60
    server: _Server

    def setup(self) -> None:
        super().setup()
        if self.server.fake.tcp_nodelay:
            # Headers and body are written separately: without this, Nagle + delayed ACK add ~40 ms per call.
            with contextlib.suppress(OSError):
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.fake._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track(self.connection, add=False)

    def version_string(self) -> str:
        return f"{type(self.server.fake).__name__}/1.0 {self.sys_version}"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        if self.server.fake.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        """A call with its parameters in the query string."""
        self._serve()

    def do_POST(self) -> None:
        """A call with a JSON, urlencoded or multipart body (query string parameters too)."""
        self._serve()

    def _serve(self) -> None:
        fake = self.server.fake
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if not fake._pass_gate(self.path, self.connection):
                return  # held, and the caller went away meanwhile: the call never arrived
            status, payload = fake._handle(self.command, self.path, self.headers.get("Content-Type", ""), body)
        except Exception as exc:  # a bug in the fake: surface it instead of hanging the bot
            fake._record_error(traceback.format_exc())
            status, payload = 500, {"ok": False, "error_code": 500, "description": f"Internal Server Error: {exc!r}"}
        raw = isinstance(payload, bytes)
        data = payload if raw else json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream" if raw else fake.content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class HttpFake:
    """A chat Bot API served over HTTP on 127.0.0.1; subclasses answer the calls (see the module doc)."""

    path_pattern: ClassVar[re.Pattern[str]] = BOT_PATH
    content_type: ClassVar[str] = "application/json"
    parse_error: ClassVar[str] = "Bad Request: can't parse request: "
    tcp_nodelay: ClassVar[bool] = False

    token: str

    def __init__(self, *, verbose: bool = False) -> None:
        self.verbose = verbose
        self.errors: list[str] = []
        self.closed = False

        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._port: int | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()

        self._calls: list[Call] = []
        self._sent: list[JSONDict] = []
        self._canned: MethodQueues[Response] = MethodQueues(self._method_key)
        self._held: set[str] = set()
        self.waiting = 0  # calls held at the gate right now

    # ----------------------------------------------------------------- to provide

    def _dispatch(self, method: str, params: JSONDict) -> Response:
        raise NotImplementedError

    def _error(self, code: int, description: str) -> Response:
        raise NotImplementedError

    def _parse_params(self, query: str, content_type: str, body: bytes) -> JSONDict:
        return parse_params(query, content_type, body)

    def _method_key(self, method: str) -> str:
        """The form of a method name that calls are compared and looked up by."""
        return method

    def _chat_key(self, chat_id: Any) -> Any:
        """The form of a chat id given by a test that recorded ``chat_id`` values are compared with."""
        return chat_id

    def _download(self, path: str) -> Response | None:
        """A file the platform serves off the call paths (Telegram's /file/bot<token>/<path>); None: not one."""
        return None

    def _record_request(
        self, method: str, http_method: str, content_type: str, params: JSONDict, *, authorized: bool
    ) -> None:
        """Called for every request that reached a call path, before it is answered."""

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> Self:
        """Bind 127.0.0.1 on a free port and serve in a background thread."""
        name = type(self).__name__
        if self._server is not None:
            raise RuntimeError(f"{name} already started")
        self.closed = False
        self._stopping.clear()
        self._server = _Server(self)
        self._port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"{name}:{self._port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake long polls and delays, close every connection."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._stopping.set()
        with self._cond:
            self.closed = True
            self._cond.notify_all()
        server.shutdown()
        thread.join()
        deadline = time.monotonic() + 2.0
        with self._cond:  # kick idle keep-alive connections so their handler threads end
            while self._connections and time.monotonic() < deadline:
                for conn in self._connections:
                    with contextlib.suppress(OSError):
                        conn.shutdown(socket.SHUT_RDWR)
                self._cond.wait(0.05)
        server.server_close()
        self._server = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if self._port is None:
            raise RuntimeError(f"{type(self).__name__} was never started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/bot``: a client calls ``base_url + token + "/" + method``
        (python-telegram-bot's ``base_url``, to which it appends the token)."""
        return f"http://127.0.0.1:{self.port}/bot"

    def url(self, method: str) -> str:
        """The full URL of one method with the right token."""
        return f"{self.base_url}{self.token}/{method}"

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._cond:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)
                self._cond.notify_all()

    def _record_error(self, text: str) -> None:
        with self._cond:
            self.errors.append(text)

    # ----------------------------------------------------------------- holding calls

    def hold(self, method: str) -> None:
        """Make calls of `method` wait, unanswered, until `release` (a platform that has stalled)."""
        with self._cond:
            self._held.add(self._method_key(method))

    def release(self, method: str) -> None:
        """Let held calls of `method` through; one whose caller has gone meanwhile never arrives."""
        with self._cond:
            self._held.discard(self._method_key(method))
            self._cond.notify_all()

    def wait_held(self, count: int = 1, timeout: float = 10.0) -> None:
        """Block until `count` calls are held at the gate."""
        with self._cond:
            if not self._cond.wait_for(lambda: self.waiting >= count, timeout):
                raise AssertionError(f"{self.waiting} calls held after {timeout}s, not {count}")

    def _pass_gate(self, path: str, connection: socket.socket) -> bool:
        match = self.path_pattern.match(urlsplit(path).path)
        if match is None:
            return True
        key = self._method_key(match["method"])
        with self._cond:
            if key not in self._held:
                return True
            self.waiting += 1
            self._cond.notify_all()
            self._cond.wait_for(lambda: key not in self._held or self._stopping.is_set())
            self.waiting -= 1
        return _still_connected(connection)

    # ----------------------------------------------------------------- requests

    def _handle(self, http_method: str, path: str, content_type: str, body: bytes) -> Response:
        """Route one request: 404 off the call paths, 401 for another token, 400 for an unreadable body."""
        split = urlsplit(path)
        match = self.path_pattern.match(split.path)
        if match is None:
            return self._download(split.path) or self._error(404, "Not Found")
        method = match["method"]
        if match["token"] != self.token:
            self._record_request(method, http_method, content_type, {}, authorized=False)
            return self._error(401, "Unauthorized")
        try:
            params = self._parse_params(split.query, content_type, body)
        except ValueError as exc:
            self._record_request(method, http_method, content_type, {}, authorized=True)
            return self._error(400, f"{self.parse_error}{exc}")
        self._record_request(method, http_method, content_type, params, authorized=True)
        return self._dispatch(method, params)

    # ----------------------------------------------------------------- inspection

    def calls(self, method: str | None = None) -> list[Call]:
        """Every authorised call as (method, params), refused ones included; optionally only one method."""
        with self._cond:
            wanted = self._method_key(method) if method is not None else None
            return [
                (name, copy.deepcopy(params))
                for name, params in self._calls
                if wanted is None or self._method_key(name) == wanted
            ]

    def _select(self, items: list[JSONDict], chat_id: Any) -> list[JSONDict]:
        wanted = self._chat_key(chat_id) if chat_id is not None else None
        with self._cond:
            return [copy.deepcopy(item) for item in items if wanted is None or item["chat_id"] == wanted]

    def wait_for(self, predicate: Callable[[JSONDict], bool], timeout: float = 10.0, *, since: int = 0) -> JSONDict:
        """Block until a sent message (from index ``since`` of ``sent()``) matches; return it."""
        found: list[JSONDict] = []

        def match() -> bool:
            for message in self._sent[since:]:
                if predicate(message):
                    found.append(message)
                    return True
            return False

        with self._cond:
            if self._cond.wait_for(match, timeout):
                return copy.deepcopy(found[0])
            raise AssertionError(f"no sent message matched within {timeout}s; last sent:\n{self._dump_sent()}")

    def wait_for_count(self, chat_id: int | str, n: int, timeout: float = 10.0) -> list[JSONDict]:
        """Block until at least ``n`` messages were sent to ``chat_id``; return them all."""
        wanted = self._chat_key(chat_id)

        def count() -> int:
            return sum(1 for m in self._sent if m["chat_id"] == wanted)

        with self._cond:
            if not self._cond.wait_for(lambda: count() >= n, timeout):
                raise AssertionError(
                    f"expected {n} messages to chat {wanted} within {timeout}s, got {count()}; "
                    f"last sent:\n{self._dump_sent()}"
                )
        return self._select(self._sent, wanted)

    def wait_for_call(
        self,
        method: str,
        predicate: Callable[[JSONDict], bool] | None = None,
        timeout: float = 10.0,
        *,
        since: int = 0,
    ) -> JSONDict:
        """Block until a call of ``method`` whose params match arrives (from index ``since`` of every call made, as
        ``len(calls())`` counts them); return its params."""
        wanted = self._method_key(method)
        found: list[JSONDict] = []

        def match() -> bool:
            for name, params in self._calls[since:]:
                if self._method_key(name) == wanted and (predicate is None or predicate(params)):
                    found.append(params)
                    return True
            return False

        with self._cond:
            if self._cond.wait_for(match, timeout):
                return copy.deepcopy(found[0])
            seen = [name for name, _ in self._calls[-20:]]
            raise AssertionError(f"no matching {method} call within {timeout}s; last: {seen}")

    async def wait_for_async(
        self,
        predicate: Callable[[JSONDict], bool],
        timeout: float = 10.0,  # noqa: ASYNC109 - bounds the blocking wait in the worker thread
        *,
        since: int = 0,
    ) -> JSONDict:
        """``wait_for`` without blocking the event loop (for bots running in-process)."""
        return await asyncio.to_thread(self.wait_for, predicate, timeout, since=since)

    async def wait_for_count_async(
        self,
        chat_id: int | str,
        n: int,
        timeout: float = 10.0,  # noqa: ASYNC109 - bounds the blocking wait in the worker thread
    ) -> list[JSONDict]:
        """``wait_for_count`` without blocking the event loop."""
        return await asyncio.to_thread(self.wait_for_count, chat_id, n, timeout)

    async def wait_for_call_async(
        self,
        method: str,
        predicate: Callable[[JSONDict], bool] | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - bounds the blocking wait in the worker thread
        *,
        since: int = 0,
    ) -> JSONDict:
        """``wait_for_call`` without blocking the event loop."""
        return await asyncio.to_thread(partial(self.wait_for_call, since=since), method, predicate, timeout)

    def _dump_sent(self, last: int = 10) -> str:
        lines = [f"  [{m['chat_id']}#{m['message_id']}] {m['text'][:200]!r}" for m in self._sent[-last:]]
        return "\n".join(lines) or "  (nothing sent)"
