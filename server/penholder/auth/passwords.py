"""Passwords: argon2id (argon2-cffi's defaults, RFC 9106's second recommended profile),
never stored in the clear."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
MAX_LENGTH = 1024  # hashing is slow on purpose; a megabyte "password" must not make it slower

_hasher = PasswordHasher()
# Verified when no account matches, so that an unknown name takes as long as a wrong password.
_DUMMY = _hasher.hash("not a password of anyone")


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash with other argon2 parameters (argon2.profiles), e.g. a cheaper profile where a
    test suite hashes hundreds of passwords. Stored hashes carry their own parameters, so
    they verify either way and are re-hashed with the current ones at the next sign-in."""
    global _hasher, _DUMMY
    _hasher = hasher
    _DUMMY = hasher.hash("not a password of anyone")


def check_password(password: object) -> str:
    if not isinstance(password, str):
        raise ValueError("the password must be a string")
    if len(password) < MIN_LENGTH:
        raise ValueError(f"choose a password of at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise ValueError(f"a password is at most {MAX_LENGTH} characters")
    return password


def hash_password(password: str) -> str:
    return _hasher.hash(check_password(password))


def verify_password(stored: str | None, password: str) -> bool:
    if not isinstance(password, str) or len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)
