"""Who may move an amendment where. Pure: the rules, not the storage."""

from __future__ import annotations

from dataclasses import dataclass

from penholder.auth.policy import Forbidden

STATUSES = ("proposed", "accepted", "rejected", "withdrawn", "superseded")

# action -> (statuses it starts from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({"proposed"}), "accepted"),
    "reject": (frozenset({"proposed"}), "rejected"),
    "withdraw": (frozenset({"proposed"}), "withdrawn"),
    "supersede": (frozenset({"proposed"}), "superseded"),
    # Reopening brings back what was set aside; an accepted amendment is already in the
    # text, and taking it out is a new amendment, not a reopening.
    "reopen": (frozenset({"rejected", "withdrawn", "superseded"}), "proposed"),
}
FACILITATOR_ACTIONS = frozenset({"accept", "reject", "supersede", "reopen"})


class NotAllowed(Forbidden):
    """The principal may not do this (HTTP 403)."""


class NotFound(LookupError):
    """No such draft or amendment (HTTP 404)."""


class WrongState(Exception):
    """The amendment is not in a status this action applies to (HTTP 409)."""


@dataclass(frozen=True)
class Actor:
    can_propose: bool
    can_decide: bool
    delegation_id: int | None


def next_status(action: str, status: str, actor: Actor, sponsor_id: int) -> str:
    if action not in TRANSITIONS:
        raise ValueError(f"unknown action {action!r}")
    if action in FACILITATOR_ACTIONS and not actor.can_decide:
        raise NotAllowed(f"only a facilitator may {action} an amendment")
    if action == "withdraw" and (actor.delegation_id != sponsor_id or not actor.can_propose):
        raise NotAllowed("only the sponsoring delegation may withdraw its amendment")
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise WrongState(f"cannot {action} an amendment that is {status}")
    return target


def may_cosponsor(actor: Actor, sponsor_id: int, status: str) -> None:
    if not actor.can_propose or actor.delegation_id is None:
        raise NotAllowed("only a delegation that may propose amendments can co-sponsor one")
    if actor.delegation_id == sponsor_id:
        raise NotAllowed("the sponsor cannot co-sponsor its own amendment")
    if status != "proposed":
        raise WrongState(f"cannot join an amendment that is {status}")
