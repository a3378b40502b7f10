"""Signing in with a user name or email address and a password."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from penholder.auth import throttle
from penholder.auth.passwords import hash_password, needs_rehash, verify_password
from penholder.store.tables import User

WRONG = "wrong user name, email address or password"


class BadCredentials(Exception):
    pass


def find_account(db: Session, login: str) -> User | None:
    """The account a user name or email address names (a name shared by two accounts names neither)."""
    login = " ".join(login.split())
    if "@" in login:
        return db.scalars(select(User).where(User.email == login.lower())).first()
    found = db.scalars(select(User).where(func.lower(User.name) == login.lower()).limit(2)).all()
    return found[0] if len(found) == 1 else None


def sign_in(db: Session, login: object, password: object, address: str) -> User:
    """The account, if the password is right; BadCredentials or throttle.Throttled if not.
    The caller commits (failures count only once committed)."""
    if not isinstance(login, str) or not isinstance(password, str) or not login.strip() or len(login) > 320:
        raise BadCredentials("give a user name or email address and a password")
    key = " ".join(login.split()).casefold()
    throttle.check(db, key, address)
    user = find_account(db, login)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        throttle.failed(db, key, address)
        raise BadCredentials(WRONG)
    throttle.succeeded(db, key)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user
