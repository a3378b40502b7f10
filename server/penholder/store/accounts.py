"""Accounts and their delegations, read as plain values (`Account`), and an account with
its relations to drafts (`Holder`), which a token or a session resolves to. What may be
stored (names, kinds, addresses) is checked by auth/users.py first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from penholder.store import sponsors
from penholder.store.credentials import NewLink, NewToken, add_link, add_token
from penholder.store.errors import Conflict
from penholder.store.tables import Delegation, Draft, DraftFacilitator, DraftSponsor, Token, User

OBSERVER_KIND = "observer"  # auth.roles.Kind.OBSERVER
FACILITATOR = "facilitator"  # auth.roles.Relation values, for add's relation
MAIN_SPONSOR = "main_sponsor"


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    email: str | None
    kind: str  # an auth.roles.Kind value
    delegation_id: int | None
    delegation: str | None
    focal_point: bool
    created_at: datetime
    password_hash: str | None = field(default=None, repr=False)

    @property
    def signed_up(self) -> bool:
        return self.password_hash is not None


@dataclass(frozen=True)
class Holder:
    """An account with the drafts it stands in a relation to."""
    account: Account
    main_sponsor_of: frozenset[int]  # its delegation is a main sponsor
    facilitator_of: frozenset[int]  # it was appointed facilitator
    observers_propose: frozenset[int]  # open to observers' proposals (asked for observers only)


def account(u: User) -> Account:
    return Account(u.id, u.name, u.email, u.kind, u.delegation_id, u.delegation.name if u.delegation else None,
                   u.focal_point, u.created_at, u.password_hash)


def holder(db: Session, user_id: int) -> Holder | None:
    """In the caller's session: the account and its relations, None if there is none."""
    u = db.get(User, user_id)
    if u is None:
        return None
    main: frozenset[int] = frozenset()
    if u.delegation_id is not None:
        main = frozenset(db.scalars(select(DraftSponsor.draft_id).where(
            DraftSponsor.delegation_id == u.delegation_id, DraftSponsor.kind == "main",
            DraftSponsor.left_at.is_(None))))
    facilitates = frozenset(db.scalars(select(DraftFacilitator.draft_id).where(DraftFacilitator.user_id == u.id)))
    open_drafts: frozenset[int] = frozenset()
    if u.kind == OBSERVER_KIND:
        open_drafts = frozenset(db.scalars(select(Draft.id).where(Draft.observers_propose.is_(True))))
    return Holder(account(u), main, facilitates, open_drafts)


def get(engine: Engine, user_id: int) -> Account | None:
    with Session(engine) as db:
        u = db.get(User, user_id)
        return None if u is None else account(u)


def by_email(engine: Engine, email: str) -> Account | None:
    with Session(engine) as db:
        u = db.scalars(select(User).where(User.email == email)).first()
        return None if u is None else account(u)


def by_name(engine: Engine, name: str) -> Account | None:
    """The first account of exactly that name."""
    with Session(engine) as db:
        u = db.scalars(select(User).where(User.name == name).order_by(User.id)).first()
        return None if u is None else account(u)


def by_login(engine: Engine, login: str) -> Account | None:
    """The account an email address (with an @) or a name names, without regard to case;
    a name two accounts share names neither."""
    with Session(engine) as db:
        if "@" in login:
            u = db.scalars(select(User).where(User.email == login.lower())).first()
            return None if u is None else account(u)
        found = db.scalars(select(User).where(func.lower(User.name) == login.lower()).limit(2)).all()
        return account(found[0]) if len(found) == 1 else None


def matching(engine: Engine, ref: str) -> list[Account]:
    """The account of that id, else at most two of that email address or name (without
    regard to case)."""
    with Session(engine) as db:
        if ref.isdigit() and (u := db.get(User, int(ref))) is not None:
            return [account(u)]
        found = db.scalars(select(User).where((User.email == ref.strip().lower())
                                              | (func.lower(User.name) == " ".join(ref.split()).lower())).limit(2))
        return [account(u) for u in found]


def listing(engine: Engine, *, delegation_id: int | None = None, user_id: int | None = None) -> list[Account]:
    """Accounts by name: every one, or a delegation's, or one."""
    with Session(engine) as db:
        q = select(User).order_by(User.name)
        if delegation_id is not None:
            q = q.where(User.delegation_id == delegation_id)
        if user_id is not None:
            q = q.where(User.id == user_id)
        return [account(u) for u in db.scalars(q)]


def with_token_counts(engine: Engine) -> list[tuple[Account, int]]:
    """Every account with its number of unrevoked tokens, by delegation then name."""
    with Session(engine) as db:
        live = (select(Token.user_id, func.count().label("n")).where(Token.revoked_at.is_(None))
                .group_by(Token.user_id).subquery())
        rows = db.execute(
            select(User, func.coalesce(live.c.n, 0))
            .outerjoin(live, live.c.user_id == User.id)
            .outerjoin(Delegation, Delegation.id == User.delegation_id)
            .order_by(Delegation.name.is_(None), Delegation.name, User.name, User.id)
        ).unique()
        return [(account(u), int(n)) for u, n in rows]


def names(engine: Engine) -> dict[int, str]:
    with Session(engine) as db:
        return dict(db.execute(select(User.id, User.name)).all())  # type: ignore[arg-type]


def _delegation(db: Session, name: str) -> Delegation | None:
    return db.scalars(select(Delegation).where(func.lower(Delegation.name) == name.lower())).first()


def delegation_names(engine: Engine) -> list[str]:
    with Session(engine) as db:
        return list(db.scalars(select(Delegation.name).order_by(Delegation.name)))


def find_or_add_delegation(engine: Engine, name: str) -> tuple[str, bool]:
    """The delegation of that name without regard to case ("france" is France), added if
    there is none; its name as stored, and whether it was added now."""
    with Session(engine) as db, db.begin():
        found = _delegation(db, name)
        if found is not None:
            return found.name, False
        db.add(Delegation(name=name))
        return name, True


def add(engine: Engine, name: str, delegation: str | None, kind: str, *, email: str | None = None,
        focal_point: bool = False, relation: str | None = None, token: NewToken | None = None,
        link: NewLink | None = None) -> Account:
    """A new account (its delegation added if there is none of that name), in one
    transaction with what comes with it: its relation to every draft that exists
    (MAIN_SPONSOR: its delegation's; FACILITATOR), its first token, its first link.
    Conflict: the email address is another account's."""
    with Session(engine) as db, db.begin():
        if email and db.scalars(select(User.id).where(User.email == email)).first() is not None:
            raise Conflict(f"there is already an account with the address {email}")
        d = None
        if delegation:
            d = _delegation(db, delegation)
            if d is None:
                d = Delegation(name=delegation)
                db.add(d)
        u = User(name=name, kind=kind, email=email, focal_point=focal_point, delegation=d)
        db.add(u)
        db.flush()
        every_draft = db.scalars(select(Draft.id)).all() if relation else []
        for draft_id in every_draft:
            if relation == MAIN_SPONSOR and u.delegation_id is not None:
                sponsors.add_main(db, draft_id, u.delegation_id)
            elif relation == FACILITATOR:
                db.add(DraftFacilitator(draft_id=draft_id, user_id=u.id, appointed_by=None))
        if token is not None:
            add_token(db, u.id, token)
        if link is not None:
            add_link(db, u.id, link)
        db.flush()
        return account(u)


def set_password(engine: Engine, user_id: int, password_hash: str, *, was: str | None) -> bool:
    """Store a new password hash if the stored one is still `was` (the one the current
    password was checked against); False if it is not."""
    with Session(engine) as db, db.begin():
        return db.execute(update(User).where(User.id == user_id, User.password_hash.is_not_distinct_from(was))
                          .values(password_hash=password_hash)).rowcount == 1  # type: ignore[attr-defined]
