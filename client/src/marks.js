// Editorial checks and agreed language drawn on the words of the live editors, behind two
// switches ("Show editorial checks", "Show agreed language"), from
// GET /api/drafts/{id}/checks (docs/library.md). The marks are CSS custom highlights over
// DOM ranges of each editor: nothing is added to the editors' contents and nothing is
// written to the Y.Text (a Quill format would be, by y-quill), so what they draw can never
// reach the shared document. Highlights are not read by screen readers: each paragraph with
// marks gets a list under its text (the editor's description) saying what each mark is,
// with a button that selects its words, and the count is announced when a switch is turned on.
import { api } from './api.js'
import { el } from './paragraphs.js'
import { readParagraph } from './redline.js'
import { message } from './status.js'
import { proposeWording } from './agreed.js'

const where = (s) => `${s.symbol} ${s.label} (${s.date || s.adopted_on || 'date unknown'})`
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

// What each switch draws: from the checks' answer, per paragraph id (or "footnote N"), the
// notes to list under it ({spans, highlight, text, rule, badge?, update?, references?}).
export const LAYERS = {
  checks: {
    name: 'Show editorial checks',
    checking: 'Checking the editorial rules…',
    store: 'penholder.marks.checks',
    query: '',
    pause: 700, // after the last keystroke: a check of the whole draft is a few ms on the server
    highlights: ['check'],
    listName: (label) => `Editorial checks on ${label}`,
    notes (body) {
      const out = new Map()
      const moved = new Map((body.reference_updates || []).map((u) => [u.paragraph_id, u]))
      for (const f of body.findings) {
        // a finding in a footnote's text is keyed by its label, "footnote 4"
        const key = f.paragraph_id || (/^footnote \d+$/.test(f.label) ? f.label : null)
        if (!key || !f.span) continue
        if (!out.has(key)) out.set(key, [])
        const note = { spans: [f.span], highlight: 'check', rule: f.rule, badge: f.rule, text: f.message }
        if (f.rule === 'reference' && moved.has(f.paragraph_id)) note.references = moved.get(f.paragraph_id)
        out.get(key).push(note)
      }
      return out
    },
    summary (body) {
      const inText = body.findings.filter((f) => f.paragraph_id)
      const inNotes = body.findings.filter((f) => !f.paragraph_id && /^footnote \d+$/.test(f.label))
      const paras = new Set(inText.map((f) => f.paragraph_id)).size
      if (!body.count) return 'Editorial checks: no finding, nothing to mark.'
      return `Editorial checks: ${plural(inText.length, 'finding')} marked in ${plural(paras, 'paragraph')}` +
        (inNotes.length ? `, ${inNotes.length} in ${plural(new Set(inNotes.map((f) => f.label)).size, 'footnote')}.` : '.')
    }
  },
  agreed: {
    name: 'Show agreed language',
    checking: 'Searching each paragraph in the library…',
    store: 'penholder.marks.agreed',
    query: '?agreed=true',
    pause: 2500, // a library search per paragraph: asked again only once the typing stops
    highlights: ['agreed', 'superseded', 'near', 'new'],
    listName: (label) => `Agreed language of ${label}`,
    notes (body) {
      const out = new Map()
      for (const x of body.agreed_language || []) {
        const text = {
          agreed: () => `Agreed language: ${where(x.source)}.`,
          superseded: () => `Superseded: cites ${where(x.source)}, reworded since in ${where(x.newer)}. Marked: the words the later resolution changed.`,
          near: () => `Departs from agreed language: ${where(x.source)}, ${Math.round(x.source.similarity * 100)} % alike. Marked: the words it does not hold.`,
          new: () => 'New language: no adopted resolution holds this wording or one close to it.'
        }[x.status]
        if (!text || !(x.spans || []).length) continue
        out.set(x.paragraph_id, [{ spans: x.spans, highlight: x.status, rule: x.status, text: text(), update: x.update, newer: x.newer }])
      }
      return out
    },
    summary (body) {
      const all = body.agreed_language || []
      const count = (s) => all.filter((x) => x.status === s).length
      return `Agreed language: ${count('agreed')} of ${plural(all.length, 'paragraph')} as adopted, ` +
        `${count('superseded')} superseded, ${count('near')} near, ${count('new')} new.`
    }
  }
}

// The text nodes of an editor, as the REST API reads its text (footnote marks are not
// characters), of a paragraph drawn as a redline (suggestions.js: the words suggested
// for insertion and the anchors of suggestions that lost their quote are not in the text;
// the words suggested for deletion are), or of a footnote below the text (its number is
// not either), with where each starts.
function textNodes (root) {
  const nodes = []
  let text = ''
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => n.parentElement.closest('sup, ins, .lost-anchors') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT
  })
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push({ node: n, at: text.length })
    text += n.data
  }
  return { nodes, text }
}

// DOM ranges over the characters [start, end) of an editor's text; null when the editor
// does not show `expected` (it changed since the checks were made).
export function rangesOf (root, expected, spans) {
  const { nodes, text } = textNodes(root)
  if (text !== expected) return null
  const point = (offset, isEnd) => {
    const hit = nodes.find(({ node, at }) => isEnd ? offset > at && offset <= at + node.data.length : offset >= at && offset < at + node.data.length)
    return hit ? [hit.node, offset - hit.at] : null
  }
  const out = []
  for (const [start, end] of spans) {
    const a = point(start, false)
    const b = point(end, true)
    if (!a || !b || end <= start) continue
    const r = new Range()
    r.setStart(...a)
    r.setEnd(...b)
    out.push(r)
  }
  return out
}

// A text offset (footnote marks not counted) as an index in the paragraph's editor.
function indexOf (notes, offset, isEnd) {
  return offset + notes.filter((n) => isEnd ? n.at < offset : n.at <= offset).length
}

// The edits that make `to` of `from`, a word (or a run of spaces) at a time, as
// [{at, length, insert}] in `from`'s offsets, first to last: the words of a longest common
// subsequence stay, each run of other words is replaced.
export function wordEdits (from, to) {
  const words = (s) => s.match(/\s+|[^\s]+/g) || []
  const x = words(from); const y = words(to)
  // common[i][j]: the longest common subsequence of x from i and y from j, in words.
  const common = Array.from({ length: x.length + 1 }, () => new Array(y.length + 1).fill(0))
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      common[i][j] = x[i] === y[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1])
    }
  }
  const edits = []
  let edit = null
  let i = 0; let j = 0; let at = 0
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      if (edit) { edits.push(edit); edit = null }
      at += x[i].length; i++; j++
      continue
    }
    if (!edit) edit = { at, length: 0, insert: '' }
    if (j < y.length && (i === x.length || common[i][j + 1] >= common[i + 1][j])) {
      edit.insert += y[j]; j++
    } else {
      edit.length += x[i].length; at += x[i].length; i++
    }
  }
  if (edit) edits.push(edit)
  // A run that ends with the space before it ("the |ongoing management by the |Office")
  // is the same edit begun a space earlier ("the| ongoing management by the| Office"):
  // so begun, a footnote mark among its words stays right after the word before it.
  for (const e of edits) {
    while (e.at > 0 && /\s/.test(from[e.at - 1]) && from[e.at + e.length - 1] === from[e.at - 1] &&
           (!e.insert || e.insert.endsWith(from[e.at - 1]))) {
      const space = from[e.at - 1]
      e.at--
      if (e.insert) e.insert = space + e.insert.slice(0, -1)
    }
  }
  return edits
}

export class Marks {
  // layer: one of LAYERS; toggle: its switch; proposals: for "propose the later wording".
  constructor ({ layer, me, draftId, draftView, proposals, toggle }) {
    Object.assign(this, { layer, me, draftId, draft: draftView, proposals, toggle })
    this.paragraphs = draftView.doc.getArray('paragraphs')
    this.body = null // the last answer, and the paragraphs' texts it was made on
    this.texts = new Map()
    this.lists = new Map() // target id -> {t, ul, sig}: its list, and what it says
    this.asked = 0
    this.announce = false
    this.on = localStorage.getItem(layer.store) === 'on'
    this.changed = () => this.schedule()
    this.paragraphs.observeDeep(this.changed)
    this.footnotes = draftView.doc.getMap('footnotes')
    this.footnotes.observeDeep(this.changed)
    this.onToggle = () => this.setOn(!this.on)
    toggle.addEventListener('click', this.onToggle)
    toggle.hidden = false
    toggle.setAttribute('aria-checked', String(this.on))
    if (this.on) this.fetch()
  }

  destroy () {
    this.on = false // an answer still on its way draws nothing and asks nothing more
    this.asked++
    clearTimeout(this.timer)
    this.paragraphs.unobserveDeep(this.changed)
    this.footnotes.unobserveDeep(this.changed)
    this.toggle.removeEventListener('click', this.onToggle)
    this.toggle.hidden = true
    this.clear()
  }

  setOn (on) {
    this.on = on
    localStorage.setItem(this.layer.store, on ? 'on' : 'off')
    this.toggle.setAttribute('aria-checked', String(on))
    if (on) { this.announce = true; this.fetch(); return }
    this.again = false
    this.asked++
    clearTimeout(this.timer)
    this.body = null
    this.clear()
  }

  // A change of the text: the marks of a changed paragraph go at once (their offsets no
  // longer hold), the checks are asked again once the changes pause.
  schedule () {
    if (!this.on) return
    if (!this.pending) {
      this.pending = true
      requestAnimationFrame(() => { this.pending = false; this.draw() })
    }
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.fetch(), this.layer.pause)
  }

  currentTexts () {
    const out = new Map()
    for (const v of this.draft.views.values()) out.set(v.id, readParagraph(v.ytext).text)
    for (const [label, text] of this.footnoteTexts()) out.set(label, text)
    return out
  }

  // "footnote 4" -> its text, numbered as the page and the server number them (docs/sync.md).
  footnoteTexts () {
    const notes = this.draft.doc.getMap('footnotes')
    return [...this.draft.footnoteNumbers].map(([id, n]) => [`footnote ${n}`, notes.get(id) ? notes.get(id).toString() : ''])
  }

  // One request at a time: changes made while one runs ask again when it has answered
  // (a check of agreed language costs the server a search per paragraph).
  async fetch () {
    if (this.inflight) { this.again = true; return }
    this.inflight = true
    try {
      await this.ask()
    } finally {
      this.inflight = false
      if (this.again && this.on) { this.again = false; this.fetch() }
    }
  }

  async ask () {
    const mine = ++this.asked
    const before = this.currentTexts()
    if (this.announce) message(this.layer.checking, 'info')
    let body
    try {
      body = await api(`/api/drafts/${this.draftId}/checks${this.layer.query}`)
    } catch (e) {
      if (mine === this.asked) message(`${this.layer.name}: ${e.message}`)
      return
    }
    if (mine !== this.asked || !this.on) return
    this.body = body
    // A paragraph changed while the checks were made is drawn at the next answer.
    const after = this.currentTexts()
    this.texts = new Map([...before].filter(([id, t]) => after.get(id) === t))
    this.draw()
    if (this.announce) { this.announce = false; message(this.layer.summary(body), 'info') }
  }

  clear () {
    for (const name of this.layer.highlights) if (window.CSS && CSS.highlights) CSS.highlights.delete(`penholder-${name}`)
    for (const drawn of this.lists.values()) this.unlist(drawn)
    this.lists.clear()
  }

  unlist ({ t, ul }) {
    ul.remove()
    if (t.view) this.describe(t.view, ul.id, false)
  }

  // The list is the description of the paragraph's editor, and of its redline if drawn.
  describe (v, id, on) {
    const roots = [v.editor && v.editor.quill.root, v.redline && v.redline.isConnected ? v.redline : null].filter(Boolean)
    for (const root of roots) {
      const ids = new Set((root.getAttribute('aria-describedby') || '').split(' ').filter(Boolean))
      if (on) ids.add(id); else ids.delete(id)
      if (ids.size) root.setAttribute('aria-describedby', [...ids].join(' '))
      else root.removeAttribute('aria-describedby')
    }
  }

  // The highlights are made again from the DOM each time; a list is kept while what it
  // says and where it stands are the same (typing in one paragraph rebuilds no other's).
  draw () {
    if (!this.on || !this.body) { this.clear(); return }
    const active = document.activeElement
    const refocus = active && active.closest && active.closest('ul.marks') ? active.getAttribute('aria-label') : null
    const notes = this.layer.notes(this.body)
    const ranges = new Map(this.layer.highlights.map((n) => [n, []]))
    const current = this.currentTexts()
    const lists = new Map()
    for (const t of this.targets()) {
      const list = notes.get(t.id)
      const expected = this.texts.get(t.id)
      if (!list || expected === undefined || current.get(t.id) !== expected) continue
      const drawn = list.map((note) => ({ note, ranges: rangesOf(t.root, t.shown(expected), note.spans.map(t.shift)) }))
      if (drawn.some((d) => !d.ranges)) continue // the page shows other words than the checks read
      for (const d of drawn) ranges.get(d.note.highlight).push(...d.ranges)
      // A redline is drawn again at each change: it is described by the list each time.
      const sig = JSON.stringify([t.label, expected, list])
      const old = this.lists.get(t.id)
      if (old && old.sig === sig && (t.view ? old.t.view === t.view : old.t.root === t.root) && old.ul.isConnected && old.ul.parentNode === t.after.parentNode) {
        lists.set(t.id, { ...old, t })
        if (t.redline) this.describe(t.view, old.ul.id, true)
        continue
      }
      const ul = this.list(t, drawn.map((d) => d.note), expected)
      if (old) { this.unlist(old); this.lists.delete(t.id) }
      t.after.after(ul)
      if (t.view) this.describe(t.view, ul.id, true)
      lists.set(t.id, { t, ul, sig })
    }
    for (const [id, old] of this.lists) if (!lists.has(id)) this.unlist(old)
    this.lists = lists
    if (refocus && !document.activeElement.closest('ul.marks')) {
      const again = [...lists.values()].map(({ ul }) => [...ul.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === refocus)).find(Boolean)
      if (again) again.focus()
    }
    if (!(window.CSS && CSS.highlights)) return
    for (const name of this.layer.highlights) CSS.highlights.delete(`penholder-${name}`)
    for (const [name, rs] of ranges) if (rs.length) CSS.highlights.set(`penholder-${name}`, new Highlight(...rs))
  }

  // What marks are drawn on: each paragraph's editor, or its redline where "Show
  // suggestions" draws it in the editor's place (the same words, with the suggested ones
  // besides), and each footnote below the text (its number, then a space, then its text).
  targets () {
    const same = (x) => x
    const out = [...this.draft.views.values()].map((v) => {
      const redline = v.redline && v.redline.isConnected && v.textEl.hidden ? v.redline : null
      return {
        id: v.id, label: v.label, root: redline || v.editor.quill.root, after: v.textEl, view: v, redline, shown: same, shift: same,
        select: (a, b) => redline ? this.selectIn(redline, readParagraph(v.ytext).text, a, b) : this.select(v, a, b)
      }
    })
    for (const p of this.draft.notes.querySelectorAll('p.footnote')) {
      const sup = p.querySelector('sup')
      if (!sup) continue
      const label = `footnote ${sup.textContent}`
      out.push({
        id: label, label, root: p, after: p, view: null, shown: (t) => ` ${t}`, shift: ([a, b]) => [a + 1, b + 1],
        select: (a, b) => this.selectIn(p, textNodes(p).text.slice(1), a, b, 1)
      })
    }
    return out
  }

  // The text alternative of a paragraph's marks: one item per mark, its words as a button
  // that selects them in the editor, and what the mark says.
  list (t, notes, text) {
    const v = t.view
    const ul = el('ul', `marks marks-${this.layer.highlights[0]}`)
    ul.id = `marks-${this.layer.highlights[0]}-${t.id.replace(/\s/g, '-')}`
    ul.setAttribute('aria-label', this.layer.listName(t.label))
    for (const note of notes) {
      const li = el('li', `mark ${note.highlight}`)
      li.dataset.rule = note.rule
      if (note.badge) li.append(el('span', 'badge', note.badge), ' ')
      for (const [a, b] of note.spans) {
        if (b <= a || (!text.slice(0, a).trim() && !/[^\W_]/.test(text.slice(b)))) continue // no words, or the whole paragraph
        const words = text.slice(a, b)
        const short = words.length > 60 ? `${words.slice(0, 57)}…` : words
        // Where the words are shown at the click (a redline is drawn anew at each change).
        const select = () => { const now = this.lists.get(t.id); (now ? now.t : t).select(a, b) }
        li.append(this.button(`“${short}”`, `Select “${short}” in ${t.label}`, select, 'words'), ' ')
      }
      li.append(note.text)
      if (note.update && v) this.updateActions(li, v, note, text)
      if (note.references && this.me.can.renumber) {
        li.append(' ', this.button('Update the references', `Update the references moved since the last revision (${note.references.reason})`,
          (e) => this.updateReferences(e.currentTarget)))
      }
      ul.append(li)
    }
    return ul
  }

  button (text, name, run, cls) {
    const b = el('button', cls || null, text)
    b.type = 'button'
    b.setAttribute('aria-label', name)
    b.addEventListener('click', run)
    return b
  }

  // The words [a, b) of a text drawn outside an editor (a redline, a footnote), selected;
  // `shift`: the characters drawn before the text.
  selectIn (root, text, a, b, shift = 0) {
    const [r] = rangesOf(root, ' '.repeat(shift) + text, [[a + shift, b + shift]]) || []
    if (!r) return
    getSelection().removeAllRanges()
    getSelection().addRange(r)
    root.scrollIntoView({ block: 'center' })
  }

  select (v, a, b) {
    const { notes } = readParagraph(v.ytext)
    const from = indexOf(notes, a, false)
    v.editor.quill.setSelection(from, indexOf(notes, b, true) - from, 'user')
  }

  // A paragraph that cites superseded text, brought to the later wording: the words that
  // changed replaced at once by those who edit (one undo step), proposed by those who propose.
  updateActions (li, v, note, text) {
    const { span: [a, b], text: wording, lead } = note.update
    const cite = `${note.newer.symbol} ${note.newer.label}`
    if (this.me.can.edit) {
      li.append(' ', this.button('Update', `Update ${v.label} to the wording of ${cite}`, () => this.rewrite(v, a, b, wording, text, lead)))
    } else if (this.me.can.propose && this.proposals) {
      li.append(' ', this.button('Propose the update', `Propose the wording of ${cite} on ${v.label}`,
        () => proposeWording(this.proposals, v, text.slice(a, b), wording)))
    }
  }

  // `lead`: the opening italic run of the new wording, when it rewrites the paragraph's
  // opening. Only the words that differ are replaced (wordEdits), so that a footnote mark
  // among the words to update stays where it is: after the word it follows when that word
  // stays, else after the new words that replace the ones around it (docs/library.md).
  rewrite (v, a, b, wording, text, lead) {
    const now = readParagraph(v.ytext)
    if (now.text !== text) { message(`${v.label} changed since it was checked: the update waits for the next check.`, 'info'); return }
    const edits = wordEdits(text.slice(a, b), wording).map((e) => ({ ...e, at: e.at + a }))
    // One transaction under the page's own origin, between two stops of the undo manager's
    // capture: one undo step. The lead is set here too (the lead rule of the editor would
    // take the italics off words put in at the start).
    const { doc, local, undo } = this.draft.session
    const italic = lead && wording.startsWith(lead) ? lead.length : 0
    const index = (offset, isEnd) => indexOf(now.notes, offset, isEnd)
    undo.stopCapturing()
    doc.transact(() => {
      for (const { at, length, insert } of edits.reverse()) { // the last first: the offsets before it hold
        // The words deleted, each run between two footnote marks on its own, the marks kept.
        const cuts = [at, ...now.notes.map((n) => n.at).filter((x) => x > at && x < at + length), at + length]
        for (let k = cuts.length - 2; k >= 0; k--) {
          const from = index(cuts[k], false)
          const to = index(cuts[k + 1], true)
          if (to > from) v.ytext.delete(from, to - from)
        }
        if (insert) v.ytext.insert(index(at, false), insert, { italic: null })
      }
      const after = readParagraph(v.ytext).notes
      const from = index(a, false)
      const to = indexOf(after, a + wording.length, true)
      if (to > from) v.ytext.format(from, to - from, { italic: null })
      if (italic) v.ytext.format(0, indexOf(after, italic, true), { italic: true })
    }, local)
    undo.stopCapturing()
    v.editor.quill.setSelection(indexOf(readParagraph(v.ytext).notes, a + wording.length, false), 0, 'user')
    message(`${v.label} updated to the later wording (Undo takes it back).`, 'info')
  }

  async updateReferences (button) {
    button.disabled = true
    try {
      const out = await api(`/api/drafts/${this.draftId}/checks/references`, { method: 'POST' })
      message(`References updated as a technical change in ${plural(out.applied.length, 'paragraph')}.`, 'info')
    } catch (e) {
      message(`The references were not updated: ${e.message}`)
      button.disabled = false
    }
  }
}
