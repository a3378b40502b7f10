"""Every page the server serves, audited with axe-core (tests/node, exact version in its
package-lock.json) in Debian's headless Chromium at 1280 px and at 375 px, in the states
people meet: the sign-in page (with a refusal shown), the administration page, the upload
review with the importer's warnings and a paragraph's correction open, the editor with
suggestions, editorial checks and agreed language shown and a proposal form open, and the facilitator's
console with a proposal row and a dialog open. A violation of impact serious or critical
fails the test, with its rule, the elements it was found on and axe's help text. At 375 px
no page scrolls sideways. Keyboard alone: Tab leaves a paragraph's text for the next one,
reaches a suggestion (Enter opens its card, Escape closes it) and a proposal form's fields,
and the console's links, sort buttons and a row's actions, each showing the focus."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from browser import PP2
from live import LiveServer
from seeds import RES_75_59
from server import ROOT, Server
from penholder.auth.passwords import hash_password
from penholder.store import make_engine
from penholder.store.tables import User

import playwright.sync_api as playwright_api  # noqa: E402  # missing: these tests fail, they do not skip
expect = playwright_api.expect

AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "a long enough password"
SEC, FR, EG, FAC = "Kim Lee", "Amélie Durand", "Omar", "Lena Berg"
WIDTHS = [1280, 375]
# The rules of WCAG 2.1 A and AA and axe's best practices (landmarks, headings, regions).
RUN = """() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
  resultTypes: ['violations']}).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => ({id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
             nodes: v.nodes.map(n => n.target.join(' ') + ' (' + n.failureSummary.replace(/\\s+/g, ' ') + ')')})))"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module: every test only reads, but for the proposal filed here
    (a row in the console, a suggestion in the text)."""
    s = LiveServer(f"sqlite:///{tmp_path_factory.mktemp('a11y') / 'a.db'}")
    s.seed([(SEC, None, "secretariat"), (FR, "France", "penholder"), (EG, "Egypt", "delegate"), (FAC, None, "facilitator")])
    engine = make_engine(s.database_url)
    with Session(engine) as db, db.begin():
        for user in db.query(User).filter(User.name.in_([SEC, EG])):
            user.password_hash = hash_password(PASSWORD)
    engine.dispose()
    s.start()
    r = s.post(f"/api/drafts/{s.draft_id}/amendments", s.tokens[EG], json={
        "operation": "replace_text", "paragraph_id": PP2, "target_text": "increasing use", "new_text": "growing use"})
    assert r.status_code == 201, r.text
    yield s
    s.stop()


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is needed: run `make install`", pytrace=False)
    return str(AXE)


class Audit:
    """The serious and critical violations of every state audited, reported together."""

    def __init__(self, axe: str, width: int) -> None:
        self.axe, self.width, self.found = axe, width, []  # type: ignore[var-annotated]

    def __call__(self, page, state: str) -> None:  # type: ignore[no-untyped-def]
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(path=self.axe)
        for v in page.evaluate(RUN):
            more = len(v["nodes"]) - 5
            nodes = "\n      ".join(v["nodes"][:5] + ([f"and {more} more"] if more > 0 else []))
            self.found.append(f"{state} at {self.width} px: {v['id']} ({v['impact']}): {v['help']} <{v['url']}>\n      {nodes}")
        if self.width < 400:
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > self.width:
                self.found.append(f"{state} at {self.width} px: the page is {wide} px wide and scrolls sideways")

    def check(self) -> None:
        assert not self.found, "\n".join(self.found)


def context(browser, width: int):  # type: ignore[no-untyped-def]
    # The pages' Content-Security-Policy (script-src 'self') refuses the injected axe, as
    # it should any inline script; the audit alone is let past it.
    return browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)


def password_sign_in(page, server: Server, login: str, password: str = PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.http}/signin.html")
    page.get_by_label("User name or email", exact=True).fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def token_page(browser, server: Server, width: int, who: str, path: str = "/"):  # type: ignore[no-untyped-def]
    page = context(browser, width).new_page()
    page.goto(f"{server.http}{path}#draft={server.draft_id}")
    page.get_by_label("Token", exact=False).fill(server.tokens[who])
    page.get_by_role("button", name="Sign in").click()
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sign_in_and_administration_pages(browser, server: Server, axe_source: str, width: int):  # type: ignore[no-untyped-def]
    audit = Audit(axe_source, width)
    page = context(browser, width).new_page()
    page.goto(f"{server.http}/signin.html")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    audit(page, "signin.html, signed out")
    password_sign_in(page, server, SEC, "not the password")
    expect(page.get_by_role("alert")).to_contain_text("Sign-in failed")
    audit(page, "signin.html, a wrong password")
    password_sign_in(page, server, SEC)
    expect(page.get_by_role("status")).to_have_text("You are signed in.")
    audit(page, "signin.html, signed in")
    page.goto(f"{server.http}/admin.html")
    expect(page.get_by_role("button", name="Create token")).to_be_visible()
    audit(page, "admin.html, the Secretariat")
    audit.check()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_upload_review_with_warnings(browser, server: Server, axe_source: str, width: int):  # type: ignore[no-untyped-def]
    audit = Audit(axe_source, width)
    page = context(browser, width).new_page()
    password_sign_in(page, server, EG)
    expect(page.get_by_role("status")).to_have_text("You are signed in.")
    page.goto(f"{server.http}/upload.html")
    file = page.get_by_label("Resolution or draft (PDF, Word .docx, text or Markdown)")
    expect(file).to_be_visible()
    audit(page, "upload.html, choosing a file")
    file.set_input_files(str(RES_75_59))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_role("status")).to_contain_text("operative paragraphs")
    expect(page.get_by_role("list", name="What the importer repaired or guessed")).to_contain_text("no committee found")
    audit(page, "upload.html, the review with warnings")
    page.get_by_role("button", name="Correct PP6", exact=True).click()
    audit(page, "upload.html, PP6's correction open")
    audit.check()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_editor_with_suggestions_checks_and_a_proposal_form(browser, server: Server, axe_source: str, width: int):  # type: ignore[no-untyped-def]
    audit = Audit(axe_source, width)
    page = context(browser, width).new_page()
    page.goto(f"{server.http}/#draft={server.draft_id}")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    audit(page, "the editor, signed out")
    page.get_by_label("Token").fill(server.tokens[EG])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("body[data-ready]", timeout=20000)
    expect(page.get_by_role("textbox", name="OP5", exact=True)).to_be_visible()
    audit(page, "the editor, a delegate")
    checks = page.get_by_role("switch", name="Show editorial checks")
    checks.click()
    expect(page.get_by_role("status").filter(has_text="Editorial checks:")).to_be_visible()
    audit(page, "the editor, editorial checks shown")
    page.get_by_role("button", name="Propose on OP5", exact=True).click()
    expect(page.get_by_role("button", name="Submit")).to_be_visible()
    audit(page, "the editor, a proposal form open on OP5")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_role("switch", name="Show agreed language").click()
    page.get_by_role("button", name="Find agreed language on PP2", exact=True).click()
    agreed = page.get_by_role("region", name="Agreed language")
    expect(agreed.get_by_role("button", name="Propose the wording of", exact=False).first).to_be_visible()
    audit(page, "the editor, agreed language shown and found for PP2")
    page.get_by_role("button", name="Close agreed language").click()
    page.get_by_role("switch", name="Show suggestions").click()
    mark = page.get_by_role("button", name="No. 1, Egypt: replace “increasing use”", exact=False)
    expect(mark).to_be_visible()
    audit(page, "the editor, suggestions shown")
    mark.press("Enter")
    expect(page.get_by_role("dialog")).to_be_visible()
    audit(page, "the editor, a suggestion's card open")

    pen = token_page(browser, server, width, FR)
    pen.wait_for_selector("body[data-ready]", timeout=20000)
    expect(pen.get_by_role("textbox", name="OP5", exact=True)).to_be_editable()
    audit(pen, "the editor, the penholder")
    audit.check()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_console_with_a_proposal(browser, server: Server, axe_source: str, width: int):  # type: ignore[no-untyped-def]
    audit = Audit(axe_source, width)
    page = token_page(browser, server, width, FAC, "/console.html")
    expect(page.locator("#proposal-1")).to_be_visible(timeout=15000)
    audit(page, "console.html, a proposal row")
    page.get_by_role("button", name="Accept No. 1").click()
    dialog = page.get_by_role("dialog", name="Accept No. 1")
    expect(dialog.get_by_label("Note")).to_be_visible()
    audit(page, "console.html, the Accept dialog open")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    audit.check()


# What has the focus, and whether it shows it (an outline or a ring of box shadow).
FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  const label = e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40);
  return {label, shown: (s.outlineStyle !== 'none' && s.outlineWidth !== '0px') || s.boxShadow !== 'none'} }"""


def tab_until(page, label: str, most: int = 8) -> list[str]:  # type: ignore[no-untyped-def]
    """Press Tab until the control named `label` has the focus; what had it on the way,
    each of which showed it."""
    seen = []
    for _ in range(most):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        assert now["shown"], f"{now['label']} has the focus and does not show it"
        seen.append(now["label"])
        if now["label"] == label:
            return seen
    raise AssertionError(f"Tab did not reach {label}: {seen}")


def test_the_keyboard_alone_goes_through_the_editor_and_the_console(browser, server: Server):  # type: ignore[no-untyped-def]
    # The penholder, at 375 px: Tab leaves a paragraph's text (it types no tab into it) for
    # the next paragraph's, past nothing that hides where the focus is.
    pen = token_page(browser, server, 375, FR)
    pen.wait_for_selector("body[data-ready]", timeout=20000)
    pp1 = pen.get_by_role("textbox", name="PP1", exact=True)
    before = pp1.text_content()
    assert tab_until(pen, "PP1", 12)[:4] == ["Sign in with a password", "Show suggestions", "Show editorial checks", "Show agreed language"]
    tab_until(pen, "PP2")
    way = tab_until(pen, "PP3")
    assert pp1.text_content() == before
    pen.keyboard.press("Shift+Tab")  # back, as it came
    assert pen.evaluate(FOCUSED)["label"] == (["PP2"] + way)[-2]

    # A delegate with suggestions shown: from a paragraph's actions to its suggestion, whose
    # card Enter opens and Escape closes, back on the suggestion, then on to the next paragraph.
    page = token_page(browser, server, 1280, EG)
    page.wait_for_selector("body[data-ready]", timeout=20000)
    page.get_by_role("switch", name="Show suggestions").click()
    tab_until(page, "Propose on PP1")
    tab_until(page, "Find agreed language on PP1")
    mark = page.get_by_role("button", name="No. 1, Egypt: replace “increasing use”", exact=False)
    page.keyboard.press("Tab")
    expect(mark).to_be_focused()
    page.keyboard.press("Enter")
    card = page.get_by_role("dialog")
    expect(card).to_be_visible()
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    expect(mark).to_be_focused()
    tab_until(page, "Propose on PP2")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Submit")).to_be_visible()
    tab_until(page, "Submit")  # through the form's fields, each named by its label

    # The facilitator: the sections' links, the filters and a proposal's actions.
    con = token_page(browser, server, 1280, FAC, "/console.html")
    expect(con.locator("#proposal-1")).to_be_visible(timeout=15000)
    tab_until(con, "Proposals")
    tab_until(con, "Sort by No. (number)", 20)
    tab_until(con, "Accept No. 1", 20)
    con.keyboard.press("Enter")
    expect(con.get_by_role("dialog", name="Accept No. 1")).to_be_visible()
