"""The benchmarks' own parts: the command line, the topics' contract, and the live topic's fake and processes
(figures are never asserted: only that what measures them reads what it should)."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.__main__ import topics
from bench.harness import BACKENDS
from bench.live import Process, TimedBotApi, config_text
from bot.config import load_config
from tests.conftest import ROOT


def test_the_command_line_lists_every_topic():
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--help"], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert "live" in topics()
    for topic in topics():
        assert topic in result.stdout


@pytest.mark.parametrize("topic", topics())
def test_every_topic_measures_on_databases_the_harness_knows(topic):
    module = importlib.import_module(f"bench.{topic}")
    assert inspect.iscoroutinefunction(module.measure)
    assert set(getattr(module, "DATABASES", BACKENDS)) <= set(BACKENDS)


def _send(fake: TimedBotApi, chat_id: int, text: str) -> dict:
    request = urllib.request.Request(
        fake.url("sendMessage"),
        json.dumps({"chat_id": chat_id, "text": text}).encode(),
        {"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as refused:  # Telegram's error answers come with a status of theirs
        return json.load(refused)


def test_the_fake_notes_when_a_marked_command_was_answered():
    with TimedBotApi() as fake:
        first, queued = fake.command(1001, "/hop truc_tuyen Giao ban")
        second, _ = fake.command(1001, "/hop truc_tuyen Tổ")
        assert fake.calls() == [] and fake.pending_updates == 2
        assert _send(fake, 1001, "")["ok"] is False  # refused: not an answer
        assert _send(fake, 1001, "Một tin nhắc việc")["ok"]  # no mark: not an answer
        assert _send(fake, 1001, f"Đã ghi #1: Giao ban q{first}z.")["ok"]
        assert fake.answer(first) >= queued
        assert second not in fake.answered and list(fake.answered) == [first]


def test_the_configuration_points_the_bot_at_the_fake_and_the_database(tmp_path):
    with TimedBotApi() as fake:
        url = f"sqlite+aiosqlite:///{tmp_path / 'live.db'}"
        path = tmp_path / "config.toml"
        path.write_text(config_text(fake, url, tmp_path), encoding="utf-8")
        config = load_config(path)
    assert config.telegram.base_url == fake.base_url
    assert config.database.url == url
    assert config.reminders.enabled and config.reminders.sweep_seconds == 5
    assert Path(config.exports.files_dir) == tmp_path / "files"


def test_a_child_process_tells_its_cpu_time_and_memory(tmp_path):
    ready = tmp_path / "ready"
    os.mkfifo(ready)
    code = f"import signal; open({str(ready)!r}, 'w').write('ready'); signal.pause()"
    child = Process([sys.executable, "-c", code], {}, tmp_path / "child.log")
    try:
        assert ready.read_text() == "ready"  # blocks until the child has run this far: it has been scheduled
        assert child.cpu() >= 0
        assert child.rss_mb() > 0
        ran, waited = child.scheduled()
        assert ran > 0 and waited >= 0
    finally:
        child.stop()
    assert child.popen.returncode is not None
