"""What the Secretariat downloads: a draft, clean or with its changes tracked against the
prior resolution, a revision, or the pending proposals, each change under its author.

I/O at the edge: reads the update log, the amendment records and the revisions, then
hands pure data to compare/ and render/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from penholder.amend import records
from penholder.amend.apply import apply
from penholder.amend.operations import Stale, check, current_state
from penholder.compare import compare
from penholder.compare.authorship import Authorship
from penholder.compare.changes import Author, Comparison
from penholder.ingest import import_path
from penholder.model import Resolution
from penholder.render import EXTENSIONS, FORMATS, MEDIA_TYPES, render
from penholder.store import get_draft
from penholder.store.log import log_data_upto, log_entries
from penholder.store.tables import Amendment, Revision
from penholder.sync.edits import paragraph_texts
from penholder.sync.persistence import load_doc
from penholder.store.replay import apply_all
from penholder.sync.schema import read, roots
from penholder.zero_draft import prior_path

SECRETARIAT = "Secretariat"


class ExportError(LookupError):
    """An unknown draft, revision or baseline (HTTP 404)."""


@dataclass
class Export:
    data: bytes
    filename: str
    media_type: str


def _author(delegation: str | None, at) -> Author:  # type: ignore[no-untyped-def]
    """A delegate's change is its delegation's; staff act for no member state, and what
    they change is the Secretariat's (the technical rollover, a symbol)."""
    if delegation:
        return Author(delegation, at)
    return Author(SECRETARIAT, at, technical=True)


@dataclass
class _Run:
    key: tuple[str, str | None, str | None]  # user, delegation, origin
    author: Author                            # as of its latest update
    start: str | None                         # the paragraph's text before it (None: absent)


def log_authorship(engine: Engine, draft_id: int, after_seq: int) -> Authorship:
    """Authorship of everything the log holds after `after_seq`, paragraph by paragraph:
    a run of updates to one paragraph by one author (a burst of typing) is one step,
    whatever others type in other paragraphs meanwhile. One step per run of the whole
    log, as this was first written, made each delegation's keystroke a step of its own
    while several typed at once: 10,000 such updates took a minute to export."""
    who = Authorship()
    with Session(engine) as db:
        base = log_data_upto(db, draft_id, after_seq) if after_seq else []
        entries = log_entries(db, draft_id, after_seq, 10_000_000)
    doc = Doc()
    apply_all(doc, base)
    _, paragraphs, _ = roots(doc)
    texts = paragraph_texts(doc)  # each paragraph's text as of the last update applied
    runs: dict[str, _Run] = {}
    touched: set[int] = set()     # indexes of paragraphs whose text the update changed
    moved = [False]               # the update added, removed or moved paragraphs

    def seen(events: list[Any]) -> None:
        for ev in events:
            if not ev.path:
                moved[0] = True
            elif len(ev.path) >= 2 and ev.path[1] == "text":
                touched.add(ev.path[0])

    def close(pid: str, run: _Run) -> None:
        end = texts.get(pid)
        who.step(run.author, {} if run.start is None else {pid: run.start}, {} if end is None else {pid: end})

    subscription = paragraphs.observe_deep(seen)
    try:
        for e in entries:
            touched.clear()
            moved[0] = False
            doc.apply_update(e.data)
            if moved[0]:
                now = paragraph_texts(doc)
                changed = {pid: now.get(pid) for pid in now.keys() | texts.keys() if now.get(pid) != texts.get(pid)}
            else:
                changed = {str(paragraphs[i]["id"]): str(paragraphs[i]["text"]) for i in touched}
            key, author = (e.user, e.delegation, e.origin), _author(e.delegation, e.at)
            for pid, text in changed.items():
                run = runs.get(pid)
                if run is not None and run.key != key:
                    close(pid, run)
                    run = None
                if run is None:
                    runs[pid] = _Run(key, author, texts.get(pid))
                else:
                    run.author = author
                if text is None:
                    texts.pop(pid, None)
                else:
                    texts[pid] = text
    finally:
        paragraphs.unobserve(subscription)
    for pid, run in runs.items():
        close(pid, run)
    return who


def current(engine: Engine, draft_id: int, live: Doc | None = None) -> tuple[Resolution, int]:
    if live is not None:
        return read(live), 0
    try:
        doc, seq = load_doc(engine, draft_id)
    except KeyError:
        raise ExportError(f"no draft {draft_id}") from None
    return read(doc), seq


def revision(engine: Engine, draft_id: int, number: int) -> tuple[Resolution, int]:
    with Session(engine) as db:
        rev = db.scalars(select(Revision).where(Revision.draft_id == draft_id, Revision.number == number)).first()
        if rev is None:
            raise ExportError(f"no revision {number} of draft {draft_id}")
        doc = Doc()
        doc.apply_update(rev.state)
        return read(doc), rev.upto_seq


def with_proposals(engine: Engine, draft_id: int, res: Resolution, doc: Doc) -> tuple[Resolution, Authorship]:
    """The draft with every pending, applicable proposal applied, one author each."""
    who = Authorship()
    scratch = Doc()
    scratch.apply_update(doc.get_update())
    with Session(engine) as db:
        names = records.delegation_names(db)
        rows = db.scalars(select(Amendment).where(Amendment.draft_id == draft_id, Amendment.status == "proposed")
                          .order_by(Amendment.number)).all()
        pending = [(a.number, names[a.sponsor_id], a.created_at, records.proposal_of(a)) for a in rows]
    for number, sponsor, at, proposal in pending:
        state = read(scratch)
        try:
            current_state(proposal, state)
            proposal = check(proposal, state)
        except (Stale, ValueError):
            continue  # a stale proposal cannot be shown applied; the compilation lists it
        before = paragraph_texts(scratch)
        with scratch.transaction():
            apply(scratch, proposal, f"proposal-{number}")
        who.step(Author(sponsor, at), before, paragraph_texts(scratch))
    return read(scratch), who


def comparison(engine: Engine, draft_id: int, against: str, live: Doc | None = None) -> Comparison:
    if live is None:
        try:
            live, _ = load_doc(engine, draft_id)
        except KeyError:
            raise ExportError(f"no draft {draft_id}") from None
    new = read(live)
    if against == "proposals":
        proposed, who = with_proposals(engine, draft_id, new, live)
        return compare(new, proposed, who.attribute)
    if (m := re.fullmatch(r"rev:(\d+)", against)):
        old, seq = revision(engine, draft_id, int(m.group(1)))
        return compare(old, new, log_authorship(engine, draft_id, seq).attribute)
    try:
        old = import_path(prior_path(against))
    except LookupError as exc:
        raise ExportError(str(exc)) from None
    if not isinstance(old, Resolution):
        raise ExportError(f"{against} is not a resolution")
    # Seq 1 of a draft is the prior text as adopted; everything after it is a change.
    return compare(old, new, log_authorship(engine, draft_id, 1).attribute)


def filename(symbol: str | None, draft_id: int, tracked: bool, fmt: str) -> str:
    """A_C.1_81_L.12_tracked.docx; a draft not yet issued has no symbol to name it by."""
    issued = symbol and not symbol.endswith("L.__")
    stem = re.sub(r"[^A-Za-z0-9.]+", "_", symbol).strip("_") if issued else f"draft_{draft_id}"
    return f"{stem}{'_tracked' if tracked else ''}{EXTENSIONS[fmt]}"


def export(engine: Engine, draft_id: int, fmt: str, changes: str = "none", against: str | None = None,
           live: bytes | None = None) -> Export:
    """`live`: the open room's encoded state (Rooms.state), read here into a document of
    the export's own; None: the stored one."""
    if fmt not in FORMATS:
        raise ValueError(f"unsupported format {fmt!r}: one of {', '.join(FORMATS)}")
    if changes not in ("none", "tracked"):
        raise ValueError(f"changes must be 'none' or 'tracked', not {changes!r}")
    with Session(engine) as db:
        if get_draft(db, draft_id) is None:
            raise ExportError(f"no draft {draft_id}")
    doc = None
    if live is not None:
        doc = Doc()
        doc.apply_update(live)
    if changes == "tracked":
        if not against:
            raise ValueError("tracked changes need 'against': a prior resolution (A/RES/79/53), rev:N or proposals")
        c = comparison(engine, draft_id, against, doc)
        return Export(render(c, fmt), filename(c.new.heading.symbol, draft_id, True, fmt), MEDIA_TYPES[fmt])
    res, _ = current(engine, draft_id, doc)
    return Export(render(res, fmt), filename(res.heading.symbol, draft_id, False, fmt), MEDIA_TYPES[fmt])


__all__ = ["Export", "ExportError", "comparison", "export"]
