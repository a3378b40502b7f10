"""Who wrote what in a draft many delegations typed at once, as a tracked export needs it.

Five delegations type into the zero draft of A/RES/79/53 at the same time, each in a
paragraph of its own, their keystrokes interleaved in the log (one update each), moving
to another paragraph every 200 characters. Printed: the time to work out the authorship
of every change since the seed (exports.log_authorship) and of a whole tracked docx
export, each as a ratio to replaying the same log into a document (load_state from the
bare log, the least any reading of it costs), measured in the same run.

    .venv/bin/python benchmarks/authorship_bench.py [--updates 10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import insert, select, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402
from timing import median_seconds  # noqa: E402

from penholder import exports, log_authors  # noqa: E402
from penholder.auth import create_user  # noqa: E402
from penholder.store import make_engine, migrate  # noqa: E402
from penholder.store.tables import Delegation, Draft, Update, User  # noqa: E402
from penholder.sync.persistence import load_doc, load_state  # noqa: E402
from penholder.sync.schema import roots  # noqa: E402
from penholder.zero_draft import create_from_prior, secretariat_user  # noqa: E402

DELEGATIONS = ("France", "Egypt", "Ghana", "Chile", "Japan")
STINT = 200  # characters typed into one paragraph before moving to the next


def seed(engine, n: int) -> int:  # type: ignore[no-untyped-def]
    with Session(engine) as db, db.begin():
        staff = secretariat_user(db).id
    for name in DELEGATIONS:
        create_user(engine, name.lower(), name, "penholder")
    draft = create_from_prior(engine, "A/RES/79/53", staff).id
    type_into(engine, draft, n)
    return draft


def type_into(engine, draft: int, n: int, start: int = 0) -> None:  # type: ignore[no-untyped-def]
    """The delegations' keystrokes `start` to `start + n`, logged as an editor sends them."""
    with Session(engine) as db:
        users = db.execute(select(User.id, User.delegation_id, Delegation.name)
                           .join(Delegation, Delegation.id == User.delegation_id)).all()
    by_name = {name: (uid, did) for uid, did, name in users}
    who = [by_name[name] for name in DELEGATIONS]
    doc, seq = load_doc(engine, draft)
    _, paragraphs, _ = roots(doc)
    updates: list[bytes] = []
    doc.observe(lambda e: updates.append(e.update))
    for i in range(start, start + n):
        k = i % len(DELEGATIONS)
        stint = i // len(DELEGATIONS) // STINT
        text = paragraphs[(k + stint * len(DELEGATIONS)) % len(paragraphs)]["text"]
        text.insert(len(text), "negotiated "[i % 11])
    with Session(engine) as db, db.begin():
        db.execute(insert(Update), [
            {"draft_id": draft, "seq": seq + j + 1, "data": u, "user_id": who[(start + j) % len(who)][0],
             "delegation_id": who[(start + j) % len(who)][1]} for j, u in enumerate(updates)])
        db.execute(update(Draft).where(Draft.id == draft).values(last_seq=seq + n))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=10_000, help="keystrokes in the log (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/authorship.db")
        migrate(engine)
        print(f"authorship_bench: typing {args.updates} keystrokes...", file=sys.stderr)
        draft = seed(engine, args.updates)
        ref = median_seconds(lambda: load_state(engine, draft), args.repeat)
        # the whole log each time: the replay a draft keeps for its next export is dropped
        who = median_seconds(lambda: exports.log_authorship(engine, draft, 2), args.repeat,
                             setup=lambda: log_authors.forget(engine))
        docx = median_seconds(lambda: exports.export(engine, draft, "docx", "tracked", "A/RES/79/53"),
                              args.repeat, setup=lambda: log_authors.forget(engine))
        engine.dispose()
    print(f"{args.updates} keystrokes by {len(DELEGATIONS)} delegations typing at once; "
          f"replaying the log: {ref * 1000:.0f} ms")
    print(f"authorship of every change: {who * 1000:.0f} ms ({who / ref:.1f}x the replay)")
    print(f"tracked docx export against A/RES/79/53: {docx * 1000:.0f} ms ({docx / ref:.1f}x the replay)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
