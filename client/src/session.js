// One open draft: its Y document over the websocket (y-websocket), kept in this browser
// too (y-indexeddb) so that what is typed offline survives a reload and is sent when the
// connection returns; the undo manager of the user's own changes; the connection state.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'

export const CLOSES = {
  4401: 'you are signed out (a token unknown or revoked, or a session ended): sign in again',
  4403: 'this token may not do that here (a read-only role, or a token for another draft)',
  4404: 'there is no such draft',
  4400: 'the server did not understand a message',
  1009: 'a message was too large',
  4408: 'the connection was too slow to keep up'
}

// The local copy is per server, draft (and its creation: a recreated database is
// another draft) and account, so that one person's unsent edits are never sent under
// another's token.
function storeName (draft, me) {
  return ['penholder', location.host, draft.id, draft.created_at || '', me.name, me.delegation || '', me.role].join('|')
}

export class Session {
  // onState({state, unsynced}) on every change of the connection; onClose(text, code) when
  // the server closes with a reason. `token` is empty when signed in by cookie.
  constructor ({ draft, me, token, onState, onClose }) {
    this.draftId = draft.id
    this.doc = new Y.Doc()
    // The origin of every change this user makes outside an editor (structure, lead):
    // editors' bindings are origins of their own, added to the undo manager by the editor.
    this.local = { name: 'local' }
    this.undo = new Y.UndoManager(this.doc.getArray('paragraphs'), { trackedOrigins: new Set([this.local]) })
    this.unsynced = false
    this.state = 'connecting'
    this.onState = onState
    this.everConnected = false

    const url = location.origin.replace(/^http/, 'ws') + '/ws/drafts'
    this.provider = new WebsocketProvider(url, String(draft.id), this.doc, {
      // Signed in by cookie, the browser sends it with the handshake: no token in the URL.
      params: token ? { token } : {},
      // Tabs of one browser must not sync (or speak in presence) around the server, which
      // checks and stamps everything a client sends.
      disableBc: true
    })
    this.awareness = this.provider.awareness
    // Made after the provider, so that each local change goes to the server before it is
    // stored here (each listens to the document's updates, in the order they were made).
    // Only those who edit keep a copy: a read-only page has nothing of its own to keep, and
    // a copy loaded before the server's answer would make its sync reply carry the
    // document's delete set, which the server takes for an edit and refuses (4403).
    this.store = me.can.edit ? new IndexeddbPersistence(storeName(draft, me), this.doc) : null

    // A change made here while the server cannot have it is unsynced until the next sync,
    // in which the provider sends the server everything it lacks.
    this.doc.on('update', (_update, origin) => {
      if (origin === this.provider || (this.store && origin === this.store)) return
      if (!this.provider.wsconnected || !this.provider.synced) { this.unsynced = true; this.emit() }
    })
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') this.everConnected = true
      this.state = status === 'connected' ? (this.provider.synced ? 'connected' : 'connecting')
        : !navigator.onLine ? 'offline' : this.everConnected ? 'reconnecting' : 'connecting'
      this.emit()
    })
    this.provider.on('sync', (synced) => {
      if (!synced) return
      this.state = 'connected'
      // Our answer to the server's sync step 1 (all it lacks) went out with this message.
      this.unsynced = false
      this.emit()
    })
    this.provider.on('connection-close', (event) => {
      if (event == null) return
      const why = CLOSES[event.code] || 'the connection closed'
      onClose(`Disconnected (${event.code}${event.reason ? `: ${event.reason}` : ''}) — ${why}.` +
        (event.code >= 4400 && event.code < 4500 ? ' Reload to reconnect.' : ' Reconnecting…'), event.code)
    })
    this.onOffline = () => { this.state = 'offline'; this.emit() }
    this.onOnline = () => { if (this.state === 'offline') { this.state = 'reconnecting'; this.emit() } }
    window.addEventListener('offline', this.onOffline)
    window.addEventListener('online', this.onOnline)
  }

  emit () { this.onState({ state: this.state, unsynced: this.unsynced }) }

  // Resolves once the document has content to show: from the server or this browser.
  ready () {
    return new Promise((resolve) => {
      if (this.provider.synced) { resolve('server'); return }
      this.provider.once('sync', () => resolve('server'))
      if (this.store) this.store.whenSynced.then(() => { if (this.doc.getArray('paragraphs').length) resolve('browser') })
    })
  }

  destroy () {
    window.removeEventListener('offline', this.onOffline)
    window.removeEventListener('online', this.onOnline)
    this.undo.destroy()
    this.provider.destroy()
    if (this.store) this.store.destroy()
    this.doc.destroy()
  }
}
