// The library of adopted resolutions (docs/library.md): listed for everyone; adding one by
// upload for those whose role allows it (the Secretariat, facilitators: `library` in
// docs/roles.md), with the upload's progress and the server's refusal in its own words.
import { authHeaders } from '../credentials.js'
import { api, session } from './api.js'
import { $, h } from './dom.js'

const ACCEPT = '.txt,.md,.docx,.pdf'

// POST /api/library with the upload's progress (fetch reports none): resolves with the
// JSON answer, rejects with an Error in the server's words.
function upload (file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', '/api/library')
    for (const [k, v] of Object.entries(authHeaders(session.token, 'POST'))) xhr.setRequestHeader(k, v)
    xhr.responseType = 'json'
    xhr.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total) })
    xhr.addEventListener('load', () => {
      const answer = xhr.response || {}
      if (xhr.status >= 200 && xhr.status < 300) { resolve(answer); return }
      const err = new Error(answer.error || `${xhr.status} ${xhr.statusText}`)
      err.status = xhr.status
      reject(err)
    })
    // The server closes the connection on a body over its limit before the browser has
    // sent it all: the browser then reports no answer at all.
    xhr.addEventListener('error', () => reject(new Error('the server closed the connection during the upload (a file over its size limit is refused so)')))
    const form = new FormData()
    form.append('file', file, file.name)
    xhr.send(form)
  })
}

function table (resolutions) {
  if (!resolutions.length) return h('p', { class: 'muted' }, 'The library is empty.')
  return h('table', { class: 'library', 'aria-label': 'Adopted resolutions' },
    h('thead', {}, h('tr', {}, ['Symbol', 'Adopted', 'Title', 'Paragraphs'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, resolutions.map((r) => h('tr', { dataset: { symbol: r.symbol } },
      h('td', { 'data-label': 'Symbol' }, r.symbol), h('td', { 'data-label': 'Adopted' }, r.adopted_on || ''),
      h('td', { 'data-label': 'Title' }, r.title || ''), h('td', { 'data-label': 'Paragraphs' }, String(r.paragraphs))))))
}

export async function render (ctx, { canAdd }) {
  const list = h('div', { id: 'library-list' })
  const out = []
  if (canAdd) out.push(form(ctx, list))
  out.push(list)
  $('#library').replaceChildren(...out)
  await refresh(ctx, list)
}

async function refresh (ctx, list) {
  const { resolutions } = await api('/api/library')
  list.replaceChildren(h('p', { class: 'muted', id: 'library-count' }, `${resolutions.length} resolutions`), table(resolutions))
}

function form (ctx, list) {
  const file = h('input', { type: 'file', name: 'file', accept: ACCEPT, required: true })
  const progress = h('progress', { max: '1', value: '0', 'aria-label': 'Upload progress', hidden: true })
  const status = h('p', { role: 'status', class: 'upload-status' })
  const error = h('p', { role: 'alert', class: 'upload-error' })
  const send = h('button', { type: 'submit', class: 'primary' }, 'Upload to the library')
  const f = h('form', { class: 'library-upload', 'aria-label': 'Add an adopted resolution' },
    h('label', { class: 'field' }, 'Adopted resolution (text, Markdown, Word or PDF)', file),
    h('p', {}, send), progress, status, error)
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const chosen = file.files[0]
    if (!chosen) return
    send.disabled = true
    error.textContent = ''
    progress.hidden = false
    progress.value = 0
    status.textContent = `Uploading ${chosen.name}…`
    try {
      const added = await upload(chosen, (part) => {
        progress.value = part
        status.textContent = part < 1 ? `Uploading ${chosen.name}: ${Math.round(part * 100)} %` : `Reading ${chosen.name}…`
      })
      status.textContent = `${added.symbol} ${added.replaced ? 'replaced in' : 'added to'} the library: ${added.paragraphs} paragraphs.`
      f.reset()
      await refresh(ctx, list)
    } catch (e) {
      status.textContent = ''
      error.textContent = `${chosen.name} was not added: ${e.message}`
    } finally {
      progress.hidden = true
      send.disabled = false
    }
  })
  return f
}
