"""An update that takes the bot process down with it, through the fake Bot API: after it crashed the bot twice it is
set aside, the admins are told, and the messages behind it are answered; it is never handled again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.texts import text
from tests.e2e.conftest import PATIENCE, environment
from tests.e2e.test_bot_process import BotProcess, Conversation, invite
from tests.fakes.bot_api_server import FakeBotApi
from tests.support.texts import receipt

ADMIN, FOCAL = 4001, 1001
POISON = "/hop tructuyen Họp nổ"
CRASHED = 70  # the exit status of a process that died in the handling

# `python -m bot` in which handling any message that says "nổ" kills the process at once (as an out-of-memory kill
# or a segfault in a native library would): nothing after it runs, nothing is rolled back politely.
CRASHING = (
    "import os, runpy, bot.app as app; real = app.App.dispatch\n"
    "async def dispatch(self, incoming):\n"
    f"    if 'nổ' in incoming.text: os._exit({CRASHED})\n"
    "    return await real(self, incoming)\n"
    "app.App.dispatch = dispatch; runpy.run_module('bot', run_name='__main__', alter_sys=True)"
)


class CrashingBot(BotProcess):
    """The bot as a process that dies on the poisoned message."""

    def __init__(self, config_path: Path, fake: FakeBotApi, log: Path) -> None:
        with log.open("ab") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-c", CRASHING, "run", "--config", str(config_path)],
                env=environment(fake),
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )


def test_an_update_that_crashed_the_bot_twice_is_set_aside_and_everyone_else_answered(tmp_path, fake, config_path):
    admin_code = invite(config_path, fake, "--role", "admin")
    focal_code = invite(config_path, fake, "--role", "focal", "--department", "vhxh")
    log = tmp_path / "bot.log"
    admin, focal = Conversation(fake, ADMIN, "Quản trị"), Conversation(fake, FOCAL, "Lan")
    bot = CrashingBot(config_path, fake, log)
    try:
        assert "Chào mừng" in admin.say(f"/start {admin_code}")
        assert "Chào mừng" in focal.say(f"/start {focal_code}")

        fake.push_text(FOCAL, POISON, first_name="Lan")
        assert bot.process.wait(timeout=PATIENCE) == CRASHED, "the first handling took the bot down"
        fake.push_text(ADMIN, "/toi", first_name="Quản trị")  # waiting behind the poisoned update
        bot = CrashingBot(config_path, fake, log)  # as systemd restarts it
        assert bot.process.wait(timeout=PATIENCE) == CRASHED, "the update was handled first again: a second crash"

        since = len(fake.sent())
        bot = CrashingBot(config_path, fake, log)
        told = fake.wait_for(lambda m: m["chat_id"] == ADMIN and "để riêng" in m["text"], timeout=PATIENCE, since=since)
        assert told["text"] == text("inbox.set_aside", channel="telegram", who="Lan")
        fake.wait_for(lambda m: m["chat_id"] == ADMIN and "Quản trị" in m["text"], timeout=PATIENCE, since=since)
        assert focal.say("/hop tructuyen Giao ban").startswith(receipt(1)), "the poisoned message wrote nothing"
        assert bot.process.poll() is None, "the third start set it aside instead of crashing"
        assert bot.terminate() == 0

        bot = CrashingBot(config_path, fake, log)  # set aside for good: a later start does not try it again
        assert focal.say("/hop tructiep Tiếp dân").startswith(receipt(2))
        assert bot.process.poll() is None
        assert bot.terminate() == 0
    finally:
        if bot.process.poll() is None:
            bot.kill()
    assert "set aside" in log.read_text(encoding="utf-8")
    assert fake.errors == []


@pytest.mark.sqlite_only("the file lock is SQLite's; on PostgreSQL several processes are replicas")
def test_a_second_run_on_the_same_sqlite_file_is_refused_with_a_clear_message(tmp_path, fake, config_path):
    bot = BotProcess(config_path, fake, tmp_path / "bot.log")
    try:
        fake.wait_for_call("getUpdates", lambda params: True, timeout=PATIENCE)  # the first one runs
        second = subprocess.run(
            [sys.executable, "-m", "bot", "run", "--config", str(config_path)],
            env=environment(fake),
            capture_output=True,
            text=True,
            timeout=PATIENCE,
        )
        assert second.returncode == 2
        assert "SQLite chỉ cho một tiến trình" in second.stderr + second.stdout
        assert bot.process.poll() is None, "the first one goes on"
        bot.kill()
        bot = BotProcess(config_path, fake, tmp_path / "bot.log")  # killed: the lock went with it
        since = len(fake.calls())
        fake.wait_for_call("getUpdates", lambda params: True, timeout=PATIENCE, since=since)
        assert bot.terminate() == 0
    finally:
        if bot.process.poll() is None:
            bot.kill()
