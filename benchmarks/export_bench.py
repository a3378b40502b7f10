"""Export speed of A/RES/79/53 in each format, as a ratio to a plain pandoc run.

Goals: docx under 0.5 s, the pandoc process included (clean and tracked); the tracked
export of a live draft whose log holds 10,000 edits (five delegations typing at once,
as benchmarks/authorship_bench.py builds it) under 1 s, log reading and authorship
included: the draft's first export in the process, which replays the whole log; the next
ones, which replay only what was typed since, are shown too.
The reference is the bundled pandoc converting the same text, as Markdown, to docx with
its default styles, run the same way (a subprocess, stdin to stdout) in the same process,
so the ratio says what the AST, the UN reference docx and the header pass cost beyond
pandoc itself, on whatever machine runs it. pdf adds LibreOffice (render/pdf.py); akn does
not run pandoc at all.

    .venv/bin/python benchmarks/export_bench.py [--repeat N] [--pdf-repeat N] [--updates N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_cpu_seconds, median_seconds  # noqa: E402
from penholder.ingest import import_path  # noqa: E402
from penholder.render import FORMATS, render  # noqa: E402
from penholder.render.pandoc import pandoc_path  # noqa: E402
from penholder.render.snapshots import sample_comparison  # noqa: E402

SOURCE = ROOT / "drafts" / "A_RES_79_53.txt"
GOAL_DOCX_S = 0.5
GOAL_LIVE_S = 1.0



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per format (median)")
    parser.add_argument("--pdf-repeat", type=int, default=5, help="runs for pdf (median)")
    parser.add_argument("--updates", type=int, default=10_000, help="logged edits of the live draft")
    args = parser.parse_args()

    doc = import_path(SOURCE)
    cmp = sample_comparison(doc)
    markdown = render(doc, "md")  # the same text, for the plain pandoc run
    pandoc = pandoc_path()

    def plain() -> bytes:
        return subprocess.run([pandoc, "-f", "markdown", "-t", "docx", "-o", "-"],
                              input=markdown, capture_output=True, check=True,
                              timeout=60).stdout

    render(doc, "pdf")  # LibreOffice's first start makes its profile
    ref = median_seconds(plain, args.repeat)
    print(f"plain pandoc (markdown -> docx, same text): {ref * 1000:.0f} ms")
    print(f"{'export':<10}{'clean ms':>10}{'ratio':>8}{'tracked ms':>12}{'ratio':>8}  goal")
    for fmt in FORMATS:
        n = args.pdf_repeat if fmt == "pdf" else args.repeat
        clean = median_seconds(lambda f=fmt: render(doc, f), n)
        tracked = median_seconds(lambda f=fmt: render(cmp, f), n)
        goal = ""
        if fmt == "docx":
            goal = "ok" if max(clean, tracked) < GOAL_DOCX_S else "MISSED"
            goal += f" (< {GOAL_DOCX_S * 1000:.0f} ms)"
        print(f"{fmt:<10}{clean * 1000:>10.0f}{clean / ref:>7.2f}x{tracked * 1000:>12.0f}"
              f"{tracked / ref:>7.2f}x  {goal}")
    live_draft(args.updates, plain)
    return 0


def live_draft(n: int, plain: Callable[[], object]) -> None:
    """The tracked docx of a draft with `n` logged edits, against the prior resolution:
    the first export of the draft (the whole log replayed for its authorship), and the
    next ones, each after the delegations typed 100 more keystrokes (replayed from where
    the last export left the log). Plain pandoc is timed again alongside, the load of a
    shared machine changing in the minutes the formats take; and both in processor time,
    which that load does not change."""
    from authorship_bench import seed, type_into

    from penholder import exports, log_authors
    from penholder.store import make_engine, migrate

    def tracked() -> None:
        exports.export(engine, draft, "docx", "tracked", "A/RES/79/53")

    def afresh() -> None:
        log_authors.forget(engine)

    def hundred_more() -> None:
        type_into(engine, draft, 100, typed[0])
        typed[0] += 100

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate(engine)
        draft = seed(engine, n)
        typed = [n]
        ref = median_seconds(plain, 5)
        first = median_seconds(tracked, 3, setup=afresh)
        ref = (ref + median_seconds(plain, 5)) / 2
        first_cpu = median_cpu_seconds(tracked, 3, setup=afresh)
        tracked()
        again = median_seconds(tracked, 3, setup=hundred_more)
        again_cpu = median_cpu_seconds(tracked, 3, setup=hundred_more)
        ref_cpu = median_cpu_seconds(plain, 5)
        engine.dispose()
    goal = "ok" if first < GOAL_LIVE_S else "MISSED"
    print(f"plain pandoc again: {ref * 1000:.0f} ms, {ref_cpu * 1000:.0f} ms of processor time")
    print(f"tracked docx of a draft with {n:,} logged edits, first export: {first * 1000:.0f} ms, "
          f"{first / ref:.2f}x plain pandoc  {goal} (< {GOAL_LIVE_S * 1000:.0f} ms); processor "
          f"{first_cpu * 1000:.0f} ms, {first_cpu / ref_cpu:.2f}x")
    print(f"  the next, after 100 more keystrokes: {again * 1000:.0f} ms, {again / ref:.2f}x; processor "
          f"{again_cpu * 1000:.0f} ms, {again_cpu / ref_cpu:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
