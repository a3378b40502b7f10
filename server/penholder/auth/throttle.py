"""Sign-in throttling by account and by address, kept in the database so that every
server process counts the same failures (store/signin_failures.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from penholder.store import Engine
from penholder.store import signin_failures as stored

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5  # wrong passwords for one account in WINDOW, from anywhere
PER_ADDRESS = 20  # wrong passwords from one address in WINDOW, for any accounts


class Throttled(Exception):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def check(engine: Engine, account: str, address: str) -> None:
    """Raise Throttled if the account or the address failed too often lately."""
    now = datetime.now(UTC)
    by_account, by_address = stored.since(engine, account, address, now - WINDOW)
    for (n, first), limit, what in ((by_account, PER_ACCOUNT, "this account"),
                                    (by_address, PER_ADDRESS, "your address")):
        if n >= limit and first is not None:
            wait = max(1, int((first + WINDOW - datetime.now(UTC)).total_seconds()) + 1)
            raise Throttled(f"too many wrong passwords for {what}: try again in {(wait + 59) // 60} minutes "
                            "or reset the password", wait)


def failed(engine: Engine, account: str, address: str) -> None:
    stored.add(engine, account, address, forget_before=datetime.now(UTC) - WINDOW)


def succeeded(engine: Engine, account: str) -> None:
    stored.clear(engine, account)
