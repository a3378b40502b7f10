"""REST routes for the library of adopted resolutions (list, search, add by upload,
whether an amendment's new text is agreed language) and for a draft's editorial checks
(docs/library.md)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from pycrdt import Doc
from starlette.requests import Request
from starlette.responses import JSONResponse

from penholder import library
from penholder.ingest import MAX_BYTES, IngestError, import_bytes
from penholder.library import drafts as checks
from penholder.model import Resolution, renumbering
from penholder.store import Engine
from penholder.store import amendments as stored_amendments
from penholder.store.errors import Conflict, Missing
from penholder.sync.hooks import Author
from penholder.sync.schema import read
from penholder.web.auth import principal_of, require
from penholder.web.errors import ApiError
from penholder.zero_draft import apply_technical


async def ready(request: Request) -> Engine:
    """The engine, once the resolutions of drafts/ are in the library (first use per app)."""
    state = request.app.state
    engine: Engine = state.engine
    if not getattr(state, "library_ready", False):
        lock = getattr(state, "library_lock", None)
        if lock is None:
            lock = state.library_lock = asyncio.Lock()
        async with lock:
            if not getattr(state, "library_ready", False):
                await asyncio.to_thread(library.ensure_drafts, engine)
                state.library_ready = True
    return engine


def _float(request: Request, name: str, default: float) -> float:
    raw = request.query_params.get(name)
    try:
        return default if raw is None else float(raw)
    except ValueError:
        raise ApiError(422, f"'{name}' must be a number, not {raw!r}") from None


def _int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    try:
        return default if raw is None else int(raw)
    except ValueError:
        raise ApiError(422, f"'{name}' must be a whole number, not {raw!r}") from None


def _query(phrase: str, limit: int, min_similarity: float) -> library.Query:
    try:
        return library.Query(phrase, limit, min_similarity)
    except library.LibraryError as exc:
        raise ApiError(422, str(exc)) from None


async def _search(engine: Engine, query: library.Query) -> dict[str, Any]:
    try:
        return await asyncio.to_thread(library.search, engine, query)
    except library.LibraryError as exc:
        raise ApiError(422, str(exc)) from None


async def search(request: Request) -> JSONResponse:
    """GET /api/library/search?q=phrase&limit=20&min_similarity=0.7"""
    await require(request, "read")
    q = request.query_params.get("q")
    if q is None:
        raise ApiError(422, "missing 'q': the phrase to look for")
    query = _query(q, _int(request, "limit", 20), _float(request, "min_similarity", 0.7))
    return JSONResponse(await _search(await ready(request), query))


async def list_all(request: Request) -> JSONResponse:
    await require(request, "read")
    engine = await ready(request)
    return JSONResponse({"resolutions": await asyncio.to_thread(library.listing, engine)})


def _add(engine: Engine, data: bytes, name: str) -> library.Added:
    doc = import_bytes(data, name)
    if not isinstance(doc, Resolution):
        raise library.LibraryError(f"{name}: a list of proposals, not a resolution")
    return library.add_resolution(engine, doc, f"upload:{Path(name).name}")


async def add(request: Request) -> JSONResponse:
    """POST /api/library, multipart with a 'file' part: an adopted resolution."""
    who = await require(request, "library")
    if who.draft_id is not None:
        raise ApiError(403, "a token for one draft may not change the library")
    length = int(request.headers.get("content-length") or 0)
    if length > MAX_BYTES + 65536:
        raise ApiError(413, f"upload too large ({length / 1e6:.1f} MB; the limit is {MAX_BYTES // 1_000_000} MB)")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(422, "upload the resolution as multipart/form-data with a 'file' part")
    engine = await ready(request)
    async with request.form(max_files=1, max_fields=2, max_part_size=MAX_BYTES) as form:
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(422, "multipart upload without a 'file' part")
        data, name = await upload.read(), upload.filename or "upload"
    try:
        added = await asyncio.to_thread(_add, engine, data, name)
    except (IngestError, library.LibraryError) as exc:
        raise ApiError(422, str(exc)) from None
    except Conflict:
        raise ApiError(409, "the same resolution is being added by another request; try again") from None
    return JSONResponse({"symbol": added.symbol, "paragraphs": added.paragraphs, "replaced": added.replaced},
                        status_code=200 if added.replaced else 201)


def _amendment(engine: Engine, amendment_id: int) -> tuple[int, str, str | None]:
    try:
        a = stored_amendments.get(engine, amendment_id)
    except Missing:
        raise ApiError(404, f"no amendment {amendment_id}") from None
    return a.draft_id, a.field("operation"), a.field("new_text")


async def agreed_language(request: Request) -> JSONResponse:
    """GET /api/amendments/{id}/agreed-language: is the proposal's new text already
    agreed, and where."""
    amendment_id = int(request.path_params["amendment_id"])
    await principal_of(request)
    draft_id, operation, new_text = await asyncio.to_thread(_amendment, request.app.state.engine, amendment_id)
    await require(request, "read", draft_id)
    out: dict[str, Any] = {"amendment_id": amendment_id, "draft_id": draft_id, "operation": operation,
                           "text": new_text}
    if not (new_text or "").strip():
        return JSONResponse({**out, "agreed": None, "sources": [], "note": "this amendment adds no text"})
    query = _query(new_text or "", _int(request, "limit", 10), _float(request, "min_similarity", 0.7))
    try:
        found = await asyncio.to_thread(library.search, await ready(request), query)
    except library.LibraryError as exc:
        return JSONResponse({**out, "agreed": False, "sources": [], "note": str(exc)})
    return JSONResponse({**out, "agreed": found["exact"] > 0, "sources": found["results"]})


async def draft_checks(request: Request) -> JSONResponse:
    """GET /api/drafts/{id}/checks[?since=N][&agreed=true]: editorial findings on the live
    text, the references a renumbering moved since revision N (the latest by default), and
    with `agreed` each paragraph's standing against the library."""
    draft_id = int(request.path_params["draft_id"])
    await require(request, "read", draft_id)
    since = request.query_params.get("since")
    if since is not None and not since.isdigit():
        raise ApiError(422, f"'since' must be a revision number, not {since!r}")
    agreed = request.query_params.get("agreed", "false")
    if agreed not in ("true", "false"):
        raise ApiError(422, f"'agreed' must be true or false, not {agreed!r}")
    engine = await ready(request)
    live = request.app.state.rooms.open_state(str(draft_id))
    try:
        body = await asyncio.to_thread(checks.draft_checks, engine, draft_id, live,
                                       int(since) if since is not None else None, agreed == "true")
    except checks.DraftNotFound as exc:
        raise ApiError(404, str(exc.args[0])) from None
    return JSONResponse(body)


async def update_references(request: Request) -> JSONResponse:
    """POST /api/drafts/{id}/checks/references[?since=N]: the Secretariat's technical update
    of the internal references moved since revision N (the latest by default)."""
    draft_id = int(request.path_params["draft_id"])
    who = await require(request, "renumber", draft_id)
    since = request.query_params.get("since")
    if since is not None and not since.isdigit():
        raise ApiError(422, f"'since' must be a revision number, not {since!r}")
    engine = request.app.state.engine
    try:
        await asyncio.to_thread(checks.require_draft, engine, draft_id)
        base = await asyncio.to_thread(checks.revision_text, engine, draft_id, int(since) if since else None)
    except checks.DraftNotFound as exc:
        raise ApiError(404, str(exc.args[0])) from None
    if base is None:
        raise ApiError(409, f"draft {draft_id} has no revision yet: references are renumbered against one")
    before, number = base
    applied: list[dict[str, str]] = []

    def edit(doc: Doc) -> None:
        # computed on the document being changed, so that no edit in between is lost
        changes = renumbering.update_references(before, read(doc))
        apply_technical(doc, changes, "")
        applied.extend({"paragraph_id": c.target, "before": c.before, "after": c.after} for c in changes)

    seq = await request.app.state.rooms.change(str(draft_id), edit, Author(who.user_id, None, "technical"))
    return JSONResponse({"draft_id": draft_id, "since_revision": number, "seq": seq, "applied": applied})
