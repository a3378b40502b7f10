"""How common an English word is: wordfreq's Zipf frequency, loaded fast.

wordfreq takes a quarter of a second to import and unpack its English list, more than
the rest of a `penholder import` together. The list is a fixed, versioned data file, so
the first load keeps the part the importer uses (alphabetic words with Zipf >= 2, i.e.
seen at least once per ten million words; rarer ones count as unknown, which is what a
fragment of a broken word is) in the user's cache directory in Python's marshal format,
which later processes read in a tenth of that time. The cache is named after the size
and date of wordfreq's English list, so a new wordfreq release makes a new one. Any problem with
the cache (unwritable directory, damaged file) falls back to wordfreq itself.

The cache holds the words sorted, as one string, and their values as an array, and a
word is found by bisection: unpacking ninety thousand words into a dict took 25 ms of
every process start, more than a warm import; a look-up costs a microsecond, and the
importer keeps its answers (words._zipf).
"""

from __future__ import annotations

import marshal
import os
from array import array
from bisect import bisect_left
from functools import cache
from importlib.util import find_spec
from pathlib import Path

MIN_ZIPF = 2.0
_FORMAT = "sorted-1"  # in the cache's name and content: another layout is another file


def _cache_path() -> Path | None:
    spec = find_spec("wordfreq")  # locates the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return None
    try:
        st = os.stat(os.path.join(spec.submodule_search_locations[0], "data", "large_en.msgpack.gz"))
    except OSError:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "penholder" / f"wordfreq-en-{st.st_size}-{int(st.st_mtime)}-{_FORMAT}.marshal"


def _from_wordfreq() -> dict[str, int]:
    import math

    from wordfreq import get_frequency_dict

    out: dict[str, int] = {}
    for word, freq in get_frequency_dict("en", wordlist="best").items():
        if freq > 0 and word.isalpha():
            zipf = math.log10(freq) + 9
            if zipf >= MIN_ZIPF:
                out[word] = round(zipf * 100)
    return out


class _Table:
    """Words sorted, each with its Zipf value times 100."""

    def __init__(self, words: list[str], values: array) -> None:
        self.words, self.values = words, values

    @classmethod
    def of(cls, table: dict[str, int]) -> _Table:
        words = sorted(table)
        return cls(words, array("H", (table[w] for w in words)))

    def get(self, word: str) -> int:
        i = bisect_left(self.words, word)
        return self.values[i] if i < len(self.words) and self.words[i] == word else 0


def _store(path: Path, table: _Table) -> None:
    import tempfile  # once per wordfreq release: not worth its import on every start

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            marshal.dump((_FORMAT, "\n".join(table.words), table.values.tobytes()), f)
        os.replace(tmp, path)  # readers never see a half-written file
    except OSError:
        pass


def _load(path: Path) -> _Table | None:
    try:
        with open(path, "rb") as f:
            tag, words, values = marshal.loads(f.read())
        if tag != _FORMAT or not isinstance(words, str) or not isinstance(values, bytes):
            return None
        table = _Table(words.split("\n"), array("H", values))
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return table if len(table.words) == len(table.values) else None


@cache
def _table() -> _Table:
    path = _cache_path()
    if path is not None and (table := _load(path)) is not None:
        return table
    table = _Table.of(_from_wordfreq())
    if path is not None:
        _store(path, table)
    return table


def zipf(word: str) -> float:
    """Zipf frequency of a word (lower-cased): 7.7 for 'the', 3 for a word seen once per
    million words, 0 for a word rarer than MIN_ZIPF or not in the list."""
    return _table().get(word.lower()) / 100
