"""The rest of the plan: a task's one named responsible official, the citizens' and the Mặt trận's feedback,
dossiers resolved, incoming documents.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 00:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

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


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.drop_constraint("fk_tasks_responsible", type_="foreignkey")
        batch_op.drop_column("responsible_id")
