// Every proposal in a table: filters, sorting, decisions with a note and a confirmation,
// stale ones flagged and rebased with a preview.
import { api } from './api.js'
import { $, alertMsg, announce, dialog, field, h, segments, when } from './dom.js'

const COLUMNS = [
  ['number', 'No.'], ['paragraph', 'Paragraph'], ['sponsor', 'Sponsor'], ['cosponsors', 'Co-sponsors'],
  ['operation', 'Operation'], ['status', 'Status'], ['stale', 'Stale'], ['revision', 'Revision'],
  ['filed', 'Filed'], ['decided', 'Decided']
]
const DECISIONS = new Set(['accepted', 'rejected', 'withdrawn', 'superseded'])
const filters = { paragraph: '', delegation: '', status: '', revision: '' }
const sort = { key: 'number', dir: 1 }

const decidedAt = (a) => {
  if (a.status === 'proposed') return ''
  const ev = [...a.events].reverse().find((e) => DECISIONS.has(e.action))
  return ev ? ev.at : ''
}
const revisionLabel = (n) => n ? `Rev.${n}` : 'zero draft'

function value (ctx, a, key) {
  switch (key) {
    case 'paragraph': return ctx.order.get(a.paragraph_id || (a.position || '').replace('after:', '')) ?? 1e9
    case 'cosponsors': return a.cosponsors.map((c) => c.delegation).join(', ')
    case 'stale': return a.stale ? 1 : 0
    case 'filed': return a.filed_at
    case 'decided': return decidedAt(a)
    default: return a[key] ?? ''
  }
}

function where (a) {
  return a.paragraph || (a.position ? a.position.replace('after:', 'after ') : '')
}

function select (label, name, options) {
  const s = h('select', { name, 'aria-label': `Filter by ${label.toLowerCase()}`, onchange: (ev) => { filters[name] = ev.target.value; renderRows(currentCtx) } },
    h('option', { value: '' }, 'All'), options.map(([v, text]) => h('option', { value: v }, text)))
  s.value = filters[name]
  return h('label', {}, label, s)
}

let currentCtx = null

export function render (ctx) {
  currentCtx = ctx
  const rows = ctx.amendments
  const delegations = [...new Set(rows.flatMap((a) => [a.sponsor, ...a.cosponsors.map((c) => c.delegation)]))].sort()
  const paragraphs = [...new Set(rows.map((a) => a.paragraph).filter(Boolean))]
    .sort((x, y) => (ctx.orderByLabel.get(x) ?? 0) - (ctx.orderByLabel.get(y) ?? 0))
  const revisions = [...new Set(rows.map((a) => a.revision ?? 0))].sort((x, y) => x - y)
  const bar = h('div', { class: 'filters', role: 'group', 'aria-label': 'Filters' },
    select('Paragraph', 'paragraph', paragraphs.map((p) => [p, p])),
    select('Delegation', 'delegation', delegations.map((d) => [d, d])),
    select('Status', 'status', ['proposed', 'accepted', 'rejected', 'withdrawn', 'superseded'].map((s) => [s, s])),
    select('Revision', 'revision', revisions.map((n) => [String(n), revisionLabel(n)])),
    h('button', { type: 'button', onclick: () => ctx.reload() }, 'Refresh proposals'))
  const head = h('tr', {}, COLUMNS.map(([key, label]) => h('th', {
    scope: 'col', 'aria-sort': sort.key === key ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none'
  }, h('button', {
    type: 'button',
    // the name holds the label shown (a speech user says what is seen: "No.")
    'aria-label': `Sort by ${label === 'No.' ? 'No. (number)' : label.toLowerCase()}`,
    onclick: () => { sort.dir = sort.key === key ? -sort.dir : 1; sort.key = key; render(ctx) }
  }, label))), h('th', { scope: 'col' }, 'Actions'))
  const table = h('table', { class: 'proposals', 'aria-label': 'Proposals' }, h('thead', {}, head), h('tbody', { id: 'proposal-rows' }))
  $('#proposals').replaceChildren(bar, h('p', { id: 'proposal-count', class: 'muted', 'aria-live': 'polite' }), table)
  renderRows(ctx)
}

function renderRows (ctx) {
  const shown = ctx.amendments.filter((a) =>
    (!filters.paragraph || a.paragraph === filters.paragraph) &&
    (!filters.delegation || a.sponsor === filters.delegation || a.cosponsors.some((c) => c.delegation === filters.delegation)) &&
    (!filters.status || a.status === filters.status) &&
    (!filters.revision || String(a.revision ?? 0) === filters.revision))
  shown.sort((x, y) => {
    const a = value(ctx, x, sort.key)
    const b = value(ctx, y, sort.key)
    return (a < b ? -1 : a > b ? 1 : x.number - y.number) * sort.dir
  })
  $('#proposal-count').textContent = `${shown.length} of ${ctx.amendments.length} proposals`
  $('#proposal-rows').replaceChildren(...shown.map((a) => row(ctx, a)))
}

function row (ctx, a) {
  const cell = (label, ...content) => h('td', { 'data-label': label }, ...content)
  const target = a.paragraph_id || (a.position || '').replace('after:', '')
  return h('tr', { id: `proposal-${a.number}`, tabindex: '-1', dataset: { number: a.number } },
    cell('No.', String(a.number)),
    cell('Paragraph', target && ctx.order.has(target)
      ? h('button', { type: 'button', 'aria-label': `History of ${where(a)} (No. ${a.number})`, onclick: () => ctx.showHistory(target) }, where(a))
      : where(a)),
    cell('Sponsor', a.sponsor),
    cell('Co-sponsors', a.cosponsors.map((c) => c.delegation).join(', ')),
    cell('Operation', h('span', { title: a.summary }, a.operation.replace('_', ' ')), h('div', { class: 'muted' }, a.summary)),
    cell('Status', h('span', { class: `status-${a.status}` }, a.status)),
    cell('Stale', a.stale ? h('span', { class: 'badge stale', title: a.stale_reason || '' }, 'Stale') : ''),
    cell('Revision', revisionLabel(a.revision)),
    cell('Filed', when(a.filed_at)),
    cell('Decided', when(decidedAt(a))),
    cell('Actions', h('div', { class: 'actions' }, actions(ctx, a))))
}

function actions (ctx, a) {
  const out = []
  const n = a.number
  const button = (label, fn) => h('button', { type: 'button', onclick: fn }, label)
  if (ctx.me.can.decide && a.status === 'proposed') {
    if (a.stale) out.push(button(`Rebase No. ${n}`, () => rebase(ctx, a)))
    else out.push(button(`Accept No. ${n}`, () => decide(ctx, a, 'accept')))
    out.push(button(`Reject No. ${n}`, () => decide(ctx, a, 'reject')))
    if (ctx.amendments.length > 1) out.push(button(`Supersede No. ${n}`, () => decide(ctx, a, 'supersede')))
  }
  if (ctx.me.can.decide && ['rejected', 'withdrawn', 'superseded'].includes(a.status)) {
    out.push(button(`Reopen No. ${n}`, () => decide(ctx, a, 'reopen')))
  }
  if (ctx.me.can.propose && ctx.me.delegation === a.sponsor && a.status === 'proposed') {
    out.push(button(`Withdraw No. ${n}`, () => decide(ctx, a, 'withdraw')))
  }
  out.push(button(`Comments on No. ${n}`, () => ctx.commentOn(`amendment:${a.id}`)))
  // A pending proposal is drawn as a suggestion in the editor page, which focuses it.
  if (a.status === 'proposed') out.push(h('a', { href: `/#draft=${ctx.draftId}&proposal=${n}`, class: 'in-text' }, `Show No. ${n} in the text`))
  return out
}

const PAST = { accept: 'accepted', reject: 'rejected', reopen: 'reopened', supersede: 'superseded', withdraw: 'withdrawn' }

async function decide (ctx, a, action) {
  const verb = action[0].toUpperCase() + action.slice(1)
  const done = await dialog({
    title: `${verb} No. ${a.number}`,
    confirmLabel: `Confirm ${action}`,
    build: (body) => {
      const note = h('textarea', { name: 'note' })
      const by = h('select', { name: 'by' }, ctx.amendments.filter((x) => x.id !== a.id)
        .map((x) => h('option', { value: String(x.id) }, `No. ${x.number} (${x.sponsor})`)))
      body.append(h('p', {}, `${a.sponsor}: ${a.summary}`), field('Note', note))
      if (action === 'supersede') body.append(field('Superseded by', by))
      return { note, by }
    },
    confirm: async ({ note, by }) => {
      const body = { note: note.value.trim() || undefined }
      if (action === 'supersede') body.by = Number(by.value)
      return await api(`/api/amendments/${a.id}/${action}`, { method: 'POST', body })
    }
  })
  if (!done) return
  announce(`No. ${a.number} ${PAST[action]}.`)
  await ctx.reload()
  refocus(a.number)
}

// The table was redrawn: keyboard focus goes back to the row acted on, if still shown.
function refocus (number) {
  const tr = document.getElementById(`proposal-${number}`)
  if (tr) tr.focus()
}

async function rebase (ctx, a) {
  let previewed = false
  const done = await dialog({
    title: `Rebase No. ${a.number}`,
    confirmLabel: 'Confirm rebase and accept',
    build: (body, ok) => {
      const target = h('textarea', { name: 'target_text' }, a.target_text || '')
      const text = h('textarea', { name: 'new_text' }, a.new_text || '')
      const note = h('textarea', { name: 'note' })
      const out = h('div', { class: 'preview', 'aria-live': 'polite', 'aria-label': 'Preview' }, 'Preview the result before you accept it.')
      ok.disabled = true
      const invalidate = () => { previewed = false; ok.disabled = true }
      target.addEventListener('input', invalidate)
      text.addEventListener('input', invalidate)
      const show = async () => {
        try {
          const p = await api(`/api/amendments/${a.id}/preview`, { method: 'POST', body: { rebase: rebaseOf(a, target, text) } })
          out.replaceChildren(...p.paragraphs.map((q) => h('p', {}, h('strong', {}, `${q.label} `), segments(q.segments))))
          previewed = true
          ok.disabled = false
        } catch (e) {
          out.replaceChildren(h('span', { role: 'alert' }, e.message))
        }
      }
      body.append(
        h('p', {}, `${a.sponsor}: ${a.summary}`),
        h('p', { class: 'muted' }, `Stale: ${a.stale_reason || 'the text has changed'}.`),
        h('p', {}, h('strong', {}, `${a.paragraph || ''} now reads: `), a.current_text || ''),
        field('Quoted text', target), a.operation === 'delete_text' ? '' : field('New text', text), field('Note', note),
        h('button', { type: 'button', onclick: show }, 'Preview'), out)
      return { target, text, note }
    },
    confirm: async ({ target, text, note }) => {
      if (!previewed) throw new Error('Preview the result first.')
      return await api(`/api/amendments/${a.id}/accept`, {
        method: 'POST', body: { rebase: rebaseOf(a, target, text), note: note.value.trim() || undefined }
      })
    }
  })
  if (!done) return
  announce(`No. ${a.number} rebased and accepted.`)
  await ctx.reload()
  refocus(a.number)
}

function rebaseOf (a, target, text) {
  const out = { target_text: target.value }
  if (a.operation !== 'delete_text') out.new_text = text.value
  return out
}

export function focusRow (number) {
  for (const k of Object.keys(filters)) filters[k] = ''
  render(currentCtx)
  const tr = document.getElementById(`proposal-${number}`)
  if (tr) { tr.scrollIntoView({ block: 'center' }); tr.focus() } else alertMsg(`No proposal No. ${number}.`)
  return !!tr
}

// A link's #proposal=N (the editor's card sends a stale one here to be rebased): its row
// whatever the filters, focused; a stale one this user may decide opens on its rebase,
// and the dialog gives focus back to the row when it closes.
export async function reveal (ctx, number) {
  if (!focusRow(number)) return
  const a = ctx.amendments.find((x) => x.number === number)
  const rebasable = a.stale && a.status === 'proposed' && ctx.me.can.decide
  announce(rebasable ? `No. ${number} is stale: rebase it against the text as it stands.` : `No. ${number} (${a.sponsor}, ${a.status}).`)
  if (rebasable) await rebase(ctx, a)
}
