"""`penholder library add|search|list`: the library of adopted resolutions (docs/library.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from penholder.commands.db import add_database_url, one_line
from penholder.store.errors import Conflict, DatabaseError
from penholder.library import LibraryError, Query, add_files, ensure_drafts, listing, search
from penholder.library.catalog import DRAFTS_DIR
from penholder.store import make_engine
from penholder.store.db import SchemaOutOfDate, require_current


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("library", help="the library of adopted resolutions: add, search, list",
                       description="Adopted resolutions, stored by paragraph and indexed for phrase "
                                   "search: where was this language agreed?")
    verbs = p.add_subparsers(dest="library_command", metavar="ACTION")
    verbs.required = True
    add = verbs.add_parser("add", help="add resolutions from files or directories",
                           description="Import adopted resolutions (.txt, .md, .docx, .pdf; a directory is "
                                       "searched for them) into the library. A symbol already there is "
                                       f"replaced. Without a path, the resolutions of {DRAFTS_DIR.name}/.")
    add.add_argument("paths", nargs="*", metavar="FILE|DIR", type=Path)
    add.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    add_database_url(add)
    add.set_defaults(run=run_add)
    find = verbs.add_parser("search", help="find where a phrase was agreed",
                            description="The library paragraphs holding a phrase exactly, then nearly "
                                        "(word-level similarity), with symbol, date and paragraph label.")
    find.add_argument("phrase")
    find.add_argument("-n", "--limit", type=int, default=20, help="results at most (default 20)")
    find.add_argument("--min-similarity", type=float, default=0.7, metavar="S",
                      help="near matches from this similarity (0.3 to 1; 1 = exact only; default 0.7)")
    find.add_argument("--json", action="store_true", help="print the answer as the API returns it")
    add_database_url(find)
    find.set_defaults(run=run_search)
    ls = verbs.add_parser("list", help="the resolutions in the library", description="List the library.")
    add_database_url(ls)
    ls.set_defaults(run=run_list)


def _engine(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    engine = make_engine(args.database_url)
    require_current(engine)
    return engine


def _fail(verb: str, exc: BaseException) -> int:
    message = one_line(exc) if isinstance(exc, DatabaseError) else str(exc)
    print(f"penholder library {verb}: {message}", file=sys.stderr)
    return 2


def run_add(args: argparse.Namespace) -> int:
    progress = None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    try:
        engine = _engine(args)
        paths = args.paths or [DRAFTS_DIR]
        missing = [p for p in paths if not p.exists()]
        if missing:
            raise LibraryError(f"no such file or directory: {', '.join(map(str, missing))}")
        added, failed = add_files(engine, paths, progress)
    except (SchemaOutOfDate, DatabaseError, LibraryError, Conflict) as exc:
        return _fail("add", exc)
    print(f"{len(added)} resolutions added ({sum(a.replaced for a in added)} replaced), {len(failed)} skipped")
    return 1 if failed else 0


def run_search(args: argparse.Namespace) -> int:
    try:
        engine = _engine(args)
        ensure_drafts(engine)
        answer = search(engine, Query(args.phrase, args.limit, args.min_similarity))
    except (SchemaOutOfDate, DatabaseError, LibraryError, Conflict) as exc:
        return _fail("search", exc)
    if args.json:
        print(json.dumps(answer, ensure_ascii=False, indent=2))
        return 0
    for r in answer["results"]:
        how = "exact" if r["match"] == "exact" else f"near {r['similarity']:.2f}"
        print(f"{r['symbol']} of {r['date'] or 'unknown date'}, {r['label']} ({how}): {r['sentence']}")
    if not answer["results"]:
        print("no resolution in the library holds this phrase", file=sys.stderr)
    return 0


def run_list(args: argparse.Namespace) -> int:
    try:
        engine = _engine(args)
        ensure_drafts(engine)
        rows = listing(engine)
    except (SchemaOutOfDate, DatabaseError, LibraryError, Conflict) as exc:
        return _fail("list", exc)
    for r in rows:
        print(f"{r['symbol']:<16} {r['adopted_on'] or '':<10}  {r['paragraphs']:>3} paragraphs  {r['title'] or ''}")
    return 0
