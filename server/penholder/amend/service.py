"""Filing, supporting and deciding amendments: the SQL records and the live document,
kept in step. Decisions on one draft are taken one at a time in a process; the status
change is claimed in SQL first, so two processes cannot apply one amendment twice."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from penholder.amend import records
from penholder.amend.apply import apply
from penholder.amend.lifecycle import (
    Actor,
    NotAllowed,
    WrongState,
    may_cosponsor,
    next_status,
)
from penholder.amend.operations import (
    AmendmentError,
    Proposal,
    check,
    current_state,
)
from penholder.auth import Principal
from penholder.model import Resolution
from penholder.store.tables import (
    Amendment,
    AmendmentEvent,
    Cosponsor,
    Draft,
    Revision,
    utcnow,
)
from penholder.sync.hooks import Author
from penholder.sync.locks import KeyedLocks
from penholder.sync.room import Rooms
from penholder.sync.schema import doc_of, read

FIELDS = ("operation", "paragraph_id", "position", "kind", "target_text", "new_text")


class NotFound(LookupError):
    pass


@dataclass
class Amendments:
    engine: Engine
    rooms: Rooms

    def __post_init__(self) -> None:
        self._locks = KeyedLocks()  # decisions on one draft one at a time

    async def current(self, draft_id: int) -> tuple[Resolution, int]:
        try:
            state, seq = await self.rooms.state(str(draft_id))
        except KeyError:
            raise NotFound(f"no draft {draft_id}") from None
        return await asyncio.to_thread(lambda: read(doc_of(state))), seq

    @staticmethod
    def actor(who: Principal, draft_id: int) -> Actor:
        return Actor(can_propose=who.can("propose", draft_id), can_decide=who.can("decide", draft_id),
                     delegation_id=who.delegation_id)

    # -- filing ------------------------------------------------------------------------
    async def file(self, draft_id: int, who: Principal, body: dict[str, Any]) -> dict[str, Any]:
        if not who.can("propose", draft_id) or who.delegation_id is None:
            raise NotAllowed(f"a {who.role.value} may not propose amendments")
        sponsor = body.get("sponsor")
        if sponsor is not None and str(sponsor).strip().casefold() != (who.delegation or "").casefold():
            raise NotAllowed(f"a delegation acts only under its own name: you propose as {who.delegation}, "
                             f"not {sponsor}")
        rationale = body.get("rationale") or ""
        if not isinstance(rationale, str) or len(rationale) > 10_000:
            raise AmendmentError("rationale must be text of at most 10,000 characters")
        fields = {k: body.get(k) for k in FIELDS}
        for k, v in fields.items():
            if v is not None and not isinstance(v, str):
                raise AmendmentError(f"{k} must be a string")
        res, seq = await self.current(draft_id)
        proposal = check(Proposal(**fields), res)  # type: ignore[arg-type]
        amendment_id = await asyncio.to_thread(self._insert, draft_id, who, proposal, rationale, seq)
        await self._publish(draft_id)
        return await self.show(amendment_id)

    def _insert(self, draft_id: int, who: Principal, p: Proposal, rationale: str, seq: int) -> int:
        with Session(self.engine) as db, db.begin():
            revision = db.scalar(select(Revision.id).where(Revision.draft_id == draft_id)
                                 .order_by(Revision.number.desc()).limit(1))
            a = Amendment(draft_id=draft_id, number=records.next_number(db, draft_id), sponsor_id=who.delegation_id,
                          filed_by=who.user_id, operation=p.operation, paragraph_id=p.paragraph_id,
                          position=p.position, kind=p.kind, target_text=p.target_text, new_text=p.new_text,
                          paragraph_text=p.paragraph_text, rationale=rationale, revision_id=revision,
                          against_seq=seq, status="proposed")
            db.add(a)
            db.flush()
            db.add(AmendmentEvent(amendment_id=a.id, user_id=who.user_id, delegation_id=who.delegation_id,
                                  action="proposed", note=rationale or None))
            return a.id

    # -- reading -----------------------------------------------------------------------
    def _row(self, db: Session, amendment_id: int) -> Amendment:
        a = db.get(Amendment, amendment_id)
        if a is None:
            raise NotFound(f"no amendment {amendment_id}")
        return a

    async def show(self, amendment_id: int) -> dict[str, Any]:
        draft_id = await asyncio.to_thread(self._draft_of, amendment_id)
        res, _ = await self.current(draft_id)
        with Session(self.engine) as db:
            return records.to_json(db, self._row(db, amendment_id), res)

    def _draft_of(self, amendment_id: int) -> int:
        with Session(self.engine) as db:
            return self._row(db, amendment_id).draft_id

    async def list(self, draft_id: int, status: str | None = None, sponsor: str | None = None,
                   paragraph: str | None = None, revision: int | None = None) -> list[dict[str, Any]]:
        res, _ = await self.current(draft_id)

        def query() -> list[dict[str, Any]]:
            with Session(self.engine) as db:
                names = records.delegation_names(db)
                q = select(Amendment).where(Amendment.draft_id == draft_id).order_by(Amendment.number)
                if status:
                    q = q.where(Amendment.status == status)
                if paragraph:
                    q = q.where((Amendment.paragraph_id == paragraph) | (Amendment.position == f"after:{paragraph}"))
                if revision is not None:
                    q = q.join(Revision, Revision.id == Amendment.revision_id).where(Revision.number == revision)
                rows = [records.to_json(db, a, res, names) for a in db.scalars(q)]
            if sponsor:
                key = sponsor.casefold()
                rows = [r for r in rows if r["sponsor"].casefold() == key
                        or any(c["delegation"].casefold() == key for c in r["cosponsors"])]
            return rows
        return await asyncio.to_thread(query)

    # -- co-sponsors -------------------------------------------------------------------
    async def cosponsor(self, amendment_id: int, who: Principal, join: bool) -> dict[str, Any]:
        def work() -> None:
            with Session(self.engine) as db, db.begin():
                a = self._row(db, amendment_id)
                actor = self.actor(who, a.draft_id)
                current = db.scalars(select(Cosponsor).where(
                    Cosponsor.amendment_id == a.id, Cosponsor.delegation_id == who.delegation_id,
                    Cosponsor.left_at.is_(None))).first()
                if join:
                    may_cosponsor(actor, a.sponsor_id, a.status)
                    if current is not None:
                        raise WrongState(f"{who.delegation} already co-sponsors amendment {a.number}")
                    db.add(Cosponsor(amendment_id=a.id, delegation_id=who.delegation_id))
                else:
                    if current is None:
                        raise WrongState(f"{who.delegation} does not co-sponsor amendment {a.number}")
                    current.left_at = utcnow()
                db.add(AmendmentEvent(amendment_id=a.id, user_id=who.user_id, delegation_id=who.delegation_id,
                                      action="cosponsored" if join else "left"))
        await asyncio.to_thread(work)
        draft_id = await asyncio.to_thread(self._draft_of, amendment_id)
        await self._publish(draft_id)
        return await self.show(amendment_id)

    # -- decisions ---------------------------------------------------------------------
    async def act(self, amendment_id: int, who: Principal, action: str, note: str | None = None,
                  rebase: dict[str, Any] | None = None, by: int | None = None) -> dict[str, Any]:
        draft_id = await asyncio.to_thread(self._draft_of, amendment_id)
        async with self._locks.hold(draft_id):
            with Session(self.engine) as db:
                a = self._row(db, amendment_id)
                target = next_status(action, a.status, self.actor(who, draft_id), a.sponsor_id)
                proposal, number = records.proposal_of(a), a.number
                author = Author(a.filed_by, a.sponsor_id, f"amendment:{a.number}")
                status = a.status
            if action == "supersede" and by is not None:
                await asyncio.to_thread(self._check_superseder, draft_id, amendment_id, by)
            applied_seq = None
            if action == "accept":
                res, _ = await self.current(draft_id)
                if rebase:
                    proposal = check(replace(proposal, **{k: v for k, v in rebase.items() if k in
                                                          ("target_text", "new_text", "position")}), res)
                    note = ((note + "\n") if note else "") + "rebased: " + json.dumps(
                        {k: getattr(proposal, k) for k in ("target_text", "new_text", "position")}, ensure_ascii=False)
                else:
                    current_state(proposal, res)  # raises Stale with the current text
                await asyncio.to_thread(self._claim, amendment_id, status, target)
                try:
                    applied_seq = await self.rooms.change(
                        str(draft_id), lambda d: apply(d, proposal, f"am{draft_id}-{number}"), author)
                except Exception:
                    await asyncio.to_thread(self._claim, amendment_id, target, status)
                    raise
            else:
                await asyncio.to_thread(self._claim, amendment_id, status, target)
            await asyncio.to_thread(self._record, amendment_id, who, action, note, applied_seq, by)
        await self._publish(draft_id)
        return await self.show(amendment_id)

    def _check_superseder(self, draft_id: int, amendment_id: int, by: int) -> None:
        with Session(self.engine) as db:
            other = db.get(Amendment, by)
            if other is None or other.draft_id != draft_id or other.id == amendment_id:
                raise AmendmentError(f"amendment {by} is not another amendment of this draft")

    def _claim(self, amendment_id: int, expected: str, target: str) -> None:
        with Session(self.engine) as db, db.begin():
            done = db.execute(update(Amendment).where(Amendment.id == amendment_id, Amendment.status == expected)
                              .values(status=target)).rowcount
            if done != 1:
                raise WrongState("the amendment was decided meanwhile")

    def _record(self, amendment_id: int, who: Principal, action: str, note: str | None,
                applied_seq: int | None, by: int | None) -> None:
        past = {"accept": "accepted", "reject": "rejected", "withdraw": "withdrawn",
                "supersede": "superseded", "reopen": "reopened"}[action]
        with Session(self.engine) as db, db.begin():
            a = self._row(db, amendment_id)
            if applied_seq is not None:
                a.applied_seq = applied_seq
            if action == "supersede":
                a.superseded_by = by
            db.add(AmendmentEvent(amendment_id=a.id, user_id=who.user_id, delegation_id=who.delegation_id,
                                  action=past, note=note))

    # -- the live view -----------------------------------------------------------------
    async def proposals_view(self, draft_id: int) -> dict[str, Any]:
        """Pending proposals as the entries of the document's `proposals` map, so that
        every client sees them where they apply (docs/sync.md)."""
        pending = await self.list(draft_id, status="proposed")
        return {str(p["number"]): {k: p[k] for k in (
            "id", "number", "sponsor", "operation", "paragraph_id", "position", "kind",
            "target_text", "new_text", "summary", "stale")} | {
            "cosponsors": [c["delegation"] for c in p["cosponsors"]]} for p in pending}

    async def _publish(self, draft_id: int) -> None:
        """To the draft's open rooms, derived from the records: not logged (sync/view.py)."""
        staff = await asyncio.to_thread(self._draft_owner, draft_id)
        await self.rooms.publish(str(draft_id), lambda: self.proposals_view(draft_id),
                                 Author(staff, None, "proposals"))

    def _draft_owner(self, draft_id: int) -> int:
        with Session(self.engine) as db:
            draft = db.get(Draft, draft_id)
            if draft is None:
                raise NotFound(f"no draft {draft_id}")
            return draft.created_by
