// A suggestion's card: number, sponsor, co-sponsors, rationale, status and staleness, and
// the actions the user's role allows, through the REST routes the summaries and the
// console use. Nothing is drawn from a response: the server rewrites the `proposals` map
// and every page redraws from it (this card too, through update()).
import { api } from './api.js'
import { el } from './paragraphs.js'
import { message } from './status.js'
import { cosponsorsOf, sameDelegation } from './proposals.js'

const OPERATION = {
  replace_text: 'Replacement', insert_text: 'Insertion', delete_text: 'Deletion', change_lead: 'New lead',
  add_paragraph: 'New paragraph', delete_paragraph: 'Paragraph deleted', move_paragraph: 'Paragraph moved'
}
const PAST = { accept: 'accepted', reject: 'rejected', withdraw: 'withdrawn' }

export class SuggestionCard {
  // root: the element the card floats in; onClose(number): where focus goes back to.
  constructor ({ me, draftId, root, onClose }) {
    this.me = me
    this.draftId = draftId
    this.root = root
    this.onClose = onClose
    this.number = null
    this.p = null
    this.record = null // the amendment as GET /api/amendments/{id} reads it (rationale, status)
    this.confirming = null // 'accept' | 'reject' | 'withdraw' while its note is being typed
    this.el = el('section', 'suggestion-card')
    this.el.id = 'suggestion-card'
    this.el.setAttribute('role', 'dialog')
    this.el.hidden = true
    this.el.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); this.close(true) } })
    this.onResize = () => this.place()
    window.addEventListener('resize', this.onResize)
  }

  open (p, mark, focusInside = false) {
    const same = this.number === p.number
    this.number = p.number
    this.mark = mark
    if (!same) {
      this.confirming = null
      this.record = null
      this.fetch(p)
    }
    if (!this.el.isConnected) this.root.append(this.el)
    this.el.hidden = false
    this.update(p, mark)
    if (focusInside) (this.el.querySelector('button.act') || this.el.querySelector('button')).focus()
  }

  async fetch (p) {
    try {
      const record = await api(`/api/amendments/${p.id}`)
      if (this.number !== p.number) return
      this.record = record
      if (this.p) this.update(this.p, this.mark)
    } catch (e) {
      if (this.number === p.number) this.el.querySelector('.card-error').textContent = e.message
    }
  }

  // `note`: said as the card closes (the proposal was decided meanwhile).
  close (refocus, note) {
    if (this.number == null) return
    const n = this.number
    const hadFocus = this.el.contains(document.activeElement)
    for (const m of this.root.querySelectorAll(`.suggestion[data-number="${n}"][aria-expanded]`)) m.setAttribute('aria-expanded', 'false')
    this.number = null
    this.p = null
    this.confirming = null
    this.drawn = null
    this.el.hidden = true
    this.el.replaceChildren()
    if (note) message(note, 'info')
    if (refocus || hadFocus) this.onClose(n)
  }

  destroy () {
    window.removeEventListener('resize', this.onResize)
    this.el.remove()
  }

  // Redrawn from the map's entry (co-sponsors change) and the record (rationale, status);
  // the note being typed is kept.
  update (p, mark) {
    this.p = p
    this.mark = mark
    if (mark) mark.setAttribute('aria-expanded', 'true')
    // Any edit in the draft redraws the suggestions: the card is rebuilt only when what it
    // says changed, so that a button or the note in use keeps its focus.
    // Stale as the map says (set at each filing and decision), or as the text says now:
    // a quote edited away since, or the record read when the card opened.
    this.stale = !!(p.stale || (mark && mark.classList.contains('lost')) || (this.record && this.record.stale))
    const key = JSON.stringify([p, this.record && this.record.id, this.confirming, this.stale])
    if (key === this.drawn) { this.place(); return }
    this.drawn = key
    const inside = this.el.contains(document.activeElement) ? document.activeElement : null
    const focusedName = inside && inside.getAttribute('aria-label')
    const typing = this.confirming && this.el.querySelector('textarea')
    const note = typing ? typing.value : ''
    const hadFocus = typing && document.activeElement === typing
    const r = this.record
    const cos = cosponsorsOf(p)
    const title = el('h2', null, `No. ${p.number}: ${OPERATION[p.operation] || p.operation}`)
    title.id = 'suggestion-card-title'
    this.el.setAttribute('aria-labelledby', title.id)
    this.el.style.setProperty('--who', mark ? mark.style.getPropertyValue('--who') : '')
    const facts = el('dl')
    const fact = (name, value) => facts.append(el('dt', null, name), el('dd', null, value))
    fact('Sponsor', p.sponsor)
    fact('Co-sponsors', cos.length ? cos.join(', ') : 'none')
    fact('Proposal', p.summary)
    fact('Rationale', r ? (r.rationale || 'none given') : 'loading…')
    fact('Status', r ? (r.status === 'proposed' ? 'pending' : r.status) : 'pending')
    fact('Staleness', this.stale ? `stale: ${(r && r.stale_reason) || 'the quoted text is no longer in the paragraph'}` : 'current: it applies to the text as it stands')
    const error = el('p', 'card-error')
    error.setAttribute('role', 'alert')
    const close = el('button', 'close', 'Close')
    close.type = 'button'
    close.setAttribute('aria-label', `Close No. ${p.number}`)
    close.addEventListener('click', () => this.close(true))
    this.el.replaceChildren(title, facts, this.actions(p), error, close)
    if (this.confirming) {
      const area = this.el.querySelector('textarea')
      if (area) { area.value = note; if (hadFocus) area.focus() }
    }
    // A button pressed in the card is replaced by its successor (Support, then Withdraw
    // support): focus stays in the card, on it if it has the same name.
    if (inside && !this.el.contains(document.activeElement)) {
      const again = [...this.el.querySelectorAll('button')].find((b) => b.getAttribute('aria-label') === focusedName)
      const next = again || this.el.querySelector('button.act') || this.el.querySelector('button')
      if (next) next.focus()
    }
    this.place()
  }

  // Under the suggestion, inside the page (at 375 px, CSS makes it a sheet at the bottom).
  place () {
    if (this.el.hidden || !this.mark || !this.mark.isConnected) return
    const r = this.mark.getBoundingClientRect()
    const d = this.root.getBoundingClientRect()
    const width = Math.min(this.el.offsetWidth || 320, d.width - 16)
    this.el.style.top = `${Math.round(r.bottom - d.top + 6)}px`
    this.el.style.left = `${Math.round(Math.max(8, Math.min(r.left - d.left, d.width - width - 8)))}px`
  }

  // Only what the server would allow this user; the server still decides.
  actions (p) {
    const { can, delegation } = this.me
    const out = el('div', 'card-actions')
    const route = `/api/amendments/${p.id}`
    const supporting = cosponsorsOf(p).some((c) => sameDelegation(c, delegation))
    const mine = sameDelegation(p.sponsor, delegation)
    if (this.confirming) { out.append(this.confirmForm(p, this.confirming)); return out }
    const button = (label, run) => {
      const b = el('button', 'act', label)
      b.type = 'button'
      b.setAttribute('aria-label', `${label} No. ${p.number}`)
      b.addEventListener('click', run)
      out.append(b)
      return b
    }
    const now = (label, method, path) => button(label, async (e) => {
      const b = e.currentTarget
      b.disabled = true
      try { await api(path, { method }); this.el.querySelector('.card-error').textContent = '' } catch (err) { this.el.querySelector('.card-error').textContent = `${label}: ${err.message}` } finally { b.disabled = false }
    })
    const ask = (label, action) => button(label, () => {
      this.confirming = action
      this.update(this.p, this.mark)
      this.el.querySelector('textarea').focus()
    })
    if (can.propose && delegation && !mine && !supporting) now('Support', 'POST', `${route}/cosponsors`)
    if (supporting) now('Withdraw support', 'DELETE', `${route}/cosponsors`)
    if (mine) ask('Withdraw', 'withdraw')
    if (can.decide) {
      if (this.stale) {
        const a = el('a', 'rebase', 'Rebase in the console')
        a.href = `/console.html#draft=${this.draftId}&proposal=${p.number}`
        out.append(a)
      } else ask('Accept', 'accept')
      ask('Reject', 'reject')
    }
    return out
  }

  // A decision takes a note and a confirmation, as in the console.
  confirmForm (p, action) {
    const verb = action[0].toUpperCase() + action.slice(1)
    const form = el('form', 'confirm')
    form.setAttribute('aria-label', `${verb} No. ${p.number}`)
    const label = el('label', null, 'Note')
    const note = el('textarea')
    note.name = 'note'
    note.rows = 2
    label.append(note)
    const ok = el('button', 'act primary', `Confirm ${action}`)
    ok.type = 'submit'
    const cancel = el('button', null, 'Cancel')
    cancel.type = 'button'
    cancel.addEventListener('click', () => { this.confirming = null; this.update(this.p, this.mark); this.el.querySelector('button').focus() })
    form.addEventListener('keydown', (e) => { if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); cancel.click() } })
    const buttons = el('div', 'buttons')
    buttons.append(ok, cancel)
    form.append(label, buttons)
    form.addEventListener('submit', async (e) => {
      e.preventDefault()
      ok.disabled = true
      try {
        await api(`/api/amendments/${p.id}/${action}`, { method: 'POST', body: { note: note.value.trim() || undefined } })
        // The map drops it next; the card says what happened as it closes.
        if (this.number === p.number) this.close(false, `No. ${p.number} ${PAST[action]}.`)
        else message(`No. ${p.number} ${PAST[action]}.`, 'info')
      } catch (err) {
        ok.disabled = false
        const error = this.el.querySelector('.card-error')
        if (error) error.textContent = err.message
      }
    })
    return form
  }
}
