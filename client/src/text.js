// The words of a Y.Text between two indices as the REST API reads them (no footnote marks).
export function textBetween (ytext, index, length) {
  let pos = 0; let out = ''
  for (const op of ytext.toDelta()) {
    if (typeof op.insert !== 'string') { pos += 1; continue }
    const from = Math.max(index - pos, 0); const to = Math.min(index + length - pos, op.insert.length)
    if (to > from) out += op.insert.slice(from, to)
    pos += op.insert.length
  }
  return out
}
