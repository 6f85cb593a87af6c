"""Both platforms' webhooks on the shared server: the secret before the body, stored before 200, else retried."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp
import pytest
from pydantic import SecretStr

from bot.channels import telegram_webhook, zalo_webhook
from bot.config.channels import WebhookConfig
from bot.http_server import MAX_BODY, MAX_DEPTH, HttpServer, Limits
from bot.ports import Delivery

SECRET = "binhlu-webhook-secret-42"
WAIT = 5.0  # no answer within this long is a failure, never a pass
TELEGRAM_UPDATE = {
    "update_id": 9001,
    "message": {
        "message_id": 17,
        "date": 1795748400,
        "chat": {"id": 1001, "type": "private"},
        "from": {"id": 1001, "is_bot": False, "first_name": "Lan"},
        "text": "/toi",
    },
}
ZALO_UPDATE = {
    "event_name": "message.text.received",
    "message": {
        "from": {"id": "6ede9afa66b88fe6d6a9", "display_name": "Lan", "is_bot": False},
        "chat": {"id": "6ede9afa66b88fe6d6a9", "chat_type": "PRIVATE"},
        "message_id": "2d758cb5e222177a4e35",
        "date": 1795748400000,
        "text": "/toi",
    },
}


@dataclass(frozen=True)
class Platform:
    name: str
    make: object  # (hook, server) -> WebhookReceiver
    header: str
    body: dict
    key: str


PLATFORMS = [
    Platform("telegram", telegram_webhook.receiver, "X-Telegram-Bot-Api-Secret-Token", TELEGRAM_UPDATE, "9001"),
    Platform(
        "zalo",
        zalo_webhook.receiver,
        "X-Bot-Api-Secret-Token",
        {"ok": True, "result": ZALO_UPDATE},
        ZALO_UPDATE["message"]["message_id"],
    ),
]


@dataclass
class Store:
    """The inbox's `accept`: records what it committed; can fail, or hold until released."""

    accepted: list[tuple[str, Sequence[Delivery]]] = field(default_factory=list)
    failing: bool = False
    gate: asyncio.Event | None = None
    entered: asyncio.Event = field(default_factory=asyncio.Event)

    async def accept(self, channel: str, deliveries: Sequence[Delivery]) -> None:
        self.entered.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.failing:
            raise OSError("database is locked")
        self.accepted.append((channel, deliveries))


@pytest.fixture(params=PLATFORMS, ids=lambda p: p.name)
def platform(request) -> Platform:
    return request.param


@pytest.fixture
async def hook(platform):
    """The platform's receiver mounted at /hook on a running server, fed to a Store."""
    server = HttpServer("127.0.0.1", 0, limits=Limits(body_timeout=60.0))  # a body waited for would hang the test
    receiver = platform.make(WebhookConfig(path="/hook", secret=SecretStr(SECRET)), server)
    store = Store()
    await receiver.open(store.accept)
    await server.start()
    yield server, receiver, store
    await server.stop()


async def post(server: HttpServer, body: bytes | io.BytesIO, headers: dict[str, str]) -> tuple[int, dict]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{server.port}/hook", data=body, headers=headers) as response,
    ):
        return response.status, await response.json()


def signed(platform: Platform, secret: str | None = SECRET) -> dict[str, str]:
    return {"Content-Type": "application/json"} | ({platform.header: secret} if secret is not None else {})


@pytest.mark.parametrize("secret", [None, "", "sai-bi-mat-\u00e9", SECRET[:-1], SECRET + "x", SECRET.upper()])
async def test_a_missing_or_wrong_secret_is_403_and_nothing_is_stored(hook, platform, secret):
    server, _, store = hook
    assert await post(server, json.dumps(platform.body).encode(), signed(platform, secret)) == (
        403,
        {"ok": False, "description": "Forbidden"},
    )
    assert store.accepted == [] and not store.entered.is_set()


async def test_the_secret_is_checked_before_the_body_is_read(hook, platform):
    server, _, store = hook
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    # The headers announce a body that never comes: an answer at all means the body was not waited for.
    writer.write(
        f"POST /hook HTTP/1.1\r\nHost: bot\r\n{platform.header}: wrong-secret\r\nContent-Length: 500\r\n\r\n".encode()
    )
    async with asyncio.timeout(WAIT):
        assert (await reader.readuntil(b"\r\n")).startswith(b"HTTP/1.1 403 ")
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()
    assert store.accepted == []


async def test_a_body_over_one_megabyte_is_413(hook, platform):
    server, _, store = hook
    padded = {**platform.body, "padding": "x" * MAX_BODY}
    status, _ = await post(server, io.BytesIO(json.dumps(padded).encode()), signed(platform))
    assert status == 413 and store.accepted == []


@pytest.mark.parametrize(
    "body",
    [b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), b"[" * 100_000 + b"]" * 100_000, b"{not json", b'"a string"'],
    ids=["deep", "deeper-than-the-parser", "malformed", "not-an-object"],
)
async def test_nested_malformed_or_foreign_json_is_400(hook, platform, body):
    server, _, store = hook
    status, _ = await post(server, body, signed(platform))
    assert status == 400 and store.accepted == []


async def test_a_body_that_is_not_an_update_is_400(hook, platform):
    server, _, store = hook
    for body in ({"ok": True, "result": {"event_name": "x"}}, {"update_id": "9001"}, {"update_id": True}, {"hello": 1}):
        status, _ = await post(server, json.dumps(body).encode(), signed(platform))
        assert status == 400
    assert store.accepted == []


async def test_an_update_is_stored_before_the_200(hook, platform):
    server, _, store = hook
    store.gate = asyncio.Event()
    answer = asyncio.create_task(post(server, json.dumps(platform.body).encode(), signed(platform)))
    async with asyncio.timeout(WAIT):
        await store.entered.wait()
    assert not answer.done(), "answered before the store returned"
    store.gate.set()
    assert await answer == (200, {"ok": True})
    [(channel, [delivery])] = store.accepted
    assert channel == platform.name and delivery.key == platform.key


async def test_while_the_store_fails_the_answer_is_503_so_the_platform_retries(hook, platform):
    server, _, store = hook
    store.failing = True
    assert await post(server, json.dumps(platform.body).encode(), signed(platform)) == (
        503,
        {"ok": False, "description": "Not stored"},
    )
    store.failing = False  # the database is back: the retry is stored
    assert (await post(server, json.dumps(platform.body).encode(), signed(platform)))[0] == 200
    assert len(store.accepted) == 1


async def test_before_the_channel_starts_and_after_it_stops_the_answer_is_503(hook, platform):
    server, receiver, store = hook
    await receiver.close()
    status, _ = await post(server, json.dumps(platform.body).encode(), signed(platform))
    assert status == 503 and store.accepted == []
    await receiver.open(store.accept)
    status, _ = await post(server, json.dumps(platform.body).encode(), signed(platform))
    assert status == 200


def test_a_receiver_without_a_secret_accepts_no_call(platform):
    receiver = platform.make(WebhookConfig(path="/hook"), HttpServer("127.0.0.1", 0))
    assert not receiver.authentic("") and not receiver.authentic(None)
