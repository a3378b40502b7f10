"""What a store function raises when a row it was asked about is not there (or not in
the draft it was named with); the domain turns it into its own error, with this text."""

from __future__ import annotations


class Missing(LookupError):
    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"


class Conflict(Exception):
    """The row is not in the state the change needs (already there, not there any more,
    or written first by another transaction); the text says which."""
