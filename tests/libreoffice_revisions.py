"""Accept or reject every tracked change of .docx files in LibreOffice, and print what
each then reads: its paragraphs (with any list label) and its footnotes, as JSON.

    /usr/bin/python3 tests/libreoffice_revisions.py OUT.json FILE.docx:accept FILE.docx:reject ...

Run by Debian's python3 (python3-uno), not the project's venv: it starts one headless
soffice with a profile of its own, talks to it over a named pipe, and stops it. The
accept/reject is LibreOffice's own (.uno:AcceptAllTrackedChanges /
.uno:RejectAllTrackedChanges, what Edit > Track Changes > Accept All does).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

COMMANDS = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges",
            "none": None}


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(pipe: str, proc: subprocess.Popen) -> object:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + 60
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"soffice did not start (exit {proc.poll()})")
            time.sleep(0.1)  # polling for the pipe to exist: soffice offers no readiness signal


def paragraphs(doc: object) -> list[str]:
    out = []
    enum = doc.getText().createEnumeration()
    while enum.hasMoreElements():
        par = enum.nextElement()
        if not par.supportsService("com.sun.star.text.Paragraph"):
            continue
        label = par.getPropertyValue("ListLabelString") or ""
        out.append(label + par.getString())
    return out


def footnotes(doc: object) -> list[str]:
    notes = doc.getFootnotes()
    return [notes.getByIndex(i).getString() for i in range(notes.getCount())]


def main(out_path: str, jobs: list[str]) -> None:
    pipe = f"penholder_{os.getpid()}"
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                                 f"-env:UserInstallation={Path(profile).as_uri()}",
                                 f"--accept=pipe,name={pipe};urp;"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            ctx = connect(pipe, proc)
            smgr = ctx.ServiceManager
            desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
            results = {}
            for job in jobs:
                path, _, mode = job.rpartition(":")
                doc = desktop.loadComponentFromURL(Path(path).resolve().as_uri(), "_blank", 0,
                                                   (prop("Hidden", True),))
                try:
                    if COMMANDS[mode]:
                        frame = doc.getCurrentController().getFrame()
                        dispatcher.executeDispatch(frame, COMMANDS[mode], "", 0, ())
                    results[job] = {"paragraphs": paragraphs(doc), "footnotes": footnotes(doc),
                                    "track_changes": bool(doc.getPropertyValue("RecordChanges")),
                                    "redlines": doc.getRedlines().getCount()}
                finally:
                    doc.close(True)
            Path(out_path).write_text(json.dumps(results, ensure_ascii=False))
            desktop.terminate()
        finally:
            try:
                proc.wait(timeout=30 if proc.poll() is None and not jobs else 10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
