"""The SQL tables: who may act (delegations, users, tokens), what is drafted (drafts), and
the CRDT update log with its snapshots. `migrations/` creates exactly these; a test
compares the two on SQLite and PostgreSQL, so change both together."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Deterministic constraint names, so that later migrations (and SQLite batch mode, which
# recreates tables) can refer to constraints by the same name on both backends.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both backends. PostgreSQL keeps `timestamptz`; SQLite has no
    time zones and would hand back naive values, so values are stored as UTC and UTC is
    attached again on the way out."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware one (UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# SQLite only autoincrements an INTEGER PRIMARY KEY; PostgreSQL gets a bigint for the one
# table that grows with every keystroke batch.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Delegation(Base):
    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class User(Base):
    __tablename__ = "users"
    __table_args__ = (Index("ix_users_email", "email", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # None for Secretariat staff, who act for no member state.
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id"), index=True)
    # The kind of account, a penholder.auth.Kind value (delegate, observer, secretariat);
    # what it may do on a draft also depends on its relation to that draft (docs/roles.md).
    # Checked in code rather than by a CHECK constraint, so that adding a kind is a code
    # change, not a table rebuild on SQLite.
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    email: Mapped[str | None] = mapped_column(String(320))  # stored lower-case; unique (the index)
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2id; None until set
    # A focal point invites colleagues of its own delegation.
    focal_point: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))

    delegation: Mapped[Delegation | None] = relationship(lazy="joined")


class Token(Base):
    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Hex SHA-256 of the token; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set for a token that opens one draft only (a link handed to a delegation).
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"))
    name: Mapped[str | None] = mapped_column(String(100))  # what the owner calls it ("CI export")
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: until revoked


class WebSession(Base):
    """A signed-in browser: the cookie holds a random secret, the row its SHA-256."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OneTimeLink(Base):
    """An invitation, a sign-in link or a password reset: used once, before it expires."""

    __tablename__ = "one_time_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))  # invite | reset
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SignInFailure(Base):
    """A wrong password, kept for throttling by account and by address."""

    __tablename__ = "sign_in_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(320), index=True)  # the name or email typed, casefolded
    address: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Draft(Base):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    symbol: Mapped[str | None] = mapped_column(String(100))  # none until the Secretariat issues one
    session: Mapped[int] = mapped_column(Integer)
    committee: Mapped[str | None] = mapped_column(String(100))
    agenda_item: Mapped[str | None] = mapped_column(String(50))
    agenda_title: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    base_symbol: Mapped[str | None] = mapped_column(String(100))  # the resolution it was rolled over from
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The seq of the draft's last update: the per-draft counter append_update increments.
    last_seq: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Whether observers may propose amendments on this draft (docs/roles.md).
    observers_propose: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))


class DraftFacilitator(Base):
    """A person the Secretariat appointed to facilitate one draft's informal consultations."""

    __tablename__ = "draft_facilitators"
    __table_args__ = (UniqueConstraint("draft_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    appointed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    appointed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Update(Base):
    """One Yjs/pycrdt update as it reached the server, in the order it was stored."""

    __tablename__ = "updates"
    # Serves both the uniqueness of seq and updates_after()'s range scan.
    __table_args__ = (UniqueConstraint("draft_id", "seq"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    seq: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id"))
    origin: Mapped[str | None] = mapped_column(String(100))  # 'technical', 'amendment:12', ...
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Snapshot(Base):
    """The whole Y document state with every update up to and including `upto_seq`."""

    __tablename__ = "snapshots"
    __table_args__ = (Index("ix_snapshots_draft_id_upto_seq", "draft_id", "upto_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    upto_seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Amendment(Base):
    """A delegation's proposal to change a draft. Rows are never deleted; `status` moves by
    events (AmendmentEvent), each of which is kept."""

    __tablename__ = "amendments"
    __table_args__ = (UniqueConstraint("draft_id", "number"),
                      Index("ix_amendments_sponsor_id_created_at", "sponsor_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    number: Mapped[int] = mapped_column(Integer)  # per draft, what facilitators cite
    sponsor_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"))
    filed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # replace_text | insert_text | delete_text | add_paragraph | delete_paragraph |
    # move_paragraph | change_lead (penholder.amend.operations)
    operation: Mapped[str] = mapped_column(String(30))
    paragraph_id: Mapped[str | None] = mapped_column(String(200))
    # add/move: "after:<paragraph id>" | "start:preamble" | "start:operative";
    # insert_text: "after" | "before" the target text.
    position: Mapped[str | None] = mapped_column(String(250))
    kind: Mapped[str | None] = mapped_column(String(10))  # pp | op, of an added paragraph
    target_text: Mapped[str | None] = mapped_column(Text)  # the exact text aimed at, as it stood
    new_text: Mapped[str | None] = mapped_column(Text)
    # The quote with its surroundings as filed, and a digest of the paragraph: what tells a
    # stale amendment apart, without a copy of a paragraph that may be megabytes.
    context: Mapped[str | None] = mapped_column(Text)
    paragraph_digest: Mapped[str | None] = mapped_column(String(64))
    rationale: Mapped[str] = mapped_column(Text, default="")
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))  # made against
    against_seq: Mapped[int] = mapped_column(Integer)  # the log seq of the text it was made on
    status: Mapped[str] = mapped_column(String(20), index=True)
    applied_seq: Mapped[int | None] = mapped_column(Integer)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("amendments.id"))


class Cosponsor(Base):
    """A delegation joining a proposal; leaving sets left_at, a later return is a new row."""

    __tablename__ = "amendment_cosponsors"

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendments.id"), index=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AmendmentEvent(Base):
    __tablename__ = "amendment_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendments.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id"))
    # proposed | cosponsored | left | withdrawn | accepted | rejected | superseded | reopened
    action: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class Revision(Base):
    """A frozen text: the zero draft (0), Rev.1, Rev.2, ... with the log seq it stops at."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    upto_seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[bytes] = mapped_column(LargeBinary)


class RevisionParagraph(Base):
    """A paragraph's standing in a revision: agreed ad ref, pending, bracketed."""

    __tablename__ = "revision_paragraphs"
    __table_args__ = (UniqueConstraint("revision_id", "paragraph_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    paragraph_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))


class DraftSponsor(Base):
    """A sponsor of the draft resolution: main sponsor, co-sponsor, or additional
    co-sponsor after tabling (listed apart by the Secretariat)."""

    __tablename__ = "draft_sponsors"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id"))
    kind: Mapped[str] = mapped_column(String(20))  # main | cosponsor | additional
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Comment(Base):
    """A comment on a paragraph or a proposal. The first comment on a target opens a
    thread (thread_id None); replies carry the thread's first comment's id. Resolving sets
    resolved_at on the first comment; nothing is deleted."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    paragraph_id: Mapped[str | None] = mapped_column(String(200))
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("amendments.id"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LibraryResolution(Base):
    """An adopted resolution kept for "where was this agreed?" and for checking references
    (penholder.library). Its paragraphs are in library_paragraphs."""

    __tablename__ = "library_resolutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    symbol: Mapped[str] = mapped_column(String(100), unique=True)  # A/RES/79/53
    session: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    committee: Mapped[str | None] = mapped_column(String(100))
    adopted_on: Mapped[str | None] = mapped_column(String(10))  # ISO date, as in the model
    source: Mapped[str] = mapped_column(String(300))  # the file it was read from
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LibraryParagraph(Base):
    """One paragraph or subparagraph of a library resolution, in document order, with the
    label it is cited by (PP3, OP4 (e) (ii))."""

    __tablename__ = "library_paragraphs"
    __table_args__ = (UniqueConstraint("resolution_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resolution_id: Mapped[int] = mapped_column(ForeignKey("library_resolutions.id"))
    position: Mapped[int] = mapped_column(Integer)
    paragraph_id: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)


# The full-text index of library_paragraphs differs by backend (an FTS5 virtual table and
# its shadow tables on SQLite, a tsvector table on PostgreSQL): migration 0005_library
# creates it in SQL, store/library.py maintains it, and it is not declared here.
SEARCH_INDEX = "library_fts"


def is_search_index(name: str | None) -> bool:
    return bool(name) and (name == SEARCH_INDEX or str(name).startswith(SEARCH_INDEX + "_"))


class DraftIssue(Base):
    """A document issued for a draft: the symbol the Secretariat gave it (A/C.1/81/L.12,
    then A/C.1/81/L.12/Rev.1 ...), the date of issue in its masthead and identifiers, and
    the log seq its text stops at (what a Rev. is tracked against). Tabling again under
    the same symbol keeps the first row: the date of issue does not move."""

    __tablename__ = "draft_issues"
    __table_args__ = (UniqueConstraint("draft_id", "symbol"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    symbol: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[date] = mapped_column(Date)
    upto_seq: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
