"""Speed of compare() on two 60-paragraph versions of a resolution, as ratios to
references measured in the same run.

Goal (issue: compare and export): under 20 ms for two 60-paragraph versions.
The old version is A/RES/79/53 (57 paragraphs) with three operative paragraphs of
A/RES/75/59 added, 60 in all; the new one has ten word-level edits (a word replaced, a
clause added, punctuation), one paragraph moved, one inserted and one deleted: a draft
after a round of negotiation. References: a single difflib pass over the two whole
texts as word tokens, difflib's defaults (the naive redline: no paragraphs, moves or
authors; without its junk heuristic, which drops frequent tokens such as " " and "the",
it takes seconds on these texts), and
importing the file. Also measured: the same two versions with ids of their own on each
side (a text from outside), which aligns every paragraph by similarity.

    .venv/bin/python benchmarks/compare_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import copy
import sys
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_seconds  # noqa: E402
from penholder.compare import Author, compare  # noqa: E402
from penholder.compare.tokens import tokenize  # noqa: E402
from penholder.ingest import import_path  # noqa: E402
from penholder.model import Paragraph, Resolution  # noqa: E402

RES_79_53 = ROOT / "drafts" / "A_RES_79_53.txt"
RES_75_59 = ROOT / "drafts" / "A_RES_75_59.txt"
GOAL_MS = 20.0

EDITS = [  # (index in the operative part of 79/53, old, new)
    (0, "Strongly urges", "Urges"),
    (1, "develop, adopt", "develop and adopt"),
    (3, "it is essential", "it is critical"),
    (5, "where relevant,", "where relevant and appropriate,"),
    (8, "private sector", "private sector and academia"),
    (12, "United Nations", "United Nations system"),
    (16, "comply fully", "fully comply"),
    (20, "sustain", "sustain and increase"),
    (25, "eighty-first", "eighty-third"),
    (27, "eighty-first", "eighty-third"),
]


def versions() -> tuple[Resolution, Resolution]:
    old = import_path(RES_79_53)
    r75 = import_path(RES_75_59)
    assert isinstance(old, Resolution) and isinstance(r75, Resolution)
    targets = {old.operative[k].id: (a, b) for k, a, b in EDITS}
    for k, p in enumerate(r75.operative[8:11]):  # paragraphs 79/53 no longer has
        old.operative.insert(14 + k, Paragraph(id=f"extra-{k}", kind="op", text=p.text, lead=p.lead))
    assert len(old.preamble) + len(old.operative) == 60
    new = copy.deepcopy(old)
    for p in new.operative:
        if p.id in targets:
            a, b = targets[p.id]
            assert a in p.text, (a, p.text[:80])
            p.text = p.text.replace(a, b, 1)
    new.preamble[7].text = new.preamble[7].text.replace(",", ";", 1)  # punctuation
    new.operative.insert(4, new.operative.pop(18))  # a move
    new.operative.insert(10, Paragraph(id="new-1", kind="op", lead="Welcomes",
                                       text="Welcomes the adoption of the Global Framework for "
                                            "Through-life Conventional Ammunition Management;"))
    del new.preamble[12]
    return old, new


def with_fresh_ids(r: Resolution, prefix: str) -> Resolution:
    out = copy.deepcopy(r)
    for k, p in enumerate(out.paragraphs()):
        p.id = f"{prefix}{k}"
    return out



def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="runs of each (median is printed)")
    args = parser.parse_args()

    old, new = versions()
    author = Author("Egypt")
    c = compare(old, new, lambda pid, kind, text: author)
    counts: dict[str, int] = {}
    for p in c.paragraphs:
        counts[p.status] = counts.get(p.status, 0) + 1
    print(f"versions: {len(old.paragraphs())} -> {len(new.paragraphs())} paragraphs; found {counts}")

    old_words = tokenize("\n".join(p.text for p in old.paragraphs()))
    new_words = tokenize("\n".join(p.text for p in new.paragraphs()))
    naive = median_seconds(
        lambda: SequenceMatcher(None, old_words, new_words).get_opcodes(), args.repeat)
    imp = median_seconds(lambda: import_path(RES_79_53), args.repeat)
    ids = median_seconds(lambda: compare(old, new, lambda pid, kind, text: author), args.repeat)
    foreign_old, foreign_new = with_fresh_ids(old, "a"), with_fresh_ids(new, "b")
    sim = median_seconds(lambda: compare(foreign_old, foreign_new), max(5, args.repeat // 5))

    print(f"{'':<44}{'ms':>9}{'vs naive diff':>15}{'vs import':>11}")
    for name, t in [("reference: difflib over the whole texts", naive),
                    ("reference: import A/RES/79/53", imp),
                    ("compare, ids (versions of one draft)", ids),
                    ("compare, no shared ids (by similarity)", sim)]:
        print(f"{name:<44}{t * 1000:>9.2f}{t / naive:>14.2f}x{t / imp:>10.2f}x")
    ok = "ok" if ids * 1000 < GOAL_MS else "MISSED"
    print(f"compare of two 60-paragraph versions: {ids * 1000:.2f} ms (goal < {GOAL_MS:.0f} ms): {ok}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
