"""frame elements ticked on ideas

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "input_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("input_id", sa.Integer(), nullable=False),
        sa.Column("element", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["input_id"],
            ["inputs.id"],
            name=op.f("fk_input_tags_input_id_inputs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_input_tags")),
        sa.UniqueConstraint("input_id", "element", name=op.f("uq_input_tags_input_id")),
    )
    with op.batch_alter_table("input_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_input_tags_input_id"), ["input_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("input_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_input_tags_input_id"))
    op.drop_table("input_tags")
