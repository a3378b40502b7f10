"""The one way the benchmarks time a call: the median of repeated runs."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> float:
    """`setup`, untimed, before each run."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _cpu() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def median_cpu_seconds(fn: Callable[[], object], repeat: int, setup: Callable[[], object] | None = None) -> float:
    """As median_seconds, in processor time (this process and the subprocesses it waited
    for): on a machine shared with other work, what the wall clock cannot tell."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        t = _cpu()
        fn()
        times.append(_cpu() - t)
    return statistics.median(times)
