"""Comments (threads on a paragraph or a proposal): written and read as plain values.
A thread is its first comment's id; replies carry it as thread_id (store/tables.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from penholder.store.errors import Missing
from penholder.store.names import delegation_names, user_names
from penholder.store.tables import Amendment, Comment, utcnow


@dataclass(frozen=True)
class CommentRow:
    id: int
    thread_id: int | None
    by: str | None
    delegation: str | None
    at: datetime
    text: str
    paragraph_id: str | None
    amendment_id: int | None
    amendment: int | None  # the amendment's number in its draft
    resolved_at: datetime | None
    resolved_by: str | None


def add(engine: Engine, draft_id: int, user_id: int, delegation_id: int | None, text: str, *,
        paragraph_id: str | None = None, amendment_id: int | None = None, reply_to: int | None = None) -> int:
    """Add a comment (opening a thread, or replying to any comment of one, which reopens
    it); return its thread's id. Missing: no such amendment or comment in the draft."""
    with Session(engine) as db, db.begin():
        c = Comment(draft_id=draft_id, user_id=user_id, delegation_id=delegation_id, text=text,
                    paragraph_id=paragraph_id)
        if amendment_id is not None:
            a = db.get(Amendment, amendment_id)
            if a is None or a.draft_id != draft_id:
                raise Missing(f"no amendment {amendment_id} in this draft")
            c.amendment_id = a.id
        if reply_to is not None:
            parent = db.get(Comment, reply_to)
            if parent is None or parent.draft_id != draft_id:
                raise Missing(f"no comment {reply_to} in this draft")
            root = db.get(Comment, parent.thread_id) if parent.thread_id else parent
            assert root is not None
            c.thread_id, c.paragraph_id, c.amendment_id = root.id, root.paragraph_id, root.amendment_id
            root.resolved_at = root.resolved_by = None  # a reply reopens the thread
        db.add(c)
        db.flush()
        return c.thread_id or c.id


def resolve(engine: Engine, comment_id: int, user_id: int, resolved: bool,
            allowed: Callable[[int], None]) -> tuple[int, int]:
    """Resolve (or reopen) the thread of a comment; return (its draft, the thread's id).
    `allowed(draft_id)` raises if the user may not, inside the transaction. Missing: no
    such comment."""
    with Session(engine) as db, db.begin():
        c = db.get(Comment, comment_id)
        if c is None:
            raise Missing(f"no comment {comment_id}")
        allowed(c.draft_id)
        root = db.get(Comment, c.thread_id) if c.thread_id else c
        assert root is not None
        root.resolved_at = utcnow() if resolved else None
        root.resolved_by = user_id if resolved else None
        return root.draft_id, root.id


def draft_of(engine: Engine, comment_id: int) -> int:
    with Session(engine) as db:
        c = db.get(Comment, comment_id)
        if c is None:
            raise Missing(f"no comment {comment_id}")
        return c.draft_id


def of_draft(engine: Engine, draft_id: int) -> list[CommentRow]:
    """Every comment of the draft, in the order they were made."""
    with Session(engine) as db:
        names = delegation_names(db)
        users = user_names(db)
        numbers = dict(db.execute(select(Amendment.id, Amendment.number)
                                  .where(Amendment.draft_id == draft_id)).all())
        rows = db.scalars(select(Comment).where(Comment.draft_id == draft_id).order_by(Comment.id)).all()
        return [CommentRow(c.id, c.thread_id, users.get(c.user_id),
                           names.get(c.delegation_id) if c.delegation_id else None, c.created_at, c.text,
                           c.paragraph_id, c.amendment_id, numbers.get(c.amendment_id) if c.amendment_id else None,
                           c.resolved_at, users.get(c.resolved_by) if c.resolved_by else None)
                for c in rows]
