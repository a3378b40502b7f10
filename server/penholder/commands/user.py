"""`penholder user add | list | appoint` and `penholder token add | list | revoke`: the
people who may sign in, the drafts they facilitate, and their API tokens."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from penholder.auth import list_users
from penholder.auth.links import INVITE, link_url, new_link
from penholder.auth.roles import Kind, Relation
from penholder.auth.tokens import new_token
from penholder.auth.users import add_account, appoint, check_account, legacy_kind
from penholder.commands.db import add_database_url, one_line
from penholder.store import Engine
from penholder.store import accounts
from penholder.store.accounts import Account
from penholder.store.db import display_url, make_engine, require_current
from penholder.store.errors import Conflict, DatabaseError, Missing


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("user", help="add and list users", description="Add and list users.")
    verbs = p.add_subparsers(dest="user_command", metavar="ACTION")
    verbs.required = True

    add = verbs.add_parser(
        "add",
        help="add a user and print a one-time sign-in link",
        description="Add a user and print a one-time sign-in link (valid 7 days) that signs the "
        "person in and asks for a password; --token also prints an API token. Both are shown once only.",
    )
    add.add_argument("name", help="the person's name")
    add.add_argument("--delegation", help="the member state (or observer) they act for; none for Secretariat staff")
    add.add_argument("--email", help="their email address (to sign in with, and for password resets)")
    add.add_argument("--kind", choices=[k.value for k in Kind],
                     help="kind of account (default: delegate with --delegation, else secretariat)")
    add.add_argument("--focal-point", action="store_true", help="the delegation's focal point: invites colleagues")
    add.add_argument("--token", action="store_true", help="also print an API token (for scripts)")
    add.add_argument("--role", help="a global role of before (penholder: main sponsor of every existing draft; "
                     "facilitator: appointed to every existing draft); see docs/roles.md")
    add.add_argument("--url", default=os.environ.get("PENHOLDER_PUBLIC_URL", "http://127.0.0.1:8000"),
                     help="the address people open the server at (default: $PENHOLDER_PUBLIC_URL or %(default)s)")
    add_database_url(add)
    add.set_defaults(run=run_add)

    app = verbs.add_parser("appoint", help="appoint a facilitator of a draft",
                           description="Appoint a user (id, name or email) facilitator of one draft.")
    app.add_argument("user")
    app.add_argument("--draft", type=int, required=True, metavar="ID")
    add_database_url(app)
    app.set_defaults(run=run_appoint)

    ls = verbs.add_parser("list", help="list users", description="List users (never their tokens).")
    add_database_url(ls)
    ls.set_defaults(run=run_list)


def with_engine(verb: str, url: str | None, work: Callable[[Engine], tuple[str, str]]) -> int:
    """Run `work` on the database; print its (stdout, stderr) only once it returned, so
    that a token is never shown for a user who was not saved (the store commits what
    belongs together in one transaction)."""
    engine = make_engine(url)
    try:
        require_current(engine)
        out, err = work(engine)
    except (ValueError, RuntimeError, Missing, Conflict) as exc:  # a refused input; no or an old schema
        print(f"penholder {verb}: {exc}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(f"penholder {verb}: {display_url(url)}: {one_line(exc)}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    if out:
        print(out)
    if err:
        print(err, file=sys.stderr)
    return 0


def _kind(args: argparse.Namespace) -> str:
    if args.role:
        return legacy_kind(args.role, args.delegation)[0].value
    return args.kind or (Kind.DELEGATE.value if args.delegation else Kind.SECRETARIAT.value)


def run_add(args: argparse.Namespace) -> int:
    try:  # before opening the database, so a typo is reported as such
        check_account(args.name, args.delegation, _kind(args), args.email)
    except ValueError as exc:
        print(f"penholder user add: {exc}", file=sys.stderr)
        return 2

    def work(engine: Engine) -> tuple[str, str]:
        relation = legacy_kind(args.role, args.delegation)[1] if args.role else Relation.NONE
        token, new = "", None
        if args.role or args.token:  # a global role of before comes with a token
            token, new = new_token(name=None if args.role else "penholder user add")
        secret, invitation = new_link(INVITE)
        user = add_account(engine, args.name, args.delegation, _kind(args), email=args.email,
                           focal_point=args.focal_point, relation=relation, token=new, link=invitation)
        link = link_url(args.url, secret)
        who = ", ".join(filter(None, [user.delegation, user.kind]))
        # The link first and the token (if any) last, alone on its line: `| tail -1` gives it.
        out = "\n".join(filter(None, [link, token]))
        return out, (f"penholder: one-time sign-in link for {user.name} ({who}), valid 7 days"
                     + ("; the token" if token else "") + " will not be shown again")

    return with_engine("user add", args.database_url, work)


def find_user(engine: Engine, ref: str) -> Account:
    """A user by id, email or (unique) name."""
    found = accounts.matching(engine, ref)
    if len(found) != 1:
        raise ValueError(f"no user {ref!r}" if not found else f"two users are called {ref!r}: give the id")
    return found[0]


def run_appoint(args: argparse.Namespace) -> int:
    def work(engine: Engine) -> tuple[str, str]:
        user = find_user(engine, args.user)
        _, fresh = appoint(engine, args.draft, user.id, None)
        return f"{user.name} {'is now' if fresh else 'was already'} a facilitator of draft {args.draft}", ""

    return with_engine("user appoint", args.database_url, work)


def run_list(args: argparse.Namespace) -> int:
    def work(engine: Engine) -> tuple[str, str]:
        rows = list_users(engine)
        table = [("ID", "NAME", "DELEGATION", "KIND", "TOKENS", "CREATED")] + [
            (
                str(u.id),
                u.name,
                u.delegation or "-",
                u.kind + (" (focal point)" if u.focal_point else ""),
                str(live),
                u.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            )
            for u, live in rows
        ]
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table]
        return "\n".join(lines), ""

    return with_engine("user list", args.database_url, work)

