"""`penholder token add | list | revoke`: API tokens for the CLI and scripts, named,
limited to a draft if wanted, with an expiry (docs/security.md)."""

from __future__ import annotations

import argparse

from penholder.auth import issue_token
from penholder.commands.db import add_database_url
from penholder.commands.user import find_user, with_engine
from penholder.store import Engine, accounts, drafts, tokens


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("token", help="API tokens for scripts: add, list, revoke",
                       description="API tokens for the CLI and scripts (docs/security.md).")
    verbs = p.add_subparsers(dest="token_command", metavar="ACTION")
    verbs.required = True
    add = verbs.add_parser("add", help="issue a token and print it (once)",
                           description="Issue an API token for USER (id, email or name) and print it once.")
    add.add_argument("user")
    add.add_argument("--draft", type=int, metavar="ID", help="the token opens this draft only")
    add.add_argument("--expires", type=float, metavar="DAYS", help="valid for DAYS days (default: until revoked)")
    add.add_argument("--name", help="what the token is for, as the token list shows it")
    add_database_url(add)
    add.set_defaults(run=run_token_add)
    ls = verbs.add_parser("list", help="list live tokens (never the secrets)")
    ls.add_argument("user", nargs="?", help="only this user's")
    add_database_url(ls)
    ls.set_defaults(run=run_token_list)
    rv = verbs.add_parser("revoke", help="revoke a token by its id (from token list)")
    rv.add_argument("id", type=int)
    add_database_url(rv)
    rv.set_defaults(run=run_token_revoke)


def run_token_add(args: argparse.Namespace) -> int:
    def work(engine: Engine) -> tuple[str, str]:
        user = find_user(engine, args.user)
        if args.draft is not None and drafts.info(engine, args.draft) is None:
            raise ValueError(f"no draft {args.draft}")
        token = issue_token(engine, user.id, draft_id=args.draft, name=args.name, expires_days=args.expires)
        scope = f"draft {args.draft} only" if args.draft else "every draft the account may open"
        until = f"{args.expires:g} days" if args.expires else "until revoked"
        return token, f"penholder: token for {user.name} ({scope}, {until}); it will not be shown again"

    return with_engine("token add", args.database_url, work)


def run_token_list(args: argparse.Namespace) -> int:
    def work(engine: Engine) -> tuple[str, str]:
        user_id = find_user(engine, args.user).id if args.user else None
        names = accounts.names(engine)
        table = [("ID", "USER", "NAME", "DRAFT", "EXPIRES", "CREATED")] + [
            (str(t.id), names.get(t.user_id, "?"), t.name or "-", str(t.draft_id or "any"),
             t.expires_at.strftime("%Y-%m-%d %H:%M UTC") if t.expires_at else "never",
             t.created_at.strftime("%Y-%m-%d %H:%M UTC")) for t in tokens.live(engine, user_id)]
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in table), ""

    return with_engine("token list", args.database_url, work)


def run_token_revoke(args: argparse.Namespace) -> int:
    def work(engine: Engine) -> tuple[str, str]:
        if not tokens.revoke_id(engine, args.id):
            raise ValueError(f"no live token {args.id}")
        return f"token {args.id} revoked", ""

    return with_engine("token revoke", args.database_url, work)
