"""The full-text index of library paragraphs, one interface over two backends: SQLite's
FTS5 (porter stemming) and PostgreSQL's tsvector with a GIN index ('english').

Both index the same normalized words (library.words.index_text) and return candidate
paragraphs, which library.search then verifies word by word, so stemming only widens
the candidates, never the answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import Connection, Row, text

from penholder.library.words import index_text

# What every candidate query returns, joined from the paragraph and its resolution.
COLUMNS = ("p.id, p.paragraph_id, p.label, p.text, r.symbol, r.title, r.adopted_on, r.committee")
_JOIN = ("JOIN library_paragraphs p ON p.id = {key} "
         "JOIN library_resolutions r ON r.id = p.resolution_id")
_NEWEST = "ORDER BY r.adopted_on DESC NULLS LAST, p.id"


class SearchIndex(Protocol):
    def add(self, conn: Connection, paragraphs: Sequence[tuple[int, str]]) -> None:
        """Index (paragraph id, text) pairs."""

    def remove(self, conn: Connection, resolution_id: int) -> None:
        """Forget a resolution's paragraphs (before they are deleted)."""

    def phrase(self, conn: Connection, words: Sequence[str], limit: int) -> list[Row]:
        """Paragraphs holding these words in this order (up to stemming), newest first."""

    def any_of(self, conn: Connection, words: Sequence[str], limit: int) -> list[Row]:
        """Paragraphs holding some of these words, the most relevant first."""


class SqliteIndex:
    def add(self, conn: Connection, paragraphs: Sequence[tuple[int, str]]) -> None:
        if paragraphs:
            conn.execute(text("INSERT INTO library_fts (rowid, words) VALUES (:id, :words)"),
                         [{"id": i, "words": index_text(t)} for i, t in paragraphs])

    def remove(self, conn: Connection, resolution_id: int) -> None:
        conn.execute(text("DELETE FROM library_fts WHERE rowid IN "
                          "(SELECT id FROM library_paragraphs WHERE resolution_id = :r)"), {"r": resolution_id})

    def phrase(self, conn: Connection, words: Sequence[str], limit: int) -> list[Row]:
        sql = (f"SELECT {COLUMNS} FROM library_fts f {_JOIN.format(key='f.rowid')} "
               f"WHERE library_fts MATCH :q {_NEWEST} LIMIT :n")
        return list(conn.execute(text(sql), {"q": '"' + " ".join(words) + '"', "n": limit}))

    def any_of(self, conn: Connection, words: Sequence[str], limit: int) -> list[Row]:
        sql = (f"SELECT {COLUMNS} FROM library_fts f {_JOIN.format(key='f.rowid')} "
               "WHERE library_fts MATCH :q ORDER BY f.rank LIMIT :n")
        return list(conn.execute(text(sql), {"q": " OR ".join(f'"{w}"' for w in words), "n": limit}))


class PostgresIndex:
    def add(self, conn: Connection, paragraphs: Sequence[tuple[int, str]]) -> None:
        if paragraphs:
            conn.execute(text("INSERT INTO library_fts (paragraph_id, tsv) "
                              "VALUES (:id, to_tsvector('english', :words))"),
                         [{"id": i, "words": index_text(t)} for i, t in paragraphs])

    def remove(self, conn: Connection, resolution_id: int) -> None:
        conn.execute(text("DELETE FROM library_fts WHERE paragraph_id IN "
                          "(SELECT id FROM library_paragraphs WHERE resolution_id = :r)"), {"r": resolution_id})

    def phrase(self, conn: Connection, words: Sequence[str], limit: int) -> list[Row]:
        sql = (f"SELECT {COLUMNS} FROM library_fts f {_JOIN.format(key='f.paragraph_id')} "
               f"WHERE f.tsv @@ phraseto_tsquery('english', :q) {_NEWEST} LIMIT :n")
        return list(conn.execute(text(sql), {"q": " ".join(words), "n": limit}))

    def any_of(self, conn: Connection, words: Sequence[str], limit: int) -> list[Row]:
        sql = (f"SELECT {COLUMNS} FROM library_fts f {_JOIN.format(key='f.paragraph_id')}, "
               "to_tsquery('english', :q) q WHERE f.tsv @@ q ORDER BY ts_rank(f.tsv, q) DESC, p.id LIMIT :n")
        return list(conn.execute(text(sql), {"q": " | ".join(words), "n": limit}))


def index_for(conn: Connection) -> SearchIndex:
    name = conn.dialect.name
    if name == "sqlite":
        return SqliteIndex()
    if name == "postgresql":
        return PostgresIndex()
    raise RuntimeError(f"the library has no search index for {name} (SQLite or PostgreSQL)")
