"""Who wrote what: authorship of the changes between two versions, from the steps that
led from one to the other (runs of the update log, accepted amendments, proposals
applied one by one). Pure: the steps are given; compare.compare asks it through
`attribute(paragraph_id, kind, text)`."""

from __future__ import annotations

from dataclasses import dataclass, field

from penholder.compare.changes import Author
from penholder.compare.words import word_diff


@dataclass
class _Mark:
    author: Author
    kind: str  # ins | del | add | delete | move
    text: str


@dataclass
class Authorship:
    marks: dict[str, list[_Mark]] = field(default_factory=dict)

    def step(self, author: Author, before: dict[str, str], after: dict[str, str]) -> None:
        """One step by one author: paragraph texts (id -> text) before and after it."""
        for pid, new in after.items():
            old = before.get(pid)
            if old is None:
                self._add(pid, _Mark(author, "add", new))
            elif old != new:
                for seg in word_diff(old, new):
                    if seg.kind != "same" and seg.text.strip():
                        self._add(pid, _Mark(author, seg.kind, seg.text))
        for pid, old in before.items():
            if pid not in after:
                self._add(pid, _Mark(author, "delete", old))

    def copy(self) -> Authorship:
        """Another authorship with these steps, to take further steps apart."""
        return Authorship({pid: list(marks) for pid, marks in self.marks.items()})

    def moved(self, author: Author, pid: str) -> None:
        """One step by one author: the paragraph `pid` moved."""
        self._add(pid, _Mark(author, "move", ""))

    def _add(self, pid: str, mark: _Mark) -> None:
        self.marks.setdefault(pid, []).append(mark)

    def attribute(self, paragraph_id: str, kind: str, text: str) -> Author | None:
        """The author of the latest step that made this change; for a segment that spans
        several steps, the one whose text overlaps it most."""
        marks = self.marks.get(paragraph_id, [])
        want = {"ins": ("ins", "add"), "del": ("del", "delete"), "add": ("add",), "delete": ("delete",),
                "move": ("move", "add", "delete")}[kind]
        needle = text.strip()
        best: tuple[int, int, Author] | None = None
        for order, m in enumerate(marks):
            if m.kind not in want:
                continue
            if kind in ("add", "delete", "move"):
                best = (1, order, m.author)
                continue
            hay = m.text.strip()
            overlap = len(needle) if needle and needle in hay else (len(hay) if hay and hay in needle else 0)
            if overlap and (best is None or (overlap, order) >= best[:2]):
                best = (overlap, order, m.author)
        return best[2] if best else None
