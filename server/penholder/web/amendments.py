"""REST routes for amendments: file, list, show, co-sponsor, decide. Each route asks
web.auth.require before it reads or writes; refusals and domain errors are raised and
answered by web.errors."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from penholder.amend.service import Amendments
from penholder.web.auth import require
from penholder.web.errors import ApiError

MAX_BODY = 256 * 1024  # a JSON body: the longest text of an amendment is 10,000 characters
ACTIONS = ("accept", "reject", "withdraw", "supersede", "reopen")


def service(request: Request) -> Amendments:
    return request.app.state.amendments


async def body_of(request: Request) -> dict[str, Any]:
    """The JSON object of the body (its size is bounded by web.limits.BodyLimit)."""
    raw = await request.body()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(422, "the body is not JSON") from None
    if not isinstance(body, dict):
        raise ApiError(422, "the body must be a JSON object")
    return body


async def file(request: Request) -> JSONResponse:
    draft_id = int(request.path_params["draft_id"])
    who = await require(request, "propose", draft_id)
    body = await body_of(request)
    if (sponsor := body.get("sponsor")) is not None:
        await require(request, "propose", draft_id, acting_for=str(sponsor))
    result = await service(request).file(draft_id, who, body)
    return JSONResponse(result, status_code=201, headers={"Location": f"/api/amendments/{result['id']}"})


async def list_for_draft(request: Request) -> JSONResponse:
    draft_id = int(request.path_params["draft_id"])
    await require(request, "read", draft_id)
    q = request.query_params
    revision = q.get("revision")
    if revision is not None and not revision.isdigit():
        raise ApiError(422, "'revision' must be a revision number (0 for the zero draft)")
    if q.get("status") and q["status"] not in ("proposed", "accepted", "rejected", "withdrawn", "superseded"):
        raise ApiError(422, f"unknown status {q['status']!r}")
    rows = await service(request).list(draft_id, q.get("status"), q.get("sponsor"), q.get("paragraph"),
                                       int(revision) if revision is not None else None)
    return JSONResponse({"draft_id": draft_id, "amendments": rows})


async def show(request: Request) -> JSONResponse:
    amendment_id = int(request.path_params["amendment_id"])
    draft_id, _ = await service(request).owner(amendment_id)  # signed in: the middleware saw to it
    await require(request, "read", draft_id)
    return JSONResponse(await service(request).show(amendment_id))


async def cosponsor(request: Request) -> JSONResponse:
    """POST joins, DELETE leaves: a delegation that may propose, for itself only."""
    amendment_id = int(request.path_params["amendment_id"])
    draft_id, _ = await service(request).owner(amendment_id)
    who = await require(request, "propose", draft_id)
    return JSONResponse(await service(request).cosponsor(amendment_id, who, join=request.method == "POST"))


async def act(request: Request) -> JSONResponse:
    amendment_id = int(request.path_params["amendment_id"])
    action = request.path_params["action"]
    if action not in ACTIONS:
        raise ApiError(404, f"no action {action!r}: accept, reject, withdraw, supersede or reopen")
    draft_id, sponsor_id = await service(request).owner(amendment_id)
    if action == "withdraw":  # the sponsoring delegation's own act
        who = await require(request, "propose", draft_id, acting_for=sponsor_id)
    else:
        who = await require(request, "decide", draft_id)
    body = await body_of(request)
    note = body.get("note")
    if note is not None and not isinstance(note, str):
        raise ApiError(422, "note must be text")
    rebase = body.get("rebase")
    if rebase is not None and not isinstance(rebase, dict):
        raise ApiError(422, "rebase must be an object with target_text, new_text or position")
    by = body.get("by")
    if action == "supersede" and not isinstance(by, int):
        raise ApiError(422, "supersede needs 'by': the id of the amendment that replaces it")
    return JSONResponse(await service(request).act(amendment_id, who, action, note, rebase, by))


async def preview(request: Request) -> JSONResponse:
    """What accepting would make of the text (with a rebase, if given); nothing is stored."""
    amendment_id = int(request.path_params["amendment_id"])
    draft_id, _ = await service(request).owner(amendment_id)
    await require(request, "read", draft_id)
    body = await body_of(request)
    rebase = body.get("rebase")
    if rebase is not None and not isinstance(rebase, dict):
        raise ApiError(422, "rebase must be an object with target_text, new_text or position")
    return JSONResponse(await service(request).preview(amendment_id, rebase or None))
