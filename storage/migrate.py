"""Alembic, driven from code: the bot upgrades the schema at start and on `db upgrade`.

Alembic (with Mako and Pygments behind it) is imported only when a migration is to run: a database already at
the latest revision, as every start but the first finds it, is told so by one query against the revision the
scripts themselves declare, and the running bot never holds Alembic in memory."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_DECLARED = re.compile(r'^(revision|down_revision)\s*(?::[^=]*)?=\s*(?:"([^"]*)"|None)', re.MULTILINE)


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at our migrations (and at `url`, for the alembic CLI)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


@cache
def head() -> str:
    """The latest revision: the one script no other names as its down_revision (what Alembic calls the head,
    read from each script's `revision = …` and `down_revision = …` lines without importing Alembic)."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        declared = dict((name, value) for name, value in _DECLARED.findall(script.read_text(encoding="utf-8")))
        revisions.add(declared["revision"])
        parents.add(declared.get("down_revision", ""))
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"the migrations should have one head, they have {sorted(heads)}")
    return heads.pop()


def at_head(connection: Connection) -> bool:
    """Whether the database on `connection` is already at the latest revision (nothing to migrate)."""
    if not inspect(connection).has_table("alembic_version"):
        return False
    return connection.scalar(text("SELECT version_num FROM alembic_version")) == head()


def upgrade_connection(connection: Connection) -> None:
    """Upgrade to head on an open connection (run through AsyncConnection.run_sync)."""
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
