"""What an amendment asks for, checked against the text it is made on. Pure: no I/O.

An amendment names the exact text it targets, as the delegation saw it. That quote is
what makes it safe to apply later: if the quote is no longer in the paragraph (someone
changed it meanwhile), the amendment is stale and is reported, never applied blindly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from penholder.model import Paragraph, Resolution
from penholder.model.labels import paragraph_labels
from penholder.model.lexicon import match_lead

TEXT_OPS = ("replace_text", "insert_text", "delete_text", "change_lead")
PARAGRAPH_OPS = ("add_paragraph", "delete_paragraph", "move_paragraph")
OPERATIONS = TEXT_OPS + PARAGRAPH_OPS
MAX_TEXT = 10_000
CONTEXT = 100  # characters kept on each side of a quote: enough to show where it is


class AmendmentError(ValueError):
    """The proposal cannot be filed as given; the message says why."""


class Stale(Exception):
    """The text the amendment was made on has changed where it matters."""

    def __init__(self, reason: str, current_text: str | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.current_text = current_text


@dataclass(frozen=True)
class Proposal:
    operation: str
    paragraph_id: str | None = None
    position: str | None = None   # add/move: after:<id> | start:preamble | start:operative; insert: after | before
    kind: str | None = None       # pp | op, of an added paragraph
    target_text: str | None = None
    new_text: str | None = None
    # Filled in by check(): where the quote stood (the quote with up to CONTEXT characters
    # either side, or the opening of a whole paragraph), and a digest of the paragraph,
    # which tells whether it changed without keeping a copy of it (it may be very long).
    context: str | None = None
    paragraph_digest: str | None = None


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def context_of(text: str, at: int, length: int) -> str:
    start, end = max(0, at - CONTEXT), min(len(text), at + length + CONTEXT)
    return ("\u2026" if start else "") + text[start:end] + ("\u2026" if end < len(text) else "")


def labels(res: Resolution) -> dict[str, str]:
    """paragraph id -> "PP3", "OP4", "OP4 (b)", as delegates cite paragraphs."""
    return paragraph_labels(res)


def _paragraph(res: Resolution, paragraph_id: str | None) -> Paragraph:
    if not paragraph_id:
        raise AmendmentError("no paragraph given: name the paragraph by its id")
    for p in res.paragraphs():
        if p.id == paragraph_id:
            return p
    raise AmendmentError(f"no paragraph {paragraph_id!r} in this draft")


def _once(text: str, quote: str, where: str) -> int:
    count = text.count(quote)
    if count == 0:
        raise AmendmentError(f"the target text is not in {where}: {quote[:80]!r}")
    if count > 1:
        raise AmendmentError(f"the target text occurs {count} times in {where}; quote more of it")
    return text.index(quote)


def _check_position(res: Resolution, position: str | None, moving: str | None = None) -> None:
    if position in ("start:preamble", "start:operative"):
        return
    if not position or not position.startswith("after:"):
        raise AmendmentError("position must be 'after:<paragraph id>', 'start:preamble' or 'start:operative'")
    anchor = position.removeprefix("after:")
    if anchor == moving:
        raise AmendmentError("a paragraph cannot be moved after itself")
    if anchor not in {p.id for p in res.preamble + res.operative}:
        raise AmendmentError(f"no paragraph {anchor!r} to place it after (new paragraphs follow a "
                             "preambular or operative paragraph, not a subparagraph)")


def _text(value: str | None, what: str) -> str:
    if value is None or not value.strip():
        raise AmendmentError(f"{what} is empty")
    if len(value) > MAX_TEXT:
        raise AmendmentError(f"{what} is too long ({len(value)} characters; the limit is {MAX_TEXT})")
    return value


def check(p: Proposal, res: Resolution) -> Proposal:
    """The proposal, validated against the current text and completed with what it
    targets as it stands (its context and digest, and target_text where implied)."""
    if p.operation not in OPERATIONS:
        raise AmendmentError(f"unknown operation {p.operation!r} (one of {', '.join(OPERATIONS)})")
    label = labels(res)
    if p.operation == "add_paragraph":
        _check_position(res, p.position)
        text = _text(p.new_text, "the new paragraph's text")
        kind = p.kind or ("pp" if p.position == "start:preamble" or (
            p.position and p.position.startswith("after:") and
            p.position.removeprefix("after:") in {q.id for q in res.preamble}) else "op")
        if kind not in ("pp", "op"):
            raise AmendmentError("kind must be 'pp' or 'op'")
        return replace(p, kind=kind, new_text=text.strip(), target_text=None, context=None, paragraph_digest=None)
    para = _paragraph(res, p.paragraph_id)
    where = label.get(para.id, para.id)
    whole = replace(p, context=context_of(para.text, 0, 0), paragraph_digest=digest(para.text))
    if p.operation == "delete_paragraph":
        return replace(whole, target_text=None, new_text=None)
    if p.operation == "move_paragraph":
        if para.kind == "sub":
            raise AmendmentError("subparagraphs move with their paragraph")
        _check_position(res, p.position, moving=para.id)
        return replace(whole, target_text=None, new_text=None)
    if p.operation == "change_lead":
        if not para.lead:
            raise AmendmentError(f"{where} has no lead to change")
        new = _text(p.new_text, "the new lead").strip()
        return replace(whole, target_text=para.lead, new_text=new, context=context_of(para.text, 0, len(para.lead)))
    target = _text(p.target_text, "the target text")
    at = _once(para.text, target, where)
    found = replace(whole, context=context_of(para.text, at, len(target)))
    if p.operation == "insert_text":
        if p.position not in ("after", "before"):
            raise AmendmentError("an insertion goes 'after' or 'before' its target text")
        return replace(found, new_text=_text(p.new_text, "the text to insert"))
    if p.operation == "replace_text":
        return replace(found, new_text=_text(p.new_text, "the new text"))
    return replace(found, new_text=None)  # delete_text


def current_state(p: Proposal, res: Resolution) -> None:
    """Raise Stale if the proposal can no longer be applied as it was made."""
    if p.operation == "add_paragraph":
        anchor = (p.position or "").removeprefix("after:")
        if p.position and p.position.startswith("after:") and anchor not in {q.id for q in res.preamble + res.operative}:
            raise Stale(f"the paragraph it was to follow ({anchor}) is gone", None)
        return
    para = next((q for q in res.paragraphs() if q.id == p.paragraph_id), None)
    if para is None:
        raise Stale(f"paragraph {p.paragraph_id} is gone", None)
    if p.operation in ("delete_paragraph", "move_paragraph"):
        # Records from before 0003 kept the paragraph itself in target_text.
        if (digest(para.text) != p.paragraph_digest) if p.paragraph_digest else (para.text != p.target_text):
            raise Stale("the paragraph has changed since the proposal was made", para.text)
        if p.operation == "move_paragraph":
            anchor = (p.position or "").removeprefix("after:")
            if p.position and p.position.startswith("after:") and anchor not in {q.id for q in res.preamble + res.operative}:
                raise Stale(f"the paragraph it was to follow ({anchor}) is gone", para.text)
        return
    if p.operation == "change_lead":
        if para.lead != p.target_text:
            raise Stale(f"the lead is now {para.lead!r}", para.text)
        return
    count = para.text.count(p.target_text or "")
    if count != 1:
        what = "is no longer in" if count == 0 else f"now occurs {count} times in"
        raise Stale(f"the target text {what} the paragraph", para.text)


def describe(p: Proposal, res: Resolution | None = None) -> str:
    """A facilitator's one-line gloss: 'add "and girls" after "women,"'."""
    q = (lambda s: f"\u201c{s}\u201d")  # noqa: E731
    lab = labels(res) if res else {}
    if p.operation == "replace_text":
        return f"replace {q(p.target_text)} with {q(p.new_text)}"
    if p.operation == "insert_text":
        return f"add {q(p.new_text)} {p.position} {q(p.target_text)}"
    if p.operation == "delete_text":
        return f"delete {q(p.target_text)}"
    if p.operation == "change_lead":
        return f"change the lead {q(p.target_text)} to {q(p.new_text)}"
    if p.operation == "delete_paragraph":
        return "delete the paragraph"
    where = (p.position or "")
    if where.startswith("after:"):
        anchor = where.removeprefix("after:")
        where = f"after {lab.get(anchor, anchor)}"
    else:
        where = {"start:preamble": "at the start of the preamble",
                 "start:operative": "at the start of the operative part"}.get(where, where)
    if p.operation == "move_paragraph":
        return f"move the paragraph {where}"
    kind = "preambular" if p.kind == "pp" else "operative"
    return f"add a new {kind} paragraph {where}: {q(p.new_text)}"


def new_text_of(p: Proposal, paragraph_text: str) -> str:
    """The paragraph's text once a text operation is applied to it."""
    target = p.target_text or ""
    at = paragraph_text.index(target) if p.operation != "change_lead" else 0
    end = at + len(target)
    if p.operation == "replace_text":
        return paragraph_text[:at] + (p.new_text or "") + paragraph_text[end:]
    if p.operation == "insert_text":
        cut = end if p.position == "after" else at
        return paragraph_text[:cut] + (p.new_text or "") + paragraph_text[cut:]
    if p.operation == "delete_text":
        return paragraph_text[:at] + paragraph_text[end:]
    if p.operation == "change_lead":
        return (p.new_text or "") + paragraph_text[len(target):]
    raise ValueError(p.operation)


def lead_of(text: str) -> str:
    return match_lead(text) or ""
