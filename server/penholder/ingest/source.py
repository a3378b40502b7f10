"""What kind of file this is, and its text when it is text."""

from __future__ import annotations

import re
from typing import Literal

from penholder.ingest.errors import IngestError, TooLarge, UnsupportedFormat

MAX_BYTES = 20_000_000

Kind = Literal["pdf", "docx", "text"]

_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def sniff(data: bytes, name: str) -> Kind:
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    if len(data) > MAX_BYTES:
        raise TooLarge(f"{name}: too large ({len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES // 1_000_000} MB)")
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        import io
        import zipfile  # loaded for a zip archive only: a text import does not pay for it

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "word/document.xml" in z.namelist():
                    return "docx"
        except zipfile.BadZipFile as exc:
            raise IngestError(f"{name}: a damaged zip archive, not a readable .docx ({exc})") from exc
        raise UnsupportedFormat(f"{name}: a zip archive that is not a Word document (no word/document.xml)")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFormat(f"{name}: a legacy binary Word (.doc) file; save it as .docx or PDF first")
    return "text"


def decode_text(data: bytes, name: str = "input") -> str:
    """Text from bytes: UTF-8 (with or without BOM), else Windows-1252; binary refused."""
    sample = data[:65536]
    if b"\x00" in sample:
        raise UnsupportedFormat(f"{name}: binary data (NUL bytes), not text, .docx or PDF")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise IngestError(f"{name}: not UTF-8 or Windows-1252 text ({exc.reason} at byte {exc.start})") from exc
    controls = len(_CONTROL.findall(text, 0, 65536))
    if controls > max(8, len(text[:65536]) // 100):
        raise UnsupportedFormat(f"{name}: binary data ({controls} control characters), not text")
    return text
