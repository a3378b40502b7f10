// Penholder's browser editor: signed in by the session cookie (signin.html) or with a
// pasted API token, pick a draft, edit it live.
// The Y document schema is docs/sync.md; proposals are docs/amendments.md; the client's
// design is docs/client.md.
import 'quill/dist/quill.core.css'
import { api, getToken, setCookieSession, setToken } from './api.js'
import { toSignIn } from './credentials.js'
import { Session } from './session.js'
import { DraftView } from './paragraphs.js'
import { Proposals } from './proposals.js'
import { Presence } from './presence.js'
import { AgreedLanguage } from './agreed.js'
import { Suggestions } from './suggestions.js'
import { LAYERS, Marks } from './marks.js'
import { Span } from './span.js'
import { message, showConnection } from './status.js'

const TOKEN_KEY = 'penholder.token'
const $ = (sel) => document.querySelector(sel)

// What each role does, as the header says it.
const ROLES = {
  penholder: 'penholder: edits the text',
  secretariat: 'Secretariat: edits the text',
  delegate: 'delegate: proposes amendments',
  facilitator: 'facilitator: decides amendments',
  observer: 'observer: read-only'
}

let me = null
let open = null // {session, draftView, proposals, presence, suggestions}
let byCookie = false // signed in by the session cookie rather than a pasted token

// The link to the sign-in page says what it offers: a password sign-in, or, signed in by
// the session cookie, the account's page there (who is signed in, sign out).
function showWho (who) {
  $('#whoami').textContent = who ? `${who.name}${who.delegation ? ` (${who.delegation})` : ''} · ${ROLES[who.role] || who.role}` : ''
  $('#password-signin').textContent = who && byCookie ? 'Your account' : 'Sign in with a password'
}

// With a token, under it; without one, by the session cookie if the browser has one
// (`quiet`: on load, where having none is no failure).
let attempt = 0 // the latest sign-in wins: the quiet one on load may answer after a click's

async function signIn (token, quiet = false) {
  const mine = ++attempt
  setToken(token)
  if (token) sessionStorage.setItem(TOKEN_KEY, token)
  else sessionStorage.removeItem(TOKEN_KEY)
  message('')
  let who
  try {
    who = await api('/api/me')
  } catch (e) {
    if (mine !== attempt) return
    me = null
    showWho(null)
    $('#drafts').replaceChildren()
    if (!quiet) message(`Sign-in failed: ${e.message}`)
    return
  }
  if (mine !== attempt) return
  me = who
  byCookie = !token
  setCookieSession(byCookie)
  showWho(me)
  const { drafts } = await api('/api/drafts')
  const list = $('#drafts')
  list.replaceChildren(...drafts.map((d) => {
    const b = document.createElement('button')
    b.type = 'button'
    b.dataset.draft = d.id
    b.textContent = `${d.symbol || `Draft ${d.id}`} — ${d.title || ''}`
    b.addEventListener('click', () => openDraft(d))
    return b
  }))
  if (!drafts.length) message('No drafts yet.', 'info')
  const asked = new URLSearchParams(location.hash.slice(1))
  const draft = drafts.find((d) => d.id === Number(asked.get('draft')))
  if (draft) openDraft(draft, Number(asked.get('proposal')) || null)
}

function closeDraft () {
  if (!open) return
  if (open.span) open.span.destroy()
  open.presence.destroy()
  open.agreed.destroy()
  if (open.suggestions) open.suggestions.destroy()
  for (const m of open.marks || []) m.destroy()
  open.proposals.destroy()
  open.draftView.destroy()
  open.session.destroy()
  open = null
  $('#presence').replaceChildren()
}

// `proposal`: a number whose suggestion is shown and focused once the draft is open (a
// link from the console, #draft=4&proposal=12).
async function openDraft (draft, proposal = null) {
  closeDraft()
  history.replaceState(null, '', `#draft=${draft.id}${proposal ? `&proposal=${proposal}` : ''}`)
  for (const b of document.querySelectorAll('#drafts button')) b.classList.toggle('open', b.dataset.draft === String(draft.id))
  // What the account is on this draft (penholder where its delegation holds the pen,
  // facilitator where appointed): the page offers what that role may do.
  let meHere
  try {
    meHere = await api(`/api/me?draft=${draft.id}`)
  } catch (e) {
    message(`Could not open the draft: ${e.message}`)
    return
  }
  showWho(meHere)
  document.body.classList.toggle('readonly', !meHere.can.edit)
  document.body.classList.toggle('can-propose', !!meHere.can.propose)
  const session = new Session({
    draft,
    me: meHere,
    token: getToken(),
    onState: ({ state, unsynced }) => showConnection(state, unsynced),
    onClose: (text, code) => { if (code === 4401 && byCookie) toSignIn(); else message(text) }
  })
  const mine = { session }
  open = mine
  session.emit()
  await session.ready()
  if (open !== mine) return
  message('')
  const proposals = new Proposals({ doc: session.doc, me: meHere, draftId: draft.id })
  const agreed = new AgreedLanguage({ root: $('#agreed'), me: meHere, proposals })
  let presence = null
  let suggestions = null
  const draftView = new DraftView({
    session,
    me: meHere,
    root: $('#doc'),
    hooks: {
      decorate: (v) => { proposals.decorate(v); agreed.decorate(v) },
      changed: () => {
        proposals.render(); if (presence) presence.schedule(); if (suggestions) suggestions.schedule()
        for (const m of mine.marks || []) m.schedule()
      },
      selection: (v, range) => { if (presence) presence.setLocal(v.ytext, range) }
    }
  })
  proposals.draft = draftView
  agreed.draft = draftView
  const span = new Span({ draft: draftView })
  proposals.span = span
  proposals.render()
  presence = new Presence({ awareness: session.awareness, doc: session.doc, list: $('#presence'), draftView, me: meHere })
  suggestions = new Suggestions({
    doc: session.doc, me: meHere, draftId: draft.id, draftView, toggle: $('#suggestions-switch'),
    synced: () => session.provider.synced
  })
  if (proposal) suggestions.show(proposal)
  // Editorial checks and agreed language, drawn on the words (marks.js).
  const marks = [['checks', '#checks-switch'], ['agreed', '#agreed-switch']].map(([layer, toggle]) =>
    new Marks({ layer: LAYERS[layer], me: meHere, draftId: draft.id, draftView, proposals, toggle: $(toggle) }))
  // A paragraph the suggestions draw as a redline is marked there, drawn anew each time.
  suggestions.onRender = () => { for (const m of marks) m.draw() }
  Object.assign(mine, { draftView, proposals, agreed, presence, suggestions, span, marks })
  document.body.dataset.ready = 'true'
}

// A link to another suggestion of the open draft (the page is not reloaded for a new hash).
window.addEventListener('hashchange', () => {
  const asked = new URLSearchParams(location.hash.slice(1))
  const n = Number(asked.get('proposal'))
  if (open && open.suggestions && n && Number(asked.get('draft')) === open.session.draftId) open.suggestions.show(n)
})

// Leaving every paragraph: no caret to show the others.
$('#doc').addEventListener('focusout', (e) => {
  if (open && open.presence && !(e.relatedTarget && e.relatedTarget.closest && e.relatedTarget.closest('.ql-editor'))) {
    open.presence.setLocal(null, null)
  }
})

// Closing the page with changes the server has not had yet warns (they are kept in this
// browser and sent at the next visit, but the user may not come back on this machine).
window.addEventListener('beforeunload', (e) => {
  if (open && open.session.unsynced) { e.preventDefault(); e.returnValue = '' }
})

const saved = sessionStorage.getItem(TOKEN_KEY) || ''
$('#token').value = saved
$('#signin').addEventListener('submit', (e) => { e.preventDefault(); signIn($('#token').value.trim()) })
signIn(saved, !saved)
