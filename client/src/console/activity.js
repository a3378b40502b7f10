// What happened on the draft, newest first, each leading to its paragraph or proposal.
import { api } from './api.js'
import { $, h, when } from './dom.js'

let shown = ''

export async function refresh (ctx) {
  const { activity } = await api(`/api/drafts/${ctx.draftId}/activity?limit=100`)
  const key = JSON.stringify(activity)
  if (key === shown) return
  shown = key
  $('#activity').replaceChildren(h('ul', { class: 'plain', 'aria-label': 'Activity' }, activity.map((e) => entry(ctx, e))))
}

export function reset () { shown = '' }

function entry (ctx, e) {
  const who = e.delegation ? `${e.by} (${e.delegation})` : (e.by || '')
  const what = e.kind === 'edited' || e.kind === 'technical'
    ? `${e.kind === 'technical' ? 'made technical changes to' : 'edited'} ${e.summary} (${e.updates} update${e.updates === 1 ? '' : 's'})`
    : e.kind === 'revised' ? `cut ${e.summary}` : `${e.kind} ${e.amendment ? `No. ${e.amendment}` : ''}`
  const links = []
  if (e.amendment && e.kind !== 'commented') links.push(h('button', { type: 'button', onclick: () => ctx.showProposal(e.amendment) }, `Show No. ${e.amendment}`))
  if (e.paragraph_id && ctx.order.has(e.paragraph_id)) {
    links.push(h('button', { type: 'button', onclick: () => ctx.showHistory(e.paragraph_id) },
      `Go to ${ctx.labelOf.get(e.paragraph_id)}`))
  }
  return h('li', {}, h('span', { class: 'muted' }, when(e.at)), ' ', h('strong', {}, who), ` ${what}`,
    e.kind === 'commented' ? h('div', {}, e.summary) : e.kind !== 'edited' && e.kind !== 'technical' && e.kind !== 'revised' ? h('div', { class: 'muted' }, e.summary) : '',
    e.note && e.kind !== 'filed' ? h('div', {}, `Note: ${e.note}`) : '', links.length ? h('div', { class: 'actions' }, links) : '')
}
