"""`penholder serve`: the web server (REST API and live drafts)."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys

from penholder.auth import create_user
from penholder.auth.links import SIGNIN, issue_link, link_url
from penholder.commands.db import add_database_url, one_line
from penholder.store import accounts, drafts
from penholder.store.db import display_url, make_engine, migrate
from penholder.store.errors import DatabaseError
from penholder.zero_draft import create_from_prior

DEMO_PRIOR = "A/RES/79/53"
DEMO_USERS = [  # name, delegation, role
    ("Amira Haddad", "Egypt", "penholder"),
    ("Lucie Martin", "France", "penholder"),
    ("Kwame Mensah", "Ghana", "delegate"),
    ("Sofia Costa", "Brazil", "delegate"),
    ("Facilitator", None, "facilitator"),
    ("Secretariat officer", None, "secretariat"),
    ("Observer", "Holy See", "observer"),
]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("serve", help="run the web server",
                       description="Run the REST API and the live-draft websocket server. "
                       "Creates or upgrades the database first.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    add_database_url(p)
    p.add_argument("--demo", action="store_true",
                   help=f"seed the zero draft from {DEMO_PRIOR} if there is no draft, and print "
                   "a one-time sign-in link for each demo user of a few delegations")
    p.add_argument("--redis-url", default=os.environ.get("PENHOLDER_REDIS_URL"), metavar="URL",
                   help="Redis for several server processes on one database: edits and presence "
                   "reach the clients of every process (default: $PENHOLDER_REDIS_URL; none: one process)")
    p.add_argument("--snapshot-every", type=int, default=1000, metavar="N",
                   help="cut a snapshot of a draft every N logged updates (default 1000), and when "
                   "its last client leaves")
    p.add_argument("--filing-limit", default=os.environ.get("PENHOLDER_FILING_LIMIT", "300/3600"),
                   metavar="COUNT/SECONDS",
                   help="at most COUNT amendments per delegation in any SECONDS, on all drafts; more "
                   "are refused with 429 (default: $PENHOLDER_FILING_LIMIT or 300/3600)")
    p.add_argument("--max-connections", type=int, default=2000, metavar="N",
                   help="open connections and requests at once (websockets included); beyond it "
                   "new requests get 503 (default 2000)")
    p.add_argument("--idle-timeout", type=int, default=5, metavar="SECONDS",
                   help="close a kept-alive HTTP connection idle this long (default 5)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.set_defaults(run=run)


def seed_demo(engine, base_url: str) -> list[str]:  # type: ignore[no-untyped-def]
    lines = []
    staff_id = drafts.secretariat_user_id(engine)
    has_draft = bool(drafts.every(engine))
    if not has_draft:
        draft = create_from_prior(engine, DEMO_PRIOR, staff_id)
        lines.append(f"zero draft {draft.id}: {draft.title}, session {draft.session}, from {DEMO_PRIOR}")
    draft_id = min(d.id for d in drafts.every(engine))
    for name, delegation, role in DEMO_USERS:
        user = accounts.by_name(engine, name) or create_user(engine, name, delegation, role)[0]
        link = link_url(base_url, issue_link(engine, user.id, SIGNIN))
        who = f"{delegation or 'UN'} {role}"
        lines.append(f"  {who:<22} {name:<20} {link}")
    lines.insert(0 if has_draft else 1, "demo users: open a link to sign in (each works once, for a day; new at "
                 "each start):")
    lines.append(f"scripts: TOKEN=$(penholder token add 'Lucie Martin' --draft {draft_id} --expires 1); "
                 f"curl -H \"Authorization: Bearer $TOKEN\" {base_url}/api/drafts/{draft_id}")
    return lines


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from penholder.amend.service import FilingLimit
    from penholder.web import create_app
    from penholder.web.logs import RedactTokens
    from penholder.web.ws import MAX_MESSAGE, UVICORN_WS

    try:
        filing_limit = FilingLimit.parse(args.filing_limit)
    except ValueError as exc:
        print(f"penholder serve: --filing-limit: {exc}", file=sys.stderr)
        return 2
    if args.max_connections < 1 or args.idle_timeout < 1:
        print("penholder serve: --max-connections and --idle-timeout must be at least 1", file=sys.stderr)
        return 2

    engine = make_engine(args.database_url)
    try:
        migrate(engine)
        if args.demo:
            for line in seed_demo(engine, f"http://{args.host}:{args.port}"):
                print(line, flush=True)
    except DatabaseError as exc:
        print(f"penholder serve: {display_url(args.database_url)}: {one_line(exc)}", file=sys.stderr)
        return 2
    print(f"penholder: serving {display_url(args.database_url)} on http://{args.host}:{args.port}",
          file=sys.stderr, flush=True)
    if args.snapshot_every < 1:
        print("penholder serve: --snapshot-every must be at least 1", file=sys.stderr)
        return 2
    app = create_app(engine, snapshot_every=args.snapshot_every, redis_url=args.redis_url,
                     filing_limit=filing_limit)
    # Bounds on what a client may hold: idle kept-alive connections are closed, a request
    # head is at most 64 kB (h11 named, so that the bound holds whatever else is
    # installed), and past --max-connections new requests get 503. (A request body that
    # stops arriving is timed out by the app: web.limits.)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level, http="h11", ws=UVICORN_WS,
                            ws_max_size=MAX_MESSAGE + 1024, ws_ping_interval=20,
                            ws_ping_timeout=20, ws_per_message_deflate=False, lifespan="on",
                            timeout_keep_alive=args.idle_timeout, h11_max_incomplete_event_size=64 * 1024,
                            limit_concurrency=args.max_connections, timeout_graceful_shutdown=10,
                            server_header=False)
    server = uvicorn.Server(config)  # logging is configured by Config; filter after it
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addFilter(RedactTokens())
    # What exists now (modules, the app, the engine: ~100,000 objects) lives as long as
    # the process. Moved out of the collector's view, it is no longer walked by each full
    # collection, which a long-running server makes now and then: 45 ms with it, under
    # 1 ms without (measured on a started app), a pause every room would feel.
    gc.collect()
    gc.freeze()
    server.run()
    return 0
