"""What the facilitator's console reads from a draft many delegations typed into: the
activity (every update described, edits grouped by person and sitting) and one
paragraph's history, over the same log as authorship_bench (five delegations typing at
once, one update per keystroke). Printed as ratios to replaying the same log into a
document (load_state from the bare log), measured in the same run.

    .venv/bin/python benchmarks/review_bench.py [--updates 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from authorship_bench import DELEGATIONS, seed  # noqa: E402
from timing import median_seconds  # noqa: E402

from penholder.amend.review import Review  # noqa: E402
from penholder.amend.service import Amendments  # noqa: E402
from penholder.store import make_engine, migrate  # noqa: E402
from penholder.sync.persistence import SqlHooks, load_state  # noqa: E402
from penholder.sync.room import Rooms  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=10_000, help="keystrokes in the log (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/review.db")
        migrate(engine)
        print(f"review_bench: typing {args.updates} keystrokes...", file=sys.stderr)
        draft = seed(engine, args.updates)
        hooks = SqlHooks(engine)
        review = Review(Amendments(engine, Rooms(hooks)))
        first = "res-79-53.pp1"
        ref = median_seconds(lambda: load_state(engine, draft), args.repeat)
        act = median_seconds(lambda: asyncio.run(review.activity(draft)), args.repeat)
        para = median_seconds(lambda: asyncio.run(review.paragraph_history(draft, first)), args.repeat)
        entries = len(asyncio.run(review.activity(draft, limit=5000))["activity"])
        hooks.close()
        engine.dispose()
    print(f"{args.updates} keystrokes by {len(DELEGATIONS)} delegations typing at once; "
          f"replaying the log: {ref * 1000:.0f} ms")
    print(f"activity ({entries} entries, edits grouped): {act * 1000:.0f} ms ({act / ref:.1f}x the replay)")
    print(f"history of PP1: {para * 1000:.0f} ms ({para / ref:.1f}x the replay)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
