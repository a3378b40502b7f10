// signin.html: sign in with a password, use a one-time link (invitation, reset, demo),
// ask for a reset link, sign out (here or everywhere).
import { $, api, fail, say } from './api.js'

function show (...ids) {
  for (const s of document.querySelectorAll('main section')) s.hidden = !ids.includes(s.id)
}

let sso = false

async function showSignedIn () {
  try {
    const me = await api('/api/me')
    $('#whoami').textContent = `${me.name}${me.delegation ? ` (${me.delegation})` : ''} · ${me.kind}`
    $('#upload-link').hidden = !['delegate', 'secretariat'].includes(me.kind)
    show('signed-in')
    return true
  } catch {
    show('signin', 'reset', ...(sso ? ['sso'] : []))
    return false
  }
}

async function useLink (link, password) {
  try {
    await api('/api/links/redeem', { method: 'POST', body: password ? { link, password } : { link } })
  } catch (e) {
    if (e.status === 422 && !password) { show('choose'); $('#choose-form input').focus(); return }
    if (e.status === 422) { fail(e.message); return }
    history.replaceState(null, '', location.pathname)
    fail(e.message)
    show('signin', 'reset')
    return
  }
  history.replaceState(null, '', location.pathname)
  say('You are signed in.')
  await showSignedIn()
}

$('#signin-form').addEventListener('submit', async (ev) => {
  ev.preventDefault()
  const f = ev.target.elements
  try {
    await api('/api/session', { method: 'POST', body: { login: f.login.value, password: f.password.value } })
    f.password.value = ''
    say('You are signed in.')
    await showSignedIn()
  } catch (e) {
    fail(`Sign-in failed: ${e.message}`)
  }
})

$('#choose-form').addEventListener('submit', (ev) => {
  ev.preventDefault()
  const link = new URLSearchParams(location.hash.slice(1)).get('link')
  useLink(link, ev.target.elements.password.value)
})

$('#reset-form').addEventListener('submit', async (ev) => {
  ev.preventDefault()
  try {
    const r = await api('/api/password-reset', { method: 'POST', body: { login: ev.target.elements.login.value } })
    say(`Reset requested: ${r.sent}.`)
  } catch (e) { fail(e.message) }
})

$('#sign-out').addEventListener('click', async () => {
  try { await api('/api/session', { method: 'DELETE' }); say('You are signed out.'); show('signin', 'reset') } catch (e) { fail(e.message) }
})

$('#sign-out-everywhere').addEventListener('click', async () => {
  try {
    const r = await api('/api/sessions', { method: 'DELETE' })
    say(`Signed out everywhere (${r.signed_out} sessions).`)
    show('signin', 'reset')
  } catch (e) { fail(e.message) }
})

async function start () {
  sso = await fetch('/auth/oidc').then((r) => r.json()).then((c) => c.enabled).catch(() => false)
  const hash = new URLSearchParams(location.hash.slice(1))
  if (hash.get('error')) {
    fail(`Sign-in failed: ${hash.get('error')}`)
    history.replaceState(null, '', location.pathname)
  }
  if (hash.get('link')) useLink(hash.get('link'))
  else showSignedIn()
}

start()
