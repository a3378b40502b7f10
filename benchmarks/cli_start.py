"""How long the `penholder` command takes end to end, against `python -c pass`.

Goals (issue 17): `penholder --help` under 0.3 s and `penholder import` of one resolution
under 0.5 s on this machine. Each is a fresh process, as a user runs it; the reference,
a bare interpreter start, is measured in the same run so that the ratio holds on any
machine.

    .venv/bin/python benchmarks/cli_start.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_seconds  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PENHOLDER = str(BIN / "penholder")
RESOLUTION = str(ROOT / "drafts" / "A_RES_79_53.txt")


def _run(argv: list[str]) -> None:
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def _cpu_seconds(argv: list[str], repeat: int) -> float:
    """CPU time (user + system) of one run, the median over `repeat`: on a shared,
    loaded machine wall time mostly measures the wait for a core."""
    times = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        _run(argv)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="runs per command (median is printed)")
    args = parser.parse_args()

    cases = [
        ("python -c pass", [sys.executable, "-c", "pass"], None),
        ("penholder --help", [PENHOLDER, "--help"], 0.3),
        ("penholder import (79/53)", [PENHOLDER, "import", RESOLUTION, "--json"], 0.5),
        ("penholder import --help", [PENHOLDER, "import", "--help"], 0.3),
    ]
    _run(cases[2][1])  # warm the page cache
    reference = median_seconds(lambda: _run(cases[0][1]), args.repeat)
    reference_cpu = _cpu_seconds(cases[0][1], args.repeat)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'command':<28}{'wall s':>8}{'x python':>10}{'cpu s':>8}{'x python':>10}  goal (wall)")
    failed = False
    for name, argv, goal in cases:
        seconds = reference if goal is None else median_seconds(lambda argv=argv: _run(argv), args.repeat)
        cpu = reference_cpu if goal is None else _cpu_seconds(argv, args.repeat)
        verdict = "" if goal is None else (f"< {goal} s ok" if seconds < goal else f"< {goal} s MISSED")
        failed |= goal is not None and seconds >= goal
        print(f"{name:<28}{seconds:>8.3f}{seconds / reference:>10.1f}{cpu:>8.3f}"
              f"{cpu / max(reference_cpu, 1e-3):>10.1f}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
