"""Reading a list of proposals is linear in its length: the time to read a list eight
times as long, as a ratio to reading the shorter one, measured in the same run (about 8
when linear, 64 when quadratic). Two shapes that once made the reader quadratic: one
block of many hard-wrapped lines, and one item continued over many blocks.

    .venv/bin/python benchmarks/proposals_bench.py [--lines 2500] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_seconds  # noqa: E402
from penholder.ingest.proposals import read_proposals  # noqa: E402

HEAD = "1. One: Encourages States;\n\n2. Two: Requests;\n\n3. Three: Decides"
LINE = "continued text of the third item, many words"
GOAL = 24.0  # well under the 64 of a quadratic reader


def long_list(sep: str, lines: int) -> str:
    return HEAD + sep + sep.join([LINE] * lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2_500, help="continuation lines of the shorter list")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (median)")
    args = parser.parse_args()
    worst = 0.0
    for sep, shape in (("\n", "one block of hard-wrapped lines"), ("\n\n", "one item over many blocks")):
        short, long = long_list(sep, args.lines), long_list(sep, 8 * args.lines)
        ref = median_seconds(lambda: read_proposals(short), args.repeat)
        act = median_seconds(lambda: read_proposals(long), args.repeat)
        worst = max(worst, act / ref)
        print(f"{shape}: {args.lines} lines {ref * 1000:.1f} ms, {8 * args.lines} lines {act * 1000:.1f} ms "
              f"({act / ref:.1f}x; linear 8x, quadratic 64x)")
    print(f"worst ratio {worst:.1f}x, goal under {GOAL:.0f}x: {'met' if worst < GOAL else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
