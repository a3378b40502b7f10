"""A resolution as the upload review page sends it back, after the user corrected what the
importer read: checked field by field into the model before a draft is created from it.

The client writes only the text and its structure (heading fields, paragraphs, leads,
subparagraphs, footnotes). What the server owns it never takes from the client: paragraph
ids are made here, numbers and labels follow from order, `review` and `warnings` describe
an import and are not stored, and the draft's L. symbol and its sponsors list are the
Secretariat's (a delegation sends neither)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from penholder.model import Footnote, FootnoteRef, Heading, Paragraph, Resolution
from penholder.model.numbering import sub_label
from penholder.model.rollover import COMMITTEE_CODES

MAX_PARAGRAPHS = 2000
MAX_TEXT = 20_000
MAX_FIELD = 1000
MAX_DEPTH = 2  # (a) and, below it, (i)

COMMITTEES = {*COMMITTEE_CODES, "plenary"}
RESOLUTION_SYMBOL = re.compile(r"A/RES/(?P<session>ES-\d{1,2}|\d{1,3})/\d{1,4}(?: ?[A-Z])?")
DRAFT_SYMBOL = re.compile(r"A/(?:C\.\d/)?(?P<session>ES-\d{1,2}|\d{1,3})/L\.\d+(?:/Rev\.\d+)?")
HEADING = {"symbol", "session", "committee", "agenda_item", "agenda_title", "title", "adopted_on", "meeting",
           "sponsors"}
TOP = HEADING | {"preamble", "operative", "footnotes"}
# Keys of the import JSON that the server derives or owns: named in the refusal.
DERIVED = {"id", "number", "label", "review", "warnings", "kind", "draft_id", "seq", "created_by",
           "created_at", "base_symbol", "url", "websocket"}


class ReviewError(ValueError):
    """The reviewed resolution cannot be used: the message says where and why."""


class NotYours(PermissionError):
    """A field only the Secretariat sets."""


def _keys(obj: Any, allowed: set[str], where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise ReviewError(f"{where}: an object was expected")
    for key in obj:
        if key in allowed:
            continue
        if key in DERIVED:
            raise ReviewError(f"{where}: '{key}' is set by the server, not sent")
        raise ReviewError(f"{where}: unknown field '{key}'")
    return obj


def _string(obj: dict[str, Any], key: str, where: str, *, limit: int = MAX_FIELD,
            required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            raise ReviewError(f"{where}: '{key}' is missing")
        return None
    if not isinstance(value, str):
        raise ReviewError(f"{where}: '{key}' must be text")
    value = " ".join(value.split())
    if required and not value:
        raise ReviewError(f"{where}: '{key}' is empty")
    if len(value) > limit:
        raise ReviewError(f"{where}: '{key}' is longer than {limit} characters")
    return value


def secretariat_only(heading: Heading, *, staff: bool, from_file: bool) -> None:
    """The one rule for what only the Secretariat sets on a new draft, its L. symbol and its
    sponsors, whether the user sent them from the review page or the uploaded file carries
    them (POST /api/drafts, reviewed or plain upload). Refused (NotYours, 403), never
    dropped: a draft is not created other than as the user sent or saw it, and the message
    says how to go on."""
    if staff:
        return
    what = []
    if heading.symbol and DRAFT_SYMBOL.fullmatch(heading.symbol):
        what.append(f"the L. symbol {heading.symbol}")
    if heading.sponsors:
        names = ", ".join(heading.sponsors[:3]) + (", ..." if len(heading.sponsors) > 3 else "")
        what.append(f"a list of sponsors ({names})")
    if not what:
        return
    rule = ("only the Secretariat starts a draft with its L. symbol (given when the draft is tabled) or its "
            "sponsors (recorded on the draft's sponsors list, each delegation for itself)")
    if from_file:
        raise NotYours(f"{rule}; the file carries {' and '.join(what)}: start the draft from the review page "
                       "(upload.html) and clear them there, or take them out of the file")
    raise NotYours(f"{rule}; the heading sent has {' and '.join(what)}: leave the symbol empty or give the "
                   "adopted resolution's (A/RES/...), and send no 'sponsors'")


def _heading(body: dict[str, Any]) -> Heading:
    h = Heading(title=_string(body, "title", "heading", required=True),
                agenda_item=_string(body, "agenda_item", "heading", limit=100),
                agenda_title=_string(body, "agenda_title", "heading"),
                meeting=_string(body, "meeting", "heading", limit=100))
    symbol = _string(body, "symbol", "heading", limit=60)
    if symbol is not None and not RESOLUTION_SYMBOL.fullmatch(symbol):
        if not DRAFT_SYMBOL.fullmatch(symbol):
            raise ReviewError(f"heading: {symbol!r} is neither a resolution symbol (A/RES/79/53) nor a draft "
                              "symbol (A/C.1/81/L.12)")
    h.symbol = symbol
    session = body.get("session")
    if session is None:
        raise ReviewError("heading: 'session' is missing: the session of the resolution or draft, e.g. 79")
    if isinstance(session, bool) or not isinstance(session, int) or not 1 <= session <= 999:
        raise ReviewError("heading: 'session' must be a whole number from 1 to 999")
    of_symbol = (RESOLUTION_SYMBOL.fullmatch(symbol) or DRAFT_SYMBOL.fullmatch(symbol)) if symbol else None
    if of_symbol and of_symbol["session"].isdigit() and int(of_symbol["session"]) != session:
        raise ReviewError(f"heading: {symbol} is of session {of_symbol['session']}, not {session}")
    h.session = session
    committee = _string(body, "committee", "heading", limit=40)
    if committee is not None and committee not in COMMITTEES:
        raise ReviewError(f"heading: 'committee' must be one of {', '.join(sorted(COMMITTEES))}, or null")
    h.committee = committee
    adopted = _string(body, "adopted_on", "heading", limit=10)
    if adopted is not None:
        try:
            date.fromisoformat(adopted)
        except ValueError:
            raise ReviewError(f"heading: 'adopted_on' must be a date (2024-12-02), not {adopted!r}") from None
    h.adopted_on = adopted
    sponsors = body.get("sponsors") or []
    if not isinstance(sponsors, list) or not all(isinstance(s, str) and s.strip() for s in sponsors):
        raise ReviewError("heading: 'sponsors' must be a list of names")
    h.sponsors = [" ".join(s.split())[:200] for s in sponsors[:300]]
    return h


class _Reader:
    def __init__(self, key: str, footnotes: set[int]) -> None:
        self.key = key
        self.footnotes = footnotes
        self.count = 0

    def paragraph(self, obj: Any, kind: str, pid: str, depth: int) -> Paragraph:
        self.count += 1
        if self.count > MAX_PARAGRAPHS:
            raise ReviewError(f"more than {MAX_PARAGRAPHS} paragraphs")
        allowed = {"text", "footnote_refs", "subparagraphs"} | ({"lead"} if depth == 0 else set())
        obj = _keys(obj, allowed, pid)
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ReviewError(f"{pid}: the paragraph has no text")
        if len(text) > MAX_TEXT:
            raise ReviewError(f"{pid}: longer than {MAX_TEXT} characters")
        lead = obj.get("lead") or ""
        if not isinstance(lead, str) or not text.startswith(lead):
            raise ReviewError(f"{pid}: the lead must be the opening words of the text")
        p = Paragraph(id=pid, kind=kind if depth == 0 else "sub", text=text, lead=lead.rstrip(),  # type: ignore[arg-type]
                      footnote_refs=self.refs(obj.get("footnote_refs") or [], text, pid))
        subs = obj.get("subparagraphs") or []
        if not isinstance(subs, list):
            raise ReviewError(f"{pid}: 'subparagraphs' must be a list")
        if subs and depth >= MAX_DEPTH:
            raise ReviewError(f"{pid}: subparagraphs go two levels deep at most, (a) then (i)")
        p.subparagraphs = [self.paragraph(s, "sub", f"{pid}.{sub_label(i, depth=depth + 1)}", depth + 1)
                           for i, s in enumerate(subs)]
        return p

    def refs(self, refs: Any, text: str, pid: str) -> list[FootnoteRef]:
        if not isinstance(refs, list):
            raise ReviewError(f"{pid}: 'footnote_refs' must be a list")
        out = []
        for r in refs:
            r = _keys(r, {"number", "offset"}, f"{pid}: footnote reference")
            number, offset = r.get("number"), r.get("offset")
            if not isinstance(number, int) or isinstance(number, bool) or number not in self.footnotes:
                raise ReviewError(f"{pid}: footnote {number!r} is not among the footnotes")
            if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= len(text):
                raise ReviewError(f"{pid}: footnote {number} is marked outside the text")
            out.append(FootnoteRef(number, offset))
        return sorted(out, key=lambda r: r.offset)


def _footnotes(raw: Any) -> list[Footnote]:
    if not isinstance(raw, list):
        raise ReviewError("'footnotes' must be a list")
    out: list[Footnote] = []
    for f in raw:
        f = _keys(f, {"number", "text"}, "footnote")
        number, text = f.get("number"), f.get("text")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise ReviewError(f"footnote {number!r}: the number must be a whole number from 1")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
            raise ReviewError(f"footnote {number}: its text is empty or too long")
        if any(g.number == number for g in out):
            raise ReviewError(f"footnote {number} is given twice")
        out.append(Footnote(number, text.strip()))
    return out


def resolution_from_review(body: Any, *, staff: bool) -> Resolution:
    """The reviewed resolution as a model, every field checked; ReviewError (422) or
    NotYours (403) otherwise."""
    body = _keys(body, TOP, "reviewed")
    heading = _heading(body)
    footnotes = _footnotes(body.get("footnotes") or [])
    key = re.sub(r"[^a-z0-9]+", "-", (heading.symbol or "upload").lower().removeprefix("a/")).strip("-")
    reader = _Reader(key, {f.number for f in footnotes})
    parts = {}
    for name, kind, short in (("preamble", "pp", "pp"), ("operative", "op", "op")):
        raw = body.get(name) or []
        if not isinstance(raw, list):
            raise ReviewError(f"'{name}' must be a list")
        parts[name] = [reader.paragraph(p, kind, f"{key}.{short}{i + 1}", 0) for i, p in enumerate(raw)]
    if not parts["preamble"] and not parts["operative"]:
        raise ReviewError("the resolution has no paragraphs")
    secretariat_only(heading, staff=staff, from_file=False)
    return Resolution(heading=heading, preamble=parts["preamble"], operative=parts["operative"],
                      footnotes=footnotes)
