"""Words that text extraction broke, put back together where a word list agrees.

Two kinds of damage: a word split by a stray space (`thei r`, `Internationa l`), and a
hyphen lost at a line end (`capacitybuilding` where the same text elsewhere has
`capacity-building`). Both are repaired only on evidence; each repair is reported.
"""

from __future__ import annotations

import re
from functools import lru_cache

from penholder.ingest.wordlist import zipf

# The right-hand fragment is short; the commonest short words are never fragments.
_STOP = "of|the|and|to|in|on|by|for|or|at|as|its|an|be|is|are|has|any|all|who|may|can|use|new|own|via|per|not|was|but|one|two|it|we|he|if|so|no|do|up|out|set"
_PAIR = re.compile(rf"(?<![\w(/-])([A-Za-z]{{2,}}) (?!(?:{_STOP})\b)([a-z]{{1,3}})(?![\w)])")
_HYPHENATED = re.compile(r"\b([A-Za-z]{2,})-([A-Za-z]{2,})\b")
_LONG_WORD = re.compile(r"[a-z]{5,}")
_COMMON = 3.0  # zipf: about once per million words, a word anybody would know
_RARE = 1.0


def _zipf(word: str) -> float:
    return zipf(word)


def _joins(left: str, right: str) -> bool:
    joined = _zipf((left + right).lower())
    if joined < _COMMON:
        return False
    if len(right) == 1 and right not in ("a",):
        # A lone letter is no word of its own in running text: "thei r".
        return joined > _zipf(left.lower()) + 1.5
    return _zipf(left.lower()) < _RARE or _zipf(right) < _RARE


def repair_split_words(text: str, warnings: list[str]) -> str:
    def fix(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        if _joins(left, right):
            warnings.append(f"repaired a word split by the extraction: '{left} {right}' -> '{left}{right}'")
            return left + right
        return m.group(0)

    return _PAIR.sub(fix, text)


def hyphenated_vocabulary(texts: list[str]) -> dict[str, str]:
    """'capacitybuilding' -> 'capacity-building' for every hyphenated word in the texts."""
    vocab: dict[str, str] = {}
    for text in texts:
        for m in _HYPHENATED.finditer(text):
            vocab[(m.group(1) + m.group(2)).lower()] = m.group(0)
    return vocab


def restore_hyphens(text: str, vocab: dict[str, str], warnings: list[str]) -> str:
    if not vocab:
        return text
    present = vocab.keys() & set(_LONG_WORD.findall(text.lower()))
    if not present:
        return text
    words = _vocabulary_pattern(tuple(sorted(present)))

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        hyphenated = vocab.get(word.lower())
        if hyphenated is None or _zipf(word.lower()) >= _COMMON:
            return word
        if word[0].isupper():
            hyphenated = hyphenated[0].upper() + hyphenated[1:]
        else:
            hyphenated = hyphenated[0].lower() + hyphenated[1:]
        warnings.append(f"restored a hyphen lost at a line end: '{word}' -> '{hyphenated}'")
        return hyphenated

    return words.sub(fix, text)


@lru_cache(maxsize=64)
def _vocabulary_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(map(re.escape, keys)) + r")\b", re.IGNORECASE)
