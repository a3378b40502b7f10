"""What the Secretariat downloads: a draft, clean or with its changes tracked against the
prior resolution, a revision, or the pending proposals, each change under its author.

I/O at the edge: reads the update log (who made each change: log_authors.py), the
amendment records and the revisions, then hands pure data to compare/ and render/.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from dataclasses import dataclass
from datetime import date, datetime, timezone

from pycrdt import Doc

from penholder.store import issues
from penholder.amend.sponsors import listing as sponsor_listing
from penholder.amend.apply import apply
from penholder.amend.operations import Proposal, Stale, check, current_state
from penholder.compare import compare
from penholder.compare.authorship import Authorship
from penholder.compare.changes import Author, Comparison
from penholder.ingest import import_path
from penholder.model import ProposalList, Resolution
from penholder.render import EXTENSIONS, FORMATS, MEDIA_TYPES, render
from penholder.render.ast import sponsor_order
from penholder.store import Engine
from penholder.store import amendments as stored_amendments
from penholder.store import drafts as stored_drafts
from penholder.store import log as stored_log
from penholder.store import revisions as stored_revisions
from penholder.store import comments as stored_comments
from penholder.render.word_comments import Note, Thread
from penholder.sync.edits import paragraph_texts
from penholder.sync.persistence import load_doc
from penholder.store.replay import apply_all
from penholder.log_authors import SECRETARIAT, log_authorship
from penholder.sync.schema import read, roots
from penholder.zero_draft import prior_path


class ExportError(LookupError):
    """An unknown draft, revision or baseline (HTTP 404)."""


@dataclass
class Export:
    data: bytes
    filename: str
    media_type: str


def footnote_keys(doc: Doc) -> dict[int, str]:
    """Footnote number (order of first reference, as sync.schema.read numbers them) ->
    the key of its text in the authorship (`fn:<footnote id>`)."""
    _, paragraphs, _ = roots(doc)
    out: dict[int, str] = {}
    seen: set[str] = set()
    for p in paragraphs:
        for insert, _attrs in p["text"].diff():
            if isinstance(insert, dict) and "footnote" in insert:
                fid = str(insert["footnote"])
                if fid not in seen:
                    seen.add(fid)
                    out[len(out) + 1] = f"fn:{fid}"
    return out


def attribution(who: Authorship, doc: Doc):  # type: ignore[no-untyped-def]
    """`who.attribute`, with the footnotes of `doc` (compare names them `footnote:N`)."""
    keys = footnote_keys(doc)

    def attribute(paragraph_id: str, kind: str, text: str) -> Author | None:
        if paragraph_id.startswith("footnote:"):
            paragraph_id = keys.get(int(paragraph_id[len("footnote:"):]), paragraph_id)
        return who.attribute(paragraph_id, kind, text)
    return attribute


def current(engine: Engine, draft_id: int, live: Doc | None = None) -> tuple[Resolution, int]:
    if live is not None:
        return read(live), 0
    try:
        doc, seq = load_doc(engine, draft_id)
    except KeyError:
        raise ExportError(f"no draft {draft_id}") from None
    return read(doc), seq


def revision(engine: Engine, draft_id: int, number: int) -> tuple[Resolution, int]:
    frozen = stored_revisions.frozen(engine, draft_id, number)
    if frozen is None:
        raise ExportError(f"no revision {number} of draft {draft_id}")
    state, upto_seq = frozen
    doc = Doc()
    doc.apply_update(state)
    return read(doc), upto_seq


def as_of(engine: Engine, draft_id: int, seq: int) -> Resolution:
    """The draft's text as the log had it at `seq` (an issued document's text)."""
    data = stored_log.data_upto(engine, draft_id, seq)
    doc = Doc()
    apply_all(doc, data)
    return read(doc)


def with_proposals(engine: Engine, draft_id: int, res: Resolution, doc: Doc) -> tuple[Resolution, Authorship]:
    """The draft with every pending, applicable proposal applied, one author each."""
    who = Authorship()
    scratch = Doc()
    scratch.apply_update(doc.get_update())
    pending = [(number, sponsor, at, Proposal(*fields))
               for number, sponsor, at, fields in stored_amendments.pending(engine, draft_id)]
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


def prior_text(symbol: str) -> Resolution | ProposalList:
    """A prior resolution as imported from drafts/, a fresh copy each time (the render
    works on copies, but a caller may not). Importing A/RES/79/53 took a fifth of a
    tracked export; the file changes only when someone replaces it, which its size and
    time of change tell."""
    path = prior_path(symbol)
    st = path.stat()
    return copy.deepcopy(_imported(path, st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=16)
def _imported(path: Path, _mtime_ns: int, _size: int) -> Resolution | ProposalList:
    return import_path(path)


def fallback_author(engine: Engine, draft_id: int, against: str) -> Author:
    """Who made what the log does not explain. A draft's log starts from the text it was
    rolled over from, so against any other text (an earlier resolution) the difference
    is what the General Assembly changed in adopting that text, dated the day it did;
    otherwise the Secretariat, which set the draft up, when it did."""
    draft = stored_drafts.info(engine, draft_id)
    base = draft.base_symbol if draft is not None else None
    if base and against not in (base, "proposals") and not against.startswith("rev:"):
        try:
            adopted = prior_text(base)
        except LookupError:
            adopted = None
        if isinstance(adopted, Resolution) and adopted.heading.adopted_on:
            at = datetime.fromisoformat(adopted.heading.adopted_on).replace(tzinfo=timezone.utc)
            return Author(f"General Assembly ({base})", at)
    return Author(SECRETARIAT, draft.created_at if draft is not None else None, technical=True)


def comparison(engine: Engine, draft_id: int, against: str, live: Doc | None = None) -> Comparison:
    if live is None:
        try:
            live, _ = load_doc(engine, draft_id)
        except KeyError:
            raise ExportError(f"no draft {draft_id}") from None
    new = read(live)
    fallback = fallback_author(engine, draft_id, against)
    if against == "proposals":
        proposed, who = with_proposals(engine, draft_id, new, live)
        return compare(new, proposed, who.attribute, fallback=fallback)
    if (m := re.fullmatch(r"rev:(\d+)", against)):
        old, seq = revision(engine, draft_id, int(m.group(1)))
        return compare(old, new, attribution(log_authorship(engine, draft_id, seq), live),
                       fallback=fallback)
    if (issued := issues.issue_of(engine, draft_id, against)) is not None:
        old = as_of(engine, draft_id, issued.upto_seq)
        return compare(old, new, attribution(log_authorship(engine, draft_id, issued.upto_seq), live),
                       fallback=fallback)
    try:
        old = prior_text(against)
    except LookupError as exc:
        raise ExportError(str(exc)) from None
    if not isinstance(old, Resolution):
        raise ExportError(f"{against} is not a resolution")
    # Seq 1 of a draft is the prior text as adopted; everything after it is a change.
    return compare(old, new, attribution(log_authorship(engine, draft_id, 1), live),
                   fallback=fallback)


def comment_threads(engine: Engine, draft_id: int) -> list[Thread]:
    """The draft's comment threads as a tracked .docx carries them: each comment under
    its delegation (a staff member's under the Secretariat), dated when it was posted;
    a thread on a proposal anchored on the proposal drawn applied (a compilation), else
    on the paragraph it added once accepted, the paragraph it changes, or the one it
    would follow."""
    rows = stored_comments.of_draft(engine, draft_id)
    proposals = {a.id: a for a in stored_amendments.of_draft(engine, draft_id)}
    threads: dict[int, Thread] = {}
    for c in rows:
        note = Note(c.delegation or SECRETARIAT, c.at, c.text)
        if c.thread_id is not None:
            if c.thread_id in threads:
                threads[c.thread_id].notes.append(note)
            continue
        if c.amendment_id is not None and (a := proposals.get(c.amendment_id)) is not None:
            position = a.field("position") or ""
            after = position.removeprefix("after:") if position.startswith("after:") else None
            anchors = [f"proposal-{a.number}", f"am{draft_id}-{a.number}", a.field("paragraph_id"), after]
        else:
            anchors = [c.paragraph_id]
        threads[c.id] = Thread([x for x in anchors if x], [note], c.resolved_at is not None)
    return list(threads.values())


def _stem(symbol: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "_", symbol).strip("_")


def basis_suffix(against: str | None) -> str:
    """`_vs_A_RES_79_53`, `_vs_Rev.1`, `_vs_zero_draft`, `_vs_A_C.1_81_L.12`; against the
    pending proposals the file is the draft with them, `_with_proposals`."""
    if not against:
        return ""
    if against == "proposals":
        return "_with_proposals"
    if (m := re.fullmatch(r"rev:(\d+)", against)):
        return "_vs_zero_draft" if m.group(1) == "0" else f"_vs_Rev.{m.group(1)}"
    return "_vs_" + _stem(against)


def filename(symbol: str | None, draft_id: int, tracked: bool, fmt: str, against: str | None = None) -> str:
    """A_C.1_81_L.12_tracked_vs_A_RES_79_53.docx; a draft not yet issued has no symbol to
    name it by (draft_7_tracked_vs_Rev.1.docx)."""
    issued = symbol and not symbol.endswith("L.__")
    stem = _stem(symbol) if issued else f"draft_{draft_id}"
    changes = "_tracked" + basis_suffix(against) if tracked else ""
    return f"{stem}{changes}{EXTENSIONS[fmt]}"


def issue_date(engine: Engine, draft_id: int, symbol: str | None) -> date | None:
    """The date the draft's current symbol was issued (None before it is: the masthead
    of a working draft then says today)."""
    found = issues.issue_of(engine, draft_id, symbol)
    return found.issued_on if found else None


def export(engine: Engine, draft_id: int, fmt: str, changes: str = "none", against: str | None = None,
           live: bytes | None = None, comments: bool = True) -> Export:
    """`live`: the open room's encoded state (Rooms.state), read here into a document of
    the export's own; None: the stored one. `comments`: a tracked .docx carries the
    draft's comment threads as Word comments (a clean document never does)."""
    if fmt not in FORMATS:
        raise ValueError(f"unsupported format {fmt!r}: one of {', '.join(FORMATS)}")
    if changes not in ("none", "tracked"):
        raise ValueError(f"changes must be 'none' or 'tracked', not {changes!r}")
    if stored_drafts.info(engine, draft_id) is None:
        raise ExportError(f"no draft {draft_id}")
    doc = None
    if live is not None:
        doc = Doc()
        doc.apply_update(live)
    if changes == "tracked":
        if not against:
            raise ValueError("tracked changes need 'against': a prior resolution (A/RES/79/53), rev:N, "
                             "an issued symbol of the draft, or proposals")
        c = comparison(engine, draft_id, against, doc)
        symbol = c.new.heading.symbol if against != "proposals" else c.old.heading.symbol
        threads = comment_threads(engine, draft_id) if comments and fmt == "docx" else []
        data = render(c, fmt, issued=issue_date(engine, draft_id, symbol), compilation=against == "proposals",
                      comments=threads)
        return Export(data, filename(symbol, draft_id, True, fmt, against), MEDIA_TYPES[fmt])
    res, _ = current(engine, draft_id, doc)
    data = render(res, fmt, issued=issue_date(engine, draft_id, res.heading.symbol))
    return Export(data, filename(res.heading.symbol, draft_id, False, fmt), MEDIA_TYPES[fmt])


def package_basis(engine: Engine, draft_id: int, symbol: str | None) -> str:
    """What a submission is tracked against: for a revised draft (…/Rev.N) the document
    it revises as issued; otherwise the official A/RES text the draft started from."""
    if symbol and "/Rev." in symbol:
        before = issues.issued_before(engine, draft_id, symbol)
        if before is not None:
            return before.symbol
    draft = stored_drafts.info(engine, draft_id)
    base = draft.base_symbol if draft is not None else None
    if not base:
        raise ValueError(f"draft {draft_id} was not started from a resolution: nothing to track the "
                         "submission against")
    return base


def package(engine: Engine, draft_id: int, live: bytes | None = None) -> Export:
    """The submission of an L document as one zip: the Word file tracked against the
    official A/RES text (a Rev.: against the issued L document), the clean Word file,
    the PDF and the list of sponsors. `live`: as for export."""
    doc = None
    if live is not None:
        doc = Doc()
        doc.apply_update(live)
    res, _ = current(engine, draft_id, doc)
    symbol = res.heading.symbol
    basis = package_basis(engine, draft_id, symbol)
    # what is submitted is the text and its changes: the negotiation's comments stay home
    tracked = export(engine, draft_id, "docx", "tracked", basis, live, comments=False)
    clean = export(engine, draft_id, "docx", "none", None, live)
    pdf = export(engine, draft_id, "pdf", "none", None, live)
    stem = clean.filename.rsplit(".", 1)[0]
    sponsors = sponsors_list(res, basis, [x["delegation"] for x in sponsor_listing(engine, draft_id)["additional"]])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in ((tracked.filename, tracked.data), (clean.filename, clean.data),
                           (pdf.filename, pdf.data), (f"{stem}_sponsors.txt", sponsors.encode("utf-8"))):
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                       compress_type=zipfile.ZIP_DEFLATED)
    return Export(out.getvalue(), f"{stem}_submission.zip", "application/zip")


def sponsors_list(res: Resolution, basis: str, additional: list[str]) -> str:
    """The sponsors as the document lists them, and those who joined after it was issued
    (the Secretariat lists them apart)."""
    h = res.heading
    lines = [f"{h.symbol or 'Draft resolution'}: {h.title or ''}".rstrip(": "),
             f"Tracked against: {basis}", "", f"Sponsors ({len(h.sponsors)}), as the document lists them:"]
    lines += [f"  {name}" for name in sponsor_order(h.sponsors)]
    if additional:
        lines += ["", f"Additional sponsors since issue ({len(additional)}):"]
        lines += [f"  {name}" for name in sponsor_order(additional)]
    return "\n".join(lines) + "\n"


__all__ = ["Export", "ExportError", "comparison", "export", "package"]
