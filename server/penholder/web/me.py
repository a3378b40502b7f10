"""Who is signed in and what they may do: on one draft (`?draft=ID`); without one, what it
may do on at least one draft (`role` is then its role on a draft it has no relation
to). `drafts` lists the drafts where the account holds the pen or facilitates. The
browser client shows the name and makes the text read-only when it may not edit; the
server decides every request for its own draft whatever this says."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from penholder.auth.roles import Action
from penholder.web.auth import principal_of
from penholder.web.errors import ApiError


async def show(request: Request) -> JSONResponse:
    who = await principal_of(request)
    draft = request.query_params.get("draft")
    if draft is not None and not draft.isdigit():
        raise ApiError(422, "draft must be a draft's id")
    draft_id = int(draft) if draft is not None else None
    relations = {str(d): who.role_on(d).value for d in sorted(who.main_sponsor_of | who.facilitator_of)
                 if who.draft_id in (None, d)}
    can = {a.value: who.can(a, draft_id) if draft_id is not None else who.can_somewhere(a)
           for a in Action if a not in (Action.READ, *ACCOUNTS)}
    return JSONResponse({"id": who.user_id, "name": who.name, "delegation": who.delegation, "kind": who.kind.value,
                         "role": who.role_on(draft_id).value, "draft_id": who.draft_id,
                         "focal_point": who.focal_point, "via": who.via, "drafts": relations, "can": can,
                         "manages": {"appoint": who.can(Action.APPOINT, None) and who.draft_id is None,
                                     "invite": (who.can(Action.INVITE, None) or who.focal_point)
                                     and who.draft_id is None}})


ACCOUNTS = (Action.APPOINT, Action.INVITE)  # not about a draft's text: under "manages"
