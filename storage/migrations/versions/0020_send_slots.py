"""Send slots: a channel's sends per second for the whole deployment, so replicas sharing one PostgreSQL database
together keep to Telegram's 30 a second (one process on SQLite paces itself in memory and never uses it).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 04:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "send_slots",
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("free_at", sa.DateTime(), nullable=False),
        sa.Column("paused_until", sa.DateTime(), nullable=False),
        sa.Column("holder", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("channel", "slot", name=op.f("pk_send_slots")),
    )


def downgrade() -> None:
    op.drop_table("send_slots")
