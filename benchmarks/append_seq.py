"""Seq allocation for the CRDT update log under concurrent appends to one draft.

Compares what penholder.store.append_update does (a per-draft counter row bumped with
UPDATE ... RETURNING) with the usual alternative, SELECT max(seq) + 1 then INSERT,
retried on the unique (draft_id, seq) violation. Each append is its own transaction, as
in the sync server. Printed as the alternative's wall time as a ratio to the counter
row's, measured in the same process, on SQLite (a temporary file) and PostgreSQL (a
temporary schema; PENHOLDER_TEST_POSTGRES_URL, else the local test server).

    .venv/bin/python benchmarks/append_seq.py [--threads 8] [--appends 100]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from sqlalchemy import Engine, create_engine, func, insert, make_url, select, text  # noqa: E402
from sqlalchemy.exc import IntegrityError  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from penholder.auth import create_user  # noqa: E402
from penholder.store import append_update, create_draft, make_engine, migrate  # noqa: E402
from penholder.store.tables import Update, utcnow  # noqa: E402

PG_URL = os.environ.get("PENHOLDER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def counter_row(engine: Engine, draft: int, user: int, retries: list[int]) -> None:
    with Session(engine) as db, db.begin():
        append_update(db, draft, b"x" * 40, user_id=user)


def max_plus_one(engine: Engine, draft: int, user: int, retries: list[int]) -> None:
    while True:
        try:
            with Session(engine) as db, db.begin():
                top = db.scalar(select(func.max(Update.seq)).where(Update.draft_id == draft)) or 0
                db.execute(insert(Update).values(draft_id=draft, seq=top + 1, data=b"x" * 40,
                                                 user_id=user, created_at=utcnow()))
            return
        except IntegrityError:
            retries.append(1)


def run(engine: Engine, append: Callable[..., None], threads: int, appends: int) -> tuple[float, int]:
    user, _ = create_user(engine, "Bench", "France", "penholder")
    with Session(engine) as db, db.begin():
        draft = create_draft(db, title="bench", session=80, created_by=user.id).id
        uid = user.id
    retries: list[int] = []
    gate = threading.Barrier(threads)

    def worker() -> None:
        gate.wait()
        for _ in range(appends):
            append(engine, draft, uid, retries)

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    t = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - t
    with Session(engine) as db:
        seqs = list(db.scalars(select(Update.seq).where(Update.draft_id == draft).order_by(Update.seq)))
    assert seqs == list(range(1, threads * appends + 1)), "seqs not distinct and consecutive"
    return elapsed, len(retries)


def compare(name: str, engine: Engine, threads: int, appends: int) -> None:
    migrate(engine)
    ref, _ = run(engine, counter_row, threads, appends)
    alt, retries = run(engine, max_plus_one, threads, appends)
    n = threads * appends
    print(f"{name:<10} counter row 1.00 ({n / ref:,.0f} appends/s)   "
          f"max+1 with retry {alt / ref:.2f}  ({retries} retries)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--appends", type=int, default=100, help="per thread")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        compare("SQLite", engine, args.threads, args.appends)
        engine.dispose()
    schema = f"bench_{secrets.token_hex(4)}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        engine = make_engine(url, pool_size=args.threads)
        compare("PostgreSQL", engine, args.threads, args.appends)
        engine.dispose()
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
