"""The single sign-on routes: /auth/oidc (is it configured?), /auth/oidc/start (to the
provider, with PKCE, state and nonce kept in a short-lived HttpOnly cookie) and
/auth/oidc/callback (back: exchange the code, check the ID token, start a session). They
are browser navigations, outside /api; the account they sign in is decided by
penholder.auth.oidc."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any
from urllib.parse import quote

import httpx
from authlib.integrations.httpx_client import AsyncOAuth2Client
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from penholder.auth.oidc import OidcSettings, SsoError, account_for, verified_claims
from penholder.auth.sessions import start_session
from penholder.store import Engine
from penholder.store.accounts import Account
from penholder.web.account import base_url, signed_in

FLOW_COOKIE = "penholder_oidc"
FLOW_SECONDS = 600


def _settings() -> OidcSettings:
    settings = OidcSettings.from_env()
    if settings is None:
        raise SsoError("single sign-on is not configured on this server")
    return settings


async def _discover(settings: OidcSettings) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=10) as http:
        r = await http.get(f"{settings.issuer}/.well-known/openid-configuration")
        r.raise_for_status()
        return r.json()


def _client(settings: OidcSettings, request: Request) -> AsyncOAuth2Client:
    return AsyncOAuth2Client(settings.client_id, settings.client_secret, scope=settings.scope,
                             redirect_uri=f"{base_url(request)}/auth/oidc/callback", code_challenge_method="S256",
                             timeout=10)


def _back(message: str) -> Response:
    return RedirectResponse(f"/signin.html#error={quote(message)}", status_code=303)


async def status(request: Request) -> Response:
    return JSONResponse({"enabled": OidcSettings.from_env() is not None})


async def start(request: Request) -> Response:
    try:
        settings = _settings()
        meta = await _discover(settings)
    except SsoError as exc:
        return _back(str(exc))
    except httpx.HTTPError:
        return _back("the identity provider cannot be reached; try again later")
    verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(24)
    async with _client(settings, request) as client:
        url, state = client.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier,
                                                     nonce=nonce)
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(FLOW_COOKIE, json.dumps({"state": state, "verifier": verifier, "nonce": nonce}),
                        max_age=FLOW_SECONDS, path="/auth/oidc", httponly=True, samesite="lax",
                        secure=base_url(request).startswith("https:"))
    return response


async def callback(request: Request) -> Response:
    try:
        flow = json.loads(request.cookies.get(FLOW_COOKIE) or "{}")
    except ValueError:
        flow = {}
    if request.query_params.get("error"):
        return _back(f"the identity provider refused: {request.query_params.get('error_description') or request.query_params['error']}")
    if not flow or not secrets.compare_digest(str(flow.get("state")), request.query_params.get("state", "")):
        return _back("this sign-in was not started here, or took too long: start again")
    try:
        settings = _settings()
        meta = await _discover(settings)
        async with _client(settings, request) as client:
            token = await client.fetch_token(meta["token_endpoint"], code=request.query_params.get("code", ""),
                                             code_verifier=flow["verifier"])
        async with httpx.AsyncClient(timeout=10) as http:
            jwks = (await http.get(meta["jwks_uri"])).json()
        claims = verified_claims(settings, str(token.get("id_token") or ""), jwks, flow["nonce"])
        user, secret = await asyncio.to_thread(_sign_in, request.app.state.engine, claims)
    except SsoError as exc:
        return _back(str(exc))
    except Exception:  # noqa: BLE001 - the provider's errors (HTTP, OAuth) are the person's to retry
        return _back("the identity provider did not complete the sign-in; try again")
    answer = signed_in(request, user, secret)
    response = RedirectResponse("/signin.html", status_code=303)
    for value in answer.headers.getlist("set-cookie"):
        response.headers.append("set-cookie", value)
    response.delete_cookie(FLOW_COOKIE, path="/auth/oidc")
    return response


def _sign_in(engine: Engine, claims: dict[str, Any]) -> tuple[Account, str]:
    return start_session(engine, account_for(engine, claims).id)
