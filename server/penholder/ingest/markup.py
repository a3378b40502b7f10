"""Inline Markdown and word-processor residue: italics, links, escapes, spacing."""

from __future__ import annotations

import re

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_LINK = re.compile(r"\[([^\]\n]+)\]\((?:[^)\s]*)\)")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,2})(?=\S)(.+?)(?<=\S)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!\"'|<>^~])")
_ITALIC_LEAD = re.compile(r"^\s*(\*{1,3}|_{1,2})(?=\S)(.+?)(?<=\S)\1")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f]+")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\ufeff]")


def clean_line(line: str) -> str:
    """One physical line with Markdown block syntax, links and odd spaces removed.

    Emphasis markers are kept: an italic opening phrase is how a lead is marked.
    """
    line = _INVISIBLE.sub("", line)
    line = _HEADING.sub("", line)
    line = _LINK.sub(r"\1", line)
    line = line.replace("<br>", " ").replace("<br/>", " ")
    line = _ESCAPE.sub(r"\1", line) if "\\" in line else line
    return _SPACES.sub(" ", line).strip()


def italic_lead(text: str) -> str | None:
    """The text of an emphasized phrase that opens `text`, if any."""
    m = _ITALIC_LEAD.match(text)
    return m.group(2) if m else None


def strip_emphasis(text: str) -> str:
    text = _EMPHASIS.sub(r"\2", text)
    # An emphasis opened on one line and closed on another leaves single markers.
    return text.replace("*", "") if "*" in text else text


def normalize_spacing(text: str) -> str:
    text = _SPACES.sub(" ", text).strip()
    text = re.sub(r" ([,;:.)\]])", r"\1", text)
    text = re.sub(r"([(\[]) ", r"\1", text)
    # "Anti -Personnel": the extraction detached a hyphen from the word before it.
    return re.sub(r"(\w) -(\w)", r"\1-\2", text)
