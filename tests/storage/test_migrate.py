"""Migrations driven from code: the head the bot reads from the scripts is Alembic's, and a database already at it
is opened without Alembic (nor Mako and Pygments behind it) ever being imported into the running bot."""

from __future__ import annotations

import shutil
import subprocess
import sys

from alembic.script import ScriptDirectory

from storage import migrate
from storage.migrate import alembic_config, head
from tests.conftest import ROOT

UPGRADE = """
import asyncio, sys
from storage.db import Database

async def main():
    db = Database(sys.argv[1])
    try:
        await db.upgrade()
    finally:
        await db.dispose()

asyncio.run(main())
print(" ".join(sorted(sys.modules)))
"""


def test_the_head_read_from_the_scripts_is_alembics():
    assert head() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_scripts_whose_lines_cannot_tell_the_head_leave_it_to_alembic(tmp_path, monkeypatch):
    """A merge of two branches names a tuple as its down_revision: no head is guessed, Alembic migrates."""
    shutil.copytree(migrate.MIGRATIONS / "versions", tmp_path / "versions")
    merge = "revision: str = '0099'\ndown_revision = ('0021', '0098')\n"  # as Alembic's template writes them
    (tmp_path / "versions" / "0099_merge.py").write_text(merge, encoding="utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS", tmp_path)
    head.cache_clear()
    try:
        assert head() is None
    finally:
        head.cache_clear()


def test_a_database_at_the_head_is_opened_without_importing_alembic(config):
    result = subprocess.run(
        [sys.executable, "-c", UPGRADE, config.database.url], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded = {name.partition(".")[0] for name in result.stdout.split()}
    assert "sqlalchemy" in loaded, "the database was opened"
    assert loaded.isdisjoint({"alembic", "mako", "pygments"}), sorted(loaded & {"alembic", "mako", "pygments"})
