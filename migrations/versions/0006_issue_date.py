"""The documents issued for a draft: each symbol the Secretariat gave it (the L document,
then each Rev.), the date it was issued and the log seq its text stops at.

Revision ID: 0006_issue_date
Revises: 0005_library
Create Date: 2026-11-28

Written by hand; tests/test_store.py checks it against penholder.store.tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_issue_date"
down_revision: str | Sequence[str] | None = "0005_library"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "draft_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=100), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("upto_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], name="fk_draft_issues_draft_id_drafts"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name="fk_draft_issues_created_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_draft_issues"),
        sa.UniqueConstraint("draft_id", "symbol", name="uq_draft_issues_draft_id_symbol"),
    )


def downgrade() -> None:
    op.drop_table("draft_issues")
