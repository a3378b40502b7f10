"""Amendment records (store/amendments.py) as the API shows them: sponsors, co-sponsors,
events, and what the amendment means for the text as it stands."""

from __future__ import annotations

from typing import Any

from penholder.amend.operations import Proposal, Stale, current_state, describe, labels
from penholder.model import Resolution
from penholder.store.amendments import AmendmentRow


def proposal_of(a: AmendmentRow) -> Proposal:
    return Proposal(*a.proposal)


def to_json(a: AmendmentRow, res: Resolution | None) -> dict[str, Any]:
    p = proposal_of(a)
    out: dict[str, Any] = {
        "id": a.id, "number": a.number, "draft_id": a.draft_id,
        "sponsor": a.sponsor,
        "cosponsors": [c for c in a.sponsorship if c["left_at"] is None],
        "filed_by": a.filed_by,
        "filed_at": a.created_at.isoformat(), "status": a.status,
        "operation": p.operation, "paragraph_id": p.paragraph_id, "position": p.position, "kind": p.kind,
        "target_text": p.target_text, "new_text": p.new_text, "context": p.context, "rationale": a.rationale,
        "revision_id": a.revision_id, "against_seq": a.against_seq, "applied_seq": a.applied_seq,
        "revision": a.revision,
        "superseded_by": a.superseded_by,
        "summary": describe(p, res),
        "paragraph": labels(res).get(p.paragraph_id or "") if res else None,
        "stale": None, "current_text": None,
        "sponsorship": a.sponsorship,
        "events": a.events,
    }
    if res is not None and a.status == "proposed":
        try:
            current_state(p, res)
            out["stale"] = False
        except Stale as exc:
            out["stale"], out["current_text"] = True, exc.current_text
            out["stale_reason"] = exc.reason
    return out
