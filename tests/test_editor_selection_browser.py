"""A penholder's selection across paragraphs in Chromium (docs/client.md, "Selection across
paragraphs"): a drag is highlighted across paragraphs while the button is still down, the
keys that extend a selection carry it over paragraph boundaries as in a word processor,
a remote move or edit of a paragraph it ends in keeps it, and a remote deletion of one
shrinks it to what is left."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pycrdt import Array

from browser import COPY, DRAG, IDS, PP2, PP3, SELECT, editor, new_context, open_draft, text, wait_text
from live import serving
from server import Server
from yclient import YClient

FR, SEC = "Amélie Durand", "Sam Clerk"
PP1, PP4, PP5 = "res-79-53.pp1", "res-79-53.pp4", "res-79-53.pp5"

# The paragraphs (ids) the page's selection runs from and to, as the browser holds it.
ENDS = """() => { const s = getSelection(); if (!s.rangeCount) return null;
  const id = (n) => { const el = n.nodeType === 1 ? n : n.parentElement; const p = el.closest('.para'); return p && p.dataset.id };
  return [id(s.anchorNode), id(s.focusNode)] }"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with serving(f"sqlite:///{tmp_path / 'p.db'}", [(FR, "France", "penholder"), (SEC, None, "secretariat")]) as s:
        yield s


@pytest.fixture
def context(browser):  # type: ignore[no-untyped-def]
    return new_context(browser)  # closed with the others after the test


def wait_ends(page, anchor: str, focus: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"([a, f]) => {{ const e = ({ENDS})(); return !!e && e[0] === a && e[1] === f }}",
                           arg=[anchor, focus])


def at(page, paragraph_id: str, word: str, side: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    box = page.evaluate(DRAG, [paragraph_id, word, side])
    assert box, f"{word!r} is not in {paragraph_id}"
    return box["x"], box["y"]


def test_a_drag_is_highlighted_across_paragraphs_while_the_button_is_down(context, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    pp3, pp4 = text(fr, PP3), text(fr, PP4)
    head3 = pp3[pp3.index("concern"):]
    editor(fr, "PP2").click()
    fr.mouse.move(*at(fr, PP3, "concern", "start"))
    fr.mouse.down()
    # Over PP4 with the button still down: the selection (what is highlighted and what
    # would be copied) already runs into PP4, not only at the release.
    fr.mouse.move(*at(fr, PP4, "profound", "end"), steps=8)
    wait_ends(fr, PP3, PP4)
    assert fr.evaluate(COPY) == head3 + "\n" + pp4[:pp4.index("profound") + len("profound")]
    # It follows the pointer on into PP5, and back into the paragraph it started in.
    fr.mouse.move(*at(fr, PP5, "serious", "end"), steps=6)
    wait_ends(fr, PP3, PP5)
    fr.mouse.move(*at(fr, PP3, "increased", "end"), steps=6)
    wait_ends(fr, PP3, PP3)
    fr.wait_for_function("() => getSelection().toString() === 'concern over the increased'")
    fr.mouse.move(*at(fr, PP4, "profound", "end"), steps=6)
    wait_ends(fr, PP3, PP4)
    fr.mouse.up()
    wait_ends(fr, PP3, PP4)
    assert fr.evaluate(COPY) == head3 + "\n" + pp4[:pp4.index("profound") + len("profound")]
    # Neither paragraph was changed by the drag.
    assert text(fr, PP3) == pp3 and text(fr, PP4) == pp4


def test_the_keys_that_extend_a_selection_cross_paragraph_boundaries(context, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    ids = fr.evaluate(IDS)
    pp1, pp2, pp3, pp4 = (text(fr, i) for i in (PP1, PP2, PP3, PP4))
    end3 = "deliver improvised explosive devices,"
    assert fr.evaluate(SELECT, [PP3, end3])

    def part4() -> str:
        copied = fr.evaluate(COPY)
        assert copied.startswith(end3 + "\n"), copied
        return copied[len(end3) + 1:]

    # Ctrl+Shift+Right at the paragraph's end (past its footnote mark) goes on into the
    # next, then word by word.
    for _ in range(3):
        fr.keyboard.press("Control+Shift+ArrowRight")
        if "\n" in fr.evaluate(COPY):
            break
    assert part4() == ""
    fr.keyboard.press("Control+Shift+ArrowRight")
    assert part4() == "Expressing"
    wait_ends(fr, PP3, PP4)
    # Shift+End: to the end of the line PP4's focus is on; Shift+Home back to its start.
    fr.keyboard.press("Shift+End")
    line = part4()
    assert line.startswith("Expressing profound concern") and pp4.startswith(line) and len(line) < len(pp4)
    fr.keyboard.press("Shift+Home")
    assert part4() == ""
    # Shift+Down: a line further, at the same place in the line; Shift+Up back.
    fr.keyboard.press("Shift+ArrowDown")
    down = part4()
    assert pp4.startswith(down) and len(down) >= len(line.rstrip())
    fr.keyboard.press("Shift+ArrowUp")
    assert part4() == ""
    # Ctrl+Shift+Down: to the end of the paragraph.
    fr.keyboard.press("Control+Shift+ArrowDown")
    assert part4() == pp4
    # Ctrl+Shift+End: to the end of the draft, every paragraph on the way as printed.
    fr.keyboard.press("Control+Shift+End")
    copied = fr.evaluate(COPY)
    assert copied.startswith(end3 + "\n" + pp4 + "\n") and copied.endswith(text(fr, ids[-1]))
    assert "\n1. " in copied
    wait_ends(fr, PP3, ids[-1])
    # Ctrl+Shift+Home: from the start of the draft to where the selection began.
    fr.keyboard.press("Control+Shift+Home")
    assert fr.evaluate(COPY) == "\n".join([pp1, pp2, pp3[:pp3.index(end3)]])
    wait_ends(fr, PP3, PP1)
    assert text(fr, PP3) == pp3 and text(fr, PP4) == pp4


def test_a_selection_is_kept_when_the_paragraph_it_ends_in_is_moved_or_edited_remotely(context, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    sec = open_draft(context, server, server.tokens[SEC])
    pp3, pp4, pp5 = text(fr, PP3), text(fr, PP4), text(fr, PP5)
    head3 = pp3[pp3.index("concern"):]
    editor(fr, "PP2").click()
    fr.mouse.move(*at(fr, PP3, "concern", "start"))
    fr.mouse.down()
    fr.mouse.move(*at(fr, PP4, "profound", "end"), steps=8)
    fr.mouse.up()
    assert fr.evaluate(COPY) == head3 + "\nExpressing profound"
    # Sam types at the start of PP4, inside the selection: it holds Sam's words.
    editor(sec, "PP4").click()
    sec.keyboard.press("Control+Home")
    sec.keyboard.type("Also ", delay=10)
    wait_text(fr, PP4, "t.startsWith('Also ')")
    assert fr.evaluate(COPY) == head3 + "\nAlso Expressing profound"
    # Sam moves PP4 below PP5: the paragraph is a new copy in the document, the selection
    # still ends after "profound" in it (and so now runs over PP5 too).
    sec.keyboard.press("Alt+Shift+ArrowDown")
    fr.wait_for_function(f"() => {{ const ids = ({IDS})(); return ids.indexOf('{PP4}') === ids.indexOf('{PP5}') + 1 }}")
    wait_ends(fr, PP3, PP4)
    assert fr.evaluate(COPY) == head3 + "\n" + pp5 + "\nAlso Expressing profound"
    # Sam types in the moved paragraph: the selection follows the copy's text from now on.
    sec.keyboard.press("Control+Home")
    sec.keyboard.type("Again ", delay=10)
    wait_text(fr, PP4, "t.startsWith('Again ')")
    assert fr.evaluate(COPY) == head3 + "\n" + pp5 + "\nAgain Also Expressing profound"
    wait_ends(fr, PP3, PP4)
    # Moved back up, it is the selection France made, with Sam's words in it.
    sec.keyboard.press("Alt+Shift+ArrowUp")
    fr.wait_for_function(f"() => {{ const ids = ({IDS})(); return ids.indexOf('{PP4}') === ids.indexOf('{PP3}') + 1 }}")
    wait_ends(fr, PP3, PP4)
    assert fr.evaluate(COPY) == head3 + "\nAgain Also Expressing profound"
    assert text(sec, PP4) == "Again Also " + pp4


def test_a_selection_shrinks_to_what_is_left_when_the_paragraph_it_ends_in_is_deleted_or_joined_remotely(context, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    sec = open_draft(context, server, server.tokens[SEC])
    pp2, pp3, pp4, pp5 = text(fr, PP2), text(fr, PP3), text(fr, PP4), text(fr, PP5)
    word2 = pp2.split()[2]
    head2 = pp2[pp2.index(word2):]
    editor(fr, "PP3").click()
    fr.mouse.move(*at(fr, PP2, word2, "start"))
    fr.mouse.down()
    fr.mouse.move(*at(fr, PP4, "profound", "end"), steps=8)
    fr.mouse.up()
    wait_ends(fr, PP2, PP4)
    assert fr.evaluate(COPY) == head2 + "\n" + pp3 + "\nExpressing profound"
    # Sam deletes PP4: its words, then the empty paragraph (Backspace joins it to PP3).
    editor(sec, "PP4").click()
    sec.keyboard.press("Control+a")
    sec.keyboard.press("Delete")
    wait_text(fr, PP4, "t === ''")
    sec.keyboard.press("Backspace")
    fr.wait_for_function(f"() => !({IDS})().includes('{PP4}')")
    # France's selection is what is left of it: from where it began in PP2 to the end of PP3.
    wait_ends(fr, PP2, PP3)
    assert fr.evaluate(COPY) == head2 + "\n" + pp3
    assert text(sec, PP3) == pp3 and pp4 not in "\n".join(text(fr, i) for i in fr.evaluate(IDS))
    # A new selection from PP2 into PP5; Sam joins PP5 to PP3 (Backspace at its start):
    # the selection still ends after "serious", now in PP3.
    editor(fr, "PP3").click()
    fr.mouse.move(*at(fr, PP2, word2, "start"))
    fr.mouse.down()
    fr.mouse.move(*at(fr, PP5, "serious", "end"), steps=8)
    fr.mouse.up()
    wait_ends(fr, PP2, PP5)
    head5 = pp5[:pp5.index("serious") + len("serious")]
    assert fr.evaluate(COPY) == head2 + "\n" + pp3 + "\n" + head5
    editor(sec, "PP4").click()  # PP5 is labelled PP4 now
    sec.keyboard.press("Control+Home")
    sec.keyboard.press("Backspace")
    fr.wait_for_function(f"() => !({IDS})().includes('{PP5}')")
    wait_ends(fr, PP2, PP3)
    assert fr.evaluate(COPY) == head2 + "\n" + pp3 + head5


# The lines of a paragraph the page's selection covers (its rectangles, those that overlap
# as one: a footnote mark is raised inside its line), and
# the lines of the paragraph's whole text.
LINES = """([id, all]) => { const root = document.querySelector(`.para[data-id="${id}"] .ql-editor`);
  const s = getSelection().rangeCount ? getSelection().getRangeAt(0) : null; const rects = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) { const r = document.createRange(); r.selectNodeContents(t);
    if (!all) { if (!s || !s.intersectsNode(t)) continue;
      if (s.startContainer === t) r.setStart(t, s.startOffset);
      if (s.endContainer === t) r.setEnd(t, s.endOffset) }
    rects.push(...[...r.getClientRects()].filter(b => b.width > 1)) }
  rects.sort((x, y) => x.top - y.top); let n = 0; let bottom = -Infinity;
  for (const b of rects) { if (b.top >= bottom - 1) n++; bottom = Math.max(bottom, b.bottom) } return n }"""

# A page move puts the focus on the line nearest the place a page away, which may be past
# a paragraph's label and tools: how far from that place it may land, in CSS pixels.
SLACK = 120

# Where the focus of the page's selection is, from the top of the document.
FOCUS_Y = """() => { const s = getSelection(); const r = document.createRange(); r.setStart(s.focusNode, s.focusOffset);
  const b = r.getClientRects()[0] || s.focusNode.parentElement.getBoundingClientRect(); return b.top + scrollY }"""


def test_shift_page_down_and_up_carry_the_selection_a_page_across_paragraphs(browser, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(new_context(browser, width=375, height=700), server, server.tokens[FR])
    ids = fr.evaluate(IDS)
    word = text(fr, PP2).split()[0]
    assert fr.evaluate(SELECT, [PP2, word])
    start_y = fr.evaluate(FOCUS_Y)
    page = 700 * 0.875
    # A page down: the selection runs on into the paragraph a page below, as in a word processor.
    fr.keyboard.press("Shift+PageDown")
    ends = fr.evaluate(ENDS)
    assert ends[0] == PP2 and ids.index(ends[1]) > ids.index(PP2) + 1, ends
    one = fr.evaluate(COPY)
    assert one.startswith(word) and "\n" in one
    assert abs(fr.evaluate(FOCUS_Y) - start_y - page) < SLACK
    fr.keyboard.press("Shift+PageDown")
    two = fr.evaluate(COPY)
    assert abs(fr.evaluate(FOCUS_Y) - start_y - 2 * page) < 2 * SLACK
    assert two.startswith(one) and len(two) > len(one)
    assert ids.index(fr.evaluate(ENDS)[1]) >= ids.index(ends[1])
    # And back up, a page at a time, to the paragraph and the words first selected.
    fr.keyboard.press("Shift+PageUp")
    back = fr.evaluate(COPY)
    assert one.startswith(word) and len(back) < len(two)
    fr.keyboard.press("Shift+PageUp")
    wait_ends(fr, PP2, PP2)
    assert fr.evaluate("() => getSelection().toString()").startswith(word)
    assert abs(fr.evaluate(FOCUS_Y) - start_y) < SLACK


def test_shift_down_after_shift_end_and_shift_up_after_shift_home_on_a_wrapped_line_go_one_line(browser, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(new_context(browser, width=375, height=700), server, server.tokens[FR])
    lines4 = fr.evaluate(LINES, [PP4, True])
    assert lines4 >= 4, "PP4 wraps over several lines at 375 px"
    # Inside one paragraph (the browser's moves, ours at its last line): on PP4's
    # second-last line, Shift+End selects to that line's end, then Shift+Down takes in
    # PP4's last line, not the next paragraph.
    editor(fr, "PP4").click()
    fr.keyboard.press("Control+Home")
    for _ in range(lines4 - 2):
        fr.keyboard.press("ArrowDown")
    fr.keyboard.press("Shift+End")
    assert fr.evaluate(LINES, [PP4, False]) == 1
    fr.keyboard.press("Shift+ArrowDown")
    wait_ends(fr, PP4, PP4)
    assert fr.evaluate(LINES, [PP4, False]) == 2
    # And up: from the end of PP4's second line, Shift+Home selects that line, then
    # Shift+Up takes in the first line, not the paragraph above.
    fr.keyboard.press("Control+Home")
    fr.keyboard.press("ArrowDown")
    fr.keyboard.press("End")
    fr.keyboard.press("Shift+Home")
    assert fr.evaluate(LINES, [PP4, False]) == 1
    fr.keyboard.press("Shift+ArrowUp")
    wait_ends(fr, PP4, PP4)
    assert fr.evaluate(LINES, [PP4, False]) == 2
    # Across paragraphs (our moves): from the end of PP3 into PP4's first line, to its
    # end, then a line down at a time.
    pp3 = text(fr, PP3)
    assert fr.evaluate(SELECT, [PP3, "deliver improvised explosive devices,"])
    fr.keyboard.press("Shift+ArrowDown")
    wait_ends(fr, PP3, PP4)
    fr.keyboard.press("Shift+End")
    assert fr.evaluate(LINES, [PP4, False]) == 1
    for n in (2, 3):
        fr.keyboard.press("Shift+ArrowDown")
        assert fr.evaluate(LINES, [PP4, False]) == n
    assert text(fr, PP4) and text(fr, PP3) == pp3


def delete_paragraph(server: Server, paragraph_id: str) -> None:
    """A paragraph deleted from the live document whole, as an accepted amendment or another
    client deletes one (not joined into its neighbour): by the Secretariat's pycrdt client."""
    async def edit() -> None:
        c = await YClient(server.ws(server.tokens[SEC], server.draft_id)).connect()
        try:
            paragraphs = c.doc.get("paragraphs", type=Array)
            del paragraphs[next(i for i, m in enumerate(paragraphs) if m["id"] == paragraph_id)]
            await c.flush()
        finally:
            await c.close()
    # Playwright's sync API holds this thread's event loop: the client runs in a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, edit()).result()


def test_a_selection_whose_start_paragraph_is_deleted_remotely_starts_at_the_next_one(context, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    pp4, pp5 = text(fr, PP4), text(fr, PP5)
    editor(fr, "PP2").click()
    fr.mouse.move(*at(fr, PP3, "concern", "start"))
    fr.mouse.down()
    fr.mouse.move(*at(fr, PP5, "serious", "end"), steps=8)
    fr.mouse.up()
    wait_ends(fr, PP3, PP5)
    head5 = pp5[:pp5.index("serious") + len("serious")]
    # PP3, where it starts, is deleted: it starts at the beginning of PP4, the first
    # paragraph left inside it, and still ends after "serious".
    delete_paragraph(server, PP3)
    fr.wait_for_function(f"() => !({IDS})().includes('{PP3}')")
    wait_ends(fr, PP4, PP5)
    assert fr.evaluate(COPY) == pp4 + "\n" + head5


def test_a_backward_selection_is_kept_backward_across_remote_edits(context, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    sec = open_draft(context, server, server.tokens[SEC])
    pp3, pp4, pp5 = text(fr, PP3), text(fr, PP4), text(fr, PP5)
    # Dragged from "serious" in PP5 back up to "concern" in PP3: the anchor is after the focus.
    editor(fr, "PP2").click()
    fr.mouse.move(*at(fr, PP5, "serious", "end"))
    fr.mouse.down()
    fr.mouse.move(*at(fr, PP3, "concern", "start"), steps=8)
    fr.mouse.up()
    wait_ends(fr, PP5, PP3)
    head3 = pp3[pp3.index("concern"):]
    head5 = pp5[:pp5.index("serious") + len("serious")]
    assert fr.evaluate(COPY) == head3 + "\n" + pp4 + "\n" + head5
    # Sam types before its focus, inside it and after its anchor: the same words are
    # selected, Sam's inside words with them, and it still runs backward.
    for label, words in (("PP3", "Deeply "), ("PP4", "Also "), ("PP5", "Further ")):
        editor(sec, label).click()
        sec.keyboard.press("Control+Home")
        sec.keyboard.type(words, delay=10)
    editor(sec, "PP5").click()
    sec.keyboard.press("Control+End")
    sec.keyboard.type(" Noted.", delay=10)
    wait_text(fr, PP5, "t.endsWith(' Noted.')")
    wait_text(fr, PP3, "t.startsWith('Deeply ')")
    wait_ends(fr, PP5, PP3)
    assert fr.evaluate(COPY) == head3 + "\nAlso " + pp4 + "\nFurther " + head5
    # Its focus is where the keys act: Shift+Ctrl+Left takes in the word before "concern".
    fr.keyboard.press("Control+Shift+ArrowLeft")
    before = pp3[:pp3.index("concern")].split()[-1]
    assert fr.evaluate(COPY) == before + " " + head3 + "\nAlso " + pp4 + "\nFurther " + head5
    wait_ends(fr, PP5, PP3)
    # PP3, where its focus is, is deleted: the focus goes to the start of PP4, the anchor stays.
    delete_paragraph(server, PP3)
    fr.wait_for_function(f"() => !({IDS})().includes('{PP3}')")
    wait_ends(fr, PP5, PP4)
    assert fr.evaluate(COPY) == "Also " + pp4 + "\nFurther " + head5


def append_words(server: Server, paragraph_id: str, words: str) -> None:
    """Words put at the end of a paragraph by the Secretariat's pycrdt client."""
    async def edit() -> None:
        c = await YClient(server.ws(server.tokens[SEC], server.draft_id)).connect()
        try:
            c.insert(paragraph_id, len(str(c.text(paragraph_id))), words)
            await c.flush()
        finally:
            await c.close()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, edit()).result()


def test_a_paragraph_deleted_next_to_one_that_ends_with_its_words_is_not_taken_for_a_join(context, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    pp2, pp3, pp4 = text(fr, PP2), text(fr, PP3), text(fr, PP4)
    word2 = pp2.split()[2]
    head2 = pp2[pp2.index(word2):]
    editor(fr, "PP3").click()
    fr.mouse.move(*at(fr, PP2, word2, "start"))
    fr.mouse.down()
    fr.mouse.move(*at(fr, PP4, "profound", "end"), steps=8)
    fr.mouse.up()
    wait_ends(fr, PP2, PP4)
    assert fr.evaluate(COPY) == head2 + "\n" + pp3 + "\nExpressing profound"
    # PP4's words copied to the end of PP3, then PP4 deleted, each a change of its own: not
    # a join (which is one change), so the selection ends where PP3 ends, as for any
    # deletion, not after the copy of "profound".
    append_words(server, PP3, pp4)
    wait_text(fr, PP3, f"t.endsWith({pp4!r})")
    wait_ends(fr, PP2, PP4)
    delete_paragraph(server, PP4)
    fr.wait_for_function(f"() => !({IDS})().includes('{PP4}')")
    wait_ends(fr, PP2, PP3)
    assert fr.evaluate(COPY) == head2 + "\n" + pp3 + pp4
