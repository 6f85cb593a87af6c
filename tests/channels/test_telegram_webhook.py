"""Telegram by webhook: updates read as polling reads them, the webhook registered, the channel on the server."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import aiohttp
import pytest
from pydantic import SecretStr
from telegram import Update
from telegram.error import BadRequest

from bot.app import App
from bot.channels.telegram import ALLOWED_UPDATES, TelegramChannel
from bot.channels.telegram_webhook import SECRET_HEADER, delivery_of, read_body, register_webhook, use_polling
from bot.core.texts import text
from bot.http_server import HttpServer
from tests.channels.test_webhook import SECRET, TELEGRAM_UPDATE
from tests.fakes.offline_request import RecordingRequest

TOKEN = "123456789:" + "TEST_fake_token_for_webhook_tests_" + "x" * 8
PUBLIC_URL = "https://bot.binhlu.example/telegram"


class FlakyRequest(RecordingRequest):
    """A recording Bot API whose `fail` lasts for one call only."""

    async def do_request(self, url, method, request_data=None, **kwargs):
        answer = await super().do_request(url, method, request_data, **kwargs)
        self.failures.pop(url.rsplit("/", 1)[-1], None)
        return answer


def webhook_config(config, **hook):
    fields = {"public_url": PUBLIC_URL, "secret": SecretStr(SECRET), **hook}
    return config.telegram.model_copy(
        update={"mode": "webhook", "webhook": config.telegram.webhook.model_copy(update=fields)}
    )


def test_a_pushed_update_is_stored_exactly_as_a_polled_one():
    polled = delivery_of(Update.de_json(TELEGRAM_UPDATE, None))
    pushed = read_body(json.loads(json.dumps(TELEGRAM_UPDATE)))
    assert pushed == polled
    assert pushed.key == "9001" and pushed.sent_at == datetime.fromtimestamp(1795748400, UTC)


@pytest.mark.parametrize(
    "body",
    [
        [TELEGRAM_UPDATE],
        {**TELEGRAM_UPDATE, "update_id": 9001.5},
        {**TELEGRAM_UPDATE, "message": 5},
        {**TELEGRAM_UPDATE, "message": {"chat": {"id": 1, "type": "private"}}},  # no message_id, no date
    ],
)
def test_what_is_not_an_update_is_read_as_none(body):
    assert read_body(body) is None


@pytest.fixture
async def opened(config, clock):
    """A channel polling a recording Bot API, and the App around it (whose inbox records what was set up)."""
    request = FlakyRequest()
    channel = TelegramChannel(config.telegram, TOKEN, request=request, get_updates_request=request)
    app = App(config, [channel], clock=clock)
    await app.open()
    yield channel, app.inbox, request
    await app.stop()


async def test_the_webhook_is_registered_with_its_url_secret_and_updates_until_telegram_answers(config, opened):
    channel, inbox, request = opened
    request.fail("setWebhook", 502, "Bad Gateway")
    await register_webhook(channel.bot, webhook_config(config).webhook, ALLOWED_UPDATES, inbox.once, first_backoff=0)
    first, second = request.sent("setWebhook")
    assert first == second
    assert second["url"] == PUBLIC_URL and second["secret_token"] == SECRET
    assert second["allowed_updates"] == ["message", "callback_query"]
    request.fail("setWebhook", 400, "Bad Request: bad webhook: HTTPS url must be provided for webhook")
    elsewhere = webhook_config(config, public_url="http://bot.binhlu.example/telegram").webhook
    with pytest.raises(BadRequest):
        await register_webhook(channel.bot, elsewhere, ALLOWED_UPDATES, inbox.once, first_backoff=0)
    await use_polling(channel.bot)
    assert request.sent("deleteWebhook") == [{"drop_pending_updates": False}]


async def test_a_webhook_is_registered_again_only_when_it_changed_or_telegram_no_longer_has_it(config, opened):
    channel, inbox, request = opened
    hook = webhook_config(config).webhook

    async def register(hook) -> int:
        """Register as a starting replica does; how many setWebhook calls Telegram has had in all."""
        await register_webhook(channel.bot, hook, ALLOWED_UPDATES, inbox.once, first_backoff=0)
        return len(request.sent("setWebhook"))

    assert await register(hook) == 1
    assert await register(hook) == 1, "a restart, or the next replica, finds it registered as it is"
    assert len(request.sent("getWebhookInfo")) == 1, "having asked Telegram where it posts"
    await use_polling(channel.bot)  # the bot was run by polling meanwhile: Telegram forgot the webhook
    assert await register(hook) == 2
    assert await register(hook) == 2
    assert await register(webhook_config(config, secret=SecretStr("a-new-secret-for-the-hook")).webhook) == 3


async def post(port: int, body: dict, secret: str | None = SECRET) -> int:
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{port}/telegram", json=body, headers=headers) as response,
    ):
        return response.status


def update_from(user_id: int, line: str, update_id: int) -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1795748400,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Lan"},
            "text": line,
        },
    }


async def test_a_channel_on_the_shared_server_stores_what_telegram_posts_and_answers_it(config, clock):
    server, request = HttpServer("127.0.0.1", 0), RecordingRequest()
    channel = TelegramChannel(
        webhook_config(config), TOKEN, request=request, get_updates_request=request, server=server
    )
    app = App(config, [channel], clock=clock)
    await app.open()
    await server.start()  # the owner starts the shared server before the channels
    try:
        await channel.start(app.inbox)
        assert [params["url"] for params in request.sent("setWebhook")] == [PUBLIC_URL]
        assert request.sent("deleteWebhook") == [] and request.sent("getUpdates") == []
        assert await post(server.port, update_from(2001, "/chitieu", 1), secret="wrong-secret") == 403
        assert await post(server.port, update_from(2001, "/chitieu", 2)) == 200
        assert await post(server.port, update_from(2001, "/chitieu", 2)) == 200  # Telegram's retry: stored once
        assert await app.inbox.drain() == 1
        assert [m["text"] for m in request.sent()] == [text("access.unregistered")]
        await channel.stop()
        assert await post(server.port, update_from(2001, "/chitieu", 3)) == 503  # Telegram keeps it for later
    finally:
        await server.stop()
        await app.stop()


async def test_a_channel_given_no_server_listens_on_its_own(config, clock):
    request = RecordingRequest()
    hook = webhook_config(config, port=0)  # the system picks a free port
    channel = TelegramChannel(hook, TOKEN, request=request, get_updates_request=request)
    app = App(config, [channel], clock=clock)
    await app.open()
    try:
        await channel.start(app.inbox)
        port = channel.webhook.server.port
        assert await post(port, update_from(2002, "/chitieu", 4)) == 200
        assert await app.inbox.drain() == 1
    finally:
        await app.stop()
    with pytest.raises(aiohttp.ClientConnectionError):  # stopped with the channel
        await post(port, update_from(2002, "/chitieu", 5))
