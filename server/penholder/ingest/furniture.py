"""Page furniture: what the page carries that is not the resolution's text.

Each rule names the kind of furniture, so that the importer can say what it dropped.
"""

from __future__ import annotations

import re

_SYMBOL = r"A/(?:RES/\d+/\d+|(?:C\.\d/)?\d+/L\.\d+(?:/Rev\.\d+)?)"

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("document-management marker", re.compile(r"\[Start\d*\]|<<ODS [^>]*>>")),
    ("recycling notice", re.compile(r"Please recycle", re.IGNORECASE)),
    ("page number", re.compile(r"^\s*(?:\d{1,3}|\d{1,3}\s*/\s*\d{1,3}|Page \d+(?: of \d+)?)\s*$")),
    ("job number", re.compile(r"^\s*\d{2}-\d{5}\s*(?:\([A-Z]\))?(?:\s+\S.*)?$")),
    ("barcode", re.compile(r"^\s*\*\d{6,}\*")),
    ("link list", re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")),
    ("running header", re.compile(rf"[a-z]{_SYMBOL}|{_SYMBOL}[A-Z][a-z]")),
    ("running header", re.compile(rf"^\s*{_SYMBOL}\s*$")),
]

SEPARATOR = re.compile(r"^\s*(?:_{3,}|-{3,}|\*{3,}|={3,})\s*$")


def furniture_kind(line: str) -> str | None:
    """The kind of furniture this line is, or None for text."""
    for kind, pattern in _RULES:
        if pattern.search(line):
            return kind
    return None


def is_separator(line: str) -> bool:
    """A footnote separator or a page break (`____`, `---`)."""
    return bool(SEPARATOR.match(line))
