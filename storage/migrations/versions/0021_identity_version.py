"""The identity version: one counter every change to who someone is bumps (people, their chat accounts, memberships,
departments, communes), so a process may keep identities in memory and know, in the statement it runs anyway,
when they went stale. Triggers do the bumping, so no writer (the bot, the CLI, another replica, a hand-made fix)
can forget; a commune's entry and task counters are left out, as every entry moves them.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("people", "chat_accounts", "memberships", "departments")
COMMUNE_COLUMNS = "id, code, name, started_on"  # not last_entry_number, last_task_number: every entry moves them
BUMP = "UPDATE identity_version SET version = version + 1 WHERE id = 1"


def _sqlite_triggers() -> list[tuple[str, str]]:
    """(name, event clause) of every trigger: SQLite has no statement-level trigger, so one per row and event."""
    events = [
        (f"{table}_{event.lower()}", f"AFTER {event} ON {table}")
        for table in TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ]
    return events + [
        ("communes_insert", "AFTER INSERT ON communes"),
        ("communes_update", f"AFTER UPDATE OF {COMMUNE_COLUMNS} ON communes"),
        ("communes_delete", "AFTER DELETE ON communes"),
    ]


def upgrade() -> None:
    op.create_table(
        "identity_version",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
    )
    op.execute("INSERT INTO identity_version (id, version) VALUES (1, 0)")
    if op.get_bind().dialect.name == "sqlite":
        for name, clause in _sqlite_triggers():
            op.execute(f"CREATE TRIGGER identity_{name} {clause} BEGIN {BUMP}; END")
        return
    op.execute(
        f"CREATE FUNCTION bump_identity_version() RETURNS trigger AS $$ BEGIN {BUMP}; RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER identity_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_identity_version()"
        )
    op.execute(
        f"CREATE TRIGGER identity_communes AFTER INSERT OR UPDATE OF {COMMUNE_COLUMNS} OR DELETE ON communes "
        "FOR EACH STATEMENT EXECUTE FUNCTION bump_identity_version()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, _clause in _sqlite_triggers():
            op.execute(f"DROP TRIGGER identity_{name}")
    else:
        for table in (*TABLES, "communes"):
            op.execute(f"DROP TRIGGER identity_{table} ON {table}")
        op.execute("DROP FUNCTION bump_identity_version()")
    op.drop_table("identity_version")
