// Pending amendments (the `proposals` map, written by the server only: docs/amendments.md)
// under their paragraphs, the actions each user's role allows on them, and the form in
// which a delegation files one, quoting the words selected in the paragraph.
import { api } from './api.js'
import { el } from './paragraphs.js'
import { message, clearNotice, clearError } from './status.js'
import { textBetween } from './text.js'
import { CardProvenance, watchWording } from './provenance.js'

const OPERATIONS = [
  ['replace_text', 'Replace'],
  ['insert_text', 'Insert after'],
  ['delete_text', 'Delete'],
  ['add_paragraph', 'New paragraph after']
]

function joinNames (names) {
  return names.length === 1 ? names[0] : names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1]
}

export const cosponsorsOf = (p) => (p.cosponsors || []).map((c) => (typeof c === 'object' ? c.delegation : c))

// Delegation names match without regard to case (docs/roles.md).
export const sameDelegation = (a, b) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase()

export class Proposals {
  constructor ({ doc, me, draftId }) {
    this.doc = doc
    this.me = me
    this.draftId = draftId
    this.draft = null // the DraftView, set once it exists
    this.span = null // the selection across paragraphs (span.js), set with it
    this.form = null // {view id, el}
    this.provenance = new CardProvenance()
    this.map = doc.getMap('proposals')
    this.onChange = () => this.render()
    this.map.observe(this.onChange)
  }

  destroy () { this.map.unobserve(this.onChange) }

  isMine (name) { return sameDelegation(name, this.me.delegation) }

  // The paragraph's actions: "Propose on OP5".
  decorate (v) {
    if (!this.me.can.propose) return
    const b = el('button', 'propose', 'Propose')
    b.type = 'button'
    b.dataset.name = 'Propose'
    b.addEventListener('click', () => {
      // A selection across paragraphs: a proposal amends one paragraph, so this one
      // quotes the part in this paragraph, and the user is told.
      const part = this.span && this.span.partIn(v)
      if (part) {
        const touched = this.span.parts().map((p) => p.view.label)
        this.open(v, textBetween(v.ytext, part.index, part.length))
        message(`The selection runs from ${touched[0]} to ${touched[touched.length - 1]}: a proposal amends one ` +
          `paragraph, so this one quotes the part in ${v.label}. Propose on each of the others for theirs.`, 'info')
        return
      }
      const r = this.draft.selectionOf(v)
      this.open(v, r && r.length ? textBetween(v.ytext, r.index, r.length) : '')
    })
    v.actions.append(b)
  }

  render () {
    if (!this.draft) return
    for (const v of this.draft.views.values()) if (v.proposals.firstChild) v.proposals.replaceChildren()
    const items = this.doc.getArray('paragraphs').toArray()
    const firstOf = (kind) => { const m = items.find((x) => x.get('kind') === kind); return m && m.get('id') }
    const pending = [...this.map.values()].sort((a, b) => a.number - b.number)
    for (const p of pending) {
      let anchor = p.paragraph_id
      const pos = p.position || ''
      if (!anchor && pos.startsWith('after:')) anchor = pos.slice(6)
      if (!anchor && pos === 'start:preamble') anchor = firstOf('pp')
      if (!anchor && pos === 'start:operative') anchor = firstOf('op')
      const view = this.draft.byId.get(anchor)
      if (view) view.proposals.append(this.proposalView(p, view))
    }
    this.reattachForm()
  }

  proposalView (p, view) {
    const cos = cosponsorsOf(p)
    const div = el('div', 'proposal' + (p.stale ? ' stale' : ''))
    div.dataset.number = p.number
    div.dataset.id = p.id
    div.setAttribute('role', 'group')
    div.setAttribute('aria-label', `Proposal No. ${p.number} on ${view.label}`)
    div.append(el('span', 'number', `No. ${p.number}`), ' ',
      el('span', 'attribution', `[${p.sponsor}${cos.length ? ', supported by ' + joinNames(cos) : ''}: ${p.summary}]`))
    if (p.stale) div.append(' ', el('span', 'stale-note', '(stale: the text has changed)'))
    div.append(' ', this.provenance.span(p))
    const actions = this.actions(p)
    if (actions.length) {
      const span = el('span', 'actions')
      span.append(...actions)
      div.append(' ', span)
    }
    return div
  }

  // Only the buttons the server would allow this user: the server still decides, and its
  // refusal (a proposal decided meanwhile, a stale accept) is shown as it words it.
  actions (p) {
    const { can, delegation } = this.me
    const supporting = cosponsorsOf(p).some((c) => this.isMine(c))
    const route = `/api/amendments/${p.id}`
    const out = []
    const b = (label, method, path, body) => this.actionButton(label, `${label} No. ${p.number}`, method, path, body)
    if (can.propose && delegation && !this.isMine(p.sponsor) && !supporting) out.push(b('Support', 'POST', `${route}/cosponsors`))
    if (supporting) out.push(b('Withdraw support', 'DELETE', `${route}/cosponsors`))
    if (this.isMine(p.sponsor)) out.push(b('Withdraw', 'POST', `${route}/withdraw`, {}))
    if (can.decide) {
      out.push(b('Accept', 'POST', `${route}/accept`, {}))
      out.push(b('Reject', 'POST', `${route}/reject`, {}))
    }
    return out
  }

  // On success there is nothing to draw here: the server rewrites the `proposals` map and
  // every page, this one too, redraws the proposal from it.
  actionButton (label, name, method, path, body) {
    const b = el('button', 'act', label)
    b.type = 'button'
    b.setAttribute('aria-label', name)
    b.addEventListener('click', async () => {
      b.disabled = true
      clearNotice()
      try {
        await api(path, { method, body })
        clearError()
      } catch (e) {
        message(`${name}: ${e.message}`)
      } finally {
        b.disabled = false
      }
    })
    return b
  }

  open (view, selected) {
    clearNotice()
    if (this.form && this.form.id === view.id) {
      const target = this.form.el.elements.target_text
      if (selected) target.value = selected
      target.focus()
      return
    }
    this.close()
    const form = this.proposeForm(view, selected)
    this.form = { id: view.id, el: form, opener: view }
    view.el.append(form)
    form.elements.operation.focus()
  }

  close () {
    if (!this.form) return
    const { el: form, opener } = this.form
    const hadFocus = form.contains(document.activeElement)
    form.stopWatching()
    form.remove()
    this.form = null
    // Focus goes back where the form was opened from, not to the top of the page.
    if (hadFocus && opener && this.draft.views.has(opener.map)) {
      const b = opener.actions.querySelector('button.propose')
      if (b) b.focus()
    }
  }

  // A redraw must not lose what is being typed: the form stays under its paragraph.
  reattachForm () {
    if (!this.form) return
    const view = this.draft.byId.get(this.form.id)
    if (!view) { this.close(); return }
    this.form.opener = view
    if (this.form.el.parentNode !== view.el) {
      const typing = this.form.el.contains(document.activeElement) ? document.activeElement : null
      view.el.append(this.form.el)
      if (typing) typing.focus()
    }
  }

  proposeForm (view, selected) {
    const form = el('form', 'propose-form')
    form.dataset.paragraph = view.id
    form.setAttribute('aria-label', `Proposal on ${view.label}`)
    const field = (labelText, control) => {
      const label = el('label', 'field')
      label.append(el('span', null, labelText), control)
      return label
    }
    const operation = el('select')
    operation.name = 'operation'
    for (const [value, text] of OPERATIONS) {
      const o = el('option', null, text)
      o.value = value
      operation.append(o)
    }
    const target = el('input')
    target.name = 'target_text'
    target.value = selected || ''
    const newText = el('textarea')
    newText.name = 'new_text'
    newText.rows = 2
    const rationale = el('textarea')
    rationale.name = 'rationale'
    rationale.rows = 2
    const targetField = field('Text in the paragraph', target)
    const newField = field('New text', newText)
    // Where the new wording comes from, as it is typed (agreed language or new).
    const wording = el('p', 'wording')
    wording.id = `wording-${view.id}`
    wording.setAttribute('role', 'status')
    newText.setAttribute('aria-describedby', wording.id)
    form.stopWatching = watchWording(newText, wording)
    const error = el('p', 'form-error')
    error.setAttribute('role', 'alert')
    const submit = el('button', 'submit', 'Submit')
    submit.type = 'submit'
    const cancel = el('button', null, 'Cancel')
    cancel.type = 'button'
    cancel.addEventListener('click', () => this.close())
    const buttons = el('div', 'buttons')
    buttons.append(submit, cancel)
    form.append(field('Operation', operation), targetField, newField, wording, field('Rationale', rationale), error, buttons)
    const showFields = () => {
      targetField.hidden = operation.value === 'add_paragraph'
      newField.hidden = operation.value === 'delete_text'
      wording.hidden = newField.hidden
    }
    operation.addEventListener('change', showFields)
    showFields()
    form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(form, view.id) })
    form.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.close() })
    return form
  }

  // New paragraphs follow a preambular or operative paragraph, not a subparagraph (the
  // server refuses that): under a subparagraph the new one follows its whole paragraph.
  newParagraphPlace (paragraphId) {
    const items = this.doc.getArray('paragraphs').toArray()
    let n = items.findIndex((m) => m.get('id') === paragraphId)
    while (n > 0 && items[n].get('kind') === 'sub') n--
    const m = items[Math.max(n, 0)]
    const kind = m && m.get('kind') !== 'sub' ? m.get('kind') : 'op'
    return { position: `after:${m ? m.get('id') : paragraphId}`, kind }
  }

  body (form, paragraphId) {
    const f = form.elements
    const operation = f.operation.value
    const body = { operation, rationale: f.rationale.value }
    if (operation === 'add_paragraph') return { ...body, ...this.newParagraphPlace(paragraphId), new_text: f.new_text.value }
    body.paragraph_id = paragraphId
    body.target_text = f.target_text.value
    if (operation === 'insert_text') body.position = 'after'
    if (operation !== 'delete_text') body.new_text = f.new_text.value
    return body
  }

  // The new proposal is not drawn from the response: it arrives, like everyone else's,
  // through the `proposals` map. A refusal keeps the form open with what was typed.
  async submit (form, paragraphId) {
    const submit = form.querySelector('button[type=submit]')
    const error = form.querySelector('.form-error')
    submit.disabled = true
    error.textContent = ''
    try {
      const filed = await api(`/api/drafts/${this.draftId}/amendments`, { method: 'POST', body: this.body(form, paragraphId) })
      if (this.form && this.form.el === form) this.close()
      message(`Filed as No. ${filed.number}`, 'info')
    } catch (e) {
      error.textContent = e.message
    } finally {
      submit.disabled = false
    }
  }
}
