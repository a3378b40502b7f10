// REST calls with the token the editor page uses (sessionStorage 'penholder.token'), else
// the session cookie of signin.html (see ../credentials.js).
import { authHeaders, toSignIn } from '../credentials.js'

const TOKEN_KEY = 'penholder.token'

// byCookie: signed in by the session cookie (then a 401 means it ended: sign in again).
export const session = { token: sessionStorage.getItem(TOKEN_KEY) || '', byCookie: false }

export function setToken (token) {
  session.token = token
  if (token) sessionStorage.setItem(TOKEN_KEY, token)
  else sessionStorage.removeItem(TOKEN_KEY)
}

export async function api (path, { method = 'GET', body } = {}) {
  const headers = authHeaders(session.token, method)
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
  const answer = await res.json().catch(() => ({}))
  if (res.status === 401 && session.byCookie && !session.token) toSignIn()
  if (!res.ok) {
    const err = new Error(answer.error || `${res.status} ${res.statusText}`)
    err.status = res.status
    err.answer = answer
    throw err
  }
  return answer
}

// A file the API serves (it needs the token in a header, so no plain link): saved as `name`.
export async function download (path, name) {
  const res = await fetch(path, { headers: authHeaders(session.token), credentials: 'same-origin' })
  if (res.status === 401 && session.byCookie && !session.token) toSignIn()
  if (!res.ok) {
    const answer = await res.json().catch(() => ({}))
    throw new Error(answer.error || `${res.status} ${res.statusText}`)
  }
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}
