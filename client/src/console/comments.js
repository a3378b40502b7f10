// Comment threads on paragraphs and proposals: post, reply, resolve. The list is
// refetched by main.js's poll; what someone is typing is never redrawn away.
import { api } from './api.js'
import { $, announce, h, when } from './dom.js'

let shown = ''

function targetName (ctx, t) {
  return t.amendment ? `No. ${t.amendment}` : (t.paragraph || t.paragraph_id)
}

export function renderForm (ctx) {
  const form = h('form', { id: 'comment-form', class: 'filters', 'aria-label': 'New comment' })
  if (ctx.me.can.comment) {
    const on = h('select', { name: 'on', 'aria-label': 'Comment on' },
      h('optgroup', { label: 'Paragraphs' }, ctx.paragraphs.map((p) => h('option', { value: `paragraph:${p.id}` }, p.label))),
      h('optgroup', { label: 'Proposals' }, ctx.amendments.map((a) => h('option', { value: `amendment:${a.id}` }, `No. ${a.number} (${a.sponsor})`))))
    const text = h('textarea', { name: 'text', 'aria-label': 'Comment' })
    form.append(h('label', {}, 'Comment on', on), h('label', { style: 'flex: 1 1 16rem' }, 'Comment', text),
      h('button', { type: 'submit', class: 'primary' }, 'Post comment'))
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault()
      const [kind, id] = on.value.split(/:(.*)/s)
      const body = { text: text.value }
      if (kind === 'paragraph') body.paragraph_id = id
      else body.amendment_id = Number(id)
      try {
        const t = await api(`/api/drafts/${ctx.draftId}/comments`, { method: 'POST', body })
        text.value = ''
        announce(`Comment posted on ${targetName(ctx, t)}.`)
        await refresh(ctx, true)
        ctx.commented()
      } catch (e) { ctx.fail(e) }
    })
  }
  $('#comments').replaceChildren(form, h('ul', { id: 'threads', class: 'plain', 'aria-label': 'Comment threads' }))
  shown = ''
}

export function focusOn (target) {
  const on = document.querySelector('#comment-form [name=on]')
  if (!on) return
  on.value = target
  document.querySelector('#comment-form [name=text]').focus()
}

export async function refresh (ctx, force = false) {
  const list = $('#threads')
  if (!list) return
  const active = document.activeElement
  if (!force && list.contains(active) && active.value) return // a reply being typed
  const { threads } = await api(`/api/drafts/${ctx.draftId}/comments`)
  const key = JSON.stringify(threads)
  if (key === shown && !force) return
  shown = key
  list.replaceChildren(...threads.map((t) => thread(ctx, t)))
  if (!threads.length) list.append(h('li', { class: 'muted' }, 'No comments yet.'))
}

function thread (ctx, t) {
  const name = `thread ${t.id} on ${targetName(ctx, t)}`
  const items = t.comments.map((c) => h('div', { class: 'comment' },
    h('strong', {}, c.delegation ? `${c.by} (${c.delegation})` : c.by), ` · ${when(c.at)}`, h('div', {}, c.text)))
  const out = h('li', { class: `thread${t.resolved ? ' resolved' : ''}`, 'aria-label': `Comments, ${name}` },
    h('div', { class: 'muted' }, `${targetName(ctx, t)}${t.resolved ? ` · resolved by ${t.resolved_by}` : ''}`), items)
  if (ctx.me.can.comment) {
    const reply = h('textarea', { 'aria-label': `Reply, ${name}` })
    const act = async (path, body, said) => {
      try {
        await api(path, { method: 'POST', body })
        announce(said)
        await refresh(ctx, true)
        ctx.commented()
      } catch (e) { ctx.fail(e) }
    }
    out.append(h('div', { class: 'filters' }, h('label', { style: 'flex: 1 1 14rem' }, 'Reply', reply),
      h('button', { type: 'button', onclick: () => act(`/api/drafts/${ctx.draftId}/comments`, { reply_to: t.id, text: reply.value }, 'Reply posted.') }, `Reply, ${name}`),
      t.resolved
        ? h('button', { type: 'button', onclick: () => act(`/api/comments/${t.id}/reopen`, undefined, 'Thread reopened.') }, `Reopen ${name}`)
        : h('button', { type: 'button', onclick: () => act(`/api/comments/${t.id}/resolve`, undefined, 'Thread resolved.') }, `Resolve ${name}`)))
  }
  return out
}
