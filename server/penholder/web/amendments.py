"""REST routes for amendments: file, list, show, co-sponsor, decide."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from penholder.amend.lifecycle import NotAllowed, WrongState
from penholder.amend.operations import AmendmentError, Stale
from penholder.amend.service import Amendments, NotFound
from penholder.web.auth import principal_of, require
from penholder.web.errors import ApiError

MAX_BODY = 256 * 1024


def service(request: Request) -> Amendments:
    return request.app.state.amendments


async def body_of(request: Request) -> dict[str, Any]:
    length = int(request.headers.get("content-length") or 0)
    if length > MAX_BODY:
        raise ApiError(413, f"request too large ({length} bytes; the limit is {MAX_BODY})")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise ApiError(413, f"request too large ({len(raw)} bytes; the limit is {MAX_BODY})")
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiError(422, "the body is not JSON") from None
    if not isinstance(body, dict):
        raise ApiError(422, "the body must be a JSON object")
    return body


async def guarded(coro):  # type: ignore[no-untyped-def]
    """The service's refusals as HTTP errors; nothing was stored when one is raised."""
    try:
        return await coro
    except NotAllowed as exc:
        raise ApiError(403, str(exc)) from None
    except NotFound as exc:
        raise ApiError(404, str(exc.args[0])) from None
    except Stale as exc:
        return JSONResponse({"error": f"stale: {exc.reason}; accept it with a rebase, or reject it",
                             "current_text": exc.current_text}, status_code=409)
    except WrongState as exc:
        raise ApiError(409, str(exc)) from None
    except AmendmentError as exc:
        raise ApiError(422, str(exc)) from None


async def file(request: Request) -> JSONResponse:
    draft_id = int(request.path_params["draft_id"])
    who = await require(request, "read", draft_id)
    body = await body_of(request)
    result = await guarded(service(request).file(draft_id, who, body))
    if isinstance(result, JSONResponse):
        return result
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
    rows = await guarded(service(request).list(draft_id, q.get("status"), q.get("sponsor"), q.get("paragraph"),
                                               int(revision) if revision is not None else None))
    return JSONResponse({"draft_id": draft_id, "amendments": rows})


async def _amendment_id(request: Request) -> int:
    return int(request.path_params["amendment_id"])


async def show(request: Request) -> JSONResponse:
    amendment_id = await _amendment_id(request)
    result = await guarded(service(request).show(amendment_id))
    await require(request, "read", result["draft_id"])
    return JSONResponse(result)


async def cosponsor(request: Request) -> JSONResponse:
    amendment_id = await _amendment_id(request)
    who = await principal_of(request)
    result = await guarded(service(request).cosponsor(amendment_id, who, join=request.method == "POST"))
    return result if isinstance(result, JSONResponse) else JSONResponse(result)


async def act(request: Request) -> JSONResponse:
    amendment_id = await _amendment_id(request)
    action = request.path_params["action"]
    if action not in ("accept", "reject", "withdraw", "supersede", "reopen"):
        raise ApiError(404, f"no action {action!r}: accept, reject, withdraw, supersede or reopen")
    who = await principal_of(request)
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
    result = await guarded(service(request).act(amendment_id, who, action, note, rebase, by))
    return result if isinstance(result, JSONResponse) else JSONResponse(result)


async def preview(request: Request) -> JSONResponse:
    """What accepting would make of the text (with a rebase, if given); nothing is stored."""
    amendment_id = await _amendment_id(request)
    draft_id = (await guarded(service(request).show(amendment_id)))["draft_id"]
    await require(request, "read", draft_id)
    body = await body_of(request)
    rebase = body.get("rebase")
    if rebase is not None and not isinstance(rebase, dict):
        raise ApiError(422, "rebase must be an object with target_text, new_text or position")
    result = await guarded(service(request).preview(amendment_id, rebase or None))
    return result if isinstance(result, JSONResponse) else JSONResponse(result)
