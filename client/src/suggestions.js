// Pending proposals drawn in the text, as word processors draw suggestions: words put in
// underlined, words taken out struck through, a new paragraph as an inserted paragraph, a
// move as moved-from and moved-to, in the sponsoring delegation's colour (the colour of
// its carets). A paragraph with suggestions is shown as a redline (redline.js) in place of
// its editor while the switch is on: the page draws it from the Y.Text and the
// `proposals` map and never writes either (no Quill format, which y-quill would sync).
// Clicking or focusing a suggestion opens its card (card.js).
import { drawRedline, findOnce, readParagraph } from './redline.js'
import { colourOf } from './presence.js'
import { SuggestionCard } from './card.js'
import { el } from './paragraphs.js'
import { message } from './status.js'

const STORE_KEY = 'penholder.suggestions'

export class Suggestions {
  // toggle: the switch (a button with role "switch"); synced(): whether the server's
  // state has arrived (before it, a proposal asked for may still be on its way).
  constructor ({ doc, me, draftId, draftView, toggle, synced }) {
    this.doc = doc
    this.me = me
    this.draft = draftView
    this.toggle = toggle
    this.synced = synced
    this.map = doc.getMap('proposals')
    this.paragraphs = doc.getArray('paragraphs')
    this.on = localStorage.getItem(STORE_KEY) === 'on'
    this.wanted = null // a proposal number to focus once it is drawn (#proposal=N)
    this.marked = new Set() // the views shown as redlines
    this.onRender = null // called after each drawing (marks.js draws on the redlines)
    this.blocks = [] // inserted and moved-to paragraphs, outside the views
    this.card = new SuggestionCard({ me, draftId, root: draftView.root, onClose: (n) => this.refocus(n) })
    this.schedule = this.schedule.bind(this)
    this.map.observe(this.schedule)
    this.paragraphs.observeDeep(this.schedule)
    this.onToggle = () => this.setOn(!this.on)
    toggle.addEventListener('click', this.onToggle)
    toggle.hidden = false
    this.showToggle()
    this.render()
  }

  destroy () {
    this.map.unobserve(this.schedule)
    this.paragraphs.unobserveDeep(this.schedule)
    this.toggle.removeEventListener('click', this.onToggle)
    this.toggle.hidden = true
    this.card.close(false)
    this.card.destroy()
    this.clear()
  }

  setOn (on) {
    this.on = on
    localStorage.setItem(STORE_KEY, on ? 'on' : 'off')
    this.showToggle()
    if (!on) this.card.close(false)
    this.render()
  }

  showToggle () {
    this.toggle.setAttribute('aria-checked', String(this.on))
    document.body.classList.toggle('suggestions', this.on)
  }

  // Focus a proposal's suggestion and open its card (a console row's link lands here).
  show (number) {
    this.wanted = number
    if (!this.on) this.setOn(true); else this.render()
  }

  schedule () {
    if (this.pending) return
    this.pending = true
    requestAnimationFrame(() => { this.pending = false; this.render() })
  }

  clear () {
    for (const v of this.marked) {
      if (v.redline) v.redline.remove()
      v.redline = null
      v.textEl.hidden = false
    }
    this.marked.clear()
    for (const b of this.blocks) b.remove()
    this.blocks = []
  }

  render () {
    if (!this.on && !this.marked.size && !this.blocks.length && this.card.number == null) return
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('.suggestion[data-number]')
    const focusNumber = focused ? focused.dataset.number : null
    this.clear()
    const pending = [...this.map.values()].sort((a, b) => a.number - b.number)
    if (this.on) this.draw(pending)
    if (this.onRender) this.onRender()
    if (focusNumber) this.refocus(focusNumber)
    const open = this.card.number
    if (open != null) {
      const p = pending.find((x) => String(x.number) === String(open))
      if (!p || !this.on) this.card.close(!!p, p ? null : `No. ${open} is no longer pending.`)
      else this.card.update(p, this.markOf(p.number))
    }
    if (this.wanted != null && this.on) {
      const p = pending.find((x) => x.number === this.wanted)
      const mark = p && this.markOf(p.number)
      if (mark) {
        this.wanted = null
        mark.scrollIntoView({ block: 'center' })
        mark.focus()
        this.card.open(p, mark)
      } else if (this.synced()) {
        message(`No. ${this.wanted} is not pending: it is not drawn in the text.`, 'info')
        this.wanted = null
      }
    }
  }

  markOf (number) {
    return this.draft.root.querySelector(`.suggestion[data-number="${number}"][role="button"]`)
  }

  // Focus back on a suggestion (after a redraw, or from its closed card) without
  // opening its card again: only the user's own focus opens it.
  refocus (number) {
    const mark = this.markOf(number)
    if (!mark) return
    this.refocusing = true
    try { mark.focus() } finally { this.refocusing = false }
  }

  // The views in the page's order, with each paragraph's block (itself and its subparagraphs).
  order () {
    const items = this.paragraphs.toArray()
    const views = items.map((m) => this.draft.views.get(m)).filter(Boolean)
    const blockOf = (id) => {
      const n = views.findIndex((v) => v.id === id)
      if (n < 0) return []
      const out = [views[n]]
      for (let k = n + 1; k < views.length && views[k].map.get('kind') === 'sub'; k++) out.push(views[k])
      return out
    }
    return { views, blockOf }
  }

  draw (pending) {
    const { views, blockOf } = this.order()
    const marks = new Map() // view -> [mark]
    const add = (v, m) => { if (!marks.has(v)) marks.set(v, []); marks.get(v).push(m) }
    const blocks = [] // {place: [node, 'after'|'before'], p, text, moved}
    const placeOf = (position) => {
      if (position && position.startsWith('after:')) {
        const block = blockOf(position.slice(6))
        return block.length ? [block[block.length - 1].el, 'after'] : null
      }
      const kind = position === 'start:preamble' ? 'pp' : 'op'
      const first = views.find((v) => v.map.get('kind') === kind)
      if (first) return [first.el, 'before']
      return views.length ? [views[views.length - 1].el, 'after'] : null
    }
    for (const p of pending) {
      const op = p.operation
      if (op === 'add_paragraph' || op === 'move_paragraph') {
        const place = placeOf(p.position)
        const moving = op === 'move_paragraph' ? blockOf(p.paragraph_id) : []
        if (place) blocks.push({ place, p, moved: op === 'move_paragraph', from: moving[0] })
        for (const v of moving) add(v, { p, at: 0, length: readParagraph(v.ytext).text.length, moved: true })
        continue
      }
      const block = blockOf(p.paragraph_id)
      const v = block[0]
      if (!v) continue
      if (op === 'delete_paragraph') {
        for (const w of block) add(w, { p, at: 0, length: readParagraph(w.ytext).text.length })
        continue
      }
      const base = readParagraph(v.ytext)
      if (op === 'change_lead') { add(v, { p, at: 0, length: base.lead, insert: p.new_text || '' }); continue }
      const at = findOnce(base.text, p.target_text)
      const len = (p.target_text || '').length
      if (at < 0) add(v, { p, at: base.text.length, length: 0, insert: '', lost: true })
      else if (op === 'replace_text') add(v, { p, at, length: len, insert: p.new_text || '' })
      else if (op === 'insert_text') add(v, { p, at: p.position === 'before' ? at : at + len, length: 0, insert: p.new_text || '' })
      else if (op === 'delete_text') add(v, { p, at, length: len })
    }
    const firstPart = new Set()
    const wrap = (m, kind, node) => this.part(m, kind, node, firstPart)
    for (const v of views) {
      if (!marks.has(v)) continue
      // Someone typing in this paragraph keeps their editor: the redline takes its place
      // once they leave it.
      if (v.textEl.contains(document.activeElement)) {
        v.textEl.addEventListener('focusout', this.schedule, { once: true })
        continue
      }
      const list = marks.get(v)
      const redline = el('div', 'redline')
      redline.setAttribute('role', 'group')
      redline.setAttribute('aria-label', `${v.label} with suggestions`)
      redline.append(drawRedline(readParagraph(v.ytext), list.filter((m) => !m.lost), { wrap, footnote: (id) => this.footnote(id) }))
      // A quote no longer in the paragraph: the suggestion is shown where it cannot be
      // drawn in the words, at the paragraph's end, so that its card stays reachable.
      // (Apart from the paragraph's words, which marks.js highlights in the redline.)
      const lost = list.filter((x) => x.lost)
      if (lost.length) {
        const anchors = el('span', 'lost-anchors')
        for (const m of lost) anchors.append(' ', this.part(m, 'lost', el('span', 'lost-anchor', `[No. ${m.p.number}]`), firstPart))
        redline.append(anchors)
      }
      v.textEl.hidden = true
      v.textEl.after(redline)
      v.redline = redline
      this.marked.add(v)
    }
    for (const b of blocks) {
      const div = el('div', 'suggested-para' + (b.moved ? ' moved' : ''))
      const what = b.moved ? `${b.from ? b.from.label : 'A paragraph'} moved here` : 'New paragraph'
      div.setAttribute('role', 'group')
      div.setAttribute('aria-label', `${what} (No. ${b.p.number})`)
      div.append(el('span', 'suggested-label', b.moved ? 'moved' : 'new'))
      // The moved paragraph's words as they stand (lead, footnote marks), all put in.
      const ins = el('ins', null, b.moved ? null : b.p.new_text || '')
      if (b.moved && b.from) ins.append(drawRedline(readParagraph(b.from.ytext), [], { footnote: (id) => this.footnote(id) }))
      div.append(this.part({ p: b.p, movedTo: b.moved }, 'ins', ins, firstPart))
      const [node, side] = b.place
      node[side](div)
      this.blocks.push(div)
    }
  }

  footnote (id) {
    const sup = el('sup', 'fn')
    sup.dataset.fn = id
    sup.dataset.n = String(this.draft.footnoteNumbers.get(id) || '?')
    return sup
  }

  // One drawn part of a suggestion: the first part of each proposal is its keyboard stop
  // (a button named by the proposal), the others answer a click only.
  part (m, kind, node, firstPart) {
    const p = m.p
    const stale = p.stale || m.lost
    const span = el('span', `suggestion ${kind}${m.moved || m.movedTo ? ' moved' : ''}${stale ? ' stale' : ''}${m.lost ? ' lost' : ''}`)
    span.dataset.number = p.number
    span.style.setProperty('--who', colourOf({ delegation: p.sponsor }))
    span.append(node)
    if (!firstPart.has(p.number)) {
      firstPart.add(p.number)
      span.tabIndex = 0
      span.setAttribute('role', 'button')
      span.setAttribute('aria-haspopup', 'dialog')
      span.setAttribute('aria-expanded', String(this.card.number === p.number))
      span.setAttribute('aria-label', `No. ${p.number}, ${p.sponsor}: ${p.summary}${stale ? ' (stale)' : ''}`)
      span.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); this.openCard(p.number, span, true) }
      })
      span.addEventListener('focus', () => { if (!this.refocusing) this.openCard(p.number, span) })
    }
    span.title = `No. ${p.number} (${p.sponsor})`
    span.addEventListener('click', (e) => { e.stopPropagation(); this.openCard(p.number, this.markOf(p.number) || span) })
    return span
  }

  openCard (number, mark, focusInside = false) {
    const p = [...this.map.values()].find((x) => x.number === Number(number))
    if (p) this.card.open(p, mark, focusInside)
  }
}
