"""Page furniture: what the page carries that is not the resolution's text.

Each rule names the kind of furniture, so that the importer can say what it dropped.
"""

from __future__ import annotations

import re

# A/RES/1284(XIII): until the thirtieth session, the session in Roman numerals.
_SYMBOL = r"A/(?:RES/(?:(?:ES-\d+|\d+)/ ?\d+|\d{1,4} ?\((?:[ES]+-)?[IVXLC]+\))|(?:C\.\d/)?(?:ES-\d+|\d+)/L\.\d+(?:/Rev\.\d+)?)"

_RULES: list[tuple[str, str]] = [
    ("document-management marker", r"\[Start\d*\]|<<ODS [^>]*>>"),
    ("recycling notice", r"[Pp]lease [Rr]ecycle"),
    ("page number", r"^\s*(?:\d{1,3}|\d{1,3}\s*/\s*\d{1,3}|Page \d+(?: of \d+)?)\s*$"),
    ("job number", r"^\s*\d{2}-\d{5}\s*(?:\([A-Z]\))?(?:\s+\S.*)?$"),
    # "2/4 22-04067": the page number before the job number, on the page's foot line
    ("page number", r"^\s*\d{1,3}\s*/\s*\d{1,3}\s+\d{2}-\d{5}\b"),
    ("barcode", r"^\s*\*\d{6,}\*"),
    ("link list", r"^\s*(?:https?://|www\.)\S+\s*$"),
    ("running header", rf"[a-z]{_SYMBOL}|{_SYMBOL}[A-Z][a-z]|^\s*{_SYMBOL}\s*$"),
]

# One pass over a line instead of one per rule: most lines are text and match none.
_ANY = re.compile("|".join(f"(?P<r{i}>{pattern})" for i, (_, pattern) in enumerate(_RULES)))

# Every rule that can match a line longer than 12 characters needs one of these (or a
# leading digit or asterisk, for job numbers and barcodes), and every rule not anchored
# at the line's start (^) needs one of these whatever the line's length.
_TRIGGERS = ("A/", "<<", "[Start", "ecycle", "http", "www.")

SEPARATOR = re.compile(r"^\s*(?:_{3,}|-{3,}|\*{3,}|={3,})\s*$")


def furniture_kind(line: str) -> str | None:
    """The kind of furniture this line is, or None for text."""
    if any(t in line for t in _TRIGGERS):
        m = _ANY.search(line)
    elif len(line) > 12 and not line[0].isdigit() and not line.startswith("*"):
        return None  # the common case, decided without running the rules
    else:
        # Without a trigger only the rules anchored at the line's start can match, so
        # the rules are tried there alone, not at every position of a numbered
        # paragraph's long line.
        m = _ANY.match(line)
    if m is None or m.lastgroup is None:
        return None
    return _RULES[int(m.lastgroup[1:])][0]


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


_SYMBOL_ANYWHERE = re.compile(_SYMBOL)


class RunningHeaders:
    """The running header of one document: its symbol and its title (or a piece of the
    title, where the header wraps it over two lines), in either order.

    The generic rules above only know a header glued to the symbol (`A/RES/79/53Countering`);
    once the heading has given the symbol and title, this recognizes the spaced form
    (`A/RES/ES-11/1 Aggression against Ukraine`) and a title line standing alone.
    """

    def __init__(self, symbol: str | None, title: str | None) -> None:
        self.symbol = re.sub(r"\s+", "", symbol) if symbol else None
        self.title = _words(title) if title else ""

    def __call__(self, line: str, near_furniture: bool = False) -> bool:
        if not self.title:
            return False
        rest = line
        had_symbol = False
        # Every line of the text is asked, and nearly none holds a symbol or stands
        # beside furniture: those are decided before the line's words are taken.
        if "A/" in line:
            for m in _SYMBOL_ANYWHERE.finditer(line):
                if self.symbol and re.sub(r"\s+", "", m.group(0)) == self.symbol:
                    rest = line[:m.start()] + " " + line[m.end():]
                    had_symbol = True
        if not had_symbol and not near_furniture:
            return False
        words = _words(rest)
        if had_symbol:
            return not words or (words in self.title and len(words) >= 8) or self.title in words
        # A title piece alone, beside other page furniture: a wrapped line of text may
        # repeat words of the title, but not between a page number and a job number.
        return (len(words) >= 20 and words in self.title
                and not re.search(r"[,;.]\s*$", line))


def is_separator(line: str) -> bool:
    """A footnote separator or a page break (`____`, `---`)."""
    return bool(SEPARATOR.match(line))
