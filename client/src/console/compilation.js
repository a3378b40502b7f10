// The compilation text: each paragraph with its pending proposals, attributed; and its export.
import { download } from './api.js'
import { $, h } from './dom.js'

export function render (ctx) {
  const c = ctx.compilation
  const file = (fmt, label) => h('button', {
    type: 'button',
    onclick: () => download(`/api/drafts/${ctx.draftId}/compilation?format=${fmt}`, `compilation_${ctx.draftId}.${fmt}`).catch(ctx.fail)
  }, label)
  const body = c.paragraphs.map((p) => [
    h('p', { id: `comp-${p.id || 'start'}` }, h('strong', {}, `${p.label} `), p.text || ''),
    p.proposals.map((q) => h('p', { class: 'proposal' }, `${q.text} (No. ${q.number})`))])
  $('#compilation').replaceChildren(
    h('p', {}, `${c.pending} pending proposals. `, file('md', 'Export compilation (Markdown)'), ' ', file('html', 'Export compilation (HTML)')),
    h('div', { class: 'comp' }, body)) // in the section's region, named by its heading
}
