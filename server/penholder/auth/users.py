"""Accounts and their delegations: what may be stored, checked before the store is asked."""

from __future__ import annotations

import re

from penholder.auth.links import INVITE, new_link
from penholder.auth.roles import LEGACY_ROLES, NEEDS_DELEGATION, NO_DELEGATION, Kind, Relation, parse_kind
from penholder.auth.tokens import new_token
from penholder.store import Engine
from penholder.store import accounts, facilitators
from penholder.store.accounts import Account
from penholder.store.credentials import NewLink, NewToken
from penholder.store.errors import Conflict

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def delegation_name(name: str) -> str:
    """A delegation's name with its spaces normalised; ValueError if empty or too long."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise ValueError("a delegation's name is 1 to 200 characters")
    return name


def clean_email(email: str | None) -> str | None:
    email = (email or "").strip().lower() or None
    if email is not None and (len(email) > 320 or not EMAIL.fullmatch(email)):
        raise ValueError(f"not an email address: {email!r}")
    return email


def check_account(name: str, delegation: str | None, kind: Kind | str,
                  email: str | None = None) -> tuple[str, str | None, Kind, str | None]:
    """The name, delegation, kind and email, normalised, or ValueError saying what is wrong:
    an empty name, an unknown kind, a delegate without a delegation, Secretariat staff with
    one, a delegation's name too long, an address that is not one."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise ValueError("the user's name must be 1 to 200 characters")
    kind = parse_kind(kind)
    delegation = " ".join((delegation or "").split()) or None
    if kind in NEEDS_DELEGATION and delegation is None:
        raise ValueError(f"a {kind} acts for a delegation: give --delegation")
    if kind in NO_DELEGATION and delegation is not None:
        raise ValueError(f"{kind} staff act for no delegation: leave out --delegation")
    if delegation is not None:
        delegation = delegation_name(delegation)
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


_RELATION = {Relation.NONE: None, Relation.MAIN_SPONSOR: accounts.MAIN_SPONSOR,
             Relation.FACILITATOR: accounts.FACILITATOR}


def add_account(engine: Engine, name: str, delegation: str | None, kind: Kind | str, *,
                email: str | None = None, focal_point: bool = False, relation: Relation = Relation.NONE,
                token: NewToken | None = None, link: NewLink | None = None) -> Account:
    """A new account (see check_account for what is refused; its delegation is made if
    none has that name), with its relation to every draft that exists, its first token
    and link if given, all in one transaction. Email addresses are unique; names need
    not be, but a name two accounts share signs neither in (they use their addresses)."""
    name, delegation, kind, email = check_account(name, delegation, kind, email)
    if relation is Relation.FACILITATOR:
        _not_staff(kind)
    try:
        return accounts.add(engine, name, delegation, kind.value, email=email, focal_point=focal_point,
                            relation=_RELATION[relation], token=token, link=link)
    except Conflict as exc:
        raise ValueError(str(exc)) from None


def invite(engine: Engine, name: str, delegation: str | None, kind: Kind | str, *, email: str | None = None,
           focal_point: bool = False, created_by: int | None = None) -> tuple[Account, str]:
    """A new account with its invitation (a one-time link that asks for a password), made
    together: the account and the link's secret."""
    secret, link = new_link(INVITE, created_by)
    return add_account(engine, name, delegation, kind, email=email, focal_point=focal_point, link=link), secret


def create_user(engine: Engine, name: str, delegation: str | None, role: str) -> tuple[Account, str]:
    """Add an account from a global role of before and issue its first token: a penholder's
    delegation becomes a main sponsor of every draft that exists, a facilitator is
    appointed to each, as migration 0007_accounts maps them. Returns the account and the
    token, which is stored only as a hash."""
    kind, relation = legacy_kind(role, delegation)
    secret, token = new_token()
    return add_account(engine, name, delegation, kind, relation=relation, token=token), secret


def _not_staff(kind: Kind | str) -> None:
    if kind == Kind.SECRETARIAT:
        raise ValueError("Secretariat staff are not appointed facilitators")


def appoint(engine: Engine, draft_id: int, user_id: int, by: int | None) -> tuple[Account, bool]:
    """Appoint a facilitator of the draft: the account, and False if it was appointed
    already. ValueError: Secretariat staff; store.errors.Missing: no such draft or user."""
    return facilitators.appoint(engine, draft_id, user_id, by, lambda user: _not_staff(user.kind))


def list_users(engine: Engine) -> list[tuple[Account, int]]:
    """Every user with the number of tokens still valid, by delegation then name."""
    return accounts.with_token_counts(engine)
