"""Shared fixtures: the example config on a database of its own per test (made from one migrated once, on SQLite
or, with `--database postgresql`, on PostgreSQL), a clock, users."""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
import sys
from pathlib import Path

import pytest

from bot.config import Config, load_config
from bot.core.permissions import Role
from bot.service import Service
from storage.db import Database
from tests.support.clock import MutableClock
from tests.support.databases import BACKENDS, databases_for
from tests.support.users import User, register

# python-telegram-bot 22 warns on every RetryAfter unless told to use timedeltas; warnings are errors here.
os.environ.setdefault("PTB_TIMEDELTA", "1")
# Byte-code is cached even where the shell says not to (PYTHONDONTWRITEBYTECODE): otherwise each worker rewrites the
# asserts of every test module again and every `python -m bot` a test starts compiles the project again (~20 s of
# CPU a run). The caches go to __pycache__/, which git ignores.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parent.parent


def _on(example: Config, url: str, folder: Path) -> Config:
    exports = example.exports.model_copy(update={"files_dir": str(folder / "files")})
    return example.model_copy(update={"database": example.database.model_copy(update={"url": url}), "exports": exports})


def example_config(url: str, folder: Path) -> Config:
    """The example configuration on the database at `url`, its files in `folder`."""
    return _on(load_config(ROOT / "config.example.toml"), url, folder)


PROVINCE = ROOT / "examples" / "province" / "province.toml"


def province_config(url: str, folder: Path) -> Config:
    """The province example (Bình Lư, Đoàn Kết, Tam Đường) on the database at `url`, its files in `folder`."""
    return _on(load_config(PROVINCE), url, folder)


def commune_changed(config: Config, **update) -> Config:
    """The configuration with its (first) commune's sections changed: `departments=[…]`, `reports=[]`…"""
    first, *rest = config.communes
    return config.model_copy(update={"communes": (first.model_copy(update=update), *rest)})


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--database",
        choices=BACKENDS,
        default="sqlite",
        help="the database every test runs on (postgresql: the server TEST_POSTGRES_URL names)",
    )


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): what the test checks exists only on SQLite")


# The tests that run processes (the bot, make, the demo, LibreOffice) take seconds each: with two workers the run
# ends when the last of them does, so they go first and the short tests fill the gaps after (a stable sort: order
# kept within); `--dist worksteal` (pyproject.toml) lets the other worker take its share of them.
SLOW = (
    "tests/e2e/",
    "tests/test_readme.py",
    "tests/test_demo.py",
    "tests/test_cli.py",
    "tests/service/test_isolation.py",
    "tests/exports/test_document.py",  # LibreOffice lays each draft out
    "tests/exports/test_workbook.py",  # and recalculates each workbook
)


def pytest_collection_modifyitems(config, items) -> None:
    """The slow tests first; in the PostgreSQL pass, a test about SQLite itself is skipped with its reason."""
    items.sort(key=lambda item: not item.nodeid.startswith(SLOW))
    if config.getoption("--database") == "sqlite":
        return
    for item in items:
        if mark := item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {mark.args[0]}"))


@pytest.fixture(scope="session")
def database_backend(request) -> str:
    """sqlite, or postgresql in the PostgreSQL pass."""
    return request.config.getoption("--database")


@pytest.fixture(scope="session")
def databases(database_backend, tmp_path_factory):
    """Where this run's databases are made: each one a copy of a database migrated once (per worker)."""
    made = databases_for(database_backend, tmp_path_factory.mktemp("template"))
    yield made
    made.close()


@pytest.fixture
def new_database(databases, tmp_path):
    """Make a migrated database of the test's own (`new_database("bot")` → its URL; `empty=True`: not even
    migrated); each is dropped after."""
    made: list[str] = []

    def new(name: str = "test", *, empty: bool = False) -> str:
        made.append((databases.empty if empty else databases.create)(tmp_path, name))
        return made[-1]

    yield new
    for url in made:
        databases.drop(url)


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
def config(tmp_path: Path, new_database) -> Config:
    return example_config(new_database(), tmp_path)


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
async def province(tmp_path: Path, new_database, clock: MutableClock):
    """The service of a whole province: three communes on one database."""
    config = province_config(new_database("province"), tmp_path)
    service = Service(config, Database(config.database.url), clock)
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
