"""Who is acting: what an authenticated session or token resolves to, with the account's
relations to drafts, so that every decision about a draft is made without another lookup."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from penholder.auth.roles import OPEN_TO_OBSERVERS, Action, Kind, Relation, Role, allowed, standing


@dataclass(frozen=True)
class Principal:
    user_id: int
    name: str
    delegation: str | None  # the member state acted for; None for the Secretariat
    kind: Kind
    delegation_id: int | None = None
    draft_id: int | None = None  # set when the token (or websocket) opens this one draft only
    main_sponsor_of: frozenset[int] = field(default_factory=frozenset)  # drafts its delegation sponsors
    facilitator_of: frozenset[int] = field(default_factory=frozenset)  # drafts it was appointed to
    observers_propose: frozenset[int] = field(default_factory=frozenset)  # drafts open to observers' proposals
    focal_point: bool = False
    via: str = "token"  # "token" or "session": only a session's requests need a CSRF token

    def relation(self, draft_id: int | None) -> Relation:
        if draft_id is None:
            return Relation.NONE
        if draft_id in self.facilitator_of:
            return Relation.FACILITATOR
        if draft_id in self.main_sponsor_of:
            return Relation.MAIN_SPONSOR
        return Relation.NONE

    def role_on(self, draft_id: int | None) -> Role:
        """The role on a draft (on the token's draft when none is named; with no draft at
        all, the role of an account with no relation)."""
        draft_id = self.draft_id if draft_id is None else draft_id
        return standing(self.kind, self.relation(draft_id))

    @property
    def role(self) -> Role:
        return self.role_on(None)

    def for_draft(self, draft_id: int) -> Principal:
        """The same principal narrowed to one draft (a websocket's): `can` then answers for it."""
        return replace(self, draft_id=draft_id)

    def can(self, action: Action | str, draft_id: int | None = None) -> bool:
        """Whether this principal may do `action` (on `draft_id`, else on its own draft)."""
        if draft_id is not None and self.draft_id is not None and draft_id != self.draft_id:
            return False
        draft = self.draft_id if draft_id is None else draft_id
        role = self.role_on(draft)
        if allowed(role, action):
            return True
        return Action(action) in OPEN_TO_OBSERVERS and role is Role.OBSERVER and draft in self.observers_propose

    def can_somewhere(self, action: Action | str) -> bool:
        """Whether it may do `action` on at least one draft (for what is about no one draft:
        a facilitator of any draft adds to the library)."""
        drafts = [None] if self.draft_id is not None else [None, *sorted(self.main_sponsor_of | self.facilitator_of)]
        return any(self.can(action, d) for d in drafts)
