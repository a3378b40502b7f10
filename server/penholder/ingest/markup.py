"""Inline Markdown and word-processor residue: italics, links, escapes, spacing."""

from __future__ import annotations

import re

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:[^)\s]*)\)")
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w_])_{1,2}(?=\S)([^_]+?)(?<=\S)_{1,2}(?![\w_])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!\"'|<>^~])")
_ITALIC_LEAD = re.compile(r"^\s*(\*{1,3}|_{1,2})(?=\S)(.+?)(?<=\S)\1")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f]+")
_ODD_SPACES = "\t\u00a0" + "".join(map(chr, range(0x2000, 0x200b))) + "\u202f"  # _SPACES but the space
_SPACE_BEFORE = re.compile(r" ([,;:.)\]])")
_SPACE_AFTER = re.compile(r"([(\[]) ")
_DETACHED_HYPHEN = re.compile(r"(\w) -(\w)")
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\ufeff"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))


def clean_line(line: str) -> str:
    """One physical line with Markdown block syntax, links and odd spaces removed.

    Emphasis markers are kept: an italic opening phrase is how a lead is marked.
    """
    if not line or line.isspace():
        return ""
    # Looked for before translating: translate() costs more than the search, and nearly
    # every line has none.
    if not line.isascii() and any(c in line for c in _INVISIBLE_CHARS):
        line = line.translate(_INVISIBLE)
    if "#" in line:
        line = _HEADING.sub("", line)
    if "](" in line:
        line = _LINK.sub(r"\1", line)
    if "<br" in line:
        line = line.replace("<br>", " ").replace("<br/>", " ")
    if "\\" in line:
        line = _ESCAPE.sub(r"\1", line)
    # str.split() also splits on no-break and typographic spaces.
    return " ".join(line.split())


def italic_lead(text: str) -> str | None:
    """The text of an emphasized phrase that opens `text`, if any."""
    m = _ITALIC_LEAD.match(text)
    return m.group(2) if m else None


def strip_emphasis(text: str) -> str:
    # An asterisk is never literal in a resolution; emphasis may open on one line and
    # close on another, so markers are removed one by one.
    if "*" in text:
        text = text.replace("*", "")
    if "_" in text:
        text = _UNDERSCORE_EMPHASIS.sub(r"\1", text)
    return text


def normalize_spacing(text: str) -> str:
    # Each pass runs only where the text has what it replaces: a regular expression that
    # opens with a class of characters tries it at every position, and most paragraphs
    # come with single spaces already (clean_line).
    if "  " in text or any(c in text for c in _ODD_SPACES):
        text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE.sub(r"\1", text.strip())
    if "( " in text or "[ " in text:
        text = _SPACE_AFTER.sub(r"\1", text)
    # "Anti -Personnel": the extraction detached a hyphen from the word before it.
    return _DETACHED_HYPHEN.sub(r"\1-\2", text) if " -" in text else text
