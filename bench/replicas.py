"""Replicas: one and three `python -m bot run` processes on one PostgreSQL database, Telegram posting each update to
their webhooks through a round-robin front (as a proxy would), against the fake Bot API on 127.0.0.1: updates
answered a second, and how many were lost or answered twice (goal 0, and three replicas at least as fast as one).

Scale: 50 chats × 4 `/hop` each per run (within a private chat's burst, so Telegram's per-chat pace does not set
the rate; its 30/s overall does, shared by the replicas through the database). A run's rate is its updates over
the time from the first post to the last receipt.
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from bench.harness import Figure
from tests.e2e.test_bot_process import BotProcess, invite
from tests.e2e.test_replicas import Front, free_port, replica_config
from tests.fakes.bot_api_server import FakeBotApi
from tests.support.databases import on_database

DATABASES = ("postgresql",)  # replicas share a PostgreSQL database; SQLite runs one process
ROOT = Path(__file__).resolve().parent.parent
CHATS, EACH = 50, 4


def _config(folder: Path, fake: FakeBotApi, url: str) -> Path:
    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    text = text.replace('base_url = "https://api.telegram.org/bot"', f'base_url = "{fake.base_url}"')
    text = text.replace("enabled = true ", "enabled = false")  # reminders off: only the updates are measured
    text = on_database(text, url).replace('files_dir = "data/files"', f'files_dir = "{folder / "files"}"')
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _receipts(fake: FakeBotApi, chat: int) -> list[str]:
    return [m["text"] for m in fake.sent(chat) if m["text"].startswith("Đã ghi #")]


def _run(folder: Path, fake: FakeBotApi, url: str, replicas: int, first_chat: int) -> tuple[float, int, int]:
    """(updates a second, lost, answered twice) for one burst through `replicas` processes."""
    ports = [free_port() for _ in range(replicas)]
    base = _config(folder, fake, url)
    configs = [replica_config(base, url, port, n) for n, port in enumerate(ports)]
    chats = [first_chat + n for n in range(CHATS)]
    codes = [invite(configs[0], fake, "--role", "focal", "--department", "vhxh") for _ in chats]
    bots = [BotProcess(path, fake, folder / f"bot{replicas}.log") for path in configs]
    front = Front(fake, ports)
    try:
        for chat, code in zip(chats, codes, strict=True):
            front.say(chat, f"/start {code}", "Lan")
        for chat in chats:
            fake.wait_for_count(chat, 1, timeout=120)
        began = time.monotonic()
        for n in range(1, EACH + 1):
            for chat in chats:
                front.say(chat, f"/hop tructuyen Họp {chat} số {n}", "Lan")
        for chat in chats:
            fake.wait_for_count(chat, 1 + EACH, timeout=300)
        took = time.monotonic() - began
    finally:
        for bot in bots:
            if bot.process.poll() is None:
                bot.terminate()
    answered = {chat: [int(re.search(r"số (\d+)\.$", t)[1]) for t in _receipts(fake, chat)] for chat in chats}
    lost = sum(len(set(range(1, EACH + 1)) - set(numbers)) for numbers in answered.values())
    twice = sum(len(numbers) - len(set(numbers)) for numbers in answered.values())
    return CHATS * EACH / took, lost, twice


async def measure(database_url: str) -> list[Figure]:
    folder = Path(tempfile.mkdtemp(prefix="bench-replicas-"))
    with FakeBotApi() as fake:
        one, lost_one, twice_one = _run(folder, fake, database_url, 1, 1001)
        three, lost_three, twice_three = _run(folder, fake, database_url, 3, 5001)
    scale = f"{CHATS} chats × {EACH} /hop, webhook; the reference"
    return [
        Figure("updates answered a second, one replica", one, "/s", 0, higher_is_better=True, note=scale),
        Figure("updates answered a second, three replicas (vs one)", three, "/s", one, higher_is_better=True),
        Figure("updates lost (one and three replicas)", lost_one + lost_three, "", 0),
        Figure("updates answered twice (one and three replicas)", twice_one + twice_three, "", 0),
    ]
