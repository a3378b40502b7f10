"""Structure recognition: cleaned lines in, a Resolution out.

Sources disagree on what a line and a blank line mean (one paragraph a line, hard-wrapped
lines with blank lines between every one, Word paragraphs), so blank lines and line
breaks are ignored. A paragraph starts only where the text itself says so: an operative
number that comes next in sequence, a subparagraph label, or a lead phrase, and only
after the previous paragraph has ended with its punctuation. Everything else continues
the paragraph before it, which is what joins a paragraph cut by a page or a footnote
block.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from penholder.ingest import marks
from penholder.ingest.errors import IngestError
from penholder.ingest.furniture import RunningHeaders, furniture_kind, is_separator
from penholder.ingest.heading import closing_meeting, iso_date, parse_heading
from penholder.ingest.markup import clean_line, italic_lead, normalize_spacing, strip_emphasis
from penholder.ingest.words import (LEFT_APART, attested_words, hyphenated_vocabulary, rejoin_fragments,
                                    repair_split_words, restore_hyphens)
from penholder.model import Footnote, FootnoteRef, ImportReview, Paragraph, Resolution
from penholder.model.lexicon import guess_lead, lead_words, match_lead
from penholder.model.numbering import ROMAN_LABELS, letter, roman

_ASSEMBLY = re.compile(r"^\W*The General Assembly\s*,?\W*$")
_OP_CUE = re.compile(r"^\**(\d{1,3})\.(?:\s+|(?=[*A-Z]))")
_SUB_CUE = re.compile(r"^\(([a-z]{1,4})\)\s+")
_FOOTNOTE_MARKED = re.compile(f"^{marks.MARK_OPEN}(\\d+){marks.MARK_CLOSE}\\s*(\\S.*)$")
_FOOTNOTE_PANDOC = re.compile(r"^\[\^(\d+)\]:\s*(\S.*)$")
_FOOTNOTE_BARE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_TERMINAL = re.compile(r"[,;:.][\"”’)]?\s*$")
_TERMINAL_BARE_MARK = re.compile(r"[,;:.][\"”’)]?\s*\d{1,3}\s*$")
# "1." or "(a)" alone on its line: the number of the paragraph whose text follows.
# "gender- and age-sensitive": a hyphen left hanging before "and", "or", "to"
_SUSPENDED = re.compile(r"^\**(?:and|or|to|nor)\b")
_NUMBER_ALONE = re.compile(r"^\**(?:\d{1,3}\.|\([a-z]{1,4}\))\**$")
_DIGITS_ALONE = re.compile(r"^(\d{1,3})$")
_ABBREVIATION_END = re.compile(r"\b(?:Ibid|No|Nos|para|paras|vol|vols|p|pp|e\.g|i\.e|cf|al|Corr|Add|Rev|art|arts)\.$")
_NOT_LEADS = {"Including", "Regarding", "Concerning", "Following", "Pending", "During",
              "According", "Notwithstanding", "Excluding", "United", "Based", "Related"}


@dataclass
class _Block:
    kind: str  # pp | op | sub
    level: int
    parts: list[str] = field(default_factory=list)
    label: str | None = None
    subs_seen: int = 0  # level-1 subparagraphs under an op, level-2 under a sub
    repaired: list[str] = field(default_factory=list)  # what was mended in its text
    guessed: list[str] = field(default_factory=list)  # what of its structure was inferred

    @property
    def text(self) -> str:
        return _join_lines(self.parts)


def _join_lines(parts: list[str]) -> str:
    out = ""
    for part in parts:
        if not out:
            out = part
        elif (out.endswith("-") and len(out) > 1 and out[-2].isalpha()
              and not _SUSPENDED.match(part)):
            out += part  # "self-" + "defence": the hyphen belongs to the word
        else:
            out += " " + part
    return out


def _ends_paragraph(text: str, bare_marks: bool) -> bool:
    plain = strip_emphasis(marks.strip_trailing_marks(text))
    return bool(_TERMINAL.search(plain) or (bare_marks and _TERMINAL_BARE_MARK.search(plain)))


def _footnote_finished(parts: list[str]) -> bool:
    last = strip_emphasis(parts[-1]).rstrip()
    if not last.endswith("."):
        return False
    # "Ibid." ends a sentence when it is the whole footnote; "No." never does.
    whole = strip_emphasis(" ".join(parts)).strip()
    return not _ABBREVIATION_END.search(last) or whole in ("Ibid.", "Idem.", "Ibidem.")


def _footnote_number_next(line: str, reader: _Reader) -> bool:
    """`2 Ibid., vol. 1125` while footnote 1 reads on: the next number, then a capital,
    starts the next footnote even when the one before did not end as a sentence."""
    m = _FOOTNOTE_BARE.match(line)
    return bool(m and int(m.group(1)) == reader._next_footnote() and m.group(2)[:1].isupper())


def _doc_key(symbol: str | None, text: str) -> str:
    if symbol:
        return re.sub(r"[^a-z0-9]+", "-", symbol.lower().removeprefix("a/")).strip("-")
    import hashlib  # only a document without a symbol needs it; loading it costs every CLI start 2 ms

    return "doc-" + hashlib.sha1(text.encode()).hexdigest()[:8]


class _Reader:
    def __init__(self, lines: list[str], line_notes: dict[int, list[str]] | None = None,
                 running_header: Callable[[str], bool] | None = None) -> None:
        self.lines = lines
        self.line_notes = line_notes or {}
        self.running_header = running_header
        self.page_break = False  # furniture dropped since the last body line
        self.pending_notes: list[str] = []
        self.op_count = 0  # kept, not counted, so that reading stays linear in the text
        self.blocks: list[_Block] = []
        self.footnotes: dict[int, list[str]] = {}
        self.dropped: Counter[str] = Counter()
        self.residue: list[str] = []
        self.warnings: list[str] = []
        self.meeting: str | None = None
        self.closing_date: str | None = None
        self.explicit_marks = any(marks.has_marks(ln) for ln in lines)

    # -- footnotes ---------------------------------------------------------------------
    def _next_footnote(self) -> int:
        return max(self.footnotes, default=0) + 1

    def _footnote_start(self, line: str, bare_allowed: bool) -> tuple[int, str] | None:
        m = _FOOTNOTE_MARKED.match(line) or _FOOTNOTE_PANDOC.match(line)
        if m:
            return int(m.group(1)), m.group(2)
        if bare_allowed and (m := _FOOTNOTE_BARE.match(line)):
            if int(m.group(1)) == self._next_footnote():
                return int(m.group(1)), m.group(2)
        return None

    # -- body --------------------------------------------------------------------------
    def _is_cue(self, plain: str) -> bool:
        return bool(_OP_CUE.match(plain) or _SUB_CUE.match(plain) or match_lead(plain))

    def _body_line(self, line: str) -> None:
        notes, self.pending_notes = self.pending_notes, []
        page_break, self.page_break = self.page_break, False
        before = len(self.blocks)
        prev = self.blocks[-1] if self.blocks else None
        self._place(line)
        if len(self.blocks) > before:
            self.blocks[-1].repaired.extend(notes)
        elif prev is not None and self.blocks and self.blocks[-1] is prev:
            prev.repaired.extend(notes)
            if page_break:
                prev.repaired.append("joined across a page break (page furniture removed)")

    def _place(self, line: str) -> None:
        plain = strip_emphasis(line)
        prev = self.blocks[-1] if self.blocks else None
        # The end of a paragraph is the end of its last line. A bare digit after the
        # closing punctuation is a footnote mark (`1996,1`, `verification, 1`), whatever
        # notation the rest of the text uses.
        done = prev is None or _ends_paragraph(prev.parts[-1], True)

        m = _OP_CUE.match(line)
        if m and done:
            number = int(m.group(1))
            expected = self.op_count + 1
            rest = line[m.end():]
            if number == expected or (number > expected and match_lead(strip_emphasis(rest))):
                self.blocks.append(_Block("op", 0, [rest]))
                self.op_count += 1
                if number != expected:
                    message = f"operative numbering jumps from {expected - 1} to {number}; renumbered"
                    self.warnings.append(message)
                    self.blocks[-1].guessed.append(message)
                return

        m = _SUB_CUE.match(plain)
        if m and prev is not None and (done or plain.endswith(("and", "or"))):
            label = m.group(1)
            parent_op = next((b for b in reversed(self.blocks) if b.kind == "op"), None)
            parent_sub = prev if prev.kind == "sub" and prev.level == 1 else (
                next((b for b in reversed(self.blocks) if b.kind == "sub" and b.level == 1), None)
                if prev.kind == "sub" else None)
            owner = parent_op or prev
            if label == letter(owner.subs_seen):
                owner.subs_seen += 1
                self.blocks.append(_Block("sub", 1, [plain[m.end():]], label=label))
                return
            if parent_sub is not None and label in ROMAN_LABELS and label == roman(parent_sub.subs_seen + 1):
                parent_sub.subs_seen += 1
                self.blocks.append(_Block("sub", 2, [plain[m.end():]], label=label))
                return

        if not self.op_count and done:
            lead = italic_lead(line) or match_lead(plain)
            if lead is None and prev is not None and strip_emphasis(prev.parts[-1]).rstrip().endswith(","):
                word = guess_lead(plain)
                # "Use,\nStockpiling, Production and Transfer": a word of a list, not a lead
                lead = word if word not in _NOT_LEADS and not plain[len(word or ""):].startswith(",") else None
            if lead is not None:
                self.blocks.append(_Block("pp", 0, [line]))
                return

        if prev is None:
            self.dropped["text before the first paragraph"] += 1
            self.residue.append(line)
            return
        prev.parts.append(line)

    # -- the walk over all lines -------------------------------------------------------
    def read(self) -> tuple[list[str], int]:
        start = next((i for i, ln in enumerate(self.lines) if _ASSEMBLY.match(strip_emphasis(ln))), None)
        if start is None:
            start = next((i for i, ln in enumerate(self.lines)
                          if re.match(r"^\**1\.\s", ln) or match_lead(strip_emphasis(ln))), None)
            if start is None:
                raise IngestError("no resolution structure found: no 'The General Assembly,' "
                                  "line, no lead phrase and no numbered operative paragraph")
            start -= 1
        heading = [ln for ln in self.lines[:start] if ln and not self._dropped(ln, heading=True)]

        closed = False
        in_zone = False  # after a footnote separator, where bare-numbered footnotes may start
        current: int | None = None
        held: str | None = None  # a paragraph's number alone on its line, waiting for its text
        held_note: str | None = None  # a footnote's number above its text, as the PDF sets it
        for index in range(start + 1, len(self.lines)):
            line = self.lines[index]
            if not line:
                continue
            bare_ok = (in_zone or closed) and (current is None or _footnote_finished(self.footnotes[current]))
            if (in_zone or closed) and (m := _DIGITS_ALONE.match(line)) and int(m.group(1)) == self._next_footnote():
                held_note = m.group(1)
                continue
            if held is None and _NUMBER_ALONE.match(line):
                held = strip_emphasis(line)
                continue
            if self._dropped(line, index):
                continue
            if held_note is not None:
                line, held_note = f"{held_note} {line}", None
            if is_separator(line):
                in_zone, current = True, None
                continue
            fn = self._footnote_start(line, bare_ok or (in_zone or closed) and _footnote_number_next(line, self))
            if fn:
                number, text = fn
                if number in self.footnotes:
                    self.warnings.append(f"footnote {number} appears twice; the second text is kept")
                self.footnotes[number] = [text]
                self.pending_notes = []
                current = number
                continue
            if closed:
                if self.closing_date is None and len(line) < 40 and iso_date(line):
                    self.closing_date = iso_date(line)
                elif current is not None and not _footnote_finished(self.footnotes[current]):
                    self.footnotes[current].append(line)
                else:
                    current = None
                    self.dropped["document-management residue after the text"] += 1
                    self.residue.append(line)
                continue
            closing = closing_meeting(strip_emphasis(line))
            if closing:
                closed, current = True, None
                self.meeting, self.closing_date = closing
                continue
            self.pending_notes.extend(self.line_notes.get(index, []))
            if held is not None:
                # The number waited over any page foot and footnotes for its text.
                self.pending_notes.append(f"its number '{held}' stood alone on a line; joined to the text after it")
                line, held = f"{held} {line}", None
                current, in_zone = None, False
            if current is not None:
                plain = strip_emphasis(line)
                if not self._is_cue(plain) and not _footnote_finished(self.footnotes[current]):
                    self.footnotes[current].append(line)
                    continue
                current, in_zone = None, False
            self._body_line(line)
        return heading, start

    def _dropped(self, line: str, index: int | None = None, heading: bool = False) -> bool:
        kind = furniture_kind(line)
        if kind is None and self.running_header is not None and not heading:
            following = next((ln for ln in self.lines[index + 1:index + 4] if ln), "") if index is not None else ""
            near = self.page_break or bool(following and (furniture_kind(following)
                                                          or self.running_header(following)))
            if self.running_header(line, near):
                kind = "running header"
        if kind is None:
            return False
        self.dropped[kind] += 1
        self.residue.append(line)
        self.page_break = True
        return True


def _finish_paragraph(block: _Block, key: str, text: str, warnings: list[str]) -> Paragraph:
    guessed = list(block.guessed)
    lead = ""
    if block.kind != "sub":
        italic = italic_lead(marks.MARK.sub("", text))
        plain = strip_emphasis(text)
        if italic and len(italic.split()) <= 8:
            lead = italic.strip().rstrip(",;:").strip()
        else:
            lead = match_lead(marks.MARK.sub("", plain)) or ""
            if not lead and (word := guess_lead(plain)):
                lead = word
                guessed.append(f"lead not in the lexicon, guessed '{word}'")
                warnings.append(f"{key}: lead not in the lexicon, guessed '{word}'")
        text = plain
    else:
        text = strip_emphasis(text)
    clean, refs = marks.extract(text)
    if lead and not clean.startswith(lead):
        lead = ""
    if not lead and block.kind != "sub":
        guessed.append("no lead phrase recognized")
        warnings.append(f"{key}: no lead phrase recognized")
    # Words the extraction may have broken, left apart for want of evidence: a guess,
    # named with its paragraph in the warnings.
    repaired = [n for n in dict.fromkeys(block.repaired) if not n.startswith(LEFT_APART)]
    for note in dict.fromkeys(n for n in block.repaired if n.startswith(LEFT_APART)):
        guessed.append(note)
        warnings.append(f"{key}: {note}")
    status = "guessed" if guessed else "repaired" if repaired else "exact"
    return Paragraph(id=key, kind=block.kind, text=clean, lead=lead,  # type: ignore[arg-type]
                     footnote_refs=[FootnoteRef(n, o) for n, o in refs],
                     review=ImportReview(status, repaired + guessed))


def _broken_everywhere(repairs: int, lines: list[str]) -> bool:
    """More than one broken word in a hundred: the extraction broke words throughout,
    not here and there."""
    words = sum(ln.count(" ") + 1 for ln in lines if ln)
    return repairs >= 3 and repairs * 100 > words


def _merge_repeated_footnotes(numbers: list[int], notes: list[str], texts: list[str],
                              blocks: list[_Block], warnings: list[str]) -> tuple[list[int], list[str], list[str]]:
    """A footnote that repeats an earlier one word for word is a second citation of it
    (a word processor writes a note cited twice as a second note): its marks point to
    the first, and the footnotes after it close up. Short notes ("Ibid.") repeat by
    nature and are kept."""
    first: dict[str, int] = {}
    same: dict[int, int] = {}
    for n, note in zip(numbers, notes):
        if len(note) >= 20 and note in first:
            same[n] = first[note]
        else:
            first.setdefault(note, n)
    if not same:
        return numbers, notes, texts
    kept = [n for n in numbers if n not in same]
    renumber = {n: i for i, n in enumerate(kept, 1)}
    renumber.update({n: renumber[m] for n, m in same.items()})
    for n, m in same.items():
        warnings.append(f"footnote {n} repeats footnote {m} word for word: read as a second citation of it")
    new_texts = []
    for block, text in zip(blocks, texts):
        changed = marks.MARK.sub(lambda m: marks.marker(renumber.get(int(m.group(1)), int(m.group(1)))), text)
        if any(int(x) in same for x in marks.MARK.findall(text)):
            block.repaired.append("a footnote repeated word for word read as a second citation of the first")
        new_texts.append(changed)
    kept_notes = [note for n, note in zip(numbers, notes) if n not in same]
    return [renumber[n] for n in kept], kept_notes, new_texts


def _running_headers(lines: list[str]) -> RunningHeaders | None:
    """The document's own running header, from its heading (symbol and title)."""
    start = next((i for i, ln in enumerate(lines) if _ASSEMBLY.match(strip_emphasis(ln))), None)
    if not start:
        return None
    heading, _ = parse_heading([strip_emphasis(ln) for ln in lines[:start] if ln], [])
    return RunningHeaders(heading.symbol, heading.title)


def read_resolution(text: str, library: Mapping[str, int] | None = None) -> Resolution:
    """Read a resolution from text in any of the captured forms (PDF text, Word export,
    Markdown, pandoc Markdown from .docx). `library`: how adopted resolutions write their
    words (words.attested_words), for words the extraction broke that read as English
    both glued and apart."""
    lines = [marks.fold_explicit(clean_line(ln)) for ln in text.splitlines()]
    # Words broken anywhere are glued line by line first: a broken lead ("Reca llin g")
    # must read as a lead when paragraphs are found.
    line_notes: dict[int, list[str]] = {}
    # The lexicon's head words count as the document's own: a broken lead (`Not ing`)
    # is glued even where English at large would keep the pieces apart.
    leads = dict.fromkeys(lead_words(), 2)
    repaired = [rejoin_fragments(ln, line_notes.setdefault(i, []), attested=leads, open_end=True, library=library)
                if " " in ln else ln for i, ln in enumerate(lines)]
    everywhere = _broken_everywhere(sum(map(len, line_notes.values())), lines)
    attested = attested_words(repaired, also=leads)
    if everywhere:
        # The extraction broke words throughout: every run of words is re-read.
        line_notes = {}
        attested = attested_words(repaired, also=leads)
        repaired = [rejoin_fragments(ln, line_notes.setdefault(i, []), True, attested, open_end=True,
                                     library=library)
                    if " " in ln else ln for i, ln in enumerate(lines)]
    lines = repaired
    reader = _Reader(lines, line_notes, _running_headers(lines))
    heading_lines, _ = reader.read()
    heading, warnings = parse_heading([strip_emphasis(ln) for ln in heading_lines],
                                      [strip_emphasis(ln) for ln in reader.residue])
    if not any(b.kind in ("pp", "op") for b in reader.blocks):
        raise IngestError("no resolution structure found: no preambular or operative paragraph")
    if heading.adopted_on is None and reader.closing_date:
        heading.adopted_on = reader.closing_date
        warnings = [w for w in warnings if "adopt" not in w]
    heading.meeting = reader.meeting
    if heading.symbol and heading.symbol.startswith("A/RES/") and heading.adopted_on is None:
        warnings.append("heading: no adoption date found")
    warnings.extend(reader.warnings)
    for notes in line_notes.values():
        warnings.extend(n for n in notes if not n.startswith(LEFT_APART))
    for kind, count in reader.dropped.items():
        warnings.append(f"dropped {count} line{'s' if count > 1 else ''}: {kind}")

    # Text-level repairs, before marks are taken out so that offsets stay exact.
    texts = [normalize_spacing(b.text) for b in reader.blocks]
    fn_numbers = sorted(reader.footnotes)
    fn_texts = [normalize_spacing(strip_emphasis(_join_lines(reader.footnotes[n]))) for n in fn_numbers]
    marked = {int(m.group(1)) for t in texts for m in marks.MARK.finditer(t)}
    unmarked = [n for n in fn_numbers if n not in marked]
    if unmarked:
        before = [marks.MARK.findall(t) for t in texts]
        texts, missing = marks.bare_marks(texts, unmarked)
        for n in missing:
            warnings.append(f"footnote {n}: no reference mark found in the text")
        for block, old, new in zip(reader.blocks, before, texts):
            found = [n for n in marks.MARK.findall(new) if n not in old]
            if found:
                notation = "bare digits, beside marks in another notation" if marked else "bare digits"
                block.repaired.append(f"footnote mark{'s' if len(found) > 1 else ''} "
                                      f"{', '.join(found)} read from {notation}")
        if marked and len(missing) < len(unmarked):
            warnings.append("footnote marks in two notations: bare digits read as marks for footnotes "
                            + ", ".join(str(n) for n in unmarked if n not in missing))
    fn_numbers, fn_texts, texts = _merge_repeated_footnotes(fn_numbers, fn_texts, texts, reader.blocks, warnings)
    vocab = hyphenated_vocabulary(texts + fn_texts)
    repaired_texts = []
    for block, t in zip(reader.blocks, texts):
        notes = []
        # The word-frequency segmentation first (it weighs every way of gluing a run),
        # then the older pairwise rule for what it leaves ("thei r").
        t = repair_split_words(rejoin_fragments(t, notes, everywhere, attested, library=library), notes)
        t = restore_hyphens(t, vocab, notes)
        block.repaired.extend(notes)
        warnings.extend(n for n in notes if not n.startswith(LEFT_APART))
        repaired_texts.append(t)
    texts = repaired_texts
    fn_texts = [restore_hyphens(repair_split_words(marks.MARK.sub("", t), warnings), vocab, warnings)
                for t in fn_texts]

    key = _doc_key(heading.symbol, text)
    res = Resolution(heading=heading)
    pp_count = op_count = 0
    for block, body in zip(reader.blocks, texts):
        if block.kind == "pp":
            pp_count += 1
            res.preamble.append(_finish_paragraph(block, f"{key}.pp{pp_count}", body, warnings))
        elif block.kind == "op":
            op_count += 1
            res.operative.append(_finish_paragraph(block, f"{key}.op{op_count}", body, warnings))
        else:
            parent = (res.operative or res.preamble)[-1]
            if block.level == 2 and parent.subparagraphs:
                owner = parent.subparagraphs[-1]
            else:
                owner = parent
            pid = f"{owner.id}.{block.label}"
            owner.subparagraphs.append(_finish_paragraph(block, pid, body, warnings))

    if not any(p.lead for p in res.preamble + res.operative):
        raise IngestError("no resolution structure found: numbered paragraphs, but none opens "
                          "with a lead phrase (Recalling..., Requests...)")
    res.footnotes = [Footnote(n, t) for n, t in zip(fn_numbers, fn_texts)]
    referenced = {r.number for p in res.paragraphs() for r in p.footnote_refs}
    for n in sorted(referenced - set(fn_numbers)):
        warnings.append(f"footnote {n}: referenced in the text but its text was not found")
    expected = list(range(1, len(fn_numbers) + 1))
    if fn_numbers and fn_numbers != expected:
        warnings.append(f"footnotes are not numbered 1 to {len(fn_numbers)}: {fn_numbers}")
    res.warnings = list(dict.fromkeys(warnings))
    return res
