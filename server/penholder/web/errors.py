"""JSON errors: every failure is {"error": "what is wrong"} with the right status."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response


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
    messages = {404: f"no such resource: {request.url.path}",
                405: f"method {request.method} not allowed on {request.url.path}"}
    return error(exc.status_code, messages.get(exc.status_code, exc.detail), exc.headers)


async def server_error(request: Request, exc: Exception) -> Response:
    return error(500, "internal error; the server log has the details")


HANDLERS = {ApiError: api_error, HTTPException: http_error, Exception: server_error}
