"""The lead-phrase lexicon: longest phrase first, capitalized leads only."""

import pytest

from penholder.model.lexicon import guess_lead, match_lead
from penholder.model.numbering import parse_roman, parse_session_words, roman, session_words, sub_label


@pytest.mark.parametrize(("text", "lead"), [
    ("Recalling also relevant resolutions", "Recalling also"),
    ("Noting with deep concern that", "Noting with deep concern"),
    ("Noting that the impact", "Noting"),
    ("Deeply concerned that children", "Deeply concerned"),
    ("Bearing in mind the serious", "Bearing in mind"),
    ("Taking note of the report", "Taking note"),
    ("Expressing grave concern over", "Expressing grave concern"),
    ("Strongly encourages States", "Strongly encourages"),
    ("Takes note of the report", "Takes note"),
    ("Takes into account the existing", "Takes into account"),
    ("Calls upon Member States", "Calls upon"),
    ("Requests the Secretary-General", "Requests"),
    ("Decides to include", "Decides"),
    ("Also encourages States", "Also encourages"),
    ("Notes with appreciation the continued", "Notes with appreciation"),
    ("Reaffirming its deep concern at", "Reaffirming its deep concern"),
    # "Having" and any past participle (1284 (XIII), 80/7): not only the listed ones
    ("Having taken note of the report", "Having taken note"),
    ("Having received the report", "Having received"),
    ("Having considered chapter V", "Having considered"),
    ("Having taken note with appreciation of", "Having taken note with appreciation"),
])
def test_longest_lead_wins(text, lead):
    assert match_lead(text) == lead


@pytest.mark.parametrize("text", [
    "recalling its resolutions",  # not capitalized: a wrapped line, not a paragraph
    "Further, the Assembly",
    "Takes the floor",
    "United Nations entities",
    "Member States",
    "Encouragesx",
])
def test_not_a_lead(text):
    assert match_lead(text) is None


def test_guess_lead_takes_a_participle_only():
    assert guess_lead("Commemorating the anniversary") == "Commemorating"
    assert guess_lead("Member States") is None


def test_numbering_and_sessions():
    assert [sub_label(i, 1) for i in range(5)] == ["a", "b", "c", "d", "e"]
    assert [roman(i) for i in (1, 2, 3, 4, 9, 14)] == ["i", "ii", "iii", "iv", "ix", "xiv"]
    assert session_words(79) == "seventy-ninth"
    assert session_words(81) == "eighty-first"
    assert session_words(80) == "eightieth"
    assert session_words(12) == "twelfth"
    assert parse_session_words("Seventy-ninth") == 79
    assert parse_session_words("Eighty-first") == 81
    assert parse_session_words("Blue") is None


def test_roman_numerals_of_the_first_sessions_read_back():
    assert [parse_roman(roman(n).upper()) for n in (4, 13, 27, 30)] == [4, 13, 27, 30]
    assert parse_roman("IIII") is None and parse_roman("ES") is None
