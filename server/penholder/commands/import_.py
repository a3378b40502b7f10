"""`penholder import FILE [--json]`: read a prior resolution or a list of proposals."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

# The importer and the model load when a file is read, not for `penholder import --help`.
if TYPE_CHECKING:
    from collections.abc import Mapping

    from penholder.model import Paragraph, ProposalList, Resolution


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "import",
        help="read a resolution or a proposal list (.txt, .md, .docx, .pdf)",
        description="Read a prior resolution (PDF text, Word export, Markdown, .docx, .pdf) or a "
        "delegation's list of proposals, and print its structure.",
    )
    p.add_argument("file", help="the file to read")
    p.add_argument("--json", action="store_true", help="print the document model as JSON (the contract of docs/document-model.md)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress and no warnings on stderr")
    # As commands.db.add_database_url, which is not imported here: it loads SQLAlchemy,
    # and an import without a database should not wait for that.
    p.add_argument("--database-url", metavar="URL",
                   help="the database whose library of adopted resolutions tells how words broken by "
                   "the extraction are written (default: $PENHOLDER_DATABASE_URL, else "
                   "sqlite:///penholder.db if there; none: read without)")
    p.set_defaults(run=run)


def _progress(quiet: bool):  # type: ignore[no-untyped-def]
    if quiet or not sys.stderr.isatty():
        return None
    return lambda message: print(f"penholder: {message}", file=sys.stderr, flush=True)


def _library(url: str | None) -> Mapping[str, int] | None:
    """How the database's library writes its words, as an upload is read by the server;
    None when there is no database or no library. Never creates or changes a database."""
    if not (url or os.environ.get("PENHOLDER_DATABASE_URL") or os.path.exists("penholder.db")):
        return None  # the default database (store.db.DEFAULT_URL) is not here: nothing to load
    from penholder.library.usage import word_usage
    from penholder.store.db import existing_engine
    from penholder.store.errors import DatabaseError

    try:
        engine = existing_engine(url)
        if engine is None:
            return None
        try:
            return word_usage(engine) or None
        finally:
            engine.dispose()
    except DatabaseError:
        return None  # no library tables (not migrated) or unreachable: read as without one


def run(args: argparse.Namespace) -> int:
    import json

    from penholder.ingest import IngestError, import_path

    try:
        doc = import_path(args.file, progress=_progress(args.quiet), library=_library(args.database_url))
    except IngestError as exc:
        print(f"penholder import: {exc}", file=sys.stderr)
        return 2
    # Rendered in full before anything is written, so that a failure prints nothing partial.
    out = json.dumps(doc.to_json(), ensure_ascii=False, indent=2) if args.json else outline(doc)
    sys.stdout.write(out + "\n")
    if not args.json and not args.quiet and doc.warnings:
        for w in doc.warnings:
            print(f"warning: {w}", file=sys.stderr)
    return 0


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def outline(doc: Resolution | ProposalList) -> str:
    import shutil

    from penholder.model import ProposalList

    width = max(60, min(shutil.get_terminal_size((100, 20)).columns, 160))
    lines: list[str] = []
    if isinstance(doc, ProposalList):
        lines.append(f"Proposals: {doc.title or '(untitled)'} ({len(doc.items)} items)")
        for i, item in enumerate(doc.items, 1):
            lines.append(_clip(f"{i:>3}. {item.heading}: {item.text}", width))
        return "\n".join(lines)

    h = doc.heading
    lines.append(f"{h.symbol or '(no symbol)'}  {h.title or '(no title)'}")
    facts = [
        f"session {h.session}" if h.session else None,
        h.committee,
        f"agenda item {h.agenda_item}" if h.agenda_item else None,
        f"adopted {h.adopted_on}" if h.adopted_on else None,
        h.meeting,
    ]
    lines.append("  " + " · ".join(f for f in facts if f))
    if h.sponsors:
        lines.append("  sponsors: " + ", ".join(h.sponsors))
    lines.append("")

    def para(tag: str, p: Paragraph, indent: str = "") -> None:
        body = p.text[len(p.lead):] if p.lead else p.text
        lead = f"[{p.lead}]" if p.lead else ""
        notes = "".join(f" [{r.number}]" for r in p.footnote_refs)
        lines.append(_clip(f"{indent}{tag:<6}{lead}{body}", width - len(notes)) + notes)

    def subs(p: Paragraph, indent: str) -> None:
        for s in p.subparagraphs:
            label = s.id.rsplit(".", 1)[-1]
            para(f"({label})", s, indent)
            subs(s, indent + "  ")

    for i, p in enumerate(doc.preamble, 1):
        para(f"PP{i}", p)
        subs(p, "      ")
    for i, p in enumerate(doc.operative, 1):
        para(f"OP{i}", p)
        subs(p, "      ")
    lines.append("")
    lines.append(f"{len(doc.preamble)} preambular, {len(doc.operative)} operative paragraphs, "
                 f"{len(doc.footnotes)} footnotes")
    reviewed = [p.review.status for p in doc.paragraphs() if p.review]
    if any(s != "exact" for s in reviewed):
        lines.append(f"{reviewed.count('repaired')} paragraphs repaired, {reviewed.count('guessed')} guessed: "
                     "check them (--json gives each paragraph's review notes)")
    for f in doc.footnotes:
        lines.append(_clip(f"  {f.number:>3} {f.text}", width))
    return "\n".join(lines)
