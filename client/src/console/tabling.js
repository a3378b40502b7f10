// Tabling: the Secretariat issues the draft under its L. symbol (POST /api/drafts/{id}/table).
// The draft's checks (GET /api/drafts/{id}/checks: the UN editorial rules, citations of
// adopted resolutions with their dates, internal references a renumbering moved) are
// shown first, paragraph by paragraph; the Secretariat tables anyway or goes back to fix.
import { api } from './api.js'
import { $, announce, dialog, field, h } from './dom.js'

const EXAMPLE = 'A/C.1/81/L.12'

// Findings grouped by paragraph, in the draft's order.
export function byParagraph (findings) {
  const groups = new Map()
  for (const f of findings) {
    if (!groups.has(f.label)) groups.set(f.label, [])
    groups.get(f.label).push(f)
  }
  return groups
}

function checksView (checks) {
  const groups = byParagraph(checks.findings)
  const summary = checks.count
    ? `${checks.count} finding${checks.count === 1 ? '' : 's'} in ${groups.size} paragraph${groups.size === 1 ? '' : 's'}`
    : 'No finding: the text follows the editorial rules and cites the library\'s resolutions with their dates.'
  const out = [h('p', { role: 'status', class: 'checks-summary' }, summary)]
  if (checks.count) {
    out.push(h('ul', { class: 'plain checks', 'aria-label': 'Editorial checks' }, [...groups].map(([label, fs]) =>
      h('li', { dataset: { label } }, h('strong', {}, label),
        h('ul', {}, fs.map((f) => h('li', { dataset: { rule: f.rule } },
          h('span', { class: 'badge' }, f.rule), ' ', f.message)))))))
  }
  const moved = checks.reference_updates || []
  if (moved.length) {
    out.push(h('p', {}, `${moved.length} paragraph${moved.length === 1 ? '' : 's'} cite${moved.length === 1 ? 's' : ''} ` +
      `paragraphs that moved since Rev.${checks.since_revision}: ${moved.map((u) => u.reason).join('; ')}`))
  }
  return out
}

export function render (ctx) {
  const current = ctx.draft.symbol || ''
  const tabled = /\/L\.\d+/.test(current)
  const out = [h('p', {}, tabled ? `Tabled as ${current}.` : 'Not tabled yet.')]
  if (ctx.me.role === 'secretariat' && ctx.me.can.revise) {
    const symbol = h('input', { type: 'text', name: 'symbol', placeholder: EXAMPLE, value: tabled ? current : '' })
    const form = h('form', { class: 'filters', 'aria-label': 'Table the draft' },
      field('L. symbol', symbol), h('button', { type: 'submit', class: 'primary' }, 'Check and table'))
    form.addEventListener('submit', (ev) => { ev.preventDefault(); table(ctx, symbol.value.trim()).catch(ctx.fail) })
    out.push(form)
  } else {
    out.push(h('p', { class: 'muted' }, 'The Secretariat tables the draft under its L. symbol, after its checks.'))
  }
  $('#tabling').replaceChildren(...out)
}

async function table (ctx, symbol) {
  announce('Checking the draft before tabling…')
  const checks = await api(`/api/drafts/${ctx.draftId}/checks`)
  announce('')
  const done = await dialog({
    title: `Table the draft as ${symbol || '…'}`,
    confirmLabel: checks.count ? 'Table anyway' : 'Table',
    build: (body) => { body.append(...checksView(checks)) },
    confirm: async () => await api(`/api/drafts/${ctx.draftId}/table`, { method: 'POST', body: { symbol } })
  })
  if (!done) return
  ctx.draft.symbol = symbol
  announce(`Tabled as ${symbol}${checks.count ? `, with ${checks.count} finding${checks.count === 1 ? '' : 's'} left` : ''}.`)
  render(ctx)
}
