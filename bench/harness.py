"""What every benchmark reports, and where it runs: a figure beside its goal, on SQLite and on PostgreSQL.

A topic is a module of this package with `async def measure(database_url: str) -> list[Figure]` (run once per
database it names in `DATABASES`, default both); `python -m bench [topic …]` finds the topics, gives each a fresh
migrated database (an SQLite file, or a database of its own on the server BENCH_POSTGRES_URL or TEST_POSTGRES_URL
names) and prints one table. Figures are read, never asserted: tests never time anything.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.db import migrate

POSTGRES_ENV = ("BENCH_POSTGRES_URL", "TEST_POSTGRES_URL")
BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Figure:
    """One measured figure and the goal it is read against."""

    target: str  # what, as the README's table names it
    value: float
    unit: str  # "ms", "s", "MB", "/s", "%", "statements", ""
    goal: float
    higher_is_better: bool = False
    note: str = ""  # the scale or the sample size, said beside the figure

    @property
    def met(self) -> bool:
        return self.value >= self.goal if self.higher_is_better else self.value <= self.goal


def percentile(samples: list[float], share: float) -> float:
    """The sample below which `share` of them fall (nearest rank), in the samples' unit."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


async def timed(work: Callable[[int], Awaitable[object]], n: int) -> list[float]:
    """Seconds each of `n` runs of `work(i)` took."""
    samples = []
    for i in range(n):
        started = time.perf_counter()
        await work(i)
        samples.append(time.perf_counter() - started)
    return samples


def postgres_server() -> str | None:
    """The PostgreSQL server to measure on, if one is named."""
    return next((os.environ[name] for name in POSTGRES_ENV if os.environ.get(name)), None)


@contextlib.asynccontextmanager
async def fresh_database(backend: str) -> AsyncIterator[str]:
    """A migrated database of its own, dropped after: an SQLite file in a folder of its own, or a new database on
    the named PostgreSQL server."""
    if backend == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="bench-"))
        url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        try:
            await migrate(url)
            yield url
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    import asyncpg

    server = make_url(postgres_server())
    name = f"bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(
        host=server.host or "127.0.0.1", port=server.port or 5432, user=server.username, database=server.database
    )
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = server.set(database=name).render_as_string(hide_password=False)
        await migrate(url)
        yield url
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def table(rows: list[tuple[str, str, Figure]]) -> str:
    """(topic, backend, figure) rows as the table `make bench` prints."""
    lines = [f"{'':2}{'what':58} {'db':10} {'figure':>14} {'goal':>14}  note"]
    for _topic, backend, figure in rows:
        mark = "✓" if figure.met else "✗"
        sign = "≥" if figure.higher_is_better else "≤"
        value = f"{figure.value:,.1f} {figure.unit}".strip()
        goal = f"{sign} {figure.goal:,.1f} {figure.unit}".strip()
        lines.append(f"{mark} {figure.target:58} {backend:10} {value:>14} {goal:>14}  {figure.note}")
    return "\n".join(lines)
