"""The paragraph operations of the browser (client/src/structure.js, run here under node)
keep the document one the server reads as the page shows it: random joins and moves
never leave a subparagraph without its parent or a paragraph in the other part, a move
carries a paragraph's subparagraphs in their order, and the server's reading
(sync/schema.read) of the result has every paragraph where the page's order puts it."""

from __future__ import annotations

import base64

from penholder.sync.schema import doc_of, read
from test_labels import run_node

SCRIPT = """import * as Y from 'yjs'
import { makeStructure } from './src/structure.js'
let seed = %d
const rand = (n) => { seed = (seed * 1103515245 + 12345) %% 2147483648; return seed %% n }
const doc = new Y.Doc(); const ps = doc.getArray('paragraphs')
const mk = (id, kind, level) => { const m = new Y.Map(); m.set('id', id); m.set('kind', kind); m.set('level', level)
  const t = new Y.Text(); t.insert(0, id); m.set('text', t); return m }
// PP1..PP3, then OP1 (a) (i) (ii) (b), OP2 (a), OP3
const shape = [['pp',0],['pp',0],['pp',0],['op',0],['sub',1],['sub',2],['sub',2],['sub',1],['op',0],['sub',1],['op',0]]
ps.push(shape.map(([k, l], i) => mk('p' + i, k, l)))
const local = {}; const undo = new Y.UndoManager(ps, { trackedOrigins: new Set([local]) })
const s = makeStructure(doc, local, undo)
const snap = () => ps.toArray().map((m) => [m.get('id'), m.get('kind'), m.get('level') || 0, m.get('text').toString()])
const steps = []
for (let k = 0; k < 60; k++) {
  const items = ps.toArray(); const m = items[rand(items.length)]
  const before = snap(); const id = m.get('id'); const op = ['up', 'down', 'join', 'joinNext'][rand(4)]
  const r = op === 'up' ? s.move(m, -1) : op === 'down' ? s.move(m, 1) : op === 'join' ? s.join(m) : s.joinNext(m)
  steps.push({ op, id, before, after: snap(), refused: r.refused || null })
}
const state = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64')
const undone = []
while (undo.undoStack.length) { undo.undo(); undone.push(snap()) }
console.log(JSON.stringify({ steps, undone, state }))
"""


def well_formed(items: list[list]) -> bool:  # type: ignore[type-arg]
    """Every (a) under a paragraph, every (i) under an (a); the preamble before the operative part."""
    level = -1
    kinds = []
    for _, kind, lev, _text in items:
        lev = lev if kind == "sub" else 0
        if lev > level + 1:
            return False
        level = lev
        if kind != "sub":
            kinds.append(kind)
    return kinds == sorted(kinds, key=lambda k: k == "op")


def blocks(items: list[list]) -> dict[str, list[str]]:  # type: ignore[type-arg]
    """Each paragraph's subparagraphs, in order, as ids."""
    out: dict[str, list[str]] = {}
    stack: list[tuple[str, int]] = []
    for pid, kind, lev, _ in items:
        lev = lev if kind == "sub" else 0
        while stack and stack[-1][1] >= lev:
            stack.pop()
        if stack:
            out.setdefault(stack[-1][0], []).append(pid)
        stack.append((pid, lev))
    return out


def test_joins_and_moves_keep_the_document_well_formed_and_undo_restores_it() -> None:
    for seed in (1, 7, 42):
        got = run_node(SCRIPT % seed)
        assert isinstance(got, dict)
        first = got["steps"][0]["before"]
        for step in got["steps"]:
            assert well_formed(step["after"]), step
            if step["refused"]:
                assert step["after"] == step["before"], step
            elif step["op"] in ("up", "down"):
                # the same paragraphs and texts, each keeping its subparagraphs in order
                assert sorted(step["after"]) == sorted(step["before"])
                assert blocks(step["after"]).get(step["id"]) == blocks(step["before"]).get(step["id"])
            else:
                assert len(step["after"]) == len(step["before"]) - 1
                assert "".join(t for *_, t in step["after"]) == "".join(t for *_, t in step["before"])
        assert any(not s["refused"] for s in got["steps"]) and any(s["refused"] for s in got["steps"])
        # every step undone, one at a time: the document as it was
        assert len(got["undone"]) == len([s for s in got["steps"] if not s["refused"]])
        assert got["undone"][-1] == first
        # the server reads the document (before the undos) in the page's order
        res = read(doc_of(base64.b64decode(got["state"])))
        last = got["steps"][-1]["after"]
        served = []
        for p in res.preamble + res.operative:
            served.append(p.id)
            for a in p.subparagraphs:
                served.append(a.id)
                served.extend(i.id for i in a.subparagraphs)
        assert served == [pid for pid, *_ in last]
