"""The per-day summary of entries (`entry_days`): one row a department a day with the counters /chitieu, the
digest, the files and the province table sum, so a period reads a row a department a day instead of every entry;
filled here from the live entries (reports aside), kept by every write after.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# What one entry adds to each counter (storage/entry_days.py defines them for the code; frozen here as of 0019).
COUNTERS = {
    "entries": "1",
    "meetings": "CASE WHEN kind = 'meeting' THEN 1 ELSE 0 END",
    "online_meetings": "CASE WHEN kind = 'meeting' AND meeting_online THEN 1 ELSE 0 END",
    "documents": "CASE WHEN kind = 'document' THEN 1 ELSE 0 END",
    "electronic_documents": "CASE WHEN kind = 'document' AND document_kind = 'electronic' THEN 1 ELSE 0 END",
    "paper_documents": "CASE WHEN kind = 'document' AND document_kind = 'paper' THEN 1 ELSE 0 END",
    "secret_documents": "CASE WHEN kind = 'document' AND document_kind = 'secret' THEN 1 ELSE 0 END",
    "dossiers_online": "COALESCE(dossiers_online, 0)",
    "dossiers_paper": "COALESCE(dossiers_paper, 0)",
    "resolved_online": "CASE WHEN kind = 'resolved' THEN COALESCE(resolved_online, 0) ELSE 0 END",
    "resolved_paper": "CASE WHEN kind = 'resolved' THEN COALESCE(resolved_paper, 0) ELSE 0 END",
    "resolved_late": "CASE WHEN kind = 'resolved' THEN COALESCE(resolved_late, 0) ELSE 0 END",
    "incoming_electronic": "CASE WHEN kind = 'incoming' AND document_kind = 'electronic' THEN 1 ELSE 0 END",
    "incoming_paper": "CASE WHEN kind = 'incoming' AND document_kind = 'paper' THEN 1 ELSE 0 END",
    "incoming_secret": "CASE WHEN kind = 'incoming' AND document_kind = 'secret' THEN 1 ELSE 0 END",
}


def upgrade() -> None:
    op.create_table(
        "entry_days",
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTERS),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"], name=op.f("fk_entry_days_commune_id_communes")),
        sa.ForeignKeyConstraint(
            ["commune_id", "department_id"],
            ["departments.commune_id", "departments.id"],
            name=op.f("fk_entry_days_department"),
        ),
        sa.PrimaryKeyConstraint("commune_id", "day", "department_id", name=op.f("pk_entry_days")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_entry_days_department", "entry_days", ["commune_id", "department_id", "day"])
    names = ", ".join(COUNTERS)
    sums = ", ".join(f"SUM({value})" for value in COUNTERS.values())
    op.execute(
        f"INSERT INTO entry_days (commune_id, day, department_id, {names}) "
        f"SELECT commune_id, occurred_on, department_id, {sums} FROM entries "
        "WHERE cancelled_at IS NULL AND kind <> 'report' GROUP BY commune_id, occurred_on, department_id"
    )


def downgrade() -> None:
    op.drop_table("entry_days")
