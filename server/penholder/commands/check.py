"""`penholder check FILE|DRAFT`: the editorial checks of a resolution (docs/library.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from penholder.commands.db import add_database_url, one_line
from penholder.ingest import IngestError, import_path
from penholder.library import ensure_drafts, known_dates
from penholder.library.catalog import DRAFTS_DIR, files_in
from penholder.library.drafts import DraftNotFound, draft_checks
from penholder.model import Resolution
from penholder.model.checks import check
from penholder.store import make_engine
from penholder.store.db import SchemaOutOfDate, require_current
from penholder.store.errors import DatabaseError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("check", help="editorial checks of a resolution file or a draft",
                       description="Check a resolution against the UN's editorial rules: leads, punctuation, "
                                   "numbering, internal references, footnotes, dates, cited resolutions, "
                                   "quotes and dashes. One line per finding; exit status 1 when there is any.")
    p.add_argument("target", metavar="FILE|DRAFT", help="a file to import, or the number of a draft in the database")
    p.add_argument("--since", type=int, metavar="N",
                   help="(a draft) flag references that moved since revision N (default: the latest revision)")
    p.add_argument("--json", action="store_true", help="print the findings as the API returns them")
    add_database_url(p)
    p.set_defaults(run=run)


def _drafts_dates() -> dict[str, str | None]:
    """Dates of the resolutions in drafts/, when no database is named."""
    out: dict[str, str | None] = {}
    for f in files_in(DRAFTS_DIR):
        try:
            res = import_path(f)
        except IngestError:
            continue
        if isinstance(res, Resolution) and res.heading.is_adopted and res.heading.symbol:
            out[res.heading.symbol.removeprefix("A/RES/")] = res.heading.adopted_on
    return out


def run(args: argparse.Namespace) -> int:
    path = Path(args.target)
    try:
        if path.exists() or not args.target.isdigit():
            res = import_path(path)
            if not isinstance(res, Resolution):
                raise IngestError(f"{path}: a list of proposals, not a resolution")
            # The library of the database when one is named; else the resolutions of drafts/.
            if args.database_url or os.environ.get("PENHOLDER_DATABASE_URL"):
                engine = make_engine(args.database_url)
                require_current(engine)
                ensure_drafts(engine)
                known = known_dates(engine)
            else:
                known = _drafts_dates()
            findings = [f.to_json() for f in check(res, known)]
            source = str(path)
        else:
            engine = make_engine(args.database_url)
            require_current(engine)
            ensure_drafts(engine)
            findings = draft_checks(engine, int(args.target), since=args.since)["findings"]
            source = f"draft {args.target}"
    except (IngestError, DraftNotFound, SchemaOutOfDate) as exc:
        print(f"penholder check: {exc}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(f"penholder check: {one_line(exc)}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"source": source, "findings": findings}, ensure_ascii=False, indent=2))
    else:
        for f in findings:
            print(f"{source}: {f['label']} [{f['span'][0]}:{f['span'][1]}] {f['rule']}: {f['message']}")
        print(f"{len(findings)} findings" if findings else "no findings", file=sys.stderr)
    return 1 if findings else 0
