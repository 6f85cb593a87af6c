"""The fake Zalo Bot API server, exercised over real HTTP with httpx."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.fakes.zalo_api_server import (
    EVENT_IMAGE,
    EVENT_STICKER,
    EVENT_TEXT,
    EVENT_UNSUPPORTED,
    LONG_POLL_CAP,
    SECRET_HEADER,
    FakeZaloApi,
    JSONDict,
    post_webhook,
)

USER = "e4ea2cd5189df1c3a88c"
GROUP = "a1b2c3d4e5f6a7b8c9d0"
IDLE = {"ok": False, "error_code": 408, "description": "Request timeout"}


@pytest.fixture(params=["200", "code"])
def fake(request: pytest.FixtureRequest) -> Iterator[FakeZaloApi]:
    """A running fake server in each error mode (errors as HTTP 200 / as HTTP <error_code>), stopped after."""
    with FakeZaloApi(error_status=request.param) as server:
        yield server
    assert server.errors == []


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10.0) as http:
        yield http


def call(client: httpx.Client, fake: FakeZaloApi, method: str, **params: Any) -> httpx.Response:
    """POST ``params`` as JSON, the way most Zalo clients do."""
    return client.post(fake.url(method), json=params)


def expect_error(response: httpx.Response, fake: FakeZaloApi, code: int, description: str | None = None) -> JSONDict:
    """Check an error envelope and the HTTP status that goes with the fake's mode; return the body."""
    assert response.status_code == (200 if fake.error_status == "200" else code), response.text
    body = response.json()
    assert body["ok"] is False and body["error_code"] == code, body
    if description is not None:
        assert body["description"] == description
    return body


# ----------------------------------------------------------------- basics


def test_get_me_by_get_and_post(fake: FakeZaloApi, client: httpx.Client) -> None:
    assert fake.base_url == f"http://127.0.0.1:{fake.port}/bot"
    bot_id, secret = fake.token.split(":")
    assert bot_id.isdigit() and "fake" in secret
    for response in (client.get(fake.base_url + fake.token + "/getMe"), call(client, fake, "getMe")):
        assert response.status_code == 200
        body = response.json()
        assert body["ok"] is True and body["error_code"] == 0
        me = body["result"]
        assert me["id"] == bot_id
        assert {"account_name", "account_type", "can_join_groups", "display_name"} <= me.keys()
    assert [r["http_method"] for r in fake.requests("getMe")] == ["GET", "POST"]


def test_wrong_token_is_401_and_unknown_method_is_404(fake: FakeZaloApi, client: httpx.Client) -> None:
    wrong = client.post(f"{fake.base_url}{fake.bot_id}:wrong-secret/getMe", json={})
    assert expect_error(wrong, fake, 401) == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    for method in ("noSuchMethod", "getme", "sendmessage"):  # method names are case-sensitive
        expect_error(call(client, fake, method), fake, 404, "Not Found")
    expect_error(client.get(f"http://127.0.0.1:{fake.port}/elsewhere"), fake, 404)
    assert fake.calls("getMe") == []
    assert [r["authorized"] for r in fake.requests()] == [False, True, True, True]


# ----------------------------------------------------------------- getUpdates


def test_get_updates_returns_one_object_then_408_when_idle(fake: FakeZaloApi, client: httpx.Client) -> None:
    first = fake.push_text(USER, "Xin chào", display_name="Lan", date_ms=1750316131602)
    second = fake.push_text(USER, "/baocao")
    assert isinstance(first, str) and len(first) == 20 and first != second
    assert [u["message"]["message_id"] for u in fake.pending_updates()] == [first, second]

    response = call(client, fake, "getUpdates", timeout=30)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    update = body["result"]
    assert isinstance(update, dict)  # ONE object, not a list
    assert "update_id" not in update
    assert update == {
        "event_name": EVENT_TEXT,
        "message": {
            "from": {"id": USER, "display_name": "Lan", "is_bot": False},
            "chat": {"id": USER, "chat_type": "PRIVATE"},
            "message_id": first,
            "date": 1750316131602,
            "text": "Xin chào",
        },
    }
    nxt = call(client, fake, "getUpdates", timeout="30").json()["result"]  # timeout may be a string
    assert nxt["message"]["message_id"] == second and nxt["message"]["text"] == "/baocao"
    assert isinstance(nxt["message"]["date"], int) and nxt["message"]["date"] > 10**12  # milliseconds

    idle = call(client, fake, "getUpdates", timeout=0)
    assert expect_error(idle, fake, 408) == IDLE
    assert fake.pending_updates() == []
    assert [u["message"]["message_id"] for u in fake.delivered_updates()] == [first, second]


def test_long_poll_is_capped_and_wakes_up_on_a_new_update(fake: FakeZaloApi, client: httpx.Client) -> None:
    started = time.monotonic()
    assert call(client, fake, "getUpdates", timeout=30).json() == IDLE
    elapsed = time.monotonic() - started
    assert LONG_POLL_CAP - 0.2 < elapsed < LONG_POLL_CAP + 1.0

    timer = threading.Timer(0.2, fake.push_text, args=(USER, "muộn"))
    timer.start()
    started = time.monotonic()
    update = call(client, fake, "getUpdates", timeout=30).json()["result"]
    timer.join()
    assert update["message"]["text"] == "muộn"
    assert time.monotonic() - started < 1.5


def test_redeliver_sends_the_same_message_again(fake: FakeZaloApi, client: httpx.Client) -> None:
    message_id = fake.push_text(USER, "một lần")
    first = call(client, fake, "getUpdates", timeout=0).json()["result"]
    with pytest.raises(KeyError):
        fake.redeliver("unknown")
    fake.redeliver(message_id)
    assert len(fake.pending_updates()) == 1
    again = call(client, fake, "getUpdates", timeout=0).json()["result"]
    assert again == first


def test_other_events_and_groups(fake: FakeZaloApi, client: httpx.Client) -> None:
    image = fake.push_event(EVENT_IMAGE, USER, photo_url="https://cdn.example/a.jpg", caption="ảnh")
    documented = fake.push_event(EVENT_IMAGE, USER, photo_url="https://cdn.example/b.jpg", photo_key="photo")
    fake.push_event(EVENT_STICKER, USER, sticker="0e078a2fb66a5f34067b")
    fake.push_event(EVENT_UNSUPPORTED, USER)
    fake.push_text(USER, "@Bot Bình Lư báo cáo", chat_id=GROUP, group=True)
    raw_id = fake.push_raw({"event_name": "message.voice.received", "message": {"message_id": "v1"}})
    with pytest.raises(ValueError, match="chat_id"):
        fake.push_text(USER, "nhóm", group=True)

    updates = [call(client, fake, "getUpdates", timeout=0).json()["result"] for _ in range(6)]
    assert [u["event_name"] for u in updates[:4]] == [EVENT_IMAGE, EVENT_IMAGE, EVENT_STICKER, EVENT_UNSUPPORTED]
    assert updates[0]["message"]["message_id"] == image
    assert updates[0]["message"]["photo_url"] == "https://cdn.example/a.jpg"
    assert updates[0]["message"]["caption"] == "ảnh"
    assert updates[1]["message"]["message_id"] == documented and updates[1]["message"]["photo"].endswith("b.jpg")
    assert updates[2]["message"]["sticker"] == "0e078a2fb66a5f34067b"
    assert set(updates[3]["message"]) == {"from", "chat", "message_id", "date"}  # no content
    assert updates[4]["message"]["chat"] == {"id": GROUP, "chat_type": "GROUP"}
    assert updates[4]["message"]["from"]["id"] == USER
    assert raw_id == "v1" and updates[5] == {"event_name": "message.voice.received", "message": {"message_id": "v1"}}


# ----------------------------------------------------------------- request bodies


def test_json_form_get_and_multipart_bodies(fake: FakeZaloApi, client: httpx.Client) -> None:
    fake.add_chat(USER)
    url = fake.url("sendMessage")
    responses = [
        client.post(url, json={"chat_id": USER, "text": "json"}),
        client.post(url, data={"chat_id": USER, "text": "form"}),
        client.get(url, params={"chat_id": USER, "text": "get"}),
        client.post(url, data={"chat_id": USER, "text": "multipart"}, files={"note": ("a.txt", b"x", "text/plain")}),
        client.post(url + "?chat_id=" + USER, json={"text": "mixed"}),
    ]
    for response in responses:
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert isinstance(result["message_id"], str) and isinstance(result["date"], int)
    assert [m["text"] for m in fake.sent(USER)] == ["json", "form", "get", "multipart", "mixed"]
    kinds = [(r["http_method"], r["content_type"]) for r in fake.requests("sendMessage")]
    assert kinds == [
        ("POST", "application/json"),
        ("POST", "application/x-www-form-urlencoded"),
        ("GET", ""),
        ("POST", "multipart/form-data"),
        ("POST", "application/json"),
    ]
    assert fake.calls("sendMessage")[3][1]["note"] == {"filename": "a.txt", "content_type": "text/plain", "size": 1}

    expect_error(client.post(url, content=b"[1, 2]", headers={"Content-Type": "application/json"}), fake, 400)


def test_form_values_are_strings_and_json_keeps_types(fake: FakeZaloApi, client: httpx.Client) -> None:
    fake.add_chat("12345")
    assert client.post(fake.url("sendMessage"), json={"chat_id": 12345, "text": "số"}).status_code == 200
    assert client.post(fake.url("getUpdates"), data={"timeout": "0"}).json() == IDLE
    assert fake.calls("sendMessage")[0][1]["chat_id"] == 12345
    assert fake.sent()[0]["chat_id"] == "12345"  # normalised to Zalo's string ids
    assert fake.calls("getUpdates")[0][1] == {"timeout": "0"}


# ----------------------------------------------------------------- sendMessage and friends


def test_send_message_validation(fake: FakeZaloApi, client: httpx.Client) -> None:
    fake.add_chat(USER)
    missing = call(client, fake, "sendMessage", text="không có chat_id")
    expect_error(missing, fake, 400, "Bad request: The chat_id must not be empty")
    expect_error(call(client, fake, "sendMessage", chat_id=USER, text=""), fake, 400)
    expect_error(call(client, fake, "sendMessage", chat_id=USER), fake, 400)
    too_long = call(client, fake, "sendMessage", chat_id=USER, text="a" * 2001)
    assert "2000" in expect_error(too_long, fake, 400)["description"]
    assert call(client, fake, "sendMessage", chat_id=USER, text="ạ" * 2000).status_code == 200
    emoji = "😀" * 2000  # 2000 code points, 4000 UTF-16 units
    assert call(client, fake, "sendMessage", chat_id=USER, text=emoji).status_code == 200
    assert [len(m["text"]) for m in fake.sent(USER)] == [2000, 2000]
    assert len(fake.calls("sendMessage")) == 6  # refused calls are recorded too


def test_utf16_length_unit() -> None:
    with FakeZaloApi(length_unit="utf16", strict_chats=False) as fake, httpx.Client() as client:
        assert call(client, fake, "sendMessage", chat_id=USER, text="😀" * 1000).json()["ok"] is True
        expect_error(call(client, fake, "sendMessage", chat_id=USER, text="😀" * 1001), fake, 400)
    assert fake.errors == []


def test_blocked_and_unknown_chats_are_403(fake: FakeZaloApi, client: httpx.Client) -> None:
    expect_error(call(client, fake, "sendMessage", chat_id="stranger", text="chào"), fake, 403)
    fake.push_text(USER, "hi")
    assert call(client, fake, "sendMessage", chat_id=USER, text="chào").status_code == 200
    fake.block_chat(USER)
    expect_error(call(client, fake, "sendMessage", chat_id=USER, text="chào"), fake, 403)
    expect_error(call(client, fake, "sendPhoto", chat_id=USER, photo="https://x.example/a.png"), fake, 403)
    expect_error(call(client, fake, "sendChatAction", chat_id=USER, action="typing"), fake, 403)
    fake.unblock_chat(USER)
    assert call(client, fake, "sendMessage", chat_id=USER, text="lại").status_code == 200
    assert [m["text"] for m in fake.sent(USER)] == ["chào", "lại"]
    assert fake.photos() == []


def test_send_photo_sticker_and_chat_action(fake: FakeZaloApi, client: httpx.Client) -> None:
    fake.add_chat(USER)
    photo = call(client, fake, "sendPhoto", chat_id=USER, photo="https://placehold.co/600x400", caption="Biểu đồ")
    assert photo.status_code == 200 and isinstance(photo.json()["result"]["message_id"], str)
    expect_error(call(client, fake, "sendPhoto", chat_id=USER, photo=""), fake, 400)
    not_url = call(client, fake, "sendPhoto", chat_id=USER, photo="data:image/png;base64,AAAA")
    assert "http" in expect_error(not_url, fake, 400)["description"]
    long_caption = call(client, fake, "sendPhoto", chat_id=USER, photo="https://a.example/b.png", caption="c" * 2001)
    expect_error(long_caption, fake, 400)
    (recorded,) = fake.photos(USER)
    assert (recorded["photo"], recorded["caption"]) == ("https://placehold.co/600x400", "Biểu đồ")

    assert call(client, fake, "sendSticker", chat_id=USER, sticker="0e078a2fb66a5f34067b").status_code == 200
    assert fake.stickers(USER)[0]["sticker"] == "0e078a2fb66a5f34067b"

    typing = call(client, fake, "sendChatAction", chat_id=USER, action="typing")
    assert typing.status_code == 200 and typing.json() == {"ok": True, "error_code": 0}  # documented: no result
    expect_error(call(client, fake, "sendChatAction", chat_id=USER, action="dancing"), fake, 400)
    assert [a["action"] for a in fake.chat_actions(USER)] == ["typing"]
    assert fake.sent() == []


def test_chat_action_result_option() -> None:
    with FakeZaloApi(chat_action_result=True, strict_chats=False) as fake, httpx.Client() as client:
        body = call(client, fake, "sendChatAction", chat_id=USER, action="typing").json()
    assert body == {"ok": True, "error_code": 0, "result": True}


# ----------------------------------------------------------------- failure injection


def test_fail_next_quota_exceeded_then_recovers(fake: FakeZaloApi, client: httpx.Client) -> None:
    fake.add_chat(USER)
    fake.fail_next("sendMessage", 429, "quota exceeded", times=2)
    fake.fail_next("getMe", 500, "Internal Server Error")
    for _ in range(2):
        expect_error(call(client, fake, "sendMessage", chat_id=USER, text="x"), fake, 429, "quota exceeded")
    assert call(client, fake, "sendMessage", chat_id=USER, text="x").json()["ok"] is True
    expect_error(call(client, fake, "getMe"), fake, 500)
    assert call(client, fake, "getMe").json()["ok"] is True
    fake.fail_next("getUpdates", 408, "Request timeout", http_status=408)  # the status can be forced
    fake.push_text(USER, "chờ")
    injected = call(client, fake, "getUpdates", timeout=0)
    assert (injected.status_code, injected.json()) == (408, IDLE)
    assert len(fake.pending_updates()) == 1  # the failed poll delivered nothing
    assert len(fake.sent(USER)) == 1


def test_respond_next_sends_any_shape(fake: FakeZaloApi, client: httpx.Client) -> None:
    fake.respond_next("getUpdates", {"ok": True, "result": {}})
    fake.respond_next("getUpdates", {"ok": False, "error_code": "408", "description": "Request timeout"})
    assert call(client, fake, "getUpdates").json() == {"ok": True, "result": {}}
    assert call(client, fake, "getUpdates").json()["error_code"] == "408"


def test_rate_limit_answers_quota_exceeded(fake: FakeZaloApi, client: httpx.Client) -> None:
    fake.add_chat(USER)
    fake.add_chat("other")
    fake.rate_limit(per_chat_per_second=2)
    codes = [call(client, fake, "sendMessage", chat_id=USER, text=str(i)).json()["error_code"] for i in range(3)]
    assert codes == [0, 0, 429]
    assert call(client, fake, "sendMessage", chat_id="other", text="ok").status_code == 200
    assert call(client, fake, "sendChatAction", chat_id=USER, action="typing").status_code == 200
    assert fake.quota_exceeded == 1
    fake.rate_limit()
    assert call(client, fake, "sendMessage", chat_id=USER, text="free").status_code == 200


def test_delay_next_causes_a_read_timeout_and_stop_stays_quick() -> None:
    fake = FakeZaloApi(strict_chats=False).start()
    try:
        fake.delay_next("sendMessage", 30.0)
        with httpx.Client(timeout=httpx.Timeout(5.0, read=0.3)) as client, pytest.raises(httpx.ReadTimeout):
            call(client, fake, "sendMessage", chat_id=USER, text="chậm")
    finally:
        started = time.monotonic()
        fake.stop()
    assert time.monotonic() - started < 2.5
    assert fake.errors == []


def test_stop_wakes_a_long_poll() -> None:
    fake = FakeZaloApi().start()
    results: list[Any] = []

    def poll() -> None:
        with httpx.Client(timeout=10.0) as client:
            try:
                results.append(call(client, fake, "getUpdates", timeout=30).json())
            except httpx.HTTPError as exc:
                results.append(exc)

    thread = threading.Thread(target=poll)
    thread.start()
    fake.wait_for_call("getUpdates", timeout=5)
    started = time.monotonic()
    fake.stop()
    thread.join(5)
    assert time.monotonic() - started < 1.5
    assert results and (results[0] == IDLE or isinstance(results[0], httpx.HTTPError))


@pytest.mark.parametrize("mode,status", [("200", 200), ("code", 408)])
def test_error_status_modes(mode: Any, status: int) -> None:
    with FakeZaloApi(error_status=mode, long_poll_cap=0.2) as fake, httpx.Client() as client:
        idle = call(client, fake, "getUpdates", timeout=30)
        assert (idle.status_code, idle.json()) == (status, IDLE)
    assert FakeZaloApi().error_status == "200"  # the default: what the real API was measured to do
    with pytest.raises(ValueError):
        FakeZaloApi(error_status="418")  # type: ignore[arg-type]


def test_exceptions_inside_the_fake_become_500_and_are_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeZaloApi() as fake, httpx.Client() as client:

        def broken(params: dict[str, Any]) -> Any:
            raise RuntimeError("boom")

        monkeypatch.setitem(fake._handlers, "getMe", broken)
        response = call(client, fake, "getMe")
        assert response.status_code == 500 and response.json()["ok"] is False  # a crash is HTTP 500 in any mode
        expect_error(call(client, fake, "getWebhookInfo"), fake, 404)  # still serving
    assert len(fake.errors) == 1 and "boom" in fake.errors[0]


# ----------------------------------------------------------------- webhooks


def test_set_webhook_validation_and_info(fake: FakeZaloApi, client: httpx.Client) -> None:
    secret = "s3cret-token"
    expect_error(call(client, fake, "getWebhookInfo"), fake, 404, "Not Found")
    rejected = [
        {"url": "http://bot.example.test/zalo", "secret_token": secret},
        {"url": "https://localhost/zalo", "secret_token": secret},
        {"url": "https://127.0.0.1:8443/zalo", "secret_token": secret},
        {"url": "https://192.168.1.5/zalo", "secret_token": secret},
        {"url": "", "secret_token": secret},
        {"url": "https://bot.example.test/zalo", "secret_token": "short"},
        {"url": "https://bot.example.test/zalo", "secret_token": "x" * 257},
        {"url": "https://bot.example.test/zalo"},
    ]
    for params in rejected:
        expect_error(call(client, fake, "setWebhook", **params), fake, 400)
    assert fake.webhook is None

    ok = call(client, fake, "setWebhook", url="https://bot.example.test/zalo", secret_token="x" * 8)
    assert ok.status_code == 200
    assert ok.json()["result"]["url"] == "https://bot.example.test/zalo"
    assert isinstance(ok.json()["result"]["updated_at"], int)
    longest = call(client, fake, "setWebhook", url="https://bot.example.test/zalo", secret_token="y" * 256)
    assert longest.status_code == 200
    info = call(client, fake, "getWebhookInfo").json()["result"]
    assert info["url"] == "https://bot.example.test/zalo" and "secret_token" not in info
    assert fake.webhook is not None and fake.webhook["secret_token"] == "y" * 256

    fake.push_text(USER, "đi webhook")  # getUpdates stays silent while a webhook is set
    assert expect_error(call(client, fake, "getUpdates", timeout=0), fake, 408) == IDLE
    assert len(fake.pending_updates()) == 1

    deleted = call(client, fake, "deleteWebhook")
    assert deleted.status_code == 200 and deleted.json()["result"]["url"] == ""
    assert fake.webhook is None
    expect_error(call(client, fake, "getWebhookInfo"), fake, 404)
    assert call(client, fake, "getUpdates", timeout=0).json()["result"]["message"]["text"] == "đi webhook"


def test_webhook_info_empty_mode() -> None:
    with FakeZaloApi(webhook_info_when_unset="empty") as fake, httpx.Client() as client:
        body = call(client, fake, "getWebhookInfo").json()
    assert body["ok"] is True and body["result"]["url"] == ""


class _Receiver(ThreadingHTTPServer):
    """A stand-in for the bot's webhook endpoint: records what Zalo would post."""

    daemon_threads = True

    def __init__(self, status: int = 200) -> None:
        self.received: list[tuple[str | None, str | None, Any]] = []
        self.status = status
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/zalo/webhook"


class _ReceiverHandler(BaseHTTPRequestHandler):
    server: _Receiver

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.received.append(
            (self.headers.get(SECRET_HEADER), self.headers.get("Content-Type"), json.loads(body))
        )
        data = b'{"message": "Success"}'
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    server = _Receiver()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def test_post_webhook_sends_the_secret_header(receiver: _Receiver) -> None:
    update = {"event_name": EVENT_TEXT, "message": {"message_id": "m1", "text": "hi"}}
    status, body = post_webhook(receiver.url, update, "s3cret-token")
    assert (status, json.loads(body)) == (200, {"message": "Success"})
    status, _ = post_webhook(receiver.url, update, None, wrap=False)
    assert status == 200
    assert receiver.received == [
        ("s3cret-token", "application/json", {"ok": True, "result": update}),
        (None, "application/json", update),
    ]
    receiver.status = 403
    assert post_webhook(receiver.url, update, "wrong-secret")[0] == 403


def test_deliver_webhook_uses_the_registered_secret(
    fake: FakeZaloApi, client: httpx.Client, receiver: _Receiver
) -> None:
    assert fake.deliver_webhook(receiver.url) is None
    call(client, fake, "setWebhook", url="https://bot.example.test/zalo", secret_token="registered-secret")
    message_id = fake.push_text(USER, "qua webhook")
    status, _ = fake.deliver_webhook(receiver.url) or (0, "")
    assert status == 200
    ((secret, _, payload),) = receiver.received
    assert secret == "registered-secret"
    assert payload["ok"] is True and payload["result"]["message"]["message_id"] == message_id
    assert fake.pending_updates() == [] and len(fake.delivered_updates()) == 1


# ----------------------------------------------------------------- waiting helpers


def test_wait_for_and_wait_for_count(fake: FakeZaloApi) -> None:
    fake.add_chat(USER)

    def bot() -> None:
        with httpx.Client() as client:
            for text in ("một", "hai"):
                time.sleep(0.05)
                call(client, fake, "sendMessage", chat_id=USER, text=text)

    thread = threading.Thread(target=bot)
    thread.start()
    assert fake.wait_for(lambda m: m["text"] == "hai", timeout=5)["chat_id"] == USER
    assert [m["text"] for m in fake.wait_for_count(USER, 2, timeout=5)] == ["một", "hai"]
    thread.join()
    with pytest.raises(AssertionError, match="no sent message matched"):
        fake.wait_for(lambda m: m["text"] == "ba", timeout=0.1)
    with pytest.raises(AssertionError, match="expected 3 messages"):
        fake.wait_for_count(USER, 3, timeout=0.1)


async def test_async_waits(fake: FakeZaloApi) -> None:
    fake.add_chat(USER)
    async with httpx.AsyncClient() as client:
        await client.post(fake.url("sendMessage"), json={"chat_id": USER, "text": "async"})
    assert (await fake.wait_for_async(lambda m: m["text"] == "async", timeout=5))["chat_id"] == USER
    assert len(await fake.wait_for_count_async(USER, 1, timeout=5)) == 1
    assert (await fake.wait_for_call_async("sendMessage", timeout=5))["text"] == "async"
