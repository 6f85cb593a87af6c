"""Shared fixtures: the example config on a database migrated once and copied per test, a clock, users."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import shutil
import socket
from pathlib import Path

import pytest

from bot.config import Config, load_config
from bot.core.permissions import Role
from bot.service import Service
from storage.db import Database
from tests.support.clock import MutableClock
from tests.support.users import User, register

# python-telegram-bot 22 warns on every RetryAfter unless told to use timedeltas; warnings are errors here.
os.environ.setdefault("PTB_TIMEDELTA", "1")

ROOT = Path(__file__).resolve().parent.parent


def example_config(database: Path) -> Config:
    """The example configuration on the given SQLite file, its files kept beside it."""
    example = load_config(ROOT / "config.example.toml")
    url = f"sqlite+aiosqlite:///{database}"
    exports = example.exports.model_copy(update={"files_dir": str(database.parent / "files")})
    return example.model_copy(update={"database": example.database.model_copy(update={"url": url}), "exports": exports})


PROVINCE = ROOT / "examples" / "province" / "province.toml"


def province_config(database: Path) -> Config:
    """The province example (Bình Lư, Đoàn Kết, Tam Đường) on the given SQLite file, its files beside it."""
    example = load_config(PROVINCE)
    url = f"sqlite+aiosqlite:///{database}"
    exports = example.exports.model_copy(update={"files_dir": str(database.parent / "files")})
    return example.model_copy(update={"database": example.database.model_copy(update={"url": url}), "exports": exports})


def commune_changed(config: Config, **update) -> Config:
    """The configuration with its (first) commune's sections changed: `departments=[…]`, `reports=[]`…"""
    first, *rest = config.communes
    return config.model_copy(update={"communes": (first.model_copy(update=update), *rest)})


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory) -> Path:
    """A database with every migration applied, made once for the whole run."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"

    async def migrate() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await db.upgrade()
        await db.dispose()

    asyncio.run(migrate())
    return path


@pytest.fixture(autouse=True, scope="session")
def loopback_only():
    """Tests never touch the internet: a connection anywhere but this machine fails loudly."""
    connect = socket.socket.connect

    def guarded(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = address[0]
            if not (host == "localhost" or ipaddress.ip_address(host.split("%")[0]).is_loopback):
                raise RuntimeError(f"a test tried to reach {host}: fake it on 127.0.0.1")
        return connect(self, address)

    socket.socket.connect = guarded
    yield
    socket.socket.connect = connect


@pytest.fixture(autouse=True, scope="session")
def commune_isolation():
    """Every engine the code makes, in every test, refuses a query on commune rows that forgot its commune."""
    import storage.db
    from tests.support.tenancy import guard

    make = storage.db.create_async_engine

    def guarded(*args, **kwargs):
        engine = make(*args, **kwargs)
        guard(engine.sync_engine)
        return engine

    storage.db.create_async_engine = guarded
    yield
    storage.db.create_async_engine = make


@pytest.fixture(autouse=True)
def restore_logging():
    """The CLI configures the root logger; put it back after each test."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in logging.root.manager.loggerDict}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in levels.items():
        logging.getLogger(name).setLevel(old)


@pytest.fixture
def config(tmp_path: Path, migrated_database: Path) -> Config:
    database = tmp_path / "test.db"
    shutil.copyfile(migrated_database, database)
    return example_config(database)


@pytest.fixture
def clock() -> MutableClock:
    return MutableClock()


@pytest.fixture
async def service(config: Config, clock: MutableClock):
    service = Service(config, Database(config.database.url), clock)
    await service.prepare()
    yield service
    await service.db.dispose()


@pytest.fixture
async def province(tmp_path: Path, migrated_database: Path, clock: MutableClock):
    """The service of a whole province: three communes on one database."""
    database = tmp_path / "province.db"
    shutil.copyfile(migrated_database, database)
    service = Service(province_config(database), Database(f"sqlite+aiosqlite:///{database}"), clock)
    await service.prepare()
    yield service
    await service.db.dispose()


@pytest.fixture
async def focal(service: Service) -> User:
    return await register(service, "101", Role.FOCAL, "vhxh")


@pytest.fixture
async def leader(service: Service) -> User:
    return await register(service, "201", Role.LEADER)


@pytest.fixture
async def admin(service: Service) -> User:
    return await register(service, "301", Role.ADMIN)


# The tests that run processes (the bot, make, the demo) take seconds each: with two workers the run ends when the
# last of them does, so they go first and the short tests fill the gaps after (a stable sort: order kept within).
SLOW = (
    "tests/e2e/",
    "tests/test_readme.py",
    "tests/test_demo.py",
    "tests/test_cli.py",
    "tests/service/test_isolation.py",
)


def pytest_collection_modifyitems(items) -> None:
    items.sort(key=lambda item: not item.nodeid.startswith(SLOW))
