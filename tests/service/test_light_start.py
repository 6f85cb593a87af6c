"""The running bot starts without the libraries that make files: matplotlib, openpyxl, python-docx (and what they
pull in) are imported where a chart, a workbook or a document is made, not at start (a fact, not a timing)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("matplotlib", "openpyxl", "docx", "PIL", "numpy")

# The run path, in a fresh interpreter: the CLI, the app with its Telegram and Zalo channels, opened on the database
# (migrations, communes, departments) with a channel that needs no network, then started and stopped.
START = """
import asyncio, sys
import bot.__main__, bot.channels.telegram, bot.channels.zalo
from bot.app import App
from bot.config import load_config
from tests.support.transport import FakeChannel

async def main():
    config = load_config(sys.argv[1])
    app = App(config, [FakeChannel("test")])
    await app.open()
    await app.start(sweep=False)
    await app.stop()

asyncio.run(main())
print(" ".join(sorted(sys.modules)))
"""


def test_starting_the_bot_imports_none_of_the_libraries_that_make_files(config, tmp_path):
    path = tmp_path / "config.toml"
    example = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    path.write_text(
        example.replace('url = "sqlite+aiosqlite:///data/binhlu.db"', f'url = "{config.database.url}"').replace(
            'files_dir = "data/files"', f'files_dir = "{tmp_path / "files"}"'
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-c", START, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded = {name.partition(".")[0] for name in result.stdout.split()}
    assert "bot" in loaded and "telegram" in loaded, "the run path was imported"
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
