"""The library of adopted resolutions: stored by paragraph, indexed for phrase search in
the database (FTS5 on SQLite, tsvector on PostgreSQL), and searched for agreed language.
See docs/library.md."""

from penholder.library.catalog import (
    Added,
    LibraryError,
    add_files,
    add_resolution,
    ensure_drafts,
    known_dates,
    listing,
)
from penholder.library.search import Query, search

__all__ = ["Added", "LibraryError", "Query", "add_files", "add_resolution", "ensure_drafts",
           "known_dates", "listing", "search"]
