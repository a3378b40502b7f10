"""Agreed language and the library in Chromium, found by role and name (docs/library.md,
docs/client.md): a delegate selects words and sees where they were agreed, quotes the
wording into a proposal whose form and card say where it comes from; a penholder inserts
the agreed wording in its text; the Secretariat uploads a resolution to the library
(progress, a 413 and a 422 in its own words) and sees the checks before tabling a draft."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import SELECT, editor, new_context, open_draft, playwright_api, rest_paragraph, wait_text
from live import serving
from server import ROOT, Server

expect = playwright_api.expect if playwright_api else None
FR, DZ, SEC, FAC = "Amélie Durand", "Yacine Benali", "Sam Clerk", "Lena Berg"
PP2, PP3, PP7 = "res-79-53.pp2", "res-79-53.pp3", "res-79-53.pp7"
AGREED = "countering the threat posed by improvised explosive devices"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with serving(f"sqlite:///{tmp_path / 'l.db'}", [(FR, "France", "penholder"), (DZ, "Algeria", "delegate"),
                                                    (SEC, None, "secretariat"), (FAC, None, "facilitator")]) as s:
        yield s


@pytest.fixture
def context(browser):  # type: ignore[no-untyped-def]
    return new_context(browser)  # closed with the others after the test


def console(context, server: Server, who: str, width: int = 1280):  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(f"{server.http}/console.html#draft={server.draft_id}")
    page.get_by_label("Token").fill(server.tokens[who])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("region", name="Proposals")).to_contain_text(re.compile(r"\d+ of \d+ proposals"),
                                                                         timeout=15000)
    return page


def test_a_delegate_selects_words_sees_their_sources_and_proposes_the_agreed_wording(context, server: Server):  # type: ignore[no-untyped-def]
    dz = open_draft(context, server, server.tokens[DZ])
    assert dz.evaluate(SELECT, [PP7, AGREED])
    dz.get_by_role("button", name="Find agreed language on PP7", exact=True).click()
    panel = dz.get_by_role("region", name="Agreed language")
    expect(panel.get_by_role("status")).to_contain_text(re.compile(r"\d+ exact and \d+ near match"))
    expect(panel).to_contain_text("selected in PP7")
    first = panel.get_by_role("listitem").first
    expect(first).to_contain_text("A/RES/79/53 PP7")
    expect(first).to_contain_text("2 December 2024")
    expect(first).to_contain_text("exact")
    assert first.locator("mark").inner_text().lower() == AGREED
    # The keyboard shortcut, on words of a paragraph the delegate cannot edit.
    assert dz.evaluate(SELECT, [PP3, "improvised explosive devices, including"])
    dz.keyboard.press("Alt+Shift+A")
    expect(panel).to_contain_text("selected in PP3")
    expect(panel.get_by_role("listitem").first.locator("mark")).to_have_text(
        re.compile("improvised explosive devices, including", re.I))
    # Quoted into a proposal: the words selected replaced by the adopted ones.
    assert dz.evaluate(SELECT, [PP3, "detonation of improvised explosive devices"])
    dz.keyboard.press("Alt+Shift+A")
    expect(panel).to_contain_text("detonation of improvised explosive devices selected in PP3")
    panel.get_by_role("button", name="Propose the wording of A/RES/79/53 PP3 on PP3", exact=True).click()
    form = dz.get_by_role("form", name="Proposal on PP3", exact=True)
    assert form.get_by_label("Text in the paragraph").input_value() == "detonation of improvised explosive devices"
    assert form.get_by_label("New text").input_value() == "detonation of improvised explosive devices"
    expect(form.get_by_role("status")).to_contain_text("Agreed language: A/RES/79/53")
    # New wording typed in the form is checked as it is typed.
    form.get_by_label("New text").fill("kites flown over every capital on the international day")
    expect(form.get_by_role("status")).to_have_text("New language: no adopted resolution holds this wording")
    form.get_by_label("New text").fill(AGREED.replace("threat", "danger"))
    expect(form.get_by_role("status")).to_contain_text(re.compile(r"Close to agreed language: A/RES/79/53 \S+ \(2 December 2024\), 88 % alike"))
    form.get_by_role("button", name="Submit").click()
    card = dz.get_by_role("group", name=re.compile(r"^Proposal No\. \d+ on PP3$"))
    expect(card).to_contain_text("Close to agreed language: A/RES/79/53")
    # The panel closes by its button; a phrase of common words only is refused in words.
    assert dz.evaluate(SELECT, [PP3, "of the"])
    dz.get_by_role("button", name="Find agreed language on PP3", exact=True).click()
    expect(panel.get_by_role("alert")).to_contain_text("common words")
    panel.get_by_role("button", name="Close agreed language").click()
    expect(panel).to_be_hidden()


def test_a_penholder_inserts_the_agreed_wording_in_its_text(context, server: Server):  # type: ignore[no-untyped-def]
    fr = open_draft(context, server, server.tokens[FR])
    typed = " " + AGREED.replace("threat", "danger")
    editor(fr, "PP2").click()
    fr.keyboard.press("Control+End")
    fr.keyboard.type(typed, delay=5)
    wait_text(fr, PP2, f"t.endsWith({typed!r})")
    assert fr.evaluate(SELECT, [PP2, typed.strip()])
    fr.keyboard.press("Alt+Shift+A")
    panel = fr.get_by_role("region", name="Agreed language")
    expect(panel.get_by_role("listitem").first).to_contain_text("88 % alike")
    panel.get_by_role("button", name="Insert the wording of A/RES/79/53 PP7 in PP2", exact=True).click()
    wait_text(fr, PP2, f"t.endsWith(' {AGREED}')")
    sec_token = server.tokens[SEC]
    assert rest_paragraph(server, PP2, sec_token)["text"].endswith(" " + AGREED)


def test_the_panel_fits_a_375_px_screen(context, server: Server):  # type: ignore[no-untyped-def]
    dz = open_draft(context, server, server.tokens[DZ])
    dz.set_viewport_size({"width": 375, "height": 800})
    assert dz.evaluate(SELECT, [PP7, AGREED])
    dz.get_by_role("button", name="Find agreed language on PP7", exact=True).click()
    panel = dz.get_by_role("region", name="Agreed language")
    expect(panel.get_by_role("listitem").first).to_contain_text("A/RES/79/53")
    assert dz.evaluate("() => document.documentElement.scrollWidth") <= 375


def test_the_secretariat_uploads_a_resolution_with_progress_and_errors_in_words(context, server: Server, tmp_path: Path):  # type: ignore[no-untyped-def]
    page = console(context, server, SEC)
    library = page.get_by_role("region", name="Library of adopted resolutions")
    resolutions = library.get_by_role("table", name="Adopted resolutions")
    expect(resolutions).to_contain_text("A/RES/79/53")
    form = library.get_by_role("form", name="Add an adopted resolution")
    upload = form.get_by_label("Adopted resolution (text, Markdown, Word or PDF)")
    # A list of proposals is not an adopted resolution: 422, in the server's words.
    upload.set_input_files(str(ROOT / "tests" / "data" / "proposals_79_53.txt"))
    form.get_by_role("button", name="Upload to the library").click()
    expect(form.get_by_role("alert")).to_have_text(
        re.compile(r"^proposals_79_53\.txt was not added: .*not a resolution"))
    # Over the size limit: 413, in the server's words.
    huge = tmp_path / "huge.pdf"
    huge.write_bytes(b"%PDF" + b"0" * 21_000_000)
    upload.set_input_files(str(huge))
    form.get_by_role("button", name="Upload to the library").click()
    expect(form.get_by_role("alert")).to_contain_text(re.compile(r"^huge\.pdf was not added: .*(too large|size limit)"),
                                                      timeout=30000)
    # A real resolution: added, announced, listed.
    upload.set_input_files(str(ROOT / "tests" / "data" / "corpus" / "pdf" / "A_RES_68_262.pdf"))
    form.get_by_role("button", name="Upload to the library").click()
    expect(form.get_by_role("status")).to_contain_text(re.compile(r"A/RES/68/262 added to the library: \d+ paragraphs"),
                                                       timeout=30000)
    expect(form.get_by_role("alert")).to_be_hidden()
    expect(resolutions).to_contain_text("A/RES/68/262")
    # Searchable at once from the editor's API.
    found = server.get("/api/library/search", server.tokens[DZ], params={"q": "territorial integrity of Ukraine"}).json()
    assert any(r["symbol"] == "A/RES/68/262" for r in found["results"])


def test_only_those_the_roles_allow_see_the_upload(context, server: Server):  # type: ignore[no-untyped-def]
    fac = console(context, server, FAC)
    expect(fac.get_by_role("form", name="Add an adopted resolution")).to_be_visible()
    dz = console(context, server, DZ)
    library = dz.get_by_role("region", name="Library of adopted resolutions")
    expect(library.get_by_role("table", name="Adopted resolutions")).to_contain_text("A/RES/79/53")
    expect(library.get_by_role("form", name="Add an adopted resolution")).to_have_count(0)


def test_the_secretariat_sees_the_checks_first_and_tables_anyway(context, server: Server):  # type: ignore[no-untyped-def]
    # A planted editorial error: an operative paragraph that does not end with a semicolon.
    fr = open_draft(context, server, server.tokens[FR])
    editor(fr, "OP1").click()
    fr.keyboard.press("Control+End")
    fr.keyboard.press("Backspace")
    wait_text(fr, "res-79-53.op1", "!t.endsWith(';')")
    page = console(context, server, SEC)
    tabling = page.get_by_role("region", name="Tabling")
    expect(tabling).to_contain_text("Not tabled yet.")
    tabling.get_by_label("L. symbol").fill("A/C.1/81/L.5")
    tabling.get_by_role("button", name="Check and table").click()
    dialog = page.get_by_role("dialog", name="Table the draft as A/C.1/81/L.5")
    # a search per paragraph: on a loaded machine this takes seconds
    expect(dialog.get_by_role("status")).to_contain_text(re.compile(r"^\d+ findings in \d+ paragraphs"), timeout=60000)
    # First which paragraphs are not agreed language as adopted: the rollover updated PP1.
    expect(dialog).to_contain_text(re.compile(r"Agreed language: \d+ of \d+ paragraphs as adopted; 0 cite superseded text"))
    departed = dialog.get_by_role("list", name="Paragraphs not in agreed language")
    expect(departed.locator("li[data-label='PP1']")).to_contain_text(
        re.compile(r"departs from A/RES/79/53 PP1 \(2 December 2024\), \d+ % alike"))
    checks = dialog.get_by_role("list", name="Editorial checks")
    op1 = checks.locator("li[data-label='OP1']")
    expect(op1).to_contain_text("op-end")
    expect(op1).to_contain_text("semicolon")
    expect(checks).to_contain_text("quotes")
    dialog.get_by_role("button", name="Table anyway").click()
    expect(page.get_by_role("status").filter(has_text="Tabled as")).to_contain_text("Tabled as A/C.1/81/L.5, with")
    expect(tabling).to_contain_text("Tabled as A/C.1/81/L.5.")
    assert server.get(f"/api/drafts/{server.draft_id}", server.tokens[SEC]).json()["symbol"] == "A/C.1/81/L.5"


def test_tabling_is_offered_to_the_secretariat_only(context, server: Server):  # type: ignore[no-untyped-def]
    fr = console(context, server, FR)
    tabling = fr.get_by_role("region", name="Tabling")
    expect(tabling).to_contain_text("The Secretariat tables the draft")
    expect(tabling.get_by_role("button", name="Check and table")).to_have_count(0)


def test_the_console_sections_fit_a_375_px_screen(context, server: Server):  # type: ignore[no-untyped-def]
    page = console(context, server, SEC, width=375)
    page.get_by_role("link", name="Library").click()
    library = page.get_by_role("region", name="Library of adopted resolutions")
    expect(library.get_by_role("form", name="Add an adopted resolution")).to_be_visible()
    expect(library.get_by_role("table", name="Adopted resolutions")).to_contain_text("A/RES/79/53")
    expect(page.get_by_role("region", name="Tabling").get_by_role("button", name="Check and table")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
