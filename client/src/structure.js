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
    // Backspace at the start: the paragraph's text goes to the end of the one before.
    // Returns [the previous map, where the join is], or null at the first paragraph.
    join (map) {
      const n = indexOf(paragraphs, map)
      if (n <= 0) return null
      return act(() => {
        const prev = paragraphs.get(n - 1)
        const prevText = prev.get('text')
        const at = prevText.length
        const moved = withoutLead(map.get('text').toDelta())
        if (moved.length) prevText.applyDelta([{ retain: at }, ...moved])
        paragraphs.delete(n, 1)
        return [prev, at]
      })
    },
    // Up (-1) or down (+1) past its neighbour. A Y.Array has no move: the paragraph is
    // deleted and inserted again with the same id and text.
    move (map, by) {
      const n = indexOf(paragraphs, map)
      const to = n + by
      if (n < 0 || to < 0 || to >= paragraphs.length) return null
      return act(() => {
        const copy = paragraphMap(map.get('id'), map.get('kind'), map.get('level') || 0, map.get('text').toDelta())
        paragraphs.delete(n, 1)
        paragraphs.insert(to, [copy])
        return copy
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
