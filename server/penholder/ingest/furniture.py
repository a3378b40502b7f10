"""Page furniture: what the page carries that is not the resolution's text.

Each rule names the kind of furniture, so that the importer can say what it dropped.
"""

from __future__ import annotations

import re

_SYMBOL = r"A/(?:RES/\d+/\d+|(?:C\.\d/)?\d+/L\.\d+(?:/Rev\.\d+)?)"

_RULES: list[tuple[str, str]] = [
    ("document-management marker", r"\[Start\d*\]|<<ODS [^>]*>>"),
    ("recycling notice", r"[Pp]lease [Rr]ecycle"),
    ("page number", r"^\s*(?:\d{1,3}|\d{1,3}\s*/\s*\d{1,3}|Page \d+(?: of \d+)?)\s*$"),
    ("job number", r"^\s*\d{2}-\d{5}\s*(?:\([A-Z]\))?(?:\s+\S.*)?$"),
    ("barcode", r"^\s*\*\d{6,}\*"),
    ("link list", r"^\s*(?:https?://|www\.)\S+\s*$"),
    ("running header", rf"[a-z]{_SYMBOL}|{_SYMBOL}[A-Z][a-z]|^\s*{_SYMBOL}\s*$"),
]

# One pass over a line instead of one per rule: most lines are text and match none.
_ANY = re.compile("|".join(f"(?P<r{i}>{pattern})" for i, (_, pattern) in enumerate(_RULES)))

# Every rule that can match a line longer than 12 characters needs one of these (or a
# leading digit or asterisk, for job numbers and barcodes).
_TRIGGERS = ("A/", "<<", "[Start", "ecycle", "http", "www.")

SEPARATOR = re.compile(r"^\s*(?:_{3,}|-{3,}|\*{3,}|={3,})\s*$")


def furniture_kind(line: str) -> str | None:
    """The kind of furniture this line is, or None for text."""
    if (len(line) > 12 and not any(t in line for t in _TRIGGERS) and not line[0].isdigit()
            and not line.startswith("*")):
        return None  # the common case, decided without running the rules
    m = _ANY.search(line)
    if m is None or m.lastgroup is None:
        return None
    return _RULES[int(m.lastgroup[1:])][0]


def is_separator(line: str) -> bool:
    """A footnote separator or a page break (`____`, `---`)."""
    return bool(SEPARATOR.match(line))
