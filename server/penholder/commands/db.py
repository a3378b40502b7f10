"""`penholder db upgrade`: create or update the tables (Alembic `upgrade head`)."""

from __future__ import annotations

import argparse
import sys

from penholder.store.db import display_url, migrate
from penholder.store.errors import DatabaseError


def add_database_url(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--database-url",
        metavar="URL",
        help="SQLAlchemy URL (default: $PENHOLDER_DATABASE_URL, else sqlite:///penholder.db)",
    )


def one_line(exc: BaseException) -> str:
    """The first line of a database error, without SQLAlchemy's trailer."""
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("db", help="manage the database", description="Manage the database.")
    verbs = p.add_subparsers(dest="db_command", metavar="ACTION")
    verbs.required = True
    up = verbs.add_parser(
        "upgrade",
        help="create or update the tables to this version",
        description="Create the tables, or bring them up to this version of penholder.",
    )
    add_database_url(up)
    up.set_defaults(run=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    try:
        revision = migrate(args.database_url)
    except (DatabaseError, RuntimeError) as exc:
        print(f"penholder db upgrade: {display_url(args.database_url)}: {one_line(exc)}", file=sys.stderr)
        return 2
    print(f"{display_url(args.database_url)} is at revision {revision} (head)")
    return 0
