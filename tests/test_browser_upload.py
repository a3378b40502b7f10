"""The upload review page in Chromium against a real server, at 375 px: a delegate uploads
the seed A/RES/75/59 (PDF text with bare-digit marks and page breaks), sees what was
repaired, corrects the structure (a paragraph's kind, a footnote mark, a join and a split,
a lead, the committee), is stopped with an announced error while the order is wrong, and creates the
draft; subparagraphs are given their level, parent and label and the agenda title corrected (the seed
A/RES/78/70); a file that cannot be read is announced; an observer is told it starts no drafts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from live import LiveServer
from server import Server
from browser import new_context
from seeds import RES_75_59, RES_78_70
from penholder.auth.passwords import hash_password
from penholder.store import make_engine
from penholder.store.tables import User

import playwright.sync_api as playwright_api  # noqa: E402  # missing: these tests fail, they do not skip
expect = playwright_api.expect
PASSWORD = "a long enough password"
FILE_LABEL = "Resolution or draft (PDF, Word .docx, text or Markdown)"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = LiveServer(f"sqlite:///{tmp_path / 'u.db'}")
    s.seed([("Omar", "Egypt", "delegate"), ("Holy See", "Holy See", "observer")])
    engine = make_engine(s.database_url)
    with Session(engine) as db, db.begin():
        for user in db.query(User).filter(User.name.in_(["Omar", "Holy See"])):
            user.password_hash = hash_password(PASSWORD)
    engine.dispose()
    s.start()
    yield s
    s.stop()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    return new_context(browser, 375, 800).new_page()  # its context closed after the test


def sign_in(page, server: Server, login: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{server.http}/signin.html")
    page.get_by_label("User name or email", exact=True).fill(login)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_have_text("You are signed in.")


def paragraph(page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("list", name="Paragraphs").get_by_role("listitem", name=name, exact=True)


def correct(page, name: str) -> None:  # type: ignore[no-untyped-def]
    button = page.get_by_role("button", name=f"Correct {name}", exact=True)
    if button.get_attribute("aria-expanded") != "true":
        button.click()


def test_upload_review_correct_and_create(page, server: Server):  # type: ignore[no-untyped-def]
    sign_in(page, server, "Omar")
    page.get_by_role("link", name="Start a draft from a file").click()
    page.get_by_label(FILE_LABEL).set_input_files(str(RES_75_59))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_role("status")).to_contain_text("24 preambular and 31 operative paragraphs")
    expect(page.get_by_label("Symbol", exact=True)).to_have_value("A/RES/75/59")
    expect(page.get_by_role("list", name="What the importer repaired or guessed")).to_contain_text(
        "heading: no committee found")
    pp6 = paragraph(page, "PP6")
    expect(pp6).to_contain_text("repaired")
    expect(pp6).to_contain_text("joined across a page break")

    # A paragraph made operative while preambular ones follow: refused, and said so.
    correct(page, "PP1")
    page.get_by_label("Kind of PP1").select_option("op")
    expect(page.get_by_role("status")).to_contain_text("PP1 is now operative")
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("alert")).to_contain_text("PP1 is preambular but comes after an operative paragraph")
    page.get_by_label("Kind of OP1").select_option("pp")

    # The last preambular paragraph read as operative 1.
    correct(page, "PP24")
    page.get_by_label("Kind of PP24").select_option("op")
    expect(paragraph(page, "OP1")).to_contain_text("Reaffirming the inherent right")
    expect(paragraph(page, "OP1")).to_contain_text("edited")

    # A footnote mark moved to follow other words.
    correct(page, "OP2")
    page.get_by_label("Footnote 13 in OP2 follows the words").fill("report of the Secretary-General")
    page.get_by_role("button", name="Move footnote 13").click()
    expect(page.get_by_role("status")).to_have_text(
        "The mark of footnote 13 now follows “report of the Secretary-General” in OP2.")

    # Two paragraphs joined, then split where the second began, its lead set.
    correct(page, "OP3")
    page.get_by_role("button", name="Join OP3 with the next paragraph").click()
    expect(page.get_by_role("status")).to_contain_text("OP3 and the paragraph after it are one paragraph")
    expect(paragraph(page, "OP3")).to_contain_text("Strongly encourages States")
    page.get_by_label("Split OP3 before the words").fill("Strongly encourages States, where")
    page.get_by_role("button", name="Split OP3", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("OP3 is split in two")
    correct(page, "OP4")
    page.get_by_label("Lead of OP4 (its opening words, in italics)").fill("Not its opening words")
    page.get_by_role("button", name="Set lead of OP4").click()
    expect(page.get_by_role("alert")).to_contain_text("OP4: the lead must be the opening words")
    page.get_by_label("Lead of OP4 (its opening words, in italics)").fill("Strongly encourages")
    page.get_by_role("button", name="Set lead of OP4").click()
    expect(page.get_by_role("status")).to_have_text("The lead of OP4 is “Strongly encourages”.")

    page.get_by_label("Committee", exact=True).select_option("First Committee")
    page.get_by_label("Title", exact=True).fill("Countering the threat posed by improvised explosive devices")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Draft \d+ created"))
    link = page.get_by_role("link", name=re.compile(r"Open draft \d+ in the editor"))
    draft_id = int(re.search(r"#draft=(\d+)", link.get_attribute("href")).group(1))

    body = server.get(f"/api/drafts/{draft_id}", server.tokens["Omar"]).json()
    assert len(body["preamble"]) == 23 and len(body["operative"]) == 32
    assert body["operative"][0]["text"].startswith("Reaffirming the inherent right")
    assert body["operative"][2]["text"].startswith("Recognizes that existing approaches")
    assert body["operative"][2]["text"].endswith(";")
    assert body["operative"][3]["lead"] == "Strongly encourages"
    op2 = body["operative"][1]
    assert op2["footnote_refs"] == [{"number": 13, "offset": op2["text"].index("Secretary-General") + 17}]
    assert body["preamble"][0]["id"] == "res-75-59.pp1"
    draft = next(d for d in server.get("/api/drafts", server.tokens["Omar"]).json()["drafts"] if d["id"] == draft_id)
    assert draft["base_symbol"] == "A/RES/75/59" and draft["committee"] == "First Committee"
    assert "Egypt" in server.get(f"/api/drafts/{draft_id}/sponsors", server.tokens["Omar"]).text


def level(page, name: str, choice: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label(f"Level of {name}", exact=True).select_option(label=choice)


def test_subparagraphs_and_the_agenda_title_are_corrected(page, server: Server):  # type: ignore[no-untyped-def]
    """OP4 (e) of 78/70 holds its own (i) and (ii) inline: the reviewer lifts (e) out, splits
    it at (i) and (ii), puts both under it, and puts it back under OP4 as (e)."""
    sign_in(page, server, "Omar")
    page.goto(f"{server.http}/upload.html")
    page.get_by_label(FILE_LABEL).set_input_files(str(RES_78_70))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_role("status")).to_contain_text("30 preambular and 22 operative paragraphs")
    agenda_title = page.get_by_label("Agenda title", exact=True)
    expect(agenda_title).to_have_value("Assistance in mine action")
    agenda_title.fill("Assistance in mine action and explosive remnants of war")

    correct(page, "OP4")
    level(page, "OP4 (e)", "OP5, a paragraph")
    expect(page.get_by_role("status")).to_have_text("OP4 (e) is now OP5, a paragraph; the paragraphs are renumbered.")
    expect(paragraph(page, "OP5")).to_contain_text("Technological assistance (i) to countries")
    expect(paragraph(page, "OP6")).to_contain_text("Encourages efforts to conduct all mine action")
    expect(page.get_by_label("Level of OP5", exact=True)).to_be_focused()

    page.get_by_label("Split OP5 before the words").fill("(ii) to promote")
    page.get_by_role("button", name="Split OP5", exact=True).click()
    page.get_by_label("Split OP5 before the words").fill("(i) to countries")
    page.get_by_role("button", name="Split OP5", exact=True).click()
    expect(paragraph(page, "OP7")).to_contain_text("(ii) to promote user-oriented")
    correct(page, "OP6")
    level(page, "OP6", "OP5 (a), a subparagraph of OP5")
    expect(page.get_by_role("status")).to_have_text(
        "OP6 is now OP5 (a), a subparagraph of OP5; the paragraphs are renumbered.")
    correct(page, "OP6")
    level(page, "OP6", "OP5 (b), a subparagraph of OP5")
    level(page, "OP5", "OP4 (e), a subparagraph of OP4")
    expect(page.get_by_role("status")).to_have_text(
        "OP5 is now OP4 (e), a subparagraph of OP4; the paragraphs are renumbered.")
    op4 = paragraph(page, "OP4")
    # Their labels follow from their places: the "(i)" and "(ii)" typed in the text are gone.
    expect(op4).to_contain_text("(e) Technological assistance")
    expect(op4).to_contain_text("(i) to countries affected by mines")
    expect(op4).to_contain_text("(ii) to promote user-oriented")
    expect(paragraph(page, "OP5")).to_contain_text("Encourages efforts to conduct all mine action")
    expect(page.get_by_label("Level of OP4 (e) (ii)", exact=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Draft \d+ created"))
    href = page.get_by_role("link", name=re.compile(r"Open draft \d+ in the editor")).get_attribute("href")
    draft_id = int(re.search(r"#draft=(\d+)", href).group(1))
    body = server.get(f"/api/drafts/{draft_id}", server.tokens["Omar"]).json()
    assert len(body["operative"]) == 22
    e = body["operative"][3]["subparagraphs"][4]
    assert e["text"] == "Technological assistance"
    assert [s["text"][:30] for s in e["subparagraphs"]] == ["to countries affected by mines", "to promote user-oriented scien"]
    assert body["agenda_title"] == "Assistance in mine action and explosive remnants of war"


def test_a_delegation_is_not_offered_the_files_l_symbol_or_sponsors(page, server: Server, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Only the Secretariat gives a draft its L. symbol and records sponsors (docs/roles.md):
    a delegate's review leaves the file's out, says so, and the draft is created."""
    from test_upload_review import L_DOCUMENT

    sign_in(page, server, "Omar")
    page.goto(f"{server.http}/upload.html")
    l12 = tmp_path / "l12.txt"
    l12.write_text(L_DOCUMENT, encoding="utf-8")
    page.get_by_label(FILE_LABEL).set_input_files(str(l12))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_role("status")).to_contain_text("2 preambular and 2 operative paragraphs")
    expect(page.get_by_label("Symbol", exact=True)).to_have_value("")
    expect(page.get_by_text("The file's symbol A/C.1/80/L.12 is left out")).to_be_visible()
    expect(page.get_by_text("Sponsors named in the file: Egypt, France, Mexico.")).to_be_visible()
    page.get_by_role("button", name="Create the draft").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Draft \d+ created"))


def test_an_unreadable_file_is_announced_and_an_observer_starts_no_draft(page, server: Server, tmp_path: Path):  # type: ignore[no-untyped-def]
    sign_in(page, server, "Omar")
    page.goto(f"{server.http}/upload.html")
    legacy = tmp_path / "old.doc"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    page.get_by_label(FILE_LABEL).set_input_files(str(legacy))
    page.get_by_role("button", name="Read the file").click()
    expect(page.get_by_role("alert")).to_contain_text("old.doc could not be read")
    expect(page.get_by_role("alert")).to_contain_text("legacy binary Word (.doc) file")
    expect(page.get_by_role("heading", name="2. Check what was read")).to_be_hidden()

    page.context.clear_cookies()
    sign_in(page, server, "Holy See")
    expect(page.get_by_role("link", name="Start a draft from a file")).to_be_hidden()
    page.goto(f"{server.http}/upload.html")
    expect(page.get_by_role("alert")).to_contain_text("Only delegates and the Secretariat start drafts")
    expect(page.get_by_label(FILE_LABEL)).to_be_hidden()
