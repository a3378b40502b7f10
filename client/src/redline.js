// A paragraph drawn as a redline: its words as they stand, with marks over them (words
// struck through, words put in underlined), built as plain DOM from a reading of the
// Y.Text. It only reads the text (toDelta): what it draws can never reach the shared
// document. Suggestions use it (suggestions.js); agreed-language marks are meant to.

// A paragraph's text as the REST API reads it (footnote marks are not characters), with
// the length of its lead (the opening italic run) and where its footnote marks stand.
export function readParagraph (ytext) {
  let text = ''
  let lead = 0
  let inLead = true
  const notes = [] // {at, id}: a footnote mark before the character at `at`
  for (const op of ytext.toDelta()) {
    if (typeof op.insert !== 'string') {
      if (op.insert && op.insert.footnote) notes.push({ at: text.length, id: op.insert.footnote })
      continue
    }
    const italic = !!(op.attributes && op.attributes.italic)
    if (inLead && italic) lead += op.insert.length
    else inLead = false
    text += op.insert
  }
  return { text, lead, notes }
}

// The paragraph `base` ({text, lead, notes}) with `marks`: each {at, length, insert} deletes
// `length` characters from `at` and puts `insert` after them (a replacement is both, an
// insertion has length 0, a deletion no insert). Overlapping marks are drawn nested.
// `wrap(mark, kind, node)` returns what is drawn for one part of a mark (kind 'del' or
// 'ins', node the <del> or <ins>): the caller adds its colour, name and behaviour.
// `footnote(id)` draws a footnote mark. Returns a DocumentFragment.
export function drawRedline (base, marks, { wrap = (m, k, node) => node, footnote } = {}) {
  const { text, lead, notes } = base
  const cuts = new Set([0, text.length, lead])
  for (const m of marks) { cuts.add(m.at); cuts.add(m.at + (m.length || 0)) }
  for (const n of notes) cuts.add(n.at)
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b)
  const out = document.createDocumentFragment()
  // What goes in at a point: each insertion whose deletion (if any) ends there, in order.
  const insertsAt = (p) => marks.filter((m) => m.insert && m.at + (m.length || 0) === p)
  const notesAt = (p) => notes.filter((n) => n.at === p)
  const italic = (s) => { const em = document.createElement('em'); em.textContent = s; return em }
  for (let k = 0; k < points.length; k++) {
    const p = points[k]
    for (const n of notesAt(p)) if (footnote) out.append(footnote(n.id))
    for (const m of insertsAt(p)) {
      const ins = document.createElement('ins')
      ins.textContent = m.insert
      out.append(wrap(m, 'ins', ins))
    }
    const next = points[k + 1]
    if (next === undefined || next === p) continue
    const words = text.slice(p, next)
    let node = p < lead ? italic(words) : document.createTextNode(words)
    const covering = marks.filter((m) => m.length && m.at <= p && m.at + m.length >= next)
    for (const m of covering) {
      const del = document.createElement('del')
      del.append(node)
      node = wrap(m, 'del', del)
    }
    out.append(node)
  }
  return out
}

// Where `quote` stands in `text`, if exactly once (the rule the server files by).
export function findOnce (text, quote) {
  if (!quote) return -1
  const at = text.indexOf(quote)
  return at >= 0 && text.indexOf(quote, at + 1) < 0 ? at : -1
}
