"""A PostgreSQL database of a test's own, made on the server TEST_POSTGRES_URL names and dropped after; tests that
need one are skipped without the variable."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url

VARIABLE = "TEST_POSTGRES_URL"


def server_url() -> str:
    """The server to make databases on, or the test is skipped."""
    url = os.environ.get(VARIABLE)
    if not url:
        pytest.skip(f"{VARIABLE} is not set: no PostgreSQL to run on")
    return url


async def _admin(url: str, statement: str) -> None:
    import asyncpg

    parsed = make_url(url)
    connection = await asyncpg.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        database=parsed.database or "postgres",
    )
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextlib.asynccontextmanager
async def own_database(prefix: str = "replicas") -> AsyncIterator[str]:
    """The URL of a new, empty database, dropped (whoever is still connected) when the block ends."""
    url = server_url()
    name = f"{prefix}_{secrets.token_hex(6)}"
    await _admin(url, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
