"""The pandoc AST (JSON, as Python dicts) of a resolution, clean or with tracked changes.

Built as data, never by pasting markup. Paragraph looks come from `custom-style` Divs and
Spans, which pandoc's docx writer maps to the styles of render/reference.docx; tracked
changes are `insertion` / `deletion` Spans with `author` and `date` attributes, which the
docx writer turns into real `w:ins` / `w:del` revisions.

Numbers of operative paragraphs ("1." + tab) and labels of subparagraphs ("(a)", "(i)")
are derived from order here, never read from the model. In a tracked document a number
that changed is its old form deleted and its new one inserted, under the author of the
insertion, deletion or move before it that renumbered it, so that Reject All gives the
old numbers back. A moved paragraph (with its subparagraphs) is drawn at both places:
what moved as moveFrom / moveTo, the words changed on the way as deletions at the old
place and insertions at the new one, under their own authors. For the docx writer
(`Options.word`) the paragraphs whose mark is tracked carry a PARA_MARK Span and a moved
revision's author MOVE_TAG, which render/word_revisions.py turns into Word's markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime, timezone
from typing import Any

from penholder.compare.changes import Author, Comparison, ParagraphChange, Segment
from penholder.model import Paragraph, Resolution
from penholder.model.numbering import session_words, sub_label
from penholder.render.word_comments import Anchoring, Thread, Written

# pandoc-types version of the bundled pandoc (pandoc 3.9 speaks 1.23.1); the writer refuses
# other major.minor versions, so tests check this against `pandoc -t json`.
API_VERSION = [1, 23, 1]

Block = dict[str, Any]
Inline = dict[str, Any]

# Appended to the author of a revision that is one side of a paragraph moved: the docx
# writer (render/docx.py) makes such a w:ins / w:del a w:moveTo / w:moveFrom and drops it.
MOVE_TAG = "\u2063move"
# The id prefix of the empty Span that marks a paragraph whose paragraph mark is itself
# tracked (inserted, deleted or moved paragraphs): pandoc writes it as a bookmark, which
# render/docx.py replaces with w:pPr/w:rPr/w:ins (w:del, w:moveFrom, w:moveTo).
PARA_MARK = "phpm"

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

# Style names (paragraph styles unless noted), defined in render/make_reference.py.
MASTHEAD = "UN Masthead"
ORGAN = "UN Organ"
SESSION = "UN Session"
AGENDA_TITLE = "UN Agenda Title"
ADOPTION = "UN Adoption"
REPORT = "UN Report"
SPONSORS = "UN Sponsors"
TITLE = "UN Title"
OPENING = "UN Opening"
PREAMBULAR = "UN Preambular"
OPERATIVE = "UN Operative"
SUB = ("UN Subparagraph 1", "UN Subparagraph 2")
MEETING = "UN Meeting"
SYMBOL_CHAR = "UN Symbol"  # character styles
ORGAN_CHAR = "UN Organ Name"
DISTR_CHAR = "UN Distribution"


# --- inline builders ---------------------------------------------------------------------

_SPACE = re.compile(r"[ \n\r]+")


def text(s: str) -> list[Inline]:
    """Str / Space inlines for a plain string (tabs stay inside Str: the docx writer keeps
    them as tabs)."""
    out: list[Inline] = []
    pos = 0
    for m in _SPACE.finditer(s):
        if m.start() > pos:
            out.append({"t": "Str", "c": s[pos:m.start()]})
        out.append({"t": "Space"})
        pos = m.end()
    if pos < len(s):
        out.append({"t": "Str", "c": s[pos:]})
    return out


def emph(inlines: list[Inline]) -> Inline:
    return {"t": "Emph", "c": inlines}


def strong(inlines: list[Inline]) -> Inline:
    return {"t": "Strong", "c": inlines}


def span(inlines: list[Inline], classes: Iterable[str] = (),
         attrs: Iterable[tuple[str, str]] = ()) -> Inline:
    return {"t": "Span", "c": [["", list(classes), [list(a) for a in attrs]], inlines]}


def styled(inlines: list[Inline], style: str) -> Inline:
    return span(inlines, attrs=[("custom-style", style)])


def note(body: str) -> Inline:
    return {"t": "Note", "c": [{"t": "Para", "c": text(body)}]}


LINE_BREAK: Inline = {"t": "LineBreak"}


def para(inlines: list[Inline]) -> Block:
    return {"t": "Para", "c": inlines}


def div(blocks: list[Block], style: str, classes: Iterable[str] = ()) -> Block:
    return {"t": "Div", "c": [["", list(classes), [["custom-style", style]]], blocks]}


def styled_para(inlines: list[Inline], style: str) -> Block:
    return div([para(inlines)], style)


def meta_string(s: str) -> dict[str, Any]:
    return {"t": "MetaInlines", "c": text(s)}


def document(blocks: list[Block], meta: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"pandoc-api-version": API_VERSION, "meta": meta or {}, "blocks": blocks}


# --- dates, heading lines ------------------------------------------------------------------

def un_date(d: Date | str) -> str:
    """2024-12-02 -> '2 December 2024', as the UN writes dates."""
    if isinstance(d, str):
        d = Date.fromisoformat(d[:10])
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def revision_date(d: datetime) -> str:
    if d.tzinfo is not None:
        d = d.astimezone(timezone.utc)
    return d.replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def draft_kind(symbol: str | None) -> str:
    return "revised draft resolution" if symbol and "/Rev." in symbol else "draft resolution"


def sponsor_order(sponsors: list[str]) -> list[str]:
    """Sponsors as issued L documents list them: in English alphabetical order, whoever
    joined first and whoever drafted it (accents and case aside: Côte d'Ivoire under C,
    Türkiye under T), as A/ES-11/L.1 lists its 94 (tests/data/l_documents)."""
    def key(name: str) -> str:
        plain = unicodedata.normalize("NFKD", name)
        return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    return sorted(dict.fromkeys(sponsors), key=key)


def sponsors_line(sponsors: list[str], symbol: str | None) -> str:
    kind = draft_kind(symbol)
    sponsors = sponsor_order(sponsors)
    if not sponsors:
        return kind[0].upper() + kind[1:]
    if len(sponsors) == 1:
        names = sponsors[0]
    else:
        names = ", ".join(sponsors[:-1]) + " and " + sponsors[-1]
    return f"{names}: {kind}"


def resolution_number(symbol: str | None) -> str | None:
    """A/RES/79/53 -> '79/53'."""
    if symbol and symbol.startswith("A/RES/"):
        return symbol[len("A/RES/"):]
    return None


@dataclass
class ParaMark:
    """A paragraph whose paragraph mark is a revision: `kind` ins | del | moveFrom |
    moveTo, under `author` at `date` (w:date, or None); `move` names the pair of places
    of one moved paragraph."""

    kind: str
    author: str
    date: str | None
    move: int | None = None


@dataclass
class Options:
    """What the model does not hold: the date of issue in the masthead (default: the date
    of adoption for an adopted text, else today); `word`: the AST is for the docx writer
    (paragraph marks of inserted and deleted paragraphs tracked, see PARA_MARK);
    `show_authors`: a legend of authors and each change's author in the text (tracked
    PDF and HTML, which have no review pane); `comments`: threads drawn as Word comments
    on their paragraphs (tracked docx only, render/word_comments.py). `marks` and
    `written` (the comments as written) are filled while building."""

    issued: Date | None = None
    word: bool = False
    show_authors: bool = False
    comments: list[Thread] = field(default_factory=list)
    marks: list[ParaMark] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)

    def issue_date(self, doc: Resolution) -> Date:
        if self.issued:
            return self.issued
        if doc.heading.is_adopted and doc.heading.adopted_on:
            return Date.fromisoformat(doc.heading.adopted_on)
        return Date.today()


def front_matter(doc: Resolution, opts: Options) -> list[Block]:
    """Masthead, session, agenda item, sponsors or adoption line, title, 'The General
    Assembly,'."""
    h = doc.heading
    symbol = h.symbol or ""
    adopted = h.is_adopted
    distr = "Distr.: General" if adopted else "Distr.: Limited"
    blocks = [
        styled_para(text("United Nations") + [{"t": "Str", "c": "\t"}]
                    + [styled(text(symbol), SYMBOL_CHAR)], MASTHEAD),
        styled_para([styled(text("General Assembly"), ORGAN_CHAR), {"t": "Str", "c": "\t"},
                     styled(text(distr) + [LINE_BREAK, {"t": "Str", "c": "\t"}]
                            + text(un_date(opts.issue_date(doc)))
                            + [LINE_BREAK, {"t": "Str", "c": "\t"}]
                            + text("Original: English"), DISTR_CHAR)], ORGAN),
    ]
    session = []
    if h.session:
        session.append(text(session_words(h.session).capitalize() + " session"))
    if h.committee and h.committee != "plenary" and not adopted:
        session.append(text(h.committee))
    if h.agenda_item:
        session.append(text("Agenda item " + h.agenda_item))
    for line in session:
        blocks.append(styled_para(line, SESSION))
    if h.agenda_title:
        blocks.append(styled_para(text(h.agenda_title), AGENDA_TITLE))
    number = resolution_number(symbol)
    if adopted:
        on = f" on {un_date(h.adopted_on)}" if h.adopted_on else ""
        blocks.append(styled_para(text("Resolution adopted by the General Assembly" + on),
                                  ADOPTION))
        if h.committee and h.committee != "plenary":
            report = f"[on the report of the {h.committee}]"
        else:
            report = "[without reference to a Main Committee]"
        blocks.append(styled_para(text(report), REPORT))
    else:
        blocks.append(styled_para(text(sponsors_line(h.sponsors, symbol)), SPONSORS))
    title = h.title or ""
    if number:
        title = f"{number}.\u2002{title}" if title else number
    if title:
        blocks.append(styled_para(text(title), TITLE))
    blocks.append(styled_para([emph(text("The General Assembly"))] + text(","), OPENING))
    return blocks


def closing(doc: Resolution) -> list[Block]:
    h = doc.heading
    if not (h.is_adopted and h.meeting):
        return []
    lines = text(h.meeting)
    if h.adopted_on:
        lines += [LINE_BREAK] + text(un_date(h.adopted_on))
    return [styled_para(lines, MEETING)]


def document_title(doc: Resolution) -> str | None:
    """The title of the file (docx core properties, PDF, HTML): symbol and title."""
    h = doc.heading
    if not (h.symbol or h.title):
        return None
    return ": ".join(x for x in (h.symbol, h.title) if x)


def meta(doc: Resolution) -> dict[str, Any]:
    h = doc.heading
    m: dict[str, Any] = {}
    if h.symbol:
        m["subject"] = meta_string(h.symbol)  # docx: core properties, the header's field
        m["pagetitle"] = meta_string(document_title(doc) or "")
    m["lang"] = meta_string("en")
    return m


# --- paragraphs --------------------------------------------------------------------------

@dataclass
class Piece:
    """A run of one paragraph's displayed text: plain, inserted or deleted (moveTo and
    moveFrom: the two sides of a moved paragraph), with the positions in it where
    footnote signs stand and how much of it is the italic lead."""

    text: str
    kind: str = "same"  # same | ins | del | moveTo | moveFrom
    author: Author | None = None
    italic_until: int = 0
    notes: list[tuple[int, Any]] = field(default_factory=list)  # (offset in text, NoteBody)


def piece_inlines(p: Piece, ctx: _Ctx | None = None) -> list[Inline]:
    cuts = sorted({0, len(p.text), min(p.italic_until, len(p.text))}
                  | {o for o, _ in p.notes if 0 <= o <= len(p.text)})
    notes_at: dict[int, list[Any]] = {}
    for o, body in p.notes:
        notes_at.setdefault(max(0, min(o, len(p.text))), []).append(body)
    out: list[Inline] = []
    for a, b in zip(cuts, cuts[1:] + [None]):
        for body in notes_at.get(a, []) if a != 0 else []:
            out.append(note_of(body, ctx))
        if b is None:
            break
        chunk = text(p.text[a:b])
        if chunk:
            out.extend([emph(chunk)] if b <= p.italic_until else chunk)
    for body in notes_at.get(0, []):  # a sign at offset 0 is odd; keep it, at the start
        out.insert(0, note_of(body, ctx))
    return out


def note_of(body: Any, ctx: _Ctx | None) -> Inline:
    if isinstance(body, str) or ctx is None:
        return note(body if isinstance(body, str) else "".join(
            s.text for s in body if s.kind != "del"))
    return {"t": "Note", "c": [{"t": "Para", "c": segments_inlines(body, ctx)}]}


def segments_inlines(segments: list[Segment], ctx: _Ctx) -> list[Inline]:
    """An edited footnote's text, its insertions and deletions revisions."""
    return pieces_inlines([Piece(s.text, s.kind, s.author) for s in segments], ctx)


def who(author: Author | None, ctx: _Ctx) -> Author:
    return author or ctx.default


def revision(inlines: list[Inline], kind: str, author: Author | None, ctx: _Ctx,
             tag: bool = True) -> list[Inline]:
    """`inlines` as a revision span; with `show_authors` (and `tag`), the author's name
    after it."""
    a = who(author, ctx)
    cls = "insertion" if kind in ("ins", "moveTo") else "deletion"
    name = a.name + (MOVE_TAG if kind in ("moveTo", "moveFrom") and ctx.opts.word else "")
    attrs = [("author", name)]
    if a.date:
        attrs.append(("date", revision_date(a.date)))
    out = [span(inlines, classes=[cls], attrs=attrs)]
    if ctx.opts.show_authors:
        ctx.authors.add(a.name)
    if ctx.opts.show_authors and tag:
        out.append(span(text(f"[{a.name}]"), classes=["change-author"],
                        attrs=[("custom-style", CHANGE_AUTHOR)]))
    return out


CHANGE_AUTHOR = "UN Change Author"  # character style of an author's name after a change


def pieces_inlines(pieces: list[Piece], ctx: _Ctx) -> list[Inline]:
    out: list[Inline] = []
    for p in pieces:
        inl = piece_inlines(p, ctx)
        if not inl:
            continue
        if p.kind == "same":
            out.extend(inl)
        else:
            out.extend(revision(inl, p.kind, p.author, ctx))
    return out


def label_prefix(kind: str, number: int | None, label: str | None) -> str:
    if kind == "op" and number is not None:
        return f"{number}.\t"
    if label is not None:
        return f"({label})\t"
    return ""


def style_for(kind: str, depth: int) -> str:
    if kind == "pp":
        return PREAMBULAR
    if kind == "op":
        return OPERATIVE
    return SUB[min(depth, 2) - 1]


def footnote_bodies(refs, footnotes: dict[int, Any]) -> list[tuple[int, Any]]:
    return [(r.offset, footnotes.get(r.number, "")) for r in refs]


def clean_paragraph(p: Paragraph, footnotes: dict[int, str], number: int | None = None,
                    label: str | None = None, depth: int = 0) -> list[Block]:
    piece = Piece(p.text, italic_until=len(p.lead),
                  notes=footnote_bodies(p.footnote_refs, footnotes))
    inlines = text(label_prefix(p.kind, number, label)) + piece_inlines(piece)
    blocks = [styled_para(inlines, style_for(p.kind, depth))]
    for i, s in enumerate(p.subparagraphs):
        blocks += clean_paragraph(s, footnotes, label=sub_label(i, depth + 1), depth=depth + 1)
    return blocks


def clean_blocks(doc: Resolution) -> list[Block]:
    fns = {f.number: f.text for f in doc.footnotes}
    blocks: list[Block] = []
    for p in doc.preamble:
        blocks += clean_paragraph(p, fns)
    for i, p in enumerate(doc.operative):
        blocks += clean_paragraph(p, fns, number=i + 1)
    return blocks


def clean(doc: Resolution, opts: Options | None = None) -> dict[str, Any]:
    """The AST of a resolution as the Secretariat issues it."""
    opts = opts or Options()
    return document(front_matter(doc, opts) + clean_blocks(doc) + closing(doc), meta(doc))


# --- tracked changes ---------------------------------------------------------------------

@dataclass
class Place:
    """Where a paragraph stands in one version: its kind, depth, number or label."""

    kind: str
    depth: int
    number: int | None = None
    label: str | None = None

    def prefix(self) -> str:
        return label_prefix(self.kind, self.number, self.label)


def places(doc: Resolution) -> dict[str, Place]:
    out: dict[str, Place] = {}

    def walk(p: Paragraph, depth: int, number: int | None, label: str | None) -> None:
        out[p.id] = Place(p.kind, depth, number, label)
        for i, s in enumerate(p.subparagraphs):
            walk(s, depth + 1, None, sub_label(i, depth + 1))

    for p in doc.preamble:
        walk(p, 0, None, None)
    for i, p in enumerate(doc.operative):
        walk(p, 0, i + 1, None)
    return out


@dataclass
class _Ctx:
    old_fns: dict[int, str]
    new_fns: dict[int, str]
    new_bodies: dict[int, Any]  # new footnotes, an edited one as its segments
    removed: set[int]
    old_places: dict[str, Place]
    new_places: dict[str, Place]
    listed: set[str]  # ids that have an entry of their own in the comparison
    default: Author   # of a change nobody is named for
    opts: Options
    cause: Author | None = None  # of the latest added, deleted or moved paragraph
    moves: int = 0
    authors: set[str] = field(default_factory=set)
    comments: Anchoring | None = None


def old_side_pieces(segments: list[Segment], old: Paragraph, mover: Author | None,
                    ctx: _Ctx) -> list[Piece]:
    """Where a moved paragraph stood: its old text, the part that moved a moveFrom under
    the mover, the words deleted on the way deletions under their authors."""
    pieces, o = [], 0
    refs = footnote_bodies(old.footnote_refs, ctx.old_fns)
    for seg in segments:
        if seg.kind == "ins":
            continue
        size = len(seg.text)
        notes = [(off - o, body) for off, body in refs if o < off <= o + size]
        kind, author = ("moveFrom", mover) if seg.kind == "same" else ("del", seg.author)
        pieces.append(Piece(seg.text, kind, author, max(0, len(old.lead) - o), notes))
        o += size
    return pieces


def new_side_pieces(segments: list[Segment], new: Paragraph, mover: Author | None,
                    ctx: _Ctx) -> list[Piece]:
    """Where a moved paragraph stands: its new text, what moved a moveTo, the words
    inserted insertions under their authors."""
    pieces, n = [], 0
    refs = footnote_bodies(new.footnote_refs, ctx.new_fns)
    for seg in segments:
        if seg.kind == "del":
            continue
        size = len(seg.text)
        notes = [(off - n, body) for off, body in refs if n < off <= n + size]
        kind, author = ("moveTo", mover) if seg.kind == "same" else ("ins", seg.author)
        pieces.append(Piece(seg.text, kind, author, max(0, len(new.lead) - n), notes))
        n += size
    return pieces


def segment_pieces(segments: list[Segment], old: Paragraph, new: Paragraph,
                   ctx: _Ctx) -> list[Piece]:
    """Pieces of a changed paragraph: same / ins text in the new text's coordinates (its
    lead italic, its footnotes), deleted text in the old one's (its lead, and the signs of
    footnotes that went with it)."""
    pieces = []
    o = n = 0
    new_refs = footnote_bodies(new.footnote_refs, ctx.new_bodies)
    old_refs = [(r.offset, ctx.old_fns.get(r.number, "")) for r in old.footnote_refs
                if r.number in ctx.removed]
    for seg in segments:
        size = len(seg.text)
        if seg.kind == "del":
            start, lead, refs = o, len(old.lead), old_refs
            o += size
        else:
            start, lead, refs = n, len(new.lead), new_refs
            n += size
            if seg.kind == "same":
                o += size
        # a sign at the very start of a piece belongs to the piece before it
        notes = [(off - start, body) for off, body in refs if start < off <= start + size]
        pieces.append(Piece(seg.text, seg.kind, seg.author,
                            italic_until=max(0, lead - start), notes=notes))
    return pieces


def whole(p: Paragraph, kind: str, author: Author | None, fns: dict[int, Any]) -> Piece:
    return Piece(p.text, kind, author, italic_until=len(p.lead),
                 notes=footnote_bodies(p.footnote_refs, fns))


def prefix_inlines(old: Place | None, new: Place, ctx: _Ctx) -> list[Inline]:
    """The number or label of a paragraph that stays: plain, or, when what was inserted,
    deleted or moved before it renumbered it, the old one deleted and the new one
    inserted under the author of that change, so that rejecting all restores it."""
    now = new.prefix()
    was = old.prefix() if old is not None else now
    if was == now:
        return text(now)
    out: list[Inline] = []
    if was:  # renumbering: no author's name after each number, the legend names them
        out += revision(text(was), "del", ctx.cause, ctx, tag=False)
    if now:
        out += revision(text(now), "ins", ctx.cause, ctx, tag=False)
    return out


def tracked_paragraph(place: Place, prefix: list[Inline], pieces: list[Piece],
                      mark: str | None, author: Author | None, ctx: _Ctx,
                      pid: str | None = None) -> Block:
    """One paragraph. `mark` (ins | del | moveTo | moveFrom): the whole paragraph is
    inserted, deleted or one side of a move, and so is its paragraph mark. `pid`: the
    paragraph whose comment threads it carries (none on the old side of a move)."""
    body = prefix + pieces_inlines(pieces, ctx)
    if ctx.comments is not None:
        body = ctx.comments.wrap(pid, body)
    if mark and ctx.opts.word:
        a = who(author, ctx)
        move = ctx.moves if mark in ("moveTo", "moveFrom") else None
        ctx.opts.marks.append(ParaMark(mark, a.name, revision_date(a.date) if a.date else None,
                                       move))
        body = [{"t": "Span", "c": [[f"{PARA_MARK}{len(ctx.opts.marks)}", [], []], []]}] + body
    return styled_para(body, style_for(place.kind, place.depth))


def whole_blocks(p: Paragraph, kind: str, author: Author | None, ctx: _Ctx,
                 old_side: bool, recurse: bool = True) -> list[Block]:
    """A whole paragraph inserted or deleted, with the subparagraphs that have no entry of
    their own."""
    places_ = ctx.old_places if old_side else ctx.new_places
    fns = ctx.old_fns if old_side else ctx.new_fns
    place = places_.get(p.id) or Place(p.kind, 0)
    a = who(author, ctx)
    ctx.cause = a
    prefix = revision(text(place.prefix()), kind, a, ctx, tag=False) if place.prefix() else []
    out = [tracked_paragraph(place, prefix, [whole(p, kind, a, fns)], kind, a, ctx, p.id)]
    for s in p.subparagraphs if recurse else []:
        if s.id not in ctx.listed:
            out += whole_blocks(s, kind, author, ctx, old_side)
    return out


def same_blocks(p: Paragraph, old: Paragraph | None, ctx: _Ctx) -> list[Block]:
    place = ctx.new_places.get(p.id) or Place(p.kind, 0)
    old_place = ctx.old_places.get(old.id) if old is not None else None
    out = [tracked_paragraph(place, prefix_inlines(old_place, place, ctx),
                             [whole(p, "same", None, ctx.new_bodies)], None, None, ctx, p.id)]
    for s in p.subparagraphs:
        if s.id not in ctx.listed:
            out += same_blocks(s, s, ctx)
    return out


def moved_blocks(ch: ParagraphChange, old_side: bool, ctx: _Ctx,
                 subtree: list[ParagraphChange] = ()) -> list[Block]:
    """One side of a moved paragraph (with any rewording on the way), its subparagraphs
    moving with it: `subtree`, the entries of the comparison for them (in the new order,
    deleted ones where they stood)."""
    mover = who(ch.author, ctx)
    ctx.cause = mover
    out = [_moved_one(ch, old_side, mover, ctx)]
    if old_side:
        entries = {(e.old.id): e for e in subtree if e.old is not None}
        for s in _descendants(ch.old):
            e = entries.get(s.id)
            if e is None or e.status == "deleted" or e.new is None:
                out += whole_blocks(s, "del", e.author if e else mover, ctx, True, recurse=False)
            else:
                out.append(_moved_one(e, True, mover, ctx))
    else:
        for e in subtree:
            if e.new is None:
                continue  # deleted: shown where it stood, on the old side
            if e.old is None:
                out += whole_blocks(e.new, "ins", e.author, ctx, False, recurse=False)
            else:
                out.append(_moved_one(e, False, mover, ctx))
    return out


def _descendants(p: Paragraph) -> list[Paragraph]:
    out = []
    for s in p.subparagraphs:
        out.append(s)
        out += _descendants(s)
    return out


def _moved_one(ch: ParagraphChange, old_side: bool, mover: Author, ctx: _Ctx) -> Block:
    segments = ch.segments or [Segment("same", ch.new.text)]
    if old_side:
        place = ctx.old_places.get(ch.old.id) or Place(ch.old.kind, 0)
        pieces = old_side_pieces(segments, ch.old, mover, ctx)
        kind = "moveFrom"
    else:
        place = ctx.new_places.get(ch.new.id) or Place(ch.new.kind, 0)
        pieces = new_side_pieces(segments, ch.new, mover, ctx)
        kind = "moveTo"
    prefix = revision(text(place.prefix()), kind, mover, ctx, tag=False) if place.prefix() else []
    return tracked_paragraph(place, prefix, pieces, kind, mover, ctx, None if old_side else ch.new.id)


def change_blocks(ch: ParagraphChange, ctx: _Ctx) -> list[Block]:
    if ch.status == "added":
        return whole_blocks(ch.new, "ins", ch.author, ctx, old_side=False)
    if ch.status == "deleted":
        return whole_blocks(ch.old, "del", ch.author, ctx, old_side=True)
    if ch.status == "changed" and ch.segments:
        place = ctx.new_places.get(ch.new.id) or Place(ch.new.kind, 0)
        pieces = segment_pieces(ch.segments, ch.old, ch.new, ctx)
        out = [tracked_paragraph(place, prefix_inlines(ctx.old_places.get(ch.old.id), place, ctx),
                                 pieces, None, None, ctx, ch.new.id)]
        for s in ch.new.subparagraphs:
            if s.id not in ctx.listed:
                out += same_blocks(s, s, ctx)
        return out
    return same_blocks(ch.new, ch.old, ctx)


def _old_order(doc: Resolution) -> list[str]:
    return [p.id for p in doc.paragraphs()]


def tracked_blocks(cmp: Comparison, opts: Options) -> tuple[list[Block], _Ctx]:
    old_fns = {f.number: f.text for f in cmp.old.footnotes}
    new_fns = {f.number: f.text for f in cmp.new.footnotes}
    new_bodies: dict[int, Any] = dict(new_fns)
    new_bodies.update(cmp.footnote_edits)
    listed = {(c.new or c.old).id for c in cmp.paragraphs}
    default = cmp.default_author or Author(SECRETARIAT, technical=True)
    ctx = _Ctx(old_fns, new_fns, new_bodies, {f.number for f in cmp.footnotes_removed},
               places(cmp.old), places(cmp.new), listed, default, opts)
    if opts.comments:
        ctx.comments = Anchoring(opts.comments, set(ctx.new_places) | set(ctx.old_places))
        opts.written = ctx.comments.written

    # A moved paragraph is an insertion where it stands and a deletion where it stood:
    # the deletion goes before the first later paragraph of the old order that keeps its
    # place, or at the end.
    # A moved paragraph's subparagraphs move with it: their entries are drawn with it.
    subtrees: dict[int, list[ParagraphChange]] = {}
    absorbed: set[int] = set()
    for c in cmp.paragraphs:
        if c.status == "moved" and c.old is not None and id(c) not in absorbed:
            ids = ({s.id for s in _descendants(c.old)}
                   | ({s.id for s in _descendants(c.new)} if c.new is not None else set()))
            subtrees[id(c)] = [e for e in cmp.paragraphs if (e.new or e.old).id in ids]
            absorbed |= {id(e) for e in subtrees[id(c)]}
    entries = [c for c in cmp.paragraphs if id(c) not in absorbed]

    order = _old_order(cmp.old)
    index = {pid: i for i, pid in enumerate(order)}
    staying = {(c.old.id): c for c in entries if c.old is not None and c.status != "moved"}
    before: dict[str, list[ParagraphChange]] = {}
    trailing: list[ParagraphChange] = []
    move_no: dict[int, int] = {}
    for c in entries:
        if c.status != "moved" or c.old is None:
            continue
        move_no[id(c)] = len(move_no) + 1
        anchor = next((pid for pid in order[index.get(c.old.id, len(order)) + 1:]
                       if pid in staying), None)
        (before.setdefault(anchor, []) if anchor else trailing).append(c)

    def moved(m: ParagraphChange, old_side: bool) -> list[Block]:
        ctx.moves = move_no[id(m)]
        return moved_blocks(m, old_side, ctx, subtrees.get(id(m), []))

    blocks: list[Block] = []
    for c in entries:
        if c.old is not None and c.old.id in before and c.status != "moved":
            for m in before[c.old.id]:
                blocks += moved(m, True)
        blocks += moved(c, False) if c.status == "moved" else change_blocks(c, ctx)
    for m in trailing:
        blocks += moved(m, True)
    return blocks, ctx


SECRETARIAT = "Secretariat"


def legend(ctx: _Ctx) -> list[Block]:
    """Who made the changes shown: the tracked PDF and HTML have no review pane to say
    it."""
    if not ctx.authors:
        return [styled_para(text("Changes shown: none."), LEGEND)]
    line = "; ".join(sorted(ctx.authors, key=str.casefold))
    return [styled_para([strong(text("Changes shown, by author:"))] + text(" " + line + ".")
                        + [LINE_BREAK] + [{"t": "Underline", "c": text("inserted")}]
                        + text(" / ") + [{"t": "Strikeout", "c": text("deleted")}]
                        + text(", each followed by its author in brackets."), LEGEND)]


LEGEND = "UN Legend"


def tracked(cmp: Comparison, opts: Options | None = None) -> dict[str, Any]:
    """The AST of the new version with every change against the old one as a revision."""
    opts = opts or Options()
    blocks, ctx = tracked_blocks(cmp, opts)
    front = front_matter(cmp.new, opts)
    if opts.show_authors:
        front = front[:-1] + legend(ctx) + front[-1:]
    return document(front + blocks + closing(cmp.new), meta(cmp.new))


def build(obj: Resolution | Comparison, opts: Options | None = None) -> dict[str, Any]:
    if isinstance(obj, Comparison):
        return tracked(obj, opts)
    if isinstance(obj, Resolution):
        return clean(obj, opts)
    raise TypeError(f"cannot render a {type(obj).__name__}: expected a Resolution or a "
                    "Comparison")


__all__ = ["API_VERSION", "Options", "build", "clean", "tracked", "un_date", "sponsors_line"]
