"""PDF to text, by pypdf: the text layer, page by page, as `read_resolution` reads it.

Nothing of the page layout is kept beyond pypdf's own lines: the reader ignores line
breaks, drops page furniture (running headers, page numbers) and finds footnotes under
their `____` rule or after the closing "NNth plenary meeting" line, with the marks in
the text as digits glued to the word before them. What this module adds is the refusal
of what has no text to give: a damaged file, an encrypted one, a scan without a text
layer.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from penholder.ingest.errors import IngestError

# pypdf logs what it repairs in a damaged file ("EOF marker not found"); without a
# handler anywhere, Python would print that on stderr next to our one-line error.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

# Typographic ligatures some PDF fonts extract as one character.
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl",
                            "ﬅ": "st", "ﬆ": "st"})


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            OSError, RecursionError, AssertionError) as exc:
        raise IngestError(f"a damaged PDF that cannot be read ({_reason(exc)})") from exc
    if reader.is_encrypted:
        # An owner password alone (printing or copying restricted) opens with "".
        try:
            opened = reader.decrypt("")
        except DependencyError as exc:
            raise IngestError("an encrypted PDF that cannot be opened here "
                              f"({_reason(exc)}); save an unprotected copy first") from exc
        except (PyPdfError, ValueError, KeyError, TypeError, NotImplementedError) as exc:
            raise IngestError(f"an encrypted PDF that cannot be opened ({_reason(exc)})") from exc
        if not opened:
            raise IngestError("an encrypted PDF that needs a password to open; "
                              "save an unprotected copy first")
    return reader


def pdf_to_text(data: bytes, progress: Callable[[str], None] | None = None) -> str:
    """The text of every page, in order, one line per line of print."""
    reader = _open(data)
    try:
        pages = reader.pages
        count = len(pages)
    except FileNotDecryptedError as exc:
        raise IngestError("an encrypted PDF that needs a password to open") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, AssertionError) as exc:
        raise IngestError(f"a damaged PDF whose pages cannot be read ({_reason(exc)})") from exc
    if count == 0:
        raise IngestError("a PDF without pages")

    texts: list[str] = []
    for i in range(count):
        if progress:
            progress(f"reading page {i + 1} of {count}")
        try:
            text = pages[i].extract_text() or ""
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
                RecursionError, AssertionError, ZeroDivisionError) as exc:
            raise IngestError(f"a damaged PDF: page {i + 1} of {count} cannot be read "
                              f"({_reason(exc)})") from exc
        texts.append(text.translate(_LIGATURES).replace("\x00", ""))

    if not any(t.strip() for t in texts):
        pages_word = "page" if count == 1 else f"{count} pages"
        raise IngestError(f"a PDF with no text layer (no text on its {pages_word}: a scan?); "
                          "run OCR on it first or import the .docx")
    return "\n".join(texts)
