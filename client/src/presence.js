// Who else is here and where: the list of people (as the server stamps them: name and
// delegation), and their carets and selections in the paragraphs, in their delegation's
// colour, drawn by quill-cursors over the editor (nothing is written into the document).
import * as Y from 'yjs'
import { el } from './paragraphs.js'

// One colour per delegation (or person without one), the same in every page.
// A delegation's colour, for its cursor and for the text of its suggestions: each of these
// reads at 4.9:1 or more on white, on the page's grey and on its own 12 % tint (an open
// suggestion), where a hue wheel at one lightness fell to 2.4:1 on yellows and greens.
const COLOURS = ['#b3261e', '#a14a00', '#7a5c00', '#2e6b1f', '#00695c', '#1f4fb8',
  '#5b3cc4', '#8e24aa', '#ad1457', '#6d4c41', '#37474f', '#00707a']

export function colourOf (user) {
  const key = (user.delegation || user.name || '').trim().toLowerCase()
  let h = 0
  for (let k = 0; k < key.length; k++) h = (h * 31 + key.charCodeAt(k)) >>> 0
  return COLOURS[h % COLOURS.length]
}

export const displayName = (user) => (user.delegation ? `${user.name} (${user.delegation})` : user.name)

export class Presence {
  constructor ({ awareness, doc, list, draftView, me }) {
    this.awareness = awareness
    this.doc = doc
    this.list = list
    this.draft = draftView
    this.shown = new Map() // client id -> the view its cursor is drawn in
    this.placed = new Map() // client id -> {view, index, length} it was last drawn at
    this.edited = new Set() // the texts changed since the last drawing
    // The server replaces name and delegation with the account's; the page says who it is
    // so that it appears at all.
    awareness.setLocalStateField('user', { name: me.name })
    this.onChange = () => this.schedule()
    awareness.on('change', this.onChange)
    // Placing a caret measures the page (a layout): only those whose place or text changed
    // are placed again, not everyone's at every keystroke.
    this.onDoc = (tr) => {
      for (const type of tr.changed.keys()) if (type instanceof Y.Text) this.edited.add(type)
      this.schedule()
    }
    doc.on('afterTransaction', this.onDoc)
    this.onResize = () => { for (const v of this.draft.views.values()) v.editor.cursors.update() }
    window.addEventListener('resize', this.onResize)
    this.render()
  }

  // The caret of this user, as Y positions in a paragraph's text (or none). Sent only
  // when it is another place: every change of the local state is a message relayed to
  // everyone in the room.
  setLocal (ytext, range) {
    const cursor = range && {
      anchor: Y.createRelativePositionFromTypeIndex(ytext, range.index),
      head: Y.createRelativePositionFromTypeIndex(ytext, range.index + range.length)
    }
    const was = this.awareness.getLocalState()?.cursor
    const same = (a, b) => Y.compareRelativePositions(Y.createRelativePositionFromJSON(a), b)
    if (!cursor ? was === null : was && same(was.anchor, cursor.anchor) && same(was.head, cursor.head)) return
    this.awareness.setLocalStateField('cursor', cursor || null)
  }

  schedule () {
    if (this.pending) return
    this.pending = true
    requestAnimationFrame(() => { this.pending = false; this.render() })
  }

  render () {
    const aw = this.awareness
    const others = []
    const byText = new Map()
    for (const v of this.draft.views.values()) byText.set(v.ytext, v)
    const seen = new Set()
    aw.getStates().forEach((s, clientId) => {
      if (clientId === aw.clientID || !s.user) return
      others.push(s.user)
      const id = String(clientId)
      let view = null; let range = null
      if (s.cursor) {
        try {
          const a = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(s.cursor.anchor), this.doc)
          const h = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(s.cursor.head), this.doc)
          if (a && h && a.type === h.type) {
            view = byText.get(a.type) || null
            range = { index: Math.min(a.index, h.index), length: Math.abs(h.index - a.index) }
          }
        } catch { view = null } // a malformed position from some other client: no cursor
      }
      const was = this.shown.get(clientId)
      if (was && was !== view && this.draft.views.has(was.map)) was.editor.cursors.removeCursor(id)
      if (view) {
        seen.add(clientId)
        this.shown.set(clientId, view)
        const cursor = view.editor.cursors.createCursor(id, displayName(s.user), colourOf(s.user))
        const at = this.placed.get(clientId)
        const moved = !at || at.view !== view || at.index !== range.index || at.length !== range.length
        if (cursor && (moved || this.edited.has(view.ytext))) {
          view.editor.cursors.moveCursor(id, range)
          this.placed.set(clientId, { view, ...range })
        }
      } else { this.shown.delete(clientId); this.placed.delete(clientId) }
    })
    for (const [clientId, v] of this.shown) {
      if (!seen.has(clientId)) {
        if (this.draft.views.has(v.map)) v.editor.cursors.removeCursor(String(clientId))
        this.shown.delete(clientId)
        this.placed.delete(clientId)
      }
    }
    this.edited.clear()
    const items = others.map((u) => {
      const li = el('li', null, displayName(u))
      li.style.setProperty('--who', colourOf(u))
      return li
    })
    const same = this.list.children.length === items.length &&
      items.every((li, k) => this.list.children[k].textContent === li.textContent)
    if (!same) this.list.replaceChildren(...items)
  }

  destroy () {
    this.awareness.off('change', this.onChange)
    this.doc.off('afterTransaction', this.onDoc)
    window.removeEventListener('resize', this.onResize)
  }
}
