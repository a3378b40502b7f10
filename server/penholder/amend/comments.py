"""Comments: threads on a paragraph or a proposal (who, when, text), resolvable, kept in
SQL. Each change is published to the room as counts in the top-level Y.Map `comments`
(target -> open threads, comments, last), through the path proposals take, so that a
page can show a badge live and fetch the thread; the text itself stays in SQL."""

from __future__ import annotations

import asyncio
from typing import Any

from pycrdt import Doc, Map
from sqlalchemy import select
from sqlalchemy.orm import Session

from penholder.amend import records
from penholder.amend.lifecycle import NotAllowed
from penholder.amend.operations import AmendmentError, labels
from penholder.amend.service import Amendments, NotFound
from penholder.auth import Principal
from penholder.auth.policy import a_role
from penholder.store.tables import Amendment, Comment, User, utcnow
from penholder.sync.hooks import Author

MAX_TEXT = 10_000


def _target(c: Comment, numbers: dict[int, int]) -> str:
    return f"amendment:{numbers[c.amendment_id]}" if c.amendment_id else f"paragraph:{c.paragraph_id}"


class Comments:
    def __init__(self, amendments: Amendments) -> None:
        self.a = amendments
        self.engine = amendments.engine

    async def post(self, draft_id: int, who: Principal, body: dict[str, Any]) -> dict[str, Any]:
        if not who.can("comment", draft_id):
            raise NotAllowed(f"{a_role(who.role_on(draft_id))} may not comment")
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise AmendmentError("a comment needs 'text'")
        if len(text) > MAX_TEXT:
            raise AmendmentError(f"a comment is at most {MAX_TEXT:,} characters")
        pid, amendment_id, reply_to = body.get("paragraph_id"), body.get("amendment_id"), body.get("reply_to")
        if sum(x is not None for x in (pid, amendment_id, reply_to)) != 1:
            raise AmendmentError("comment on one thing: 'paragraph_id', 'amendment_id', or 'reply_to' a comment")
        if pid is not None:
            if not isinstance(pid, str):
                raise AmendmentError("paragraph_id must be a string")
            res, _ = await self.a.current(draft_id)
            if pid not in labels(res):
                raise AmendmentError(f"no paragraph {pid!r} in this draft")
        for name, value in (("amendment_id", amendment_id), ("reply_to", reply_to)):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise AmendmentError(f"{name} must be a number")

        def insert() -> int:
            with Session(self.engine) as db, db.begin():
                c = Comment(draft_id=draft_id, user_id=who.user_id, delegation_id=who.delegation_id,
                            text=text.strip(), paragraph_id=pid)
                if amendment_id is not None:
                    a = db.get(Amendment, amendment_id)
                    if a is None or a.draft_id != draft_id:
                        raise AmendmentError(f"no amendment {amendment_id} in this draft")
                    c.amendment_id = a.id
                if reply_to is not None:
                    parent = db.get(Comment, reply_to)
                    if parent is None or parent.draft_id != draft_id:
                        raise AmendmentError(f"no comment {reply_to} in this draft")
                    root = db.get(Comment, parent.thread_id) if parent.thread_id else parent
                    assert root is not None
                    c.thread_id, c.paragraph_id, c.amendment_id = root.id, root.paragraph_id, root.amendment_id
                    root.resolved_at = root.resolved_by = None  # a reply reopens the thread
                db.add(c)
                db.flush()
                return c.thread_id or c.id
        thread = await asyncio.to_thread(insert)
        await self._publish(draft_id)
        return await self.thread(thread)

    async def resolve(self, comment_id: int, who: Principal, resolved: bool) -> dict[str, Any]:
        def work() -> tuple[int, int]:
            with Session(self.engine) as db, db.begin():
                c = db.get(Comment, comment_id)
                if c is None:
                    raise NotFound(f"no comment {comment_id}")
                if not who.can("comment", c.draft_id):
                    raise NotAllowed(f"{a_role(who.role_on(c.draft_id))} may not resolve comments")
                root = db.get(Comment, c.thread_id) if c.thread_id else c
                assert root is not None
                root.resolved_at = utcnow() if resolved else None
                root.resolved_by = who.user_id if resolved else None
                return root.draft_id, root.id
        draft_id, thread = await asyncio.to_thread(work)
        await self._publish(draft_id)
        return await self.thread(thread)

    async def draft_of(self, comment_id: int) -> int:
        def read() -> int:
            with Session(self.engine) as db:
                c = db.get(Comment, comment_id)
                if c is None:
                    raise NotFound(f"no comment {comment_id}")
                return c.draft_id
        return await asyncio.to_thread(read)

    async def thread(self, thread_id: int) -> dict[str, Any]:
        draft_id = await self.draft_of(thread_id)
        rows = await self.threads(draft_id)
        return next(t for t in rows if t["id"] == thread_id)

    async def threads(self, draft_id: int, paragraph: str | None = None, amendment: int | None = None,
                      resolved: bool | None = None) -> list[dict[str, Any]]:
        """Threads in the order they were opened, each with its comments in order."""
        res, _ = await self.a.current(draft_id)
        lab = labels(res)

        def query() -> list[dict[str, Any]]:
            with Session(self.engine) as db:
                names = records.delegation_names(db)
                users = dict(db.execute(select(User.id, User.name)).all())
                numbers = dict(db.execute(select(Amendment.id, Amendment.number)
                                          .where(Amendment.draft_id == draft_id)).all())
                rows = db.scalars(select(Comment).where(Comment.draft_id == draft_id).order_by(Comment.id)).all()
            out: dict[int, dict[str, Any]] = {}
            for c in rows:
                item = {"id": c.id, "by": users.get(c.user_id), "delegation": names.get(c.delegation_id)
                        if c.delegation_id else None, "at": c.created_at.isoformat(), "text": c.text}
                if c.thread_id is None:
                    out[c.id] = {"id": c.id, "draft_id": draft_id, "target": _target(c, numbers),
                                 "paragraph_id": c.paragraph_id, "paragraph": lab.get(c.paragraph_id or ""),
                                 "amendment_id": c.amendment_id,
                                 "amendment": numbers.get(c.amendment_id) if c.amendment_id else None,
                                 "resolved": c.resolved_at is not None,
                                 "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None,
                                 "resolved_by": users.get(c.resolved_by) if c.resolved_by else None,
                                 "comments": [item]}
                elif c.thread_id in out:
                    out[c.thread_id]["comments"].append(item)
            threads = list(out.values())
            if paragraph is not None:
                threads = [t for t in threads if t["paragraph_id"] == paragraph]
            if amendment is not None:
                threads = [t for t in threads if t["amendment"] == amendment]
            if resolved is not None:
                threads = [t for t in threads if t["resolved"] == resolved]
            return threads
        return await asyncio.to_thread(query)

    async def _publish(self, draft_id: int) -> None:
        threads = await self.threads(draft_id)
        counts: dict[str, dict[str, Any]] = {}
        for t in threads:
            entry = counts.setdefault(t["target"], {"open": 0, "comments": 0, "last": None})
            entry["open"] += 0 if t["resolved"] else 1
            entry["comments"] += len(t["comments"])
            entry["last"] = max(entry["last"] or "", t["comments"][-1]["at"])

        def edit(doc: Doc) -> None:
            live = doc.get("comments", type=Map)
            for key in list(live.keys()):
                if key not in counts:
                    del live[key]
            for key, value in counts.items():
                if live.get(key) != value:
                    live[key] = value

        staff = await asyncio.to_thread(self.a.draft_owner, draft_id)
        await self.a.rooms.change(str(draft_id), edit, Author(staff, None, "comments"))
