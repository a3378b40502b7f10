"""Phrase search over a library of 300+ resolutions, on SQLite and PostgreSQL, beside a
plain LIKE scan of the same paragraphs measured in the same run.

Goal (issue 18): p99 under 50 ms on both backends. drafts/ holds only four adopted
resolutions, so the library is GENERATED: 76 variants of each (304 resolutions) under
symbols of their own, each paragraph with a word or two replaced at random (a fixed
seed), so that a phrase occurs in many resolutions with near variants beside it, as in
the real series of a recurring item. Queries: 60 phrases of 3 to 14 words cut from
random paragraphs, half as they are (exact path), half with one word changed (the near
path), each searched 5 times. The reference is `lower(text) LIKE '%phrase%'` over
library_paragraphs: exact matches only, no ranking, no near matches.

    .venv/bin/python benchmarks/library_bench.py [--variants 76] [--postgres URL]
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from sqlalchemy import Engine, create_engine, make_url, text  # noqa: E402

from penholder.ingest import import_path  # noqa: E402
from penholder.library import Query, add_resolution, search  # noqa: E402
from penholder.library.catalog import optimize  # noqa: E402
from penholder.library.words import words  # noqa: E402
from penholder.model import Resolution  # noqa: E402
from penholder.store import make_engine, migrate  # noqa: E402

GOAL_MS = 50.0
SWAPS = {"States": "Member States", "importance": "significance", "international": "global",
         "Requests": "Invites", "encourages": "urges", "relevant": "appropriate", "support": "assistance",
         "threat": "danger", "effective": "efficient", "Welcomes": "Notes", "national": "domestic",
         "capacity": "capability", "including": "in particular", "continue": "keep"}


def variants(originals: list[Resolution], count: int, rng: random.Random) -> list[Resolution]:
    out = []
    for v in range(count):
        for k, res in enumerate(originals):
            r = copy.deepcopy(res)
            session = 100 + v
            r.heading.symbol = f"A/RES/{session}/{k + 1}"
            r.heading.session = session
            r.heading.adopted_on = f"{1945 + v:04d}-12-{k + 1:02d}"
            for p in r.paragraphs():
                for _ in range(rng.randint(0, 2)):
                    word = rng.choice(list(SWAPS))
                    if word in p.text:
                        p.text = p.text.replace(word, SWAPS[word], 1)
            out.append(r)
    return out


def phrases(originals: list[Resolution], rng: random.Random, n: int) -> list[str]:
    paras = [p.text for r in originals for p in r.paragraphs() if len(words(p.text)) > 16]
    out = []
    while len(out) < n:
        t = rng.choice(paras)
        ws = words(t)
        size = rng.randint(3, 14)
        i = rng.randrange(0, len(ws) - size)
        phrase = t[ws[i].start:ws[i + size - 1].end]
        if len(out) % 2:  # one word changed: the near path
            j = rng.randrange(i, i + size)
            phrase = t[ws[i].start:ws[j].start] + "remarkable" + t[ws[j].end:ws[i + size - 1].end]
        out.append(phrase)
    return out


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))]


def run(engine: Engine, library: list[Resolution], queries: list[str], repeat: int) -> dict[str, float]:
    migrate(engine)
    t = time.perf_counter()
    for r in library:
        add_resolution(engine, r, "generated")
    optimize(engine)  # as `penholder library add` does after a bulk addition
    load_s = time.perf_counter() - t
    with engine.connect() as conn:
        n_paras = conn.scalar(text("SELECT count(*) FROM library_paragraphs"))
        n_res = conn.scalar(text("SELECT count(*) FROM library_resolutions"))
    search(engine, Query(queries[0]))  # warm the connection pool and caches
    ours, like, cpu = [], [], []
    hits = 0
    for _ in range(repeat):
        for q in queries:
            t, c = time.perf_counter(), time.process_time()
            answer = search(engine, Query(q))
            ours.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            hits += bool(answer["results"])
            t = time.perf_counter()
            with engine.connect() as conn:
                conn.execute(text("SELECT p.id, p.label, p.text FROM library_paragraphs p "
                                  "WHERE lower(p.text) LIKE :q"), {"q": f"%{q.lower()}%"}).all()
            like.append(time.perf_counter() - t)
    return {"resolutions": n_res, "paragraphs": n_paras, "load_s": load_s,
            "p50": percentile(ours, 50) * 1e3, "p99": percentile(ours, 99) * 1e3,
            "like_p50": percentile(like, 50) * 1e3, "like_p99": percentile(like, 99) * 1e3,
            "mean": statistics.mean(ours) * 1e3,
            "cpu_p50": percentile(cpu, 50) * 1e3, "cpu_p99": percentile(cpu, 99) * 1e3, "answered": hits / (repeat * len(queries))}


def report(name: str, m: dict[str, float]) -> bool:
    ok = m["p99"] < GOAL_MS
    print(f"{name}: {m['resolutions']} resolutions, {m['paragraphs']} paragraphs (loaded in {m['load_s']:.1f} s)")
    print(f"  search   p50 {m['p50']:6.2f} ms   p99 {m['p99']:6.2f} ms   mean {m['mean']:6.2f} ms   "
          f"{m['answered']:.0%} of queries answered   goal p99 < {GOAL_MS:.0f} ms: {'met' if ok else 'MISSED'}")
    print(f"  search CPU time of this process  p50 {m['cpu_p50']:6.2f} ms   p99 {m['cpu_p99']:6.2f} ms"
          "   (all of the work on SQLite; the client's share on PostgreSQL)")
    print(f"  LIKE     p50 {m['like_p50']:6.2f} ms   p99 {m['like_p99']:6.2f} ms   (reference: exact only, unranked)")
    print(f"  ratio search/LIKE   p50 {m['p50'] / m['like_p50']:.2f}   p99 {m['p99'] / m['like_p99']:.2f}")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", type=int, default=76, help="variants of each draft (4 drafts each)")
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    rng = random.Random(18)
    originals = []
    for f in sorted((ROOT / "drafts").glob("A_RES_*")):
        r = import_path(f)
        assert isinstance(r, Resolution)
        originals.append(r)
    library = variants(originals, args.variants, rng)
    queries = phrases(originals, rng, args.queries)
    print(f"library: {len(library)} resolutions GENERATED from the {len(originals)} of drafts/ "
          f"({args.variants} variants each, words swapped at random); {len(queries)} queries x {args.repeat}")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start "
          "(wall times grow with it; ratios to LIKE much less)")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = make_engine(f"sqlite:///{Path(tmp) / 'library.db'}")
        try:
            ok &= report("SQLite (FTS5)", run(sqlite, library, queries, args.repeat))
        finally:
            sqlite.dispose()
    schema = f"library_bench_{secrets.token_hex(4)}"
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    pg = make_engine(make_url(args.postgres).update_query_dict({"options": f"-csearch_path={schema}"}))
    try:
        ok &= report("PostgreSQL (tsvector + GIN)", run(pg, library, queries, args.repeat))
    finally:
        pg.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    print(f"load average {os.getloadavg()[0]:.1f} at the end; "
          f"goal p99 < {GOAL_MS:.0f} ms on both: {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
