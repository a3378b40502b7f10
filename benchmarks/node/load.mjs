#!/usr/bin/env node
// Load generator for benchmarks/sync_bench.py: N clients in one room, in this one process.
//
//   node load.mjs --protocol y-websocket --url ws://127.0.0.1:PORT/ws/drafts --room ID [--token T]
//   node load.mjs --protocol hocuspocus  --url ws://127.0.0.1:PORT --room ID
//        [--clients 100] [--rate 2] [--seconds 10] [--warmup 2] [--drain-ms 5000]
//        [--connect-timeout-ms 30000] [--apply batched|immediate] [--initial-state FILE]
//
// --url may list several servers, comma-separated (processes sharing the room through
// Redis): client i connects to the (i mod count)-th, so that latency is measured across
// processes on this one clock. --token may list several, comma-separated: client i signs in
// with the (i mod count)-th, as the editors of a room each with their own account.
//
// Every client has its own Y.Doc and its own socket: y-websocket's WebsocketProvider for
// servers that speak the y-websocket protocol (Penholder included), @hocuspocus/provider for
// Hocuspocus. Once all have synced, the shared text is the Y.Text of the first paragraph
// (`paragraphs[0].text`): Penholder's draft has it already; on a server that starts empty,
// client 0 creates `paragraphs` with one map {id, kind, level, text} the same way, so the
// work is the same.
//
// Each client appends a marker "[m<client>:<seq>:<µs>]" to that text at a steady rate
// (client i at (i/N + k) periods), first for --warmup seconds (markers "[w...]", not
// counted), then for --seconds. The time in the marker is performance.now() in this process,
// which is also the receiving clock. A client records a marker of another client when the
// update carrying it reaches its provider (the message handler, before Yjs applies it): the
// fan-out latency is that time minus the time in the marker. Appending never splits an
// earlier marker, so each marker travels whole, as UTF-8, inside one update.
//
// --apply batched (default): a client applies the updates it received to its Y.Doc just
// before its own next edit (so it always edits the latest text it has), in one transaction.
// With --apply immediate every update is applied as it arrives, as a browser would; at 100
// clients x 2 edits/s that is ~20,000 Yjs transactions/s in this one thread (each walks the
// state vector of all 100 authors), which saturates the generator before any server, so the
// latency would measure the generator. The server's work is the same either way.
//
// At the end every client applies what it has and the texts are compared (converged) and
// checked for every measured marker (markers_in_text).
//
// Prints one JSON line: {p50_ms, p99_ms, updates_per_s, sent, delivered, expected, ...}
// where updates_per_s = measured markers delivered to other clients per second, from the
// first measured send to the last delivery. Exits 1 (printing {"error": ...}) if the clients
// do not all connect and sync in time. Bounded: it stops by itself after connect + warmup +
// seconds + drain.

import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import { WebsocketProvider } from 'y-websocket'
import { HocuspocusProvider } from '@hocuspocus/provider'
import WebSocket from 'ws'
import { readFileSync } from 'node:fs'

const SYNC = 0 // message type, both protocols
const SYNC_UPDATE = 2 // sync step: 0 state vector, 1 reply, 2 update

function parseArgs (argv) {
  const o = {
    protocol: 'y-websocket', url: null, room: 'bench', token: null, clients: 100, rate: 2,
    seconds: 10, warmup: 2, drainMs: 5000, connectTimeoutMs: 30000, apply: 'batched', initialState: null
  }
  const numeric = { '--clients': 'clients', '--rate': 'rate', '--seconds': 'seconds', '--warmup': 'warmup', '--drain-ms': 'drainMs', '--connect-timeout-ms': 'connectTimeoutMs' }
  const text = { '--protocol': 'protocol', '--url': 'url', '--room': 'room', '--token': 'token', '--apply': 'apply', '--initial-state': 'initialState' }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const v = argv[i + 1]
    if (a in numeric || a in text) {
      if (v === undefined) fail(`${a} needs a value`, 2)
      i++
      if (a in text) {
        o[text[a]] = v
      } else {
        const x = Number(v)
        if (!Number.isFinite(x) || x < 0) fail(`${a}: not a non-negative number: ${v}`, 2)
        o[numeric[a]] = x
      }
    } else {
      fail(`unknown argument ${a}`, 2)
    }
  }
  if (!o.url) fail('--url is required', 2)
  if (!['y-websocket', 'hocuspocus'].includes(o.protocol)) fail(`--protocol: y-websocket or hocuspocus, not ${o.protocol}`, 2)
  if (!['batched', 'immediate'].includes(o.apply)) fail(`--apply: batched or immediate, not ${o.apply}`, 2)
  if (!Number.isInteger(o.clients) || o.clients < 2 || o.clients > 1000) fail('--clients: an integer from 2 to 1000', 2)
  if (o.rate <= 0 || o.rate > 100) fail('--rate: edits per second per client, above 0 and at most 100', 2)
  if (o.seconds <= 0 || o.seconds > 600 || o.warmup > 60) fail('--seconds: above 0 and at most 600; --warmup: at most 60', 2)
  o.drainMs = Math.min(o.drainMs, 60000)
  o.connectTimeoutMs = Math.min(o.connectTimeoutMs, 120000)
  o.tokens = o.token !== null ? o.token.split(',').map((t) => t.trim()).filter((t) => t) : null
  o.urls = o.url.split(',').map((u) => u.trim().replace(/\/+$/, '')).filter((u) => u)
  o.url = o.urls.join(',')
  return o
}

function fail (message, code = 1) {
  process.stdout.write(JSON.stringify({ error: message }) + '\n')
  process.stderr.write(`load.mjs: ${message}\n`)
  process.exit(code)
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const nowUs = () => Math.round(performance.now() * 1000)
const MARKER = /\[([wm])(\d+):(\d+):(\d+)\]/g

const stats = {
  latencies: [], // ms, measured markers from other clients
  delivered: 0,
  deliveredWarmup: 0,
  lastDelivery: 0, // µs
  foreign: 0 // markers naming a client that does not exist (should stay 0)
}

// The markers an update carries, recorded for the client that received it at `at` (µs).
function record (client, update, at, n) {
  const bytes = Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString('latin1')
  for (const m of bytes.matchAll(MARKER)) {
    const sender = Number(m[2])
    if (sender === client.index) continue // y-websocket-server echoes to the sender
    if (sender >= n) { stats.foreign++; continue }
    if (m[1] === 'w') { stats.deliveredWarmup++; continue }
    stats.latencies.push((at - Number(m[4])) / 1000)
    stats.delivered++
    stats.lastDelivery = at
  }
}

function connect (o, index) {
  const doc = new Y.Doc()
  const client = {
    index, doc, provider: null, synced: false, text: null, closed: 0, measuring: false, pending: []
  }
  // Apply what was received, in one transaction whose origin is the provider (so that the
  // provider does not send it back, exactly as when it applies an update itself).
  // The provider's own 'update' listener is detached meanwhile: it would only drop the
  // update (its origin is the provider), but while it listens Yjs encodes every such
  // transaction for it, which was a good part of this generator's CPU.
  client.flush = () => {
    if (client.pending.length === 0) return
    const updates = client.pending
    client.pending = []
    const listener = client.provider._updateHandler ?? client.provider.boundDocumentUpdateHandler
    if (listener) doc.off('update', listener)
    try {
      doc.transact(() => {
        for (const u of updates) Y.applyUpdate(doc, u, client.provider)
      }, client.provider)
    } finally {
      if (listener) doc.on('update', listener)
    }
  }
  // An incoming sync update while measuring: record its markers, then apply it now or later.
  const take = (update) => {
    record(client, update, nowUs(), o.clients)
    if (o.apply === 'batched') client.pending.push(update)
    else Y.applyUpdate(doc, update, client.provider)
  }

  if (o.protocol === 'y-websocket') {
    const provider = new WebsocketProvider(o.urls[index % o.urls.length], o.room, doc, {
      params: o.token !== null ? { token: o.tokens[index % o.tokens.length] } : {},
      WebSocketPolyfill: WebSocket,
      disableBc: true // in-process clients must not talk to each other but through the server
    })
    provider.on('sync', (s) => { if (s) client.synced = true })
    provider.on('connection-close', (e) => { if (e) client.closed++ })
    const original = provider.messageHandlers[SYNC] // a per-provider copy
    provider.messageHandlers[SYNC] = (encoder, decoder, p, emitSynced, type) => {
      if (client.measuring && decoding.peekVarUint(decoder) === SYNC_UPDATE) {
        decoding.readVarUint(decoder)
        return take(decoding.readVarUint8Array(decoder)) // nothing to answer to an update
      }
      client.flush()
      return original(encoder, decoder, p, emitSynced, type)
    }
    client.provider = provider
  } else {
    const provider = new HocuspocusProvider({
      url: o.urls[index % o.urls.length], name: o.room, document: doc, token: o.token ?? 'bench', WebSocketPolyfill: WebSocket
    })
    provider.on('synced', ({ state }) => { if (state) client.synced = true })
    provider.on('close', () => { client.closed++ })
    const original = provider.onMessage // called by its socket for each message of this document
    provider.onMessage = (event) => {
      if (client.measuring) {
        // document name, message type, sync step, update
        const decoder = decoding.createDecoder(new Uint8Array(event.data))
        decoding.readVarString(decoder)
        if (decoding.readVarUint(decoder) === SYNC && decoding.readVarUint(decoder) === SYNC_UPDATE) {
          return take(decoding.readVarUint8Array(decoder))
        }
      }
      client.flush()
      return original.call(provider, event)
    }
    client.provider = provider
  }
  return client
}

function firstText (doc) {
  const paragraphs = doc.getArray('paragraphs')
  const first = paragraphs.length > 0 ? paragraphs.get(0) : null
  const text = first instanceof Y.Map ? first.get('text') : null
  return text instanceof Y.Text ? text : null
}

async function waitFor (predicate, timeoutMs, what) {
  const until = Date.now() + timeoutMs
  while (!predicate()) {
    if (Date.now() > until) return fail(`timed out after ${timeoutMs} ms waiting for ${what()}`)
    await sleep(10)
  }
}

function percentile (sorted, p) {
  if (sorted.length === 0) return null
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]
}

async function main () {
  process.setMaxListeners(0) // y-websocket adds one 'exit' listener per provider
  const o = parseArgs(process.argv.slice(2))
  const n = o.clients
  const cpuStart = process.cpuUsage()
  const t0 = performance.now()

  // 1. connect every client and wait until all have synced
  const clients = []
  for (let i = 0; i < n; i++) clients.push(connect(o, i))
  await waitFor(() => clients.every((c) => c.synced), o.connectTimeoutMs,
    () => `${clients.filter((c) => !c.synced).length} of ${n} clients to sync with ${o.url} (room ${o.room}); ` +
      `closes seen: ${clients.reduce((s, c) => s + c.closed, 0)}`)
  const connectMs = performance.now() - t0

  // 2. the shared text: paragraphs[0].text, created by client 0 if the server starts empty
  if (!firstText(clients[0].doc) && o.initialState) {
    let state
    try {
      state = new Uint8Array(readFileSync(o.initialState))
    } catch (e) {
      fail(`--initial-state: ${e.message}`, 2)
    }
    Y.applyUpdate(clients[0].doc, state)
    if (!firstText(clients[0].doc)) fail('--initial-state: the document has no paragraphs[0].text', 2)
  }
  if (!firstText(clients[0].doc)) {
    const doc = clients[0].doc
    doc.transact(() => {
      const map = new Y.Map()
      map.set('id', 'bench.op1')
      map.set('kind', 'op')
      map.set('level', 0)
      map.set('text', new Y.Text('Calls upon all States to '))
      doc.getArray('paragraphs').push([map])
    })
  }
  await waitFor(() => clients.every((c) => firstText(c.doc)), o.connectTimeoutMs,
    () => `${clients.filter((c) => !firstText(c.doc)).length} clients to see paragraphs[0].text`)
  const firstId = clients[0].doc.getArray('paragraphs').get(0).get('id')
  if (!clients.every((c) => c.doc.getArray('paragraphs').get(0).get('id') === firstId)) {
    fail('clients disagree on the first paragraph')
  }
  for (const c of clients) {
    c.text = firstText(c.doc)
    c.measuring = true
  }

  // 3. steady sending: client i sends at start + (i/n + k) * period
  const period = 1000 / o.rate
  let sent = 0
  let sentWarmup = 0
  const warmupStart = performance.now()
  const measureStart = warmupStart + o.warmup * 1000
  const stopAt = measureStart + o.seconds * 1000
  let measureStartUs = null
  // how long this process's event loop was busy when something was due: arrivals recorded
  // that late are late because of the generator, not the server
  const loopDelay = monitorEventLoopDelay({ resolution: 5 })
  setTimeout(() => loopDelay.enable(), Math.max(0, measureStart - performance.now()))
  const senders = clients.map((c) => new Promise((resolve) => {
    let seq = 0
    let k = 0
    const tick = () => {
      const now = performance.now()
      if (now >= stopAt) return resolve()
      c.flush()
      const measured = now >= measureStart
      const us = nowUs()
      if (measured && measureStartUs === null) measureStartUs = us
      c.text.insert(c.text.length, `[${measured ? 'm' : 'w'}${c.index}:${seq++}:${us}]`)
      if (measured) sent++; else sentWarmup++
      k++
      const next = warmupStart + (c.index / n + k) * period
      setTimeout(tick, Math.max(0, next - performance.now()))
    }
    setTimeout(tick, (c.index / n) * period)
  }))
  await Promise.all(senders)
  loopDelay.disable()
  const cpuSending = process.cpuUsage(cpuStart)

  // 4. drain: wait for the deliveries still on their way, up to --drain-ms
  const expected = sent * (n - 1)
  const drainUntil = performance.now() + o.drainMs
  while (stats.delivered < expected && performance.now() < drainUntil) await sleep(10)

  // 5. every client applies what it has; the texts must agree and hold every marker
  for (const c of clients) c.flush()
  const reference = clients[0].text.toString()
  const converged = clients.every((c) => c.text.toString() === reference)
  const markersInText = [...reference.matchAll(MARKER)].filter((m) => m[1] === 'm').length

  stats.latencies.sort((a, b) => a - b)
  const spanS = measureStartUs !== null && stats.lastDelivery > measureStartUs
    ? (stats.lastDelivery - measureStartUs) / 1e6 : null
  const round = (x, d = 2) => x === null ? null : Number(x.toFixed(d))
  const wallS = (performance.now() - t0) / 1000
  const result = {
    protocol: o.protocol,
    apply: o.apply,
    clients: n,
    rate_per_client: o.rate,
    seconds: o.seconds,
    p50_ms: round(percentile(stats.latencies, 50)),
    p99_ms: round(percentile(stats.latencies, 99)),
    max_ms: round(stats.latencies.length ? stats.latencies[stats.latencies.length - 1] : null),
    updates_per_s: spanS ? Math.round(stats.delivered / spanS) : 0,
    sent,
    delivered: stats.delivered,
    expected,
    sent_warmup: sentWarmup,
    delivered_warmup: stats.deliveredWarmup,
    foreign_markers: stats.foreign,
    converged,
    markers_in_text: markersInText,
    connect_ms: Math.round(connectMs),
    synced_at_ms: Math.round(t0 + connectMs), // since this process started (performance.now())
    text_length: clients[0].text.length,
    // the generator's own CPU while sending, as a share of one core: near 1 means it, not
    // the server, may be what limits the figures
    loadgen_loop_delay_p99_ms: loopDelay.count ? round(loopDelay.percentile(99) / 1e6, 1) : null,
    loadgen_cpu: round((cpuSending.user + cpuSending.system) / 1e6 / ((stopAt - t0) / 1000)),
    wall_s: round(wallS, 1)
  }
  for (const c of clients) c.provider.destroy()
  process.stdout.write(JSON.stringify(result) + '\n')
  process.exit(0)
}

main().catch((err) => fail((err && err.stack) || String(err)))
