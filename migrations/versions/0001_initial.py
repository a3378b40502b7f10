"""Delegations, users, tokens, drafts, the CRDT update log and snapshots.

Revision ID: 0001
Revises:
Create Date: 2025-11-23

Written by hand and checked against penholder.store.tables by tests/test_store.py
(autogenerate finds no difference on SQLite nor PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _created_at() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_delegations"),
        sa.UniqueConstraint("name", name="uq_delegations_name"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.ForeignKeyConstraint(["delegation_id"], ["delegations.id"], name="fk_users_delegation_id_delegations"),
    )
    op.create_index("ix_users_delegation_id", "users", ["delegation_id"])
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(100), nullable=True),
        sa.Column("session", sa.Integer(), nullable=False),
        sa.Column("committee", sa.String(100), nullable=True),
        sa.Column("agenda_item", sa.String(50), nullable=True),
        sa.Column("agenda_title", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("base_symbol", sa.String(100), nullable=True),
        _created_at(),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drafts"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name="fk_drafts_created_by_users"),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        _created_at(),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tokens"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_tokens_user_id_users"),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], name="fk_tokens_draft_id_drafts"),
        sa.UniqueConstraint("token_hash", name="uq_tokens_token_hash"),
    )
    op.create_index("ix_tokens_user_id", "tokens", ["user_id"])
    op.create_table(
        "updates",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(100), nullable=True),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_updates"),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], name="fk_updates_draft_id_drafts"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_updates_user_id_users"),
        sa.ForeignKeyConstraint(["delegation_id"], ["delegations.id"], name="fk_updates_delegation_id_delegations"),
        sa.UniqueConstraint("draft_id", "seq", name="uq_updates_draft_id_seq"),
    )
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("upto_seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        _created_at(),
        sa.PrimaryKeyConstraint("id", name="pk_snapshots"),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], name="fk_snapshots_draft_id_drafts"),
    )
    op.create_index("ix_snapshots_draft_id_upto_seq", "snapshots", ["draft_id", "upto_seq"])


def downgrade() -> None:
    op.drop_index("ix_snapshots_draft_id_upto_seq", table_name="snapshots")
    op.drop_table("snapshots")
    op.drop_table("updates")
    op.drop_index("ix_tokens_user_id", table_name="tokens")
    op.drop_table("tokens")
    op.drop_table("drafts")
    op.drop_index("ix_users_delegation_id", table_name="users")
    op.drop_table("users")
    op.drop_table("delegations")
