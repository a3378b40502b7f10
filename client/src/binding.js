// One paragraph's editor: a Quill editor bound to the paragraph's Y.Text by y-quill. The
// Y.Text keeps the schema of docs/sync.md: the lead is the opening italic run, footnote
// references are embeds {"footnote": id}, nothing else.
import Quill from 'quill/core'
import Italic from 'quill/formats/italic'
// The build without its stylesheet injected at run time (the page's content security
// policy allows no such <style>, and the carets were left unplaced): the stylesheet is
// bundled into app.css instead. This build is a CommonJS module whose class is its
// `default` export (imported as Node does, the module object is the default).
import cursorsModule from 'quill-cursors/core'
import 'quill-cursors/css'
import { QuillBinding } from 'y-quill'

const Embed = Quill.import('blots/embed')
const Delta = Quill.import('delta')

// A footnote mark: its number is not stored (the order of first reference), so the page
// writes it into data-n and CSS shows it.
class FootnoteBlot extends Embed {
  static blotName = 'footnote'
  static tagName = 'sup'
  static className = 'fn'
  static create (id) {
    const node = super.create(id)
    node.dataset.fn = id
    return node
  }

  static value (node) { return node.dataset.fn }
}

Quill.register({ 'formats/italic': Italic, 'formats/footnote': FootnoteBlot, 'modules/cursors': cursorsModule.default }, true)

// The lead is the opening italic run, and the server reads it so (docs/sync.md): what the
// user types at the start of a paragraph that has one joins it ("Also " before
// *Recognizing*), what they type inside it is part of it, and what they type at its end
// or anywhere else is not, whatever the browser made of it. Returns the [index, length,
// italic] of the inserted runs of a local change that must be set right.
export function leadFixes (ytext, delta) {
  const runs = ytext.toDelta()
  let leadEnd = 0
  for (const op of runs) {
    if (typeof op.insert !== 'string' || !(op.attributes && op.attributes.italic)) break
    leadEnd += op.insert.length
  }
  const italicAt = (index) => { // is the character at `index` italic now?
    let pos = 0
    for (const op of runs) {
      const n = typeof op.insert === 'string' ? op.insert.length : 1
      if (index < pos + n) return !!(op.attributes && op.attributes.italic)
      pos += n
    }
    return false
  }
  const out = []
  let pos = 0
  for (const op of delta) {
    if (op.retain) pos += op.retain
    else if (typeof op.insert === 'string') {
      const n = op.insert.length
      const italic = !!(op.attributes && op.attributes.italic)
      const joinsLead = pos === 0 && italicAt(n) // typed before the lead
      const insideLead = pos > 0 && pos + n < leadEnd
      if (italic && !joinsLead && !insideLead) out.push([pos, n, null])
      if (!italic && joinsLead) out.push([pos, n, true])
      pos += n
    } else if (op.insert !== undefined) pos += 1
  }
  return out
}

// Pasted text is one paragraph's words: line breaks and tabs become spaces, control
// characters go; formatting (Word's, a web page's) is never taken.
export function plainPaste (text) {
  return text.replace(/\r\n?/g, '\n').replace(/\s*\n\s*/g, ' ').replace(/\t/g, ' ')
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, '') // eslint-disable-line no-control-regex
}

// container: the element the editor fills; label: its accessible name; hooks: what the
// paragraph view does on Enter, Backspace at the start, Delete at the end, Ctrl+I, a
// selection change.
export function createEditor ({ container, ytext, label, editable, session, hooks }) {
  const quill = new Quill(container, {
    formats: ['italic', 'footnote'],
    readOnly: !editable,
    modules: {
      // Undo is the session's Y.UndoManager (the user's own changes across paragraphs).
      history: { maxStack: 0, userOnly: true },
      // Others' carets are placed by presence.js after each change of the document; by
      // default quill-cursors would also, after every change of this editor's text,
      // re-announce this page's own selection (a presence message to the whole room for
      // each keystroke anyone makes) and measure every caret once more.
      cursors: { hideDelayMs: 5000, hideSpeedMs: 300, selectionChangeSource: null },
      toolbar: false
    }
  })
  const root = quill.root
  root.setAttribute('role', 'textbox')
  root.setAttribute('aria-multiline', 'false')
  root.setAttribute('aria-label', label)
  root.setAttribute('spellcheck', 'false')
  if (!editable) root.setAttribute('aria-readonly', 'true')

  const bind = () => {
    const b = new QuillBinding(ytext, quill)
    session.undo.addTrackedOrigin(b)
    return b
  }
  const unbind = (b) => {
    session.undo.removeTrackedOrigin(b)
    b.destroy()
  }
  let binding = bind()

  // An input method's composition owns the DOM it composes in: a remote change applied
  // under it garbles both. While one is in progress the editor is unbound; at its end
  // the user's change is rebased on what arrived meanwhile (Quill's delta transform),
  // written to the Y.Text, and the binding made again from the Y.Text, caret rebased too.
  let composing = null
  quill.on('composition-before-start', () => {
    if (!binding) return
    composing = { base: quill.getContents() }
    unbind(binding)
    binding = null
  })
  quill.on('composition-end', () => {
    if (!composing) return
    const { base } = composing
    composing = null
    const mine = base.diff(quill.getContents())
    const theirs = base.diff(new Delta(ytext.toDelta()).insert('\n'))
    const range = quill.getSelection()
    const rebased = theirs.transform(mine, true)
    if (rebased.length()) session.doc.transact(() => ytext.applyDelta(rebased.ops), session.local)
    binding = bind()
    if (range) quill.setSelection(mine.transform(theirs, false).transformPosition(range.index), 0, 'silent')
  })

  // Keep the lead the lead: after the user's own change, set right what the browser made
  // of the lead's edges (a change of its own, with the session's origin, merged into the
  // same undo step by the undo manager's capture window).
  const leadKeeper = (event) => {
    if (!binding || event.transaction.origin !== binding) return
    const fix = leadFixes(ytext, event.delta)
    if (!fix.length) return
    queueMicrotask(() => {
      session.doc.transact(() => {
        for (const [at, n, italic] of fix) if (at + n <= ytext.length) ytext.format(at, n, { italic })
      }, session.local)
    })
  }
  ytext.observe(leadKeeper)

  // Keys the paragraph view owns run before Quill's (a capture listener on the container;
  // Quill ignores a keydown whose default was prevented).
  const onKey = (e) => {
    if (e.isComposing) return
    const mod = e.ctrlKey || e.metaKey
    const key = e.key.toLowerCase()
    const stop = () => { e.preventDefault(); e.stopPropagation() }
    if (mod && !e.altKey && key === 'z') { stop(); e.shiftKey ? session.undo.redo() : session.undo.undo(); return }
    if (mod && !e.altKey && key === 'y') { stop(); session.undo.redo(); return }
    if (mod && !e.altKey && key === 'i') { stop(); if (editable) hooks.setLead(quill.getSelection()); return }
    if (mod && !e.altKey && (key === 'b' || key === 'u')) { stop(); return } // no other formatting
    // Tab moves the focus on, to the paragraph's actions and the next paragraph, as
    // everywhere else on the page: Quill's own binding typed a tab character (a resolution
    // has none), so the keyboard could not leave the first paragraph. Only Quill is kept
    // from it; the browser's default (the focus move) stays.
    if (e.key === 'Tab' && !mod && !e.altKey) { e.stopPropagation(); return }
    if (e.key === 'Enter') { stop(); if (editable) hooks.enter(quill.getSelection()); return }
    // The paragraph tools from the keyboard: Alt+Shift+arrows move and indent.
    if (e.altKey && e.shiftKey && !mod && e.key.startsWith('Arrow')) { stop(); if (editable) hooks.tool(e.key); return }
    if (e.key === 'Backspace' && editable && !mod && !e.altKey) {
      const sel = quill.getSelection()
      if (sel && sel.index === 0 && sel.length === 0) { stop(); hooks.backspaceAtStart() }
    }
    // The end is before Quill's closing newline.
    if (e.key === 'Delete' && editable && !mod && !e.altKey && !e.shiftKey) {
      const sel = quill.getSelection()
      if (sel && sel.length === 0 && sel.index >= quill.getLength() - 1) { stop(); hooks.deleteAtEnd() }
    }
  }
  // The browser's own undo and redo (a menu, a gesture) come as input events.
  const onBeforeInput = (e) => {
    if (e.inputType === 'historyUndo' || e.inputType === 'historyRedo') {
      e.preventDefault(); e.stopPropagation()
      if (e.inputType === 'historyUndo') session.undo.undo(); else session.undo.redo()
    }
  }
  const onPaste = (e) => {
    e.preventDefault(); e.stopPropagation()
    if (!editable) return
    const text = plainPaste(e.clipboardData ? e.clipboardData.getData('text/plain') : '')
    const sel = quill.getSelection(true)
    quill.updateContents(new Delta().retain(sel.index).delete(sel.length).insert(text, { italic: null }), 'user')
    quill.setSelection(sel.index + text.length, 0, 'user')
  }
  const onDrop = (e) => { e.preventDefault(); e.stopPropagation() }
  container.addEventListener('keydown', onKey, true)
  container.addEventListener('beforeinput', onBeforeInput, true)
  container.addEventListener('paste', onPaste, true)
  container.addEventListener('drop', onDrop, true)
  quill.on('selection-change', (range) => hooks.selection(range))
  // Quill moves its selection silently when the user's own typing changes the text: a
  // caret typed along keeps to the same Y position (nothing to tell), a selection typed
  // over does not.
  quill.on('text-change', (_delta, _old, source) => { if (source === 'user') hooks.selection(quill.getSelection()) })

  return {
    quill,
    cursors: quill.getModule('cursors'),
    setLabel (text) { root.setAttribute('aria-label', text) },
    destroy () {
      ytext.unobserve(leadKeeper)
      if (binding) unbind(binding)
    }
  }
}
