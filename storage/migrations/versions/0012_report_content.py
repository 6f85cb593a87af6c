"""Report content collected by the bot: each department's answers (results by task group, difficulties,
proposals), the periods the consolidating department has closed, and the free-text answers awaited.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 22:49:15
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "awaited_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(), nullable=False),
        sa.Column("expires_at", storage.models.UTCDateTime(), nullable=False),
        sa.Column("answered_at", storage.models.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commune_id", "person_id"], ["people.commune_id", "people.id"], name="fk_awaited_answers_person"
        ),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"], name=op.f("fk_awaited_answers_commune_id_communes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awaited_answers")),
    )
    with op.batch_alter_table("awaited_answers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_awaited_answers_chat", ["commune_id", "channel", "chat_id", "person_id"], unique=False
        )

    op.create_table(
        "report_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("report_code", sa.String(length=20), nullable=False),
        sa.Column("report_year", sa.Integer(), nullable=False),
        sa.Column("part", sa.String(length=12), nullable=False),
        sa.Column("task_group", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("file_id", sa.String(length=200), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", storage.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id", "department_id"],
            ["departments.commune_id", "departments.id"],
            name="fk_report_answers_department",
        ),
        sa.ForeignKeyConstraint(
            ["commune_id", "person_id"], ["people.commune_id", "people.id"], name="fk_report_answers_person"
        ),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"], name=op.f("fk_report_answers_commune_id_communes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_answers")),
        sa.UniqueConstraint(
            "commune_id", "department_id", "report_code", "report_year", "part", "task_group", name="uq_report_answers"
        ),
    )
    with op.batch_alter_table("report_answers", schema=None) as batch_op:
        batch_op.create_index("ix_report_answers_period", ["commune_id", "report_code", "report_year"], unique=False)

    op.create_table(
        "report_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("report_code", sa.String(length=20), nullable=False),
        sa.Column("report_year", sa.Integer(), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", storage.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id", "closed_by_id"], ["people.commune_id", "people.id"], name="fk_report_closures_person"
        ),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"], name=op.f("fk_report_closures_commune_id_communes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_closures")),
        sa.UniqueConstraint("commune_id", "report_code", "report_year", name="uq_report_closures"),
    )


def downgrade() -> None:
    op.drop_table("report_closures")
    with op.batch_alter_table("report_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_report_answers_period")

    op.drop_table("report_answers")
    with op.batch_alter_table("awaited_answers", schema=None) as batch_op:
        batch_op.drop_index("ix_awaited_answers_chat")

    op.drop_table("awaited_answers")
