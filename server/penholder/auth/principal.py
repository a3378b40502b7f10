"""Who is acting: what an authenticated token resolves to."""

from __future__ import annotations

from dataclasses import dataclass

from penholder.auth.roles import Action, Role, allowed


@dataclass(frozen=True)
class Principal:
    user_id: int
    name: str
    delegation: str | None  # the member state acted for; None for the Secretariat
    role: Role
    delegation_id: int | None = None
    draft_id: int | None = None  # set when the token opens this one draft only

    def can(self, action: Action | str, draft_id: int | None = None) -> bool:
        """Whether this principal may do `action` (on `draft_id`, if given)."""
        if draft_id is not None and self.draft_id is not None and draft_id != self.draft_id:
            return False
        return allowed(self.role, action)
