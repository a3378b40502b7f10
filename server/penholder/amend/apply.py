"""Applying an amendment to a live Y document (inside the caller's transaction)."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map, Text

from penholder.amend.operations import Proposal, lead_of
from penholder.sync.edits import find_paragraph, replace_text
from penholder.sync.schema import roots, utf8_len


def _block(paragraphs: Array, index: int) -> int:
    """How many items the paragraph at index spans: itself and its subparagraphs."""
    level = int(paragraphs[index].get("level") or 0)
    end = index + 1
    while end < len(paragraphs) and paragraphs[end].get("kind") == "sub" and int(paragraphs[end].get("level") or 0) > level:
        end += 1
    return end - index


def _index_for(paragraphs: Array, position: str) -> int:
    if position == "start:preamble":
        return 0
    if position == "start:operative":
        return next((i for i, p in enumerate(paragraphs) if p.get("kind") == "op"), len(paragraphs))
    anchor = position.removeprefix("after:")
    for i, p in enumerate(paragraphs):
        if p.get("id") == anchor:
            return i + _block(paragraphs, i)
    raise KeyError(anchor)


def _kind_at(paragraphs: Array, index: int, position: str) -> str:
    if position == "start:preamble":
        return "pp"
    if position == "start:operative":
        return "op"
    before = paragraphs[index - 1] if index > 0 else None
    # After a paragraph (or the last subparagraph of one): same part as that paragraph.
    for i in range(index - 1, -1, -1):
        if paragraphs[i].get("kind") != "sub":
            return str(paragraphs[i].get("kind"))
    return str(before.get("kind")) if before is not None else "pp"


def _new_paragraph(paragraphs: Array, index: int, pid: str, kind: str, level: int) -> Text:
    paragraphs.insert(index, Map({"id": pid, "kind": kind, "level": level, "text": Text()}))
    return paragraphs[index]["text"]


def apply(doc: Doc, p: Proposal, new_id: str) -> None:
    """Make the change the proposal asks for. The caller has checked it is not stale."""
    _, paragraphs, _ = roots(doc)
    if p.operation == "add_paragraph":
        assert p.position and p.new_text
        index = _index_for(paragraphs, p.position)
        added = _new_paragraph(paragraphs, index, new_id, p.kind or "op", 0)
        added.insert(0, p.new_text, {"italic": None})
        if new_lead := lead_of(p.new_text):
            added.format(0, utf8_len(new_lead), {"italic": True})
        return
    index, item = find_paragraph(doc, p.paragraph_id or "")
    if p.operation == "delete_paragraph":
        del paragraphs[index:index + _block(paragraphs, index)]
        return
    if p.operation == "move_paragraph":
        _move(paragraphs, index, p.position or "")
        return
    text: Text = item["text"]
    plain = str(text)
    lead = _italic_lead_length(text)  # new text inside the lead is italic too
    target = p.target_text or ""
    if p.operation == "change_lead":
        replace_text(text, 0, len(target), p.new_text or "", italic=True)
        return
    at = plain.index(target)
    end = at + len(target)
    if p.operation == "replace_text":
        replace_text(text, at, end, p.new_text or "", italic=at < lead)
    elif p.operation == "insert_text":
        cut = end if p.position == "after" else at
        replace_text(text, cut, cut, p.new_text or "", italic=cut < lead)
    elif p.operation == "delete_text":
        replace_text(text, at, end, "")


def _italic_lead_length(text: Text) -> int:
    length = 0
    for insert, attrs in text.diff():
        if not isinstance(insert, str) or not (attrs and attrs.get("italic")):
            break
        length += len(insert)
    return length


def _move(paragraphs: Array, index: int, position: str) -> None:
    """Y arrays cannot move an element: the paragraph and its subparagraphs are copied,
    with their ids, formatting and footnote marks, and the originals deleted."""
    count = _block(paragraphs, index)
    copies: list[tuple[dict[str, Any], list[tuple[Any, dict[str, Any] | None]]]] = []
    for item in paragraphs[index:index + count]:
        fields = {k: item.get(k) for k in ("id", "kind", "level")}
        copies.append((fields, item["text"].diff()))
    del paragraphs[index:index + count]
    dest = _index_for(paragraphs, position)
    kind = _kind_at(paragraphs, dest, position)
    for offset, (fields, delta) in enumerate(copies):
        item_kind = kind if fields["kind"] != "sub" else "sub"
        text = _new_paragraph(paragraphs, dest + offset, str(fields["id"]), item_kind, int(fields["level"] or 0))
        pos = 0
        for insert, attrs in delta:
            if isinstance(insert, str):
                text.insert(pos, insert, attrs or {"italic": None})
                pos += utf8_len(insert)
            else:
                text.insert_embed(pos, insert, attrs)
                pos += 1
