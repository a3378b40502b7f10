// What the page tells the user: the connection (an element with role "status" that stays
// in view), errors (role "alert") and notices (role "status"), both read by screen readers.

const $ = (sel) => document.querySelector(sel)

export function message (text, kind = 'error') {
  const el = $('#message')
  // An error is an alert; a notice is polite. Both live regions exist from the start, so
  // that a screen reader announces the text put in them.
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status')
  el.textContent = text || ''
  el.className = text ? kind : ''
}

// Notices ("Filed as No. 4") answer the last action: the next one clears them.
export function clearNotice () {
  if ($('#message').className === 'info') message('')
}

export function clearError () {
  if ($('#message').className === 'error') message('')
}

const TEXTS = {
  connected: 'Connected',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline'
}

// state: connected | connecting | reconnecting | offline; unsynced: local changes the
// server has not had yet (kept in this browser until it has them).
export function showConnection (state, unsynced) {
  const el = $('#status')
  let text = TEXTS[state] || state
  if (unsynced && state !== 'connected') text += ' — unsynced changes kept in this browser'
  if (el.textContent !== text) el.textContent = text
  el.dataset.state = state
  el.classList.toggle('unsynced', !!unsynced)
}
