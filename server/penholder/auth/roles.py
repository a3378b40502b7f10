"""Roles and what each may do. docs/roles.md shows this table; a test keeps them equal."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    DELEGATE = "delegate"  # a member-state negotiator
    PENHOLDER = "penholder"  # the delegation that holds the pen on this resolution
    FACILITATOR = "facilitator"  # chairs the informals, decides on proposals
    SECRETARIAT = "secretariat"  # staff: technical edits, issues revisions
    OBSERVER = "observer"  # follows the negotiation, changes nothing


class Action(StrEnum):
    READ = "read"  # see the draft, its history and the proposals
    EDIT = "edit"  # change the text directly
    PROPOSE = "propose"  # table or co-sponsor an amendment
    DECIDE = "decide"  # accept or reject an amendment
    REVISE = "revise"  # cut a revision (Rev.1, Rev.2, ...)
    EXPORT = "export"  # download docx, pdf, html, md, Akoma Ntoso
    COMMENT = "comment"  # comment on a paragraph or a proposal, resolve a thread


PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.DELEGATE: frozenset({Action.READ, Action.PROPOSE, Action.EXPORT, Action.COMMENT}),
    Role.PENHOLDER: frozenset({Action.READ, Action.EDIT, Action.PROPOSE, Action.EXPORT, Action.COMMENT}),
    Role.FACILITATOR: frozenset({Action.READ, Action.DECIDE, Action.REVISE, Action.EXPORT, Action.COMMENT}),
    Role.SECRETARIAT: frozenset({Action.READ, Action.EDIT, Action.REVISE, Action.EXPORT, Action.COMMENT}),
    # Observers read in the browser but take no files away: a draft under negotiation is
    # not theirs to circulate.
    Role.OBSERVER: frozenset({Action.READ}),
}

# Roles whose edits and proposals are attributed to a member state (w:author in exports).
NEEDS_DELEGATION = frozenset({Role.DELEGATE, Role.PENHOLDER})
# Secretariat staff act for the Organization, never for a member state.
NO_DELEGATION = frozenset({Role.SECRETARIAT})


def parse_role(value: str | Role) -> Role:
    try:
        return Role(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        raise ValueError(f"unknown role {value!r} (one of {', '.join(Role)})") from None


def allowed(role: Role, action: Action | str) -> bool:
    return Action(action) in PERMISSIONS[role]
