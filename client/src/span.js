// A selection across paragraphs. Each paragraph is an editor of its own, so no editor
// knows of a selection that runs from one into the next: this module keeps it, as Y
// relative positions (so that it survives remote edits, which rewrite the DOM under the
// browser's selection), puts it back on the page after each remote change, copies it as
// people would paste it, and tells the Propose form the part of it in each paragraph.
//
// The browser makes such a selection itself only where the editors are not editable (a
// delegate's, a facilitator's or an observer's page): an editable editor keeps the
// selection made in it to itself, so in a penholder's page a drag that leaves its
// paragraph, and the keys that extend a selection (Shift with the arrows, Home, End,
// Page Up, Page Down, Ctrl for words and the whole draft) at a paragraph's edge or once it spans
// paragraphs, are carried over here; the selection is then for copying and proposing,
// not typing over (docs/client.md).
import Quill from 'quill/core'
import * as Y from 'yjs'
import { message } from './status.js'
import { textBetween } from './text.js'

const rel = (ytext, index, assoc) => Y.createRelativePositionFromTypeIndex(ytext, index, assoc)

export class Span {
  constructor ({ draft }) {
    this.draft = draft
    this.doc = draft.doc
    this.span = null // {anchor, focus}: its two ends (endOf), where the selection began and where it is extended
    this.live = false // the page's selection shows it now
    // During a drag across paragraphs, the browser's own update (its autoscroll's too)
    // would cut the selection back to one editor: it is put back.
    this.onSelection = () => {
      if (this.down && this.dragging) this.showDrag(this.down, this.dragging)
      else this.capture()
    }
    document.addEventListener('selectionchange', this.onSelection)
    this.onCopy = (e) => this.copy(e)
    document.addEventListener('copy', this.onCopy)
    // After a remote change the editors have rewritten their DOM (y-quill applies it
    // within the transaction): the selection is put back before the browser's
    // selectionchange for the mutation is read.
    this.onTransaction = (tr) => {
      this.changing = false
      if (!tr.local && this.live) this.restore()
    }
    this.doc.on('afterTransaction', this.onTransaction)
    // Before any change, where the span's ends are (paragraph id and index): a paragraph
    // that is moved is deleted and inserted again as a copy, where Y positions into the
    // old text no longer lead; the same place in the copy does.
    // While the change's observers run (the editors update, and may ask for the span),
    // a paragraph's view may not yet be there: an end is not moved elsewhere before the
    // change is complete.
    this.onBefore = () => { if (this.span) this.resolve(); this.changing = true }
    this.doc.on('beforeTransaction', this.onBefore)
    this.onDeep = (events) => this.joins(events)
    draft.paragraphs.observeDeep(this.onDeep)
    this.editable = !!(draft.me && draft.me.can.edit)
    this.listeners = this.editable
      ? [['keydown', (e) => this.key(e)], ['mousedown', (e) => this.press(e)], ['mousemove', (e) => this.drag(e)],
          ['mouseup', (e) => this.release(e)],
          ['beforeinput', (e) => this.input(e)], ['paste', (e) => this.input(e)], ['cut', (e) => this.cut(e)]]
      : []
    for (const [type, fn] of this.listeners) document.addEventListener(type, fn, true)
  }

  destroy () {
    document.removeEventListener('selectionchange', this.onSelection)
    document.removeEventListener('copy', this.onCopy)
    this.doc.off('afterTransaction', this.onTransaction)
    this.doc.off('beforeTransaction', this.onBefore)
    this.draft.paragraphs.unobserveDeep(this.onDeep)
    for (const [type, fn] of this.listeners) document.removeEventListener(type, fn, true)
  }

  // The keys that extend a selection in a penholder's page: within one editor the
  // browser's, at its edge or once the selection spans paragraphs ours (the browser would
  // cut it back to one editor).
  key (e) {
    if (!inEditor(e)) return // the proposal form's fields, the tools
    const motion = motionOf(e)
    if (motion) {
      if (motion.unit !== 'line' && motion.unit !== 'page') this.goalX = null
      if (this.extend(motion)) { e.preventDefault(); e.stopPropagation() }
      // After the browser's End (Home) the focus is at the end (start) of its line;
      // after its other moves, who knows (extend says where its own moves leave it).
      else this.lineEnd = motion.unit === 'lineboundary' ? motion.forward : null
      return
    }
    if (!['Shift', 'Control', 'Meta'].includes(e.key)) { this.goalX = null; this.lineEnd = null }
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

  // The focus of the page's selection moved by a motion ({forward, unit}: motionOf), or
  // false where the browser's own move is right (inside one editor, away from its edge).
  extend ({ forward, unit }) {
    const sel = getSelection()
    if (!sel || !sel.rangeCount) return false
    const focus = this.point(sel.focusNode, sel.focusOffset, forward ? 'end' : 'start')
    if (!focus) return false
    const anchor = [sel.anchorNode, sel.anchorOffset] // before a native move collapses the selection
    const spanning = this.spanning()
    const v = focus.view
    const len = v.ytext.length
    const atEdge = forward ? focus.index >= len : focus.index === 0
    let to = null
    // The browser's line moves keep to a column too: the one the first of them started from.
    if ((unit === 'line' || unit === 'page') && this.goalX == null) this.goalX = this.focusBox(focus).left
    if (unit === 'document') {
      const order = this.order()
      const w = forward ? order[order.length - 1] : order[0]
      to = w && { view: w, index: forward ? w.ytext.length : 0 }
    } else if (unit === 'paragraph') {
      // Ctrl+Shift+Down (Up): to the end (start) of the paragraph, or of the next
      // (previous) one from there, as in Word.
      to = !atEdge ? { view: v, index: forward ? len : 0 } : forward ? this.after(v) : this.before(v)
      if (to) to.index = forward ? to.view.ytext.length : 0
    } else if (unit === 'line') {
      if (!spanning && !this.lastLine(focus, forward)) return false
      to = this.lineFrom(focus, forward)
    } else if (unit === 'page') {
      if (!spanning && !this.pageLeaves(focus, forward)) return false
      to = this.pageFrom(focus, forward)
    } else if (unit === 'lineboundary') {
      if (!spanning) return false // Home and End never leave the line, nor the paragraph
      // The end of a wrapped line and the start of the next are one place in the text:
      // after End, Home goes to the start of the line End went to the end of.
      const wrapped = !forward && this.lineEnd === true && focus.index > 0
      to = this.nativeMove(sel, wrapped ? { view: v, index: focus.index - 1 } : focus, forward, unit)
      to.upstream = forward
    } else {
      if (!spanning && !atEdge) return false
      if (atEdge) to = forward ? this.after(v) : this.before(v)
      else if (unit === 'character') to = { view: v, index: focus.index + (forward ? 1 : -1) }
      else to = this.nativeMove(sel, focus, forward, unit)
    }
    // The end of a wrapped line is the same index as the start of the next: which of the
    // two the focus is at, for the line moves that follow (unknown after a word's move).
    this.lineEnd = to && to.upstream != null ? to.upstream : null
    if (!to) return true // the first or last paragraph's edge: nowhere further
    this.focusOn(sel, anchor, to)
    return true
  }

  // The selection from its anchor to a new focus `to`, shown.
  focusOn (sel, [an, ao], to) {
    const [fn, fo] = this.domPoint(to.view, to.index)
    sel.setBaseAndExtent(an, ao, fn, fo)
    this.capture()
    const box = this.caretBox(to.view, to.index)
    if (box.bottom > innerHeight) scrollBy(0, box.bottom - innerHeight + box.height)
    else if (box.top < 0) scrollBy(0, box.top - box.height)
  }

  // Where the browser's own move by a word or to the line's edge takes a caret at
  // `focus` (inside its editor), found by making that move on a caret there; the caller
  // sets the selection from its anchor to the answer.
  nativeMove (sel, focus, forward, unit) {
    const [n, o] = this.domPoint(focus.view, focus.index)
    sel.collapse(n, o)
    sel.modify('move', forward ? 'forward' : 'backward', unit)
    const to = sel.focusNode && this.point(sel.focusNode, sel.focusOffset, forward ? 'end' : 'start')
    return to && to.view === focus.view ? to : { view: focus.view, index: forward ? focus.view.ytext.length : 0 }
  }

  // The rectangle of a caret at an index of a paragraph's text, in the viewport.
  caretBox (v, index) {
    const [node, offset] = this.domPoint(v, index)
    const probe = document.createRange()
    probe.setStart(node, offset)
    const box = probe.getClientRects()[0]
    if (box && box.height) return box
    const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement
    return el.getBoundingClientRect()
  }

  // The rectangle of a caret at the end of the character before an index (`upstream`) or
  // at the start of the one at it: at a wrapped line's end, the end of that line or the
  // start of the next (Chromium's own rectangle for such a caret is always the first).
  sideBox (v, index, upstream) {
    const at = upstream ? index - 1 : index
    if (at < 0 || at >= v.ytext.length) return null
    // The leaf that holds the character (Quill gives a leaf's end, not the next one's start).
    let [leaf, offset] = v.editor.quill.getLeaf(at + 1)
    if (leaf && offset > 0) offset -= 1
    else [leaf, offset] = v.editor.quill.getLeaf(at)
    if (!leaf) return null
    // A footnote mark is raised and small: the line is the words' next to it.
    if (leaf.domNode.nodeType !== Node.TEXT_NODE) return this.sideBox(v, upstream ? index - 1 : index + 1, upstream)
    if (offset >= leaf.domNode.length) return null
    const r = document.createRange()
    r.setStart(leaf.domNode, offset)
    r.setEnd(leaf.domNode, offset + 1)
    const rects = [...r.getClientRects()].filter((b) => b.height)
    const b = upstream ? rects[rects.length - 1] : rects[0]
    if (!b) return null
    const x = upstream ? b.right : b.left
    return { left: x, right: x, top: b.top, bottom: b.bottom, height: b.height }
  }

  // The rectangle of the focus's caret, on the line the user sees it on. Where its index
  // ends one line and starts the next, that is the line End (ours or the browser's) or
  // one of our line moves left it on (this.lineEnd true or false); after the browser's
  // own line moves, the one nearer the column they keep.
  focusBox (focus) {
    const { view: v, index } = focus
    const end = this.sideBox(v, index, true)
    const start = this.sideBox(v, index, false)
    if (!end || !start || (start.top < end.bottom && end.top < start.bottom)) return start || end || this.caretBox(v, index)
    let upstream = this.lineEnd
    if (upstream == null && this.goalX != null) upstream = Math.abs(this.goalX - end.left) < Math.abs(this.goalX - start.left)
    if (upstream == null) return this.caretBox(v, index)
    return upstream ? end : start
  }

  // Whether a caret is on the last (first) line of its paragraph as the page shows it.
  lastLine (focus, down) {
    const v = focus.view
    const here = this.focusBox(focus)
    const edge = this.caretBox(v, down ? v.ytext.length : 0)
    return down ? here.bottom >= edge.bottom - here.height / 2 : here.top <= edge.top + here.height / 2
  }

  // The place a line below (or above) a focus, where the page shows it, at the column
  // the line moves started from (Shift+Down, Down again keeps to it): in the same
  // paragraph, else on the first (last) line of the next (previous) one.
  lineFrom (focus, down) {
    const box = this.focusBox(focus)
    if (this.goalX == null) this.goalX = box.left
    const x = this.goalX
    if (!this.lastLine(focus, down)) {
      const y = down ? box.bottom + box.height / 2 : box.top - box.height / 2
      const to = this.pointAt(x, y, focus.view, down)
      if (to && to.index !== focus.index) return to
    }
    const w = down ? this.after(focus.view) : this.before(focus.view)
    if (!w) return { view: focus.view, index: down ? focus.view.ytext.length : 0 }
    const line = this.caretBox(w.view, w.index)
    return this.pointAt(x, line.top + line.height / 2, w.view, down) || w
  }

  // How far Shift+PageDown (Up) moves, as Chromium pages: seven eighths of the window.
  pageStep () { return innerHeight * 0.875 }

  // Whether a page down (up) from a caret goes past its paragraph's last (first) line;
  // short of it, the browser's own move is right.
  pageLeaves (focus, down) {
    const here = this.focusBox(focus)
    const edge = this.caretBox(focus.view, down ? focus.view.ytext.length : 0)
    return (down ? edge.bottom - here.bottom : here.top - edge.top) < this.pageStep()
  }

  // The place a page below (above) a focus: the page scrolls by a page and the focus goes
  // to the line of text that is then where the focus was on the screen, at the column the
  // line moves started from, in whichever paragraph that is (the nearest one's nearest
  // line where a label, a button or the space between paragraphs is there); at the
  // draft's end (start), its last (first) line.
  pageFrom (focus, down) {
    const box = this.focusBox(focus)
    if (this.goalX == null) this.goalX = box.left
    const step = down ? this.pageStep() : -this.pageStep()
    const before = scrollY
    scrollBy(0, step)
    const y = box.top + box.height / 2 + step - (scrollY - before)
    let best = null; let dist = Infinity
    for (const w of this.order()) {
      const r = w.editor.quill.root.getBoundingClientRect()
      if (!r.height) continue // hidden (drawn as a redline with its suggestions)
      const d = y < r.top ? r.top - y : y > r.bottom ? y - r.bottom : 0
      if (d < dist || (d === dist && !down)) { dist = d; best = w }
    }
    if (!best) return null
    const first = this.caretBox(best, 0); const last = this.caretBox(best, best.ytext.length)
    const yy = Math.min(Math.max(y, first.top + first.height / 2), last.bottom - last.height / 2)
    return this.pointAt(this.goalX, yy, best, down) || { view: best, index: down ? best.ytext.length : 0 }
  }

  // The place of a paragraph's text at a point of the page (scrolled into view first,
  // since only what is on screen can be hit), or null.
  pointAt (x, y, view, down) {
    if (y < 0 || y > innerHeight) {
      const by = y < 0 ? y - 20 : y - innerHeight + 20
      scrollBy(0, by)
      y -= by
    }
    const hit = caretAt(x, y)
    const to = hit && this.point(hit[0], hit[1], down ? 'end' : 'start')
    if (!to || to.view !== view) return null
    // A point past a wrapped line's end is that line's end: its index is the next line's start.
    const start = this.sideBox(view, to.index, false)
    to.upstream = !!start && to.index > 0 && start.top > y
    return to
  }

  // A drag in a penholder's page that leaves the paragraph it started in: the browser
  // keeps its selection inside that editor until the button is released (it cuts it back
  // at every move), so from the moment the pointer is over another paragraph the
  // selection is set here, after each of the browser's moves and before the frame is
  // drawn, so that the highlight follows the pointer.
  press (e) {
    this.down = null
    this.dragging = false
    this.goalX = null
    this.lineEnd = null
    if (e.button !== 0 || e.shiftKey || e.detail > 1) return
    const hit = caretAt(e.clientX, e.clientY)
    const at = hit && e.target.closest && e.target.closest('.ql-editor') && this.point(hit[0], hit[1], 'start')
    if (at) this.down = { ...at, node: hit[0], offset: hit[1] }
  }

  drag (e) {
    if (!this.down) return
    if (!(e.buttons & 1)) { this.down = null; this.dragging = false; return }
    const to = this.dragTo(this.down, e)
    if (!to) return
    if (!this.dragging && to.view === this.down.view) return // the browser's, inside one editor
    this.dragging = to
    this.showDrag(this.down, to)
    // The browser handles the move after its listeners, and draws after the animation
    // frame's callbacks.
    if (!this.redrag) {
      this.redrag = requestAnimationFrame(() => {
        this.redrag = 0
        if (this.down && this.dragging) this.showDrag(this.down, this.dragging)
      })
    }
  }

  release (e) {
    const from = this.down
    const dragging = this.dragging
    this.down = null
    this.dragging = false
    if (!from || e.button !== 0) return
    const to = this.dragTo(from, e)
    if (!to || (!dragging && to.view === from.view)) return
    this.showDrag(from, to)
  }

  // The place in a paragraph's text under the pointer during a drag, or null.
  dragTo (from, e) {
    const hit = caretAt(e.clientX, e.clientY)
    if (!hit || !this.order().includes(from.view)) return null
    const probe = document.createRange()
    probe.setStart(...this.domPoint(from.view, from.index))
    const forward = probe.comparePoint(hit[0], hit[1]) > 0
    return this.point(hit[0], hit[1], forward ? 'end' : 'start')
  }

  showDrag (from, to) {
    const [an, ao] = this.domPoint(from.view, from.index)
    const [fn, fo] = this.domPoint(to.view, to.index)
    const sel = getSelection()
    if (sel.anchorNode !== an || sel.anchorOffset !== ao || sel.focusNode !== fn || sel.focusOffset !== fo) {
      sel.setBaseAndExtent(an, ao, fn, fo)
    }
    this.capture()
  }

  // The span's ends as {view, index}, start first; null if it is gone. An end whose
  // paragraph was moved is found in the copy, by its id, at the same index, and held there
  // from now on. (One whose paragraph was joined into the one before is held in it by
  // joins(), as the join is made.) One whose paragraph was deleted goes to the nearest
  // paragraph left inside the span (the start to the beginning of the next, the end to
  // the end of the previous), as a word processor shrinks a selection. Nothing of it
  // left, or both ends in one paragraph, and it is gone.
  resolve () {
    const s = this.span
    if (!s) return null
    const order = this.order()
    let anchor = this.at(s.anchor, order); let focus = this.at(s.focus, order)
    if ((!anchor || !focus) && s.ids && !this.changing) {
      const [first, last] = s.backward ? [s.focus, s.anchor] : [s.anchor, s.focus]
      let start = s.backward ? focus : anchor; let end = s.backward ? anchor : focus
      start = start || this.survivor(first, s.ids, 1, order)
      end = end || this.survivor(last, s.ids, -1, order)
      if (s.backward) { anchor = end; focus = start } else { anchor = start; focus = end }
    }
    if (!anchor || !focus || anchor.view === focus.view) return null
    const a = order.indexOf(anchor.view); const f = order.indexOf(focus.view)
    const backward = a > f
    // Where it runs now, for the next change that deletes or joins a paragraph it ends in.
    s.backward = backward
    s.ids = order.slice(Math.min(a, f), Math.max(a, f) + 1).map((v) => v.id)
    s.before = Math.min(a, f) > 0 ? order[Math.min(a, f) - 1].id : null
    return backward ? { start: focus, end: anchor, backward } : { start: anchor, end: focus, backward }
  }

  // One end as {view, index}, or null if its paragraph is gone. During a change's
  // observers the view of a paragraph just deleted may still be there: only the
  // paragraphs in `order` (this.order()) count.
  at (end, order) {
    const a = Y.createAbsolutePositionFromRelativePosition(end.rel, this.doc)
    const v = a && this.viewOfText(a.type)
    if (v && order.includes(v)) {
      end.id = v.id; end.index = a.index; end.length = v.ytext.length
      return { view: v, index: a.index }
    }
    const moved = this.alive(end.id, order)
    if (!moved || moved.ytext === end.text) return null
    return this.hold(end, moved, Math.min(end.index, moved.ytext.length))
  }

  // An end held from now on at an index of another paragraph's text.
  hold (end, v, index) {
    Object.assign(end, { id: v.id, index, text: v.ytext, rel: rel(v.ytext, index, end.assoc), length: v.ytext.length })
    return { view: v, index }
  }

  // A join (structure.js) is one transaction that deletes a paragraph from the array and
  // appends its whole text to the end of the paragraph before it; the appended words are
  // a copy, where Y positions into the old text lead nowhere. An end in the joined
  // paragraph is held at the same place in the copy. Recognised from the change's events,
  // while they are read (the paragraph gone, the one before it in the span's recorded
  // order grown at its end by that paragraph's length in the same change), not from the
  // words: a paragraph deleted next to one that ends with the same words is not joined.
  joins (events) {
    const s = this.span
    if (!s || !s.ids || !events.some((e) => e.target === this.draft.paragraphs)) return
    const live = new Set(this.draft.paragraphs.toArray().map((m) => m.get('id')))
    const appended = new Map() // Y.Text -> {at, length}: what this change put at its end
    for (const e of events) {
      if (!(e.target instanceof Y.Text)) continue
      const ops = e.delta
      const kept = ops.length > 0 && ops[0].retain != null
      const at = kept ? ops[0].retain : 0
      const added = kept ? ops.slice(1) : ops
      if (!added.length || !added.every((op) => op.insert != null)) continue
      const length = added.reduce((n, op) => n + (typeof op.insert === 'string' ? op.insert.length : 1), 0)
      if (at + length === e.target.length) appended.set(e.target, { at, length })
    }
    const order = [s.before, ...s.ids]
    for (const end of [s.anchor, s.focus]) {
      if (live.has(end.id)) continue
      const k = order.indexOf(end.id)
      const into = k > 0 && order[k - 1] && this.draft.byId.get(order[k - 1])
      const added = into && appended.get(into.ytext)
      if (added && added.length === end.length) this.hold(end, into, added.at + Math.min(end.index, end.length))
    }
  }

  // An end whose paragraph was deleted, moved to the nearest paragraph of the span still
  // there, going `step` (1: on to the next one's start; -1: back to the previous one's end).
  survivor (end, ids, step, order) {
    for (let k = ids.indexOf(end.id) + step; k >= 0 && k < ids.length; k += step) {
      const v = this.alive(ids[k], order)
      if (v) return this.hold(end, v, step > 0 ? 0 : v.ytext.length)
    }
    return null
  }

  alive (id, order) {
    const v = this.draft.byId.get(id)
    return v && order.includes(v) ? v : null
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
    // The start keeps to the word after it, the end to the word before: words typed just
    // outside the span stay outside it.
    const first = endOf(start, 0); const last = endOf(end, -1)
    this.span = backward ? { anchor: last, focus: first } : { anchor: first, focus: last }
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
  // left alone, so that a drag in progress is not disturbed. An end left between the
  // paragraphs (its paragraph's element removed under it) is put back into a text.
  restore () {
    const r = this.resolve()
    if (!r) { this.live = false; return }
    const sel = getSelection()
    const inText = (node) => { const el = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement; return !!(el && el.closest('.ql-editor')) }
    if (sel.rangeCount && !sel.isCollapsed && inText(sel.anchorNode) && inText(sel.focusNode)) {
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

// One end of a span: a Y position (assoc: which side it keeps to), and the paragraph, index
// and the paragraph's length it was last found at.
const endOf = ({ view, index }, assoc) => ({ rel: rel(view.ytext, index, assoc), assoc, id: view.id, index, text: view.ytext, length: view.ytext.length })

// The keys that extend a selection, as {forward, unit}: Shift with the arrows (Ctrl for
// words, or paragraphs up and down), Home and End (Ctrl for the whole draft), Page Up and
// Page Down (Ctrl+Shift with them switches tabs).
function motionOf (e) {
  if (!e.shiftKey || e.altKey || e.metaKey) return null
  const ctrl = e.ctrlKey
  switch (e.key) {
    case 'ArrowLeft': return { forward: false, unit: ctrl ? 'word' : 'character' }
    case 'ArrowRight': return { forward: true, unit: ctrl ? 'word' : 'character' }
    case 'ArrowUp': return { forward: false, unit: ctrl ? 'paragraph' : 'line' }
    case 'ArrowDown': return { forward: true, unit: ctrl ? 'paragraph' : 'line' }
    case 'Home': return { forward: false, unit: ctrl ? 'document' : 'lineboundary' }
    case 'End': return { forward: true, unit: ctrl ? 'document' : 'lineboundary' }
    case 'PageUp': return ctrl ? null : { forward: false, unit: 'page' }
    case 'PageDown': return ctrl ? null : { forward: true, unit: 'page' }
    default: return null
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
