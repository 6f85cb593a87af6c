"""Alembic, driven from code: the bot upgrades the schema at start and on `db upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config pointing at our migrations (and at `url`, for the alembic CLI)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade_connection(connection: Connection) -> None:
    """Upgrade to head on an open connection (run through AsyncConnection.run_sync)."""
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
