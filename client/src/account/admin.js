// admin.html: the Secretariat creates delegations, invites focal points and appoints
// facilitators per draft; a focal point invites colleagues; everyone manages API tokens.
import { $, api, el, fail, say } from './api.js'

let me = null
let drafts = []

function options (select, items, keep = []) {
  select.replaceChildren(...keep, ...items.map(([value, label]) => { const o = el('option', label); o.value = value; return o }))
}

async function loadPeople () {
  const { delegations, users } = await api('/api/people')
  options($('#invite-form').elements.delegation,
    me.kind === 'secretariat' ? [['', 'none (Secretariat staff)'], ...delegations.map((d) => [d, d])] : delegations.map((d) => [d, d]))
  $('#people tbody').replaceChildren(...users.map((u) => {
    const tr = el('tr')
    tr.append(el('td', u.name + (u.focal_point ? ' (focal point)' : '')), el('td', u.delegation || '—'), el('td', u.kind),
      el('td', u.signed_up ? 'yes' : 'invited'))
    return tr
  }))
  options($('#appoint-form').elements.user, users.filter((u) => u.kind !== 'secretariat').map((u) => [u.id, u.name]))
}

async function loadFacilitators () {
  const id = $('#appoint-form').elements.draft.value
  if (!id) return
  const { facilitators } = await api(`/api/drafts/${id}/facilitators`)
  $('#facilitator-list').replaceChildren(...facilitators.map((f) => {
    const li = el('li', `${f.name} (draft ${id}) `)
    const b = el('button', `Dismiss ${f.name}`, { type: 'button', class: 'quiet' })
    b.addEventListener('click', async () => {
      try { await api(`/api/drafts/${id}/facilitators?user=${f.id}`, { method: 'DELETE' }); say(`${f.name} dismissed.`); loadFacilitators() } catch (e) { fail(e.message) }
    })
    li.append(b)
    return li
  }))
}

async function loadTokens () {
  const { tokens } = await api('/api/tokens')
  $('#token-list').replaceChildren(...tokens.map((t) => {
    const name = t.name || `token ${t.id}`
    const li = el('li', `${name} · ${t.draft_id ? `draft ${t.draft_id}` : 'any draft'} · ${t.expires_at ? `expires ${t.expires_at.slice(0, 10)}` : 'no expiry'} `)
    const b = el('button', `Revoke ${name}`, { type: 'button', class: 'quiet' })
    b.addEventListener('click', async () => {
      try { await api(`/api/tokens/${t.id}`, { method: 'DELETE' }); say(`${name} revoked.`); loadTokens() } catch (e) { fail(e.message) }
    })
    li.append(b)
    return li
  }))
}

function submit (form, work) {
  $(form).addEventListener('submit', async (ev) => {
    ev.preventDefault()
    try { await work(ev.target.elements, ev.target) } catch (e) { fail(e.message) }
  })
}

submit('#delegation-form', async (f, form) => {
  const r = await api('/api/delegations', { method: 'POST', body: { name: f.name.value } })
  say(`Delegation ${r.name} created.`)
  form.reset()
  await loadPeople()
})

submit('#invite-form', async (f, form) => {
  const body = { name: f.name.value, email: f.email.value || null, delegation: f.delegation.value || null }
  if (me.kind === 'secretariat') body.focal_point = f.focal_point.checked
  const r = await api('/api/invitations', { method: 'POST', body })
  say(`Invitation for ${r.user.name}${r.sent_by === 'smtp' ? ' sent by email' : ''}; its one-time link: ${r.link}`)
  form.reset()
  await loadPeople()
})

submit('#appoint-form', async (f) => {
  const user = f.user.options[f.user.selectedIndex]
  await api(`/api/drafts/${f.draft.value}/facilitators`, { method: 'POST', body: { user: Number(f.user.value) } })
  say(`${user.textContent} is a facilitator of draft ${f.draft.value}.`)
  await loadFacilitators()
})

submit('#token-form', async (f, form) => {
  const body = { name: f.name.value }
  if (f.draft.value) body.draft_id = Number(f.draft.value)
  if (f.days.value) body.expires_days = Number(f.days.value)
  const r = await api('/api/tokens', { method: 'POST', body })
  say(`Token ${r.name} (shown once): ${r.token}`)
  form.reset()
  await loadTokens()
})

$('#appoint-form').elements.draft.addEventListener('change', () => loadFacilitators().catch((e) => fail(e.message)))

async function start () {
  try {
    me = await api('/api/me')
  } catch (e) {
    fail(`${e.message}. Sign in first.`)
    const a = el('a', 'Sign in', { href: 'signin.html' })
    $('#status').replaceChildren(a)
    return
  }
  $('#whoami').textContent = `${me.name}${me.delegation ? ` (${me.delegation})` : ''}`
  drafts = (await api('/api/drafts')).drafts.map((d) => [d.id, `${d.symbol || `Draft ${d.id}`}: ${d.title}`])
  const staff = me.kind === 'secretariat'
  $('#upload-link').hidden = !['delegate', 'secretariat'].includes(me.kind)
  $('#delegations').hidden = !staff
  $('#facilitators').hidden = !staff
  $('#invite').hidden = !(staff || me.focal_point)
  $('#focal-label').hidden = !staff
  $('#people').hidden = false
  $('#tokens').hidden = false
  options($('#appoint-form').elements.draft, drafts)
  const any = el('option', 'any draft'); any.value = ''
  options($('#token-form').elements.draft, drafts, [any])
  await loadPeople()
  await loadTokens()
  if (staff) await loadFacilitators()
}

start()
