"""JSON errors: every failure is {"error": "what is wrong"} with the right status. Domain
errors (a refusal, a missing record, a stale amendment, a bad file) become HTTP answers
here, in one place; routes and services raise them and return only successes.
No message names a server path or repeats what the client sent in its URL."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from penholder.amend.lifecycle import WrongState
from penholder.amend.operations import AmendmentError, Stale
from penholder.amend.service import NotFound, RateLimited
from penholder.auth.policy import Forbidden
from penholder.exports import ExportError
from penholder.ingest import IngestError
from penholder.render import RenderError
from penholder.zero_draft import PriorNotFound


log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error(exc.status, exc.message, exc.headers)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "no such resource: see /api/openapi.json for the routes",
                405: f"method {request.method} not allowed here"}
    return error(exc.status_code, messages.get(exc.status_code, exc.detail), exc.headers)


async def server_error(request: Request, exc: Exception) -> Response:
    return error(500, "internal error; the server log has the details")


def _status(code: int):  # type: ignore[no-untyped-def]
    async def handler(request: Request, exc: Exception) -> Response:
        return error(code, str(exc.args[0]) if exc.args else type(exc).__name__)
    return handler


async def stale(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Stale)
    return JSONResponse({"error": f"stale: {exc.reason}; accept it with a rebase, or reject it",
                         "current_text": exc.current_text}, status_code=409)


async def render_failed(request: Request, exc: Exception) -> Response:
    log.error("an export failed to render: %s", exc)  # pandoc's message may name server files
    return error(500, "the export could not be rendered; the server log has the details")


async def rate_limited(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RateLimited)
    return error(429, str(exc), {"Retry-After": str(exc.retry_after)})


HANDLERS = {
    ApiError: api_error, HTTPException: http_error,
    Forbidden: _status(403), NotFound: _status(404), PriorNotFound: _status(404), ExportError: _status(404),
    WrongState: _status(409), Stale: stale, AmendmentError: _status(422), IngestError: _status(422),
    RateLimited: rate_limited, RenderError: render_failed,
    Exception: server_error,
}
