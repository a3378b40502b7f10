"""The Y document of a draft (docs/sync.md, the contract) <-> the model.

    meta        Y.Map    heading fields (symbol, session, committee, ... sponsors)
    paragraphs  Y.Array  of Y.Map {id, kind: pp|op|sub, level: 0|1|2, text: Y.Text}
    footnotes   Y.Map    footnote id -> Y.Text

Inside a paragraph's Y.Text the lead is the opening run formatted `{"italic": true}`,
and a footnote reference is an embed `{"footnote": "<footnote id>"}` standing where the
mark stands. Embeds are not characters of the string (`str(text)`, Yjs `toString()`),
so the text a reader sees has no marks and a mark moves with the words around it.
Footnote numbers are not stored: they follow the order of first reference.

pycrdt addresses a Y.Text in UTF-8 bytes; every index given to it goes through utf8_len.
"""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Doc, Map, Text

from penholder.model import Footnote, FootnoteRef, Heading, Paragraph, Resolution
from penholder.model.lexicon import match_lead

HEADING_FIELDS = ("symbol", "session", "committee", "agenda_item", "agenda_title", "title",
                  "adopted_on", "meeting", "sponsors")


def utf8_len(s: str) -> int:
    """pycrdt indexes a Y.Text in UTF-8 bytes (Yjs in UTF-16 units; the encoded
    document is the same): Python string lengths are converted before every call."""
    return len(s.encode("utf-8"))


def roots(doc: Doc) -> tuple[Map, Array, Map]:
    return (doc.get("meta", type=Map), doc.get("paragraphs", type=Array),
            doc.get("footnotes", type=Map))


def footnote_id(doc_key: str, number: int) -> str:
    return f"{doc_key}.fn{number}"


def paragraph_map(p: Paragraph, level: int, fn_ids: dict[int, str]) -> Map:
    """A paragraph as a prelim Y.Map. Its text is filled by fill_text once integrated."""
    return Map({"id": p.id, "kind": p.kind, "level": level, "text": Text()})


def fill_text(text: Text, p: Paragraph, fn_ids: dict[int, str]) -> None:
    """Write a paragraph's text with its lead in italics and its footnote embeds."""
    refs = sorted(p.footnote_refs, key=lambda r: r.offset)
    pos = 0      # in p.text
    index = 0    # in the Y.Text, where embeds count one each
    for ref in refs + [FootnoteRef(0, len(p.text))]:
        chunk = p.text[pos:ref.offset]
        if chunk:
            text.insert(index, chunk)
            index += utf8_len(chunk)
        pos = ref.offset
        if ref.number:
            text.insert_embed(index, {"footnote": fn_ids[ref.number]})
            index += 1
    if p.lead:
        text.format(0, utf8_len(p.lead), {"italic": True})


def seed(doc: Doc, res: Resolution, doc_key: str) -> None:
    """Write a resolution into an empty document, in one transaction."""
    meta, paragraphs, footnotes = roots(doc)
    fn_ids = {f.number: footnote_id(doc_key, f.number) for f in res.footnotes}
    with doc.transaction(origin="seed"):
        h = res.heading
        for field in HEADING_FIELDS:
            value = getattr(h, field)
            if value is not None and value != []:
                meta[field] = list(value) if isinstance(value, list) else value
        for f in res.footnotes:
            footnotes[fn_ids[f.number]] = Text(f.text)
        for top in res.preamble + res.operative:
            for p, level in _flatten(top, 0):
                paragraphs.append(paragraph_map(p, level, fn_ids))
                fill_text(paragraphs[len(paragraphs) - 1]["text"], p, fn_ids)


def _flatten(p: Paragraph, level: int) -> list[tuple[Paragraph, int]]:
    out = [(p, level)]
    for s in p.subparagraphs:
        out.extend(_flatten(s, level + 1))
    return out


def _read_text(text: Text) -> tuple[str, str, list[tuple[str, int]]]:
    """(plain text, italic lead, [(footnote id, offset)]) of a paragraph's Y.Text."""
    parts: list[str] = []
    refs: list[tuple[str, int]] = []
    lead = ""
    leading = True
    length = 0
    for insert, attrs in text.diff():
        if isinstance(insert, str):
            if leading and attrs and attrs.get("italic"):
                lead += insert
            elif insert:
                leading = False
            parts.append(insert)
            length += len(insert)
        elif isinstance(insert, dict) and "footnote" in insert:
            refs.append((str(insert["footnote"]), length))
    return "".join(parts), lead.strip(), refs


def read(doc: Doc) -> Resolution:
    """The resolution as the live document has it now."""
    meta, paragraphs, footnotes = roots(doc)
    m: dict[str, Any] = meta.to_py() or {}
    heading = Heading(
        symbol=m.get("symbol"),
        session=int(m["session"]) if m.get("session") is not None else None,
        committee=m.get("committee"),
        agenda_item=m.get("agenda_item"),
        agenda_title=m.get("agenda_title"),
        title=m.get("title"),
        adopted_on=m.get("adopted_on"),
        meeting=m.get("meeting"),
        sponsors=list(m.get("sponsors") or []),
    )
    res = Resolution(heading=heading)
    numbers: dict[str, int] = {}
    stack: list[Paragraph] = []  # the open paragraph at each level
    for item in paragraphs:
        kind = str(item.get("kind") or "pp")
        level = int(item.get("level") or 0)
        text, lead, refs = _read_text(item["text"])
        if kind != "sub" and not lead:
            lead = match_lead(text) or ""
        fn_refs = []
        for fid, offset in refs:
            number = numbers.setdefault(fid, len(numbers) + 1)
            fn_refs.append(FootnoteRef(number, offset))
        p = Paragraph(id=str(item["id"]), kind=kind, text=text,  # type: ignore[arg-type]
                      lead=lead if kind != "sub" else "", footnote_refs=fn_refs)
        if kind == "sub" and level > 0 and len(stack) >= level:
            stack[level - 1].subparagraphs.append(p)
            del stack[level:]
            stack.append(p)
            continue
        (res.operative if kind == "op" else res.preamble).append(p)
        stack = [p]
    for fid, number in numbers.items():
        if fid in footnotes:
            res.footnotes.append(Footnote(number, str(footnotes[fid])))
    res.footnotes.sort(key=lambda f: f.number)
    return res


def doc_of(state: bytes) -> Doc:
    """A document of one's own from an encoded state (Rooms.state): the live document of
    a room stays on the event loop, copies go anywhere."""
    doc = Doc()
    doc.apply_update(state)
    return doc
