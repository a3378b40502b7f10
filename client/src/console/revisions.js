// Revisions: the list with what changed between them, Rev.N cut with a confirmation,
// each paragraph's standing shown as a badge and set in the latest revision.
import { api } from './api.js'
import { $, announce, dialog, h, when } from './dom.js'

const STANDINGS = ['pending', 'agreed ad ref', 'bracketed']
const badgeClass = (s) => `badge standing-${(s || 'pending').split(' ')[0]}`

function changes (r) {
  if (!r.changes) return h('p', { class: 'rev-changes' }, 'The text as the draft was created.')
  const c = r.changes
  const parts = []
  for (const [k, label] of [['changed', 'changed'], ['added', 'added'], ['deleted', 'deleted'], ['moved', 'moved']]) {
    if (c[k].length) parts.push(`${label}: ${c[k].join(', ')}`)
  }
  if (r.amendments_applied.length) parts.push(`amendments applied: ${r.amendments_applied.map((n) => `No. ${n}`).join(', ')}`)
  for (const s of c.standing) parts.push(`${s.label || s.paragraph_id}: ${s.before} → ${s.after}`)
  return h('p', { class: 'rev-changes' }, parts.length ? parts.join('; ') : 'No change since the one before.')
}

export function render (ctx) {
  const revs = ctx.revisions
  const latest = revs[revs.length - 1]
  const next = latest ? latest.number + 1 : 1
  const list = h('ul', { class: 'plain', 'aria-label': 'Revisions' }, revs.map((r) => h('li', { dataset: { number: r.number } },
    h('strong', {}, r.label), ` — ${when(r.created_at)}, ${r.created_by || ''}`, changes(r))))
  const out = [revs.length ? list : h('p', { class: 'muted' }, 'No revision cut yet: the zero draft stands.')]
  if (ctx.me.can.revise) {
    out.push(h('p', {}, h('button', { type: 'button', class: 'primary', onclick: () => cut(ctx, next) }, `Cut Rev.${next}`)))
  }
  if (latest) {
    const grid = h('div', { class: 'standings', role: 'group', 'aria-label': `Standing in ${latest.label}` },
      ctx.paragraphs.filter((p) => p.id in latest.standing).map((p) => {
        const s = latest.standing[p.id]
        const control = ctx.me.can.revise
          ? h('select', {
            'aria-label': `Standing of ${p.label}`,
            onchange: (ev) => setStanding(ctx, latest, p, ev.target.value)
          }, STANDINGS.map((v) => h('option', { value: v, selected: v === s }, v)))
          : null
        return h('label', {}, h('strong', {}, p.label), h('span', { class: badgeClass(s), 'data-standing': p.id }, s), control)
      }))
    out.push(h('h3', {}, `Standing in ${latest.label}`), grid)
  }
  $('#revisions').replaceChildren(...out)
}

async function cut (ctx, number) {
  const done = await dialog({
    title: `Cut Rev.${number}`,
    confirmLabel: 'Confirm cut',
    build: (body) => { body.append(h('p', {}, `Freeze the text as it stands now as Rev.${number}. Each paragraph keeps its standing unless you change it.`)) },
    confirm: async () => await api(`/api/drafts/${ctx.draftId}/revisions`, { method: 'POST', body: {} })
  })
  if (!done) return
  announce(`${done.label} cut.`)
  await ctx.reload()
}

async function setStanding (ctx, rev, p, standing) {
  try {
    await api(`/api/drafts/${ctx.draftId}/revisions/${rev.number}/paragraphs/${encodeURIComponent(p.id)}`,
      { method: 'PUT', body: { standing } })
    announce(`${p.label} is ${standing} in ${rev.label}.`)
  } catch (e) {
    ctx.fail(e)
  }
  await ctx.reload()
}
