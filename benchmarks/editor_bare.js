// The reference of benchmarks/editor_bench.py: a bare page that binds one paragraph's
// Y.Text to an element with y-websocket and nothing else (no editor library, no views).
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'

const { url, draft, token, paragraph } = window.BENCH
const doc = new Y.Doc()
const provider = new WebsocketProvider(url, draft, doc, { params: { token }, disableBc: true })
const el = document.getElementById('text')
let ytext = null
const show = () => { el.textContent = ytext.toString() }
provider.on('sync', (synced) => {
  if (!synced || ytext) return
  const m = doc.getArray('paragraphs').toArray().find((p) => p.get('id') === paragraph)
  ytext = m.get('text')
  ytext.observe(show)
  show()
  el.contentEditable = 'true'
  document.body.dataset.ready = 'true'
})
el.addEventListener('beforeinput', (e) => {
  e.preventDefault()
  if (ytext && e.inputType === 'insertText') ytext.insert(ytext.length, e.data, { italic: null })
})
