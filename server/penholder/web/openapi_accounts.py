"""The OpenAPI description of the account routes (web/account.py); web/openapi.py adds it
to its document."""

from __future__ import annotations

from typing import Any

OBJ: dict[str, Any] = {"type": "object"}
DRAFT_ID = {"name": "draft_id", "in": "path", "required": True, "schema": {"type": "integer"}}
PUBLIC: list[dict[str, Any]] = []  # these routes need no session or token: they sign in
COOKIE_SESSION = {"cookie": {"type": "apiKey", "in": "cookie", "name": "penholder_session",
                             "description": "a browser session; a request that changes anything also sends "
                                            "X-CSRF-Token (the penholder_csrf cookie's value) from this site"}}


def _op(op_id: str, summary: str, ok: str, *errors: int, body: dict[str, Any] | None = None,
        params: list[dict[str, Any]] | None = None, public: bool = False) -> dict[str, Any]:
    responses: dict[str, Any] = {ok: {"description": summary, "content": {"application/json": {"schema": OBJ}}}}
    for code in errors:
        responses[str(code)] = {"description": {401: "not signed in", 403: "not allowed, or from another site / "
                                                "without the CSRF token", 404: "no such thing", 409: "not so now",
                                                410: "the link is used, expired or unknown", 422: "bad input",
                                                429: "too many wrong passwords (Retry-After)"}[code],
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    op: dict[str, Any] = {"operationId": op_id, "summary": summary, "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if params:
        op["parameters"] = params
    if public:
        op["security"] = PUBLIC
    return op


def _props(**props: str) -> dict[str, Any]:
    return {"type": "object", "properties": {k: {"type": v} for k, v in props.items()}}


PATHS: dict[str, Any] = {
    "/api/session": {
        "post": _op("signIn", "Sign in with a user name or email and a password: sets the session cookie", "200",
                    401, 403, 422, 429, body=_props(login="string", password="string"), public=True),
        "delete": _op("signOut", "Sign out this browser session", "200", 401, 403)},
    "/api/sessions": {"delete": _op("signOutEverywhere", "End every session of the account", "200", 401, 403)},
    "/api/links/redeem": {"post": _op(
        "redeemLink", "Use a one-time link (invitation or reset): choose a password and sign in", "200", 403, 410, 422,
        body=_props(link="string", password="string"), public=True)},
    "/api/password-reset": {"post": _op(
        "requestPasswordReset", "Send a reset link to the account's address (or the operator's log)", "202", 403, 422,
        body=_props(login="string"), public=True)},
    "/api/me/password": {"put": _op("changePassword", "Change one's password (from a session)", "200", 401, 403, 422,
                                    body=_props(current="string", password="string"))},
    "/api/people": {"get": _op("listPeople", "Delegations and accounts (the Secretariat: all; others: their own "
                               "delegation's)", "200", 401)},
    "/api/delegations": {"post": _op("createDelegation", "Create a delegation (Secretariat)", "201", 401, 403, 422,
                                     body=_props(name="string"))},
    "/api/invitations": {"post": _op(
        "invite", "Create an account and its one-time sign-in link (Secretariat: anyone; a focal point: colleagues "
        "of its delegation)", "201", 401, 403, 422,
        body=_props(name="string", email="string", delegation="string", kind="string", focal_point="boolean"))},
    "/api/tokens": {
        "get": _op("listTokens", "One's live API tokens (never their secrets)", "200", 401),
        "post": _op("createToken", "Issue a named API token (from a session), optionally for one draft and expiring",
                    "201", 401, 403, 404, 422, body=_props(name="string", draft_id="integer", expires_days="number"))},
    "/api/tokens/{token_id}": {"delete": _op(
        "revokeToken", "Revoke one's token (the Secretariat: anyone's)", "200", 401, 403, 404,
        params=[{"name": "token_id", "in": "path", "required": True, "schema": {"type": "integer"}}])},
    "/api/drafts/{draft_id}/settings": {"put": _op(
        "setDraftSettings", "Whether observers may propose amendments on the draft (its penholders or the "
        "Secretariat)", "200", 401, 403, 404, 422, params=[DRAFT_ID], body=_props(observers_propose="boolean"))},
    "/api/drafts/{draft_id}/facilitators": {
        "get": _op("listFacilitators", "The draft's appointed facilitators", "200", 401, 403, 404, params=[DRAFT_ID]),
        "post": _op("appointFacilitator", "Appoint a facilitator of the draft (Secretariat)", "200", 401, 403, 404,
                    422, params=[DRAFT_ID], body=_props(user="integer")),
        "delete": _op("dismissFacilitator", "Dismiss a facilitator of the draft (Secretariat)", "200", 401, 403, 404,
                      409, 422, params=[DRAFT_ID, {"name": "user", "in": "query", "required": True,
                                                   "schema": {"type": "integer"}}])},
}
