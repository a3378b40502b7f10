"""Each way a capture damages a resolution, repaired as a general rule and reported.

The damaged texts are made from the corpus (tests/corpus.py: real resolutions, their
structure checked by hand) the way PDF extraction damages text, so that the expected
answer is known to the character. Plain text keeps no italics: where a lead ends is the
lexicon's reading, so leads are compared only where the source marks them.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from corpus import Damage, differences, pdf_text, truths
from penholder.ingest import import_text
from penholder.model import Resolution

TRUTHS = truths()
NAMES = sorted(TRUTHS)
WITH_FOOTNOTES = [n for n in NAMES if TRUTHS[n].footnotes]
FURNITURE = re.compile(r"A/RES/|\d{2}-\d{5}|(?<![\w-])\d/\d(?!\d)|Please recycle|_{3,}|[\ue000\ue001]")


def read(name: str, damage: Damage, seed: int = 1) -> Resolution:
    doc = import_text(pdf_text(TRUTHS[name], damage, seed=seed))
    assert isinstance(doc, Resolution)
    return doc


def notes(doc: Resolution) -> list[str]:
    return [n for p in doc.paragraphs() if p.review for n in p.review.notes]


@pytest.mark.parametrize("name", NAMES)
def test_number_alone_on_its_line(name):
    doc = read(name, Damage(number_alone=True))
    assert differences(TRUTHS[name], doc, leads=False) == []
    assert any("stood alone on a line" in n for n in notes(doc))
    assert all(p.review and p.review.status != "exact" for p in doc.operative)


@pytest.mark.parametrize("name", WITH_FOOTNOTES)
def test_mark_after_the_closing_punctuation(name):
    truth = TRUTHS[name]
    text = pdf_text(truth, Damage(mark_after_punct=True), seed=2)
    assert re.search(r"[,;.] \d\b", text)  # `1994, 1`, `Relations; 1`
    doc = import_text(text)
    assert differences(truth, doc, leads=False) == []
    # the paragraphs stay apart: the digit does not hide the end of a paragraph
    assert len(doc.preamble) == len(truth.preamble)
    assert any(re.match(r"footnote marks? [\d, ]+ read from bare digits", n) for n in notes(doc))


def test_mark_glued_to_the_punctuation_of_a_date():
    truth = TRUTHS["A_RES_68_262"]
    text = pdf_text(truth, Damage(), seed=3).replace("December 1994, 1", "December 1994,1")
    assert "1994,1 the Treaty" in text
    assert differences(truth, import_text(text), leads=False) == []


@pytest.mark.parametrize("name", WITH_FOOTNOTES)
def test_two_notations_of_marks_in_one_text(name):
    truth = TRUTHS[name]
    text = pdf_text(truth, Damage(mixed_marks=True), seed=5)
    doc = import_text(text)
    assert differences(truth, doc, leads=False) == []
    # two notations need two marks: a text with one mark has one notation
    if sum(len(p.footnote_refs) for p in truth.paragraphs()) > 1 and "[^" in text and re.search(r"[a-z,;]\d\b|\d{5}", text):
        assert any("two notations" in w for w in doc.warnings)


@pytest.mark.parametrize("name", WITH_FOOTNOTES)
def test_a_footnote_reading_only_ibid_does_not_swallow_the_next(name):
    truth = TRUTHS[name]
    first = truth.footnotes[0]
    variant = dataclasses.replace(truth, footnotes=[dataclasses.replace(f, text="Ibid.") if f is not first
                                                    else f for f in truth.footnotes])
    for damage in (Damage(), Damage(page_breaks=True)):
        doc = import_text(pdf_text(variant, damage, seed=4))
        assert [(f.number, f.text) for f in doc.footnotes] == [(f.number, f.text) for f in variant.footnotes]
        assert differences(variant, doc, leads=False) == []


def test_ibid_followed_by_more_is_one_footnote():
    doc = import_text(pdf_text(TRUTHS["A_RES_ES-11_1"], Damage(), seed=4))
    assert doc.footnotes[2].text == "Ibid., vol. 1125, No. 17512."


@pytest.mark.parametrize("name", NAMES)
def test_the_symbol_comes_from_the_title_line_not_the_draft(name):
    truth = TRUTHS[name]
    text = pdf_text(truth, Damage(no_symbol_line=True), seed=6)
    assert "/L.2/Rev.1" in text and "A/RES/" not in text.split("The General Assembly,")[0]
    doc = import_text(text)
    assert doc.heading.symbol == truth.heading.symbol
    assert any("read from the title line" in w and "L.2/Rev.1" in w for w in doc.warnings)
    assert differences(truth, doc, leads=False) == []


# A resolution short enough for one page (58/85) has no running header to repair.
PAGED = [n for n in NAMES if f"{TRUTHS[n].heading.symbol} {TRUTHS[n].heading.title}"
         in pdf_text(TRUTHS[n], Damage(page_breaks=True), seed=7)]


@pytest.mark.parametrize("name", PAGED)
def test_running_headers_and_page_breaks_inside_paragraphs(name):
    truth = TRUTHS[name]
    text = pdf_text(truth, Damage(page_breaks=True), seed=7)
    header = f"{truth.heading.symbol} {truth.heading.title}"
    assert header in text
    doc = import_text(text)
    assert differences(truth, doc, leads=False) == []
    for p in doc.paragraphs():
        assert not FURNITURE.search(p.text), p.text
    assert any("running header" in w for w in doc.warnings)
    assert not any("numbering jumps" in w for w in doc.warnings)


def test_a_paragraph_cut_by_a_page_break_is_joined_and_reported():
    truth = TRUTHS["A_RES_ES-11_1"]
    text = pdf_text(truth, Damage(), seed=9)
    cut_at = "Declaration on Principles of International Law concerning Friendly Relations"
    assert cut_at in text
    page_foot = ("20-12345 2/4\nA/RES/ES-11/1 Aggression against Ukraine\n\n")
    doc = import_text(text.replace(cut_at, cut_at.replace("International Law ", f"International\n{page_foot}Law "), 1))
    assert differences(truth, doc, leads=False) == []
    joined = [p for p in doc.paragraphs() if p.review and "joined across a page break" in " ".join(p.review.notes)]
    assert [p.text[:30] for p in joined] == ["Recalling also its resolution "]


def test_the_official_pdfs_page_breaks_are_reported_where_they_cut():
    from corpus import CORPUS
    from penholder.ingest import import_path

    doc = import_path(CORPUS / "pdf" / "A_RES_ES-11_1.pdf")
    assert differences(TRUTHS["A_RES_ES-11_1"], doc, leads=False) == []
    joined = [p for p in doc.paragraphs() if p.review and "joined across a page break" in " ".join(p.review.notes)]
    assert joined and all(p.review.status == "repaired" for p in joined)


def test_a_title_line_alone_beside_the_page_number_is_a_running_header():
    truth = TRUTHS["A_RES_ES-11_4"]
    text = pdf_text(truth, Damage(page_breaks=True), seed=7)
    title = truth.heading.title or ""
    cut = title.rindex(" ", 0, len(title) // 2 + 10)
    # the header wraps: the title's first half alone, then the rest with the symbol
    text = text.replace(f"{truth.heading.symbol} {title}", f"{title[:cut]}\n{title[cut + 1:]} {truth.heading.symbol}")
    doc = import_text(text)
    assert differences(truth, doc, leads=False) == []


def test_words_of_the_title_inside_a_paragraph_stay():
    # A wrapped line of text that repeats the title is no header away from page furniture.
    truth = TRUTHS["A_RES_ES-11_3"]
    text = pdf_text(truth, Damage(), seed=1)
    doc = import_text(text.replace("membership in the Human Rights Council of the Russian Federation;",
                                   "membership\nin the Human Rights Council\nof the Russian Federation;"))
    assert differences(truth, doc, leads=False) == []


@pytest.mark.parametrize("name", NAMES)
def test_words_split_everywhere(name):
    truth = TRUTHS[name]
    text = pdf_text(truth, Damage(split_words=0.12), seed=8)
    doc = import_text(text)
    assert len(doc.preamble) == len(truth.preamble) and len(doc.operative) == len(truth.operative)
    exact = sum(p.text == q.text for p, q in zip(truth.paragraphs(), doc.paragraphs()))
    # At most one paragraph in ten missed; a document shorter than ten paragraphs may miss
    # one (a word whose two readings are both English), flagged as checked below.
    assert len(truth.paragraphs()) - exact <= max(1, 0.1 * len(truth.paragraphs()))
    repaired = [p for p in doc.paragraphs() if p.review and p.review.status == "repaired"]
    assert repaired and all(any("split by the extraction" in n for n in p.review.notes)
                            for p in repaired if "split" in " ".join(p.review.notes))
    for p, q in zip(truth.paragraphs(), doc.paragraphs()):
        if p.text != q.text:  # a miss is never silent
            assert q.review and q.review.status != "exact"


def test_a_lead_broken_by_the_extraction_still_opens_its_paragraph():
    doc = import_text("A/RES/80/1\n80/1. Test\nThe General Assembly,\n"
                      "Reca llin g it s resolut ions on the matter,\n"
                      "Not ing with concern the situation,\n"
                      "1. Deci des to remain seized of the matter.\n")
    assert [p.text for p in doc.preamble] == ["Recalling its resolutions on the matter,",
                                               "Noting with concern the situation,"]
    assert doc.operative[0].text == "Decides to remain seized of the matter."
    assert doc.preamble[0].review.status == "repaired"
    assert "'Reca llin g' -> 'Recalling'" in " ".join(doc.preamble[0].review.notes)


def test_real_word_pairs_are_not_glued():
    doc = import_text("A/RES/80/1\n80/1. Test\nThe General Assembly,\n"
                      "Welcoming a round of talks in to the night, any one of which may be held,\n"
                      "1. Decides to remain seized of the matter.\n")
    assert doc.preamble[0].text == "Welcoming a round of talks in to the night, any one of which may be held,"
    assert doc.preamble[0].review.status == "exact"


def test_a_prefixed_word_no_list_holds_is_rejoined_but_real_words_stay_apart():
    """`subre gional`, `extrab udgetary`: no piece is a word, and prefix + listed word is one
    (sub + regional); `counter improvised` and `under consideration` are words."""
    doc = import_text("A/RES/80/1\n80/1. Test\nThe General Assembly,\n"
                      "Recalling its subre gional and extrab udgetary efforts,\n"
                      "Noting efforts to counter improvised devices under consideration,\n"
                      "1. Decides to remain seized of the matter.\n")
    assert doc.preamble[0].text == "Recalling its subregional and extrabudgetary efforts,"
    assert "'subre gional' -> 'subregional'" in " ".join(doc.preamble[0].review.notes)
    assert doc.preamble[1].text == "Noting efforts to counter improvised devices under consideration,"
    assert doc.preamble[1].review.status == "exact"


BROKEN_HEAD = "A/RES/80/1\n80/1. Test\nThe General Assembly,\n"
BROKEN = ("Reca llin g it s resolut ions and the recommen dations contained there in,\n"
          "Not ing the work of the inter agency task force on the mat ter,\n")
BROKEN_END = "1. Deci des to remain sei zed of the mat ter.\n"


def test_a_word_with_two_readings_is_read_as_the_document_writes_it_elsewhere():
    """In a text broken everywhere, `there in` and `task force` are English as they stand
    and as one word: the document's own spelling on another line decides, and the note
    says so."""
    elsewhere = "Welcom ing the report of the task force and the recommendations therein,\n"
    doc = import_text(BROKEN_HEAD + BROKEN + elsewhere + BROKEN_END)
    assert doc.preamble[0].text == "Recalling its resolutions and the recommendations contained therein,"
    assert doc.preamble[1].text == "Noting the work of the interagency task force on the matter,"
    assert any(n.endswith("'there in' -> 'therein', as the document writes it elsewhere") for n in notes(doc))


def test_without_the_documents_word_the_librarys_decides_else_the_words_stay_apart_and_are_flagged():
    from penholder.ingest.words import attested_words

    alone = import_text(BROKEN_HEAD + BROKEN + BROKEN_END)
    # English as they stand: kept as the extraction gave them, and the reader asked.
    assert alone.preamble[0].text.endswith("contained there in,")
    assert "interagency task force" in alone.preamble[1].text
    for pp, pair, word in ((0, "there in", "therein"), (1, "task force", "taskforce")):
        flagged = [w for w in alone.warnings if f"'{pair}' (also English as '{word}'" in w]
        assert flagged and flagged[0].startswith(f"{alone.preamble[pp].id}: ") and "check" in flagged[0]
        assert alone.preamble[pp].review.status == "guessed"

    library = attested_words(["Taking note of the recommendations contained therein,",
                              "Welcoming the work of the task force on improvised explosive devices,"])
    doc = import_text(BROKEN_HEAD + BROKEN + BROKEN_END, library)
    assert doc.preamble[0].text == "Recalling its resolutions and the recommendations contained therein,"
    assert doc.preamble[1].text == "Noting the work of the interagency task force on the matter,"
    assert any(n.endswith("'there in' -> 'therein', as the library's resolutions write it") for n in notes(doc))


def test_two_words_are_not_glued_on_word_frequencies_alone():
    """`may be` is a verb phrase in UN text, however common `maybe` is in English: with
    nothing in the document or a library to say, the words stay as they are."""
    doc = import_text("A/RES/80/1\n80/1. Test\nThe General Assembly,\nRecalling its resolutions,\n"
                      "1. Requests any information that m ay be necessary.\n")
    assert doc.operative[0].text == "Requests any information that may be necessary."


def test_a_fragment_of_two_letters_is_no_word():
    """`ta` and `ke` are in web word lists, but English has no such words: `take`."""
    doc = import_text("A/RES/80/1\n80/1. Test\nThe General Assembly,\nRecalling its resolutions,\n"
                      "1. Requests the Secretary-General to ta ke the necessary action.\n")
    assert doc.operative[0].text == "Requests the Secretary-General to take the necessary action."
    assert doc.operative[0].review.status == "repaired"


def test_a_prefix_that_is_no_word_standing_alone_is_part_of_the_next():
    doc = import_text("A/RES/80/1\n80/1. Test\nThe General Assembly,\nRecalling its resolutions,\n"
                      "1. Encourages de radicalization programmes.\n")
    assert doc.operative[0].text == "Encourages deradicalization programmes."


def test_the_documents_own_reading_wins_over_the_librarys():
    from penholder.ingest.words import attested_words

    library = attested_words(["the taskforce met", "the taskforce reported"])
    doc = import_text(BROKEN_HEAD + BROKEN + "Welcom ing the report of the task force,\n" + BROKEN_END, library)
    assert doc.preamble[1].text == "Noting the work of the interagency task force on the matter,"


def test_a_symbol_of_the_first_thirty_sessions_gives_symbol_and_session():
    # Until the thirtieth session: "A/RES/3379 (XXX)", titled "3379 (XXX). ..."
    doc = import_text("United Nations A/RES/3379 (XXX)\n"
                      "3379 (XXX). Elimination of all forms of racial discrimination\n"
                      "The General Assembly,\nRecalling its resolution 1904 (XVIII),\n"
                      "1. Determines that it is so.\n")
    assert (doc.heading.symbol, doc.heading.session) == ("A/RES/3379(XXX)", 30)
    assert doc.heading.title == "Elimination of all forms of racial discrimination"
    assert [p.text for p in doc.preamble] == ["Recalling its resolution 1904 (XVIII),"]
