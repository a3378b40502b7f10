"""Resolution, Paragraph, Footnote, Heading: the document model (docs/document-model.md, the contract).

Numbers of operative paragraphs and labels of subparagraphs are derived from order and
never stored, so that a move or an insertion renumbers everything after it for free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from penholder.model.numbering import sub_label

Kind = Literal["pp", "op", "sub"]


@dataclass
class FootnoteRef:
    number: int
    offset: int  # into the paragraph's text, lead included

    def to_json(self) -> dict[str, int]:
        return {"number": self.number, "offset": self.offset}


@dataclass
class ImportReview:
    """How an imported paragraph was read: `exact`; `repaired` (its text was mended: words
    rejoined, marks found, a page break closed) or `guessed` (its structure was inferred:
    a lead outside the lexicon, a number that did not follow). `notes` say what, one line
    each. Paragraphs that did not come from an import carry none."""

    status: Literal["exact", "repaired", "guessed"]
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "notes": list(self.notes)}


@dataclass
class Paragraph:
    id: str
    kind: Kind
    text: str
    lead: str = ""
    footnote_refs: list[FootnoteRef] = field(default_factory=list)
    subparagraphs: list[Paragraph] = field(default_factory=list)
    review: ImportReview | None = None

    def to_json(self, *, number: int | None = None, label: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if number is not None:
            out["number"] = number
        if label is not None:
            out["label"] = label
        if self.kind != "sub":
            out["lead"] = self.lead
        out["text"] = self.text
        out["footnote_refs"] = [r.to_json() for r in self.footnote_refs]
        out["subparagraphs"] = [
            s.to_json(label=sub_label(i, depth=1 if label is None else 2))
            for i, s in enumerate(self.subparagraphs)
        ]
        if self.review is not None:
            out["review"] = self.review.to_json()
        return out

    def walk(self) -> list[Paragraph]:
        """This paragraph and its subparagraphs, depth first, in document order."""
        out = [self]
        for s in self.subparagraphs:
            out.extend(s.walk())
        return out


@dataclass
class Footnote:
    number: int
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "text": self.text}


@dataclass
class Heading:
    symbol: str | None = None
    session: int | None = None
    committee: str | None = None
    agenda_item: str | None = None
    agenda_title: str | None = None
    title: str | None = None
    adopted_on: str | None = None  # ISO date
    meeting: str | None = None
    sponsors: list[str] = field(default_factory=list)

    @property
    def is_adopted(self) -> bool:
        return bool(self.symbol and self.symbol.startswith("A/RES/"))


@dataclass
class Resolution:
    heading: Heading
    preamble: list[Paragraph] = field(default_factory=list)
    operative: list[Paragraph] = field(default_factory=list)
    footnotes: list[Footnote] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def paragraphs(self) -> list[Paragraph]:
        """Every paragraph and subparagraph in document order."""
        out: list[Paragraph] = []
        for p in self.preamble + self.operative:
            out.extend(p.walk())
        return out

    def to_json(self) -> dict[str, Any]:
        h = self.heading
        return {
            "kind": "resolution",
            "symbol": h.symbol,
            "session": h.session,
            "committee": h.committee,
            "agenda_item": h.agenda_item,
            "agenda_title": h.agenda_title,
            "title": h.title,
            "adopted_on": h.adopted_on,
            "meeting": h.meeting,
            "sponsors": list(h.sponsors),
            "preamble": [p.to_json() for p in self.preamble],
            "operative": [p.to_json(number=i + 1) for i, p in enumerate(self.operative)],
            "footnotes": [f.to_json() for f in self.footnotes],
            "warnings": list(self.warnings),
        }


@dataclass
class Proposal:
    """One item of a delegation's list of proposals: a candidate new operative paragraph."""

    heading: str
    text: str


@dataclass
class ProposalList:
    items: list[Proposal]
    title: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "proposals",
            "title": self.title,
            "items": [
                {"number": i + 1, "heading": p.heading, "text": p.text}
                for i, p in enumerate(self.items)
            ],
            "warnings": list(self.warnings),
        }
