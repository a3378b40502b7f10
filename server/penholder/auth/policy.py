"""The one decision on who may do what: a principal, an action, the draft it touches and
the delegation it is done for. Pure: the principal carries its relations to drafts (main
sponsor, facilitator) and nothing has been read or written for the request yet.

A refusal is a Forbidden whose message says why, in the words a user understands."""

from __future__ import annotations

from dataclasses import dataclass

from penholder.auth.principal import Principal
from penholder.auth.roles import PERMISSIONS, Action, Kind, Role


class Forbidden(Exception):
    """The principal may not do this (HTTP 403); nothing was read or written."""


# What a refusal calls each action, after "a delegate may not ...".
VERBS = {
    Action.READ: "read this draft",
    Action.EDIT: "edit",
    Action.PROPOSE: "propose amendments",
    Action.DECIDE: "decide amendments",
    Action.REVISE: "cut a revision",
    Action.EXPORT: "export",
    Action.APPOINT: "appoint facilitators",
    Action.INVITE: "invite people (a delegation's focal point invites its colleagues)",
    Action.COMMENT: "comment",
    Action.LIBRARY: "add to the library",
    Action.RENUMBER: "renumber references",
}


def a_role(role: Role | str) -> str:
    """'a delegate', 'an observer', 'the Secretariat': a role as a sentence names it."""
    if Role(role) is Role.SECRETARIAT:
        return "the Secretariat"
    word = Role(role).value
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def any_of(roles: list[Role]) -> str:
    names = [a_role(r) for r in roles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


@dataclass(frozen=True)
class NewDraft:
    """The draft a request would create: no scoped token reaches it."""


NEW_DRAFT = NewDraft()


def role_for(who: Principal, draft: int | NewDraft | None) -> Role:
    """The principal's role on `draft`. A delegate who starts a draft holds its pen (its
    delegation becomes the main sponsor)."""
    if isinstance(draft, NewDraft):
        return Role.PENHOLDER if who.kind is Kind.DELEGATE else who.role_on(None)
    return who.role_on(draft)


def decide(who: Principal, action: Action | str, draft: int | NewDraft | None = None, *,
           acting_for: int | str | None = None, staff_for_anyone: bool = False,
           roles: frozenset[Role] | None = None) -> None:
    """Raise Forbidden unless `who` may do `action`:

    - on `draft` (an id; NEW_DRAFT for one the request creates; None for no draft), in the
      role its relation to that draft gives it (docs/roles.md);
    - for the delegation `acting_for` (its id or name), which must be the principal's own, except
      for the Secretariat when `staff_for_anyone` (it records sponsors for delegations);
    - only in one of `roles`, when the route narrows the action to them.
    """
    action = Action(action)
    if isinstance(draft, NewDraft) and who.draft_id is not None:
        raise Forbidden(f"this token opens draft {who.draft_id} only; it cannot create drafts")
    if isinstance(draft, int) and who.draft_id is not None and draft != who.draft_id:
        raise Forbidden(f"this token opens draft {who.draft_id} only, not draft {draft}")
    if action is Action.INVITE and who.draft_id is not None:
        raise Forbidden(f"this token opens draft {who.draft_id} only; it cannot manage accounts")
    if action is Action.LIBRARY and who.draft_id is not None:
        raise Forbidden(f"this token opens draft {who.draft_id} only; the library is shared by every draft")
    role = role_for(who, draft)
    staff = role is Role.SECRETARIAT
    on = f" on draft {draft}" if isinstance(draft, int) else ""
    if roles is not None and role not in roles:
        raise Forbidden(f"{a_role(role)}{on} may not do this: it is for {any_of([r for r in Role if r in roles])}")
    if isinstance(draft, int):
        may = who.can(action, draft)
    else:  # no one draft: what it may do on at least one of its drafts
        may = action in PERMISSIONS[role] if isinstance(draft, NewDraft) else who.can_somewhere(action)
    # A delegation's focal point invites colleagues: for its own delegation (checked below).
    may = may or (action is Action.INVITE and who.focal_point and acting_for is not None)
    if not may and not (staff and staff_for_anyone):
        who_may = any_of([r for r in Role if action in PERMISSIONS[r]])
        raise Forbidden(f"{a_role(role)}{on} may not {VERBS[action]} (only {who_may} may)")
    if acting_for is not None and not _own(who, acting_for) and not (staff and staff_for_anyone):
        mine = f"you act for {who.delegation}" if who.delegation else "you act for no delegation"
        raise Forbidden(f"a delegation acts only under its own name: {mine}")


def _own(who: Principal, delegation: int | str) -> bool:
    if isinstance(delegation, int):
        return who.delegation_id is not None and delegation == who.delegation_id
    return who.delegation is not None and " ".join(delegation.split()).casefold() == who.delegation.casefold()
