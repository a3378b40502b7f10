"""Paragraph structure and selections across paragraphs in Chromium, two pages against a
real server: Delete at the end joins, a move carries its subparagraphs, a selection that
runs over several paragraphs survives remote edits and copies as printed (docs/client.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import COPY, DRAG, IDS, PP3, SELECT, editor, new_context, open_draft, rest_paragraph, text, wait_text
from live import serving
from server import Server

FR, DZ, OBS, SEC = "Amélie Durand", "Yacine Benali", "Observer", "Sam Clerk"
PP4 = "res-79-53.pp4"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with serving(f"sqlite:///{tmp_path / 'p.db'}", [(FR, "France", "penholder"), (DZ, "Algeria", "delegate"),
                                                    (OBS, "Holy See", "observer"), (SEC, None, "secretariat")]) as s:
        yield s


@pytest.fixture
def context(browser):  # type: ignore[no-untyped-def]
    return new_context(browser)  # closed with the others after the test


def notice(page, words: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("status").filter(has_text=words)


def same_ids(page, ids: list[str]) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"ids => JSON.stringify(({IDS})()) === JSON.stringify(ids)", arg=ids)


def labelled(page, paragraph_id: str, label: str):  # type: ignore[no-untyped-def]
    """The paragraph's editor, found by its accessible name, inside the paragraph with that id."""
    return page.locator(f'.para[data-id="{paragraph_id}"]').get_by_role("textbox", name=label, exact=True)


def test_delete_at_the_end_joins_the_next_paragraph_in_one_undo_step(context, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    sec = open_draft(context, server, server.tokens[SEC])
    ids = fr.evaluate(IDS)
    pp3, pp4 = text(fr, PP3), text(fr, PP4)
    # Delete at the end of PP3: PP4's text joins it, PP4 goes, in the other page and on the server.
    editor(fr, "PP3").click()
    fr.keyboard.press("Control+End")
    fr.keyboard.press("Delete")
    same_ids(sec, [i for i in ids if i != PP4])
    wait_text(sec, PP3, f"t === {(pp3 + pp4)!r}")
    assert rest_paragraph(server, PP3, server.tokens[OBS])["text"] == pp3 + pp4
    with pytest.raises(KeyError):
        rest_paragraph(server, PP4, server.tokens[OBS])
    # The caret stayed at the join: typing goes there.
    fr.keyboard.type("|", delay=10)
    wait_text(sec, PP3, f"t === {(pp3 + '|' + pp4)!r}")
    fr.keyboard.press("Control+z")
    wait_text(sec, PP3, f"t === {(pp3 + pp4)!r}")
    # One Ctrl+Z undoes the join: both paragraphs again, with their ids.
    fr.keyboard.press("Control+z")
    same_ids(sec, ids)
    wait_text(sec, PP3, f"t === {pp3!r}")
    wait_text(sec, PP4, f"t === {pp4!r}")
    assert rest_paragraph(server, PP4, server.tokens[OBS])["text"] == pp4
    # It is France's in the history.
    history = server.get(f"/api/drafts/{server.draft_id}/history", server.tokens[OBS]).json()
    assert FR in {e["user"] for e in history["entries"] if not e["technical"]}
    # The last preambular paragraph is not joined with the first operative one: refused, said so.
    last_pp = f"PP{len([i for i in ids if '.pp' in i])}"
    editor(sec, last_pp).click()
    sec.keyboard.press("Control+End")
    sec.keyboard.press("Delete")
    notice(sec, f"OP1 is not joined with {last_pp}").wait_for()
    assert sec.evaluate(IDS) == ids
    # Nor is (a) joined into its paragraph while it has an (i) of its own: the (i) would be orphaned.
    editor(sec, "OP2").click()
    sec.keyboard.press("Alt+Shift+ArrowRight")
    editor(sec, "OP2").click()
    sec.keyboard.press("Alt+Shift+ArrowRight")
    sec.keyboard.press("Alt+Shift+ArrowRight")
    editor(fr, "OP1 (a) (i)").wait_for()
    editor(sec, "OP1").click()
    sec.keyboard.press("Control+End")
    sec.keyboard.press("Delete")
    notice(sec, "OP1 (a) is not joined with OP1").wait_for()
    editor(fr, "OP1 (a) (i)").wait_for()
    # A delegate's Delete is answered, not silently dropped.
    dz = open_draft(context, server, server.tokens[DZ])
    dz.evaluate("""() => { const p = document.querySelector('[aria-label="PP3"] p'); const r = document.createRange();
        r.selectNodeContents(p); r.collapse(false); getSelection().removeAllRanges(); getSelection().addRange(r) }""")
    dz.keyboard.press("Delete")
    notice(dz, "Only penholders and the Secretariat join paragraphs").wait_for()
    assert "Propose on PP3" in dz.get_by_role("status").filter(has_text="Only penholders").inner_text()


def test_a_move_carries_the_paragraphs_subparagraphs_in_one_undo_step(context, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    sec = open_draft(context, server, server.tokens[SEC])
    ops = [i for i in fr.evaluate(IDS) if ".op" in i]
    op1, op2, op3, op4, op5 = ops[:5]
    # OP2 and OP3 become OP1 (a) and (b).
    for label in ("OP2", "OP2"):
        editor(fr, label).click()
        fr.keyboard.press("Alt+Shift+ArrowRight")
    labelled(sec, op3, "OP1 (b)").wait_for()
    ids = fr.evaluate(IDS)
    # OP1 moves down past OP2 (OP4 before): its (a) and (b) go with it, relabelled.
    editor(fr, "OP1").click()
    fr.get_by_role("button", name="Move OP1 down").click()
    moved = [i for i in ids if i not in (op1, op2, op3)]
    at = moved.index(op4) + 1
    same_ids(sec, moved[:at] + [op1, op2, op3] + moved[at:])
    labelled(sec, op4, "OP1").wait_for()
    labelled(sec, op1, "OP2").wait_for()
    labelled(sec, op2, "OP2 (a)").wait_for()
    labelled(sec, op3, "OP2 (b)").wait_for()
    assert fr.evaluate("() => document.activeElement.getAttribute('aria-label')") == "OP2"
    # One undo step puts the block back.
    fr.keyboard.press("Control+z")
    same_ids(sec, ids)
    labelled(sec, op3, "OP1 (b)").wait_for()
    # OP2 moving up goes before OP1's block, never into its run of subparagraphs.
    editor(sec, "OP2").click()
    sec.keyboard.press("Alt+Shift+ArrowUp")
    same_ids(fr, moved[:at - 1] + [op4, op1, op2, op3] + moved[at:])
    labelled(fr, op2, "OP2 (a)").wait_for()
    sec.keyboard.press("Control+z")
    same_ids(fr, ids)
    # (b) moves among its paragraph's subparagraphs only.
    editor(sec, "OP1 (b)").click()
    sec.get_by_role("button", name="Move OP1 (b) up").click()
    labelled(fr, op3, "OP1 (a)").wait_for()
    labelled(fr, op2, "OP1 (b)").wait_for()
    sec.get_by_role("button", name="Move OP1 (a) up").click()
    notice(sec, "OP1 (a) is the first subparagraph of its paragraph").wait_for()
    # The first operative paragraph does not move into the preamble.
    editor(sec, "OP1").click()
    sec.get_by_role("button", name="Move OP1 up").click()
    notice(sec, "OP1 is the first operative paragraph").wait_for()
    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens[OBS]).json()
    first = body["operative"][0]
    assert first["id"] == op1 and [s["id"] for s in first["subparagraphs"]] == [op3, op2]
    assert body["operative"][1]["id"] == op4 and op5 in [p["id"] for p in body["operative"]]


def test_a_selection_across_paragraphs_survives_remote_edits_and_copies_as_printed(context, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    dz = open_draft(context, server, server.tokens[DZ])
    ids = dz.evaluate(IDS)
    last_pp = [i for i in ids if ".pp" in i][-1]
    op1, op2 = [i for i in ids if ".op" in i][:2]
    tail, first, second = text(dz, last_pp), text(dz, op1), text(dz, op2)
    # Algeria drags from "recommendations" in the last preambular paragraph to "outreach"
    # in OP1, then extends the selection into OP2 with Shift+Down and back with Shift+Arrows.
    labelled(dz, op2, "OP2").scroll_into_view_if_needed()
    start = dz.evaluate(DRAG, [last_pp, "recommendations", "start"])
    end = dz.evaluate(DRAG, [op1, "outreach", "end"])
    dz.mouse.move(start["x"], start["y"])
    dz.mouse.down()
    dz.mouse.move(end["x"], end["y"], steps=8)
    dz.mouse.up()
    assert dz.evaluate("() => getSelection().toString()").endswith("outreach")
    dz.keyboard.press("Shift+ArrowRight")
    copied = dz.evaluate(COPY)
    head = tail[tail.index("recommendations"):]
    assert copied == head + "\n1. " + first[:first.index("outreach") + len("outreach") + 1]
    # France edits both paragraphs the selection touches, before and inside it.
    editor(fr, "OP1").click()
    fr.keyboard.press("Control+Home")
    fr.keyboard.type("Also ", delay=10)
    editor(fr, f"PP{len([i for i in ids if '.pp' in i])}").click()
    fr.keyboard.press("Control+Home")
    fr.keyboard.type("Again ", delay=10)
    wait_text(dz, op1, "t.startsWith('Also ')")
    wait_text(dz, last_pp, "t.startsWith('Again ')")
    # The selection is the same words (France's inside it included), still visible as one.
    want = head + "\n1. Also " + first[:first.index("outreach") + len("outreach") + 1]
    assert dz.evaluate(COPY) == want
    assert dz.evaluate("() => getSelection().toString()").startswith("recommendations")
    # Extended into OP2, it copies OP1 whole, labelled as printed.
    for _ in range(12):  # a line at a time, as far as OP2
        dz.keyboard.press("Shift+ArrowDown")
        copied = dz.evaluate(COPY)
        if "\n2. " in copied:
            break
    assert copied.startswith(head + "\n1. Also " + first + "\n2. " + second[:5]), copied
    # Propose on a paragraph it touches quotes that paragraph's part, and says so.
    dz.get_by_role("button", name="Propose on OP1", exact=True).click()
    form = dz.get_by_role("form", name="Proposal on OP1", exact=True)
    assert form.get_by_label("Text in the paragraph").input_value() == "Also " + first
    notice(dz, f"runs from PP{len([i for i in ids if '.pp' in i])} to OP2").wait_for()
    assert rest_paragraph(server, op1, server.tokens[OBS])["text"] == "Also " + first


def test_a_penholder_selects_across_paragraphs_with_shift_arrows_and_the_mouse(context, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    sec = open_draft(context, server, server.tokens[SEC])
    pp3, pp4 = text(fr, PP3), text(fr, PP4)
    # Shift+Right at the end of PP3 carries the selection into PP4, where it goes on.
    end3 = "deliver improvised explosive devices,"
    assert fr.evaluate(SELECT, [PP3, end3])
    for _ in range(4):
        fr.keyboard.press("Shift+ArrowRight")
        if "\n" in fr.evaluate(COPY):
            break
    assert fr.evaluate(COPY) == end3 + "\n"
    for _ in range(3):
        fr.keyboard.press("Shift+ArrowRight")
    assert fr.evaluate(COPY) == end3 + "\nExp"
    assert fr.evaluate("() => getSelection().toString()").startswith(end3)
    # Typing over it would change two paragraphs at once: refused, said so, nothing changed.
    fr.keyboard.type("x")
    fr.keyboard.press("Backspace")
    notice(fr, "The selection runs over several paragraphs").wait_for()
    # Sam types inside the selection: it holds Sam's words too, and is still there.
    editor(sec, "PP4").click()
    sec.keyboard.press("Control+Home")
    sec.keyboard.type("Also ", delay=10)
    wait_text(fr, PP4, "t.startsWith('Also ')")
    assert fr.evaluate(COPY) == end3 + "\nAlso Exp"
    fr.keyboard.press("Shift+ArrowDown")
    copied = fr.evaluate(COPY)
    assert copied.startswith(end3 + "\nAlso Expressing profound") and len(copied) > len(end3) + 30
    assert text(sec, PP3) == pp3 and text(sec, PP4) == "Also " + pp4
    # A drag from PP3 released in PP4 selects across them too.
    editor(fr, "PP2").click()
    start = fr.evaluate(DRAG, [PP3, "concern", "start"])
    end = fr.evaluate(DRAG, [PP4, "profound", "end"])
    fr.mouse.move(start["x"], start["y"])
    fr.mouse.down()
    fr.mouse.move(end["x"], end["y"], steps=8)
    fr.mouse.up()
    want = pp3[pp3.index("concern"):] + "\nAlso " + pp4[:pp4.index("profound") + len("profound")]
    assert fr.evaluate(COPY) == want
