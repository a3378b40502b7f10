"""The review step before a draft is created from an upload (docs/import.md): the file is
read and shown, nothing stored; the draft is then created from what the user corrected.

POST /api/drafts/preview (multipart, part `file`) answers the import JSON with each
paragraph's `review`; POST /api/drafts with `{"reviewed": {...}}` creates the draft from
the corrected resolution (web/drafts.py), checked by penholder.reviewed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from penholder.auth.policy import NEW_DRAFT
from penholder.ingest import MAX_BYTES, IngestError, TooLarge, UnsupportedFormat, import_bytes
from penholder.library.usage import word_usage
from penholder.model import Resolution
from penholder.store import Engine
from penholder.web.auth import require
from penholder.web.errors import ApiError
from penholder.web.library import ready as library_ready

ACCEPTED = ".txt, .md, .docx or .pdf"


async def read_upload(request: Request) -> tuple[bytes, str]:
    """The bytes and name of the multipart part `file`, bounded like every upload."""
    length = request.headers.get("content-length") or "0"
    if length.isdigit() and int(length) > MAX_BYTES + 65536:
        raise ApiError(413, f"upload too large ({int(length) / 1e6:.1f} MB; the limit is {MAX_BYTES // 1_000_000} MB)")
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ApiError(415, f"send the file as multipart/form-data with a 'file' part ({ACCEPTED})")
    async with request.form(max_files=1, max_fields=2, max_part_size=MAX_BYTES) as form:
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ApiError(422, "multipart upload without a 'file' part")
        return await upload.read(), Path(upload.filename or "upload").name


def _read(data: bytes, name: str, engine: Engine) -> dict[str, Any]:
    doc = import_bytes(data, name, library=word_usage(engine))
    if not isinstance(doc, Resolution):
        raise IngestError(f"{name}: a list of proposals, not a resolution; import it as amendments on a draft")
    return {"file": name, **doc.to_json()}


async def preview(request: Request) -> JSONResponse:
    """What the importer reads in the file, paragraph by paragraph, without storing it."""
    await require(request, "edit", NEW_DRAFT)
    data, name = await read_upload(request)
    engine = await library_ready(request)  # words broken in two readings are read as the library writes them
    try:
        body = await asyncio.to_thread(_read, data, name, engine)
    except UnsupportedFormat as exc:
        raise ApiError(415, f"{exc} (accepted: {ACCEPTED})") from None
    except TooLarge as exc:
        raise ApiError(413, str(exc)) from None
    except IngestError as exc:
        raise ApiError(422, str(exc)) from None
    return JSONResponse(body)
