"""Signing in with a user name or email address and a password."""

from __future__ import annotations

from penholder.auth import throttle
from penholder.auth.passwords import hash_password, needs_rehash, verify_password
from penholder.auth.sessions import start_session
from penholder.store import Engine
from penholder.store import accounts
from penholder.store.accounts import Account

WRONG = "wrong user name, email address or password"


class BadCredentials(Exception):
    pass


def find_account(engine: Engine, login: str) -> Account | None:
    """The account a user name or email address names (a name shared by two accounts names neither)."""
    return accounts.by_login(engine, " ".join(login.split()))


def sign_in(engine: Engine, login: object, password: object, address: str) -> tuple[Account, str]:
    """The account and a new session's secret, if the password is right; BadCredentials
    (the failure counted) or throttle.Throttled if not."""
    if not isinstance(login, str) or not isinstance(password, str) or not login.strip() or len(login) > 320:
        raise BadCredentials("give a user name or email address and a password")
    key = " ".join(login.split()).casefold()
    throttle.check(engine, key, address)
    user = find_account(engine, login)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        throttle.failed(engine, key, address)
        raise BadCredentials(WRONG)
    throttle.succeeded(engine, key)
    rehash = hash_password(password) if user.password_hash and needs_rehash(user.password_hash) else None
    return start_session(engine, user.id, password_hash=rehash)
