"""Editorial checks of a resolution against the UN's rules: a pure function of the
document model (and of what the library knows about earlier resolutions), no I/O.

Each finding names its rule, the paragraph by label (PP3, OP4 (b)), a character span of
the paragraph's text (Python string indices, as footnote offsets are) and a message that
says what the rule is. docs/library.md lists the rules."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from penholder.model.dates import MONTHS, un_date
from penholder.model.labels import paragraph_labels
from penholder.model.lexicon import guess_lead, is_operative_phrase, match_lead
from penholder.model.numbering import sub_label
from penholder.model.references import Reference, find_references
from penholder.model.resolution import Paragraph, Resolution
from penholder.model.typography import dashes, dates, quotes

RULES = {
    "pp-lead": "a preambular paragraph opens with a participle or adjective phrase (Recalling, Deeply concerned)",
    "pp-end": "a preambular paragraph ends with a comma",
    "op-lead": "an operative paragraph opens with a verb in the present tense (Decides, Requests, Also urges)",
    "op-end": "an operative paragraph ends with a semicolon, the last one with a full stop",
    "chapeau-end": "the words introducing subparagraphs end with a colon",
    "sub-end": "a subparagraph ends with a semicolon ('; and' allowed); the last carries the paragraph's own end",
    "numbering": "numbers and labels come from the order of paragraphs, never typed in the text",
    "reference": "an internal reference names a paragraph that exists, above or below as it says",
    "footnote": "footnote marks resolve to footnotes, numbered in order of first mention",
    "date": "dates are written the UN way: 2 December 2024",
    "resolution-date": "a resolution cited with its date has the date it was adopted",
    "quotes": "quotation marks and apostrophes are typographic (“ ” ‘ ’)",
    "dash": "dashes are dashes (–), not hyphens",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    label: str  # PP3, OP4 (b), or "footnote 3"
    paragraph_id: str | None
    start: int
    end: int
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "label": self.label, "paragraph_id": self.paragraph_id,
                "span": [self.start, self.end], "message": self.message}

    def line(self) -> str:
        return f"{self.label} [{self.start}:{self.end}] {self.rule}: {self.message}"


@dataclass(frozen=True)
class _Spot:
    p: Paragraph
    label: str


def _last_char(text: str) -> tuple[int, int]:
    end = len(text.rstrip())
    return max(0, end - 1), end


def _first_word(text: str) -> tuple[int, int]:
    m = re.match(r"\s*(\S+)", text)
    return (m.start(1), m.end(1)) if m else (0, 0)


_ADVERBS = r"(?:Also|Further|Strongly|Once again|Again|Firmly|Fully|Hereby|Further also|Also further)"
_PRESENT = re.compile(rf"^(?:{_ADVERBS}\s+)?(?P<verb>[A-Z][a-z]*[^s\W]s|[a-z]+[^s\W]s)\b")
# Capitalized words ending in -s that are not verbs.
_NOT_VERBS = {"This", "Its", "Thus", "Was", "Has", "Is", "As", "His", "Hers", "Ours", "Theirs", "States",
              "Nations", "Members", "Parties", "Governments", "Countries", "Organizations"}
_PARTICIPLE = re.compile(r"^[A-Z][a-z]+(?:ing|ed)\b")
_TYPED_NUMBER = re.compile(r"^\s*(?:\d{1,3}\s*[.)]|\(\s*(?:[a-z]{1,4}|\d{1,3})\s*\)|[a-z]{1,4}\))\s")


def _given_lead(p: Paragraph) -> str:
    """The stored lead, if the text still opens with it (an edit may have changed either)."""
    return p.lead if p.lead and p.text.startswith(p.lead) else ""


def _lead(p: Paragraph) -> str | None:
    return _given_lead(p) or match_lead(p.text) or guess_lead(p.text)


def _check_leads(res: Resolution, labels: Mapping[str, str]) -> Iterator[Finding]:
    for p in res.preamble:
        lead = _lead(p)
        s, e = _first_word(p.text)
        if lead is None:
            yield Finding("pp-lead", labels[p.id], p.id, s, e, "this preambular paragraph does not open with a "
                          "participle or adjective phrase such as Recalling, Noting with concern or Aware")
        elif is_operative_phrase(lead) and not _PARTICIPLE.match(lead):
            yield Finding("pp-lead", labels[p.id], p.id, 0, len(lead), f"{lead!r} is an operative verb: a "
                          "preambular paragraph opens with a participle (Recalling, Noting), an operative one "
                          "with a verb (Recalls, Notes)")
    for p in res.operative:
        lead = _given_lead(p) or match_lead(p.text)
        s, e = _first_word(p.text)
        if lead and is_operative_phrase(lead):
            continue
        if lead and _PARTICIPLE.match(lead):
            yield Finding("op-lead", labels[p.id], p.id, 0, len(lead), f"{lead!r} is a participle, as preambular "
                          "paragraphs open: an operative paragraph opens with a verb in the present tense "
                          "(Recalls, Notes, Decides)")
        elif not (m := _PRESENT.match(p.text.lstrip())) or m.group("verb") in _NOT_VERBS:
            yield Finding("op-lead", labels[p.id], p.id, s, e, "an operative paragraph opens with a verb in the "
                          "present tense, third person (Decides, Requests, Also urges)")


def _ending(p: Paragraph, want: str, rule: str, label: str, why: str) -> Iterator[Finding]:
    text = p.text.rstrip()
    ok = text.endswith(want) or (want == ";" and re.search(r";\s+(?:and|or)$", text))
    if not ok:
        s, e = _last_char(p.text)
        shown = repr(text[-1]) if text else "nothing"
        yield Finding(rule, label, p.id, s, e, f"ends with {shown}: {why}")


def _check_endings(res: Resolution, labels: Mapping[str, str]) -> Iterator[Finding]:
    def walk(p: Paragraph, end: str, rule: str, why: str) -> Iterator[Finding]:
        if not p.subparagraphs:
            yield from _ending(p, end, rule, labels[p.id], why)
            return
        yield from _ending(p, ":", "chapeau-end", labels[p.id], "the words introducing subparagraphs end with a colon")
        last = len(p.subparagraphs) - 1
        for i, s in enumerate(p.subparagraphs):
            if i < last:
                yield from walk(s, ";", "sub-end", "a subparagraph ends with a semicolon ('; and' or '; or' "
                                "before the last one)")
            else:
                yield from walk(s, end, "sub-end", f"the last subparagraph ends as its paragraph would, with "
                                f"{_NAMES[end]}")

    for p in res.preamble:
        yield from walk(p, ",", "pp-end", "a preambular paragraph ends with a comma")
    for i, p in enumerate(res.operative):
        last = i == len(res.operative) - 1
        yield from walk(p, "." if last else ";", "op-end",
                        "the last operative paragraph ends with a full stop" if last
                        else "an operative paragraph ends with a semicolon (only the last ends with a full stop)")


_NAMES = {",": "a comma", ";": "a semicolon", ".": "a full stop", ":": "a colon"}


def _check_numbering(res: Resolution, labels: Mapping[str, str]) -> Iterator[Finding]:
    for p in res.paragraphs():
        m = _TYPED_NUMBER.match(p.text)
        if m:
            yield Finding("numbering", labels[p.id], p.id, m.start(), m.end(),
                          f"{m.group(0).strip()!r} typed at the start of the text: numbers and labels come "
                          "from the order of paragraphs, and a typed one goes wrong at the next move")
    for top in res.preamble + res.operative:
        for sub in top.subparagraphs:
            for deep in sub.subparagraphs:
                for too_deep in deep.subparagraphs:
                    yield Finding("numbering", labels[too_deep.id], too_deep.id, 0, 0,
                                  "subparagraphs go two levels deep at most ((a), then (i)); "
                                  "restructure this one")


def check_references(res: Resolution, labels: Mapping[str, str] | None = None) -> list[Finding]:
    """Internal references that name no paragraph, or one on the wrong side."""
    labels = labels or paragraph_labels(res)
    out: list[Finding] = []
    op_index = {p.id: i + 1 for i, p in enumerate(res.operative)}

    def top_of(pid: str) -> Paragraph:
        for t in res.preamble + res.operative:
            if any(x.id == pid for x in t.walk()):
                return t
        raise KeyError(pid)

    for p in res.paragraphs():
        top = top_of(p.id)
        here = op_index.get(top.id)  # None in the preamble
        siblings = [s.id for s in top.subparagraphs]
        at = siblings.index(p.id) if p.id in siblings else None  # this subparagraph's place, if one
        for ref in find_references(p.text):
            problem = _reference_problem(ref, res, top, here, at)
            if problem:
                out.append(Finding("reference", labels[p.id], p.id, ref.start, ref.end, problem))
    return out


def _reference_problem(ref: Reference, res: Resolution, top: Paragraph, here: int | None,
                       at: int | None) -> str | None:
    """What is wrong with a reference standing in `top` (operative number `here`, None in
    the preamble; subparagraph number `at` of it, if it stands in one), or None."""
    n_ops = len(res.operative)
    if ref.number is None:  # "subparagraph (b) above": a sibling within this paragraph
        siblings = [sub_label(i, 1) for i in range(len(top.subparagraphs))]
        if ref.labels[0] not in siblings:
            return f"{ref.cite()} {ref.where}: this paragraph has no subparagraph ({ref.labels[0]})"
        target = siblings.index(ref.labels[0])
        if at is not None and ref.where == "above" and target >= at:
            return f"{ref.cite()} above: ({ref.labels[0]}) is not before this subparagraph"
        if at is not None and ref.where == "below" and target <= at:
            return f"{ref.cite()} below: ({ref.labels[0]}) is not after this subparagraph"
        return None
    if not 1 <= ref.number <= n_ops:
        return (f"{ref.cite()} {_says(ref)}: the resolution has {n_ops} operative paragraphs")
    target = res.operative[ref.number - 1]
    node = target
    for depth, label in enumerate(ref.labels, 1):
        names = [sub_label(i, depth) for i in range(len(node.subparagraphs))]
        if label not in names:
            return f"{ref.cite()} {_says(ref)}: paragraph {ref.number} has no subparagraph ({label}) there"
        node = node.subparagraphs[names.index(label)]
    if here is not None and ref.number == here and not ref.labels:
        return f"{ref.cite()} {_says(ref)}: that is this paragraph itself"
    if ref.where == "above" and (here is None or ref.number >= here):
        return (f"{ref.cite()} above: paragraph {ref.number} comes "
                f"{'after the preamble' if here is None else 'later'}, so it is below")
    if ref.where == "below" and here is not None and ref.number < here:
        return f"{ref.cite()} below: paragraph {ref.number} comes earlier, so it is above"
    return None


def _says(ref: Reference) -> str:
    return {"above": "above", "below": "below", "resolution": "of the present resolution"}[ref.where]


def _check_footnotes(res: Resolution, labels: Mapping[str, str]) -> Iterator[Finding]:
    have = {f.number for f in res.footnotes}
    seen: set[int] = set()
    expected = 1
    for p in res.paragraphs():
        for ref in sorted(p.footnote_refs, key=lambda r: r.offset):
            span = (max(0, ref.offset - 1), ref.offset)
            if not 0 <= ref.offset <= len(p.text):
                yield Finding("footnote", labels[p.id], p.id, len(p.text), len(p.text),
                              f"footnote {ref.number} is marked past the end of the text")
            if ref.number not in have:
                yield Finding("footnote", labels[p.id], p.id, *span,
                              f"footnote mark {ref.number} has no footnote")
            if ref.number not in seen:
                if ref.number != expected:
                    yield Finding("footnote", labels[p.id], p.id, *span,
                                  f"footnote {ref.number} is the first mention of a new footnote, which should be "
                                  f"{expected}: footnotes are numbered in order of first mention")
                seen.add(ref.number)
                expected = max(expected, ref.number + 1)
    for f in res.footnotes:
        if f.number not in seen:
            yield Finding("footnote", f"footnote {f.number}", None, 0, len(f.text),
                          f"footnote {f.number} is not marked anywhere in the text")


_CITED = re.compile(rf"(?<![\w/])(\d{{1,3}}/\d{{1,4}})\s+of\s+(\d{{1,2}}) ({'|'.join(MONTHS)}) (\d{{4}})\b")
_KIND = re.compile(r"\b(resolutions?|decisions?)\b")
_OTHER_BODY = re.compile(r"\b(?:Council|Commission|Conference|Board|Committee|Organization|Assembly of [A-Z]\w+)\s*$")


def _check_cited(res: Resolution, known: Mapping[str, str | None], labels: Mapping[str, str]) -> Iterator[Finding]:
    for p in res.paragraphs():
        for m in _CITED.finditer(p.text):
            kinds = list(_KIND.finditer(p.text, 0, m.start()))
            if not kinds or not kinds[-1].group(1).startswith("resolution"):
                continue  # a decision, or no word saying what it is
            if _OTHER_BODY.search(p.text, 0, kinds[-1].start()):
                continue  # another body's resolution (Human Rights Council resolution 47/22)
            symbol, adopted = m.group(1), known.get(m.group(1))
            if not adopted:
                continue
            cited = f"{int(m.group(2))} {m.group(3)} {m.group(4)}"
            if un_date(adopted) != cited:
                yield Finding("resolution-date", labels[p.id], p.id, m.start(2), m.end(),
                              f"resolution {symbol} was adopted on {un_date(adopted)}, not {cited}")


def _check_text(res: Resolution, labels: Mapping[str, str]) -> Iterator[Finding]:
    for p in res.paragraphs():
        for rule, spots in (("date", dates), ("quotes", quotes), ("dash", dashes)):
            for s, e, message in spots(p.text):
                yield Finding(rule, labels[p.id], p.id, s, e, message)
    for f in res.footnotes:
        for rule, spots in (("date", dates), ("quotes", quotes), ("dash", dashes)):
            for s, e, message in spots(f.text):
                yield Finding(rule, f"footnote {f.number}", None, s, e, message)


def check(res: Resolution, known: Mapping[str, str | None] | None = None) -> list[Finding]:
    """Every finding, in document order. `known` maps resolution numbers ('79/53') to ISO
    adoption dates, from the library; without it cited dates are not compared."""
    labels = paragraph_labels(res)
    found = [*_check_leads(res, labels), *_check_endings(res, labels), *_check_numbering(res, labels),
             *check_references(res, labels), *_check_footnotes(res, labels),
             *_check_cited(res, known or {}, labels), *_check_text(res, labels)]
    order = {pid: i for i, pid in enumerate(labels)}
    return sorted(found, key=lambda f: (f.paragraph_id is None, order.get(f.paragraph_id or "", 0),
                                        f.label, f.start, f.rule))
