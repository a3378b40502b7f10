"""Amendments with co-sponsors and events, revisions with paragraph standing, draft sponsors.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Written by hand; tests/test_store.py checks it against penholder.store.tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("upto_seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], name="fk_revisions_draft_id_drafts"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name="fk_revisions_created_by_users"),
        sa.PrimaryKeyConstraint("id", name="pk_revisions"),
        sa.UniqueConstraint("draft_id", "number", name="uq_revisions_draft_id_number"),
    )
    op.create_table(
        "amendments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sponsor_id", sa.Integer(), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("operation", sa.String(30), nullable=False),
        sa.Column("paragraph_id", sa.String(200), nullable=True),
        sa.Column("position", sa.String(250), nullable=True),
        sa.Column("kind", sa.String(10), nullable=True),
        sa.Column("target_text", sa.Text(), nullable=True),
        sa.Column("new_text", sa.Text(), nullable=True),
        sa.Column("paragraph_text", sa.Text(), nullable=True),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("against_seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("applied_seq", sa.Integer(), nullable=True),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], name="fk_amendments_draft_id_drafts"),
        sa.ForeignKeyConstraint(["sponsor_id"], ["delegations.id"], name="fk_amendments_sponsor_id_delegations"),
        sa.ForeignKeyConstraint(["filed_by"], ["users.id"], name="fk_amendments_filed_by_users"),
        sa.ForeignKeyConstraint(["revision_id"], ["revisions.id"], name="fk_amendments_revision_id_revisions"),
        sa.ForeignKeyConstraint(["superseded_by"], ["amendments.id"], name="fk_amendments_superseded_by_amendments"),
        sa.PrimaryKeyConstraint("id", name="pk_amendments"),
        sa.UniqueConstraint("draft_id", "number", name="uq_amendments_draft_id_number"),
    )
    op.create_index("ix_amendments_status", "amendments", ["status"])
    op.create_table(
        "amendment_cosponsors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("joined_at", TS, nullable=False),
        sa.Column("left_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["amendment_id"], ["amendments.id"], name="fk_amendment_cosponsors_amendment_id_amendments"),
        sa.ForeignKeyConstraint(["delegation_id"], ["delegations.id"], name="fk_amendment_cosponsors_delegation_id_delegations"),
        sa.PrimaryKeyConstraint("id", name="pk_amendment_cosponsors"),
    )
    op.create_index("ix_amendment_cosponsors_amendment_id", "amendment_cosponsors", ["amendment_id"])
    op.create_table(
        "amendment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["amendment_id"], ["amendments.id"], name="fk_amendment_events_amendment_id_amendments"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_amendment_events_user_id_users"),
        sa.ForeignKeyConstraint(["delegation_id"], ["delegations.id"], name="fk_amendment_events_delegation_id_delegations"),
        sa.PrimaryKeyConstraint("id", name="pk_amendment_events"),
    )
    op.create_index("ix_amendment_events_amendment_id", "amendment_events", ["amendment_id"])
    op.create_table(
        "revision_paragraphs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("paragraph_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.ForeignKeyConstraint(["revision_id"], ["revisions.id"], name="fk_revision_paragraphs_revision_id_revisions"),
        sa.PrimaryKeyConstraint("id", name="pk_revision_paragraphs"),
        sa.UniqueConstraint("revision_id", "paragraph_id", name="uq_revision_paragraphs_revision_id_paragraph_id"),
    )
    op.create_table(
        "draft_sponsors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("joined_at", TS, nullable=False),
        sa.Column("left_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"], name="fk_draft_sponsors_draft_id_drafts"),
        sa.ForeignKeyConstraint(["delegation_id"], ["delegations.id"], name="fk_draft_sponsors_delegation_id_delegations"),
        sa.PrimaryKeyConstraint("id", name="pk_draft_sponsors"),
    )
    op.create_index("ix_draft_sponsors_draft_id", "draft_sponsors", ["draft_id"])


def downgrade() -> None:
    op.drop_table("draft_sponsors")
    op.drop_table("revision_paragraphs")
    op.drop_table("amendment_events")
    op.drop_table("amendment_cosponsors")
    op.drop_table("amendments")
    op.drop_table("revisions")
