"""Communes as tenants: a `communes` table, `commune_id` on every row that belongs to a commune, composite keys
so that a row pointing into another commune cannot be stored, and entries and tasks numbered within their commune.

An existing single-commune database becomes commune 1, with nothing renumbered that a user has seen: its entries
keep #N = their id, its tasks V N = their id, and the outbox keys of reminders already sent are rewritten so none
is sent again. The commune's code and name are set from the configuration at the next start.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 21:00:00
"""

import hashlib
import unicodedata
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST = 1  # the commune an existing database's rows belong to
TENANT = ("departments", "people", "memberships", "invites", "entries", "tasks", "task_updates", "group_bindings")


def _first_commune(bind) -> None:
    """Commune 1 holds what the database had (if it had anything), counting on from its numbers."""
    if not any(bind.execute(sa.text(f"SELECT 1 FROM {table} LIMIT 1")).first() for table in ("departments", "people")):
        return
    started = bind.execute(sa.text("SELECT value FROM settings WHERE key = 'reminders_start'")).scalar()
    if started is None:  # the day the database began keeping anything, as the database's clock tells it
        today = "CURRENT_DATE" if bind.dialect.name == "postgresql" else "date('now')"
        started = bind.execute(sa.text(f"SELECT {today}")).scalar()
    started = started if isinstance(started, date) else date.fromisoformat(str(started))
    entries = bind.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM entries")).scalar()
    tasks = bind.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM tasks")).scalar()
    bind.execute(
        sa.text(
            "INSERT INTO communes (id, code, name, started_on, last_entry_number, last_task_number) "
            "VALUES (:id, 'xa_1', '', :started, :entries, :tasks)"
        ),
        {"id": FIRST, "started": started, "entries": entries, "tasks": tasks},
    )
    for table in (*TENANT, "audit_events"):
        bind.execute(sa.text(f"UPDATE {table} SET commune_id = :id"), {"id": FIRST})
    bind.execute(sa.text("UPDATE entries SET number = id"))
    bind.execute(sa.text("UPDATE tasks SET number = id"))
    # Reminders already planned keep their keys under the new shape, so none is planned (and sent) a second time.
    prefix = f"'{FIRST}:' || subject"
    bind.execute(sa.text(f"UPDATE outbox SET subject = {prefix} WHERE kind IN ('report', 'report_escalation')"))
    bind.execute(sa.text(f"UPDATE outbox SET subject = '{FIRST}:leaders' WHERE kind = 'digest'"))
    bind.execute(sa.text("DELETE FROM settings WHERE key = 'reminders_start'"))


def _fold(value: str) -> str:
    """Lower case without Vietnamese diacritics, as the importer compares texts (frozen here as it was)."""
    value = value.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", value) if unicodedata.category(c) != "Mn").lower()


def _import_keys(bind) -> None:
    """Imported rows are known again by every field they have (a row a duplicate only when all its fields match,
    the n-th alike row the n-th record), so importing an old file again adds nothing and drops nothing."""
    rows = bind.execute(
        sa.text(
            "SELECT e.id, e.kind, e.occurred_on, d.code, e.meeting_online, e.document_kind, e.document_number_key, "
            "e.summary, e.dossiers_online, e.dossiers_paper FROM entries e JOIN departments d ON d.id = e.department_id "
            "WHERE e.source_channel = 'import' ORDER BY e.id"
        )
    ).all()
    seen: dict[tuple, int] = {}
    for id_, kind, day, code, online, document, number_key, summary, dossiers_online, dossiers_paper in rows:
        day = day if isinstance(day, str) else day.isoformat()
        if kind == "meeting":
            fields: tuple = (kind, day, code, "online" if online else "in_person", _fold(summary or ""))
        elif kind == "dossiers":
            fields = (kind, day, code, dossiers_online or 0, dossiers_paper or 0)
        elif number_key:
            fields = (kind, day, code, document, number_key, _fold(summary or ""))
        else:
            fields = (kind, day, code, document, _fold(summary or ""))
        if kind != "document" or not number_key:
            seen[fields] = seen.get(fields, 0) + 1
            fields = (*fields, seen[fields])
        key = f"{kind}:{hashlib.sha256('|'.join(str(p) for p in fields).encode()).hexdigest()[:40]}"
        bind.execute(sa.text("UPDATE entries SET source_message_id = :key WHERE id = :id"), {"key": key, "id": id_})


def _commune_column(batch_op, table: str, *, nullable: bool = False) -> None:
    batch_op.alter_column("commune_id", existing_type=sa.Integer(), nullable=nullable)
    batch_op.create_foreign_key(batch_op.f(f"fk_{table}_commune_id_communes"), "communes", ["commune_id"], ["id"])


def _in_commune(batch_op, name: str, column: str, target: str) -> None:
    batch_op.create_foreign_key(name, target, ["commune_id", column], ["commune_id", "id"])


def upgrade() -> None:
    op.create_table(
        "communes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("last_entry_number", sa.Integer(), nullable=False),
        sa.Column("last_task_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communes")),
        sa.UniqueConstraint("code", name=op.f("uq_communes_code")),
    )
    for table in (*TENANT, "audit_events"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("commune_id", sa.Integer(), nullable=True))
    for table in ("entries", "tasks"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("number", sa.Integer(), nullable=True))
    _first_commune(op.get_bind())
    _import_keys(op.get_bind())

    with op.batch_alter_table("departments") as batch_op:
        _commune_column(batch_op, "departments")
        batch_op.drop_constraint("uq_departments_code", type_="unique")
        batch_op.create_unique_constraint("uq_departments_code", ["commune_id", "code"])
        batch_op.create_unique_constraint("uq_departments_commune", ["commune_id", "id"])
    with op.batch_alter_table("people") as batch_op:
        _commune_column(batch_op, "people", nullable=True)
        batch_op.create_index(batch_op.f("ix_people_commune_id"), ["commune_id"], unique=False)
        batch_op.create_unique_constraint("uq_people_commune", ["commune_id", "id"])
    with op.batch_alter_table("memberships") as batch_op:
        _commune_column(batch_op, "memberships", nullable=True)
        batch_op.drop_constraint("fk_memberships_department_id_departments", type_="foreignkey")
        _in_commune(batch_op, "fk_memberships_department", "department_id", "departments")
        _in_commune(batch_op, "fk_memberships_person", "person_id", "people")
    with op.batch_alter_table("invites") as batch_op:
        _commune_column(batch_op, "invites", nullable=True)
        batch_op.drop_constraint("fk_invites_department_id_departments", type_="foreignkey")
        batch_op.drop_constraint("fk_invites_person_id_people", type_="foreignkey")
        _in_commune(batch_op, "fk_invites_department", "department_id", "departments")
        _in_commune(batch_op, "fk_invites_person", "person_id", "people")
    with op.batch_alter_table("entries") as batch_op:
        _commune_column(batch_op, "entries")
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint("uq_entries_source_channel", type_="unique")
        batch_op.drop_constraint("fk_entries_department_id_departments", type_="foreignkey")
        batch_op.drop_constraint("fk_entries_person_id_people", type_="foreignkey")
        batch_op.create_unique_constraint("uq_entries_number", ["commune_id", "number"])
        batch_op.create_unique_constraint(
            "uq_entries_source", ["commune_id", "source_channel", "source_chat_id", "source_message_id"]
        )
        _in_commune(batch_op, "fk_entries_department", "department_id", "departments")
        _in_commune(batch_op, "fk_entries_person", "person_id", "people")
        batch_op.drop_index("ix_entries_tally")
        batch_op.create_index(
            "ix_entries_tally",
            [
                "commune_id",
                "occurred_on",
                "kind",
                "cancelled_at",
                "department_id",
                "meeting_online",
                "document_kind",
                "dossiers_online",
                "dossiers_paper",
            ],  # fmt: skip
            unique=False,
        )
        batch_op.drop_index("uq_entries_document_number")
        batch_op.create_index(
            "uq_entries_document_number",
            ["commune_id", "year", "document_number_key"],
            unique=True,
            sqlite_where=sa.text("kind = 'document' AND cancelled_at IS NULL AND document_number_key IS NOT NULL"),
            postgresql_where=sa.text("kind = 'document' AND cancelled_at IS NULL AND document_number_key IS NOT NULL"),
        )
    with op.batch_alter_table("tasks") as batch_op:
        _commune_column(batch_op, "tasks")
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint("uq_tasks_source_channel", type_="unique")
        batch_op.drop_constraint("fk_tasks_department_id_departments", type_="foreignkey")
        batch_op.create_unique_constraint("uq_tasks_number", ["commune_id", "number"])
        batch_op.create_unique_constraint("uq_tasks_commune", ["commune_id", "id"])
        batch_op.create_unique_constraint(
            "uq_tasks_source", ["commune_id", "source_channel", "source_chat_id", "source_message_id"]
        )
        _in_commune(batch_op, "fk_tasks_department", "department_id", "departments")
    with op.batch_alter_table("task_updates") as batch_op:
        _commune_column(batch_op, "task_updates")
        batch_op.drop_constraint("fk_task_updates_task_id_tasks", type_="foreignkey")
        _in_commune(batch_op, "fk_task_updates_task", "task_id", "tasks")
    with op.batch_alter_table("group_bindings") as batch_op:
        _commune_column(batch_op, "group_bindings")
        batch_op.drop_constraint("fk_group_bindings_department_id_departments", type_="foreignkey")
        _in_commune(batch_op, "fk_group_bindings_department", "department_id", "departments")
    with op.batch_alter_table("audit_events") as batch_op:
        _commune_column(batch_op, "audit_events", nullable=True)


def downgrade() -> None:
    raise NotImplementedError("communes cannot be folded back into one database: restore the backup instead")
