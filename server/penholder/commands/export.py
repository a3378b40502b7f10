"""`penholder export DRAFT` and `penholder compare A B`."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from penholder import exports
from penholder.commands.db import add_database_url, one_line
from penholder.compare import Comparison, compare, redline
from penholder.ingest import IngestError, import_path
from penholder.model import Resolution
from penholder.render import FORMATS, RenderError
from penholder.store.db import display_url, make_engine, require_current
from penholder.store.errors import DatabaseError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help="write a draft as docx, pdf, html, md or Akoma Ntoso",
                       description="Write a draft in UN document format, clean or with its changes "
                       "tracked (Word revisions by delegation) against a prior resolution, a revision or "
                       "the pending proposals.")
    p.add_argument("draft", type=int, help="the draft's id")
    p.add_argument("--format", choices=FORMATS, default="docx")
    p.add_argument("--changes", choices=["none", "tracked"], default="none")
    p.add_argument("--against", metavar="BASE",
                   help="with --changes tracked: A/RES/79/53 (a prior resolution in drafts/), rev:N, or proposals")
    p.add_argument("--package", action="store_true",
                   help="the submission of the L document as one zip: Word tracked against the official "
                   "A/RES text (a Rev.: against the issued L document), clean Word, PDF, sponsors")
    p.add_argument("-o", "--output", type=Path, help="the file to write (default: the symbol and the basis, "
                   "e.g. A_C.1_81_L.12_tracked_vs_A_RES_79_53.docx, in the current directory)")
    add_database_url(p)
    p.set_defaults(run=run_export)

    c = sub.add_parser("compare", help="print a redline of two versions in the terminal",
                       description="Compare two versions of a resolution and print a redline. A and B are "
                       "files (.txt, .md, .docx, .pdf) or drafts: draft:ID, draft:ID@rev:N. With a basis "
                       "as export --against takes it (A/RES/79/53, rev:N, proposals) and a draft (ID or "
                       "draft:ID), it is the comparison `export --changes tracked --against` writes, each "
                       "change under its author: penholder compare A/RES/79/53 1.")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    c.add_argument("--all", action="store_true", help="show unchanged paragraphs too")
    add_database_url(c)
    c.set_defaults(run=run_compare)


def run_export(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url)
    try:
        require_current(engine)
        if sys.stderr.isatty():
            what = "the submission package" if args.package else args.format
            print(f"penholder: rendering draft {args.draft} as {what}...", file=sys.stderr)
        if args.package:
            out = exports.package(engine, args.draft)
        else:
            out = exports.export(engine, args.draft, args.format, args.changes, args.against)
    except exports.ExportError as exc:
        print(f"penholder export: {exc.args[0]}", file=sys.stderr)
        return 2
    except (ValueError, RenderError, RuntimeError) as exc:
        print(f"penholder export: {exc}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(f"penholder export: {display_url(args.database_url)}: {one_line(exc)}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    path = args.output or Path(out.filename)
    path.write_bytes(out.data)
    print(f"penholder: wrote {path} ({len(out.data):,} bytes)", file=sys.stderr)
    return 0


def _version(ref: str, database_url: str | None) -> Resolution:
    if ref.startswith("draft:"):
        draft, _, rev = ref.removeprefix("draft:").partition("@")
        engine = make_engine(database_url)
        try:
            if rev:
                if not rev.startswith("rev:") or not rev[4:].isdigit():
                    raise ValueError(f"{ref}: expected draft:ID@rev:N")
                return exports.revision(engine, int(draft), int(rev[4:]))[0]
            return exports.current(engine, int(draft))[0]
        finally:
            engine.dispose()
    doc = import_path(ref)
    if not isinstance(doc, Resolution):
        raise IngestError(f"{ref}: a list of proposals, not a resolution")
    return doc


BASIS = re.compile(r"A/RES/\d+/\d+|rev:\d+|proposals")
DRAFT = re.compile(r"(?:draft:)?(\d+)")


def _tracked(basis: str, draft: int, database_url: str | None) -> Comparison:
    """What `export --changes tracked --against BASIS` compares, with its authors."""
    engine = make_engine(database_url)
    try:
        require_current(engine)
        return exports.comparison(engine, draft, basis)
    finally:
        engine.dispose()


def run_compare(args: argparse.Namespace) -> int:
    draft = DRAFT.fullmatch(args.b)
    try:
        if BASIS.fullmatch(args.a) and draft and not Path(args.a).exists():
            c = _tracked(args.a, int(draft.group(1)), args.database_url)
        else:
            c = compare(_version(args.a, args.database_url), _version(args.b, args.database_url))
    except (IngestError, exports.ExportError, ValueError) as exc:
        print(f"penholder compare: {exc.args[0] if isinstance(exc, exports.ExportError) else exc}", file=sys.stderr)
        return 2
    except DatabaseError as exc:
        print(f"penholder compare: {display_url(args.database_url)}: {one_line(exc)}", file=sys.stderr)
        return 2
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    sys.stdout.write(redline(c, color=color, unchanged=args.all) + "\n")
    return 0
