"""Who the token belongs to and what it may do: the browser client shows the name and
makes the text read-only when the role may not edit."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from penholder.auth.roles import Action
from penholder.web.auth import principal_of


async def show(request: Request) -> JSONResponse:
    who = await principal_of(request)
    return JSONResponse({"name": who.name, "delegation": who.delegation, "role": who.role.value,
                         "draft_id": who.draft_id,
                         "can": {a.value: who.can(a) for a in Action if a is not Action.READ}})
