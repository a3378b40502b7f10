// Changes to the paragraph list by penholders and the Secretariat: split, join, move,
// preambular <-> operative, indent. Each is one transaction with the session's local
// origin, so that it is one undo step and attributed to its author in the history.
import * as Y from 'yjs'

// A fresh stable id beside the importer's ("res-79-53.pp2") and the server's ("am3-4"):
// random, so that two pages splitting at once never make the same one.
export function newId () {
  const b = crypto.getRandomValues(new Uint8Array(16))
  b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
  return `p-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

const indexOf = (paragraphs, map) => paragraphs.toArray().indexOf(map)

function paragraphMap (id, kind, level, delta) {
  const text = new Y.Text()
  if (delta.length) text.applyDelta(delta)
  const m = new Y.Map()
  m.set('id', id)
  m.set('kind', kind)
  m.set('level', level)
  m.set('text', text)
  return m
}

// The part of a delta from `from` on (embeds count one, as in Yjs indices).
function sliceDelta (delta, from) {
  const out = []
  let pos = 0
  for (const op of delta) {
    const n = typeof op.insert === 'string' ? op.insert.length : 1
    if (pos + n > from) {
      const insert = typeof op.insert === 'string' ? op.insert.slice(Math.max(0, from - pos)) : op.insert
      out.push(op.attributes ? { insert, attributes: { ...op.attributes } } : { insert })
    }
    pos += n
  }
  return out
}

// A lead is the opening run of its own paragraph only: text that moves into the middle
// of another paragraph is not italic there.
const withoutLead = (delta) => delta.map((op) => ({ insert: op.insert, attributes: { ...(op.attributes || {}), italic: null } }))

const levelOf = (m) => m.get('kind') === 'sub' ? (m.get('level') || 1) : 0

// The part of the resolution a paragraph is in: a subparagraph is in its paragraph's.
function partOf (items, n) {
  for (let k = n; k >= 0; k--) if (items[k].get('kind') !== 'sub') return items[k].get('kind')
  return 'pp'
}

const copyOf = (m) => paragraphMap(m.get('id'), m.get('kind'), m.get('level') || 0, m.get('text').toDelta())

// Why the paragraph at n + 1 may not join the one at n, or null. A preambular paragraph
// and an operative one are different parts (the page shows them in order, the server
// files them in two lists); and a subparagraph of the joined one must still have its
// parent above it ((i) needs an (a), (a) a paragraph).
export function joinRefusal (items, n) {
  if (partOf(items, n) !== partOf(items, n + 1)) return { refused: 'parts', with: items[n + 1] }
  const after = items[n + 2]
  if (after && levelOf(after) > levelOf(items[n]) + 1) return { refused: 'orphan', with: items[n + 1] }
  return null
}

// The end (exclusive) of the block that starts at n: the paragraph and its subparagraphs.
function blockEnd (items, n) {
  const level = levelOf(items[n])
  let k = n + 1
  while (k < items.length && levelOf(items[k]) > level) k++
  return k
}

// Where the block at n goes when moved by -1 or +1: past its sibling block (the one at
// its own level in the same paragraph, or the same part for a paragraph), never into
// another paragraph or the other part.
export function moveTarget (items, n, by) {
  const level = levelOf(items[n])
  const end = blockEnd(items, n)
  const count = end - n
  if (by < 0) {
    let k = n - 1
    while (k >= 0 && levelOf(items[k]) > level) k--
    if (k < 0 || levelOf(items[k]) < level) return { refused: 'first' }
    if (level === 0 && items[k].get('kind') !== items[n].get('kind')) return { refused: 'part-start' }
    return { from: n, count, to: k }
  }
  if (end >= items.length || levelOf(items[end]) < level) return { refused: 'last' }
  if (level === 0 && items[end].get('kind') !== items[n].get('kind')) return { refused: 'part-end' }
  const after = blockEnd(items, end)
  return { from: n, count, to: after - count }
}

export function makeStructure (doc, origin, undo) {
  const paragraphs = doc.getArray('paragraphs')
  // Typing just before or after is not merged into the same undo step.
  const act = (fn) => {
    let out
    undo.stopCapturing()
    doc.transact(() => { out = fn() }, origin)
    undo.stopCapturing()
    return out
  }

  // The paragraph at n + 1 joins the one at n, unless the schema forbids it.
  const joinAt = (n) => {
    const items = paragraphs.toArray()
    const refused = joinRefusal(items, n)
    if (refused) return refused
    return act(() => {
      const into = items[n]
      const intoText = into.get('text')
      const at = intoText.length
      const moved = withoutLead(items[n + 1].get('text').toDelta())
      if (moved.length) intoText.applyDelta([{ retain: at }, ...moved])
      paragraphs.delete(n + 1, 1)
      return { map: into, at }
    })
  }

  return {
    // Enter at `index`: the text after it becomes a new paragraph of the same kind and
    // level. Returns the new map.
    split (map, index) {
      return act(() => {
        const text = map.get('text')
        const tail = sliceDelta(text.toDelta(), index)
        if (text.length > index) text.delete(index, text.length - index)
        const added = paragraphMap(newId(), map.get('kind'), map.get('level') || 0, tail)
        paragraphs.insert(indexOf(paragraphs, map) + 1, [added])
        return added
      })
    },
    // Backspace at the start of `map` joins it to the paragraph before; Delete at the
    // end of `map` joins the one after into it. The joined paragraph's text goes to the
    // end of the other, its id goes. Returns {map, at} (where the caret goes) or
    // {refused, ...} saying why (joinRefusal).
    join (map) {
      const n = indexOf(paragraphs, map)
      if (n <= 0) return { refused: 'first' }
      return joinAt(n - 1)
    },
    joinNext (map) {
      const n = indexOf(paragraphs, map)
      if (n < 0 || n + 1 >= paragraphs.length) return { refused: 'last' }
      return joinAt(n)
    },
    // Up (-1) or down (+1) past the neighbouring paragraph at its own level, carrying its
    // subparagraphs with it, so that a block never lands inside another's run of
    // subparagraphs. A Y.Array has no move: the block is deleted and inserted again with
    // the same ids and texts. Returns {map} (the moved paragraph's new map) or {refused}.
    move (map, by) {
      const items = paragraphs.toArray()
      const n = items.indexOf(map)
      if (n < 0) return { refused: 'gone' }
      const where = moveTarget(items, n, by)
      if (where.refused) return where
      const { from, count, to } = where
      return act(() => {
        const copies = items.slice(from, from + count).map(copyOf)
        paragraphs.delete(from, count)
        paragraphs.insert(to, copies)
        return { map: copies[0] }
      })
    },
    // Preambular <-> operative.
    toggleKind (map) {
      const kind = map.get('kind')
      if (kind === 'sub') return
      act(() => map.set('kind', kind === 'pp' ? 'op' : 'pp'))
    },
    // A paragraph becomes a subparagraph (a) of the one above, (a) becomes (i).
    indent (map) {
      const n = indexOf(paragraphs, map)
      const kind = map.get('kind'); const level = map.get('level') || 0
      if (n <= 0 || (kind === 'sub' && level >= 2)) return
      const prevLevel = paragraphs.get(n - 1).get('kind') === 'sub' ? (paragraphs.get(n - 1).get('level') || 1) : 0
      const want = kind === 'sub' ? level + 1 : 1
      if (want > prevLevel + 1) return // (i) needs an (a) above it
      act(() => { map.set('kind', 'sub'); map.set('level', want) })
    },
    // (i) becomes (a); (a) becomes a paragraph of the part it is in.
    outdent (map) {
      const n = indexOf(paragraphs, map)
      const level = map.get('level') || 0
      if (map.get('kind') !== 'sub') return
      if (level >= 2) { act(() => map.set('level', 1)); return }
      let k = n - 1
      while (k >= 0 && paragraphs.get(k).get('kind') === 'sub') k--
      const kind = k >= 0 ? paragraphs.get(k).get('kind') : 'op'
      act(() => { map.set('kind', kind); map.set('level', 0) })
    },
    // The lead is the opening italic run: the text up to `end` becomes it, the rest not.
    setLead (map, end) {
      const text = map.get('text')
      act(() => {
        if (end > 0) text.format(0, end, { italic: true })
        if (text.length > end) text.format(end, text.length - end, { italic: null })
      })
    }
  }
}
