"""Three `python -m bot run` replicas on one PostgreSQL database, Telegram posting to their webhooks (as a proxy in
front of them would spread the calls) and the fake Bot API on 127.0.0.1 taking their sends: a burst from several
chats, one replica killed with SIGKILL in the middle of it, and every message answered once, counted once, each
chat's answers in the order it wrote."""

from __future__ import annotations

import http.client
import json
import re
import socket
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import PATIENCE
from tests.e2e.test_bot_process import BotProcess, cli, invite
from tests.fakes.bot_api_server import FakeBotApi
from tests.support.postgres import own_database

REPLICAS, CHATS, PER_CHAT = 3, 5, 60  # 300 meetings, as the issue asks
SECRET = "webhook-secret-for-replicas"
LEADER = 2001
FIRST_FOCAL = 1001


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def replica_config(base: Path, database: str, port: int, n: int) -> Path:
    """Replica `n`'s configuration: the test's, on `database`, taking Telegram's updates by webhook on `port`."""
    text = re.sub(r'(?m)^url = "[^"]*"', f'url = "{database}"', base.read_text(encoding="utf-8"), count=1)
    text = text.replace('mode = "polling"   #', 'mode = "webhook"   #', 1)
    text += (
        f'\n[telegram.webhook]\nlisten = "127.0.0.1"\nport = {port}\npath = "/telegram"\n'
        f'public_url = "https://bot.example/telegram"\nsecret = "{SECRET}"\n'
    )
    path = base.with_name(f"replica{n}.toml")
    path.write_text(text, encoding="utf-8")
    return path


class Front:
    """The proxy in front of the replicas as Telegram sees it: each update POSTed to the next replica, and sent
    again (to the next) until one answers 200."""

    def __init__(self, fake: FakeBotApi, ports: list[int]) -> None:
        self.fake, self.ports, self.turn, self.retries = fake, ports, 0, 0

    def post(self, update_id: int, deadline: float = PATIENCE) -> None:
        body = json.dumps(self.fake.update(update_id)).encode()
        give_up = time.monotonic() + deadline
        while time.monotonic() < give_up:
            port = self.ports[self.turn % len(self.ports)]
            self.turn += 1
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}
                connection.request("POST", "/telegram", body, headers)
                status = connection.getresponse().status
                connection.close()
            except OSError:
                status = None  # a replica down (or killed while answering): the update goes again
            if status == 200:
                return
            self.retries += 1
        raise AssertionError(f"no replica stored update {update_id}")

    def say(self, user_id: int, text: str, name: str) -> None:
        self.fake.push_text(user_id, text, first_name=name)
        self.post(self.fake.last_update_id)


def wait_for_answer(fake: FakeBotApi, user_id: int, since: int, timeout: float = PATIENCE) -> str:
    return fake.wait_for(lambda m: m["chat_id"] == user_id, timeout=timeout, since=since)["text"]


def meetings(fake: FakeBotApi, chat: int) -> list[int]:
    """The meeting numbers of the receipts a chat got, in the order they arrived."""
    found = (re.search(rf"Họp tổ {chat} số (\d+)\.$", m["text"]) for m in fake.sent(chat))
    return [int(f[1]) for f in found if f is not None]


def start_replicas(
    tmp_path: Path, fake: FakeBotApi, config_path: Path, database: str, ports: list[int], chats: int
) -> tuple[list[BotProcess], Front, list[int]]:
    """A replica on each port on `database`, and `chats` focal people of VH-XH and the leader registered through
    them: the processes, the front posting to them, the focal people's chats."""
    configs = [replica_config(config_path, database, port, n) for n, port in enumerate(ports)]
    cli(configs[0], fake, "db", "upgrade")
    codes = [invite(configs[0], fake, "--role", "focal", "--department", "vhxh") for _ in range(chats)]
    leader_code = invite(configs[0], fake, "--role", "leader")
    bots = [BotProcess(path, fake, tmp_path / "bot.log") for path in configs]
    front = Front(fake, ports)
    focals = [FIRST_FOCAL + n for n in range(chats)]
    try:
        for user, code in [*zip(focals, codes, strict=True), (LEADER, leader_code)]:
            since = len(fake.sent())
            front.say(user, f"/start {code}", "Lan")
            assert "Chào mừng" in wait_for_answer(fake, user, since)
    except BaseException:
        for bot in bots:
            bot.kill()
        raise
    return bots, front, focals


@pytest.fixture
async def database():
    async with own_database("e2e_replicas") as url:
        yield url


def test_three_replicas_one_killed_mid_burst_lose_double_and_reorder_nothing(tmp_path, fake, config_path, database):
    ports = [free_port() for _ in range(REPLICAS)]
    bots, front, focals = start_replicas(tmp_path, fake, config_path, database, ports, CHATS)
    try:
        killed_at = CHATS * PER_CHAT // 2
        posted = 0
        for n in range(1, PER_CHAT + 1):
            for user in focals:
                front.say(user, f"/hop tructuyen Họp tổ {user} số {n}", "Lan")  # one chat's own
                posted += 1
                if posted == killed_at:
                    fake.hold("sendMessage")  # receipts in flight at the kill, the victim's among them
                    fake.wait_held(timeout=PATIENCE)
                    bots[0].kill()
                    front.ports = ports[1:]  # the proxy's health check takes the dead one out
                    fake.release("sendMessage")

        for user in focals:
            fake.wait_for_count(user, 1 + PER_CHAT, timeout=180)  # the welcome, then one receipt each
        since = len(fake.sent())
        front.say(LEADER, "/chitieu", "Hùng")
        counted = int(re.search(r"Cuộc họp: (\d+)", wait_for_answer(fake, LEADER, since))[1])
        lost = sum(len(set(range(1, PER_CHAT + 1)) - set(meetings(fake, user))) for user in focals)
        doubled = sum(len(meetings(fake, user)) - len(set(meetings(fake, user))) for user in focals)
        print(f"replicas: {CHATS * PER_CHAT} sent, {lost} lost, {doubled} doubled, {counted} counted")
        assert (lost, doubled, counted) == (0, 0, CHATS * PER_CHAT)
        for user in focals:
            assert meetings(fake, user) == list(range(1, PER_CHAT + 1)), "each chat's receipts in its order"
        for bot in bots[1:]:
            assert bot.terminate() == 0
        assert len(fake.calls("setWebhook")) == 1, "one replica registered the webhook for all"
        assert fake.webhook["url"] == "https://bot.example/telegram"
    finally:
        for bot in bots:
            if bot.process.poll() is None:
                bot.kill()
    assert fake.errors == []
