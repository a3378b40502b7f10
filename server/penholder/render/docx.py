"""Word: the AST written by pandoc with render/reference.docx (the UN styles, page, header),
then finished in its XML.

Pandoc takes headers and footers from the reference docx as they are, so the one
per-document thing in them, the symbol in the running header, is a SUBJECT field: the
AST's `subject` metadata sets the document property, and `_fill_header` writes the symbol
as the field's cached result (what Word shows until fields are updated). The document's
title (core properties) is set here too: pandoc would print a `title` from the metadata
as a paragraph of its own. A tracked document gets what render/word_revisions.py adds.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree

from penholder.render import word_comments
from penholder.render import word_revisions as revs
from penholder.render.ast import ParaMark
from penholder.render.make_reference import PLACEHOLDER
from penholder.render.pandoc import run

REFERENCE = Path(__file__).resolve().parent / "reference.docx"
DC = "http://purl.org/dc/elements/1.1/"


def write(ast: dict[str, Any], symbol: str | None, *, title: str | None = None,
          marks: list[ParaMark] | None = None, tracked: bool = False,
          comments: list[word_comments.Written] | None = None) -> bytes:
    """`comments`: the comments the AST carries (Options.written), for the replies and
    resolved threads pandoc cannot write."""
    data = run(ast, "docx", "--reference-doc", str(REFERENCE))
    return _finish(data, symbol or "", title, marks or [], tracked, comments or [])


def _finish(data: bytes, symbol: str, title: str | None, marks: list[ParaMark],
            tracked: bool, comments: list[word_comments.Written]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: src.read(name) for name in src.namelist()}
    token = PLACEHOLDER.encode()
    for name, body in parts.items():
        if name.startswith("word/header") and token in body:
            parts[name] = body.replace(token, escape(symbol).encode("utf-8"))
    if title and "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = _set_title(parts["docProps/core.xml"], title)
    if tracked:
        trees = {n: revs.parse(parts[n]) for n in ("word/document.xml", "word/footnotes.xml")
                 if n in parts}
        revs.mark_paragraphs(trees["word/document.xml"], marks)
        revs.final_mark(trees["word/document.xml"])
        for root in trees.values():
            revs.moves(root)
        revs.number(list(trees.values()))
        for n, root in trees.items():
            parts[n] = revs.dump(root)
        if "word/settings.xml" in parts:
            settings = revs.parse(parts["word/settings.xml"])
            revs.track_changes_on(settings)
            parts["word/settings.xml"] = revs.dump(settings)
    word_comments.extend(parts, comments)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, parts.pop(info.filename))
        for name, body in parts.items():  # parts added here (commentsExtended.xml)
            dst.writestr(zipfile.ZipInfo(name, date_time=src.infolist()[0].date_time), body,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _set_title(core: bytes, title: str) -> bytes:
    root = revs.parse(core)
    el = root.find(f"{{{DC}}}title")
    if el is None:
        el = etree.SubElement(root, f"{{{DC}}}title")
    el.text = title
    return revs.dump(root)
