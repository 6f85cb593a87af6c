"""The Zalo adapter against the Zalo Bot API mocked at the HTTP layer (httpx.MockTransport), in both of its error
modes; its waits and its clock are injected, so nothing here waits on real time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from datetime import UTC, datetime

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app import App
from bot.channels.zalo import ZaloChannel, ZaloError
from bot.channels.zalo_webhook import incoming_of, strip_mention
from bot.core.messages import Outgoing
from bot.core.permissions import Role
from bot.core.replies import split_text, units
from bot.core.texts import text
from bot.http_server import HttpServer
from bot.ports import MaybeSent, NotSent, Rejected, RetryLater, Unreachable
from storage import outbox
from storage.chats import Recipient
from storage.models.messaging import InboxUpdate, OutboxKind
from tests.channels.doubles import MockZalo, Pauses
from tests.fakes.zalo_api_server import EVENT_IMAGE, EVENT_STICKER, EVENT_TEXT, post_webhook
from tests.support.db import inspecting
from tests.support.texts import receipt
from tests.support.users import new_invite

USER, OTHER, GROUP = "6ede9afa66b88fe6d6a9", "a1b2c3d4e5f6a7b8c9d0", "ffee00112233445566aa"
SECRET = "binhlu-webhook-secret-42"
SAMPLE_DATE = 1750316131602  # the documentation's sample message: 19/6/2025 06:55:31.602 UTC


@pytest.fixture(params=["200", "code"])
async def zalo(request, clock):
    """Zalo in each error mode: errors as HTTP 200, or as HTTP <error_code>."""
    mock = MockZalo(clock, error_status=request.param)
    yield mock
    await mock.http.aclose()
    assert mock.errors == []


def zalo_config(config, **more):
    return config.zalo.model_copy(update={"poll_timeout": 1, **more})


@contextlib.asynccontextmanager
async def running(config, clock, zalo: MockZalo, *, worker: bool = True, **more):
    """An App receiving from Zalo through the channel (and handling what it receives, with `worker`)."""
    channel = ZaloChannel(zalo_config(config, **more), zalo.token, http=zalo.http)
    app = App(config.model_copy(update={"zalo": channel.config}), [channel], clock=clock)
    try:
        await app.open()
        if worker:
            await app.start(sweep=False)
        else:
            await channel.start(app.inbox)
        yield app
    finally:
        zalo.hang_up()  # the poll in flight ends, as Zalo ends one whose time is up
        await app.stop()


@pytest.fixture
async def app(config, clock, zalo):
    async with running(config, clock, zalo) as app:
        yield app


class Chat:
    """A Zalo user writing to the bot (in a group, if given), waiting for each answer."""

    def __init__(self, zalo: MockZalo, user: str = USER, group: str | None = None) -> None:
        self.zalo, self.user, self.group = zalo, user, group

    def push(self, line: str) -> str:
        return self.zalo.push(self.user, chat=self.group, text=line)

    async def say(self, line: str) -> str:
        since = len(self.zalo.sent)
        self.push(line)
        return await self.zalo.reply(self.group or self.user, since=since)


async def registered(app: App, zalo: MockZalo) -> Chat:
    chat = Chat(zalo)
    invite = await new_invite(app.service, Role.FOCAL, "vhxh")
    assert "Chào mừng Lan Nguyễn" in await chat.say(f"/start {invite.code}")
    return chat


async def test_register_then_log_a_meeting_by_its_number(app, zalo):
    chat = await registered(app, zalo)
    question = await chat.say("/hop")
    assert question.splitlines()[-2:] == ["1. Trực tuyến", "2. Trực tiếp"]
    assert (await chat.say("1")).startswith(receipt(1) + ": họp trực tuyến")
    assert (await chat.say("/hop truc_tiep")).startswith(receipt(2) + ": họp trực tiếp")
    params = zalo.sent[-1]["params"]
    assert set(params) == {"chat_id", "text"} and params["chat_id"] == USER  # no buttons, no quoting
    assert {name for name, _ in zalo.calls} == {"getMe", "deleteWebhook", "getUpdates", "sendMessage"}


async def test_a_redelivered_message_changes_nothing(app, zalo):
    chat = await registered(app, zalo)
    since = len(zalo.sent)
    message_id = chat.push("/hop truc_tuyen")
    assert (await zalo.reply(USER, since=since)).startswith(receipt(1))
    zalo.redeliver(message_id)
    assert (await chat.say("/hop truc_tiep")).startswith(receipt(2)), "the redelivery logged nothing"
    texts = zalo.sent_to(USER)[-2:]
    assert len(zalo.sent) == since + 2 and sum(t.startswith(receipt(1)) for t in texts) == 1
    async with inspecting(app.db, write=False) as session:
        stored = await session.scalar(select(func.count()).select_from(InboxUpdate))
    assert stored == 3, "/start and two /hop: the redelivery was not stored again"


async def test_in_a_group_the_mention_is_stripped_and_the_reply_goes_to_the_group(app, zalo):
    await registered(app, zalo)
    group = Chat(zalo, group=GROUP)
    assert "Lan Nguyễn" in await group.say(f"@{zalo.display_name} /toi")
    assert "Lan Nguyễn" in await group.say(f"@{zalo.account_name}   /toi")


async def test_a_sticker_gets_the_commands_hint_and_an_image_caption_is_a_command(app, zalo):
    await registered(app, zalo)
    since = len(zalo.sent)
    zalo.push(USER, event=EVENT_STICKER, sticker="abc")
    assert await zalo.reply(USER, since=since) == text("access.not_a_command")
    for key in ("photo_url", "photo"):
        since = len(zalo.sent)
        zalo.push(USER, event=EVENT_IMAGE, caption="/toi", **{key: "https://img.zalo.example/a.jpg"})
        assert "Lan Nguyễn" in await zalo.reply(USER, since=since)


async def test_a_failing_update_is_retried_then_apologised_for(config, clock, zalo, monkeypatch, caplog):
    async def broken(incoming):
        raise RuntimeError("database went away")

    async with running(config, clock, zalo, worker=False) as app:  # the test drains the inbox itself
        monkeypatch.setattr(app.service, "answer", broken)
        Chat(zalo).push("/chitieu")
        await zalo.until(lambda: len(zalo.calls_of("getUpdates")) == 2, "the update committed to the inbox")
        with caplog.at_level(logging.ERROR):
            for _ in range(2):
                await app.inbox.drain()
            assert zalo.sent == [], "a failure is retried, not apologised for"
            await app.inbox.drain()
    assert zalo.sent_to(USER) == [text("error.not_saved")], "the third failure is the last: told once"
    assert [str(r.exc_info[1]) for r in caplog.records if r.exc_info] == ["database went away"] * 3
    assert zalo.token not in caplog.text


async def test_a_reply_over_2000_units_is_sent_in_parts_that_zalo_accepts(config, clock, zalo):
    body = "\n".join(f"Dòng {n} 📌 " + "chữ " * 30 for n in range(80))  # ~10,000 UTF-16 units, emoji counting two
    expected = split_text(body, 2000)
    async with running(config, clock, zalo) as app:
        now = clock()
        async with inspecting(app.db) as session:
            key = outbox.OutboxKey(OutboxKind.TASK, "long", "x", now.date())
            await outbox.enqueue(session, key, [Recipient("zalo", USER, False)], body, due_at=now, now=now)
            await session.commit()
        app.sender.wake()
        await zalo.until(lambda: len(zalo.sent_to(USER)) >= len(expected), "every part sent")
        # The transport cuts too, should a caller hand it a whole text.
        await app.channels[0].transport.send(OTHER, Outgoing(body))
    assert len(expected) > 4 and zalo.sent_to(USER) == expected
    assert all(units(part) <= 2000 for part in expected)
    assert zalo.sent_to(OTHER) == expected
    assert len(zalo.calls_of("sendMessage")) == len(zalo.sent), "no send was refused"


# ----------------------------------------------------------------- the transport's errors


@pytest.fixture
def pauses(zalo) -> Pauses:
    """The channel's waits, recorded and never waited, on the mock's monotonic clock."""
    return Pauses(zalo.ticks)


@pytest.fixture
async def channel(config, zalo, pauses):
    """A channel that is not receiving: its transport, and its calls made directly."""
    channel = ZaloChannel(zalo_config(config), zalo.token, http=zalo.http, sleep=pauses, monotonic=zalo.ticks)
    yield channel
    zalo.hang_up()
    await channel.stop()
    await channel.close()


@pytest.mark.parametrize(
    ("code", "error"),
    [(429, RetryLater), (403, Unreachable), (400, Rejected), (404, Rejected), (500, NotSent), (502, NotSent)],
)
async def test_send_failures_are_read_from_the_envelope(channel, zalo, code, error):
    zalo.fail_next("sendMessage", code, "quota exceeded" if code == 429 else "some description")
    with pytest.raises(error):
        await channel.transport.send(USER, Outgoing("Xin chào"))
    assert zalo.sent == []
    assert await channel.transport.send(USER, Outgoing("Xin chào")), "the next one goes, with Zalo's message id"


async def test_an_error_code_sent_as_a_string_or_with_another_http_status_is_read_the_same(channel, zalo):
    zalo.respond_next("sendMessage", {"ok": False, "error_code": "403", "description": "blocked"}, status=200)
    with pytest.raises(Unreachable):
        await channel.transport.send(USER, Outgoing("a"))
    zalo.respond_next("sendMessage", {"ok": False, "error_code": 400, "description": "bad"}, status=500)
    with pytest.raises(Rejected):
        await channel.transport.send(USER, Outgoing("a"))
    zalo.respond_next("sendMessage", {"message": "Bad Gateway"}, status=502)  # a proxy's page, not Zalo's
    with pytest.raises(NotSent):
        await channel.transport.send(USER, Outgoing("a"))


async def test_quota_pauses_grow_while_zalo_keeps_refusing_and_reset_after_a_success(channel, zalo):
    pauses = []
    for _ in range(3):
        zalo.fail_next("sendMessage", 429, "quota exceeded")
        with pytest.raises(RetryLater) as caught:
            await channel.transport.send(USER, Outgoing("a"))
        pauses.append(caught.value.seconds)
    assert pauses == [10.0, 20.0, 40.0]
    await channel.transport.send(USER, Outgoing("a"))
    zalo.fail_next("sendMessage", 429, "quota exceeded")
    with pytest.raises(RetryLater) as caught:
        await channel.transport.send(USER, Outgoing("a"))
    assert caught.value.seconds == 10.0


@pytest.mark.parametrize(
    ("error", "arrived", "outcome"),
    [
        (httpx.ReadTimeout, True, MaybeSent),
        (httpx.RemoteProtocolError, True, MaybeSent),
        (httpx.ConnectError, False, NotSent),
        (httpx.ConnectTimeout, False, NotSent),
        (httpx.PoolTimeout, False, NotSent),
    ],
)
async def test_a_lost_answer_may_have_been_sent_and_a_refused_connection_was_not(
    channel, zalo, error, arrived, outcome
):
    zalo.break_next("sendMessage", error, arrived=arrived)
    with pytest.raises(outcome) as caught:
        await channel.transport.send(USER, Outgoing("chậm"))
    assert zalo.token not in str(caught.value), "httpx quotes the URL, and the URL holds the token"
    assert zalo.sent_to(USER) == (["chậm"] if arrived else []), "what arrived must not be resent blindly"


async def test_a_client_handed_in_belongs_to_the_caller(channel, zalo):
    await channel.stop()
    await channel.close()
    assert not zalo.http.is_closed


# ----------------------------------------------------------------- receiving by long polling


class Inlet:
    """Records what a channel hands the inbox."""

    def __init__(self) -> None:
        self.accepted: list = []
        self.polls: list[bool] = []

    async def accept(self, channel, deliveries) -> None:
        self.accepted += deliveries

    def polled(self, channel, *, ok: bool) -> None:
        self.polls.append(ok)


async def polled(channel: ZaloChannel, zalo: MockZalo, times: int) -> Inlet:
    """Start receiving and wait until getUpdates has been called `times` times (the last one is held)."""
    inlet = Inlet()
    await channel.start(inlet)
    await zalo.until(lambda: len(zalo.calls_of("getUpdates")) >= times, f"{times} polls")
    return inlet


async def test_an_update_is_committed_with_its_date_and_an_idle_408_is_a_good_poll(
    channel, zalo, pauses, clock, caplog
):
    zalo.fail_next("getUpdates", 408, "Request timeout", times=2, taking=1.0)  # two polls held for their second
    message_id = zalo.push(USER, text="/toi")
    with caplog.at_level(logging.WARNING):
        inlet = await polled(channel, zalo, 4)
    [delivery] = inlet.accepted
    assert delivery.key == message_id and delivery.payload["message"]["text"] == "/toi"
    assert delivery.sent_at == clock()
    assert inlet.polls == [True, True] and pauses.asked == [], "a poll that held its second is followed at once"
    assert "getUpdates" not in caplog.text
    assert zalo.calls_of("getUpdates")[0] == {"timeout": "1"}


@pytest.mark.parametrize(("taking", "pause"), [(0.0, 1.0), (0.25, 0.75), (1.0, None)])
async def test_an_idle_answer_sooner_than_a_second_is_followed_by_a_pause_never_a_spin(
    channel, zalo, pauses, taking, pause
):
    idle = {"ok": False, "error_code": "408", "description": "Request timeout"}  # the code as a string, too
    zalo.respond_next("getUpdates", idle, times=3, taking=taking)
    inlet = await polled(channel, zalo, 4)
    assert inlet.polls == [True] * 3 and inlet.accepted == []
    assert pauses.asked == ([] if pause is None else [pause] * 3)


async def test_polling_backs_off_on_errors_and_recovers(channel, zalo, pauses, caplog):
    zalo.fail_next("getUpdates", 500, "Internal Server Error")
    zalo.break_next("getUpdates", httpx.ConnectError, arrived=False)
    zalo.push(USER, text="/toi")
    with caplog.at_level(logging.WARNING):
        inlet = await polled(channel, zalo, 4)
    assert [d.payload["message"]["text"] for d in inlet.accepted] == ["/toi"]
    assert inlet.polls == [False, False] and pauses.asked == [1.0, 2.0], "waits 1 s, then 2 s: no busy loop"
    assert "getUpdates failed" in caplog.text and zalo.token not in caplog.text


async def test_stopping_lets_a_poll_in_flight_land(channel, zalo):
    inlet = await polled(channel, zalo, 1)
    stopping = asyncio.create_task(channel.stop())
    await asyncio.sleep(0)  # the stop has begun: no new poll will start
    zalo.push(USER, text="/toi")  # Zalo hands it to the poll in flight and forgets it
    await stopping
    assert [d.payload["message"]["text"] for d in inlet.accepted] == ["/toi"]
    assert len(zalo.calls_of("getUpdates")) == 1


async def test_a_stop_ends_a_pause_at_once(config, zalo):
    pauses = Pauses(zalo.ticks, hold=True)  # a pause that would never end by itself
    channel = ZaloChannel(zalo_config(config), zalo.token, http=zalo.http, sleep=pauses, monotonic=zalo.ticks)
    zalo.fail_next("getUpdates", 500, "Internal Server Error")
    await channel.start(Inlet())
    await asyncio.wait_for(pauses.began.wait(), 10)
    polling = channel._polling
    await channel.stop()
    assert polling.done() and not polling.cancelled(), "the loop ended by itself, not cut off after a wait"
    assert len(zalo.calls_of("getUpdates")) == 1


async def test_open_waits_for_zalo_removes_a_webhook_and_a_refused_token_is_fatal(channel, zalo, pauses):
    await channel.api.call("setWebhook", {"url": "https://binhlu.example/zalo", "secret_token": SECRET})
    zalo.fail_next("getMe", 502, "Bad Gateway", times=2)
    await channel.open()
    assert len(zalo.calls_of("getMe")) == 3 and pauses.asked == [1.0, 2.0]
    assert channel.bot_names == (zalo.display_name, zalo.account_name)
    assert zalo.webhook is None, "a webhook would keep getUpdates silent"
    wrong = ZaloChannel(channel.config, zalo.token.split(":")[0] + ":wrong-secret", http=zalo.http)
    with pytest.raises(ZaloError) as caught:
        await wrong.open()
    assert caught.value.code == 401 and len(zalo.calls_of("getMe")) == 3


# ----------------------------------------------------------------- receiving by webhook


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_webhook_refuses_a_wrong_secret_and_commits_a_right_one_before_answering(config, clock, zalo):
    port = free_port()
    hook = config.zalo.webhook.model_copy(
        update={"port": port, "public_url": "https://binhlu.example/zalo", "secret": SecretStr(SECRET)}
    )
    async with running(config, clock, zalo, mode="webhook", webhook=hook) as app:
        assert zalo.webhook == {"url": "https://binhlu.example/zalo", "secret_token": SECRET}
        assert zalo.calls_of("deleteWebhook") == [] and zalo.calls_of("getUpdates") == []
        url = f"http://127.0.0.1:{port}/zalo"
        invite = await new_invite(app.service, Role.FOCAL, "vhxh")
        start = {"event_name": EVENT_TEXT, "message": {
            "from": {"id": USER, "display_name": "Lan Nguyễn", "is_bot": False},
            "chat": {"id": USER, "chat_type": "PRIVATE"},
            "text": f"/start {invite.code}", "message_id": "2d758cb5e222177a4e35",
            "date": int(clock().timestamp() * 1000),
        }}  # fmt: skip
        for secret in (None, "sai-bi-mat-\u00e9", SECRET[:-1], SECRET + "x"):
            status, _ = await asyncio.to_thread(post_webhook, url, start, secret)
            assert status == 403
        async with inspecting(app.db, write=False) as session:
            assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 0
        for wrap in (True, False):  # the documented wrapped body, and a bare update: one message, once
            status, _ = await asyncio.to_thread(post_webhook, url, start, SECRET, wrap=wrap)
            assert status == 200
        assert "Chào mừng Lan Nguyễn" in await zalo.reply(USER, since=0)
        toi = {**start, "message": {**start["message"], "text": "/toi", "message_id": "2d758cb5e222177a4e36"}}
        assert await asyncio.to_thread(post_webhook, url, toi, SECRET) == (200, '{"ok": true}')
        assert "Lan Nguyễn" in await zalo.reply(USER, since=1)
        status, _ = await asyncio.to_thread(post_webhook, url, {"not": "an update"}, SECRET)
        assert status == 400
        async with inspecting(app.db, write=False) as session:
            assert await session.scalar(select(func.count()).select_from(InboxUpdate)) == 2, "/start once, /toi"
    assert len(zalo.sent) == 2


async def test_the_webhook_is_registered_again_only_when_it_changed_or_zalo_no_longer_has_it(config, clock, zalo):
    hook = config.zalo.webhook.model_copy(
        update={"port": free_port(), "public_url": "https://binhlu.example/zalo", "secret": SecretStr(SECRET)}
    )

    async def start(hook) -> int:
        """Start as a replica does on the test's database, and stop; how many setWebhook calls Zalo has had."""
        async with running(config, clock, zalo, worker=False, mode="webhook", webhook=hook):
            pass
        return len(zalo.calls_of("setWebhook"))

    assert await start(hook) == 1
    assert await start(hook) == 1, "a restart, or the next replica, finds it registered as it is"
    zalo.webhook = None  # removed meanwhile (the bot run by polling somewhere)
    assert await start(hook) == 2
    assert await start(hook.model_copy(update={"secret": SecretStr(SECRET + "-moi")})) == 3
    assert zalo.webhook == {"url": "https://binhlu.example/zalo", "secret_token": SECRET + "-moi"}


async def test_a_webhook_on_the_shared_server_is_mounted_there_and_the_server_left_to_its_owner(config, clock, zalo):
    hook = config.zalo.webhook.model_copy(
        update={"public_url": "https://binhlu.example/zalo", "secret": SecretStr(SECRET)}
    )
    server = HttpServer("127.0.0.1", 0)
    channel = ZaloChannel(zalo_config(config, mode="webhook", webhook=hook), zalo.token, http=zalo.http, server=server)
    app = App(config.model_copy(update={"zalo": channel.config}), [channel], clock=clock)
    await server.start()  # the owner starts it before the channels
    try:
        await app.open()
        await app.start(sweep=False)
        url = f"http://127.0.0.1:{server.port}/zalo"
        toi = {"event_name": EVENT_TEXT, "message": {
            "from": {"id": USER, "display_name": "Lan", "is_bot": False}, "chat": {"id": USER, "chat_type": "PRIVATE"},
            "text": "/toi", "message_id": "m-shared-1", "date": int(clock().timestamp() * 1000),
        }}  # fmt: skip
        assert await asyncio.to_thread(post_webhook, url, toi, SECRET) == (200, '{"ok": true}')
        await app.stop()
        assert server.port != 0, "still listening: the channel does not own the shared server"
        again = {**toi, "message": {**toi["message"], "message_id": "m-shared-2"}}
        status, _ = await asyncio.to_thread(post_webhook, url, again, SECRET)
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
