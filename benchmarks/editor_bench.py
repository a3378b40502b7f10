"""The browser editor in Chromium: keystroke latency to another page, and the time to open
a large draft, each beside a bare page that binds the same Y.Text with y-websocket
(benchmarks/editor_bare.js), measured in the same run against the same server.

1. Keystrokes: a penholder types 500 characters at the end of PP2 (one every 40 ms); the
   time from each character's keydown in the typing page to the moment the other page's
   DOM shows it (timestamps taken in the pages at the events, performance.timeOrigin +
   now). Printed: p50, p99, and where the time goes: keydown to the typing page's socket,
   socket to socket (server and network), socket to the other page's DOM.
2. Opening: a 60-paragraph draft with 50 pending proposals, from the sign-in's submit (or,
   for the bare page, from its navigation's start) to every paragraph editable, timed in
   the page. Printed: median of 5.

Both pages stand for people at their own screens: Chromium is told not to slow down
pages it takes for background tabs (its timers and renderers).

    .venv/bin/python benchmarks/editor_bench.py [--keys 500]
"""

from __future__ import annotations

import argparse
import functools
import os
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT / "tests"))

from browser import ARGS, CHROMIUM, PP2, need_chromium, open_draft, playwright_api  # noqa: E402
from server import Server  # noqa: E402

# Every clock below is a page's own (performance.timeOrigin + now: wall time at the
# page's high resolution, comparable between pages of one machine), read at the event
# itself; Python only collects them afterwards, so neither Playwright's polling nor its
# round trips are measured.
RECORD_ARRIVALS = """id => { window.arrivals = []; const el = document.querySelector(id);
  new MutationObserver(() => window.arrivals.push([performance.timeOrigin + performance.now(),
    el.textContent.length])).observe(el, {subtree: true, childList: true, characterData: true}) }"""
# Only the keys that type a character: the Ctrl+End that puts the caret at the end is a
# keydown too, and counting it would match each character with the arrival of the one
# typed two keys later (two typing intervals, ~90 ms, added to every figure).
RECORD_KEYS = """() => { window.keys = []; window.addEventListener('keydown', (e) => {
  if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) window.keys.push(performance.timeOrigin + performance.now()) },
  true) }"""
# Where the time goes: when each page's socket sent or received a document update (a
# y-websocket sync message of type update), installed before the page's own scripts; and
# how many presence (awareness) messages each page sent, each of which the server relays
# to everyone in the room.
RECORD_WIRE = """(() => { if (window.wire) return; window.wire = {sent: [], got: [], presence: 0};
  const now = () => performance.timeOrigin + performance.now();
  const update = (d) => { const b = d instanceof ArrayBuffer ? new Uint8Array(d) : d instanceof Uint8Array ? d : null;
    return !!b && b[0] === 0 && b[1] === 2 };
  const presence = (d) => { const b = d instanceof ArrayBuffer ? new Uint8Array(d) : d instanceof Uint8Array ? d : null;
    return !!b && b[0] === 1 };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (d) {
    if (update(d)) window.wire.sent.push(now()); else if (presence(d)) window.wire.presence += 1;
    return send.call(this, d) };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor (...args) { super(...args); this.addEventListener('message', (e) => { if (update(e.data)) window.wire.got.push(now()) }) }
  } })()"""
# Opening: from the sign-in's submit to the first moment every paragraph is editable and
# the proposals are shown, seen by an observer of the page's own mutations.
RECORD_OPEN = """n => { window.opened = null; document.addEventListener('submit', () => { window.signin = performance.now() }, true);
  const done = () => document.body.dataset.ready && document.querySelectorAll('.ql-editor[contenteditable=true]').length === n
    && document.querySelector('.proposal');
  const mo = new MutationObserver(() => { if (window.opened === null && done()) { window.opened = performance.now(); mo.disconnect() } });
  mo.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready', 'contenteditable']}) }"""

def bare_bundle() -> str:
    src = (ROOT / "benchmarks" / "editor_bare.js").read_text()
    out = subprocess.run([str(ROOT / "client" / "node_modules" / ".bin" / "esbuild"), "--bundle", "--format=esm",
                          "--minify", "--loader=js"], input=src, cwd=ROOT / "client", capture_output=True,
                         text=True, check=True)
    return out.stdout


class BareSite:
    """The bare page on a loopback HTTP server of its own (a page from elsewhere may not
    open a websocket to a loopback address: Chromium's local network access checks)."""

    def __init__(self, root: Path, bundle: str) -> None:
        (root / "bare.js").write_text(bundle)
        (root / "bare.html").write_text("<!doctype html><body><div id=text></div>"
                                        "<script type=module src=bare.js></script></body>")
        handler = functools.partial(QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/bare.html"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


# When the bare page had its paragraph bound (it marks the body data-ready then).
RECORD_READY = """(() => { window.readyAt = null; const mo = new MutationObserver(() => {
  if (document.body && document.body.dataset.ready && window.readyAt === null) { window.readyAt = performance.now(); mo.disconnect() } });
  mo.observe(document, {subtree: true, attributes: true, attributeFilter: ['data-ready']}) })()"""


def editor_page(context, server: Server, token: str):  # type: ignore[no-untyped-def]
    """Penholder's page, signed in, the draft open (as tests/browser.py opens it), with its
    socket's updates timed."""
    context.add_init_script(RECORD_WIRE)  # once per page: RECORD_WIRE installs itself once
    return open_draft(context, server, token)


def bare_page(context, server: Server, token: str, site: BareSite):  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.add_init_script(RECORD_WIRE)
    page.add_init_script(RECORD_READY)
    bench = json.dumps({"url": f"ws://127.0.0.1:{server.port}/ws/drafts", "draft": str(server.draft_id),
                        "token": token, "paragraph": PP2})
    page.add_init_script(f"window.BENCH = {bench}")
    page.goto(site.url)
    page.wait_for_selector("body[data-ready]", timeout=20000)
    return page


@dataclass
class Keystrokes:
    total: list[float]     # keydown in the typing page to the other page's DOM showing it
    typist: list[float]    # keydown to the update leaving the typing page's socket
    wire: list[float]      # leaving one page's socket to arriving at the other's (server, network)
    watcher: list[float]   # arriving at the socket to the DOM showing it
    presence: list[int]    # presence messages sent meanwhile by the typing page and the other


def latencies(typist, watcher, typist_sel: str, watcher_sel: str, keys: int) -> Keystrokes:  # type: ignore[no-untyped-def]
    watcher.evaluate(RECORD_ARRIVALS, watcher_sel)
    base = watcher.evaluate("s => document.querySelector(s).textContent.length", watcher_sel)
    typist.click(typist_sel)
    typist.keyboard.press("Control+End")
    typist.evaluate(RECORD_KEYS)
    for page in (typist, watcher):
        page.evaluate("() => { window.wire.sent = []; window.wire.got = []; window.wire.presence = 0 }")
    typist.keyboard.type("abcdefghij" * (keys // 10), delay=40)
    watcher.wait_for_function("n => window.arrivals.length && window.arrivals.at(-1)[1] >= n", arg=base + keys,
                              timeout=60000, polling=100)
    sent = typist.evaluate("() => window.keys")
    assert len(sent) == keys, f"{len(sent)} keydowns recorded for {keys} characters"
    arrived = watcher.evaluate("() => window.arrivals")
    out_sent = typist.evaluate("() => window.wire.sent")
    in_got = watcher.evaluate("() => window.wire.got")
    m = Keystrokes([], [], [], [], [typist.evaluate("() => window.wire.presence"),
                                    watcher.evaluate("() => window.wire.presence")])
    for k, t in enumerate(sent, 1):
        shown = next(a for a, n in arrived if n >= base + k)
        m.total.append(shown - t)
        # The first update sent after the keydown, and the last one received before the
        # DOM showed it (an update may carry several keys when the typist is slow).
        left = next((x for x in out_sent if x >= t), None)
        came = max((x for x in in_got if x <= shown), default=None)
        if left is not None and came is not None and t <= left <= came:
            m.typist.append(left - t)
            m.wire.append(came - left)
            m.watcher.append(shown - came)
    return m

def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


def grow_draft(server: Server, token: str, paragraphs: int) -> None:
    body = server.get(f"/api/drafts/{server.draft_id}", token).json()
    have = len(body["preamble"]) + len(body["operative"])
    args = []
    for k in range(paragraphs - have):
        args += ["--create-paragraph", f"bench-op{k}:op", "--insert-at", f"bench-op{k}:0:Decides to keep paragraph {k} under review,"]
    if args:
        subprocess.run(["node", str(ROOT / "tests" / "node" / "client.mjs"), "--url", f"ws://127.0.0.1:{server.port}/ws/drafts",
                        "--draft", str(server.draft_id), "--token", token, *args], check=True, capture_output=True,
                       timeout=60)


def file_proposals(server: Server, token: str, n: int) -> None:
    body = server.get(f"/api/drafts/{server.draft_id}", token).json()
    paras = body["preamble"] + body["operative"]
    for k in range(n):
        p = paras[k % len(paras)]
        r = server.post(f"/api/drafts/{server.draft_id}/amendments", token, json={
            "operation": "insert_text", "paragraph_id": p["id"], "target_text": p["text"][:40], "position": "after",
            "new_text": f" (proposal {k})", "rationale": "benchmark"})
        assert r.status_code == 201, r.text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keys", type=int, default=500)
    ap.add_argument("--opens", type=int, default=5)
    args = ap.parse_args()
    need_chromium()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "site").mkdir()
        site = BareSite(Path(tmp) / "site", bare_bundle())
        # The server refuses a websocket from another site's page: the bare page's origin
        # is declared the server's public one, as a deployment behind a proxy declares it.
        os.environ["PENHOLDER_PUBLIC_URL"] = site.url.rsplit("/", 1)[0]
        server = Server(f"sqlite:///{Path(tmp) / 'bench.db'}")
        server.seed([("Typist", "France", "penholder"), ("Reader", "Egypt", "penholder"),
                     ("Proposer", "Algeria", "delegate")])
        server.start()
        try:
            with playwright_api.sync_playwright() as pw:
                # Each page stands for a person at their own screen: none is a background
                # tab that Chromium would slow down.
                context = pw.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"), executable_path=CHROMIUM, headless=True,
                    args=[*ARGS, "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                          "--disable-backgrounding-occluded-windows"], viewport={"width": 1280, "height": 1100})
                try:
                    print(f"keystroke to another page, {args.keys} keys (ms):", flush=True)
                    a = editor_page(context, server, server.tokens["Typist"])
                    b = editor_page(context, server, server.tokens["Reader"])
                    editor_sel = f'.para[data-id="{PP2}"] .ql-editor'
                    ours = latencies(a, b, editor_sel, editor_sel, args.keys)
                    a.close(); b.close()
                    a = bare_page(context, server, server.tokens["Typist"], site)
                    b = bare_page(context, server, server.tokens["Reader"], site)
                    bare = latencies(a, b, "#text", "#text", args.keys)
                    a.close(); b.close()
                    for name, p in (("p50", 50), ("p99", 99)):
                        print(f"  {name}: editor {pct(ours.total, p):6.1f}   bare page {pct(bare.total, p):6.1f}   "
                              f"ratio {pct(ours.total, p) / pct(bare.total, p):5.2f}")
                    print("  where it goes, p50 (editor / bare page):")
                    for name, attr in (("typing page, keydown to socket", "typist"), ("server and network, socket to socket", "wire"),
                                       ("other page, socket to DOM", "watcher")):
                        o, r = getattr(ours, attr), getattr(bare, attr)
                        print(f"    {name}: {pct(o, 50):5.1f} / {pct(r, 50):5.1f}   (p99 {pct(o, 99):5.1f} / {pct(r, 99):5.1f})")

                    print(f"  presence messages sent while typing: typing page {ours.presence[0]}, "
                          f"other page {ours.presence[1]} (for {args.keys} keystrokes)")

                    grow_draft(server, server.tokens["Typist"], 60)
                    file_proposals(server, server.tokens["Proposer"], 50)
                    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["Typist"]).json()
                    count = len(body["preamble"]) + len(body["operative"])
                    pending = len(server.get(f"/api/drafts/{server.draft_id}/amendments", server.tokens["Typist"]).json()["amendments"])
                    print(f"opening a draft of {count} paragraphs with {pending} pending proposals, "
                          f"to every paragraph editable (ms, median of {args.opens}):", flush=True)
                    ours_open, bare_open = [], []
                    for _ in range(args.opens):
                        page = context.new_page()
                        page.goto(f"{server.http}/#draft={server.draft_id}")
                        page.fill("#token", server.tokens["Typist"])
                        page.evaluate(RECORD_OPEN, count)
                        page.click("#signin button")
                        page.wait_for_function("() => window.opened !== null", timeout=30000, polling=100)
                        ours_open.append(page.evaluate("() => window.opened - window.signin"))
                        page.close()
                        page = bare_page(context, server, server.tokens["Typist"], site)
                        # From the navigation's start (the page's time origin) to its paragraph bound.
                        bare_open.append(page.evaluate("() => window.readyAt"))
                        page.close()
                    o, r = statistics.median(ours_open), statistics.median(bare_open)
                    print(f"  editor {o:6.0f}   bare page (one paragraph) {r:6.0f}   ratio {o / r:5.2f}")
                finally:
                    context.close()
        finally:
            server.stop()
            site.close()


if __name__ == "__main__":
    main()
