"""Filing, supporting and deciding amendments: the SQL records and the live document,
kept in step. Decisions on one draft are taken one at a time in a process; the status
change is claimed in SQL first, so two processes cannot apply one amendment twice."""

from __future__ import annotations

import asyncio
import json
from dataclasses import astuple, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from pycrdt import Doc

from penholder.amend import records
from penholder.amend.apply import apply
from penholder.amend.lifecycle import (
    Actor,
    NotAllowed,
    NotFound,
    WrongState,
    may_cosponsor,
    next_status,
)
from penholder.amend.operations import (
    AmendmentError,
    Proposal,
    check,
    current_state,
    labels,
)
from penholder.auth import Principal
from penholder.compare import word_diff
from penholder.auth.policy import a_role
from penholder.model import Resolution
from penholder.store import Engine
from penholder.store import amendments as stored
from penholder.store import drafts as stored_drafts
from penholder.store.amendments import AmendmentRow
from penholder.store.errors import Missing
from penholder.sync.edits import paragraph_texts
from penholder.sync.hooks import Author
from penholder.sync.locks import KeyedLocks
from penholder.sync.room import Rooms
from penholder.sync.schema import doc_of, read

FIELDS = ("operation", "paragraph_id", "position", "kind", "target_text", "new_text")


class RateLimited(Exception):
    """A delegation filed more amendments than the limit allows in the window (HTTP 429)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class FilingLimit:
    """At most `count` amendments per delegation in any `seconds`, on all drafts together:
    a real negotiation files a few dozen a day; a script filing thousands is refused
    before it fills the compilation and the live view. docs/security.md."""

    count: int = 300
    seconds: int = 3600

    @classmethod
    def parse(cls, text: str) -> FilingLimit:
        """'300/3600': count per seconds."""
        count, _, seconds = text.partition("/")
        try:
            limit = cls(int(count), int(seconds or 3600))
        except ValueError:
            raise ValueError(f"a filing limit is COUNT/SECONDS, like 300/3600, not {text!r}") from None
        if limit.count < 1 or limit.seconds < 1:
            raise ValueError("a filing limit's count and seconds must be at least 1")
        return limit


REBASE_FIELDS = ("target_text", "new_text", "position")


def _rebased(proposal: Proposal, rebase: dict[str, Any], res: Resolution) -> Proposal:
    """The proposal with the facilitator's new quote, text or position, checked against
    the text as it stands."""
    for k, v in rebase.items():
        if k not in REBASE_FIELDS:
            raise AmendmentError(f"a rebase changes only {', '.join(REBASE_FIELDS)}, not {k!r}")
        if v is not None and not isinstance(v, str):
            raise AmendmentError(f"rebase {k} must be text")
    return check(replace(proposal, **{k: v for k, v in rebase.items() if v is not None}), res)


@dataclass
class Amendments:
    engine: Engine
    rooms: Rooms
    limit: FilingLimit = field(default_factory=FilingLimit)

    def __post_init__(self) -> None:
        self._locks = KeyedLocks()  # filings and decisions on one draft one at a time

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
        return (await self.file_many(draft_id, who, [body]))[0]

    async def file_many(self, draft_id: int, who: Principal, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """File each proposal under the principal's delegation, all or none: each is checked
        against the current text, then all are stored in one transaction and published
        once. The cost of each is independent of how many are pending."""
        if not who.can("propose", draft_id) or who.delegation_id is None:
            raise NotAllowed(f"{a_role(who.role_on(draft_id))} may not propose amendments")
        for body in bodies:
            sponsor = body.get("sponsor")
            if sponsor is not None and str(sponsor).strip().casefold() != (who.delegation or "").casefold():
                raise NotAllowed(f"a delegation acts only under its own name: you propose as {who.delegation}, "
                                 f"not {sponsor}")
        # Read and checked without opening the room (a refusal writes nothing, not even a
        # snapshot), then published with the text it was checked against.
        res, seq = await self.current(draft_id)

        def checked() -> list[tuple[Proposal, str]]:
            out = []
            for body in bodies:
                rationale = body.get("rationale") or ""
                if not isinstance(rationale, str) or len(rationale) > 10_000:
                    raise AmendmentError("rationale must be text of at most 10,000 characters")
                fields = {k: body.get(k) for k in FIELDS}
                for k, v in fields.items():
                    if v is not None and not isinstance(v, str):
                        raise AmendmentError(f"{k} must be a string")
                out.append((check(Proposal(**fields), res), rationale))  # type: ignore[arg-type]
            return out
        proposals = await asyncio.to_thread(checked)
        async with self._locks.hold(draft_id):  # numbers are taken one filing at a time
            ids = await asyncio.to_thread(self._insert, draft_id, who, proposals, seq)
        await self._publish(draft_id, ids, res)
        return await asyncio.to_thread(self._shown, ids, res)

    def _insert(self, draft_id: int, who: Principal, proposals: list[tuple[Proposal, str]], seq: int) -> list[int]:
        assert who.delegation_id is not None
        since = datetime.now(UTC) - timedelta(seconds=self.limit.seconds)
        return stored.file(self.engine, draft_id, who.delegation_id, who.user_id,
                           [(astuple(p), rationale) for p, rationale in proposals], seq, since,
                           lambda recent: self._check_rate(who, recent, len(proposals)))

    def _check_rate(self, who: Principal, recent: int, adding: int) -> None:
        if recent + adding > self.limit.count:
            window = f"{self.limit.seconds // 60} minutes" if self.limit.seconds % 60 == 0 else \
                f"{self.limit.seconds} seconds"
            raise RateLimited(f"{who.delegation} has filed {recent} amendments in the last {window}; the limit "
                              f"is {self.limit.count} (these would make {recent + adding}): try again later",
                              retry_after=max(1, self.limit.seconds // 10))

    def _shown(self, ids: list[int], res: Resolution) -> list[dict[str, Any]]:
        return [records.to_json(a, res) for a in self._rows(ids)]

    # -- reading -----------------------------------------------------------------------
    async def owner(self, amendment_id: int) -> tuple[int, int]:
        """The draft an amendment is on and its sponsoring delegation, for authorization."""
        def look() -> tuple[int, int]:
            try:
                return stored.draft_and_sponsor(self.engine, amendment_id)
            except Missing as exc:
                raise NotFound(str(exc)) from None
        return await asyncio.to_thread(look)

    def _row(self, amendment_id: int) -> AmendmentRow:
        try:
            return stored.get(self.engine, amendment_id)
        except Missing as exc:
            raise NotFound(str(exc)) from None

    def _rows(self, ids: list[int]) -> list[AmendmentRow]:
        try:
            return stored.get_many(self.engine, ids)
        except Missing as exc:
            raise NotFound(str(exc)) from None

    async def show(self, amendment_id: int) -> dict[str, Any]:
        draft_id = await asyncio.to_thread(self._draft_of, amendment_id)
        res, _ = await self.current(draft_id)
        return records.to_json(await asyncio.to_thread(self._row, amendment_id), res)

    def _draft_of(self, amendment_id: int) -> int:
        try:
            return stored.draft_and_sponsor(self.engine, amendment_id)[0]
        except Missing as exc:
            raise NotFound(str(exc)) from None

    async def list(self, draft_id: int, status: str | None = None, sponsor: str | None = None,
                   paragraph: str | None = None, revision: int | None = None) -> list[dict[str, Any]]:
        res, _ = await self.current(draft_id)

        def query() -> list[dict[str, Any]]:
            rows = [records.to_json(a, res) for a in stored.of_draft(self.engine, draft_id, status, paragraph, revision)]
            if sponsor:
                key = sponsor.casefold()
                rows = [r for r in rows if r["sponsor"].casefold() == key
                        or any(c["delegation"].casefold() == key for c in r["cosponsors"])]
            return rows
        return await asyncio.to_thread(query)

    # -- co-sponsors -------------------------------------------------------------------
    async def cosponsor(self, amendment_id: int, who: Principal, join: bool) -> dict[str, Any]:
        def check(a: AmendmentRow, already: bool) -> None:
            if join:
                may_cosponsor(self.actor(who, a.draft_id), a.sponsor_id, a.status)
                if already:
                    raise WrongState(f"{who.delegation} already co-sponsors amendment {a.number}")
            elif not already:
                raise WrongState(f"{who.delegation} does not co-sponsor amendment {a.number}")

        def work() -> None:
            try:
                stored.cosponsor(self.engine, amendment_id, who.delegation_id, who.user_id, join, check)
            except Missing as exc:
                raise NotFound(str(exc)) from None
        await asyncio.to_thread(work)
        draft_id = await asyncio.to_thread(self._draft_of, amendment_id)
        await self._publish(draft_id, [amendment_id])
        return await self.show(amendment_id)

    # -- decisions ---------------------------------------------------------------------
    async def act(self, amendment_id: int, who: Principal, action: str, note: str | None = None,
                  rebase: dict[str, Any] | None = None, by: int | None = None) -> dict[str, Any]:
        draft_id = await asyncio.to_thread(self._draft_of, amendment_id)
        async with self._locks.hold(draft_id):
            a = await asyncio.to_thread(self._row, amendment_id)
            target = next_status(action, a.status, self.actor(who, draft_id), a.sponsor_id)
            proposal, number = records.proposal_of(a), a.number
            author = Author(a.filed_by_id, a.sponsor_id, f"amendment:{a.number}")
            status = a.status
            if action == "supersede" and by is not None:
                await asyncio.to_thread(self._check_superseder, draft_id, amendment_id, by)
            applied_seq = None
            if action == "accept":
                res, _ = await self.current(draft_id)
                if rebase:
                    proposal = _rebased(proposal, rebase, res)
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
        # An accepted amendment changes the text, which may make others stale: all are
        # published again; any other decision changes that one entry.
        await self._publish(draft_id, None if action == "accept" else [amendment_id])
        return await self.show(amendment_id)

    async def preview(self, amendment_id: int, rebase: dict[str, Any] | None = None) -> dict[str, Any]:
        """What accepting would make of the text, with a rebase if given, applied to a copy:
        nothing is stored. A stale amendment without a rebase answers Stale (409)."""
        draft_id = await asyncio.to_thread(self._draft_of, amendment_id)
        a = await asyncio.to_thread(self._row, amendment_id)
        proposal, number = records.proposal_of(a), a.number
        if a.status != "proposed":
            raise WrongState(f"amendment {number} is {a.status}: only a pending one can be previewed")
        state, _ = await self.rooms.state(str(draft_id))
        live = Doc()
        live.apply_update(state)
        res = read(live)
        proposal = _rebased(proposal, rebase, res) if rebase else proposal
        if not rebase:
            current_state(proposal, res)
            proposal = check(proposal, res)
        scratch = Doc()
        scratch.apply_update(live.get_update())
        before = paragraph_texts(scratch)
        with scratch.transaction():
            apply(scratch, proposal, f"preview-{draft_id}-{number}")
        after = paragraph_texts(scratch)
        old_labels, new_labels = labels(res), labels(read(scratch))
        changed = []
        for pid in list(after) + [p for p in before if p not in after]:
            if before.get(pid) == after.get(pid):
                continue
            changed.append({"paragraph_id": pid, "label": new_labels.get(pid) or old_labels.get(pid),
                            "before": before.get(pid), "after": after.get(pid),
                            "segments": [{"kind": g.kind, "text": g.text} for g in
                                         word_diff(before.get(pid) or "", after.get(pid) or "")]})
        if proposal.operation == "move_paragraph":
            changed.append({"paragraph_id": proposal.paragraph_id, "label": new_labels.get(proposal.paragraph_id or ""),
                            "was": old_labels.get(proposal.paragraph_id or ""), "moved": True,
                            "before": before.get(proposal.paragraph_id or ""),
                            "after": after.get(proposal.paragraph_id or ""), "segments": []})
        return {"amendment_id": amendment_id, "number": number, "rebased": bool(rebase),
                "target_text": proposal.target_text, "new_text": proposal.new_text,
                "position": proposal.position, "paragraphs": changed}

    def _check_superseder(self, draft_id: int, amendment_id: int, by: int) -> None:
        try:
            other = stored.draft_and_sponsor(self.engine, by)[0]
        except Missing:
            other = None
        if other != draft_id or by == amendment_id:
            raise AmendmentError(f"amendment {by} is not another amendment of this draft")

    def _claim(self, amendment_id: int, expected: str, target: str) -> None:
        if not stored.claim(self.engine, amendment_id, expected, target):
            raise WrongState("the amendment was decided meanwhile")

    def _record(self, amendment_id: int, who: Principal, action: str, note: str | None,
                applied_seq: int | None, by: int | None) -> None:
        past = {"accept": "accepted", "reject": "rejected", "withdraw": "withdrawn",
                "supersede": "superseded", "reopen": "reopened"}[action]
        try:
            stored.record(self.engine, amendment_id, who.user_id, who.delegation_id, past, note, applied_seq,
                          by if action == "supersede" else None)
        except Missing as exc:
            raise NotFound(str(exc)) from None

    # -- the live view -----------------------------------------------------------------
    async def proposals_view(self, draft_id: int) -> dict[str, Any]:
        """Pending proposals as the entries of the document's `proposals` map, so that
        every client sees them where they apply (docs/sync.md)."""
        return self._entries(await self.list(draft_id, status="proposed"))

    @staticmethod
    def _entries(pending: list[dict[str, Any]]) -> dict[str, Any]:
        return {str(p["number"]): {k: p[k] for k in (
            "id", "number", "sponsor", "operation", "paragraph_id", "position", "kind",
            "target_text", "new_text", "summary", "stale")} | {
            "cosponsors": [c["delegation"] for c in p["cosponsors"]]} for p in pending}

    async def _publish(self, draft_id: int, changed: list[int] | None = None, res: Resolution | None = None) -> None:
        """To the draft's open rooms, derived from the records: not logged (sync/view.py).
        Only the `changed` amendments are read again (all when None), so that filing one
        costs the same however many are pending."""
        async def patch() -> tuple[dict[str, Any], set[str]]:
            text = res if res is not None else (await self.current(draft_id))[0]

            def rows() -> list[dict[str, Any]]:
                return [records.to_json(a, text) for a in self._rows(changed or [])]
            shown = await asyncio.to_thread(rows)
            return (self._entries([p for p in shown if p["status"] == "proposed"]),
                    {str(p["number"]) for p in shown if p["status"] != "proposed"})

        staff = await asyncio.to_thread(self.draft_owner, draft_id)
        await self.rooms.publish(str(draft_id), "proposals", lambda: self.proposals_view(draft_id),
                                 Author(staff, None, "proposals"), patch if changed is not None else None)

    def draft_owner(self, draft_id: int) -> int:
        owner = stored_drafts.owner(self.engine, draft_id)
        if owner is None:
            raise NotFound(f"no draft {draft_id}")
        return owner
