"""Footnote marks in every spelling the sources use, folded into one private marker.

Superscript digits (PDF text), `<sup>n</sup>` (Markdown), `[^n]` and `^n^` (pandoc
Markdown) all become MARK_OPEN n MARK_CLOSE early, so that the rest of the importer
handles one form. Bare digits glued to a word (`recipients,1 which`) cannot be told from
numbers by form alone; `bare_marks` finds them later, knowing which footnote comes next.
"""

from __future__ import annotations

import re

MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"
MARK = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SUP_TAG = re.compile(r"<sup>\s*(\d+)\s*</sup>", re.IGNORECASE)
_PANDOC_NOTE = re.compile(r"\[\^(\d+)\](?!:)")
_PANDOC_SUP = re.compile(r"\^(\d+)\^")


def marker(number: int | str) -> str:
    return f"{MARK_OPEN}{number}{MARK_CLOSE}"


def fold_explicit(line: str) -> str:
    """Replace every explicit footnote mark in a line by the private marker."""
    if "<" in line:
        line = _SUP_TAG.sub(lambda m: marker(m.group(1)), line)
    if "^" in line:
        line = _PANDOC_NOTE.sub(lambda m: marker(m.group(1)), line)
        line = _PANDOC_SUP.sub(lambda m: marker(m.group(1)), line)
    if line.isascii():
        return line  # no superscript digit, and most lines are ASCII
    return _SUPERSCRIPT_RUN.sub(lambda m: marker(m.group(0).translate(_SUPERSCRIPTS)), line)


def has_marks(text: str) -> bool:
    return MARK_OPEN in text


def strip_trailing_marks(text: str) -> str:
    return MARK.sub("", text).rstrip()


# A bare mark is glued to what precedes it (a letter, a closing bracket or quote, a
# punctuation mark), or stands after a punctuation mark and one space; it is never part
# of a longer number, a symbol (70/1) or a decimal (16.1).
_BARE_BEFORE = (r"(?:(?<=[A-Za-z\)\]\"”’',;:.])|(?<=[,;:.\"”’)] )"
                # after a year, glued or set apart: "Conventions of 1949²" read as "19492"
                r"|(?<=\b1[89]\d\d)|(?<=\b20\d\d)|(?<=\b1[89]\d\d )|(?<=\b20\d\d ))")
_BARE_AFTER = r"(?=[\s,;:.)\]]|$)(?![.,]\d)"


def bare_marks(paragraphs: list[str], numbers: list[int]) -> tuple[list[str], list[int]]:
    """Turn bare-digit marks into markers, footnote by footnote in document order.

    Returns the texts with markers, and the footnote numbers whose mark was not found.
    Searching for the next expected number only, after the previous mark, is what keeps
    the many other numbers of a resolution (dates, symbols, articles) out.
    """
    texts = list(paragraphs)
    missing: list[int] = []
    cursor_par, cursor_pos = 0, 0
    for number in numbers:
        pattern = re.compile(_BARE_BEFORE + str(number) + r"(?!\d)" + _BARE_AFTER)
        found = False
        for i in range(cursor_par, len(texts)):
            start = cursor_pos if i == cursor_par else 0
            m = _search_at(pattern, str(number), texts[i], start)
            if m:
                text = texts[i]
                # "devices, 3 including": the space before a detached mark goes too.
                begin = m.start()
                if begin > 0 and text[begin - 1] == " ":
                    begin -= 1
                texts[i] = text[:begin] + marker(number) + text[m.end():]
                cursor_par, cursor_pos = i, begin + len(marker(number))
                found = True
                break
        if not found:
            missing.append(number)
    return _repeated_marks(texts, numbers, missing), missing


def _search_at(pattern: re.Pattern[str], literal: str, text: str, start: int) -> re.Match[str] | None:
    """pattern.search(text, start) for a pattern whose match opens with `literal` after
    lookbehinds only: tried where the literal occurs, since a search that opens with
    lookbehinds runs them at every position of the text."""
    pos = text.find(literal, start)
    while pos != -1:
        m = pattern.match(text, pos)  # lookbehinds still see the text before pos
        if m:
            return m
        pos = text.find(literal, pos + 1)
    return None


_CONTEXT = re.compile(r"((?:[A-Za-z()]+ ){1,2}[A-Za-z()]+)[,;:.\"”’]?$")


def _repeated_marks(texts: list[str], numbers: list[int], missing: list[int]) -> list[str]:
    """A footnote cited again later ("... Indiscriminate Effects;6" twice) carries the
    same number after the same words; only that exact context is accepted."""
    contexts: dict[int, set[str]] = {}
    for text in texts:
        for m in MARK.finditer(text):
            words = _CONTEXT.search(text, max(0, m.start() - 80), m.start())
            if words and int(m.group(1)) not in missing:
                contexts.setdefault(int(m.group(1)), set()).add(words.group(1))
    if not contexts:
        return texts

    # One pass over each text: every bare number is checked against the contexts of
    # that footnote only, so the work grows with the text, not with text x footnotes.
    def fix(m: re.Match[str]) -> str:
        number = int(m.group(2))
        if any(m.string.endswith(words, 0, m.start()) for words in contexts.get(number, ())):
            return m.group(1) + marker(number)
        return m.group(0)

    # A text without a digit has no candidate; the candidate pattern, which opens with
    # optional parts, would be tried at each of its positions.
    return [_CANDIDATE.sub(fix, t) if _DIGIT.search(t) else t for t in texts]


_DIGIT = re.compile(r"\d")  # as the candidate's \d: any decimal digit
_CANDIDATE = re.compile(r"([,;:.\"”’]?) ?(?<![\d/.])(\d{1,3})(?!\d)" + _BARE_AFTER)


def extract(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove markers from text; return it with (number, offset) for each."""
    refs: list[tuple[int, int]] = []
    out: list[str] = []
    pos = 0
    length = 0
    for m in MARK.finditer(text):
        chunk = text[pos:m.start()]
        # A mark detached by a space ("devices, ⁴ including") sits after the word.
        if chunk.endswith(" ") and text[m.end():m.end() + 1] in (" ", ""):
            chunk = chunk[:-1]
        out.append(chunk)
        length += len(chunk)
        refs.append((int(m.group(1)), length))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), refs
