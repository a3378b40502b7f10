"""Our own exports read back: a clean export to PDF (LibreOffice, UN format) and to
.docx, imported again, give the same structure, leads, footnotes and text.

The PDFs are rendered once for the module (LibreOffice takes seconds a file).
"""

from __future__ import annotations

import pytest

from corpus import differences, truths
from penholder.ingest import import_bytes
from penholder.model import Resolution
from penholder.render import render
from penholder.render.typography import resolution as typeset

TRUTHS = truths()
# footnotes with Ibid. and a page break inside the text; subparagraphs and many footnotes;
# a footnote cited twice (the export writes it as a second note with the same text)
PDF_DOCS = ["A_RES_ES-11_1", "A_RES_78_70", "A_RES_71_72"]


@pytest.fixture(scope="module")
def exported_pdfs() -> dict[str, bytes]:
    return {name: render(TRUTHS[name], "pdf") for name in PDF_DOCS}


def _read(data: bytes, name: str) -> Resolution:
    doc = import_bytes(data, name)
    assert isinstance(doc, Resolution)
    return doc


@pytest.mark.parametrize("name", PDF_DOCS)
def test_pdf_round_trip_keeps_structure_leads_and_footnotes(exported_pdfs, name):
    truth = typeset(TRUTHS[name])  # the export prints quotes as issued documents do
    doc = _read(exported_pdfs[name], f"{name}.pdf")
    assert differences(truth, doc) == []
    assert doc.heading.symbol == truth.heading.symbol
    assert doc.heading.title == truth.heading.title
    assert all(p.review and p.review.status in ("exact", "repaired") for p in doc.paragraphs())


@pytest.mark.parametrize("name", sorted(TRUTHS))
def test_docx_round_trip_keeps_structure_leads_and_footnotes(name):
    truth = typeset(TRUTHS[name])  # the export prints quotes as issued documents do
    doc = _read(render(truth, "docx"), f"{name}.docx")
    assert differences(truth, doc) == []
