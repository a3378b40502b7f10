"""Accounts and their delegations."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from penholder.auth.roles import LEGACY_ROLES, NEEDS_DELEGATION, NO_DELEGATION, Kind, Relation, parse_kind
from penholder.auth.tokens import issue_token
from penholder.store import sponsors
from penholder.store.tables import Delegation, Draft, DraftFacilitator, Token, User

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def find_delegation(db: Session, name: str) -> Delegation | None:
    name = " ".join(name.split())
    return db.scalars(select(Delegation).where(func.lower(Delegation.name) == name.lower())).first()


def get_or_create_delegation(db: Session, name: str) -> Delegation:
    """The delegation of that name, matched without regard to case ("france" is France)."""
    name = " ".join(name.split())
    found = find_delegation(db, name)
    if found is not None:
        return found
    if not name or len(name) > 200:
        raise ValueError("a delegation's name is 1 to 200 characters")
    delegation = Delegation(name=name)
    db.add(delegation)
    db.flush()
    return delegation


def clean_email(email: str | None) -> str | None:
    email = (email or "").strip().lower() or None
    if email is not None and (len(email) > 320 or not EMAIL.fullmatch(email)):
        raise ValueError(f"not an email address: {email!r}")
    return email


def check_account(name: str, delegation: str | None, kind: Kind | str,
                  email: str | None = None) -> tuple[str, str | None, Kind, str | None]:
    """The name, delegation, kind and email, normalised, or ValueError saying what is wrong:
    an empty name, an unknown kind, a delegate without a delegation, Secretariat staff with
    one, an address that is not one."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise ValueError("the user's name must be 1 to 200 characters")
    kind = parse_kind(kind)
    delegation = " ".join((delegation or "").split()) or None
    if kind in NEEDS_DELEGATION and delegation is None:
        raise ValueError(f"a {kind} acts for a delegation: give --delegation")
    if kind in NO_DELEGATION and delegation is not None:
        raise ValueError(f"{kind} staff act for no delegation: leave out --delegation")
    return name, delegation, kind, clean_email(email)


def legacy_kind(role: str, delegation: str | None) -> tuple[Kind, Relation]:
    """A global role of before (`--role penholder`) as a kind and a relation (docs/roles.md)."""
    key = role.strip().lower()
    if key not in LEGACY_ROLES:
        raise ValueError(f"unknown role {role!r} (one of {', '.join(LEGACY_ROLES)})")
    kind, relation = LEGACY_ROLES[key]
    if kind is None:
        kind = Kind.DELEGATE if (delegation or "").strip() else Kind.OBSERVER
    return kind, relation


def check_user(name: str, delegation: str | None, role: str) -> tuple[str, str | None, Kind]:
    kind, _ = legacy_kind(role, delegation)
    name, delegation, kind, _ = check_account(name, delegation, kind)
    return name, delegation, kind


def add_account(db: Session, name: str, delegation: str | None, kind: Kind | str, *,
                email: str | None = None, focal_point: bool = False) -> User:
    """A new account (see check_account for what is refused). Email addresses are unique;
    names need not be, but a name two accounts share signs neither in (they use their
    addresses). The caller commits."""
    name, delegation, kind, email = check_account(name, delegation, kind, email)
    if email and db.scalars(select(User.id).where(User.email == email)).first() is not None:
        raise ValueError(f"there is already an account with the address {email}")
    user = User(name=name, kind=kind.value, email=email, focal_point=focal_point,
                delegation=get_or_create_delegation(db, delegation) if delegation else None)
    db.add(user)
    db.flush()
    return user


def appoint(db: Session, draft_id: int, user: User, by: int | None) -> bool:
    """Appoint a facilitator of the draft; False if already appointed. The caller commits."""
    found = db.scalars(select(DraftFacilitator).where(DraftFacilitator.draft_id == draft_id,
                                                      DraftFacilitator.user_id == user.id)).first()
    if found is not None:
        return False
    if user.kind == Kind.SECRETARIAT:
        raise ValueError("Secretariat staff are not appointed facilitators")
    db.add(DraftFacilitator(draft_id=draft_id, user_id=user.id, appointed_by=by))
    db.flush()
    return True


def dismiss(db: Session, draft_id: int, user_id: int) -> bool:
    found = db.scalars(select(DraftFacilitator).where(DraftFacilitator.draft_id == draft_id,
                                                      DraftFacilitator.user_id == user_id)).first()
    if found is None:
        return False
    db.delete(found)
    db.flush()
    return True


add_main_sponsor = sponsors.add_main


def create_user(db: Session, name: str, delegation: str | None, role: str) -> tuple[User, str]:
    """Add an account from a global role of before and issue its first token: a penholder's
    delegation becomes a main sponsor of every draft that exists, a facilitator is
    appointed to each, as migration 0007_accounts maps them. Returns the user and the
    token, which is stored only as a hash. The caller commits."""
    kind, relation = legacy_kind(role, delegation)
    user = add_account(db, name, delegation, kind)
    if relation is not Relation.NONE:
        for draft_id in db.scalars(select(Draft.id)):
            if relation is Relation.MAIN_SPONSOR and user.delegation_id is not None:
                add_main_sponsor(db, draft_id, user.delegation_id)
            elif relation is Relation.FACILITATOR:
                appoint(db, draft_id, user, None)
    return user, issue_token(db, user)


def list_users(db: Session) -> list[tuple[User, int]]:
    """Every user with the number of tokens still valid, by delegation then name."""
    live = (
        select(Token.user_id, func.count().label("n"))
        .where(Token.revoked_at.is_(None))
        .group_by(Token.user_id)
        .subquery()
    )
    rows = db.execute(
        select(User, func.coalesce(live.c.n, 0))
        .outerjoin(live, live.c.user_id == User.id)
        .outerjoin(Delegation, Delegation.id == User.delegation_id)
        .order_by(Delegation.name.is_(None), Delegation.name, User.name, User.id)
    ).unique()
    return [(user, int(n)) for user, n in rows]
