"""Word (.docx) to text, by pandoc: Markdown that `read_resolution` reads.

pandoc (from pypandoc-binary) converts the file to pandoc Markdown with `--wrap=none`, so
that a Word paragraph is one line. What the reader relies on comes through as Markdown:
italics as `*...*` (the lead), real Word footnotes and endnotes as `[^n]` marks with
`[^n]: text` definitions, superscript digits as `^n^`, numbered lists as `1.` and
`(a)`. A small Lua filter flattens what a resolution does not need before pandoc writes
(headings, block quotes from indented paragraphs, spans such as underline or bookmarks,
links, images, tables), and `_tidy` joins the lines pandoc still spreads out: the
continuation paragraphs of a footnote, hard line breaks, the `<!-- -->` between lists.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile

from penholder.ingest.errors import IngestError

# `-smart`: keep curly quotes and dashes as they are instead of writing "--" and '"'.
# `-citations`, `-tex_math_dollars`: no `\@` or `\$` escapes in ordinary text.
OUTPUT_FORMAT = "markdown-smart-citations-tex_math_dollars"
TIMEOUT_SECONDS = 120

_LUA_FILTER = r"""
-- Flatten a Word document into paragraphs, lists, emphasis and notes.
local function digits(inlines)
  return pandoc.utils.stringify(inlines):match("^%s*%d+%s*$") ~= nil
end

function Header(el) return pandoc.Para(el.content) end
function BlockQuote(el) return el.content end
function Div(el) return el.content end
function Figure(el) return el.content end
function LineBlock(el)
  local out = {}
  for _, line in ipairs(el.content) do table.insert(out, pandoc.Para(line)) end
  return out
end
function BulletList(el)
  local out = {}
  for _, item in ipairs(el.content) do
    for _, block in ipairs(item) do table.insert(out, block) end
  end
  return out
end
function OrderedList(el)
  -- The reader knows operative numbers as "1." and subparagraph labels as "(a)", "(i)".
  local style = el.listAttributes.style
  if style == "LowerAlpha" or style == "LowerRoman" then
    el.listAttributes.delimiter = "TwoParens"
  else
    el.listAttributes.delimiter = "Period"
  end
  return el
end
function Table(el)
  -- One paragraph per row, cells separated by spaces.
  local out = {}
  local function add_rows(rows)
    for _, row in ipairs(rows) do
      local cells = {}
      for _, cell in ipairs(row.cells) do
        for _, block in ipairs(cell.contents) do
          local text = pandoc.utils.stringify(block)
          if text ~= "" then table.insert(cells, text) end
        end
      end
      if #cells > 0 then table.insert(out, pandoc.Para({pandoc.Str(table.concat(cells, " "))})) end
    end
  end
  add_rows(el.head.rows)
  for _, body in ipairs(el.bodies) do
    add_rows(body.head)
    add_rows(body.body)
  end
  add_rows(el.foot.rows)
  return out
end
function Span(el) return el.content end
function Underline(el) return el.content end
function SmallCaps(el) return el.content end
function Link(el) return el.content end
function Image(el) return {} end
function Subscript(el) return el.content end
function Superscript(el)
  -- Superscript digits are footnote marks (a footnote cited a second time); "1^st^" is not.
  if digits(el.content) then return el end
  return el.content
end
"""

_LIST_SEPARATOR = re.compile(r"^\s*<!--\s*-->\s*$")
_NOTE_DEFINITION = re.compile(r"^\[\^\d+\]:")
_NOTE_CONTINUATION = re.compile(r"^(?: {4}|\t)")


def _pandoc_path() -> str:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:
        raise IngestError(f"cannot read .docx files here: pandoc is not available ({exc})") from exc


def _first_line(message: str) -> str:
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    return lines[0] if lines else "unknown error"


def _hard_break(line: str) -> bool:
    """pandoc writes a line break inside a paragraph as a backslash at the end of the
    line; an escaped backslash (`\\`) is text."""
    trailing = len(line) - len(line.rstrip("\\"))
    return trailing % 2 == 1


def _tidy(markdown: str) -> str:
    """One line per paragraph and per footnote definition."""
    out: list[str] = []
    in_note = False
    for raw in markdown.splitlines():
        line = raw.rstrip()
        if _LIST_SEPARATOR.match(line):
            in_note = False
            continue
        if _hard_break(line):
            line = line[:-1].rstrip()
        if _NOTE_DEFINITION.match(line):
            out.append(line)
            in_note = True
            continue
        if in_note:
            if not line:
                continue
            if _NOTE_CONTINUATION.match(raw):
                # A footnote's further paragraphs, indented under its definition.
                out[-1] = f"{out[-1]} {line.strip()}"
                continue
            in_note = False
        out.append(line)
    return "\n".join(out) + "\n"


def docx_to_text(data: bytes) -> str:
    """The text of a .docx file as pandoc Markdown, one line per paragraph."""
    pandoc = _pandoc_path()
    with tempfile.TemporaryDirectory(prefix="penholder-docx-") as tmp:
        source = os.path.join(tmp, "input.docx")
        lua = os.path.join(tmp, "flatten.lua")
        with open(source, "wb") as f:
            f.write(data)
        with open(lua, "w", encoding="utf-8") as f:
            f.write(_LUA_FILTER)
        args = [pandoc, "--sandbox", "--from=docx", f"--to={OUTPUT_FORMAT}", "--wrap=none",
                "--track-changes=accept", f"--lua-filter={lua}", source]
        try:
            done = subprocess.run(args, capture_output=True, timeout=TIMEOUT_SECONDS, cwd=tmp, check=False)
        except subprocess.TimeoutExpired as exc:
            raise IngestError(f"the .docx took longer than {TIMEOUT_SECONDS} s to convert; "
                              "it may be damaged") from exc
        except OSError as exc:
            raise IngestError(f"cannot run pandoc to read the .docx: {exc.strerror or exc}") from exc
    if done.returncode != 0:
        reason = _first_line(done.stderr.decode("utf-8", "replace"))
        raise IngestError(f"a damaged Word document that pandoc cannot read ({reason})")
    try:
        markdown = done.stdout.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError("pandoc returned text that is not UTF-8; the .docx may be damaged") from exc
    return _tidy(markdown)
