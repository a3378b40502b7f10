// The draft on the page: heading, one view per paragraph (its label, its editor, its
// actions and pending proposals), footnotes, and the paragraph tools of penholders and
// the Secretariat. Views are kept across changes of the list, so an editor (its focus,
// selection, composition) is never rebuilt by someone else's change elsewhere.
import * as Y from 'yjs'
import { createEditor } from './binding.js'
import { labels } from './labels.js'
import { makeStructure } from './structure.js'
import { clearNotice, message } from './status.js'

export function el (tag, cls, text) {
  const e = document.createElement(tag)
  if (cls) e.className = cls
  if (text != null) e.textContent = text
  return e
}

export class DraftView {
  // hooks: decorate(view) adds the proposal actions; changed() after the list changed.
  constructor ({ session, me, root, hooks }) {
    this.session = session
    this.me = me
    this.root = root
    this.hooks = hooks
    this.doc = session.doc
    this.paragraphs = this.doc.getArray('paragraphs')
    this.structure = makeStructure(this.doc, session.local, session.undo)
    this.views = new Map() // Y.Map -> view
    this.byId = new Map() // paragraph id -> view
    this.current = null // the view the paragraph tools act on: the last one with the caret
    this.footnoteNumbers = new Map()
    this.heading = el('header', 'heading')
    this.body = el('div', 'paragraphs')
    this.notes = el('section', 'footnotes')
    this.notes.setAttribute('aria-label', 'Footnotes')
    this.tools = me.can.edit ? this.toolbar() : null
    root.replaceChildren(...[this.tools, this.heading, this.body, this.notes].filter(Boolean))

    this.onStructure = (events) => {
      if (events.some((e) => e.target === this.paragraphs || e.target instanceof Y.Map)) this.render()
      else this.scheduleFootnotes()
    }
    this.paragraphs.observeDeep(this.onStructure)
    // A read-only editor never has the focus (the keys go to the page): Enter, Backspace
    // and Delete in its text are answered here.
    this.onReadOnlyKey = (e) => this.readOnlyKey(e)
    if (!me.can.edit) document.addEventListener('keydown', this.onReadOnlyKey)
    this.onMeta = () => this.renderHeading()
    this.doc.getMap('meta').observe(this.onMeta)
    this.onNotes = () => this.scheduleFootnotes()
    this.doc.getMap('footnotes').observeDeep(this.onNotes)
    this.render()
    this.renderHeading()
  }

  destroy () {
    this.paragraphs.unobserveDeep(this.onStructure)
    document.removeEventListener('keydown', this.onReadOnlyKey)
    this.doc.getMap('meta').unobserve(this.onMeta)
    this.doc.getMap('footnotes').unobserveDeep(this.onNotes)
    for (const v of this.views.values()) v.editor.destroy()
    this.views.clear()
    this.byId.clear()
    this.root.replaceChildren()
  }

  render () {
    const items = this.paragraphs.toArray()
    const labs = labels(items.map((m) => ({ kind: m.get('kind'), level: m.get('level') || 0 })))
    const alive = new Set(items)
    for (const [m, v] of this.views) {
      if (!alive.has(m)) { v.editor.destroy(); v.el.remove(); this.views.delete(m) }
    }
    this.byId.clear()
    // Existing views keep their order (a Y.Array never reorders: a moved paragraph is a
    // new map), so only new views are inserted and no focused element is moved.
    let prev = null
    let lastTop = null
    items.forEach((m, n) => {
      let v = this.views.get(m)
      if (!v) {
        v = this.paragraphView(m, labs[n])
        this.views.set(m, v)
        if (prev) prev.el.after(v.el); else this.body.prepend(v.el)
        v.editor = createEditor({
          container: v.textEl, ytext: m.get('text'), label: labs[n].full, editable: !!this.me.can.edit,
          session: this.session, hooks: this.editorHooks(v)
        })
      }
      const kind = m.get('kind'); const level = m.get('level') || 0
      v.el.className = `para ${kind} level-${kind === 'sub' ? level || 1 : 0}`
      v.el.classList.toggle('part-start', kind === 'op' && lastTop === 'pp')
      if (kind !== 'sub') lastTop = kind
      if (v.label !== labs[n].full) this.relabel(v, labs[n])
      this.byId.set(v.id, v)
      prev = v
    })
    if (this.current && !this.views.has(this.current.map)) this.current = null
    this.updateTools()
    this.renderFootnotes()
    this.hooks.changed()
  }

  paragraphView (m, lab) {
    const v = { map: m, id: m.get('id'), ytext: m.get('text'), label: null, short: null, lastRange: null }
    v.el = el('div', 'para')
    v.el.dataset.id = v.id
    v.labelEl = el('span', 'label')
    v.labelEl.setAttribute('aria-hidden', 'true') // the editor and the buttons carry it
    v.textEl = el('div', 'text')
    v.actions = el('div', 'para-actions')
    v.proposals = el('div', 'proposals')
    v.el.append(v.labelEl, v.textEl, v.actions, v.proposals)
    this.hooks.decorate(v)
    return v
  }

  relabel (v, lab) {
    v.label = lab.full
    v.short = lab.short
    v.labelEl.textContent = lab.short
    if (v.editor) v.editor.setLabel(lab.full)
    for (const b of v.actions.querySelectorAll('button[data-name]')) b.setAttribute('aria-label', `${b.dataset.name} on ${lab.full}`)
    if (this.current === v) this.updateTools()
  }

  editorHooks (v) {
    const s = this.structure
    return {
      selection: (range) => {
        if (!range) return
        // Kept as Y positions, so that the quote of a selection made before someone
        // else's edit is still the words selected.
        v.lastRange = {
          anchor: Y.createRelativePositionFromTypeIndex(v.ytext, range.index),
          head: Y.createRelativePositionFromTypeIndex(v.ytext, range.index + range.length, -1)
        }
        if (this.current !== v) { this.current = v; this.updateTools() }
        this.hooks.selection(v, range)
      },
      enter: (range) => {
        if (!range) return
        clearNotice()
        if (range.length) v.editor.quill.deleteText(range.index, range.length, 'user')
        const added = s.split(v.map, range.index)
        this.focus(added, 0)
      },
      backspaceAtStart: () => {
        clearNotice()
        this.land(v, s.join(v.map))
      },
      deleteAtEnd: () => {
        clearNotice()
        this.land(v, s.joinNext(v.map), v.ytext.length) // refused, the caret stays at the end
      },
      tool: (key) => {
        clearNotice()
        const range = v.editor.quill.getSelection() || { index: 0, length: 0 }
        const ops = {
          ArrowUp: () => s.move(v.map, -1),
          ArrowDown: () => s.move(v.map, +1),
          ArrowRight: () => { s.indent(v.map) },
          ArrowLeft: () => { s.outdent(v.map) }
        }
        const done = ops[key] && ops[key]()
        this.land(v, done, range.index)
      },
      setLead: (range) => {
        if (!range || !range.length) return
        s.setLead(v.map, range.index + range.length)
      }
    }
  }

  // After a structure change from `v`: the caret goes where it says ({map, at}), or the
  // refusal is announced and the caret stays.
  land (v, done, index = 0) {
    if (done && done.refused) {
      const why = this.refusal(v, done)
      if (why) message(why, 'info')
      this.focus(v.map, index)
      return
    }
    this.focus((done && done.map) || v.map, done && done.at != null ? done.at : index)
  }

  // Why a join or a move was not made, in the labels the user sees.
  refusal (v, { refused, with: other }) {
    const label = v.label
    const otherLabel = other && this.views.get(other) ? this.views.get(other).label : ''
    const sub = v.map.get('kind') === 'sub'
    const kind = v.map.get('kind') === 'op' ? 'operative' : 'preambular'
    const otherKind = kind === 'operative' ? 'preambular' : 'operative'
    return {
      parts: `${otherLabel} is not joined with ${label}: a preambular paragraph and an operative one are ` +
        'different parts of the resolution. Make one of them the other kind first.',
      orphan: `${otherLabel} is not joined with ${label}: its subparagraphs would be left without their parent. ` +
        'Outdent or move them first.',
      first: sub ? `${label} is the first subparagraph of its paragraph: outdent it to move it out.` : `${label} is the first paragraph.`,
      last: sub ? `${label} is the last subparagraph of its paragraph: outdent it to move it out.` : `${label} is the last paragraph.`,
      'part-start': `${label} is the first ${kind} paragraph: make it ${otherKind} to move it into the other part.`,
      'part-end': `${label} is the last ${kind} paragraph: make it ${otherKind} to move it into the other part.`
    }[refused] || null
  }

  readOnlyKey (e) {
    if (!['Enter', 'Backspace', 'Delete'].includes(e.key) || e.ctrlKey || e.metaKey || e.altKey) return
    // The proposal form's fields, and Enter on a button, are theirs.
    if (e.target.closest && (e.target.closest('input, textarea, select') || (e.key === 'Enter' && e.target.closest('button')))) return
    const node = getSelection().focusNode
    const para = node && (node.nodeType === 1 ? node : node.parentElement).closest('.para')
    const v = para && this.byId.get(para.dataset.id)
    if (!v || !v.textEl.contains(node)) return
    e.preventDefault()
    const range = v.editor.quill.getSelection()
    const atEnd = range && !range.length && range.index >= v.editor.quill.getLength() - 1
    const atStart = range && !range.length && range.index === 0
    this.refuseReadOnly(v, e.key === 'Enter' ? 'split paragraphs'
      : (e.key === 'Delete' && atEnd) || (e.key === 'Backspace' && atStart) ? 'join paragraphs' : 'change the text')
  }

  // A key that would change the text or the paragraphs in a page that may not.
  refuseReadOnly (v, what) {
    message(`Only penholders and the Secretariat ${what}` +
      (this.me.can.propose ? `: select the words and use "Propose on ${v.label}" instead.` : '.'), 'info')
  }

  // The caret into a paragraph's editor (after a split, join or move).
  focus (map, index) {
    const v = this.views.get(map)
    if (!v) return
    v.editor.quill.focus()
    v.editor.quill.setSelection(index, 0, 'user')
  }

  // Where the caret was in a paragraph, as an index now.
  selectionOf (v) {
    // The browser reports a selection change a task later; a shortcut pressed right after
    // selecting must read the words selected now, so Quill is asked to catch up first
    // (read-only paragraphs included: they hold a selection without the focus).
    if (v.editor) v.editor.quill.getSelection()
    if (!v.lastRange) return null
    const a = Y.createAbsolutePositionFromRelativePosition(v.lastRange.anchor, this.doc)
    const h = Y.createAbsolutePositionFromRelativePosition(v.lastRange.head, this.doc)
    if (!a || !h || a.type !== v.ytext) return null
    return { index: Math.min(a.index, h.index), length: Math.abs(h.index - a.index) }
  }

  // One bar of paragraph tools for penholders and the Secretariat, acting on the paragraph
  // with the caret; each button names it ("Move OP5 up").
  toolbar () {
    const bar = el('div', 'tools')
    bar.setAttribute('role', 'toolbar')
    bar.setAttribute('aria-label', 'Paragraph tools')
    const s = this.structure
    const button = (text, name, run, keys) => {
      const b = el('button', null, text)
      b.type = 'button'
      b.nameOf = name
      if (keys) { b.setAttribute('aria-keyshortcuts', keys); b.title = keys.replace(/\+/g, ' + ') }
      // The caret stays in the paragraph while the button is pressed with a mouse.
      b.addEventListener('mousedown', (e) => e.preventDefault())
      b.addEventListener('click', () => {
        const v = this.current
        if (!v) return
        clearNotice()
        const range = this.selectionOf(v) || { index: 0, length: 0 }
        this.land(v, run(v, range), range.index)
      })
      bar.append(b)
      return b
    }
    this.toolButtons = [
      button('↑', (l) => `Move ${l} up`, (v) => s.move(v.map, -1), 'Alt+Shift+ArrowUp'),
      button('↓', (l) => `Move ${l} down`, (v) => s.move(v.map, +1), 'Alt+Shift+ArrowDown'),
      button('PP ⇄ OP', (l, v) => v.map.get('kind') !== 'op' ? `Make ${l} operative` : `Make ${l} preambular`,
        (v) => { s.toggleKind(v.map) }),
      button('Indent', (l) => `Indent ${l}`, (v) => { s.indent(v.map) }, 'Alt+Shift+ArrowRight'),
      button('Outdent', (l) => `Outdent ${l}`, (v) => { s.outdent(v.map) }, 'Alt+Shift+ArrowLeft'),
      button('Lead', (l) => `Set the lead of ${l}`, (v, r) => { if (r.length) s.setLead(v.map, r.index + r.length) }, 'Control+I'),
      button('Undo', () => 'Undo', () => { this.session.undo.undo() }, 'Control+Z'),
      button('Redo', () => 'Redo', () => { this.session.undo.redo() }, 'Control+Shift+Z')
    ]
    this.toolButtons.slice(6).forEach((b) => b.classList.add('history'))
    return bar
  }

  updateTools () {
    if (!this.toolButtons) return
    const v = this.current
    for (const b of this.toolButtons) {
      const global = b.classList.contains('history')
      b.disabled = !global && !v
      b.setAttribute('aria-label', global || v ? b.nameOf(v && v.label, v) : b.textContent)
    }
  }

  renderHeading () {
    const meta = this.doc.getMap('meta')
    const get = (k) => meta.get(k) || ''
    let sponsors = meta.get('sponsors') || []
    if (typeof sponsors === 'string') { try { sponsors = JSON.parse(sponsors) } catch { sponsors = [sponsors] } }
    this.heading.replaceChildren(
      el('div', 'symbol', get('symbol')),
      el('div', 'session', get('session') ? `Session ${get('session')}` : ''),
      el('div', 'committee', get('committee')),
      el('div', 'agenda', get('agenda_item') ? `Agenda item ${get('agenda_item')}` : ''),
      el('div', 'agenda-title', get('agenda_title')),
      el('div', 'sponsors', sponsors.length ? sponsors.join(', ') + ': draft resolution' : ''),
      el('h1', 'title', get('title'))
    )
  }

  scheduleFootnotes () {
    if (this.footnotesPending) return
    this.footnotesPending = true
    requestAnimationFrame(() => { this.footnotesPending = false; this.renderFootnotes() })
  }

  // Footnote numbers are the order of first reference (docs/sync.md): written into each
  // mark's data-n, and the notes listed below.
  renderFootnotes () {
    const numbers = new Map()
    for (const m of this.paragraphs.toArray()) {
      for (const op of m.get('text').toDelta()) {
        if (op.insert && typeof op.insert === 'object' && op.insert.footnote && !numbers.has(op.insert.footnote)) {
          numbers.set(op.insert.footnote, numbers.size + 1)
        }
      }
    }
    this.footnoteNumbers = numbers
    for (const sup of this.body.querySelectorAll('sup.fn')) {
      const n = String(numbers.get(sup.dataset.fn) || '?')
      if (sup.dataset.n !== n) sup.dataset.n = n
    }
    const notes = this.doc.getMap('footnotes')
    const list = [...numbers].map(([id, n]) => [String(n), notes.get(id) ? notes.get(id).toString() : ''])
    // Run after every change of the text: the notes are rebuilt (and laid out) only when
    // they changed.
    const key = JSON.stringify(list)
    if (key === this.notesShown) return
    this.notesShown = key
    this.notes.replaceChildren(...list.map(([n, words]) => {
      const p = el('p', 'footnote')
      p.append(el('sup', null, n), ' ' + words)
      return p
    }))
  }
}
