"""Wrong passwords as stored (the account name tried, the address, when), which sign-in
throttling counts (auth/throttle.py); in the database so that every server process
counts the same failures."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from penholder.store.tables import SignInFailure


def _at(value: object) -> datetime:
    # func.min bypasses the column type, so SQLite hands back a naive UTC value or a string.
    at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def since(engine: Engine, account: str, address: str,
          after: datetime) -> tuple[tuple[int, datetime | None], tuple[int, datetime | None]]:
    """(how many, the first) failures for the account, then from the address, after then."""
    with Session(engine) as db:
        counts = []
        for column, value in ((SignInFailure.account, account), (SignInFailure.address, address)):
            n, first = db.execute(select(func.count(), func.min(SignInFailure.at))
                                  .where(column == value, SignInFailure.at > after)).one()
            counts.append((int(n), _at(first) if n else None))
        return counts[0], counts[1]


def add(engine: Engine, account: str, address: str, forget_before: datetime) -> None:
    """Count a failure; those before `forget_before` no longer count and go."""
    with Session(engine) as db, db.begin():
        db.add(SignInFailure(account=account[:320], address=address[:100]))
        db.execute(delete(SignInFailure).where(SignInFailure.at < forget_before))


def clear(engine: Engine, account: str) -> None:
    with Session(engine) as db, db.begin():
        db.execute(delete(SignInFailure).where(SignInFailure.account == account))
