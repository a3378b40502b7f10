"""Reading prior resolutions and proposal lists into the model.

`import_bytes` is the one entry point: it sniffs the format (PDF, .docx, text or
Markdown), turns the file into text, and reads either a resolution or a delegation's
list of proposals from it. Every failure is an IngestError whose message says what is
wrong with the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from penholder.ingest.errors import IngestError, TooLarge, UnsupportedFormat
from penholder.ingest.proposals import looks_like_proposals, read_proposals
from penholder.ingest.source import MAX_BYTES, decode_text, sniff
from penholder.ingest.structure import read_resolution
from penholder.model import ProposalList, Resolution

Progress = Callable[[str], None]

__all__ = ["IngestError", "MAX_BYTES", "TooLarge", "UnsupportedFormat", "import_bytes", "import_path", "import_text",
           "read_proposals", "read_resolution"]


def import_text(text: str, library: Mapping[str, int] | None = None) -> Resolution | ProposalList:
    """`library`: how adopted resolutions write their words (read_resolution)."""
    if looks_like_proposals(text):
        return read_proposals(text)
    return read_resolution(text, library)


def import_bytes(data: bytes, name: str = "input", progress: Progress | None = None,
                 library: Mapping[str, int] | None = None) -> Resolution | ProposalList:
    kind = sniff(data, name)
    if kind in ("pdf", "docx"):
        try:
            text = _convert(kind, data, progress)
        except IngestError as exc:
            raise IngestError(f"{name}: {exc}") from None
    else:
        text = decode_text(data, name)
    if not text.strip():
        raise IngestError(f"{name}: no text in the file")
    return import_text(text, library)


def _convert(kind: str, data: bytes, progress: Progress | None) -> str:
    if kind == "pdf":
        from penholder.ingest.pdf import pdf_to_text

        return pdf_to_text(data, progress=progress)
    from penholder.ingest.docx import docx_to_text

    if progress:
        progress("converting .docx with pandoc")
    return docx_to_text(data)


def import_path(path: str | Path, progress: Progress | None = None,
                library: Mapping[str, int] | None = None) -> Resolution | ProposalList:
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise IngestError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    if p.is_dir():
        raise IngestError(f"{p}: is a directory, not a file")
    if size > MAX_BYTES:
        raise IngestError(f"{p}: too large ({size / 1e6:.1f} MB; the limit is {MAX_BYTES // 1_000_000} MB)")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError(f"{p}: cannot read: {exc.strerror or exc}") from exc
    return import_bytes(data, p.name, progress=progress, library=library)
