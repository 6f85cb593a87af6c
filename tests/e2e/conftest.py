"""End-to-end fixtures: a fake Bot API on 127.0.0.1 and a config pointing the bot at it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.fakes.bot_api_server import FakeBotApi
from tests.support.databases import on_database


@pytest.fixture
def fake():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def config_path(tmp_path: Path, fake: FakeBotApi, new_database) -> Path:
    example = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    example = example.replace(
        'base_url = "https://api.telegram.org/bot"',
        f'base_url = "{fake.base_url}"\nbase_file_url = "{fake.base_file_url}"',
    )
    example = example.replace("poll_timeout = 30", "poll_timeout = 1")
    # The bot process runs on the real clock: its own reminders would interleave with the replies checked here.
    example = example.replace("enabled = true ", "enabled = false")
    example = on_database(example, new_database("bot"))
    example = example.replace('files_dir = "data/files"', f'files_dir = "{tmp_path / "files"}"')
    path = tmp_path / "config.toml"
    path.write_text(example, encoding="utf-8")
    return path


# How long a test waits for the bot (to answer, to start, to exit) before it calls the bot hung: a bound, never a
# measure, so as long as a loaded machine needs. With four other suites on its two cores, one `/chitieu chitiet` (its
# chart drawn) took over 20 s and failed a test that waited 20 s; faulthandler_timeout still reports a real hang.
PATIENCE = 120.0


def environment(fake: FakeBotApi) -> dict[str, str]:
    """The bot's environment: the fake's token, and no deprecation noise from python-telegram-bot."""
    return {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "PTB_TIMEDELTA": "1", "PYTHONUNBUFFERED": "1"}
