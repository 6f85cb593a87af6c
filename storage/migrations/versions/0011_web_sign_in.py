"""The web pages' sign-in: one-time links (`web_links`) and the sessions they open (`web_sessions`), both kept
only as the SHA-256 of their secret, each naming a person of its own commune (none: the province officer).

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _person_columns(table: str) -> list:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["commune_id"], ["communes.id"], name=op.f(f"fk_{table}_commune_id_communes")),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f(f"fk_{table}_person_id_people")),
        sa.ForeignKeyConstraint(
            ["commune_id", "person_id"], ["people.commune_id", "people.id"], name=f"fk_{table}_person"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("token_hash", name=op.f(f"uq_{table}_token_hash")),
    ]


def upgrade() -> None:
    op.create_table("web_links", *_person_columns("web_links"), sa.Column("used_at", sa.DateTime(), nullable=True))
    op.create_index(op.f("ix_web_links_person_id"), "web_links", ["person_id"], unique=False)
    op.create_table(
        "web_sessions", *_person_columns("web_sessions"), sa.Column("ended_at", sa.DateTime(), nullable=True)
    )
    op.create_index("ix_web_sessions_person", "web_sessions", ["commune_id", "person_id", "ended_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_web_sessions_person", table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index(op.f("ix_web_links_person_id"), table_name="web_links")
    op.drop_table("web_links")
