"""Tokens for word differences: words, runs of whitespace, and every other character
(punctuation: , ; : . “ ” ’ ( ) – / ...) as a token of its own.

Punctuation is its own token so that a comma turned into a semicolon shows as exactly
that, and not as the whole word it is glued to. Joining the tokens gives back the text,
character for character, which is what lets a diff of tokens rebuild both texts.
"""

from __future__ import annotations

import re

# \w is Unicode-aware: letters with accents, digits and the underscore stay in words.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
_WORD = re.compile(r"\w+")
# A coarse token: a word or a punctuation mark with the whitespace after it.
_COARSE = re.compile(r"\s+|(?:\w+|[^\w\s])\s*")


def tokenize(text: str) -> list[str]:
    """The tokens of `text`; "".join(tokenize(t)) == t."""
    return _TOKEN.findall(text)


def coarse_tokenize(text: str) -> list[str]:
    """Tokens with their trailing whitespace attached ("the ", ", "); joined, the text.
    A first diff pass on these is several times faster than on the fine tokens, since
    it does not have to place a hundred identical " " tokens."""
    return _COARSE.findall(text)


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, without whitespace or punctuation: what two
    paragraphs are compared on when deciding whether they are the same paragraph."""
    return _WORD.findall(text.lower())
