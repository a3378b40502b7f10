"""Markdown: the AST written by pandoc as pandoc Markdown.

The paragraph looks (custom-style Divs and Spans) mean nothing in Markdown and would
come out as fenced divs around every paragraph, so they are unwrapped first; the tracked
changes stay, as pandoc's bracketed spans (`[new words]{.insertion author="France"
date="..."}`), which pandoc reads back. The tab after a paragraph number becomes a space
(pandoc escapes "1." so that it does not start a list).
"""

from __future__ import annotations

from typing import Any

from penholder.render.pandoc import run


def _is_style_only(attr: list[Any]) -> bool:
    ident, classes, kvs = attr
    return not ident and not classes and all(k == "custom-style" for k, _ in kvs)


def _plain(node: Any) -> Any:
    if isinstance(node, list):
        out = []
        for item in node:
            item = _plain(item)
            if (isinstance(item, dict) and item.get("t") in ("Div", "Span")
                    and _is_style_only(item["c"][0])):
                out.extend(item["c"][1])  # unwrap: keep the content
            elif isinstance(item, dict) and item.get("t") == "Str" and "\t" in item["c"]:
                for i, part in enumerate(item["c"].split("\t")):
                    if i:
                        out.append({"t": "Space"})
                    if part:
                        out.append({"t": "Str", "c": part})
            else:
                out.append(item)
        return out
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    return node


def plain(ast: dict[str, Any]) -> dict[str, Any]:
    """The AST without its style-only wrappers and tabs."""
    out = dict(ast)
    out["blocks"] = _plain(ast["blocks"])
    out["meta"] = {k: v for k, v in ast.get("meta", {}).items() if k == "lang"}
    return out


def write(ast: dict[str, Any]) -> bytes:
    return run(plain(ast), "markdown", "--wrap=none")
