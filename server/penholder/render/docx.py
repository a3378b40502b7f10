"""Word: the AST written by pandoc with render/reference.docx (the UN styles, page, header).

Pandoc takes headers and footers from the reference docx as they are, so the one
per-document thing in them, the symbol in the running header, is a SUBJECT field: the
AST's `subject` metadata sets the document property, and `_fill_header` writes the symbol
as the field's cached result (what Word shows until fields are updated).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from penholder.render.make_reference import PLACEHOLDER
from penholder.render.pandoc import run

REFERENCE = Path(__file__).resolve().parent / "reference.docx"


def write(ast: dict[str, Any], symbol: str | None) -> bytes:
    data = run(ast, "docx", "--reference-doc", str(REFERENCE))
    return _fill_header(data, symbol or "")


def _fill_header(data: bytes, symbol: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    token = PLACEHOLDER.encode()
    value = escape(symbol).encode("utf-8")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("word/header") and token in body:
                body = body.replace(token, value)
            dst.writestr(info, body)
    return out.getvalue()
