"""The live editor in Chromium, two or three pages against a real server: what a
delegate types, selects or undoes is never lost (docs/client.md)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import (IDS, PP2, PP3, SELECT, editor, new_context, open_draft,
                     rest_paragraph, text, wait_text)
from live import LiveServer

FR, EG, DZ, OBS, SEC = "Amélie Durand", "Omar Farouk", "Yacine Benali", "Observer", "Sam Clerk"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    s = LiveServer(f"sqlite:///{tmp_path / 'p.db'}")
    s.seed([(FR, "France", "penholder"), (EG, "Egypt", "penholder"), (DZ, "Algeria", "delegate"),
            (OBS, "Holy See", "observer"), (SEC, None, "secretariat")])
    s.start()
    yield s
    s.stop()


@pytest.fixture
def context(chromium: str, browser):  # type: ignore[no-untyped-def]
    ctx = new_context(browser)
    try:
        yield ctx
    finally:
        ctx.close()


def selected(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate("() => getSelection().toString()")  # type: ignore[no-any-return]


def test_a_selection_survives_remote_edits_and_the_proposal_quotes_it(context, server: LiveServer):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    eg = open_draft(context, server, server.tokens[EG])
    dz = open_draft(context, server, server.tokens[DZ])
    # Algeria selects "increased use" in PP3; France types before it and inside PP2.
    assert dz.evaluate(SELECT, [PP3, "increased use"])
    editor(fr, "PP3").click()
    fr.keyboard.press("Control+Home")
    fr.keyboard.type("Also ", delay=10)
    editor(fr, "PP2").click()
    fr.keyboard.type("xyz", delay=10)
    wait_text(dz, PP3, "t.startsWith('Also ')")
    wait_text(dz, PP2, "t.includes('xyz')")
    assert selected(dz) == "increased use"
    # Egypt's caret survives the same: it keeps typing where it was.
    editor(eg, "PP3").click()
    eg.keyboard.press("Control+End")
    eg.keyboard.type(" [Eg", delay=10)
    editor(fr, "PP3").click()
    fr.keyboard.press("Control+Home")
    fr.keyboard.type("Again ", delay=10)
    wait_text(eg, PP3, "t.startsWith('Again ')")
    eg.keyboard.type("ypt]", delay=10)
    wait_text(fr, PP3, "t.endsWith(' [Egypt]')")
    # The quote is what Algeria selected, though the paragraph changed meanwhile.
    dz.get_by_role("button", name="Propose on PP3", exact=True).click()
    form = dz.get_by_role("form", name="Proposal on PP3", exact=True)
    assert form.get_by_label("Text in the paragraph").input_value() == "increased use"
    assert rest_paragraph(server, PP3, server.tokens[OBS])["text"].startswith("Again Also ")


def test_undo_and_redo_take_back_only_the_users_own_changes(context, server: LiveServer):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    eg = open_draft(context, server, server.tokens[EG])
    original = text(fr, PP2)
    # Each person's words in one input, so that each is one undo step whatever the pace of
    # the machine (typed, a pause of over half a second between two keys splits them).
    editor(fr, "PP2").click()
    fr.keyboard.press("Control+End")
    fr.keyboard.insert_text(" [France]")
    editor(eg, "PP2").click()
    eg.keyboard.press("Control+Home")
    eg.keyboard.insert_text("[Egypt] ")
    wait_text(fr, PP2, "t.startsWith('[Egypt] ') && t.endsWith(' [France]')")
    both = "[Egypt] " + original + " [France]"
    # Ctrl+Z in France's page: France's words go, Egypt's stay, in every page.
    fr.keyboard.press("Control+z")
    for page in (fr, eg):
        wait_text(page, PP2, f"t === {('[Egypt] ' + original)!r}")
    fr.keyboard.press("Control+Shift+z")
    wait_text(eg, PP2, f"t === {both!r}")
    fr.keyboard.press("Control+z")
    wait_text(eg, PP2, "!t.includes('[France]')")
    fr.keyboard.press("Control+y")
    wait_text(eg, PP2, f"t === {both!r}")
    # The browser's own history events (its menu) do the same.
    undo_event = """kind => document.querySelector('[aria-label="PP2"]').dispatchEvent(
        new InputEvent('beforeinput', {inputType: kind, bubbles: true, cancelable: true}))"""
    fr.evaluate(undo_event, "historyUndo")
    wait_text(eg, PP2, "!t.includes('[France]') && t.startsWith('[Egypt] ')")
    fr.evaluate(undo_event, "historyRedo")
    wait_text(eg, PP2, f"t === {both!r}")
    # Egypt's undo takes back Egypt's words only.
    eg.keyboard.press("Control+z")
    wait_text(fr, PP2, f"t === {(original + ' [France]')!r}")
    assert rest_paragraph(server, PP2, server.tokens[OBS])["text"] == original + " [France]"


def test_the_lead_stays_the_italic_run_and_ctrl_i_sets_it(context, server: LiveServer):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    eg = open_draft(context, server, server.tokens[EG])
    lead = "Also Expressing grave concern"  # typed at its start, "Also " joins the lead
    editor(fr, "PP2").click()
    fr.keyboard.press("Control+Home")
    fr.keyboard.type("Also ", delay=10)
    wait_text(eg, PP2, "t.startsWith('Also Expressing')")
    # After the lead too: typed right after its last letter.
    assert fr.evaluate(SELECT, [PP2, " over the"])
    fr.keyboard.press("ArrowLeft")
    fr.keyboard.type(" deep", delay=10)
    wait_text(eg, PP2, "t.includes('concern deep over')")
    for page in (fr, eg):
        page.wait_for_function("want => document.querySelector('[aria-label=\"PP2\"] em').textContent === want",
                               arg=lead)
        assert page.locator('[aria-label="PP2"] em').count() == 1
    assert rest_paragraph(server, PP2, server.tokens[OBS])["lead"] == lead
    # Select "Also Expressing" and press Ctrl+I: that is the lead now, for the server too.
    assert fr.evaluate(SELECT, [PP2, "Also Expressing"])
    fr.keyboard.press("Control+i")
    eg.wait_for_function("() => document.querySelector('[aria-label=\"PP2\"] em').textContent === 'Also Expressing'")
    assert rest_paragraph(server, PP2, server.tokens[OBS])["lead"] == "Also Expressing"
    # The button does the same for the selection, and is named for its paragraph.
    assert fr.evaluate(SELECT, [PP2, "Also"])
    fr.get_by_role("button", name="Set the lead of PP2").click()
    eg.wait_for_function("() => document.querySelector('[aria-label=\"PP2\"] em').textContent === 'Also'")
    assert rest_paragraph(server, PP2, server.tokens[OBS])["lead"] == "Also"


def test_paste_inserts_plain_text_on_one_line(context, server: LiveServer):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    eg = open_draft(context, server, server.tokens[EG])
    ids = fr.evaluate(IDS)
    editor(fr, "PP3").click()
    fr.keyboard.press("Control+End")
    fr.evaluate("""() => { const dt = new DataTransfer();
        dt.setData('text/plain', ' pasted line one\\r\\nline two\\n\\n\\tthree');
        dt.setData('text/html', '<p><b>pasted line one</b></p><p>line two</p><h1>three</h1>');
        document.querySelector('[aria-label="PP3"]').dispatchEvent(
          new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true})) }""")
    wait_text(eg, PP3, "t.endsWith('devices, pasted line one line two three')")
    assert fr.evaluate(IDS) == ids and eg.evaluate(IDS) == ids  # no new paragraph
    assert fr.locator('[aria-label="PP3"] b, [aria-label="PP3"] strong, [aria-label="PP3"] h1').count() == 0
    assert fr.locator('[aria-label="PP3"] p').count() == 1
    para = rest_paragraph(server, PP3, server.tokens[OBS])
    assert para["text"].endswith("devices, pasted line one line two three")
    assert para["lead"] == "Expressing concern"


def test_penholders_split_join_move_and_indent_paragraphs_each_one_undo_step(context, server: LiveServer):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    sec = open_draft(context, server, server.tokens[SEC])
    ids = fr.evaluate(IDS)
    original = text(fr, PP3)
    # Enter in the middle of PP3: its tail is a new PP4 with a fresh id, in both pages.
    assert fr.evaluate(SELECT, [PP3, "including new trends"])
    fr.keyboard.press("ArrowLeft")
    fr.keyboard.press("Enter")
    sec.wait_for_function(f"n => ({IDS})().length === n", arg=len(ids) + 1)
    new_ids = sec.evaluate(IDS)
    added = new_ids[new_ids.index(PP3) + 1]
    assert added not in ids and added.startswith("p-") and len(set(new_ids)) == len(new_ids)
    wait_text(sec, added, "t.startsWith('including new trends')")
    assert text(sec, PP3) == original[:original.index("including new trends")]
    assert editor(sec, "PP4").inner_text().startswith("including new trends")
    # The caret is at the start of the new paragraph: typing goes there.
    fr.keyboard.type("And ", delay=10)
    wait_text(sec, added, "t.startsWith('And including')")
    # Backspace at its start joins it back to PP3 (after undoing the typing).
    fr.keyboard.press("Control+z")
    wait_text(sec, added, "t.startsWith('including')")
    fr.keyboard.press("Home")
    fr.keyboard.press("Backspace")
    sec.wait_for_function(f"n => ({IDS})().length === n", arg=len(ids))
    wait_text(sec, PP3, f"t === {original!r}")
    # One Ctrl+Z undoes the join, another the split.
    fr.keyboard.press("Control+z")
    sec.wait_for_function(f"n => ({IDS})().length === n", arg=len(ids) + 1)
    fr.keyboard.press("Control+z")
    sec.wait_for_function(f"n => ({IDS})().length === n", arg=len(ids))
    wait_text(sec, PP3, f"t === {original!r}")
    # The Secretariat moves PP3 down, makes it operative, indents it: one step each.
    editor(sec, "PP3").click()
    sec.get_by_role("button", name="Move PP3 down").click()
    fr.wait_for_function(f"([ids, a]) => ({IDS})().indexOf(a) === ids.indexOf(a) + 1", arg=[ids, PP3])
    assert text(fr, PP3) == original
    sec.get_by_role("button", name="Move PP4 up").click()
    fr.wait_for_function(f"ids => JSON.stringify(({IDS})()) === JSON.stringify(ids)", arg=ids)
    last_pp = [i for i in ids if ".pp" in i][-1]
    editor(sec, f"PP{len([i for i in ids if '.pp' in i])}").click()
    sec.get_by_role("button", name=f"Make PP{len([i for i in ids if '.pp' in i])} operative").click()
    # The draft had an OP1 already: wait for the label on the paragraph made operative.
    fr.locator(f'.para[data-id="{last_pp}"] [aria-label="OP1"]').wait_for()
    sec.get_by_role("button", name="Make OP1 preambular").click()
    fr.locator(f'.para[data-id="{last_pp}"] [aria-label="PP{len([i for i in ids if ".pp" in i])}"]').wait_for()
    editor(sec, "OP2").click()
    sec.get_by_role("button", name="Indent OP2").click()
    editor(fr, "OP1 (a)").wait_for()
    sec.keyboard.press("Control+z")
    editor(fr, "OP2").wait_for()
    # The same from the keyboard, the caret staying in the paragraph: Alt+Shift+Right
    # indents, Alt+Shift+Down moves down, Alt+Shift+Left outdents.
    editor(sec, "OP2").click()
    sec.keyboard.press("Alt+Shift+ArrowRight")
    editor(fr, "OP1 (a)").wait_for()
    assert sec.evaluate("() => document.activeElement.getAttribute('aria-label')") == "OP1 (a)"
    sec.keyboard.press("Alt+Shift+ArrowLeft")
    editor(fr, "OP2").wait_for()
    sec.keyboard.press("Alt+Shift+ArrowDown")
    fr.wait_for_function(f"([ids, a]) => ({IDS})().indexOf(a) === ids.indexOf(a) + 1",
                         arg=[ids, ids[ids.index(last_pp) + 2]])
    assert sec.evaluate("() => document.activeElement.getAttribute('aria-label')") == "OP3"
    # Each step is attributed to its author in the history.
    history = server.get(f"/api/drafts/{server.draft_id}/history", server.tokens[OBS]).json()
    users = {e["user"] for e in history["entries"] if not e["technical"]}
    assert {FR, SEC} <= users


def test_a_composition_in_progress_is_not_disturbed_by_remote_edits(context, server: LiveServer):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    eg = open_draft(context, server, server.tokens[EG])
    original = text(fr, PP2)
    editor(fr, "PP2").click()
    fr.keyboard.press("Control+End")
    cdp = context.new_cdp_session(fr)
    # An input method composes 日本 in France's page, as a Japanese keyboard would...
    cdp.send("Input.imeSetComposition", {"text": "に", "selectionStart": 1, "selectionEnd": 1})
    cdp.send("Input.imeSetComposition", {"text": "にほ", "selectionStart": 2, "selectionEnd": 2})
    # ...while Egypt types at the start of the same paragraph and in another one.
    editor(eg, "PP2").click()
    eg.keyboard.press("Control+Home")
    eg.keyboard.type("[Egypt] ", delay=10)
    editor(eg, "PP3").click()
    eg.keyboard.type("zz", delay=10)
    wait_text(fr, PP3, "t.includes('zz')")  # other paragraphs take remote edits at once
    wait_text(eg, PP2, "t.startsWith('[Egypt] ')")
    # The composing paragraph holds the composition as the input method left it (Egypt's
    # words come in when it ends), the caret in it.
    assert text(fr, PP2) == original + "にほ"
    assert fr.evaluate("() => document.querySelector('[aria-label=\"PP2\"]').contains(getSelection().anchorNode)")
    cdp.send("Input.imeSetComposition", {"text": "にほん", "selectionStart": 3, "selectionEnd": 3})
    cdp.send("Input.insertText", {"text": "日本"})
    want = "[Egypt] " + original + "日本"
    for page in (fr, eg):
        wait_text(page, PP2, f"t === {want!r}")
    assert rest_paragraph(server, PP2, server.tokens[OBS])["text"] == want


# Whether another person's caret is drawn in a paragraph right after `words` (within 2 px).
CARET_AFTER = """([id, words]) => { const root = document.querySelector(`.para[data-id="${id}"] .ql-editor`);
  const caret = document.querySelector(`.para[data-id="${id}"] .ql-cursor-caret`); if (!caret) return false;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) { const at = n.data.indexOf(words); if (at < 0) continue;
    const r = document.createRange(); r.setStart(n, at + words.length); const x = r.getClientRects()[0].left;
    const c = caret.getBoundingClientRect(); return Math.abs(c.left + c.width / 2 - x) <= 2 }
  return false }"""


def test_remote_carets_and_selections_show_the_persons_name_in_the_delegations_colour(context, server: LiveServer):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    eg = open_draft(context, server, server.tokens[EG])
    dz = open_draft(context, server, server.tokens[DZ])
    assert fr.evaluate(SELECT, [PP3, "increased use"])
    cursor = f'.para[data-id="{PP3}"] .ql-cursor'
    for page in (eg, dz):
        page.wait_for_selector(f"{cursor} .ql-cursor-name:text-is('Amélie Durand (France)')", state="attached",
                               timeout=10000)
        # a selection is drawn, not only a caret
        page.wait_for_function(f"() => document.querySelectorAll('{cursor} .ql-cursor-selection-block').length > 0")
    # The colour is the delegation's: the same in the list of people and in every page.
    colour = eg.eval_on_selector(f"{cursor} .ql-cursor-caret", "e => getComputedStyle(e).backgroundColor")
    assert colour == dz.eval_on_selector(f"{cursor} .ql-cursor-caret", "e => getComputedStyle(e).backgroundColor")
    listed = eg.get_by_role("list", name="Also here").get_by_text("Amélie Durand (France)")
    assert listed.evaluate("e => getComputedStyle(e).borderLeftColor") == colour
    # The caret moves with its owner (typing elsewhere), and the name is the server's: a
    # page cannot pass itself off as another delegation.
    editor(fr, "PP2").click()
    eg.wait_for_selector(f'.para[data-id="{PP2}"] .ql-cursor-name:text-is("Amélie Durand (France)")', state="attached",
                         timeout=10000)
    eg.wait_for_selector(cursor, state="detached", timeout=10000)
    assert eg.locator(".ql-cursor-name:text-is('Amélie Durand (France)')").count() == 1
    # A remote edit before the caret moves it with the text, not the index.
    before = eg.eval_on_selector(f'.para[data-id="{PP2}"] .ql-cursor-caret-container', "e => e.style.left + e.style.top")
    editor(eg, "PP2").click()
    eg.keyboard.press("Control+Home")
    eg.keyboard.type("Moved ", delay=10)
    eg.wait_for_function("before => document.querySelector('.para[data-id=\"res-79-53.pp2\"] .ql-cursor-caret-container')"
                         ".style.left + document.querySelector('.para[data-id=\"res-79-53.pp2\"] .ql-cursor-caret-container').style.top"
                         " !== before", arg=before)
    # Egypt's caret follows Egypt's typing in France's page: it stands after "Moved ".
    fr.wait_for_function(CARET_AFTER, arg=[PP2, "Moved "])
    # Leaving the paragraphs removes the caret in the others' pages.
    fr.get_by_role("heading", level=1).click()
    eg.wait_for_selector(".ql-cursor-name:text-is('Amélie Durand (France)')", state="detached", timeout=10000)


def test_edits_made_offline_survive_a_reload_and_merge_on_reconnect(context, server: LiveServer):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    status = fr.get_by_role("status").filter(has_text="Connected")
    status.wait_for()
    original = text(fr, PP2)
    server.stop()
    fr.get_by_role("status").filter(has_text="Reconnecting").wait_for(timeout=15000)
    editor(fr, "PP2").click()
    fr.keyboard.press("Control+End")
    fr.keyboard.type(" [written offline]", delay=10)
    fr.get_by_role("status").filter(has_text="unsynced changes").wait_for()
    # The status stays in view wherever the page is scrolled.
    fr.mouse.wheel(0, 4000)
    assert fr.get_by_role("status").filter(has_text="unsynced changes").is_visible()
    box = fr.get_by_role("status").filter(has_text="unsynced").bounding_box()
    assert box is not None and 0 <= box["y"] <= fr.viewport_size["height"] - box["height"]
    # Closing the page warns.
    with fr.expect_event("dialog") as asked:
        fr.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()  # the user stays
    assert not fr.is_closed() and text(fr, PP2).endswith("[written offline]")
    fr.close()  # and then leaves anyway (the browser keeps the edit)
    # Meanwhile Egypt edits the same paragraph on the server, started again.
    server.start()
    eg = open_draft(context, server, server.tokens[EG])
    editor(eg, "PP2").click()
    eg.keyboard.press("Control+Home")
    eg.keyboard.type("[Egypt] ", delay=10)
    # France opens the page again: its offline words are there and reach the server and Egypt.
    fr = open_draft(context, server, server.tokens[FR])
    want = "[Egypt] " + original + " [written offline]"
    for page in (fr, eg):
        wait_text(page, PP2, f"t === {want!r}", timeout=15000)
    fr.get_by_role("status").filter(has_text="Connected").wait_for()
    assert rest_paragraph(server, PP2, server.tokens[OBS])["text"] == want
    # Nothing unsynced: leaving warns no more (a dialog would keep the page open).
    with fr.expect_event("close", timeout=10000):
        fr.close(run_before_unload=True)


def test_names_announcements_focus_and_a_375_px_screen(context, server: LiveServer):  # type: ignore[no-untyped-def]
    failed: list[str] = []
    dz = open_draft(context, server, server.tokens[DZ])
    dz.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    dz.reload()
    dz.wait_for_selector("body[data-ready]")
    dz.get_by_role("status").filter(has_text="Connected").wait_for()
    assert failed == []  # the icon included: no 404 on load
    assert server.get("/favicon.svg").status_code == 200
    # The header says what each role does; only observers are read-only.
    assert "delegate: proposes amendments" in dz.inner_text("#whoami")
    assert "read-only" not in dz.inner_text("#whoami")
    obs = open_draft(context, server, server.tokens[OBS])
    assert "read-only" in obs.inner_text("#whoami")
    assert editor(obs, "PP2").get_attribute("aria-readonly") == "true"
    # Every paragraph's editor is named by its label, subparagraphs too (France makes OP2
    # the first subparagraph of OP1).
    fr = open_draft(context, server, server.tokens[FR])
    editor(fr, "OP2").click()
    fr.get_by_role("button", name="Indent OP2").click()
    n = 1
    editor(dz, "OP1 (a)").wait_for()
    for name in ("PP1", f"OP{n}", f"OP{n} (a)"):
        assert editor(dz, name).count() == 1, name
    # An error is announced (role alert), and kept out of the way of what was typed.
    dz.get_by_role("button", name=f"Propose on OP{n} (a)").click()
    form = dz.get_by_role("form", name=f"Proposal on OP{n} (a)")
    form.get_by_label("Text in the paragraph").fill("words this paragraph never had")
    form.get_by_label("New text").fill("other words")
    form.get_by_role("button", name="Submit").click()
    dz.get_by_role("alert").filter(has_text="the target text is not in").wait_for()
    # Cancel gives the focus back to the button that opened the form.
    form.get_by_role("button", name="Cancel").click()
    assert dz.evaluate("() => document.activeElement.getAttribute('aria-label')") == f"Propose on OP{n} (a)"
    # A filed proposal is announced (role status), and the notice goes with the next action.
    assert dz.evaluate(SELECT, [PP3, "increased"])
    dz.get_by_role("button", name="Propose on PP3", exact=True).click()
    form = dz.get_by_role("form", name="Proposal on PP3", exact=True)
    form.get_by_label("New text").fill("growing")
    form.get_by_role("button", name="Submit").click()
    notice = dz.get_by_role("status").filter(has_text="Filed as No. 1")
    notice.wait_for()
    dz.get_by_role("button", name="Withdraw No. 1").wait_for()
    dz.get_by_role("button", name="Propose on PP2", exact=True).click()
    notice.wait_for(state="detached")
    dz.get_by_role("form", name="Proposal on PP2", exact=True).get_by_role("button", name="Cancel").click()
    # At 375 px the text is readable and every action reachable, nothing off to the side.
    dz.set_viewport_size({"width": 375, "height": 800})
    dz.wait_for_function("() => document.documentElement.scrollWidth <= 375")
    box = editor(dz, "PP3").bounding_box()
    assert box is not None and box["width"] >= 300 and box["x"] >= 0
    for name in ("Propose on PP3", "Withdraw No. 1"):
        b = dz.get_by_role("button", name=name, exact=True)
        b.scroll_into_view_if_needed()
        bb = b.bounding_box()
        assert bb is not None and bb["x"] >= 0 and bb["x"] + bb["width"] <= 375, name
    fr.set_viewport_size({"width": 375, "height": 800})
    editor(fr, "PP3").click()
    for name in ("Move PP3 up", "Move PP3 down", "Make PP3 operative", "Indent PP3", "Undo", "Redo"):
        bb = fr.get_by_role("button", name=name, exact=True).bounding_box()
        assert bb is not None and bb["x"] >= 0 and bb["x"] + bb["width"] <= 375, name
    assert fr.evaluate("() => document.documentElement.scrollWidth") <= 375
