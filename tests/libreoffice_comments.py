"""The comments of a .docx as LibreOffice reads them: its own import, run headless
(`soffice --convert-to odt`), and the annotations of the ODF it writes, in document
order: author, initials, date, text, the text each is anchored on, resolved.

Not through UNO like tests/libreoffice_revisions.py: LibreOffice 7.4 (Debian) brought up
as a UNO server dies loading any document with comments, its own included, while the
same import run by --convert-to works; what that import keeps is what a reader sees.
"""

from __future__ import annotations

import subprocess
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
DC = "http://purl.org/dc/elements/1.1/"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"


def annotations(docx: bytes) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory(prefix="penholder-comments-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(docx)
        profile = Path(tmp) / "profile"
        proc = subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless",
                               "--norestore", "--convert-to", "odt", "--outdir", tmp, str(src)],
                              capture_output=True, text=True, timeout=180, check=False)
        odt = Path(tmp) / "document.odt"
        assert proc.returncode == 0 and odt.exists(), proc.stderr
        content = ET.fromstring(zipfile.ZipFile(odt).read("content.xml"))
    return read(content)


def read(content: ET.Element) -> list[dict[str, object]]:
    """Each office:annotation, with the text up to its office:annotation-end (the range
    it comments on), in document order."""
    found: dict[str, dict[str, object]] = {}
    order: list[str] = []
    open_: list[str] = []

    def walk(e: ET.Element) -> None:
        if e.tag == f"{{{OFFICE}}}annotation":
            name = e.get(f"{{{OFFICE}}}name") or f"unnamed{len(order)}"
            found[name] = {
                "author": (e.findtext(f"{{{DC}}}creator") or ""),
                "initials": (e.findtext(f"{{{META}}}creator-initials") or ""),
                "date": (e.findtext(f"{{{DC}}}date") or ""),
                "text": "\n".join("".join(p.itertext()) for p in e.findall(f"{{{TEXT}}}p")),
                "resolved": e.get(f"{{{LOEXT}}}resolved") == "true",
                "anchor": "",
            }
            order.append(name)
            open_.append(name)
            _tail(e)
            return
        if e.tag == f"{{{OFFICE}}}annotation-end":
            name = e.get(f"{{{OFFICE}}}name") or ""
            if name in open_:
                open_.remove(name)
            _tail(e)
            return
        if e.tag == f"{{{TEXT}}}tab":
            _add("\t")
        _add(e.text or "")
        for child in e:
            walk(child)
        _tail(e)

    def _add(s: str) -> None:
        for name in open_:
            found[name]["anchor"] = str(found[name]["anchor"]) + s

    def _tail(e: ET.Element) -> None:
        _add(e.tail or "")

    body = content.find(f"{{{OFFICE}}}body")
    for child in body if body is not None else []:
        walk(child)
    return [found[n] for n in order]
