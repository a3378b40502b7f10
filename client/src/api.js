// The REST API (docs/ and web/openapi.py) under the signed-in token.

let token = ''

export function setToken (t) { token = t }
export function getToken () { return token }

// A refusal becomes an Error with the server's own words ({"error": "..."}).
export async function api (path, { method = 'GET', body } = {}) {
  const headers = { Authorization: `Bearer ${token}` }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const answer = await res.json().catch(() => ({}))
  if (!res.ok) throw new Error(answer.error || `${res.status} ${res.statusText}`)
  return answer
}
