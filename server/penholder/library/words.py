"""Words of a text with their character spans: what search compares and indexes.

A word is a run of letters or digits; case, punctuation and typographic variants of
quotes and dashes do not matter. The same words feed both backends' indexes, so that
SQLite and PostgreSQL find the same candidates."""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+")

# Words too common to find candidates by (an index query needs at least one other word).
STOPWORDS = frozenset("""
a an and are as at be been by for from has have in into is it its of on or that the their
this those these to was were which with will not no such all any other also
""".split())


@dataclass(frozen=True)
class Word:
    norm: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    return [Word(m.group(0).lower(), m.start(), m.end()) for m in _WORD.finditer(text)]


def norms(text: str) -> list[str]:
    return [w.norm for w in words(text)]


def index_text(text: str) -> str:
    """The text as the index sees it: its words, lower case, one space apart."""
    return " ".join(norms(text))


def word_set(text: str) -> set[str]:
    """The distinct words of a text (faster than words() when spans are not needed)."""
    return set(_WORD.findall(text.lower()))


def phrase_pattern(ws: list[str]) -> re.Pattern[str]:
    """A regex matching these words in this order, whatever the case and the punctuation
    or spacing between them: exact matching as words() would do it, in one C-level scan."""
    between = r"[\W_]+"
    return re.compile(r"(?<![^\W_])" + between.join(map(re.escape, ws)) + r"(?![^\W_])", re.IGNORECASE)


def content_words(ws: list[str]) -> list[str]:
    """Distinct non-stopwords, in order of first appearance."""
    seen: dict[str, None] = {}
    for w in ws:
        if w not in STOPWORDS and w not in seen:
            seen[w] = None
    return list(seen)


_SENTENCE_END = re.compile(r"[.;:](?=\s+[\"“(]?[A-Z(])|[.;:]\s*$")


def sentence_around(text: str, start: int, end: int, width: int = 320) -> tuple[str, int]:
    """The sentence (or clause ended by ';' or ':') holding text[start:end], clipped to
    about `width` characters around the match with '…'; and the match's offset in it."""
    lo = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        lo = m.end()
    m = _SENTENCE_END.search(text, end)
    hi = m.end() if m else len(text)
    while lo < start and text[lo].isspace():
        lo += 1
    prefix = suffix = ""
    room = max(0, width - (end - start)) // 2
    if start - lo > room:
        cut = text.rfind(" ", lo, start - room)
        lo, prefix = (cut + 1 if cut >= 0 else start - room), "…"
    if hi - end > room:
        cut = text.find(" ", end + room, hi)
        hi, suffix = (cut if cut >= 0 else end + room), "…"
    return prefix + text[lo:hi].strip() + suffix, start - lo + len(prefix)
