"""Sponsors of the draft resolution: main sponsors, co-sponsors, and the additional
co-sponsors who join after the draft is tabled (has its L. symbol), listed apart."""

from __future__ import annotations

from typing import Any

from penholder.amend.lifecycle import NotFound, WrongState
from penholder.amend.operations import AmendmentError
from penholder.auth import Principal
from penholder.store import Engine
from penholder.store import sponsors as stored
from penholder.store.errors import Conflict, Missing

KINDS = ("main", "cosponsor", "additional")


def listing(engine: Engine, draft_id: int) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}
    for kind, name, joined_at in stored.current(engine, draft_id):
        out[kind].append({"delegation": name, "joined_at": joined_at.isoformat()})
    return out


def names_in_order(engine: Engine, draft_id: int) -> list[str]:
    """The sponsors line: main sponsors, then co-sponsors, in the order they joined."""
    s = listing(engine, draft_id)
    return [x["delegation"] for x in s["main"] + s["cosponsor"]]


def clean_name(delegation: str | None, who: Principal) -> str:
    name = " ".join((delegation or who.delegation or "").split())
    if not name:
        raise AmendmentError("name the delegation")
    if len(name) > 200:
        raise AmendmentError("a delegation's name is at most 200 characters")
    return name


def join(engine: Engine, draft_id: int, who: Principal, delegation: str | None, kind: str) -> str:
    """Add a sponsor; returns the kind recorded. The caller has authorized the principal
    (web.review: a delegation joins under its own name, the Secretariat may record any;
    main sponsors are set by a penholder or the Secretariat)."""
    if kind not in KINDS:
        raise AmendmentError(f"kind must be one of {', '.join(KINDS)}")
    name = clean_name(delegation, who)
    try:
        return stored.join(engine, draft_id, name, kind)
    except Missing as exc:
        raise NotFound(str(exc)) from None
    except Conflict as exc:
        raise WrongState(str(exc)) from None


def leave(engine: Engine, draft_id: int, who: Principal, delegation: str | None) -> None:
    """The caller has authorized the principal, as for join."""
    name = clean_name(delegation, who)
    try:
        stored.leave(engine, draft_id, name)
    except Missing as exc:
        raise NotFound(str(exc)) from None
    except Conflict as exc:
        raise WrongState(str(exc)) from None
