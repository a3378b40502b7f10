"""Amendments keep the quote and its context, and a digest of the paragraph, instead of a
copy of the whole paragraph (which may be megabytes); an index for the per-delegation
filing limit.

Revision ID: 0003_amendment_context
Revises: 0002
Create Date: 2026-11-28

Written by hand; tests/test_store.py checks it against penholder.store.tables.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_amendment_context"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTEXT = 100


def _context(paragraph: str, quote: str | None) -> str:
    at = paragraph.find(quote) if quote else 0
    at, length = (at, len(quote or "")) if at >= 0 else (0, 0)
    start, end = max(0, at - CONTEXT), min(len(paragraph), at + length + CONTEXT)
    return ("\u2026" if start else "") + paragraph[start:end] + ("\u2026" if end < len(paragraph) else "")


def upgrade() -> None:
    op.add_column("amendments", sa.Column("context", sa.Text(), nullable=True))
    op.add_column("amendments", sa.Column("paragraph_digest", sa.String(64), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, operation, target_text, paragraph_text FROM amendments "
                                "WHERE paragraph_text IS NOT NULL")).all()
    for id_, operation, target, paragraph in rows:
        whole = operation in ("delete_paragraph", "move_paragraph")
        conn.execute(sa.text("UPDATE amendments SET context = :c, paragraph_digest = :d, target_text = :t "
                             "WHERE id = :id"),
                     {"c": _context(paragraph, None if whole else target),
                      "d": hashlib.sha256(paragraph.encode()).hexdigest(),
                      "t": None if whole else target, "id": id_})
    with op.batch_alter_table("amendments") as batch:
        batch.drop_column("paragraph_text")
    op.create_index("ix_amendments_sponsor_id_created_at", "amendments", ["sponsor_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_amendments_sponsor_id_created_at", "amendments")
    with op.batch_alter_table("amendments") as batch:
        batch.add_column(sa.Column("paragraph_text", sa.Text(), nullable=True))
        batch.drop_column("paragraph_digest")
        batch.drop_column("context")
