// The facilitator's console: a page of its own (console.html), beside the editor. It
// signs in by the session cookie or with the editor's token and reads and acts through
// the REST API only.
import { api, session, setToken } from './api.js'
import * as activity from './activity.js'
import * as comments from './comments.js'
import * as changes from './changes.js'
import * as compilation from './compilation.js'
import { $, alertMsg, announce } from './dom.js'
import * as paragraphHistory from './history.js'
import * as library from './library.js'
import * as proposals from './proposals.js'
import * as record from './record.js'
import * as revisions from './revisions.js'
import * as tabling from './tabling.js'

const POLL_MS = 3000
let ctx = null
let timer = null
let drafts = []

function fail (e) {
  alertMsg(e.message || String(e))
}

// `quiet`: on load without a token, where having no session cookie is no failure.
let attempt = 0 // the latest sign-in wins: the quiet one on load may answer after a click's

async function signIn (token, quiet = false) {
  const mine = ++attempt
  setToken(token)
  try {
    const me = await api('/api/me')
    if (mine !== attempt) return
    session.byCookie = !token
    drafts = (await api('/api/drafts')).drafts
    const pick = $('#draft')
    pick.replaceChildren(...drafts.map((d) => new Option(`${d.symbol || `Draft ${d.id}`} — ${d.title || ''}`, String(d.id))))
    const { draft: wanted, proposal } = linked()
    const id = drafts.some((d) => d.id === wanted) ? wanted : drafts[0]?.id
    if (!id) { announce('No drafts yet.'); return }
    pick.value = String(id)
    await open(me, id, id === wanted ? proposal : 0)
  } catch (e) {
    if (mine !== attempt) return
    $('#whoami').textContent = ''
    if (!quiet) alertMsg(`Sign-in failed: ${e.message}`)
  }
}

// #draft=D&proposal=N, as the editor's suggestion card links here.
function linked () {
  const q = new URLSearchParams(location.hash.slice(1))
  return { draft: Number(q.get('draft')), proposal: Number(q.get('proposal')) }
}

// `proposal`: a number to show once the table is drawn (0: none).
async function open (signedIn, draftId, proposal = 0) {
  window.history.replaceState(null, '', `#draft=${draftId}`)
  // The account's role on this draft (it differs from draft to draft): what the page offers.
  const me = await api(`/api/me?draft=${draftId}`)
  $('#whoami').textContent = `${me.name}${me.delegation ? ` (${me.delegation})` : ''} · ${me.role}`
  ctx = {
    me,
    signedIn, // what the account may do on at least one draft: the library is about none
    draftId,
    fail,
    reload: () => load().catch(fail),
    commented: () => activity.refresh(ctx).catch(fail),
    showHistory: (pid) => { paragraphHistory.render(ctx, pid).catch(fail); $('#history-section').scrollIntoView(); $('#history select').focus() },
    showProposal: (n) => proposals.focusRow(n),
    commentOn: (target) => { comments.focusOn(target); $('#comments-section').scrollIntoView() }
  }
  $('#editor-link').href = `/#draft=${draftId}`
  activity.reset()
  ctx.draft = drafts.find((d) => d.id === draftId) || {}
  await load()
  comments.renderForm(ctx)
  paragraphHistory.render(ctx, '').catch(fail)
  record.render(ctx, '').catch(fail)
  tabling.render(ctx)
  library.render(ctx, { canAdd: !!signedIn.can.library && signedIn.draft_id === null }).catch(fail)
  $('#console').hidden = false
  // Not awaited: a stale one's rebase dialog stays open while the page polls.
  if (proposal) proposals.reveal(ctx, proposal).catch(fail)
  await poll()
  clearInterval(timer)
  timer = setInterval(() => poll().catch(() => {}), POLL_MS)
}

async function fetchAll () {
  const d = ctx.draftId
  const [a, r, c] = await Promise.all([api(`/api/drafts/${d}/amendments`), api(`/api/drafts/${d}/revisions`),
    api(`/api/drafts/${d}/compilation`)])
  return { amendments: a.amendments, revisions: r.revisions, compilation: c }
}

function adopt ({ amendments, revisions: revs, compilation: comp }) {
  ctx.amendments = amendments
  ctx.revisions = revs
  ctx.compilation = comp
  ctx.paragraphs = comp.paragraphs.filter((p) => p.id).map((p) => ({ id: p.id, label: p.label }))
  ctx.order = new Map(ctx.paragraphs.map((p, i) => [p.id, i]))
  ctx.orderByLabel = new Map(ctx.paragraphs.map((p, i) => [p.label, i]))
  ctx.labelOf = new Map(ctx.paragraphs.map((p) => [p.id, p.label]))
  ctx.seen = JSON.stringify([amendments, revs])
}

async function load () {
  adopt(await fetchAll())
  proposals.render(ctx)
  revisions.render(ctx)
  compilation.render(ctx)
  changes.render(ctx).catch(fail)
  activity.refresh(ctx).catch(fail)
}

// Others act meanwhile (a delegate files, another facilitator decides): redraw what
// changed, never under an open dialog or a control in use.
// The activity replays the draft's whole log (benchmarks/review_bench.py): every fifth poll.
const ACTIVITY_EVERY = 5
let polls = 0

async function poll () {
  if (!ctx) return
  await Promise.all([comments.refresh(ctx), polls++ % ACTIVITY_EVERY === 0 ? activity.refresh(ctx) : null])
  if ($('#dialog').open) return
  const fresh = await fetchAll()
  if (JSON.stringify([fresh.amendments, fresh.revisions]) === ctx.seen) return
  const busy = document.activeElement && document.activeElement.closest('#proposals, #revisions')
  if (busy && document.activeElement.tagName === 'SELECT') return
  adopt(fresh)
  proposals.render(ctx)
  revisions.render(ctx)
  compilation.render(ctx)
}

$('#signin').addEventListener('submit', (ev) => {
  ev.preventDefault()
  signIn($('#token').value.trim())
})
// A link followed while the console is open (the same page, another fragment).
window.addEventListener('hashchange', () => {
  const { draft, proposal } = linked()
  if (!ctx || !draft) return
  if (draft !== ctx.draftId) {
    if (!drafts.some((d) => d.id === draft)) return
    $('#draft').value = String(draft)
    open(ctx.signedIn, draft, proposal).catch(fail)
  } else if (proposal) {
    window.history.replaceState(null, '', `#draft=${draft}`)
    if (!$('#dialog').open) proposals.reveal(ctx, proposal).catch(fail)
  }
})
$('#draft').addEventListener('change', (ev) => { if (ctx) open(ctx.signedIn, Number(ev.target.value)).catch(fail) })
signIn(session.token, !session.token)
