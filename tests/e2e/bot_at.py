"""The whole bot in this process, its real Telegram channel polling the fake Bot API on 127.0.0.1, on a clock that
starts at the day a story needs; the users' messages are dated by that clock, as Telegram dates them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.config import load_config
from bot.core.clock import Clock, running_clock
from bot.core.permissions import Role
from bot.service.access import create_invite
from tests.e2e.conftest import PATIENCE
from tests.fakes.bot_api_server import FakeBotApi


class Chat:
    """A Telegram user in a private chat with the bot, who waits for each answer."""

    def __init__(self, fake: FakeBotApi, clock: Clock, user_id: int, name: str) -> None:
        self.fake, self.clock, self.user_id, self.name = fake, clock, user_id, name

    def _date(self) -> int:
        return int(self.clock().timestamp())

    async def send(self, text: str) -> dict:
        """Send a message; the bot's next message to this chat."""
        since = len(self.fake.sent())
        self.fake.push_text(self.user_id, text, first_name=self.name, date=self._date())
        return await self.fake.wait_for_async(lambda m: m["chat_id"] == self.user_id, PATIENCE, since=since)

    async def say(self, text: str) -> str:
        return (await self.send(text))["text"]

    async def send_file(self, name: str, caption: str) -> str:
        """Send a file (a short PDF named `name`) with a caption; the text of the bot's answer."""
        since = len(self.fake.sent())
        self.fake.push_document(self.user_id, b"%PDF-1.4\n", f"{name}.pdf", caption, date=self._date())
        return (await self.fake.wait_for_async(lambda m: m["chat_id"] == self.user_id, PATIENCE, since=since))["text"]

    async def tap(self, message: dict, label: str) -> dict:
        """Tap the button of `message` labelled `label`: the question is replaced by its answer (with the buttons
        of the next question, if it asks one); that message."""
        buttons = [b for row in message["reply_markup"]["inline_keyboard"] for b in row]
        button = next(b for b in buttons if b["text"] == label)
        since = len(self.fake.calls())
        self.fake.push_callback(self.user_id, button["callback_data"], message["message_id"])
        edit = await self.fake.wait_for_call_async(
            "editMessageText", lambda p: int(p.get("message_id", 0)) == message["message_id"], PATIENCE, since=since
        )
        return {"message_id": message["message_id"], "text": edit["text"], "reply_markup": edit.get("reply_markup")}


class RunningBot:
    """The bot as it runs, and how to bring people into it."""

    def __init__(self, app: App, fake: FakeBotApi) -> None:
        self.app, self.fake = app, fake

    @property
    def clock(self) -> Clock:
        return self.app.clock

    async def member(self, user_id: int, name: str, role: Role, department: str | None = None) -> Chat:
        """A person registered through a real invite, sent with /start through the fake Bot API."""
        commune = next(iter(self.app.communes))
        async with self.app.db.unit_of_work() as session:
            invite = await create_invite(
                session, commune, role, department, created_by="test", ttl_hours=1, now=self.clock()
            )
            await session.commit()
        chat = Chat(self.fake, self.clock, user_id, name)
        assert "Chào mừng" in await chat.say(f"/start {invite.code}")
        return chat

    def files(self, suffix: str) -> list[Path]:
        """The files the bot made with this suffix, oldest first."""
        folder = Path(self.app.config.exports.files_dir)
        return sorted(folder.glob(f"*{suffix}"), key=lambda path: path.stat().st_mtime_ns)


@contextlib.asynccontextmanager
async def bot_at(config_path: Path, fake: FakeBotApi, start: datetime) -> AsyncIterator[RunningBot]:
    """Run the bot from `start` on (its clock runs on from there) until the block ends."""
    config = load_config(config_path)
    app = App(config, [TelegramChannel(config.telegram, fake.token)], clock=running_clock(start))
    await app.open()
    try:
        await app.start()
        yield RunningBot(app, fake)
    finally:
        await app.stop()
    assert fake.errors == []
