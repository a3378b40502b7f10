"""Kinds of account, relations to a draft, and what each pair may do there.

An account is a delegate (of a member state), an observer, or Secretariat staff. On one
draft it stands in a relation: its delegation is a main sponsor (holds the pen), the
Secretariat appointed it facilitator, or neither. (kind, relation) gives its role on that
draft, and the role the actions. docs/roles.md shows these tables; a test keeps them equal."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    DELEGATE = "delegate"  # negotiates for a member state
    OBSERVER = "observer"  # follows the negotiation (an observer state, an agency, a guest)
    SECRETARIAT = "secretariat"  # staff: technical edits, revisions, accounts


class Relation(StrEnum):
    MAIN_SPONSOR = "main sponsor"  # the account's delegation is a main sponsor of the draft
    FACILITATOR = "facilitator"  # the Secretariat appointed the account to facilitate it
    NONE = "none"


class Role(StrEnum):
    """What an account is on one draft."""

    DELEGATE = "delegate"  # a member-state negotiator
    PENHOLDER = "penholder"  # a delegation that holds the pen on this draft
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
    APPOINT = "appoint"  # appoint (or dismiss) a draft's facilitators
    INVITE = "invite"  # create delegations and invite people (a focal point: its own delegation's)
    COMMENT = "comment"  # comment on a paragraph or a proposal, resolve a thread
    LIBRARY = "library"  # add an adopted resolution to the library (not about one draft)
    RENUMBER = "renumber"  # renumber a draft's moved internal references (a technical update)


# (kind of account, relation to the draft) -> role on that draft. A facilitator stays
# neutral even on a draft its own delegation sponsors; observers sponsor nothing.
STANDING: dict[tuple[Kind, Relation], Role] = {
    (Kind.DELEGATE, Relation.MAIN_SPONSOR): Role.PENHOLDER,
    (Kind.DELEGATE, Relation.FACILITATOR): Role.FACILITATOR,
    (Kind.DELEGATE, Relation.NONE): Role.DELEGATE,
    (Kind.OBSERVER, Relation.MAIN_SPONSOR): Role.OBSERVER,
    (Kind.OBSERVER, Relation.FACILITATOR): Role.FACILITATOR,
    (Kind.OBSERVER, Relation.NONE): Role.OBSERVER,
    (Kind.SECRETARIAT, Relation.MAIN_SPONSOR): Role.SECRETARIAT,
    (Kind.SECRETARIAT, Relation.FACILITATOR): Role.SECRETARIAT,
    (Kind.SECRETARIAT, Relation.NONE): Role.SECRETARIAT,
}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.DELEGATE: frozenset({Action.READ, Action.PROPOSE, Action.EXPORT, Action.COMMENT}),
    Role.PENHOLDER: frozenset({Action.READ, Action.EDIT, Action.PROPOSE, Action.EXPORT, Action.COMMENT}),
    Role.FACILITATOR: frozenset({Action.READ, Action.DECIDE, Action.REVISE, Action.EXPORT, Action.COMMENT,
                                 Action.LIBRARY}),
    Role.SECRETARIAT: frozenset({Action.READ, Action.EDIT, Action.REVISE, Action.EXPORT, Action.COMMENT,
                                 Action.LIBRARY, Action.RENUMBER, Action.APPOINT, Action.INVITE}),
    # Observers read in the browser but take no files away: a draft under negotiation is
    # not theirs to circulate. They propose and comment only on a draft open to them
    # (Draft.observers_propose): a thread is a proposal's first step.
    Role.OBSERVER: frozenset({Action.READ}),
}

# What an observer also does on a draft open to its proposals (Draft.observers_propose).
OPEN_TO_OBSERVERS = frozenset({Action.PROPOSE, Action.COMMENT})

# Kinds whose edits and proposals are attributed to a member state (w:author in exports).
NEEDS_DELEGATION = frozenset({Kind.DELEGATE})
# Secretariat staff act for the Organization, never for a member state.
NO_DELEGATION = frozenset({Kind.SECRETARIAT})

# The global roles of before, as `penholder user add --role` still accepts them and as
# migration 0007_accounts maps them: the kind of account, and a relation to every draft
# that exists when the account is made.
LEGACY_ROLES: dict[str, tuple[Kind | None, Relation]] = {
    "delegate": (Kind.DELEGATE, Relation.NONE),
    "penholder": (Kind.DELEGATE, Relation.MAIN_SPONSOR),
    "facilitator": (None, Relation.FACILITATOR),  # a delegate with a delegation, else an observer
    "observer": (Kind.OBSERVER, Relation.NONE),
    "secretariat": (Kind.SECRETARIAT, Relation.NONE),
}


def parse_kind(value: str | Kind) -> Kind:
    try:
        return Kind(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        raise ValueError(f"unknown kind of account {value!r} (one of {', '.join(Kind)})") from None


def parse_role(value: str | Role) -> Role:
    try:
        return Role(value.strip().lower() if isinstance(value, str) else value)
    except ValueError:
        raise ValueError(f"unknown role {value!r} (one of {', '.join(Role)})") from None


def standing(kind: Kind, relation: Relation) -> Role:
    return STANDING[(kind, relation)]


def allowed(role: Role, action: Action | str) -> bool:
    return Action(action) in PERMISSIONS[role]
