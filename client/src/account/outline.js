// The outline of an uploaded resolution under review (upload.html): one ordered list of
// top-level paragraphs, each preambular or operative, and the corrections the reviewer
// makes to it. Pure functions over plain objects, so that the page only draws.
import { subLabel } from '../labels.js'

export { subLabel }

// The preview's paragraphs as one list; `origin` keeps the importer's id so that its
// warnings still point at the paragraph after the list is reordered or split.
export function outlineOf (preview) {
  const top = (p, kind) => ({
    kind,
    origin: p.id,
    lead: p.lead || '',
    text: p.text,
    footnote_refs: p.footnote_refs.map((r) => ({ ...r })),
    subparagraphs: p.subparagraphs.map(sub),
    review: p.review || { status: 'exact', notes: [] }
  })
  const sub = (s) => ({ origin: s.id, text: s.text, footnote_refs: s.footnote_refs.map((r) => ({ ...r })), subparagraphs: s.subparagraphs.map(sub), review: s.review })
  return [...preview.preamble.map((p) => top(p, 'pp')), ...preview.operative.map((p) => top(p, 'op'))]
}

// PP1, PP2 ... OP1, OP2 ...: what the paragraphs are called now, in order.
export function labels (outline) {
  let pp = 0; let op = 0
  return outline.map((p) => (p.kind === 'pp' ? `PP${++pp}` : `OP${++op}`))
}

const edited = (p, note) => ({ ...p, review: { status: 'edited', notes: [...(p.review?.notes || []), note] } })

export function setKind (outline, i, kind) {
  return outline.map((p, j) => (j === i ? edited({ ...p, kind }, `kind set to ${kind === 'pp' ? 'preambular' : 'operative'} by the reviewer`) : p))
}

// The lead is the opening words of the text, or nothing.
export function setLead (outline, i, lead) {
  const p = outline[i]
  const value = lead.trim()
  if (value && !p.text.startsWith(value)) throw new Error(`the lead must be the opening words of the paragraph, and it begins “${p.text.slice(0, 40)}…”`)
  return outline.map((q, j) => (j === i ? edited({ ...q, lead: value }, `lead set to “${value}” by the reviewer`) : q))
}

// Split before `words`: the first paragraph keeps the lead, the second starts at the
// words and takes the subparagraphs; footnote marks go with the text they follow.
export function split (outline, i, words) {
  const p = outline[i]
  const needle = words.trim()
  const at = needle ? p.text.indexOf(needle, 1) : -1
  if (at <= 0) throw new Error(`“${needle}” is not in the paragraph after its first word`)
  const head = p.text.slice(0, at).trimEnd()
  const first = edited({
    ...p,
    text: head,
    lead: p.lead.length <= head.length ? p.lead : '',
    footnote_refs: p.footnote_refs.filter((r) => r.offset <= at).map((r) => ({ ...r, offset: Math.min(r.offset, head.length) })),
    subparagraphs: []
  }, 'split by the reviewer')
  const second = edited({
    kind: p.kind,
    origin: null,
    lead: '',
    text: p.text.slice(at),
    footnote_refs: p.footnote_refs.filter((r) => r.offset > at).map((r) => ({ ...r, offset: r.offset - at })),
    subparagraphs: p.subparagraphs,
    review: { status: 'edited', notes: [] }
  }, 'split off the paragraph before by the reviewer; set its lead')
  return [...outline.slice(0, i), first, second, ...outline.slice(i + 1)]
}

// Join a paragraph with the next one: one text, the first one's lead and kind.
export function join (outline, i) {
  if (i + 1 >= outline.length) throw new Error('the last paragraph has none after it to join')
  const a = outline[i]; const b = outline[i + 1]
  const shift = a.text.length + 1
  const joined = edited({
    ...a,
    text: `${a.text} ${b.text}`,
    footnote_refs: [...a.footnote_refs, ...b.footnote_refs.map((r) => ({ ...r, offset: r.offset + shift }))],
    subparagraphs: [...a.subparagraphs, ...b.subparagraphs]
  }, 'joined with the next paragraph by the reviewer')
  return [...outline.slice(0, i), joined, ...outline.slice(i + 2)]
}

// Move footnote `number`'s mark to just after the first occurrence of `words` in the
// paragraph (where the importer put it after the wrong word, or missed the punctuation).
export function moveMark (outline, i, number, words) {
  const p = outline[i]
  const needle = words.trim()
  const at = needle ? p.text.indexOf(needle) : -1
  if (at < 0) throw new Error(`“${needle}” is not in the paragraph`)
  const offset = at + needle.length
  const refs = p.footnote_refs.map((r) => (r.number === number ? { ...r, offset } : r)).sort((a, b) => a.offset - b.offset)
  return outline.map((q, j) => (j === i ? edited({ ...q, footnote_refs: refs }, `footnote ${number} moved after “${needle}” by the reviewer`) : q))
}

// The outline in document order, one entry per paragraph and subparagraph: its level
// (0 a paragraph, 1 a subparagraph (a), 2 a subparagraph (i)), the paragraph it is
// under, and what it is called now (`OP4`, `OP4 (b)`, `OP4 (b) (ii)`). A change of level
// keeps this order, so an entry's place in it names the item before and after.
export function flatten (outline) {
  const names = labels(outline)
  const out = []
  outline.forEach((p, i) => {
    out.push({ node: p, level: 0, top: i, name: names[i] })
    p.subparagraphs.forEach((s, a) => {
      const name = `${names[i]} (${subLabel(a, 1)})`
      out.push({ node: s, level: 1, top: i, name })
      s.subparagraphs.forEach((t, r) => out.push({ node: t, level: 2, top: i, name: `${name} (${subLabel(r, 2)})` }))
    })
  })
  return out
}

function rebuild (flat) {
  const outline = []
  for (const { node, level } of flat) {
    const bare = { ...node, subparagraphs: [] }
    if (level === 0) outline.push(bare)
    else if (level === 1) outline[outline.length - 1].subparagraphs.push(bare)
    else outline[outline.length - 1].subparagraphs.at(-1).subparagraphs.push(bare)
  }
  return outline
}

// A label the text still begins with, "(c) " or "(iv) ", once it is a subparagraph: the
// label follows from its place, so it is not kept twice.
const LABEL = /^\((?:[a-z]{1,3}|[ivxlc]{1,8})\)\s+/

function asSub (node, note) {
  const cut = node.text.match(LABEL)?.[0].length || 0
  const notes = [note]
  if (node.lead) notes.push(`lead “${node.lead}” dropped: a subparagraph has none`)
  if (cut) notes.push(`label ${node.text.slice(0, cut).trim()} taken out of the text: it follows from the order`)
  const { kind, lead, ...rest } = node
  let p = {
    ...rest,
    text: node.text.slice(cut),
    footnote_refs: node.footnote_refs.map((r) => ({ ...r, offset: Math.max(0, r.offset - cut) }))
  }
  for (const n of notes) p = edited(p, n)
  return p
}

// Flat entry k (see flatten) made a paragraph (level 0) or a subparagraph (1: (a), 2:
// (i)) of the item before it, as in an outliner: its own subparagraphs move with it, and
// when it rises, the items after it that were under the same parent come under it, so
// the text keeps its order. Refused when it would leave a subparagraph without a
// paragraph above it or go deeper than (i).
export function setLevel (outline, k, level) {
  const flat = flatten(outline)
  const at = flat[k]
  if (!at) throw new Error(`there is no item ${k + 1}`)
  const from = at.level
  if (level === from) return outline
  if (![0, 1, 2].includes(level)) throw new Error('a paragraph is at level 0, a subparagraph at 1, (a), or 2, (i)')
  const before = flat[k - 1]
  if (level > 0 && (!before || level > before.level + 1)) {
    throw new Error(before
      ? `there is no ${level === 1 ? 'paragraph' : 'subparagraph (a)'} right before ${at.name} for it to go under (the item before it is ${before.name})`
      : `${at.name} is the first paragraph: there is nothing above it to go under`)
  }
  let end = k + 1
  while (end < flat.length && flat[end].level > from) end++
  const shift = level - from
  const deepest = Math.max(...flat.slice(k, end).map((e) => e.level))
  if (deepest + shift > 2) throw new Error(`${at.name} has subparagraphs of its own, and subparagraphs go two levels deep at most, (a) then (i)`)
  let after = end
  while (after < flat.length && flat[after].level >= from) after++
  const rise = Math.min(0, level + 1 - from) // what the items taken under it rise by
  const moved = flat.map((e, j) => (j < k || j >= after ? e : { ...e, level: e.level + (j < end ? shift : rise) }))
  const parent = level > 0 ? flat.slice(0, k).findLast((e) => e.level === level - 1) : null
  const note = `${parent ? `made a subparagraph of ${parent.name}` : 'made a paragraph'} by the reviewer`
  const self = { ...moved[k] }
  if (level === 0) self.node = edited({ kind: outline[at.top].kind, lead: '', ...self.node }, note)
  else if (from === 0) self.node = asSub(self.node, note)
  else self.node = edited(self.node, note)
  moved[k] = self
  return rebuild(moved)
}

// What stands in the way of creating the draft, or null.
export function problem (outline) {
  if (!outline.length) return 'the resolution has no paragraphs'
  const firstOp = outline.findIndex((p) => p.kind === 'op')
  const late = firstOp < 0 ? -1 : outline.findIndex((p, j) => j > firstOp && p.kind === 'pp')
  if (late >= 0) return `${labels(outline)[late]} is preambular but comes after an operative paragraph: make it operative, or join it to the paragraph before`
  return null
}

// The body of POST /api/drafts: the text and structure only; the server makes the ids.
export function reviewedBody (heading, outline, { sponsors = false } = {}) {
  const sub = (s) => ({ text: s.text, footnote_refs: s.footnote_refs, subparagraphs: s.subparagraphs.map(sub) })
  const top = (p) => ({ lead: p.lead, text: p.text, footnote_refs: p.footnote_refs, subparagraphs: p.subparagraphs.map(sub) })
  const keep = ['symbol', 'session', 'committee', 'agenda_item', 'agenda_title', 'title', 'adopted_on', 'meeting']
  const body = Object.fromEntries(keep.map((k) => [k, heading[k] ?? null]))
  if (sponsors && heading.sponsors?.length) body.sponsors = heading.sponsors
  body.footnotes = heading.footnotes
  body.preamble = outline.filter((p) => p.kind === 'pp').map(top)
  body.operative = outline.filter((p) => p.kind === 'op').map(top)
  return body
}
