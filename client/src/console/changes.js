// Changes since a version: the live draft as a redline against the prior resolution, a
// revision or the text at a chosen time, each change under its author, with a legend.
import { api } from './api.js'
import { $, h } from './dom.js'

let against = ''

export async function render (ctx, choice) {
  if (choice !== undefined) against = choice
  const base = ctx.draft.base_symbol
  const options = [...(base ? [[base, `the prior resolution, ${base}`]] : []),
    ...(ctx.revisions.length ? ctx.revisions : [{ number: 0, label: 'zero draft' }]).map((r) => [`rev:${r.number}`, r.label]),
    ['at:', 'the text at a time…']]
  if (!against) against = options[0][0]
  const pick = h('select', { 'aria-label': 'Changes since', onchange: (ev) => render(ctx, ev.target.value === 'at:' ? `at:${time.value ? new Date(time.value).toISOString() : ''}` : ev.target.value) },
    options.map(([v, label]) => h('option', { value: v }, label)))
  const time = h('input', { type: 'datetime-local', 'aria-label': 'Changes since the time', hidden: !against.startsWith('at:') })
  time.addEventListener('change', () => { if (time.value) render(ctx, `at:${new Date(time.value).toISOString()}`) })
  pick.value = against.startsWith('at:') ? 'at:' : against
  const out = h('div', { role: 'region', 'aria-label': 'Redline' })
  $('#changes').replaceChildren(h('div', { class: 'filters' }, h('label', {}, 'Changes since', pick), time), out)
  if (against === 'at:') return
  let body
  try {
    body = await api(`/api/drafts/${ctx.draftId}/changes?against=${encodeURIComponent(against)}`)
  } catch (e) {
    out.replaceChildren(h('p', { role: 'alert' }, e.message))
    return
  }
  const colour = new Map(body.authors.map((a, i) => [a.name, `c${i % 8}`]))
  const mark = (s) => {
    const tag = s.kind === 'ins' ? 'ins' : 'del'
    const who = s.author ? s.author.name : 'unknown author'
    return h(tag, { class: colour.get(who) || '', title: who }, s.text, h('span', { class: 'sr-only' }, ` [${tag === 'ins' ? 'inserted' : 'deleted'} by ${who}]`))
  }
  const legend = h('ul', { class: 'legend', 'aria-label': 'Authors' }, body.authors.map((a) =>
    h('li', {}, h('span', { class: `swatch ${colour.get(a.name)}` }), `${a.name}${a.technical ? ' (technical)' : ''}: ${a.changes} change${a.changes === 1 ? '' : 's'}`)))
  const changed = body.paragraphs.filter((p) => p.status !== 'same')
  out.replaceChildren(legend, h('p', { class: 'muted' }, `${changed.length} paragraphs changed.`),
    ...changed.map((p) => h('p', { class: `redline ${p.status}` }, h('strong', {}, `${p.label || `old ${p.old_label}`} `),
      p.status === 'changed' ? '' : h('em', {}, `(${p.status === 'moved' ? `moved from ${p.old_label}` : p.status}${p.author ? ` by ${p.author.name}` : ''}) `),
      (p.segments || []).map((s) => s.kind === 'same' ? s.text : mark(s)))))
}
