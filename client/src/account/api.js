// The account pages' calls: same-origin JSON with the session cookie, and the CSRF token
// (the penholder_csrf cookie's value) on every request that changes something.
export function csrfToken () {
  const m = document.cookie.match(/(?:^|;\s*)penholder_csrf=([^;]+)/)
  return m ? decodeURIComponent(m[1]) : ''
}

export async function api (path, { method = 'GET', body } = {}) {
  const headers = {}
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken()
  const r = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
  const data = await r.json().catch(() => ({}))
  if (!r.ok) {
    const err = new Error(data.error || `${r.status} ${r.statusText}`)
    err.status = r.status
    throw err
  }
  return data
}

export const $ = (sel) => document.querySelector(sel)

export function say (text) { $('#alert').textContent = ''; $('#status').textContent = text }
export function fail (text) { $('#status').textContent = ''; $('#alert').textContent = text }

export function el (tag, text, attrs = {}) {
  const e = document.createElement(tag)
  if (text != null) e.textContent = text
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v)
  return e
}
