"""Revisions: the zero draft, Rev.1, Rev.2 ... frozen texts with each paragraph's
standing (agreed ad ref, pending, bracketed) and the amendments applied since the last.

The zero draft (0) is the text as the draft was created: the prior resolution and the
Secretariat's rollover, the leading updates of the log. It is stored the first time a
revision is cut, so the first revision cut is Rev.1. A paragraph's standing carries
forward from one revision to the next unless it is set anew."""

from __future__ import annotations

from typing import Any

from pycrdt import Doc

from penholder.amend.lifecycle import NotFound, WrongState
from penholder.amend.operations import AmendmentError, labels
from penholder.compare import compare
from penholder.model import Resolution
from penholder.store import Engine
from penholder.store import revisions as stored
from penholder.store.errors import Conflict, Missing
from penholder.store.revisions import RevisionRow
from penholder.sync.schema import read

STANDINGS = ("agreed ad ref", "pending", "bracketed")


def label(number: int) -> str:
    return "zero draft" if number == 0 else f"Rev.{number}"


def _ids(state: bytes) -> list[str]:
    doc = Doc()
    doc.apply_update(state)
    return [p.id for p in read(doc).paragraphs()]


def _check(standings: dict[str, str], ids: list[str]) -> None:
    unknown = set(standings) - set(ids)
    if unknown:
        raise AmendmentError(f"no paragraph {sorted(unknown)[0]!r} in this draft")
    for pid, s in standings.items():
        if s not in STANDINGS:
            raise AmendmentError(f"unknown standing {s!r} for {pid} (one of {', '.join(STANDINGS)})")


def cut(engine: Engine, draft_id: int, user_id: int, state: bytes, upto_seq: int,
        standings: dict[str, str] | None) -> int:
    """Freeze `state` as the next revision; the zero draft is stored first if it is not yet."""
    standings = standings or {}
    _check(standings, _ids(state))
    try:
        return stored.cut(engine, draft_id, user_id, state, upto_seq, standings, _ids)
    except Missing as exc:
        raise NotFound(str(exc)) from None
    except Conflict as exc:
        raise WrongState(str(exc)) from None


def set_standing(engine: Engine, draft_id: int, number: int, paragraph_id: str, standing: str) -> None:
    if standing not in STANDINGS:
        raise AmendmentError(f"unknown standing {standing!r} (one of {', '.join(STANDINGS)})")
    try:
        found = stored.set_standing(engine, draft_id, number, paragraph_id, standing)
    except Missing as exc:
        raise NotFound(str(exc)) from None
    if not found:
        raise AmendmentError(f"no paragraph {paragraph_id!r} in {label(number)}")


def _resolution(state: bytes) -> Resolution:
    doc = Doc()
    doc.apply_update(state)
    return read(doc)


def changed_between(old: Resolution, new: Resolution, old_standing: dict[str, str],
                    new_standing: dict[str, str]) -> dict[str, Any]:
    """What a revision changed from the one before: paragraphs by their labels in the new
    text (a deleted one by its old label), and standings set anew."""
    out: dict[str, Any] = {"changed": [], "added": [], "deleted": [], "moved": []}
    for p in compare(old, new).paragraphs:
        if p.status == "same":
            continue
        key = {"changed": "changed", "added": "added", "deleted": "deleted", "moved": "moved"}[p.status]
        out[key].append(p.new_label if p.new is not None else p.old_label)
    lab = labels(new)
    out["standing"] = [{"paragraph_id": pid, "label": lab.get(pid), "before": old_standing.get(pid),
                        "after": s} for pid, s in new_standing.items()
                       if pid in old_standing and old_standing[pid] != s]
    return out


def _shown(rev: RevisionRow, res: Resolution) -> dict[str, Any]:
    return {"number": rev.number, "label": label(rev.number), "created_at": rev.created_at.isoformat(),
            "created_by": rev.created_by, "upto_seq": rev.upto_seq, "amendments_applied": rev.amendments_applied,
            "standing": rev.standing, "labels": labels(res)}


def listing(engine: Engine, draft_id: int, with_text: int | None = None) -> list[dict[str, Any]]:
    out = []
    previous: tuple[Resolution, dict[str, str]] | None = None
    for rev in stored.of_draft(engine, draft_id):
        res = _resolution(rev.state)
        item = _shown(rev, res) | {
            "changes": changed_between(previous[0], res, previous[1], rev.standing) if previous else None}
        if with_text == rev.number:
            item["text"] = res.to_json()
        out.append(item)
        previous = (res, rev.standing)
    return out


def zero_draft(engine: Engine, draft_id: int) -> dict[str, Any] | None:
    """The zero draft as a revision before any is cut (then it is not stored yet)."""
    rev = stored.zero(engine, draft_id)
    if rev is None:
        return None
    res = _resolution(rev.state)
    return _shown(rev, res) | {"standing": {p.id: "pending" for p in res.paragraphs()}, "changes": None,
                               "text": res.to_json()}


def state_of(engine: Engine, draft_id: int, number: int) -> bytes:
    state = stored.state(engine, draft_id, number)
    if state is None:
        raise NotFound(f"no revision {number} of draft {draft_id}")
    return state
