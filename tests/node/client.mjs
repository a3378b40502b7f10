#!/usr/bin/env node
// A command-line Yjs client for Penholder's integration tests (y-websocket protocol).
//
//   node client.mjs --url ws://127.0.0.1:PORT/ws/drafts --draft ID [--token T]
//                   [--create-paragraph ID]... [--insert-at PARAGRAPH_ID:OFFSET:TEXT]...
//                   [--state FILE] [--offline-first] [--save-state FILE]
//                   [--expect-text PARAGRAPH_ID:SUBSTRING]... [--wait-ms N]
//                   [--timeout-ms N] [--no-reconnect]
//
// Prints one JSON line on stdout:
//   {"synced": bool, "paragraphs": [{"id", "text"}], "closeCode": null|N, "closeReason": null|str}
// and exits 0; on a timeout, a connection the server closed or refused before sync, or an
// expectation not met, it prints that line too (synced may be false) and exits 1 with the
// reason on stderr. See README.md beside this file.

import fs from 'node:fs'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const USAGE = `usage: node client.mjs --url ws://HOST:PORT/ws/drafts --draft ID [--token T]
  [--create-paragraph ID[:KIND]]...   append a paragraph {id, kind (default op), level 0, text}
  [--insert-at PARAGRAPH_ID:OFFSET:TEXT]...  insert TEXT at a UTF-16 OFFSET ("end" = at the end)
  [--state FILE]            start from a binary Yjs update saved by --save-state
  [--offline-first]         make the edits on the local document before connecting
  [--save-state FILE]       save the document as a binary Yjs update on exit
  [--expect-text PARAGRAPH_ID:SUBSTRING]...  wait until the paragraph contains SUBSTRING
  [--wait-ms N]             stay connected N ms after sync and edits (default 0)
  [--timeout-ms N]          limit for connecting, syncing and expectations (default 10000)
  [--no-reconnect]          stop at the first close the server sends`

class Failure extends Error {}

function parseArgs (argv) {
  const opts = {
    url: null, draft: null, token: null, creates: [], inserts: [], expects: [],
    state: null, saveState: null, offlineFirst: false, waitMs: 0, timeoutMs: 10000,
    reconnect: true
  }
  const takesValue = new Set(['--url', '--draft', '--token', '--create-paragraph', '--insert-at',
    '--expect-text', '--state', '--save-state', '--wait-ms', '--timeout-ms'])
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE + '\n')
      process.exit(0)
    }
    let value
    if (takesValue.has(arg)) {
      if (i + 1 >= argv.length) throw new Failure(`${arg} needs a value`)
      value = argv[++i]
    }
    switch (arg) {
      case '--url': opts.url = value.replace(/\/+$/, ''); break
      case '--draft': opts.draft = value; break
      case '--token': opts.token = value; break
      case '--state': opts.state = value; break
      case '--save-state': opts.saveState = value; break
      case '--offline-first': opts.offlineFirst = true; break
      case '--no-reconnect': opts.reconnect = false; break
      case '--wait-ms': opts.waitMs = nonNegativeInt(arg, value); break
      case '--timeout-ms': opts.timeoutMs = nonNegativeInt(arg, value); break
      case '--create-paragraph': {
        const [id, kind = 'op'] = splitOnce(value)
        if (!id) throw new Failure(`--create-paragraph ${value}: empty id`)
        opts.creates.push({ id, kind })
        break
      }
      case '--insert-at': {
        const first = value.indexOf(':')
        const second = first < 0 ? -1 : value.indexOf(':', first + 1)
        if (first <= 0 || second < 0) {
          throw new Failure(`--insert-at ${value}: expected PARAGRAPH_ID:OFFSET:TEXT`)
        }
        const offsetText = value.slice(first + 1, second)
        const offset = offsetText === 'end' ? 'end' : nonNegativeInt('--insert-at offset', offsetText)
        opts.inserts.push({ id: value.slice(0, first), offset, text: value.slice(second + 1) })
        break
      }
      case '--expect-text': {
        const [id, substring] = splitOnce(value)
        if (!id || substring === undefined) {
          throw new Failure(`--expect-text ${value}: expected PARAGRAPH_ID:SUBSTRING`)
        }
        opts.expects.push({ id, substring })
        break
      }
      default:
        throw new Failure(`unknown argument ${arg}\n${USAGE}`)
    }
  }
  if (!opts.url) throw new Failure(`--url is required\n${USAGE}`)
  if (!opts.draft) throw new Failure(`--draft is required\n${USAGE}`)
  return opts
}

function splitOnce (value) {
  const i = value.indexOf(':')
  return i < 0 ? [value, undefined] : [value.slice(0, i), value.slice(i + 1)]
}

function nonNegativeInt (name, value) {
  if (!/^\d+$/.test(value)) throw new Failure(`${name}: not a non-negative integer: ${value}`)
  return Number(value)
}

function findParagraph (doc, id) {
  for (const item of doc.getArray('paragraphs')) {
    if (item instanceof Y.Map && item.get('id') === id) return item
  }
  return null
}

function paragraphTexts (doc) {
  const out = []
  for (const item of doc.getArray('paragraphs')) {
    if (!(item instanceof Y.Map)) continue
    const text = item.get('text')
    out.push({ id: item.get('id') ?? null, text: text instanceof Y.Text ? text.toString() : null })
  }
  return out
}

// Creations first, then insertions in the order given, in one transaction (one update).
function applyEdits (doc, opts) {
  doc.transact(() => {
    for (const { id, kind } of opts.creates) {
      const map = new Y.Map()
      map.set('id', id)
      map.set('kind', kind)
      map.set('level', kind === 'sub' ? 1 : 0)
      map.set('text', new Y.Text())
      doc.getArray('paragraphs').push([map])
    }
    for (const { id, offset, text } of opts.inserts) {
      const paragraph = findParagraph(doc, id)
      if (!paragraph) throw new Failure(`--insert-at: no paragraph ${id} in the document`)
      const ytext = paragraph.get('text')
      if (!(ytext instanceof Y.Text)) throw new Failure(`--insert-at: paragraph ${id} has no Y.Text`)
      const at = offset === 'end' ? ytext.length : offset
      if (at > ytext.length) {
        throw new Failure(`--insert-at: offset ${at} past the end of ${id} (length ${ytext.length})`)
      }
      ytext.insert(at, text)
    }
  }, 'client.mjs')
}

function unmetExpectations (doc, expects) {
  return expects.filter(({ id, substring }) => {
    const paragraph = findParagraph(doc, id)
    const text = paragraph && paragraph.get('text')
    return !(text instanceof Y.Text && text.toString().includes(substring))
  })
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function main () {
  const opts = parseArgs(process.argv.slice(2))
  const deadline = Date.now() + opts.timeoutMs
  const doc = new Y.Doc()
  if (opts.state) {
    let bytes
    try {
      bytes = fs.readFileSync(opts.state)
    } catch (err) {
      throw new Failure(`--state ${opts.state}: ${err.message}`)
    }
    Y.applyUpdate(doc, new Uint8Array(bytes), 'state-file')
  }
  const result = { synced: false, paragraphs: [], closeCode: null, closeReason: null }
  let failure = null // set by a close the client must not outlive
  let provider = null
  let closingOurselves = false

  const finish = async (exitCode, message) => {
    closingOurselves = true
    if (provider) {
      await flush(provider)
      provider.destroy()
    }
    result.paragraphs = paragraphTexts(doc)
    if (opts.saveState) fs.writeFileSync(opts.saveState, Y.encodeStateAsUpdate(doc))
    process.stdout.write(JSON.stringify(result) + '\n')
    if (message) process.stderr.write(`client.mjs: ${message}\n`)
    // The provider's timers and sockets are gone; exit explicitly so that nothing lingers.
    process.exit(exitCode)
  }

  if (opts.offlineFirst) {
    try {
      applyEdits(doc, opts)
    } catch (err) {
      if (err instanceof Failure) return finish(1, err.message)
      throw err
    }
  }

  const params = opts.token !== null ? { token: opts.token } : {}
  provider = new WebsocketProvider(opts.url, opts.draft, doc, {
    params, WebSocketPolyfill: WebSocket, disableBc: true, connect: false
  })
  let lastError = null
  provider.on('connection-error', (event) => {
    lastError = event && (event.message || (event.error && event.error.message)) || 'error'
  })
  provider.on('connection-close', (event) => {
    // event is null when the provider closed the socket itself (disconnect, watchdog)
    if (closingOurselves || event == null) return
    if (result.closeCode === null) {
      result.closeCode = event.code
      result.closeReason = event.reason || ''
    }
    if (!opts.reconnect) {
      provider.disconnect()
      const detail = `connection closed: code ${event.code}` +
        (event.reason ? ` (${event.reason})` : '') + (lastError ? `; ${lastError}` : '')
      failure = provider.synced || result.synced ? detail : `${detail} before sync`
    }
  })
  // y-websocket gives up by itself after a close in 4400-4499 (the server's "don't retry")
  provider.on('closed', ({ code, reason }) => {
    if (closingOurselves || failure) return
    const detail = `connection closed: code ${code}${reason ? ` (${reason})` : ''}` +
      (provider.synced || result.synced ? '' : ' before sync')
    failure = `${detail}; the provider does not retry it`
  })
  provider.connect()

  // 1. connect and sync
  while (!provider.synced) {
    if (failure && !result.synced) return finish(1, failure)
    if (Date.now() > deadline) {
      const last = result.closeCode !== null
        ? `; last close: code ${result.closeCode}${result.closeReason ? ` (${result.closeReason})` : ''}`
        : (lastError ? `; last error: ${lastError}` : '')
      return finish(1, `timed out after ${opts.timeoutMs} ms waiting for sync with ${provider.url}${last}`)
    }
    await sleep(5)
  }
  result.synced = true

  // 2. online edits
  if (!opts.offlineFirst) {
    try {
      applyEdits(doc, opts)
    } catch (err) {
      if (err instanceof Failure) return finish(1, err.message)
      throw err
    }
  }

  // 3. expectations
  for (;;) {
    const unmet = unmetExpectations(doc, opts.expects)
    if (unmet.length === 0) break
    if (failure) return finish(1, `${failure}; still expected ${describe(unmet)}`)
    if (Date.now() > deadline) {
      return finish(1, `timed out after ${opts.timeoutMs} ms waiting for ${describe(unmet)}`)
    }
    await sleep(5)
  }

  // 4. stay connected to receive others' edits
  if (opts.waitMs > 0) await sleep(opts.waitMs)
  return finish(0, null)
}

function describe (unmet) {
  return unmet.map(({ id, substring }) => `${id} to contain ${JSON.stringify(substring)}`).join(', ')
}

// Let the socket hand our last messages to the kernel before the close frame goes out;
// on loopback the server then reads them before it sees the close.
async function flush (provider) {
  const ws = provider.ws
  const until = Date.now() + 2000
  while (ws && ws.readyState === WebSocket.OPEN && ws.bufferedAmount > 0 && Date.now() < until) {
    await sleep(2)
  }
}

main().catch((err) => {
  const message = err instanceof Failure ? err.message : (err && err.stack) || String(err)
  process.stderr.write(`client.mjs: ${message}\n`)
  process.exit(err instanceof Failure ? 2 : 1)
})
