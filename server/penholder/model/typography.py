"""Typographic and date rules of UN editing, over plain text: pure functions returning
(start, end, message) for each place a rule is broken."""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterator

from penholder.model.dates import MONTHS

Spot = tuple[int, int, str]

_MONTH = "|".join(MONTHS)
_ABBR = {m[:3]: m for m in MONTHS} | {"Sept": "September"}
UN_DATE = re.compile(rf"\b(\d{{1,2}}) ({_MONTH}) (\d{{4}})\b")

_US = re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")
_ORDINAL = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)\s+(?:of\s+)?({_MONTH}),?\s+(\d{{4}})\b")
_ZERO = re.compile(rf"\b0(\d)\s+({_MONTH})\s+(\d{{4}})\b")
_SHORT = re.compile(r"\b(\d{1,2})\s+(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+(\d{4})\b")
_NUMERIC = re.compile(r"(?<![\w/.-])(\d{1,2})([/.])(\d{1,2})\2((?:19|20)\d{2})(?![\w/])")
_ISO = re.compile(r"(?<![\w/-])((?:19|20)\d{2})-(\d{2})-(\d{2})(?![\w/-])")


def _un(day: int, month: str, year: str) -> str:
    return f"{day} {month} {year}"


def dates(text: str) -> Iterator[Spot]:
    why = "dates are written day, month in words, year, with no comma or ordinal"
    for m in _US.finditer(text):
        yield m.start(), m.end(), f"write {_un(int(m.group(2)), m.group(1), m.group(3))!r}: {why}"
    for m in _ORDINAL.finditer(text):
        yield m.start(), m.end(), f"write {_un(int(m.group(1)), m.group(2), m.group(3))!r}: {why}"
    for m in _ZERO.finditer(text):
        yield m.start(), m.end(), f"write {_un(int(m.group(1)), m.group(2), m.group(3))!r}: no leading zero in the day"
    for m in _SHORT.finditer(text):
        month = _ABBR[m.group(2)]
        yield m.start(), m.end(), f"write {_un(int(m.group(1)), month, m.group(3))!r}: months are not abbreviated"
    for m in _ISO.finditer(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            yield m.start(), m.end(), f"write {_un(day, MONTHS[month - 1], m.group(1))!r}: {why}"
    for m in _NUMERIC.finditer(text):
        a, b = int(m.group(1)), int(m.group(3))
        if 1 <= a <= 31 and 1 <= b <= 12:
            yield m.start(), m.end(), (f"a date in figures is ambiguous (day/month or month/day): write "
                                       f"{_un(a, MONTHS[b - 1], m.group(4))!r} or the other reading in words")
    for m in UN_DATE.finditer(text):
        day, month, year = int(m.group(1)), MONTHS.index(m.group(2)) + 1, int(m.group(3))
        if not 1 <= day <= monthrange(year, month)[1]:
            yield m.start(), m.end(), f"{m.group(2)} {year} has no day {day}"


def quotes(text: str) -> Iterator[Spot]:
    for i, ch in enumerate(text):
        if ch not in "\"'`":
            continue
        opening = i == 0 or text[i - 1] in " \t\n([/—–-"
        if ch == '"':
            want = "“" if opening else "”"
            yield i, i + 1, f"use typographic quotation marks ({want}), not a straight one"
        elif ch == "'":
            if opening:
                yield i, i + 1, "use a typographic single quotation mark (‘), not a straight one"
            else:
                yield i, i + 1, "use a typographic apostrophe or closing quotation mark (’), not a straight one"
        else:
            yield i, i + 1, "a backtick is not a quotation mark: use ‘ or “"


_SPACED_HYPHEN = re.compile(r"(?<=\S) - (?=\S)|(?<=\S) -- ?(?=\S)|(?<=\w)--(?=\w)")
_RANGE = re.compile(r"(?<![\w/.-])((?:19|20)\d{2})-((?:19|20)?\d{2})(?![\w/-])")


def dashes(text: str) -> Iterator[Spot]:
    for m in _SPACED_HYPHEN.finditer(text):
        yield m.start(), m.end(), "a hyphen or double hyphen used as a dash: use a dash (–), not a hyphen"
    for m in _RANGE.finditer(text):
        yield m.start(), m.end(), (f"a span of years takes an en dash: {m.group(1)}–{m.group(2)}, "
                                   "not a hyphen")
