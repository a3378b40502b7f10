"""What facilitators read: the compilation text, a paragraph's history, a delegation's
record; and what they and the Secretariat do to the draft as a whole: revisions,
sponsors, tabling, lists of proposals."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from typing import Any

from pycrdt import Doc, Map

from penholder.store import issues
from penholder.amend import activity, revisions, sittings, sponsors, touches
from penholder.amend.comments import Comments
from penholder.amend.compilation import compile_text
from penholder.amend.lifecycle import NotAllowed
from penholder.amend.operations import AmendmentError, labels
from penholder.amend.service import Amendments, NotFound
from penholder.auth import Principal
from penholder.auth.policy import a_role
from penholder.ingest import IngestError, import_bytes
from penholder.model import ProposalList
from penholder.model.operative import as_operative
from penholder.store import drafts as stored_drafts
from penholder.sync.hooks import Author


MAX_ITEMS = 1000  # proposals in one uploaded list; real lists hold tens


class Review:
    """What facilitators read: the compilation text, a paragraph's history, a delegation's
    record; and what they and the Secretariat do to the draft as a whole: revisions,
    sponsors, tabling."""

    def __init__(self, amendments: Amendments) -> None:
        self.a = amendments
        self.engine = amendments.engine
        self.comments = Comments(amendments)

    async def compilation(self, draft_id: int) -> dict[str, Any]:
        res, _ = await self.a.current(draft_id)
        pending = await self.a.list(draft_id, status="proposed")
        return await asyncio.to_thread(compile_text, res, pending) | {"draft_id": draft_id}

    async def paragraph_history(self, draft_id: int, paragraph_id: str,
                                gap: timedelta = sittings.GAP) -> dict[str, Any]:
        res, _ = await self.a.current(draft_id)
        label = labels(res).get(paragraph_id)
        log = await asyncio.to_thread(touches.replay, self.engine, draft_id, paragraph_id)
        items: list[dict[str, Any]] = []
        for t in log:
            if paragraph_id not in t.paragraphs or t.before == t.after:
                continue
            kind = "amendment" if (t.origin or "").startswith("amendment:") else (
                "technical" if t.technical else "edit")
            change = "added" if t.before is None else "removed" if t.after is None else "edited"
            items.append({"at": t.at, "kind": kind, "by": t.user, "delegation": t.delegation,
                          "origin": t.origin, "seq": t.seq, "change": change, "before": t.before, "after": t.after})
        amendments = await self.a.list(draft_id, paragraph=paragraph_id)
        for am in amendments:
            for ev in am["events"]:
                items.append({"at": ev["at"], "kind": "proposal", "by": ev["by"], "delegation": ev["delegation"],
                              "amendment": am["number"], "action": ev["action"], "sponsor": am["sponsor"],
                              "summary": am["summary"], "note": ev["note"]})
        for thread in await self.comments.threads(draft_id, paragraph=paragraph_id):
            for c in thread["comments"]:
                items.append({"at": c["at"], "kind": "comment", "by": c["by"], "delegation": c["delegation"],
                              "comment": c["id"], "thread": thread["id"], "text": c["text"],
                              "resolved": thread["resolved"]})
        if label is None and not items:
            raise NotFound(f"no paragraph {paragraph_id!r} in draft {draft_id}")
        items.sort(key=lambda i: i["at"])
        return {"draft_id": draft_id, "paragraph_id": paragraph_id, "label": label,
                "gap_minutes": gap.total_seconds() / 60, "history": sittings.group(items, gap)}

    async def activity(self, draft_id: int, limit: int = 200, gap: timedelta = sittings.GAP) -> dict[str, Any]:
        res, _ = await self.a.current(draft_id)
        log = await asyncio.to_thread(touches.replay, self.engine, draft_id)
        entries = activity.merge(
            activity.amendment_entries(await self.a.list(draft_id)),
            activity.revision_entries(await asyncio.to_thread(revisions.listing, self.engine, draft_id)),
            activity.comment_entries(await self.comments.threads(draft_id)),
            activity.edit_entries(log, labels(res), gap), limit=limit)
        return {"draft_id": draft_id, "activity": entries}

    async def delegation(self, draft_id: int, name: str) -> dict[str, Any]:
        rows = await self.a.list(draft_id)
        key = name.casefold()
        own = [r for r in rows if r["sponsor"].casefold() == key]
        supported = [r for r in rows if any(c["delegation"].casefold() == key for c in r["sponsorship"])]
        brief = (lambda r: {"id": r["id"], "number": r["number"], "status": r["status"],  # noqa: E731
                            "paragraph": r["paragraph"], "summary": r["summary"]})
        return {"draft_id": draft_id, "delegation": name,
                "proposed": [brief(r) for r in own],
                "supported": [brief(r) | {"sponsor": r["sponsor"]} for r in supported],
                "withdrawn": [brief(r) for r in own if r["status"] == "withdrawn"],
                "accepted": [brief(r) for r in own if r["status"] == "accepted"]}

    async def cut_revision(self, draft_id: int, who: Principal, standings: dict[str, str] | None) -> dict[str, Any]:
        if not who.can("revise", draft_id):
            raise NotAllowed(f"{a_role(who.role_on(draft_id))} may not cut a revision")
        try:
            state, seq = await self.a.rooms.state(str(draft_id))
        except KeyError:
            raise NotFound(f"no draft {draft_id}") from None
        number = await asyncio.to_thread(revisions.cut, self.engine, draft_id, who.user_id, state, seq, standings)
        return next(r for r in await asyncio.to_thread(revisions.listing, self.engine, draft_id) if r["number"] == number)

    async def sponsors_changed(self, draft_id: int) -> None:
        """The sponsors line lives in the document's heading too (meta.sponsors)."""
        names = await asyncio.to_thread(sponsors.names_in_order, self.engine, draft_id)
        staff = await asyncio.to_thread(self.a.draft_owner, draft_id)

        def edit(doc: Doc) -> None:
            meta = doc.get("meta", type=Map)
            if meta.get("sponsors") != names:
                meta["sponsors"] = names
        await self.a.rooms.change(str(draft_id), edit, Author(staff, None, "technical"))

    async def table(self, draft_id: int, who: Principal, symbol: str) -> None:
        """The Secretariat issues the draft under its L. symbol: the draft is tabled."""
        if who.kind.value != "secretariat" or not who.can("revise", draft_id):
            raise NotAllowed("only the Secretariat issues a symbol")
        if not re.fullmatch(r"A/(?:C\.\d/)?\d+/L\.\d+(?:/Rev\.\d+)?", symbol or ""):
            raise AmendmentError(f"not a draft symbol: {symbol!r} (A/C.1/81/L.12)")

        if not await asyncio.to_thread(stored_drafts.set_symbol, self.engine, draft_id, symbol):
            raise NotFound(f"no draft {draft_id}")

        def edit(doc: Doc) -> None:
            doc.get("meta", type=Map)["symbol"] = symbol
        seq = await self.a.rooms.change(str(draft_id), edit, Author(who.user_id, None, "technical"))
        # the date of issue, fixed now: the masthead and the AKN identifiers carry it
        await asyncio.to_thread(issues.record, self.engine, draft_id, symbol, seq, who.user_id)

    async def import_list(self, draft_id: int, who: Principal, data: bytes, name: str) -> list[dict[str, Any]]:
        """Each item of a delegation's list of proposals, filed as a proposed new operative
        paragraph under that delegation, with its heading as the rationale. The file is
        read in a worker thread (a large one must not stall the server's loop), and the
        items are filed all or none."""
        try:
            doc = await asyncio.to_thread(import_bytes, data, name)
        except IngestError as exc:
            raise AmendmentError(str(exc)) from None
        if not isinstance(doc, ProposalList):
            raise AmendmentError(f"{name}: a resolution, not a list of proposals")
        if len(doc.items) > MAX_ITEMS:
            raise AmendmentError(f"{name}: {len(doc.items)} proposals; a list may hold at most {MAX_ITEMS}")
        res, _ = await self.a.current(draft_id)
        if not res.operative:
            raise AmendmentError("the draft has no operative part to add to")
        # New operative paragraphs go before the closing "Decides to include ..." paragraph.
        last = res.operative[-1]
        anchor = res.operative[-2] if len(res.operative) > 1 and last.text.startswith("Decides to include") else last
        return await self.a.file_many(draft_id, who, [
            {"operation": "add_paragraph", "position": f"after:{anchor.id}", "kind": "op",
             "new_text": as_operative(item.text), "rationale": item.heading} for item in doc.items])
