"""Comments on paragraphs and proposals, in threads, resolvable.

Revision ID: 0004_comments
Revises: 0003_amendment_context
Create Date: 2026-11-28

Written by hand; tests/test_store.py checks it against penholder.store.tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_comments"
down_revision: str | Sequence[str] | None = "0003_amendment_context"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("paragraph_id", sa.String(200), nullable=True),
        sa.Column("amendment_id", sa.Integer(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("resolved_at", TS, nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], name="fk_comments_draft_id_drafts"),
        sa.ForeignKeyConstraint(["amendment_id"], ["amendments.id"], name="fk_comments_amendment_id_amendments"),
        sa.ForeignKeyConstraint(["thread_id"], ["comments.id"], name="fk_comments_thread_id_comments"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_comments_user_id_users"),
        sa.ForeignKeyConstraint(["delegation_id"], ["delegations.id"], name="fk_comments_delegation_id_delegations"),
        sa.ForeignKeyConstraint(["resolved_by"], ["users.id"], name="fk_comments_resolved_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_comments"),
    )
    op.create_index("ix_comments_draft_id", "comments", ["draft_id"])


def downgrade() -> None:
    op.drop_table("comments")
