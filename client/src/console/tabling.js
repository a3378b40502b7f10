// Tabling: the Secretariat issues the draft under its L. symbol (POST /api/drafts/{id}/table).
// The draft's checks (GET /api/drafts/{id}/checks?agreed=true) are shown first: which
// paragraphs depart from agreed language or cite text a later resolution reworded, then
// the UN editorial rules (citations of adopted resolutions with their dates, internal
// references a renumbering moved), paragraph by paragraph; the Secretariat tables anyway
// or goes back to fix.
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

const where = (s) => `${s.symbol} ${s.label} (${s.date || s.adopted_on || 'date unknown'})`

// One line per paragraph that is not agreed language as adopted.
function departure (x) {
  if (x.status === 'superseded') return `cites ${where(x.source)}, reworded since in ${where(x.newer)}`
  if (x.status === 'near') return `departs from ${where(x.source)}, ${Math.round(x.source.similarity * 100)} % alike`
  if (x.status === 'new') return 'new language: no adopted resolution holds it'
  return `not checked: ${x.note}`
}

function agreedView (standing) {
  const count = (status) => standing.filter((x) => x.status === status).length
  const off = standing.filter((x) => x.status !== 'agreed')
  const summary = `Agreed language: ${count('agreed')} of ${standing.length} paragraphs as adopted; ` +
    `${count('superseded')} cite superseded text, ${count('near')} depart from agreed language, ${count('new')} new`
  const out = [h('h3', {}, 'Agreed language'), h('p', { class: 'agreed-summary' }, summary)]
  if (off.length) {
    out.push(h('ul', { class: 'plain checks', 'aria-label': 'Paragraphs not in agreed language' }, off.map((x) =>
      h('li', { dataset: { label: x.label, status: x.status } }, h('strong', {}, x.label), ' ', departure(x)))))
  }
  return out
}

function checksView (checks) {
  const groups = byParagraph(checks.findings)
  const summary = checks.count
    ? `${checks.count} finding${checks.count === 1 ? '' : 's'} in ${groups.size} paragraph${groups.size === 1 ? '' : 's'}`
    : 'No finding: the text follows the editorial rules and cites the library\'s resolutions with their dates.'
  const out = [...agreedView(checks.agreed_language || []), h('h3', {}, 'Editorial rules'),
    h('p', { role: 'status', class: 'checks-summary' }, summary)]
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
  const checks = await api(`/api/drafts/${ctx.draftId}/checks?agreed=true`)
  announce('')
  // New or negotiated wording is what drafting is for; superseded citations and editorial
  // errors are what the Secretariat would correct before issuing.
  const superseded = (checks.agreed_language || []).filter((x) => x.status === 'superseded').length
  const done = await dialog({
    title: `Table the draft as ${symbol || '…'}`,
    confirmLabel: checks.count || superseded ? 'Table anyway' : 'Table',
    build: (body) => { body.append(...checksView(checks)) },
    confirm: async () => await api(`/api/drafts/${ctx.draftId}/table`, { method: 'POST', body: { symbol } })
  })
  if (!done) return
  ctx.draft.symbol = symbol
  announce(`Tabled as ${symbol}${checks.count ? `, with ${checks.count} finding${checks.count === 1 ? '' : 's'} left` : ''}.`)
  render(ctx)
}
