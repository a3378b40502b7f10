// A selection across paragraphs. Each paragraph is an editor of its own, so no editor
// knows of a selection that runs from one into the next: this module keeps it, as Y
// relative positions (so that it survives remote edits, which rewrite the DOM under the
// browser's selection), puts it back on the page after each remote change, copies it as
// people would paste it, and tells the Propose form the part of it in each paragraph.
//
// The browser makes such a selection itself only where the editors are not editable (a
// delegate's, a facilitator's or an observer's page): an editable editor keeps the
// selection made in it to itself, so in a penholder's page Shift+arrows at a paragraph's
// edge and a drag released in another paragraph are carried over here, and the
// selection is then for copying and proposing, not typing over (docs/client.md).
import Quill from 'quill/core'
import * as Y from 'yjs'
import { message } from './status.js'
import { textBetween } from './text.js'

const rel = (ytext, index, assoc) => Y.createRelativePositionFromTypeIndex(ytext, index, assoc)

export class Span {
  constructor ({ draft }) {
    this.draft = draft
    this.doc = draft.doc
    this.span = null // {start, end, backward}: Y relative positions, start before end
    this.live = false // the page's selection shows it now
    this.onSelection = () => this.capture()
    document.addEventListener('selectionchange', this.onSelection)
    this.onCopy = (e) => this.copy(e)
    document.addEventListener('copy', this.onCopy)
    // After a remote change the editors have rewritten their DOM (y-quill applies it
    // within the transaction): the selection is put back before the browser's
    // selectionchange for the mutation is read.
    this.onTransaction = (tr) => { if (!tr.local && this.live) this.restore() }
    this.doc.on('afterTransaction', this.onTransaction)
    this.editable = !!(draft.me && draft.me.can.edit)
    this.listeners = this.editable
      ? [['keydown', (e) => this.key(e)], ['mousedown', (e) => this.press(e)], ['mouseup', (e) => this.release(e)],
          ['beforeinput', (e) => this.input(e)], ['paste', (e) => this.input(e)], ['cut', (e) => this.cut(e)]]
      : []
    for (const [type, fn] of this.listeners) document.addEventListener(type, fn, true)
  }

  destroy () {
    document.removeEventListener('selectionchange', this.onSelection)
    document.removeEventListener('copy', this.onCopy)
    this.doc.off('afterTransaction', this.onTransaction)
    for (const [type, fn] of this.listeners) document.removeEventListener(type, fn, true)
  }

  // Shift+arrows in a penholder's page: within one editor the browser's, at its edge
  // or once the selection spans paragraphs ours (the browser would cut it back to one
  // editor).
  key (e) {
    if (!inEditor(e)) return // the proposal form's fields, the tools
    const arrow = e.key.startsWith('Arrow')
    if (arrow && e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
      if (this.extend(e.key)) { e.preventDefault(); e.stopPropagation() }
      return
    }
    if (!this.spanning()) return
    const mod = e.ctrlKey || e.metaKey
    const k = e.key.toLowerCase()
    const edits = (!mod && !e.altKey && e.key.length === 1) || ['Enter', 'Backspace', 'Delete'].includes(e.key) ||
      (mod && !e.altKey && ['x', 'v', 'i', 'b', 'u'].includes(k))
    if (edits) { e.preventDefault(); e.stopPropagation(); this.refuse() }
  }

  // Whether the page's selection spans paragraphs now.
  spanning () {
    const sel = getSelection()
    return this.live && !!sel && !sel.isCollapsed && !!this.resolve()
  }

  input (e) {
    if (!inEditor(e)) return
    if (e.inputType === 'historyUndo' || e.inputType === 'historyRedo' || !this.spanning()) return
    e.preventDefault(); e.stopPropagation()
    this.refuse()
  }

  cut (e) {
    if (!inEditor(e) || !this.spanning()) return
    this.copy(e)
    e.stopPropagation()
    this.refuse()
  }

  refuse () {
    message('The selection runs over several paragraphs: it can be copied, or proposed on paragraph by paragraph; ' +
      'to change the text, select within one paragraph (Delete at the end of a paragraph joins the next one).', 'info')
  }

  // The focus of the page's selection moved by an arrow key, or false where the
  // browser's own move is right (inside one editor, away from its edge).
  extend (key) {
    const sel = getSelection()
    if (!sel || !sel.rangeCount) return false
    const forward = key === 'ArrowRight' || key === 'ArrowDown'
    const focus = this.point(sel.focusNode, sel.focusOffset, forward ? 'end' : 'start')
    if (!focus) return false
    const spanning = this.spanning()
    const atEdge = forward ? focus.index >= focus.view.ytext.length : focus.index === 0
    if (!spanning && !atEdge) return false
    let to = null
    if (atEdge) to = forward ? this.after(focus.view) : this.before(focus.view)
    else if (key === 'ArrowRight') to = { view: focus.view, index: focus.index + 1 }
    else if (key === 'ArrowLeft') to = { view: focus.view, index: focus.index - 1 }
    else to = this.lineFrom(focus, forward)
    if (!to) return true // the first or last paragraph's edge: nowhere further
    const [fn, fo] = this.domPoint(to.view, to.index)
    sel.setBaseAndExtent(sel.anchorNode, sel.anchorOffset, fn, fo)
    this.capture()
    return true
  }

  // The place a line below (or above) a focus, where the page shows it.
  lineFrom (focus, down) {
    const [node, offset] = this.domPoint(focus.view, focus.index)
    const probe = document.createRange()
    probe.setStart(node, offset)
    const box = probe.getClientRects()[0] || probe.getBoundingClientRect()
    const y = down ? box.bottom + box.height / 2 : box.top - box.height / 2
    const hit = caretAt(box.left, y)
    const to = hit && this.point(hit[0], hit[1], down ? 'end' : 'start')
    if (to && !(to.view === focus.view && to.index === focus.index)) return to
    return down ? this.after(focus.view) || { view: focus.view, index: focus.view.ytext.length } : this.before(focus.view) || { view: focus.view, index: 0 }
  }

  // A drag in a penholder's page released in another paragraph than it started in.
  press (e) {
    this.down = null
    if (e.button !== 0 || e.shiftKey) return
    const hit = caretAt(e.clientX, e.clientY)
    const at = hit && e.target.closest && e.target.closest('.ql-editor') && this.point(hit[0], hit[1], 'start')
    if (at) this.down = at
  }

  release (e) {
    const from = this.down
    this.down = null
    if (!from || e.button !== 0) return
    const hit = caretAt(e.clientX, e.clientY)
    if (!hit) return
    const order = this.order()
    const probe = document.createRange()
    probe.setStart(...this.domPoint(from.view, from.index))
    const forward = probe.comparePoint(hit[0], hit[1]) > 0
    const to = this.point(hit[0], hit[1], forward ? 'end' : 'start')
    if (!to || to.view === from.view || !order.includes(from.view)) return
    const [an, ao] = this.domPoint(from.view, from.index)
    const [fn, fo] = this.domPoint(to.view, to.index)
    getSelection().setBaseAndExtent(an, ao, fn, fo)
    this.capture()
  }

  // The span's ends as {view, index}, start first; null if it is gone (a paragraph of it
  // deleted or moved).
  resolve () {
    if (!this.span) return null
    const at = (r) => {
      const a = Y.createAbsolutePositionFromRelativePosition(r, this.doc)
      const v = a && this.viewOfText(a.type)
      return v ? { view: v, index: a.index } : null
    }
    const start = at(this.span.start); const end = at(this.span.end)
    if (!start || !end || start.view === end.view) return null
    const order = this.order()
    if (order.indexOf(start.view) > order.indexOf(end.view)) return null
    return { start, end, backward: this.span.backward }
  }

  viewOfText (ytext) {
    for (const v of this.draft.views.values()) if (v.ytext === ytext) return v
    return null
  }

  order () { return this.draft.paragraphs.toArray().map((m) => this.draft.views.get(m)).filter(Boolean) }

  // Every paragraph the span touches, with the part of its text selected: [{view, index,
  // length}] in document order.
  parts () {
    const r = this.resolve()
    if (!r) return []
    const order = this.order()
    const from = order.indexOf(r.start.view); const to = order.indexOf(r.end.view)
    return order.slice(from, to + 1).map((v) => {
      const len = v.ytext.length
      const a = v === r.start.view ? r.start.index : 0
      const b = v === r.end.view ? r.end.index : len
      return { view: v, index: a, length: Math.max(0, b - a) }
    })
  }

  // The part of the span in one paragraph, or null if it does not touch it.
  partIn (view) {
    return this.parts().find((p) => p.view === view) || null
  }

  capture () {
    const sel = getSelection()
    if (!sel || !sel.rangeCount || sel.isCollapsed) {
      // A caret put in a paragraph is a new selection there; one elsewhere (a button
      // pressed) leaves the span for the Propose form.
      const node = sel && sel.anchorNode
      const el = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)
      if (el && el.closest('.ql-editor')) this.span = null
      this.live = false
      return
    }
    const range = sel.getRangeAt(0)
    const start = this.point(range.startContainer, range.startOffset, 'start')
    const end = this.point(range.endContainer, range.endOffset, 'end')
    if (!start || !end || start.view === end.view) { this.span = null; this.live = false; return }
    const backward = sel.anchorNode === range.endContainer && sel.anchorOffset === range.endOffset &&
      !(sel.focusNode === range.endContainer && sel.focusOffset === range.endOffset)
    this.span = { start: rel(start.view.ytext, start.index, 0), end: rel(end.view.ytext, end.index, -1), backward }
    this.live = true
  }

  // A point of the page's selection as a place in a paragraph's text. A point outside
  // the editors (a label, a button, a proposal, between paragraphs) counts as the nearest
  // place inside the selection: the start of the next paragraph's text for the start,
  // the end of the previous one's for the end.
  point (node, offset, side) {
    const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement
    const para = el && el.closest('.para')
    let v = para && this.draft.byId.get(para.dataset.id)
    if (v && v.textEl.contains(node) && v.editor.quill.root.contains(node)) {
      return { view: v, index: this.indexIn(v, node, offset) }
    }
    if (v) {
      const before = v.textEl.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING
      if (side === 'start') return before ? { view: v, index: 0 } : this.after(v)
      return before ? this.before(v) : { view: v, index: v.ytext.length }
    }
    // Between paragraphs or around them: the first paragraph after, the last before.
    const probe = document.createRange()
    probe.setStart(node, offset)
    const order = this.order()
    if (side === 'start') {
      v = order.find((w) => probe.comparePoint(w.textEl, 0) > 0)
      return v ? { view: v, index: 0 } : null
    }
    v = [...order].reverse().find((w) => probe.comparePoint(w.textEl, 0) < 0)
    return v ? { view: v, index: v.ytext.length } : null
  }

  after (v) {
    const order = this.order(); const w = order[order.indexOf(v) + 1]
    return w ? { view: w, index: 0 } : null
  }

  before (v) {
    const order = this.order(); const w = order[order.indexOf(v) - 1]
    return w ? { view: w, index: w.ytext.length } : null
  }

  // A DOM point inside an editor as an index of its text (a footnote mark counts one,
  // as in the Y.Text): through Quill's blots, public API only.
  indexIn (v, node, offset) {
    const quill = v.editor.quill
    const max = quill.getLength() - 1
    const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement
    const mark = el.closest('sup.fn')
    if (mark && quill.root.contains(mark)) {
      const blot = Quill.find(mark)
      const first = node === mark.firstChild || (node === mark && offset === 0)
      return blot ? Math.min(max, quill.getIndex(blot) + (first && offset === 0 ? 0 : 1)) : 0
    }
    if (node.nodeType === Node.TEXT_NODE) {
      const blot = Quill.find(node)
      return blot ? Math.min(max, quill.getIndex(blot) + offset) : 0
    }
    if (offset < node.childNodes.length) {
      const blot = Quill.find(node.childNodes[offset])
      if (blot) return Math.min(max, quill.getIndex(blot))
    }
    const blot = node === quill.root ? null : Quill.find(node)
    if (!blot) return max
    const end = quill.getIndex(blot) + blot.length()
    return Math.min(max, end)
  }

  // An index of a paragraph's text as a DOM point, for the page's selection.
  domPoint (v, index) {
    const [leaf, offset] = v.editor.quill.getLeaf(index)
    if (!leaf) return [v.editor.quill.root, 0]
    const node = leaf.domNode
    if (node.nodeType === Node.TEXT_NODE) return [node, offset]
    const parent = node.parentNode
    return [parent, [...parent.childNodes].indexOf(node) + (offset ? 1 : 0)]
  }

  // Puts the page's selection back on the span where the DOM's change moved it (an
  // editor merges or replaces the text nodes it ends in); where it is still right it is
  // left alone, so that a drag in progress is not disturbed.
  restore () {
    const r = this.resolve()
    if (!r) { this.live = false; return }
    const sel = getSelection()
    if (sel.rangeCount && !sel.isCollapsed) {
      const now = sel.getRangeAt(0)
      const s = this.point(now.startContainer, now.startOffset, 'start')
      const e = this.point(now.endContainer, now.endOffset, 'end')
      if (s && e && s.view === r.start.view && s.index === r.start.index && e.view === r.end.view && e.index === r.end.index) return
    }
    const [sn, so] = this.domPoint(r.start.view, r.start.index)
    const [en, eo] = this.domPoint(r.end.view, r.end.index)
    if (r.backward) sel.setBaseAndExtent(en, eo, sn, so)
    else sel.setBaseAndExtent(sn, so, en, eo)
  }

  // The clipboard gets the words selected, a paragraph a line, each paragraph whose start
  // is selected with its label as printed ("5. ", "(a) "; preambular paragraphs have
  // none), the footnote marks left out as in the REST API's text.
  copy (e) {
    this.capture() // the browser's selectionchange for the last key may not have come yet
    const sel = getSelection()
    if (!this.live || !sel || sel.isCollapsed || !e.clipboardData) return
    const parts = this.parts()
    if (parts.length < 2) return
    const lines = parts.map(({ view, index, length }) => {
      const words = textBetween(view.ytext, index, length)
      return (index === 0 ? printedLabel(view) : '') + words
    })
    e.clipboardData.setData('text/plain', lines.join('\n'))
    const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    e.clipboardData.setData('text/html', lines.map((l) => `<p>${esc(l)}</p>`).join(''))
    e.preventDefault()
  }
}

const inEditor = (e) => !!(e.target && e.target.closest && e.target.closest('.ql-editor'))

// The DOM point under a place of the viewport, or null.
function caretAt (x, y) {
  if (document.caretPositionFromPoint) {
    const p = document.caretPositionFromPoint(x, y)
    return p ? [p.offsetNode, p.offset] : null
  }
  const r = document.caretRangeFromPoint && document.caretRangeFromPoint(x, y)
  return r ? [r.startContainer, r.startOffset] : null
}

// How a paragraph's label is printed in a resolution: operative paragraphs numbered,
// subparagraphs lettered, preambular paragraphs not at all.
export function printedLabel (view) {
  const kind = view.map.get('kind')
  if (kind === 'op') return `${view.short.replace(/^OP/, '')}. `
  if (kind === 'sub') return `${view.short} `
  return ''
}
