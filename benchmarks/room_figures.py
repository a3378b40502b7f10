"""Penholder-only figures of the sync issue, each with a reference measured in the same run.

- memory of 1,000 idle rooms: a real `penholder serve` process, one websocket client per
  room (every room a copy of the zero draft), resident memory before and after; the
  reference is the size of the 1,000 documents as encoded updates. Goal < 1 GiB.
- time to load a room from 50,000 logged updates: what a room does on first join, with
  the snapshot the server keeps (one every 1,000 updates) and, as the worst case, from
  the bare log; the reference is reading the same rows alone. Goal < 200 ms.

    .venv/bin/python benchmarks/room_figures.py [--rooms 1000] [--updates 50000]
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
sys.path.insert(0, str(ROOT / "tests"))

from pycrdt import Doc, Text  # noqa: E402
from sqlalchemy import insert, select, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from penholder.store import make_engine, migrate  # noqa: E402
from penholder.store.log import log_after  # noqa: E402
from penholder.store.tables import Draft, Update  # noqa: E402
from penholder.sync.persistence import compact, load_state  # noqa: E402
from penholder.zero_draft import create_from_prior, secretariat_user  # noqa: E402


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def clone_drafts(engine, source: int, count: int) -> list[int]:  # type: ignore[no-untyped-def]
    """`count` more drafts with the source draft's log: rooms that cost what a real one does."""
    if count <= 0:
        return []
    with Session(engine) as db, db.begin():
        d = db.get(Draft, source)
        rows = db.execute(select(Update.seq, Update.data, Update.user_id, Update.origin)
                          .where(Update.draft_id == source).order_by(Update.seq)).all()
        ids = []
        for _ in range(count):
            copy = Draft(title=d.title, session=d.session, created_by=d.created_by, committee=d.committee,
                         last_seq=d.last_seq, base_symbol=d.base_symbol)
            db.add(copy)
            db.flush()
            ids.append(copy.id)
        db.execute(insert(Update), [{"draft_id": i, "seq": r.seq, "data": r.data, "user_id": r.user_id,
                                     "origin": r.origin} for i in ids for r in rows])
    return ids


async def hold_rooms(port: int, token: str, ids: list[int]) -> None:
    from yclient import YClient
    clients = []
    sem = asyncio.Semaphore(50)

    async def one(i: int) -> None:
        async with sem:
            clients.append(await YClient(f"ws://127.0.0.1:{port}/ws/drafts/{i}?token={token}").connect(60))
    await asyncio.gather(*(one(i) for i in ids))
    return clients  # type: ignore[return-value]


def idle_rooms(count: int) -> None:
    from server import Server
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/rooms.db"
        srv = Server(url)
        srv.seed([("bench", "France", "penholder")])
        engine = make_engine(url)
        ids = [srv.draft_id] + clone_drafts(engine, srv.draft_id, count - 1)
        doc_bytes = len(load_state(engine, srv.draft_id).doc.get_update())
        engine.dispose()
        srv.start()
        assert srv.proc is not None
        try:
            before = rss_kib(srv.proc.pid)

            async def run() -> int:
                clients = await hold_rooms(srv.port, srv.tokens["bench"], ids)
                await asyncio.sleep(1)
                after = rss_kib(srv.proc.pid)  # type: ignore[union-attr]
                for c in clients:
                    await c.close()
                return after
            t = time.perf_counter()
            after = asyncio.run(run())
            took = time.perf_counter() - t
        finally:
            srv.stop()
    grown = (after - before) * 1024
    print(f"memory of {count} idle rooms: {grown / 2**20:.0f} MiB over a {before / 1024:.0f} MiB idle server "
          f"({grown / count / 1024:.0f} KiB a room; {grown / (doc_bytes * count):.1f}x the {doc_bytes / 1024:.0f} KiB "
          f"encoded document) -- goal < 1024 MiB: {'ok' if grown < 2**30 else 'MISSED'}; "
          f"{count} clients joined in {took:.1f} s")


def typed_updates(n: int) -> list[bytes]:
    """n small updates as typing makes them: one character each, in a paragraph."""
    doc = Doc()
    doc["t"] = text = Text()
    out: list[bytes] = []
    doc.observe(lambda e: out.append(e.update))
    for i in range(n):
        text.insert(len(text) if i % 7 else 0, "abcdefghij"[i % 10])
    return out


def load_time(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/load.db")
        migrate(engine)
        with Session(engine) as db, db.begin():
            staff = secretariat_user(db).id
        draft = create_from_prior(engine, "A/RES/79/53", staff).id
        ups = typed_updates(n)
        with Session(engine) as db, db.begin():
            base = db.scalar(select(Draft.last_seq).where(Draft.id == draft)) or 0
            db.execute(insert(Update), [{"draft_id": draft, "seq": base + i + 1, "data": u, "user_id": staff}
                                        for i, u in enumerate(ups)])
            db.execute(update(Draft).where(Draft.id == draft).values(last_seq=base + n))

        def read_rows() -> None:
            log_after(engine, draft, 0)

        def load() -> None:
            load_state(engine, draft)

        def median(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                fn()
                times.append(time.perf_counter() - t)
            return statistics.median(times)

        ref, raw = median(read_rows), median(load)
        compact(engine, draft)  # what the server keeps: a snapshot every 1,000 updates
        took = median(load)
        engine.dispose()
    print(f"load a room from {n + 2} logged updates: {took * 1000:.0f} ms with the server's snapshots, "
          f"{raw * 1000:.0f} ms from the bare log ({raw / ref:.1f}x reading the rows alone, "
          f"{ref * 1000:.0f} ms) -- goal < 200 ms: {'ok' if took < 0.2 else 'MISSED'} "
          f"(bare log: {'ok' if raw < 0.2 else 'MISSED'})")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rooms", type=int, default=1000)
    p.add_argument("--updates", type=int, default=50_000)
    args = p.parse_args()
    if args.updates:
        load_time(args.updates)
    if args.rooms:
        idle_rooms(args.rooms)
    return 0


if __name__ == "__main__":
    sys.exit(main())
