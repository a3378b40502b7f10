"""The corpus in every form a delegation may hold it: counts as checked by hand, leads,
texts free of page furniture and marks, footnotes in place.

Forms: the official PDF (read by its layout), text extracted from the PDF, a Word
original saved as text, Markdown, and .docx (tests/test_import_exports.py reads our own
PDF exports; tests/test_import_damage.py the damaged captures).
"""

from __future__ import annotations

import re

import pytest

from corpus import CORPUS, MANIFEST, differences, markdown_text, pdf_text, truths, word_text
from penholder.ingest import import_bytes, import_text
from penholder.model import Resolution
from penholder.render import render
from penholder.render.typography import resolution as typeset

TRUTHS = truths()
CHECKED = MANIFEST["documents"]
FURNITURE = re.compile(r"A/RES/\S+ [A-Z]|\d{2}-\d{5}|Please recycle|_{3,}|<sup>|[\ue000\ue001*⁰¹²³⁴⁵⁶⁷⁸⁹]")
FORMS = {
    "pdf-text": lambda t: import_text(pdf_text(t)),
    "word-text": lambda t: import_text(word_text(t)),
    "markdown": lambda t: import_text(markdown_text(t)),
    "docx": lambda t: import_bytes(render(t, "docx"), "x.docx"),
}
ITALICS = {"markdown", "docx"}
TYPESET = {"docx"}  # our own export, which prints quotes as issued documents do


def test_every_checked_document_has_its_truth_and_official_pdf():
    for name, facts in CHECKED.items():
        assert name in TRUTHS
        assert (CORPUS / facts["pdf"]).exists()


@pytest.mark.parametrize("name", sorted(CHECKED))
def test_official_pdf_gives_the_counts_checked_by_hand(name):
    facts = CHECKED[name]
    doc = import_bytes((CORPUS / facts["pdf"]).read_bytes(), f"{name}.pdf")
    assert isinstance(doc, Resolution)
    assert (len(doc.preamble), len(doc.operative), len(doc.footnotes)) == (
        facts["preamble"], facts["operative"], facts["footnotes"])
    assert differences(TRUTHS[name], doc) == []  # leads too: the PDF sets them in italics
    for p in doc.paragraphs():
        assert not FURNITURE.search(p.text), p.text
    for f in doc.footnotes:
        assert not FURNITURE.search(f.text), f.text


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("name", sorted(TRUTHS))
def test_each_form_reads_as_the_truth(name, form):
    truth = TRUTHS[name]
    doc = FORMS[form](truth)
    if form in TYPESET:
        truth = typeset(truth)
    assert isinstance(doc, Resolution)
    assert differences(truth, doc, leads=form in ITALICS) == []
    for p in doc.paragraphs():
        assert not FURNITURE.search(p.text), p.text
        for r in p.footnote_refs:  # a mark sits right after a word or punctuation
            assert 0 < r.offset <= len(p.text) and p.text[r.offset - 1] != " "
    if form not in ITALICS:
        # no italics: the lead is the lexicon's, a prefix of the document's own or longer
        for p, q in zip(truth.preamble + truth.operative, doc.preamble + doc.operative):
            assert q.lead and (q.lead.startswith(p.lead.split()[0]))


@pytest.mark.parametrize("name", [n for n in MANIFEST["seeds"] if n != "about"])
def test_seed_truths_have_the_counts_checked_by_hand(name):
    facts, truth = MANIFEST["seeds"][name], TRUTHS[name]
    assert (len(truth.preamble), len(truth.operative), len(truth.footnotes)) == (
        facts["preamble"], facts["operative"], facts["footnotes"])
    assert truth.heading.committee == facts["committee"]


@pytest.mark.parametrize("name", [n for n in MANIFEST.get("transcribed", {}) if n != "about"])
def test_transcribed_truths_have_the_counts_checked_by_hand(name):
    facts, truth = MANIFEST["transcribed"][name], TRUTHS[name]
    assert (len(truth.preamble), len(truth.operative), len(truth.footnotes)) == (
        facts["preamble"], facts["operative"], facts["footnotes"])
    assert truth.heading.committee == facts["committee"]
