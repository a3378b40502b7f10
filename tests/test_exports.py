"""Exports of a live draft as the Secretariat gets them: the files are opened and read."""

from __future__ import annotations

import asyncio
import io
import re
import zipfile
from collections.abc import Iterator

import pytest
from pypdf import PdfReader

from penholder.cli import main
from live import LiveServer
from server import Server
from yclient import YClient

USERS = [("fr", "France", "penholder"), ("eg", "Egypt", "delegate"), ("dz", "Algeria", "delegate"),
         ("fac", None, "facilitator"), ("sec", None, "secretariat"), ("obs", "Holy See", "observer")]
PP7 = "res-79-53.pp7"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    """A draft negotiated a little: a penholder's direct edit, an accepted amendment by
    Egypt, a pending one by Algeria, a revision, and the symbol issued."""
    s = LiveServer(f"sqlite:///{tmp_path_factory.mktemp('exports') / 'e.db'}")
    s.seed(USERS)
    s.start()
    fr = s.tokens["fr"]
    s.post(f"/api/drafts/{s.draft_id}/revisions", s.tokens["fac"], json={})

    async def edit():
        c = await YClient(s.ws(fr)).connect()
        c.insert(PP7, len("Recognizing the importance of full"), " and effective")
        await c.flush()
        await c.close()
    asyncio.run(edit())
    a = s.post(f"/api/drafts/{s.draft_id}/amendments", s.tokens["eg"], json={
        "operation": "replace_text", "paragraph_id": "res-79-53.op13", "target_text": "girls, boys and men",
        "new_text": "girls, boys and men, including persons with disabilities"}).json()
    s.post(f"/api/amendments/{a['id']}/accept", s.tokens["fac"], json={})
    s.post(f"/api/drafts/{s.draft_id}/amendments", s.tokens["dz"], json={
        "operation": "insert_text", "paragraph_id": "res-79-53.op6", "position": "after",
        "target_text": "regional and subregional strategies", "new_text": " and action plans"})
    s.post(f"/api/drafts/{s.draft_id}/table", s.tokens["sec"], json={"symbol": "A/C.1/81/L.12"})
    yield s
    s.stop()


def download(server: Server, token: str = "sec", **params):  # type: ignore[no-untyped-def]
    return server.get(f"/api/drafts/{server.draft_id}/export", server.tokens[token], params=params)


def revisions(docx: bytes) -> list[tuple[str, str, str]]:
    """(ins|del, author, text) of every tracked revision in word/document.xml."""
    import xml.etree.ElementTree as ET
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    out = []
    for tag, kind in ((f"{W}ins", "ins"), (f"{W}del", "del")):
        for el in root.iter(tag):
            text = "".join(t.text or "" for t in el.iter() if t.tag in (f"{W}t", f"{W}delText"))
            out.append((kind, el.get(f"{W}author"), text))
            assert el.get(f"{W}date"), "every revision carries its date"
    return out


def test_tracked_against_the_prior_resolution_names_each_author(server: Server):
    r = download(server, format="docx", changes="tracked", against="A/RES/79/53")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert 'filename="A_C.1_81_L.12_tracked_vs_A_RES_79_53.docx"' in r.headers["content-disposition"]
    revs = revisions(r.content)
    assert ("ins", "France", " and effective") in revs or any(
        k == "ins" and a == "France" and "and effective" in t for k, a, t in revs)
    assert any(k == "ins" and a == "Egypt" and "including persons with disabilities" in t for k, a, t in revs)
    assert any(k == "ins" and a == "Secretariat" and "79/53 of 2 December 2024" in t for k, a, t in revs)
    # "eighty-first" -> "eighty-third": the word diff splits at the hyphen
    assert ("ins", "Secretariat", "third") in revs and ("del", "Secretariat", "first") in revs
    assert not any(a == "Algeria" for _, a, _ in revs)  # pending, not in the text


def test_tracked_against_the_pending_proposals(server: Server):
    r = download(server, format="docx", changes="tracked", against="proposals")
    revs = revisions(r.content)
    assert [(k, a, t.strip()) for k, a, t in revs] == [("ins", "Algeria", "and action plans")]
    akn = download(server, format="akn", changes="tracked", against="proposals").text
    assert "/eng@pending-proposals" in akn and 'FRBRauthoritative value="false"' in akn
    assert re.search(r'<ins refersTo="#algeria">\s*and action plans\s*</ins>', akn), re.findall(r"<ins.{0,80}", akn)


def test_tracked_against_a_revision(server: Server):
    r = download(server, format="docx", changes="tracked", against="rev:0")
    authors = {a for _, a, _ in revisions(r.content)}
    assert authors == {"France", "Egypt"}  # the direct edit and the accepted amendment since rev 0


def test_tracked_docx_carries_the_comment_threads_as_word_comments(server: Server):
    """A thread on PP7 (Egypt, answered by the facilitator for the Secretariat, then
    resolved) and one on Algeria's pending proposal: in the tracked .docx as Word comments
    on their paragraphs (the proposal's: where it is drawn applied), never in the clean
    file nor in the submission."""
    import xml.etree.ElementTree as ET
    s, d = server, server.draft_id
    root = s.post(f"/api/drafts/{d}/comments", s.tokens["eg"], json={"paragraph_id": PP7, "text": "Why full?"})
    assert root.status_code == 201, root.text
    reply = s.post(f"/api/drafts/{d}/comments", s.tokens["fac"], json={"reply_to": root.json()["id"], "text": "Agreed text."})
    assert reply.status_code == 201, reply.text
    assert s.post(f"/api/comments/{root.json()['id']}/resolve", s.tokens["fac"], json={}).status_code == 200
    listed = s.get(f"/api/drafts/{d}/amendments", s.tokens["sec"]).json()["amendments"]
    algeria = next(a for a in listed if a["status"] == "proposed")
    on_proposal = s.post(f"/api/drafts/{d}/comments", s.tokens["dz"],
                         json={"amendment_id": algeria["id"], "text": "Plans matter."})
    assert on_proposal.status_code == 201, on_proposal.text

    def comments(docx: bytes) -> list[tuple[str, str, str]]:
        z = zipfile.ZipFile(io.BytesIO(docx))
        body = ET.fromstring(z.read("word/document.xml"))
        where = {}
        for p in body.iter(f"{W}p"):
            for e in p.iter(f"{W}commentRangeStart"):
                where[e.get(f"{W}id")] = "".join(t.text or "" for t in p.iter(f"{W}t"))
        if "word/comments.xml" not in z.namelist():
            return []
        out = []
        for c in ET.fromstring(z.read("word/comments.xml")).iter(f"{W}comment"):
            assert c.get(f"{W}date"), "each comment is dated"
            out.append((c.get(f"{W}author"), "".join(t.text or "" for t in c.iter(f"{W}t")), where[c.get(f"{W}id")]))
        return out

    got = comments(download(s, format="docx", changes="tracked", against="A/RES/79/53").content)
    assert [(a, t) for a, t, _ in got] == [("Egypt", "Why full?"), ("Secretariat", "Agreed text."),
                                           ("Algeria", "Plans matter.")]
    assert got[0][2].startswith("Recognizing the importance of full and effective")
    assert "regional and subregional strategies" in got[2][2]  # OP6, which the proposal changes
    done = zipfile.ZipFile(io.BytesIO(download(s, format="docx", changes="tracked", against="A/RES/79/53")
                                      .content)).read("word/commentsExtended.xml").decode()
    assert done.count('w15:done="1"') == 2 and "paraIdParent" in done  # the resolved thread, its reply
    with_proposals = comments(download(s, format="docx", changes="tracked", against="proposals").content)
    assert "and action plans" in with_proposals[2][2]  # drawn applied: its change in the range
    assert comments(download(s, format="docx").content) == []
    package = zipfile.ZipFile(io.BytesIO(s.get(f"/api/drafts/{d}/package", s.tokens["sec"]).content))
    tracked = next(n for n in package.namelist() if "_tracked_" in n)
    assert comments(package.read(tracked)) == []


def test_clean_docx_pdf_html_md_akn(server: Server):
    docx = download(server, format="docx").content
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "Distr.: Limited" in xml and "<w:ins " not in xml
    assert "including persons with disabilities" in xml
    pdf = download(server, format="pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "A/C.1/81/L.12" in text and "Distr.: Limited" in text
    assert re.search(r"Countering\s+the\s+threat\s+posed\s+by\s+improvised", text)
    html = download(server, format="html").text
    assert "Strongly urges" in html
    md = download(server, format="md").text
    assert "Strongly urges" in md
    akn = download(server, format="akn")
    assert akn.headers["content-type"].startswith("application/akn+xml") and b"<akomaNtoso" in akn.content


def test_export_errors(server: Server):
    assert download(server, format="odt").status_code == 422
    r = download(server, format="docx", changes="tracked")
    assert r.status_code == 422 and "against" in r.json()["error"]
    r = download(server, format="docx", changes="tracked", against="rev:7")
    assert r.status_code == 404 and r.json()["error"] == f"no revision 7 of draft {server.draft_id}"
    r = download(server, format="docx", changes="tracked", against="A/RES/1/1")
    assert r.status_code == 404 and "no prior resolution" in r.json()["error"]
    r = server.get("/api/drafts/99/export", server.tokens["sec"])
    assert r.status_code == 404 and r.json()["error"] == "no draft 99"
    assert download(server, token="obs", format="docx").status_code == 403


def test_cli_export_and_compare(server: Server, tmp_path, capsys):
    out = tmp_path / "x.docx"
    code = main(["export", str(server.draft_id), "--format", "docx", "--changes", "tracked", "--against",
                 "A/RES/79/53", "-o", str(out), "--database-url", server.database_url])
    assert code == 0 and zipfile.ZipFile(out).read("word/document.xml")
    code = main(["export", "99", "--database-url", server.database_url])
    assert code == 2 and "no draft 99" in capsys.readouterr().err
    code = main(["compare", "drafts/A_RES_79_53.txt", f"draft:{server.draft_id}", "--color", "never",
                 "--database-url", server.database_url])
    printed = capsys.readouterr().out
    assert code == 0
    assert "full {+and effective +}involvement" in printed
    assert "eighty-[-first-]{+third+}" in printed


def test_cli_compare_a_symbol_with_a_draft_is_the_tracked_export(server: Server, capsys):
    """`penholder compare A/RES/79/53 ID`: what export --against A/RES/79/53 tracks, with
    each change's author."""
    code = main(["compare", "A/RES/79/53", str(server.draft_id), "--color", "never",
                 "--database-url", server.database_url])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "{+and effective +}[France]" in printed or "{+ and effective+}[France]" in printed
    assert re.search(r"including persons with disabilities\+\}\[Egypt\]", printed)
    assert "eighty-[-first-]{+third+}[Secretariat]" in printed
    code = main(["compare", "rev:0", f"draft:{server.draft_id}", "--color", "never",
                 "--database-url", server.database_url])
    assert code == 0 and "[Egypt]" in capsys.readouterr().out
    code = main(["compare", "A/RES/1/1", str(server.draft_id), "--database-url", server.database_url])
    assert code == 2 and "no prior resolution A/RES/1/1" in capsys.readouterr().err


def test_delegations_typing_at_once_are_each_named_for_their_own_words(tmp_path):
    """Two penholders type in two paragraphs at the same time, their keystrokes
    interleaved in the log: each inserted passage is tracked under its own delegation."""
    from sqlalchemy.orm import Session

    from penholder import exports
    from penholder.auth import create_user
    from penholder.store import append_update, make_engine, migrate
    from penholder.sync.persistence import load_doc
    from penholder.sync.schema import roots
    from penholder.zero_draft import create_from_prior, secretariat_user

    engine = make_engine(f"sqlite:///{tmp_path / 'typing.db'}")
    migrate(engine)
    with Session(engine) as db, db.begin():
        staff = secretariat_user(db).id
    fr, _ = create_user(engine, "fr", "France", "penholder")
    eg, _ = create_user(engine, "eg", "Egypt", "penholder")
    who = {"fr": (fr.id, fr.delegation_id), "eg": (eg.id, eg.delegation_id)}
    draft = create_from_prior(engine, "A/RES/79/53", staff).id
    doc, _ = load_doc(engine, draft)
    _, paragraphs, _ = roots(doc)
    texts = {str(p["id"]): p["text"] for p in paragraphs}
    typed = {"fr": (PP7, " the French words"), "eg": ("res-79-53.op13", " the Egyptian words")}
    start = {name: len(texts[pid]) - 1 for name, (pid, _) in typed.items()}  # before the final stop
    with Session(engine) as db, db.begin():
        for i in range(max(len(words) for _, words in typed.values())):
            for name, (pid, words) in typed.items():
                if i < len(words):
                    before = doc.get_state()
                    texts[pid].insert(start[name] + i, words[i])
                    user_id, delegation_id = who[name]
                    append_update(db, draft, doc.get_update(before), user_id=user_id, delegation_id=delegation_id)
    out = exports.export(engine, draft, "docx", "tracked", "A/RES/79/53")
    revs = revisions(out.data)
    assert any(k == "ins" and a == "France" and "French words" in t for k, a, t in revs), revs
    assert any(k == "ins" and a == "Egypt" and "Egyptian words" in t for k, a, t in revs), revs
    assert not any(a == "France" and "Egyptian" in t or a == "Egypt" and "French" in t for _, a, t in revs)
    engine.dispose()


class TypedDraft:
    """A draft started from A/RES/79/53 on SQLite, typed into by France, Egypt and the
    Secretariat one keystroke an update, each logged as an editor sends it."""

    def __init__(self, path) -> None:  # type: ignore[no-untyped-def]
        from sqlalchemy.orm import Session

        from penholder.auth import create_user
        from penholder.store import make_engine, migrate
        from penholder.sync.persistence import load_doc
        from penholder.sync.schema import roots
        from penholder.zero_draft import create_from_prior, secretariat_user

        self.engine = make_engine(f"sqlite:///{path}")
        migrate(self.engine)
        with Session(self.engine) as db, db.begin():
            staff = secretariat_user(db).id
        fr, _ = create_user(self.engine, "fr", "France", "penholder")
        eg, _ = create_user(self.engine, "eg", "Egypt", "penholder")
        self.who = {"fr": (fr.id, fr.delegation_id), "eg": (eg.id, eg.delegation_id), "sec": (staff, None)}
        self.draft = create_from_prior(self.engine, "A/RES/79/53", staff).id
        self.doc, _ = load_doc(self.engine, self.draft)
        _, self.paragraphs, self.footnotes = roots(self.doc)
        self.sent: list[bytes] = []
        self.doc.observe(lambda event: self.sent.append(event.update))

    def text(self, pid: str):  # type: ignore[no-untyped-def]
        return next(p["text"] for p in self.paragraphs if p["id"] == pid)

    def logged(self, name: str, edit) -> None:  # type: ignore[no-untyped-def]
        from sqlalchemy.orm import Session

        from penholder.store import append_update

        with self.doc.transaction():
            edit()
        user_id, delegation_id = self.who[name]
        with Session(self.engine) as db, db.begin():
            append_update(db, self.draft, self.sent.pop(), user_id=user_id, delegation_id=delegation_id)

    def typed(self, name: str, pid: str, at: int, words: str) -> None:
        for i, ch in enumerate(words):
            self.logged(name, lambda i=i, ch=ch: self.text(pid).insert(at + i, ch))

    def tracked(self) -> bytes:
        from penholder import exports

        return exports.export(self.engine, self.draft, "docx", "tracked", "A/RES/79/53").data


def docx_parts(docx: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(docx))
    return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}  # its time of making


def test_an_export_after_more_edits_replays_only_those_and_tracks_what_a_whole_replay_does(
        tmp_path, monkeypatch):
    """Exported once, then edited again: France typing on in the paragraph she was typing
    in, Egypt joining her there, the Secretariat correcting a footnote, Egypt moving a
    paragraph. The next export reads only the updates logged since, and its document is
    the one a replay of the whole log gives, each change under its delegation."""
    from pycrdt import Map, Text

    from penholder import exports, log_authors
    from penholder.store import log as stored_log

    d = TypedDraft(tmp_path / "again.db")
    paragraphs, footnotes = d.paragraphs, d.footnotes
    op3 = "res-79-53.op3"  # after OP2, which Egypt moves below it later
    french = len(str(d.text(PP7))) - 1  # before the final stop
    d.typed("fr", PP7, french, " the French words")
    egyptian = len(str(d.text(op3))) - 1
    d.typed("eg", op3, egyptian, " the Egyptian words")
    first = d.tracked()

    d.typed("fr", PP7, french + len(" the French words"), " and more")  # her run goes on
    d.typed("eg", PP7, 0, "Also ")
    fid = sorted(footnotes.keys())[-1]
    d.logged("sec", lambda: footnotes[fid].insert(len(str(footnotes[fid])), " (A/81/187)"))

    def move_op2() -> None:
        i = next(i for i, p in enumerate(paragraphs) if p["id"] == "res-79-53.op2")
        kept = paragraphs[i]
        words, kind, level = str(kept["text"]), kept["kind"], kept["level"]
        del paragraphs[i]
        paragraphs.insert(i + 2, Map({"id": "res-79-53.op2", "kind": kind, "level": level, "text": Text()}))
        paragraphs[i + 2]["text"].insert(0, words)
    d.logged("eg", move_op2)
    # OP3 is now a paragraph higher: what is typed next to its earlier words is still its own
    d.typed("eg", op3, egyptian + len(" the Egyptian words"), " and others")
    d.typed("fr", op3, egyptian + len(" the Egyptian words and others"), " and the French ones")
    d.typed("fr", "res-79-53.op2", 0, "Firmly ")

    def whole_log_not_read(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the export replayed the whole log again")
    with monkeypatch.context() as m:
        m.setattr(stored_log, "entries_after", whole_log_not_read)
        again = d.tracked()
        marked = exports.log_authorship(d.engine, d.draft, 1)
    log_authors.forget(d.engine)
    whole = d.tracked()
    d.engine.dispose()

    assert docx_parts(again) == docx_parts(whole)
    assert docx_parts(again) != docx_parts(first)
    revs = revisions(again)
    assert any(k == "ins" and a == "France" and "French words and more" in t for k, a, t in revs), revs
    assert any(k == "ins" and a == "Egypt" and t.strip() == "Also" for k, a, t in revs), revs
    assert any(k == "ins" and a == "Egypt" and "Egyptian words and others" in t for k, a, t in revs), revs
    assert any(k == "ins" and a == "France" and t.strip() == "Firmly" for k, a, t in revs), revs
    assert not any(a == "France" and ("Also" in t or "Egyptian" in t or "others" in t) for _, a, t in revs), revs
    assert not any(a == "Egypt" and ("French words" in t or "Firmly" in t) for _, a, t in revs), revs
    assert [marked.attribute(op3, "ins", words).name for words in (" and others", " and the French ones")] \
        == ["Egypt", "France"]
    xml = docx_parts(again)
    assert re.search(r'<w:moveTo [^>]*w:author="Egypt"', xml["word/document.xml"].decode())
    assert re.search(r'<w:ins [^>]*w:author="Secretariat"[^>]*>(?:(?!</w:ins>).)*A/81/187',
                     xml["word/footnotes.xml"].decode(), re.S)


def test_an_export_after_the_log_was_rewritten_replays_it_whole(tmp_path):
    """The database put back under a running server (a restored backup): the log no
    longer holds the update the last export stopped at, and the next export shows what
    the log holds now, not the words typed before the restore."""
    from sqlalchemy import delete, update
    from sqlalchemy.orm import Session

    from penholder import log_authors
    from penholder.store.tables import Draft, Update
    from penholder.sync.persistence import load_doc
    from penholder.sync.schema import roots

    d = TypedDraft(tmp_path / "restored.db")
    end = len(str(d.text(PP7))) - 1
    d.typed("fr", PP7, end, " the French words")
    with Session(d.engine) as db:
        backup = db.get(Draft, d.draft).last_seq
    d.typed("eg", PP7, end, " lost words")
    assert "lost words" in "".join(t for _, _, t in revisions(d.tracked()))

    with Session(d.engine) as db, db.begin():  # the backup, taken before Egypt typed
        db.execute(delete(Update).where(Update.draft_id == d.draft, Update.seq > backup))
        db.execute(update(Draft).where(Draft.id == d.draft).values(last_seq=backup))
    d.doc, _ = load_doc(d.engine, d.draft)  # the editors' documents as the backup has them
    _, d.paragraphs, d.footnotes = roots(d.doc)
    d.doc.observe(lambda event: d.sent.append(event.update))
    d.typed("eg", PP7, 0, "Also the restored words, ")

    after = d.tracked()
    log_authors.forget(d.engine)
    whole = d.tracked()
    d.engine.dispose()
    text = "".join(t for _, _, t in revisions(after))
    assert "lost words" not in text and "restored words" in text
    assert docx_parts(after) == docx_parts(whole)


def test_file_names_carry_the_basis(server: Server):
    for against, name in (("rev:0", "A_C.1_81_L.12_tracked_vs_zero_draft.docx"),
                          ("proposals", "A_C.1_81_L.12_tracked_with_proposals.docx")):
        r = download(server, format="docx", changes="tracked", against=against)
        assert f'filename="{name}"' in r.headers["content-disposition"]


def test_the_issue_date_is_the_day_of_tabling_whenever_the_export_is_made(server: Server):
    """Tabling fixes the date of issue; the masthead and the Akoma Ntoso identifiers
    carry it, not the day of the export (moved back here, as if tabled weeks ago)."""
    from datetime import UTC, date, datetime

    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from penholder.store import issues
    from penholder.store import make_engine
    from penholder.store.tables import DraftIssue

    engine = make_engine(server.database_url)
    try:
        found = issues.issue_of(engine, server.draft_id, "A/C.1/81/L.12")
        assert found is not None and found.issued_on == datetime.now(UTC).date()
        with Session(engine) as db, db.begin():
            db.execute(update(DraftIssue).where(DraftIssue.draft_id == server.draft_id)
                       .values(issued_on=date(2026, 10, 14)))
        r = server.post(f"/api/drafts/{server.draft_id}/table", server.tokens["sec"],
                        json={"symbol": "A/C.1/81/L.12"})  # tabled again: the date stays
        assert r.status_code == 200
        assert issues.issue_of(engine, server.draft_id, "A/C.1/81/L.12").issued_on == date(2026, 10, 14)
    finally:
        engine.dispose()
    for params in ({"format": "docx"}, {"format": "docx", "changes": "tracked", "against": "A/RES/79/53"}):
        xml = zipfile.ZipFile(io.BytesIO(download(server, **params).content)).read("word/document.xml").decode()
        assert "14 October 2026" in xml
    akn = download(server, format="akn").content.decode()
    assert "/akn/un/statement/deliberation/unga/2026-10-14/A-C.1-81-L.12" in akn
    assert 'date="2026-10-14"' in akn and datetime.now(UTC).date().isoformat() not in akn


def test_submission_package(server: Server, tmp_path):
    """One zip for submitting the L document: Word tracked against the official A/RES
    text, clean Word, PDF, the sponsors as the document lists them (alphabetical)."""
    # France holds the pen (a main sponsor already); the Secretariat records two more
    r = server.post(f"/api/drafts/{server.draft_id}/sponsors", server.tokens["fr"], json={"kind": "main"})
    assert r.status_code == 409 and "already sponsors" in r.json()["error"], r.text
    for who, body in (("sec", {"delegation": "Egypt", "kind": "main"}),
                      ("sec", {"delegation": "Algeria", "kind": "main"}), ("obs", {"kind": "cosponsor"})):
        r = server.post(f"/api/drafts/{server.draft_id}/sponsors", server.tokens[who], json=body)
        assert r.status_code in (200, 201, 403), r.text
    r = server.get(f"/api/drafts/{server.draft_id}/package", server.tokens["sec"])
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    assert 'filename="A_C.1_81_L.12_submission.zip"' in r.headers["content-disposition"]
    z = zipfile.ZipFile(io.BytesIO(r.content))
    assert sorted(z.namelist()) == sorted(["A_C.1_81_L.12_tracked_vs_A_RES_79_53.docx", "A_C.1_81_L.12.docx",
                                           "A_C.1_81_L.12.pdf", "A_C.1_81_L.12_sponsors.txt"])
    revs = revisions(z.read("A_C.1_81_L.12_tracked_vs_A_RES_79_53.docx"))
    assert any(a == "Egypt" and "including persons with disabilities" in t for _, a, t in revs)
    assert revisions(z.read("A_C.1_81_L.12.docx")) == []
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(z.read("A_C.1_81_L.12.pdf"))).pages)
    assert "Algeria, Egypt and France: draft resolution" in " ".join(pdf.split())
    listed = z.read("A_C.1_81_L.12_sponsors.txt").decode()
    assert "Tracked against: A/RES/79/53" in listed
    assert listed.index("Algeria") < listed.index("Egypt") < listed.index("France")
    out = tmp_path / "p.zip"
    assert main(["export", str(server.draft_id), "--package", "-o", str(out),
                 "--database-url", server.database_url]) == 0
    assert sorted(zipfile.ZipFile(out).namelist()) == sorted(z.namelist())
    assert server.get(f"/api/drafts/{server.draft_id}/package", server.tokens["obs"]).status_code == 403
    assert server.get("/api/drafts/99/package", server.tokens["sec"]).status_code == 404


def test_a_revised_draft_is_submitted_tracked_against_the_issued_l_document(server: Server):
    """Last in this module: it issues Rev.1. The package of a Rev. tracks only what
    changed since the L document was issued."""
    async def edit():
        c = await YClient(s.ws(s.tokens["fr"])).connect()
        c.insert("res-79-53.op2", 0, "Again ")
        await c.flush()
        await c.close()
    s = server
    asyncio.run(edit())
    r = s.post(f"/api/drafts/{s.draft_id}/table", s.tokens["sec"], json={"symbol": "A/C.1/81/L.12/Rev.1"})
    assert r.status_code == 200, r.text
    r = s.get(f"/api/drafts/{s.draft_id}/package", s.tokens["sec"])
    assert r.status_code == 200, r.text
    z = zipfile.ZipFile(io.BytesIO(r.content))
    tracked = "A_C.1_81_L.12_Rev.1_tracked_vs_A_C.1_81_L.12.docx"
    assert tracked in z.namelist()
    assert [(k, a, t.strip()) for k, a, t in revisions(z.read(tracked))] == [("ins", "France", "Again")]
    xml = zipfile.ZipFile(io.BytesIO(z.read(tracked))).read("word/document.xml").decode()
    assert "revised draft resolution" in xml
