"""Technical rollover of A/RES/79/53 into the zero draft of the eighty-first session,
paragraph by paragraph."""

from __future__ import annotations

import pytest

from penholder.ingest import import_path
from penholder.model.rollover import cycle_of, roll_over, un_date
from seeds import RES_71_72, RES_79_53


@pytest.fixture(scope="module")
def prior():
    return import_path(RES_79_53)


@pytest.fixture(scope="module")
def rolled(prior):
    return roll_over(prior)


def test_heading_moves_to_the_new_session(rolled):
    draft, _ = rolled
    h = draft.heading
    assert h.session == 81
    assert h.symbol == "A/C.1/81/L.__"
    assert h.committee == "First Committee"
    assert h.title == "Countering the threat posed by improvised explosive devices"
    assert h.adopted_on is None and h.meeting is None and h.sponsors == []


def test_every_paragraph_carried_with_its_id(prior, rolled):
    draft, _ = rolled
    assert [p.id for p in draft.paragraphs()] == [p.id for p in prior.paragraphs()]
    assert [p.lead for p in draft.paragraphs()] == [p.lead for p in prior.paragraphs()]


def test_only_the_technical_paragraphs_change(prior, rolled):
    draft, changes = rolled
    changed = {c.target for c in changes}
    assert changed == {"heading:symbol", "heading:session", "heading:adopted_on", "heading:meeting",
                       "res-79-53.pp1", "res-79-53.pp29",
                       "footnote:18", "res-79-53.op26", "res-79-53.op28"}
    for before, after in zip(prior.paragraphs(), draft.paragraphs()):
        if after.id not in changed:
            assert after.text == before.text
            assert after.footnote_refs == before.footnote_refs
    for before, after in zip(prior.footnotes, draft.footnotes):
        if after.number != 18:
            assert after.text == before.text


def test_resolution_just_adopted_joins_the_chain(rolled):
    draft, _ = rolled
    assert draft.preamble[0].text == (
        "Recalling its resolutions 70/46 of 7 December 2015, 71/72 of 5 December 2016, "
        "72/36 of 4 December 2017, 73/67 of 5 December 2018, 75/59 of 7 December 2020, "
        "77/64 of 7 December 2022 and 79/53 of 2 December 2024, and its decision 76/516 "
        "of 6 December 2021,")


def test_report_pursuant_to_the_resolution_just_adopted(rolled):
    draft, _ = rolled
    pp29 = draft.preamble[28]
    assert pp29.text == ("Taking note of the report of the Secretary-General submitted pursuant to "
                         "resolution 79/53, including the recommendations contained therein,")
    (ref,) = pp29.footnote_refs
    assert ref.number == 18 and pp29.text[:ref.offset].endswith("resolution 79/53,")
    assert draft.footnotes[17].text == "A/81/[...]."


def test_sessions_move_forward_by_the_cycle(rolled):
    draft, _ = rolled
    assert "at its eighty-third session on the implementation" in draft.operative[25].text
    assert draft.operative[27].text.startswith(
        "Decides to include in the provisional agenda of its eighty-third session, under the item")


def test_changes_are_the_secretariats_and_say_why(rolled):
    _, changes = rolled
    for c in changes:
        assert c.before != c.after and c.reason


def test_cycle_is_read_from_the_chain():
    assert cycle_of(import_path(RES_79_53)) == 2
    assert cycle_of(import_path(RES_71_72)) == 1


def test_single_resolution_becomes_a_chain():
    draft, _ = roll_over(import_path(RES_71_72))
    assert draft.preamble[0].text == ("Recalling its resolutions 70/46 of 7 December 2015 and "
                                      "71/72 of 5 December 2016,")
    assert draft.heading.session == 72 and draft.heading.symbol == "A/C.1/72/L.__"


def test_rollover_is_idempotent_on_the_chain(rolled):
    draft, _ = rolled
    draft.heading.symbol, draft.heading.adopted_on = "A/RES/79/53", "2024-12-02"
    draft.heading.session = 79
    again, changes = roll_over(draft)
    assert again.preamble[0].text.count("79/53") == 1


def test_un_date():
    assert un_date("2024-12-02") == "2 December 2024"
