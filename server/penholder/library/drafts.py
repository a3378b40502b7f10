"""Checks of a draft as stored: its text read from the log (or a live document handed
in), the library's dates of cited resolutions, and the references a renumbering since a
revision has moved. The I/O edge of model.checks and model.renumbering."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc

from penholder.library.agreed import paragraph_standing
from penholder.library.catalog import known_dates
from penholder.model import Resolution
from penholder.model.checks import RULES, check
from penholder.model.renumbering import stale_references, update_references
from penholder.store import Engine
from penholder.store import drafts as stored_drafts
from penholder.store import revisions as stored_revisions
from penholder.sync.persistence import load_doc
from penholder.sync.schema import read


class DraftNotFound(LookupError):
    pass


def draft_text(engine: Engine, draft_id: int, live: bytes | None = None) -> tuple[Resolution, int | None]:
    """`live`: the open room's encoded state (Rooms.state), read into this thread's own document."""
    if live is not None:
        doc = Doc()
        doc.apply_update(live)
        return read(doc), None
    try:
        doc, seq = load_doc(engine, draft_id)
    except KeyError:
        raise DraftNotFound(f"no draft {draft_id}") from None
    return read(doc), seq


def require_draft(engine: Engine, draft_id: int) -> None:
    if stored_drafts.info(engine, draft_id) is None:
        raise DraftNotFound(f"no draft {draft_id}")


def revision_text(engine: Engine, draft_id: int, number: int | None) -> tuple[Resolution, int] | None:
    """The text of revision `number` (the latest when None); None when there is none."""
    found = stored_revisions.stored(engine, draft_id, number)
    if found is None:
        if number is not None:
            raise DraftNotFound(f"no revision {number} of draft {draft_id}")
        return None
    doc = Doc()
    doc.apply_update(found[1])
    return read(doc), found[0]


def draft_checks(engine: Engine, draft_id: int, live: bytes | None = None,
                 since: int | None = None, agreed: bool = False) -> dict[str, Any]:
    """Findings on the draft's current text; with a revision (the latest by default), the
    references its renumbering moved since then and their technical update; with `agreed`,
    each paragraph's standing against the library (a search per paragraph: asked for at
    tabling, not at every keystroke)."""
    res, seq = draft_text(engine, draft_id, live)
    findings = check(res, known_dates(engine))
    out: dict[str, Any] = {"draft_id": draft_id, "seq": seq, "findings": [f.to_json() for f in findings]}
    base = revision_text(engine, draft_id, since)
    if base is not None:
        before, number = base
        moved = stale_references(before, res)
        out["since_revision"] = number
        out["findings"] += [f.to_json() for f in moved]
        out["reference_updates"] = [{"paragraph_id": c.target, "before": c.before, "after": c.after,
                                     "reason": c.reason} for c in update_references(before, res)]
    out["count"] = len(out["findings"])
    out["rules"] = RULES
    if agreed:
        out["agreed_language"] = paragraph_standing(engine, res)
    return out
