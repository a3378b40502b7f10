"""A delegation's proposal, worded as a list item ("Recognize the need ... ."), as an
operative paragraph of a draft resolution ("*Recognizes* the need ...;"). Pure.

Lists of proposals give instructions in the imperative and end each item with a full
stop; a resolution's operative paragraphs open with a verb in the third person (its
italic lead) and end with a semicolon, the last one alone with a full stop. A proposal
becomes a new paragraph before the closing one, so it ends with a semicolon. The verb
is changed only when the third person makes a known operative lead (model/lexicon.py),
so wording that is not a bare verb ("Guaranteeing ...") is left as it is.
"""

from __future__ import annotations

import re

from penholder.model.lexicon import is_operative_phrase, match_lead

_OPENING = re.compile(r"([A-Z][a-z]+)(\s+and\s+)([a-z]+)?")


def third_person(verb: str) -> str:
    if re.search(r"(?:s|x|z|ch|sh)$", verb):
        return verb + "es"
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ies"
    return verb + "s"


def as_operative(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if first.isalpha() and not match_lead(text):
        converted = third_person(first) + text[len(first):]
        lead = match_lead(converted)
        if lead and is_operative_phrase(lead):
            text = converted
            # "Support and promote ..." -> "Supports and promotes ..."
            m = _OPENING.match(text)
            if m and m.group(3):
                text = (text[:m.start(3)] + third_person(m.group(3)) + text[m.end(3):])
    if text.endswith("."):
        text = text[:-1].rstrip() + ";"
    elif not text.endswith(";"):
        text += ";"
    return text
