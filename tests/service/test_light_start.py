"""The running bot starts without the libraries that make files: matplotlib, openpyxl, python-docx (and what they
pull in) are imported where a chart, a workbook or a document is made, not at start; nor without a migration to
run Alembic (and Mako and Pygments behind it); and neither a polling bot nor a command-line command, which serve no
HTTP, loads aiohttp (facts, not timings)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("matplotlib", "openpyxl", "docx", "PIL", "numpy")
MIGRATING = ("alembic", "mako", "pygments")  # the database is at the latest migration

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


# A command of the command line, run as `python -m bot members` runs it.
COMMAND = """
import runpy, sys
sys.argv = ["bot", "members", "--config", sys.argv[1]]
try:
    runpy.run_module("bot", run_name="__main__", alter_sys=True)
except SystemExit as done:
    assert not done.code, done.code
print(" ".join(sorted(sys.modules)))
"""


def _config_file(config, tmp_path):
    path = tmp_path / "config.toml"
    example = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    path.write_text(
        example.replace('url = "sqlite+aiosqlite:///data/binhlu.db"', f'url = "{config.database.url}"').replace(
            'files_dir = "data/files"', f'files_dir = "{tmp_path / "files"}"'
        ),
        encoding="utf-8",
    )
    return path


def _loaded(code: str, path) -> set[str]:
    """The top-level packages a fresh interpreter holds after running `code` on the configuration at `path`."""
    result = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {name.partition(".")[0] for name in result.stdout.split()}


def test_starting_the_bot_imports_none_of_the_libraries_that_make_files(config, tmp_path):
    loaded = _loaded(START, _config_file(config, tmp_path))
    assert "bot" in loaded and "telegram" in loaded, "the run path was imported"
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    assert loaded.isdisjoint(MIGRATING), sorted(loaded & set(MIGRATING))
    assert "aiohttp" not in loaded, "a polling bot serves no HTTP: its webhook modules leave aiohttp unloaded"


def test_a_command_line_command_imports_no_http_server_nor_what_makes_files(config, tmp_path):
    loaded = _loaded(COMMAND, _config_file(config, tmp_path))
    assert "bot" in loaded and "sqlalchemy" in loaded, "the command ran"
    assert loaded.isdisjoint({"aiohttp", *HEAVY, *MIGRATING}), sorted(loaded & {"aiohttp", *HEAVY, *MIGRATING})
