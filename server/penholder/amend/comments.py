"""Comments: threads on a paragraph or a proposal (who, when, text), resolvable, kept in
SQL. Each change is published to the draft's open rooms as counts in the top-level Y.Map
`comments` (target -> open threads, comments, last), derived like the proposals (never
in the update log: sync/view.py), so that a page can show a badge live and fetch the
thread; the text itself stays in SQL."""

from __future__ import annotations

import asyncio
from typing import Any

from penholder.amend.lifecycle import NotAllowed
from penholder.amend.operations import AmendmentError, labels
from penholder.amend.service import Amendments, NotFound
from penholder.auth import Principal
from penholder.auth.policy import a_role
from penholder.store import comments as stored
from penholder.store.comments import CommentRow
from penholder.store.errors import Missing
from penholder.sync.hooks import Author

MAX_TEXT = 10_000


def _target(c: CommentRow) -> str:
    return f"amendment:{c.amendment}" if c.amendment_id else f"paragraph:{c.paragraph_id}"


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

        try:
            thread = await asyncio.to_thread(
                stored.add, self.engine, draft_id, who.user_id, who.delegation_id, text.strip(),
                paragraph_id=pid, amendment_id=amendment_id, reply_to=reply_to)
        except Missing as exc:
            raise AmendmentError(str(exc)) from None
        await self._publish(draft_id)
        return await self.thread(thread)

    async def resolve(self, comment_id: int, who: Principal, resolved: bool) -> dict[str, Any]:
        def allowed(draft_id: int) -> None:
            if not who.can("comment", draft_id):
                raise NotAllowed(f"{a_role(who.role_on(draft_id))} may not resolve comments")
        try:
            draft_id, thread = await asyncio.to_thread(
                stored.resolve, self.engine, comment_id, who.user_id, resolved, allowed)
        except Missing as exc:
            raise NotFound(str(exc)) from None
        await self._publish(draft_id)
        return await self.thread(thread)

    async def draft_of(self, comment_id: int) -> int:
        try:
            return await asyncio.to_thread(stored.draft_of, self.engine, comment_id)
        except Missing as exc:
            raise NotFound(str(exc)) from None

    async def thread(self, thread_id: int) -> dict[str, Any]:
        draft_id = await self.draft_of(thread_id)
        rows = await self.threads(draft_id)
        return next(t for t in rows if t["id"] == thread_id)

    async def threads(self, draft_id: int, paragraph: str | None = None, amendment: int | None = None,
                      resolved: bool | None = None) -> list[dict[str, Any]]:
        """Threads in the order they were opened, each with its comments in order."""
        res, _ = await self.a.current(draft_id)
        lab = labels(res)

        rows = await asyncio.to_thread(stored.of_draft, self.engine, draft_id)
        out: dict[int, dict[str, Any]] = {}
        for c in rows:
            item = {"id": c.id, "by": c.by, "delegation": c.delegation, "at": c.at.isoformat(), "text": c.text}
            if c.thread_id is None:
                out[c.id] = {"id": c.id, "draft_id": draft_id, "target": _target(c),
                             "paragraph_id": c.paragraph_id, "paragraph": lab.get(c.paragraph_id or ""),
                             "amendment_id": c.amendment_id, "amendment": c.amendment,
                             "resolved": c.resolved_at is not None,
                             "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None,
                             "resolved_by": c.resolved_by,
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

    async def counts(self, draft_id: int) -> dict[str, dict[str, Any]]:
        """The `comments` map of the derived view: per target, its open threads, its
        comments and the time of the newest thread's last comment."""
        rows = await asyncio.to_thread(stored.of_draft, self.engine, draft_id)
        roots = {c.id: c for c in rows if c.thread_id is None}
        last: dict[int, str] = {}  # thread -> its last comment's time (comments come in order)
        for c in rows:
            thread = c.thread_id or c.id
            if thread in roots:
                last[thread] = c.at.isoformat()
        counts: dict[str, dict[str, Any]] = {}
        for c in rows:
            thread = c.thread_id or c.id
            if thread not in roots:
                continue
            root = roots[thread]
            entry = counts.setdefault(_target(root), {"open": 0, "comments": 0, "last": None})
            entry["comments"] += 1
            if c.thread_id is None:
                entry["open"] += 0 if root.resolved_at is not None else 1
                entry["last"] = max(entry["last"] or "", last[thread])
        return counts

    async def _publish(self, draft_id: int) -> None:
        """The counts to the draft's open rooms, derived from SQL: not logged (sync/view.py)."""
        staff = await asyncio.to_thread(self.a.draft_owner, draft_id)
        await self.a.rooms.publish(str(draft_id), "comments", lambda: self.counts(draft_id),
                                   Author(staff, None, "comments"))
