"""The test-only guard of commune isolation: any statement the code runs on a table of commune rows must carry a
commune condition, unless it reaches a row by its primary key or loads the relations of rows a scoped query found
(the ORM's own loads and flushes), or says it spans communes on purpose (`execution_options(all_communes=True)`:
the edge, where a chat or an invite code decides the commune)."""

from __future__ import annotations

import re

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import TextClause

from storage.models import TENANT_TABLES

WORD = r"(?:{})".format("|".join(sorted(TENANT_TABLES)))
TOUCHES = re.compile(rf"\b(?:FROM|JOIN|UPDATE|INTO)\s+{WORD}\b", re.IGNORECASE)
# "… WHERE entries.id = ?" / "… WHERE departments.id IN (…)": by primary key alone, as the ORM loads and flushes.
BY_KEY = re.compile(rf"\bWHERE\s+(?:{WORD})\.id\s*(?:=|IN)\s*(?:\?|%\(|\$|\(|__\[)[^\n]*$", re.IGNORECASE | re.DOTALL)


class CrossCommuneQuery(AssertionError):
    """A query on commune rows that forgot its commune."""


def _conditions(statement: str) -> str:
    """What a statement selects by: all after its first FROM (the joins' conditions and its WHERE), or after
    WHERE for an UPDATE; never the columns it reads or sets."""
    upper = statement.upper()
    start = upper.find(" WHERE ") if upper.lstrip().startswith("UPDATE") else upper.find("FROM ")
    return statement[start:] if start >= 0 else ""


def checked(statement: str, options: dict) -> None:
    """Refuse a statement on commune rows without a commune condition."""
    if options.get("all_communes") or not TOUCHES.search(statement):
        return
    if statement.lstrip().upper().startswith("INSERT"):
        return  # every tenant row's commune_id is NOT NULL (or checked by a composite key): an insert carries it
    if "commune_id" in _conditions(statement) or BY_KEY.search(statement):
        return
    raise CrossCommuneQuery(f"a query on commune rows without a commune condition:\n{statement}")


def guard(engine: Engine) -> None:
    """Check every statement this (sync) engine runs."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany) -> None:
        if context is None or context.compiled is None or isinstance(context.compiled.statement, TextClause):
            return  # raw SQL: the migrations' and the tests' own
        if "primary_keys" in getattr(context.compiled, "binds", ()):
            return  # a selectin load of the relations of rows a scoped query found
        checked(statement, context.execution_options)
