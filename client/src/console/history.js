// A paragraph's history: direct edits grouped by person and sitting, amendments with their
// events, comments.
import { api } from './api.js'
import { $, h, segments, when } from './dom.js'

let chosen = ''

export async function render (ctx, paragraphId) {
  if (paragraphId !== undefined) chosen = paragraphId
  const pick = h('select', { 'aria-label': 'Paragraph', onchange: (ev) => render(ctx, ev.target.value) },
    h('option', { value: '' }, 'Choose a paragraph'), ctx.paragraphs.map((p) => h('option', { value: p.id }, p.label)))
  pick.value = chosen
  const list = h('ul', { class: 'plain', 'aria-label': 'Paragraph history entries' })
  $('#history').replaceChildren(h('div', { class: 'filters' }, h('label', {}, 'Paragraph', pick)), list)
  if (!chosen) return
  const body = await api(`/api/drafts/${ctx.draftId}/paragraphs/${encodeURIComponent(chosen)}/history`)
  list.setAttribute('aria-label', `History of ${body.label}`)
  list.replaceChildren(...body.history.slice().reverse().map(entry))
  if (!body.history.length) list.append(h('li', { class: 'muted' }, 'Nothing yet.'))
}

function who (e) {
  return e.delegation ? `${e.by} (${e.delegation})` : (e.by || '')
}

function entry (e) {
  if (e.kind === 'edit' || e.kind === 'technical') {
    const span = e.until && e.until !== e.at ? `${when(e.at)} – ${when(e.until).slice(11)}` : when(e.at)
    const did = e.change === 'added' ? 'added the paragraph' : e.change === 'removed' ? 'removed the paragraph'
      : e.kind === 'technical' ? 'made technical changes' : 'edited'
    return h('li', {}, h('strong', {}, `${who(e)} ${did}`),
      ` · ${span} · ${e.updates} update${e.updates === 1 ? '' : 's'}`, h('div', {}, segments(e.segments || [])))
  }
  if (e.kind === 'amendment') {
    return h('li', {}, h('strong', {}, `${e.origin.replace('amendment:', 'No. ')} applied`), ` · ${when(e.at)} · ${e.delegation || ''}`)
  }
  if (e.kind === 'comment') {
    return h('li', {}, h('strong', {}, `${who(e)} commented`), ` · ${when(e.at)}${e.resolved ? ' · resolved' : ''}`, h('div', {}, e.text))
  }
  return h('li', {}, h('strong', {}, `No. ${e.amendment} ${e.action}`), ` by ${who(e)} · ${when(e.at)}`,
    h('div', { class: 'muted' }, `${e.sponsor}: ${e.summary}`), e.note && e.action !== 'proposed' ? h('div', {}, `Note: ${e.note}`) : '')
}
