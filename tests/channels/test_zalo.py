"""The Zalo adapter against a fake Zalo Bot API on 127.0.0.1, in both of its error modes."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import App
from bot.channels.ports import MaybeSent, NotSent, Rejected, RetryLater, Unreachable
from bot.channels.zalo import ZaloChannel, ZaloError
from bot.channels.zalo_webhook import incoming_of, strip_mention
from bot.core.messages import Outgoing
from bot.core.permissions import Role
from bot.core.replies import split_text, units
from bot.core.texts import text
from bot.http_server import HttpServer
from storage import outbox
from storage.chats import Recipient
from storage.models import InboxUpdate, OutboxKind
from tests.fakes.zalo_api_server import EVENT_IMAGE, EVENT_STICKER, EVENT_TEXT, FakeZaloApi, post_webhook

USER, OTHER, GROUP = "6ede9afa66b88fe6d6a9", "a1b2c3d4e5f6a7b8c9d0", "ffee00112233445566aa"
SECRET = "binhlu-webhook-secret-42"
SAMPLE_DATE = 1750316131602  # the documentation's sample message: 19/6/2025 06:55:31.602 UTC


@pytest.fixture(params=["200", "code"])
def fake(request):
    """The fake in each error mode: errors as HTTP 200, or as HTTP <error_code>."""
    with FakeZaloApi(error_status=request.param) as server:
        yield server
    assert server.errors == []


def zalo_config(config, fake: FakeZaloApi, **more):
    return config.zalo.model_copy(update={"base_url": fake.base_url, "poll_timeout": 1, **more})


async def running(config, clock, channel: ZaloChannel) -> App:
    app = App(config.model_copy(update={"zalo": channel.config}), [channel], clock=clock)
    await app.open()
    await app.start(sweep=False)
    return app


@pytest.fixture
async def app(config, clock, fake):
    app = await running(config, clock, ZaloChannel(zalo_config(config, fake), fake.token))
    yield app
    await app.stop()


class Chat:
    """A Zalo user writing to the bot through the fake, waiting for each answer."""

    def __init__(self, fake: FakeZaloApi, clock, user: str = USER, name: str = "Lan Nguyễn", group: str | None = None):
        self.fake, self.clock, self.user, self.name, self.group = fake, clock, user, name, group

    def push(self, line: str) -> str:
        date_ms = int(self.clock().timestamp() * 1000)  # dated by the test's clock: no clock-skew alarm
        where = {"chat_id": self.group, "group": True} if self.group else {}
        return self.fake.push_text(self.user, line, display_name=self.name, date_ms=date_ms, **where)

    async def say(self, line: str) -> str:
        since = len(self.fake.sent())
        self.push(line)
        chat = self.group or self.user
        return (await self.fake.wait_for_async(lambda m: m["chat_id"] == chat, since=since))["text"]


async def registered(app: App, fake: FakeZaloApi, clock, user: str = USER) -> Chat:
    chat = Chat(fake, clock, user)
    invite = await app.service.create_invite(Role.FOCAL, "vhxh", created_by="test")
    assert "Chào mừng Lan Nguyễn" in await chat.say(f"/start {invite.code}")
    return chat


async def test_register_then_log_a_meeting_by_its_number(app, fake, clock):
    chat = await registered(app, fake, clock)
    question = await chat.say("/hop")
    assert question.splitlines()[-2:] == ["1. Trực tuyến", "2. Trực tiếp"]
    assert (await chat.say("1")).startswith("Đã ghi #1: họp trực tuyến")
    assert (await chat.say("/hop truc_tiep")).startswith("Đã ghi #2: họp trực tiếp")
    params = fake.sent()[-1]["params"]
    assert set(params) == {"chat_id", "text"} and params["chat_id"] == USER  # no buttons, no quoting
    assert {r["method"] for r in fake.requests()} >= {"getMe", "deleteWebhook", "getUpdates", "sendMessage"}


async def test_a_redelivered_message_changes_nothing(app, fake, clock):
    chat = await registered(app, fake, clock)
    since = len(fake.sent())
    message_id = chat.push("/hop truc_tuyen")
    await fake.wait_for_async(lambda m: m["text"].startswith("Đã ghi #1"), since=since)
    fake.redeliver(message_id)
    assert (await chat.say("/hop truc_tiep")).startswith("Đã ghi #2"), "the redelivery logged nothing"
    texts = [m["text"] for m in fake.sent(USER)[since:]]
    assert len(texts) == 2 and sum(t.startswith("Đã ghi #1") for t in texts) == 1
    async with app.db.reading() as session:
        stored = await session.scalar(select(func.count()).select_from(InboxUpdate))
    assert stored == 3, "/start and two /hop: the redelivery was not stored again"


async def test_in_a_group_the_mention_is_stripped_and_the_reply_goes_to_the_group(app, fake, clock):
    await registered(app, fake, clock)
    group = Chat(fake, clock, group=GROUP)
    assert "Lan Nguyễn" in await group.say(f"@{fake.display_name} /toi")
    assert "Lan Nguyễn" in await group.say(f"@{fake.account_name}   /toi")


async def test_a_sticker_gets_the_commands_hint_and_an_image_caption_is_a_command(app, fake, clock):
    await registered(app, fake, clock)
    since = len(fake.sent())
    fake.push_event(EVENT_STICKER, USER, sticker="abc")
    assert (await fake.wait_for_async(lambda m: True, since=since))["text"] == text("access.not_a_command")
    for key in ("photo_url", "photo"):
        since = len(fake.sent())
        fake.push_event(EVENT_IMAGE, USER, photo_url="https://img.zalo.example/a.jpg", photo_key=key, caption="/toi")
        assert "Lan Nguyễn" in (await fake.wait_for_async(lambda m: True, since=since))["text"]


async def test_a_failing_update_is_retried_then_apologised_for(app, fake, clock, monkeypatch, caplog):
    tried = asyncio.Event()

    async def broken(incoming):
        tried.set()
        raise RuntimeError("database went away")

    monkeypatch.setattr(app.service, "handle", broken)
    with caplog.at_level(logging.ERROR):
        Chat(fake, clock).push("/chitieu")
        await asyncio.wait_for(tried.wait(), 10)  # the worker's first attempt; it tries again in 30 s
        assert fake.sent() == [], "a first failure is retried, not apologised for"
        await app.inbox.drain()
        await app.inbox.drain()
    await fake.wait_for_async(lambda m: m["text"] == text("error.not_saved"))
    assert "database went away" in caplog.text and fake.token not in caplog.text


async def test_a_reply_over_2000_units_is_sent_in_parts_that_zalo_accepts(config, clock):
    body = "\n".join(f"Dòng {n} 📌 " + "chữ " * 30 for n in range(80))  # ~10,000 UTF-16 units, emoji counting two
    expected = split_text(body, 2000)
    with FakeZaloApi(length_unit="utf16") as fake:
        fake.add_chat(USER)
        fake.add_chat(OTHER)
        app = await running(config, clock, ZaloChannel(zalo_config(config, fake), fake.token))
        try:
            now = clock()
            async with app.db.unit_of_work() as session:
                key = outbox.OutboxKey(OutboxKind.TASK, "long", "x", now.date())
                await outbox.enqueue(session, key, [Recipient("zalo", USER, False)], body, due_at=now, now=now)
                await session.commit()
            app.sender.wake()
            parts = await fake.wait_for_count_async(USER, len(expected))
            # The transport cuts too, should a caller hand it a whole text.
            await app.channels[0].transport.send(OTHER, Outgoing(body))
        finally:
            await app.stop()
    assert len(expected) > 4 and [p["text"] for p in parts] == expected
    assert all(units(p["text"]) <= 2000 for p in parts)
    assert [m["text"] for m in fake.sent(OTHER)] == expected
    assert len(fake.calls("sendMessage")) == len(fake.sent()), "no send was refused"


# ----------------------------------------------------------------- the transport's errors


@pytest.fixture
async def channel(config, fake):
    """A channel that is not receiving: its transport, and its calls made directly."""
    channel = ZaloChannel(zalo_config(config, fake), fake.token)
    fake.add_chat(USER)
    yield channel
    await channel.stop()


@pytest.mark.parametrize(
    ("code", "error"),
    [(429, RetryLater), (403, Unreachable), (400, Rejected), (404, Rejected), (500, NotSent), (502, NotSent)],
)
async def test_send_failures_are_read_from_the_envelope(channel, fake, code, error):
    fake.fail_next("sendMessage", code, "quota exceeded" if code == 429 else "some description")
    with pytest.raises(error):
        await channel.transport.send(USER, Outgoing("Xin chào"))
    assert fake.sent() == []
    assert await channel.transport.send(USER, Outgoing("Xin chào")), "the next one goes, with Zalo's message id"


async def test_an_error_code_sent_as_a_string_or_with_another_http_status_is_read_the_same(channel, fake):
    fake.respond_next("sendMessage", {"ok": False, "error_code": "403", "description": "blocked"}, status=200)
    with pytest.raises(Unreachable):
        await channel.transport.send(USER, Outgoing("a"))
    fake.respond_next("sendMessage", {"ok": False, "error_code": 400, "description": "bad"}, status=500)
    with pytest.raises(Rejected):
        await channel.transport.send(USER, Outgoing("a"))
    fake.respond_next("sendMessage", {"message": "Bad Gateway"}, status=502)  # a proxy's page, not Zalo's
    with pytest.raises(NotSent):
        await channel.transport.send(USER, Outgoing("a"))


async def test_quota_pauses_grow_while_zalo_keeps_refusing_and_reset_after_a_success(channel, fake):
    pauses = []
    for _ in range(3):
        fake.fail_next("sendMessage", 429, "quota exceeded")
        with pytest.raises(RetryLater) as caught:
            await channel.transport.send(USER, Outgoing("a"))
        pauses.append(caught.value.seconds)
    assert pauses == [10.0, 20.0, 40.0]
    await channel.transport.send(USER, Outgoing("a"))
    fake.fail_next("sendMessage", 429, "quota exceeded")
    with pytest.raises(RetryLater) as caught:
        await channel.transport.send(USER, Outgoing("a"))
    assert caught.value.seconds == 10.0


async def test_a_slow_answer_may_have_been_sent_and_a_refused_connection_was_not(config, fake):
    fake.add_chat(USER)
    async with httpx.AsyncClient(timeout=httpx.Timeout(0.3)) as http:
        channel = ZaloChannel(zalo_config(config, fake), fake.token, http=http)
        fake.delay_next("sendMessage", 1.0)
        with pytest.raises(MaybeSent) as caught:
            await channel.transport.send(USER, Outgoing("chậm"))
        assert fake.token not in str(caught.value)
        arrived = await fake.wait_for_async(lambda m: m["text"] == "chậm")
        assert arrived["chat_id"] == USER, "it did arrive: resending it blindly would repeat it"
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}/bot"
        channel = ZaloChannel(zalo_config(config, fake, base_url=nowhere), fake.token, http=http)
        with pytest.raises(NotSent) as caught:
            await channel.transport.send(USER, Outgoing("không tới"))
        assert fake.token not in str(caught.value)
        await channel.stop()
        assert not http.is_closed, "a client handed in belongs to the caller"


# ----------------------------------------------------------------- receiving by long polling


class Inlet:
    """Records what a channel hands the inbox."""

    def __init__(self) -> None:
        self.accepted: list = []
        self.polls: list[bool] = []
        self.arrived = asyncio.Event()

    async def accept(self, channel, deliveries) -> None:
        self.accepted += deliveries
        self.arrived.set()

    def polled(self, channel, *, ok: bool) -> None:
        self.polls.append(ok)


async def polling_for(channel: ZaloChannel, fake: FakeZaloApi, seconds: float) -> tuple[Inlet, int]:
    """Let the channel poll for `seconds`; what it handed in, and how many getUpdates it made."""
    inlet = Inlet()
    before = len(fake.calls("getUpdates"))
    await channel.start(inlet)
    await asyncio.sleep(seconds)  # a window of real time, to count calls in: nothing to wait for instead
    return inlet, len(fake.calls("getUpdates")) - before


async def test_an_idle_poll_408_is_normal_and_updates_are_committed_with_their_date(channel, fake, caplog):
    sent_ms = int(time.time() * 1000) - 5000
    message_id = fake.push_text(USER, "/toi", date_ms=sent_ms)
    with caplog.at_level(logging.WARNING):
        inlet, calls = await polling_for(channel, fake, 2.5)
    [delivery] = inlet.accepted
    assert delivery.key == message_id and delivery.payload["message"]["text"] == "/toi"
    assert delivery.sent_at.timestamp() == pytest.approx(sent_ms / 1000)
    assert 2 <= calls <= 4 and inlet.polls and all(inlet.polls), "one second per idle poll, each a good one"
    assert "getUpdates" not in caplog.text
    assert fake.calls("getUpdates")[0][1] == {"timeout": "1"}


async def test_an_idle_answer_that_comes_at_once_does_not_spin(channel, fake):
    fake.respond_next("getUpdates", {"ok": False, "error_code": "408", "description": "Request timeout"}, times=100)
    inlet, calls = await polling_for(channel, fake, 2.0)
    assert calls <= 3 and inlet.polls and all(inlet.polls)


async def test_polling_backs_off_on_errors_and_recovers(channel, fake, caplog):
    fake.fail_next("getUpdates", 500, "Internal Server Error", times=2)
    fake.push_text(USER, "/toi")
    with caplog.at_level(logging.WARNING):
        inlet, calls = await polling_for(channel, fake, 2.5)
        assert calls == 2 and inlet.polls == [False, False], "waits 1 s, then 2 s: no busy loop"
        assert inlet.accepted == []
        await asyncio.wait_for(inlet.arrived.wait(), 3)  # the third call, at 3 s, gets the update
    assert [d.payload["message"]["text"] for d in inlet.accepted] == ["/toi"]
    assert "getUpdates failed" in caplog.text and fake.token not in caplog.text


async def test_stopping_lets_a_poll_in_flight_land(channel, fake):
    inlet = Inlet()
    await channel.start(inlet)
    await fake.wait_for_call_async("getUpdates")
    stopping = asyncio.create_task(channel.stop())
    await asyncio.sleep(0)  # the stop has begun: no new poll will start
    fake.push_text(USER, "/toi")  # Zalo hands it to the poll in flight and forgets it
    await stopping
    assert [d.payload["message"]["text"] for d in inlet.accepted] == ["/toi"]
    assert len(fake.calls("getUpdates")) == 1


async def test_open_waits_for_zalo_removes_a_webhook_and_a_refused_token_is_fatal(channel, fake):
    await channel.api.call("setWebhook", {"url": "https://binhlu.example/zalo", "secret_token": SECRET})
    channel.first_backoff = 0.05
    fake.fail_next("getMe", 502, "Bad Gateway", times=2)
    await channel.open()
    assert len(fake.calls("getMe")) == 3 and channel.bot_names == (fake.display_name, fake.account_name)
    assert fake.webhook is None, "a webhook would keep getUpdates silent"
    wrong = ZaloChannel(channel.config, fake.bot_id + ":wrong-secret")
    with pytest.raises(ZaloError) as caught:
        await wrong.open()
    await wrong.stop()
    assert caught.value.code == 401


# ----------------------------------------------------------------- receiving by webhook


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_webhook_refuses_a_wrong_secret_and_commits_a_right_one_before_answering(config, clock):
    with FakeZaloApi() as fake:
        port = free_port()
        hook = config.zalo.webhook.model_copy(
            update={"port": port, "public_url": "https://binhlu.example/zalo", "secret": SecretStr(SECRET)}
        )
        channel = ZaloChannel(zalo_config(config, fake, mode="webhook", webhook=hook), fake.token)
        app = await running(config, clock, channel)
        try:
            assert fake.webhook["url"] == "https://binhlu.example/zalo" and fake.webhook["secret_token"] == SECRET
            assert fake.calls("deleteWebhook") == []
            url = f"http://127.0.0.1:{port}/zalo"
            fake.add_chat(USER)  # posted here directly, not pushed through the fake
            invite = await app.service.create_invite(Role.FOCAL, "vhxh", created_by="test")
            start = {"event_name": EVENT_TEXT, "message": {
                "from": {"id": USER, "display_name": "Lan Nguyễn", "is_bot": False},
                "chat": {"id": USER, "chat_type": "PRIVATE"},
                "text": f"/start {invite.code}", "message_id": "2d758cb5e222177a4e35",
                "date": int(clock().timestamp() * 1000),
            }}  # fmt: skip
            for secret in (None, "sai-bi-mat-\u00e9", SECRET[:-1], SECRET + "x"):
                status, _ = await asyncio.to_thread(post_webhook, url, start, secret)
                assert status == 403
            async with app.db.reading() as session:
                assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 0
            for wrap in (True, False):  # the documented wrapped body, and a bare update: one message, once
                status, _ = await asyncio.to_thread(post_webhook, url, start, SECRET, wrap=wrap)
                assert status == 200
            await fake.wait_for_async(lambda m: "Chào mừng Lan Nguyễn" in m["text"])
            fake.push_text(USER, "/toi")  # queued while the webhook is set: only deliver_webhook hands it out
            since = len(fake.sent())
            assert await asyncio.to_thread(fake.deliver_webhook, url) == (200, '{"ok": true}')
            assert "Lan Nguyễn" in (await fake.wait_for_async(lambda m: True, since=since))["text"]
            status, _ = await asyncio.to_thread(post_webhook, url, {"not": "an update"}, SECRET)
            assert status == 400
            async with app.db.reading() as session:
                assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 2, "/start once, /toi"
        finally:
            await app.stop()
        assert fake.errors == [] and len(fake.sent()) == 2


async def test_a_webhook_on_the_shared_server_is_mounted_there_and_the_server_left_to_its_owner(config, clock):
    with FakeZaloApi() as fake:
        hook = config.zalo.webhook.model_copy(
            update={"public_url": "https://binhlu.example/zalo", "secret": SecretStr(SECRET)}
        )
        server = HttpServer("127.0.0.1", 0)
        channel = ZaloChannel(zalo_config(config, fake, mode="webhook", webhook=hook), fake.token, server=server)
        await server.start()  # the owner starts it before the channels
        try:
            app = await running(config, clock, channel)
            fake.add_chat(USER)
            fake.push_text(USER, "/toi")
            url = f"http://127.0.0.1:{server.port}/zalo"
            assert await asyncio.to_thread(fake.deliver_webhook, url) == (200, '{"ok": true}')
            await app.stop()
            assert server.port != 0, "still listening: the channel does not own the shared server"
            fake.push_text(USER, "/toi")
            status, _ = await asyncio.to_thread(fake.deliver_webhook, url)
            assert status == 503, "a stopped channel stores nothing: Zalo keeps it"
        finally:
            await server.stop()


# ----------------------------------------------------------------- reading updates


def update(event: str = EVENT_TEXT, *, chat_type: str = "PRIVATE", **fields) -> dict:
    sender = fields.pop("sender", {"id": USER, "display_name": "Lan", "is_bot": False})
    chat_id = GROUP if chat_type == "GROUP" else USER
    message = {
        "from": sender,
        "chat": {"id": chat_id, "chat_type": chat_type},
        "message_id": "m1",
        "date": SAMPLE_DATE,
    }
    return {"event_name": event, "message": {**message, **fields}}


def test_bots_and_updates_without_a_person_are_ignored():
    assert incoming_of(update(text="/toi", sender={"id": "b", "is_bot": True})) is None
    assert incoming_of({"event_name": EVENT_TEXT}) is None
    assert incoming_of(update(text="/toi")).sender_name == "Lan"


@pytest.mark.parametrize(("date", "year"), [(SAMPLE_DATE, 2025), (SAMPLE_DATE // 1000, 2025), (0, None), ("x", None)])
def test_a_date_in_milliseconds_or_seconds_and_none_without_one(date, year):
    sent_at = incoming_of(update(text="/toi", date=date)).sent_at
    assert (sent_at.year if sent_at else None) == year


@pytest.mark.parametrize(
    ("event", "fields", "said", "attachment"),
    [
        (EVENT_TEXT, {"text": "/hop"}, "/hop", None),
        (EVENT_IMAGE, {"photo_url": "https://img.zalo.example/1.jpg", "caption": "/nopbaocao nam"}, "/nopbaocao nam", "https://img.zalo.example/1.jpg"),
        (EVENT_IMAGE, {"photo": "https://img.zalo.example/2.jpg", "text": "/nopbaocao nam"}, "/nopbaocao nam", "https://img.zalo.example/2.jpg"),
        (EVENT_IMAGE, {"photo_url": "https://img.zalo.example/" + "x" * 300}, "", "zalo:image:m1"),
        (EVENT_STICKER, {"sticker": "s1"}, "", None),
        ("message.unsupported.received", {}, "", None),
    ],
)  # fmt: skip
def test_what_a_message_says(event, fields, said, attachment):
    incoming = incoming_of(update(event, **fields))
    assert (incoming.text, incoming.attachment, incoming.channel) == (said, attachment, "zalo")
    assert incoming.sent_at == datetime(2025, 6, 19, 6, 55, 31, 602000, tzinfo=UTC) and not incoming.is_group


def test_a_group_message_loses_the_mention_of_the_bot():
    names = ("Bot Bình Lư", "bot.binhlu")
    incoming = incoming_of(update(chat_type="GROUP", text="@bot bình lư /hop truc_tuyen"), names)
    assert incoming.is_group and incoming.text == "/hop truc_tuyen" and incoming.chat_id == GROUP
    assert strip_mention("@bot.binhlu: 1", names) == "1"
    assert strip_mention("@Xã Bình Lư /toi", names) == "/toi", "a name the group shows differently"
    assert strip_mention("@Lan chào chị", names) == "@Lan chào chị"
