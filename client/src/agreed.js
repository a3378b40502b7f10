// "Where was this agreed?": the words selected in a paragraph (or the whole paragraph)
// searched in the library of adopted resolutions (GET /api/library/search,
// docs/library.md), the matches listed in a panel with the match marked in its sentence,
// and the wording taken from there: quoted into a proposal, or inserted in the text by
// those who edit it.
import { api } from './api.js'
import { el } from './paragraphs.js'
import { textBetween } from './text.js'

export const SHORTCUT = 'Alt+Shift+A'
const LIMIT = 10

// The sentence around the match, with the match in <mark>.
export function marked (sentence, span) {
  const p = el('p', 'sentence')
  if (!span) { p.textContent = sentence; return p }
  const [a, b] = span
  p.append(sentence.slice(0, a), el('mark', null, sentence.slice(a, b)), sentence.slice(b))
  return p
}

export function citation (r) {
  return `${r.symbol} ${r.label}`
}

// "exact" or "86 % alike": how close a source is to the words searched.
export function closeness (r) {
  return r.match === 'exact' ? 'exact' : `${Math.round(r.similarity * 100)} % alike`
}

// The Propose form on a paragraph, filled: `quote` (if any) replaced by `wording`, else the
// wording proposed as the paragraph's new text.
export function proposeWording (proposals, view, quote, wording) {
  proposals.open(view, quote)
  const f = proposals.form && proposals.form.el
  if (!f) return
  if (quote) f.elements.operation.value = 'replace_text'
  f.elements.operation.dispatchEvent(new Event('change'))
  f.elements.new_text.value = wording
  f.elements.new_text.dispatchEvent(new Event('input'))
  f.elements.new_text.focus()
}

export class AgreedLanguage {
  // root: the panel (a labelled region, hidden until a search); proposals: the Proposals
  // (to quote a wording into the Propose form).
  constructor ({ root, me, proposals }) {
    this.root = root
    this.me = me
    this.proposals = proposals
    this.draft = null
    this.asked = 0 // the latest search wins: an earlier one may answer after it
    this.query = root.querySelector('.query')
    this.status = root.querySelector('[role=status]')
    this.error = root.querySelector('[role=alert]')
    this.list = root.querySelector('ol')
    root.querySelector('button.close').addEventListener('click', () => this.close())
    this.onKey = (e) => {
      if (!(e.altKey && e.shiftKey && !e.ctrlKey && !e.metaKey && e.code === 'KeyA')) return
      if (e.target.closest && e.target.closest('input, textarea, select')) return // typing in a form
      // Read-only paragraphs take no focus, so the shortcut is the page's, not an editor's:
      // the paragraph is the one holding the selection, else the last one that had the caret.
      const node = this.draft && getSelection().focusNode
      const para = node && (node.nodeType === 1 ? node : node.parentElement).closest('.para')
      const v = (para && this.draft.byId.get(para.dataset.id)) || (this.draft && this.draft.current)
      if (!v) return
      e.preventDefault()
      this.search(v)
    }
    document.addEventListener('keydown', this.onKey)
  }

  destroy () {
    document.removeEventListener('keydown', this.onKey)
    this.close()
  }

  // The paragraph's action: "Find agreed language on OP5".
  decorate (v) {
    const b = el('button', 'find-agreed', 'Agreed?')
    b.type = 'button'
    b.dataset.name = 'Find agreed language'
    b.setAttribute('aria-keyshortcuts', SHORTCUT)
    b.title = `Where was this agreed? (${SHORTCUT.replace(/\+/g, ' + ')})`
    // A mouse press must not take the selection out of the paragraph before it is read.
    b.addEventListener('mousedown', (e) => e.preventDefault())
    b.addEventListener('click', () => this.search(v))
    v.actions.append(b)
  }

  close () {
    this.asked++
    this.root.hidden = true
    this.list.replaceChildren()
    this.status.textContent = ''
    this.error.textContent = ''
  }

  // The selection in the paragraph, else the whole paragraph.
  async search (v) {
    const r = this.draft.selectionOf(v)
    const selected = r && r.length ? textBetween(v.ytext, r.index, r.length).trim() : ''
    const words = selected || textBetween(v.ytext, 0, v.ytext.length).trim()
    const mine = ++this.asked
    this.root.hidden = false
    this.query.replaceChildren(el('q', null, words), ` ${selected ? 'selected in' : 'the whole of'} ${v.label}`)
    this.list.replaceChildren()
    this.error.textContent = ''
    this.status.textContent = 'Searching the adopted resolutions…'
    if (window.matchMedia('(max-width: 700px)').matches) this.root.scrollIntoView({ block: 'start' })
    let found
    try {
      found = await api(`/api/library/search?${new URLSearchParams({ q: words, limit: LIMIT })}`)
    } catch (e) {
      if (mine !== this.asked) return
      this.status.textContent = ''
      this.error.textContent = e.message
      return
    }
    if (mine !== this.asked) return
    const { results } = found
    const near = results.length - results.filter((x) => x.match === 'exact').length
    this.status.textContent = results.length
      ? `${found.exact} exact and ${near} near match${near === 1 ? '' : 'es'}${found.more ? ' (the first shown)' : ''}`
      : 'New language: no adopted resolution holds these words or words close to them.'
    const target = { view: v, selected: selected && r }
    this.list.replaceChildren(...results.map((x) => this.item(x, target)))
  }

  item (r, target) {
    const li = el('li', 'source')
    const head = el('p', 'cite')
    head.append(el('strong', null, citation(r)), `, ${r.date || r.adopted_on || 'date unknown'} · ${closeness(r)}`)
    li.setAttribute('aria-label', `${citation(r)}, ${r.date || ''}`)
    li.append(head, marked(r.sentence, r.sentence_span))
    const actions = el('div', 'source-actions')
    const { view } = target
    if (this.me.can.propose) {
      actions.append(this.button('Propose the wording', `Propose the wording of ${citation(r)} on ${view.label}`,
        () => this.propose(r, target)))
    }
    if (this.me.can.edit) {
      actions.append(this.button('Insert', `Insert the wording of ${citation(r)} in ${view.label}`,
        () => this.insert(r, target)))
    }
    if (actions.firstChild) li.append(actions)
    return li
  }

  button (text, name, run) {
    const b = el('button', null, text)
    b.type = 'button'
    b.setAttribute('aria-label', name)
    b.addEventListener('click', run)
    return b
  }

  // The Propose form on the paragraph: the words searched replaced by the adopted ones.
  propose (r, { view, selected }) {
    const quote = selected ? textBetween(view.ytext, selected.index, selected.length) : ''
    proposeWording(this.proposals, view, quote, r.matched)
  }

  // Into the text itself (penholders, the Secretariat): in place of the selection, else at
  // the caret; one undo step like any typing.
  insert (r, { view }) {
    const quill = view.editor.quill
    const at = this.draft.selectionOf(view) || { index: view.ytext.length, length: 0 }
    const ops = [{ retain: at.index }, { delete: at.length }, { insert: r.matched, attributes: { italic: null } }]
    quill.updateContents(ops.filter((op) => op.insert || op.retain || op.delete), 'user')
    quill.setSelection(at.index + r.matched.length, 0, 'user')
  }
}
