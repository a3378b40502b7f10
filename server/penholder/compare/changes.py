"""The change set between two versions of a resolution (the contract between compare/,
which computes it, and render/, which writes it as tracked changes).

No I/O. Who made a change comes from outside (the update log, the amendment records)
through an `Attribute` callback, so that comparing stays a pure function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from penholder.model import Footnote, Paragraph, Resolution


@dataclass(frozen=True)
class Author:
    """Who made a change: a delegation ("Egypt"), or "Secretariat" for technical updates.
    In a .docx it becomes w:author and w:date of the revision."""

    name: str
    date: datetime | None = None
    technical: bool = False


SegmentKind = Literal["same", "ins", "del"]


@dataclass
class Segment:
    kind: SegmentKind
    text: str
    author: Author | None = None  # for ins / del


ParagraphStatus = Literal["same", "changed", "added", "deleted", "moved"]


@dataclass
class ParagraphChange:
    status: ParagraphStatus
    old: Paragraph | None           # None when added
    new: Paragraph | None           # None when deleted
    old_label: str | None = None    # where it stood: "PP3", "OP4", "OP4 (b)"
    new_label: str | None = None    # where it stands now
    segments: list[Segment] = field(default_factory=list)  # old.text -> new.text, word by word
    author: Author | None = None    # of an added, deleted or moved paragraph
    kind_changed: bool = False      # moved between the preamble and the operative part


@dataclass
class Comparison:
    old: Resolution
    new: Resolution
    # In the new document's order, each deleted paragraph where it stood in the old one.
    paragraphs: list[ParagraphChange] = field(default_factory=list)
    footnotes_added: list[Footnote] = field(default_factory=list)
    footnotes_removed: list[Footnote] = field(default_factory=list)
    # An edited footnote (same sign, same place, other text): its new number -> the
    # segments from its old text to its new one, each change under its author.
    footnote_edits: dict[int, list[Segment]] = field(default_factory=dict)
    # The author of whatever the steps between the versions do not explain (the
    # difference from a text imported from outside), so that no change is anonymous.
    default_author: Author | None = None


# attribute(paragraph_id, kind, text) -> the author of that inserted or deleted text in that
# paragraph (kind "ins" | "del" | "add" | "delete" | "move" for whole paragraphs), or None.
# For the text of a footnote the id is "footnote:N", N its number in the new version.
Attribute = Callable[[str, str, str], Author | None]
