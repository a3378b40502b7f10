// Small DOM helpers, announcements (role status / alert) and the confirmation dialog.

export const $ = (sel) => document.querySelector(sel)

// h('button', {type: 'button', onclick}, 'text', child...): attributes starting with `on`
// are listeners; `dataset` and boolean values are handled.
export function h (tag, attrs = {}, ...children) {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v)
    else if (k === 'dataset') Object.assign(el.dataset, v)
    else if (k === 'value') el.value = v
    else el.setAttribute(k, v === true ? '' : v)
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue
    el.append(c instanceof Node ? c : document.createTextNode(String(c)))
  }
  return el
}

export function announce (text) {
  $('#alert').textContent = ''
  $('#status').textContent = text || ''
}

export function alertMsg (text) {
  $('#status').textContent = ''
  $('#alert').textContent = text || ''
}

export function when (iso) {
  if (!iso) return ''
  const d = new Date(iso)
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
}

// Segments [{kind: same|ins|del, text}] as text with <ins> and <del>.
export function segments (segs) {
  return segs.map((s) => s.kind === 'ins' ? h('ins', {}, s.text) : s.kind === 'del' ? h('del', {}, s.text) : s.text)
}

// A modal dialog: `build(body, setBusy)` fills it; resolves with what `confirm()` returns
// (or null when cancelled). `confirm` may throw: its message is shown in the dialog.
export function dialog ({ title, confirmLabel, build, confirm }) {
  const dlg = $('#dialog')
  const body = h('div')
  const error = h('p', { role: 'alert', class: 'muted' })
  const ok = h('button', { type: 'submit', class: 'primary' }, confirmLabel)
  const cancel = h('button', { type: 'button' }, 'Cancel')
  const form = h('form', { method: 'dialog' }, h('h2', { id: 'dialog-title' }, title), body, error,
    h('div', { class: 'buttons' }, cancel, ok))
  dlg.replaceChildren(form)
  const controls = build ? build(body, ok) : null
  return new Promise((resolve) => {
    const close = (value) => { dlg.close(); dlg.replaceChildren(); resolve(value) }
    cancel.addEventListener('click', () => close(null))
    dlg.addEventListener('cancel', () => close(null), { once: true })
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault()
      ok.disabled = true
      try {
        close(await confirm(controls))
      } catch (e) {
        error.textContent = e.message
        ok.disabled = false
      }
    })
    dlg.showModal()
    const first = body.querySelector('textarea, input, select')
    if (first) first.focus()
  })
}

export function field (label, control) {
  return h('label', { class: 'field' }, label, control)
}
