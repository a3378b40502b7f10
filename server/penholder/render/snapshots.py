"""Pictures of page 1 of the clean, the tracked and the submission export, for docs/: what
the Secretariat gets.

    .venv/bin/python -m penholder.render.snapshots [DOCS_DIR]

docx -> PDF (LibreOffice, as render/pdf.py) -> PNG with `pdftoppm` (Debian's
poppler-utils). The tracked example is A/RES/79/53 against itself with a few changes made
by hand: an operative paragraph amended by two delegations, a new paragraph, a deleted
preambular paragraph. The submission example is the Word file of a submission package:
the same changes in a First Committee draft (A/C.1/81/L.12, its sponsors), tracked
against the resolution it was rolled over from, as the PDF of the tracked docx shows it
(legend of authors included).
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

from penholder.compare.changes import Author, Comparison, ParagraphChange, Segment
from penholder.ingest import import_path
from penholder.model import Paragraph, Resolution
from penholder.render import render

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ROOT / "drafts" / "A_RES_79_53.txt"


def sample_comparison(old: Resolution) -> Comparison:
    when = datetime(2025, 10, 14, 9, 30, tzinfo=timezone.utc)
    new = copy.deepcopy(old)
    changes: list[ParagraphChange] = []
    # PP2: Egypt strikes words, France adds some
    o, n = old.preamble[1], new.preamble[1]
    cut = "by illegal armed groups, terrorists and other unauthorized recipients,"
    add = "by non-State actors,"
    i = o.text.index(cut)
    n.text = o.text[:i] + add + o.text[i + len(cut):]
    n.footnote_refs = []
    segs = [Segment("same", o.text[:i]), Segment("del", cut, Author("Egypt", when)),
            Segment("ins", add, Author("France", when)), Segment("same", o.text[i + len(cut):])]
    # PP3 deleted by the Secretariat, a new PP after PP1 by Ghana
    deleted = new.preamble.pop(2)
    added = Paragraph("new-ghana", "pp", "Mindful of the need for reliable data on incidents "
                      "involving improvised explosive devices,", lead="Mindful")
    new.preamble.insert(1, added)
    for p in new.preamble:
        if p is added:
            changes.append(ParagraphChange("added", None, p, author=Author("Ghana", when)))
        elif p.id == n.id:
            changes.append(ParagraphChange("changed", o, p, segments=segs))
            changes.append(ParagraphChange("deleted", deleted, None,
                                           author=Author("Secretariat", when, technical=True)))
        else:
            changes.append(ParagraphChange("same", p, p))
    for p in new.operative:
        changes.append(ParagraphChange("same", p, p))
    return Comparison(old, new, changes, footnotes_removed=[old.footnotes[0]])


def sample_submission(old: Resolution) -> Comparison:
    c = sample_comparison(old)
    h = c.new.heading = copy.deepcopy(old.heading)
    h.symbol, h.session, h.committee = "A/C.1/81/L.12", 81, "First Committee"
    h.adopted_on, h.meeting = None, None
    h.sponsors = ["France", "Afghanistan", "Australia", "Côte d'Ivoire"]
    return c


def first_page_png(pdf: bytes, out: Path, dpi: int = 110) -> None:
    tool = shutil.which("pdftoppm")
    if not tool:
        raise SystemExit("pdftoppm is missing: apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        subprocess.run([tool, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                        str(src), str(Path(tmp) / "page")], check=True, timeout=60)
        shutil.copyfile(Path(tmp) / "page.png", out)


def main(argv: list[str]) -> int:
    docs = Path(argv[0]) if argv else ROOT / "docs"
    doc = import_path(SOURCE)
    assert isinstance(doc, Resolution)
    first_page_png(render(doc, "pdf"), docs / "export-clean.png")
    first_page_png(render(sample_comparison(doc), "pdf", issued=date(2025, 10, 14)),
                   docs / "export-tracked.png")
    first_page_png(render(sample_submission(doc), "pdf", issued=date(2026, 10, 14)),
                   docs / "export-submission.png")
    print(docs / "export-clean.png", docs / "export-tracked.png", docs / "export-submission.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
