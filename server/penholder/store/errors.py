"""What a store function raises when a row it was asked about is not there (or not in
the draft it was named with); the domain turns it into its own error, with this text."""

from __future__ import annotations

# What any store function raises when the database itself fails (cannot be reached,
# refuses a statement, is not migrated): SQLAlchemy's base error, named here so that the
# command line reports it without speaking SQLAlchemy (tests/test_sql_boundary.py).
from sqlalchemy.exc import SQLAlchemyError as DatabaseError


class Missing(LookupError):
    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"


class Conflict(Exception):
    """The row is not in the state the change needs (already there, not there any more,
    or written first by another transaction); the text says which."""


__all__ = ["Conflict", "DatabaseError", "Missing"]
