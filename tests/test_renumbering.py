"""References after renumbering: inserting, deleting or moving paragraphs between two
versions flags the internal references that now name another paragraph, and computes
the technical update that makes them name the same one again."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from penholder.ingest import import_path
from penholder.model import Paragraph, Resolution
from penholder.model.checks import check_references
from penholder.model.renumbering import stale_references, update_references

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"


@pytest.fixture
def before() -> Resolution:
    """A/RES/78/70 (OP4 has subparagraphs (a) to (e)) with references written into it."""
    res = import_path(DRAFTS / "A_RES_78_70.md")
    assert isinstance(res, Resolution)
    op = res.operative
    op[9].text = op[9].text.rstrip(";") + ", as set out in paragraphs 3 and 4 (c) above;"
    op[4].text = op[4].text.rstrip(";") + ", in accordance with paragraph 12 below;"
    assert check_references(res) == []  # all correct as written
    return res


def _text(res: Resolution, pid: str) -> str:
    return next(p.text for p in res.paragraphs() if p.id == pid)


def test_nothing_moved_nothing_flagged(before):
    assert stale_references(before, copy.deepcopy(before)) == []
    assert update_references(before, copy.deepcopy(before)) == []


def test_an_inserted_paragraph_shifts_the_numbers_after_it(before):
    after = copy.deepcopy(before)
    after.operative.insert(1, Paragraph("new.1", "op", "Decides to keep the matter under review;", "Decides"))
    op10_id, op5_id = before.operative[9].id, before.operative[4].id
    found = stale_references(before, after)
    assert [(f.label, f.message) for f in found] == [
        ("OP6", "paragraph 12 below named OP12, now OP13: it should read 'paragraph 13 below'"),
        ("OP11", "paragraph 3 above named OP3, now OP4: it should read 'paragraph 4 above'"),
        ("OP11", "paragraph 4 (c) above named OP4 (c), now OP5 (c): it should read 'paragraph 5 (c) above'"),
    ]
    changes = {c.target: c for c in update_references(before, after)}
    assert changes[op10_id].after.endswith("as set out in paragraphs 4 and 5 (c) above;")
    assert changes[op5_id].after.endswith("in accordance with paragraph 13 below;")
    assert all(c.reason == "internal references renumbered" for c in changes.values())
    # applied, the text checks clean against its new numbering and nothing is stale
    for c in changes.values():
        next(p for p in after.paragraphs() if p.id == c.target).text = c.after
    assert stale_references(before, after) == [] and check_references(after) == []


def test_a_moved_paragraph_can_turn_below_into_above(before):
    after = copy.deepcopy(before)
    after.operative.insert(1, after.operative.pop(11))  # OP12 becomes OP2; OP5 becomes OP6
    op5_id = before.operative[4].id
    found = [f for f in stale_references(before, after) if f.paragraph_id == op5_id]
    assert "it should read 'paragraph 2 above'" in found[0].message
    change = next(c for c in update_references(before, after) if c.target == op5_id)
    assert change.after.endswith("in accordance with paragraph 2 above;")


def test_a_deleted_target_is_flagged_and_left_to_the_drafters(before):
    after = copy.deepcopy(before)
    del after.operative[2]  # OP3
    op10_id = before.operative[9].id
    found = [f for f in stale_references(before, after) if f.paragraph_id == op10_id]
    assert "paragraph 3 above named OP3, which has been deleted" in found[0].message
    change = next(c for c in update_references(before, after) if c.target == op10_id)
    assert change.after.endswith("as set out in paragraphs 3 and 3 (c) above;")  # 4 (c) -> 3 (c); 3 untouched
    span = found[0]
    assert _text(after, op10_id)[span.start:span.end] == "3"


def test_a_deleted_subparagraph_relabels_the_ones_after_it(before):
    after = copy.deepcopy(before)
    del after.operative[3].subparagraphs[1]  # (b): (c) becomes (b)
    change = next(c for c in update_references(before, after))
    assert change.after.endswith("as set out in paragraphs 3 and 4 (b) above;")


def test_a_reference_new_in_the_later_text_is_not_a_renumbering(before):
    after = copy.deepcopy(before)
    after.operative.insert(0, Paragraph("new.0", "op", "Decides to act;", "Decides"))
    after.operative[3].text = after.operative[3].text.rstrip(";") + ", recalling paragraph 1 above;"
    assert all("paragraph 1 above" not in f.message for f in stale_references(before, after))
