"""The store on SQLite and PostgreSQL: migrations, the update log and its seqs under
concurrency, snapshots, drafts."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from penholder.auth import create_user
from penholder.store import (
    Update,
    append_update,
    create_draft,
    get_draft,
    latest_snapshot,
    list_drafts,
    make_engine,
    migrate,
    save_snapshot,
    updates_after,
)
from penholder.store.db import current_revision, head_revision
from penholder.store.tables import Base, is_search_index

TABLES = {"delegations", "users", "tokens", "drafts", "updates", "snapshots"}


def seed(engine: Engine) -> tuple[int, int, int]:
    """A penholder of France and a draft; returns (user id, delegation id, draft id)."""
    user, _ = create_user(engine, "Amélie Durand", "France", "penholder")
    with Session(engine) as db, db.begin():
        draft = create_draft(
            db,
            title="Advancing responsible State behaviour in the use of information and communications technologies",
            session=80,
            committee="First Committee",
            agenda_item="98 (jj)",
            base_symbol="A/RES/79/53",
            created_by=user.id,
        )
        return user.id, user.delegation_id or 0, draft.id


def test_migrations_create_the_tables_as_the_code_declares_them(engine):
    assert TABLES <= set(inspect(engine).get_table_names())
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        opts = {"compare_type": True,  # the backend-specific search index is SQL, not metadata
                "include_name": lambda name, kind, _parent: kind != "table" or not is_search_index(name)}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), Base.metadata)
    assert diff == [], "migrations/ and store/tables.py disagree"
    assert migrate(engine) == head_revision()  # a second upgrade is a no-op


def test_db_upgrade_works_from_any_working_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PENHOLDER_DATABASE_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "penholder.cli", "db", "upgrade"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert f"sqlite:///penholder.db is at revision {head_revision()} (head)" in done.stdout
    eng = make_engine(f"sqlite:///{tmp_path / 'penholder.db'}")
    assert TABLES <= set(inspect(eng).get_table_names())
    eng.dispose()


def test_an_update_gets_the_next_seq_and_survives_reopening(database_url):
    eng = make_engine(database_url)
    migrate(eng)
    user, delegation, draft = seed(eng)
    with Session(eng) as db, db.begin():
        assert append_update(db, draft, b"\x01first", user_id=user, delegation_id=delegation) == 1
    with Session(eng) as db, db.begin():
        assert append_update(db, draft, b"\x02second", user_id=user, origin="technical") == 2
        assert append_update(db, draft, b"\x03third", user_id=user, origin="amendment:12") == 3
    eng.dispose()

    eng = make_engine(database_url)
    with Session(eng) as db:
        log = updates_after(db, draft)
        assert [(u.seq, u.data, u.origin) for u in log] == [
            (1, b"\x01first", None), (2, b"\x02second", "technical"), (3, b"\x03third", "amendment:12")
        ]
        assert (log[0].user_id, log[0].delegation_id, log[1].delegation_id) == (user, delegation, None)
        assert [u.seq for u in updates_after(db, draft, 2)] == [3]
        assert updates_after(db, draft, 3) == []
        stamp = log[0].created_at
        assert stamp.tzinfo is not None and abs(datetime.now(UTC) - stamp) < timedelta(minutes=5)
        assert get_draft(db, draft).last_seq == 3
    eng.dispose()


def test_each_draft_counts_its_own_seqs_and_a_rollback_leaves_no_gap(engine):
    user, _, first = seed(engine)
    _, _, second = seed(engine)
    with Session(engine) as db, db.begin():
        assert append_update(db, first, b"a", user_id=user) == 1
        assert append_update(db, second, b"b", user_id=user) == 1
    with Session(engine) as db:
        with db.begin():
            assert append_update(db, first, b"lost", user_id=user) == 2
            db.rollback()
        with db.begin():
            assert append_update(db, first, b"kept", user_id=user) == 2
    with Session(engine) as db:
        assert [u.data for u in updates_after(db, first)] == [b"a", b"kept"]
        with pytest.raises(LookupError):
            append_update(db, 9999, b"x", user_id=user)


def test_concurrent_appends_get_distinct_consecutive_seqs(engine):
    user, delegation, draft = seed(engine)
    threads, each = 6, 25
    gate = threading.Barrier(threads)
    got: dict[int, list[int]] = {}
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            gate.wait()
            mine = got.setdefault(n, [])
            for i in range(each):
                with Session(engine) as db, db.begin():
                    mine.append(append_update(db, draft, f"{n}:{i}".encode(), user_id=user, delegation_id=delegation))
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert not errors, errors
    total = threads * each
    assert sorted(s for seqs in got.values() for s in seqs) == list(range(1, total + 1))
    assert all(seqs == sorted(seqs) for seqs in got.values())  # each writer sees its own go up
    with Session(engine) as db:
        log = updates_after(db, draft)
        assert [u.seq for u in log] == list(range(1, total + 1))
        # each seq holds the data its writer was told it got
        by_seq = {u.seq: u.data for u in log}
        assert all(by_seq[s] == f"{n}:{i}".encode() for n, seqs in got.items() for i, s in enumerate(seqs))


def test_snapshots_cover_the_log_up_to_a_seq(engine):
    user, _, draft = seed(engine)
    with Session(engine) as db, db.begin():
        assert latest_snapshot(db, draft) is None
        for i in range(5):
            append_update(db, draft, bytes([i]), user_id=user)
        save_snapshot(db, draft, 2, b"state@2")
        save_snapshot(db, draft, 4, b"state@4")
        with pytest.raises(ValueError, match="up to seq 5"):
            save_snapshot(db, draft, 6, b"from the future")
    with Session(engine) as db:
        snap = latest_snapshot(db, draft)
        assert snap is not None and (snap.upto_seq, snap.state) == (4, b"state@4")
        assert snap.created_at.tzinfo is not None
        # what loading a room reads: the snapshot, then the updates after it
        assert [u.data for u in updates_after(db, draft, snap.upto_seq)] == [bytes([4])]


def test_snapshots_pruned_to_what_loading_and_history_need(engine):
    from penholder.store import prune_snapshots
    from penholder.store.tables import Snapshot

    user, _, draft = seed(engine)
    with Session(engine) as db, db.begin():
        for i in range(25):
            append_update(db, draft, bytes([i]), user_id=user)
        for upto in (3, 6, 9, 12, 15, 18, 21, 24):
            save_snapshot(db, draft, upto, f"state@{upto}".encode())
        assert prune_snapshots(db, draft, spacing=10) == 5
    with Session(engine) as db:
        kept = sorted(db.scalars(select(Snapshot.upto_seq).where(Snapshot.draft_id == draft)))
        # the newest (loading), and the newest of each stretch of 10 seqs (history)
        assert kept == [9, 18, 24]
        assert latest_snapshot(db, draft).upto_seq == 24


def test_the_writer_group_commits_and_fails_only_the_draft_that_failed(engine):
    import asyncio

    from penholder.store.writer import Writer

    user, _, draft = seed(engine)
    writer = Writer(engine)

    async def main():
        got = await asyncio.gather(*[writer.append(draft, (bytes([i]), user, None, None)) for i in range(50)])
        assert sorted(got) == list(range(1, 51))
        results = await asyncio.gather(writer.append(draft + 1000, (b"x", user, None, None)),
                                       writer.append(draft, (b"y", user, None, None)), return_exceptions=True)
        assert isinstance(results[0], LookupError) and results[1] == 51
        assert await writer.call(lambda: "ran on the writer") == "ran on the writer"

    try:
        asyncio.run(main())
    finally:
        writer.close()
    with Session(engine) as db:
        assert [u.data for u in updates_after(db, draft)] == [bytes([i]) for i in range(50)] + [b"y"]


def test_drafts_are_listed_newest_first_and_found_by_id(engine):
    user, _, first = seed(engine)
    with Session(engine) as db, db.begin():
        second = create_draft(db, title="Fourth Committee draft", session=80, created_by=user).id
    with Session(engine) as db:
        assert [d.id for d in list_drafts(db)] == [second, first]
        draft = get_draft(db, first)
        assert draft is not None
        assert (draft.base_symbol, draft.session, draft.agenda_item) == ("A/RES/79/53", 80, "98 (jj)")
        assert draft.symbol is None
        assert draft.created_by == user and draft.created_at.tzinfo is not None
        assert get_draft(db, 9999) is None
        with pytest.raises(ValueError):
            create_draft(db, title="  ", session=80, created_by=user)


def test_foreign_keys_are_enforced(engine):
    _, _, draft = seed(engine)
    with Session(engine) as db, pytest.raises(IntegrityError):
        append_update(db, draft, b"x", user_id=424242)
        db.flush()
    with Session(engine) as db:
        assert db.scalars(select(Update)).all() == []


def test_the_hot_path_log_writer_takes_consecutive_seqs_in_one_commit(database_url):
    from sqlalchemy.orm import Session as _Session

    from penholder.store import make_engine, migrate, updates_after
    from penholder.store.logwriter import LogWriter
    from seeds import empty_draft

    engine = make_engine(database_url)
    migrate(engine)
    draft, uid, did = empty_draft(engine)
    log = LogWriter(engine)
    assert log.append(draft, [(b"one", uid, did, None)]) == [1]
    assert log.append(draft, [(b"two", uid, None, "x"), (b"three", uid, did, "amendment:1")]) == [2, 3]
    try:
        log.append(draft + 1, [(b"lost", uid, None, None)])
        raise AssertionError("appended to a missing draft")
    except LookupError:
        pass
    with _Session(engine) as db:
        rows = updates_after(db, draft)
        assert [(u.seq, u.data, u.delegation_id, u.origin) for u in rows] == [
            (1, b"one", did, None), (2, b"two", None, "x"), (3, b"three", did, "amendment:1")]
        assert all(u.created_at.tzinfo is not None for u in rows)
    log.close()
    engine.dispose()


def test_sqlite_checkpoints_are_the_writers_own_not_a_keystrokes_commit(tmp_path):
    """The log writer's commits do not checkpoint SQLite's write-ahead log at SQLite's
    threshold (that syncs the disk, and every update queued behind that commit would wait
    for it); the writer runs checkpoints on a thread of its own, which move the log into
    the database file."""
    import asyncio

    from penholder.store import make_engine, migrate
    from penholder.store.logwriter import LogWriter
    from penholder.store.writer import Writer
    from seeds import empty_draft

    page = 4096
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    migrate(engine)
    draft, uid, _ = empty_draft(engine)
    size = (tmp_path / "p.db").stat().st_size
    log = LogWriter(engine)
    for _ in range(600):  # a commit each: past SQLite's own threshold of 1,000 pages
        log.append(draft, [(b"x" * 100, uid, None, None)])
    assert (tmp_path / "p.db-wal").stat().st_size > 1100 * page  # SQLite's checkpoint: ~1,000
    assert (tmp_path / "p.db").stat().st_size == size  # all of it still in the log only
    log.close()
    engine.dispose()

    engine = make_engine(f"sqlite:///{tmp_path / 'q.db'}")
    migrate(engine)
    draft, uid, _ = empty_draft(engine)
    size = (tmp_path / "q.db").stat().st_size
    writer = Writer(engine)

    async def type_() -> None:
        for _ in range(1500):  # one at a time: a commit each
            await writer.append(draft, (b"x" * 100, uid, None, None))

    try:
        asyncio.run(type_())
    finally:
        writer.close()  # waits for the checkpoint under way
    assert (tmp_path / "q.db").stat().st_size > size + 1000 * 100  # checkpointed into the file
    engine.dispose()
