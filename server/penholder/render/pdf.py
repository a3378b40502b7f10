"""PDF: the .docx (clean or tracked) converted by LibreOffice headless.

Why LibreOffice and not HTML -> PDF (measured on A/RES/79/53, 6 pages, this machine):
LibreOffice 7.4 (Debian `libreoffice-writer-nogui`) converts the docx in 1.2-1.3 s with a
warm user profile (1.5-1.6 s with a fresh one); WeasyPrint 70.0 takes 0.8-0.9 s for the
HTML in process (1.5 s as a fresh process). WeasyPrint is a little faster but prints a
web page: footnotes at the end unless the HTML is restructured for `float: footnote`, no
running header with the symbol, and tracked changes only as coloured CSS. LibreOffice
prints the very document the Secretariat gets: the same styles, real footnotes at the foot
of each page, the symbol in the header from page 2, and Word revisions drawn as revision
marks (underlined insertions, struck deletions, a bar in the margin). Fidelity wins.

System packages (render/apt-packages.txt): libreoffice-writer-nogui, and fonts-liberation2
for Liberation Serif, metric-compatible with Times New Roman.

Each conversion runs `soffice --headless --convert-to pdf` in a temporary directory, with
no shell and a timeout. LibreOffice allows one process per user profile, so profiles come
from a small pool: a conversion takes a free one (reusing a warm profile saves ~0.3 s) or
makes a new one, and parallel conversions never share one.

The last few PDFs are kept by what their docx holds, its dates of creation and change
aside: a draft downloaded again unchanged (the PDF, the submission package) costs no
second conversion of over a second of processor time.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile
from pathlib import Path

from penholder.kept import Kept
from penholder.render.pandoc import RenderError

TIMEOUT = 120  # seconds
KEPT = 16  # PDFs kept, a few hundred kB each
APT = "apt-get install --no-install-recommends libreoffice-writer-nogui fonts-liberation2"


def soffice_path() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise RenderError(f"PDF export needs LibreOffice (soffice), which is not installed: {APT}")


class _Profiles:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: list[Path] = []
        self._all: list[Path] = []
        atexit.register(self.cleanup)

    def take(self) -> Path:
        with self._lock:
            if self._free:
                return self._free.pop()
            p = Path(tempfile.mkdtemp(prefix="penholder-lo-"))
            self._all.append(p)
            return p

    def give(self, p: Path) -> None:
        with self._lock:
            self._free.append(p)

    def cleanup(self) -> None:
        for p in self._all:
            shutil.rmtree(p, ignore_errors=True)


_profiles = _Profiles()

# A tagged PDF (structure for screen readers, reading order), as issued documents are;
# the title comes from the docx's core properties (render/docx.py).
PDF_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'



# Each export stamps its own time in the core properties; it is not what the PDF shows.
_STAMPS = re.compile(rb"<dcterms:(created|modified)\b[^>]*>[^<]*</dcterms:\1>")


def identity(docx: bytes) -> str | None:
    """What a docx holds, its time stamps aside; None for what is not a readable docx
    (LibreOffice is left to say what is wrong with it)."""
    h = hashlib.sha256()
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            for name in sorted(z.namelist()):
                body = z.read(name)
                if name == "docProps/core.xml":
                    body = _STAMPS.sub(b"", body)
                h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(body).digest())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return h.hexdigest()


_kept: Kept[str, bytes] = Kept(KEPT)


def from_docx(docx: bytes) -> bytes:
    key = identity(docx)
    pdf = _kept.get(key) if key else None
    if pdf is None:
        pdf = _convert(docx)
        if key:
            _kept.put(key, pdf)
    return pdf


def _convert(docx: bytes) -> bytes:
    soffice = soffice_path()
    profile = _profiles.take()
    try:
        with tempfile.TemporaryDirectory(prefix="penholder-pdf-") as tmp:
            src = Path(tmp) / "document.docx"
            src.write_bytes(docx)
            cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                   "--norestore", "--convert-to", PDF_FILTER, "--outdir", tmp, str(src)]
            try:
                proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
            except subprocess.TimeoutExpired as e:
                raise RenderError(f"LibreOffice took more than {TIMEOUT} s") from e
            out = Path(tmp) / "document.pdf"
            if proc.returncode != 0 or not out.exists():
                msg = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()
                raise RenderError(f"LibreOffice failed (exit {proc.returncode}): {msg}")
            return out.read_bytes()
    finally:
        _profiles.give(profile)
