"""The rest of the plan: a task's one named responsible official, the citizens' and the Mặt trận's feedback,
dossiers resolved, incoming documents.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 00:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.add_column(sa.Column("responsible_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_tasks_responsible", "people", ["commune_id", "responsible_id"], ["commune_id", "id"]
        )
    with op.batch_alter_table("entries") as batch_op:
        batch_op.add_column(sa.Column("resolved_online", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("resolved_paper", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("resolved_late", sa.Integer(), nullable=True))
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("origin", sa.String(length=12), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=True),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_at", storage.models.UTCDateTime(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("source_channel", sa.String(length=20), nullable=False),
        sa.Column("source_chat_id", sa.String(length=64), nullable=False),
        sa.Column("source_message_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["answered_by_id"], ["people.id"], name=op.f("fk_feedback_answered_by_id_people")),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"], name=op.f("fk_feedback_commune_id_communes")),
        sa.ForeignKeyConstraint(
            ["commune_id", "recorded_by_id"], ["people.commune_id", "people.id"], name="fk_feedback_recorder"
        ),
        sa.ForeignKeyConstraint(
            ["commune_id", "department_id"], ["departments.commune_id", "departments.id"], name="fk_feedback_department"
        ),
        sa.ForeignKeyConstraint(["commune_id", "task_id"], ["tasks.commune_id", "tasks.id"], name="fk_feedback_task"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("commune_id", "number", name="uq_feedback_number"),
        sa.UniqueConstraint(
            "commune_id", "source_channel", "source_chat_id", "source_message_id", name="uq_feedback_source"
        ),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feedback_received_on"), ["received_on"], unique=False)


def downgrade() -> None:
    op.drop_table("feedback")
    with op.batch_alter_table("entries") as batch_op:
        for column in ("resolved_late", "resolved_paper", "resolved_online"):
            batch_op.drop_column(column)
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.drop_constraint("fk_tasks_responsible", type_="foreignkey")
        batch_op.drop_column("responsible_id")
