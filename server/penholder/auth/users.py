"""Users and their delegations."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from penholder.auth.roles import NEEDS_DELEGATION, NO_DELEGATION, Role, parse_role
from penholder.auth.tokens import issue_token
from penholder.store.tables import Delegation, Token, User


def get_or_create_delegation(db: Session, name: str) -> Delegation:
    """The delegation of that name, matched without regard to case ("france" is France)."""
    name = " ".join(name.split())
    found = db.scalars(select(Delegation).where(func.lower(Delegation.name) == name.lower())).first()
    if found is not None:
        return found
    delegation = Delegation(name=name)
    db.add(delegation)
    db.flush()
    return delegation


def check_user(name: str, delegation: str | None, role: Role | str) -> tuple[str, str | None, Role]:
    """The user's name, delegation and role, normalised, or ValueError saying what is wrong:
    an empty name, an unknown role, a delegate or penholder without a delegation, or
    Secretariat staff with one."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("the user's name must not be empty")
    role = parse_role(role)
    delegation = " ".join((delegation or "").split()) or None
    if role in NEEDS_DELEGATION and delegation is None:
        raise ValueError(f"a {role} acts for a delegation: give --delegation")
    if role in NO_DELEGATION and delegation is not None:
        raise ValueError(f"{role} staff act for no delegation: leave out --delegation")
    return name, delegation, role


def create_user(db: Session, name: str, delegation: str | None, role: Role | str) -> tuple[User, str]:
    """Add a user (see check_user for what is refused) and issue its first token. Returns
    the user and the token, which is stored only as a hash and cannot be recovered later.
    The caller commits."""
    name, delegation, role = check_user(name, delegation, role)
    user = User(
        name=name,
        role=role.value,
        delegation=get_or_create_delegation(db, delegation) if delegation else None,
    )
    db.add(user)
    db.flush()
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
