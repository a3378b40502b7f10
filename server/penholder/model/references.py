"""Internal references: "paragraph 5 above", "paragraphs 3 (b) and 7 below",
"paragraph 2 of the present resolution", "subparagraph (a) above". Found in a
paragraph's text with their span; pure, no I/O.

Only references to the resolution itself are read: "paragraph 114 of the report" or
"paragraph 5 of resolution 70/1" name other documents and are left alone."""

from __future__ import annotations

import re
from dataclasses import dataclass

_LABEL = r"\(\s*[a-z]{1,4}\s*\)"
_ITEM = rf"\d{{1,3}}(?:\s*{_LABEL}){{0,2}}"
_LIST = rf"{_ITEM}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s+to\s+|\s*[-–]\s*){_ITEM})*"
_WHERE = r"above|below|of\s+(?:the\s+present|this)\s+resolution"
PARAGRAPHS = re.compile(rf"\bparagraphs?\s+(?P<list>{_LIST})\s+(?P<where>{_WHERE})\b")
SUBPARAGRAPHS = re.compile(rf"\bsubparagraphs?\s+(?P<list>{_LABEL}(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+)"
                           rf"{_LABEL})*)\s+(?P<where>above|below)\b")
_ONE = re.compile(rf"(?P<n>\d{{1,3}})(?P<labels>(?:\s*{_LABEL}){{0,2}})")
_SUB = re.compile(r"\(\s*([a-z]{1,4})\s*\)")


@dataclass(frozen=True)
class Reference:
    """One paragraph named in a reference: operative `number` (None for a subparagraph
    of the paragraph the reference stands in), `labels` ('b', 'ii'), the span of the
    number and labels in the text, and where it says the paragraph is."""

    number: int | None
    labels: tuple[str, ...]
    start: int
    end: int
    where: str  # 'above' | 'below' | 'resolution'

    def cite(self) -> str:
        labels = " ".join(f"({x})" for x in self.labels)
        if self.number is None:
            return f"subparagraph {labels}"
        return f"paragraph {self.number}" + (f" {labels}" if labels else "")


def _where(word: str) -> str:
    return word if word in ("above", "below") else "resolution"


def find_references(text: str) -> list[Reference]:
    out: list[Reference] = []
    for m in PARAGRAPHS.finditer(text):
        where = _where(m.group("where"))
        base = m.start("list")
        for one in _ONE.finditer(m.group("list")):
            labels = tuple(_SUB.findall(one.group("labels")))
            out.append(Reference(int(one.group("n")), labels, base + one.start(), base + one.end(), where))
    for m in SUBPARAGRAPHS.finditer(text):
        base = m.start("list")
        for one in _SUB.finditer(m.group("list")):
            out.append(Reference(None, (one.group(1),), base + one.start(), base + one.end(),
                                 _where(m.group("where"))))
    return sorted(out, key=lambda r: r.start)
