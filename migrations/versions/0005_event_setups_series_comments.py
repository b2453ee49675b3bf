"""event set-ups, series and milestones, memo commenting

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comment_links",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("org_kind", sa.String(length=20), nullable=False),
        sa.Column("org_code", sa.String(length=8), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_comment_links")),
        sa.UniqueConstraint("event", "org_kind", "org_code", name=op.f("uq_comment_links_event")),
    )
    with op.batch_alter_table("comment_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comment_links_event"), ["event"], unique=False)

    op.create_table(
        "event_setups",
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("join_code", sa.String(length=12), nullable=False),
        sa.Column("series", sa.String(length=40), nullable=True),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_event_setups")),
        sa.UniqueConstraint("join_code", name=op.f("uq_event_setups_join_code")),
    )
    with op.batch_alter_table("event_setups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_setups_series"), ["series"], unique=False)

    op.create_table(
        "memo_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("theme_id", sa.String(length=40), nullable=False),
        sa.Column("section", sa.String(length=20), nullable=False),
        sa.Column("org_kind", sa.String(length=20), nullable=False),
        sa.Column("org_code", sa.String(length=8), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("handled_by", sa.String(length=40), nullable=True),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memo_comments")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_memo_comments_idempotency_key")),
    )
    with op.batch_alter_table("memo_comments", schema=None) as batch_op:
        batch_op.create_index("ix_memo_comments_event_theme", ["event", "theme_id"], unique=False)

    op.create_table(
        "memo_states",
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("theme_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("event", "theme_id", name=op.f("pk_memo_states")),
    )
    op.create_table(
        "series",
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("organiser", sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint("slug", name=op.f("pk_series")),
    )
    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("starts", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=True),
        sa.Column("place", sa.String(length=80), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("tentative", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["series"], ["series.slug"], name=op.f("fk_milestones_series_series"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
        sa.UniqueConstraint("series", "key", name=op.f("uq_milestones_series")),
    )
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestones_series"), ["series"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestones_series"))

    op.drop_table("milestones")
    op.drop_table("series")
    op.drop_table("memo_states")
    with op.batch_alter_table("memo_comments", schema=None) as batch_op:
        batch_op.drop_index("ix_memo_comments_event_theme")

    op.drop_table("memo_comments")
    with op.batch_alter_table("event_setups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_setups_series"))

    op.drop_table("event_setups")
    with op.batch_alter_table("comment_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comment_links_event"))

    op.drop_table("comment_links")
