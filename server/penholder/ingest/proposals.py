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
    return [_join(lines) for lines in blocks if lines]


def _join(lines: list[str]) -> str:
    """Hard-wrapped lines as one: a word hyphenated at a line end is joined up. Built in
    parts, not by growing one string, so that a block of many lines costs its length."""
    parts = [lines[0]]
    for previous, ln in zip(lines, lines[1:], strict=False):
        hyphenated = previous.endswith("-") and len(previous) > 1 and previous[-2].isalpha()
        parts.append(ln if hyphenated else " " + ln)
    return "".join(parts)


def looks_like_proposals(text: str) -> bool:
    if _RESOLUTION_MARKERS.search(text):
        return False
    starts = sum(1 for b in _blocks(text) if _is_item_start(_NUMBER.sub("", b, count=1)))
    return starts >= 3


def read_proposals(text: str) -> ProposalList:
    warnings: list[str] = []
    items: list[Proposal] = []
    texts: list[list[str]] = []  # each item's text in parts, joined once at the end
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
            items.append(Proposal(heading=item.group(1).strip(), text=""))
            texts.append([item.group(2)])
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
        parts = texts[-1]
        parts.append(body if parts[-1].endswith("-") else " " + body)
    if not items:
        raise IngestError("no proposals found: no numbered items of the form 'Heading: text'")
    for p, parts in zip(items, texts, strict=True):
        p.text = normalize_spacing("".join(parts))
    title = preface[0] if preface else None
    return ProposalList(items=items, title=title, warnings=warnings)
