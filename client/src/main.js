// Penholder's browser editor: sign in with a token, pick a draft, edit it live.
// The Y document schema is docs/sync.md; proposals are docs/amendments.md; the client's
// design is docs/client.md.
import 'quill/dist/quill.core.css'
import { api, setToken } from './api.js'
import { Session } from './session.js'
import { DraftView } from './paragraphs.js'
import { Proposals } from './proposals.js'
import { Presence } from './presence.js'
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
let open = null // {session, draftView, proposals, presence}

async function signIn () {
  const token = $('#token').value.trim()
  setToken(token)
  sessionStorage.setItem(TOKEN_KEY, token)
  message('')
  try {
    me = await api('/api/me')
  } catch (e) {
    me = null
    $('#whoami').textContent = ''
    $('#drafts').replaceChildren()
    message(`Sign-in failed: ${e.message}`)
    return
  }
  $('#whoami').textContent = `${me.name}${me.delegation ? ` (${me.delegation})` : ''} · ${ROLES[me.role] || me.role}`
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
  const wanted = Number(new URLSearchParams(location.hash.slice(1)).get('draft'))
  const draft = drafts.find((d) => d.id === wanted)
  if (draft) openDraft(draft)
}

function closeDraft () {
  if (!open) return
  open.presence.destroy()
  open.proposals.destroy()
  open.draftView.destroy()
  open.session.destroy()
  open = null
  $('#presence').replaceChildren()
}

async function openDraft (draft) {
  closeDraft()
  history.replaceState(null, '', `#draft=${draft.id}`)
  for (const b of document.querySelectorAll('#drafts button')) b.classList.toggle('open', b.dataset.draft === String(draft.id))
  document.body.classList.toggle('readonly', !me.can.edit)
  document.body.classList.toggle('can-propose', !!me.can.propose)
  const session = new Session({
    draft,
    me,
    token: sessionStorage.getItem(TOKEN_KEY),
    onState: ({ state, unsynced }) => showConnection(state, unsynced),
    onClose: (text) => message(text)
  })
  const mine = { session }
  open = mine
  session.emit()
  await session.ready()
  if (open !== mine) return
  message('')
  const proposals = new Proposals({ doc: session.doc, me, draftId: draft.id })
  let presence = null
  const draftView = new DraftView({
    session,
    me,
    root: $('#doc'),
    hooks: {
      decorate: (v) => proposals.decorate(v),
      changed: () => { proposals.render(); if (presence) presence.schedule() },
      selection: (v, range) => { if (presence) presence.setLocal(v.ytext, range) }
    }
  })
  proposals.draft = draftView
  proposals.render()
  presence = new Presence({ awareness: session.awareness, doc: session.doc, list: $('#presence'), draftView, me })
  Object.assign(mine, { draftView, proposals, presence })
  document.body.dataset.ready = 'true'
}

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
$('#signin').addEventListener('submit', (e) => { e.preventDefault(); signIn() })
if (saved) signIn()
