"""`penholder draft new --from A/RES/79/53 | --file PATH`: start a draft."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from penholder.commands.db import add_database_url, one_line
from penholder.ingest import IngestError
from penholder.store.db import display_url, make_engine, migrate
from penholder.store.drafts import secretariat_user_id
from penholder.store.errors import DatabaseError
from penholder.zero_draft import PriorNotFound, create_from_prior, create_from_upload


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("draft", help="start drafts", description="Start drafts.")
    verbs = p.add_subparsers(dest="draft_command", metavar="ACTION")
    verbs.required = True
    new = verbs.add_parser(
        "new",
        help="start a draft from a prior resolution and print its id",
        description="Start the next draft from a prior resolution: import it, apply the "
        "Secretariat's technical rollover, and log both. Prints the new draft's id.",
    )
    source = new.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="symbol", metavar="SYMBOL",
                        help="a prior resolution in drafts/, by symbol (A/RES/79/53)")
    source.add_argument("--file", type=Path, help="a prior resolution's file (.txt, .md, .docx, .pdf)")
    add_database_url(new)
    new.set_defaults(run=run_new)


def run_new(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url)
    try:
        migrate(engine)
        staff_id = secretariat_user_id(engine)
        if args.symbol:
            draft = create_from_prior(engine, args.symbol, staff_id)
        else:
            try:
                data = args.file.read_bytes()
            except OSError as exc:
                raise IngestError(f"{args.file}: cannot read: {exc.strerror or exc}") from None
            draft = create_from_upload(engine, data, args.file.name, staff_id, staff=True)  # the CLI is the operator's
    except (PriorNotFound, IngestError) as exc:
        print(f"penholder draft new: {exc}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(f"penholder draft new: {display_url(args.database_url)}: {one_line(exc)}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(draft.id)
    print(f"penholder: draft {draft.id}, {draft.title} (session {draft.session}), from "
          f"{draft.base_symbol or 'the file as given'}", file=sys.stderr)
    return 0
