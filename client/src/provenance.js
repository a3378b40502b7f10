// Where a proposal's new wording comes from: agreed language (an adopted paragraph holds
// it), close to it, or new language. The Propose form asks the library as the delegation
// types (GET /api/library/search); a filed proposal's card asks once per wording
// (GET /api/amendments/{id}/agreed-language). docs/library.md.
import { api } from './api.js'
import { citation, closeness } from './agreed.js'
import { el } from './paragraphs.js'

const WAIT_MS = 600 // after the last keystroke: one search per pause in typing, not per key
const IN_FLIGHT = 3 // cards asked at once: a draft may carry fifty proposals

// One line: "Agreed language: A/RES/79/53 OP12 (2 December 2024)".
export function verdict (agreed, sources) {
  const top = sources[0]
  const where = (r) => `${citation(r)} (${r.date || r.adopted_on || 'date unknown'})`
  if (agreed && top) {
    const others = sources.filter((r) => r.match === 'exact').length - 1
    return `Agreed language: ${where(top)}${others > 0 ? ` and ${others} more` : ''}`
  }
  if (top) return `Close to agreed language: ${where(top)}, ${closeness(top)}`
  return 'New language: no adopted resolution holds this wording'
}

// The form's line under "New text", kept to the text as typed.
export function watchWording (textarea, line) {
  let timer = null
  let asked = 0
  const check = async () => {
    const words = textarea.value.trim()
    const mine = ++asked
    if (!words) { line.textContent = ''; return }
    line.textContent = 'Checking the library…'
    try {
      const found = await api(`/api/library/search?${new URLSearchParams({ q: words, limit: 5 })}`)
      if (mine === asked) line.textContent = verdict(found.exact > 0, found.results)
    } catch (e) {
      if (mine === asked) line.textContent = `Not checked against the library: ${e.message}`
    }
  }
  textarea.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(check, WAIT_MS) })
  if (textarea.value.trim()) check()
  return () => clearTimeout(timer)
}

// Cards are redrawn at every change of the draft: each wording is asked once and its
// answer drawn from memory afterwards.
export class CardProvenance {
  constructor () {
    this.known = new Map() // amendment id -> {text, line | null}
    this.queue = []
    this.running = 0
  }

  // The span to put in proposal `p`'s card (empty for a proposal that adds no text).
  span (p) {
    const span = el('span', 'provenance')
    span.dataset.amendment = p.id
    if (!(p.new_text || '').trim()) return span
    const entry = this.known.get(p.id)
    if (entry && entry.text === p.new_text) {
      span.textContent = entry.line || ''
      return span
    }
    this.known.set(p.id, { text: p.new_text, line: null })
    this.queue.push(p)
    this.pump()
    return span
  }

  pump () {
    while (this.running < IN_FLIGHT && this.queue.length) {
      const p = this.queue.shift()
      this.running++
      this.ask(p).finally(() => { this.running--; this.pump() })
    }
  }

  async ask (p) {
    let line
    try {
      const body = await api(`/api/amendments/${p.id}/agreed-language`)
      line = body.agreed === null ? '' : verdict(body.agreed, body.sources)
    } catch {
      line = '' // a proposal decided meanwhile: its card is gone
    }
    const entry = this.known.get(p.id)
    if (!entry || entry.text !== p.new_text) return
    entry.line = line
    for (const s of document.querySelectorAll(`.provenance[data-amendment="${p.id}"]`)) s.textContent = line
  }
}
