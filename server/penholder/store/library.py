"""The library of adopted resolutions (penholder.library): its tables, and the full-text
index of its paragraphs, one interface over two backends: SQLite's FTS5 (porter
stemming) and PostgreSQL's tsvector with a GIN index ('english').

Both index the words the caller gives for each paragraph (library.words.index_text) and
return candidate paragraphs, newest resolution first, which library.search then verifies
word by word, so stemming only widens the candidates, never the answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, delete, func, insert, select, text
from sqlalchemy.exc import IntegrityError

from penholder.store.errors import Conflict
from penholder.store.tables import LibraryParagraph, LibraryResolution, utcnow


@dataclass(frozen=True)
class Candidate:
    """A library paragraph a search found, with its resolution."""
    id: int
    paragraph_id: str
    label: str
    text: str
    symbol: str
    title: str | None
    adopted_on: str | None
    committee: str | None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph to store: its position, id and label in the resolution, its text, and
    the words the index holds for it."""
    position: int
    paragraph_id: str
    label: str
    text: str
    words: str

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
        """Index (paragraph id, words) pairs of a resolution adopted on that date."""

    def optimize(self, conn: Connection) -> None:
        """After a bulk addition: merge index segments, refresh the planner's statistics."""

    def remove(self, conn: Connection, resolution_id: int) -> None:
        """Forget a resolution's paragraphs (before they are deleted)."""

    def phrase(self, conn: Connection, words: Sequence[str], limit: int) -> list[Candidate]:
        """Paragraphs holding these words in this order (up to stemming)."""

    def any_group(self, conn: Connection, groups: Sequence[Sequence[str]], limit: int) -> list[Candidate]:
        """Paragraphs holding every word of at least one group."""


class SqliteIndex:
    def add(self, conn: Connection, paragraphs: Sequence[tuple[int, str]], adopted_on: str | None) -> None:
        if paragraphs:
            conn.execute(text("INSERT INTO library_fts (rowid, words) VALUES (:id, :words)"),
                         [{"id": i, "words": w} for i, w in paragraphs])

    def optimize(self, conn: Connection) -> None:
        conn.execute(text("INSERT INTO library_fts (library_fts) VALUES ('optimize')"))
        conn.execute(text("ANALYZE library_paragraphs"))
        conn.execute(text("ANALYZE library_resolutions"))

    def remove(self, conn: Connection, resolution_id: int) -> None:
        conn.execute(text("DELETE FROM library_fts WHERE rowid IN "
                          "(SELECT id FROM library_paragraphs WHERE resolution_id = :r)"), {"r": resolution_id})

    def _run(self, conn: Connection, query: str, limit: int) -> list[Candidate]:
        sql = _CANDIDATES.format(match="library_fts f", key="f.rowid", where="library_fts MATCH :q")
        return [Candidate(*row) for row in conn.execute(text(sql), {"q": query, "n": limit})]

    def phrase(self, conn: Connection, words: Sequence[str], limit: int) -> list[Candidate]:
        return self._run(conn, '"' + " ".join(words) + '"', limit)

    def any_group(self, conn: Connection, groups: Sequence[Sequence[str]], limit: int) -> list[Candidate]:
        return self._run(conn, " OR ".join("(" + " AND ".join(f'"{w}"' for w in g) + ")" for g in groups), limit)


class PostgresIndex:
    def add(self, conn: Connection, paragraphs: Sequence[tuple[int, str]], adopted_on: str | None) -> None:
        if paragraphs:
            conn.execute(text("INSERT INTO library_fts (paragraph_id, adopted_on, tsv) "
                              "VALUES (:id, :adopted_on, to_tsvector('english', :words))"),
                         [{"id": i, "adopted_on": adopted_on, "words": w} for i, w in paragraphs])

    def optimize(self, conn: Connection) -> None:
        for table in ("library_resolutions", "library_paragraphs", "library_fts"):
            conn.execute(text(f"ANALYZE {table}"))

    def remove(self, conn: Connection, resolution_id: int) -> None:
        conn.execute(text("DELETE FROM library_fts WHERE paragraph_id IN "
                          "(SELECT id FROM library_paragraphs WHERE resolution_id = :r)"), {"r": resolution_id})

    def _run(self, conn: Connection, tsquery: str, query: str, limit: int) -> list[Candidate]:
        # One table orders and filters: the planner walks library_fts_newest and stops at
        # `limit` matches for a common phrase, or collects a rare one's from the GIN index.
        sql = f"""
        SELECT p.id, p.paragraph_id, p.label, p.text, r.symbol, r.title, r.adopted_on, r.committee
        FROM (SELECT paragraph_id, adopted_on FROM library_fts WHERE tsv @@ {tsquery}('english', :q)
              ORDER BY adopted_on DESC NULLS LAST, paragraph_id LIMIT :n) c
        JOIN library_paragraphs p ON p.id = c.paragraph_id JOIN library_resolutions r ON r.id = p.resolution_id
        ORDER BY c.adopted_on DESC NULLS LAST, p.id"""
        return [Candidate(*row) for row in conn.execute(text(sql), {"q": query, "n": limit})]

    def phrase(self, conn: Connection, words: Sequence[str], limit: int) -> list[Candidate]:
        return self._run(conn, "phraseto_tsquery", " ".join(words), limit)

    def any_group(self, conn: Connection, groups: Sequence[Sequence[str]], limit: int) -> list[Candidate]:
        return self._run(conn, "to_tsquery", " | ".join("(" + " & ".join(g) + ")" for g in groups), limit)


def _index(conn: Connection) -> SearchIndex:
    name = conn.dialect.name
    if name == "sqlite":
        return SqliteIndex()
    if name == "postgresql":
        return PostgresIndex()
    raise RuntimeError(f"the library has no search index for {name} (SQLite or PostgreSQL)")


def store(engine: Engine, *, symbol: str, session: int | None, title: str | None, committee: str | None,
          adopted_on: str | None, source: str, paragraphs: Sequence[Paragraph]) -> bool:
    """Store a resolution by paragraph and index it, replacing the one of the same symbol
    if there is one; whether one was replaced. Conflict: another transaction added the
    symbol first."""
    try:
        with engine.begin() as conn:
            index = _index(conn)
            old = conn.scalar(select(LibraryResolution.id).where(LibraryResolution.symbol == symbol))
            if old is not None:
                index.remove(conn, old)
                conn.execute(delete(LibraryParagraph).where(LibraryParagraph.resolution_id == old))
                conn.execute(delete(LibraryResolution).where(LibraryResolution.id == old))
            rid = conn.execute(insert(LibraryResolution).values(
                symbol=symbol, session=session, title=title, committee=committee,
                adopted_on=adopted_on, source=source[-300:], added_at=utcnow(),
            ).returning(LibraryResolution.id)).scalar_one()
            ids = conn.execute(insert(LibraryParagraph).returning(LibraryParagraph.id, sort_by_parameter_order=True), [
                {"resolution_id": rid, "position": p.position, "paragraph_id": p.paragraph_id, "label": p.label,
                 "text": p.text} for p in paragraphs]).scalars().all()
            index.add(conn, list(zip(ids, [p.words for p in paragraphs], strict=True)), adopted_on)
    except IntegrityError:
        raise Conflict(f"{symbol} is being added by another request; try again") from None
    return old is not None


def optimize(engine: Engine) -> None:
    """After adding many resolutions: a compact index and fresh planner statistics."""
    with engine.begin() as conn:
        _index(conn).optimize(conn)


def version(engine: Engine) -> tuple[int, int, str]:
    """Changes whenever a resolution is added or replaced: what is computed from the library
    (a paragraph's standing, how it writes its words) is kept until then. The time of the
    latest addition is part of it, since SQLite may give a replaced resolution its old id."""
    with engine.connect() as conn:
        n, top, latest = conn.execute(select(func.count(), func.max(LibraryResolution.id),
                                             func.max(LibraryResolution.added_at))).one()
    return n, top or 0, str(latest)


def texts(engine: Engine) -> list[str]:
    """Every paragraph's text, for how adopted resolutions write their words (library/usage.py)."""
    with engine.connect() as conn:
        return list(conn.scalars(select(LibraryParagraph.text)))


def symbols(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(select(LibraryResolution.symbol)))


def dates(engine: Engine) -> list[tuple[str, str | None]]:
    """Every resolution's symbol and date of adoption."""
    with engine.connect() as conn:
        return [(s, d) for s, d in conn.execute(select(LibraryResolution.symbol, LibraryResolution.adopted_on))]


def listing(engine: Engine) -> list[dict[str, Any]]:
    """Every resolution, newest first, with its number of paragraphs."""
    t = LibraryResolution.__table__
    with engine.connect() as conn:
        rows = conn.execute(select(t).order_by(t.c.adopted_on.desc().nulls_last(), t.c.symbol)).all()
        counts = dict(conn.execute(select(LibraryParagraph.resolution_id, func.count())
                                   .group_by(LibraryParagraph.resolution_id)).all())
    return [{"symbol": r.symbol, "title": r.title, "session": r.session, "committee": r.committee,
             "adopted_on": r.adopted_on, "paragraphs": counts.get(r.id, 0)} for r in rows]


def phrase(engine: Engine, words: Sequence[str], limit: int) -> list[Candidate]:
    """Paragraphs holding these words in this order (up to stemming), newest first."""
    with engine.connect() as conn:
        return _index(conn).phrase(conn, words, limit)


def any_group(engine: Engine, groups: Sequence[Sequence[str]], limit: int) -> list[Candidate]:
    """Paragraphs holding every word of at least one group, newest first."""
    with engine.connect() as conn:
        return _index(conn).any_group(conn, groups, limit)
