"""Imports point one way: core knows no channel, storage or jobs; storage knows no bot; channels run no SQL."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


RULES = [
    ("bot/core", ("telegram", "sqlalchemy", "storage", "jobs", "bot.channels", "bot.service", "bot.config")),
    ("storage", ("bot", "telegram", "jobs")),
    ("bot/channels", ("sqlalchemy", "storage")),
    ("jobs", ("telegram", "bot.channels")),
]


@pytest.mark.parametrize("folder,forbidden", RULES)
def test_layers(folder, forbidden):
    offenders = []
    for path in (ROOT / folder).rglob("*.py"):
        for name in imports_of(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_only_the_clock_reads_the_time():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("bot", "storage", "jobs")
        for path in (ROOT / folder).rglob("*.py")
        if path.name != "clock.py" and (".now(" in path.read_text(encoding="utf-8") or "today()" in path.read_text())
    ]
    assert offenders == []
