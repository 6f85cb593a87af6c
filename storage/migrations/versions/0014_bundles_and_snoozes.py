"""One morning message a chat: bundled reminders point at their bundle; and the items people snoozed.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bundle", sa.String(length=20), nullable=True))
    op.create_table(
        "snoozes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("created_at", storage.models.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id", "person_id"], ["people.commune_id", "people.id"], name="fk_snoozes_person"
        ),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"], name=op.f("fk_snoozes_commune_id_communes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snoozes")),
    )
    with op.batch_alter_table("snoozes", schema=None) as batch_op:
        batch_op.create_index("ix_snoozes_chat", ["commune_id", "channel", "chat_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("snoozes", schema=None) as batch_op:
        batch_op.drop_index("ix_snoozes_chat")
    op.drop_table("snoozes")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("bundle")
