"""The heading of a resolution: symbol, session, committee, agenda item, title, dates."""

from __future__ import annotations

import re
from datetime import date

from penholder.ingest.furniture import furniture_kind
from penholder.model import Heading
from penholder.model.numbering import parse_roman, parse_session_words

MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), 1)}
DATE = r"(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})"

# Until the thirtieth session a resolution was numbered across sessions, the session in
# Roman numerals after it: A/RES/1284(XIII), titled "1284 (XIII). ...".
_OLD_NUMBER = r"\d{1,4} ?\((?:[ES]+-)?[IVXLC]+\)"
_SYMBOL = re.compile(r"\bA/(?:RES/(?:(?:ES-\d+|\d+)/ ?\d+(?![\w/])|" + _OLD_NUMBER + r")"
                     r"|(?:C\.\d/)?(?:ES-\d+|\d+)/L\.\d+(?:/Rev\.\d+)?(?![\w/]))")
_RES_SYMBOL = re.compile(r"\bA/RES/(?:(?:ES-\d+|\d+)/ ?\d+(?![\w/])|" + _OLD_NUMBER + ")")
_NUMBERED_TITLE = re.compile(r"^((?:ES-\d+|S-\d+|\d{2,3}))/(\d{1,4})\.\s+(\S.*)$")
_OLD_TITLE = re.compile(r"^(\d{1,4}) ?(\((?:[ES]+-)?[IVXLC]+\))\.\s+(\S.*)$")
_SESSION = re.compile(r"\b([A-Z][a-z]+(?:-[a-z]+)?) session\b")
_AGENDA = re.compile(r"Agenda items? (\d+(?: ?\([a-z]{1,3}\))?)(.*)$")
_ADOPTED = re.compile(r"adopted by the General Assembly on " + DATE)
_COMMITTEE_IN_PARENS = re.compile(r"\(((?:First|Second|Third|Fourth|Fifth|Sixth) Committee)\)")
_COMMITTEE = re.compile(r"report of the ((?:First|Second|Third|Fourth|Fifth|Sixth) Committee)")
_NO_COMMITTEE = re.compile(r"without reference to a Main Committee", re.IGNORECASE)
_DRAFT_SPONSORS = re.compile(r"^(.+?):\s*(?:revised\s+)?draft (?:resolution|decision)\s*$", re.IGNORECASE)
_CLOSING = re.compile(r"(\d+)(?:st|nd|rd|th) plenary meeting")
_FURNITURE_FIELDS = re.compile(
    r"^(?:General Assembly|United Nations|Distr\.:.*|Original:.*|Resolution adopted by.*|"
    r"\[on the report.*|.*\bsession\b.*|Agenda item.*|The General Assembly,?)$")


def iso_date(text: str) -> str | None:
    m = re.search(DATE, text)
    if not m:
        return None
    return date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1))).isoformat()


def closing_meeting(line: str) -> tuple[str, str | None] | None:
    """('43rd plenary meeting', '2024-12-02' or None) when the line closes a resolution."""
    if len(line) > 80 or "plenary meeting" not in line:  # decided before searching every body line
        return None
    m = _CLOSING.search(line)
    if not m:
        return None
    return m.group(0), iso_date(line[m.end():])


def split_sponsors(names: str) -> list[str]:
    parts = re.split(r",\s*|\s+and\s+", names.strip())
    return [p.strip() for p in parts if p.strip()]


def parse_heading(lines: list[str], residue: list[str]) -> tuple[Heading, list[str]]:
    """Heading fields from the lines before the body; `residue` (document-management
    leftovers) is searched for what the heading itself lacks. Returns the warnings."""
    h = Heading()
    warnings: list[str] = []
    text = "\n".join(lines)
    joined = " ".join(lines)
    spare = "\n".join(residue)

    title_index = next((i for i, ln in enumerate(lines) if _NUMBERED_TITLE.match(ln) or _OLD_TITLE.match(ln)),
                       None)
    title_line = (_NUMBERED_TITLE.match(lines[title_index]) or _OLD_TITLE.match(lines[title_index])
                  if title_index is not None else None)
    resolution = _RES_SYMBOL.search(text)
    # The document's own symbol stands alone on a line (or beside "United Nations"); the
    # others are references, like the draft in "[without reference ... (A/80/L.1)]".
    symbol = next((m for ln in lines + residue
                   if (m := _SYMBOL.search(ln)) and len(ln) - len(m.group(0)) <= len("United Nations ")),
                  None) or _SYMBOL.search(text)
    if resolution:
        h.symbol = re.sub(r"\s+", "", resolution.group(0))
    elif title_line:
        # The title line "80/1. ..." numbers the resolution; a draft symbol in the heading
        # (A/80/L.2/Rev.1) is the text it was adopted from, not the resolution.
        h.symbol = (f"A/RES/{title_line.group(1)}{title_line.group(2)}" if title_line.re is _OLD_TITLE
                    else f"A/RES/{title_line.group(1)}/{title_line.group(2)}")
        # The symbol line may have been set aside with the running headers it repeats.
        if h.symbol not in re.sub(r"(?<=/) ", "", spare).split():
            warnings.append(f"heading: no A/RES line; the symbol {h.symbol} is read from the title line"
                            + (f" (the draft's symbol {symbol.group(0)} is not the resolution's)" if symbol else ""))
    elif symbol:
        h.symbol = symbol.group(0)
    elif (symbol := _SYMBOL.search(spare)):
        h.symbol = symbol.group(0)

    if title_line and title_index is not None:
        h.title = title_line.group(3).strip()
        # A long title wraps onto the lines after it, up to "The General Assembly,".
        for ln in lines[title_index + 1:]:
            if not ln or _FURNITURE_FIELDS.match(ln) or furniture_kind(ln) or _SYMBOL.search(ln):
                break
            h.title += " " + ln.strip()
    else:
        candidates = [ln for ln in lines if ln and not _FURNITURE_FIELDS.match(ln)
                      and not _SYMBOL.fullmatch(ln) and not _DRAFT_SPONSORS.match(ln)]
        if candidates:
            h.title = candidates[-1]

    for source in (text, spare):
        m = _SESSION.search(source)
        if m and (n := parse_session_words(m.group(1))):
            h.session = n
            break
    if h.session is None and h.symbol:
        m = re.search(r"/(\d{2,3})/", h.symbol)
        old_style = re.search(r"\(([IVXLC]+)\)$", h.symbol)
        if m:
            h.session = int(m.group(1))
        elif old_style:
            h.session = parse_roman(old_style.group(1))

    for source_lines in (lines, residue):
        for i, ln in enumerate(source_lines):
            m = _AGENDA.search(ln)
            if not m:
                continue
            h.agenda_item = re.sub(r"(\d)\(", r"\1 (", m.group(1))
            rest = m.group(2).strip()
            if not rest and i + 1 < len(source_lines):
                nxt = source_lines[i + 1].strip()
                if (nxt and not _FURNITURE_FIELDS.match(nxt) and not _NUMBERED_TITLE.match(nxt)
                        and furniture_kind(nxt) is None):
                    rest = nxt
            h.agenda_title = rest or None
            break
        if h.agenda_item:
            break

    if (m := _COMMITTEE_IN_PARENS.search(joined)) or (m := _COMMITTEE.search(joined)):
        h.committee = m.group(1)
    elif _NO_COMMITTEE.search(joined):
        h.committee = "plenary"

    if (m := _ADOPTED.search(joined)):
        h.adopted_on = iso_date(m.group(0))

    for ln in lines:
        if (m := _DRAFT_SPONSORS.match(ln)):
            h.sponsors = split_sponsors(m.group(1))

    for name, value in (("symbol", h.symbol), ("title", h.title), ("session", h.session),
                        ("committee", h.committee), ("agenda item", h.agenda_item)):
        if value is None:
            warnings.append(f"heading: no {name} found")
    return h, warnings
