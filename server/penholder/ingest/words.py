"""Words that text extraction broke, put back together where a word list agrees.

Two kinds of damage: a word split by a stray space (`thei r`, `Internationa l`), and a
hyphen lost at a line end (`capacitybuilding` where the same text elsewhere has
`capacity-building`). Both are repaired only on evidence; each repair is reported.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache

from penholder.ingest.wordlist import zipf

# The right-hand fragment is short; the commonest short words are never fragments.
_STOP = "of|the|and|to|in|on|by|for|or|at|as|its|an|be|is|are|has|any|all|who|may|can|use|new|own|via|per|not|was|but|one|two|it|we|he|if|so|no|do|up|out|set"
_PAIR = re.compile(rf"(?<![\w(/-])([A-Za-z]{{2,}}) (?!(?:{_STOP})\b)([a-z]{{1,3}})(?![\w)])")
_HYPHENATED = re.compile(r"\b([A-Za-z]{2,})-([A-Za-z]{2,})\b")
_LONG_WORD = re.compile(r"[a-z]{5,}")
_COMMON = 3.0  # zipf: about once per million words, a word anybody would know
_RARE = 1.0
# The two-letter words of English (of, to, in, am, us, ...) are all this common; a rarer
# pair of letters (`ta`, `ke`, `th`, `de`) is a fragment, an abbreviation or a foreign word,
# though web text gives most of them a Zipf value of 3.5 to 5.
SHORT_WORD = 5.5


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    return zipf(word)


def _joins(left: str, right: str) -> bool:
    joined = _zipf((left + right).lower())
    if joined < _COMMON:
        return False
    if len(right) == 1 and right not in ("a",):
        # A lone letter is no word of its own in running text: "thei r".
        return joined > _zipf(left.lower()) + 1.5
    if len(right) == 2 and not _short_word(right) and (len(left) > 2 or not _short_word(left.lower())):
        # `ta ke`, `Stat es`: two letters that are no English word end a word commoner
        # than what stands before them.
        return joined > _zipf(left.lower())
    return _zipf(left.lower()) < _RARE or _zipf(right) < _RARE


def _short_word(piece: str) -> bool:
    return _zipf(piece) >= SHORT_WORD


def repair_split_words(text: str, warnings: list[str]) -> str:
    out: list[str] = []
    pos = 0
    while m := _PAIR.search(text, pos):
        left, right = m.group(1), m.group(2)
        if _joins(left, right):
            warnings.append(f"repaired a word split by the extraction: '{left} {right}' -> '{left}{right}'")
            out.append(text[pos:m.start()] + left + right)
            pos = m.end()
        else:
            # The right-hand word may itself be the start of a broken word: `to ta ke`.
            out.append(text[pos:m.start(2)])
            pos = m.start(2)
    out.append(text[pos:])
    return "".join(out)


def hyphenated_vocabulary(texts: list[str]) -> dict[str, str]:
    """'capacitybuilding' -> 'capacity-building' for every hyphenated word in the texts."""
    vocab: dict[str, str] = {}
    for text in texts:
        if "-" not in text:
            continue  # most paragraphs: the pattern would try every word for nothing
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


# -- words broken everywhere ----------------------------------------------------------
# Some PDFs place every glyph on its own, and extraction then breaks words anywhere
# (`Reca llin g it s resolut ions`, `internatio n al`, `o f`). Where a run of words has
# a piece that is no word a reader knows, the run is re-segmented: each way of gluing
# neighbouring pieces is scored by how likely its words are in English (Zipf frequency
# as a log probability), and a glue must win by JOIN_MARGIN (a thousand times likelier),
# so that real word pairs ("a round", "in to") are never glued.
_RUN = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)+")
_SUSPECT_BELOW = 3.5  # a piece rarer than this may be a fragment
_UNKNOWN = -12.0  # log10 probability given to a piece that is no word at all
_ATTESTED = -7.0  # a name the document spells whole elsewhere (Zaporizhzhia): a rare word
JOIN_MARGIN = 3.0
# A lone letter (other than "a" and "I") is no word of running text: gluing it needs less.
LETTER_MARGIN = 1.0
_MAX_PIECES = 5
# English derivational prefixes, written solid in UN texts (`subregional`,
# `extrabudgetary`, `interministerial`), whose words the list may not hold. A glue that makes no listed word may make one of
# these before a listed word of five letters or more: scored as that word, a little less
# likely (DERIVED_COST), and only where a glued piece is no word at all (`subre gional`,
# `s elfdefence`), so that real words, rare ones too ("counter improvised", "under
# consideration"), are never read as one.
PREFIXES = ("anti", "co", "counter", "cyber", "de", "dis", "extra", "inter", "intra", "macro", "micro", "mis",
            "multi", "non", "pre", "re", "self", "socio", "sub", "super", "supra", "trans", "un")
DERIVED_COST = 0.5
# Those of them that are no word of their own in written English: standing alone before a
# word they are a piece of it (`de radicalization`, `inter agency`), never a word apart
# as `counter`, `extra`, `self` or `super` may be.
BOUND_PREFIXES = frozenset(("co", "de", "dis", "inter", "intra", "mis", "multi", "non", "pre", "re", "socio",
                            "sub", "trans", "un"))
ASK_WITHIN = 2.0


@lru_cache(maxsize=65536)
def _suspect(piece: str, everywhere: bool = False) -> bool:
    if everywhere:
        return True
    if len(piece) == 1:
        return piece not in ("a", "A", "I")
    return _zipf(piece.lower()) < _SUSPECT_BELOW


@lru_cache(maxsize=65536)
def _piece_flags(piece: str, everywhere: bool) -> tuple[int, int, int, int, int]:
    """What _resegment counts of a piece, kept per piece since the same words come back in
    window after window: suspect; suspect and no lone letter (a fragment); capitalised;
    all capitals; no word at all."""
    return (int(_suspect(piece, everywhere)), int(len(piece) > 1 and _suspect(piece)),
            int(piece[0].isupper()), int(piece.isupper()), int(len(piece) > 1 and _zipf(piece.lower()) == 0))


def _initial_cut(pieces: list[str]) -> bool:
    """`Z aporizhzhia`: a capital standing alone before the lower-case rest of a name."""
    return (len(pieces) == 2 and len(pieces[0]) == 1 and pieces[0].isupper()
            and pieces[0] not in ("A", "I") and pieces[1].islower() and len(pieces[1]) > 2)


def _resegment(pieces: list[str], everywhere: bool, attested: Mapping[str, int],
               library: Mapping[str, int] | None = None,
               left_apart: list[tuple[str, str]] | None = None) -> list[str]:
    """The likeliest words the pieces make, gluing only across a suspect piece, and only
    into a word the list knows. A glue into a word that is also two English words as the
    pieces stand (`health care`, `there in`, `may be`) is made only on the document's or
    the library's word (_usage); where neither says, the words stay apart and
    `left_apart` gets (the words as kept, the word they might be)."""
    n = len(pieces)
    lower = [p.lower() for p in pieces]
    # Running counts, so that "is any piece of j..i suspect" is one subtraction: this loop
    # runs for every window of every line and paragraph, so one pass makes all five.
    suspect, fragment, capital, caps, nonword = [0], [0], [0], [0], [0]
    for p in pieces:
        s, f, c, u, w = _piece_flags(p, everywhere)
        suspect.append(suspect[-1] + s)
        fragment.append(fragment[-1] + f)
        capital.append(capital[-1] + c)
        caps.append(caps[-1] + u)
        nonword.append(nonword[-1] + w)
    alone: list[float] = []
    # First the glues that may be made, each with what it scores over its pieces' place;
    # most windows (a rare word among common ones) have none, and are left as they are.
    glues: list[tuple[int, int, float]] = []  # (j, i, score of pieces j..i read as one word)
    undecided: list[tuple[int, int]] = []  # glues into two readings that nothing decides
    for i in range(2, n + 1):
        for j in range(max(0, i - _MAX_PIECES), i - 1):
            if suspect[i] == suspect[j]:
                continue
            if capital[i] > capital[j + 1] and caps[i] - caps[j] < i - j:
                continue  # a capital inside a word: two words, as in "United Nations"; `IN TERPOL` is one
            word = "".join(lower[j:i])
            z = _zipf(word)
            # A word no list knows that the library spells whole (`deradicalization`) is
            # as good as one the document spells once.
            seen = attested.get(word, 0) or (1 if z == 0 and library and library.get(word) else 0)
            # no word at all; without one of the prefixes no derived word either (nearly every window)
            if (z == 0 and seen == 0 and (nonword[i] > nonword[j] or lower[j] in BOUND_PREFIXES)
                    and word.startswith(PREFIXES)):
                z = _derived_zipf(word, tuple(itertools.accumulate(len(p) for p in lower[j:i - 1])))
            if z == 0 and seen == 0 and not (i - j == 2 and _initial_cut(pieces[j:i])):
                continue
            no_fragment = fragment[i] == fragment[j]
            usage = 0
            gap = _two_words(lower[j:i])
            two_words = gap is not None
            if (z > 0 and no_fragment) or two_words:
                # Both readings are English: the document's own usage decides, else the
                # library's (adopted resolutions, written by the same editors).
                usage = _usage(word, lower[j:i], attested, own=True) or _usage(word, lower[j:i], library or {})
            if usage < 0:
                continue
            if two_words and usage == 0:
                # Word frequencies cannot tell "may be" from "maybe" or "health care" from
                # "healthcare": the space the extraction gave is kept, and the reader told,
                # unless the one word is a hundred times less likely than the two (`on
                # the` / `onthe`, a typing slip web text is full of).
                if gap <= ASK_WITHIN:
                    undecided.append((j, i))
                continue
            if seen >= 2:
                margin = 0.0  # the document spells the word whole elsewhere
            elif no_fragment:
                margin = LETTER_MARGIN
            else:
                margin = JOIN_MARGIN
            score = z - 9.0 if z > 0 else (_ATTESTED if seen else _UNKNOWN - 0.1 * len(word))
            if usage > 0:
                # The document writes it whole and never apart: its reading wins, however
                # common the pieces are on their own.
                if not alone:
                    alone = [_piece_score(p, attested) for p in lower]
                glues.append((j, i, max(score, sum(alone[j:i]) + 0.5)))
            else:
                glues.append((j, i, score - margin * (i - j - 1)))
    if not glues:
        if undecided and left_apart is not None:
            _report_apart(pieces, undecided, list(range(n + 1)), left_apart)
        return pieces
    if not alone:
        alone = [_piece_score(p, attested) for p in lower]
    ending: dict[int, list[tuple[int, float]]] = {}
    for j, i, score in glues:
        ending.setdefault(i, []).append((j, score))
    best: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
    for i in range(1, n + 1):
        # a piece alone is always a way to read it
        best_here = (best[i - 1][0] + alone[i - 1], i - 1)
        for j, score in ending.get(i, ()):
            candidate = (best[j][0] + score, j)
            if candidate > best_here:
                best_here = candidate
        best[i] = best_here
    words: list[str] = []
    cuts = [n]
    i = n
    while i > 0:
        j = best[i][1]
        words.append("".join(pieces[j:i]))
        cuts.append(j)
        i = j
    if undecided and left_apart is not None:
        _report_apart(pieces, undecided, cuts[::-1], left_apart)
    return words[::-1]


def _report_apart(pieces: list[str], undecided: list[tuple[int, int]], cuts: list[int],
                  left_apart: list[tuple[str, str]]) -> None:
    """The undecided glues the reading kept as two or more words: (words, glued word)."""
    at = set(cuts)
    for j, i in undecided:
        inner = [k for k in cuts if j < k < i]
        if j in at and i in at and inner:
            bounds = [j, *inner, i]
            kept = " ".join("".join(pieces[a:b]) for a, b in zip(bounds, bounds[1:]))
            left_apart.append((kept, "".join(pieces[j:i])))


def _two_words(pieces: list[str]) -> float | None:
    """Whether some cut between the pieces leaves on each side an English word at least
    as common as the one they make glued (`may be` / `maybe`, `health care` /
    `healthcare`): then the space may be the text's own, and frequencies cannot say. A
    piece rarer than the word it makes is likelier a fragment of it (`con text`, `sub
    mit`, `exist ing`); two letters count as a word only when English has such a word
    (SHORT_WORD): `ta ke` is one word broken. The answer is how much likelier, in log10,
    the two words are than the one (the lowest over such cuts), or None."""
    whole = _zipf("".join(pieces))

    def word(w: str) -> bool:
        return (_known_word(w) and (len(w) != 2 or _short_word(w)) and _zipf(w) >= whole
                and w not in BOUND_PREFIXES)

    gaps = [_zipf(a) + _zipf(b) - 9.0 - whole for k in range(1, len(pieces))
            if word(a := "".join(pieces[:k])) and word(b := "".join(pieces[k:]))]
    return min(gaps, default=None)


def _usage(word: str, pieces: list[str], counts: Mapping[str, int], own: bool = False) -> int:
    """Which reading a text uses for pieces that are words both glued and apart (`there
    in` / `therein`): 1 glued (spelled whole, never as the two words), -1 apart (written as
    the two words, never whole), 0 neither or both. Only where no line break intervenes:
    `counts` (attested_words) has the words and the pairs of words within a line; for the
    document's `own` counts, this run's own pair is not evidence of itself."""
    whole = counts.get(word, 0)
    here = " ".join(pieces) if own and len(pieces) == 2 else None
    apart = 0
    for cut in range(1, len(word)):
        left, right = word[:cut], word[cut:]
        if not (_known_word(left) and _known_word(right)):
            continue
        pair = f"{left} {right}"
        apart += max(0, counts.get(pair, 0) - (pair == here))
    if whole and not apart:
        return 1
    if apart and not whole:
        return -1
    return 0


def _why(word: str, pieces: list[str], attested: Mapping[str, int], library: Mapping[str, int] | None) -> str:
    """What a glue of words that are English apart too rests on, for the reviewer; not
    said of a capitalised word, which opens a paragraph (the lexicon's leads, counted with
    the document's words: `Not ing`) or is a name."""
    if not all(_known_word(p) for p in pieces) or not _zipf(word):
        return ""
    if _usage(word, pieces, attested, own=True) > 0:
        return ", as the document writes it elsewhere"
    if _usage(word, pieces, library or {}) > 0:
        return ", as the library's resolutions write it"
    return (f" (also English as '{' '.join(pieces)}', and "
            f"{'neither the document nor the library says' if library else 'nothing in the document says'} which: check)")


def _known_word(piece: str) -> bool:
    return piece in ("a", "i") or (len(piece) > 1 and not _suspect(piece))


@lru_cache(maxsize=65536)
def _derived_zipf(word: str, cuts: tuple[int, ...]) -> float:
    """The Zipf value of prefix + listed word (`sub` + `regional`), or 0. A prefix that
    ends where the pieces were cut (`counter` + `impro vised`) was a word of its own,
    unless it is none (BOUND_PREFIXES: `de` + `radicalization`)."""
    best = 0.0
    for prefix in PREFIXES:
        base = word[len(prefix):]
        if word.startswith(prefix) and len(base) >= 5 and (len(prefix) not in cuts or prefix in BOUND_PREFIXES):
            best = max(best, _zipf(base) - DERIVED_COST if _zipf(base) > 0 else 0.0)
    return best


def _piece_score(word: str, attested: Mapping[str, int]) -> float:
    z = _zipf(word)
    if z > 0:
        return z - 9.0
    return _ATTESTED if attested.get(word, 0) else _UNKNOWN - 0.1 * len(word)


def _windows(suspects: list[int], n: int) -> list[tuple[int, int]]:
    """Spans of pieces within reach of a suspect piece, merged where they meet."""
    spans: list[tuple[int, int]] = []
    for i in suspects:
        lo, hi = max(0, i - _MAX_PIECES + 1), min(n, i + _MAX_PIECES)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], hi))
        else:
            spans.append((lo, hi))
    return spans


# How the note on words left apart begins: structure.py puts it on the paragraph as a guess.
LEFT_APART = "left apart as the extraction gave it:"


def rejoin_fragments(text: str, notes: list[str], everywhere: bool = False,
                     attested: Mapping[str, int] | None = None, open_end: bool = False,
                     library: Mapping[str, int] | None = None) -> str:
    """Glue words broken by the extraction; each repair is a line in `notes`.

    By default a run is re-read only where one of its pieces is no common word. With
    `everywhere` (a text whose extraction broke words throughout, `re solution`,
    `just ice`) every run is, still under the margin that keeps real pairs apart, except
    for words in `attested` (the document's own words, with how often it spells them
    whole): spelled twice, they win over a pair of common words (`up on` where the text
    says `upon` elsewhere); spelled once, a name no list knows may be glued
    (`refoulem ent`). Where both readings are English (`health care` / `healthcare`,
    `there in` / `therein`), the reading the document uses elsewhere, within a line, wins;
    where it uses neither or both, the one `library` uses (attested_words over adopted
    resolutions); else the word frequencies decide and a glue is reported as any other."""
    def fix(m: re.Match[str]) -> str:
        if open_end and m.end() == len(text):
            # A line's last piece may be the start of a word the next line ends
            # ("by te" / "rrorists"): it is left for the paragraph to decide.
            head, _, last = m.group(0).rpartition(" ")
            return (_RUN.sub(fix, head) if " " in head else head) + " " + last
        pieces = m.group(0).split(" ")
        suspects = [i for i, p in enumerate(pieces) if _suspect(p, everywhere)]
        if not suspects:
            return m.group(0)
        # A glue spans at most _MAX_PIECES pieces and holds a suspect one: only the
        # pieces that near a suspect are re-read, which keeps long runs cheap.
        words: list[str] = []
        done = 0
        apart: list[tuple[str, str]] = []
        for lo, hi in _windows(suspects, len(pieces)):
            words += pieces[done:lo]
            words += _resegment(pieces[lo:hi], everywhere, attested or {}, library, apart)
            done = hi
        words += pieces[done:]
        for kept, glued in dict.fromkeys(apart):
            who = "neither the document nor the library says" if library else "nothing in the document says"
            notes.append(f"{LEFT_APART} '{kept}' (also English as '{glued}', and {who} which: check)")
        if len(words) == len(pieces):
            return m.group(0)
        out, k = [], 0
        for w in words:
            used = []
            while "".join(used) != w:
                used.append(pieces[k])
                k += 1
            if len(used) > 1:
                notes.append(f"repaired a word split by the extraction: '{' '.join(used)}' -> '{w}'"
                             + ("" if w[0].isupper() else _why(w.lower(), [u.lower() for u in used],
                                                                     attested or {}, library)))
            out.append(w)
        return " ".join(out)

    return _RUN.sub(fix, text)


def attested_words(lines: list[str], also: Mapping[str, int] | None = None) -> WordUsage:
    """How often a document spells each word (lower-cased, four letters or more) whole,
    and each pair of words it writes side by side within a line (`health care`, keyed with
    its space), where two words might be read as one; `also`: counts that take precedence
    (the lexicon's lead words)."""
    # One pass over the whole text rather than one count per line: a hard-wrapped text
    # has a line for every ten words.
    counts = Counter(_LONG_RUN.findall("\n".join(lines).lower()))
    out = WordUsage(counts, lines)
    out.update(also or {})
    return out


class WordUsage(dict[str, int]):
    """attested_words' answer: the words counted at once, the pairs of words only when
    first asked for (a key with a space), since most texts never ask: only a glue of
    pieces that are words both ways does."""

    def __init__(self, words: Mapping[str, int], lines: list[str]) -> None:
        super().__init__(words)
        self._lines = lines
        self._pairs: dict[str, int] | None = None

    def get(self, key: str, default: int | None = None) -> int | None:  # type: ignore[override]
        if " " not in key:
            return dict.get(self, key, default)  # not super(): asked for every glue a window weighs
        if self._pairs is None:
            pairs: Counter[str] = Counter()
            for line in self._lines:
                pairs.update(" ".join(m) for m in _TWO_WORDS.findall(line.lower()))
            self._pairs = dict(pairs)
        return self._pairs.get(key, default)


_LONG_RUN = re.compile(r"[a-z]{4,}")
# Two words with one space between, overlapping (`a b c`: `a b`, `b c`): a pair across
# punctuation is no pair.
_TWO_WORDS = re.compile(r"(?<![a-z])(?=([a-z]+) ([a-z]+)(?![a-z]))")

