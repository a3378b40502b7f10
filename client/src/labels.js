// Paragraph labels from order: the rule of server/penholder/model/numbering.py, the same
// for every number (tests/test_labels.py runs both and compares them).

const ROMAN = [[100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']]

export function roman (n) {
  let out = ''
  for (const [value, letters] of ROMAN) {
    while (n >= value) { out += letters; n -= value }
  }
  return out
}

// a, b, ..., z, aa, bb, ...: how the UN labels long lists of subparagraphs.
export function letter (index) {
  return String.fromCharCode(97 + (index % 26)).repeat(Math.floor(index / 26) + 1)
}

// The index-th (0-based) subparagraph at depth 1, (a), or depth 2, (i).
export function subLabel (index, depth) {
  return depth === 1 ? letter(index) : roman(index + 1)
}

// [{kind, level}] in document order -> [{short, full}]: short is what the margin shows
// ("PP1", "(a)"), full names the paragraph wherever it is referred to ("OP5 (a) (i)").
export function labels (items) {
  let pp = 0; let op = 0
  let top = ''; let a = -1; let i = -1; let parentA = ''
  return items.map(({ kind, level }) => {
    if (kind === 'pp' || kind === 'op') {
      top = kind === 'pp' ? `PP${++pp}` : `OP${++op}`
      a = i = -1
      return { short: top, full: top }
    }
    if ((level || 1) <= 1) {
      i = -1
      parentA = `(${subLabel(++a, 1)})`
      return { short: parentA, full: `${top} ${parentA}`.trim() }
    }
    const own = `(${subLabel(++i, 2)})`
    return { short: own, full: `${top} ${parentA} ${own}`.replace(/\s+/g, ' ').trim() }
  })
}
