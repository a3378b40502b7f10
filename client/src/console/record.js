// A delegation's record: what it proposed, supported, withdrew, and what was accepted.
import { api } from './api.js'
import { $, h } from './dom.js'

let chosen = ''

export async function render (ctx, name) {
  if (name !== undefined) chosen = name
  const names = [...new Set(ctx.amendments.flatMap((a) => [a.sponsor, ...a.cosponsors.map((c) => c.delegation)]))].sort()
  const pick = h('select', { 'aria-label': 'Delegation record of', onchange: (ev) => render(ctx, ev.target.value) },
    h('option', { value: '' }, 'Choose a delegation'), names.map((n) => h('option', { value: n }, n)))
  pick.value = chosen
  const out = h('div')
  $('#record').replaceChildren(h('div', { class: 'filters' }, h('label', {}, 'Delegation', pick)), out)
  if (!chosen) return
  const r = await api(`/api/drafts/${ctx.draftId}/delegations/${encodeURIComponent(chosen)}`)
  const part = (title, items) => [h('h3', {}, `${title} (${items.length})`),
    h('ul', { class: 'plain', 'aria-label': `${chosen}: ${title.toLowerCase()}` }, items.map((i) =>
      h('li', {}, `No. ${i.number} · ${i.paragraph || ''} · ${i.status} · ${i.sponsor ? `${i.sponsor}: ` : ''}${i.summary}`)))]
  out.replaceChildren(...part('Proposed', r.proposed), ...part('Supported', r.supported),
    ...part('Withdrawn', r.withdrawn), ...part('Accepted', r.accepted))
}
