"""How the library's adopted resolutions write their words, for the importer: a word the
extraction broke that is English both glued and apart (`there in` / `therein`, `task
force` / `taskforce`) is read as the library writes it when the document itself does not
say (ingest/words.py). Read once per state of the library and kept in memory: an upload
is read against it in a worker thread."""

from __future__ import annotations

import threading
import weakref

from penholder.ingest.words import attested_words
from penholder.store import Engine
from penholder.store import library as stored

_lock = threading.Lock()
# by engine, not by id(engine): an id may be reused by the next engine once one is gone
_kept: weakref.WeakKeyDictionary[Engine, tuple[tuple[int, int, str], dict[str, int]]] = weakref.WeakKeyDictionary()


def word_usage(engine: Engine) -> dict[str, int]:
    """Words and pairs of words of the library, with how often each is written (see
    ingest.words.attested_words); empty for an empty library."""
    now = stored.version(engine)
    with _lock:
        kept = _kept.get(engine)
        if kept and kept[0] == now:
            return kept[1]
    counts = attested_words(stored.texts(engine)) if now[0] else {}
    with _lock:
        _kept[engine] = (now, counts)
    return counts
