"""Sign-in throttling by account and by address, kept in the database so that every
server process counts the same failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from penholder.store.tables import SignInFailure, utcnow

WINDOW = timedelta(minutes=15)
PER_ACCOUNT = 5  # wrong passwords for one account in WINDOW, from anywhere
PER_ADDRESS = 20  # wrong passwords from one address in WINDOW, for any accounts


class Throttled(Exception):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def check(db: Session, account: str, address: str) -> None:
    """Raise Throttled if the account or the address failed too often lately."""
    since = utcnow() - WINDOW
    for column, value, limit, what in ((SignInFailure.account, account, PER_ACCOUNT, "this account"),
                                       (SignInFailure.address, address, PER_ADDRESS, "your address")):
        n, first = db.execute(select(func.count(), func.min(SignInFailure.at))
                              .where(column == value, SignInFailure.at > since)).one()
        if n >= limit:
            # func.min bypasses the column type, so SQLite hands back a naive UTC value or a string.
            first = first if isinstance(first, datetime) else datetime.fromisoformat(str(first))
            first = first if first.tzinfo else first.replace(tzinfo=UTC)
            wait = max(1, int((first + WINDOW - utcnow()).total_seconds()) + 1)
            raise Throttled(f"too many wrong passwords for {what}: try again in {(wait + 59) // 60} minutes "
                            "or reset the password", wait)


def failed(db: Session, account: str, address: str) -> None:
    db.add(SignInFailure(account=account[:320], address=address[:100]))
    db.execute(delete(SignInFailure).where(SignInFailure.at < utcnow() - WINDOW))


def succeeded(db: Session, account: str) -> None:
    db.execute(delete(SignInFailure).where(SignInFailure.account == account))
