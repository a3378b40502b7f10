"""Editorial checks and agreed language drawn on the words of the live editor, in Chromium
(docs/library.md, "In the page"; docs/client.md): a planted editorial error is marked on
its words with the rule's explanation, said in a list under the paragraph and announced,
and goes when it is fixed; a paragraph that cites superseded text is marked on the words
the later resolution changed, brought to the later wording by the Secretariat in one undo
step and proposed by a delegate. The marks are highlights over the editors' words: the
server's Y document is the same before and after they are drawn."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from pycrdt import Array, Map, Text
from sqlalchemy.orm import Session

from browser import PP2, editor, new_context, playwright_api, rest_paragraph, wait_text
from penholder.store import make_engine
from penholder.sync.edits import y_index
from penholder.zero_draft import create_from_prior, secretariat_user
from server import Server
from yclient import YClient

expect = playwright_api.expect if playwright_api else None
FR, DZ, SEC = "Amélie Durand", "Yacine Benali", "Sam Clerk"
PLANTED = " since December 2, 2024"

# The ranges of a highlight as [paragraph id or "footnote N", the words they cover] (a
# footnote mark in them is not a word, as in the REST API).
DRAWN = """name => { const h = CSS.highlights.get(name); if (!h) return [];
  return [...h].map(r => { const f = r.cloneContents(); f.querySelectorAll('sup.fn').forEach(s => s.remove());
    const at = r.startContainer.parentElement.closest('.para, p.footnote');
    return [at.dataset.id || `footnote ${at.querySelector('sup').textContent}`, f.textContent] }) }"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = Server(f"sqlite:///{tmp_path / 'm.db'}")
    s.seed([(FR, "France", "penholder"), (DZ, "Algeria", "delegate"), (SEC, None, "secretariat")])
    s.start()
    yield s
    s.stop()


def open_page(browser, server: Server, who: str, width: int = 1280):  # type: ignore[no-untyped-def]
    page = new_context(browser, width).new_page()
    page.goto(f"{server.http}/#draft={server.draft_id}")
    page.fill("#token", server.tokens[who])
    page.click("#signin button")
    page.wait_for_selector("body[data-ready]", timeout=20000)
    page.wait_for_selector(".para .ql-editor", timeout=20000)
    return page


def live_doc(server: Server, draft_id: int, until: Callable[[dict], bool] | None = None) -> dict[str, list]:  # type: ignore[type-arg]
    """Every paragraph of the server's live Y document: its id, kind, level and text runs
    with their attributes and embeds (once `until` holds of them, if given)."""
    def paragraphs(c: YClient) -> dict[str, list]:  # type: ignore[type-arg]
        return {m["id"]: [m.get("kind"), m.get("level"), [(run, attrs) for run, attrs, *_ in m["text"].diff()]]
                for m in c.doc.get("paragraphs", type=Array)}

    async def read() -> dict[str, list]:  # type: ignore[type-arg]
        c = await YClient(server.ws(server.tokens[SEC], draft_id)).connect()
        try:
            if until is not None:
                await c.wait_for(lambda: until(paragraphs(c)))
            return paragraphs(c)
        finally:
            await c.close()
    # Playwright's sync API holds this thread's event loop: the client runs in a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, read()).result()


def test_a_planted_editorial_error_is_marked_on_its_words_and_the_document_is_untouched(browser, server: Server):  # type: ignore[no-untyped-def]
    fr = open_page(browser, server, FR)
    editor(fr, "PP2").click()
    fr.keyboard.press("Control+End")
    fr.keyboard.press("ArrowLeft")  # before the closing comma
    fr.keyboard.type(PLANTED, delay=5)
    wait_text(fr, PP2, f"t.endsWith({(PLANTED + ',')!r})")
    expect(fr.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    before = live_doc(server, server.draft_id)
    assert any(PLANTED in run for run, _ in before[PP2][2])

    dz = open_page(browser, server, DZ)
    toggle = dz.get_by_role("switch", name="Show editorial checks")
    expect(toggle).to_have_attribute("aria-checked", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-checked", "true")
    # Announced: how many findings, in how many paragraphs.
    expect(dz.get_by_role("status").filter(has_text="Editorial checks:")).to_have_text(
        re.compile(r"^Editorial checks: \d+ findings marked in \d+ paragraphs, 2 in 1 footnote\.$"))
    # The text alternative: a list under the paragraph, the editor's description.
    marks = dz.get_by_role("list", name="Editorial checks on PP2", exact=True)
    date = marks.get_by_role("listitem").filter(has_text="date")
    expect(date).to_contain_text("December 2, 2024")
    expect(date).to_contain_text("2 December 2024")  # the rule's explanation: the UN form
    assert marks.get_attribute("id") in editor(dz, "PP2").get_attribute("aria-describedby").split()
    # On the words: the highlight covers the planted date in PP2, and the other findings
    # (straight quotes in the capture of 79/53) on theirs, each as the API spans it.
    drawn = dz.evaluate(DRAWN, "penholder-check")
    assert [PP2, "December 2, 2024"] in drawn
    checks = server.get(f"/api/drafts/{server.draft_id}/checks", server.tokens[DZ]).json()
    draft = server.get(f"/api/drafts/{server.draft_id}", server.tokens[DZ]).json()
    texts = {f"footnote {n['number']}": n["text"] for n in draft["footnotes"]}
    texts |= {f["paragraph_id"]: rest_paragraph(server, f["paragraph_id"], server.tokens[DZ])["text"]
              for f in checks["findings"] if f["paragraph_id"]}
    expected = sorted([f["paragraph_id"] or f["label"], texts[f["paragraph_id"] or f["label"]][f["span"][0]:f["span"][1]]]
                      for f in checks["findings"])
    assert sorted(drawn) == expected
    # A footnote's findings too: a straight quotation mark in footnote 4, said under it.
    assert ["footnote 4", '"'] in drawn
    expect(dz.get_by_role("list", name="Editorial checks on footnote 4", exact=True)).to_contain_text("typographic quotation marks")
    # Its button selects the words in the editor (a delegate's read-only one too).
    date.get_by_role("button", name="Select “December 2, 2024” in PP2").click()
    assert dz.evaluate("() => getSelection().toString()") == "December 2, 2024"
    # Nothing of it is in the editors' contents, nor in the server's document.
    assert dz.locator(".ql-editor mark, .ql-editor ul, .ql-editor .mark").count() == 0
    assert live_doc(server, server.draft_id) == before

    # Fixed by the penholder: the mark goes from the delegate's page once the checks run
    # again; the delegate's place in another paragraph's list is kept meanwhile.
    op9 = dz.get_by_role("list", name="Editorial checks on OP9", exact=True).get_by_role("button").first
    op9.focus()
    editor(fr, "PP2").click()
    fr.keyboard.press("Control+End")
    fr.keyboard.press("ArrowLeft")
    for _ in PLANTED:
        fr.keyboard.press("Backspace")
    wait_text(fr, PP2, "!t.includes('December 2, 2024')")
    expect(marks.get_by_role("listitem").filter(has_text="December 2, 2024")).to_have_count(0)
    dz.wait_for_function(f"() => !({DRAWN})('penholder-check').some(([id, w]) => w.includes('December'))")
    expect(op9).to_be_focused()
    # Switched off: no mark, no list; the document as the penholder left it.
    toggle.click()
    expect(dz.get_by_role("list", name=re.compile("^Editorial checks on"))).to_have_count(0)
    assert dz.evaluate(DRAWN, "penholder-check") == []
    after = live_doc(server, server.draft_id)
    assert not any("December 2, 2024" in run for run, _ in after[PP2][2])


def from_75_59(server: Server) -> None:
    """The server's draft is now one started from A/RES/75/59, which A/RES/79/53 reworded."""
    engine = make_engine(server.database_url)
    try:
        with Session(engine) as db, db.begin():
            staff = secretariat_user(db).id
        server.draft_id = create_from_prior(engine, "A/RES/75/59", staff).id
    finally:
        engine.dispose()


def test_superseded_wording_is_marked_updated_in_one_undo_step_and_proposed(browser, server: Server):  # type: ignore[no-untyped-def]
    # A draft started from A/RES/75/59: A/RES/79/53 reworded its PP23 ("establishment" -> "work").
    from_75_59(server)
    pp23 = "res-75-59.pp23"
    original = rest_paragraph(server, pp23, server.tokens[SEC])["text"]
    before = live_doc(server, server.draft_id)

    sec = open_page(browser, server, SEC)
    toggle = sec.get_by_role("switch", name="Show agreed language")
    toggle.click()
    expect(sec.get_by_role("status").filter(has_text="Agreed language:")).to_have_text(
        re.compile(r"^Agreed language: \d+ of \d+ paragraphs as adopted, \d+ superseded, \d+ near, \d+ new\.$"), timeout=60000)
    item = sec.get_by_role("list", name="Agreed language of PP23", exact=True).get_by_role("listitem")
    expect(item).to_contain_text("Superseded: cites A/RES/75/59 PP23 (7 December 2020), reworded since in A/RES/79/53 PP23 (2 December 2024)")
    assert [pp23, "establishment"] in sec.evaluate(DRAWN, "penholder-superseded")
    # Agreed paragraphs are marked on all their words, with their source.
    expect(sec.get_by_role("list", name="Agreed language of PP2", exact=True)).to_contain_text("Agreed language: A/RES/79/53 PP2")
    pp2 = rest_paragraph(server, "res-75-59.pp2", server.tokens[SEC])["text"]
    assert ["res-75-59.pp2", pp2.rstrip(",")] in sec.evaluate(DRAWN, "penholder-agreed")
    assert live_doc(server, server.draft_id) == before  # drawing wrote nothing

    # The Secretariat brings PP23 to the later wording: one change, one undo step.
    item.get_by_role("button", name="Update PP23 to the wording of A/RES/79/53 PP23").click()
    updated = original.replace("establishment", "work")
    wait_text(sec, pp23, f"t === {updated!r}")
    expect(sec.get_by_role("status").filter(has_text="updated to the later wording")).to_be_visible()
    expect(sec.get_by_role("list", name="Agreed language of PP23", exact=True)).to_contain_text(
        "Agreed language: A/RES/79/53 PP23", timeout=60000)
    assert rest_paragraph(server, pp23, server.tokens[SEC])["text"] == updated
    sec.get_by_role("button", name="Undo").click()
    wait_text(sec, pp23, f"t === {original!r}")
    expect(sec.get_by_role("list", name="Agreed language of PP23", exact=True)).to_contain_text("Superseded", timeout=60000)
    assert live_doc(server, server.draft_id) == before
    # An update of the opening words puts in the later lead, in italics as leads are.
    sec.get_by_role("list", name="Agreed language of OP23", exact=True).get_by_role(
        "button", name="Update OP23 to the wording of A/RES/79/53 OP22").click()
    wait_text(sec, "res-75-59.op23", "t.startsWith('Requests the Office for Disarmament Affairs')")
    runs = live_doc(server, server.draft_id, until=lambda d: d["res-75-59.op23"][2][0][0].startswith("Requests"))
    assert runs["res-75-59.op23"][2][0] == ("Requests", {"italic": True})
    sec.get_by_role("button", name="Undo").click()  # leaves the document as it was, for what follows
    wait_text(sec, "res-75-59.op23", "t.startsWith('Welcomes')")

    # A delegate proposes it: the Propose form with the words and the later wording.
    dz = open_page(browser, server, DZ, width=375)
    dz.get_by_role("switch", name="Show agreed language").click()
    dz_item = dz.get_by_role("list", name="Agreed language of PP23", exact=True).get_by_role("listitem")
    expect(dz_item).to_contain_text("Superseded", timeout=60000)
    expect(dz_item.get_by_role("button", name=re.compile("^Update"))).to_have_count(0)
    dz_item.get_by_role("button", name="Propose the wording of A/RES/79/53 PP23 on PP23").click()
    form = dz.get_by_role("form", name="Proposal on PP23", exact=True)
    assert form.get_by_label("Text in the paragraph").input_value() == "establishment"
    assert form.get_by_label("New text").input_value() == "work"
    # The switches, the marks and their lists fit a 375 px screen.
    assert dz.evaluate("() => document.documentElement.scrollWidth") <= 375


def test_the_secretariat_updates_a_moved_reference_from_its_mark(browser, server: Server):  # type: ignore[no-untyped-def]
    op10 = "res-79-53.op10"
    cite = ", as set out in paragraph 3 above"
    fr = open_page(browser, server, FR)
    editor(fr, "OP10").click()
    fr.keyboard.press("Control+End")
    fr.keyboard.press("ArrowLeft")  # before the closing semicolon
    fr.keyboard.type(cite, delay=5)
    wait_text(fr, op10, f"t.endsWith({(cite + ';')!r})")
    expect(fr.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    assert server.post(f"/api/drafts/{server.draft_id}/revisions", server.tokens[SEC], json={}).status_code == 201
    # A new OP2: "paragraph 3 above" in what is now OP11 names what is now OP4.
    editor(fr, "OP1").click()
    fr.keyboard.press("Control+End")
    fr.keyboard.press("Enter")
    fr.keyboard.type("Decides to keep the matter under review;", delay=5)
    expect(editor(fr, "OP11")).to_contain_text(cite)

    sec = open_page(browser, server, SEC)
    sec.get_by_role("switch", name="Show editorial checks").click()
    item = sec.get_by_role("list", name="Editorial checks on OP11", exact=True).get_by_role("listitem").filter(has_text="reference")
    expect(item).to_contain_text("it should read 'paragraph 4 above'")
    assert [op10, "3"] in sec.evaluate(DRAWN, "penholder-check")  # the number to change
    # Offered to the Secretariat only: the penholder's page has the mark, not the update.
    fr.get_by_role("switch", name="Show editorial checks").click()
    fr_item = fr.get_by_role("list", name="Editorial checks on OP11", exact=True).get_by_role("listitem").filter(has_text="reference")
    expect(fr_item).to_contain_text("paragraph 4 above")
    expect(fr_item.get_by_role("button", name=re.compile("^Update the references"))).to_have_count(0)
    item.get_by_role("button", name=re.compile(r"^Update the references moved since the last revision")).click()
    expect(sec.get_by_role("status").filter(has_text="References updated")).to_have_text(
        "References updated as a technical change in 1 paragraph.")
    wait_text(sec, op10, "t.endsWith(', as set out in paragraph 4 above;')")
    expect(sec.get_by_role("list", name="Editorial checks on OP11", exact=True)).to_have_count(0)
    history = server.get(f"/api/drafts/{server.draft_id}/history", server.tokens[SEC]).json()["entries"]
    assert history[-1]["origin"] == "technical"


# As DRAWN, for the ranges drawn on a paragraph's redline (Show suggestions) only.
DRAWN_ON_REDLINE = """name => { const h = CSS.highlights.get(name); if (!h) return [];
  return [...h].filter(r => r.startContainer.parentElement.closest('.redline') && r.startContainer.isConnected)
    .map(r => [r.startContainer.parentElement.closest('.para').dataset.id, r.toString()]) }"""


def test_marks_stay_on_the_words_of_a_paragraph_drawn_with_suggestions(browser, server: Server):  # type: ignore[no-untyped-def]
    fr = open_page(browser, server, FR)
    editor(fr, "PP2").click()
    fr.keyboard.press("Control+End")
    fr.keyboard.press("ArrowLeft")  # before the closing comma
    fr.keyboard.type(PLANTED, delay=5)
    wait_text(fr, PP2, f"t.endsWith({(PLANTED + ',')!r})")
    expect(fr.get_by_role("status").filter(has_text="Connected")).to_be_visible()
    filed = server.post(f"/api/drafts/{server.draft_id}/amendments", server.tokens[DZ],
                        json={"operation": "replace_text", "paragraph_id": PP2, "target_text": "increasing use", "new_text": "growing use"})
    assert filed.status_code == 201, filed.text

    dz = open_page(browser, server, DZ, width=375)
    dz.get_by_role("switch", name="Show suggestions").click()
    redline = dz.get_by_role("group", name="PP2 with suggestions")
    expect(redline).to_contain_text("growing use")
    dz.get_by_role("switch", name="Show editorial checks").click()
    marks = dz.get_by_role("list", name="Editorial checks on PP2", exact=True)
    expect(marks.get_by_role("listitem").filter(has_text="date")).to_contain_text("2 December 2024")
    # The planted date is highlighted on the redline's words, which the page shows in place
    # of the editor; the words suggested for insertion are not part of the text marked.
    dz.wait_for_function(f"() => ({DRAWN_ON_REDLINE})('penholder-check').some(([id, w]) => id === '{PP2}' && w === 'December 2, 2024')")
    assert marks.get_attribute("id") in redline.get_attribute("aria-describedby").split()
    # The redline is drawn again when the suggestions change: the marks are drawn on the new one.
    again = server.post(f"/api/drafts/{server.draft_id}/amendments", server.tokens[DZ],
                        json={"operation": "insert_text", "paragraph_id": PP2, "target_text": "devastation", "position": "after",
                              "new_text": " and suffering"})
    assert again.status_code == 201, again.text
    expect(redline).to_contain_text("and suffering")
    dz.wait_for_function(f"() => ({DRAWN_ON_REDLINE})('penholder-check').some(([id, w]) => id === '{PP2}' && w === 'December 2, 2024')")
    # The list's button selects the words where they are shown.
    marks.get_by_role("button", name="Select “December 2, 2024” in PP2").click()
    assert dz.evaluate("() => getSelection().toString()") == "December 2, 2024"
    assert dz.evaluate("() => !!getSelection().anchorNode.parentElement.closest('.redline')")
    assert dz.evaluate("() => document.documentElement.scrollWidth") <= 375


def add_footnote_marks(server: Server, paragraph_id: str, after: list[str]) -> None:
    """Footnote marks put in a paragraph, by the Secretariat's pycrdt client: one after each
    of the words `after` (a new footnote each)."""
    async def edit() -> None:
        c = await YClient(server.ws(server.tokens[SEC], server.draft_id)).connect()
        try:
            for n, word in enumerate(after):
                text = c.text(paragraph_id)
                plain = str(text)
                at = plain.index(word) + len(word)
                with c.doc.transaction():
                    c.doc.get("footnotes", type=Map)[f"fn-test-{n}"] = Text(f"Note {n}.")
                    text.insert_embed(y_index(text, at, after_marks=False), {"footnote": f"fn-test-{n}"})
            await c.flush()
        finally:
            await c.close()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, edit()).result()


def test_an_update_replaces_the_words_around_a_footnote_mark_and_keeps_it(browser, server: Server):  # type: ignore[no-untyped-def]
    # A/RES/79/53 OP22 reworded the opening of A/RES/75/59 OP23:
    # "Welcomes the ongoing management by the Office for Disarmament Affairs, in coordination
    # with other relevant entities, of an" -> "Requests the Office for Disarmament Affairs, in
    # coordination with other relevant entities, to maintain and regularly update the".
    from_75_59(server)
    op23 = "res-75-59.op23"
    add_footnote_marks(server, op23, ["Disarmament Affairs,", "ongoing"])
    original = rest_paragraph(server, op23, server.tokens[SEC])["text"]
    before = live_doc(server, server.draft_id)
    marks_before = [r for r, _ in before[op23][2] if isinstance(r, dict)]
    assert len(marks_before) == 2

    sec = open_page(browser, server, SEC, width=375)
    sec.get_by_role("switch", name="Show agreed language").click()
    item = sec.get_by_role("list", name="Agreed language of OP23", exact=True).get_by_role("listitem")
    expect(item).to_contain_text("Superseded", timeout=60000)
    item.get_by_role("button", name="Update OP23 to the wording of A/RES/79/53 OP22").click()
    wait_text(sec, op23, "t.startsWith('Requests the Office for Disarmament Affairs, in coordination')")
    expect(sec.get_by_role("status").filter(has_text="updated to the later wording")).to_be_visible()
    updated = rest_paragraph(server, op23, server.tokens[SEC])["text"]
    assert updated.startswith("Requests the Office for Disarmament Affairs, in coordination with other relevant entities, "
                              "to maintain and regularly update the")
    # Both marks are still in the paragraph: the one after "Affairs," is still after it, the
    # one after "ongoing" (gone with the words around it) after the word before them.
    runs = live_doc(server, server.draft_id, until=lambda d: str(d[op23][2][0][0]).startswith("Requests"))[op23][2]
    assert runs[0] == ("Requests", {"italic": True})
    assert [r for r, _ in runs if isinstance(r, dict)] == [{"footnote": "fn-test-1"}, {"footnote": "fn-test-0"}]
    after = {r["footnote"]: str(runs[k - 1][0]) for k, (r, _) in enumerate(runs) if isinstance(r, dict)}
    assert after["fn-test-0"].endswith(" Disarmament Affairs,") and after["fn-test-1"] == " the"
    # One undo step gives the paragraph back as it was, marks and all.
    sec.get_by_role("button", name="Undo").click()
    wait_text(sec, op23, f"t === {original!r}")
    assert live_doc(server, server.draft_id, until=lambda d: str(d[op23][2][0][0]).startswith("Welcomes"))[op23] == before[op23]
