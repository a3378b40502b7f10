// REST calls with the token the editor page uses (sessionStorage 'penholder.token').
const TOKEN_KEY = 'penholder.token'

export const session = { token: sessionStorage.getItem(TOKEN_KEY) || '' }

export function setToken (token) {
  session.token = token
  sessionStorage.setItem(TOKEN_KEY, token)
}

export async function api (path, { method = 'GET', body } = {}) {
  const headers = { Authorization: `Bearer ${session.token}` }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const answer = await res.json().catch(() => ({}))
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
  const res = await fetch(path, { headers: { Authorization: `Bearer ${session.token}` } })
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
