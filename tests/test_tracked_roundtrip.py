"""The tracked exports of a negotiated draft, accepted and rejected as a Secretariat
editor would: in LibreOffice (its own Accept All / Reject All, through UNO) and in pandoc
(--track-changes=accept|reject). Accepting all must give the clean export, rejecting all
the basis, paragraph by paragraph, numbers and footnotes included.

The draft: a penholder's live edits (text and a footnote), the Secretariat's technical
footnote change, accepted amendments that replace text, add, delete and move paragraphs,
three rejected ones, a revision, later edits, a pending proposal; then tabled.
"""

from __future__ import annotations

import asyncio
import copy
import io
import json
import re
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from pycrdt import Map, Text

from penholder import exports
from penholder.ingest import import_path
from penholder.model import Resolution
from penholder.render import render
from penholder.render.pandoc import pandoc_path
from penholder.store import make_engine
from penholder.sync.schema import roots
from live import LiveServer
from server import Server
from yclient import YClient

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(__file__).resolve().parent / "libreoffice_revisions.py"
USERS = [("fr", "France", "penholder"), ("eg", "Egypt", "delegate"), ("dz", "Algeria", "delegate"),
         ("fac", None, "facilitator"), ("sec", None, "secretariat")]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REVISION_TAGS = {f"{W}{t}" for t in ("ins", "del", "moveFrom", "moveTo", "moveFromRangeStart",
                                     "moveToRangeStart")}
P = "res-79-53."


def amend(s: Server, who: str, body: dict, decision: str) -> dict:  # type: ignore[type-arg]
    r = s.post(f"/api/drafts/{s.draft_id}/amendments", s.tokens[who], json=body)
    assert r.status_code in (200, 201), r.text
    a = r.json()
    if decision != "pending":
        d = s.post(f"/api/amendments/{a['id']}/{decision}", s.tokens["fac"], json={})
        assert d.status_code == 200, d.text
    return a


async def live(s: Server, who: str, edit) -> None:  # type: ignore[no-untyped-def]
    c = await YClient(s.ws(s.tokens[who])).connect()
    with c.doc.transaction():
        edit(c.doc)
    await c.flush()  # the server has stored it: its answer comes after the update
    await c.close()


def text_of(doc, pid: str) -> Text:  # type: ignore[no-untyped-def]
    _, paragraphs, _ = roots(doc)
    return next(p["text"] for p in paragraphs if p["id"] == pid)


@pytest.fixture(scope="module")
def negotiated(tmp_path_factory) -> Iterator[tuple[Server, Path]]:
    out = tmp_path_factory.mktemp("roundtrip")
    s = LiveServer(f"sqlite:///{out / 'r.db'}")
    s.seed(USERS)
    s.start()
    # the zero draft (the text as created) is stored with the first revision cut, Rev.1

    def penholder_edits(doc) -> None:  # type: ignore[no-untyped-def]
        pp7 = text_of(doc, P + "pp7")
        pp7.insert(len("Recognizing the importance of full".encode()), " and effective")
        op5 = text_of(doc, P + "op5")  # edited here, moved later by Algeria
        at = str(op5).index("cooperation") + len("cooperation")
        op5.insert(at, " and coordination")
        _, paragraphs, footnotes = roots(doc)
        fid = sorted(footnotes.keys())[0]
        footnotes[fid].insert(0, "See, in particular, ")  # a penholder's footnote edit
        # a paragraph typed in live, after OP1
        index = next(i for i, p in enumerate(paragraphs) if p["id"] == P + "op1")
        paragraphs.insert(index + 1, Map({"id": "fr-live-1", "kind": "op", "level": 0, "text": Text()}))
        paragraphs[index + 1]["text"].insert(0, "Invites States to report on the steps taken;")
        paragraphs[index + 1]["text"].format(0, len("Invites"), {"italic": True})

    asyncio.run(live(s, "fr", penholder_edits))

    def secretariat_footnote(doc) -> None:  # type: ignore[no-untyped-def]
        _, _, footnotes = roots(doc)
        fid = sorted(footnotes.keys())[-1]
        footnotes[fid].insert(len(str(footnotes[fid]).encode()), " (A/81/187)")
    asyncio.run(live(s, "sec", secretariat_footnote))

    amend(s, "eg", {"operation": "replace_text", "paragraph_id": P + "op13", "target_text": "girls, boys and men",
                    "new_text": "girls, boys and men, including persons with disabilities"}, "accept")
    amend(s, "eg", {"operation": "add_paragraph", "position": f"after:{P}op3", "kind": "op",
                    "new_text": "Calls upon States to share data on incidents with the United Nations;"}, "accept")
    amend(s, "dz", {"operation": "delete_paragraph", "paragraph_id": P + "op10"}, "accept")
    amend(s, "dz", {"operation": "delete_paragraph", "paragraph_id": P + "pp4"}, "accept")
    amend(s, "dz", {"operation": "move_paragraph", "paragraph_id": P + "op5", "position": f"after:{P}op8"},
          "accept")
    amend(s, "fr", {"operation": "replace_text", "paragraph_id": P + "op2", "target_text": "where appropriate",
                    "new_text": "as a matter of priority"}, "accept")
    amend(s, "eg", {"operation": "delete_paragraph", "paragraph_id": P + "op11"}, "reject")
    amend(s, "dz", {"operation": "insert_text", "paragraph_id": P + "op6", "position": "after",
                    "target_text": "regional and subregional strategies", "new_text": " and road maps"}, "reject")
    amend(s, "fr", {"operation": "move_paragraph", "paragraph_id": P + "op1", "position": f"after:{P}op2"},
          "reject")
    s.post(f"/api/drafts/{s.draft_id}/revisions", s.tokens["fac"], json={})  # Rev.1

    def after_revision(doc) -> None:  # type: ignore[no-untyped-def]
        op4 = text_of(doc, P + "op4")
        op4.insert(0, "")  # no-op guard: the paragraph exists
        t = str(op4)
        cut = t.index("Underlines")
        del op4[cut:cut + len("Underlines".encode())]
        op4.insert(cut, "Stresses")
    asyncio.run(live(s, "fr", after_revision))
    amend(s, "dz", {"operation": "insert_text", "paragraph_id": P + "op6", "position": "after",
                    "target_text": "regional and subregional strategies", "new_text": " and action plans"},
          "pending")
    r = s.post(f"/api/drafts/{s.draft_id}/table", s.tokens["sec"], json={"symbol": "A/C.1/81/L.12"})
    assert r.status_code == 200, r.text
    yield s, out
    s.stop()


def download(s: Server, **params) -> bytes:  # type: ignore[no-untyped-def]
    r = s.get(f"/api/drafts/{s.draft_id}/export", s.tokens["sec"], params=params)
    assert r.status_code == 200, r.text
    return r.content


@pytest.fixture(scope="module")
def files(negotiated) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    """The tracked exports against each basis, the clean export, and each basis rendered
    clean under the draft's heading (the heading is not a tracked change)."""
    s, out = negotiated
    engine = make_engine(s.database_url)
    try:
        new, _ = exports.current(engine, s.draft_id)
        rev1, _ = exports.revision(engine, s.draft_id, 1)
        live_doc, _ = exports.load_doc(engine, s.draft_id)
        with_proposals, _ = exports.with_proposals(engine, s.draft_id, new, live_doc)
    finally:
        engine.dispose()
    prior = import_path(ROOT / "drafts" / "A_RES_79_53.txt")
    assert isinstance(prior, Resolution)
    clean = download(s, format="docx")
    issued = masthead_date(clean)

    def under_new_heading(res: Resolution) -> bytes:
        res = copy.deepcopy(res)
        res.heading = copy.deepcopy(new.heading)
        return render(res, "docx", issued=issued)

    paths = {}
    sub_tracked, sub_new, sub_old = subparagraphs_moved(prior, issued)
    for name, data in {
        "subs_tracked": sub_tracked, "subs_new": sub_new, "subs_old": sub_old,
        "clean": clean,
        "tracked_res": download(s, format="docx", changes="tracked", against="A/RES/79/53"),
        "tracked_rev": download(s, format="docx", changes="tracked", against="rev:1"),
        "tracked_proposals": download(s, format="docx", changes="tracked", against="proposals"),
        "basis_res": under_new_heading(prior),
        "basis_rev": under_new_heading(rev1),
        "with_proposals": under_new_heading(with_proposals),
    }.items():
        paths[name] = out / f"{name}.docx"
        paths[name].write_bytes(data)
    return paths


def subparagraphs_moved(prior: Resolution, issued: date) -> tuple[bytes, bytes, bytes]:
    """In process, what the live draft above does not have: a paragraph with
    subparagraphs moved (one deleted and one reworded on the way, one added), and the
    last paragraph deleted (the document's final paragraph mark cannot go)."""
    from datetime import datetime, timezone

    from penholder.compare import compare
    from penholder.compare.changes import Author
    from penholder.model import Paragraph

    old = copy.deepcopy(prior)
    h = old.heading
    h.symbol, h.session, h.committee, h.adopted_on, h.meeting = "A/C.1/81/L.12", 81, "First Committee", None, None
    old.operative[4].subparagraphs = [
        Paragraph("s.a", "sub", "by sharing information;"),
        Paragraph("s.b", "sub", "by building capacity:", subparagraphs=[
            Paragraph("s.b.i", "sub", "through training of customs officers;"),
            Paragraph("s.b.ii", "sub", "through the exchange of experts;")])]
    new = copy.deepcopy(old)
    op5 = new.operative.pop(4)
    new.operative.insert(7, op5)
    del op5.subparagraphs[0]
    op5.subparagraphs[0].subparagraphs[0].text = "through training of border officials;"
    op5.subparagraphs.append(Paragraph("s.c", "sub", "by sharing data;"))
    new.operative.pop()
    c = compare(old, new, fallback=Author("Mexico", datetime(2026, 10, 1, tzinfo=timezone.utc)))
    return (render(c, "docx", issued=issued), render(new, "docx", issued=issued),
            render(old, "docx", issued=issued))


def masthead_date(docx: bytes) -> date:
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    m = re.search(r"(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|"
                  r"November|December) (\d{4})", xml)
    assert m
    from datetime import datetime
    return datetime.strptime(m.group(0), "%d %B %Y").date()


@pytest.fixture(scope="module")
def libreoffice(files: dict[str, Path], tmp_path_factory) -> dict[str, dict]:  # type: ignore[type-arg]
    """One LibreOffice run for every file and mode (it is slow to start)."""
    jobs = [f"{files['clean']}:none", f"{files['basis_res']}:none", f"{files['basis_rev']}:none",
            f"{files['with_proposals']}:none", f"{files['subs_new']}:none", f"{files['subs_old']}:none"]
    for name in ("tracked_res", "tracked_rev", "tracked_proposals", "subs_tracked"):
        jobs += [f"{files[name]}:{mode}" for mode in ("accept", "reject", "none")]
    out = tmp_path_factory.mktemp("lo") / "lo.json"
    proc = subprocess.run(["/usr/bin/python3", str(SCRIPT), str(out), *jobs], capture_output=True,
                          text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    return {Path(k.rpartition(":")[0]).stem + ":" + k.rpartition(":")[2]: v
            for k, v in json.loads(out.read_text()).items()}


def pandoc(path: Path, mode: str) -> list[str]:
    out = subprocess.run([pandoc_path(), f"--track-changes={mode}", "-t", "plain", "--wrap=none", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return [p.strip() for p in out.split("\n\n") if p.strip()]


CASES = [("tracked_res", "clean", "basis_res"), ("tracked_rev", "clean", "basis_rev"),
         ("tracked_proposals", "with_proposals", "clean"), ("subs_tracked", "subs_new", "subs_old")]


@pytest.mark.parametrize("tracked,accepted,rejected", CASES)
def test_libreoffice_accept_all_is_the_new_text_and_reject_all_the_basis(libreoffice, tracked, accepted,
                                                                         rejected):  # type: ignore[no-untyped-def]
    acc, rej = libreoffice[f"{tracked}:accept"], libreoffice[f"{tracked}:reject"]
    assert len(acc["paragraphs"]) > 30 and acc["paragraphs"] != rej["paragraphs"]
    assert acc["paragraphs"] == libreoffice[f"{accepted}:none"]["paragraphs"]
    assert acc["footnotes"] == libreoffice[f"{accepted}:none"]["footnotes"]
    assert rej["paragraphs"] == libreoffice[f"{rejected}:none"]["paragraphs"]
    assert rej["footnotes"] == libreoffice[f"{rejected}:none"]["footnotes"]
    shown = libreoffice[f"{tracked}:none"]
    assert shown["redlines"] > 0 and shown["track_changes"]  # Track Changes on for further edits


@pytest.mark.parametrize("tracked,accepted,rejected", CASES)
def test_pandoc_accept_all_is_the_new_text_and_reject_all_the_basis(files, tracked, accepted, rejected):  # type: ignore[no-untyped-def]
    assert pandoc(files[tracked], "accept") != pandoc(files[tracked], "reject")
    assert pandoc(files[tracked], "accept") == pandoc(files[accepted], "accept")
    assert pandoc(files[tracked], "reject") == pandoc(files[rejected], "accept")


def test_numbers_come_back_on_reject(libreoffice):  # type: ignore[no-untyped-def]
    """Paragraphs inserted and deleted before them: rejecting all gives the old numbers."""
    rej = libreoffice["tracked_res:reject"]["paragraphs"]
    ops = [p for p in rej if re.match(r"\d+\.\t", p)]
    assert [int(p.split(".")[0]) for p in ops] == list(range(1, len(ops) + 1))
    assert ops[-1].startswith("28.\tDecides to include")
    acc = libreoffice["tracked_res:accept"]["paragraphs"]
    assert any(p.startswith("5.\tCalls upon States to share data") for p in acc)


def parts(path: Path) -> dict[str, etree._Element]:
    z = zipfile.ZipFile(path)
    return {n: etree.fromstring(z.read(n)) for n in ("word/document.xml", "word/footnotes.xml",
                                                       "word/settings.xml")}


def changes(path: Path) -> list[tuple[str, str, str, str | None]]:
    """(kind, author, text, date) of every revision in the document and its footnotes."""
    out = []
    for name, root in parts(path).items():
        for e in root.iter(*[f"{W}{t}" for t in ("ins", "del", "moveFrom", "moveTo")]):
            text = "".join(t.text or "" for t in e.iter(f"{W}t", f"{W}delText"))
            out.append((etree.QName(e).localname + ("@" + name if "foot" in name else ""),
                        e.get(f"{W}author"), text, e.get(f"{W}date")))
    return out


@pytest.mark.parametrize("name", ["tracked_res", "tracked_rev", "tracked_proposals"])
def test_ids_unique_authors_named_and_dated_track_changes_on(files, name):  # type: ignore[no-untyped-def]
    p = parts(files[name])
    ids = [e.get(f"{W}id") for root in (p["word/document.xml"], p["word/footnotes.xml"])
           for e in root.iter() if e.tag in REVISION_TAGS]
    assert ids and len(ids) == len(set(ids))
    assert p["word/settings.xml"].find(f"{W}trackRevisions") is not None
    assert p["word/settings.xml"].find(f"{W}doNotTrackMoves") is None
    for kind, author, _text, when in changes(files[name]):
        assert author and author != "Unknown", kind
        assert when and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", when)


def test_each_kind_of_change_under_its_author(files):  # type: ignore[no-untyped-def]
    got = changes(files["tracked_res"])

    def by(author: str, kind: str, words: str) -> bool:
        return any(k == kind and a == author and words in t for k, a, t, _ in got)
    assert by("France", "ins", "and effective")                     # live edit
    assert by("France", "ins", "Invites States to report")          # live new paragraph
    assert by("France", "ins@word/footnotes.xml", "See, in particular,")  # live footnote edit
    assert by("Secretariat", "ins@word/footnotes.xml", "A/81/187")  # the Secretariat's footnote
    assert by("Secretariat", "ins", "third")                        # the technical rollover
    assert by("Egypt", "ins", "including persons with disabilities")  # accepted amendments
    assert by("Egypt", "ins", "Calls upon States to share data")
    assert by("Algeria", "del", "Expressing profound concern at the indiscriminate use")
    assert by("Algeria", "moveFrom", "Encourages international and regional cooperation")
    assert by("Algeria", "moveTo", "Encourages international and regional cooperation")
    assert by("France", "ins", "and coordination")  # an edit inside the moved paragraph keeps its author
    assert by("France", "ins", "as a matter of priority")
    assert by("France", "ins", "Stresses")                          # after the revision
    assert not any("road maps" in t or "action plans" in t for _, _, t, _ in got)  # rejected, pending
    since_rev = {a for _, a, _, _ in changes(files["tracked_rev"])}
    assert since_rev == {"France"}
    assert {(k, a) for k, a, _, _ in changes(files["tracked_proposals"])} == {("ins", "Algeria")}


def test_dates_are_when_changes_were_made_not_the_export(negotiated, files):  # type: ignore[no-untyped-def]
    s, out = negotiated
    again = out / "again.docx"
    again.write_bytes(download(s, format="docx", changes="tracked", against="A/RES/79/53"))
    assert changes(again) == changes(files["tracked_res"])


def test_against_an_earlier_resolution_every_change_is_named(negotiated, tmp_path):  # type: ignore[no-untyped-def]
    """Against A/RES/75/59, a text the draft was not rolled over from, what the log does
    not explain is the General Assembly's, in adopting 79/53, dated that day."""
    s, _ = negotiated
    path = tmp_path / "vs75.docx"
    path.write_bytes(download(s, format="docx", changes="tracked", against="A/RES/75/59"))
    got = changes(path)
    authors = {a for _, a, _, _ in got}
    assert "General Assembly (A/RES/79/53)" in authors and "Unknown" not in authors
    assert {d for _, a, _, d in got if a == "General Assembly (A/RES/79/53)"} == {"2024-12-02T00:00:00Z"}
    assert any(a == "Egypt" and "including persons with disabilities" in t for _, a, t, _ in got)
