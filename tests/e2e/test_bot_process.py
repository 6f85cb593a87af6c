"""`python -m bot run` as a real process against a fake Bot API on 127.0.0.1, killed and restarted."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from unittest import mock

from bot.__main__ import main
from tests.e2e.conftest import PATIENCE, environment
from tests.fakes.bot_api_server import FakeBotApi
from tests.support.texts import receipt

FOCAL, LEADER = 1001, 2001


def cli(config_path: Path, fake: FakeBotApi, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot", *args, "--config", str(config_path)],
        env=environment(fake),
        capture_output=True,
        text=True,
        timeout=PATIENCE,
    )
    assert result.returncode == 0, f"{args} exited {result.returncode}:\n{result.stderr}"
    return result.stdout


def invite(config_path: Path, fake: FakeBotApi, *args: str) -> str:
    """A code made by `python -m bot invite`, run in this process (its own tests run it as printed, as a process:
    here a second's start each of sixteen invites is spared)."""
    argv = ["invite", *args, "--config", str(config_path)]
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level  # the CLI sets up logging as a process of its own would
    with mock.patch.dict(os.environ, environment(fake)), contextlib.redirect_stdout(io.StringIO()) as printed:
        try:
            assert main(argv) == 0, f"{argv} failed"
        finally:
            root.handlers[:], root.level = handlers, level
    output = printed.getvalue().strip().splitlines()
    assert re.fullmatch(rf"https://t\.me/{fake.bot_user['username']}\?start={re.escape(output[-1])}", output[-2])
    return output[-1]


# `python -m bot` in an address space of argv[1] bytes, set before anything is imported.
CAPPED = (
    "import resource, runpy, sys; cap = int(sys.argv.pop(1)); resource.setrlimit(resource.RLIMIT_AS, (cap, cap)); "
    "runpy.run_module('bot', run_name='__main__', alter_sys=True)"
)


class BotProcess:
    """The bot in a child process, its log in a file; `memory` caps its address space."""

    def __init__(self, config_path: Path, fake: FakeBotApi, log: Path, *, memory: int | None = None) -> None:
        start = [sys.executable, "-m", "bot"] if memory is None else [sys.executable, "-c", CAPPED, str(memory)]
        with log.open("ab") as stderr:
            self.process = subprocess.Popen(
                [*start, "run", "--config", str(config_path)],
                env=environment(fake),
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=PATIENCE)


class Conversation:
    """A user of the fake server who waits for each answer."""

    def __init__(self, fake: FakeBotApi, user_id: int, name: str) -> None:
        self.fake, self.user_id, self.name = fake, user_id, name

    def say(self, text: str, timeout: float = PATIENCE) -> str:
        since = len(self.fake.sent())
        self.fake.push_text(self.user_id, text, first_name=self.name)
        return self.fake.wait_for(lambda m: m["chat_id"] == self.user_id, timeout=timeout, since=since)["text"]


WORKED_EXAMPLE = (
    [
        "/hop truc_tuyen Giao ban",
        "/hop trực tuyến Chi bộ",
        "/hop truc_tiep Tiếp dân",
        "/hop trực tiếp Tổ",
        "/hop offline",
    ]
    + [f"/vanban dien_tu {n}/UBND-VHXH" for n in range(1, 10)]
    + ["/vanban giay khongso", "/vanban mat", "/hoso 19 1"]
)


def assert_worked_example(report: str) -> None:
    for fragment in (
        "Cuộc họp: 5 – tối đa 108",
        "2/5 cuộc – 40,0%",
        "Văn bản ban hành: 11 – tối đa 510",
        "9/10 – 90,0%",
        "19/20 hồ sơ – 95,0% (chỉ tiêu ≥95%)",  # logged today only: the year's records are partial, no mark
    ):
        assert fragment in report, report


def test_register_log_kill_restart_nothing_lost(tmp_path, fake, config_path):
    focal_code = invite(config_path, fake, "--role", "focal", "--department", "vhxh")
    leader_code = invite(config_path, fake, "--role", "leader")
    log = tmp_path / "bot.log"
    bot = BotProcess(config_path, fake, log)
    focal, leader = Conversation(fake, FOCAL, "Lan"), Conversation(fake, LEADER, "Hùng")
    stranger = Conversation(fake, 3001, "Khách")
    try:
        assert "Chào mừng Lan" in focal.say(f"/start {focal_code}")
        assert "Chào mừng Hùng" in leader.say(f"/start {leader_code}")
        assert "đã được sử dụng" in stranger.say(f"/start {focal_code}")
        assert "chưa được đăng ký" in stranger.say("/toi")
        receipts = [focal.say(WORKED_EXAMPLE[0])]
        first_hop = fake.last_update_id
        receipts += [focal.say(line) for line in WORKED_EXAMPLE[1:]]
        assert all(r.startswith(f"{receipt(n)}:") for n, r in enumerate(receipts, 1)), receipts
        assert_worked_example(leader.say("/chitieu chitiet"))
        assert fake.registered_commands(), "the command menu was registered at start"
        bot.kill()

        bot = BotProcess(config_path, fake, log)
        assert_worked_example(leader.say("/chitieu chitiet"))
        # Telegram redelivers an update after a crash: it is recognised, answered once in all, counted once.
        fake.replay(first_hop)
        assert_worked_example(leader.say("/chitieu chitiet"))  # handled after the replayed update
        assert [m["text"] for m in fake.sent(FOCAL)].count(receipts[0]) == 1
        assert bot.terminate() == 0
    finally:
        if bot.process.poll() is None:
            bot.kill()
    output = log.read_text(encoding="utf-8")
    assert fake.token not in output and fake.token.split(":")[1] not in output
    assert fake.errors == []
