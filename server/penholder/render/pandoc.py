"""Running the bundled pandoc: the AST as JSON on stdin, the output on stdout.

No shell, a timeout, and pandoc's own message in the error when it fails.
"""

from __future__ import annotations

import json
import subprocess
from functools import lru_cache
from typing import Any

TIMEOUT = 60  # seconds; a resolution takes well under one


class RenderError(RuntimeError):
    """pandoc (or the PDF converter) failed or timed out."""


@lru_cache(maxsize=1)
def pandoc_path() -> str:
    import pypandoc  # the pypandoc-binary wheel brings pandoc itself

    return pypandoc.get_pandoc_path()


def run(ast: dict[str, Any], to: str, *args: str) -> bytes:
    """Write `ast` as `to` (a pandoc writer name) and return the bytes pandoc printed."""
    cmd = [pandoc_path(), "--from", "json", "--to", to, "--output", "-", *args]
    data = json.dumps(ast, ensure_ascii=False).encode("utf-8")
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=TIMEOUT,
                              check=False)
    except subprocess.TimeoutExpired as e:
        raise RenderError(f"pandoc took more than {TIMEOUT} s writing {to}") from e
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"pandoc failed writing {to} (exit {proc.returncode}): {msg}")
    return proc.stdout
