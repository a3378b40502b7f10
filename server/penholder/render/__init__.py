"""Exports: a resolution (clean) or a comparison (tracked changes) as docx, pdf, html, md
or Akoma Ntoso (docs/exports.md).

    render(resolution, "docx")             the text as the Secretariat issues it
    render(comparison, "docx")             the new text with every change against the old
                                           one as a Word revision (w:ins / w:del, w:author
                                           = the delegation, w:date)

Everything but Akoma Ntoso goes through one pandoc AST (render/ast.py): docx with the UN
reference docx (render/reference.docx, built by render/make_reference.py), html and md
from the same AST, pdf from the docx by LibreOffice headless (render/pdf.py says why).
Akoma Ntoso is XML of its own (render/akn.py); for a comparison, the new text with its
changes as <ins> / <del> under their authors.
"""

from __future__ import annotations

from datetime import date

from penholder.compare.changes import Comparison
from penholder.model import Resolution
from penholder.render import akn, ast, docx, html, markdown, pdf, typography
from penholder.render.ast import Options
from penholder.render.pandoc import RenderError
from penholder.render.word_comments import Note, Thread

FORMATS = ("docx", "pdf", "html", "md", "akn")

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "akn": "application/akn+xml",
}
EXTENSIONS = {"docx": ".docx", "pdf": ".pdf", "html": ".html", "md": ".md", "akn": ".xml"}


def render(obj: Resolution | Comparison, fmt: str, *, issued: date | None = None,
           compilation: bool = False, comments: list[Thread] | None = None) -> bytes:
    """`obj` as `fmt` (docx | pdf | html | md | akn).

    `issued`: the date in the masthead (default: the adoption date of an adopted text,
    else today). A revision's w:date is when its change was made (its Author's date), or
    absent when that is not known: never the time of the export. `compilation`: the new
    text of the comparison is the draft with the pending proposals applied, which Akoma
    Ntoso marks as an expression of its own. `comments`: comment threads, written as
    Word comments on their paragraphs into a tracked .docx (render/word_comments.py);
    other formats and clean documents carry none."""
    if fmt not in FORMATS:
        raise ValueError(f"unsupported export format {fmt!r}: expected one of "
                         + ", ".join(FORMATS))
    if not isinstance(obj, (Resolution, Comparison)):
        raise TypeError(f"cannot render a {type(obj).__name__}: expected a Resolution or "
                        "a Comparison")
    tracked = isinstance(obj, Comparison)
    obj = typography.comparison(obj) if tracked else typography.resolution(obj)
    opts = Options(issued=issued, word=fmt in ("docx", "pdf"),
                   show_authors=tracked and fmt in ("pdf", "html"),
                   comments=list(comments or []) if tracked and fmt == "docx" else [])
    doc = obj.new if isinstance(obj, Comparison) else obj
    if fmt == "akn":
        return akn.write(obj, opts, compilation=compilation)
    tree = ast.build(obj, opts)
    title = ast.document_title(doc)
    if fmt in ("docx", "pdf"):
        data = docx.write(tree, doc.heading.symbol, title=title, marks=opts.marks,
                          tracked=tracked, comments=opts.written)
        return data if fmt == "docx" else pdf.from_docx(data)
    if fmt == "html":
        return html.write(tree)
    return markdown.write(tree)


__all__ = ["EXTENSIONS", "FORMATS", "MEDIA_TYPES", "Note", "RenderError", "Thread", "render"]
