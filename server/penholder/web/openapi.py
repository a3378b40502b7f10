"""The OpenAPI document of the REST API, kept next to the routes it describes."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from penholder.web.auth import principal_of
from penholder.web.openapi_accounts import COOKIE_SESSION
from penholder.web.openapi_accounts import PATHS as ACCOUNT_PATHS

ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {400: "malformed request", 401: "no or unknown token (checked before anything else)",
            403: "the role, the token's draft or the delegation acted for does not allow this",
            404: "no such draft or prior resolution", 408: "the request body stopped arriving",
            409: "the amendment or sponsorship is not in a state this applies to",
            413: "the request is larger than the limit the message names",
            415: "not a multipart upload, or a file of a kind not read here (.txt, .md, .docx, .pdf)",
            422: "the request or the file cannot be used; the message says why",
            429: "the delegation filed more amendments than its limit allows; see Retry-After"}
    return {str(c): _json(ERROR, text[c]) for c in codes}


DRAFT_ID = {"name": "draft_id", "in": "path", "required": True, "schema": {"type": "integer"}}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Penholder", "version": "0.1.0",
             "description": "Collaborative drafting and amendment tracking for UN General Assembly "
                            "resolutions. Every route needs `Authorization: Bearer <token>` "
                            "(`penholder user add`); a token in a REST URL is refused. Limits and the "
                            "threat model: docs/security.md. The live text is edited over the y-websocket "
                            "protocol at `/ws/drafts/{draft_id}?token=<token>` (docs/sync.md)."},
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "paths": {
        "/api/openapi.json": {
            "get": {"summary": "This document", "operationId": "getOpenApi",
                    "responses": {"200": _json({"type": "object"}, "the OpenAPI document"), **_errors(401)}},
        },
        "/api/me": {
            "get": {"summary": "Who the token belongs to and what it may do", "operationId": "getMe",
                    "description": "The browser client uses it to name the user and to make the text "
                                   "read-only for roles that may not edit (docs/roles.md).",
                    "responses": {"200": _json({"type": "object", "properties": {
                        "name": {"type": "string"}, "delegation": {"type": ["string", "null"]},
                        "role": {"enum": ["delegate", "penholder", "facilitator", "secretariat", "observer"]},
                        "draft_id": {"type": ["integer", "null"]},
                        "can": {"type": "object", "properties": {
                            k: {"type": "boolean"} for k in ("edit", "propose", "decide", "revise", "export")}}}},
                        "the account and its permissions"), **_errors(401)}},
        },
        "/api/drafts": {
            "get": {"summary": "List drafts", "operationId": "listDrafts",
                    "responses": {"200": _json({"type": "object", "properties": {
                        "drafts": {"type": "array", "items": {"$ref": "#/components/schemas/Draft"}}}},
                        "drafts, newest first"), **_errors(401, 403)}},
            "post": {"summary": "Start a draft from a prior resolution",
                     "description": "From a prior resolution in drafts/ (`{\"from\": \"A/RES/79/53\"}`) or an "
                                    "uploaded file (multipart, part `file`: .txt, .md, .docx, .pdf). An adopted "
                                    "resolution is rolled over to the next session by the Secretariat's "
                                    "technical update. Roles that may edit the text. A file that carries a "
                                    "draft's L. symbol or sponsors is the Secretariat's to upload as it is (403 "
                                    "for anyone else, who starts it from the preview).",
                     "operationId": "createDraft",
                     "requestBody": {"required": True, "content": {
                         "application/json": {"schema": {"oneOf": [
                             {"type": "object", "required": ["from"],
                              "properties": {"from": {"type": "string", "example": "A/RES/79/53"}}},
                             {"type": "object", "required": ["reviewed"], "additionalProperties": False,
                              "description": "the resolution of a preview (`POST /api/drafts/preview`) as the "
                                             "user corrected it; the server makes the ids and derives numbers "
                                             "and labels. A draft's L. symbol and `sponsors` only from the "
                                             "Secretariat (403 otherwise).",
                              "properties": {"reviewed": {"$ref": "#/components/schemas/ReviewedResolution"}}}]}},
                         "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                                            "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                     "responses": {"201": _json({"$ref": "#/components/schemas/Draft"}, "the new draft"),
                                   **_errors(401, 403, 404, 413, 422)}},
        },
        "/api/drafts/preview": {
            "post": {"summary": "Read an uploaded resolution for review, storing nothing",
                     "description": "What the importer reads in the file (docs/import.md): the heading, every "
                                    "paragraph with its lead, subparagraphs and footnote marks, and per paragraph "
                                    "`review` (`exact`, `repaired` or `guessed`, with notes), plus `warnings` and "
                                    "`file` (the upload's name). The user corrects it, then creates the draft "
                                    "with `POST /api/drafts` `{\"reviewed\": ...}`. For those who may start a draft.",
                     "operationId": "previewUpload",
                     "requestBody": {"required": True, "content": {
                         "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                                            "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                     "responses": {"200": _json({"$ref": "#/components/schemas/Resolution"}, "what was read"),
                                   **_errors(401, 403, 413, 415, 422)}},
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
                "subparagraphs": {"type": "array", "items": {"$ref": "#/components/schemas/Paragraph"}},
                "review": {"type": "object", "description": "imports and previews only", "properties": {
                    "status": {"enum": ["exact", "repaired", "guessed"]},
                    "notes": {"type": "array", "items": {"type": "string"}}}}}},
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
                "draft_id": {"type": "integer"}, "seq": {"type": "integer"},
                "file": {"type": "string", "description": "a preview's: the upload's name"}}},
            "ReviewedParagraph": {"type": "object", "additionalProperties": False, "required": ["text"], "properties": {
                "lead": {"type": "string", "description": "opening words of `text` (not in subparagraphs)"},
                "text": {"type": "string"},
                "footnote_refs": {"type": "array", "items": {"$ref": "#/components/schemas/FootnoteRef"}},
                "subparagraphs": {"type": "array", "items": {"$ref": "#/components/schemas/ReviewedParagraph"}}}},
            "ReviewedResolution": {"type": "object", "additionalProperties": False, "required": ["title"],
                                   "properties": {
                "symbol": {"type": ["string", "null"]}, "session": {"type": ["integer", "null"]},
                "committee": {"type": ["string", "null"]}, "agenda_item": {"type": ["string", "null"]},
                "agenda_title": {"type": ["string", "null"]}, "title": {"type": "string"},
                "adopted_on": {"type": ["string", "null"], "format": "date"}, "meeting": {"type": ["string", "null"]},
                "sponsors": {"type": "array", "items": {"type": "string"}},
                "preamble": {"type": "array", "items": {"$ref": "#/components/schemas/ReviewedParagraph"}},
                "operative": {"type": "array", "items": {"$ref": "#/components/schemas/ReviewedParagraph"}},
                "footnotes": {"type": "array", "items": {"type": "object", "properties": {
                    "number": {"type": "integer"}, "text": {"type": "string"}}}}}},
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

AMENDMENT_ID = {"name": "amendment_id", "in": "path", "required": True, "schema": {"type": "integer"}}
A = {"$ref": "#/components/schemas/Amendment"}


def _op(summary: str, responses: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"summary": summary, "responses": responses, **kw}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": False, "content": {"application/json": {"schema": schema}}}


SPEC["paths"].update({
    "/api/drafts/{draft_id}/amendments": {
        "get": _op("List a draft's amendments", {"200": _json({"type": "object", "properties": {
            "amendments": {"type": "array", "items": A}}}, "amendments by number"), **_errors(401, 403, 404, 422)},
            operationId="listAmendments", parameters=[DRAFT_ID] + [
                {"name": n, "in": "query", "schema": {"type": "string"}} for n in ("status", "sponsor", "paragraph")] + [
                {"name": "revision", "in": "query", "schema": {"type": "integer"}}]),
        "post": _op("File an amendment under your own delegation", {
            "201": _json(A, "the amendment, proposed"), **_errors(401, 403, 404, 408, 413, 422, 429)},
            operationId="fileAmendment", parameters=[DRAFT_ID],
            description="operation: replace_text | insert_text | delete_text | change_lead (paragraph_id, "
                        "target_text = the exact text aimed at, new_text; insert_text also position after|before) "
                        "| add_paragraph (position after:<id> | start:preamble | start:operative, kind, new_text) "
                        "| delete_paragraph | move_paragraph (paragraph_id, position). `sponsor`, if given, must "
                        "be your delegation.",
            requestBody={"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewAmendment"}}}}),
    },
    "/api/drafts/{draft_id}/amendments/import": {"post": _op(
        "File a delegation's list of proposals, each as a new operative paragraph",
        {"201": _json({"type": "object", "properties": {"filed": {"type": "array", "items": A}}}, "filed"),
         **_errors(401, 403, 408, 413, 422, 429)}, operationId="importProposals", parameters=[DRAFT_ID],
        description="All items are filed or none: a list of at most 1,000 items in a file of at most 4 MB, "
                    "within the delegation's filing limit.",
        requestBody={"required": True, "content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}, "delegation": {"type": "string"}}}}}})},
    "/api/amendments/{amendment_id}": {"get": _op("An amendment with its sponsors, events and standing",
                                                  {"200": _json(A, "the amendment"), **_errors(401, 403, 404)},
                                                  operationId="getAmendment", parameters=[AMENDMENT_ID])},
    "/api/amendments/{amendment_id}/cosponsors": {
        "post": _op("Co-sponsor (your delegation)", {"200": _json(A, "the amendment"), **_errors(401, 403, 404)},
                    operationId="cosponsor", parameters=[AMENDMENT_ID]),
        "delete": _op("Stop co-sponsoring (your delegation)", {"200": _json(A, "the amendment"), **_errors(401, 403, 404)},
                      operationId="leaveCosponsorship", parameters=[AMENDMENT_ID])},
    **{f"/api/amendments/{{amendment_id}}/{action}": {"post": _op(
        what, {"200": _json(A, "the amendment"), "409": _json(ERROR, "wrong status, or stale (with current_text)"),
               **_errors(401, 403, 404, 422)}, operationId=f"{action}Amendment", parameters=[AMENDMENT_ID],
        requestBody=_body({"type": "object", "properties": {"note": {"type": "string"}, **extra}}))}
        for action, what, extra in (
            ("accept", "Accept (facilitator): applied to the live text, attributed to the sponsor",
             {"rebase": {"type": "object", "description": "new target_text / new_text / position for a stale one"}}),
            ("reject", "Reject (facilitator)", {}),
            ("withdraw", "Withdraw (the sponsoring delegation)", {}),
            ("supersede", "Supersede by another amendment (facilitator)", {"by": {"type": "integer"}}),
            ("reopen", "Reopen a rejected, withdrawn or superseded amendment (facilitator)", {}))},
    "/api/drafts/{draft_id}/compilation": {"get": _op(
        "The draft with every pending proposal where it applies, attributed",
        {"200": {"description": "JSON, Markdown or HTML", "content": {"application/json": {}, "text/markdown": {}, "text/html": {}}},
         **_errors(401, 403, 404, 422)}, operationId="getCompilation",
        parameters=[DRAFT_ID, {"name": "format", "in": "query", "schema": {"enum": ["json", "md", "html"]}}])},
    "/api/drafts/{draft_id}/paragraphs/{paragraph_id}/history": {"get": _op(
        "A paragraph's history: direct edits grouped by person and sitting, amendments with their events, comments",
        {"200": _json({"type": "object"}, "history"), **_errors(401, 403, 404, 422)}, operationId="getParagraphHistory",
        parameters=[DRAFT_ID, {"name": "paragraph_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "gap", "in": "query", "description": "minutes between two edits of one sitting (10)",
                     "schema": {"type": "number", "minimum": 0, "maximum": 1440}}])},
    "/api/drafts/{draft_id}/delegations/{name}": {"get": _op(
        "What a delegation proposed, supported, withdrew, and what was accepted",
        {"200": _json({"type": "object"}, "record"), **_errors(401, 403, 404)}, operationId="getDelegationRecord",
        parameters=[DRAFT_ID, {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}])},
    "/api/drafts/{draft_id}/revisions": {
        "get": _op("Revisions (zero draft, Rev.1, ...)", {"200": _json({"type": "object"}, "revisions"),
                                                           **_errors(401, 403, 404)},
                   operationId="listRevisions", parameters=[DRAFT_ID]),
        "post": _op("Cut a revision (facilitator, Secretariat)", {"201": _json({"type": "object"}, "the revision"),
                                                                  **_errors(401, 403, 404, 422)},
                    operationId="cutRevision", parameters=[DRAFT_ID],
                    requestBody=_body({"type": "object", "properties": {"standing": {
                        "type": "object", "additionalProperties": {"enum": ["agreed ad ref", "pending", "bracketed"]}}}}))},
    "/api/drafts/{draft_id}/revisions/{number}": {"get": _op(
        "A revision with its text and paragraph standing", {"200": _json({"type": "object"}, "the revision"),
                                                            **_errors(401, 403, 404)},
        operationId="getRevision", parameters=[DRAFT_ID, {"name": "number", "in": "path", "required": True,
                                                          "schema": {"type": "integer"}}])},
    "/api/drafts/{draft_id}/revisions/{number}/paragraphs/{paragraph_id}": {"put": _op(
        "Set a paragraph's standing in a revision", {"200": _json({"type": "object"}, "the revision"),
                                                     **_errors(401, 403, 404, 422)},
        operationId="setStanding", parameters=[DRAFT_ID, {"name": "number", "in": "path", "required": True,
                                                          "schema": {"type": "integer"}},
                                               {"name": "paragraph_id", "in": "path", "required": True,
                                                "schema": {"type": "string"}}],
        requestBody=_body({"type": "object", "properties": {"standing": {"enum": ["agreed ad ref", "pending", "bracketed"]}}}))},
    "/api/drafts/{draft_id}/sponsors": {
        "get": _op("Sponsors of the draft: main, co-sponsors, additional", {"200": _json({"type": "object"}, "sponsors"),
                                                                           **_errors(401, 403, 404)},
                   operationId="listSponsors", parameters=[DRAFT_ID]),
        "post": _op("Join as a sponsor (your delegation; the Secretariat may name any)",
                    {"200": _json({"type": "object"}, "sponsors"), **_errors(401, 403, 404, 422)},
                    operationId="joinSponsors", parameters=[DRAFT_ID],
                    requestBody=_body({"type": "object", "properties": {"delegation": {"type": "string"},
                                                                        "kind": {"enum": ["main", "cosponsor", "additional"]}}})),
        "delete": _op("Leave the sponsors (your delegation; the Secretariat may name any)",
                      {"200": _json({"type": "object"}, "sponsors"), **_errors(401, 403, 404, 409, 422)},
                      operationId="leaveSponsors", parameters=[DRAFT_ID, {
                          "name": "delegation", "in": "query", "schema": {"type": "string"},
                          "description": "the delegation leaving, by its exact name (any case); default: yours"}])},
    "/api/drafts/{draft_id}/table": {"post": _op(
        "Issue the draft under its symbol (Secretariat): the draft is tabled",
        {"200": _json({"type": "object"}, "done"), **_errors(401, 403, 404, 422)}, operationId="tableDraft",
        parameters=[DRAFT_ID], requestBody=_body({"type": "object", "properties": {"symbol": {"type": "string"}}}))},
})
SPEC["paths"]["/api/drafts/{draft_id}/export"] = {"get": _op(
    "The draft as a file in UN document format, clean or with changes tracked",
    {"200": {"description": "the file, named after the symbol (A_C.1_81_L.12_tracked.docx)", "content": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}, "application/pdf": {},
        "text/html": {}, "text/markdown": {}, "application/akn+xml": {}}}, **_errors(401, 403, 404, 422)},
    operationId="exportDraft",
    description="Tracked changes are real Word revisions (w:ins/w:del) whose author is the delegation that "
                "made each change (the Secretariat for technical updates), against a prior resolution "
                "(against=A/RES/79/53), a revision (against=rev:N) or the pending proposals (against=proposals).",
    parameters=[DRAFT_ID,
                {"name": "format", "in": "query", "schema": {"enum": ["docx", "pdf", "html", "md", "akn"]}},
                {"name": "changes", "in": "query", "schema": {"enum": ["none", "tracked"]}},
                {"name": "against", "in": "query", "schema": {"type": "string"}}])}
SPEC["paths"]["/api/drafts/{draft_id}/package"] = {"get": _op(
    "The submission of the L document: one zip",
    {"200": {"description": "A_C.1_81_L.12_submission.zip", "content": {"application/zip": {}}},
     **_errors(401, 403, 404, 422)},
    operationId="submissionPackage",
    description="The Word file tracked against the official A/RES text the draft started from (for a "
                "revised draft, against the issued L document), the clean Word file, the PDF and the list "
                "of sponsors.",
    parameters=[DRAFT_ID])}
SPEC["components"]["schemas"]["NewAmendment"] = {"type": "object", "required": ["operation"], "properties": {
    k: {"type": "string"} for k in ("operation", "paragraph_id", "position", "kind", "target_text", "new_text",
                                    "rationale", "sponsor")}}
SPEC["components"]["schemas"]["Amendment"] = {"type": "object", "properties": {
    "id": {"type": "integer"}, "number": {"type": "integer"}, "sponsor": {"type": "string"},
    "cosponsors": {"type": "array", "items": {"type": "object"}}, "status": {"type": "string"},
    "operation": {"type": "string"}, "paragraph_id": {"type": ["string", "null"]}, "summary": {"type": "string"},
    "target_text": {"type": ["string", "null"]}, "new_text": {"type": ["string", "null"]},
    "context": {"type": ["string", "null"], "description": "the quote with up to 100 characters either side "
                "as it stood when filed (the opening of a paragraph deleted or moved)"},
    "stale": {"type": ["boolean", "null"]}, "current_text": {"type": ["string", "null"]},
    "events": {"type": "array", "items": {"type": "object"}}}}

# The library of adopted resolutions and editorial checks (docs/library.md).
_LIB_HIT = {"type": "object", "properties": {
    **{k: {"type": ["string", "null"]} for k in ("symbol", "title", "adopted_on", "date", "committee",
                                                  "paragraph_id", "label", "matched", "sentence")},
    "match": {"enum": ["exact", "near"]}, "similarity": {"type": "number"},
    "span": {"type": "array", "items": {"type": "integer"}, "description": "characters of the paragraph's text"},
    "sentence_span": {"type": "array", "items": {"type": "integer"}, "description": "the match in `sentence`"}}}
_Q = [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
      {"name": "min_similarity", "in": "query", "schema": {"type": "number", "minimum": 0.3, "maximum": 1},
       "description": "near matches from this word-level similarity (default 0.7; 1 = exact only)"}]
SPEC["paths"].update({
    "/api/library": {
        "get": _op("The adopted resolutions in the library", {"200": _json({"type": "object", "properties": {
            "resolutions": {"type": "array", "items": {"type": "object"}}}}, "newest first"), **_errors(401, 403)},
            operationId="listLibrary"),
        "post": _op("Add an adopted resolution (facilitator, Secretariat)",
                    {"201": _json({"type": "object", "properties": {"symbol": {"type": "string"},
                                                                   "paragraphs": {"type": "integer"},
                                                                   "replaced": {"type": "boolean"}}}, "added"),
                     "200": {"description": "a resolution with the same symbol was replaced"},
                     **_errors(401, 403, 413, 422)}, operationId="addToLibrary",
                    requestBody={"required": True, "content": {"multipart/form-data": {"schema": {
                        "type": "object", "required": ["file"], "properties": {
                            "file": {"type": "string", "format": "binary"}}}}}})},
    "/api/library/search": {"get": _op(
        "Where was this agreed? Library paragraphs holding a phrase exactly or nearly",
        {"200": _json({"type": "object", "properties": {
            "query": {"type": "string"}, "words": {"type": "integer"},
            "exact": {"type": "integer", "description": "exact matches found"},
            "more": {"type": "boolean"}, "results": {"type": "array", "items": _LIB_HIT}}},
            "exact matches newest first, then near ones by similarity"), **_errors(401, 403, 422)},
        operationId="searchLibrary",
        parameters=[{"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}, *_Q])},
    "/api/amendments/{amendment_id}/agreed-language": {"get": _op(
        "Whether an amendment's new text is agreed language, and where from",
        {"200": _json({"type": "object", "properties": {
            "agreed": {"type": ["boolean", "null"], "description": "an adopted text holds it exactly"},
            "sources": {"type": "array", "items": _LIB_HIT}, "note": {"type": "string"}}}, "the sources"),
         **_errors(401, 403, 404, 422)}, operationId="getAgreedLanguage", parameters=[AMENDMENT_ID, *_Q])},
    "/api/drafts/{draft_id}/checks": {"get": _op(
        "Editorial checks of the draft's current text, and references moved by renumbering",
        {"200": _json({"type": "object", "properties": {
            "findings": {"type": "array", "items": {"type": "object", "properties": {
                "rule": {"type": "string"}, "label": {"type": "string"},
                "paragraph_id": {"type": ["string", "null"]},
                "span": {"type": "array", "items": {"type": "integer"}, "description": "characters of the text"},
                "message": {"type": "string"}}}},
            "count": {"type": "integer"}, "since_revision": {"type": "integer"},
            "reference_updates": {"type": "array", "items": {"type": "object", "properties": {
                k: {"type": "string"} for k in ("paragraph_id", "before", "after", "reason")}},
                "description": "the Secretariat's technical update of the moved references"},
            "rules": {"type": "object", "additionalProperties": {"type": "string"}},
            "agreed_language": {"type": "array", "description": "with agreed=true: each paragraph's standing",
                                "items": {"type": "object", "properties": {
                                    "paragraph_id": {"type": "string"}, "label": {"type": "string"},
                                    "status": {"enum": ["agreed", "superseded", "near", "new", "unchecked"]},
                                    "source": {"type": "object", "description": "the newest exact match, else the closest"},
                                    "newer": {"type": "object", "description": "superseded: the later wording"},
                                    "spans": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}},
                                              "description": "characters of the text the standing is drawn on: "
                                                             "all the words, or those that depart (near) or that "
                                                             "the later wording changed (superseded)"},
                                    "update": {"type": "object", "description": "superseded: `span` of the text "
                                               "and the later wording's `text` that replaces it; `lead`, "
                                               "when it rewrites the opening: the new lead",
                                               "properties": {"span": {"type": "array", "items": {"type": "integer"}},
                                                              "text": {"type": "string"}, "lead": {"type": "string"}}},
                                    "note": {"type": "string"}}}}}}, "the findings"),
         **_errors(401, 403, 404, 422)}, operationId="getDraftChecks",
        description="Rules and their explanations are in `rules` (docs/library.md). With revisions, "
                    "internal references that the renumbering since revision `since` (the latest by "
                    "default) made point elsewhere are findings too, with their update.",
        parameters=[DRAFT_ID, {"name": "since", "in": "query", "schema": {"type": "integer"}},
                    {"name": "agreed", "in": "query", "schema": {"type": "boolean", "default": False},
                     "description": "also each paragraph's standing against the library (a search per "
                                    "paragraph: agreed, superseded by later wording, near, new)"}])},
    "/api/drafts/{draft_id}/checks/references": {"post": _op(
        "Renumber the internal references moved since a revision (Secretariat, technical update)",
        {"200": _json({"type": "object", "properties": {
            "since_revision": {"type": "integer"}, "seq": {"type": "integer"},
            "applied": {"type": "array", "items": {"type": "object", "properties": {
                k: {"type": "string"} for k in ("paragraph_id", "before", "after")}}}}},
            "the paragraphs rewritten, logged with origin 'technical'"),
         "409": _json(ERROR, "no revision to compare with"), **_errors(401, 403, 404, 422)},
        operationId="updateReferences",
        parameters=[DRAFT_ID, {"name": "since", "in": "query", "schema": {"type": "integer"}}])},
})


# Review (docs/amendments.md): previews, changes since a version, comments, activity.
SPEC["paths"]["/api/amendments/{amendment_id}/preview"] = {"post": _op(
    "What accepting would make of the text, with an optional rebase; nothing is stored",
    {"200": _json({"type": "object", "properties": {
        "rebased": {"type": "boolean"}, "target_text": {"type": ["string", "null"]},
        "new_text": {"type": ["string", "null"]}, "position": {"type": ["string", "null"]},
        "paragraphs": {"type": "array", "items": {"type": "object", "properties": {
            "paragraph_id": {"type": "string"}, "label": {"type": ["string", "null"]},
            "before": {"type": ["string", "null"]}, "after": {"type": ["string", "null"]},
            "segments": {"type": "array", "items": {"type": "object"}}}}}}}, "the paragraphs it changes"),
     "409": _json(ERROR, "stale without a rebase (with current_text)"), **_errors(401, 403, 404, 422)},
    operationId="previewAmendment", parameters=[AMENDMENT_ID],
    requestBody=_body({"type": "object", "properties": {"rebase": {"type": "object", "properties": {
        k: {"type": "string"} for k in ("target_text", "new_text", "position")}}}}))}

AUTHOR = {"type": ["object", "null"], "properties": {"name": {"type": "string"}, "technical": {"type": "boolean"},
                                                     "date": {"type": ["string", "null"], "format": "date-time"}}}
SPEC["paths"]["/api/drafts/{draft_id}/changes"] = {"get": _op(
    "The live draft's changes since a version, each under its author (the tracked export's change set)",
    {"200": _json({"type": "object", "properties": {
        "against": {"type": "string"}, "counts": {"type": "object"},
        "paragraphs": {"type": "array", "items": {"type": "object", "properties": {
            "paragraph_id": {"type": "string"}, "status": {"enum": ["same", "changed", "added", "deleted", "moved"]},
            "label": {"type": ["string", "null"]}, "old_label": {"type": ["string", "null"]},
            "author": AUTHOR, "text": {"type": ["string", "null"]},
            "segments": {"type": "array", "items": {"type": "object", "properties": {
                "kind": {"enum": ["same", "ins", "del"]}, "text": {"type": "string"}, "author": AUTHOR}}}}}},
        "authors": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "technical": {"type": "boolean"}, "changes": {"type": "integer"}}}}}},
        "paragraphs in the live text's order, changed ones word by word; `authors` is the legend"),
     **_errors(401, 403, 404, 422)},
    operationId="getChanges",
    description="against: a prior resolution (A/RES/79/53, the default for a rolled-over draft), a revision "
                "(rev:N; rev:0 is the zero draft) or the text at a time (at:2026-11-27T14:30:00Z).",
    parameters=[DRAFT_ID, {"name": "against", "in": "query", "schema": {"type": "string"}}])}

THREAD = {"type": "object", "properties": {
    "id": {"type": "integer"}, "target": {"type": "string", "description": "paragraph:<id> or amendment:<number>"},
    "paragraph_id": {"type": ["string", "null"]}, "paragraph": {"type": ["string", "null"]},
    "amendment_id": {"type": ["integer", "null"]}, "amendment": {"type": ["integer", "null"]},
    "resolved": {"type": "boolean"}, "resolved_at": {"type": ["string", "null"]}, "resolved_by": {"type": ["string", "null"]},
    "comments": {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "integer"}, "by": {"type": "string"}, "delegation": {"type": ["string", "null"]},
        "at": {"type": "string", "format": "date-time"}, "text": {"type": "string"}}}}}}
COMMENT_ID = {"name": "comment_id", "in": "path", "required": True, "schema": {"type": "integer"}}
SPEC["paths"]["/api/drafts/{draft_id}/comments"] = {
    "get": _op("Comment threads on the draft's paragraphs and proposals",
               {"200": _json({"type": "object", "properties": {"threads": {"type": "array", "items": THREAD}}},
                             "threads in the order they were opened"), **_errors(401, 403, 404, 422)},
               operationId="listComments", parameters=[
                   DRAFT_ID, {"name": "paragraph", "in": "query", "schema": {"type": "string"}},
                   {"name": "amendment", "in": "query", "schema": {"type": "integer"}},
                   {"name": "resolved", "in": "query", "schema": {"enum": ["true", "false"]}}]),
    "post": _op("Comment on a paragraph or a proposal, or reply in a thread (every role but observers)",
                {"201": _json(THREAD, "the thread"), **_errors(401, 403, 404, 413, 422)},
                operationId="postComment", parameters=[DRAFT_ID],
                description="Exactly one of paragraph_id, amendment_id (the amendment's id) or reply_to (a "
                            "comment's id). A reply reopens a resolved thread.",
                requestBody={"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["text"], "properties": {
                        "text": {"type": "string", "maxLength": 10000}, "paragraph_id": {"type": "string"},
                        "amendment_id": {"type": "integer"}, "reply_to": {"type": "integer"}}}}}})}
SPEC["paths"]["/api/comments/{comment_id}/resolve"] = {"post": _op(
    "Resolve the thread of a comment", {"200": _json(THREAD, "the thread"), **_errors(401, 403, 404)},
    operationId="resolveComment", parameters=[COMMENT_ID])}
SPEC["paths"]["/api/comments/{comment_id}/reopen"] = {"post": _op(
    "Reopen a resolved thread", {"200": _json(THREAD, "the thread"), **_errors(401, 403, 404)},
    operationId="reopenComment", parameters=[COMMENT_ID])}

SPEC["paths"]["/api/drafts/{draft_id}/activity"] = {"get": _op(
    "What was filed, supported, decided, revised, commented and edited (edits grouped), newest first",
    {"200": _json({"type": "object", "properties": {"activity": {"type": "array", "items": {
        "type": "object", "properties": {
            "at": {"type": "string", "format": "date-time"},
            "kind": {"enum": ["filed", "supported", "withdrew support", "withdrew", "accepted", "rejected",
                              "superseded", "reopened", "revised", "commented", "edited", "technical"]},
            "by": {"type": ["string", "null"]}, "delegation": {"type": ["string", "null"]},
            "paragraph_id": {"type": ["string", "null"], "description": "where it leads in the text"},
            "amendment": {"type": ["integer", "null"]}, "revision": {"type": ["integer", "null"]},
            "summary": {"type": "string"}, "note": {"type": ["string", "null"]}}}}}}, "entries"),
     **_errors(401, 403, 404, 422)}, operationId="getActivity",
    parameters=[DRAFT_ID, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 5000}}])}

REVISION = {"type": "object", "properties": {
    "number": {"type": "integer"}, "label": {"type": "string", "examples": ["zero draft", "Rev.1"]},
    "created_at": {"type": "string", "format": "date-time"}, "created_by": {"type": ["string", "null"]},
    "upto_seq": {"type": "integer"}, "amendments_applied": {"type": "array", "items": {"type": "integer"}},
    "standing": {"type": "object", "additionalProperties": {"enum": ["agreed ad ref", "pending", "bracketed"]}},
    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
    "changes": {"type": ["object", "null"], "description": "since the revision before (null for the zero draft)",
                "properties": {k: {"type": "array", "items": {"type": "string"}}
                               for k in ("changed", "added", "deleted", "moved")} | {
                    "standing": {"type": "array", "items": {"type": "object", "properties": {
                        "paragraph_id": {"type": "string"}, "label": {"type": ["string", "null"]},
                        "before": {"type": "string"}, "after": {"type": "string"}}}}}},
    "text": {"$ref": "#/components/schemas/Resolution"}}}
SPEC["components"]["schemas"]["Revision"] = REVISION
_revs = SPEC["paths"]["/api/drafts/{draft_id}/revisions"]
_revs["get"]["responses"]["200"] = _json({"type": "object", "properties": {"revisions": {
    "type": "array", "items": {"$ref": "#/components/schemas/Revision"}}}},
    "the zero draft (stored with Rev.1), Rev.1, Rev.2 ... with what changed between them")
_revs["post"]["responses"]["201"] = _json({"$ref": "#/components/schemas/Revision"},
                                          "the revision cut: Rev.1 first; standing carried from the one before")
_revs["post"]["responses"]["409"] = _json(ERROR, "another revision was cut meanwhile")
SPEC["paths"]["/api/drafts/{draft_id}/revisions/{number}"]["get"]["responses"]["200"] = _json(
    {"$ref": "#/components/schemas/Revision"}, "the revision with its text (revision 0 before any cut: the zero draft)")

SPEC["paths"].update(ACCOUNT_PATHS)
SPEC["components"]["securitySchemes"].update(COOKIE_SESSION)
SPEC["security"] = [{"bearer": []}, {"cookie": []}]


async def openapi(request: Request) -> JSONResponse:
    await principal_of(request)  # every request is authenticated, this one too
    return JSONResponse(SPEC)
