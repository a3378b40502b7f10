"""Paragraph labels have one rule: the browser's (client/src/labels.js, run here under
node) gives the label the server's (model/numbering.py) gives, for every number."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from penholder.model.numbering import roman, sub_label
from server import ROOT

N = 300


def run_node(script: str) -> object:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed (the client's labels run under it)", pytrace=False)
    out = subprocess.run([node, "--input-type=module", "-e", script], cwd=ROOT / "client",
                         capture_output=True, text=True, timeout=60, check=True)
    return json.loads(out.stdout)


def test_sub_labels_are_the_servers_at_each_level() -> None:
    got = run_node(f"""import {{ subLabel }} from './src/labels.js'
const out = {{}}
for (const depth of [1, 2]) out[depth] = Array.from({{ length: {N} }}, (_, i) => subLabel(i, depth))
console.log(JSON.stringify(out))""")
    assert got == {str(depth): [sub_label(i, depth) for i in range(N)] for depth in (1, 2)}
    assert [sub_label(i, 1) for i in (0, 25, 26, 27, 52)] == ["a", "z", "aa", "bb", "aaa"]
    assert [roman(n) for n in (4, 9, 14, 40, 49, 90, 99, 300)] == ["iv", "ix", "xiv", "xl", "xlix", "xc", "xcix", "ccc"]


def test_full_labels_name_a_paragraph_as_the_page_does() -> None:
    items = ([{"kind": "pp", "level": 0}] * 2 + [{"kind": "op", "level": 0}]
             + [{"kind": "sub", "level": 1}] * 28 + [{"kind": "sub", "level": 2}] * 3 + [{"kind": "op", "level": 0}])
    got = run_node(f"""import {{ labels }} from './src/labels.js'
console.log(JSON.stringify(labels({json.dumps(items)}).map(l => l.full)))""")
    assert isinstance(got, list)
    assert got[:4] == ["PP1", "PP2", "OP1", "OP1 (a)"]
    assert got[3 + 27] == "OP1 (bb)"
    assert got[31:] == ["OP1 (bb) (i)", "OP1 (bb) (ii)", "OP1 (bb) (iii)", "OP2"]
    assert got[3:31] == [f"OP1 ({sub_label(i, 1)})" for i in range(28)]
