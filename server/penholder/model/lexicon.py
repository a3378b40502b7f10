"""The lead phrases of General Assembly resolutions.

A preambular paragraph opens with a participle phrase (*Recalling also*, *Deeply
concerned*), an operative one with a verb phrase (*Strongly encourages*, *Takes note*).
Sources set the lead in italics when they keep formatting at all; when they do not, the
lead is found here, longest phrase first, so that *Noting with deep concern* wins over
*Noting*.
"""

from __future__ import annotations

import re
from functools import cache

# Head words. Participles and adjectives for the preamble...
_PREAMBLE_HEADS = """
Acknowledging Affirming Alarmed Appreciating Aware Bearing Believing Cognizant Commending
Concerned Condemning Conscious Considering Convinced Deploring Desiring Determined
Emphasizing Encouraging Endorsing Expressing Guided Having Highlighting Keeping Mindful
Noting Observing Reaffirming Realizing Recalling Recognizing Regretting Reiterating
Seeking Stressing Taking Underlining Underscoring Urging Welcoming Wishing Acting
Looking Reminding Rejecting Inviting Calling Supporting Resolved Deeply Gravely Seriously
""".split()
# ...and verbs in the third person for operative paragraphs.
_OPERATIVE_HEADS = """
Accepts Acknowledges Adopts Affirms Agrees Appeals Appreciates Approves Authorizes Calls
Commends Condemns Confirms Considers Decides Declares Demands Deplores Designates Directs
Emphasizes Encourages Endorses Expresses Highlights Invites Notes Proclaims Reaffirms
Recalls Recognizes Recommends Regrets Reiterates Renews Requests Resolves Stresses
Suggests Supports Takes Underlines Underscores Urges Welcomes Acknowledges Emphasises
Encourage Reminds Rejects Deems Further Also Strongly Once
""".split()

_ADVERBS = ["Also", "Further", "Strongly", "Once again", "Again", "Deeply", "Gravely",
            "Seriously", "Firmly", "Fully", "Further also", "Also further"]

# What may follow a head word and still belong to the lead.
_COMPLEMENTS = [
    "with appreciation", "with deep appreciation", "with satisfaction", "with concern",
    "with deep concern", "with grave concern", "with serious concern", "with regret",
    "with interest", "with alarm", "in mind", "note", "note with appreciation",
    "note with satisfaction", "note with concern", "into account", "upon", "for",
    "its deep concern", "its concern", "its grave concern", "its serious concern",
    "grave concern", "deep concern", "profound concern", "serious concern", "concern",
    "deep appreciation", "appreciation", "its appreciation", "its support",
    "its strong support", "its gratitude", "its commitment", "its determination",
]
_TRAILERS = ["also", "further", "again", "once again", "in particular"]

# Phrases whose head is an adjective or a past participle, or that the grammar above
# does not produce.
_FIXED = [
    "Deeply concerned", "Gravely concerned", "Seriously concerned", "Deeply alarmed",
    "Gravely alarmed", "Deeply disturbed", "Deeply convinced", "Firmly convinced",
    "Fully aware", "Fully convinced", "Having considered", "Having examined",
    "Having heard", "Having adopted", "Having reviewed", "Keeping in mind",
    "Looking forward", "Bearing in mind", "Bearing also in mind", "Concerned",
    "Convinced", "Alarmed", "Aware", "Mindful", "Conscious", "Cognizant", "Determined",
    "Guided", "Resolved", "Encouraged", "Disturbed", "Recognizing also",
]

_PARTICIPLE = re.compile(r"^[A-Z][a-z]+(?:ing|ed)$")

# "Having" opens a perfect participle phrase whatever the verb: *Having received*,
# *Having taken note*, *Having studied*; the list of fixed phrases cannot hold them all.
_IRREGULAR_PARTICIPLES = ["taken", "heard", "seen", "given", "undertaken", "met", "held", "read"]

# Adverbs and auxiliary heads alone are not leads: "Further" opens many a sentence.
_NOT_ALONE = {"Further", "Also", "Strongly", "Once", "Again", "Deeply", "Gravely",
              "Seriously", "Firmly", "Fully", "Having", "Keeping", "Looking", "Takes",
              "Taking", "Bearing", "Calling", "Acting"}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _grammar() -> re.Pattern[str]:
    heads = [h for h in _PREAMBLE_HEADS + _OPERATIVE_HEADS if h not in _NOT_ALONE]
    heads += ["Takes", "Taking", "Bearing", "Calling", "Acting"]
    head = _alternation(heads)
    low_head = _alternation([h.lower() for h in heads])
    adverb = _alternation(_ADVERBS)
    tail = (rf"(?:\s+(?:{_alternation(_COMPLEMENTS)}))?"
            rf"(?:\s+(?:{_alternation(_TRAILERS)}))?")
    fixed = _alternation(_FIXED)
    having = rf"Having\s+(?:[a-z]+ed|{_alternation(_IRREGULAR_PARTICIPLES)}){tail}"
    return re.compile(
        rf"(?:{having}|(?:{fixed})|(?:{adverb})\s+(?:{low_head}){tail}|(?:{head}){tail})(?![A-Za-z-])"
    )


_LEAD = _grammar()


def match_lead(text: str) -> str | None:
    """The lead phrase that opens `text`, or None. Case matters: leads are capitalized."""
    m = _LEAD.match(text)
    if not m:
        return None
    lead = m.group(0)
    if lead in _NOT_ALONE or lead in {"Takes", "Taking", "Bearing"}:
        return None
    return lead


_WORD = re.compile(r"[A-Za-z]+")


def guess_lead(text: str) -> str | None:
    """A lead for a paragraph whose opening word is not in the lexicon but has the
    shape of one (a capitalized participle such as *Commemorating*)."""
    m = _WORD.match(text)
    if m and _PARTICIPLE.match(m.group(0)) and m.group(0) not in _NOT_ALONE:
        return m.group(0)
    return None


def is_operative_phrase(lead: str) -> bool:
    """Whether a lead is a verb phrase of the operative part (3rd person: *Requests*)."""
    words = lead.split()
    if not words:
        return False
    for w in words:
        if w in _OPERATIVE_HEADS and w not in {"Further", "Also", "Strongly", "Once"}:
            return True
        if w.lower().capitalize() in _OPERATIVE_HEADS and w[0].islower() and w.endswith("s"):
            return True
    return False


@cache  # every import asks, and the lists are fixed
def lead_words() -> frozenset[str]:
    """Every word lead phrases are made of, lower-cased ('recalling', 'upon', 'concern')."""
    phrases = _PREAMBLE_HEADS + _OPERATIVE_HEADS + _ADVERBS + _COMPLEMENTS + _TRAILERS + _FIXED
    return frozenset(w.lower() for phrase in phrases for w in phrase.split())
