// The REST API (docs/ and web/openapi.py) under the pasted token, else the session cookie.
import { authHeaders, toSignIn } from './credentials.js'

let token = ''

export function setToken (t) { token = t }
export function getToken () { return token }

// A refusal becomes an Error with the server's own words ({"error": "..."}). Signed in by
// cookie, a 401 means the session ended (signed out, expired, revoked): sign in again.
export async function api (path, { method = 'GET', body } = {}) {
  const headers = authHeaders(token, method)
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
  const answer = await res.json().catch(() => ({}))
  if (res.status === 401 && !token && cookieSession) toSignIn()
  if (!res.ok) {
    const err = new Error(answer.error || `${res.status} ${res.statusText}`)
    err.status = res.status
    throw err
  }
  return answer
}

// Whether the page is signed in by the session cookie (set once /api/me answered by it).
let cookieSession = false
export function setCookieSession (on) { cookieSession = on }
