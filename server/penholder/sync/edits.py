"""Edits of a live document addressed the way people address text: by paragraph id and
by character offsets into the paragraph's plain text (no footnote marks)."""

from __future__ import annotations

import difflib

from pycrdt import Doc, Map, Text

from penholder.sync.schema import roots, utf8_len


class UnknownParagraph(KeyError):
    pass


def find_paragraph(doc: Doc, paragraph_id: str) -> tuple[int, Map]:
    _, paragraphs, _ = roots(doc)
    for i, item in enumerate(paragraphs):
        if item.get("id") == paragraph_id:
            return i, item
    raise UnknownParagraph(paragraph_id)


def y_index(text: Text, offset: int, *, after_marks: bool) -> int:
    """The Y index (UTF-8 bytes; a footnote embed counts one) of a plain-text offset.
    At an offset where footnote marks stand, `after_marks` says on which side to land:
    insertions go after a mark so that it stays with the word it follows."""
    index = pos = 0
    for insert, _ in text.diff():
        if isinstance(insert, str):
            if pos + len(insert) > offset or (pos + len(insert) == offset and not after_marks):
                return index + utf8_len(insert[:offset - pos])
            pos += len(insert)
            index += utf8_len(insert)
        else:
            if pos == offset and not after_marks:
                return index
            index += 1
    return index


def replace_text(text: Text, start: int, end: int, new: str, *, italic: bool = False) -> None:
    """Replace plain-text [start, end) by `new`. New text never inherits the lead's italics
    unless asked to."""
    s = y_index(text, start, after_marks=True)
    e = max(s, y_index(text, end, after_marks=False)) if end > start else s
    if e > s:
        del text[s:e]
    if new:
        text.insert(s, new, {"italic": True if italic else None})


def rewrite_text(text: Text, new: str, *, lead: int = 0) -> None:
    """Turn the text into `new` with the smallest edits (so concurrent edits elsewhere in
    the paragraph survive), working from the end so earlier offsets stay valid."""
    old = str(text)
    ops = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(ops):
        if tag != "equal":
            replace_text(text, i1, i2, new[j1:j2], italic=i1 < lead)


def paragraph_texts(doc: Doc) -> dict[str, str]:
    _, paragraphs, _ = roots(doc)
    return {str(p["id"]): str(p["text"]) for p in paragraphs}


def set_meta(doc: Doc, field: str, value: object) -> None:
    meta, _, _ = roots(doc)
    if value is None or value == "":
        if field in meta:
            del meta[field]
    else:
        meta[field] = value


def footnote_text(doc: Doc, footnote_id: str) -> Text:
    _, _, footnotes = roots(doc)
    return footnotes[footnote_id]

