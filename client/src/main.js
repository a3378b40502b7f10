// Penholder's browser editor: sign in with a token, pick a draft, edit it live.
// The Y document schema is docs/sync.md; proposals are docs/amendments.md.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'

const TOKEN_KEY = 'penholder.token'
const $ = (sel) => document.querySelector(sel)

const state = {
  token: sessionStorage.getItem(TOKEN_KEY) || '',
  me: null, // GET /api/me
  draftId: null,
  ydoc: null,
  provider: null,
  views: new Map(), // paragraph id -> {el, textEl, ytext, unobserve}
  form: null, // the open proposal form: {id: paragraph id, el}
  footnoteNumbers: new Map() // footnote id -> number, by first reference
}

// -- REST ------------------------------------------------------------------------------

async function api (path, { method = 'GET', body } = {}) {
  const headers = { Authorization: `Bearer ${state.token}` }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const answer = await res.json().catch(() => ({}))
  if (!res.ok) throw new Error(answer.error || `${res.status} ${res.statusText}`)
  return answer
}

function message (text, kind = 'error') {
  const el = $('#message')
  el.textContent = text || ''
  el.className = text ? kind : ''
}

async function signIn () {
  state.token = $('#token').value.trim()
  sessionStorage.setItem(TOKEN_KEY, state.token)
  message('')
  try {
    state.me = await api('/api/me')
  } catch (e) {
    state.me = null
    $('#whoami').textContent = ''
    $('#drafts').replaceChildren()
    message(`Sign-in failed: ${e.message}`)
    return
  }
  const me = state.me
  $('#whoami').textContent = `${me.name}${me.delegation ? ` (${me.delegation})` : ''} · ${me.role}` +
    (me.can.edit ? '' : ' · read-only')
  const { drafts } = await api('/api/drafts')
  const list = $('#drafts')
  list.replaceChildren(...drafts.map((d) => {
    const b = document.createElement('button')
    b.type = 'button'
    b.dataset.draft = d.id
    b.textContent = `${d.symbol || `Draft ${d.id}`} — ${d.title || ''}`
    b.addEventListener('click', () => openDraft(d.id))
    return b
  }))
  if (!drafts.length) message('No drafts yet.', 'info')
  const wanted = Number(new URLSearchParams(location.hash.slice(1)).get('draft'))
  if (wanted && drafts.some((d) => d.id === wanted)) openDraft(wanted)
}

// -- the live draft --------------------------------------------------------------------

const CLOSES = {
  4401: 'your token is unknown or revoked: sign in again',
  4403: 'this token may not do that here (a read-only role, or a token for another draft)',
  4404: 'there is no such draft',
  4400: 'the server did not understand a message',
  1009: 'a message was too large',
  4408: 'the connection was too slow to keep up'
}

function closeDraft () {
  for (const v of state.views.values()) v.unobserve()
  state.views.clear()
  if (state.provider) state.provider.destroy()
  if (state.ydoc) state.ydoc.destroy()
  state.provider = state.ydoc = state.draftId = state.form = null
  $('#doc').replaceChildren()
  $('#presence').replaceChildren()
}

function openDraft (id) {
  closeDraft()
  history.replaceState(null, '', `#draft=${id}`)
  for (const b of document.querySelectorAll('#drafts button')) b.classList.toggle('open', b.dataset.draft === String(id))
  message('Connecting…', 'info')
  const ydoc = new Y.Doc()
  const url = location.origin.replace(/^http/, 'ws') + '/ws/drafts'
  const provider = new WebsocketProvider(url, String(id), ydoc, {
    params: { token: state.token },
    // Tabs of one browser must not sync (or speak in presence) around the server, which
    // checks and stamps everything a client sends.
    disableBc: true
  })
  state.ydoc = ydoc
  state.provider = provider
  state.draftId = id
  document.body.classList.toggle('readonly', !state.me.can.edit)
  document.body.classList.toggle('can-propose', !!state.me.can.propose)

  provider.on('sync', (synced) => { if (synced) { message(''); renderAll() } })
  provider.on('status', ({ status }) => { $('#status').textContent = status })
  provider.on('connection-close', (event) => {
    if (event == null || state.provider !== provider) return
    const why = CLOSES[event.code] || 'the connection closed'
    message(`Disconnected (${event.code}${event.reason ? `: ${event.reason}` : ''}) — ${why}.` +
      (event.code >= 4400 && event.code < 4500 ? ' Reload to reconnect.' : ' Reconnecting…'))
  })

  provider.awareness.setLocalStateField('user', { name: state.me.name })
  provider.awareness.on('change', renderPresence)

  const paragraphs = ydoc.getArray('paragraphs')
  paragraphs.observeDeep((events) => {
    // structure (paragraphs added, removed, moved; kind or level changed), not text
    if (events.some((e) => e.target === paragraphs || e.target instanceof Y.Map)) renderAll()
  })
  ydoc.getMap('meta').observe(renderHeading)
  ydoc.getMap('proposals').observe(renderProposals)
  ydoc.getMap('footnotes').observeDeep(renderFootnotes)
}

function renderPresence () {
  const aw = state.provider.awareness
  const others = []
  aw.getStates().forEach((s, clientId) => {
    if (clientId === aw.clientID || !s.user) return
    others.push(s.user)
  })
  $('#presence').replaceChildren(...others.map((u) => {
    const li = document.createElement('li')
    li.textContent = u.delegation ? `${u.name} (${u.delegation})` : u.name
    return li
  }))
}

// -- rendering -------------------------------------------------------------------------

function el (tag, cls, text) {
  const e = document.createElement(tag)
  if (cls) e.className = cls
  if (text != null) e.textContent = text
  return e
}

const ROMAN = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x', 'xi', 'xii', 'xiii', 'xiv', 'xv',
  'xvi', 'xvii', 'xviii', 'xix', 'xx']
const letter = (n) => (n > 26 ? letter(Math.floor((n - 1) / 26)) : '') + String.fromCharCode(97 + ((n - 1) % 26))

function labels (items) {
  let pp = 0; let op = 0; let a = 0; let i = 0
  return items.map((m) => {
    const kind = m.get('kind'); const level = m.get('level') || 0
    if (kind === 'pp') { a = i = 0; return `PP${++pp}` }
    if (kind === 'op') { a = i = 0; return `OP${++op}` }
    if (level <= 1) { i = 0; return `(${letter(++a)})` }
    i += 1
    return `(${ROMAN[i - 1] || i})`
  })
}

function renderAll () {
  if (!state.ydoc) return
  const focused = focusedView()
  const caret = focused ? caretOffset(focused.textEl) : null
  const typing = state.form && state.form.el.contains(document.activeElement) ? document.activeElement : null
  for (const v of state.views.values()) v.unobserve()
  state.views.clear()
  const doc = $('#doc')
  const items = state.ydoc.getArray('paragraphs').toArray()
  numberFootnotes(items)
  const labs = labels(items)
  const body = el('div', 'paragraphs')
  let lastKind = null
  items.forEach((m, n) => {
    const kind = m.get('kind')
    if (kind === 'op' && lastKind === 'pp') body.append(el('div', 'part-break'))
    if (kind !== 'sub') lastKind = kind
    body.append(paragraphView(m, labs[n]).el)
  })
  doc.replaceChildren(el('header', 'heading'), body, el('section', 'footnotes'))
  reattachForm(typing)
  renderHeading()
  renderProposals()
  renderFootnotes()
  if (focused && state.views.has(focused.id)) {
    const v = state.views.get(focused.id)
    v.textEl.focus()
    if (caret != null) setCaret(v.textEl, caret)
  }
}

function renderHeading () {
  const h = $('#doc .heading')
  if (!h || !state.ydoc) return
  const meta = state.ydoc.getMap('meta')
  const get = (k) => meta.get(k) || ''
  let sponsors = meta.get('sponsors') || []
  if (typeof sponsors === 'string') { try { sponsors = JSON.parse(sponsors) } catch { sponsors = [sponsors] } }
  h.replaceChildren(
    el('div', 'symbol', get('symbol')),
    el('div', 'session', get('session') ? `Session ${get('session')}` : ''),
    el('div', 'committee', get('committee')),
    el('div', 'agenda', get('agenda_item') ? `Agenda item ${get('agenda_item')}` : ''),
    el('div', 'agenda-title', get('agenda_title')),
    el('div', 'sponsors', sponsors.length ? sponsors.join(', ') + ': draft resolution' : ''),
    el('h1', 'title', get('title'))
  )
}

function numberFootnotes (items) {
  state.footnoteNumbers = new Map()
  for (const m of items) {
    for (const op of m.get('text').toDelta()) {
      if (typeof op.insert === 'object' && op.insert.footnote && !state.footnoteNumbers.has(op.insert.footnote)) {
        state.footnoteNumbers.set(op.insert.footnote, state.footnoteNumbers.size + 1)
      }
    }
  }
}

function renderFootnotes () {
  const sec = $('#doc .footnotes')
  if (!sec || !state.ydoc) return
  const notes = state.ydoc.getMap('footnotes')
  const rows = [...state.footnoteNumbers].map(([id, n]) => {
    const p = el('p', 'footnote')
    p.append(el('sup', null, String(n)), ' ' + (notes.get(id) ? notes.get(id).toString() : ''))
    return p
  })
  sec.replaceChildren(...rows)
}

function paragraphView (m, label) {
  const id = m.get('id')
  const ytext = m.get('text')
  const kind = m.get('kind')
  const p = el('div', `para ${kind} level-${m.get('level') || 0}`)
  p.dataset.id = id
  const textEl = el('div', 'text')
  textEl.contentEditable = state.me.can.edit ? 'true' : 'false'
  textEl.spellcheck = false
  p.append(el('span', 'label', label), textEl, el('div', 'proposals'))
  const view = { id, el: p, textEl, ytext }
  fillText(textEl, ytext)
  if (state.me.can.propose) p.append(proposeButton(view))

  let composing = false
  textEl.addEventListener('compositionstart', () => { composing = true })
  textEl.addEventListener('compositionend', () => { composing = false; applyInput(view) })
  textEl.addEventListener('input', () => { if (!composing) applyInput(view) })
  textEl.addEventListener('keydown', (e) => { if (e.key === 'Enter') e.preventDefault() })
  textEl.addEventListener('paste', (e) => {
    e.preventDefault()
    const text = (e.clipboardData.getData('text/plain') || '').replace(/\s*\n\s*/g, ' ')
    document.execCommand('insertText', false, text)
  })
  textEl.addEventListener('drop', (e) => e.preventDefault())

  const observer = (event) => {
    if (event.transaction.local && event.transaction.origin === view) return // the DOM has it already
    const focused = document.activeElement === textEl
    let caret = focused ? caretOffset(textEl) : null
    if (caret != null) caret = shiftCaret(caret, event.delta)
    fillText(textEl, ytext)
    if (caret != null) setCaret(textEl, caret)
    renderFootnotesIfNeeded()
  }
  ytext.observe(observer)
  view.unobserve = () => ytext.unobserve(observer)
  state.views.set(id, view)
  return view
}

function renderFootnotesIfNeeded () {
  const before = [...state.footnoteNumbers.keys()].join()
  numberFootnotes(state.ydoc.getArray('paragraphs').toArray())
  if ([...state.footnoteNumbers.keys()].join() !== before) renderAll()
}

// The element's content from the Y.Text: the italic lead in <em>, footnote embeds as
// non-editable superscript numbers.
function fillText (textEl, ytext) {
  const nodes = []
  for (const op of ytext.toDelta()) {
    if (typeof op.insert === 'string') {
      if (op.attributes && op.attributes.italic) nodes.push(el('em', null, op.insert))
      else nodes.push(document.createTextNode(op.insert))
    } else if (op.insert && op.insert.footnote) {
      const sup = el('sup', 'fn', String(state.footnoteNumbers.get(op.insert.footnote) || '?'))
      sup.contentEditable = 'false'
      sup.dataset.fn = op.insert.footnote
      nodes.push(sup)
    }
  }
  textEl.replaceChildren(...nodes)
}

// Tokens in Yjs index order: each UTF-16 code unit of text one token (a JS string index),
// each footnote embed one token. Yjs counts a Y.Text the same way.
function domTokens (textEl) {
  const out = []
  const walk = (node) => {
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) for (let k = 0; k < c.data.length; k++) out.push(c.data[k])
      else if (c.nodeType === Node.ELEMENT_NODE) {
        if (c.dataset && c.dataset.fn) out.push({ footnote: c.dataset.fn })
        else if (c.tagName !== 'BR') walk(c)
      }
    }
  }
  walk(textEl)
  return out
}

function yTokens (ytext) {
  const out = []
  for (const op of ytext.toDelta()) {
    if (typeof op.insert === 'string') for (let k = 0; k < op.insert.length; k++) out.push(op.insert[k])
    else out.push(op.insert)
  }
  return out
}

const same = (a, b) => a === b || (typeof a === 'object' && typeof b === 'object' && a.footnote === b.footnote)

// One delete and one insert: the common prefix and suffix of the element's text and the
// Y.Text's, walked as tokens so that a footnote embed counts one, as in Yjs indices.
function applyInput (view) {
  const { textEl, ytext } = view
  if (!state.me.can.edit) { fillText(textEl, ytext); return }
  const now = domTokens(textEl)
  const was = yTokens(ytext)
  // The suffix first, and not past the caret: typing "E" before "Expressing" is an
  // insert at the caret, not after the first "E" (the text is the same, the italics not).
  const caret = caretOffset(textEl)
  const floor = caret == null ? 0 : Math.min(caret, now.length)
  let endNow = now.length; let endWas = was.length
  while (endNow > floor && endWas > 0 && same(now[endNow - 1], was[endWas - 1])) { endNow--; endWas-- }
  let start = 0
  while (start < endNow && start < endWas && same(now[start], was[start])) start++
  const inserted = now.slice(start, endNow).filter((t) => typeof t === 'string').join('')
  if (endWas === start && !inserted) return
  state.ydoc.transact(() => {
    if (endWas > start) ytext.delete(start, endWas - start)
    if (inserted) ytext.insert(start, inserted, { italic: null })
  }, view)
  // Make the element match the Y.Text again (typing inside the <em> of the lead, a pasted
  // footnote mark), keeping the caret.
  const after = yTokens(ytext)
  const dom = domTokens(textEl)
  const emCount = textEl.querySelectorAll('em').length
  const italicRuns = ytext.toDelta().filter((o) => o.attributes && o.attributes.italic).length
  if (after.length !== dom.length || after.some((t, k) => !same(t, dom[k])) || emCount !== italicRuns ||
      (inserted && textEl.querySelector('em') && isInsideEm(textEl))) {
    fillText(textEl, ytext)
    if (caret != null) setCaret(textEl, caret)
  }
}

function isInsideEm (textEl) {
  const sel = getSelection()
  if (!sel.rangeCount) return false
  let n = sel.getRangeAt(0).startContainer
  while (n && n !== textEl) { if (n.nodeName === 'EM') return true; n = n.parentNode }
  return false
}

function focusedView () {
  for (const v of state.views.values()) if (document.activeElement === v.textEl) return v
  return null
}

// The caret as a token offset into the element (embeds count one).
function caretOffset (textEl) {
  const sel = getSelection()
  if (!sel.rangeCount) return null
  const r = sel.getRangeAt(0)
  if (!textEl.contains(r.startContainer)) return null
  const pre = document.createRange()
  pre.selectNodeContents(textEl)
  pre.setEnd(r.startContainer, r.startOffset)
  const frag = pre.cloneContents()
  const holder = document.createElement('div')
  holder.append(frag)
  return domTokens(holder).length
}

function setCaret (textEl, offset) {
  let left = offset
  const range = document.createRange()
  const walk = (node) => {
    for (const c of node.childNodes) {
      if (c.nodeType === Node.TEXT_NODE) {
        if (left <= c.data.length) { range.setStart(c, left); return true }
        left -= c.data.length
      } else if (c.nodeType === Node.ELEMENT_NODE) {
        if (c.dataset && c.dataset.fn) {
          if (left === 0) { range.setStartBefore(c); return true }
          left -= 1
          if (left === 0 && !c.nextSibling) { range.setStartAfter(c); return true }
        } else if (walk(c)) return true
      }
    }
    return false
  }
  if (!walk(textEl)) { range.selectNodeContents(textEl); range.collapse(false) } else range.collapse(true)
  const sel = getSelection()
  sel.removeAllRanges()
  sel.addRange(range)
}

// Where the caret goes after a remote change (a Yjs delta, in Yjs indices).
function shiftCaret (caret, delta) {
  let pos = 0; let out = caret
  for (const op of delta) {
    if (op.retain) pos += op.retain
    else if (op.insert) {
      const n = typeof op.insert === 'string' ? op.insert.length : 1
      if (pos < caret) out += n
      pos += n
    } else if (op.delete) {
      if (pos < caret) out -= Math.min(op.delete, caret - pos)
    }
  }
  return Math.max(0, out)
}

function renderProposals () {
  if (!state.ydoc) return
  for (const v of state.views.values()) v.el.querySelector('.proposals').replaceChildren()
  const items = state.ydoc.getArray('paragraphs').toArray()
  const firstOf = (kind) => { const m = items.find((x) => x.get('kind') === kind); return m && m.get('id') }
  const pending = [...state.ydoc.getMap('proposals').values()].sort((a, b) => a.number - b.number)
  for (const p of pending) {
    let anchor = p.paragraph_id
    const pos = p.position || ''
    if (!anchor && pos.startsWith('after:')) anchor = pos.slice(6)
    if (!anchor && pos === 'start:preamble') anchor = firstOf('pp')
    if (!anchor && pos === 'start:operative') anchor = firstOf('op')
    const view = state.views.get(anchor)
    if (!view) continue
    view.el.querySelector('.proposals').append(proposalView(p))
  }
}

function joinNames (names) {
  return names.length === 1 ? names[0] : names.slice(0, -1).join(', ') + ' and ' + names[names.length - 1]
}

const cosponsorsOf = (p) => (p.cosponsors || []).map((c) => (typeof c === 'object' ? c.delegation : c))

function proposalView (p) {
  const cos = cosponsorsOf(p)
  const div = el('div', 'proposal' + (p.stale ? ' stale' : ''))
  div.dataset.number = p.number
  div.append(el('span', 'number', `No. ${p.number}`), ' ',
    el('span', 'attribution', `[${p.sponsor}${cos.length ? ', supported by ' + joinNames(cos) : ''}: ${p.summary}]`))
  if (p.stale) div.append(' ', el('span', 'stale-note', '(stale: the text has changed)'))
  const actions = proposalActions(p)
  if (actions.length) {
    const span = el('span', 'actions')
    span.append(...actions)
    div.append(' ', span)
  }
  return div
}

// -- acting on proposals ---------------------------------------------------------------

// Delegation names match without regard to case (docs/roles.md).
const isMine = (name) => !!state.me.delegation && !!name &&
  name.trim().toLowerCase() === state.me.delegation.trim().toLowerCase()

// Only the buttons the server would allow this user: the server still decides, and its
// refusal (a proposal decided meanwhile, a stale accept) is shown as it words it.
function proposalActions (p) {
  const { can, delegation } = state.me
  const supporting = cosponsorsOf(p).some(isMine)
  const route = `/api/amendments/${p.id}`
  const out = []
  if (can.propose && delegation && !isMine(p.sponsor) && !supporting) {
    out.push(actionButton('Support', 'POST', `${route}/cosponsors`))
  }
  if (supporting) out.push(actionButton('Withdraw support', 'DELETE', `${route}/cosponsors`))
  if (isMine(p.sponsor)) out.push(actionButton('Withdraw', 'POST', `${route}/withdraw`, {}))
  if (can.decide) {
    out.push(actionButton('Accept', 'POST', `${route}/accept`, {}))
    out.push(actionButton('Reject', 'POST', `${route}/reject`, {}))
  }
  return out
}

// On success there is nothing to draw here: the server rewrites the `proposals` map and
// every page, this one too, redraws the proposal from it.
function actionButton (label, method, path, body) {
  const b = el('button', 'act', label)
  b.type = 'button'
  b.addEventListener('click', async () => {
    b.disabled = true
    try {
      await api(path, { method, body })
      if ($('#message').className === 'error') message('')
    } catch (e) {
      message(`${label}: ${e.message}`)
    } finally {
      b.disabled = false
    }
  })
  return b
}

// -- filing a proposal -----------------------------------------------------------------

const OPERATIONS = [
  ['replace_text', 'Replace'],
  ['insert_text', 'Insert after'],
  ['delete_text', 'Delete'],
  ['add_paragraph', 'New paragraph after']
]

function proposeButton (view) {
  const b = el('button', 'propose', 'Propose')
  b.type = 'button'
  b.title = 'Propose an amendment to this paragraph'
  // The selection is read on mousedown: by the click, focus has moved to the button.
  let selected = ''
  b.addEventListener('mousedown', () => { selected = selectionIn(view.textEl) })
  b.addEventListener('click', () => {
    openForm(view, selected || selectionIn(view.textEl))
    selected = ''
  })
  return b
}

// The selected text if the selection lies inside the paragraph, read as the REST API
// reads the paragraph (footnote marks left out), so that it can be the quoted target.
function selectionIn (textEl) {
  const sel = getSelection()
  if (!sel.rangeCount || sel.isCollapsed) return ''
  const r = sel.getRangeAt(0)
  if (!textEl.contains(r.startContainer) || !textEl.contains(r.endContainer)) return ''
  const holder = document.createElement('div')
  holder.append(r.cloneContents())
  return domTokens(holder).filter((t) => typeof t === 'string').join('')
}

function openForm (view, selected) {
  if (state.form && state.form.id === view.id) {
    const target = state.form.el.elements.target_text
    if (selected) target.value = selected
    target.focus()
    return
  }
  closeForm()
  const form = proposeForm(view.id, selected)
  state.form = { id: view.id, el: form }
  view.el.append(form)
  form.elements.operation.focus()
}

function closeForm () {
  if (state.form) state.form.el.remove()
  state.form = null
}

// A redraw of the paragraphs (someone added one) must not lose what is being typed: the
// same form element goes under the paragraph's new view, or away with the paragraph.
function reattachForm (typing) {
  if (!state.form) return
  const view = state.views.get(state.form.id)
  if (!view) { closeForm(); return }
  view.el.append(state.form.el)
  if (typing) typing.focus() // moving the element took the focus away
}

function field (labelText, control) {
  const label = el('label', 'field')
  label.append(el('span', null, labelText), control)
  return label
}

function proposeForm (paragraphId, selected) {
  const form = el('form', 'propose-form')
  form.dataset.paragraph = paragraphId
  const operation = el('select')
  operation.name = 'operation'
  for (const [value, text] of OPERATIONS) {
    const o = el('option', null, text)
    o.value = value
    operation.append(o)
  }
  const target = el('input')
  target.name = 'target_text'
  target.value = selected || ''
  const newText = el('textarea')
  newText.name = 'new_text'
  newText.rows = 2
  const rationale = el('textarea')
  rationale.name = 'rationale'
  rationale.rows = 2
  const targetField = field('Text in the paragraph', target)
  const newField = field('New text', newText)
  const submit = el('button', 'submit', 'Submit')
  submit.type = 'submit'
  const cancel = el('button', null, 'Cancel')
  cancel.type = 'button'
  cancel.addEventListener('click', closeForm)
  const buttons = el('div', 'buttons')
  buttons.append(submit, cancel)
  form.append(field('Operation', operation), targetField, newField, field('Rationale', rationale),
    el('p', 'form-error'), buttons)

  const showFields = () => {
    targetField.hidden = operation.value === 'add_paragraph'
    newField.hidden = operation.value === 'delete_text'
  }
  operation.addEventListener('change', showFields)
  showFields()
  form.addEventListener('submit', (e) => { e.preventDefault(); submitProposal(form, paragraphId) })
  form.addEventListener('keydown', (e) => { if (e.key === 'Escape') closeForm() })
  return form
}

// New paragraphs follow a preambular or operative paragraph, not a subparagraph (the
// server refuses that): under a subparagraph the new one follows its whole paragraph.
function newParagraphPlace (paragraphId) {
  const items = state.ydoc.getArray('paragraphs').toArray()
  let n = items.findIndex((m) => m.get('id') === paragraphId)
  while (n > 0 && items[n].get('kind') === 'sub') n--
  const m = items[Math.max(n, 0)]
  const kind = m && m.get('kind') !== 'sub' ? m.get('kind') : 'op'
  return { position: `after:${m ? m.get('id') : paragraphId}`, kind }
}

function proposalBody (form, paragraphId) {
  const f = form.elements
  const operation = f.operation.value
  const body = { operation, rationale: f.rationale.value }
  if (operation === 'add_paragraph') return { ...body, ...newParagraphPlace(paragraphId), new_text: f.new_text.value }
  body.paragraph_id = paragraphId
  body.target_text = f.target_text.value
  if (operation === 'insert_text') body.position = 'after'
  if (operation !== 'delete_text') body.new_text = f.new_text.value
  return body
}

// The new proposal is not drawn from the response: it arrives, like everyone else's,
// through the `proposals` map. A refusal keeps the form open with what was typed.
async function submitProposal (form, paragraphId) {
  const draftId = state.draftId
  const submit = form.querySelector('button[type=submit]')
  const error = form.querySelector('.form-error')
  submit.disabled = true
  error.textContent = ''
  try {
    const filed = await api(`/api/drafts/${draftId}/amendments`, { method: 'POST', body: proposalBody(form, paragraphId) })
    if (state.form && state.form.el === form) closeForm()
    message(`Filed as No. ${filed.number}`, 'info')
  } catch (e) {
    error.textContent = e.message
  } finally {
    submit.disabled = false
  }
}

// -- start -----------------------------------------------------------------------------

$('#token').value = state.token
$('#signin').addEventListener('submit', (e) => { e.preventDefault(); signIn() })
if (state.token) signIn()
