"""The four captured prior resolutions, read as a reader of the printed text would.

Counts were made by hand from the documents: preambular paragraphs open with an italic
participle phrase and end with a comma, operative ones are numbered, footnotes are
numbered in the margin.
"""

from __future__ import annotations

import re

import pytest

from penholder.ingest import import_path
from penholder.model import Paragraph, Resolution
from seeds import ALL, RES_71_72, RES_75_59, RES_78_70, RES_79_53

FURNITURE = re.compile(r"Please recycle|https?://|undocs\.org|<<ODS|\[Start|_{3,}|<sup>|\]\(#\)|[⁰¹²³⁴⁵⁶⁷⁸⁹]|[\ue000\ue001]|\*")


@pytest.fixture(scope="module")
def docs() -> dict[str, Resolution]:
    out = {}
    for path in ALL:
        doc = import_path(path)
        assert isinstance(doc, Resolution)
        out[path.name] = doc
    return out


def texts(doc: Resolution) -> list[str]:
    return [p.text for p in doc.paragraphs()] + [f.text for f in doc.footnotes]


def before(p: Paragraph, number: int, width: int = 60) -> str:
    """The text just before the mark of footnote `number` in p."""
    offset = next(r.offset for r in p.footnote_refs if r.number == number)
    return p.text[max(0, offset - width):offset]


def find(doc: Resolution, start: str) -> Paragraph:
    return next(p for p in doc.paragraphs() if p.text.startswith(start))


# -- what holds for every seed -----------------------------------------------------------

@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_furniture_or_marks_left_in_any_text(docs, path):
    for text in texts(docs[path.name]):
        assert not FURNITURE.search(text), text
        assert "  " not in text and text == text.strip()


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_paragraph_opens_with_its_lead_and_ends_with_its_punctuation(docs, path):
    doc = docs[path.name]
    for p in doc.preamble:
        assert p.lead and p.text.startswith(p.lead), p.text[:60]
        assert p.text.endswith(","), p.text[-60:]
    for p in doc.operative[:-1]:
        assert p.lead and p.text.startswith(p.lead), p.text[:60]
        assert p.text.endswith((";", ":")), p.text[-60:]
    assert doc.operative[-1].text.endswith(".")


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_footnotes_numbered_in_order_each_referenced_where_it_sits(docs, path):
    doc = docs[path.name]
    assert [f.number for f in doc.footnotes] == list(range(1, len(doc.footnotes) + 1))
    first_refs = []
    for p in doc.paragraphs():
        for r in p.footnote_refs:
            assert 0 < r.offset <= len(p.text)
            assert p.text[r.offset - 1] != " "
            if r.number not in first_refs:
                first_refs.append(r.number)
    # every footnote is cited, and first cited in numeric order
    assert first_refs == [f.number for f in doc.footnotes]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_ids_are_unique_and_numbers_derive_from_order(docs, path):
    doc = docs[path.name]
    ids = [p.id for p in doc.paragraphs()]
    assert len(ids) == len(set(ids))
    as_json = doc.to_json()
    assert [p["number"] for p in as_json["operative"]] == list(range(1, len(doc.operative) + 1))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_reading_does_not_depend_on_line_breaks(docs, path, tmp_path):
    """The same text hard-wrapped at 70 columns reads the same: structure comes from the
    text, not from where the capture happened to break lines."""
    import textwrap

    wrapped = []
    for line in path.read_text(encoding="utf-8").splitlines():
        wrapped.extend(textwrap.wrap(line, 70, break_on_hyphens=False) or [""])
    copy = tmp_path / path.name
    copy.write_text("\n".join(wrapped), encoding="utf-8")
    again = import_path(copy)
    original = docs[path.name]
    assert [p.text for p in again.paragraphs()] == [p.text for p in original.paragraphs()]
    assert [f.text for f in again.footnotes] == [f.text for f in original.footnotes]


# -- A/RES/79/53: PDF text, one paragraph a line, footnote blocks inside paragraphs -------

def test_79_53_heading(docs):
    h = docs[RES_79_53.name].heading
    assert h.symbol == "A/RES/79/53"
    assert h.session == 79
    assert h.adopted_on == "2024-12-02"
    assert h.title == "Countering the threat posed by improvised explosive devices"
    assert h.agenda_item == "98 (jj)"
    assert h.agenda_title == ("General and complete disarmament: countering the threat posed "
                              "by improvised explosive devices")
    assert h.committee == "First Committee"
    assert h.meeting == "43rd plenary meeting"


def test_79_53_counts_and_leads(docs):
    doc = docs[RES_79_53.name]
    assert (len(doc.preamble), len(doc.operative), len(doc.footnotes)) == (29, 28, 24)
    leads = [p.lead for p in doc.operative]
    # italic in the source
    assert leads[0] == "Strongly urges" and leads[4] == "Encourages" and leads[27] == "Decides"
    # no italics in the source: found by the lexicon
    assert leads[1] == "Strongly encourages"
    assert leads[2] == "Stresses"
    assert leads[3] == "Underlines"
    assert leads[12] == "Urges"
    assert leads[26] == "Encourages"
    assert [p.lead for p in doc.preamble[:6]] == [
        "Recalling", "Expressing grave concern", "Expressing concern",
        "Expressing profound concern", "Expressing concern", "Expressing concern also"]
    assert doc.preamble[19].lead == "Taking note"


def test_79_53_paragraphs_cut_by_footnote_blocks_read_whole(docs):
    doc = docs[RES_79_53.name]
    pp15 = doc.preamble[14]
    assert pp15.lead == "Stressing"
    assert "detonating cords and chemical components, and to identify the networks" in pp15.text
    op1 = doc.operative[0]
    assert "firms incorporated in their territory or subject to their jurisdiction" in op1.text
    op15 = doc.operative[14]
    assert "capabilities, information and knowledge management and technology" in op15.text
    # a page break with no footnotes
    assert "commercially available detonators to the illicit trade" in doc.operative[7].text
    # the footnote block inside PP6 is not text of PP6
    assert "Please recycle" not in doc.preamble[5].text


def test_79_53_footnote_marks_at_their_place(docs):
    doc = docs[RES_79_53.name]
    assert before(doc.preamble[1], 1).endswith("other unauthorized recipients,")
    assert before(doc.preamble[12], 4).endswith("threat of improvised explosive devices,")
    assert before(doc.preamble[21], 13).endswith('Anti-Personnel Mine Ban Convention",')
    pp21 = doc.preamble[20]
    assert [r.number for r in pp21.footnote_refs] == [8, 9, 10, 11]
    assert before(pp21, 8).endswith("(Protocol II)")
    assert doc.footnotes[21].text.startswith("Including Security Council resolutions 1373 (2001)")
    assert doc.footnotes[7].text == "United Nations, Treaty Series, vol. 2048, No. 22495."


# -- A/RES/75/59: hard-wrapped PDF text, bare-digit marks, link lists, split words --------

def test_75_59_heading_from_what_the_capture_kept(docs):
    doc = docs[RES_75_59.name]
    h = doc.heading
    assert h.symbol == "A/RES/75/59" and h.session == 75
    assert h.adopted_on == "2020-12-07"  # from the closing line: the heading was not captured
    assert h.meeting == "37th plenary meeting"
    assert h.title == "Countering the threat posed by improvised explosive devices"
    assert h.committee is None and h.agenda_item is None
    assert any("no committee" in w for w in doc.warnings)
    assert any("agenda item" in w for w in doc.warnings)


def test_75_59_counts_and_leads(docs):
    doc = docs[RES_75_59.name]
    assert (len(doc.preamble), len(doc.operative), len(doc.footnotes)) == (24, 31, 18)
    assert doc.preamble[15].lead == "Recalling"  # "Recalling, in this context,"
    assert doc.preamble[21].lead == "Noting further"
    assert [doc.operative[i].lead for i in (0, 9, 10, 20, 25, 26)] == [
        "Takes note", "Also encourages", "Further encourages", "Takes into account",
        "Also notes", "Further notes"]


def test_75_59_wrapped_lines_and_page_breaks_joined(docs):
    doc = docs[RES_75_59.name]
    assert "and on the security and stability of States" in doc.preamble[5].text
    assert "Department of Peace Operations of the Secretariat" in doc.operative[12].text
    assert "engaging with community leaders and relevant civil society organizations" in doc.operative[5].text
    assert "individual or collective self-defence" in doc.preamble[23].text
    assert "civilian-military cooperation" in doc.operative[2].text


def test_75_59_split_words_repaired(docs):
    doc = docs[RES_75_59.name]
    joined = "\n".join(texts(doc))
    assert "deliver on their mandates" in joined
    assert "the voluntary, practical International Ammunition Technical Guidelines" in joined
    assert "to provide support to reduce" in joined
    assert "thei r" not in joined and "suppor t" not in joined
    assert "Anti-Personnel Mines and on Their Destruction." in doc.footnotes[17].text
    assert sum("split by the extraction" in w for w in doc.warnings) == 3


def test_75_59_bare_digit_marks(docs):
    doc = docs[RES_75_59.name]
    assert before(doc.preamble[1], 1).endswith("other unauthorized recipients,")
    assert before(doc.preamble[11], 3).endswith("threat of improvised explosive devices,")
    pp23 = doc.preamble[22]
    assert [r.number for r in pp23.footnote_refs] == [10, 11, 12]
    assert "Suppression of Terrorist Bombings and the United Nations Global Counter-Terrorism Strategy and" in pp23.text
    assert before(doc.operative[8], 15).endswith("the “dark web”;")
    assert doc.operative[14].text.endswith("improvised explosive devices;")
    assert [r.number for r in doc.operative[14].footnote_refs] == [17]
    assert doc.footnotes[14].text.endswith("because it is not indexed by search engines.")
    assert doc.footnotes[0].text == ("See resolution 69/51, A/CONF.192/BMS/2014/2, A/71/187 and "
                                     "Security Council resolution 2370 (2017).")


# -- A/RES/71/72: Word export, footnotes at the end, document-management residue ---------

def test_71_72_heading_uses_the_residue_for_what_the_heading_lacks(docs):
    h = docs[RES_71_72.name].heading
    assert h.symbol == "A/RES/71/72" and h.session == 71
    assert h.adopted_on == "2016-12-05"
    assert h.committee == "First Committee"
    assert h.agenda_item == "98 (mm)"
    assert h.meeting == "51st plenary meeting"


def test_71_72_counts_marks_and_residue(docs):
    doc = docs[RES_71_72.name]
    assert (len(doc.preamble), len(doc.operative), len(doc.footnotes)) == (16, 24, 11)
    assert doc.operative[0].lead == "Welcomes"
    assert doc.operative[6].lead == "Also encourages"
    # OP8 cites footnotes 4 and 6 again, after the same words as their first citation
    assert [r.number for r in doc.operative[7].footnote_refs] == [4, 6]
    assert doc.footnotes[10].text == ("Including Security Council resolutions 1373 (2001), 2160 (2014), "
                                      "2161 (2014), 2199 (2015), 2253 (2015) and 2255 (2015).")
    assert any("residue" in w for w in doc.warnings)


# -- A/RES/78/70: Markdown, <sup> marks, subparagraphs ----------------------------------

def test_78_70_heading(docs):
    h = docs[RES_78_70.name].heading
    assert h.symbol == "A/RES/78/70" and h.session == 78
    assert h.committee == "Fourth Committee"
    assert h.agenda_item == "46" and h.agenda_title == "Assistance in mine action"
    assert h.title == "Assistance in mine action"
    assert h.adopted_on == "2023-12-07" and h.meeting == "45th plenary meeting"


def test_78_70_counts_leads_and_subparagraphs(docs):
    doc = docs[RES_78_70.name]
    assert (len(doc.preamble), len(doc.operative), len(doc.footnotes)) == (30, 22, 11)
    assert doc.preamble[4].lead == "Reaffirming its deep concern"
    assert doc.preamble[6].lead == "Deeply concerned"
    assert doc.operative[1].lead == "Calls upon"
    assert doc.operative[2].lead == "Calls"
    op4 = doc.operative[3]
    assert op4.text.endswith("by providing:")
    labels = [s["label"] for s in doc.to_json()["operative"][3]["subparagraphs"]]
    assert labels == ["a", "b", "c", "d", "e"]
    assert op4.subparagraphs[0].text.startswith("Assistance to countries affected by mines")
    e = op4.subparagraphs[4].text
    assert "(i) to countries affected by mines" in e and "and (ii) to promote user-oriented" in e
    assert doc.operative[4].lead == "Encourages" and not doc.operative[4].subparagraphs


def test_78_70_paragraphs_cut_by_page_breaks_read_whole(docs):
    doc = docs[RES_78_70.name]
    assert "and noting the integration of mine action in numerous" in doc.preamble[14].text
    assert "into broader national and international frameworks" in doc.preamble[25].text
    assert "2019–2023 and completing deliberations on the next" in doc.operative[16].text
    assert before(doc.preamble[1], 1).endswith("all relevant treaties and conventions")
    assert "76/74 of 9 December 2021" in doc.preamble[0].text  # link syntax gone
