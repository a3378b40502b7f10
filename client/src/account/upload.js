// upload.html: a delegate or the Secretariat uploads a resolution or draft, sees what the
// importer read (heading, every paragraph with its lead and subparagraphs, what was
// repaired or guessed), corrects the structure, and only then creates the draft.
import { $, api, csrfToken, el, fail, say } from './api.js'
import { flatten, join, labels, moveMark, outlineOf, problem, reviewedBody, setKind, setLead, setLevel, split, subLabel } from './outline.js'

let me = null
let preview = null // the importer's answer, kept for the fields the page does not show
let outline = []
const open = new Set() // indexes of the paragraphs whose corrections are shown

const STARTS_DRAFTS = ['delegate', 'secretariat']

async function upload (file) {
  const body = new FormData()
  body.append('file', file)
  const r = await fetch('/api/drafts/preview', { method: 'POST', body, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrfToken() } })
  const data = await r.json().catch(() => ({}))
  if (!r.ok) throw new Error(data.error || `${r.status} ${r.statusText}`)
  return data
}

// The text with its lead in italics and its footnote marks raised where they stand.
function textOf (p) {
  const out = el('p', null, { class: 'text' })
  const cuts = [...p.footnote_refs].sort((a, b) => a.offset - b.offset)
  let at = 0
  const put = (s) => {
    if (!s) return
    const leadEnd = (p.lead || '').length
    if (at < leadEnd) {
      const inLead = s.slice(0, leadEnd - at)
      out.append(el('em', inLead))
      if (s.length > inLead.length) out.append(s.slice(inLead.length))
    } else out.append(s)
    at += s.length
  }
  for (const r of cuts) {
    put(p.text.slice(at, r.offset))
    out.append(el('sup', String(r.number), { title: `footnote ${r.number}` }))
  }
  put(p.text.slice(at))
  return out
}

function notesOf (p) {
  const notes = p.review?.notes || []
  if (!notes.length) return null
  const ul = el('ul', null, { class: 'notes' })
  ul.append(...notes.map((n) => el('li', n)))
  return ul
}

function subsOf (subs, depth) {
  if (!subs.length) return null
  const ol = el('ol', null, { class: 'subs' })
  subs.forEach((s, i) => {
    const li = el('li')
    const t = textOf({ ...s, lead: '' })
    t.prepend(`(${subLabel(i, depth)}) `)
    li.append(t)
    const notes = notesOf(s)
    if (notes) li.append(notes)
    const deeper = subsOf(s.subparagraphs, depth + 1)
    if (deeper) li.append(deeper)
    ol.append(li)
  })
  return ol
}

function field (labelText, control) {
  const label = el('label')
  label.append(el('span', labelText), control)
  return label
}

function act (name, i, work, message) {
  try {
    outline = work()
    say(message)
    draw()
    const focus = document.querySelector(`#para-${i} .correct select`)
    if (focus) focus.focus()
  } catch (e) {
    fail(`${name}: ${e.message}`)
  }
}

// What item k would be called at each level it may take: [level, name, parent or null].
function levelChoices (k) {
  const out = []
  for (const level of [0, 1, 2]) {
    try {
      const flat = flatten(setLevel(outline, k, level))
      const parent = level > 0 ? flat.slice(0, k).findLast((e) => e.level === level - 1) : null
      out.push([level, flat[k].name, parent && parent.name])
    } catch { /* a level it may not take is not offered */ }
  }
  return out
}

// The level, and with it the parent and label, of one item: a paragraph, or a
// subparagraph (a) or (i) of the item above it.
function levelRow (k) {
  const entry = flatten(outline)[k]
  const select = el('select', null, { 'aria-label': `Level of ${entry.name}`, id: `level-${k}` })
  for (const [level, name, parent] of levelChoices(k)) {
    const o = el('option', parent ? `${name}, a subparagraph of ${parent}` : `${name}, a paragraph`)
    o.value = String(level); o.selected = level === entry.level; select.append(o)
  }
  select.addEventListener('change', () => {
    // The open corrections follow their paragraphs, whose indexes shift; flat places do not.
    const wasOpen = flatten(outline).flatMap((e, j) => (e.level === 0 && open.has(e.top) ? [j] : []))
    try {
      outline = setLevel(outline, k, Number(select.value))
    } catch (e) {
      fail(`${entry.name}: ${e.message}`)
      draw()
      return
    }
    const now = flatten(outline)
    open.clear()
    for (const j of wasOpen) if (now[j].level === 0) open.add(now[j].top)
    open.add(now[k].top)
    const parent = Number(select.value) > 0 ? now.slice(0, k).findLast((e) => e.level === Number(select.value) - 1) : null
    say(`${entry.name} is now ${now[k].name}, ${parent ? `a subparagraph of ${parent.name}` : 'a paragraph'}; the paragraphs are renumbered.`)
    draw()
    document.getElementById(`level-${k}`)?.focus()
  })
  const row = el('div', null, { class: 'row' })
  row.append(select)
  return row
}

function corrections (p, i, name) {
  const box = el('div', null, { class: 'correct', id: `correct-${i}` })
  const kind = el('select', null, { 'aria-label': `Kind of ${name}` })
  for (const [value, text] of [['pp', 'Preambular (PP)'], ['op', 'Operative (OP)']]) {
    const o = el('option', text); o.value = value; o.selected = p.kind === value; kind.append(o)
  }
  kind.addEventListener('change', () => act(name, i, () => setKind(outline, i, kind.value),
    `${name} is now ${kind.value === 'pp' ? 'preambular' : 'operative'}; the paragraphs are renumbered.`))
  const kindRow = el('div', null, { class: 'row' }); kindRow.append(kind)

  const lead = el('input', null, { autocomplete: 'off' }); lead.value = p.lead
  const setLeadButton = el('button', `Set lead of ${name}`, { type: 'button' })
  setLeadButton.addEventListener('click', () => act(name, i, () => setLead(outline, i, lead.value),
    lead.value.trim() ? `The lead of ${name} is “${lead.value.trim()}”.` : `${name} has no lead.`))
  const leadRow = el('div', null, { class: 'row' }); leadRow.append(field(`Lead of ${name} (its opening words, in italics)`, lead), setLeadButton)

  const words = el('input', null, { autocomplete: 'off' })
  const splitButton = el('button', `Split ${name}`, { type: 'button' })
  splitButton.addEventListener('click', () => act(name, i, () => split(outline, i, words.value),
    `${name} is split in two; set the lead of the new paragraph after it.`))
  const splitRow = el('div', null, { class: 'row' }); splitRow.append(field(`Split ${name} before the words`, words), splitButton)

  const flat = flatten(outline)
  const k = flat.findIndex((e) => e.level === 0 && e.top === i)
  box.append(kindRow, levelRow(k), leadRow, splitRow)
  for (let j = k + 1; j < flat.length && flat[j].level > 0; j++) box.append(levelRow(j))
  for (const ref of p.footnote_refs) {
    const after = el('input', null, { autocomplete: 'off' })
    const move = el('button', `Move footnote ${ref.number}`, { type: 'button' })
    move.addEventListener('click', () => act(name, i, () => moveMark(outline, i, ref.number, after.value),
      `The mark of footnote ${ref.number} now follows “${after.value.trim()}” in ${name}.`))
    const row = el('div', null, { class: 'row' })
    row.append(field(`Footnote ${ref.number} in ${name} follows the words`, after), move)
    box.append(row)
  }
  if (i + 1 < outline.length) {
    const joinButton = el('button', `Join ${name} with the next paragraph`, { type: 'button', class: 'quiet' })
    joinButton.addEventListener('click', () => act(name, i, () => join(outline, i), `${name} and the paragraph after it are one paragraph.`))
    box.append(joinButton)
  }
  return box
}

function paragraphItem (p, i, name) {
  const li = el('li', null, { id: `para-${i}`, 'aria-labelledby': `para-${i}-name` })
  const head = el('div', null, { class: 'para-head' })
  const status = p.review?.status || 'exact'
  const toggle = el('button', `Correct ${name}`, { type: 'button', class: 'quiet', 'aria-expanded': String(open.has(i)), 'aria-controls': `correct-${i}` })
  toggle.addEventListener('click', () => {
    if (open.has(i)) open.delete(i); else open.add(i)
    draw()
    document.querySelector(`#para-${i} .para-head button`).focus()
  })
  head.append(el('strong', name, { id: `para-${i}-name` }), el('span', status, { class: `badge ${status}` }), toggle)
  li.append(head)
  const notes = notesOf(p)
  if (notes) li.append(notes)
  li.append(textOf(p))
  const subs = subsOf(p.subparagraphs, 1)
  if (subs) li.append(subs)
  if (open.has(i)) li.append(corrections(p, i, name))
  return li
}

// Where each of the importer's paragraph ids stands now: `PP3`, `OP4 (e)`.
function places () {
  const names = labels(outline)
  const at = new Map()
  const walk = (subs, prefix, i, depth) => subs.forEach((s, k) => {
    const name = `${prefix} (${subLabel(k, depth)})`
    if (s.origin) at.set(s.origin, { name, i })
    walk(s.subparagraphs, name, i, depth + 1)
  })
  outline.forEach((p, i) => {
    if (p.origin) at.set(p.origin, { name: names[i], i })
    walk(p.subparagraphs, names[i], i, 1)
  })
  return at
}

function drawWarnings () {
  const at = places()
  const items = (preview.warnings || []).map((w) => {
    const li = el('li')
    const m = w.match(/^([\w.-]+): (.*)$/)
    const where = m && at.get(m[1])
    if (where) {
      li.append(el('a', where.name, { href: `#para-${where.i}` }), `: ${m[2]}`)
    } else li.textContent = w
    return li
  })
  $('#warnings').replaceChildren(...(items.length ? items : [el('li', 'Nothing: every paragraph was read as it stands.')]))
}

function draw () {
  const names = labels(outline)
  $('#outline').replaceChildren(...outline.map((p, i) => paragraphItem(p, i, names[i])))
  drawWarnings()
}

function show (result) {
  preview = result
  outline = outlineOf(result)
  open.clear()
  const f = $('#heading-form').elements
  for (const k of ['symbol', 'title', 'session', 'agenda_item', 'agenda_title']) f[k].value = result[k] ?? ''
  f.committee.value = result.committee || ''
  // What only the Secretariat sets on a new draft (docs/roles.md) is not offered to others.
  const staff = me.kind === 'secretariat'
  const lSymbol = !staff && /\/L\.\d/.test(result.symbol || '')
  if (lSymbol) f.symbol.value = ''
  $('#sponsors').textContent = [
    lSymbol ? `The file's symbol ${result.symbol} is left out: the Secretariat gives a draft its L. symbol when it is tabled.` : '',
    result.sponsors?.length ? `Sponsors named in the file: ${result.sponsors.join(', ')}.${staff ? '' : ' Sponsorship is recorded on the draft once it exists, each delegation for itself.'}` : ''
  ].filter(Boolean).join(' ')
  $('#footnotes').replaceChildren(...result.footnotes.map((n) => el('li', `${n.number}. ${n.text}`)))
  draw()
  $('#review').hidden = false
  $('#create').hidden = false
  $('#created').replaceChildren()
  const look = outline.filter((p) => p.review.status !== 'exact').length
  const pp = outline.filter((p) => p.kind === 'pp').length
  say(`Read ${result.file}: ${pp} preambular and ${outline.length - pp} operative paragraphs; ` +
    (look ? `${look} repaired or guessed, marked below.` : 'none repaired or guessed.'))
}

function heading () {
  const f = $('#heading-form').elements
  const text = (v) => v.trim() || null
  return {
    ...preview,
    symbol: text(f.symbol.value),
    title: f.title.value.trim(),
    session: f.session.value ? Number(f.session.value) : null,
    committee: f.committee.value || null,
    agenda_item: text(f.agenda_item.value),
    agenda_title: text(f.agenda_title.value)
  }
}

$('#upload-form').addEventListener('submit', async (ev) => {
  ev.preventDefault()
  const file = ev.target.elements.file.files[0]
  if (!file) { fail('Choose a file first.'); return }
  say(`Reading ${file.name}…`)
  try {
    show(await upload(file))
  } catch (e) {
    fail(`${file.name} could not be read: ${e.message}`)
  }
})

$('#create-draft').addEventListener('click', async () => {
  const h = heading()
  if (!h.title) { fail('The draft needs a title.'); $('#heading-form').elements.title.focus(); return }
  if (!h.session) { fail('The draft needs its session (the number, e.g. 79).'); $('#heading-form').elements.session.focus(); return }
  const blocked = problem(outline)
  if (blocked) { fail(`Not yet: ${blocked}.`); return }
  try {
    const draft = await api('/api/drafts', { method: 'POST', body: { reviewed: reviewedBody(h, outline, { sponsors: me.kind === 'secretariat' }) } })
    say(`Draft ${draft.id} created: ${draft.title}.`)
    $('#created').replaceChildren(el('a', `Open draft ${draft.id} in the editor`, { href: `/#draft=${draft.id}` }))
    $('#created a').focus()
  } catch (e) {
    fail(`The draft was not created: ${e.message}`)
  }
})

$('#start-over').addEventListener('click', () => {
  $('#review').hidden = true
  $('#create').hidden = true
  $('#upload-form').reset()
  say('Choose another file.')
  $('#upload-form').elements.file.focus()
})

async function start () {
  try {
    me = await api('/api/me')
  } catch (e) {
    fail(`${e.message}. Sign in first.`)
    $('#status').replaceChildren(el('a', 'Sign in', { href: 'signin.html' }))
    return
  }
  $('#whoami').textContent = `${me.name}${me.delegation ? ` (${me.delegation})` : ''}`
  if (!STARTS_DRAFTS.includes(me.kind) || me.draft_id) {
    fail('Only delegates and the Secretariat start drafts; you may read and comment on the drafts you are part of.')
    return
  }
  $('#choose-file').hidden = false
}

start()
