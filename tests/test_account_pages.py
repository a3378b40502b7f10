"""The sign-in and administration pages in Chromium against a real server: sign in, sign
out, a wrong password throttled, an invitation accepted, a focal point inviting a
colleague, the Secretariat appointing a facilitator on draft 1 who then decides there and
cannot on draft 2, a main sponsor of draft 1 who edits it and only proposes on draft 2, an
API token created and revoked, and the pages at 375 px."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from live import LiveServer
from server import Server
from penholder.auth.passwords import hash_password
from penholder.store import make_engine
from penholder.store.tables import User

import playwright.sync_api as playwright_api  # noqa: E402  # missing: these tests fail, they do not skip
expect = playwright_api.expect
PASSWORD = "a long enough password"
PP7 = "res-79-53.pp7"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    s = LiveServer(f"sqlite:///{tmp_path / 'p.db'}")
    s.seed([("Kim Lee", None, "secretariat"), ("Amélie Durand", "France", "penholder"), ("Omar", "Egypt", "delegate")])
    engine = make_engine(s.database_url)
    with Session(engine) as db, db.begin():
        for user in db.query(User).filter(User.name.in_(["Kim Lee", "Amélie Durand"])):
            user.password_hash = hash_password(PASSWORD)
    engine.dispose()
    s.start()
    yield s
    s.stop()


def sign_in(page, server: Server, login: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.http}/signin.html")
    page.get_by_label("User name or email", exact=True).fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_sign_out_and_a_wrong_password_throttled(browser, server: Server):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    for _ in range(5):
        sign_in(page, server, "Amélie Durand", "not the password")
        expect(page.get_by_role("alert")).to_have_text("Sign-in failed: wrong user name, email address or password")
    sign_in(page, server, "Amélie Durand")
    expect(page.get_by_role("alert")).to_contain_text("too many wrong passwords for this account")
    sign_in(page, server, "Kim Lee")
    expect(page.get_by_role("status")).to_have_text("You are signed in.")
    expect(page.get_by_text("Kim Lee · secretariat")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("You are signed out.")
    page.reload()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_invitations_a_focal_point_and_an_appointed_facilitator(browser, server: Server):  # type: ignore[no-untyped-def]
    second = server.post("/api/drafts", server.tokens["Kim Lee"], json={"from": "A/RES/79/53"}).json()["id"]
    filed = [server.post(f"/api/drafts/{d}/amendments", server.tokens["Omar"], json={
        "operation": "insert_text", "paragraph_id": PP7, "position": "after", "target_text": "equal opportunities",
        "new_text": f" ({d})"}).json()["id"] for d in (server.draft_id, second)]

    staff = browser.new_context().new_page()
    sign_in(staff, server, "Kim Lee")
    expect(staff.get_by_role("status")).to_have_text("You are signed in.")
    staff.goto(f"{server.http}/admin.html")
    staff.get_by_label("Name of the new delegation").fill("Chile")
    staff.get_by_role("button", name="Create delegation").click()
    expect(staff.get_by_role("status")).to_have_text("Delegation Chile created.")
    invite = staff.locator("#invite-form")
    invite.get_by_label("Name", exact=True).fill("Rosa Díaz")
    invite.get_by_label("Email").fill("rosa@example.cl")
    invite.get_by_label("Delegation", exact=True).select_option("Chile")
    invite.get_by_label("Focal point of the delegation").check()
    staff.get_by_role("button", name="Send invitation").click()
    expect(staff.get_by_role("status")).to_contain_text("Invitation for Rosa Díaz")
    link = re.search(r"http\S+#link=[\w-]+", staff.get_by_role("status").inner_text()).group(0)  # type: ignore[union-attr]

    rosa = browser.new_context().new_page()
    rosa.goto(link)
    rosa.get_by_label("New password (at least 10 characters)").fill("rosa's own password")
    rosa.get_by_role("button", name="Set password and sign in").click()
    expect(rosa.get_by_text("Rosa Díaz (Chile) · delegate")).to_be_visible()
    rosa.goto(f"{server.http}/admin.html")
    expect(rosa.get_by_label("Focal point of the delegation")).to_be_hidden()
    form = rosa.locator("#invite-form")
    form.get_by_label("Name", exact=True).fill("Pablo Soto")
    form.get_by_label("Delegation", exact=True).select_option("Chile")
    rosa.get_by_role("button", name="Send invitation").click()
    expect(rosa.get_by_role("status")).to_contain_text("Invitation for Pablo Soto")
    colleague = re.search(r"http\S+#link=[\w-]+", rosa.get_by_role("status").inner_text()).group(0)  # type: ignore[union-attr]
    pablo = browser.new_context().new_page()
    pablo.goto(colleague)
    pablo.get_by_label("New password (at least 10 characters)").fill("pablo's own password")
    pablo.get_by_role("button", name="Set password and sign in").click()
    expect(pablo.get_by_text("Pablo Soto (Chile) · delegate")).to_be_visible()
    used = browser.new_context().new_page()
    used.goto(colleague)  # a used link, elsewhere
    expect(used.get_by_role("alert")).to_contain_text("was used already")

    staff.reload()
    appoint = staff.locator("#appoint-form")
    appoint.get_by_label("Draft").select_option(str(server.draft_id))
    appoint.get_by_label("Person").select_option(label="Rosa Díaz")
    staff.get_by_role("button", name="Appoint facilitator").click()
    expect(staff.get_by_role("status")).to_have_text(f"Rosa Díaz is a facilitator of draft {server.draft_id}.")
    expect(staff.get_by_role("button", name="Dismiss Rosa Díaz")).to_be_visible()

    decide = """async (id) => { const csrf = document.cookie.match(/penholder_csrf=([^;]+)/)[1];
      const r = await fetch(`/api/amendments/${id}/accept`, {method: 'POST', headers: {'X-CSRF-Token': csrf,
        'Content-Type': 'application/json'}, body: '{}'}); return [r.status, (await r.json()).error || null] }"""
    assert rosa.evaluate(decide, filed[0]) == [200, None]
    assert rosa.evaluate(decide, filed[1]) == [403, f"a delegate on draft {second} may not decide amendments "
                                                     "(only a facilitator may)"]


def test_an_api_token_is_created_and_revoked_from_the_page(browser, server: Server):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    sign_in(page, server, "Amélie Durand")
    expect(page.get_by_role("status")).to_have_text("You are signed in.")
    page.goto(f"{server.http}/admin.html")
    page.get_by_label("Token name").fill("nightly export")
    page.get_by_label("Only for draft (optional)").select_option(str(server.draft_id))
    page.get_by_label("Expires after days (optional)").fill("30")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("status")).to_contain_text("Token nightly export (shown once): ph_")
    token = re.search(r"ph_[\w-]{43}", page.get_by_role("status").inner_text()).group(0)  # type: ignore[union-attr]
    assert server.get(f"/api/drafts/{server.draft_id}", token).status_code == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Revoke nightly export").click()
    expect(page.get_by_role("status")).to_have_text("nightly export revoked.")
    assert server.get("/api/me", token).status_code == 401


def test_the_editor_and_the_console_work_signed_in_by_cookie(browser, server: Server):  # type: ignore[no-untyped-def]
    """Signed in on signin.html, the editor opens without a token, in the account's role
    on the draft, and its edits are stored; the console posts a comment (with the CSRF
    token); signing out elsewhere sends the open editor back to the sign-in page."""
    from browser import PP2, TEXT_OF

    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server, "Amélie Durand")
    expect(page.get_by_role("status")).to_have_text("You are signed in.")
    editor = context.new_page()
    editor.goto(f"{server.http}/#draft={server.draft_id}")
    editor.wait_for_selector(f'.para[data-id="{PP2}"] .ql-editor', timeout=20000)
    expect(editor.locator("#whoami")).to_contain_text("penholder: edits the text")
    assert editor.locator("#token").input_value() == ""
    # Signed in by cookie, the link to the sign-in page leads to the account (and sign-out).
    expect(editor.get_by_role("link", name="Your account")).to_have_attribute("href", "/signin.html")
    editor.click(f'.para[data-id="{PP2}"] .ql-editor')
    editor.keyboard.press("Control+Home")
    editor.keyboard.type("[by cookie] ")
    expect(editor.locator(f'.para[data-id="{PP2}"] .ql-editor')).to_contain_text("[by cookie] ")
    token = server.tokens["Amélie Durand"]

    def stored() -> str:
        body = server.get(f"/api/drafts/{server.draft_id}", token).json()
        return next(p["text"] for p in body["preamble"] if p["id"] == PP2)
    for _ in range(100):
        if stored().startswith("[by cookie] "):
            break
        editor.wait_for_timeout(100)
    assert stored().startswith("[by cookie] ")
    assert editor.evaluate(TEXT_OF, PP2).startswith("[by cookie] ")

    console = context.new_page()
    console.goto(f"{server.http}/console.html#draft={server.draft_id}")
    console.get_by_label("Comment on").select_option(f"paragraph:{PP7}")
    console.get_by_label("Comment", exact=True).fill("Posted with the session cookie.")
    console.get_by_role("button", name="Post comment").click()
    expect(console.get_by_role("status")).to_have_text("Comment posted on PP7.")
    threads = server.get(f"/api/drafts/{server.draft_id}/comments", token).json()["threads"]
    assert any(c["text"] == "Posted with the session cookie." for t in threads for c in t["comments"])

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(editor).to_have_url(re.compile(r"/signin\.html"), timeout=10000)
    context.close()


def test_a_main_sponsor_edits_its_draft_and_only_proposes_on_another(browser, server: Server):  # type: ignore[no-untyped-def]
    second = server.post("/api/drafts", server.tokens["Kim Lee"], json={"from": "A/RES/79/53"}).json()["id"]
    page = browser.new_context().new_page()
    sign_in(page, server, "Amélie Durand")  # France: a main sponsor of the first draft only
    expect(page.get_by_role("status")).to_have_text("You are signed in.")
    for draft, pen in ((server.draft_id, True), (second, False)):
        page.goto(f"{server.http}/#draft={draft}")
        page.reload()  # a new draft in the address: the page opens it afresh
        page.wait_for_selector("body[data-ready]", timeout=20000)
        pp7 = page.get_by_role("textbox", name="PP7", exact=True)
        expect(pp7).to_be_visible()
        if pen:
            expect(pp7).to_be_editable()
        else:
            expect(pp7).not_to_be_editable()
        expect(page.get_by_role("button", name="Propose on PP7")).to_be_visible()
