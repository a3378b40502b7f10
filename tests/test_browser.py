"""The browser client (client/, served at /) in Debian's headless Chromium, against a real
server: two penholders type into one paragraph at once, an observer watches read-only, a
delegate's proposal appears under its paragraph, presence names the delegations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from browser import PP2, PP3, SELECT, TEXT_OF, new_context, open_draft, text
from live import LiveServer
from server import ROOT


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    s = LiveServer(f"sqlite:///{tmp_path / 'p.db'}")
    s.seed([("Amélie Durand", "France", "penholder"), ("Omar Farouk", "Egypt", "penholder"),
            ("Yacine Benali", "Algeria", "delegate"), ("Observer", "Holy See", "observer"),
            ("Lena Berg", None, "facilitator")])
    s.start()
    yield s
    s.stop()


def test_two_penholders_edit_one_paragraph_observer_reads_proposal_and_presence_show(
        chromium: str, browser, server: LiveServer, tmp_path: Path):  # type: ignore[no-untyped-def]
    d = server.draft_id
    original = next(p["text"] for p in server.get(f"/api/drafts/{d}", server.tokens["Observer"]).json()["preamble"]
                    if p["id"] == PP2)
    context = new_context(browser)
    try:
        fr = open_draft(context, server, server.tokens["Amélie Durand"])
        eg = open_draft(context, server, server.tokens["Omar Farouk"])
        obs = open_draft(context, server, server.tokens["Observer"])

        # Both place the caret in PP2, France at the end, Egypt at the start, and type
        # in turns, so that each page takes the other's changes while it types.
        fr.get_by_role("textbox", name="PP2", exact=True).click()
        fr.keyboard.press("Control+End")
        eg.get_by_role("textbox", name="PP2", exact=True).click()
        eg.keyboard.press("Control+Home")
        for a, b in ((" [Fra", "[Egy"), ("nce]", "pt] ")):
            fr.keyboard.type(a, delay=15)
            eg.keyboard.type(b, delay=15)
        expected = "[Egypt] " + original + " [France]"
        for page in (fr, eg, obs):
            page.wait_for_function(f"want => ({TEXT_OF})({PP2!r}) === want", arg=expected, timeout=10000)
        # The lead is still the opening italic run (what Egypt typed at its start joined
        # it: docs/client.md), the footnote mark still in place.
        lead = fr.inner_text(f'.para[data-id="{PP2}"] .ql-editor em')
        assert lead == "[Egypt] Expressing grave concern"
        assert fr.get_attribute(f'.para[data-id="{PP2}"] sup.fn', "data-n") == "1"

        body = server.get(f"/api/drafts/{d}", server.tokens["Observer"]).json()
        para = next(p for p in body["preamble"] if p["id"] == PP2)
        assert para["text"] == expected
        assert [r["offset"] for r in para["footnote_refs"]] == [177 + len("[Egypt] ")]

        # The observer reads the same text and cannot edit it.
        assert text(obs, PP2) == expected
        editable = obs.eval_on_selector_all(".para .ql-editor", "els => els.map(e => e.isContentEditable)")
        assert editable and not any(editable)
        assert all(fr.eval_on_selector_all(".para .ql-editor", "els => els.map(e => e.isContentEditable)"))
        assert "read-only" in obs.inner_text("#whoami")

        # A delegate files a proposal on PP3 (REST); Egypt supports it; every page shows it there.
        r = server.post(f"/api/drafts/{d}/amendments", server.tokens["Yacine Benali"], json={
            "operation": "insert_text", "paragraph_id": PP3, "target_text": "increased use",
            "position": "after", "new_text": " and proliferation"})
        assert r.status_code == 201, r.text
        r = server.post(f"/api/amendments/{r.json()['id']}/cosponsors", server.tokens["Omar Farouk"])
        assert r.status_code == 200, r.text
        for page in (fr, eg, obs):
            page.wait_for_selector(f'.para[data-id="{PP3}"] .proposal:has-text("supported by Egypt")', timeout=10000)
        shown = fr.inner_text(f'.para[data-id="{PP3}"] .proposal')
        assert "[Algeria, supported by Egypt:" in shown and "proliferation" in shown

        # Presence: each page lists the others under the delegation the server stamped.
        fr.wait_for_function("() => document.querySelector('#presence').textContent.includes('(Egypt)')",
                             timeout=10000)
        presence = fr.inner_text("#presence")
        assert "Omar Farouk (Egypt)" in presence and "Observer (Holy See)" in presence
        assert "France" not in presence
        obs.wait_for_function("() => document.querySelector('#presence').textContent.includes('(France)')",
                              timeout=10000)

        fr.click("h1.title")  # the caret out of the way
        # the picture in the docs, refreshed on request (a test run leaves the checkout alone)
        shot = ROOT / "docs" / "client.png" if os.environ.get("PENHOLDER_SCREENSHOTS") else tmp_path / "client.png"
        fr.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
    finally:
        context.close()


def test_a_delegate_files_a_proposal_in_the_form_another_supports_it_the_facilitator_accepts_it(
        chromium: str, browser, server: LiveServer, tmp_path: Path):  # type: ignore[no-untyped-def]
    d = server.draft_id
    form = f'.para[data-id="{PP3}"] form.propose-form'
    context = new_context(browser)
    try:
        dz = open_draft(context, server, server.tokens["Yacine Benali"])  # Algeria, delegate
        fac = open_draft(context, server, server.tokens["Lena Berg"])
        fr = open_draft(context, server, server.tokens["Amélie Durand"])  # France, penholder
        assert fac.get_by_role("button", name="Propose on PP2").count() == 0  # a facilitator does not propose

        # A quote that is not in the paragraph: the server's refusal, in the form, which
        # stays open with what was typed; nothing is filed.
        dz.get_by_role("button", name="Propose on PP2", exact=True).click()
        bad = f'.para[data-id="{PP2}"] form.propose-form'
        dz.get_by_label("Text in the paragraph").fill("words this paragraph never had")
        dz.get_by_label("New text").fill("other words")
        dz.click(f"{bad} button:text-is('Submit')")
        dz.wait_for_selector(f"{bad} .form-error:has-text('the target text is not in PP2')", timeout=10000)
        assert dz.input_value(f"{bad} [name=target_text]") == "words this paragraph never had"
        assert dz.input_value(f"{bad} [name=new_text]") == "other words"
        dz.click(f"{bad} button:text-is('Cancel')")
        assert dz.locator(bad).count() == 0
        listed = server.get(f"/api/drafts/{d}/amendments", server.tokens["Observer"]).json()["amendments"]
        assert listed == []

        # The delegate selects a word of PP3 and opens the form: the selection is the quote.
        assert "increased use" in text(dz, PP3)
        assert dz.evaluate(SELECT, [PP3, "increased"])
        dz.get_by_role("button", name="Propose on PP3", exact=True).click()
        assert dz.input_value(f"{form} [name=target_text]") == "increased"
        assert dz.input_value(f"{form} [name=operation]") == "replace_text"
        dz.fill(f"{form} [name=new_text]", "growing")
        dz.fill(f"{form} [name=rationale]", "Closer to the agreed language of last year.")
        dz.click(f"{form} button:text-is('Submit')")
        dz.wait_for_selector("#message.info:has-text('Filed as No. 1')", timeout=10000)
        assert dz.locator(form).count() == 0

        # It appears inline in the facilitator's page with the sponsor's name.
        shown = f'.para[data-id="{PP3}"] .proposal'
        fac.wait_for_selector(f"{shown}:has-text('[Algeria:')", timeout=10000)
        assert "growing" in fac.inner_text(shown)
        # Each sees the buttons of its role: the sponsor may withdraw, not support.
        dz.wait_for_selector(f"{shown} button:text-is('Withdraw')", timeout=10000)
        assert dz.locator(f"{shown} button:text-is('Support')").count() == 0
        assert dz.locator(f"{shown} button:text-is('Accept')").count() == 0
        assert fac.locator(f"{shown} button:text-is('Support')").count() == 0

        # France supports it; every page names it.
        fr.click(f"{shown} button:text-is('Support')")
        for page in (fr, fac, dz):
            page.wait_for_selector(f"{shown}:has-text('[Algeria, supported by France:')", timeout=10000)
        fr.wait_for_selector(f"{shown} button:text-is('Withdraw support')", timeout=10000)
        assert fr.locator(f"{shown} button:text-is('Support')").count() == 0

        # The facilitator accepts it: the text changes in every page, the proposal goes.
        fac.click(f"{shown} button:text-is('Accept')")
        for page in (fac, dz, fr):
            page.wait_for_function(f"() => ({TEXT_OF})({PP3!r}).includes('growing use')", timeout=10000)
            page.wait_for_selector(shown, state="detached", timeout=10000)
            assert "increased use" not in text(page, PP3)
        assert fac.inner_text("#message") == ""
    finally:
        context.close()


def test_the_shell_is_served_without_a_token_and_me_needs_one(chromium: str, server: LiveServer):
    assert server.get("/").status_code == 200 and "app.js" in server.get("/").text
    assert server.get("/app.js").status_code == 200
    assert server.get("/api/me").status_code == 401
    me = server.get("/api/me", server.tokens["Yacine Benali"]).json()
    assert me["delegation"] == "Algeria" and me["role"] == "delegate"
    assert me["can"] == {"edit": False, "propose": True, "decide": False, "revise": False, "export": True,
                         "comment": True, "library": False, "renumber": False}
    assert server.get("/api/nothing-here", server.tokens["Observer"]).status_code == 404
    assert server.get("/api/drafts", None).status_code == 401  # the API still needs a token


def test_an_unbuilt_client_says_how_to_build_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from inprocess import TestClient  # imported there with its deprecation notice silenced

    from penholder.store import make_engine
    from penholder.web import create_app, static

    monkeypatch.setattr(static, "STATIC", tmp_path / "not-built")
    app = create_app(make_engine(f"sqlite:///{tmp_path / 'x.db'}"))

    # Starlette's client runs the app on a loop of its own thread: the module's Chromium
    # keeps Playwright's loop marked running in this one.
    r = TestClient(app).get("/")
    assert r.status_code == 503 and "npm run build" in r.text
