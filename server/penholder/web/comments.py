"""REST routes for comments: a draft's threads (list, post) and resolving a thread."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from penholder.amend.comments import Comments
from penholder.web.amendments import body_of
from penholder.web.auth import require
from penholder.web.errors import ApiError


def comments(request: Request) -> Comments:
    return request.app.state.review.comments


async def list_for_draft(request: Request) -> JSONResponse:
    draft_id = int(request.path_params["draft_id"])
    await require(request, "read", draft_id)
    q = request.query_params
    amendment = q.get("amendment")
    if amendment is not None and not amendment.isdigit():
        raise ApiError(422, "'amendment' is an amendment's number")
    resolved = q.get("resolved")
    if resolved not in (None, "true", "false"):
        raise ApiError(422, "'resolved' is true or false")
    rows = await comments(request).threads(
        draft_id, q.get("paragraph"), int(amendment) if amendment else None,
        None if resolved is None else resolved == "true")
    return JSONResponse({"draft_id": draft_id, "threads": rows})


async def post(request: Request) -> JSONResponse:
    draft_id = int(request.path_params["draft_id"])
    who = await require(request, "comment", draft_id)
    body = await body_of(request)
    result = await comments(request).post(draft_id, who, body)
    return JSONResponse(result, status_code=201)


async def resolve(request: Request) -> JSONResponse:
    comment_id = int(request.path_params["comment_id"])
    draft_id = await comments(request).draft_of(comment_id)
    who = await require(request, "comment", draft_id)
    resolved = request.url.path.endswith("/resolve")
    return JSONResponse(await comments(request).resolve(comment_id, who, resolved))
