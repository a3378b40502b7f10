// How the editor and the console authenticate: an API token pasted in the page's box
// (sent as a Bearer header), else the browser's session cookie from signin.html, with
// the CSRF token (the penholder_csrf cookie's value) on every request that changes
// something. A session that has ended sends the page to signin.html.
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

export function csrfToken () {
  const m = document.cookie.match(/(?:^|;\s*)penholder_csrf=([^;]+)/)
  return m ? decodeURIComponent(m[1]) : ''
}

export function authHeaders (token, method = 'GET') {
  if (token) return { Authorization: `Bearer ${token}` }
  return SAFE.has(method) ? {} : { 'X-CSRF-Token': csrfToken() }
}

// signin.html, coming back here afterwards.
export function toSignIn () {
  location.assign('/signin.html')
}
