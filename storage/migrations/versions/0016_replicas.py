"""Replicas and dead letters: the inbox counts each handling begun and leases what it claims, in the order of each
chat; an update that crashed the bot twice is set aside; the outbox leases what it sends.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-02 00:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chat", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("started", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("lease_until", storage.models.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("dead_at", storage.models.UTCDateTime(), nullable=True))
        batch_op.create_index("ix_inbox_chat", ["channel", "chat", "handled_at", "id"], unique=False)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("lease_until", storage.models.UTCDateTime(), nullable=True))
        batch_op.create_index("ix_outbox_chat", ["channel", "chat_id", "status", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_chat")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("claimed_by")
    with op.batch_alter_table("inbox", schema=None) as batch_op:
        batch_op.drop_index("ix_inbox_chat")
        batch_op.drop_column("dead_at")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("started")
        batch_op.drop_column("chat")
