#!/usr/bin/env node
// The y-websocket reference server (@y/websocket-server, the server y-websocket 3 moved
// out of its package), in memory, on loopback only.
//
//   node ywss.mjs PORT        prints "listening 127.0.0.1:PORT" once it accepts connections
//
// Any path is a room (the path after the first "/" up to "?"), so the benchmark can use
// ws://127.0.0.1:PORT/ws/drafts/ROOM exactly as it does for Penholder; query parameters
// (the token) are ignored.

import http from 'node:http'

// utils.js reads these when it is imported: no LevelDB persistence, no HTTP callback.
delete process.env.YPERSISTENCE
delete process.env.CALLBACK_URL

const { setupWSConnection } = await import('@y/websocket-server/utils')
const { WebSocketServer } = await import('ws')

const port = Number(process.argv[2] ?? process.env.PORT ?? 1234)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`ywss.mjs: bad port ${process.argv[2]}\n`)
  process.exit(2)
}
const HOST = '127.0.0.1'

const wss = new WebSocketServer({ noServer: true })
wss.on('connection', setupWSConnection)
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' })
  res.end('okay')
})
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
})
server.listen(port, HOST, () => {
  process.stdout.write(`listening ${HOST}:${server.address().port}\n`)
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const ws of wss.clients) ws.terminate()
    server.close(() => process.exit(0))
    setTimeout(() => process.exit(0), 1000).unref()
  })
}
