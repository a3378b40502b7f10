"""`penholder amend import | list | accept | reject | reopen | withdraw`: amendments from
the command line, through a running server's REST API, so that the server stays the one
writer of the live document and every action is made under the token's own name."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx

DEFAULT_SERVER = "http://127.0.0.1:8000"


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--draft", type=int, required=True, help="the draft's id")
    p.add_argument("--server", default=os.environ.get("PENHOLDER_SERVER", DEFAULT_SERVER),
                   help=f"the Penholder server (default $PENHOLDER_SERVER, else {DEFAULT_SERVER})")
    p.add_argument("--token", default=os.environ.get("PENHOLDER_TOKEN"),
                   help="your token (default $PENHOLDER_TOKEN)")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("amend", help="file, list and decide amendments (through a server)",
                       description="File, list and decide amendments through a running server.")
    verbs = p.add_subparsers(dest="amend_command", metavar="ACTION")
    verbs.required = True

    imp = verbs.add_parser("import", help="file each item of a list of proposals as a new operative paragraph",
                           description="File each item of a delegation's list of proposals as a proposed new "
                           "operative paragraph, with the item's heading as the rationale.")
    imp.add_argument("file", type=Path)
    imp.add_argument("--delegation", required=True, help="the delegation filing them: must be your token's")
    _common(imp)
    imp.set_defaults(run=run_import)

    ls = verbs.add_parser("list", help="list a draft's amendments")
    ls.add_argument("--status", choices=["proposed", "accepted", "rejected", "withdrawn", "superseded"])
    ls.add_argument("--sponsor", help="amendments this delegation sponsors or supports")
    ls.add_argument("--json", action="store_true", help="print the JSON of the API")
    _common(ls)
    ls.set_defaults(run=run_list)

    for action, what in (("accept", "accept an amendment (facilitator); applies it to the text"),
                         ("reject", "reject an amendment (facilitator)"),
                         ("reopen", "reopen a rejected, withdrawn or superseded amendment (facilitator)"),
                         ("withdraw", "withdraw your delegation's amendment")):
        v = verbs.add_parser(action, help=what, description=what[0].upper() + what[1:] + ".")
        v.add_argument("number", type=int, help="the amendment's number in the draft")
        v.add_argument("--note", help="why (kept in the amendment's history)")
        _common(v)
        v.set_defaults(run=run_action, action=action)


class Refused(Exception):
    pass


def _client(args: argparse.Namespace) -> httpx.Client:
    if not args.token:
        raise Refused("no token: pass --token or set PENHOLDER_TOKEN")
    return httpx.Client(base_url=args.server, headers={"Authorization": f"Bearer {args.token}"}, timeout=120)


def _check(r: httpx.Response) -> Any:
    if r.is_success:
        return r.json()
    try:
        message = r.json().get("error", r.text)
    except ValueError:
        message = r.text
    raise Refused(f"{r.status_code}: {message}")


def _guard(verb: str, fn) -> int:  # type: ignore[no-untyped-def]
    try:
        return fn()
    except Refused as exc:
        print(f"penholder amend {verb}: {exc}", file=sys.stderr)
        return 2
    except httpx.HTTPError as exc:
        print(f"penholder amend {verb}: cannot reach the server: {exc}", file=sys.stderr)
        return 2


def run_import(args: argparse.Namespace) -> int:
    def work() -> int:
        try:
            data = args.file.read_bytes()
        except OSError as exc:
            raise Refused(f"{args.file}: cannot read: {exc.strerror or exc}") from None
        with _client(args) as c:
            print(f"penholder: filing the proposals of {args.file.name} as {args.delegation}...", file=sys.stderr)
            result = _check(c.post(f"/api/drafts/{args.draft}/amendments/import",
                                   files={"file": (args.file.name, data)}, data={"delegation": args.delegation}))
        for a in result["filed"]:
            print(f"{a['number']:>4}  {a['sponsor']}  {a['rationale']}")
        print(f"penholder: {len(result['filed'])} proposals filed", file=sys.stderr)
        return 0
    return _guard("import", work)


def _find(c: httpx.Client, draft: int, number: int) -> dict[str, Any]:
    rows = _check(c.get(f"/api/drafts/{draft}/amendments"))["amendments"]
    for a in rows:
        if a["number"] == number:
            return a
    raise Refused(f"no amendment {number} in draft {draft}")


def run_list(args: argparse.Namespace) -> int:
    def work() -> int:
        params = {k: v for k, v in (("status", args.status), ("sponsor", args.sponsor)) if v}
        with _client(args) as c:
            rows = _check(c.get(f"/api/drafts/{args.draft}/amendments", params=params))["amendments"]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
            return 0
        for a in rows:
            support = f", supported by {', '.join(x['delegation'] for x in a['cosponsors'])}" if a["cosponsors"] else ""
            stale = "  STALE" if a.get("stale") else ""
            print(f"{a['number']:>4}  {a['status']:<10} {a['paragraph'] or '':<8} {a['sponsor']}{support}: "
                  f"{a['summary']}{stale}")
        return 0
    return _guard("list", work)


def run_action(args: argparse.Namespace) -> int:
    def work() -> int:
        with _client(args) as c:
            a = _find(c, args.draft, args.number)
            done = _check(c.post(f"/api/amendments/{a['id']}/{args.action}", json={"note": args.note}))
        print(f"amendment {done['number']} ({done['sponsor']}): {done['status']}")
        return 0
    return _guard(args.action, work)
