"""The library's paragraph texts as stored, read for how adopted resolutions write their
words (library/usage.py)."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from penholder.store.tables import LibraryParagraph


def version(engine: Engine) -> tuple[int, int]:
    """(how many paragraphs, the highest id): changes whenever a resolution is added or
    replaced, so that what is read from the texts can be kept until then."""
    with engine.connect() as conn:
        count, top = conn.execute(select(func.count(), func.max(LibraryParagraph.id))).one()
    return int(count or 0), int(top or 0)


def texts(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.scalars(select(LibraryParagraph.text)))
