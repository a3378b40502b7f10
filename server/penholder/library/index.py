"""The full-text index of library paragraphs, one interface over two backends: SQLite's
FTS5 (porter stemming) and PostgreSQL's tsvector with a GIN index ('english').

Both index the same normalized words (library.words.index_text) and return candidate
paragraphs, newest resolution first, which library.search then verifies word by word,
so stemming only widens the candidates, never the answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import Connection, Row, text

from penholder.library.words import index_text

# Candidates are chosen on ids and dates alone, then joined to their text: sorting
# thousands of matches of a common phrase must not carry their texts along.
_CANDIDATES = """
SELECT p.id, p.paragraph_id, p.label, p.text, r.symbol, r.title, r.adopted_on, r.committee
FROM (SELECT p.id AS id FROM {match} JOIN library_paragraphs p ON p.id = {key}
      JOIN library_resolutions r ON r.id = p.resolution_id
      WHERE {where} ORDER BY r.adopted_on DESC NULLS LAST, p.id LIMIT :n) c
JOIN library_paragraphs p ON p.id = c.id JOIN library_resolutions r ON r.id = p.resolution_id
ORDER BY r.adopted_on DESC NULLS LAST, p.id
"""


class SearchIndex(Protocol):
    def add(self, conn: Connection, paragraphs: Sequence[tuple[int, str]], adopted_on: str | None) -> None:
        """Index (paragraph id, text) pairs of a resolution adopted on that date."""

    def optimize(self, conn: Connection) -> None:
        """After a bulk addition: merge index segments, refresh the planner's statistics."""

    def remove(self, conn: Connection, resolution_id: int) -> None:
        """Forget a resolution's paragraphs (before they are deleted)."""

    def phrase(self, conn: Connection, words: Sequence[str], limit: int) -> list[Row]:
        """Paragraphs holding these words in this order (up to stemming)."""

    def any_group(self, conn: Connection, groups: Sequence[Sequence[str]], limit: int) -> list[Row]:
        """Paragraphs holding every word of at least one group."""


def near_groups(content: Sequence[str], misses: int) -> list[list[str]]:
    """Groups of the phrase's content words such that a paragraph missing at most
    `misses` of them holds every word of some group: all words but one when one may be
    missing, else misses + 1 consecutive groups (one of them is left intact)."""
    n = len(content)
    if misses <= 0 or n <= 1:
        return [list(content)]
    if misses == 1 and n <= 12:
        return [[w for j, w in enumerate(content) if j != i] for i in range(n)]
    k = min(n, misses + 1)
    return [list(content[i * n // k:(i + 1) * n // k]) for i in range(k)]


class SqliteIndex:
    def add(self, conn: Connection, paragraphs: Sequence[tuple[int, str]], adopted_on: str | None) -> None:
        if paragraphs:
            conn.execute(text("INSERT INTO library_fts (rowid, words) VALUES (:id, :words)"),
                         [{"id": i, "words": index_text(t)} for i, t in paragraphs])

    def optimize(self, conn: Connection) -> None:
        conn.execute(text("INSERT INTO library_fts (library_fts) VALUES ('optimize')"))
        conn.execute(text("ANALYZE library_paragraphs"))
        conn.execute(text("ANALYZE library_resolutions"))

    def remove(self, conn: Connection, resolution_id: int) -> None:
        conn.execute(text("DELETE FROM library_fts WHERE rowid IN "
                          "(SELECT id FROM library_paragraphs WHERE resolution_id = :r)"), {"r": resolution_id})

    def _run(self, conn: Connection, query: str, limit: int) -> list[Row]:
        sql = _CANDIDATES.format(match="library_fts f", key="f.rowid", where="library_fts MATCH :q")
        return list(conn.execute(text(sql), {"q": query, "n": limit}))

    def phrase(self, conn: Connection, words: Sequence[str], limit: int) -> list[Row]:
        return self._run(conn, '"' + " ".join(words) + '"', limit)

    def any_group(self, conn: Connection, groups: Sequence[Sequence[str]], limit: int) -> list[Row]:
        return self._run(conn, " OR ".join("(" + " AND ".join(f'"{w}"' for w in g) + ")" for g in groups), limit)


class PostgresIndex:
    def add(self, conn: Connection, paragraphs: Sequence[tuple[int, str]], adopted_on: str | None) -> None:
        if paragraphs:
            conn.execute(text("INSERT INTO library_fts (paragraph_id, adopted_on, tsv) "
                              "VALUES (:id, :adopted_on, to_tsvector('english', :words))"),
                         [{"id": i, "adopted_on": adopted_on, "words": index_text(t)} for i, t in paragraphs])

    def optimize(self, conn: Connection) -> None:
        for table in ("library_resolutions", "library_paragraphs", "library_fts"):
            conn.execute(text(f"ANALYZE {table}"))

    def remove(self, conn: Connection, resolution_id: int) -> None:
        conn.execute(text("DELETE FROM library_fts WHERE paragraph_id IN "
                          "(SELECT id FROM library_paragraphs WHERE resolution_id = :r)"), {"r": resolution_id})

    def _run(self, conn: Connection, tsquery: str, query: str, limit: int) -> list[Row]:
        # One table orders and filters: the planner walks library_fts_newest and stops at
        # `limit` matches for a common phrase, or collects a rare one's from the GIN index.
        sql = f"""
        SELECT p.id, p.paragraph_id, p.label, p.text, r.symbol, r.title, r.adopted_on, r.committee
        FROM (SELECT paragraph_id, adopted_on FROM library_fts WHERE tsv @@ {tsquery}('english', :q)
              ORDER BY adopted_on DESC NULLS LAST, paragraph_id LIMIT :n) c
        JOIN library_paragraphs p ON p.id = c.paragraph_id JOIN library_resolutions r ON r.id = p.resolution_id
        ORDER BY c.adopted_on DESC NULLS LAST, p.id"""
        return list(conn.execute(text(sql), {"q": query, "n": limit}))

    def phrase(self, conn: Connection, words: Sequence[str], limit: int) -> list[Row]:
        return self._run(conn, "phraseto_tsquery", " ".join(words), limit)

    def any_group(self, conn: Connection, groups: Sequence[Sequence[str]], limit: int) -> list[Row]:
        return self._run(conn, "to_tsquery", " | ".join("(" + " & ".join(g) + ")" for g in groups), limit)


def index_for(conn: Connection) -> SearchIndex:
    name = conn.dialect.name
    if name == "sqlite":
        return SqliteIndex()
    if name == "postgresql":
        return PostgresIndex()
    raise RuntimeError(f"the library has no search index for {name} (SQLite or PostgreSQL)")
