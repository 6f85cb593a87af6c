"""Chat paces: each chat's sending pace for the whole deployment, so replicas sharing one PostgreSQL database
together keep Telegram's limits per chat (a private chat's burst then one a second, a group's twenty a minute);
one process on SQLite paces itself in memory and never uses it.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 13:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat_paces",
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("chat_id", sa.String(length=64), nullable=False),
        sa.Column("full_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "chat_id", name=op.f("pk_chat_paces")),
    )
    op.create_index(op.f("ix_chat_paces_full_at"), "chat_paces", ["full_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_chat_paces_full_at"), table_name="chat_paces")
    op.drop_table("chat_paces")
