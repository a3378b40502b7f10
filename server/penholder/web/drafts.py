"""REST routes for drafts: list, create (from a prior resolution or an upload), read the
live text, read its history."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from penholder import exports
from penholder.auth.policy import NEW_DRAFT
from penholder.ingest import MAX_BYTES
from penholder.store import drafts as stored
from penholder.store import sponsors as stored_sponsors
from penholder.store.drafts import DraftInfo
from penholder.sync.history import history as draft_history
from penholder.sync.schema import doc_of, read
from penholder.auth.roles import Kind
from penholder.web.auth import require
from penholder.web.errors import ApiError
from penholder.web.library import ready as library_ready
from penholder.library.usage import word_usage
from penholder.reviewed import NotYours, ReviewError, resolution_from_review
from penholder.zero_draft import create_from_prior, create_from_resolution, create_from_upload


def draft_json(d: DraftInfo) -> dict[str, Any]:
    return {"id": d.id, "symbol": d.symbol, "title": d.title, "session": d.session,
            "committee": d.committee, "agenda_item": d.agenda_item, "base_symbol": d.base_symbol,
            "created_at": d.created_at.isoformat(), "url": f"/api/drafts/{d.id}",
            "websocket": f"/ws/drafts/{d.id}"}


def draft_id_of(request: Request) -> int:
    return int(request.path_params["draft_id"])


def _existing(request: Request, draft_id: int) -> None:
    if stored.info(request.app.state.engine, draft_id) is None:
        raise ApiError(404, f"no draft {draft_id}")


async def list_all(request: Request) -> JSONResponse:
    who = await require(request, "read")
    drafts = [draft_json(d) for d in await asyncio.to_thread(stored.every, request.app.state.engine)
              if who.draft_id in (None, d.id)]
    return JSONResponse({"drafts": drafts})


async def create(request: Request) -> JSONResponse:
    who = await require(request, "edit", NEW_DRAFT)
    engine = request.app.state.engine
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=5, max_part_size=MAX_BYTES) as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise ApiError(422, "multipart upload without a 'file' part")
            data = await upload.read()
            name = upload.filename or "upload"
        try:
            await library_ready(request)  # words broken in two readings are read as the library writes them
            draft = await asyncio.to_thread(create_from_upload, engine, data, name, who.user_id,
                                            staff=who.kind is Kind.SECRETARIAT, library=word_usage)
        except NotYours as exc:
            raise ApiError(403, str(exc)) from None
    else:
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(422, 'send JSON {"from": "A/RES/79/53"} or a multipart upload with a "file" part') from None
        if isinstance(body, dict) and "reviewed" in body:
            draft = await asyncio.to_thread(_from_reviewed, engine, body, who)
        else:
            prior = body.get("from") if isinstance(body, dict) else None
            if not isinstance(prior, str) or not prior.strip():
                raise ApiError(422, 'missing "from": the symbol of a prior resolution, e.g. "A/RES/79/53"')
            draft = await asyncio.to_thread(create_from_prior, engine, prior, who.user_id)
    if who.kind is Kind.DELEGATE and who.delegation_id is not None:
        # A delegation that starts a draft holds its pen: it is the main sponsor.
        await asyncio.to_thread(stored_sponsors.hold_pen, engine, draft.id, who.delegation_id)
        await request.app.state.review.sponsors_changed(draft.id)
    return JSONResponse(draft_json(draft), status_code=201, headers={"Location": f"/api/drafts/{draft.id}"})


def _from_reviewed(engine, body: dict[str, Any], who) -> DraftInfo:  # type: ignore[no-untyped-def]
    """The draft from a resolution the user reviewed after a preview (web/upload_review.py)."""
    if set(body) != {"reviewed"}:
        raise ApiError(422, 'send {"reviewed": {...}} alone')
    try:
        res = resolution_from_review(body["reviewed"], staff=who.kind is Kind.SECRETARIAT)
    except ReviewError as exc:
        raise ApiError(422, str(exc)) from None
    except NotYours as exc:
        raise ApiError(403, str(exc)) from None
    return create_from_resolution(engine, res, who.user_id)


async def show(request: Request) -> JSONResponse:
    draft_id = draft_id_of(request)
    await require(request, "read", draft_id)
    try:
        state, seq = await request.app.state.rooms.state(str(draft_id))
    except KeyError:
        raise ApiError(404, f"no draft {draft_id}") from None
    body = await asyncio.to_thread(lambda: read(doc_of(state)).to_json())
    body["draft_id"], body["seq"] = draft_id, seq
    return JSONResponse(body)


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(422, f"'{name}' must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise ApiError(422, f"'{name}' must be between {low} and {high}")
    return value


async def history(request: Request) -> JSONResponse:
    draft_id = draft_id_of(request)
    await require(request, "read", draft_id)
    after = _int_param(request, "after", 0, 0, 2**31)
    limit = _int_param(request, "limit", 100, 1, 1000)
    await asyncio.to_thread(_existing, request, draft_id)
    entries = await asyncio.to_thread(draft_history, request.app.state.engine, draft_id, after, limit)
    return JSONResponse({"draft_id": draft_id, "entries": entries,
                         "next": entries[-1]["seq"] if len(entries) == limit else None})


async def export(request: Request) -> Response:
    """GET /api/drafts/{id}/export?format=docx&changes=tracked&against=A/RES/79/53"""
    draft_id = draft_id_of(request)
    await require(request, "export", draft_id)
    q = request.query_params
    live = request.app.state.rooms.open_state(str(draft_id))
    try:
        out = await asyncio.to_thread(exports.export, request.app.state.engine, draft_id, q.get("format", "docx"),
                                      q.get("changes", "none"), q.get("against"), live)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return Response(out.data, media_type=out.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{out.filename}"'})


async def package(request: Request) -> Response:
    """GET /api/drafts/{id}/package: the submission of the L document as one zip."""
    draft_id = draft_id_of(request)
    await require(request, "export", draft_id)
    live = request.app.state.rooms.open_state(str(draft_id))
    try:
        out = await asyncio.to_thread(exports.package, request.app.state.engine, draft_id, live)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return Response(out.data, media_type=out.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{out.filename}"'})
