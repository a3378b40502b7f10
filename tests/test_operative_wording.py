"""A proposal from a delegation's list, worded as an operative paragraph when accepted."""

from __future__ import annotations

import pytest

from penholder.model.operative import as_operative


@pytest.mark.parametrize("item,paragraph", [
    ("Recognize the need to act.", "Recognizes the need to act;"),
    ("Support and promote the adoption of rules .", "Supports and promotes the adoption of rules;"),
    ("Urge States to act", "Urges States to act;"),
    ("Encourages States to share data;", "Encourages States to share data;"),
    # not a known lead in the third person: the wording stays, the ending is fixed
    ("Guaranteeing the protection of civilians.", "Guaranteeing the protection of civilians;"),
    ("Incentivize an exchange of information.", "Incentivize an exchange of information;"),
])
def test_a_list_item_becomes_an_operative_paragraph(item: str, paragraph: str) -> None:
    assert as_operative(item) == paragraph
