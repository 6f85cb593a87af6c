"""A PostgreSQL database of a test's own, made on the server TEST_POSTGRES_URL names and dropped after; tests that
need one are skipped without the variable."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import make_url

from tests.support.databases import POSTGRES_ENV, run_once


def server_url() -> str:
    """The server to make databases on, or the test is skipped."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL to run on")
    return url


@contextlib.asynccontextmanager
async def own_database(prefix: str = "replicas") -> AsyncIterator[str]:
    """The URL of a new, empty database, dropped (whoever is still connected) when the block ends."""
    url = server_url()
    name = f"{prefix}_{secrets.token_hex(6)}"
    await run_once(make_url(url), f'CREATE DATABASE "{name}"')
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        await run_once(make_url(url), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
