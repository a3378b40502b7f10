"""Dates as the UN writes them: day, month in words, year (2 December 2024)."""

from __future__ import annotations

from datetime import date

from penholder.model.rollover import MONTHS

__all__ = ["MONTHS", "un_date"]


def un_date(iso: str | None) -> str | None:
    """'2024-12-02' -> '2 December 2024'; None for None or a malformed date."""
    if not iso:
        return None
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return None
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
