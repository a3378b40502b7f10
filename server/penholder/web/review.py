"""REST routes for facilitators and the Secretariat: the compilation text, a paragraph's
history, a delegation's record, revisions, sponsors, tabling, proposal lists. Each route
asks web.auth.require before it reads or writes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from penholder import changes as since
from penholder.amend import revisions, sponsors
from penholder.amend.compilation import to_html, to_markdown
from penholder.amend.review import Review
from penholder.auth.roles import Role
from penholder.store import drafts as stored_drafts
from penholder.web.amendments import body_of
from penholder.web.auth import require
from penholder.web.errors import ApiError

# A list of proposals: real ones are tens of kilobytes, a PDF of one a few hundred.
IMPORT_MAX_BYTES = 4_000_000
MAIN_SPONSORS = frozenset({Role.PENHOLDER, Role.SECRETARIAT})


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
    c = await review(request).compilation(draft_id)
    if fmt == "md":
        return PlainTextResponse(await asyncio.to_thread(to_markdown, c), media_type="text/markdown; charset=utf-8")
    if fmt == "html":
        return HTMLResponse(await asyncio.to_thread(to_html, c))
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
    return JSONResponse(await review(request).paragraph_history(
        draft_id, request.path_params["paragraph_id"], timedelta(minutes=gap)))


async def delegation(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    await require(request, "read", draft_id)
    return JSONResponse(await review(request).delegation(draft_id, request.path_params["name"]))


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
    who = await require(request, "revise", draft_id)
    body = await body_of(request)
    standings = body.get("standing")
    if standings is not None and not (isinstance(standings, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in standings.items())):
        raise ApiError(422, "standing must map paragraph ids to 'agreed ad ref', 'pending' or 'bracketed'")
    return JSONResponse(await review(request).cut_revision(draft_id, who, standings), status_code=201)


async def set_standing(request: Request) -> JSONResponse:
    draft_id, number = _draft(request), int(request.path_params["number"])
    await require(request, "revise", draft_id)
    body = await body_of(request)
    await asyncio.to_thread(revisions.set_standing, request.app.state.engine, draft_id, number,
                            request.path_params["paragraph_id"], str(body.get("standing")))
    return await show_revision(request)


async def list_sponsors(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    await require(request, "read", draft_id)
    return JSONResponse({"draft_id": draft_id, **await asyncio.to_thread(
        sponsors.listing, request.app.state.engine, draft_id)})


async def change_sponsors(request: Request) -> JSONResponse:
    """POST joins, DELETE leaves. A delegation that may propose acts for itself; the
    Secretariat records any delegation; main sponsors are for the penholder or the
    Secretariat."""
    draft_id = _draft(request)
    body = await body_of(request) if request.method == "POST" else dict(request.query_params)
    delegation, kind = body.get("delegation"), body.get("kind", "cosponsor")
    if delegation is not None and not isinstance(delegation, str):
        raise ApiError(422, "delegation must be a name")
    who = await require(request, "propose", draft_id, acting_for=delegation, staff_for_anyone=True,
                        roles=MAIN_SPONSORS if request.method == "POST" and kind == "main" else None)
    engine = request.app.state.engine
    if request.method == "POST":
        await asyncio.to_thread(sponsors.join, engine, draft_id, who, delegation, str(kind))
    else:
        await asyncio.to_thread(sponsors.leave, engine, draft_id, who, delegation)
    await review(request).sponsors_changed(draft_id)
    return JSONResponse({"draft_id": draft_id, **await asyncio.to_thread(sponsors.listing, engine, draft_id)})


async def table(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    who = await require(request, "revise", draft_id, roles=frozenset({Role.SECRETARIAT}))
    body = await body_of(request)
    await review(request).table(draft_id, who, str(body.get("symbol") or ""))
    return JSONResponse({"draft_id": draft_id, "symbol": body.get("symbol")})


async def import_proposals(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    who = await require(request, "propose", draft_id)
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(422, "upload the list as multipart/form-data with a 'file' part")
    async with request.form(max_files=1, max_fields=5, max_part_size=IMPORT_MAX_BYTES) as form:
        upload = form.get("file")
        delegation = form.get("delegation")
        if upload is None or isinstance(upload, str):
            raise ApiError(422, "multipart upload without a 'file' part")
        data, name = await upload.read(), upload.filename or "upload"
    if isinstance(delegation, str) and delegation.strip():
        await require(request, "propose", draft_id, acting_for=delegation)
    filed = await review(request).import_list(draft_id, who, data, name)
    return JSONResponse({"draft_id": draft_id, "filed": filed}, status_code=201)


async def changes(request: Request) -> JSONResponse:
    """GET /api/drafts/{id}/changes?against=A/RES/79/53 | rev:N | at:<ISO time>"""
    draft_id = _draft(request)
    await require(request, "read", draft_id)
    against = request.query_params.get("against")
    engine = request.app.state.engine
    if not against:
        draft = await asyncio.to_thread(_base_symbol, engine, draft_id)
        against = draft or "rev:0"
    live = request.app.state.rooms.open_state(str(draft_id))
    try:
        c = await asyncio.to_thread(since.comparison, engine, draft_id, against, live)
    except ValueError as exc:
        raise ApiError(422, str(exc)) from None
    return JSONResponse({"draft_id": draft_id, "against": against, **since.to_json(c)})


def _base_symbol(engine, draft_id: int) -> str | None:  # type: ignore[no-untyped-def]
    draft = stored_drafts.info(engine, draft_id)
    if draft is None:
        raise ApiError(404, f"no draft {draft_id}")
    return draft.base_symbol


async def activity(request: Request) -> JSONResponse:
    draft_id = _draft(request)
    await require(request, "read", draft_id)
    raw = request.query_params.get("limit", "200")
    if not raw.isdigit() or not 1 <= int(raw) <= 5000:
        raise ApiError(422, f"'limit' must be a whole number from 1 to 5000, not {raw!r}")
    return JSONResponse(await review(request).activity(draft_id, int(raw)))

