#!/usr/bin/env node
// The Hocuspocus reference server (@hocuspocus/server), in memory (no extensions, so no
// persistence), on loopback only.
//
//   node hocuspocus.mjs PORT  prints "listening 127.0.0.1:PORT" once it accepts connections
//
// Hocuspocus multiplexes documents over one socket: the document name travels in each
// message, not in the URL, so clients connect to ws://127.0.0.1:PORT with @hocuspocus/provider.

import { Server } from '@hocuspocus/server'

const port = Number(process.argv[2] ?? process.env.PORT ?? 1234)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`hocuspocus.mjs: bad port ${process.argv[2]}\n`)
  process.exit(2)
}
const HOST = '127.0.0.1'

const server = new Server({ port, address: HOST, quiet: true, stopOnSignals: true })
await server.listen()
process.stdout.write(`listening ${HOST}:${server.address.port}\n`)
