"""Accounts and roles per draft: a user is a kind of account (delegate, observer,
secretariat) and what it may do on a draft follows from its relation to that draft (main
sponsor, appointed facilitator). Adds passwords, browser sessions, one-time links,
sign-in failures (throttling), token names and expiry, appointed facilitators and a
draft's openness to observers' proposals.

The global roles of before become (docs/roles.md, "From global roles"):
- penholder   -> delegate, and its delegation a main sponsor of every existing draft;
- facilitator -> appointed facilitator of every existing draft; a delegate if it had a
                 delegation, else an observer;
- delegate, observer, secretariat -> the same kind, no relation.
Downgrade maps back: a delegate whose delegation is a main sponsor of some draft is a
penholder, anyone appointed facilitator somewhere is a facilitator.

Revision ID: 0007_accounts
Revises: 0006_issue_date
Create Date: 2026-11-28

Written by hand; tests/test_store.py checks it against penholder.store.tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


revision: str = "0007_accounts"
down_revision: str | Sequence[str] | None = "0006_issue_date"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FALSE = sa.text("false")


def upgrade() -> None:
    # Plain ALTER TABLE, not batch mode: SQLite renames and adds columns in place, while
    # rebuilding `users` or `drafts` would trip the foreign keys that point at them.
    op.alter_column("users", "role", new_column_name="kind", existing_type=sa.String(20))
    op.add_column("users", sa.Column("email", sa.String(320), nullable=True))
    op.add_column("users", sa.Column("password_hash", sa.String(200), nullable=True))
    op.add_column("users", sa.Column("focal_point", sa.Boolean(), nullable=False, server_default=FALSE))
    op.create_index("ix_users_email", "users", ["email"], unique=True)
    op.add_column("tokens", sa.Column("name", sa.String(100), nullable=True))
    op.add_column("tokens", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("drafts", sa.Column("observers_propose", sa.Boolean(), nullable=False, server_default=FALSE))
    op.create_table(
        "draft_facilitators",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("draft_id", sa.Integer(), sa.ForeignKey("drafts.id"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("appointed_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("appointed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("draft_id", "user_id"),
    )
    op.create_index("ix_draft_facilitators_user_id", "draft_facilitators", ["user_id"])
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "one_time_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_one_time_links_user_id", "one_time_links", ["user_id"])
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account", sa.String(320), nullable=False),
        sa.Column("address", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sign_in_failures_account", "sign_in_failures", ["account"])
    op.create_index("ix_sign_in_failures_address", "sign_in_failures", ["address"])

    conn = op.get_bind()
    now = datetime.now(UTC)
    drafts = conn.execute(sa.text("SELECT id FROM drafts")).scalars().all()
    penholders = conn.execute(sa.text(
        "SELECT DISTINCT delegation_id FROM users WHERE kind = 'penholder' AND delegation_id IS NOT NULL")).scalars().all()
    sponsors = sa.table("draft_sponsors", sa.column("draft_id"), sa.column("delegation_id"), sa.column("kind"),
                        sa.column("joined_at", sa.DateTime(timezone=True)), sa.column("left_at"))
    for draft in drafts:
        for delegation in penholders:
            held = conn.execute(sa.text(
                "SELECT 1 FROM draft_sponsors WHERE draft_id = :d AND delegation_id = :g AND kind = 'main' "
                "AND left_at IS NULL"), {"d": draft, "g": delegation}).first()
            if held is None:
                conn.execute(sponsors.insert().values(draft_id=draft, delegation_id=delegation, kind="main",
                                                      joined_at=now))
    facilitators = conn.execute(sa.text("SELECT id FROM users WHERE kind = 'facilitator'")).scalars().all()
    appointed = sa.table("draft_facilitators", sa.column("draft_id"), sa.column("user_id"),
                         sa.column("appointed_at", sa.DateTime(timezone=True)))
    for draft in drafts:
        for user in facilitators:
            conn.execute(appointed.insert().values(draft_id=draft, user_id=user, appointed_at=now))
    conn.execute(sa.text("UPDATE users SET kind = 'delegate' WHERE kind = 'penholder'"))
    conn.execute(sa.text("UPDATE users SET kind = CASE WHEN delegation_id IS NULL THEN 'observer' ELSE 'delegate' END "
                         "WHERE kind = 'facilitator'"))


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE users SET kind = 'facilitator' WHERE id IN (SELECT user_id FROM draft_facilitators)"))
    conn.execute(sa.text(
        "UPDATE users SET kind = 'penholder' WHERE kind = 'delegate' AND delegation_id IN "
        "(SELECT delegation_id FROM draft_sponsors WHERE kind = 'main' AND left_at IS NULL)"))
    op.drop_table("sign_in_failures")
    op.drop_table("one_time_links")
    op.drop_table("web_sessions")
    op.drop_table("draft_facilitators")
    op.drop_column("drafts", "observers_propose")
    op.drop_column("tokens", "expires_at")
    op.drop_column("tokens", "name")
    op.drop_index("ix_users_email", "users")
    op.drop_column("users", "focal_point")
    op.drop_column("users", "password_hash")
    op.drop_column("users", "email")
    op.alter_column("users", "kind", new_column_name="role", existing_type=sa.String(20))
