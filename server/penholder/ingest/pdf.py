"""PDF to text: the refusal of what has no text to give (a damaged file, an encrypted
one, a scan without a text layer), by pypdf, whose errors say which it is; then the text
read by its layout (ingest/layout.py, pdfplumber), as `read_resolution` reads it.
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
    """The text of every page, in order, read by its layout (ingest/layout.py): marks,
    italics and footnotes written as Markdown, page furniture left out.

    pypdf opens the file first: it tells a damaged, an encrypted and an empty file apart
    with messages a user can act on.
    """
    from penholder.ingest.layout import pdf_layout_text

    reader = _open(data)
    try:
        count = len(reader.pages)
    except FileNotDecryptedError as exc:
        raise IngestError("an encrypted PDF that needs a password to open") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, AssertionError) as exc:
        raise IngestError(f"a damaged PDF whose pages cannot be read ({_reason(exc)})") from exc
    if count == 0:
        raise IngestError("a PDF without pages")
    try:
        text = pdf_layout_text(data, progress=progress)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a damaged file
        raise IngestError(f"a damaged PDF that cannot be read ({_reason(exc)})") from exc
    if not text.strip():
        pages_word = "page" if count == 1 else f"{count} pages"
        raise IngestError(f"a PDF with no text layer (no text on its {pages_word}: a scan?); "
                          "run OCR on it first or import the .docx")
    return text
