"""Shared fixtures: the example config on a temporary database, a controllable clock, chat users."""

from __future__ import annotations

import itertools
import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Config, load_config
from bot.core.messages import Incoming, Reply
from bot.core.permissions import Role
from bot.service import Service
from storage.db import Database

# python-telegram-bot 22 warns on every RetryAfter unless told to use timedeltas; warnings are errors here.
os.environ.setdefault("PTB_TIMEDELTA", "1")

ROOT = Path(__file__).resolve().parent.parent
# 10:00 in Bình Lư on Friday 27/11/2026.
DEFAULT_NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


class MutableClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime = DEFAULT_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def restore_logging():
    """The CLI configures the root logger; put it back after each test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    example = load_config(ROOT / "config.example.toml")
    database = example.database.model_copy(update={"url": f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"})
    return example.model_copy(update={"database": database})


@pytest.fixture
def clock() -> MutableClock:
    return MutableClock()


@pytest.fixture
async def service(config: Config, clock: MutableClock):
    service = Service(config, Database(config.database.url), clock)
    await service.prepare()
    yield service
    await service.db.dispose()


_message_ids = itertools.count(1)


class User:
    """A chat user talking to the service, in private or in a group."""

    def __init__(self, service: Service, user_id: str, name: str) -> None:
        self.service = service
        self.user_id = user_id
        self.name = name

    def incoming(self, text: str, *, chat_id: str | None = None, message_id: str | None = None) -> Incoming:
        return Incoming(
            channel="test",
            chat_id=chat_id or self.user_id,
            message_id=message_id or str(next(_message_ids)),
            sender_id=self.user_id,
            sender_name=self.name,
            text=text,
            is_group=chat_id is not None and chat_id.startswith("-"),
        )

    async def send(self, text: str, **where: str) -> Reply | None:
        return await self.service.handle(self.incoming(text, **where))

    async def say(self, text: str, **where: str) -> str:
        reply = await self.send(text, **where)
        assert reply is not None
        return reply.text


async def register(service: Service, user_id: str, role: Role, department: str | None = None) -> User:
    """A user registered through a real invite."""
    user = User(service, user_id, f"Người dùng {user_id}")
    invite = await service.create_invite(role, department, created_by="test")
    assert "Chào mừng" in await user.say(f"/start {invite.code}")
    return user


@pytest.fixture
async def focal(service: Service) -> User:
    return await register(service, "101", Role.FOCAL, "vhxh")


@pytest.fixture
async def leader(service: Service) -> User:
    return await register(service, "201", Role.LEADER)


@pytest.fixture
async def admin(service: Service) -> User:
    return await register(service, "301", Role.ADMIN)
