"""The library of adopted resolutions, by paragraph, with its full-text index.

Revision ID: 0005_library
Revises: 0004_comments
Create Date: 2026-11-28

Written by hand; tests/test_store.py checks the two tables against penholder.store.tables.
The index is SQL of each backend (store.tables.SEARCH_INDEX): an FTS5 table on SQLite
(porter stemming over unicode61 words), a tsvector table with a GIN index on PostgreSQL
(the 'english' configuration) and the adoption date for newest-first walks. penholder.library.index writes both.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_library"
down_revision: str | Sequence[str] | None = "0004_comments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "library_resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(100), nullable=False),
        sa.Column("session", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("committee", sa.String(100), nullable=True),
        sa.Column("adopted_on", sa.String(10), nullable=True),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_library_resolutions"),
        sa.UniqueConstraint("symbol", name="uq_library_resolutions_symbol"),
    )
    op.create_table(
        "library_paragraphs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("paragraph_id", sa.String(200), nullable=False),
        sa.Column("label", sa.String(50), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["resolution_id"], ["library_resolutions.id"],
                                name="fk_library_paragraphs_resolution_id_library_resolutions"),
        sa.PrimaryKeyConstraint("id", name="pk_library_paragraphs"),
        sa.UniqueConstraint("resolution_id", "position", name="uq_library_paragraphs_resolution_id_position"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # adopted_on is the resolution's, copied so that the planner can walk a common
        # phrase's matches newest first and stop (btree) or collect a rare one's (GIN).
        op.execute("CREATE TABLE library_fts (paragraph_id integer PRIMARY KEY "
                   "REFERENCES library_paragraphs (id) ON DELETE CASCADE, "
                   "adopted_on varchar(10), tsv tsvector NOT NULL)")
        # No pending list: the library grows rarely, and every search would scan the list
        # of entries not yet merged (a seq scan plan, 100 times slower, after a bulk add).
        op.execute("CREATE INDEX library_fts_tsv ON library_fts USING gin (tsv) WITH (fastupdate = off)")
        op.execute("CREATE INDEX library_fts_newest ON library_fts (adopted_on DESC NULLS LAST, paragraph_id)")
    else:
        # rowid is the paragraph's id; the indexed text is the paragraph's words, normalized.
        op.execute("CREATE VIRTUAL TABLE library_fts USING fts5(words, tokenize='porter unicode61')")


def downgrade() -> None:
    op.execute("DROP TABLE library_fts")
    op.drop_table("library_paragraphs")
    op.drop_table("library_resolutions")
