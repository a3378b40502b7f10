"""HTML: the AST written by pandoc as one standalone HTML5 page.

The UN look comes from a small stylesheet keyed on what pandoc's HTML writer emits for
the AST: `data-custom-style` attributes for the styled Divs and Spans, `insertion` /
`deletion` classes with `data-author` and `data-date` for tracked changes. The style
sheet rides in the AST's metadata (`header-includes`, a raw HTML block), so the AST
stays the one source.
"""

from __future__ import annotations

import copy
from typing import Any

from penholder.render.pandoc import run

CSS = """
body { font-family: "Times New Roman", "Liberation Serif", Tinos, serif; font-size: 10pt;
  line-height: 12pt; max-width: 17cm; margin: 1.5cm auto; padding: 0 1cm; color: #000; }
p { margin: 0; }
[data-custom-style="UN Masthead"] p { display: flex; justify-content: space-between;
  align-items: baseline; font-size: 12pt; border-bottom: 0.5pt solid #000; padding-bottom: 2pt; }
[data-custom-style="UN Symbol"] { font-size: 20pt; }
[data-custom-style="UN Organ"] p { display: flex; justify-content: space-between;
  align-items: flex-start; border-bottom: 3pt solid #000; padding: 4pt 0 6pt;
  margin-bottom: 18pt; }
[data-custom-style="UN Organ Name"] { font-size: 28pt; font-weight: bold; line-height: 32pt; }
[data-custom-style="UN Distribution"] { width: 5.6cm; }
[data-custom-style="UN Session"] p, [data-custom-style="UN Agenda Title"] p { width: 9cm; }
[data-custom-style="UN Agenda Title"] p { font-weight: bold; }
[data-custom-style="UN Adoption"] p { font-size: 12pt; font-weight: bold;
  margin: 18pt 1.27cm 6pt; }
[data-custom-style="UN Report"] p { margin: 0 1.27cm 12pt; }
[data-custom-style="UN Sponsors"] p { margin: 24pt 1.27cm 12pt; }
[data-custom-style="UN Title"] p { font-size: 12pt; font-weight: bold; line-height: 14pt;
  margin: 6pt 1.27cm 12pt; }
[data-custom-style="UN Opening"] p, [data-custom-style="UN Preambular"] p,
[data-custom-style="UN Operative"] p { margin: 0 1.27cm 6pt; text-indent: 1.27cm;
  text-align: justify; }
[data-custom-style="UN Subparagraph 1"] p { margin: 0 1.27cm 6pt; text-indent: 2.1cm;
  text-align: justify; }
[data-custom-style="UN Subparagraph 2"] p { margin: 0 1.27cm 6pt; text-indent: 2.9cm;
  text-align: justify; }
[data-custom-style="UN Meeting"] p { text-align: right; margin: 12pt 1.27cm 0; }
.insertion { color: #1a5fb4; text-decoration: underline; }
.deletion { color: #c01c28; text-decoration: line-through; }
.change-author { font-size: 7pt; color: #555; vertical-align: super; margin: 0 1pt; }
[data-custom-style="UN Legend"] p { font-size: 8.5pt; margin: 0 1.27cm 12pt;
  border-bottom: 0.5pt solid #000; padding-bottom: 4pt; }
.footnotes { font-size: 9pt; line-height: 11pt; margin: 12pt 1.27cm 0; }
.footnotes hr { width: 4cm; margin-left: 0; }
"""


def with_style(ast: dict[str, Any], css: str = CSS) -> dict[str, Any]:
    """A copy of the AST whose metadata carries the style sheet."""
    out = copy.copy(ast)
    meta = dict(ast.get("meta", {}))
    style = {"t": "RawBlock", "c": ["html", f"<style>{css}</style>"]}
    meta["header-includes"] = {"t": "MetaBlocks", "c": [style]}
    out["meta"] = meta
    return out


def write(ast: dict[str, Any]) -> bytes:
    return run(with_style(ast), "html5", "--standalone", "--wrap=none")
