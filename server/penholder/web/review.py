"""REST routes for facilitators and the Secretariat: the compilation text, a paragraph's
history, a delegation's record, revisions, sponsors, tabling, proposal lists."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from penholder import changes as since
from penholder import exports
from penholder.amend import revisions, sponsors
from penholder.amend.compilation import to_html, to_markdown
from penholder.amend.review import Review
from penholder.ingest import MAX_BYTES
from penholder.store.tables import Draft
from penholder.web.amendments import body_of, guarded
from penholder.web.auth import principal_of, require
from penholder.web.errors import ApiError


def review(request: Request) -> Review:
    return request.app.state.review


def _draft(request: Request) -> int:
    return int(request.path_params["draft_id"])


async def compilation(request: Request) -> Response:
    draft_id = _draft(request)
    await require(request, "read", draft_id)
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "md", "html"):
        raise ApiError(422, f"unknown format {fmt!r}: json, md or html")
    c = await guarded(review(request).compilation(draft_id))
    if fmt == "md":
        return PlainTextResponse(to_markdown(c), media_type="text/markdown; charset=utf-8")
    if fmt == "html":
        return HTMLResponse(to_html(c))
    return JSONResponse(c)


async def paragraph_history(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    await require(request, "read", draft_id)
    raw = request.query_params.get("gap", "10")
    try:
        gap = float(raw)
    except ValueError:
        gap = -1
    if not 0 <= gap <= 24 * 60:
        raise ApiError(422, f"'gap' is the minutes between two edits of one sitting (0 to 1440), not {raw!r}")
    return JSONResponse(await guarded(review(request).paragraph_history(
        draft_id, request.path_params["paragraph_id"], timedelta(minutes=gap))))


async def delegation(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    await require(request, "read", draft_id)
    return JSONResponse(await guarded(review(request).delegation(draft_id, request.path_params["name"])))


async def list_revisions(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    await require(request, "read", draft_id)
    return JSONResponse({"draft_id": draft_id, "revisions": await asyncio.to_thread(
        revisions.listing, request.app.state.engine, draft_id)})


async def show_revision(request: Request) -> JSONResponse:
    draft_id, number = _draft(request), int(request.path_params["number"])
    await require(request, "read", draft_id)
    rows = await asyncio.to_thread(revisions.listing, request.app.state.engine, draft_id, number)
    match = [r for r in rows if r["number"] == number]
    if not match and number == 0 and not rows:
        match = [z for z in [await asyncio.to_thread(revisions.zero_draft, request.app.state.engine, draft_id)] if z]
    if not match:
        raise ApiError(404, f"no revision {number} of draft {draft_id}")
    return JSONResponse(match[0])


async def cut_revision(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    who = await principal_of(request)
    body = await body_of(request)
    standings = body.get("standing")
    if standings is not None and not (isinstance(standings, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in standings.items())):
        raise ApiError(422, "standing must map paragraph ids to 'agreed ad ref', 'pending' or 'bracketed'")
    result = await guarded(review(request).cut_revision(draft_id, who, standings))
    return result if isinstance(result, JSONResponse) else JSONResponse(result, status_code=201)


async def set_standing(request: Request) -> JSONResponse:
    draft_id, number = _draft(request), int(request.path_params["number"])
    await require(request, "revise", draft_id)
    body = await body_of(request)
    try:
        await asyncio.to_thread(revisions.set_standing, request.app.state.engine, draft_id, number,
                                request.path_params["paragraph_id"], str(body.get("standing")))
    except LookupError as exc:
        raise ApiError(404, str(exc.args[0])) from None
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return await show_revision(request)


async def list_sponsors(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    await require(request, "read", draft_id)
    return JSONResponse({"draft_id": draft_id, **await asyncio.to_thread(
        sponsors.listing, request.app.state.engine, draft_id)})


async def change_sponsors(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    who = await principal_of(request)
    body = await body_of(request) if request.method == "POST" else dict(request.query_params)
    delegation = body.get("delegation")
    kind = body.get("kind", "cosponsor")

    async def work() -> None:
        try:
            if request.method == "POST":
                await asyncio.to_thread(sponsors.join, request.app.state.engine, draft_id, who, delegation, kind)
            else:
                await asyncio.to_thread(sponsors.leave, request.app.state.engine, draft_id, who, delegation)
        except LookupError as exc:
            raise ApiError(404, str(exc.args[0])) from None
        except ValueError as exc:
            raise ApiError(422, str(exc)) from None
        await review(request).sponsors_changed(draft_id)

    result = await guarded(work())
    if isinstance(result, JSONResponse):
        return result
    return await list_sponsors(request)


async def table(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    who = await principal_of(request)
    body = await body_of(request)
    result = await guarded(review(request).table(draft_id, who, str(body.get("symbol") or "")))
    if isinstance(result, JSONResponse):
        return result
    return JSONResponse({"draft_id": draft_id, "symbol": body.get("symbol")})


async def import_proposals(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    who = await require(request, "propose", draft_id)
    length = int(request.headers.get("content-length") or 0)
    if length > MAX_BYTES + 65536:
        raise ApiError(413, f"upload too large ({length / 1e6:.1f} MB)")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(422, "upload the list as multipart/form-data with a 'file' part")
    async with request.form(max_files=1, max_fields=5, max_part_size=MAX_BYTES) as form:
        upload = form.get("file")
        delegation = form.get("delegation")
        if upload is None or isinstance(upload, str):
            raise ApiError(422, "multipart upload without a 'file' part")
        data, name = await upload.read(), upload.filename or "upload"
    result = await guarded(review(request).import_list(
        draft_id, who, data, name, delegation if isinstance(delegation, str) else None))
    if isinstance(result, JSONResponse):
        return result
    return JSONResponse({"draft_id": draft_id, "filed": result}, status_code=201)


async def changes(request: Request) -> JSONResponse:
    """GET /api/drafts/{id}/changes?against=A/RES/79/53 | rev:N | at:<ISO time>"""
    draft_id = _draft(request)
    await require(request, "read", draft_id)
    against = request.query_params.get("against")
    engine = request.app.state.engine
    if not against:
        draft = await asyncio.to_thread(_base_symbol, engine, draft_id)
        against = draft or "rev:0"
    room = request.app.state.rooms.rooms.get(str(draft_id))
    try:
        c = await asyncio.to_thread(since.comparison, engine, draft_id, against, room.settle() if room else None)
    except exports.ExportError as exc:
        raise ApiError(404, str(exc.args[0])) from None
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return JSONResponse({"draft_id": draft_id, "against": against, **since.to_json(c)})


def _base_symbol(engine, draft_id: int) -> str | None:  # type: ignore[no-untyped-def]
    with Session(engine) as db:
        draft = db.get(Draft, draft_id)
        if draft is None:
            raise ApiError(404, f"no draft {draft_id}")
        return draft.base_symbol


async def activity(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    await require(request, "read", draft_id)
    raw = request.query_params.get("limit", "200")
    if not raw.isdigit() or not 1 <= int(raw) <= 5000:
        raise ApiError(422, f"'limit' must be a whole number from 1 to 5000, not {raw!r}")
    return JSONResponse(await guarded(review(request).activity(draft_id, int(raw))))
