"""`penholder user add | list`: the people who may sign in, and their tokens."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from penholder.auth import create_user, list_users
from penholder.auth.users import check_user
from penholder.commands.db import add_database_url, one_line
from penholder.store.db import display_url, make_engine, require_current


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("user", help="add and list users", description="Add and list users.")
    verbs = p.add_subparsers(dest="user_command", metavar="ACTION")
    verbs.required = True

    add = verbs.add_parser(
        "add",
        help="add a user and print their token",
        description="Add a user and print their sign-in token. The token is shown once only.",
    )
    add.add_argument("name", help="the person's name")
    add.add_argument("--delegation", help="the member state they act for (none for Secretariat staff)")
    add.add_argument(
        "--role",
        required=True,
        help="delegate, penholder, facilitator, secretariat or observer (see docs/roles.md)",
    )
    add_database_url(add)
    add.set_defaults(run=run_add)

    ls = verbs.add_parser("list", help="list users", description="List users (never their tokens).")
    add_database_url(ls)
    ls.set_defaults(run=run_list)


def _with_session(verb: str, url: str | None, work: Callable[[Session], tuple[str, str]]) -> int:
    """Run `work` in one transaction; print its (stdout, stderr) only once committed, so
    that a token is never shown for a user who was not saved."""
    engine = make_engine(url)
    try:
        require_current(engine)
        with Session(engine) as db, db.begin():
            out, err = work(db)
    except (ValueError, RuntimeError) as exc:  # a refused input; no or an old schema
        print(f"penholder user {verb}: {exc}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"penholder user {verb}: {display_url(url)}: {one_line(exc)}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if out:
        print(out)
    if err:
        print(err, file=sys.stderr)
    return 0


def run_add(args: argparse.Namespace) -> int:
    try:  # before opening the database, so a typo is reported as such
        check_user(args.name, args.delegation, args.role)
    except ValueError as exc:
        print(f"penholder user add: {exc}", file=sys.stderr)
        return 2

    def work(db: Session) -> tuple[str, str]:
        user, token = create_user(db, args.name, args.delegation, args.role)
        who = ", ".join(filter(None, [user.delegation.name if user.delegation else None, user.role]))
        # The token alone on stdout, so that `TOKEN=$(penholder user add ...)` works.
        return token, f"penholder: token for {user.name} ({who}); it will not be shown again"

    return _with_session("add", args.database_url, work)


def run_list(args: argparse.Namespace) -> int:
    def work(db: Session) -> tuple[str, str]:
        rows = list_users(db)
        table = [("ID", "NAME", "DELEGATION", "ROLE", "TOKENS", "CREATED")] + [
            (
                str(u.id),
                u.name,
                u.delegation.name if u.delegation else "-",
                u.role,
                str(live),
                u.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            )
            for u, live in rows
        ]
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table]
        return "\n".join(lines), ""

    return _with_session("list", args.database_url, work)
