"""The labels paragraphs are cited by: PP3, OP4, OP4 (b), OP4 (e) (ii)."""

from __future__ import annotations

from penholder.model.numbering import sub_label
from penholder.model.resolution import Paragraph, Resolution


def paragraph_labels(res: Resolution) -> dict[str, str]:
    """paragraph id -> label, in document order."""
    out: dict[str, str] = {}

    def walk(p: Paragraph, label: str, depth: int) -> None:
        out[p.id] = label
        for i, s in enumerate(p.subparagraphs):
            walk(s, f"{label} ({sub_label(i, depth + 1)})", depth + 1)

    for i, p in enumerate(res.preamble, 1):
        walk(p, f"PP{i}", 0)
    for i, p in enumerate(res.operative, 1):
        walk(p, f"OP{i}", 0)
    return out
