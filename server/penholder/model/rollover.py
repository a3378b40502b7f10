"""Technical rollover: the next draft from the resolution last adopted.

What a Secretariat officer does by hand before the penholders start negotiating: the
new session and symbol, the resolution just adopted added to the chain of resolutions
recalled, the report requested by it named, and the sessions of the reporting request
and of the agenda decision moved forward by the item's cycle. Every change is returned
as a TechnicalChange so that it is recorded as the Secretariat's, never a delegation's.
Pure: no I/O.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date

from penholder.model.numbering import parse_session_words, session_words
from penholder.model.resolution import Heading, Paragraph, Resolution

COMMITTEE_CODES = {"First Committee": "C.1", "Second Committee": "C.2", "Third Committee": "C.3",
                   "Fourth Committee": "C.4", "Fifth Committee": "C.5", "Sixth Committee": "C.6"}
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

_RESOLUTION_DATED = r"(\d{2,3})/(\d{1,4}) of (\d{1,2} [A-Z][a-z]+ \d{4})"
_CHAIN = re.compile(
    r"(?P<head>its resolutions? )(?P<list>" + _RESOLUTION_DATED
    + r"(?:(?:, | and )" + _RESOLUTION_DATED + r")*)")
_PURSUANT = re.compile(r"(submitted pursuant to (?:its )?resolution )(\d{2,3}/\d{1,4})")
_SESSION_WORDS = re.compile(r"\b(at|of) its ([a-z]+(?:-[a-z]+)?) session\b")


@dataclass(frozen=True)
class TechnicalChange:
    """One technical update, by the Secretariat. `target` is a paragraph id, a footnote
    (`footnote:18`) or a heading field (`heading:symbol`)."""

    target: str
    before: str
    after: str
    reason: str


def un_date(iso: str) -> str:
    """'2024-12-02' -> '2 December 2024'."""
    d = date.fromisoformat(iso)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def placeholder_symbol(session: int, committee: str | None) -> str:
    code = COMMITTEE_CODES.get(committee or "")
    return f"A/{code}/{session}/L.__" if code else f"A/{session}/L.__"


def replace_span(p: Paragraph, start: int, end: int, new: str) -> None:
    """Replace text[start:end] by new, keeping footnote references where they belong."""
    delta = len(new) - (end - start)
    p.text = p.text[:start] + new + p.text[end:]
    for ref in p.footnote_refs:
        if ref.offset >= end:
            ref.offset += delta
        elif ref.offset > start:
            ref.offset = start + len(new)


def _join_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def cycle_of(prior: Resolution) -> int:
    """Sessions between two resolutions on the item, from the chain the prior recalls."""
    if prior.heading.session is None:
        return 1
    for p in prior.preamble:
        m = _CHAIN.search(p.text)
        if m:
            sessions = [int(s) for s in re.findall(r"(\d{2,3})/\d{1,4} of", m.group("list"))]
            earlier = [s for s in sessions if s < prior.heading.session]
            if earlier:
                return prior.heading.session - max(earlier)
    return 1


def roll_over(prior: Resolution, *, cycle: int | None = None, symbol: str | None = None) -> tuple[Resolution, list[TechnicalChange]]:
    """The zero draft of the next cycle, and the technical changes that made it."""
    if prior.heading.session is None or prior.heading.symbol is None:
        raise ValueError("a rollover needs the prior resolution's symbol and session")
    cycle = cycle or cycle_of(prior)
    old, new_session = prior.heading, prior.heading.session + cycle
    draft = Resolution(
        heading=Heading(
            symbol=symbol or placeholder_symbol(new_session, old.committee),
            session=new_session,
            committee=old.committee,
            agenda_item=old.agenda_item,
            agenda_title=old.agenda_title,
            title=old.title,
        ),
        preamble=copy.deepcopy(prior.preamble),
        operative=copy.deepcopy(prior.operative),
        footnotes=copy.deepcopy(prior.footnotes),
    )
    changes = [
        TechnicalChange("heading:symbol", old.symbol, draft.heading.symbol or "",
                        "symbol of a draft of the new session, until the Secretariat assigns one"),
        TechnicalChange("heading:session", str(old.session), str(new_session),
                        f"the item comes back every {cycle} session{'s' if cycle > 1 else ''}"),
    ]
    for field in ("adopted_on", "meeting"):
        if getattr(old, field):
            changes.append(TechnicalChange(f"heading:{field}", getattr(old, field), "",
                                           "a draft has not been adopted"))
    prior_number = old.symbol.rsplit("/", 2)
    just_adopted = f"{prior_number[-2]}/{prior_number[-1]}" if old.symbol.startswith("A/RES/") else None

    if just_adopted and old.adopted_on:
        _extend_chain(draft, just_adopted, un_date(old.adopted_on), changes)
    if just_adopted:
        _report_pursuant_to(draft, just_adopted, new_session, changes)
    _move_sessions(draft, old.session, cycle, changes)
    return draft, changes


def _extend_chain(draft: Resolution, adopted: str, adopted_on: str, changes: list[TechnicalChange]) -> None:
    for p in draft.preamble:
        if not p.lead.startswith("Recalling"):
            continue
        m = _CHAIN.search(p.text)
        if not m:
            continue
        items = re.findall(r"\d{2,3}/\d{1,4} of \d{1,2} [A-Z][a-z]+ \d{4}", m.group("list"))
        if any(i.startswith(adopted + " ") for i in items):
            return
        before = p.text
        new_list = _join_list(items + [f"{adopted} of {adopted_on}"])
        replace_span(p, m.start("head"), m.end("list"), "its resolutions " + new_list)
        changes.append(TechnicalChange(p.id, before, p.text,
                                       f"resolution {adopted} of {adopted_on} added to the resolutions recalled"))
        return


def _report_pursuant_to(draft: Resolution, adopted: str, new_session: int, changes: list[TechnicalChange]) -> None:
    for p in draft.paragraphs():
        m = _PURSUANT.search(p.text)
        if not m or m.group(2) == adopted:
            continue
        before = p.text
        replace_span(p, m.start(2), m.end(2), adopted)
        changes.append(TechnicalChange(p.id, before, p.text,
                                       f"the report now before the Assembly is the one requested in resolution {adopted}"))
        # The footnote on the report cites a document of the new session, not yet issued.
        ref = next((r for r in p.footnote_refs if m.start(2) < r.offset <= m.start(2) + len(adopted) + 1), None)
        note = next((f for f in draft.footnotes if ref and f.number == ref.number), None)
        if note and re.fullmatch(r"A/\d+/\d+\.", note.text):
            new_text = f"A/{new_session}/[...]."
            changes.append(TechnicalChange(f"footnote:{note.number}", note.text, new_text,
                                           "symbol of the new report, to be filled in when it is issued"))
            note.text = new_text


def _move_sessions(draft: Resolution, old_session: int, cycle: int, changes: list[TechnicalChange]) -> None:
    """'at its eighty-first session' (the reporting request) and 'of its eighty-first
    session' (the agenda decision) move forward by the cycle."""
    for p in draft.operative:
        for sub in p.walk():
            matches = [m for m in _SESSION_WORDS.finditer(sub.text)
                       if (n := parse_session_words(m.group(2))) is not None and n > old_session]
            if not matches:
                continue
            before = sub.text
            for m in reversed(matches):
                n = parse_session_words(m.group(2))
                assert n is not None
                replace_span(sub, m.start(2), m.end(2), session_words(n + cycle))
            changes.append(TechnicalChange(sub.id, before, sub.text,
                                           f"sessions moved forward by the cycle of {cycle}"))
