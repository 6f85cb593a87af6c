"""`python -m bot run` and `remind` with only a Zalo token, as real processes against a fake Zalo Bot API."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.config import load_config
from bot.core.clock import fixed_clock
from bot.core.messages import Incoming
from bot.core.permissions import Role
from bot.service import Service
from storage.db import Database
from tests.conftest import ROOT
from tests.e2e.conftest import PATIENCE
from tests.fakes.zalo_api_server import EVENT_TEXT, FakeZaloApi, post_webhook
from tests.support.clock import instant
from tests.support.databases import on_database
from tests.support.texts import receipt
from tests.support.users import new_invite

FOCAL, LEADER, STRANGER = "6ede9afa66b88fe6d6a9", "e4ea2cd5189df1c3a88c", "0a0b0c0d0e0f10111213"
SECRET = "binhlu-webhook-secret-42"


@pytest.fixture
def zalo():
    with FakeZaloApi() as server:
        yield server
    assert server.errors == []


def without_zalo_tables(toml: str) -> str:
    """The file without its `[zalo]` and `[zalo.*]` tables (replaced by the test's own)."""
    kept, skipping = [], False
    for line in toml.splitlines():
        header = re.match(r"\s*\[\[?\s*([\w.\"-]+)\s*\]", line)
        if header:
            skipping = header[1] == "zalo" or header[1].startswith("zalo.")
        if not skipping:
            kept.append(line)
    return "\n".join(kept) + "\n"


def write_config(url: str, tmp_path: Path, zalo: FakeZaloApi, zalo_section: str = "") -> Path:
    example = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    example = example.replace("enabled = true ", "enabled = false")  # the process runs on the real clock
    example = example.replace("# start = 2026-01-01", "start = 2026-06-01")
    example = on_database(example, url)
    section = f'\n[zalo]\nbase_url = "{zalo.base_url}"\npoll_timeout = 1\n{zalo_section}'
    path = tmp_path / "config.toml"
    path.write_text(without_zalo_tables(example) + section, encoding="utf-8")
    assert load_config(path).zalo.base_url == zalo.base_url
    return path


@pytest.fixture
def config_path(tmp_path: Path, zalo: FakeZaloApi, new_database) -> Path:
    return write_config(new_database("bot"), tmp_path, zalo)


def environment(zalo: FakeZaloApi) -> dict[str, str]:
    """Only a Zalo token: no Telegram channel at all."""
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN")}
    return {**env, "ZALO_BOT_TOKEN": zalo.token, "PYTHONUNBUFFERED": "1"}


def cli(config_path: Path, zalo: FakeZaloApi, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args, "--config", str(config_path)],
        env=environment(zalo),
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    )
    assert result.returncode == 0, result.stderr
    assert zalo.token not in result.stdout + result.stderr
    return result.stdout


def invite(config_path: Path, zalo: FakeZaloApi, *args: str) -> str:
    return cli(config_path, zalo, "invite", *args).strip().splitlines()[-1]


class BotProcess:
    """`python -m bot run` in a child process, its log in a file."""

    def __init__(self, config_path: Path, zalo: FakeZaloApi, log: Path) -> None:
        self.log = log
        with log.open("ab") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--config", str(config_path)],
                env=environment(zalo),
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )

    def __enter__(self) -> BotProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=PATIENCE)


class Conversation:
    """A Zalo user of the fake who waits for each answer."""

    def __init__(self, zalo: FakeZaloApi, user_id: str, name: str) -> None:
        self.zalo, self.user_id, self.name = zalo, user_id, name

    def say(self, text: str, timeout: float = PATIENCE) -> str:
        since = len(self.zalo.sent())
        self.zalo.push_text(self.user_id, text, display_name=self.name)
        return self.zalo.wait_for(lambda m: m["chat_id"] == self.user_id, timeout=timeout, since=since)["text"]


def test_register_log_by_number_and_ask_for_the_targets(tmp_path, zalo, config_path):
    focal_code = invite(config_path, zalo, "--role", "focal", "--department", "vhxh")
    leader_code = invite(config_path, zalo, "--role", "leader")
    focal, leader = Conversation(zalo, FOCAL, "Lan Nguyễn"), Conversation(zalo, LEADER, "Trần Hùng")
    with BotProcess(config_path, zalo, tmp_path / "bot.log") as bot:
        assert "Chào mừng Lan Nguyễn" in focal.say(f"/start {focal_code}")
        assert "Chào mừng Trần Hùng" in leader.say(f"/start {leader_code}")
        assert "chưa được đăng ký" in Conversation(zalo, STRANGER, "Khách").say("/toi")
        assert focal.say("/hop truc_tuyen Giao ban").startswith(receipt(1) + ":")
        assert focal.say("/hop").splitlines()[-2:] == ["1. Trực tuyến", "2. Trực tiếp"]
        assert focal.say("2").startswith(receipt(2) + ": họp trực tiếp")
        assert not focal.say("2").startswith(receipt()), "a choice is answered once"
        report = leader.say("/chitieu chitiet")
        assert "Cuộc họp: 2" in report and "1/2 cuộc" in report, report
        assert bot.terminate() == 0
    assert all(len(m["text"]) <= 2000 for m in zalo.sent())
    assert zalo.token not in (tmp_path / "bot.log").read_text(encoding="utf-8")
    assert [r["method"] for r in zalo.requests()][:2] == ["getMe", "deleteWebhook"]


def register_on_zalo(config_path: Path, user: str, role: Role, department: str | None) -> None:
    """A person registered on Zalo only, by invite, a week before the reminder."""

    async def register() -> None:
        config = load_config(config_path)
        service = Service(config, Database(config.database.url), fixed_clock(instant("2026-11-20T10:00")))
        await service.prepare()
        code = (await new_invite(service, role, department)).code
        reply = await service.handle(Incoming("zalo", user, "m1", user, "Lan Nguyễn", f"/start {code}"))
        assert "Chào mừng" in reply.text
        await service.db.dispose()

    asyncio.run(register())


def test_remind_reaches_a_zalo_only_focal_person_exactly_once(zalo, config_path):
    register_on_zalo(config_path, FOCAL, Role.FOCAL, "vhxh")
    zalo.add_chat(FOCAL)  # she wrote to the bot before (her /start)
    for _ in range(2):
        cli(config_path, zalo, "remind", "--at", "2026-11-27T08:00")
    [reminder] = zalo.sent(FOCAL)
    assert "Báo cáo năm 2026" in reminder["text"] and "/nopbaocao nam 2026" in reminder["text"]
    assert len(zalo.sent()) == 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def webhook_section(port: int) -> str:
    """The `[zalo]` keys of webhook mode, listening on `port`."""
    return (
        f'mode = "webhook"\n[zalo.webhook]\nlisten = "127.0.0.1"\nport = {port}\npath = "/zalo"\n'
        f'public_url = "https://binhlu.example/zalo"\nsecret = "{SECRET}"\n'
    )


def test_webhook_refuses_a_missing_or_wrong_secret(tmp_path, zalo, new_database):
    port = free_port()
    webhook = webhook_section(port)
    config_path = write_config(new_database("bot"), tmp_path, zalo, webhook)
    code = invite(config_path, zalo, "--role", "focal", "--department", "vhxh")
    zalo.add_chat(FOCAL)
    url = f"http://127.0.0.1:{port}/zalo"
    start = text_update(FOCAL, f"/start {code}", "2d758cb5e222177a4e35")
    with BotProcess(config_path, zalo, tmp_path / "bot.log") as bot:
        zalo.wait_for_call("setWebhook", timeout=PATIENCE)  # registered once the endpoint listens
        assert zalo.webhook["secret_token"] == SECRET and zalo.calls("deleteWebhook") == []
        for secret in (None, "", "wrong-secret-123", SECRET.upper()):
            assert post_webhook(url, start, secret)[0] == 403
        for wrap in (True, False):
            assert post_webhook(url, {"ok": True, "result": {"event_name": EVENT_TEXT}}, SECRET, wrap=wrap)[0] == 400
        assert zalo.sent() == []
        # The invite is still unused: nothing of the refused calls was stored or handled.
        assert post_webhook(url, start, SECRET) == (200, '{"ok": true}')
        assert "Chào mừng Lan Nguyễn" in zalo.wait_for(lambda m: m["chat_id"] == FOCAL, timeout=PATIENCE)["text"]
        assert bot.terminate() == 0
    assert len(zalo.sent()) == 1
    assert zalo.token not in (tmp_path / "bot.log").read_text(encoding="utf-8")


BURST, KILLED_AFTER = 20, 8  # a chat gets 1 reply a second after a burst: kept short


def text_update(user: str, line: str, message_id: str) -> dict:
    return {
        "event_name": EVENT_TEXT,
        "message": {
            "from": {"id": user, "display_name": "Lan Nguyễn", "is_bot": False},
            "chat": {"id": user, "chat_type": "PRIVATE"},
            "text": line,
            "message_id": message_id,
            "date": int(time.time() * 1000),
        },
    }


def posted(url: str, update: dict) -> bool:
    """One webhook call as Zalo makes it: whether the bot answered 200 (stored), or Zalo must send it again."""
    try:
        return post_webhook(url, update, SECRET, timeout=5)[0] == 200
    except OSError:
        return False  # nobody listening: the process is dead


def test_a_kill_in_a_webhook_burst_loses_nothing_zalo_was_told_was_stored(tmp_path, zalo, new_database):
    """What Zalo allows: by webhook an update the bot answered 200 is stored, so kill -9 in the middle of a burst
    loses none of them and counts none twice; what got no 200 Zalo sends again. (Polling cannot promise this: Zalo's
    getUpdates forgets what it handed out, so the update in flight at a hard crash is gone — the README says so.)"""
    port = free_port()
    webhook = webhook_section(port)
    config_path = write_config(new_database("bot"), tmp_path, zalo, webhook)
    code = invite(config_path, zalo, "--role", "focal", "--department", "vhxh")
    zalo.add_chat(FOCAL)
    url, log = f"http://127.0.0.1:{port}/zalo", tmp_path / "bot.log"
    lines = [(f"m-{n}", f"/hop tructuyen Họp số {n}") for n in range(BURST)]
    with BotProcess(config_path, zalo, log) as bot:
        zalo.wait_for_call("setWebhook", timeout=PATIENCE)
        assert posted(url, text_update(FOCAL, f"/start {code}", "m-start"))
        zalo.wait_for(lambda m: m["chat_id"] == FOCAL, timeout=PATIENCE)
        unacknowledged = []
        for n, (message_id, line) in enumerate(lines):
            if n == KILLED_AFTER - 1:
                zalo.hold("sendMessage")  # Zalo stalls: the receipt of this one at the latest hangs, unanswered
            if n == KILLED_AFTER:
                zalo.wait_held(timeout=PATIENCE)
                bot.process.kill()  # stored updates may still be unhandled, and a reply is in flight
                bot.process.wait(timeout=10)
                zalo.release("sendMessage")  # the call in flight had no caller left: it never arrives
            if not posted(url, text_update(FOCAL, line, message_id)):
                unacknowledged.append((message_id, line))
    assert len(unacknowledged) >= BURST - KILLED_AFTER  # every call after the kill went unanswered
    since = len(zalo.calls())
    with BotProcess(config_path, zalo, log) as bot:
        # The restarted process listens, and finds its webhook registered as it is: it asks, and sets nothing.
        zalo.wait_for_call("getWebhookInfo", since=since, timeout=PATIENCE)
        for message_id, line in unacknowledged:  # Zalo sends again what got no 200
            assert posted(url, text_update(FOCAL, line, message_id))
        zalo.wait_for_count(FOCAL, 1 + BURST, timeout=PATIENCE)
        assert bot.terminate() == 0
    assert [name for name, _ in zalo.calls()].count("setWebhook") == 1, "registered by the first start only"
    receipts = [m["text"] for m in zalo.sent(FOCAL)[1:]]
    for n in range(BURST):
        assert sum(text.endswith(f": Họp số {n}.") for text in receipts) == 1, f"meeting {n}: {receipts}"
    assert sorted(int(re.match(r"Đã ghi #(\d+)", text)[1]) for text in receipts) == list(range(1, BURST + 1))


TELEGRAM_USER = 1001


def test_one_person_on_both_apps_gets_one_reminder_per_app_they_chose(tmp_path, zalo, fake, new_database):
    config_path = write_config(new_database("bot"), tmp_path, zalo)
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(text.replace("https://api.telegram.org/bot", fake.base_url), encoding="utf-8")
    clock = fixed_clock(instant("2026-11-20T10:00"))

    async def chat(service: Service, channel: str, user: str, line: str) -> str:
        chat.n += 1
        return (await service.handle(Incoming(channel, user, f"m{chat.n}", user, "Lan Nguyễn", line))).text

    chat.n = 0

    async def on_service(work) -> None:
        config = load_config(config_path)
        service = Service(config, Database(config.database.url), clock)
        await service.prepare()
        try:
            await work(service)
        finally:
            await service.db.dispose()

    async def register(service: Service) -> None:
        code = (await new_invite(service, Role.FOCAL, "vhxh")).code
        assert "Chào mừng" in await chat(service, "telegram", str(TELEGRAM_USER), f"/start {code}")
        link = await new_invite(service, None, None, person_id=1)
        assert "Đã liên kết Zalo" in await chat(service, "zalo", FOCAL, f"/start {link.code}")

    async def only_zalo(service: Service) -> None:
        assert "Zalo" in await chat(service, "zalo", FOCAL, "/kenh zalo")

    asyncio.run(on_service(register))
    zalo.add_chat(FOCAL)
    env = {**environment(zalo), "TELEGRAM_BOT_TOKEN": fake.token, "PTB_TIMEDELTA": "1"}

    def remind(at: str) -> None:
        command = [sys.executable, "-m", "bot", "remind", "--config", str(config_path), "--at", at]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=PATIENCE)
        assert result.returncode == 0, result.stderr

    def reminders() -> tuple[list[str], list[str]]:
        telegram = [m["text"] for m in fake.sent() if m["chat_id"] == TELEGRAM_USER and "☀️ Nhắc việc" in m["text"]]
        return telegram, [m["text"] for m in zalo.sent(FOCAL) if "☀️ Nhắc việc" in m["text"]]

    remind("2026-11-27T08:00")
    remind("2026-11-27T08:00")
    telegram, on_zalo = reminders()
    assert len(telegram) == len(on_zalo) == 1 and "còn 3 ngày" in telegram[0] == on_zalo[0], "one per app, once"

    asyncio.run(on_service(only_zalo))
    remind("2026-11-30T08:00")
    telegram, on_zalo = reminders()
    assert len(telegram) == 1 and len(on_zalo) == 2 and "hạn cuối hôm nay" in on_zalo[1], "only the chosen app"
    assert fake.errors == []
