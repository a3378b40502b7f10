"""Filing amendments and what they cost in storage, as ratios measured in the same run.

One draft (the zero draft of A/RES/79/53), one delegation filing 1,000 amendments
through the REST API, in process (httpx on the ASGI app), on SQLite in a temporary file:

- time to file the 1st amendment and the 1,000th (median of the first ten and of the
  last ten filings); goal: the 1,000th within 1.5x of the 1st. Twice: with a client in
  the draft's room, as in a negotiation, and on a second draft nobody has open (each
  filing then loads the document from its snapshot and log);
- database size after the 1,000 amendments and after 10,000 edits more (a client's
  keystrokes taken by the live room as the websocket takes them, one logged update
  each), as ratios to the seeded draft;
- five amendments on a 1 MB paragraph: the growth of the database as a ratio to the
  paragraph's size (a record keeps the quote and its context, not the paragraph).

    .venv/bin/python benchmarks/amend_bench.py [--amendments 1000] [--edits 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

import httpx  # noqa: E402
from pycrdt import Doc, Text  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from penholder.amend.service import FilingLimit  # noqa: E402
from penholder.auth import create_user  # noqa: E402
from penholder.store import make_engine, migrate  # noqa: E402
from penholder.sync.edits import find_paragraph  # noqa: E402
from penholder.sync.hooks import Author  # noqa: E402
from penholder.web import create_app  # noqa: E402
from penholder.zero_draft import create_from_prior, secretariat_user  # noqa: E402

PP7 = "res-79-53.pp7"
BIG = "res-79-53.pp9"


def db_bytes(engine: Engine) -> int:
    with engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        pages = conn.execute(text("PRAGMA page_count")).scalar_one()
        free = conn.execute(text("PRAGMA freelist_count")).scalar_one()
        size = conn.execute(text("PRAGMA page_size")).scalar_one()
    return (pages - free) * size


def breakdown(engine: Engine) -> str:
    """Where the bytes are: snapshots, the update log, amendment records."""
    with engine.connect() as conn:
        snaps = conn.execute(text("SELECT count(*), coalesce(sum(length(state)), 0) FROM snapshots")).one()
        log = conn.execute(text("SELECT count(*), coalesce(sum(length(data)), 0) FROM updates")).one()
        rows = conn.execute(text(
            "SELECT count(*), coalesce(sum(length(coalesce(target_text, '')) + length(coalesce(new_text, '')) "
            "+ length(coalesce(context, '')) + length(rationale)), 0) FROM amendments")).one()
    return (f"{snaps[0]:,} snapshots {snaps[1] / 1e6:.2f} MB, {log[0]:,} logged updates {log[1] / 1e6:.2f} MB, "
            f"{rows[0]:,} amendment records {rows[1] / 1e6:.3f} MB of text")


async def run(amendments: int, edits: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        migrate(engine)
        with Session(engine) as db, db.begin():
            staff = secretariat_user(db).id
        user, token = create_user(engine, "eg", "Egypt", "delegate")
        uid, did = user.id, user.delegation_id
        draft = create_from_prior(engine, "A/RES/79/53", staff).id
        closed = create_from_prior(engine, "A/RES/79/53", staff).id
        seeded = db_bytes(engine)
        app = create_app(engine, filing_limit=FilingLimit(10 * amendments + 100, 3600))
        async with app.router.lifespan_context(app), httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://bench",
                headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:

            async def file(i: int, paragraph: str = PP7, target: str = "equal opportunities",
                           on: int = draft) -> float:
                started = time.perf_counter()
                r = await client.post(f"/api/drafts/{on}/amendments", json={
                    "operation": "insert_text", "paragraph_id": paragraph, "position": "after",
                    "target_text": target, "new_text": f" ({i})"})
                assert r.status_code == 201, r.text
                return time.perf_counter() - started

            rooms = app.state.rooms
            async with rooms.joined(str(draft)):  # a client in the room
                times = [await file(i) for i in range(amendments)]
            first, last = statistics.median(times[:10]), statistics.median(times[-10:])
            after_amendments = db_bytes(engine)
            amendments_breakdown = breakdown(engine)

            author = Author(uid, did)

            async with rooms.joined(str(draft)) as room:  # as if a client kept it open
                # A client's keystrokes: made on its own copy, each sent as its update and
                # taken the way the websocket takes one (stored, then broadcast).
                typist = Doc()
                typist.apply_update(room.state()[0])
                text_of = find_paragraph(typist, PP7)[1]["text"]
                for i in range(edits):
                    before = typist.get_state()
                    text_of.insert(i % 50, "x" if i % 2 == 0 else "y")
                    await room.receive_update(typist.get_update(before), author)
            after_edits = db_bytes(engine)
            edits_breakdown = breakdown(engine)

            megabyte = " wide" * 200_000 + " END"

            def grow(doc: Doc) -> None:
                t: Text = find_paragraph(doc, BIG)[1]["text"]
                t.insert(len(str(t)), megabyte)
            async with rooms.joined(str(draft)) as room:
                await room.change(grow, author)
                before_big = db_bytes(engine)
                for i in range(5):
                    await file(i, BIG, "END")
                after_big = db_bytes(engine)

            closed_times = [await file(i, on=closed) for i in range(amendments)]
            closed_first, closed_last = statistics.median(closed_times[:10]), statistics.median(closed_times[-10:])
            after_closed = db_bytes(engine)
        engine.dispose()

    print(f"filing, a client in the room: 1st {first * 1000:.1f} ms, {amendments:,}th {last * 1000:.1f} ms: "
          f"ratio {last / first:.2f} (goal: at most 1.5)")
    print(f"filing, nobody in the room: 1st {closed_first * 1000:.1f} ms, {amendments:,}th "
          f"{closed_last * 1000:.1f} ms: ratio {closed_last / closed_first:.2f}; the database grew "
          f"{(after_closed - after_big) / 1e6:.2f} MB ({(after_closed - after_big) / amendments:.0f} bytes each)")
    print(f"database: two seeded drafts {seeded / 1e6:.2f} MB; after {amendments:,} amendments on the first "
          f"{after_amendments / 1e6:.2f} MB (ratio {after_amendments / seeded:.2f}, "
          f"{(after_amendments - seeded) / amendments:.0f} bytes each); after {edits:,} edits more "
          f"{after_edits / 1e6:.2f} MB (ratio {after_edits / seeded:.2f}, "
          f"{(after_edits - after_amendments) / max(edits, 1):.0f} bytes each)")
    print(f"  after the amendments: {amendments_breakdown}")
    print(f"  after the edits: {edits_breakdown}")
    print(f"five amendments on a {len(megabyte) / 1e6:.1f} MB paragraph: the database grew "
          f"{(after_big - before_big) / 1e3:.0f} kB, ratio {(after_big - before_big) / len(megabyte):.3f} "
          f"to the paragraph (a copy each would be 5)")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--amendments", type=int, default=1000)
    p.add_argument("--edits", type=int, default=10_000)
    args = p.parse_args()
    asyncio.run(run(args.amendments, args.edits))


if __name__ == "__main__":
    main()
