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
_DECLARED = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.*?)\s*(?:#.*)?$", re.MULTILINE)
_ONE = re.compile(r"""^(?:"([^"]+)"|'([^']+)'|None)$""")  # a revision, or None; anything else (a merge) is Alembic's


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at our migrations (and at `url`, for the alembic CLI)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


@cache
def head() -> str | None:
    """The latest revision: the one script no other names as its down_revision (what Alembic calls the head),
    read from each script's `revision = …` and `down_revision = …` lines without importing Alembic; None when the
    scripts say something these lines cannot (a merge of branches, a computed value): then Alembic decides."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        declared = dict(_DECLARED.findall(script.read_text(encoding="utf-8")))
        values = {name: _ONE.match(declared.get(name, "")) for name in ("revision", "down_revision")}
        if values["revision"] is None or values["down_revision"] is None:
            return None
        revision, parent = ((m.group(1) or m.group(2)) for m in values.values())
        if revision is None:
            return None
        revisions.add(revision)
        parents.add(parent)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def at_head(connection: Connection) -> bool:
    """Whether the database on `connection` is already at the latest revision (nothing to migrate)."""
    latest = head()
    if latest is None or not inspect(connection).has_table("alembic_version"):
        return False
    return connection.scalar(text("SELECT version_num FROM alembic_version")) == latest


def upgrade_connection(connection: Connection) -> None:
    """Upgrade to head on an open connection (run through AsyncConnection.run_sync)."""
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
