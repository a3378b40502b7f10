"""A delegation's list of proposals: numbered items, each `Heading: text`.

Extraction loses or displaces item numbers (`10.Integrated`, a lone `11.` between the
lines of item 10, items with no number at all), so numbers are not trusted: an item is
a block that opens with a short capitalized heading and a colon, and items are numbered
afresh, 1 to n, in order.
"""

from __future__ import annotations

import re

from penholder.ingest.errors import IngestError
from penholder.ingest.furniture import furniture_kind
from penholder.ingest.markup import clean_line, normalize_spacing, strip_emphasis
from penholder.model import Proposal, ProposalList

_NUMBER = re.compile(r"^\(?(\d{1,3})[.)]\s*")
_LONE_NUMBER = re.compile(r"^\(?\d{1,3}[.)]?$")
_ITEM = re.compile(r"^([A-Z][^:;.]{2,90}?):\s+(\S.*)$")
_RESOLUTION_MARKERS = re.compile(r"^\W*The General Assembly\s*,", re.MULTILINE)


def _is_item_start(text: str) -> re.Match[str] | None:
    m = _ITEM.match(text)
    if m and len(m.group(1).split()) <= 12:
        return m
    return None


def _blocks(text: str) -> list[str]:
    """Blank-line separated blocks with hard-wrapped lines joined."""
    blocks: list[list[str]] = [[]]
    for raw in text.splitlines():
        line = strip_emphasis(clean_line(raw))
        if not line:
            if blocks[-1]:
                blocks.append([])
            continue
        if furniture_kind(line):
            continue
        # A numbered heading opens an item even without a blank line before it.
        if blocks[-1] and (m := _NUMBER.match(line)) and _is_item_start(line[m.end():]):
            blocks.append([])
        blocks[-1].append(line)
    out = []
    for lines in blocks:
        if not lines:
            continue
        joined = ""
        for ln in lines:
            if joined.endswith("-") and len(joined) > 1 and joined[-2].isalpha():
                joined += ln
            else:
                joined = f"{joined} {ln}" if joined else ln
        out.append(joined)
    return out


def looks_like_proposals(text: str) -> bool:
    if _RESOLUTION_MARKERS.search(text):
        return False
    starts = sum(1 for b in _blocks(text) if _is_item_start(_NUMBER.sub("", b, count=1)))
    return starts >= 3


def read_proposals(text: str) -> ProposalList:
    warnings: list[str] = []
    items: list[Proposal] = []
    preface: list[str] = []
    started = False
    for block in _blocks(text):
        if _LONE_NUMBER.match(block):
            warnings.append(f"dropped a stray item number '{block}' (displaced in extraction)")
            continue
        number = _NUMBER.match(block)
        body = block[number.end():] if number else block
        item = _is_item_start(body)
        if item and (started or number):
            started = True
            items.append(Proposal(heading=item.group(1).strip(), text=item.group(2)))
            if not number:
                warnings.append(f"item {len(items)} ('{items[-1].heading}') had no number; numbered by position")
            elif int(number.group(1)) != len(items):
                warnings.append(f"item {len(items)} ('{items[-1].heading}') was numbered {number.group(1)}; renumbered")
            continue
        if not started:
            preface.append(block)
            continue
        # A block that starts no item continues the last one: a page or an extraction
        # cut it.
        last = items[-1]
        sep = "" if last.text.endswith("-") else " "
        last.text = f"{last.text}{sep}{body}"
    if not items:
        raise IngestError("no proposals found: no numbered items of the form 'Heading: text'")
    for p in items:
        p.text = normalize_spacing(p.text)
    title = preface[0] if preface else None
    return ProposalList(items=items, title=title, warnings=warnings)
