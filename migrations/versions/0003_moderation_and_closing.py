"""held inputs (pre-moderation, word filter), closed events, pre-moderation switch

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("held", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("live_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("premoderation", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("live_state", schema=None) as batch_op:
        batch_op.drop_column("premoderation")
        batch_op.drop_column("closed")
    with op.batch_alter_table("inputs", schema=None) as batch_op:
        batch_op.drop_column("held")
