"""One person on two apps: an invite can link another app to a member; a member picks where reminders go.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 03:33:42.482191
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_invites_person_id_people"), "people", ["person_id"], ["id"])

    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notify_channel", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("notify_channel")

    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_invites_person_id_people"), type_="foreignkey")
        batch_op.drop_column("person_id")
