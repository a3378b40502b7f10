"""Labels derived from order: operative numbers, (a)/(b) and (i)/(ii) labels."""

from __future__ import annotations

_ROMAN = [(100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def roman(n: int) -> str:
    """Lower-case roman numeral for 1 <= n < 400 (the browser client has the same rule:
    client/src/labels.js)."""
    out = []
    for value, letters in _ROMAN:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def letter(index: int) -> str:
    """a, b, ..., z, aa, bb, ... as the UN labels long lists of subparagraphs."""
    return chr(ord("a") + index % 26) * (index // 26 + 1)


def sub_label(index: int, depth: int) -> str:
    """Label of the index-th (0-based) subparagraph at depth 1 (a) or depth 2 (i)."""
    return letter(index) if depth == 1 else roman(index + 1)


ROMAN_LABELS = {roman(i): i for i in range(1, 40)}


def ordinal_suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORD_UNITS = {"one": "first", "two": "second", "three": "third", "four": "fourth",
              "five": "fifth", "six": "sixth", "seven": "seventh", "eight": "eighth",
              "nine": "ninth"}


def session_words(n: int) -> str:
    """79 -> 'seventy-ninth', as sessions are written in resolutions (1 <= n < 200)."""
    if n >= 100:
        rest = n - 100
        return "one hundred and " + session_words(rest) if rest else "one hundredth"
    if n < 10:
        return _ORD_UNITS[_UNITS[n]]
    if n < 20:
        word = _TEENS[n - 10]
        return "twelfth" if word == "twelve" else word + "th"
    tens, units = divmod(n, 10)
    if units == 0:
        return _TENS[tens][:-1] + "ieth"
    return f"{_TENS[tens]}-{_ORD_UNITS[_UNITS[units]]}"


def parse_session_words(words: str) -> int | None:
    """'Seventy-ninth' -> 79; None when the words are not an ordinal session."""
    return _SESSION_BY_WORDS.get(words.strip().lower())


_SESSION_BY_WORDS = {session_words(n): n for n in range(1, 200)}


def parse_roman(numeral: str) -> int | None:
    """The number a Roman numeral writes (XIII -> 13), or None if it is not one."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    if not numeral or any(c not in values for c in numeral):
        return None
    total = 0
    for i, c in enumerate(numeral):
        v = values[c]
        total += -v if i + 1 < len(numeral) and values[numeral[i + 1]] > v else v
    return total if roman(total) == numeral.lower() else None
