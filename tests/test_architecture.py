"""Imports point one way: the core knows nothing else of ours; channels run no SQL and start no jobs;
jobs know no channel adapter and no service; storage knows no more of the bot than plain core types."""

from __future__ import annotations

import ast
import dataclasses
import importlib
from enum import Enum
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = ("bot", "storage", "jobs")


def imports_of(path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names imported from it) for every import in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, tuple(alias.name for alias in node.names)))
    return found


def within(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def offenders(folder: str, allowed) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in ((ROOT / folder).rglob("*.py") if (ROOT / folder).is_dir() else [ROOT / folder])
        for module, names in imports_of(path)
        if not allowed(module, names)
    ]


def plain_type(module: str, name: str) -> bool:
    value = getattr(importlib.import_module(module), name)
    return isinstance(value, type) and (dataclasses.is_dataclass(value) or issubclass(value, Enum))


RULES = {
    "core": (
        "bot/core",
        lambda m, names: within(m, "bot.core") or not within(m, *OURS, "telegram", "sqlalchemy", "httpx"),
    ),
    "channels": (
        "bot/channels",
        lambda m, names: not within(m, "storage", "jobs", "sqlalchemy", "bot.app"),
    ),
    "web": (
        "bot/web",
        lambda m, names: not within(m, "storage", "jobs", "sqlalchemy", "bot.app", "bot.channels", "telegram", "httpx"),
    ),
    "jobs": (
        "jobs",
        lambda m, names: not within(m, "bot.service", "bot.app", "bot.channels", "telegram", "httpx"),
    ),
    "ports": (
        "bot/ports.py",
        lambda m, names: within(m, "bot.core") or not within(m, *OURS, "telegram", "sqlalchemy", "httpx"),
    ),
    "storage": (
        "storage",
        lambda m, names: (
            not within(m, "bot", "jobs", "telegram") or (within(m, "bot.core") and all(plain_type(m, n) for n in names))
        ),
    ),
    "service": (
        "bot/service",
        lambda m, names: not within(m, "bot.channels", "bot.app", "jobs", "telegram", "httpx"),
    ),
}


@pytest.mark.parametrize("layer", sorted(RULES))
def test_layers(layer):
    folder, allowed = RULES[layer]
    assert offenders(folder, allowed) == []


def test_the_rules_bite():
    """A rule that cannot fail is no rule: each rejects what it is meant to."""
    assert not RULES["core"][1]("storage.entries", ("add_entry",))
    assert not RULES["channels"][1]("storage.chats", ("Recipient",))
    assert not RULES["web"][1]("storage.web", ("claim_link",))
    assert not RULES["jobs"][1]("bot.channels.telegram", ("TelegramTransport",))
    assert not RULES["jobs"][1]("bot.channels.console", ("ConsoleChannel",))
    assert not RULES["ports"][1]("jobs.sender", ("OutboxSender",))
    assert not RULES["storage"][1]("bot.core.targets", ("compute_target_report",))
    assert RULES["storage"][1]("bot.core.targets", ("Counts",))


def test_only_the_clock_reads_the_time():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("bot", "storage", "jobs")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "clock.py" and (".now(" in (code := path.read_text(encoding="utf-8")) or "today()" in code)
    ]
    assert offenders == []


def test_modules_stay_small():
    """Each module does one job; about 300 lines is where that stops being true (migrations aside)."""
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for folder in ("bot", "storage", "jobs")
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {name: n for name, n in sizes.items() if n > 320} == {}
