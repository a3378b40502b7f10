"""The OpenAPI document of the REST API, kept next to the routes it describes."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {400: "malformed request", 401: "no or unknown token", 403: "the role may not do this",
            404: "no such draft or prior resolution", 413: "upload too large",
            422: "the request or the file cannot be used; the message says why"}
    return {str(c): _json(ERROR, text[c]) for c in codes}


DRAFT_ID = {"name": "draft_id", "in": "path", "required": True, "schema": {"type": "integer"}}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Penholder", "version": "0.1.0",
             "description": "Collaborative drafting and amendment tracking for UN General Assembly "
                            "resolutions. Every route needs `Authorization: Bearer <token>` "
                            "(`penholder user add`). The live text is edited over the y-websocket "
                            "protocol at `/ws/drafts/{draft_id}?token=<token>` (docs/sync.md)."},
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "paths": {
        "/api/drafts": {
            "get": {"summary": "List drafts", "operationId": "listDrafts",
                    "responses": {"200": _json({"type": "object", "properties": {
                        "drafts": {"type": "array", "items": {"$ref": "#/components/schemas/Draft"}}}},
                        "drafts, newest first"), **_errors(401, 403)}},
            "post": {"summary": "Start a draft from a prior resolution",
                     "description": "From a prior resolution in drafts/ (`{\"from\": \"A/RES/79/53\"}`) or an "
                                    "uploaded file (multipart, part `file`: .txt, .md, .docx, .pdf). An adopted "
                                    "resolution is rolled over to the next session by the Secretariat's "
                                    "technical update. Roles that may edit the text.",
                     "operationId": "createDraft",
                     "requestBody": {"required": True, "content": {
                         "application/json": {"schema": {"type": "object", "required": ["from"],
                                                         "properties": {"from": {"type": "string", "example": "A/RES/79/53"}}}},
                         "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                                            "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                     "responses": {"201": _json({"$ref": "#/components/schemas/Draft"}, "the new draft"),
                                   **_errors(401, 403, 404, 413, 422)}},
        },
        "/api/drafts/{draft_id}": {
            "get": {"summary": "The current text of a draft", "operationId": "getDraft",
                    "description": "Read from the live document, in the shape of `penholder import --json` "
                                   "(docs/document-model.md), with `draft_id` and `seq`, the last update included.",
                    "parameters": [DRAFT_ID],
                    "responses": {"200": _json({"$ref": "#/components/schemas/Resolution"}, "the text"),
                                  **_errors(401, 403, 404)}},
        },
        "/api/drafts/{draft_id}/history": {
            "get": {"summary": "Who changed what, when", "operationId": "getHistory",
                    "parameters": [DRAFT_ID,
                                   {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                                   {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}],
                    "responses": {"200": _json({"type": "object", "properties": {
                        "draft_id": {"type": "integer"},
                        "entries": {"type": "array", "items": {"$ref": "#/components/schemas/HistoryEntry"}},
                        "next": {"type": ["integer", "null"]}}}, "updates in log order"),
                        **_errors(401, 403, 404, 422)}},
        },
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            "Draft": {"type": "object", "properties": {
                "id": {"type": "integer"}, "symbol": {"type": ["string", "null"]}, "title": {"type": "string"},
                "session": {"type": "integer"}, "committee": {"type": ["string", "null"]},
                "agenda_item": {"type": ["string", "null"]}, "base_symbol": {"type": ["string", "null"]},
                "created_at": {"type": "string", "format": "date-time"}, "url": {"type": "string"},
                "websocket": {"type": "string"}}},
            "FootnoteRef": {"type": "object", "properties": {"number": {"type": "integer"}, "offset": {"type": "integer"}}},
            "Paragraph": {"type": "object", "properties": {
                "id": {"type": "string"}, "number": {"type": "integer"}, "label": {"type": "string"},
                "lead": {"type": "string"}, "text": {"type": "string"},
                "footnote_refs": {"type": "array", "items": {"$ref": "#/components/schemas/FootnoteRef"}},
                "subparagraphs": {"type": "array", "items": {"$ref": "#/components/schemas/Paragraph"}}}},
            "Resolution": {"type": "object", "properties": {
                "kind": {"const": "resolution"}, "symbol": {"type": ["string", "null"]},
                "session": {"type": ["integer", "null"]}, "committee": {"type": ["string", "null"]},
                "agenda_item": {"type": ["string", "null"]}, "agenda_title": {"type": ["string", "null"]},
                "title": {"type": ["string", "null"]}, "adopted_on": {"type": ["string", "null"]},
                "meeting": {"type": ["string", "null"]}, "sponsors": {"type": "array", "items": {"type": "string"}},
                "preamble": {"type": "array", "items": {"$ref": "#/components/schemas/Paragraph"}},
                "operative": {"type": "array", "items": {"$ref": "#/components/schemas/Paragraph"}},
                "footnotes": {"type": "array", "items": {"type": "object", "properties": {
                    "number": {"type": "integer"}, "text": {"type": "string"}}}},
                "warnings": {"type": "array", "items": {"type": "string"}},
                "draft_id": {"type": "integer"}, "seq": {"type": "integer"}}},
            "HistoryEntry": {"type": "object", "properties": {
                "seq": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
                "user": {"type": "string"}, "role": {"type": "string"},
                "delegation": {"type": ["string", "null"]}, "origin": {"type": ["string", "null"]},
                "technical": {"type": "boolean"},
                "changes": {"type": "array", "items": {"type": "object", "properties": {
                    "target": {"type": "string"}, "change": {"enum": ["added", "removed", "edited"]},
                    "before": {"type": ["string", "null"]}, "after": {"type": ["string", "null"]}}}}}},
        },
    },
}


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(SPEC)
