"""What one delegation's amendments may cost the server: records keep the quote and its
context, not the paragraph; filing does the same work however many are pending; a
delegation filing too many is told to wait (429)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from inprocess import App, running
from penholder.amend.operations import CONTEXT
from penholder.amend.service import FilingLimit
from penholder.store.tables import Amendment
from penholder.sync.edits import find_paragraph
from penholder.sync.hooks import Author

USERS = [("eg", "Egypt", "delegate"), ("dz", "Algeria", "delegate"), ("fac", None, "facilitator")]
PP7 = "res-79-53.pp7"
PP9 = "res-79-53.pp9"


@pytest.fixture
def app(tmp_path) -> Iterator[App]:
    with running(f"sqlite:///{tmp_path / 'b.db'}", USERS, filing_limit=FilingLimit(5, 3600)) as a:
        yield a


def file(app: App, who: str, n: int, paragraph: str = PP7, target: str = "equal opportunities"):  # type: ignore[no-untyped-def]
    return app.post(f"/api/drafts/{app.draft_id}/amendments", app.tokens[who], json={
        "operation": "insert_text", "paragraph_id": paragraph, "position": "after",
        "target_text": target, "new_text": f" ({n})"})


def grow(app: App, paragraph: str, text: str) -> None:
    """A long text typed into a paragraph (as a penholder could, over the websocket)."""
    rooms = app.client.app.state.rooms  # type: ignore[attr-defined]

    def edit(doc) -> None:  # type: ignore[no-untyped-def]
        t = find_paragraph(doc, paragraph)[1]["text"]
        t.insert(len(str(t)), text)
    app.client.portal.call(rooms.change, str(app.draft_id), edit,  # type: ignore[union-attr]
                           Author(1, None, "technical"))


def test_a_record_keeps_the_quote_and_its_context_not_a_long_paragraph(app: App):
    grow(app, PP9, " lengthy" * 125_000 + " MARK")  # a 1 MB paragraph
    quoted = file(app, "eg", 1, PP9, "MARK").json()
    assert quoted["target_text"] == "MARK" and quoted["context"].endswith("lengthy MARK")
    assert len(quoted["context"]) <= 2 * CONTEXT + len("MARK") + 2
    deleted = app.post(f"/api/drafts/{app.draft_id}/amendments", app.tokens["dz"],
                       json={"operation": "delete_paragraph", "paragraph_id": PP9}).json()
    assert deleted["summary"] == "delete the paragraph" and deleted["stale"] is False
    with Session(app.engine) as db:
        stored = sum(len(a.target_text or "") + len(a.context or "") + len(a.new_text or "")
                     for a in db.scalars(select(Amendment)))
    assert stored < 1000, "an amendment record copied the paragraph"
    # the paragraph changes: the deletion, made on the text as it stood, is stale
    grow(app, PP9, " more")
    again = app.get(f"/api/amendments/{deleted['id']}", app.tokens["fac"]).json()
    assert again["stale"] is True
    r = app.post(f"/api/amendments/{deleted['id']}/accept", app.tokens["fac"], json={})
    assert r.status_code == 409 and "changed" in r.json()["error"]


def test_filing_does_the_same_work_however_many_are_pending(tmp_path):
    """The statements one filing sends to the database: the same for the 2nd and the 40th."""
    with running(f"sqlite:///{tmp_path / 'c.db'}", USERS, filing_limit=FilingLimit(1000, 3600)) as app:
        statements: list[str] = []
        event.listen(app.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        counts = []
        for n in range(40):
            statements.clear()
            assert file(app, "eg", n).status_code == 201
            counts.append(len(statements))
        assert counts[-1] == counts[1], counts


def test_a_delegation_over_its_filing_limit_gets_429_and_nothing_is_filed(app: App):
    for n in range(5):
        assert file(app, "eg", n).status_code == 201
    r = file(app, "eg", 6)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "Egypt has filed 5 amendments in the last 60 minutes; the limit is 5" in r.json()["error"]
    items = "\n\n".join(f"{i}. Heading {i}: Encourages cooperation on item {i};" for i in range(1, 4))
    r = app.post(f"/api/drafts/{app.draft_id}/amendments/import", app.tokens["eg"],
                 files={"file": ("list.txt", items.encode(), "text/plain")})
    assert r.status_code == 429
    listed = app.get(f"/api/drafts/{app.draft_id}/amendments", app.tokens["fac"]).json()["amendments"]
    assert len(listed) == 5
    assert file(app, "dz", 1).status_code == 201  # another delegation is not held up


def test_the_filing_limit_is_read_from_count_per_seconds():
    assert FilingLimit.parse("20/60") == FilingLimit(20, 60)
    for bad in ("x", "0/60", "5/0", "5/x"):
        with pytest.raises(ValueError, match="COUNT/SECONDS|at least 1"):
            FilingLimit.parse(bad)


def test_the_migration_turns_stored_paragraphs_into_context_and_digest(database_url: str):
    """Amendments filed before 0003 kept the whole paragraph: the upgrade keeps the quote's
    context and the paragraph's digest instead, and a deletion stays checkable."""
    from alembic import command
    from sqlalchemy import text

    from penholder.amend.operations import digest
    from penholder.amend.records import proposal_of
    from penholder.store import amendments as stored
    from penholder.store import make_engine
    from penholder.store.db import alembic_config, migrate

    engine = make_engine(database_url)
    try:
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0002")
        paragraph = "Recognizing " + "the long text " * 1000 + "with a quote in it,"
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO delegations (id, name) VALUES (1, 'Egypt')"))
            conn.execute(text("INSERT INTO users (id, name, role, delegation_id, created_at) "
                              "VALUES (1, 'eg', 'delegate', 1, CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO drafts (id, title, session, created_by, created_at) "
                              "VALUES (1, 't', 81, 1, CURRENT_TIMESTAMP)"))
            for id_, op, target in ((1, "replace_text", "a quote"), (2, "delete_paragraph", paragraph)):
                conn.execute(text(
                    "INSERT INTO amendments (id, draft_id, number, sponsor_id, filed_by, created_at, operation, "
                    "paragraph_id, target_text, new_text, paragraph_text, rationale, against_seq, status) VALUES "
                    "(:id, 1, :id, 1, 1, CURRENT_TIMESTAMP, :op, 'p1', :t, 'x', :p, '', 0, 'proposed')"),
                    {"id": id_, "op": op, "t": target, "p": paragraph})
        migrate(engine)
        with Session(engine) as db:
            quoted, deleted = db.get(Amendment, 1), db.get(Amendment, 2)
            assert quoted is not None and deleted is not None
            assert quoted.target_text == "a quote" and quoted.context.endswith("with a quote in it,")
            assert len(quoted.context) < 300 and quoted.paragraph_digest == digest(paragraph)
            assert deleted.target_text is None
        assert proposal_of(stored.get(engine, 2)).paragraph_digest == digest(paragraph)
    finally:
        engine.dispose()
